package staged

import (
	"cmp"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/scanner/content"
	"github.com/keyscan/keyscan/scanner/gosnap"
)

// A commit that changes only an imported package (cfg.Head made the head
// of a key ID that app's unchanged cfg.Head + "…" completes) adds a key
// spelled in a file it does not change: keyscan scan finds it at the
// importer on the checked-out tree, so the hook checks the importers of
// each package the commit changes, in the snapshot the commit holds
// (gosnap.Snapshot.Importers), as scan chooses them (Content.Cost: a
// candidate of its own, or a tail the changed package may start). They
// are charged to the commit's type-check budget after the changed files,
// smallest first; one past it is a gap, as a changed file is. A key an
// importer spells that it spelled with HEAD's packages too (and each
// merge parent's) is not the commit's.

// A commit that changes only a go.mod, a go.work or a vendor/modules.txt
// (a replace directive that puts the imported module in ./xlib) makes an
// unchanged importer read another folder: the importers of the import
// paths each module resolves otherwise than in HEAD's snapshot (or a
// merge parent's) are checked too (gosnap.Snapshot.Reresolved), charged
// as the others.

// scanImporters type-checks the unchanged importers of the Go packages
// the commit changes (changed: the paths of the Go files it adds, changes
// or deletes, and of the files gosnap.IsModFile names) in the snapshot
// snap, and adds the keys they spell that the parents' snapshots (old) do
// not.
func (s *stagedScan) scanImporters(snap *gosnap.Snapshot, old []*gosnap.Snapshot, changed map[string]bool) error {
	o := s.opts.Content
	if o.Go == nil || o.GoIn == nil || o.GoStarts == nil || o.GoImports == nil || o.GoCost == nil || len(changed) == 0 {
		return nil
	}
	var dirs, mods []string
	for p := range changed {
		if gosnap.IsModFile(p) {
			mods = append(mods, p)
		} else if d := path.Dir(p); !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	slices.Sort(dirs)
	slices.Sort(mods)
	gap := func(name string, err error) error {
		if errors.Is(err, content.ErrGoBudget) {
			return nil // counted by the budget: a gap
		}
		// Whether a file imports the changed packages is not known: a gap.
		o.GoBudget.Over(name, 1)
		what := "the Go files importing the package could not be read"
		if gosnap.IsModFile(name) {
			what = "the Go files whose imports it resolves elsewhere could not be told"
		}
		s.res.Warnings = append(s.res.Warnings, fmt.Sprintf("%s: %s: %v", name, what, err))
		return nil
	}
	re := gosnap.Resolved{}
	for _, sn := range old {
		if len(mods) == 0 {
			break
		}
		r, err := snap.Reresolved(sn, mods)
		if err != nil {
			return gap(mods[0], err)
		}
		re.Merge(r)
	}
	ents, err := snap.ImportersWith(dirs, re, o.GoStarts, o.GoImports)
	if err != nil {
		name := mods
		if len(dirs) > 0 {
			name = dirs
		}
		return gap(name[0], err)
	}
	type importer struct {
		e    gosnap.Entry
		data []byte
	}
	var files []importer
	for _, e := range ents {
		if changed[e.Path] || s.opts.Exclude != nil && s.opts.Exclude(e.Path) {
			continue
		}
		data, err := s.objs.blob(e.ID)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Path, err)
		}
		files = append(files, importer{e, data})
	}
	// Smallest first, as the budget charges a push's files: a large
	// importer named first cannot spend it before a small one.
	slices.SortFunc(files, func(a, b importer) int {
		return cmp.Or(cmp.Compare(len(a.data), len(b.data)), strings.Compare(a.e.Path, b.e.Path))
	})
	for _, f := range files {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		name := f.e.Path
		o := s.opts.Content
		o.GoFolder, o.GoPackage, o.GoPeek = snap.Folder, snap.Package, snap.Peek
		found := o.WithGo(s.ctx, s.sc, name, f.data, nil)
		if len(found) == 0 {
			continue
		}
		held := map[string]bool{}
		for _, sn := range old {
			o.GoFolder, o.GoPackage, o.GoPeek = sn.Folder, sn.Package, sn.Peek
			for _, fd := range o.WithGo(s.ctx, s.sc, name, f.data, nil) {
				held[heldKey(fd)] = true
			}
		}
		for _, fd := range found {
			if !held[heldKey(fd)] {
				s.res.Findings = append(s.res.Findings, fd)
			}
		}
	}
	return nil
}

// treeSnapshot is the snapshot of the tree root in run.
func (s *stagedScan) treeSnapshot(run *gosnap.Run, root gitobj.ID) *gosnap.Snapshot {
	return run.Snapshot(gosnap.TreeLister(func(id gitobj.ID) ([]byte, error) { return s.objs.r.ReadType(id, gitobj.Tree) }, root))
}
