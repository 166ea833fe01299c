package history

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// dnode is one pack entry in a delta tree: a wanted blob, or a base that a
// wanted blob is built from.
type dnode struct {
	pack     *packFile
	off      int64
	hdr      entryHeader
	blob     int32 // index of the blob it is, -1 when only a base
	external bool  // REF delta whose base is in no pack: base read through go-git
	children []*dnode
}

type dkey struct {
	pack *packFile
	off  int64
}

// plan is the read order: delta-tree roots in pack order, then the blobs
// not in any pack.
type plan struct {
	roots  []*dnode
	loose  []int32
	total  int64 // blobs to read
	nbytes int64 // their size, where known without inflating
}

// makePlan locates every blob and groups the packed ones into delta trees.
func (s *scan) makePlan(ctx context.Context) (*plan, error) {
	s.loadPacks()
	pl := &plan{total: int64(len(s.blobs))}
	nodes := map[dkey]*dnode{}
	var ensure func(p *packFile, off int64, depth int) (*dnode, error)
	ensure = func(p *packFile, off int64, depth int) (*dnode, error) {
		k := dkey{p, off}
		if n, ok := nodes[k]; ok {
			return n, nil
		}
		if depth > 10000 {
			return nil, fmt.Errorf("delta chain too deep in %s", p.name)
		}
		h, err := p.readHeader(off)
		if err != nil {
			return nil, err
		}
		n := &dnode{pack: p, off: off, hdr: h, blob: -1}
		switch h.typ {
		case packOFSDelta:
			if _, ok := p.end(h.base); !ok {
				return nil, errCorruptEntry
			}
			parent, err := ensure(p, h.base, depth+1)
			if err != nil {
				return nil, err
			}
			parent.children = append(parent.children, n)
		case packREFDelta:
			if bo, err := p.idx.FindOffset(h.baseRef); err == nil {
				parent, err := ensure(p, bo, depth+1)
				if err != nil {
					return nil, err
				}
				parent.children = append(parent.children, n)
			} else {
				n.external = true
				pl.roots = append(pl.roots, n)
			}
		default:
			pl.roots = append(pl.roots, n)
		}
		nodes[k] = n
		return n, nil
	}
	for id := range s.blobs {
		if id%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		b := &s.blobs[id]
		if b.commit == commitBefore {
			s.results[id].status = blobBefore
			pl.total--
			continue
		}
		var found bool
		for _, p := range s.repo.packs {
			off, err := p.idx.FindOffset(b.hash)
			if err != nil {
				continue
			}
			found = true
			n, err := ensure(p, off, 0)
			if err != nil {
				s.results[id].fail(fmt.Sprintf("cannot read pack entry in %s: %v", p.name, err))
				break
			}
			n.blob = int32(id)
			if n.hdr.typ == packBlob {
				pl.nbytes += n.hdr.size
			} else {
				pl.nbytes += n.hdr.size * 4 // a delta's target size is not in its header; estimate
			}
			break
		}
		if !found {
			pl.loose = append(pl.loose, int32(id))
		}
	}
	slices.SortFunc(pl.roots, func(a, b *dnode) int {
		if a.pack != b.pack {
			return slices.Index(s.repo.packs, a.pack) - slices.Index(s.repo.packs, b.pack)
		}
		return int(a.off - b.off)
	})
	return pl, nil
}

