package fix

import (
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/keyscan/keyscan/scanner"
)

// Keys set in a program's environment (a .env file, a compose service's
// environment: or env_file:) reach every client the program builds, and
// the file that sets them says nothing of where those clients talk: the
// commonest MinIO setup runs minio/minio as a service of the same compose
// project and builds boto3.client("s3", endpoint_url="http://minio:9000")
// in code that takes its keys from the environment (qa14 HIGH-7). So
// keyscan fix keeps such keys, saying they may reach a custom endpoint,
// when the compose project runs an S3-compatible service (ComposeStorage)
// or when code of the folder builds a client with a custom endpoint
// (CodeEndpoint). When in doubt the keys stay: removing them would hand
// that client the instance role's credentials.

// storageImages are words of an image reference or a service name that
// name an S3-compatible server or an S3 emulator.
var storageImages = []string{"minio", "localstack", "seaweedfs", "garage", "ceph", "cloudserver", "s3proxy", "s3mock", "motoserver",
	"fake-s3", "fakes3", "s3ninja", "versitygw"}

// ComposeStorage describes the S3-compatible service a compose file runs
// (a service whose image or name holds minio, localstack, seaweedfs, ...:
// "minio/minio (the service minio)"); "" when it runs none or does not
// parse.
func ComposeStorage(data []byte) string {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return ""
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return ""
	}
	for k := 0; k+1 < len(top.Content); k += 2 {
		if top.Content[k].Value != "services" || top.Content[k+1].Kind != yaml.MappingNode {
			continue
		}
		svcs := top.Content[k+1].Content
		for s := 0; s+1 < len(svcs); s += 2 {
			name, body := svcs[s].Value, svcs[s+1]
			image := ""
			if body.Kind == yaml.MappingNode {
				for m := 0; m+1 < len(body.Content); m += 2 {
					if body.Content[m].Value == "image" {
						image = body.Content[m+1].Value
					}
				}
			}
			if storageWord(image) || storageWord(name) {
				what := "the service " + name
				if image != "" {
					what = image + " (" + what + ")"
				}
				return what
			}
		}
	}
	return ""
}

