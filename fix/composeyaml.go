package fix

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// The line reader of compose.go sees a service written in block style. A
// service written in flow style, whole on one line (s3: {image: minio,
// env_file: [minio.env]}, qa13's c8) or over several, an environment:
// reached through an alias or a merge key, and the top-level include:
// are read here as docker compose reads them, with yaml.v3: what a
// service's environment, env_file and extends are after YAML's own
// resolution. When the file does not parse, the line reader's answer
// stands alone.

// composeModel is a compose file as YAML resolves it.
type composeModel struct {
	services map[string]composeSvc
	includes []ComposeInclude
}

// composeSvc is what a service's environment is built from.
type composeSvc struct {
	env              string // its environment: as NAME=value lines
	envFiles         []string
	extFile, extName string
}

// ComposeInclude is an entry of a compose file's top-level include:
// (docker compose 2.20 and later): the files loaded as one application
// model of its own (the first is the base, the others merge into it as
// -f files do), the folder its relative paths are taken from, and the env
// files that interpolate it. Paths are as written, relative to the
// including file's folder.
type ComposeInclude struct {
	Paths      []string
	ProjectDir string // "" for the first file's folder
	EnvFiles   []string
}

// readCompose resolves content with yaml.v3; ok false when it does not
// parse as a mapping.
func readCompose(content []byte) (m composeModel, ok bool) {
	var doc map[string]any
	if err := yaml.Unmarshal(content, &doc); err != nil || doc == nil {
		return m, false
	}
	if svcs, isMap := doc["services"].(map[string]any); isMap {
		m.services = map[string]composeSvc{}
		for name, v := range svcs {
			body, _ := v.(map[string]any)
			if body == nil {
				continue
			}
			s := composeSvc{env: envText(body["environment"]), envFiles: envFileList(body["env_file"])}
			switch x := body["extends"].(type) {
			case string:
				s.extName = x
			case map[string]any:
				s.extFile, s.extName = str(x["file"]), str(x["service"])
			}
			m.services[name] = s
		}
	}
	if inc, isList := doc["include"].([]any); isList {
		for _, it := range inc {
			switch x := it.(type) {
			case string:
				m.includes = append(m.includes, ComposeInclude{Paths: []string{x}})
			case map[string]any:
				ci := ComposeInclude{Paths: strList(x["path"]), ProjectDir: str(x["project_directory"]), EnvFiles: strList(x["env_file"])}
				if len(ci.Paths) > 0 {
					m.includes = append(m.includes, ci)
				}
			}
		}
	}
	return m, true
}

// envText writes a service's environment: (a mapping, or a list of
// NAME=value items) as .env lines, in a fixed order. A bare name (- NAME,
// or NAME: with no value) passes the variable through from the
// environment docker compose runs in, whose value keyscan does not know:
// it is written NAME=$NAME, which an endpoint name still marks.
func envText(v any) string {
	var lines []string
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if val == nil {
				lines = append(lines, k+"=$"+k)
				continue
			}
			lines = append(lines, k+"="+str(val))
		}
	case []any:
		for _, it := range x {
			s := str(it)
			if s == "" {
				continue
			}
			if !strings.Contains(s, "=") {
				s += "=$" + s
			}
			lines = append(lines, s)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// envFileList reads env_file: a path, a list of paths, or a list of
// path: entries.
func envFileList(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		out = append(out, x)
	case []any:
		for _, it := range x {
			switch y := it.(type) {
			case string:
				out = append(out, y)
			case map[string]any:
				if p := str(y["path"]); p != "" {
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// strList reads a string or a list of strings.
func strList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, it := range x {
			if s := str(it); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// str writes a scalar as YAML wrote it (a number or a boolean too).
func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int, int64, uint64, float64, bool:
		return fmt.Sprint(x)
	}
	return ""
}

// ComposeIncludes returns the entries of a compose file's include:.
func ComposeIncludes(content []byte) []ComposeInclude {
	if !strings.Contains(string(content), "include") {
		return nil
	}
	m, _ := readCompose(content)
	return m.includes
}

// IncludeDir is the folder an included project's relative paths are taken
// from: its project_directory, or the folder of its first file, joined
// to dir, the including file's folder.
func (ci ComposeInclude) IncludeDir(dir string) string {
	if ci.ProjectDir != "" {
		return path.Join(dir, ci.ProjectDir)
	}
	return path.Dir(path.Join(dir, ci.Paths[0]))
}
