package fix

import (
	"path"
	"sort"
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
	m, parsed := readCompose(content)
	var out []ComposeService
	seen := map[string]bool{}
	e.eachService(func(name string, j, last int) {
		s := ComposeService{Name: unquote(name), Start: e.lines[j].start, End: e.lines[last].end,
			EnvFiles: e.envFiles(j+1, last)}
		// A service in flow style starts on its key's line ({image: …}):
		// that line is part of its body.
		first := j + 1
		if a, ok := e.parseAssign(j); ok && strings.TrimSpace(a.inner) != "" {
			first = j
		}
		if first <= last {
			s.Endpoint = e.endpointIn(first, last)
			if s.Endpoint == "" {
				s.Endpoint = e.mergedEndpoint(first, last)
			}
		}
		s.ExtendsFile, s.ExtendsService = e.extends(j+1, last)
		if parsed {
			s = m.service(s)
		}
		seen[s.Name] = true
		out = append(out, s)
	})
	// A services: mapping the line reader did not see (services: {app:
	// {…}} in flow style): its services span the whole file.
	names := make([]string, 0, len(m.services))
	for n := range m.services {
		if !seen[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, m.service(ComposeService{Name: n, End: len(content)}))
	}
	return out
}

// service completes s, a service as the line reader saw it, with what
// YAML resolves of it: env_file, extends and an environment written in
// flow style or reached through an alias or a merge key.
func (m composeModel) service(s ComposeService) ComposeService {
	y, ok := m.services[s.Name]
	if !ok {
		return s
	}
	if len(s.EnvFiles) == 0 {
		s.EnvFiles = y.envFiles
	}
	if s.ExtendsService == "" {
		s.ExtendsFile, s.ExtendsService = y.extFile, y.extName
	}
	if s.Endpoint == "" && y.env != "" {
		s.Endpoint = EnvFileEndpoint([]byte(y.env))
	}
	return s
}

// mergedEndpoint is the endpoint a service (its body first..last) takes
// through a YAML merge key from an anchored block of the same file
// (x-common: &common {environment: …}, then <<: *common or
// <<: [*a, *b]): the usual way compose files share settings.
func (e *editor) mergedEndpoint(first, last int) string {
	keyIndent, merge := -1, ""
	for i := first; i <= last; i++ {
		if !e.isContent(i) {
			continue
		}
		if keyIndent < 0 {
			keyIndent = indentOf(e.text(i))
		}
		t := e.text(i)
		if v, ok := strings.CutPrefix(strings.TrimSpace(t), "<<:"); ok && indentOf(t) == keyIndent {
			merge = v
			break
		}
	}
	for _, f := range strings.FieldsFunc(merge, func(r rune) bool { return r == '[' || r == ']' || r == ',' || r == ' ' }) {
		name, ok := strings.CutPrefix(f, "*")
		if !ok || name == "" {
			continue
		}
		for i := range e.lines {
			if !e.isContent(i) || !hasAnchor(e.text(i), name) {
				continue
			}
			end, indent := i, indentOf(e.text(i))
			for k := i + 1; k < len(e.lines); k++ {
				if e.isContent(k) && indentOf(e.text(k)) <= indent {
					break
				}
				end = k
			}
			if ep := e.endpointIn(i, end); ep != "" {
				return ep
			}
		}
	}
	return ""
}

// hasAnchor reports whether the line defines the YAML anchor &name.
func hasAnchor(line, name string) bool {
	for rest := line; ; {
		i := strings.Index(rest, "&"+name)
		if i < 0 {
			return false
		}
		after := rest[i+1+len(name):]
		if after == "" || strings.ContainsAny(after[:1], " \t{[,") {
			return true
		}
		rest = after
	}
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

// ComposeFileVar returns the other files a project's .env (content env)
// merges with the compose file called base through COMPOSE_FILE
// (COMPOSE_FILE=compose.yaml:minio.yaml), which docker compose reads on
// every run without -f: the names as written, relative to the folder.
// None when base is not among them.
func ComposeFileVar(env []byte, base string) []string {
	var list string
	for _, l := range strings.Split(string(env), "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "export "))
		if v, ok := strings.CutPrefix(l, "COMPOSE_FILE="); ok {
			list = unquote(strings.TrimSpace(v))
		}
	}
	if list == "" {
		return nil
	}
	names := strings.FieldsFunc(list, func(r rune) bool { return r == ':' || r == ';' })
	in := false
	var out []string
	for _, n := range names {
		n = strings.TrimPrefix(strings.TrimSpace(n), "./")
		if n == base {
			in = true
			continue
		}
		if n != "" {
			out = append(out, n)
		}
	}
	if !in {
		return nil
	}
	return out
}

// ComposeEndpointReason is the reason the keys of a compose service stay
// when another file that builds its environment sets a custom endpoint
// (what, in file, reached as how).
func ComposeEndpointReason(what, file, how string) string {
	return customEndpoint(what + " in " + file + ", " + how)
}
