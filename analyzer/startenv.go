package analyzer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/awsregion"
	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/internal/plist"
	"github.com/keyscan/keyscan/internal/winsw"
)

// The program's start environment is written down beside the module as
// often as in code: the Dockerfile that builds and runs the binary (ENV
// AWS_ENDPOINT_URL=http://minio.internal:9000), the compose file that
// starts it (environment: AWS_ENDPOINT_URL: …), a .env that docker compose,
// direnv or the IDE loads (qa15 HIGH-6). aws-sdk-go-v2 reads those
// variables, so such a file beside the package, or in a folder between it
// and the module root, withholds the v2 fix as an os.Setenv of the
// package does. The files are read as text: a setting anywhere in one
// counts, whichever service or stage it belongs to (when in doubt the
// keys stay).

// startEnvSetting matches a variable of the start environment that points
// the SDK at another endpoint or another shared-config profile or file, or
// turns its instance metadata client off (the fix's ec2rolecreds would then
// have no credentials), and its value: NAME=value, NAME: value, ENV NAME
// value, and make's NAME?=value, NAME:=value, NAME::=value, NAME+=value,
// NAME!=command, with or without blanks (qa25 M4).
var startEnvSetting = lazyre.New(`(?m)\b(` + startEnvNames + `)["']?(?:[ \t]*(?:[?+!]?=|:{1,3}=|[=:])[ \t]*|[ \t]+)["']?([^\s"'#,}\]]*)`)

// startEnvName matches one of startEnvNames whole: a property list's key.
var startEnvName = lazyre.New(`^(?:` + startEnvNames + `)$`)

// startEnvNames are the variables startEnvSetting reads.
const startEnvNames = `AWS_ENDPOINT_URL\w*|AWS_PROFILE|AWS_CONFIG_FILE|AWS_SHARED_CREDENTIALS_FILE|AWS_EC2_METADATA_DISABLED|AWS_REGION|AWS_DEFAULT_REGION`

// maxStartFile bounds the size of a start-environment file read.
const maxStartFile = 1 << 20

// startEnvFile reports whether a file of this name (base name) sets a
// program's start environment: fix.StartEnvFile's (a Dockerfile or
// Containerfile by any of its names, a dotenv file not an example of one,
// direnv's .envrc), which keyscan fix reads too, or a compose file; a
// template of one (docker-compose.yml.j2) counts as the file.
func startEnvFile(name string) bool {
	return fix.StartEnvFile(name) || composeFile(fix.TemplateBase(name))
}

