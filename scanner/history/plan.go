package history

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// planner makes the read pass's plan (see plan) while the walk finds the
// blobs, on a goroutine of its own: locating tens of thousands of blobs in
// the pack indexes and reading their entry headers is work of its own,
// which would otherwise stand between the walk and the read, while the
// walk leaves a core part idle. The walk hands each new blob over in
// batches (see scan.blobID); the blobs a scan finds after the walk (the
// HEAD tree that attribute may walk) are not read, with or without it.
//
// It also starts reading blobs before the walk ends. The walk is one
// goroutine and takes about half of a scan's time, so the other core
// waits for the read pass; but a delta tree whose every blob the walk has
// met (a file's history that no later commit changes) can be read at
// once, as the read pass would read it: from its root, every entry once.
// The planner knows the trees of each pack and how many blobs each holds
// (gitobj.DeltaTrees), takes a tree out of the plan's forest as its last
// blob comes (gitobj.Forest.Take), and hands it to the early readers
// (earlyReads). The blobs are scanned under the path the walk first met
// them at, as they would be later: the walk decides that when it meets a
// blob first, so nothing about the blob changes after. A push's scan
// reads no early tree (see startPlanner).
type planner struct {
	ch    chan []planItem
	batch []planItem
	done  chan struct{}

	// Set by the planner's goroutine, read once done is closed.
	plan   *plan
	before []int32 // blobs committed before the scanned history
	fails  []planFail

	// trees knows the delta trees of each pack, for the early reads
	// (nil: none); pending holds the blobs met of each tree not yet
	// complete, by its root.
	trees   map[*gitobj.Pack]*gitobj.DeltaTrees
	pending map[treeRoot][]planItem
	early   *earlyReads
}

type treeRoot struct {
	pack *gitobj.Pack
	off  int64
}

type planItem struct {
	id     int32
	hash   gitobj.ID
	path   string // where the walk first met it (s.blobs[id].path), for an early read
	before bool
}

type planFail struct {
	id  int32
	msg string
}

const planBatch = 512

// startPlanner starts planning the blobs the walk finds from now on.
func (s *scan) startPlanner(ctx context.Context) {
	p := &planner{ch: make(chan []planItem, 64), done: make(chan struct{}),
		plan: &plan{forest: gitobj.NewForest()}}
	s.planner = p
	packs := s.loadPacks()
	// A push's scan walks a few new trees of a large repository: knowing
	// the delta trees of its packs would cost a read of them all.
	early := !s.noEarly && len(s.opts.Not) == 0 && !s.opts.NotRefs && !s.opts.Unpushed && len(packs) > 0
	if early {
		p.early = s.startEarlyReads(ctx, earlyReaders(s.opts.Workers))
	}
	go func() {
		defer close(p.done)
		if early {
			p.trees = map[*gitobj.Pack]*gitobj.DeltaTrees{}
			p.pending = map[treeRoot][]planItem{}
			for _, pk := range packs {
				if d, err := pk.DeltaTreesOf(); err == nil {
					p.trees[pk] = d
				} // else its blobs are read in the read pass, as without
			}
		}
		for items := range p.ch {
			if ctx.Err() != nil {
				continue // the scan stops; drain what the walk sends
			}
			for _, it := range items {
				p.locate(packs, it)
			}
		}
		p.pending = nil
	}()
}

// earlyReaders is how many early readers read beside the walk: one core
// is the walk's, and its feed of trees takes part of another.
func earlyReaders(workers int) int { return max(1, workers-1) }

// add hands blob id, first met at path, over to the planner.
func (p *planner) add(id int32, hash gitobj.ID, path string, before bool) {
	p.batch = append(p.batch, planItem{id, hash, path, before})
	if len(p.batch) == planBatch {
		p.ch <- p.batch
		p.batch = make([]planItem, 0, planBatch)
	}
}

// finishPlanner waits for the planner to plan every blob handed over, and
// returns the plan with s.results made and marked for the blobs not to
// read; the planner is gone after it, whatever ctx says.
func (s *scan) finishPlanner(ctx context.Context) (*plan, error) {
	p := s.stopPlanner()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.results = make([]blobResult, len(s.blobs))
	pl := p.plan
	pl.total = int64(len(s.blobs) - len(p.before))
	for _, id := range p.before {
		s.results[id].status = blobBefore
	}
	for _, f := range p.fails {
		s.results[f.id].fail(f.msg)
	}
	if e := p.early; e != nil {
		for _, out := range e.out {
			for _, r := range out.results {
				s.results[r.id] = r.r
			}
			pl.early += out.n
			pl.earlyBytes += out.bytes
		}
		s.early = pl.early
	}
	pl.forest.Sort()
	return pl, nil
}

