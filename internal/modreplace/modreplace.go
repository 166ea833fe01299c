// Package modreplace tells which replace directive the go command applies
// to a module, from a go.work's and its modules' go.mod files, so that
// keyscan scan, staged and pre-receive read an imported package from the
// folder go vet builds it from.
//
// The go command's rule (cmd/go's modload.replacementFrom): the go.work's
// directives first, one for the module's selected version before one for
// all its versions; else the main modules' go.mod files in the go.work's
// use order (the module's alone outside a workspace), the last one with a
// directive for it winning, again its version's before all versions'. A
// directive for another version than the selected one does not apply (a
// go.work's replace example.com/lib v1.2.0 => ./x while the build selects
// v1.0.0 leaves the module to the module cache, or to a go.mod's replace),
// and one that replaces the module with another module version takes it
// out of the tree as much as none at all would not: it wins over a
// folder a later or a go.mod's directive names.
package modreplace

import "golang.org/x/mod/semver"

// Directive is one replace directive: Old at OldVersion ("" for all its
// versions) replaced by the folder Dir, or by a module version (Dir "":
// the module cache's, outside any tree).
type Directive struct {
	Old, OldVersion string
	Dir             string
}

// Pick returns the directive the go command applies to the module old at
// the selected version (Selected; "" when it is not known: then a
// directive for any version may apply, its version's or not), work being
// the go.work's directives (nil outside a workspace) and mods the main
// modules' go.mod directives, in the go.work's use order. ok is false when
// none applies.
func Pick(old, version string, work []Directive, mods [][]Directive) (d Directive, ok bool) {
	if d, ok := match(old, version, work); ok {
		return d, true
	}
	for _, m := range mods {
		if md, mok := match(old, version, m); mok {
			d, ok = md, true
		}
	}
	return d, ok
}

// match returns the directive of ds for old at version: one naming that
// version first, then one for all versions.
func match(old, version string, ds []Directive) (Directive, bool) {
	all, found := Directive{}, false
	for _, d := range ds {
		switch {
		case d.Old != old:
		case d.OldVersion == "":
			if !found {
				all, found = d, true
			}
		case version == "" || d.OldVersion == version:
			return d, true
		}
	}
	return all, found
}

// Selected returns the version of the module old that the main modules'
// require directives (path and version pairs, in any order) select: the
// highest (minimal version selection takes the highest any requires; a
// go.mod at go 1.17 or later lists every module providing a package its
// module builds); "" when none requires it.
func Selected(old string, required [][2]string) string {
	v := ""
	for _, r := range required {
		if r[0] == old && (v == "" || semver.Compare(r[1], v) > 0) {
			v = r[1]
		}
	}
	return v
}

// Olds returns the module paths work and mods replace, each once, in the
// order met.
func Olds(work []Directive, mods [][]Directive) []string {
	seen := map[string]bool{}
	var out []string
	add := func(ds []Directive) {
		for _, d := range ds {
			if !seen[d.Old] {
				seen[d.Old] = true
				out = append(out, d.Old)
			}
		}
	}
	add(work)
	for _, m := range mods {
		add(m)
	}
	return out
}
