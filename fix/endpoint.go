package fix

import (
	"bytes"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/scanner"
)

// A client that talks to a custom endpoint (MinIO, Ceph, R2, Wasabi,
// LocalStack) holds keys of that service, not of AWS. Removing them does
// not hand the client to the instance role: the SDK then signs the
// endpoint's requests with the role's credentials, which breaks the
// program and sends the role's key ID to a third party. So a key whose
// client, profile, remote or provider names an endpoint stays for a
// person, with the reason customEndpoint gives; the Go analyzer refuses
// the same clients (analyzer: "no automatic fix: the client has a custom
// endpoint").

// customEndpoint is the reason given for a key of a client that talks to
// the endpoint described by what.
func customEndpoint(what string) string {
	if strings.Contains(what, metadataOffVar) {
		// Not an endpoint: the instance metadata service turned off
		// (findEndpoint's last answer), wherever a rule found it.
		return metadataOffReason(strings.TrimPrefix(what, "maybe: "))
	}
	if why, ok := strings.CutPrefix(what, "maybe: "); ok {
		return maybeEndpointReason + why + "): if one talks to a custom endpoint " +
			"(MinIO, LocalStack), removing the keys sends the instance role's credentials there; check them, then move the keys " +
			"out of the file by hand (an environment variable, a secret store, or the instance role if every client is AWS's)."
	}
	return endpointReason + what + "): its keys are not for the instance role; move them out of the file by hand " +
		"(an environment variable, a secret store), and rotate them at the service that issued them if the file leaked."
}

// endpointReason and maybeEndpointReason start customEndpoint's reasons.
const (
	endpointReason      = "the client talks to a custom endpoint ("
	maybeEndpointReason = "the keys may reach clients keyscan cannot see ("
)

// isEndpointReason reports whether a reason is customEndpoint's.
func isEndpointReason(r string) bool {
	return strings.HasPrefix(r, endpointReason) || strings.HasPrefix(r, maybeEndpointReason)
}

// shorten cuts a piece of source for a reason.
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

// source returns the text of tokens first..last.
func (c *codeFix) source(first, last int) string {
	return shorten(string(c.data[c.ts[first].start:c.ts[last].end]))
}

// pyEndpoint describes the custom endpoint the boto3/botocore call opened
// at o is given: an endpoint_url argument other than None, a
// botocore.config.Config (inline or assigned to the name passed as
// config=) that asks for path-style addressing or keeps the host as
// given, or **kwargs in a file that names an endpoint_url. Empty: none.
func (c *codeFix) pyEndpoint(o int) string {
	ts := c.ts
	// client, resource and create_client take endpoint_url sixth when it
	// is given by position (service_name, region_name, api_version,
	// use_ssl, verify, endpoint_url: qa11 MEDIUM-3); Session takes keys
	// there, no endpoint.
	positional := !ts.is(o-1, tokName, "Session")
	pos := 0
	for _, it := range ts.items(o) {
		if ts.is(it[0], tokOp, "**") && it[1] > it[0] {
			if d := c.pyFileEndpoint(); d != "" {
				return d + ", maybe through " + c.source(it[0], it[1])
			}
			if !c.pyLocalDict(it[0]+1, it[1]) {
				// **MINIO imported from settings, a parameter, a call's
				// result: keyword arguments keyscan cannot read, which
				// can hold endpoint_url (qa12 MEDIUM-14), as a JavaScript
				// spread of an object the file does not write can.
				return "maybe: the keyword arguments given through " + c.source(it[0], it[1]) + " can hold an endpoint_url"
			}
			continue
		}
		if ts.is(it[0], tokOp, "*") && it[1] > it[0] {
			if positional && pos <= 5 {
				return "maybe: the arguments given through " + c.source(it[0], it[1]) + " can hold an endpoint_url"
			}
			continue
		}
		if !ts.is(it[0], tokName, "") || !ts.is(it[0]+1, tokOp, "=") || it[1] < it[0]+2 {
			if positional && pos == 5 && !(it[1] == it[0] && ts.is(it[0], tokName, "None")) {
				return c.source(it[0], it[1]) + " (endpoint_url, given sixth)"
			}
			pos++
			continue
		}
		switch ts[it[0]].text {
		case "endpoint_url":
			if it[1] == it[0]+2 && ts.is(it[1], tokName, "None") {
				continue
			}
			return c.source(it[0], it[1])
		case "region_name":
			if it[1] == it[0]+2 && ts.is(it[1], tokString, "") && foreignRegion("region", ts[it[1]].text) {
				return c.source(it[0], it[1]) + ", a region AWS does not have"
			}
		case "config":
			first, last := it[0]+2, it[1]
			given := c.source(first, last)
			if first == last && ts.is(first, tokName, "") {
				// config=cfg: the assignment cfg = Config(...) in the file.
				if a, b, ok := c.pyAssigned(ts[first].text); ok {
					first, last = a, b
				}
			}
			if d := c.pyConfigHint(first, last); d != "" {
				return d
			}
			if !c.pyConfigCall(first, last) {
				// config=S3_CONFIG imported from settings, settings.S3_CONFIG,
				// a parameter, a call's result: a Config keyscan cannot
				// read, which can ask for path-style addressing (qa16
				// HIGH-16), as **kwargs it cannot read can hold an
				// endpoint_url.
				return "maybe: the client configuration given as config=" + given + ", which keyscan cannot read, can ask for path-style addressing"
			}
		}
	}
	return ""
}

// pyLocalDict reports whether the tokens first..last (what ** unpacks)
// are a dict the file writes whole: a dict literal or dict(...) call, or a
// name the file assigns one to. Its endpoint_url, if any, is then one
// pyFileEndpoint finds.
func (c *codeFix) pyLocalDict(first, last int) bool {
	ts := c.ts
	if first == last && ts.is(first, tokName, "") {
		a, b, ok := c.pyAssigned(ts[first].text)
		if !ok {
			return false
		}
		first, last = a, b
	}
	switch {
	case ts.is(first, tokOp, "{"):
		return ts[first].match == last
	case ts.is(first, tokName, "dict") && ts.is(first+1, tokOp, "("):
		return ts[first+1].match == last
	}
	return false
}

