package history

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// newCommits returns the commits reachable from starts that no revision in
// Options.Not reaches. Both sides are walked together, newest commit first,
// and the walk stops as soon as every commit left to visit is known to be
// old: a push of three commits onto a branch reads those three and the
// commits the refs point at, not the history behind them. This is git's own
// method (revision.c, everybody_uninteresting); like git's it trusts commit
// dates, and where they lie (a commit older than its parent) it errs on the
// safe side: an old commit is taken for a new one and its blobs are scanned.
//
// A new commit that cannot be read is an error: what the push adds is then
// unknown (a shallow push whose parents the repository lacks, an object
// the push did not send).
func (s *scan) newCommits(ctx context.Context, starts []gitobj.ID) (map[gitobj.ID]bool, error) {
	type state struct {
		old, queued bool
		parents     []gitobj.ID
		at          time.Time
	}
	st := map[gitobj.ID]*state{}
	q := &dateHeap{}
	pendingNew := 0 // queued commits not (yet) known to be old
	markOld := func(h gitobj.ID) {
		stack := []gitobj.ID{h}
		for len(stack) > 0 {
			h := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			c := st[h]
			if c == nil || c.old {
				continue
			}
			c.old = true
			if c.queued {
				pendingNew--
			} else {
				stack = append(stack, c.parents...) // already visited: its parents were queued as new
			}
		}
	}
	add := func(h gitobj.ID, old bool) error {
		if c := st[h]; c != nil {
			if old {
				markOld(h)
			}
			return nil
		}
		ch, err := s.readCommit(h)
		if err != nil {
			if old {
				return nil // nothing to exclude through an old commit that is not there
			}
			return fmt.Errorf("commit %s: %w (a shallow push, or an object the push did not send)", h, err)
		}
		st[h] = &state{old: old, queued: true, parents: ch.Parents, at: ch.CommitAt}
		heap.Push(q, dated{h, ch.CommitAt})
		if !old {
			pendingNew++
		}
		return nil
	}
	nots := s.opts.Not
	if s.opts.NotRefs {
		refs, err := s.repo.refs("") // every ref
		if err != nil {
			return nil, err
		}
		nots = slices.Clip(nots)
		for _, r := range refs {
			nots = append(nots, r.Hash().String())
		}
	}
	for _, name := range nots {
		if h, ok := s.notCommit(ctx, name); ok {
			add(h, true) // never fails for an old commit
		}
	}
	if len(st) == 0 {
		return nil, nil // nothing old: every commit is new, the walk reads them all
	}
	for _, h := range starts {
		if err := add(h, false); err != nil {
			return nil, err
		}
	}
	shallow := s.shallowBoundary()
	for n := 0; pendingNew > 0; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		d := heap.Pop(q).(dated)
		c := st[d.hash]
		c.queued = false
		if !c.old {
			pendingNew--
		}
		if shallow[d.hash] {
			continue
		}
		for _, p := range c.parents {
			if err := add(p, c.old); err != nil {
				return nil, err
			}
		}
	}
	out := map[gitobj.ID]bool{}
	for h, c := range st {
		if !c.old {
			out[h] = true
		}
	}
	return out, nil
}

// notCommit resolves a revision of Options.Not to a commit; tags of trees
// and blobs, and names that do not resolve, exclude nothing.
func (s *scan) notCommit(ctx context.Context, name string) (gitobj.ID, bool) {
	if h, ok := gitobj.ParseID(name); ok {
		t, err := s.peel(name, h)
		if err != nil || t.typ != gitobj.Commit {
			return gitobj.ID{}, false
		}
		return t.hash, true
	}
	h, err := s.repo.resolve(ctx, s.objr, name)
	return h, err == nil
}

type dated struct {
	hash gitobj.ID
	at   time.Time
}

// dateHeap pops the newest commit first.
type dateHeap []dated

