package main

import (
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/fix"
)

// helmReleaseHold returns why the keys of the values file at rel (below
// the target's root) stay when a folder is fixed, because a release
// definition of the run gives the chart that file and sets an endpoint
// over it (qa15 HIGH-3): a helmfile release (values:, set:), an Argo CD
// Application (helm.valueFiles with helm.parameters, values,
// valuesObject), a Flux HelmRelease (spec.values, with valuesFrom a
// ConfigMap or Secret that a kustomize generator of the run makes of the
// file), or a helm install/upgrade command of a script, a Makefile or a
// CI file (-f values.yaml --set ...). "" when none does. Regular files
// only, no link followed, at most maxReaders files read.
func helmReleaseHold(t fixTarget, rel string) string {
	type release struct {
		fix.Release
		def string // its file, below the root
	}
	var releases []release
	generated := map[string][]string{} // Kind/Name -> the files its generators take, below the root
	t.walkFiles(maxReaders, gitOrModules, func(r string, de fs.DirEntry) {
		lower := strings.ToLower(de.Name())
		yamlFile := strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".gotmpl")
		if !yamlFile && !flagFile(de.Name()) && !kustomizationFile(de.Name()) || r == rel {
			return
		}
		v, ok := t.parsed("releases", r, func(b []byte) any {
			var p releaseFile
			if kustomizationFile(de.Name()) {
				p.generated = fix.GeneratedFrom(b)
			}
			for _, rl := range fix.Releases(t.shown(r), b) {
				if rl.Endpoint != "" {
					p.releases = append(p.releases, rl)
				}
			}
			return p
		})
		if !ok {
			return
		}
		p := v.(releaseFile)
		for src, files := range p.generated {
			for _, f := range files {
				generated[src] = append(generated[src], path.Clean(path.Join(path.Dir(r), filepath.ToSlash(f))))
			}
		}
		for _, rl := range p.releases {
			releases = append(releases, release{rl, r})
		}
	})
	for _, r := range releases {
		if r.Names(rel, r.def) {
			return fix.HelmReleaseReason(r.Release, "")
		}
		for _, src := range r.Sources {
			for _, f := range generated[src] {
				if f == rel {
					return fix.HelmReleaseReason(r.Release, " (valuesFrom the "+strings.Replace(src, "/", " ", 1)+
						", which a kustomize generator makes of it)")
				}
			}
		}
	}
	return ""
}

// releaseFile is what helmReleaseHold takes of a file of the run: the
// releases that set an endpoint, and the files its kustomize generators
// make a ConfigMap or Secret of (Kind/Name -> files as written).
type releaseFile struct {
	releases  []fix.Release
	generated map[string][]string
}
