// Package gosnap gives the type check of a Go blob (keyscan staged's index,
// the gate's pushed commit) the other Go files it needs from the same
// snapshot: the files of its folder (content.Options.GoFolder) and the
// packages of its module it imports (content.Options.GoPackage), as
// keyscan scan and go vet read a folder's files and a module's packages
// from the work tree. A key whose head one package declares and another
// completes (cfg.Head + "…") is found in the snapshot being checked, not
// in whatever the work tree holds.
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
	"strings"
	"sync"

	"golang.org/x/mod/modfile"

	"github.com/keyscan/keyscan/internal/gitobj"
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
}

// maxSeen bounds the blobs a run keeps that it read but did not charge.
const maxSeen = 64 << 20

// NewRun returns a run whose blobs blob reads, charging what its
// snapshots give to budget (nil: no bound).
func NewRun(blob func(gitobj.ID) ([]byte, error), budget *content.GoBudget) *Run {
	return &Run{blob: blob, budget: budget, charged: map[gitobj.ID][]byte{}, seen: map[gitobj.ID][]byte{}}
}

// Snapshot reads the Go files of one snapshot (an index, a commit's
// tree) for the type checks of a run. It is safe for concurrent use.
type Snapshot struct {
	run  *Run
	list Lister

	folders map[string]listing // under run.mu
	mods    map[string]module  // folder -> the module holding it
	// imported holds, by module folder, the Go files of the module by
	// the import paths inside the module they import (Importers).
	imported map[string]map[string][]Entry
}

// listing is what a Lister gave for a folder.
type listing struct {
	files []Entry
	dirs  []string
}

// module is a go.mod's folder in the snapshot and the path it declares;
// path "" when no go.mod is above a folder.
type module struct{ dir, path string }

// Snapshot returns the snapshot whose folders list lists.
func (r *Run) Snapshot(list Lister) *Snapshot {
	return &Snapshot{run: r, list: list, folders: map[string]listing{}, mods: map[string]module{}, imported: map[string]map[string][]Entry{}}
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
	if m.path == "" || importPath != m.path && !strings.HasPrefix(importPath, m.path+"/") {
		return nil, false, nil
	}
	dir := path.Join(m.dir, strings.TrimPrefix(importPath, m.path))
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
// else. imports gives the import paths of a Go file. The module's Go files
// are read once a snapshot, not charged: what an importer costs is its
// type check's (the caller charges it, and GoPackage what it imports).
func (s *Snapshot) Importers(dirs []string, starts func(data []byte) bool, imports func(data []byte) []string) ([]Entry, error) {
	s.run.mu.Lock()
	defer s.run.mu.Unlock()
	type pkgAt struct {
		m    module
		path string
	}
	var queue []pkgAt
	follow := func(dir string) error {
		ok, err := s.starts(dir, starts)
		if err != nil || !ok {
			return err
		}
		m, err := s.moduleOf(dir)
		if err != nil || m.path == "" {
			return err
		}
		p := m.path
		if dir != m.dir {
			p = path.Join(m.path, strings.TrimPrefix(dir, m.dir+"/"))
			if m.dir == "." {
				p = path.Join(m.path, dir)
			}
		}
		queue = append(queue, pkgAt{m, p})
		return nil
	}
	for _, d := range dirs {
		if err := follow(d); err != nil {
			return nil, err
		}
	}
	done := map[string]bool{}
	found := map[string]Entry{}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if done[p.path] {
			continue
		}
		done[p.path] = true
		rev, err := s.moduleImports(p.m, imports)
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
	out := make([]Entry, 0, len(found))
	for _, e := range found {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
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

// moduleImports returns the Go files of the module m by the import paths
// inside m they import, reading its folders once a snapshot.
func (s *Snapshot) moduleImports(m module, imports func([]byte) []string) (map[string][]Entry, error) {
	if rev, ok := s.imported[m.dir]; ok {
		return rev, nil
	}
	rev := map[string][]Entry{}
	var walk func(dir string) error
	walk = func(dir string) error {
		l, err := s.listing(dir)
		if err != nil {
			return err
		}
		if dir != m.dir && slices.ContainsFunc(l.files, func(e Entry) bool { return path.Base(e.Path) == "go.mod" }) {
			return nil // another module
		}
		for _, e := range l.files {
			if !strings.HasSuffix(e.Path, ".go") {
				continue
			}
			data, err := s.readBlob(e)
			if err != nil {
				return err
			}
			if !bytes.Contains(data, []byte(m.path)) {
				continue // imports nothing of the module
			}
			for _, p := range imports(data) {
				if (p == m.path || strings.HasPrefix(p, m.path+"/")) && !slices.Contains(rev[p], e) {
					rev[p] = append(rev[p], e)
				}
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
		return nil, err
	}
	s.imported[m.dir] = rev
	return rev, nil
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
		m, found = module{dir, modfile.ModulePath(data)}, true
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