// startEnvironment returns, marked, the first setting of the start
// environment found in the files (startEnvFile) of the package's folder
// dir and of the folders above it up to the module root; "" when none.
// An endpoint on amazonaws.com and an empty value do not count.
func (c *checker) startEnvironment(dir string, keep settingFilter) string {
	if c.root == "" || dir == "" {
		return ""
	}
	rel, err := filepath.Rel(c.root, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	for d := dir; ; d = filepath.Dir(d) {
		ents, _ := os.ReadDir(d)
		var names []string
		for _, de := range ents {
			if de.Type().IsRegular() && startEnvFile(de.Name()) {
				names = append(names, de.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			p := filepath.Join(d, n)
			if st, err := os.Stat(p); err != nil || st.Size() > maxStartFile {
				continue
			}
			rel := filepath.Base(p)
			if r, err := filepath.Rel(c.root, p); err == nil {
				rel = filepath.ToSlash(r)
			}
			if why := envFileSetting(c.readFile(p), rel, "the environment the program is started with", keep); why != "" {
				return why
			}
		}
		if filepath.Clean(d) == filepath.Clean(c.root) || filepath.Dir(d) == d {
			return ""
		}
	}
}

// startEnvPair matches a variable of startEnvSetting given as a name and a
// value apart, as Kubernetes (env: - name: AWS_ENDPOINT_URL / value: …),
// ECS task definitions ({"name": "…", "value": "…"}) and Helm values write
// it; valueFrom (a Secret's or ConfigMap's value) counts as a value that
// cannot be read.
var startEnvPair = regexp.MustCompile(`(?m)\bname["']?[ \t]*[:=][ \t]*["']?(` + startEnvNames + `)["']?[ \t]*,?[ \t]*(?:\r?\n[ \t]*)?["']?value(From)?["']?[ \t]*[:=][ \t]*["']?([^\s"'#,}\]]*)`)

// sharedConfigEndpoint matches an endpoint_url setting, as the SDK's shared
// config file (~/.aws/config) writes it, under a profile or a services
// section, and its value. A project that keeps such a file for its MinIO or
// LocalStack (copied into the image, mounted by compose) points the v2 SDK
// there with no variable set anywhere (fix26), so any settings file of the
// module that holds one counts; an app's own configuration that names its
// endpoint so counts too, as it may be handed to the client.
var sharedConfigEndpoint = lazyre.New(`(?m)^[ \t]*endpoint_url[ \t]*[=:][ \t]*["']?([^\s"'#;,}\]]*)`)

// tfEndpoints matches a Terraform AWS provider's endpoints block (endpoints
// { s3 = "http://localhost:4566" }, or endpoints = { … } in a backend), with
// its body; tfEndpointValue a service's endpoint in it. A project whose
// infrastructure code talks to LocalStack or MinIO most likely runs its
// programs against it too, their endpoint set where keyscan cannot read it
// (tflocal, the shell).
var (
	tfEndpoints     = lazyre.New(`(?m)^[ \t]*endpoints[ \t]*=?[ \t]*\{([^{}]*)\}`)
	tfEndpointValue = lazyre.New(`(?m)^[ \t]*([A-Za-z0-9_]+)[ \t]*=[ \t]*"([^"\n]*)"`)
)

// envFileSetting returns, marked, the first setting of startEnvSetting,
// startEnvPair or a property list's pair in the file b (named rel, of the kind what, for the
// message) that keep keeps, or "". An endpoint on amazonaws.com, an empty value, a region
// AWS has and AWS_EC2_METADATA_DISABLED other than true do not count.
func envFileSetting(b []byte, rel, what string, keep settingFilter) string {
	if plist.Binary(b) {
		if why := endpointMark + "AWS_ENDPOINT_URL, named in " + rel + " (" + what + "), a binary property list whose value keyscan does not read"; plist.BinaryNames(b, "AWS_ENDPOINT_URL") && keep.keeps(why) {
			return why
		}
		return ""
	}
	if !bytes.Contains(b, []byte("AWS_")) && !bytes.Contains(b, []byte("endpoint_url")) && !bytes.Contains(b, []byte("endpoints")) {
		return ""
	}
	type hit struct {
		at      int
		name, v string
	}
	var hits []hit
	scan := b // what the expressions read
	if winsw.Service(b) {
		// A WinSW service's <env name=… value=…/>: read as elements, since
		// startEnvSetting would take value= for the value (fix29).
		for _, v := range winsw.Vars(b) {
			if startEnvName.MatchString(v.Name) {
				hits = append(hits, hit{v.Offset, v.Name, v.Value})
			}
		}
		scan = nil
	}
	for _, m := range startEnvSetting.FindAllSubmatchIndex(scan, -1) {
		hits = append(hits, hit{m[0], string(b[m[2]:m[3]]), string(b[m[4]:m[5]])})
	}
	for _, m := range sharedConfigEndpoint.FindAllSubmatchIndex(scan, -1) {
		hits = append(hits, hit{m[0], "endpoint_url", string(b[m[2]:m[3]])})
	}
	for _, pr := range plist.Pairs(scan) { // a launchd job's EnvironmentVariables
		if startEnvName.MatchString(pr.Key) {
			hits = append(hits, hit{pr.Offset, pr.Key, pr.Value})
		}
	}
	for _, m := range tfEndpoints.FindAllSubmatchIndex(scan, -1) {
		for _, e := range tfEndpointValue.FindAllSubmatch(b[m[2]:m[3]], -1) {
			hits = append(hits, hit{m[0], "endpoints { " + string(e[1]) + " }", string(e[2])})
		}
	}
	for _, m := range startEnvPair.FindAllSubmatchIndex(scan, -1) {
		v := string(b[m[6]:m[7]])
		if m[4] >= 0 {
			v = "$valueFrom" // set from elsewhere: cannot be read
		}
		hits = append(hits, hit{m[0], string(b[m[2]:m[3]]), v})
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	for _, h := range hits {
		name, v := h.name, h.v
		if v == "" || strings.Contains(strings.ToLower(v), "amazonaws.com") {
			continue
		}
		if name == "AWS_EC2_METADATA_DISABLED" && !strings.EqualFold(v, "true") && !strings.HasPrefix(v, "$") {
			continue // the IMDS client is off for "true" only
		}
		region := strings.HasSuffix(name, "_REGION")
		if region && !awsregion.Foreign(v) {
			continue // an AWS region (or a variable): no other service (fix24)
		}
		line := 1 + bytes.Count(b[:h.at], []byte("\n"))
		where := fmt.Sprintf("%s, set in %s:%d (%s)", name, rel, line, what)
		why := profileMark + where
		switch {
		case strings.HasPrefix(name, "AWS_ENDPOINT_URL"):
			why = endpointMark + where
		case strings.HasPrefix(name, "endpoints {"):
			why = endpointMark + where + ", a Terraform AWS provider sent to another service (LocalStack, MinIO): the project's programs may be too"
		case name == "endpoint_url":
			why = endpointMark + where + ", the endpoint of a profile when the file is the program's AWS config"
		case region:
			why = endpointMark + where + ", a region AWS does not have: another service's, such as Cloudflare R2's auto"
		case name == "AWS_EC2_METADATA_DISABLED":
			why = metadataOffMark + where
		}
		if keep.keeps(why) {
			return why
		}
	}
	return ""
}
