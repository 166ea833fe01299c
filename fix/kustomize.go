package fix

import (
	"path"
	"regexp"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"gopkg.in/yaml.v3"
)

// A kustomize secretGenerator makes a Secret from files: each variable of
// an envs: (or the older env:) file becomes a key of the Secret, so a
// .env file a generator names is a Secret whose keys a secretKeyRef reads
// by name, and removing a variable from it makes the pod that reads it
// fail (CreateContainerConfigError), as removing a literals: entry does.
// GeneratorEnvs tells keyscan fix which files are such Secrets; it judges
// their variables as the Secret's keys (SecretKey definitions). A files:
// entry is one key holding the whole file: removing lines from it changes
// the key's value, never removes the key, so it breaks no reader by name.

// GeneratedEnv is a file whose variables a kustomize generator makes keys
// of a Secret.
type GeneratedEnv struct {
	Secret string // the generator's name:, which the Secret is called
	File   string // the env file, joined to the kustomization's folder ('/'-separated)
	Line   int    // 1-based line of the generator's entry naming the file
}

// GeneratorEnvs returns the env files that the secretGenerators of the
// kustomization file called name (kustomization.yaml, .yml, or
// Kustomization) turn into Secrets. A file that does not parse names none.
func GeneratorEnvs(name string, data []byte) []GeneratedEnv {
	top, dir := kustomizationTop(name, data)
	if top == nil {
		return nil
	}
	var out []GeneratedEnv
	for k := 0; k+1 < len(top.Content); k += 2 {
		if top.Content[k].Value != "secretGenerator" || top.Content[k+1].Kind != yaml.SequenceNode {
			continue
		}
		for _, g := range top.Content[k+1].Content {
			if g.Kind != yaml.MappingNode {
				continue
			}
			secret := ""
			var files []*yaml.Node
			for m := 0; m+1 < len(g.Content); m += 2 {
				key, val := g.Content[m].Value, g.Content[m+1]
				switch key {
				case "name":
					secret = val.Value
				case "envs":
					if val.Kind == yaml.SequenceNode {
						files = append(files, val.Content...)
					}
				case "env":
					if val.Kind == yaml.ScalarNode {
						files = append(files, val)
					}
				}
			}
			if secret == "" {
				continue
			}
			for _, f := range files {
				if f.Kind != yaml.ScalarNode || f.Value == "" {
					continue
				}
				out = append(out, GeneratedEnv{Secret: secret, File: path.Join(dir, f.Value), Line: f.Line})
			}
		}
	}
	return out
}

