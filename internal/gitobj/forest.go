package gitobj

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// Forest groups pack entries into the trees their deltas form, so that
// reading many objects inflates every entry, base or delta, exactly once,
// base first. Resolving objects one by one instead resolves each delta
// chain from its base again, unless a cache happens to hold it.
type Forest struct {
	roots []*forestNode
	nodes map[cacheKey]*forestNode
	packs map[*Pack]int // pack order, for Sort
	// blocks serves Add's reads of entry headers, which the blobs of one
	// commit, found together, have close together in the pack.
	blocks blockCache
}

type forestNode struct {
	pack     *Pack
	off      int64
	hdr      Entry
	tag      int32 // the caller's name for it; -1 when it is only a base
	external bool  // REF delta whose base is in no pack of the forest's
	children []*forestNode
}

// NewForest returns an empty forest.
func NewForest() *Forest {
	return &Forest{nodes: map[cacheKey]*forestNode{}, packs: map[*Pack]int{}}
}

// Add adds the entry at off in p (which must be Loaded), and the chain of
// bases it is built on, and tags it: Walk reports it by tag (>= 0). It
// returns the entry's header.
func (f *Forest) Add(p *Pack, off int64, tag int32) (Entry, error) {
	n, err := f.ensure(p, off, 0)
	if err != nil {
		return Entry{}, err
	}
	n.tag = tag
	return n.hdr, nil
}

func (f *Forest) ensure(p *Pack, off int64, depth int) (*forestNode, error) {
	k := cacheKey{p, off}
	if n, ok := f.nodes[k]; ok {
		return n, nil
	}
	if depth > maxDepth {
		return nil, errTooDeep
	}
	if _, ok := f.packs[p]; !ok {
		f.packs[p] = len(f.packs)
	}
	h, err := p.entryVia(&f.blocks, off)
	if err != nil {
		return nil, err
	}
	n := &forestNode{pack: p, off: off, hdr: h, tag: -1}
	switch h.Type {
	case OFSDelta:
		parent, err := f.ensure(p, h.BaseOffset, depth+1)
		if err != nil {
			return nil, err
		}
		parent.children = append(parent.children, n)
	case REFDelta:
		bo, ok, err := p.Index.Find(h.BaseID)
		if err != nil {
			return nil, err
		}
		if ok {
			parent, err := f.ensure(p, bo, depth+1)
			if err != nil {
				return nil, err
			}
			parent.children = append(parent.children, n)
		} else {
			n.external = true
			f.roots = append(f.roots, n)
		}
	default:
		f.roots = append(f.roots, n)
	}
	f.nodes[k] = n
	return n, nil
}

// Sort puts the trees in the order of their roots in the packs, the order
// in which the disk is read fastest.
func (f *Forest) Sort() {
	slices.SortFunc(f.roots, func(a, b *forestNode) int {
		if a.pack != b.pack {
			return f.packs[a.pack] - f.packs[b.pack]
		}
		return cmpInt64(a.off, b.off)
	})
	f.nodes = nil // Add is over; let the map go
	f.blocks = blockCache{}
}

// Len is the number of trees.
func (f *Forest) Len() int { return len(f.roots) }

// Visitor is what Walk does with the tagged entries of a tree.
type Visitor struct {
	// Limit, when above 0, is the largest object read for a tagged entry
	// that no other entry is built on; a larger one goes to Fail with a
	// *TooLargeError, without being inflated when its header says its size.
	Limit int64
	// Admit, when set, may let a tagged entry over Limit be read all the
	// same: an entry of at most AdmitLimit bytes is read whole when Admit
	// returns true for its first AdmitHead bytes (inflated, or built from
	// its delta, without the rest). A caller reads archives past its size
	// limit that way, and nothing else.
	Admit      func(head []byte) bool
	AdmitLimit int64
	AdmitHead  int
	// Visit receives a tagged entry's object; data is valid only during
	// the call.
	Visit func(tag int32, data []byte)
	// Fail receives each tagged entry that could not be read, and why.
	Fail func(tag int32, err error)
}

// TooLargeError is an object over Visitor.Limit.
type TooLargeError struct{ Size int64 }

func (e *TooLargeError) Error() string { return fmt.Sprintf("%d bytes", e.Size) }

// Walker resolves the trees of a Forest. Each goroutine has its own: it
// holds an inflater and a pool of buffers, so that a chain of versions
// holds about two buffers at a time, whatever its length.
type Walker struct {
	r     *Reader // for REF delta bases outside the forest's packs
	z     Inflater
	pool  BufPool
	delta []byte // scratch for the delta being applied
}