// pyAssigned returns the token range of the value assigned to name at
// the start of a statement (name = value), the first such assignment.
func (c *codeFix) pyAssigned(name string) (int, int, bool) {
	ts := c.ts
	for i := range ts {
		if !ts.is(i, tokName, name) || !ts.is(i+1, tokOp, "=") || ts.is(i-1, tokOp, ".") || !c.newLineBefore(i) {
			continue
		}
		first := i + 2
		last := first
		for last+1 < len(ts) && !c.newLineBefore(last+1) {
			last++
		}
		// A bracket that opens on the line closes where it closes.
		for j := first; j <= last && j < len(ts); j++ {
			if ts[j].kind == tokOp && strings.Contains("([{", ts[j].text) && ts[j].match > last {
				last = ts[j].match
			}
		}
		if first < len(ts) {
			return first, min(last, len(ts)-1), true
		}
	}
	return 0, 0, false
}

// pyConfigCall reports whether the tokens first..last are a Config(...)
// call written whole (Config, botocore.config.Config), or None: a client
// configuration pyConfigHint reads.
func (c *codeFix) pyConfigCall(first, last int) bool {
	ts := c.ts
	if first == last && ts.is(first, tokName, "None") {
		return true
	}
	for j := first; j < last; j++ {
		if ts.is(j, tokName, "Config") && ts.is(j+1, tokOp, "(") {
			return ts[j+1].match == last
		}
		if !ts.is(j, tokName, "") && !ts.is(j, tokOp, ".") {
			return false
		}
	}
	return false
}

// pyConfigHint describes what in the tokens first..last (a Config(...)
// expression) says the client talks to a custom endpoint.
func (c *codeFix) pyConfigHint(first, last int) string {
	ts := c.ts
	for j := first; j <= last && j+2 < len(ts); j++ {
		key := ""
		if ts.is(j, tokName, "") || ts.is(j, tokString, "") {
			key = ts[j].text
		}
		// kw["endpoint_url"] = url and kw.setdefault("endpoint_url",
		// url) add it to a dict built empty (fix18).
		if key == "endpoint_url" && ts.is(j, tokString, "") && ts.is(j-1, tokOp, "[") && ts.is(j+1, tokOp, "]") && ts.is(j+2, tokOp, "=") && j+3 < len(ts) && !ts.is(j+3, tokName, "None") {
			return c.source(j-2, j+3)
		}
		if key == "endpoint_url" && ts.is(j, tokString, "") && ts.is(j-1, tokOp, "(") && ts.is(j-2, tokName, "setdefault") && ts.is(j+1, tokOp, ",") && !ts.is(j+2, tokName, "None") {
			return c.source(j-2, j+2)
		}
		if !ts.is(j+1, tokOp, ":") && !ts.is(j+1, tokOp, "=") {
			continue
		}
		switch {
		case key == "endpoint_url" && !ts.is(j+2, tokName, "None"):
			return c.source(j, j+2)
		case key == "addressing_style" && ts.is(j+2, tokString, "path"):
			return c.source(j, j+2) + ", path-style addressing"
		case key == "inject_host_prefix" && ts.is(j+2, tokName, "False"):
			return c.source(j, j+2)
		}
	}
	return ""
}

// pyFileEndpoint describes an endpoint_url given anywhere in the file (a
// keyword argument, a dict key, the AWS_ENDPOINT_URL variable): a session
// whose keys are removed may hand them to such a client.
func (c *codeFix) pyFileEndpoint() string {
	if d := c.pyEnvEndpoint(); d != "" {
		return d
	}
	return c.pyConfigHint(0, len(c.ts)-1)
}

// pyEnvEndpoint describes the AWS_ENDPOINT_URL variables named in the file
// (os.environ["AWS_ENDPOINT_URL_S3"] = ..., os.putenv): boto3 1.28 and later
// read them for every client.
func (c *codeFix) pyEnvEndpoint() string {
	ts := c.ts
	for j := range ts {
		if ts.is(j, tokString, "") && strings.HasPrefix(ts[j].text, "AWS_ENDPOINT_URL") {
			return c.source(j, j)
		}
	}
	return ""
}

// topLevel reports whether the call whose '(' is token o stands in a
// statement at the top of the module (its line is not indented).
func (c *codeFix) topLevel(o int) bool {
	at := c.ts[o].start
	ls := bytes.LastIndexByte(c.data[:at], '\n') + 1
	return ls < len(c.data) && c.data[ls] != ' ' && c.data[ls] != '\t'
}

// pyScript reports whether the module runs as a script (if __name__ ==
// "__main__"), which no other module imports.
func (c *codeFix) pyScript() bool {
	return bytes.Contains(c.data, []byte("__main__"))
}

// jsEndpointKeys are the options of AWS SDK for JavaScript clients that
// name a custom endpoint; the path-style ones are a hint of S3-compatible
// storage.
var jsEndpointKeys = map[string]bool{"endpoint": true, "endpointProvider": true, "forcePathStyle": true, "s3ForcePathStyle": true}

// jsEndpoint describes the custom endpoint of the SDK options object
// opened at o: an endpoint or endpointProvider property, or path-style
// addressing turned on, in the object or in an object of the file spread
// into it; a ...spread of an object keyscan cannot read in the file
// (imported, a parameter, built by a call); or an endpoint property set by
// assignment anywhere in the file, which may reach this client after it is
// built (s3.endpoint = ..., opts.endpoint = ... then {...opts}), or
// AWS_ENDPOINT_URL. Empty: none.
func (c *codeFix) jsEndpoint(o int) string {
	if d := c.jsEndpointOwn(o); d != "" {
		return d
	}
	for _, it := range c.ts.items(o) {
		if !c.ts.is(it[0], tokOp, "...") {
			continue
		}
		lit, ok := c.jsLocalObject(it[0]+1, it[1])
		if !ok {
			return "maybe: the options spread " + c.source(it[0], it[1]) + ", which keyscan cannot read in this file"
		}
		if d := c.jsEndpointOwn(lit); d != "" {
			return d + ", through " + c.source(it[0], it[1])
		}
	}
	return c.jsLateEndpoint()
}

// jsLocalObject returns the '{' of the object literal that tokens
// first..last are, or that the name they are is assigned in the file
// (const minio = { ... }): options keyscan reads whole.
func (c *codeFix) jsLocalObject(first, last int) (int, bool) {
	ts := c.ts
	if first <= last && ts.is(first, tokOp, "{") && ts[first].match == last {
		return first, true
	}
	if first != last || !ts.is(first, tokName, "") {
		return 0, false
	}
	name := ts[first].text
	for j := range ts {
		if ts.is(j, tokName, name) && ts.is(j+1, tokOp, "=") && ts.is(j+2, tokOp, "{") &&
			(ts.is(j-1, tokName, "const") || ts.is(j-1, tokName, "let") || ts.is(j-1, tokName, "var")) {
			return j + 2, true
		}
	}
	return 0, false
}

