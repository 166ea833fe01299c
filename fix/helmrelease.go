package fix

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"gopkg.in/yaml.v3"
)

// A chart from a repository is often installed by a file that merges its
// own settings over the values file (qa15 HIGH-3): a helmfile release's
// set: and inline values:, an Argo CD Application's helm.parameters,
// helm.values and helm.valuesObject, a Flux HelmRelease's spec.values, a
// script's helm upgrade --set. An endpoint there reaches the chart's
// templates as one in the values file does, so the values file's keys
// stay. A Release is one such definition.

// Release is a file's definition of a Helm release, as far as keyscan
// fix needs it.
type Release struct {
	File string
	Line int // 1-based
	// How names the definition (a helmfile release, an Argo CD
	// Application, a Flux HelmRelease, a helm command).
	How string
	// Endpoint is what in the release's own settings gives the chart a
	// custom endpoint, as HelmEndpoint describes it; "" when nothing does.
	Endpoint string
	// Files are the values files it gives the chart, as written
	// (relative to the definition's folder, or to where helm runs).
	Files []string
	// Sources are the ConfigMaps and Secrets it takes values from (a Flux
	// valuesFrom), as Kind/Name.
	Sources []string
}

// Releases returns the Helm releases that the file called name defines:
// helmfile releases (helmfile.yaml, helmfile.d/*.yaml), Argo CD
// Applications and ApplicationSets with a helm source, Flux HelmReleases,
// and helm install/upgrade/template commands of any other text file (a
// script, a Makefile, a CI workflow).
func Releases(name string, data []byte) []Release {
	lower := strings.ToLower(name)
	isYAML := strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".yaml.gotmpl")
	var out []Release
	has := func(s string) bool { return bytes.Contains(data, []byte(s)) }
	if isYAML && (has("releases:") || has("kind:")) {
		out = yamlReleases(name, data)
	}
	if has("helm") && (has("--set") || has("-f") || has("--values")) {
		out = append(out, helmCommands(name, data)...)
	}
	return out
}

// yamlReleases reads the releases of the YAML documents of data.
func yamlReleases(name string, data []byte) []Release {
	var out []Release
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			break // the end, or YAML keyscan cannot read (a template): nothing more
		}
		if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			continue
		}
		root := doc.Content[0]
		kind := scalar(mapGet(root, "kind"))
		switch {
		case mapGet(root, "releases") != nil && kind == "":
			for _, r := range seqItems(mapGet(root, "releases")) {
				rel := Release{File: name, Line: r.Line, How: "a helmfile release"}
				for _, v := range seqItems(mapGet(r, "values")) {
					if v.Kind == yaml.ScalarNode {
						rel.Files = append(rel.Files, v.Value)
					} else {
						rel.addValues(v)
					}
				}
				for _, key := range []string{"set", "setString"} {
					for _, s := range seqItems(mapGet(r, key)) {
						rel.addSet(scalar(mapGet(s, "name")), scalar(mapGet(s, "value")))
					}
				}
				out = append(out, rel)
			}
		case kind == "Application" || kind == "ApplicationSet":
			spec := mapGet(root, "spec")
			if kind == "ApplicationSet" {
				spec = mapGet(mapGet(spec, "template"), "spec")
			}
			sources := append([]*yaml.Node{mapGet(spec, "source")}, seqItems(mapGet(spec, "sources"))...)
			for _, src := range sources {
				helm := mapGet(src, "helm")
				if helm == nil {
					continue
				}
				rel := Release{File: name, Line: mapKeyLine(src, "helm"), How: "an Argo CD " + kind}
				for _, v := range seqItems(mapGet(helm, "valueFiles")) {
					rel.Files = append(rel.Files, v.Value)
				}
				for _, p := range seqItems(mapGet(helm, "parameters")) {
					rel.addSet(scalar(mapGet(p, "name")), scalar(mapGet(p, "value")))
				}
				if v := mapGet(helm, "values"); v != nil && v.Kind == yaml.ScalarNode {
					rel.addText(v.Value)
				} else if v != nil {
					rel.addValues(v)
				}
				if v := mapGet(helm, "valuesObject"); v != nil {
					rel.addValues(v)
				}
				out = append(out, rel)
			}
		case kind == "HelmRelease":
			spec := mapGet(root, "spec")
			rel := Release{File: name, Line: root.Line, How: "a Flux HelmRelease"}
			if v := mapGet(spec, "values"); v != nil {
				rel.addValues(v)
			}
			for _, f := range seqItems(mapGet(spec, "valuesFrom")) {
				k := scalar(mapGet(f, "kind"))
				if k == "" {
					k = "ConfigMap"
				}
				rel.Sources = append(rel.Sources, k+"/"+scalar(mapGet(f, "name")))
			}
			for _, v := range seqItems(mapGet(spec, "valuesFiles")) {
				rel.Files = append(rel.Files, v.Value)
			}
			out = append(out, rel)
		}
	}
	return out
}

// addValues judges a mapping of values the release sets itself.
func (r *Release) addValues(v *yaml.Node) {
	if b, err := yaml.Marshal(v); err == nil {
		r.addText(string(b))
	}
}

// addText judges values written as YAML text.
func (r *Release) addText(s string) {
	if r.Endpoint == "" {
		r.Endpoint = ValuesEndpoint([]byte(s))
	}
}

