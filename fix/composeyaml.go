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
	files    map[string]string // top-level secrets/NAME and configs/NAME: their file:
}

// composeSvc is what a service's environment is built from.
type composeSvc struct {
	env              string // its environment: as NAME=value lines
	envFiles         []string
	extFile, extName string
	volumes          any      // volumes: as decoded
	secrets, configs []string // the names it takes
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
// parse as a mapping (or repeats a key, which docker compose refuses).
// Only each service is decoded into Go values: yaml.v3 checks a decoded
// mapping's keys for duplicates pair by pair, which made a file of 25,000
// services cost seconds (qa15 LOW-2); the top and services: mappings are
// read as nodes, their keys checked with a map.
func readCompose(content []byte) (m composeModel, ok bool) {
	var root yaml.Node
	if yaml.Unmarshal(content, &root) != nil || len(root.Content) == 0 {
		return m, false
	}
	doc, ok := yamlMapping(root.Content[0])
	if !ok {
		return m, false
	}
	if n := doc["services"]; n != nil {
		svcs, ok := yamlMapping(n)
		if !ok && resolved(n).Kind == yaml.MappingNode {
			return m, false
		}
		m.services = map[string]composeSvc{}
		for name, v := range svcs {
			var body map[string]any
			if v.Decode(&body) != nil {
				return m, false
			}
			if body == nil {
				continue
			}
			s := composeSvc{env: envText(body["environment"]), envFiles: envFileList(body["env_file"]),
				volumes: body["volumes"], secrets: strOrSource(body["secrets"]), configs: strOrSource(body["configs"])}
			switch x := body["extends"].(type) {
			case string:
				s.extName = x
			case map[string]any:
				s.extFile, s.extName = str(x["file"]), str(x["service"])
			}
			m.services[name] = s
		}
	}
	for _, top := range []string{"secrets", "configs"} {
		var defs map[string]any
		if n := doc[top]; n == nil || n.Decode(&defs) != nil {
			continue
		}
		for name, v := range defs {
			if x, isMap := v.(map[string]any); isMap && str(x["file"]) != "" {
				if m.files == nil {
					m.files = map[string]string{}
				}
				m.files[top+"/"+name] = str(x["file"])
			}
		}
	}
	var inc []any
	if n := doc["include"]; n != nil && n.Decode(&inc) == nil {
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

// resolved follows an alias to the node it names.
func resolved(n *yaml.Node) *yaml.Node {
	for i := 0; i < 8 && n != nil && n.Kind == yaml.AliasNode; i++ {
		n = n.Alias
	}
	return n
}

// yamlMapping returns the entries of a mapping node by key; ok false when
// it is no mapping, repeats a key, or merges another (<<: *x): a merge is
// decoded whole, as yaml.v3 resolves it.
func yamlMapping(n *yaml.Node) (map[string]*yaml.Node, bool) {
	n = resolved(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, false
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	for k := 0; k+1 < len(n.Content); k += 2 {
		key := n.Content[k].Value
		if _, dup := out[key]; dup || key == "<<" {
			return yamlMappingDecoded(n)
		}
		out[key] = n.Content[k+1]
	}
	return out, true
}

// yamlMappingDecoded is yamlMapping for a mapping with a merge key or a
// repeated key: decoded by yaml.v3 (which refuses a repeated key), then
// each value made a node again.
func yamlMappingDecoded(n *yaml.Node) (map[string]*yaml.Node, bool) {
	var m map[string]any
	if n.Decode(&m) != nil {
		return nil, false
	}
	out := make(map[string]*yaml.Node, len(m))
	for k, v := range m {
		var x yaml.Node
		if x.Encode(v) != nil {
			return nil, false
		}
		out[k] = &x
	}
	return out, true
}

// strOrSource reads a service's secrets: or configs: list: names, or
// entries with source:.
func strOrSource(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, it := range list {
		switch x := it.(type) {
		case string:
			out = append(out, x)
		case map[string]any:
			if s := str(x["source"]); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
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