// jsLateEndpoint describes an endpoint set in the file after the options
// are written: an endpoint property assigned to (x.endpoint = ...,
// AWS.config.s3ForcePathStyle = true), new AWS.Endpoint(...), or the
// AWS_ENDPOINT_URL variables (process.env.AWS_ENDPOINT_URL_S3 = ..., read by
// the JavaScript SDK v3). Empty: none.
func (c *codeFix) jsLateEndpoint() string {
	ts := c.ts
	for j := range ts {
		if ts.is(j, tokOp, ".") && ts.is(j+1, tokName, "") && jsEndpointKeys[ts[j+1].text] && ts.is(j+2, tokOp, "=") &&
			!ts.is(j+3, tokName, "false") && !ts.is(j+3, tokName, "undefined") && !ts.is(j+3, tokName, "null") {
			first, last := j-1, min(j+3, len(ts)-1)
			for ts.is(first, tokName, "") && ts.is(first-1, tokOp, ".") && ts.is(first-2, tokName, "") {
				first -= 2
			}
			for last+1 < len(ts) && !c.newLineBefore(last+1) && !ts.is(last+1, tokOp, ";") {
				last++
			}
			return c.source(max(first, 0), last)
		}
		// opts["endpoint"] = url (fix18): the bracket form of the same.
		if ts.is(j, tokOp, "[") && ts.is(j+1, tokString, "") && jsEndpointKeys[ts[j+1].text] && ts.is(j+2, tokOp, "]") && ts.is(j+3, tokOp, "=") &&
			!ts.is(j+4, tokName, "false") && !ts.is(j+4, tokName, "undefined") && !ts.is(j+4, tokName, "null") {
			return c.source(max(j-1, 0), min(j+4, len(ts)-1))
		}
		if ts.is(j, tokName, "Endpoint") && ts.is(j+1, tokOp, "(") {
			switch {
			case ts.is(j-1, tokName, "new"):
				return c.source(j-1, min(ts[j+1].match, len(ts)-1))
			case ts.is(j-1, tokOp, ".") && ts.is(j-3, tokName, "new"):
				return c.source(j-3, min(ts[j+1].match, len(ts)-1))
			}
		}
		if (ts.is(j, tokName, "") || ts.is(j, tokString, "")) && strings.HasPrefix(ts[j].text, "AWS_ENDPOINT_URL") {
			return c.source(j, j)
		}
	}
	return ""
}

// jsFileEndpoint describes a custom endpoint set anywhere in the file: in
// any object literal (an SDK client's options, or a plain object spread
// into them), or set late (jsLateEndpoint). Global credentials
// (AWS.config) reach every client of the file.
func (c *codeFix) jsFileEndpoint() string {
	ts := c.ts
	for j := range ts {
		// Any object literal: options are often kept in a plain object
		// spread into the client's (const minio = { endpoint: ... };
		// new S3Client({ ...minio, credentials })).
		if ts.is(j, tokOp, "{") {
			if d := c.jsEndpointOwn(j); d != "" {
				return d
			}
		}
	}
	return c.jsLateEndpoint()
}

// jsEndpointOwn describes an endpoint property of the object opened at
// o itself.
func (c *codeFix) jsEndpointOwn(o int) string {
	ts := c.ts
	for _, it := range ts.items(o) {
		k := c.propKey(it[0])
		if k == "region" && it[1] == it[0]+2 && ts.is(it[0]+1, tokOp, ":") && ts.is(it[1], tokString, "") && foreignRegion(k, ts[it[1]].text) {
			return c.source(it[0], it[1]) + ", a region AWS does not have"
		}
		if !jsEndpointKeys[k] {
			continue
		}
		if it[1] == it[0] { // shorthand { endpoint }
			return c.source(it[0], it[1])
		}
		if !ts.is(it[0]+1, tokOp, ":") || it[1] < it[0]+2 {
			continue
		}
		v := it[0] + 2
		if it[1] == v && (ts.is(v, tokName, "undefined") || ts.is(v, tokName, "null") || ts.is(v, tokName, "false")) {
			continue
		}
		d := c.source(it[0], it[1])
		if strings.HasSuffix(k, "PathStyle") {
			d += ", path-style addressing"
		}
		return d
	}
	return ""
}

// jsGlobal reports whether the options object opened at o configures the
// SDK for every client (AWS.config.update, new AWS.Config).
func (c *codeFix) jsGlobal(o int) bool {
	chain, isNew := c.calleeChain(o - 1)
	return chain == "AWS.config.update" || isNew && (chain == "AWS.Config" || chain == "Config")
}

// jsOptionsEndpoint is the endpoint that keeps the keys in the options
// object opened at o: its own, or for global configuration any in the
// file.
func (c *codeFix) jsOptionsEndpoint(o int) string {
	if d := c.jsEndpoint(o); d != "" {
		return d
	}
	if c.jsGlobal(o) {
		return c.jsGlobalEndpoint()
	}
	return ""
}

// jsGlobalEndpoint is why credentials in AWS.config stay for a person:
// AWS.config is one object for the whole program (require("aws-sdk") is
// shared), so its keys reach every client of every module, and keyscan,
// which reads one file, cannot see that none talks to a custom endpoint.
func (c *codeFix) jsGlobalEndpoint() string {
	if d := c.jsFileEndpoint(); d != "" {
		return "AWS.config reaches every client of the file, and one has " + d
	}
	return "maybe: AWS.config reaches every client of the program, in other modules too, which keyscan does not see"
}

// In configuration files the endpoint is a setting of the same block as the
// key: an INI section (an rclone remote's endpoint, a .aws/config
// profile's endpoint_url, also nested under s3 =, s3cmd's host_base), a
// Terraform block (provider "aws" with endpoints {}, path-style S3 or
// skip_credentials_validation, the settings of LocalStack and MinIO), the
// YAML mapping that holds the key's list or map (a compose service's
// environment, a container's env), or the whole file for .env files,
// shell scripts, Dockerfiles, properties and JSON, whose variables all reach the
// same program. An endpoint on amazonaws.com (a VPC or FIPS endpoint) is
// still AWS and does not count.

