package main

import (
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/scanner"
)

// helmHolds leaves for a person the keys of a Helm values file when a
// values file of the same chart family sets a custom endpoint (qa12
// MEDIUM-1 (d)): the other values*.yaml of its own folder (helm install -f
// values.yaml -f values-onprem.yaml merges them into the same values, the
// usual way to point a chart at an on-prem MinIO: qa14 HIGH-3; with or
// without a Chart.yaml, since a folder of values files for a chart from a
// repository is merged the same way), the parent chart's (a chart under
// charts/NAME/ gets the parent's global: values and its NAME: block) and
// the subcharts' under charts/ (whose templates get this file's values for
// them). Only when a folder is fixed, inside it, following no link.
func helmHolds(t fixTarget, data []byte, found scanner.Findings, opts *fix.Options) {
	if !t.rootIsDir || len(found) == 0 || !fix.HelmValuesFile(t.name) {
		return
	}
	rel := t.rel()
	dir := path.Dir(rel)
	dirs := []string{dir}
	if parent := path.Dir(dir); path.Base(parent) == "charts" {
		dirs = append(dirs, path.Dir(parent))
	}
	dirs = append(dirs, subchartDirs(t, dir)...)
	for _, d := range dirs {
		if d == ".." || strings.HasPrefix(d, "../") {
			continue
		}
		for _, v := range valuesFilesIn(t, d) {
			if v == rel {
				continue
			}
			b, err := t.read(v, t.maxSize)
			if err != nil {
				continue
			}
			if what := fix.HelmEndpoint(v, b); what != "" {
				reason := fix.HelmEndpointReason(what, v, d == dir)
				for _, x := range found {
					if opts.Hold == nil {
						opts.Hold = map[int]string{}
					}
					if _, ok := opts.Hold[x.Offset]; !ok {
						opts.Hold[x.Offset] = reason
					}
				}
				return
			}
		}
	}
}

// subchartDirs lists the folders of dir/charts/ below the target's root.
func subchartDirs(t fixTarget, dir string) []string {
	ents, err := os.ReadDir(filepath.Join(t.root, filepath.FromSlash(path.Join(dir, "charts"))))
	if err != nil {
		return nil
	}
	var out []string
	for _, de := range ents {
		if de.IsDir() {
			out = append(out, path.Join(dir, "charts", de.Name()))
		}
	}
	return out
}

// valuesFilesIn lists the Helm values files of folder dir below the
// target's root (regular files; read through t.read, which follows no
// link).
func valuesFilesIn(t fixTarget, dir string) []string {
	ents, err := os.ReadDir(filepath.Join(t.root, filepath.FromSlash(dir)))
	if err != nil {
		return nil
	}
	var out []string
	for _, de := range ents {
		if de.Type().IsRegular() && fix.HelmValuesFile(de.Name()) {
			out = append(out, path.Join(dir, de.Name()))
		}
	}
	return out
}
