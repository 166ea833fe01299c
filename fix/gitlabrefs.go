package fix

import (
	"bytes"
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

// A GitLab CI job takes another's settings by name: extends: (GitLab
// merges the template's variables: into the job, deeply, along a chain),
// !reference [.tmpl, variables, NAME] (one variable, or the whole map), or
// a YAML alias of the template's block. A template's keys removed while a
// job that takes them sets a custom endpoint (AWS_ENDPOINT_URL:
// http://minio.ci:9000) would give MinIO the runner's instance role; a
// !reference to a removed variable stops GitLab from loading the pipeline
// at all (qa15 HIGH-21). So a variable of a job (CIVar) is a definition
// that those jobs read (gitlabReferences).

// gitlabJobBlock is a top-level entry of a GitLab CI file: its name, its
// lines and its node.
type gitlabJobBlock struct {
	name        string
	first, last int // 0-based lines
	node        *yaml.Node
}

// gitlabBlocks returns the top-level entries of a GitLab CI file.
func gitlabBlocks(data []byte) []gitlabJobBlock {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	top := doc.Content[0].Content
	var out []gitlabJobBlock
	last := bytes.Count(data, []byte("\n")) // the file's last line, 0-based
	for k := 0; k+1 < len(top); k += 2 {
		b := gitlabJobBlock{name: top[k].Value, first: top[k].Line - 1, node: top[k+1], last: last}
		if k+2 < len(top) {
			b.last = top[k+2].Line - 2
		}
		out = append(out, b)
	}
	return out
}

// gitlabExtends returns the names a job's extends: gives (a name or a list).
func gitlabExtends(n *yaml.Node) []string {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for k := 0; k+1 < len(n.Content); k += 2 {
		if n.Content[k].Value != "extends" {
			continue
		}
		v := n.Content[k+1]
		if v.Kind == yaml.ScalarNode {
			return []string{v.Value}
		}
		var out []string
		for _, it := range v.Content {
			out = append(out, it.Value)
		}
		return out
	}
	return nil
}

// gitlabTakes calls fn with each node of n's tree (aliases followed
// once) that takes settings of another block by name: a !reference
// sequence, or an alias (its target node).
func gitlabTakes(n *yaml.Node, fn func(ref []string, alias *yaml.Node, at *yaml.Node)) {
	var walk func(x *yaml.Node, depth int)
	walk = func(x *yaml.Node, depth int) {
		if x == nil || depth > 64 {
			return
		}
		if x.Kind == yaml.AliasNode {
			fn(nil, x.Alias, x)
			return
		}
		if x.Tag == "!reference" && x.Kind == yaml.SequenceNode {
			var ref []string
			for _, it := range x.Content {
				ref = append(ref, it.Value)
			}
			fn(ref, nil, x)
			return
		}
		for _, c := range x.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
}

// gitlabReferences returns where the GitLab CI file name (content data)
// reads a CIVar among defs: a !reference naming it (or the variables: of
// its job, or its job), a job that extends its job (along extends:
// chains of this file) or takes it through an alias and sets a custom
// endpoint, and, for a variable of the top-level variables:, which every
// job gets, a job that sets one. What says which, with the endpoint.
func gitlabReferences(name string, data []byte, defs []Definition, k0 []int) []Reference {
	blocks := gitlabBlocks(data)
	if len(blocks) == 0 {
		return nil
	}
	e := newEditor(data, YAML)
	byName := map[string]gitlabJobBlock{}
	for _, b := range blocks {
		byName[b.name] = b
	}
	// ancestors along extends:, a few steps, this file's templates.
	ancestors := func(b gitlabJobBlock) map[string]bool {
		out := map[string]bool{}
		next := gitlabExtends(b.node)
		for step := 0; step < 16 && len(next) > 0; step++ {
			var more []string
			for _, n := range next {
				if out[n] {
					continue
				}
				out[n] = true
				if a, ok := byName[n]; ok {
					more = append(more, gitlabExtends(a.node)...)
				}
			}
			next = more
		}
		return out
	}
	var out []Reference
	for _, b := range blocks {
		if b.name == "variables" || b.name == "default" || b.name == "include" || b.name == "workflow" || b.name == "stages" {
			continue
		}
		anc := ancestors(b)
		ep := "" // set in the job's block or a template it extends
		for _, o := range append([]gitlabJobBlock{b}, blocks...) {
			if (o.name == b.name || anc[o.name]) && o.first <= o.last {
				if ep = e.endpointIn(o.first, min(o.last, len(e.lines)-1)); ep != "" {
					break
				}
			}
		}
		aliased := map[string]int{} // jobs whose blocks this one takes by alias: line
		gitlabTakes(b.node, func(ref []string, alias, at *yaml.Node) {
			if alias != nil {
				for _, o := range blocks {
					if o.name != b.name && alias.Line-1 >= o.first && alias.Line-1 <= o.last {
						aliased[o.name] = at.Line
					}
				}
				return
			}
			if len(ref) == 0 {
				return
			}
			for _, k := range k0 {
				d := defs[k]
				if d.Scope != ref[0] || len(ref) > 1 && ref[1] != "variables" || len(ref) > 2 && ref[2] != d.Name {
					continue
				}
				out = append(out, Reference{Def: k, File: name, Line: at.Line, What: "!reference [" + strings.Join(ref, ", ") + "] in the job " + b.name,
					Endpoint: ep})
			}
		})
		if ep == "" {
			continue
		}
		for _, k := range k0 {
			d := defs[k]
			switch {
			case d.Scope == "":
				out = append(out, Reference{Def: k, File: name, Line: b.first + 1, What: "the job " + b.name + ", which gets every top-level variable", Endpoint: ep})
			case anc[d.Scope]:
				out = append(out, Reference{Def: k, File: name, Line: b.first + 1, What: "the job " + b.name + ", which extends " + d.Scope, Endpoint: ep})
			case aliased[d.Scope] > 0:
				out = append(out, Reference{Def: k, File: name, Line: aliased[d.Scope], What: "the job " + b.name + ", which takes " + d.Scope + "'s settings through a YAML alias", Endpoint: ep})
			}
		}
	}
	return out
}

// gitlabPipeline returns the folder of the pipeline a GitLab CI file
// belongs to: a job's extends: and !reference name jobs of the same
// pipeline, the .gitlab-ci.yml and the files it includes (under
// .gitlab/ci/ of the same folder, by keyscan's reckoning), not those of
// another project of the run.
func gitlabPipeline(name string) string {
	p := path.Clean(strings.ReplaceAll(name, `\`, "/"))
	if i := strings.LastIndex("/"+p, "/.gitlab/ci/"); i >= 0 {
		if i == 0 {
			return "."
		}
		return p[:i-1]
	}
	return path.Dir(p)
}

// samePipeline reports whether the GitLab CI file reader may take the
// jobs of the file def by name: def lies in the folder of reader's
// pipeline or below it (a file it includes: .gitlab/ci/templates.yml,
// ci/templates.yml), not in another project of the run.
func samePipeline(reader, def string) bool {
	r, d := gitlabPipeline(reader), gitlabPipeline(def)
	return r == "." || r == d || strings.HasPrefix(d, r+"/")
}
