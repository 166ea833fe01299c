package history

import (
	"bytes"
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
//
// Trees go over in batches, as commits do (see feedBatch): one channel
// operation, and at most one wake-up of the walk, per batch. Sent one by
// one, the walk, faster than the feed, waited on the channel for nearly
// every tree, and each of trufflehog's 85,000 trees cost a park and a
// wake-up of a goroutine (41,000 futex calls in all).
type treeFeed struct {
	ch     chan []fedTree
	batch  []fedTree // being built by the feed's goroutine
	held   int       // bytes in batch
	got    []fedTree // taken from ch, not yet walked
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
	f := &treeFeed{ch: make(chan []fedTree, 1), cancel: cancel}
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
		fw := &feedWalk{ctx: ctx, f: f, r: r, seen: map[gitobj.ID]bool{}, limit: s.memoLimit}
		var root *feedDir // the memo of the root directory, when there are memos
		if fw.limit > 0 {
			root = &feedDir{}
		}
		for _, h := range roots {
			if !fw.visit(h, root, 0) {
				return
			}
		}
		fw.flush()
	}()
	return f
}

// send adds t to the batch and sends the batch when it is full; false when
// the feed is stopped.
func (fw *feedWalk) send(t fedTree) bool {
	f := fw.f
	f.batch = append(f.batch, t)
	f.held += len(t.data)
	if len(f.batch) < feedBatch && f.held < feedBatchBytes {
		return true
	}
	return fw.flush()
}

// flush sends the batch; false when the feed is stopped.
func (fw *feedWalk) flush() bool {
	f := fw.f
	if len(f.batch) == 0 {
		return true
	}
	select {
	case f.ch <- f.batch:
		f.batch, f.held = nil, 0
		return true
	case <-fw.ctx.Done():
		return false
	}
}

// feedWalk is the feed's walk of the trees. Like the walk's own (see
// walkTree), it remembers the last tree it read at each directory (a
// feedDir, found from its parent's by name) and reads a new version as a
// comparison of records: a subdirectory whose record did not change was
// sent already, and is neither looked up nor parsed again.
type feedWalk struct {
	ctx     context.Context
	f       *treeFeed
	r       *gitobj.Reader
	seen    map[gitobj.ID]bool
	scratch []feedScratch // per depth
	bytes   int           // held by the feedDirs
	limit   int
}

// feedDir is the last tree the feed read at one directory.
type feedDir = lastTree[feedEntry]

type feedEntry struct {
	dir bool     // a subdirectory
	sub *feedDir // a subdirectory's own, when it has one
}

type feedScratch struct {
	ends []int32
	ents []feedEntry
}

// visit sends tree h, which is at the directory d remembers (nil: none),
// and the trees below it that have not been sent; false when the feed is
// stopped.
func (fw *feedWalk) visit(h gitobj.ID, d *feedDir, depth int) bool {
	if fw.seen[h] || depth >= maxTreeDepth {
		return true // the walk does not read a tree that deep either
	}
	fw.seen[h] = true
	t, data, err := fw.r.Read(h)
	if !fw.send(fedTree{h, t, data, err}) {
		return false
	}
	if err != nil || t != gitobj.Tree {
		return true
	}
	for len(fw.scratch) <= depth {
		fw.scratch = append(fw.scratch, feedScratch{})
	}
	sc := &fw.scratch[depth]
	sc.ends, sc.ents = sc.ends[:0], sc.ents[:0]
	var prev feedDir
	if d != nil {
		prev = *d
	}
	j := 0
	for pos := 0; pos < len(data); {
		if k := sameRecords(data, pos, prev.raw, prev.ends, j); k > 0 {
			sc := &fw.scratch[depth]
			sc.ends, sc.ents, pos = prev.reuse(pos, j, k, sc.ends, sc.ents)
			j += k
			continue
		}
		e, n, err := gitobj.NextTreeEntry(data[pos:])
		if err != nil {
			break
		}
		pos += n
		isDir := e.Mode == gitobj.ModeDir
		var sub *feedDir
		for j < len(prev.ents) {
			old := prev.ents[j]
			start := recordStart(prev.ends, j)
			c := treeOrder(recordName(prev.raw[start:prev.ends[j]]), old.dir, e.Name, isDir)
			if c > 0 {
				break
			}
			j++
			if c == 0 {
				sub = old.sub
				break
			}
		}
		if isDir {
			if sub == nil && d != nil {
				sub = &feedDir{}
			}
			if !fw.visit(e.ID, sub, depth+1) {
				return false
			}
		}
		sc := &fw.scratch[depth] // the visit may have grown fw.scratch
		sc.ends = append(sc.ends, int32(pos))
		sc.ents = append(sc.ents, feedEntry{dir: isDir, sub: sub})
	}
	if d != nil {
		sc := &fw.scratch[depth]
		fw.remember(d, data, sc.ends, sc.ents)
	}
	return true
}

// remember makes data, whose records end at ends and are ents, the last
// tree read at d, within the feed's budget.
func (fw *feedWalk) remember(d *feedDir, data []byte, ends []int32, ents []feedEntry) {
	d.keep(&fw.bytes, fw.limit, data, ends, ents)
}

// recordName returns the name in a tree entry's record.
func recordName(rec []byte) []byte {
	sp := bytes.IndexByte(rec, ' ')
	return rec[sp+1 : len(rec)-21]
}

// take returns tree h from the feed when it is the next one there.
func (f *treeFeed) take(h gitobj.ID) (fedTree, bool) {
	if f == nil {
		return fedTree{}, false
	}
	if len(f.got) == 0 {
		b, ok := <-f.ch
		if !ok {
			return fedTree{}, false
		}
		f.got = b
	}
	if f.got[0].id != h {
		return fedTree{}, false
	}
	t := f.got[0]
	f.got[0] = fedTree{} // the walk holds the data now, not the batch
	f.got = f.got[1:]
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
