package gosnap

import (
	"bytes"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/internal/modreplace"
)

// A commit can add a key without changing a Go file: a replace directive
// added to go.mod (example.com/lib => ./xlib), a go.work's use entry, a
// vendor/modules.txt that now lists a package, each makes an unchanged
// importer (lib.Head + "…") read another folder of the snapshot, whose
// constant starts the key ID it completes. keyscan scan and go vet read
// the tree as it is and find it; the hooks, which check what a commit
// changes, asked only about changed Go files (qa: staged and pre-receive
// said clean). So the files that decide where imports resolve are
// compared between the snapshots (Reresolved): a module whose view of the
// import paths differs, by the paths that differ, has its importers of
// those paths checked again (ImportersWith).
//
// The work is bounded where a commit to a huge module could make it
// large: a go.mod whose replace directives and module path are as they
// were (a require bumped, the usual change) differs in nothing and
// costs a read of the go.mod files; the walks that find importers are
// charged to the run's budget as Importers' are, and past it the rest is
// a gap (content.ErrGoBudget); the importers' type checks are charged by
// the caller.

// IsModFile reports whether the snapshot path p names a file that
// decides where the imports of the snapshot's Go files resolve: a go.mod
// (its module path, its replace directives), a go.work (use, replace) or
// a module's vendor/modules.txt (the packages built from vendor/).
func IsModFile(p string) bool {
	switch path.Base(p) {
	case "go.mod", "go.work":
		return true
	case "modules.txt":
		return path.Base(path.Dir(p)) == "vendor"
	}
	return false
}

// VendorMode, among a Resolved's paths, stands for every import path of
// another module (its first element holds a dot): a vendor/modules.txt
// added or removed turns on or off the go command's reading of them from
// vendor/ (Package reads any such package whose folder vendor/ holds).
const VendorMode = "\x00vendor"

// Resolved is, by the folder of a module of a snapshot, import paths
// that its Go files resolve otherwise than in another snapshot (to
// another folder, or to none): each stands for itself and the paths below
// it.
type Resolved map[string][]string

// Merge adds the paths of o to r.
func (r Resolved) Merge(o Resolved) {
	for dir, ps := range o {
		for _, p := range ps {
			if !slices.Contains(r[dir], p) {
				r[dir] = append(r[dir], p)
			}
		}
	}
}

// Reresolved returns the import paths the modules of s resolve otherwise
// than old does, given the paths changed between the two snapshots (only
// those IsModFile names count): the modules whose go.mod or
// vendor/modules.txt changed, and, when a go.work changed or a go.mod's
// module path did, every module of s (a go.work's use entry reads a
// go.mod's module path). A
// module's view is its own path, its replace directives' and its
// go.work's folders and the packages its vendor/modules.txt lists (in
// neither snapshot: nothing); a folder whose go.mod is gone is read in the
// module that holds it now. Paths resolved in old and no longer are
// given too: the longest module path holding an import wins, so a
// replacement dropped can move it to another folder.
func (s *Snapshot) Reresolved(old *Snapshot, changed []string) (Resolved, error) {
	s.run.mu.Lock()
	defer s.run.mu.Unlock()
	if old.run != s.run {
		old.run.mu.Lock()
		defer old.run.mu.Unlock()
	}
	var regions []string
	all := false
	for _, p := range changed {
		if !IsModFile(p) {
			continue
		}
		d := path.Dir(p)
		switch path.Base(p) {
		case "modules.txt":
			d = path.Dir(d) // the module holding vendor/
			// or the workspace: every workspace module builds from it
			for _, sn := range []*Snapshot{s, old} {
				w, err := sn.workspace(d)
				if err != nil {
					return nil, err
				}
				all = all || w.found && w.dir == d
			}
		case "go.work":
			all = true
		case "go.mod":
			// A go.work's use entry reads the module path of a go.mod:
			// only a path changed (a go.mod added or removed too), or
			// in a workspace its replace directives, changes another
			// module's view. A require bumped, the usual change, walks
			// nothing.
			mNew, err := s.moduleAt(d)
			if err != nil {
				return nil, err
			}
			mOld, err := old.moduleAt(d)
			if err != nil {
				return nil, err
			}
			all = all || mNew.path != mOld.path
			replaces, requires := !slices.Equal(mNew.replaces, mOld.replaces), !slices.Equal(mNew.required, mOld.required)
			if !all && (replaces || requires) {
				// In a workspace every workspace module's replace
				// directives are the build's (resolution): the other
				// modules of the go.work read them too; and a require
				// changed may move the version the workspace selects
				// off or onto one a directive replaces (modreplace).
				for _, sn := range []*Snapshot{s, old} {
					w, err := sn.workspace(d)
					if err != nil {
						return nil, err
					}
					all = all || w.found && (replaces || versionedReplace(w))
				}
			}
		}
		if !slices.Contains(regions, d) {
			regions = append(regions, d)
		}
	}
	if all {
		mods, err := s.modules()
		if err != nil {
			return nil, err
		}
		for _, m := range mods {
			if !slices.Contains(regions, m.dir) {
				regions = append(regions, m.dir)
			}
		}
	}
	out := Resolved{}
	for _, r := range regions {
		mNew, err := s.moduleOf(r)
		if err != nil {
			return nil, err
		}
		if mNew.path == "" {
			continue // no module: nothing resolves here now
		}
		vNew, err := s.view(mNew)
		if err != nil {
			return nil, err
		}
		mOld, err := old.moduleOf(r)
		if err != nil {
			return nil, err
		}
		vOld, err := old.view(mOld)
		if err != nil {
			return nil, err
		}
		var diff []string
		for p, d := range vNew {
			if o, ok := vOld[p]; !ok || o != d {
				diff = append(diff, p)
			}
		}
		for p := range vOld {
			if _, ok := vNew[p]; !ok {
				diff = append(diff, p)
			}
		}
		if len(diff) > 0 {
			out.Merge(Resolved{mNew.dir: diff})
		}
	}
	for _, ps := range out {
		slices.Sort(ps)
	}
	return out, nil
}

