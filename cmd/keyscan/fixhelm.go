package main

import (
	"io/fs"
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
// them), and other files helm install -f may take (helmOverrides). Those
// files are read when a folder is fixed, inside it, following no link;
// for a file named alone only the names of its folder are looked at, and
// another values file there keeps the keys, saying it was not read (qa14
// HIGH-15).
func helmHolds(t fixTarget, data []byte, found scanner.Findings, opts *fix.Options) {
	if len(found) == 0 {
		return
	}
	hold := func(reason string) {
		for _, x := range found {
			addHold(opts, x.Offset, reason)
		}
	}
	if !fix.HelmValuesFile(t.name) {
		// A YAML file of a chart's sub-folder (envs/prod.yaml) is values
		// too, given with helm install -f: its chart's templates count.
		if dir := path.Dir(t.rel()); t.rootIsDir && chartOverride(t, dir) {
			if v, what := templateEndpoint(t, dir); what != "" {
				hold(fix.HelmTemplateReason(what, t.shown(v)))
				return
			}
		}
		// A YAML file of another name that a release gives its chart
		// (helm -f prod.yaml, valueFiles: [app-values.yaml]).
		if lower := strings.ToLower(t.name); t.rootIsDir && (strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml")) {
			if why := helmReleaseHold(t, t.rel()); why != "" {
				hold(why)
			}
		}
		return
	}
	if !t.rootIsDir {
		if v := unreadValues(t); v != "" {
			hold(fix.HelmUnreadReason(v))
		} else if tpl := unreadTemplates(t); tpl != "" {
			hold(fix.HelmUnreadTemplatesReason(tpl))
		}
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
				hold(fix.HelmEndpointReason(what, t.shown(v), d == dir))
				return
			}
		}
	}
	if v, what := helmOverrides(t, dir); what != "" {
		hold(fix.HelmEndpointReason(what, t.shown(v), true))
		return
	}
	if why := helmReleaseHold(t, rel); why != "" {
		hold(why)
		return
	}
	if v, what := templateEndpoint(t, dir); what != "" {
		hold(fix.HelmTemplateReason(what, t.shown(v)))
		return
	}
	for _, d := range dirs[:min(2, len(dirs))] { // its chart, and its parent chart
		c := path.Join(d, "Chart.yaml")
		if b, err := t.read(c, t.maxSize); err == nil {
			if what := fix.ChartStorage(b, data); what != "" {
				hold(fix.ChartStorageReason(what, t.shown(c)))
				return
			}
		}
	}
}

// unreadTemplates names the templates folder of the chart a values file
// named alone belongs to (a Chart.yaml or a templates/ folder beside it):
// its templates may set an endpoint or read the keys by their paths, and
// keyscan fix did not read them; "" when there is none.
func unreadTemplates(t fixTarget) string {
	folder := filepath.Dir(t.disk)
	for _, n := range []string{"Chart.yaml", "templates"} {
		if _, err := t.cache.lstat(filepath.Join(folder, n)); err == nil {
			return path.Join(path.Dir(filepath.ToSlash(t.name)), "templates")
		}
	}
	return ""
}

// templateEndpoint finds, when a folder is fixed, a template of the
// chart family of the values files of folder dir that sets a custom
// endpoint (fix.TemplateEndpoint): the templates of the chart that holds
// dir (a Chart.yaml in dir or a folder above, below the root), of its
// subcharts under charts/, and of its parent chart when it lies under
// charts/NAME/; for values of no chart, which may be given to any chart,
// the templates of every chart under the root. It returns the template
// and what it sets; "" when none does.
func templateEndpoint(t fixTarget, dir string) (string, string) {
	chart := ""
	for d := dir; ; d = path.Dir(d) {
		if st, err := t.cache.lstat(filepath.Join(t.root, filepath.FromSlash(d), "Chart.yaml")); err == nil && st.Mode().IsRegular() {
			chart = d
			break
		}
		if d == "." || d == "/" || d == "" {
			break
		}
	}
	top := chart
	if parent := path.Dir(chart); chart != "" && path.Base(parent) == "charts" {
		top = path.Dir(parent) // the parent chart: its templates and its other subcharts'
	}
	if chart == "" {
		top = "."
	}
	var names []string
	n := 0
	t.cache.walkDir(filepath.Join(t.root, filepath.FromSlash(top)), func(p string, de fs.DirEntry, err error) error {
		if n++; err != nil || n > maxReaders {
			if de != nil && de.IsDir() && err == nil {
				return fs.SkipDir
			}
			return nil
		}
		if de.IsDir() {
			if de.Name() == ".git" {
				return fs.SkipDir
			}
			return nil
		}
		r, rerr := filepath.Rel(t.root, p)
		if rerr != nil || !de.Type().IsRegular() || !strings.Contains("/"+filepath.ToSlash(r), "/templates/") {
			return nil
		}
		names = append(names, filepath.ToSlash(r))
		return nil
	})
	for _, v := range names {
		b, err := t.read(v, t.maxSize)
		if err != nil {
			continue
		}
		if what := fix.TemplateEndpoint(b); what != "" {
			return v, what
		}
	}
	return "", ""
}

