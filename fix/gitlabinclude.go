package fix

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// A GitLab pipeline's top-level variables: reach the jobs of every file
// it includes, and those jobs choose their runners by tags: of their own.
// keyscan fix judged only the jobs of the file holding the keys, so a
// pipeline whose own jobs were all tagged for the project's runners lost
// its keys even when an included file's untagged job (GitLab.com's hosted
// runners, no instance role) read them (fix24).

// gitlabInclude is one entry of a GitLab CI file's include:: how it names
// the file (local, remote, project, template, component) and what.
type gitlabInclude struct {
	kind, target string
}

// gitlabIncludes returns the entries of the top-level include: of a
// GitLab CI file: a string (a local path, or a remote URL), a mapping
// (local:, remote:, project: with file:, template:, component:) or a
// list of either. A mapping with none of those keys, or an entry of
// another shape, is returned with kind "?": keyscan cannot tell what it
// includes.
func gitlabIncludes(data []byte) []gitlabInclude {
	var out []gitlabInclude
	entry := func(n *yaml.Node) {
		switch n.Kind {
		case yaml.ScalarNode:
			if strings.Contains(n.Value, "://") {
				out = append(out, gitlabInclude{"remote", n.Value})
			} else {
				out = append(out, gitlabInclude{"local", n.Value})
			}
			return
		case yaml.MappingNode:
			for k := 0; k+1 < len(n.Content); k += 2 {
				switch key := n.Content[k].Value; key {
				case "local", "remote", "template", "component", "project":
					out = append(out, gitlabInclude{key, n.Content[k+1].Value})
					return
				}
			}
		}
		out = append(out, gitlabInclude{"?", ""})
	}
	for _, b := range gitlabBlocks(data) {
		if b.name != "include" {
			continue
		}
		if b.node.Kind == yaml.SequenceNode {
			for _, n := range b.node.Content {
				entry(n)
			}
		} else {
			entry(b.node)
		}
	}
	return out
}

// GitLabFile reports whether name is a GitLab CI configuration by its
// name (.gitlab-ci.yml, NAME.gitlab-ci.yml, a file of .gitlab/ci/).
func GitLabFile(name string) bool { return gitlabFile(name) }

// GitLabLocalIncludes returns the local files the GitLab CI file data
// includes, as its include: writes them (a path from the repository's
// top, with or without a leading /, perhaps a glob). cmd/keyscan reads
// them for the rule on included jobs (gitlabRunner).
func GitLabLocalIncludes(data []byte) []string {
	var out []string
	for _, in := range gitlabIncludes(data) {
		if in.kind == "local" {
			out = append(out, in.target)
		}
	}
	return out
}

// GitLabPipeline is what cmd/keyscan read of the GitLab pipeline a file
// belongs to.
type GitLabPipeline struct {
	// Top is the text of the pipeline's file that includes this one
	// (.gitlab-ci.yml); nil when this file is the pipeline's own.
	Top []byte
	// Included holds the text of the local files the pipeline includes
	// (GitLabLocalIncludes, and theirs), by the path as include: writes
	// it (a glob names several). A path missing here was not read.
	Included map[string][][]byte
}

// pipelineJobs describes a job of the pipeline p, other than those of the
// file data itself (whose default: tags are defTags), that may run on a
// GitLab-hosted runner, or an included file keyscan did not or cannot
// read; "" when every job is tagged for the project's own runners.
func pipelineJobs(data []byte, p *GitLabPipeline, defTags []string, defTagged bool) string {
	if p == nil {
		p = &GitLabPipeline{}
	}
	if p.Top == nil {
		return includedJobs(data, p.Included, defTags, defTagged)
	}
	jobs, tags, tagged, _ := newEditor(p.Top, YAML).gitlabJobs(-1)
	if w := hostedJob(jobs, tags, tagged); w != "" {
		return w + " (in the pipeline's file that includes this one)"
	}
	return includedJobs(p.Top, p.Included, tags, tagged)
}

// hostedJob describes the first job of jobs (templates left out) that may
// run on a GitLab-hosted runner, with the default: tags given when it has
// none of its own; "" when none may.
func hostedJob(jobs []gitlabCIJob, defTags []string, defTagged bool) string {
	for _, j := range jobs {
		if strings.HasPrefix(j.name, ".") {
			continue
		}
		tags, tagged := j.tags, j.tagged
		if !tagged {
			tags, tagged = defTags, defTagged
		}
		if w := gitlabHosted(j.name, tags, tagged); w != "" {
			return "the job " + w
		}
	}
	return ""
}

// maxIncludeDepth bounds how deep includedJobs follows local includes
// (GitLab allows 150 files; a loop is cut by the seen set).
const maxIncludeDepth = 16

// includedJobs describes a job of a file the pipeline data includes that
// may run on a GitLab-hosted runner, judged with the tags of its own
// default:, or else those of the including file (defTags), or a file
// keyscan did not or cannot read; "" when every included job is tagged
// for the project's own runners.
func includedJobs(data []byte, included map[string][][]byte, defTags []string, defTagged bool) string {
	seen := map[string]bool{}
	var walk func(data []byte, depth int, defTags []string, defTagged bool) string
	walk = func(data []byte, depth int, defTags []string, defTagged bool) string {
		for _, in := range gitlabIncludes(data) {
			what := "include: " + in.kind + ": " + shorten(in.target)
			if in.kind == "?" {
				what = "an include: entry keyscan does not know"
			}
			if in.kind != "local" {
				return "the pipeline's " + what + " names a file keyscan cannot read, whose jobs get every top-level variable " +
					"and may run on GitLab-hosted runners (no instance role) or read the keys by name"
			}
			if seen[in.target] {
				continue
			}
			seen[in.target] = true
			files, ok := included[in.target]
			if !ok || depth >= maxIncludeDepth {
				return "the pipeline's " + what + " was not read (missing, outside the folder fixed, or too deep), " +
					"and its jobs get every top-level variable and may run on GitLab-hosted runners"
			}
			for _, b := range files {
				e := newEditor(b, YAML)
				jobs, tags, tagged, _ := e.gitlabJobs(-1)
				if !tagged {
					tags, tagged = defTags, defTagged
				}
				if w := hostedJob(jobs, tags, tagged); w != "" {
					return w + " (in " + shorten(in.target) + ", which the pipeline includes)"
				}
				if w := walk(b, depth+1, tags, tagged); w != "" {
					return w
				}
			}
		}
		return ""
	}
	return walk(data, 0, defTags, defTagged)
}