// endpointSetting matches a setting whose name says it is an endpoint,
// with its value: AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, endpoint,
// endpoint_url, S3_ENDPOINT, s3cmd's host_base and host_bucket (where it
// sends a bucket's requests: %(bucket)s.minio.example.net), PowerShell's
// $env:AWS_ENDPOINT_URL = "…". A setting may stand inside another's
// value: systemd's Environment=AWS_ENDPOINT_URL=…, supervisord's
// environment=AWS_ENDPOINT_URL=…,B=… (qa21 H2: read as the setting
// Environment, the MinIO address was missed).
//
// A value that is a ${VAR} interpolation (compose, shell) is taken whole,
// its closing brace with it (qa14 LOW-3).
var endpointSetting = lazyre.New(`(?i)(?:^|[\s"'{,;=]|\$env:)["']?((?:[a-z0-9_.-]*endpoint[a-z0-9_.-]*)|host_base|host_bucket)["']?[ \t]*[=:][ \t]*("[^"\n]*"|'[^'\n]*'|\$\{[^}\s]*\}[^\s,;}]*|[^\s,;}]*)`)

// endpointName matches a Kubernetes/ECS name: entry that names an endpoint
// variable; its value: is on a line of the same entry.
var endpointName = lazyre.New(`(?i)\bname:[ \t]*["']?([a-z0-9_]*endpoint[a-z0-9_]*)["']?[ \t]*$`)

// pathStyleSetting matches a setting that asks for path-style S3
// addressing, which S3-compatible services (MinIO, Ceph, LocalStack) need
// and AWS has deprecated: Laravel's AWS_USE_PATH_STYLE_ENDPOINT=true,
// Outline's AWS_S3_FORCE_PATH_STYLE, forcePathStyle: true,
// s3.path-style-access=true, django-storages' AWS_S3_ADDRESSING_STYLE=path,
// with a true value or a variable (which may hold one). It is the hint the
// code rules take from boto3's addressing_style and the SDKs' forcePathStyle,
// and hclHint from Terraform's use_path_style, in the files of settings an
// endpoint setting is looked for in. pathStyleName is its Kubernetes form,
// a name: entry whose value: is on a line of the same entry.
var (
	pathStyleSetting = lazyre.New(`(?i)(?:^|[\s"'{,;])["']?([a-z0-9_.-]*(?:path[_.-]?style[a-z0-9_.-]*|addressing[_.-]?style))["']?[ \t]*[=:][ \t]*["']?(true|1|yes|on|path|\$\{?[a-z_][a-z0-9_]*\}?)["']?(?:$|[\s,;}])`)
	pathStyleName    = lazyre.New(`(?i)\bname:[ \t]*["']?([a-z0-9_]*(?:path_?style[a-z0-9_]*|addressing_?style))["']?[ \t]*$`)
)

// pathStyle reports whether the value v of the setting name asks for
// path-style addressing: path for an addressing style, a true value or a
// variable for a path-style switch.
func pathStyle(name, v string) bool {
	v = strings.ToLower(strings.Trim(strings.TrimSpace(v), `"'`))
	if strings.HasPrefix(v, "$") {
		return true
	}
	if n := strings.ToLower(name); strings.HasSuffix(strings.NewReplacer("_", "", ".", "", "-", "").Replace(n), "addressingstyle") {
		return v == "path"
	}
	return v == "true" || v == "1" || v == "yes" || v == "on"
}

// pathStyleAt describes the path-style setting of line l (its value: up
// to line last); "" when there is none.
func (e *editor) pathStyleAt(l, last int) string {
	s := e.text(l)
	for _, m := range pathStyleSetting.FindAllStringSubmatch(s, -1) {
		if pathStyle(m[1], m[2]) {
			return shorten(m[1] + " = " + m[2])
		}
	}
	if e.syn == Dockerfile {
		// ENV NAME value, the older form (review15 C-2).
		if m := legacyEnv.FindStringSubmatch(s); m != nil && pathStyleName.MatchString("name: "+m[1]) && pathStyle(m[1], m[2]) {
			return shorten(m[1] + " = " + strings.Trim(m[2], `"'`))
		}
	}
	if m := pathStyleName.FindStringSubmatch(s); m != nil && e.syn == YAML {
		for n := l + 1; n <= last && n < len(e.lines) && n <= l+3; n++ {
			if v, ok := strings.CutPrefix(strings.TrimSpace(e.text(n)), "value:"); ok && pathStyle(m[1], v) {
				return shorten(m[1] + " = " + strings.TrimSpace(v))
			}
		}
	}
	return ""
}

// endpointFlag matches the AWS CLI's --endpoint-url and the endpoint_url
// setting stored by aws configure set.
//
// endpointElem and endpointItem match a flag named for an endpoint (the
// AWS CLI's --endpoint-url, Loki's -s3.endpoint, an app's --s3-endpoint)
// as an element of a command's list, its value the next element (in flow
// style, or the next item line); endpointArg such a flag followed by its
// value after a blank in a command line (qa14 MEDIUM-4).
var (
	endpointElem = lazyre.New(`(?i)["']?(-{1,2}[a-z0-9_.-]*endpoint[a-z0-9_.-]*)["']?[ \t]*,[ \t]*("[^"\n]*"|'[^'\n]*'|[^\s,\]]+)`)
	endpointItem = lazyre.New(`(?i)^[ \t]*-[ \t]+["']?(-{1,2}[a-z0-9_.-]*endpoint[a-z0-9_.-]*)["']?[ \t]*$`)
	endpointArg  = lazyre.New(`(?i)(?:^|[\s"'\[,])(-{1,2}[a-z0-9_.-]*endpoint[a-z0-9_.-]*)[ \t]+("[^"\n]*"|'[^'\n]*'|[^\s;&|,\]]+)`)
)

// flagEndpoint reports whether v, the value given to flag (a flag named
// for an endpoint) as the next word or element, names where a service is
// reached: for the AWS CLI's --endpoint-url any custom endpoint
// (endpointValue); for another program's flag one that is not another flag
// and looks like a URL or a host (dotted, or with a port or a path) or is
// a variable (which may hold one), not a mode word (--endpoint-mode vip).
func flagEndpoint(flag, v string) bool {
	v = strings.Trim(strings.TrimSpace(v), `"'`)
	if !endpointValue(v) {
		return false
	}
	if strings.EqualFold(flag, "--endpoint-url") {
		return true
	}
	return !strings.HasPrefix(v, "-") && (strings.ContainsAny(v, ".:/$") || strings.Contains(v, "{{"))
}