// view returns where the Go files of the module m resolve imports in the
// snapshot, as Package resolves them: by module path (the module's own,
// its replace directives', its go.work's) or vendored package path (the
// packages vendor/modules.txt lists: go mod vendor writes a folder for
// each), the folder. The first of a path wins, as in Package.
func (s *Snapshot) view(m module) (map[string]string, error) {
	v := map[string]string{}
	if m.path == "" {
		return v, nil
	}
	res, err := s.resolution(m)
	if err != nil {
		return nil, err
	}
	for _, lm := range res.mods[:res.mains] {
		if _, ok := v[lm.path]; !ok {
			v[lm.path] = lm.dir
		}
	}
	// before the replacements: Package reads another module's package
	// from vendor/ (the module's, or the go.work's) first
	vend, on, err := s.vendoredBy(module{dir: res.vendorRoot})
	if err != nil {
		return nil, err
	}
	if on {
		v[VendorMode] = "on"
	}
	for _, p := range vend {
		if _, ok := v[p]; !ok {
			v[p] = path.Join(res.vendorRoot, "vendor", p)
		}
	}
	for _, lm := range res.mods[res.mains:] {
		if _, ok := v[lm.path]; !ok {
			v[lm.path] = lm.dir
		}
	}
	return v, nil
}

// vendorDir returns the folder vendor/importPath of the module m when
// m's vendor/modules.txt is in the snapshot and that folder holds files;
// "" otherwise.
func (s *Snapshot) vendorDir(m module, importPath string) (string, error) {
	v := path.Join(m.dir, "vendor")
	ents, err := s.folder(v)
	if err != nil || !slices.ContainsFunc(ents, func(e Entry) bool { return path.Base(e.Path) == "modules.txt" }) {
		return "", err
	}
	d := path.Join(v, importPath)
	if ents, err = s.folder(d); err != nil || len(ents) == 0 {
		return "", err
	}
	return d, nil
}

// vendoredBy returns the packages the vendor/modules.txt of the module m
// lists (its lines that are not # comments), and whether there is one:
// the go command then builds every other module's package from m's
// vendor folder.
func (s *Snapshot) vendoredBy(m module) ([]string, bool, error) {
	if v, ok := s.vendorList[m.dir]; ok {
		return v, v != nil, nil
	}
	ents, err := s.folder(path.Join(m.dir, "vendor"))
	if err != nil {
		return nil, false, err
	}
	var out []string
	for _, e := range ents {
		if path.Base(e.Path) != "modules.txt" {
			continue
		}
		out = []string{} // there, if empty
		data, err := s.readBlob(e)
		if err != nil {
			return nil, false, err
		}
		if len(data) > maxGoMod {
			return nil, false, fmt.Errorf("%s: larger than %d bytes", e.Path, maxGoMod)
		}
		for line := range bytes.Lines(data) {
			line = bytes.TrimSpace(line)
			if len(line) > 0 && line[0] != '#' {
				out = append(out, string(line))
			}
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	s.vendorList[m.dir] = out
	return out, out != nil, nil
}

// importing returns the Go files of the module m that import one of the
// paths (or a path below one), in one walk of its folders however many
// paths there are (a go mod vendor that lists hundreds of packages anew).
func (s *Snapshot) importing(m module, paths []string, imports func([]byte) []string) ([]Entry, error) {
	want := map[string]bool{}
	for _, p := range paths {
		want[p] = true
	}
	under := func(p string) bool {
		if want[VendorMode] && !(p == m.path || strings.HasPrefix(p, m.path+"/")) && strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
			return true // another module's package: vendor/ may hold it
		}
		for ; p != "." && p != "/" && p != ""; p = path.Dir(p) {
			if want[p] {
				return true
			}
		}
		return false
	}
	// A file names the path it imports: one that names none of them
	// (when they are few enough to look for) is not parsed.
	var needles [][]byte
	if len(paths) <= 16 && !want[VendorMode] {
		for _, p := range paths {
			needles = append(needles, []byte(p))
		}
	}
	var out []Entry
	err := s.walkModule(m, func(e Entry) error {
		data, err := s.readBlob(e)
		if err != nil {
			return err
		}
		if needles != nil && !slices.ContainsFunc(needles, func(n []byte) bool { return bytes.Contains(data, n) }) {
			return nil
		}
		if slices.ContainsFunc(imports(data), under) {
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// sortedDirs is re's module folders in order.
func (r Resolved) sortedDirs() []string { return slices.Sorted(maps.Keys(r)) }

// versionedReplace reports whether a replace directive of the workspace
// w (its go.work's or a workspace module's go.mod's) names a version.
func versionedReplace(w workspace) bool {
	versioned := func(ds []modreplace.Directive) bool {
		return slices.ContainsFunc(ds, func(d modreplace.Directive) bool { return d.OldVersion != "" })
	}
	if versioned(w.work) {
		return true
	}
	return slices.ContainsFunc(w.used, func(u module) bool { return versioned(u.replaces) })
}
