package history

import (
	"context"
	"fmt"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// treeFeed reads the walk's trees ahead of it, on a second goroutine, so
// that inflating and resolving them (a third of the walk's time) overlaps
// with the walk's own bookkeeping instead of adding to it. The walk is one
// goroutine because its order decides which commit and path each blob is
// first seen at; the feed keeps that order by walking the same trees in
// the same order, each tree once. The walk reads a tree for the first
// time in exactly the order the feed does (a tree seen before has had all
// its subtrees seen too), so it needs no bookkeeping of its own: the next
// tree on the feed is either the one it wants, or it wants a tree it has
// read before and reads that itself.
type treeFeed struct {
	ch     chan fedTree
	next   *fedTree
	cancel context.CancelFunc
}

type fedTree struct {
	id   gitobj.ID
	typ  gitobj.Type
	data []byte
	err  error
}

// startFeed starts reading the trees of s.boundary's and s.commits'
// commits, in the walk's order.
func (s *scan) startFeed(ctx context.Context) *treeFeed {
	ctx, cancel := context.WithCancel(ctx)
	f := &treeFeed{ch: make(chan fedTree, 256), cancel: cancel}
	r := s.repo.objs.NewReader(32 << 20)
	roots := make([]gitobj.ID, 0, len(s.boundary)+len(s.commits))
	for _, h := range s.boundary {
		t, data, err := r.Read(h)
		if err != nil || t != gitobj.Commit {
			continue
		}
		if c, err := gitobj.ParseCommit(data); err == nil {
			roots = append(roots, c.Tree)
		}
	}
	for i := range s.commits {
		if !s.commits[i].tree.IsZero() {
			roots = append(roots, s.commits[i].tree)
		}
	}
	go func() {
		defer close(f.ch)
		seen := map[gitobj.ID]bool{}
		var visit func(h gitobj.ID) bool
		visit = func(h gitobj.ID) bool {
			if seen[h] {
				return true
			}
			seen[h] = true
			t, data, err := r.Read(h)
			select {
			case f.ch <- fedTree{h, t, data, err}:
			case <-ctx.Done():
				return false
			}
			if err != nil || t != gitobj.Tree {
				return true
			}
			ok := true
			gitobj.ParseTree(data, func(e gitobj.TreeEntry) {
				if ok && e.Mode == gitobj.ModeDir {
					ok = visit(e.ID)
				}
			})
			return ok
		}
		for _, h := range roots {
			if !visit(h) {
				return
			}
		}
	}()
	return f
}

// take returns tree h from the feed when it is the next one there.
func (f *treeFeed) take(h gitobj.ID) (fedTree, bool) {
	if f == nil {
		return fedTree{}, false
	}
	if f.next == nil {
		t, ok := <-f.ch
		if !ok {
			return fedTree{}, false
		}
		f.next = &t
	}
	if f.next.id != h {
		return fedTree{}, false
	}
	t := *f.next
	f.next = nil
	return t, true
}

// stop ends the feed's goroutine and waits for it.
func (f *treeFeed) stop() {
	f.cancel()
	for range f.ch {
	}
}

// readTree reads tree h for the walk: from the feed while there is one.
func (s *scan) readTree(h gitobj.ID) ([]byte, error) {
	ft, ok := s.feed.take(h)
	if !ok {
		ft.typ, ft.data, ft.err = s.objr.Read(h)
	}
	t, data, err := ft.typ, ft.data, ft.err
	if err == nil && t != gitobj.Tree {
		err = fmt.Errorf("object is a %s", t)
	}
	return data, err
}