var endpointFlag = lazyre.New(`(?i)(--endpoint-url[= \t]+|configure[ \t]+set[ \t]+[a-z0-9_.-]*endpoint_url[ \t]+)("[^"\n]*"|'[^'\n]*'|[^\s;&|]+)`)

// s3cmdHost matches s3cmd's --host and --host-bucket with their values,
// read on a line that runs s3cmd: other programs' --host is no S3 address.
var s3cmdHost = lazyre.New(`(?i)(--host(?:-bucket)?[= \t]+)("[^"\n]*"|'[^'\n]*'|[^\s;&|]+)`)

// mcAlias matches MinIO's client giving an alias its server's address
// (mc alias set NAME URL KEY SECRET; before 2021, mc config host add NAME
// URL ...), with the address: the keys that follow go to that server,
// whatever file runs the command (qa21 H4: a package.json script).
var mcAlias = lazyre.New(`(?i)\b(mc(?:li)?(?:\.exe)?[ \t]+(?:alias[ \t]+set|config[ \t]+host[ \t]+add)[ \t]+[^\s"'\\]+)[ \t]+("[^"\n]*"|'[^'\n]*'|[^\s;&|"'\\]+)`)

// hclHint matches Terraform settings of S3-compatible services, in the
// aws provider and the S3 backend: the endpoints block (endpoints { }) and
// the attribute map of Terraform 1.6's backend (endpoints = { }), the block
// made by a dynamic "endpoints" (set only in some runs: the keys stay), path-style
// addressing (s3_use_path_style, s3_force_path_style, the backend's
// use_path_style and force_path_style), and the checks only AWS answers
// (skip_credentials_validation, skip_requesting_account_id).
var hclHint = lazyre.New(`(?m)^[ \t]*((?:dynamic[ \t]+"endpoints"|endpoints)[ \t]*(?:=[ \t]*)?\{|(?:s3_use_path_style|s3_force_path_style|use_path_style|force_path_style|skip_credentials_validation|skip_requesting_account_id)[ \t]*=[ \t]*[^\s#][^#\n]*)`)

// endpointValue reports whether v (a setting's value) names a custom
// endpoint: not empty, not a null or a boolean (AWS's own
// use_fips_endpoint and use_dualstack_endpoint), not on amazonaws.com.
func endpointValue(v string) bool {
	v = strings.Trim(strings.TrimSpace(v), `"'`)
	switch strings.ToLower(v) {
	case "", "none", "null", "~", "false", "undefined", "true", "yes", "no", "on", "off", "0", "1":
		return false // a boolean: use_fips_endpoint = true, use_dualstack_endpoint = true
	}
	if strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") || strings.HasPrefix(v, "!") {
		return false // a nested object or a YAML tag (CloudFormation's !GetAtt DB.Endpoint)
	}
	return !strings.Contains(strings.ToLower(v), "amazonaws.com")
}

// endpointIn describes the first custom endpoint set in lines first..last.
func (e *editor) endpointIn(first, last int) string {
	k := [2]int{first, last}
	if d, ok := e.endpoints[k]; ok {
		return d
	}
	d := e.findEndpoint(first, last)
	if e.endpoints == nil {
		e.endpoints = map[[2]int]string{}
	}
	e.endpoints[k] = d
	return d
}

// findEndpoint is endpointIn unmemoised. Its expressions run only on the
// lines that hold the words they need (lineWords): a big file of the
// project that sets no endpoint is read at the speed of one keyword scan,
// not of a dozen expressions a line (fix28: 8 MB took 5.6 CPU s).
func (e *editor) findEndpoint(first, last int) string {
	maybe := "" // the first endpoint of another cloud's client
	style := "" // the first path-style setting: told when no address is
	for l := first; l <= last && l < len(e.lines); l++ {
		w := e.lineWords(l)
		if w&(wordsEndpoint|wordsHCL|wordsMC|wordsS3cmd|wordsPathStyle) == 0 {
			continue
		}
		s := e.text(l)
		if e.syn == HCL && w&wordsHCL != 0 {
			if m := hclHint.FindStringSubmatch(s); m != nil && hclOn(m[1]) {
				d := m[1]
				if strings.HasSuffix(d, "{") {
					d += "...}"
				}
				return shorten(d)
			}
		}
		// Besides its word, each expression needs the characters it
		// spells out: a name: entry a colon, a setting = or :, a flag a
		// dash.
		sep, dash := strings.ContainsAny(s, "=:"), strings.IndexByte(s, '-') >= 0
		if w&wordsEndpoint != 0 {
			if e.syn == YAML && sep {
				if m := endpointName.FindStringSubmatch(s); m != nil {
					for n := l + 1; n <= last && n < len(e.lines) && n <= l+3; n++ {
						t := strings.TrimSpace(e.text(n))
						if v, ok := strings.CutPrefix(t, "value:"); ok && endpointValue(v) {
							if d := shorten(m[1] + " = " + strings.TrimSpace(v)); !otherCloud(m[1]) {
								return d
							} else if maybe == "" {
								maybe = d
							}
						}
					}
				}
			}
			for _, m := range endpointFlag.FindAllStringSubmatch(s, -1) {
				if endpointValue(m[2]) {
					return shorten(m[1] + strings.Trim(m[2], `"'`))
				}
			}
		}
		if w&wordsMC != 0 { // mcAlias's case-blind precheck
			for _, m := range mcAlias.FindAllStringSubmatch(s, -1) {
				if endpointValue(m[2]) {
					return shorten(m[1] + " " + strings.Trim(m[2], `"'`))
				}
			}
		}
		if w&wordsS3cmd != 0 && strings.Contains(strings.ToLower(s), "s3cmd") {
			// s3cmd's flags for host_base and host_bucket (qa19 H2), on
			// a line that runs s3cmd as strings.ToLower spells it (the
			// keyword scan also takes ſ for s).
			for _, m := range s3cmdHost.FindAllStringSubmatch(s, -1) {
				if endpointValue(m[2]) {
					return shorten(m[1] + strings.Trim(m[2], `"'`))
				}
			}
		}
		if w&wordsEndpoint != 0 && dash {
			// The flag as an element of a command's list (compose's
			// command: ["--endpoint-url", "http://minio:9000", ...], or
			// one item a line), its value the next element (qa11
			// MEDIUM-3).
			for _, m := range endpointElem.FindAllStringSubmatch(s, -1) {
				if flagEndpoint(m[1], m[2]) {
					return shorten(m[1] + " " + strings.Trim(m[2], `"'`))
				}
			}
			if m := endpointItem.FindStringSubmatch(s); m != nil && l+1 <= last && l+1 < len(e.lines) {
				if v, ok := strings.CutPrefix(strings.TrimSpace(e.text(l+1)), "-"); ok && flagEndpoint(m[1], v) {
					return shorten(m[1] + " " + strings.Trim(strings.TrimSpace(v), `"'`))
				}
			}
			for _, m := range endpointArg.FindAllStringSubmatch(s, -1) {
				if flagEndpoint(m[1], m[2]) {
					return shorten(m[1] + " " + strings.Trim(m[2], `"'`))
				}
			}
		}
		if w&wordsEndpoint != 0 && sep {
			for _, m := range endpointSetting.FindAllStringSubmatch(s, -1) {
				if endpointValue(m[2]) {
					if d := shorten(m[1] + " = " + strings.Trim(m[2], `"'`)); !otherCloud(m[1]) {
						return d
					} else if maybe == "" {
						maybe = d
					}
				}
			}
		}
		if style == "" && e.syn != HCL && w&wordsPathStyle != 0 { // hclHint reads Terraform's own path-style settings
			style = e.pathStyleAt(l, last)
		}
	}
	// Then the settings under names keyscan does not know as an
	// endpoint's, once no known one is found.
	// An address first (Velero's s3Url), then a service named by a word
	// (region: minio, STORAGE_PROVIDER=minio).
	word := ""
	for l := first; l <= last && l < len(e.lines); l++ {
		if !e.mayNameStorage(l, last) {
			continue
		}
		if d, name := e.storageSetting(l, last); d != "" {
			if weak := !strings.HasSuffix(d, looksLikeEndpoint); weak && !otherCloud(name) {
				if word == "" {
					word = d
				}
			} else if !otherCloud(name) {
				return d
			} else if maybe == "" {
				maybe = d
			}
		}
	}
	if style != "" {
		return style
	}
	if word != "" {
		return word
	}
	if d := e.metadataOffIn(first, last); d != "" {
		return d
	}
	if maybe != "" {
		// GCS_ENDPOINT=https://storage.googleapis.com beside AWS keys: most
		// likely that cloud's own client, but keys under AWS names are
		// also what a boto3 client of Google's S3-compatible API takes
		// (qa12 MEDIUM-12). keyscan reports the secret as AWS's, and fix,
		// which must never hand another service's client to the instance
		// role, keeps them saying so.
		return "maybe: " + maybe + " is the endpoint of another cloud's client, which may be the one these keys are for"
	}
	return ""
}

