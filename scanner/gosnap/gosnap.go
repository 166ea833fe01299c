// Package gosnap gives the type check of a Go blob (keyscan staged's index,
// the gate's pushed commit) the other Go files it needs from the same
// snapshot: the files of its folder (content.Options.GoFolder) and the
// packages of its module it imports (content.Options.GoPackage), as
// keyscan scan and go vet read a folder's files and a module's packages
// from the work tree. A key whose head one package declares and another
// completes (cfg.Head + "…") is found in the snapshot being checked, not
// in whatever the work tree holds; and so is one that a commit changing
// only the head's package makes an unchanged importer spell (Importers:
// the module's files importing a changed package, ChangedGo: what a
// commit changes against a parent), or that a commit changing only a
// go.mod, a go.work or a vendor/modules.txt makes one read another folder
// (Reresolved, ImportersWith). A package a module's vendor/modules.txt
// lists is read from its vendor folder, as the go command builds it.
//
// A snapshot is read lazily, a folder at a time (Lister): an ordinary
// commit asks for none. Each blob is read once and charged to the run's
// type-check budget once (content.GoBudget.ChargeSibling), however many
// candidates ask; a blob that cannot be read, or past a bound, is an
// error, which the caller counts as a gap, never a pass.
package gosnap

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/internal/modreplace"
	"github.com/keyscan/keyscan/scanner/content"
)

// Entry is a regular file directly in a folder of the snapshot.
type Entry struct {
	Path string // slash-separated, from the snapshot's root
	ID   gitobj.ID
}

// Lister returns the regular files (no links, no submodules) directly in
// the folder dir of the snapshot ("." for its root), and the paths of the
// folders directly in it (Importers walks a module's folders).
type Lister func(dir string) (files []Entry, dirs []string, err error)

// Run holds what the snapshots of one run (a commit, a push) share: the
// type-check budget, and the blobs charged to it, each once however many
// snapshots and candidates ask (a push of many commits holds the same
// files in each). It is safe for concurrent use.
type Run struct {
	blob   func(gitobj.ID) ([]byte, error)
	budget *content.GoBudget

	mu      sync.Mutex
	charged map[gitobj.ID][]byte // the blobs charged, kept: the budget bounds them
	// seen keeps the other blobs read, up to maxSeen bytes in all: a
	// folder's files are read to learn whether they name a candidate's
	// names, again for each candidate of the folder.
	seen     map[gitobj.ID][]byte
	seenSize int
	// imports are the import paths inside a module of the Go blobs
	// Importers read, each parsed once a run however many snapshots (a
	// push's commits) hold it.
	imports map[blobIn][]string
}

// blobIn is a blob read for the imports inside the module of path mod.
type blobIn struct {
	id  gitobj.ID
	mod string
}

// maxSeen bounds the blobs a run keeps that it read but did not charge.
const maxSeen = 64 << 20

// NewRun returns a run whose blobs blob reads, charging what its
// snapshots give to budget (nil: no bound).
func NewRun(blob func(gitobj.ID) ([]byte, error), budget *content.GoBudget) *Run {
	return &Run{blob: blob, budget: budget, charged: map[gitobj.ID][]byte{}, seen: map[gitobj.ID][]byte{}, imports: map[blobIn][]string{}}
}

// Snapshot reads the Go files of one snapshot (an index, a commit's
// tree) for the type checks of a run. It is safe for concurrent use.
type Snapshot struct {
	run  *Run
	list Lister

	folders map[string]listing   // under run.mu
	mods    map[string]module    // folder -> the module holding it
	works   map[string]workspace // folder -> the go.work above it
	// imported holds, by module folder and the module path imported,
	// the Go files of the module by the import paths inside that module
	// they import (Importers); allMods the snapshot's modules, once
	// walked.
	imported map[string]map[string][]Entry
	allMods  *[]module
	// vendorList holds, by module folder, the packages its
	// vendor/modules.txt lists (vendoredBy).
	vendorList map[string][]string
}

// listing is what a Lister gave for a folder.
type listing struct {
	files []Entry
	dirs  []string
}

// module is a go.mod's folder in the snapshot and the path it declares;
// path "" when no go.mod is above a folder. local are the modules its
// replace directives put in folders of the snapshot.
type module struct {
	dir, path string
	// replaces are its go.mod's replace directives (folders of the
	// snapshot; Dir "" for a module version or a folder outside it),
	// required its require directives' paths and versions (modreplace).
	replaces []modreplace.Directive
	required [][2]string
}

// localModule is a module path and the folder of the snapshot holding it.
type localModule struct{ path, dir string }

