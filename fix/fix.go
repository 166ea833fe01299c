package fix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/scanner"
)

// Result is the outcome of fixing one file.
type Result struct {
	// Content is the new content; equal to the input when nothing changed.
	Content []byte
	// Fixed are the findings the change removes.
	Fixed scanner.Findings
	// Manual are the findings the change leaves, each with the reason.
	Manual []Manual
	// Notes are remarks on the change that a person should read.
	Notes []string
	// Readers counts the env entries of another file's Secret keys that
	// the change removes with them (DropSecretReaders).
	Readers int
}

// Changed reports whether the content changed.
func (r *Result) Changed() bool { return len(r.Fixed) > 0 || r.Readers > 0 }

// Manual is a finding that needs a change by hand.
type Manual struct {
	Finding scanner.Finding
	Reason  string
}

// Syntax is the syntax of a file, as far as fixing it is concerned.
type Syntax string

const (
	INI        Syntax = "ini"
	Env        Syntax = "env"
	Dockerfile Syntax = "dockerfile"
	YAML       Syntax = "yaml"
	JSON       Syntax = "json"
	HCL        Syntax = "hcl"
	Properties Syntax = "properties"
	Go         Syntax = "go"
	Python     Syntax = "python"
	JavaScript Syntax = "javascript"
	Unknown    Syntax = ""

	utf16 Syntax = "utf-16" // read, never rewritten
)

