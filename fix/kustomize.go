package fix

import (
	"path"
	"strings"

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
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	if !isKustomization(strings.ToLower(base)) {
		return nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	dir := path.Dir(strings.ReplaceAll(name, `\`, "/"))
	top := doc.Content[0]
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
