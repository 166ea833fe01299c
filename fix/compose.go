package fix

import (
	"strings"
)

// A compose service's env_file: files set the container's environment
// too, so an AWS_ENDPOINT_URL there (MinIO, LocalStack) makes the
// service's keys another service's, as one in its environment: does.
// keyscan fix reads those files when it can (a folder fixed, the file
// inside it) and leaves the service's keys for a person when one names an
// endpoint or could not be read.

// EnvFileUse is a compose service that reads env_file: files.
type EnvFileUse struct {
	Service    string
	Start, End int // byte offsets of the service's block
	Files      []string
}

// ServiceEnvFiles returns the services of a compose file (by its name,
// or one that another includes: any name) that read env_file: files (a
// path, a list of paths, or a list of path: entries).
func ServiceEnvFiles(content []byte) []EnvFileUse {
	var out []EnvFileUse
	for _, s := range ComposeServices(content) {
		if len(s.EnvFiles) > 0 {
			out = append(out, EnvFileUse{Service: s.Name, Start: s.Start, End: s.End, Files: s.EnvFiles})
		}
	}
	return out
}

// bodyKey finds key among lines first..last, a mapping's body, at the
// body's own indentation (its first content line's): the line and the
// assignment, ok false when the body has no such key.
func (e *editor) bodyKey(first, last int, key string) (int, assign, bool) {
	keyIndent := -1
	for i := first; i <= last; i++ {
		if !e.isContent(i) {
			continue
		}
		if keyIndent < 0 {
			keyIndent = indentOf(e.text(i))
		}
		if a, ok := e.parseAssign(i); ok && indentOf(e.text(i)) == keyIndent && a.key == key {
			return i, a, true
		}
	}
	return 0, assign{}, false
}

// eachService calls fn with each service of a compose file: its key as
// written and its lines first (the key's) to last.
func (e *editor) eachService(fn func(name string, first, last int)) {
	for i := range e.lines {
		a, ok := e.parseAssign(i)
		if !ok || indentOf(e.text(i)) != 0 || a.key != "services" {
			continue
		}
		svcIndent := -1
		for j := i + 1; j < len(e.lines); j++ {
			if !e.isContent(j) {
				continue
			}
			d := indentOf(e.text(j))
			if d == 0 {
				break
			}
			if svcIndent < 0 {
				svcIndent = d
			}
			if d != svcIndent {
				continue
			}
			sa, ok := e.parseAssign(j)
			if !ok {
				continue
			}
			last := j
			for k := j + 1; k < len(e.lines); k++ {
				if e.isContent(k) && indentOf(e.text(k)) <= svcIndent {
					break
				}
				last = k
			}
			fn(sa.key, j, last)
			j = last
		}
	}
}

// envFiles reads the env_file: setting among lines first..last, the body
// of a service.
func (e *editor) envFiles(first, last int) []string {
	if i, a, ok := e.bodyKey(first, last, "env_file"); ok {
		keyIndent := indentOf(e.text(i))
		if v := unquote(a.inner); v != "" {
			if strings.HasPrefix(v, "[") { // env_file: [a.env, b.env]
				var out []string
				for _, f := range strings.Split(strings.Trim(v, "[]"), ",") {
					if f = unquote(f); f != "" {
						out = append(out, f)
					}
				}
				return out
			}
			return []string{v}
		}
		var out []string
		for j := i + 1; j <= last; j++ {
			if !e.isContent(j) {
				continue
			}
			if indentOf(e.text(j)) < keyIndent || indentOf(e.text(j)) == keyIndent && !strings.HasPrefix(strings.TrimSpace(e.text(j)), "- ") {
				break
			}
			t := strings.TrimSpace(e.text(j))
			item, isItem := strings.CutPrefix(t, "- ")
			if b, ok := e.parseAssign(j); ok && b.key == "path" {
				out = append(out, unquote(b.inner))
			} else if isItem && !strings.Contains(item, ": ") {
				out = append(out, unquote(item))
			}
		}
		return out
	}
	return nil
}

// EnvFileEndpoint describes the custom endpoint an env file (.env syntax)
// sets (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, S3_ENDPOINT, ...); empty
// when it sets none.
func EnvFileEndpoint(data []byte) string {
	e := newEditor(data, Env)
	return e.endpointIn(0, len(e.lines)-1)
}

// EnvFileReason is the reason the keys of a compose service stay when
// its env_file sets a custom endpoint (what) or could not be read.
func EnvFileReason(service, file, what string, read bool) string {
	if !read {
		return customEndpoint("maybe: the service " + service + " reads env_file " + file + ", which keyscan fix did not read (" + what +
			"), and an AWS_ENDPOINT_URL there would make these keys another service's")
	}
	return customEndpoint(what + " in " + file + ", the env_file of the service " + service)
}
