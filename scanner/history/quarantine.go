package history

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// pushObjects are the objects of a push's quarantine (Options.NewObjects)
// that the repository's own objects folder lacks, by type.
type pushObjects struct {
	commits, tags, blobs []gitobj.ID
}

// quarantine lists Options.NewObjects once: its pack indexes and loose
// names, each object's type read from its pack entry (following deltas) or
// loose header. It returns nil when there is no quarantine, or when the
// quarantine is the repository's own folder (nothing then tells new from
// old). The list is what makes a hand-made pack's strays visible: a pack
// holds what the client chose to send, and git moves all of it into the
// repository, whatever the pushed refs reach (qa10 MEDIUM-6).
func (s *scan) quarantine(ctx context.Context) (*pushObjects, error) {
	if s.quar != nil || s.opts.NewObjects == "" {
		return s.quar, nil
	}
	if sameDir(s.repo.objs.Dirs()[0], s.opts.NewObjects) {
		return nil, nil
	}
	q, err := gitobj.Open(s.opts.NewObjects, gitobj.Options{})
	if err != nil {
		return nil, fmt.Errorf("the push's objects folder %s: %w", s.opts.NewObjects, err)
	}
	defer q.Close()
	own, err := gitobj.Open(s.repo.objs.Dirs()[0], gitobj.Options{})
	if err != nil {
		return nil, err
	}
	defer own.Close()
	out := &pushObjects{}
	seen := map[gitobj.ID]bool{}
	add := func(h gitobj.ID, t gitobj.Type) {
		if seen[h] || own.Has(h) {
			return
		}
		seen[h] = true
		switch t {
		case gitobj.Commit:
			out.commits = append(out.commits, h)
		case gitobj.Tag:
			out.tags = append(out.tags, h)
		case gitobj.Blob:
			out.blobs = append(out.blobs, h)
		}
	}
	for _, p := range q.Packs() {
		// A push of 100 objects or more (receive.unpackLimit) is kept
		// as a pack: listed from its index, which a fresh store has not
		// read yet (qa11 HIGH-4: a kept pack listed nothing).
		if err := p.Load(); err != nil {
			return nil, fmt.Errorf("the push's pack: %w", err)
		}
		memo := make(map[int64]gitobj.Type, len(p.Order()))
		for i, off := range p.Order() {
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			h, err := p.IDAt(i)
			if err != nil {
				continue
			}
			t, err := p.ResolvedType(off, memo)
			if err != nil {
				s.warn(h.String(), "", fmt.Sprintf("cannot read object type in %s: %v", p.Path, err))
				s.stats.Unreadable++
				continue
			}
			add(h, t)
		}
	}
	var loose []gitobj.ID
	if err := q.LooseIDs(func(h gitobj.ID) { loose = append(loose, h) }); err != nil {
		return nil, fmt.Errorf("listing the push's loose objects: %w", err)
	}
	for _, h := range loose {
		if seen[h] {
			continue
		}
		if _, _, ok, _ := q.Locate(h); ok {
			continue
		}
		t, _, _, ok, err := q.LooseHead(h, 0) // its type, not a gigabyte inflated (qa13 HIGH-7)
		if err == nil && !ok {
			continue // gone since it was listed
		}
		if err != nil {
			s.warn(h.String(), "", fmt.Sprintf("cannot read loose object: %v", err))
			s.stats.Unreadable++
			continue
		}
		add(h, t)
	}
	sortHashes(out.commits)
	sortHashes(out.tags)
	s.quar = out
	return out, nil
}

// strayCommits returns the commits of the push that the walk of the
// pushed refs did not reach (byHash): the walk visits them too, as it
// visits dangling commits (AllObjects), so their trees, messages and paths
// are scanned; a key in one is as stored on the server as one a ref
// reaches. It also reads the annotated tags of the push that no pushed ref
// names, for their messages.
func (s *scan) strayCommits(ctx context.Context, byHash map[gitobj.ID]*commitInfo) ([]gitobj.ID, error) {
	q, err := s.quarantine(ctx)
	if err != nil || q == nil {
		return nil, err
	}
	var stray []gitobj.ID
	for _, h := range q.commits {
		if byHash[h] == nil {
			stray = append(stray, h)
		}
	}
	if n := len(stray); n > 0 {
		what := "1 commit"
		if n > 1 {
			what = fmt.Sprintf("%d commits", n)
		}
		s.warn(stray[0].String(), "", what+" in the push that no pushed ref reaches (a hand-made pack?): scanned")
	}
	s.readTags(q.tags, "annotated tag in the push that no pushed ref names (a hand-made pack?): its message scanned")
	return stray, nil
}

// readTags scans the messages of the annotated tags ids that no ref
// named (a push's strays, a repository's dangling tags), unless read
// already; with warning set, each is named in one.
func (s *scan) readTags(ids []gitobj.ID, warning string) {
	for _, h := range ids {
		if s.msgs.tags[h] {
			continue
		}
		t, data, size, err := s.readText(h)
		if err == nil && t != gitobj.Tag {
			err = fmt.Errorf("object %s: is a %s, want a tag", h, t)
		}
		if err != nil {
			s.warn(h.String(), "", fmt.Sprintf("cannot read tag: %v", err))
			s.stats.Unreadable++
			continue
		}
		th, err := gitobj.ParseTag(data)
		if err != nil {
			s.warn(h.String(), "", fmt.Sprintf("tag %s: %v", h, err))
			s.stats.Unreadable++
			continue
		}
		if s.msgs.tags == nil {
			s.msgs.tags = map[gitobj.ID]bool{}
		}
		s.msgs.tags[h] = true
		if warning != "" {
			s.warn(h.String(), "", warning)
		}
		s.objectText(data, size, gitobj.ID{}, &tagMessage{id: h, header: th})
	}
}

// addQuarantineBlobs adds the blobs of Options.NewObjects (a push's
// quarantine) that the walk did not reach (qa10 MEDIUM-6). A push's pack
// holds what its new tips reach, so an ordinary push has none: of the
// quarantine's blobs the repository lacks (see quarantine), those the
// walked trees do not hold are looked at further. A blob the walk left out
// for the configuration's exclude globs is in a tree the new commits hold,
// so before a remaining blob is scanned the trees of the walked commits
// that the repository does not already hold are read, excluded paths
// included, and the blobs they name are let be. What is left is in the
// push and in no tree it adds: scanned under its ID, as a dangling blob is.
func (s *scan) addQuarantineBlobs(ctx context.Context) error {
	q, err := s.quarantine(ctx)
	if err != nil || q == nil {
		return err
	}
	own, err := gitobj.Open(s.repo.objs.Dirs()[0], gitobj.Options{})
	if err != nil {
		return err
	}
	defer own.Close()
	cand := map[gitobj.ID]bool{}
	for _, h := range q.blobs {
		if _, walked := s.blobIdx[h]; !walked {
			cand[h] = true
		}
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