// kustomizationTop parses the kustomization file called name: its
// top-level mapping and its folder ('/'-separated); nil when name is no
// kustomization file or it does not parse to a mapping.
func kustomizationTop(name string, data []byte) (*yaml.Node, string) {
	name = strings.ReplaceAll(name, `\`, "/")
	if !isKustomization(strings.ToLower(path.Base(name))) {
		return nil, ""
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, ""
	}
	return doc.Content[0], path.Dir(name)
}

// GeneratedKeys returns, for the definitions of an env file that a
// generator turns into a Secret, the same definitions as keys of that
// Secret (SecretKey, scoped by the Secret's name), so that a secretKeyRef
// to them holds them as it holds a literals: entry.
func GeneratedKeys(defs []Definition, g GeneratedEnv) []Definition {
	var out []Definition
	for _, d := range defs {
		if d.Kind != EnvVar {
			continue
		}
		d.Kind, d.Scope = SecretKey, g.Secret
		out = append(out, d)
	}
	return out
}

// A kustomize overlay changes the containers of its base with patches
// (patches:, patchesStrategicMerge:, patchesJson6902:, also inline): the
// usual way an environment points a base at its own MinIO is a patch that
// adds AWS_ENDPOINT_URL to the base's container (qa14 HIGH-2). The
// rendered container then holds the base's keys and the patch's endpoint,
// though no one file does. KustomizePatches names the patches of a
// kustomization and the workloads they target; keyscan fix
// (cmd/keyscan/fixk8s.go) joins a patch that sets an endpoint to every
// container of the workloads it targets (and a patch that holds keys to
// the endpoint of the containers it patches), so those keys stay.

// Target is a workload a patch changes: empty fields match any.
type Target struct{ Kind, Name string }

// Patch is a patch a kustomization names.
type Patch struct {
	Line   int    // 1-based line of its entry in the kustomization
	File   string // the patch file, joined to the kustomization's folder ('/'-separated); "" for an inline patch
	Inline string // an inline patch's text
	Target Target // its target:'s kind and name
	// Targeted: the entry has a target: (then a strategic-merge patch's
	// own kind and name do not choose what it changes; a target: of a
	// labelSelector only is any workload).
	Targeted bool
}

// KustomizePatches returns the patches of the kustomization file called
// name (kustomization.yaml, .yml, Kustomization): patches: entries (path:
// or patch:, with their target:), patchesStrategicMerge: entries (a path
// or an inline patch) and patchesJson6902: entries. A file that does not
// parse names none.
func KustomizePatches(name string, data []byte) []Patch {
	if !strings.Contains(string(data), "atches") && !strings.Contains(string(data), "replacements") && !strings.Contains(string(data), "vars") {
		return nil
	}
	top, dir := kustomizationTop(name, data)
	if top == nil {
		return nil
	}
	var out []Patch
	for k := 0; k+1 < len(top.Content); k += 2 {
		key, list := top.Content[k].Value, top.Content[k+1]
		if list.Kind == yaml.SequenceNode && (key == "replacements" || key == "vars") {
			out = append(out, replacements(key, dir, list)...)
			continue
		}
		if list.Kind != yaml.SequenceNode || key != "patches" && key != "patchesStrategicMerge" && key != "patchesJson6902" {
			continue
		}
		for _, it := range list.Content {
			p := Patch{Line: it.Line}
			switch it.Kind {
			case yaml.ScalarNode: // patchesStrategicMerge: a path, or an inline patch
				if strings.Contains(it.Value, "\n") || strings.Contains(it.Value, ": ") {
					p.Inline = it.Value
				} else {
					p.File = path.Join(dir, it.Value)
				}
			case yaml.MappingNode:
				for m := 0; m+1 < len(it.Content); m += 2 {
					v := it.Content[m+1]
					switch it.Content[m].Value {
					case "path":
						p.File = path.Join(dir, v.Value)
					case "patch":
						p.Inline = v.Value
					case "target":
						p.Targeted = true
						for t := 0; t+1 < len(v.Content); t += 2 {
							switch v.Content[t].Value {
							case "kind":
								p.Target.Kind = v.Content[t+1].Value
							case "name":
								p.Target.Name = v.Content[t+1].Value
							}
						}
					}
				}
			}
			if p.File != "" || p.Inline != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// PatchTargets returns the workloads the documents of a strategic-merge
// patch name (kind and metadata.name); none for a JSON 6902 patch (a
// list of operations), whose target the kustomization gives.
func PatchTargets(data []byte) []Target {
	var out []Target
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	for n := 0; n < 100; n++ {
		var doc struct {
			Kind     string `yaml:"kind"`
			Metadata struct {
				Name string `yaml:"name"`
			} `yaml:"metadata"`
		}
		if err := dec.Decode(&doc); err != nil {
			break
		}
		if doc.Kind != "" || doc.Metadata.Name != "" {
			out = append(out, Target{doc.Kind, doc.Metadata.Name})
		}
	}
	return out
}

// PatchEndpoint describes a custom endpoint set anywhere in a patch's
// text (a JSON 6902 operation's value, an env entry, an argument); "maybe:
// ..." when the patch names an endpoint in a form keyscan does not read
// (when in doubt the keys stay); "" when it names none.
func PatchEndpoint(data []byte) string {
	e := newEditor(data, YAML)
	if d := e.endpointIn(0, len(e.lines)-1); d != "" {
		return d
	}
	for i := range e.lines {
		if t := e.text(i); strings.Contains(strings.ToLower(t), "endpoint") {
			return "maybe: the patch names an endpoint (" + shorten(t) + ")"
		}
	}
	return ""
}

// replacements returns the replacements: (or vars:) of a kustomization as
// patches (qa14 HIGH-2's rest): a replacement copies a field of one
// resource (a ConfigMap's endpoint) into the containers of the workloads
// its targets select, so it changes them as a patch does. An inline entry
// is a patch whose text is the entry (its endpoint read there, and in the
// env entry its fieldPaths name: [name=AWS_ENDPOINT_URL], [name=S3_URL]),
// one per target's select:; a path: entry is the file it names, with no
// target told (every workload). A var is substituted into any container
// that names $(VAR): a patch of every workload.
func replacements(key, dir string, list *yaml.Node) []Patch {
	var out []Patch
	for _, it := range list.Content {
		if it.Kind != yaml.MappingNode {
			continue
		}
		text, _ := yaml.Marshal(it)
		entry := Patch{Line: it.Line, Inline: string(text)}
		for _, f := range fieldPathEnv.FindAllStringSubmatch(entry.Inline, -1) {
			if EndpointEnvName(f[1]) || storageSettingName(f[1]) {
				entry.Inline += "\n# the replacement gives " + f[1] + " a value, which may be an endpoint\n"
			}
		}
		if key == "vars" {
			out = append(out, entry)
			continue
		}
		var targets []Target
		for m := 0; m+1 < len(it.Content); m += 2 {
			v := it.Content[m+1]
			switch it.Content[m].Value {
			case "path":
				out = append(out, Patch{Line: it.Line, File: path.Join(dir, v.Value)})
			case "targets":
				for _, t := range v.Content {
					targets = append(targets, replacementSelect(t))
				}
			}
		}
		for _, t := range targets {
			p := entry
			p.Target, p.Targeted = t, true
			out = append(out, p)
		}
	}
	return out
}

// fieldPathEnv matches the env entry a replacement's fieldPath names
// (env.[name=AWS_ENDPOINT_URL].value).
var fieldPathEnv = lazyre.New(`env\.\[name=([A-Za-z0-9_.-]+)\]`)

// storageSettingName reports whether an environment variable of this name
// names where an S3-compatible service is reached (S3_URL, MINIO_HOST,
// STORAGE_ADDRESS), whatever value a replacement gives it.
func storageSettingName(n string) bool {
	l := strings.ToLower(n)
	for _, w := range storageNameWords {
		if nameHasWord(l, w) {
			for _, a := range []string{"url", "host", "addr", "address", "server", "uri"} {
				if nameHasWord(l, a) {
					return true
				}
			}
		}
	}
	return false
}

// replacementSelect returns the kind and name a replacement target's
// select: names.
func replacementSelect(t *yaml.Node) Target {
	var out Target
	for m := 0; m+1 < len(t.Content); m += 2 {
		if t.Content[m].Value != "select" {
			continue
		}
		sel := t.Content[m+1]
		for k := 0; k+1 < len(sel.Content); k += 2 {
			switch sel.Content[k].Value {
			case "kind":
				out.Kind = sel.Content[k+1].Value
			case "name":
				out.Name = sel.Content[k+1].Value
			}
		}
	}
	return out
}

// NameAffixes returns the namePrefix: and nameSuffix: of the
// kustomization file called name ("" when it sets none): the names a
// kustomization gives its resources' workloads, which the patches of the
// overlays above it name.
func NameAffixes(name string, data []byte) (prefix, suffix string) {
	top, _ := kustomizationTop(name, data)
	if top == nil {
		return "", ""
	}
	for k := 0; k+1 < len(top.Content); k += 2 {
		switch top.Content[k].Value {
		case "namePrefix":
			prefix = top.Content[k+1].Value
		case "nameSuffix":
			suffix = top.Content[k+1].Value
		}
	}
	return prefix, suffix
}

// MatchesNamed reports whether the target names the workload of container
// c, in a run whose kustomizations give names the
// prefixes and suffixes of affixes (pairs of namePrefix, nameSuffix): the
// target names the workload as written, or as any of them, or a chain of
// two of them (a base's and its overlay's), renames it; a target name
// that is a regular expression (kustomize matches target names as one)
// matches the same names.
func (t Target) MatchesNamed(c Container, affixes [][2]string) bool {
	if t.Kind != "" && t.Kind != c.Kind {
		return false
	}
	if t.Name == "" {
		return true
	}
	names := []string{c.Workload}
	for _, a := range affixes {
		n := a[0] + c.Workload + a[1]
		names = append(names, n, a[0]+c.Workload, c.Workload+a[1])
		for _, b := range affixes {
			names = append(names, b[0]+n+b[1])
		}
	}
	var re *regexp.Regexp
	if strings.ContainsAny(t.Name, `.*+?[](){}|^$\`) {
		re, _ = regexp.Compile(`^(?:` + t.Name + `)$`)
	}
	for _, n := range names {
		if n == t.Name || re != nil && re.MatchString(n) {
			return true
		}
	}
	return false
}
