package history

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// addQuarantineBlobs adds the blobs of Options.NewObjects (a push's
// quarantine) that the walk did not reach (qa10 MEDIUM-6). A push's pack
// holds what its new tips reach, so an ordinary push has none: the
// quarantine's blob IDs are listed (its pack indexes and loose names), and
// only those the walked trees do not hold and the repository's own objects
// folder lacks are looked at further. A blob the walk left out for the
// configuration's exclude globs is in a tree the new commits hold, so
// before a remaining blob is scanned the trees of the walked commits that
// the repository does not already hold are read, excluded paths included,
// and the blobs they name are let be. What is left is in the push and in
// no tree it adds: scanned under its ID, as a dangling blob is.
func (s *scan) addQuarantineBlobs(ctx context.Context) error {
	q, err := gitobj.Open(s.opts.NewObjects, gitobj.Options{})
	if err != nil {
		return fmt.Errorf("the push's objects folder %s: %w", s.opts.NewObjects, err)
	}
	defer q.Close()
	if sameDir(s.repo.objs.Dirs()[0], s.opts.NewObjects) {
		return nil // the quarantine is the repository's own folder: nothing tells new from old
	}
	own, err := gitobj.Open(s.repo.objs.Dirs()[0], gitobj.Options{})
	if err != nil {
		return err
	}
	defer own.Close()
	cand := map[gitobj.ID]bool{}
	consider := func(h gitobj.ID, t gitobj.Type) {
		if t != gitobj.Blob {
			return
		}
		if _, ok := s.blobIdx[h]; ok || own.Has(h) {
			return
		}
		cand[h] = true
	}
	for _, p := range q.Packs() {
		memo := make(map[int64]gitobj.Type, len(p.Order()))
		for i, off := range p.Order() {
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			h, err := p.IDAt(i)
			if _, walked := s.blobIdx[h]; err != nil || walked {
				continue // a blob the walk holds: most of a push's
			}
			t, err := p.ResolvedType(off, memo)
			if err != nil {
				s.warn(h.String(), "", fmt.Sprintf("cannot read object type in %s: %v", p.Path, err))
				s.stats.Unreadable++
				continue
			}
			consider(h, t)
		}
	}
	var loose []gitobj.ID
	if err := q.LooseIDs(func(h gitobj.ID) { loose = append(loose, h) }); err != nil {
		return fmt.Errorf("listing the push's loose objects: %w", err)
	}
	for _, h := range loose {
		if _, walked := s.blobIdx[h]; walked {
			continue
		}
		if _, _, ok, _ := q.Locate(h); ok {
			continue
		}
		t, _, err := q.ReadLoose(h)
		if err != nil {
			s.warn(h.String(), "", fmt.Sprintf("cannot read loose object: %v", err))
			s.stats.Unreadable++
			continue
		}
		consider(h, t)
	}
	if len(cand) == 0 {
		return nil
	}
	// Blobs the walk left out by path (exclude globs, PathGlob): held by a
	// new tree of a walked commit.
	seen := map[gitobj.ID]bool{}
	var visit func(tree gitobj.ID) error
	visit = func(tree gitobj.ID) error {
		if len(cand) == 0 || seen[tree] || own.Has(tree) {
			return nil
		}
		seen[tree] = true
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := s.objr.ReadType(tree, gitobj.Tree)
		if err != nil {
			return nil // warned about by the walk
		}
		var subs []gitobj.ID
		gitobj.ParseTree(data, func(e gitobj.TreeEntry) {
			switch {
			case e.IsDir():
				subs = append(subs, e.ID)
			case !e.IsSubmodule():
				delete(cand, e.ID)
			}
		})
		for _, t := range subs {
			if err := visit(t); err != nil {
				return err
			}
		}
		return nil
	}
	for _, c := range s.commits {
		if err := visit(c.tree); err != nil {
			return err
		}
	}
	hs := make([]gitobj.ID, 0, len(cand))
	for h := range cand {
		hs = append(hs, h)
	}
	sortHashes(hs)
	for _, h := range hs {
		s.warn(h.String(), "", "blob in the push that no pushed commit's tree holds (a hand-made pack?): scanned under its ID")
		s.blobID(h, h.String(), -1)
	}
	s.stats.Blobs += len(hs)
	return nil
}

// sameDir reports whether the objects folders a and b are the same.
func sameDir(a, b string) bool {
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && filepath.Clean(x) == filepath.Clean(y)
}