// addSet judges one name=value setting (helm --set's, a helmfile set:
// item's, an Argo CD parameter's): the last part of a dotted name is the
// key the chart's templates see.
func (r *Release) addSet(name, value string) {
	if name == "" {
		return
	}
	key := name[strings.LastIndexByte(name, '.')+1:]
	if i := strings.IndexByte(key, '['); i > 0 {
		key = key[:i]
	}
	if head, _, ok := strings.Cut(name, "."); ok && r.Endpoint == "" && bundledName(head) && value == "true" {
		r.Endpoint = "the chart bundles an S3-compatible service (" + name + "=" + value + ")"
		return
	}
	r.addText(key + ": " + yamlQuote(value) + "\n")
}

// bundledName reports whether a top-level values key is a bundled
// S3-compatible service's (minio.enabled=true).
func bundledName(k string) bool {
	for _, b := range bundledStorage {
		if strings.EqualFold(k, b) {
			return true
		}
	}
	return false
}

// yamlQuote writes s as a YAML double-quoted scalar.
func yamlQuote(s string) string {
	return fmt.Sprintf("%q", s)
}

// helmCommand matches a helm install, upgrade or template command and
// what follows it on its line.
var helmCommand = lazyre.New(`\bhelm(?:3)?[ \t]+(?:upgrade|install|template)\b([^\n]*)`)

// helmCommands reads the helm install/upgrade/template commands of a text
// file: their -f/--values files and their --set/--set-string settings
// (lines continued with a backslash are joined).
func helmCommands(name string, data []byte) []Release {
	text := strings.ReplaceAll(strings.ReplaceAll(string(data), "\\\r\n", " "), "\\\n", " ")
	var out []Release
	for _, m := range helmCommand.FindAllStringSubmatchIndex(text, -1) {
		line := 1 + strings.Count(text[:m[0]], "\n") + strings.Count(string(data[:min(len(data), m[0])]), "\\\n")
		rel := Release{File: name, Line: line, How: "a helm command"}
		args := strings.Fields(text[m[2]:m[3]])
		for i := 0; i < len(args); i++ {
			flag, val, eq := strings.Cut(args[i], "=")
			if !eq && i+1 < len(args) {
				val = args[i+1]
			}
			switch flag {
			case "-f", "--values":
				rel.Files = append(rel.Files, strings.Trim(val, `"'`))
			case "--set", "--set-string":
				for _, kv := range strings.Split(strings.Trim(val, `"'`), ",") {
					if k, v, ok := strings.Cut(kv, "="); ok {
						rel.addSet(k, v)
					}
				}
			default:
				continue
			}
			if !eq {
				i++
			}
		}
		out = append(out, rel)
	}
	return out
}

// Names reports whether the release gives the chart the values file at
// rel (a path below the run's root, '/'-separated), its own definition
// at defRel: a values file it names resolves to rel from the definition's
// folder, or has rel's file name (helm may run from anywhere).
func (r Release) Names(rel, defRel string) bool {
	for _, f := range r.Files {
		f = strings.ReplaceAll(f, `\`, "/")
		if path.Clean(path.Join(path.Dir(defRel), f)) == rel || path.Base(f) == path.Base(rel) {
			return true
		}
	}
	return false
}

// HelmReleaseReason is the reason given for keys of a values file that a
// release r gives its chart while setting an endpoint itself.
func HelmReleaseReason(r Release, via string) string {
	return customEndpoint(fmt.Sprintf("%s, set by %s at %s:%d, which gives the chart this values file%s and merges its own settings over it",
		r.Endpoint, r.How, r.File, r.Line, via))
}

// GeneratedFrom returns, by Kind/Name, the ConfigMaps and Secrets that
// the kustomize generators of a kustomization make from files (files:
// entries, KEY=PATH or PATH), with the paths as written.
func GeneratedFrom(data []byte) map[string][]string {
	var k struct {
		ConfigMaps []generator `yaml:"configMapGenerator"`
		Secrets    []generator `yaml:"secretGenerator"`
	}
	if yaml.Unmarshal(data, &k) != nil {
		return nil
	}
	out := map[string][]string{}
	add := func(kind string, gs []generator) {
		for _, g := range gs {
			for _, f := range g.Files {
				if _, p, ok := strings.Cut(f, "="); ok {
					f = p
				}
				out[kind+"/"+g.Name] = append(out[kind+"/"+g.Name], f)
			}
		}
	}
	add("ConfigMap", k.ConfigMaps)
	add("Secret", k.Secrets)
	for n := range out {
		sort.Strings(out[n])
	}
	return out
}

// generator is a kustomize configMapGenerator or secretGenerator entry.
type generator struct {
	Name  string   `yaml:"name"`
	Files []string `yaml:"files"`
}

// mapGet returns the value of key in the mapping node m, or nil.
func mapGet(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// seqItems returns the items of the sequence node s (none when s is not
// one).
func seqItems(s *yaml.Node) []*yaml.Node {
	if s == nil || s.Kind != yaml.SequenceNode {
		return nil
	}
	return s.Content
}

// scalar returns the value of a scalar node, "" for anything else.
func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// mapKeyLine returns the line of key in the mapping node m (its value's
// when it is not found).
func mapKeyLine(m *yaml.Node, key string) int {
	for i := 0; m != nil && m.Kind == yaml.MappingNode && i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i].Line
		}
	}
	return 0
}