func (h dateHeap) Len() int           { return len(h) }
func (h dateHeap) Less(i, j int) bool { return h[i].at.After(h[j].at) }
func (h dateHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dateHeap) Push(x any)        { *h = append(*h, x.(dated)) }
func (h *dateHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// oldTrees holds, for each directory path the walk of the new commits
// reaches, the tree IDs that the boundary commits (the old commits the push
// builds on) have there. A push of a few commits onto a 10,000-file
// repository changes a few directories: the walk reads the boundary's
// version of those directories only, not its whole tree, and a directory
// of a new commit that is the same tree as the boundary's at the same path
// holds nothing new and is not walked. Blobs in the boundary's versions of
// the changed directories are marked as committed before; a blob the push
// moves from an unchanged directory into a changed one is scanned again,
// which errs on the safe side.
type oldTrees struct {
	at   map[int32][]gitobj.ID // path ID -> the boundary's tree IDs there
	done map[int32]bool
	// links are the boundary's submodule commits (gitlinks) in the
	// directories read, by path: a gitlink the push leaves as it was adds
	// nothing to warn about.
	links map[gitlink]bool
	// subs are the places of the subtrees of the boundary's directories
	// read, by tree ID: a pushed commit that moves one of them whole (a
	// folder renamed) to a folder of the same DirClass holds nothing new
	// (movedTree).
	subs map[gitobj.ID][]oldPlace
}

// oldPlace is a folder of the boundary: its parent (a path ID) and name.
type oldPlace struct {
	dir  int32
	name string
}

type gitlink struct {
	path   string
	commit gitobj.ID
}

func (s *scan) initOld() {
	s.old.at = map[int32][]gitobj.ID{}
	s.old.done = map[int32]bool{0: true}
	s.old.links = map[gitlink]bool{}
	s.old.subs = map[gitobj.ID][]oldPlace{}
	for _, h := range s.boundary {
		if c, err := s.readCommit(h); err == nil && !slices.Contains(s.old.at[0], c.Tree) {
			s.old.at[0] = append(s.old.at[0], c.Tree)
			s.markOldFiles(c.Tree, 0)
		}
	}
}

// oldTree reports whether tree h is, at directory dir, one of the
// boundary's trees.
func (s *scan) oldTree(h gitobj.ID, dir int32) bool {
	return slices.Contains(s.oldAt(dir), h)
}

// oldAt returns the boundary's tree IDs at directory dir, reading the
// boundary's versions of the directories above it as needed.
func (s *scan) oldAt(dir int32) []gitobj.ID {
	if s.old.done[dir] {
		return s.old.at[dir]
	}
	s.old.done[dir] = true
	up := s.pathUp[dir]
	name := s.nameList[up.name]
	var out []gitobj.ID
	for _, parent := range s.oldAt(up.dir) {
		_, data, err := s.objr.Read(parent)
		if err != nil {
			continue // unreadable old trees exclude nothing
		}
		_ = gitobj.ParseTree(data, func(e gitobj.TreeEntry) {
			if e.Mode == gitobj.ModeDir && string(e.Name) == name && !slices.Contains(out, e.ID) {
				out = append(out, e.ID)
			}
		})
	}
	for _, h := range out {
		s.markOldFiles(h, dir)
	}
	s.old.at[dir] = out
	return out
}

// movedTree reports whether the tree h, met at the folder dir of a pushed
// commit, is one of the boundary's trees at a folder of the same DirClass:
// every file below it was held before the push at its namesake there, of
// the same name class (scanner.DirClass), so nothing in it is new. A
// folder of 100,000 files renamed cost a walk of every entry and two
// NameClass calls for each (qa16 MEDIUM-2); git's own walk does not read
// the tree again. Only the trees the boundary's directories read name are
// known, which the walk of a renamed folder's parent reads.
func (s *scan) movedTree(h gitobj.ID, dir int32) bool {
	places := s.old.subs[h]
	if len(places) == 0 {
		return false
	}
	c := s.dirClass(dir)
	for _, p := range places {
		if s.dirClassOf(join(s.paths[p.dir], p.name)) == c {
			return true
		}
	}
	return false
}

// markOldFiles records the blobs directly in the boundary's tree h at dir
// as committed before the push, and its gitlinks.
func (s *scan) markOldFiles(h gitobj.ID, dir int32) {
	_, data, err := s.objr.Read(h)
	if err != nil {
		return
	}
	_ = gitobj.ParseTree(data, func(e gitobj.TreeEntry) {
		if e.Mode == gitobj.ModeSubmodule {
			s.old.links[gitlink{join(s.paths[dir], string(e.Name)), e.ID}] = true
		}
		if e.Mode == gitobj.ModeDir {
			s.old.subs[e.ID] = append(s.old.subs[e.ID], oldPlace{dir, string(e.Name)})
		}
		if e.Mode != gitobj.ModeDir && e.Mode != gitobj.ModeSubmodule {
			if b, ok := s.blobIdx[e.ID]; !ok {
				s.blobID(e.ID, join(s.paths[dir], string(e.Name)), commitBefore)
			} else {
				// Held under another name before the push too: a
				// rename to a name of that class is not new (its
				// class is worked out when needed: metBefore).
				s.metBefore(b, join(s.paths[dir], string(e.Name)))
			}
		}
	})
}