// Snapshot returns the snapshot whose folders list lists.
func (r *Run) Snapshot(list Lister) *Snapshot {
	return &Snapshot{run: r, list: list, folders: map[string]listing{}, mods: map[string]module{}, works: map[string]workspace{}, imported: map[string]map[string][]Entry{}, vendorList: map[string][]string{}}
}

// New returns the snapshot whose folders list lists, in a run of its own.
func New(list Lister, blob func(gitobj.ID) ([]byte, error), budget *content.GoBudget) *Snapshot {
	return NewRun(blob, budget).Snapshot(list)
}

// maxGoMod bounds a go.mod read for its module path: the largest real
// ones are tens of kilobytes.
const maxGoMod = 4 << 20

// Folder is content.Options.GoFolder: the other Go files of name's folder
// whose bytes hold one of names (a file that names none of the
// candidate's names cannot declare or use them), each charged to the
// budget, for name.
func (s *Snapshot) Folder(name string, names []string) ([]content.GoFile, error) {
	s.run.mu.Lock()
	defer s.run.mu.Unlock()
	ents, err := s.folder(path.Dir(name))
	if err != nil {
		return nil, err
	}
	var out []content.GoFile
	for _, e := range ents {
		if e.Path == name || !strings.HasSuffix(e.Path, ".go") {
			continue
		}
		data, err := s.readBlob(e)
		if err != nil {
			return nil, err
		}
		if !containsAny(data, names) {
			continue
		}
		f := content.GoFile{Name: e.Path, Src: data}
		if err := s.charge(name, e, f, s.run.budget.ChargeSibling); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// Package is content.Options.GoPackage: the non-test Go files of the
// package importPath when it is inside the module of name's file (the
// go.mod nearest above its folder in the snapshot; its folder the import
// path's rest below the module's path), each charged to the budget for
// name. ok is false for any other path, which the caller leaves
// unresolved.
func (s *Snapshot) Package(name, importPath string) ([]content.GoFile, bool, error) {
	return s.pkg(name, importPath, true)
}

// Peek is Package without the charge (content.Options.GoPeek): for the
// byte test that decides whether a file is a candidate (its heads), not
// for a type check.
func (s *Snapshot) Peek(name, importPath string) ([]content.GoFile, bool, error) {
	return s.pkg(name, importPath, false)
}

func (s *Snapshot) pkg(name, importPath string, charge bool) ([]content.GoFile, bool, error) {
	s.run.mu.Lock()
	defer s.run.mu.Unlock()
	m, err := s.moduleOf(path.Dir(name))
	if err != nil {
		return nil, true, err // the module is unknown: what it holds too
	}
	if m.path == "" {
		return nil, false, nil
	}
	res, err := s.resolution(m)
	if err != nil {
		return nil, true, err
	}
	// The longest module path holding the import wins; for one path,
	// the first of resolution's order.
	best := localModule{}
	for _, lm := range res.mods {
		if len(lm.path) > len(best.path) && (importPath == lm.path || strings.HasPrefix(importPath, lm.path+"/")) {
			best = lm
		}
	}
	if !slices.Contains(res.mods[:res.mains], best) {
		// A module (a workspace) with a vendor/modules.txt builds every
		// other module's packages from its vendor folder (-mod=vendor,
		// the go command's default then), replaced ones too, as go vet
		// reads them: a key whose head a vendored package declares is
		// the build's.
		v, err := s.vendorDir(module{dir: res.vendorRoot}, importPath)
		if err != nil {
			return nil, true, err
		}
		if v != "" {
			best = localModule{importPath, v}
		}
	}
	if best.path == "" || best.dir == "" {
		return nil, false, nil // none, or another module version's: not in the snapshot
	}
	dir := path.Join(best.dir, strings.TrimPrefix(importPath, best.path))
	ents, err := s.folder(dir)
	if err != nil {
		return nil, true, err
	}
	var out []content.GoFile
	for _, e := range ents {
		if !strings.HasSuffix(e.Path, ".go") || strings.HasSuffix(e.Path, "_test.go") {
			continue
		}
		data, err := s.readBlob(e)
		if err != nil {
			return nil, true, err
		}
		f := content.GoFile{Name: e.Path, Src: data}
		if charge {
			if err := s.charge(name, e, f, s.run.budget.ChargeImported); err != nil {
				return nil, true, err
			}
		}
		out = append(out, f)
	}
	return out, true, nil
}

// Importers returns the Go files of the snapshot (tests too) that import
// the package of one of the folders dirs from inside its module (the
// go.mod nearest above the folder; a folder below with a go.mod of its own
// is another module), directly or through packages that may pass on what
// they import, sorted by path: keyscan scan type-checks such an importer
// with the packages it imports as the tree holds them, so a commit that
// changes only the imported package (cfg.Head made the head of a key ID
// that app's unchanged cfg.Head + "…" completes) is checked at the
// importer, where the key is spelled.
//
// A package is followed only when one of its non-test Go files passes
// starts (the byte test of a file whose constants may start a key ID, or
// carry on one from a package it imports): an importer completes nothing
// else. imports gives the import paths of a Go file. The module's folders
// are listed once a snapshot and its Go blobs parsed once a run, the walk
// charged to the budget a token a folder and a file (content.ErrGoBudget
// past it); what an importer's type check costs the caller charges, and
// GoPackage what it imports.
func (s *Snapshot) Importers(dirs []string, starts func(data []byte) bool, imports func(data []byte) []string) ([]Entry, error) {
	return s.ImportersWith(dirs, nil, starts, imports)
}

// ImportersWith is Importers, and also the Go files of each module of re
// that import one of its import paths (or a path below one), whatever
// they import them from, and through packages that may pass on what they
// import, the files importing those: a commit that changes only a go.mod,
// a go.work or a vendor/modules.txt makes such an importer read another
// folder (Reresolved).
func (s *Snapshot) ImportersWith(dirs []string, re Resolved, starts func(data []byte) bool, imports func(data []byte) []string) ([]Entry, error) {
	s.run.mu.Lock()
	defer s.run.mu.Unlock()
	// A package is at its import path in the module m; target is the
	// module path its importers import it under (a vendored package's
	// own path: only m's files import it from m's vendor folder).
	type pkgAt struct {
		m            module
		path, target string
	}
	var queue []pkgAt
	follow := func(dir string) error {
		ok, err := s.starts(dir, starts)
		if err != nil || !ok {
			return err
		}
		w, err := s.workspace(dir)
		if err != nil {
			return err
		}
		if vp, ok := strings.CutPrefix(dir, path.Join(w.dir, "vendor")+"/"); ok && w.found {
			// A package of the go.work's vendor folder: each workspace
			// module builds it from there, and so does every package of
			// that folder importing it (a imports b, both vendored: the
			// folder is no module's, so no module's walk reads a).
			vd, err := s.vendorDir(module{dir: w.dir}, vp)
			if err != nil || vd == "" {
				return err
			}
			for _, u := range w.used {
				queue = append(queue, pkgAt{u, vp, vp})
			}
			queue = append(queue, pkgAt{module{dir: path.Join(w.dir, "vendor")}, vp, vp})
			return nil
		}
		m, err := s.moduleOf(dir)
		if err != nil || m.path == "" {
			return err
		}
		if vp, ok := vendoredPath(m, dir); ok {
			if vd, err := s.vendorDir(m, vp); err != nil || vd != "" {
				if err == nil {
					queue = append(queue, pkgAt{m, vp, vp})
				}
				return err
			}
		}
		p := m.path
		if dir != m.dir {
			p = path.Join(m.path, strings.TrimPrefix(dir, m.dir+"/"))
			if m.dir == "." {
				p = path.Join(m.path, dir)
			}
		}
		queue = append(queue, pkgAt{m, p, m.path})
		return nil
	}
	for _, d := range dirs {
		if err := follow(d); err != nil {
			return nil, err
		}
	}
	found := map[string]Entry{}
	for _, dir := range re.sortedDirs() {
		m, err := s.moduleOf(dir)
		if err != nil {
			return nil, err
		}
		if m.path == "" || m.dir != dir {
			continue
		}
		ents, err := s.importing(m, re[dir], imports)
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			if _, ok := found[e.Path]; ok {
				continue
			}
			found[e.Path] = e
			if err := follow(path.Dir(e.Path)); err != nil {
				return nil, err
			}
		}
	}
	done := map[string]bool{}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if done[p.m.dir+"\x00"+p.path] {
			continue
		}
		done[p.m.dir+"\x00"+p.path] = true
		users := []module{p.m}
		var err error
		if p.target == p.m.path {
			if users, err = s.users(p.m); err != nil {
				return nil, err
			}
		}
		var members []module
		for _, u := range users {
			if p.target != p.m.path {
				members = append(members, u)
				continue
			}
			if members, err = s.appendMembers(members, u); err != nil {
				return nil, err
			}
		}
		for _, u := range members {
			rev, err := s.moduleImports(u, p.target, imports)
			if err != nil {
				return nil, err
			}
			for _, e := range rev[p.path] {
				if _, ok := found[e.Path]; ok {
					continue
				}
				found[e.Path] = e
				if err := follow(path.Dir(e.Path)); err != nil {
					return nil, err
				}
			}
		}
	}
	out := make([]Entry, 0, len(found))
	for _, e := range found {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// appendMembers appends to out the module u and the modules of other
// folders of the snapshot its build reads (resolution: a workspace's, and
// those replace directives put in folders), each once: in u's build
// their packages import as u's do, whatever their own go.mod replaces,
// so a file of theirs importing a package u reads from a folder is an
// importer of it (app replacing lib with x and lib2 with z: x/cfg passes
// on z's head to app, and a commit changing only z was not checked at
// app).
func (s *Snapshot) appendMembers(out []module, u module) ([]module, error) {
	add := func(m module) {
		if !slices.ContainsFunc(out, func(o module) bool { return o.dir == m.dir }) {
			out = append(out, m)
		}
	}
	add(u)
	res, err := s.resolution(u)
	if err != nil {
		return nil, err
	}
	for _, lm := range res.mods[1:] {
		if lm.dir == "" {
			continue
		}
		m, err := s.moduleAt(lm.dir)
		if err != nil {
			return nil, err
		}
		if m.path != "" {
			add(m)
		}
	}
	return out, nil
}

// vendoredPath returns the import path of the package in the folder dir
// of the module m's vendor folder.
func vendoredPath(m module, dir string) (string, bool) {
	v := path.Join(m.dir, "vendor")
	if rest, ok := strings.CutPrefix(dir, v+"/"); ok {
		return rest, true
	}
	return "", false
}

// starts reports whether a non-test Go file of the folder dir passes
// starts.
func (s *Snapshot) starts(dir string, starts func([]byte) bool) (bool, error) {
	ents, err := s.folder(dir)
	if err != nil {
		return false, err
	}
	for _, e := range ents {
		if !strings.HasSuffix(e.Path, ".go") || strings.HasSuffix(e.Path, "_test.go") {
			continue
		}
		data, err := s.readBlob(e)
		if err != nil {
			return false, err
		}
		if starts(data) {
			return true, nil
		}
	}
	return false, nil
}

// walkBatch is how many tokens of a module's walk are charged at once.
const walkBatch = 1024

// walkCharge charges a walk of the snapshot's folders to the run's
// budget, a token a folder and a file, a batch at a time: a push of many
// commits, each changing such a package of a module of many folders,
// lists them again for each commit, and that work is bounded as the type
// checks are (past it, the rest is a gap: content.ErrGoBudget).
type walkCharge struct {
	s     *Snapshot
	name  string
	units int64
}

func (c *walkCharge) add(n int64) error {
	if c.units += n; c.units < walkBatch {
		return nil
	}
	return c.flush()
}

func (c *walkCharge) flush() error {
	if c.units > 0 && !c.s.run.budget.Take(c.name, c.units, 1) {
		return content.ErrGoBudget
	}
	c.units = 0
	return nil
}

// moduleImports returns the Go files of the module m by the import paths
// inside the module of path target they import (m's own, or one m's
// replace directives or go.work put in a folder of the snapshot), reading
// its folders once a snapshot.
func (s *Snapshot) moduleImports(m module, target string, imports func([]byte) []string) (map[string][]Entry, error) {
	key := m.dir + "\x00" + target
	if rev, ok := s.imported[key]; ok {
		return rev, nil
	}
	rev := map[string][]Entry{}
	err := s.walkModule(m, func(e Entry) error {
		ps, ok := s.run.imports[blobIn{e.ID, target}]
		if !ok {
			data, err := s.readBlob(e)
			if err != nil {
				return err
			}
			if bytes.Contains(data, []byte(target)) { // else it imports nothing of the module
				ps = imports(data)
			}
			s.run.imports[blobIn{e.ID, target}] = ps
		}
		for _, p := range ps {
			if (p == target || strings.HasPrefix(p, target+"/")) && !slices.Contains(rev[p], e) {
				rev[p] = append(rev[p], e)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.imported[key] = rev
	return rev, nil
}

// walkModule calls visit with each Go file of the module m (its folders
// down to another module's go.mod), charging the walk to the run's
// budget (walkCharge).
func (s *Snapshot) walkModule(m module, visit func(e Entry) error) error {
	charge := &walkCharge{s: s, name: m.dir}
	var walk func(dir string) error
	walk = func(dir string) error {
		l, err := s.listing(dir)
		if err != nil {
			return err
		}
		if err := charge.add(int64(1 + len(l.files))); err != nil {
			return err
		}
		if dir != m.dir && slices.ContainsFunc(l.files, func(e Entry) bool { return path.Base(e.Path) == "go.mod" }) {
			return nil // another module
		}
		for _, e := range l.files {
			if !strings.HasSuffix(e.Path, ".go") {
				continue
			}
			if err := visit(e); err != nil {
				return err
			}
		}
		for _, d := range l.dirs {
			if err := walk(d); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(m.dir); err != nil {
		return err
	}
	return charge.flush()
}

// users returns the modules of the snapshot that import the module m
// from its folder: m itself, and those whose replace directives or
// go.work put m's path in m's folder (a repository of several modules
// wired together, as keyscan scan resolves their imports).
func (s *Snapshot) users(m module) ([]module, error) {
	all, err := s.modules()
	if err != nil {
		return nil, err
	}
	out := []module{m}
	at := localModule{m.path, m.dir}
	for _, u := range all {
		if u.dir == m.dir || u.path == "" {
			continue
		}
		res, err := s.resolution(u)
		if err != nil {
			return nil, err
		}
		// u reads m's path from the first folder resolution names
		if i := slices.IndexFunc(res.mods, func(lm localModule) bool { return lm.path == m.path }); i >= 0 && res.mods[i] == at {
			out = append(out, u)
		}
	}
	return out, nil
}

// modules returns the modules of the snapshot (its folders with a
// go.mod), walking its folders once, charged as a module's walk is.
func (s *Snapshot) modules() ([]module, error) {
	if s.allMods != nil {
		return *s.allMods, nil
	}
	var out []module
	charge := &walkCharge{s: s, name: "."}
	var walk func(dir string) error
	walk = func(dir string) error {
		l, err := s.listing(dir)
		if err != nil {
			return err
		}
		if err := charge.add(int64(1 + len(l.dirs))); err != nil {
			return err
		}
		if slices.ContainsFunc(l.files, func(e Entry) bool { return path.Base(e.Path) == "go.mod" }) {
			m, err := s.moduleOf(dir)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		for _, d := range l.dirs {
			if err := walk(d); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk("."); err != nil {
		return nil, err
	}
	if err := charge.flush(); err != nil {
		return nil, err
	}
	s.allMods = &out
	return out, nil
}

// workspace is what the go.work nearest above a folder says of where
// modules are: the modules its use entries name (by their go.mod's module
// path) and those its replace directives put in folders, in folders of
// the snapshot. found is false when no go.work is above the folder.
type workspace struct {
	found          bool
	dir            string // the go.work's folder
	uses, replaces []localModule
	// work are its replace directives (modreplace; Dir "" for a module
	// version or a folder outside the snapshot).
	work []modreplace.Directive
	// used are the modules of the use entries, each with its own
	// go.mod's replace directives: in a workspace the go command applies
	// those of every workspace module, not only the importer's.
	used []module
}

// workspace returns the go.work nearest above the folder dir.
func (s *Snapshot) workspace(dir string) (workspace, error) {
	if w, ok := s.works[dir]; ok {
		return w, nil
	}
	ents, err := s.folder(dir)
	if err != nil {
		return workspace{}, err
	}
	var out workspace
	for _, e := range ents {
		if path.Base(e.Path) != "go.work" {
			continue
		}
		out.found, out.dir = true, dir
		data, err := s.readBlob(e)
		if err != nil {
			return workspace{}, err
		}
		if len(data) > maxGoMod {
			return workspace{}, fmt.Errorf("%s: larger than %d bytes", e.Path, maxGoMod)
		}
		f, err := modfile.ParseWork(e.Path, data, nil)
		if err != nil {
			break // as keyscan scan: a go.work that does not parse names nothing
		}
		for _, u := range f.Use {
			d, ok := within(dir, u.Path)
			if !ok {
				continue
			}
			m, err := s.moduleAt(d)
			if err != nil {
				return workspace{}, err
			}
			if m.path != "" {
				out.uses = append(out.uses, localModule{m.path, d})
				out.used = append(out.used, m)
			}
		}
		for _, r := range f.Replace {
			d, ok := within(dir, r.New.Path)
			if ok && modfile.IsDirectoryPath(r.New.Path) {
				out.replaces = append(out.replaces, localModule{r.Old.Path, d})
			} else {
				d = ""
			}
			out.work = append(out.work, modreplace.Directive{Old: r.Old.Path, OldVersion: r.Old.Version, Dir: d})
		}
	}
	if !out.found && dir != "." {
		if out, err = s.workspace(path.Dir(dir)); err != nil {
			return workspace{}, err
		}
	}
	s.works[dir] = out
	return out, nil
}

// resolved is where the imports of a module's Go files resolve in the
// snapshot (resolution).
type resolved struct {
	// mods are the modules in the order the go command prefers them for
	// one module path; the first mains of them are the main modules (m,
	// and a workspace's use entries), whose packages are never vendored.
	mods  []localModule
	mains int
	// vendorRoot holds the vendor/ folder the go command builds the
	// other modules' packages from when its vendor/modules.txt is there:
	// the module's, or in a workspace the go.work's (go work vendor).
	vendorRoot string
}

// resolution returns where the imports of the Go files of the module m
// resolve: the modules in folders of the snapshot, in the order the go
// command prefers them for one module path (the first of a path wins;
// among paths, the longest holding the import): m itself; in a workspace,
// the go.work's use entries (a workspace module is the build's, whatever
// a go.mod replaces it with); then each module path a replace directive
// names, in the folder the go command builds it from (modreplace.Pick:
// the go.work's directives first, then the workspace modules' go.mod
// files, the last in use order winning; outside a workspace m's own; a
// directive for another version than the require directives select does
// not apply, and one naming a module version leaves the path out of the
// snapshot, dir ""). Read in the go.mod's order first, app/go.mod's
// replace example.com/lib => ../safelib hid a go.work's use ./xlib from
// staged and pre-receive while go vet and go run read xlib (qa36 M8).
func (s *Snapshot) resolution(m module) (resolved, error) {
	w, err := s.workspace(m.dir)
	if err != nil {
		return resolved{}, err
	}
	mods := []localModule{{m.path, m.dir}}
	var work []modreplace.Directive
	var dirs [][]modreplace.Directive
	var required [][2]string
	root := m.dir
	if w.found {
		mods = append(mods, w.uses...)
		work, root = w.work, w.dir
		for _, u := range w.used {
			dirs = append(dirs, u.replaces)
			required = append(required, u.required...)
		}
	}
	if !slices.ContainsFunc(w.used, func(u module) bool { return u.dir == m.dir }) {
		// outside a workspace, or m is not a workspace module (the go
		// command refuses to build it there): its own directives, last
		dirs = append(dirs, m.replaces)
		required = append(required, m.required...)
	}
	mains := len(mods)
	for _, old := range modreplace.Olds(work, dirs) {
		if d, ok := modreplace.Pick(old, modreplace.Selected(old, required), work, dirs); ok {
			mods = append(mods, localModule{old, d.Dir})
		}
	}
	return resolved{mods, mains, root}, nil
}

// moduleAt returns the module whose go.mod is in the folder dir; path ""
// when there is none.
func (s *Snapshot) moduleAt(dir string) (module, error) {
	ents, err := s.folder(dir)
	if err != nil {
		return module{}, err
	}
	for _, e := range ents {
		if path.Base(e.Path) == "go.mod" {
			data, err := s.readBlob(e)
			if err != nil {
				return module{}, err
			}
			if len(data) > maxGoMod {
				return module{}, fmt.Errorf("%s: larger than %d bytes", e.Path, maxGoMod)
			}
			return parseMod(e.Path, dir, data), nil
		}
	}
	return module{}, nil
}

// within returns the folder of the snapshot that the relative path rel
// names from the folder dir, and false for one outside the snapshot (an
// absolute path, or one that climbs above its root: a replace directive
// to ../../../etc is never read) or that is no folder path.
func within(dir, rel string) (string, bool) {
	if rel == "" || path.IsAbs(rel) || strings.Contains(rel, "\\") || !modfile.IsDirectoryPath(rel) {
		return "", false
	}
	d := path.Join(dir, rel)
	if d == ".." || strings.HasPrefix(d, "../") {
		return "", false
	}
	return d, true
}

// parseMod reads the go.mod at name (in the folder dir, holding data):
// its module path, its replace directives (each with the folder of the
// snapshot it puts the module in) and its require directives.
func parseMod(name, dir string, data []byte) module {
	m := module{dir: dir, path: modfile.ModulePath(data)}
	// ParseLax leaves replace directives out (a dependency's are not
	// the build's): they are read from the syntax, as keyscan scan reads
	// them.
	f, err := modfile.ParseLax(name, data, nil)
	if err != nil {
		return m
	}
	for _, r := range f.Require {
		m.required = append(m.required, [2]string{r.Mod.Path, r.Mod.Version})
	}
	add := func(tok []string) {
		// old [version] => new [version]
		i := slices.Index(tok, "=>")
		if i < 1 || i+1 >= len(tok) {
			return
		}
		old, rel := unquote(tok[0]), unquote(tok[i+1])
		if old == "" {
			return
		}
		r := modreplace.Directive{Old: old}
		if i == 2 {
			r.OldVersion = unquote(tok[1])
		}
		if d, ok := within(dir, rel); ok {
			r.Dir = d
		}
		m.replaces = append(m.replaces, r)
	}
	for _, st := range f.Syntax.Stmt {
		switch st := st.(type) {
		case *modfile.Line:
			if len(st.Token) > 0 && st.Token[0] == "replace" {
				add(st.Token[1:])
			}
		case *modfile.LineBlock:
			if len(st.Token) == 1 && st.Token[0] == "replace" {
				for _, l := range st.Line {
					add(l.Token)
				}
			}
		}
	}
	return m
}

// unquote is a go.mod token's text.
func unquote(tok string) string {
	if u, err := strconv.Unquote(tok); err == nil {
		return u
	}
	return tok
}

// moduleOf returns the module whose go.mod is nearest above dir.
func (s *Snapshot) moduleOf(dir string) (module, error) {
	if m, ok := s.mods[dir]; ok {
		return m, nil
	}
	ents, err := s.folder(dir)
	if err != nil {
		return module{}, err
	}
	var m module
	found := false
	for _, e := range ents {
		if path.Base(e.Path) != "go.mod" {
			continue
		}
		data, err := s.readBlob(e)
		if err != nil {
			return module{}, err
		}
		if len(data) > maxGoMod {
			return module{}, fmt.Errorf("%s: larger than %d bytes", e.Path, maxGoMod)
		}
		m, found = parseMod(e.Path, dir, data), true
	}
	if !found && dir != "." {
		if m, err = s.moduleOf(path.Dir(dir)); err != nil {
			return module{}, err
		}
	}
	s.mods[dir] = m
	return m, nil
}

func (s *Snapshot) folder(dir string) ([]Entry, error) {
	l, err := s.listing(dir)
	return l.files, err
}

func (s *Snapshot) listing(dir string) (listing, error) {
	if l, ok := s.folders[dir]; ok {
		return l, nil
	}
	files, dirs, err := s.list(dir)
	if err != nil {
		return listing{}, fmt.Errorf("%s: %w", dir, err)
	}
	l := listing{files, dirs}
	s.folders[dir] = l
	return l, nil
}

// readBlob reads e's blob, once a run while the run keeps it.
func (s *Snapshot) readBlob(e Entry) ([]byte, error) {
	if data, ok := s.run.charged[e.ID]; ok {
		return data, nil
	}
	if data, ok := s.run.seen[e.ID]; ok {
		return data, nil
	}
	data, err := s.run.blob(e.ID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.Path, err)
	}
	if s.run.seenSize+len(data) <= maxSeen {
		s.run.seen[e.ID] = data
		s.run.seenSize += len(data)
	}
	return data, nil
}

// charge charges f to the budget for the candidate name with charge
// (ChargeSibling, ChargeImported), once a blob a run.
func (s *Snapshot) charge(name string, e Entry, f content.GoFile, charge func(string, content.GoFile) error) error {
	if _, ok := s.run.charged[e.ID]; ok {
		return nil
	}
	if err := charge(name, f); err != nil {
		return err
	}
	s.run.charged[e.ID] = f.Src
	if _, ok := s.run.seen[e.ID]; ok {
		delete(s.run.seen, e.ID)
		s.run.seenSize -= len(f.Src)
	}
	return nil
}

func containsAny(data []byte, names []string) bool {
	for _, n := range names {
		if bytes.Contains(data, []byte(n)) {
			return true
		}
	}
	return false
}

// IndexLister lists the folders of an index's entries (keyscan staged),
// sorted by path as git keeps them: its regular files, stage 0 or not.
// The entries are sorted into folders once, when a folder is first asked
// for.
func IndexLister(ents []gitobj.IndexEntry) Lister {
	var (
		once    sync.Once
		folders map[string]listing
	)
	return func(dir string) ([]Entry, []string, error) {
		once.Do(func() {
			folders = map[string]listing{}
			for _, e := range ents {
				if e.Mode&0o170000 != 0o100000 {
					continue
				}
				d := path.Dir(e.Path)
				l := folders[d]
				l.files = append(l.files, Entry{Path: e.Path, ID: e.ID})
				folders[d] = l
				for d != "." {
					up := path.Dir(d)
					u := folders[up]
					if n := len(u.dirs); n > 0 && u.dirs[n-1] == d {
						break // this folder's parents are listed already
					}
					if slices.Contains(u.dirs, d) {
						break
					}
					u.dirs = append(u.dirs, d)
					folders[up] = u
					d = up
				}
			}
		})
		l := folders[dir]
		return l.files, l.dirs, nil
	}
}

// TreeLister lists the folders of the git tree root (keyscan
// pre-receive's pushed commits, keyscan staged's HEAD), reading the trees
// on the way down with readTree each time (a Snapshot keeps what it
// listed).
func TreeLister(readTree func(gitobj.ID) ([]byte, error), root gitobj.ID) Lister {
	return func(dir string) ([]Entry, []string, error) {
		tree := root
		if dir != "." {
			parts := strings.Split(dir, "/")
			if len(parts) > gitobj.MaxTreeDepth {
				return nil, nil, fmt.Errorf("more than %d folders deep", gitobj.MaxTreeDepth)
			}
			for _, name := range parts {
				data, err := readTree(tree)
				if err != nil {
					return nil, nil, err
				}
				found := false
				if err := gitobj.ParseTree(data, func(e gitobj.TreeEntry) {
					if !found && e.IsDir() && string(e.Name) == name {
						tree, found = e.ID, true
					}
				}); err != nil {
					return nil, nil, err
				}
				if !found {
					return nil, nil, nil // absent: no files
				}
			}
		}
		data, err := readTree(tree)
		if err != nil {
			return nil, nil, err
		}
		var files []Entry
		var dirs []string
		err = gitobj.ParseTree(data, func(e gitobj.TreeEntry) {
			switch {
			case e.IsDir():
				dirs = append(dirs, path.Join(dir, string(e.Name)))
			case e.Mode&0o170000 == 0o100000:
				files = append(files, Entry{Path: path.Join(dir, string(e.Name)), ID: e.ID})
			}
		})
		return files, dirs, err
	}
}

// maxChangedTrees bounds the folders ChangedGo reads.
const maxChangedTrees = 1 << 16

// ChangedGo returns the paths of the Go files (regular files named .go)
// and of the files that decide where their imports resolve (IsModFile:
// go.mod, go.work, vendor/modules.txt) that differ between the git trees
// old and new (added, changed or removed), reading with readTree only the
// folders whose trees differ: a pushed commit's changes against its
// parent, whose packages' importers are checked (Importers, and
// Reresolved's). A folder the new tree no longer has is not
// read (no package can import it there), nor a pair of trees compared
// under another folder (a copy of a changed package's folder, changed
// alike, is told at its first path only: a git bomb's ten folders of one
// tree would be compared 10^10 times); past maxChangedTrees pairs it is
// an error.
func ChangedGo(readTree func(gitobj.ID) ([]byte, error), old, new gitobj.ID) ([]string, error) {
	var out []string
	pairs := 0
	done := map[[2]gitobj.ID]bool{}
	var diff func(dir string, a, b gitobj.ID, depth int) error
	diff = func(dir string, a, b gitobj.ID, depth int) error {
		if a == b {
			return nil
		}
		if depth > gitobj.MaxTreeDepth {
			return fmt.Errorf("%s: more than %d folders deep", dir, gitobj.MaxTreeDepth)
		}
		if done[[2]gitobj.ID{a, b}] {
			return nil // compared under another folder (a copied folder, a git bomb's)
		}
		done[[2]gitobj.ID{a, b}] = true
		if pairs++; pairs > maxChangedTrees {
			return fmt.Errorf("more than %d folders changed", maxChangedTrees)
		}
		type side struct{ files, dirs map[string]gitobj.ID }
		read := func(t gitobj.ID) (side, error) {
			sd := side{map[string]gitobj.ID{}, map[string]gitobj.ID{}}
			if t.IsZero() {
				return sd, nil
			}
			data, err := readTree(t)
			if err != nil {
				return sd, err
			}
			err = gitobj.ParseTree(data, func(e gitobj.TreeEntry) {
				switch name := string(e.Name); {
				case e.IsDir():
					sd.dirs[name] = e.ID
				case e.Mode&0o170000 == 0o100000 && (strings.HasSuffix(name, ".go") || IsModFile(path.Join(dir, name))):
					sd.files[name] = e.ID
				}
			})
			return sd, err
		}
		sa, err := read(a)
		if err != nil {
			return err
		}
		sb, err := read(b)
		if err != nil {
			return err
		}
		for name, id := range sb.files {
			if sa.files[name] != id {
				out = append(out, path.Join(dir, name))
			}
		}
		for name := range sa.files {
			if _, ok := sb.files[name]; !ok {
				out = append(out, path.Join(dir, name))
			}
		}
		for name, id := range sb.dirs {
			if err := diff(path.Join(dir, name), sa.dirs[name], id, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := diff(".", old, new, 0); err != nil {
		return nil, err
	}
	slices.Sort(out)
	return out, nil
}