// unreadValues names another values file beside a values file named
// alone, or its parent chart's folder when it lies under charts/NAME/:
// files helm merges with it that keyscan fix did not read; "" when none.
func unreadValues(t fixTarget) string {
	folder := filepath.Dir(t.disk)
	ents, err := t.cache.readDir(folder)
	if err != nil {
		return ""
	}
	for _, de := range ents {
		if de.Type().IsRegular() && fix.HelmValuesFile(de.Name()) && de.Name() != filepath.Base(t.disk) {
			return path.Join(path.Dir(filepath.ToSlash(t.name)), de.Name())
		}
	}
	if parent := filepath.Dir(folder); filepath.Base(parent) == "charts" {
		return filepath.ToSlash(filepath.Dir(parent)) + "/values.yaml"
	}
	return ""
}

// helmOverrides finds, when a folder is fixed, the files that helm
// install -f may merge with the values files of folder dir that are not
// its own values*.yaml (qa14 HIGH-15): any YAML file of the chart folder's
// sub-folders (envs/onprem.yaml; templates/, charts/ and crds/ left out)
// when dir holds a Chart.yaml, and a values*.yaml anywhere under the root
// that belongs to no chart (no Chart.yaml in its folder or above), which
// may be given to any chart. It returns the first that sets an endpoint,
// with what sets it; "" when none does.
func helmOverrides(t fixTarget, dir string) (string, string) {
	isChart := func(d string) bool {
		st, err := t.cache.lstat(filepath.Join(t.root, filepath.FromSlash(d), "Chart.yaml"))
		return err == nil && st.Mode().IsRegular()
	}
	chart := isChart(dir)
	inChart := func(d string) bool { // below the root, a chart folder or one above
		for ; ; d = path.Dir(d) {
			if isChart(d) {
				return true
			}
			if d == "." || d == "/" || d == "" {
				return false
			}
		}
	}
	var names []string
	skip := func(name, r string) bool {
		return name == ".git" || path.Dir(r) == dir && (name == "templates" || name == "charts" || name == "crds")
	}
	t.walkFiles(maxReaders, skip, func(r string, de fs.DirEntry) {
		if path.Dir(r) == dir {
			return
		}
		lower := strings.ToLower(de.Name())
		yamlFile := strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml")
		switch {
		case chart && yamlFile && (strings.HasPrefix(r, dir+"/") || dir == "."):
			names = append(names, r)
		case fix.HelmValuesFile(de.Name()) && !inChart(path.Dir(r)):
			names = append(names, r)
		}
	})
	for _, v := range names {
		b, err := t.read(v, t.maxSize)
		if err != nil {
			continue
		}
		if what := fix.ValuesEndpoint(b); what != "" {
			return v, what
		}
	}
	return "", ""
}

// subchartDirs lists the folders of dir/charts/ below the target's root.
func subchartDirs(t fixTarget, dir string) []string {
	ents, err := t.cache.readDir(filepath.Join(t.root, filepath.FromSlash(path.Join(dir, "charts"))))
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
	ents, err := t.cache.readDir(filepath.Join(t.root, filepath.FromSlash(dir)))
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

// chartOverride reports whether folder dir (below the root) is a
// sub-folder of a chart folder, other than its templates/, charts/ and
// crds/, whose YAML files helm install -f may take as values.
func chartOverride(t fixTarget, dir string) bool {
	lower := strings.ToLower(path.Base(t.name))
	if !strings.HasSuffix(lower, ".yaml") && !strings.HasSuffix(lower, ".yml") {
		return false
	}
	for d := dir; d != "." && d != "/" && d != ""; d = path.Dir(d) {
		switch path.Base(d) {
		case "templates", "charts", "crds":
			return false
		}
		if st, err := t.cache.lstat(filepath.Join(t.root, filepath.FromSlash(path.Dir(d)), "Chart.yaml")); err == nil && st.Mode().IsRegular() {
			return true
		}
	}
	return false
}