// Detect names the syntax of the file called name with content data.
func Detect(name string, data []byte) Syntax {
	p := strings.ToLower(strings.ReplaceAll(name, `\`, "/"))
	base := path.Base(p)
	ext := path.Ext(base)
	switch {
	case ext == ".go":
		return Go
	case strings.HasSuffix(base, ".tf.json"), ext == ".json":
		return JSON
	case DockerfileName(name):
		// Every name go vet's fix reads as a Dockerfile: Dockerfile.prod,
		// Dockerfile-ci, dockerfile_prod, api.Dockerfile, Containerfile
		// and the same of it, a template of either.
		return Dockerfile
	case ext == ".yml", ext == ".yaml":
		return YAML
	case ext == ".tf", ext == ".tfvars", ext == ".hcl":
		return HCL
	case ext == ".properties":
		return Properties
	case base == ".env", strings.HasPrefix(base, ".env."), ext == ".env", base == ".envrc",
		ext == ".sh", ext == ".bash", ext == ".zsh", base == ".bashrc", base == ".zshrc", base == ".profile":
		return Env
	case scanner.ClassifyFile(name) == scanner.KindSharedConfig, ext == ".ini", ext == ".cfg", ext == ".conf", base == ".s3cfg":
		return INI
	case ext == ".template":
		if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
			return JSON
		}
		return YAML
	case ext == ".py":
		return Python
	case ext == ".js", ext == ".mjs", ext == ".cjs", ext == ".jsx", ext == ".ts", ext == ".tsx", ext == ".mts", ext == ".cts":
		return JavaScript
	}
	// A backup copy (credentials.bak, docker-compose.yml.orig) is the
	// file it copies.
	if plain := scanner.PlainName(name); plain != name {
		return Detect(plain, data)
	}
	// Any other name: the kind the scanner gives the file by its name and
	// content (a credentials file saved as credentials.bak, a .env copy
	// named env.production, a script with a #! line), so that whatever the
	// scanner advises to fix as a kind keyscan rewrites is rewritten.
	switch scanner.Classify(name, data) {
	case scanner.KindSharedConfig:
		return INI
	case scanner.KindEnv, scanner.KindShell:
		return Env
	case scanner.KindDocker:
		return Dockerfile
	case scanner.KindPython:
		if ext != ".ipynb" {
			return Python
		}
	case scanner.KindJavaScript:
		return JavaScript
	}
	return Unknown
}

// Apply returns the content of the file called name with the credentials in
// fs removed. fs are the scanner's findings for this content; findings for
// other files are ignored. The error reports a change that would break the
// file; the content is then left as it was.
func Apply(name string, content []byte, fs scanner.Findings) (*Result, error) {
	return ApplyWith(name, content, fs, Options{})
}

// Options tell Apply what it cannot see in the file itself.
type Options struct {
	// SourceProfiles are the profiles that other profiles assume a role
	// with (source_profile = NAME) in the files beside this one: the AWS
	// config file next to a credentials file (see SourceProfiles).
	SourceProfiles []string
	// Endpoints are the custom endpoints of profiles set where the
	// profile's keys are not: ProfileEndpoints of this file and the
	// config or credentials file beside it. Nil: this file's own.
	Endpoints map[string]string
	// Hold are findings (by Offset) left for a person, with the reason:
	// keyscan fix holds a definition that another file of the run still
	// reads (References). The rest of its pair is held with it.
	Hold map[int]string
	// GitLab is the GitLab pipeline the file belongs to, as cmd/keyscan
	// read it: the jobs of every file of a pipeline get the top-level
	// variables: of each. Nil: none was read, and keys that the jobs of
	// an included file would get stay.
	GitLab *GitLabPipeline
}

// ApplyWith is Apply with what the files beside this one say.
func ApplyWith(name string, content []byte, fs scanner.Findings, opts Options) (*Result, error) {
	res := &Result{Content: content}
	var mine scanner.Findings
	for _, f := range fs {
		if f.File != name && f.File != "" {
			continue
		}
		if f.Offset < 0 || f.EndOffset > len(content) || f.Offset >= f.EndOffset {
			res.Manual = append(res.Manual, Manual{f, "the finding's position lies outside the file; scan it again"})
			continue
		}
		mine = append(mine, f)
	}
	if len(mine) == 0 {
		return res, nil
	}
	opts.Hold = serverHolds(content, mine, opts.Hold)
	syn := Detect(name, content)
	if len(content) >= 2 && (content[0] == 0xFF && content[1] == 0xFE || content[0] == 0xFE && content[1] == 0xFF) {
		syn = utf16 // the scanner's offsets refer to the text converted to UTF-8
	}
	if syn != utf16 && syn != Go {
		// A platform with no instance role: nothing takes over from the keys.
		if r := hostingPlatform(name, content, syn); r != "" {
			for _, f := range mine {
				res.Manual = append(res.Manual, Manual{f, r})
			}
			return res, nil
		}
	}
	switch syn {
	case utf16:
		for _, f := range mine {
			res.Manual = append(res.Manual, Manual{f, "the file is UTF-16, which keyscan does not rewrite; remove the key by hand. " + f.Suggestion})
		}
		return res, nil
	case Go:
		for _, f := range mine {
			res.Manual = append(res.Manual, Manual{f, "Go source: run go vet -vettool=$(command -v keyscan) ./... and go fix -fixtool=$(command -v keyscan) ./...: the analyzer moves it to the instance role where the client has no custom endpoint it can see, and says why not elsewhere (an endpoint in the code, an env file the program loads)"})
		}
		return res, nil
	case JSON:
		// JSON: an endpoint setting anywhere in the file keeps the keys.
		if d := newEditor(content, JSON).endpointScope(mine[0]); d != "" {
			for _, f := range mine {
				res.Manual = append(res.Manual, Manual{f, customEndpoint(d)})
			}
			return res, nil
		}
		// A value another file still reads (a .tfvars.json value, a
		// CloudFormation parameter's) stays, its pair with it.
		rest := heldBack(mine, opts, res)
		if len(rest) == 0 {
			return res, nil
		}
		return wholePairs(rest, res, func(fs scanner.Findings, r *Result) (*Result, error) { return applyJSON(name, content, fs, r) })
	case Python, JavaScript:
		// Keys keyscan fix holds for what it saw elsewhere (a module the
		// file imports sets AWS_ENDPOINT_URL: qa16 HIGH-16) stay, their
		// pair with them.
		rest := heldBack(mine, opts, res)
		if len(rest) == 0 {
			return res, nil
		}
		return wholePairs(rest, res, func(fs scanner.Findings, r *Result) (*Result, error) {
			return applyCode(name, content, fs, r, syn == Python)
		})
	case Unknown:
		// A source file of another language (Ruby, Java, PHP, .NET, Rust)
		// that sets a custom endpoint itself builds a client of another
		// service with its keys (qa18 L2): that, not the instance role, is
		// what a person is told.
		if OtherCode(name) {
			if d := otherCodeEndpoint(name, content); d != "" {
				for _, f := range mine {
					res.Manual = append(res.Manual, Manual{f, customEndpoint(d)})
				}
				return res, nil
			}
		}
		for _, f := range mine {
			res.Manual = append(res.Manual, Manual{f, "keyscan does not rewrite this kind of file: " + f.Suggestion})
		}
		return res, nil
	}
	// A pair is removed whole or not at all: a key ID whose secret stays
	// (left for a person, or written beside it in a way the scanner did
	// not read) stays with it, so that neither a half-removed pair nor an
	// exit status 0 says the file is clean while its secret is in it.
	hold := newEditor(content, syn).unreportedSecrets(mine)
	for off, r := range opts.Hold {
		hold[off] = r
	}
	out := applyEdits(name, content, syn, mine, opts, *res, hold)
	if more := halfPairs(out, hold); len(more) > 0 {
		out = applyEdits(name, content, syn, mine, opts, *res, more)
	}
	return out, nil
}

// heldBack puts the findings of mine that opts holds in res.Manual, with
// their reasons, and returns the others.
func heldBack(mine scanner.Findings, opts Options, res *Result) scanner.Findings {
	var rest scanner.Findings
	for _, f := range mine {
		if r, ok := opts.Hold[f.Offset]; ok {
			res.Manual = append(res.Manual, Manual{f, r})
			continue
		}
		rest = append(rest, f)
	}
	return rest
}

// applyEdits fixes mine in a file of a line-based syntax (INI, .env and
// shell, Dockerfile, YAML, HCL, properties), on a copy of res; hold are
// the findings (by offset) left for a person, with the reason.
func applyEdits(name string, content []byte, syn Syntax, mine scanner.Findings, opts Options, base Result, hold map[int]string) *Result {
	res := &base
	res.Manual = slices.Clone(res.Manual)
	ed := newEditor(content, syn)
	var sources []string
	remotes := map[int]bool{}
	endpoints := opts.Endpoints
	if syn == INI {
		sources = append(SourceProfiles(content), opts.SourceProfiles...)
		if endpoints == nil {
			endpoints = ProfileEndpoints(content)
		}
	}
	// A GitHub Actions workflow by its place or its content, once per file.
	workflow := syn == YAML && (workflowFile(name) || ed.workflowContent())
	gitlab := syn == YAML && (gitlabFile(name) || opts.GitLab != nil)
	helm := syn == YAML && helmValuesFile(name)
	action := ""
	if syn == YAML && actionFile(name) {
		action = ed.actionRunner()
	}
	boto := "" // a boto 2 config's S3 host, once for the file
	if syn == INI {
		boto = ed.botoEndpoint()
	}
	for _, f := range mine {
		if r, ok := hold[f.Offset]; ok {
			res.Manual = append(res.Manual, Manual{f, r})
			continue
		}
		if d := ed.endpointScope(f); d != "" {
			r := customEndpoint(d)
			if syn == INI && strings.HasSuffix(d, namesService) {
				if rc := ed.rcloneProvider(f); rc != "" {
					r = rc // rclone's provider = line, told as rclone reads it
				}
			}
			if !isEndpointReason(r) {
				r += " " + f.Suggestion // AWS_EC2_METADATA_DISABLED: the keys are AWS's
			}
			res.Manual = append(res.Manual, Manual{f, r})
			continue
		}
		if helm {
			if d := ed.helmEndpoint(); d != "" {
				res.Manual = append(res.Manual, Manual{f, helmReason(d)})
				continue
			}
		}
		if syn == YAML {
			if d := ed.bundledImage(ed.lineAt(f.Offset)); d != "" {
				res.Manual = append(res.Manual, Manual{f, customEndpoint("maybe: the document runs an S3-compatible service beside the keys (" + d +
					"), which its clients may reach with them")})
				continue
			}
		}
		if boto != "" {
			res.Manual = append(res.Manual, Manual{f, customEndpoint(boto)})
			continue
		}
		if d := endpoints[ed.iniProfile(f)]; d != "" && syn == INI {
			res.Manual = append(res.Manual, Manual{f, customEndpoint(d)})
			continue
		}
		if syn == INI {
			if r := ed.rcloneProvider(f); r != "" {
				res.Manual = append(res.Manual, Manual{f, r})
				continue
			}
		}
		if p := ed.iniProfile(f); p != "" && slices.Contains(sources, p) {
			res.Manual = append(res.Manual, Manual{f, fmt.Sprintf("profile %q is the source_profile of another profile, "+
				"which assumes its role with these keys, and an emptied profile stops that role (\"must have credentials\"): "+
				"in the profiles that name it, put credential_source = Ec2InstanceMetadata in place of source_profile, "+
				"then remove the keys by hand", p)})
			continue
		}
		if workflow {
			if r := ed.githubRunner(f); r != "" {
				res.Manual = append(res.Manual, Manual{f, r})
				continue
			}
		}
		if action != "" {
			res.Manual = append(res.Manual, Manual{f, action})
			continue
		}
		if gitlab {
			if r := ed.gitlabRunner(f, opts.GitLab); r != "" {
				res.Manual = append(res.Manual, Manual{f, r})
				continue
			}
		}
		if syn == YAML {
			if r := ed.hostedCI(name, f); r != "" {
				res.Manual = append(res.Manual, Manual{f, r})
				continue
			}
		}
		if r := ed.rcloneEnv(f); r != "" {
			res.Manual = append(res.Manual, Manual{f, r})
			continue
		}
		var reason string
		switch syn {
		case Dockerfile:
			reason = ed.dockerfile(f)
		case YAML:
			reason = ed.yaml(f)
		case HCL:
			if reason = ed.hclScope(name, f); reason == "" {
				reason = ed.assignment(f)
			}
		default:
			reason = ed.assignment(f)
			if reason != "" && syn == Env && !ed.assignLine(f) {
				reason = ed.shellLine(f)
			}
		}
		if reason != "" {
			res.Manual = append(res.Manual, Manual{f, reason})
			continue
		}
		res.Fixed = append(res.Fixed, f)
		switch syn {
		case INI:
			ed.rcloneRemote(f, remotes)
		case YAML:
			ed.grafanaAuth(f)
		}
		if syn == HCL {
			a, ok := ed.assignAt(f)
			switch {
			case !ok:
			case strings.EqualFold(path.Ext(name), ".tfvars"):
				res.Notes = append(res.Notes, fmt.Sprintf("%s:%d: the variable %s lost its value: unless its declaration has a default it is now "+
					"required (terraform plan asks for it); delete it and its use in provider \"aws\" so the provider falls back to the instance profile",
					name, f.Line, a.key))
			}
		}
	}
	ed.shellFinish(res)
	switch syn {
	case YAML:
		ed.dropSecretRefs(name, res.Fixed)
		ed.yamlCleanup()
	case Dockerfile:
		ed.dockerFinish()
	}
	res.Content = ed.apply()
	return res
}

// SourceProfiles returns the profiles an AWS shared config or credentials
// file names as source_profile: the profiles whose keys a role is assumed
// with.
func SourceProfiles(data []byte) []string {
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(l), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "source_profile") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// iniProfile returns the profile of the INI section holding f ("default"
// for [default], "admin" for [admin] or [profile admin]), or "".
func (e *editor) iniProfile(f scanner.Finding) string {
	h := e.iniSection(e.lineAt(f.Offset))
	if h < 0 {
		return ""
	}
	return sectionName(e.text(h))
}

// iniSection returns the line of the INI section header above line i (or
// i itself), or -1 when i stands before every header.
func (e *editor) iniSection(i int) int {
	if e.headers == nil {
		// Once for the file: every finding asks, and a file of many
		// pairs with no header made each ask read to the top.
		e.headers = make([]int, len(e.lines))
		h := -1
		for l := range e.lines {
			if strings.HasPrefix(strings.TrimSpace(e.text(l)), "[") {
				h = l
			}
			e.headers[l] = h
		}
	}
	if i < 0 || i >= len(e.headers) {
		return -1
	}
	return e.headers[i]
}

// credentialKey reports whether a key name says it holds a credential.
func credentialKey(key string) bool {
	k := strings.ToLower(key)
	for _, w := range []string{"key", "secret", "token", "cred", "passw", "access", "aws", "auth"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// jsonValid reports whether data is JSON (a quick check used to refuse a
// change that would break a file).
func jsonValid(data []byte) bool { return json.Valid(data) }