// otherClouds are words of a setting name that name a cloud with clients
// and credentials of its own (scanner/foreign.go holds the same list).
var otherClouds = []string{"gcs", "gcp", "google", "azure", "aliyun", "alibaba", "tencent", "huawei", "oracle", "yandex"}

// otherCloud reports whether a setting name names another cloud
// (GCS_ENDPOINT, AZURE_STORAGE_URL).
func otherCloud(name string) bool {
	n := strings.ToLower(name)
	for _, w := range otherClouds {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// anySetting matches a setting of any name with its value (NAME=value,
// name: value, "name": "value"), and legacyEnv a Dockerfile's ENV or ARG in
// its older form (ENV NAME value).
var (
	anySetting = lazyre.New(`(?:^|[\s"'{,;])["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*[=:][ \t]*("[^"\n]*"|'[^'\n]*'|[^\s,;}]+)`)
	legacyEnv  = lazyre.New(`(?i)^[ \t]*(?:ENV|ARG)[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]+([^\s=][^\s]*)[ \t]*$`)
	yamlName   = lazyre.New(`(?i)\bname:[ \t]*["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*$`)
)

// storageSetting describes a setting of line l (and returns its name) (up to line last, for a
// Kubernetes name: whose value: follows) whose name keyscan does not know
// as an endpoint's but that looks like where an S3-compatible service is
// reached (fixk8s's leftover: STORAGE_URL=http://minio:9000, ENV S3_HOST
// minio.local, BLOB_STORE: http://localstack:4566); see storageEndpoint.
func (e *editor) storageSetting(l, last int) (desc, name string) {
	s := e.text(l)
	for _, m := range anySetting.FindAllStringSubmatch(s, -1) {
		if d := storageDesc(m[1], m[2]); d != "" {
			return d, m[1]
		}
	}
	if e.syn == Dockerfile {
		if m := legacyEnv.FindStringSubmatch(s); m != nil {
			if d := storageDesc(m[1], m[2]); d != "" {
				return d, m[1]
			}
		}
	}
	if m := yamlName.FindStringSubmatch(s); m != nil && e.syn == YAML {
		// The value: of the same entry, on the next line.
		if n := l + 1; n <= last && n < len(e.lines) {
			if v, ok := strings.CutPrefix(strings.TrimSpace(e.text(n)), "value:"); ok {
				if d := storageDesc(m[1], v); d != "" {
					return d, m[1]
				}
			}
		}
	}
	return "", ""
}

// storageDesc describes the setting name = v when it looks like where an
// S3-compatible service is reached (storageEndpoint) or names one
// (providerSetting); "" otherwise.
func storageDesc(name, v string) string {
	set := shorten(name + " = " + strings.Trim(strings.TrimSpace(v), `"'`))
	switch {
	case storageEndpoint(name, v):
		return set + looksLikeEndpoint
	case providerSetting(name, v):
		return set + namesService
	case foreignRegion(name, v):
		return set + ", a region AWS does not have (an S3-compatible service's: R2's auto, Spaces' nyc3)"
	}
	return ""
}

// looksLikeEndpoint ends the description of a setting whose value looks
// like an S3-compatible service's address (storageEndpoint).
const looksLikeEndpoint = ", whose value looks like an S3-compatible service's endpoint"

// namesService ends the description of a setting that names an
// S3-compatible service by a word (providerSetting).
const namesService = ", which names an S3-compatible service other than AWS"

// imageSetting matches a container's image (image: minio/minio,
// "image": "localstack/localstack:3", in block or flow style).
var imageSetting = lazyre.New(`(?:^|[\s{,"'-])["']?image["']?[ \t]*:[ \t]*["']?([A-Za-z0-9][A-Za-z0-9._/:@-]*)`)

// s3Images are words that open a path component of the image of an
// S3-compatible server or its client (quay.io/minio/minio, minio/mc,
// bitnami/minio-client, localstack/localstack, chrislusf/seaweedfs,
// ceph/daemon, dxflrs/garage, zenko/cloudserver, andrewgaul/s3proxy,
// motoserver/moto, adobe/s3mock).
var s3Images = []string{"minio", "localstack", "seaweedfs", "ceph", "garage", "zenko", "cloudserver", "s3proxy", "moto", "s3mock", "s3server"}

// imageEndpoint describes the image of an S3-compatible server among
// lines first..last (a container that runs MinIO or LocalStack: keys it
// is given are that service's); "" when none.
func (e *editor) imageEndpoint(first, last int) string {
	for l := first; l <= last && l < len(e.lines); l++ {
		if m := imageSetting.FindStringSubmatch(e.text(l)); m != nil && s3Image(m[1]) {
			return shorten("image "+m[1]) + ", an S3-compatible service"
		}
	}
	return ""
}

// s3Image reports whether image (name[:tag][@digest]) is one of an
// S3-compatible server or client.
func s3Image(image string) bool {
	image = strings.ToLower(image)
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	parts := strings.Split(image, "/")
	if last := parts[len(parts)-1]; strings.Contains(last, ":") {
		parts[len(parts)-1] = last[:strings.IndexByte(last, ':')]
	}
	for k, p := range parts {
		if k == 0 && len(parts) > 1 && strings.ContainsAny(p, ".:") {
			continue // a registry's host
		}
		for _, w := range s3Images {
			if p == w || strings.HasPrefix(p, w+"-") || strings.HasPrefix(p, w+"_") {
				return true
			}
		}
	}
	return false
}

// storageWords and storageHosts tell an object storage setting: a name
// that holds one of storageWords (S3_HOST, STORAGE_URL, MINIO_SERVER), or
// a host that holds one of storageHosts; storagePorts are the ports
// MinIO, LocalStack, Ceph's RADOS gateway, SeaweedFS and Garage listen on.
var (
	storageNameWords = []string{"s3", "storage", "minio", "bucket", "object", "blob", "spaces", "wasabi", "r2", "b2", "ceph", "localstack", "rgw", "seaweed"}
	storageHosts     = []string{"minio", "localstack", "ceph", "rgw", "seaweed", "garage", "wasabi", "cloudflarestorage", "storage.googleapis",
		"digitaloceanspaces", "backblazeb2", "linodeobjects", "scw.cloud", "aliyuncs", "s3"}
	storagePorts = []string{"9000", "9001", "4566", "4572", "7480", "8333", "3900"}
)

// storageEndpoint reports whether a setting named name whose value is v
// looks like the endpoint of an S3-compatible service: a URL (http, https
// or s3) or a host (with a port, or dotted) that is not AWS's, under a name
// with a storage word, or whose host names such a service or listens on
// one's port. An API_URL=http://localhost:3000 beside the keys says
// nothing of them.
func storageEndpoint(name, v string) bool {
	v = strings.ToLower(strings.Trim(strings.TrimSpace(v), `"'`))
	if !endpointValue(v) || strings.Contains(v, "$") || strings.Contains(v, "{{") {
		return false
	}
	scheme := ""
	for _, p := range []string{"http://", "https://"} {
		if strings.HasPrefix(v, p) {
			scheme, v = p, v[len(p):]
		}
	}
	host := v
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host = host[at+1:]
	}
	hostname, port, _ := strings.Cut(host, ":")
	if rest, ok := strings.CutPrefix(host, "["); ok { // an IPv6 literal: [fd00::5]:9000
		inner, after, closed := strings.Cut(rest, "]")
		if !closed || inner == "" || strings.Trim(inner, "0123456789abcdef:.") != "" {
			return false
		}
		hostname, port = "ipv6", strings.TrimPrefix(after, ":")
	}
	if hostname == "" || strings.Trim(hostname, "abcdefghijklmnopqrstuvwxyz0123456789.-") != "" {
		return false
	}
	if strings.Trim(port, "0123456789") != "" {
		return false // s3sync.cli:main, a Python entry point (module:function), no host and port (qa31 F10)
	}
	if scheme == "" && port == "" && (!strings.Contains(hostname, ".") || isVersion(hostname)) {
		return false // a word, a version or a number, not a host (127.0.0.1:9000 and http://10.0.0.5 are hosts: qa16 HIGH-23)
	}
	if scheme == "" && port == "" && fileName(name, hostname) {
		return false // env_file: s3.env, a file's name (fixqa14's leftover)
	}
	n := strings.ToLower(name)
	for _, w := range storageNameWords {
		if strings.Contains(strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(n), w) && nameHasWord(n, w) {
			return true
		}
	}
	for _, h := range storageHosts {
		if strings.Contains(hostname, h) {
			return true
		}
	}
	return slices.Contains(storagePorts, port)
}

// fileExts are the extensions of the files a setting names (env_file:
// s3.env, config: minio.yaml), which read as dotted hosts otherwise.
var fileExts = []string{"env", "yaml", "yml", "json", "toml", "ini", "cfg", "conf", "properties", "txt", "sh", "py", "js", "ts",
	"pem", "crt", "key", "tf", "tfvars", "xml", "log", "csv", "tpl", "template", "j2", "local", "example", "sample", "bak"}

// fileName reports whether a setting called name whose value is v (a
// bare dotted word, no scheme or port) names a file, not a host: its
// name says file, path or dir (env_file, CONFIG_PATH), or v ends in a
// file's extension.
func fileName(name, v string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"file", "path", "dir"} {
		if strings.HasSuffix(n, w) || strings.HasSuffix(n, w+"s") {
			return true
		}
	}
	return slices.Contains(fileExts, v[strings.LastIndexByte(v, '.')+1:])
}

