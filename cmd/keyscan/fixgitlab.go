package main

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/fix"
)

// maxIncludedFiles bounds the local files gitlabIncluded reads for one
// GitLab CI file (GitLab itself allows 150 includes).
const maxIncludedFiles = 150

// gitlabIncluded tells fix which GitLab pipeline the target belongs to
// (opts.GitLab): the jobs of every file of a pipeline get the top-level
// variables: of each, and choose their runners by their own tags (fix24).
// A YAML file that the .gitlab-ci.yml of its folder or one above includes
// (directly or through another include) belongs to that pipeline; a
// GitLab CI file that no such pipeline includes is its own. What it
// cannot read (missing, outside the folder fixed, a ** glob, a file named
// alone) is left out of the pipeline, so the keys those jobs get stay.
func gitlabIncluded(t fixTarget, data []byte, opts *fix.Options) {
	rel := t.rel()
	if t.rootIsDir && configExt(rel) == "yaml" {
		for dir := path.Dir(rel); ; dir = path.Dir(dir) {
			for _, n := range []string{".gitlab-ci.yml", ".gitlab-ci.yaml"} {
				if top := path.Join(dir, n); top != rel {
					if p := t.gitlabPipeline(top); p.files[rel] {
						opts.GitLab = &fix.GitLabPipeline{Top: p.top, Included: p.included}
						return
					}
				}
			}
			if dir == "." {
				break
			}
		}
	}
	if !fix.GitLabFile(t.name) {
		return
	}
	opts.GitLab = &fix.GitLabPipeline{}
	if t.rootIsDir {
		opts.GitLab.Included = t.gitlabPipeline(rel).included
	}
}

// gitlabPipelineFiles is what gitlabPipeline read of a pipeline.
type gitlabPipelineFiles struct {
	top      []byte              // the pipeline's own file
	included map[string][][]byte // for fix.GitLabPipeline
	files    map[string]bool     // the files read, below the root
}

// gitlabPipeline reads the GitLab pipeline whose file is rel and the
// local files it includes, and theirs (at most maxIncludedFiles), once
// per run. Local include paths start at the project's top: the folder
// holding rel, or the one holding its .gitlab/ folder.
func (t fixTarget) gitlabPipeline(rel string) gitlabPipelineFiles {
	v, _ := t.parsed("gitlab pipeline", rel, func(data []byte) any {
		p := gitlabPipelineFiles{top: data, included: map[string][][]byte{}, files: map[string]bool{}}
		top := path.Dir(rel)
		if i := strings.Index("/"+rel, "/.gitlab/"); i >= 0 {
			top = path.Clean("./" + rel[:max(i-1, 0)])
		}
		queue := fix.GitLabLocalIncludes(data)
		for n := 0; len(queue) > 0 && n < maxIncludedFiles; n++ {
			inc := queue[0]
			queue = queue[1:]
			if _, seen := p.included[inc]; seen {
				continue
			}
			var files [][]byte
			for _, r := range includeFiles(t, top, inc) {
				b, err := t.read(r, t.maxSize)
				if err != nil {
					files = nil
					break
				}
				p.files[r] = true
				files = append(files, b)
				queue = append(queue, fix.GitLabLocalIncludes(b)...)
			}
			if files != nil {
				p.included[inc] = files
			}
		}
		return p
	})
	p, _ := v.(gitlabPipelineFiles)
	return p
}

// includeFiles returns the files (below the root) that the local include
// p of a pipeline whose project's top is the folder top names: one path,
// or a glob's matches within one folder. None for a path that leaves the
// root, a ** glob or a variable, or a name that matches no regular file.
func includeFiles(t fixTarget, top, p string) []string {
	r := path.Clean(path.Join(top, strings.TrimPrefix(p, "/")))
	if r == ".." || strings.HasPrefix(r, "../") || strings.Contains(p, "**") || strings.Contains(p, "$") {
		return nil
	}
	if !strings.ContainsAny(r, "*?[") {
		return []string{r}
	}
	dir, pat := path.Split(r)
	if strings.ContainsAny(dir, "*?[") {
		return nil
	}
	ents, err := t.cache.readDir(filepath.Join(t.root, filepath.FromSlash(dir)))
	if err != nil {
		return nil
	}
	var out []string
	for _, de := range ents {
		if ok, _ := path.Match(pat, de.Name()); ok && de.Type().IsRegular() {
			out = append(out, path.Join(dir, de.Name()))
		}
	}
	return out
}
