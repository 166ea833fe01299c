package history

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/content"
	"github.com/keyscan/keyscan/scanner/gosnap"
)

// A pushed commit that changes only an imported package (cfg.Head made
// the head of a key ID that app's unchanged cfg.Head + "…" completes) adds
// a key spelled in a blob the push does not add: keyscan scan finds it at
// the importer on the commit's checked-out tree, and keyscan staged at the
// commit. So the gate (Content.GoIn, with GoStarts and GoImports) checks,
// for each walked commit with parents, the unchanged importers of the
// packages it changes against its first parent's tree and the others
// (gosnap.ChangedGo, gosnap.Snapshot.Importers), in the commit's tree, as
// scan chooses them (Content.Cost), charged to the run's type-check
// budget after the blobs, smallest first within a commit; one past it is
// a gap. A key such an importer spelled in a parent's tree too is not the
// commit's. A commit that changes only a go.mod, a go.work or a
// vendor/modules.txt (gosnap.ChangedGo names them too) has the importers
// of the import paths it makes resolve elsewhere checked the same way. history --typecheck (no GoIn) reads each blob alone and does
// none of this.

// scanImporters adds the keys the unchanged importers of each walked
// commit's changed Go packages spell in its tree and in no parent's.
func (s *scan) scanImporters(ctx context.Context) error {
	o := s.opts.Content
	if o.GoIn == nil || o.Go == nil || o.GoStarts == nil || o.GoImports == nil || o.GoCost == nil {
		return nil
	}
	readTree := func(id gitobj.ID) ([]byte, error) { return s.objr.ReadType(id, gitobj.Tree) }
	for i := range s.commits {
		if err := ctx.Err(); err != nil {
			return err
		}
		c := s.commits[i]
		parents := append(slices.Clip(c.parents), c.bases...)
		if c.tip != "" || c.tree.IsZero() || len(parents) == 0 {
			continue // a root commit adds every file: the walk read them
		}
		var olds []gitobj.ID
		changed := map[string]bool{}
		for _, p := range parents {
			ph, err := s.readCommit(p)
			if err != nil {
				continue // an unreadable parent: the walk said so, or it is old and absent
			}
			olds = append(olds, ph.Tree)
			paths, err := gosnap.ChangedGo(readTree, ph.Tree, c.tree)
			if err != nil {
				s.opts.Content.GoBudget.Over(c.hash.String(), 1)
				s.warn(c.hash.String(), "", fmt.Sprintf("the Go files the commit changes could not be told: %v", err))
				continue
			}
			for _, p := range paths {
				changed[p] = true
			}
		}
		if len(changed) == 0 {
			continue
		}
		if err := s.commitImporters(ctx, int32(i), olds, changed); err != nil {
			return err
		}
	}
	return nil
}

// commitImporters checks the importers of the packages of changed in the
// tree of commit i against the trees olds.
func (s *scan) commitImporters(ctx context.Context, i int32, olds []gitobj.ID, changed map[string]bool) error {
	c := s.commits[i]
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
		s.opts.Content.GoBudget.Over(name, 1)
		what := "the Go files importing the package could not be read"
		if gosnap.IsModFile(name) {
			what = "the Go files whose imports it resolves elsewhere could not be told"
		}
		s.warn(c.hash.String(), name, fmt.Sprintf("%s: %v", what, err))
		return nil
	}
	snap := s.treeSnapshot(c.tree)
	// A commit that changes a go.mod, a go.work or a vendor/modules.txt
	// makes the importers of what a module resolves otherwise than in a
	// parent's tree read another folder (gosnap.Snapshot.Reresolved).
	re := gosnap.Resolved{}
	for _, t := range olds {
		if len(mods) == 0 {
			break
		}
		r, err := snap.Reresolved(s.treeSnapshot(t), mods)
		if err != nil {
			return gap(mods[0], err)
		}
		re.Merge(r)
	}
	ents, err := snap.ImportersWith(dirs, re, s.opts.Content.GoStarts, s.opts.Content.GoImports)
	if err != nil {
		name := mods
		if len(dirs) > 0 {
			name = dirs
		}
		return gap(name[0], err)
	}
	type importer struct {
		path string
		data []byte
	}
	var files []importer
	for _, e := range ents {
		if changed[e.Path] || !s.wantPath(e.Path) {
			continue
		}
		data, err := s.objr.ReadType(e.ID, gitobj.Blob)
		if err != nil {
			s.opts.Content.GoBudget.Over(e.Path, 1)
			s.warn(e.ID.String(), e.Path, fmt.Sprintf("an importer of a package the commit changes could not be read: %v", err))
			continue
		}
		files = append(files, importer{e.Path, data})
	}
	slices.SortFunc(files, func(a, b importer) int {
		return cmp.Or(cmp.Compare(len(a.data), len(b.data)), strings.Compare(a.path, b.path))
	})
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		found := s.inTree(s.opts.Content, i).WithGo(ctx, s.sc, f.path, f.data, nil)
		if len(found) == 0 {
			continue
		}
		held := map[string]bool{}
		for _, t := range olds {
			o := s.opts.Content
			sn := s.treeSnapshot(t)
			o.GoFolder, o.GoPackage, o.GoPeek = sn.Folder, sn.Package, sn.Peek
			for _, fd := range o.WithGo(ctx, s.sc, f.path, f.data, nil) {
				held[importerKey(fd)] = true
			}
		}
		for _, fd := range found {
			if held[importerKey(fd)] {
				continue
			}
			fd.Commit, fd.Author, fd.Date = c.hash.String(), c.author, c.when
			fd.Paths = []string{fd.File}
			fd.Note = joinNote(fd.Note, "spelled with the packages of the module as this commit changed them")
			s.findings = append(s.findings, fd)
		}
	}
	return nil
}

// importerKey names a finding's value, to tell one a parent's tree
// spelled too.
func importerKey(f scanner.Finding) string {
	return string(f.Kind) + "\x00" + f.Secret + "\x00" + f.File
}