// NewWalker returns a walker that reads bases outside the forest's packs
// from s.
func (s *Store) NewWalker() *Walker { return &Walker{r: s.NewReader(0)} }

// Walk resolves tree i of f and reports its tagged entries to v.
func (w *Walker) Walk(ctx context.Context, f *Forest, i int, v *Visitor) {
	w.resolve(ctx, f.roots[i], nil, false, v)
}

// resolve inflates n (applying its delta to base), reports it if it is
// tagged, then does the same for the entries built on it. base belongs to
// the parent; when n is its last child (last), the parent's buffer goes
// back to the pool as soon as n is built.
func (w *Walker) resolve(ctx context.Context, n *forestNode, base []byte, last bool, v *Visitor) {
	if ctx.Err() != nil {
		if last {
			w.pool.Put(base)
		}
		return
	}
	if n.tag >= 0 && len(n.children) == 0 && v.Limit > 0 && n.hdr.Type != OFSDelta && n.hdr.Type != REFDelta && n.hdr.Size > v.Limit &&
		!w.admitWhole(n, v) {
		v.Fail(n.tag, &TooLargeError{n.hdr.Size})
		if last {
			w.pool.Put(base)
		}
		return
	}
	data, err := w.load(n, base, v)
	if last {
		w.pool.Put(base)
	}
	if err != nil {
		var tl *TooLargeError
		if !errors.As(err, &tl) {
			err = fmt.Errorf("%s: %w", n.pack.Path, err)
		}
		w.fail(n, err, v)
		return
	}
	if n.tag >= 0 {
		v.Visit(n.tag, data)
	}
	for i, c := range n.children {
		w.resolve(ctx, c, data, i == len(n.children)-1, v)
	}
	if len(n.children) == 0 {
		w.pool.Put(data)
	}
}

// load returns the content of n, in a buffer from the pool.
func (w *Walker) load(n *forestNode, base []byte, v *Visitor) ([]byte, error) {
	if n.hdr.Type != OFSDelta && n.hdr.Type != REFDelta {
		if n.hdr.Size < 0 || n.hdr.Size > MaxDeltaTarget {
			return nil, ErrCorrupt
		}
		end, _ := n.pack.end(n.off)
		if n.hdr.Size > maxInflated(end-n.off-n.hdr.HeaderLen) {
			return nil, ErrCorrupt
		}
		buf := w.pool.Get(int(n.hdr.Size))
		data, err := w.z.Inflate(n.pack, n.off, n.hdr, buf, w.r.s.max)
		if err != nil {
			w.pool.Put(buf)
		}
		return data, err
	}
	raw, err := w.z.Inflate(n.pack, n.off, n.hdr, w.delta, w.r.s.max)
	if err != nil {
		return nil, err
	}
	w.delta = raw[:0]
	if n.external {
		_, base, err = w.r.Read(n.hdr.BaseID)
		if err != nil {
			return nil, fmt.Errorf("delta base %s: %w", n.hdr.BaseID, err)
		}
	}
	size, ok := DeltaTargetSize(raw)
	if !ok || (w.r.s.max > 0 && size > w.r.s.max) {
		return nil, ErrDelta
	}
	if n.tag >= 0 && len(n.children) == 0 && v.Limit > 0 && size > v.Limit && !admitDelta(base, raw, size, v) {
		return nil, &TooLargeError{size}
	}
	return ApplyDelta(base, raw, w.pool.Get)
}

// admitWhole reports whether v admits the whole (undeltified) entry n over
// its Limit, by its first bytes.
func (w *Walker) admitWhole(n *forestNode, v *Visitor) bool {
	if v.Admit == nil || n.hdr.Size > v.AdmitLimit {
		return false
	}
	head, err := w.z.InflateHead(n.pack, n.off, n.hdr, v.AdmitHead)
	return err == nil && v.Admit(head)
}

// admitDelta reports whether v admits the object the delta builds from
// base, of size bytes over its Limit, by its first bytes.
func admitDelta(base, delta []byte, size int64, v *Visitor) bool {
	if v.Admit == nil || size > v.AdmitLimit {
		return false
	}
	head, err := DeltaHead(base, delta, v.AdmitHead)
	return err == nil && v.Admit(head)
}

// fail reports n and every tagged entry built on it as unreadable.
func (w *Walker) fail(n *forestNode, err error, v *Visitor) {
	if n.tag >= 0 {
		v.Fail(n.tag, err)
	}
	for _, c := range n.children {
		w.fail(c, err, v)
	}
}