// stopPlanner ends the planner's goroutine, if there is one, and returns
// it.
func (s *scan) stopPlanner() *planner {
	p := s.planner
	if p == nil {
		return nil
	}
	s.planner = nil
	if len(p.batch) > 0 {
		p.ch <- p.batch
	}
	close(p.ch)
	<-p.done
	if p.early != nil {
		p.early.finish()
	}
	return p
}

// locate finds a blob in the packs and adds it to the plan's forest, or to
// its loose blobs when no pack holds it.
func (p *planner) locate(packs []*gitobj.Pack, it planItem) {
	if it.before {
		p.before = append(p.before, it.id)
		return
	}
	pl := p.plan
	for _, pk := range packs {
		off, ok, err := pk.Index.Find(it.hash)
		if err != nil || !ok {
			continue
		}
		h, err := pl.forest.Add(pk, off, it.id)
		if errors.Is(err, gitobj.ErrTaken) {
			break // in a tree read early without it (DeltaTrees cannot count wrong, but if): read alone
		}
		if err != nil {
			p.fails = append(p.fails, planFail{it.id, fmt.Sprintf("cannot read pack entry in %s: %v", pk.Path, err)})
			return
		}
		if h.Type == gitobj.Blob {
			pl.nbytes += h.Size
		} else {
			pl.nbytes += h.Size * 4 // a delta's target size is not in its header; estimate
		}
		p.claim(pk, off, it)
		return
	}
	pl.loose = append(pl.loose, it.id)
}

// claim counts blob it, added to the forest at off in pk, as met in its
// delta tree, and hands the tree to the early readers when it was the
// last one.
func (p *planner) claim(pk *gitobj.Pack, off int64, it planItem) {
	d := p.trees[pk]
	if d == nil {
		return
	}
	root, complete := d.Claim(off)
	if root < 0 {
		return
	}
	k := treeRoot{pk, root}
	items := append(p.pending[k], it)
	if !complete {
		p.pending[k] = items
		return
	}
	delete(p.pending, k)
	if t, ok := p.plan.forest.Take(pk, root); ok {
		p.early.push(earlyTree{t, items})
	}
}

// earlyReads reads the delta trees the planner hands over during the walk
// (see planner), on goroutines of their own; each keeps its results apart
// until finishPlanner puts them in s.results, which is made after the
// walk.
type earlyReads struct {
	s      *scan
	ctx    context.Context
	mu     sync.Mutex
	cond   sync.Cond
	queue  []earlyTree
	closed bool
	wg     sync.WaitGroup
	out    []*earlyOut // by reader
}

type earlyTree struct {
	tree  gitobj.DeltaTree
	items []planItem // its blobs, in the order of their IDs
}

// earlyOut is what one early reader read.
type earlyOut struct {
	results  []earlyResult
	n, bytes int64
}

type earlyResult struct {
	id int32
	r  blobResult
}

// startEarlyReads starts n early readers.
func (s *scan) startEarlyReads(ctx context.Context, n int) *earlyReads {
	e := &earlyReads{s: s, ctx: ctx}
	e.cond.L = &e.mu
	e.add(n)
	return e
}

// add starts n more readers.
func (e *earlyReads) add(n int) {
	s, ctx := e.s, e.ctx
	for range n {
		e.out = append(e.out, &earlyOut{})
		out := e.out[len(e.out)-1]
		e.wg.Add(1)
		go func() {
			defer e.wg.Done()
			var items []planItem
			v := s.visitor(func(id int32) (*blobResult, gitobj.ID, string) {
				i, _ := slices.BinarySearchFunc(items, id, func(it planItem, id int32) int { return int(it.id - id) })
				out.results = append(out.results, earlyResult{id: id})
				return &out.results[len(out.results)-1].r, items[i].hash, items[i].path
			}, func(n int64) {
				out.n++
				out.bytes += n
			})
			w := s.repo.objs.NewWalker()
			for {
				t, ok := e.pop()
				if !ok {
					return
				}
				if ctx.Err() != nil {
					continue // the scan stops: drain
				}
				items = t.items
				w.WalkTree(ctx, t.tree, v)
			}
		}()
	}
}

func (e *earlyReads) push(t earlyTree) {
	e.mu.Lock()
	e.queue = append(e.queue, t)
	e.mu.Unlock()
	e.cond.Signal()
}

// pop takes the next tree, waiting for one; false once finish was called
// and none is left.
func (e *earlyReads) pop() (earlyTree, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for len(e.queue) == 0 && !e.closed {
		e.cond.Wait()
	}
	if len(e.queue) == 0 {
		return earlyTree{}, false
	}
	t := e.queue[0]
	e.queue[0] = earlyTree{}
	e.queue = e.queue[1:]
	return t, true
}

// finish lets the readers end once the queue is read, and waits for
// them. The trees the walk's last commits complete are many (the files
// it changes last): the walk is over, so readers are added up to
// Options.Workers to read them.
func (e *earlyReads) finish() {
	e.add(e.s.opts.Workers - len(e.out))
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	e.cond.Broadcast()
	e.wg.Wait()
}