// storageWord reports whether an image reference or a service name names
// an S3-compatible service.
func storageWord(s string) bool {
	s = strings.ToLower(s)
	for _, w := range storageImages {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// ComposeStorageReason is the reason the keys of a compose project that
// runs an S3-compatible service stay: what as ComposeStorage describes it,
// file the compose file that runs it, whose the keys' service or file.
func ComposeStorageReason(what, file, whose string) string {
	return customEndpoint("maybe: the compose project runs " + what + ", in " + file + ", beside " + whose +
		", whose clients may talk to it with these keys")
}

// DotEnvFile reports whether name is a dotenv file (.env, .env.local,
// .env-local, .env_dev, prod.env), or a template of one (.env.j2):
// variables a program loads into its environment.
func DotEnvFile(name string) bool {
	b := TemplateBase(name)
	return b == ".env" || strings.HasPrefix(b, ".env.") || strings.HasPrefix(b, ".env-") || strings.HasPrefix(b, ".env_") || strings.HasSuffix(b, ".env")
}

// DockerfileName reports whether name is a Dockerfile or Containerfile
// by any of the names projects give them (Dockerfile, Dockerfile.dev,
// Dockerfile-dev, Dockerfile_prod, dev.Dockerfile, Containerfile.dev,
// Containerfile-ci), or a template of one (Dockerfile.j2) (qa25 H1).
func DockerfileName(name string) bool {
	b := TemplateBase(name)
	switch path.Ext(b) {
	case ".go", ".py", ".js", ".ts", ".rb", ".java", ".rs", ".md", ".rst", ".txt", ".adoc", ".html":
		return false // source or documentation about one (dockerfile_test.go)
	}
	for _, f := range []string{"dockerfile", "containerfile"} {
		if b == f || strings.HasSuffix(b, "."+f) {
			return true
		}
		if strings.HasPrefix(b, f) && strings.IndexByte(".-_", b[len(f)]) >= 0 {
			return true
		}
	}
	return false
}

// StartEnvFile reports whether a file of this name writes down the
// environment a program starts in: a Dockerfile or Containerfile
// (DockerfileName), a dotenv file (DotEnvFile) that is not an example
// of one, or direnv's .envrc. go vet's fix (analyzer) and keyscan fix
// both ask it, so that they read the same files.
func StartEnvFile(name string) bool {
	if DockerfileName(name) {
		return true
	}
	b := TemplateBase(name)
	if b == ".envrc" {
		return true
	}
	if !DotEnvFile(name) {
		return false
	}
	for _, ex := range []string{"example", "sample", "template", "dist"} {
		if strings.Contains(b, ex) {
			return false
		}
	}
	return true
}

// templateExts are the suffixes a template of a settings file takes
// (Ansible's and Jinja's .j2, Go's .tmpl and .gotmpl, .tpl), removed by
// TemplateBase: a rendered template sets what it says (qa25 M1).
var templateExts = []string{".j2", ".jinja", ".jinja2", ".tmpl", ".tpl", ".gotmpl"}

// TemplateBase returns the base name of name in lower case, without a
// template's suffix (docker-compose.yml.j2 -> docker-compose.yml).
func TemplateBase(name string) string {
	b := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	for _, x := range templateExts {
		if t, ok := strings.CutSuffix(b, x); ok && t != "" {
			return t
		}
	}
	return b
}

// CodeEndpoint describes a custom endpoint that the Python, JavaScript or
// TypeScript source file name sets anywhere (an endpoint_url, an endpoint
// option, path-style addressing, AWS_ENDPOINT_URL), or one of Go, Ruby,
// Java, Kotlin, Scala, PHP, .NET or Rust read by text (codeendpoint.go):
// a client of the program that takes its keys from the environment talks
// there with them.
// "" when it sets none, or the file is not such source or does not read.
func CodeEndpoint(name string, data []byte) string {
	if OtherCode(name) {
		// Go, Ruby, Java, PHP, .NET and Rust turn the instance metadata
		// service off as Python does (review15 C-1: they returned before
		// the check).
		d := otherCodeEndpoint(name, data)
		if d == "" {
			d = metadataOffNamed(data)
		}
		if d == "" {
			d = foreignHostNamed(data)
		}
		return d
	}
	syn := Detect(name, data)
	if syn != Python && syn != JavaScript {
		return ""
	}
	ts, err := tokenize(data, syn == Python)
	if err != nil {
		return ""
	}
	c := &codeFix{ts: ts, data: data}
	d := c.jsFileEndpoint()
	if syn == Python {
		d = c.pyFileEndpoint()
	}
	if d == "" {
		d = metadataOffNamed(data)
	}
	if d == "" {
		d = foreignHostNamed(data)
	}
	return d
}

// foreignHostNamed describes the host of an S3-compatible service other
// than AWS that data names anywhere (scanner.ForeignHostIn, the matcher's
// list): a program that names s3.wasabisys.com talks to Wasabi, whose
// regions are AWS's names (us-east-1), however its client gets the
// address (CLOSING17). "" when it names none.
func foreignHostNamed(data []byte) string {
	if host, what := scanner.ForeignHostIn(data); host != "" {
		return host + ", " + what + "'s host, named"
	}
	return ""
}

// metadataOffNamed describes the code's write of true (or of a variable)
// to AWS_EC2_METADATA_DISABLED, os.environ["AWS_EC2_METADATA_DISABLED"] =
// "true": "" when it writes none.
func metadataOffNamed(data []byte) string {
	return metadataOffWhat(data, "code")
}

// metadataOffWhat describes where source data sets
// AWS_EC2_METADATA_DISABLED (in what: "code", "file"), or may set it
// (metadataOffSet's sure); "" when it sets it nowhere.
func metadataOffWhat(data []byte, what string) string {
	w, sure := metadataOffSet(data)
	name := metadataOffVar
	if !strings.Contains(w, metadataOffVar) {
		name = "the SDK's own switch for " + metadataOffVar // a Java system property, Go's imds.ClientDisabled
	}
	switch {
	case w == "":
		return ""
	case sure:
		return name + ", set in the " + what + " (" + w + ")"
	}
	return name + ", named in the " + what + " where keyscan " + cannotTell + " (" + w + ")"
}

// cannotTell marks a metadata-off description that keyscan is not sure
// of (metadataOffReason words it so).
const cannotTell = "cannot tell whether it is set to true"

// CodeEndpointReason is the reason the keys of a dotenv file stay when
// the source file code of its folder sets a custom endpoint (what).
func CodeEndpointReason(what, code string) string {
	if strings.Contains(what, metadataOffVar) {
		return metadataOffReason(what + ", in " + code)
	}
	return customEndpoint("maybe: " + code + " builds a client with a custom endpoint (" + what + "), and the keys this file " +
		"puts in the environment may be that client's")
}

// ComposeBuild is the image a compose service builds: its build context
// and Dockerfile as written (Dockerfile "" for the default, context's
// Dockerfile).
type ComposeBuild struct {
	Service, Context, Dockerfile string
}

// ComposeBuilds returns the builds of a compose file's services (build:
// PATH, or build: with context: and dockerfile:). A Dockerfile bakes its
// ENV keys into the image the service runs, with the service's
// environment: and env_file: beside them (qa14 HIGH-14).
func ComposeBuilds(data []byte) []ComposeBuild {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	top := doc.Content[0]
	var out []ComposeBuild
	for k := 0; k+1 < len(top.Content); k += 2 {
		if top.Content[k].Value != "services" || top.Content[k+1].Kind != yaml.MappingNode {
			continue
		}
		svcs := top.Content[k+1].Content
		for s := 0; s+1 < len(svcs); s += 2 {
			body := svcs[s+1]
			if body.Kind != yaml.MappingNode {
				continue
			}
			for m := 0; m+1 < len(body.Content); m += 2 {
				if body.Content[m].Value != "build" {
					continue
				}
				b := ComposeBuild{Service: svcs[s].Value, Context: "."}
				v := body.Content[m+1]
				switch v.Kind {
				case yaml.ScalarNode:
					b.Context = v.Value
				case yaml.MappingNode:
					for n := 0; n+1 < len(v.Content); n += 2 {
						switch v.Content[n].Value {
						case "context":
							b.Context = v.Content[n+1].Value
						case "dockerfile":
							b.Dockerfile = v.Content[n+1].Value
						}
					}
				}
				out = append(out, b)
			}
		}
	}
	return out
}

// bundledImage describes an S3-compatible service that the YAML document
// holding line i runs beside the keys (qa14 MEDIUM-11): a GitHub Actions
// job's or GitLab CI's services: (minio/minio), a Pod's sidecar container
// (image: minio/minio), a compose service; its clients reach it on
// localhost or by its name, with keys keyscan cannot tell from AWS's.
// "" when the document runs none.
func (e *editor) bundledImage(i int) string {
	first, _ := e.docRange(i)
	if b, ok := e.bundled[first]; ok {
		return b // one answer per document: see docRange
	}
	b := e.readBundledImage(i)
	if e.bundled == nil {
		e.bundled = map[int]string{}
	}
	e.bundled[first] = b
	return b
}

func (e *editor) readBundledImage(i int) string {
	first, last := e.docRange(i)
	inServices := -1 // the indentation of a services: key being read
	for l := first; l <= last && l < len(e.lines); l++ {
		if !e.isContent(l) {
			continue
		}
		ind := indentOf(e.text(l))
		if inServices >= 0 && ind <= inServices && !strings.HasPrefix(strings.TrimSpace(e.text(l)), "- ") {
			inServices = -1
		}
		a, ok := e.parseAssign(l)
		switch {
		case ok && a.key == "services":
			inServices = ind
			if v := unquote(a.inner); strings.HasPrefix(v, "[") && storageWord(v) {
				return shorten("services: " + v)
			}
		case ok && a.key == "image" && storageWord(unquote(a.inner)):
			return shorten("image: " + unquote(a.inner))
		case ok && a.key == "name" && inServices >= 0 && storageWord(unquote(a.inner)):
			return shorten("services: name: " + unquote(a.inner))
		case !ok && inServices >= 0:
			if v, item := strings.CutPrefix(strings.TrimSpace(e.text(l)), "- "); item && storageWord(unquote(v)) {
				return shorten("services: - " + unquote(v))
			}
		}
	}
	return ""
}
