package history

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/scanner/archive"
)

// plan is the read order: the delta trees of the packed blobs, in pack
// order, then the blobs in no pack.
type plan struct {
	forest *gitobj.Forest
	loose  []int32
	total  int64 // blobs to read
	nbytes int64 // their size, where known without inflating
}

// loadPacks loads every pack's index for the bulk read. A pack that cannot
// be used is a warning: its objects are then read one by one.
func (s *scan) loadPacks() []*gitobj.Pack {
	if s.packs != nil {
		return s.packs
	}
	s.packs = []*gitobj.Pack{}
	open := len(s.repo.objs.OpenProblems())
	for i, err := range s.repo.objs.Problems() {
		if i < open {
			// Alternates not followed: the objects there are not read.
			s.warn("", "", fmt.Sprintf("objects: %v", err))
			s.stats.Unreadable++
			continue
		}
		// A pack whose index cannot be read: none of its objects is read,
		// so what they hold is not scanned (--strict exits 2).
		s.warn("", "", fmt.Sprintf("cannot use pack: %v", err))
		s.stats.Unreadable++
	}
	for _, p := range s.repo.objs.Packs() {
		if err := p.Load(); err != nil {
			s.warn("", p.Path, fmt.Sprintf("cannot use pack, reading its objects one by one: %v", err))
			continue
		}
		s.packs = append(s.packs, p)
	}
	return s.packs
}

// readAndScan reads every unique blob once and scans it, in parallel,
// as the planner planned (see planner).
func (s *scan) readAndScan(ctx context.Context) error {
	pl, err := s.finishPlanner(ctx)
	if err != nil {
		return err
	}
	prog := &progress{fn: s.opts.Progress, total: pl.total, totalBytes: pl.nbytes}
	v := &gitobj.Visitor{
		Limit: s.opts.MaxBlobSize,
		// An archive over MaxBlobSize is read all the same, up to the
		// archives' MaxArchiveSize (see content.Options.OpensLarge); the
		// walker looks at a large blob's first bytes to know.
		Admit: func(head []byte) bool {
			return s.opts.Content.OpensLarge(0, head)
		},
		AdmitLimit: s.opts.Content.Archives.MaxArchiveSize,
		AdmitHead:  archive.HeadSize,
		Visit: func(id int32, data []byte) {
			s.scanBlob(id, data, s.firstPass)
			prog.add(int64(len(data)))
		},
		Fail: func(id int32, err error) {
			if tl, ok := err.(*gitobj.TooLargeError); ok {
				s.results[id].tooLarge(tl.Size)
			} else if t, data, lerr := s.repo.objs.NewReader(0).ReadElsewhere(s.blobs[id].hash, nil); lerr == nil && t == gitobj.Blob {
				// A damaged packed copy, and a sound one in another pack
				// or loose: git reads that one, and so does the scan
				// (qa9 LOW-11). The damaged copy is tried again among the
				// packs, and fails again: a rare path.
				s.scanBlob(id, data, s.firstPass)
				prog.add(int64(len(data)))
				return
			} else {
				s.results[id].fail(fmt.Sprintf("cannot read blob: %v", err))
			}
			prog.add(0)
		},
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	nroots := int64(pl.forest.Len())
	for range s.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := s.repo.objs.NewWalker()
			r := s.repo.objs.NewReader(0)
			for {
				if ctx.Err() != nil {
					return
				}
				i := next.Add(1) - 1
				switch {
				case i < nroots:
					w.Walk(ctx, pl.forest, int(i), v)
				case i < nroots+int64(len(pl.loose)):
					s.readLoose(r, pl.loose[i-nroots], prog)
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
	s.goPass(ctx, s.results, func(i int) string { return s.blobs[i].path },
		func(i int) gitobj.ID { return s.blobs[i].hash }, s.rescanBlob)
	if err := ctx.Err(); err != nil {
		return err
	}
	prog.finish()
	s.collectResults()
	return nil
}

// readLoose reads a blob that is in no loaded pack: loose, or in a pack
// that could not be loaded.
func (s *scan) readLoose(r *gitobj.Reader, id int32, prog *progress) {
	defer prog.add(0)
	b := s.blobs[id]
	if max := s.opts.MaxBlobSize; max > 0 {
		// A loose blob over the limit is known by its header, before it is
		// inflated: a gigabyte of zeros is a few megabytes loose (qa13
		// HIGH-7). An archive is read all the same, as a packed one is.
		if t, size, head, ok, err := s.repo.objs.LooseHead(b.hash, archive.HeadSize); ok && err == nil && t == gitobj.Blob && size > max &&
			(size > s.opts.Content.Archives.MaxArchiveSize || !s.opts.Content.OpensLarge(0, head)) {
			s.results[id].tooLarge(size)
			s.results[id].archive = archive.Detect(head) != archive.None
			return
		}
	}
	t, data, err := r.Read(b.hash)
	if err == nil && t != gitobj.Blob {
		err = fmt.Errorf("object is a %s", t)
	}
	if err != nil {
		s.results[id].fail(fmt.Sprintf("cannot read blob: %v", err))
		return
	}
	if s.tooLarge(data) {
		s.results[id].tooLarge(int64(len(data)))
		s.results[id].archive = archive.Detect(data[:min(len(data), archive.HeadSize)]) != archive.None || archive.Behind(data) != archive.None
		return
	}
	s.scanBlob(id, data, s.firstPass)
	prog.bytes.Add(int64(len(data)))
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