// readAndScan reads every unique blob once and scans it, in parallel.
func (s *scan) readAndScan(ctx context.Context) error {
	s.results = make([]blobResult, len(s.blobs))
	pl, err := s.makePlan(ctx)
	if err != nil {
		return err
	}
	prog := &progress{fn: s.opts.Progress, total: pl.total, totalBytes: pl.nbytes}
	var next atomic.Int64
	var wg sync.WaitGroup
	nroots := int64(len(pl.roots))
	for range s.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &worker{s: s, prog: prog}
			for {
				if ctx.Err() != nil {
					return
				}
				i := next.Add(1) - 1
				switch {
				case i < nroots:
					w.resolve(pl.roots[i], nil, false)
				case i < nroots+int64(len(pl.loose)):
					w.readLoose(pl.loose[i-nroots])
				default:
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	prog.finish()
	s.collectResults()
	return nil
}

// worker reads and scans; each has its own inflater and buffers.
type worker struct {
	s     *scan
	z     inflater
	prog  *progress
	bufs  bufPool
	delta []byte // scratch for the delta being applied
}

// resolve inflates n (applying its delta to base), scans it if it is a
// wanted blob, then does the same for the entries built on it, so each entry
// is inflated once. base belongs to the parent; when n is its last child
// (last), the parent's buffer goes back to the pool as soon as n is built,
// so a chain of versions holds two buffers, not one per version.
func (w *worker) resolve(n *dnode, base []byte, last bool) {
	max := w.s.opts.MaxBlobSize
	if n.blob >= 0 && len(n.children) == 0 && max > 0 && n.hdr.typ == packBlob && n.hdr.size > max {
		w.s.results[n.blob].tooLarge(n.hdr.size)
		w.prog.add(0)
		if last {
			w.bufs.put(base)
		}
		return
	}
	data, err := w.load(n, base)
	if last {
		w.bufs.put(base)
	}
	if err != nil {
		w.failTree(n, err)
		return
	}
	if n.blob >= 0 {
		w.s.scanBlob(n.blob, data)
		w.prog.add(int64(len(data)))
	}
	for i, c := range n.children {
		w.resolve(c, data, i == len(n.children)-1)
	}
	if len(n.children) == 0 {
		w.bufs.put(data)
	}
}

// load returns the content of n, in a buffer from the pool.
func (w *worker) load(n *dnode, base []byte) ([]byte, error) {
	switch n.hdr.typ {
	case packOFSDelta, packREFDelta:
	default:
		if n.hdr.size < 0 || n.hdr.size > 1<<40 || !n.pack.sizePlausible(n.off, n.hdr) {
			return nil, errCorruptEntry
		}
		buf := w.bufs.get(int(n.hdr.size))
		data, err := w.z.inflate(n.pack, n.off, n.hdr, buf)
		if err != nil {
			w.bufs.put(buf)
		}
		return data, err
	}
	raw, err := w.z.inflate(n.pack, n.off, n.hdr, w.delta)
	if err != nil {
		return nil, err
	}
	w.delta = raw[:0]
	if n.external {
		base, err = w.s.readObject(n.hdr.baseRef)
		if err != nil {
			return nil, fmt.Errorf("delta base %s: %w", n.hdr.baseRef, err)
		}
	}
	if max := w.s.opts.MaxBlobSize; n.blob >= 0 && len(n.children) == 0 && max > 0 {
		if size, ok := deltaTargetSize(raw); ok && size > max {
			return nil, errTooLarge{size}
		}
	}
	data, err := applyDelta(base, raw, w.bufs.get)
	if err != nil {
		w.bufs.put(data)
		return nil, err
	}
	return data, nil
}

type errTooLarge struct{ size int64 }

func (e errTooLarge) Error() string { return fmt.Sprintf("%d bytes", e.size) }

// failTree marks n and every wanted blob built on it as unreadable.
func (w *worker) failTree(n *dnode, err error) {
	if n.blob >= 0 {
		if tl, ok := err.(errTooLarge); ok {
			w.s.results[n.blob].tooLarge(tl.size)
		} else {
			w.s.results[n.blob].fail(fmt.Sprintf("cannot read blob from %s: %v", n.pack.name, err))
		}
		w.prog.add(0)
	}
	for _, c := range n.children {
		w.failTree(c, err)
	}
}

// readLoose reads a blob that is in no pack.
func (w *worker) readLoose(id int32) {
	defer w.prog.add(0)
	b := w.s.blobs[id]
	o, err := w.s.repo.object(b.hash)
	if err != nil {
		w.s.results[id].fail(fmt.Sprintf("cannot read blob: %v", err))
		return
	}
	if max := w.s.opts.MaxBlobSize; max > 0 && o.Size() > max {
		w.s.results[id].tooLarge(o.Size())
		return
	}
	data, err := readAll(o)
	if err != nil {
		w.s.results[id].fail(fmt.Sprintf("cannot read blob: %v", err))
		return
	}
	w.s.scanBlob(id, data)
	w.prog.bytes.Add(int64(len(data)))
}

// readObject reads any object through go-git.
func (s *scan) readObject(h plumbing.Hash) ([]byte, error) {
	o, err := s.repo.object(h)
	if err != nil {
		return nil, err
	}
	return readAll(o)
}

func readAll(o plumbing.EncodedObject) ([]byte, error) {
	r, err := o.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data := make([]byte, 0, o.Size())
	data, err = readFull(r, data)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) != o.Size() {
		return nil, fmt.Errorf("object is %d bytes, header says %d", len(data), o.Size())
	}
	return data, nil
}

func readFull(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// progress calls Options.Progress at most every 100 ms, from one goroutine
// at a time.
type progress struct {
	fn                func(Progress)
	total, totalBytes int64
	done, bytes       atomic.Int64
	mu                sync.Mutex
	last              time.Time
}

func (p *progress) add(n int64) {
	p.done.Add(1)
	p.bytes.Add(n)
	if p.fn == nil {
		return
	}
	if !p.mu.TryLock() {
		return
	}
	defer p.mu.Unlock()
	if now := time.Now(); now.Sub(p.last) >= 100*time.Millisecond {
		p.last = now
		p.fn(p.snapshot())
	}
}

func (p *progress) snapshot() Progress {
	b, tb := p.bytes.Load(), p.totalBytes
	if tb < b {
		tb = b
	}
	return Progress{Objects: p.done.Load(), TotalObjects: p.total, Bytes: b, TotalBytes: tb}
}

func (p *progress) finish() {
	if p.fn != nil {
		p.mu.Lock()
		defer p.mu.Unlock()
		s := p.snapshot()
		s.TotalBytes = s.Bytes
		p.fn(s)
	}
}
