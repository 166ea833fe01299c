package fix

import (
	"path"
	"strings"
)

// docker compose builds a service's environment from more than the block
// that holds its keys: it merges docker-compose.override.yml into
// docker-compose.yml (compose.override.yaml into compose.yaml) without
// being asked, a service that extends: another takes that one's
// environment, and a service's env_file: files are part of it. An
// AWS_ENDPOINT_URL in any of these (a local MinIO in the override, the
// usual setup) makes the keys elsewhere in the service another service's,
// so keyscan fix reads them (cmd/keyscan/fixcompose.go) and leaves the
// keys for a person. ComposeServices is what it reads in each file.

// ComposeService is a service of a compose file.
type ComposeService struct {
	Name       string
	Start, End int    // byte offsets of the service's block
	Endpoint   string // the custom endpoint its block sets; "" when none
	EnvFiles   []string
	// Extends names the service it extends: File is "" for one of the
	// same file.
	ExtendsFile, ExtendsService string
}

// ComposeFile reports whether name is a docker compose file by its name
// (docker-compose.yml, compose.override.yaml, docker-compose.prod.yml).
func ComposeFile(name string) bool { return composeFile(name) }

// ComposeServices returns the services of a compose file (or of a file
// that a service extends:, which may have any name).
func ComposeServices(content []byte) []ComposeService {
	e := newEditor(content, YAML)
	var out []ComposeService
	e.eachService(func(name string, j, last int) {
		s := ComposeService{Name: unquote(name), Start: e.lines[j].start, End: e.lines[last].end,
			EnvFiles: e.envFiles(j+1, last)}
		if j < last {
			s.Endpoint = e.endpointIn(j+1, last)
		}
		s.ExtendsFile, s.ExtendsService = e.extends(j+1, last)
		out = append(out, s)
	})
	return out
}

// extends reads a service's extends: among lines first..last: a service
// name (extends: web, the same file), or file: and service: in block or
// flow style.
func (e *editor) extends(first, last int) (file, service string) {
	if i, a, ok := e.bodyKey(first, last, "extends"); ok {
		keyIndent := indentOf(e.text(i))
		v := strings.TrimSpace(a.inner)
		if strings.HasPrefix(v, "{") {
			for _, kv := range strings.Split(strings.Trim(v, "{}"), ",") {
				k, val, _ := strings.Cut(kv, ":")
				switch unquote(k) {
				case "file":
					file = unquote(val)
				case "service":
					service = unquote(val)
				}
			}
			return file, service
		}
		if v != "" {
			return "", unquote(v)
		}
		for j := i + 1; j <= last; j++ {
			if !e.isContent(j) {
				continue
			}
			if indentOf(e.text(j)) <= keyIndent {
				break
			}
			if b, ok := e.parseAssign(j); ok {
				switch b.key {
				case "file":
					file = unquote(b.inner)
				case "service":
					service = unquote(b.inner)
				}
			}
		}
		return file, service
	}
	return "", ""
}

// ComposeMerged returns the names of the files docker compose merges with
// the compose file called name when it is run without -f: the override
// files of a base file, or the base files of an override file
// (docker-compose.yml and docker-compose.override.yml, compose.yaml and
// compose.override.yaml, either extension). Other names merge only when
// named with -f, which the folder does not say.
func ComposeMerged(name string) []string {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	for _, stem := range []string{"docker-compose", "compose"} {
		switch base {
		case stem + ".yml", stem + ".yaml":
			return []string{stem + ".override.yml", stem + ".override.yaml"}
		case stem + ".override.yml", stem + ".override.yaml":
			return []string{stem + ".yml", stem + ".yaml"}
		}
	}
	return nil
}

// ComposeEndpointReason is the reason the keys of a compose service stay
// when another file that builds its environment sets a custom endpoint
// (what, in file, reached as how).
func ComposeEndpointReason(what, file, how string) string {
	return customEndpoint(what + " in " + file + ", " + how)
}