// nameHasWord reports whether w is a word of the setting name n (split at
// _, -, . and case changes are ignored: n is lower case): s3 in S3_HOST,
// not in "as3x".
func nameHasWord(n, w string) bool {
	for _, part := range strings.FieldsFunc(n, func(r rune) bool { return r == '_' || r == '-' || r == '.' }) {
		if part == w || strings.HasPrefix(part, w) && len(w) > 2 || strings.HasSuffix(part, w) && len(w) > 2 {
			return true
		}
	}
	return false
}

// isVersion reports whether s is made of digits and dots only.
func isVersion(s string) bool {
	return strings.Trim(s, "0123456789.") == ""
}

// endpointScope describes the custom endpoint set in the block of the
// line that holds f, per syntax (see above); empty when there is none.
func (e *editor) endpointScope(f scanner.Finding) string {
	if len(e.lines) > 0 && e.syn == INI {
		return e.iniEndpoint(e.lineAt(f.Offset))
	}
	first, last, ok := e.settingScope(f)
	if !ok {
		return ""
	}
	if d := e.endpointIn(first, last); d != "" || e.syn != YAML {
		return d
	}
	return e.mergedIn(first, last)
}

// settingScope returns the lines whose settings reach the client of the
// setting that holds f, per syntax (see above); ok is false for a syntax
// with none.
func (e *editor) settingScope(f scanner.Finding) (first, last int, ok bool) {
	if len(e.lines) == 0 {
		return 0, 0, false
	}
	i := e.lineAt(f.Offset)
	switch e.syn {
	case INI:
		first, last := max(e.iniSection(i), 0), i
		for last+1 < len(e.lines) && !strings.HasPrefix(strings.TrimSpace(e.text(last+1)), "[") {
			last++
		}
		return first, last, true
	case HCL:
		first, last := e.hclBlock(i)
		return first, last, true
	case YAML:
		first, last := e.yamlScope(i)
		return first, last, true
	case Env, Dockerfile, Properties, JSON:
		return 0, len(e.lines) - 1, true
	}
	return 0, 0, false
}

