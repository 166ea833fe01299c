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
// the folder dir of the snapshot ("." for its root).
type Lister func(dir string) ([]Entry, error)

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

	folders map[string][]Entry // under run.mu
	mods    map[string]module  // folder -> the module holding it
}

// module is a go.mod's folder in the snapshot and the path it declares;
// path "" when no go.mod is above a folder.
type module struct{ dir, path string }

// Snapshot returns the snapshot whose folders list lists.
func (r *Run) Snapshot(list Lister) *Snapshot {
	return &Snapshot{run: r, list: list, folders: map[string][]Entry{}, mods: map[string]module{}}
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
	if ents, ok := s.folders[dir]; ok {
		return ents, nil
	}
	ents, err := s.list(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	s.folders[dir] = ents
	return ents, nil
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
func IndexLister(ents []gitobj.IndexEntry) Lister {
	return func(dir string) ([]Entry, error) {
		var out []Entry
		for _, e := range ents {
			if path.Dir(e.Path) == dir && e.Mode&0o170000 == 0o100000 {
				out = append(out, Entry{Path: e.Path, ID: e.ID})
			}
		}
		return out, nil
	}
}