// metadataOff matches AWS_EC2_METADATA_DISABLED set to true or to a
// variable (which may hold true), and metadataOffName its Kubernetes form
// (name: then value: on a line of the same entry). Every AWS SDK and the
// CLI read it: with it, none asks the instance metadata service, so the
// instance role gives a program without keys no credentials at all.
var (
	metadataOff     = lazyre.New(`(?i)(?:^|[\s"'{,;])["']?AWS_EC2_METADATA_DISABLED["']?[ \t]*[=:][ \t]*["']?(true|\$\{?[a-z_][a-z0-9_]*\}?)["']?(?:$|[\s,;}])`)
	metadataOffName = lazyre.New(`(?i)\bname:[ \t]*["']?AWS_EC2_METADATA_DISABLED["']?[ \t]*$`)
)

// metadataOffVar is the variable that turns every SDK's instance
// metadata client off.
const metadataOffVar = "AWS_EC2_METADATA_DISABLED"

// metadataOffIn describes the AWS_EC2_METADATA_DISABLED setting in lines
// first..last; "" when there is none. findEndpoint gives it last: the
// rules that look for a client's endpoint in other files (a compose
// service, a container, a script) hold the keys for it too, and
// customEndpoint says why.
func (e *editor) metadataOffIn(first, last int) string {
	for l := first; l <= last && l < len(e.lines); l++ {
		if e.lineWords(l)&wordsMetadataOff == 0 {
			continue
		}
		s := e.text(l)
		if m := metadataOff.FindStringSubmatch(s); m != nil {
			return "AWS_EC2_METADATA_DISABLED = " + m[1]
		}
		if e.syn == Dockerfile {
			// ENV AWS_EC2_METADATA_DISABLED true, the older form (review15 C-2).
			if m := legacyEnv.FindStringSubmatch(s); m != nil && strings.EqualFold(m[1], metadataOffVar) {
				if v := strings.Trim(m[2], `"'`); strings.EqualFold(v, "true") || strings.HasPrefix(v, "$") {
					return "AWS_EC2_METADATA_DISABLED = " + v
				}
			}
		}
		if metadataOffName.MatchString(s) && e.syn == YAML {
			for n := l + 1; n <= last && n < len(e.lines) && n <= l+3; n++ {
				v, isValue := strings.CutPrefix(strings.TrimSpace(e.text(n)), "value:")
				if v = strings.Trim(strings.TrimSpace(v), `"'`); isValue && (strings.EqualFold(v, "true") || strings.HasPrefix(v, "$")) {
					return "AWS_EC2_METADATA_DISABLED = " + v
				}
			}
		}
	}
	return ""
}

// metadataOffReason is the reason a key stays when its program is told
// not to ask the instance metadata service (what: where).
func metadataOffReason(what string) string {
	if strings.Contains(what, cannotTell) {
		return "the program's settings may turn the instance metadata service off (" + what + "): if they do, the SDK does not ask it, " +
			"so without the keys the program has no credentials; check it, then remove the keys by hand (with that setting, if it is set)."
	}
	return "the program's settings turn the instance metadata service off (" + what + "): the SDK does not ask it, so without " +
		"the keys the program has no credentials; remove that setting and the keys together by hand."
}

// hclBlock returns the lines of the outermost block around line i (a
// provider, a resource); the whole file when i is at the top level.
func (e *editor) hclBlock(i int) (int, int) {
	depth := e.hclDepths()
	if depth[i] <= 0 {
		return 0, len(e.lines) - 1
	}
	first := i
	for first > 0 && depth[first] > 0 {
		first--
	}
	last := i
	for last+1 < len(e.lines) && depth[last+1] > 0 {
		last++
	}
	return first, last
}

// hclDepths returns the number of braces open at the start of each line,
// counting braces outside strings and comments line by line.
func (e *editor) hclDepths() []int {
	depth := make([]int, len(e.lines)+1)
	for l := range e.lines {
		d := depth[l]
		s := e.text(l)
		var q bool
		for k := 0; k < len(s); k++ {
			c := s[k]
			switch {
			case q:
				if c == '\\' {
					k++
				} else if c == '"' {
					q = false
				}
			case c == '"':
				q = true
			case c == '#' || c == '/' && k+1 < len(s) && s[k+1] == '/':
				k = len(s)
			case c == '{':
				d++
			case c == '}':
				d--
			}
		}
		depth[l+1] = d
	}
	return depth
}

// yamlScope returns the lines of the mapping that holds line i's list or
// map: up from i to the first ancestor that is not a list item, and its
// block.
func (e *editor) yamlScope(i int) (int, int) {
	ind := func(l int) (int, bool) { return indentOf(e.text(l)), e.isContent(l) }
	cur, ok := ind(i)
	if !ok {
		return i, i
	}
	a := i
	for level := 0; level < 2; {
		p := a - 1
		for p >= 0 {
			if n, ok := ind(p); ok && n < cur {
				break
			}
			p--
		}
		if p < 0 {
			return 0, len(e.lines) - 1
		}
		a = p
		cur, _ = ind(p)
		if !strings.HasPrefix(strings.TrimSpace(e.text(p)), "- ") {
			level++
		}
	}
	last := a
	for last+1 < len(e.lines) {
		if n, ok := ind(last + 1); ok && n <= cur {
			break
		}
		last++
	}
	return a, last
}
