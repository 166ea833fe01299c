package history

import (
	"context"
	"sort"
	"sync"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/scanner/content"
)

// The type check of Go files (content.Options.Go: pre-receive reads a
// pushed Go blob as keyscan scan reads a Go file) is bounded for the
// whole scan by content.Options.GoBudget. Blobs are read and scanned in
// parallel, in an order scheduling decides, so a budget charged as they
// come would type-check different files in two runs of the same push. So
// the first pass (readAndScan, scanExtras) only records what each blob's
// Go files would cost (firstPass), and goPass then charges them in path
// order and scans the blobs it admits again with the type check on: the
// same push gives the same findings and the same files left to the byte
// scan, on any machine at any load. The byte scan of an admitted blob is
// done twice, a small part of its type check (about a hundredth).

// goDeferred reports whether the type check is left to goPass: a bounded
// budget and a cost to charge it with.
func (s *scan) goDeferred() bool {
	o := s.opts.Content
	return o.Go != nil && o.GoCost != nil && o.GoBudget.Bounded()
}

// blobOptions returns the content options of the scan of a blob found at
// path in commit (an index in commits; below 0 for none): firstPass or
// goOn.
type blobOptions func(r *blobResult, path string, commit int32) content.Options

// firstPass returns the content options of the first scan of a blob: when
// the type check is deferred, its Go files are not type-checked, their cost
// is added to r.
func (s *scan) firstPass(r *blobResult, path string, commit int32) content.Options {
	o := s.inTree(s.opts.Content, commit)
	if !s.goDeferred() {
		return o
	}
	full := o
	o.GoBudget = nil
	o.GoTails = nil // in full's cost
	o.GoCost = func(data []byte) int64 {
		if c := full.Cost(path, data); c > 0 {
			r.goCost += c
			r.goFiles++
		} else if c < 0 {
			r.goOver++ // counted by goPass
		}
		return 0 // Go is not called
	}
	return o
}

// goOn returns the content options of a blob goPass admitted: the type
// check on, its cost charged already (its siblings' and imported
// packages' are charged as they are read: gosnap).
func (s *scan) goOn(_ *blobResult, _ string, commit int32) content.Options {
	o := s.inTree(s.opts.Content, commit)
	// Not charged again (no GoCost), but the budget stays: a sibling or
	// an imported package it could not read whole makes the blob a gap
	// (GoBudget.Over), as in staged.
	o.GoCost = nil
	return o
}

// goPass charges to the budget, smallest first (then in path order, then
// by blob ID), the Go files of the results rs that firstPass recorded, and scans again, in
// parallel, those it admits (redo, with goOn). A blob whose files are
// past what is left stays as the first pass scanned it, bytes only, and
// is counted by the budget; so is every blob after it.
func (s *scan) goPass(ctx context.Context, rs []blobResult, path func(i int) string, hash func(i int) gitobj.ID,
	redo func(rd *gitobj.Reader, i int)) {
	if !s.goDeferred() {
		return
	}
	var ids []int
	for i := range rs {
		if rs[i].goFiles > 0 || rs[i].goOver > 0 {
			ids = append(ids, i)
		}
	}
	// Smallest first, as keyscan scan admits a package's files: in path
	// order, files named to come first (34 files of padding) spent the
	// budget before the small file that built a key (qa31 F14).
	sort.Slice(ids, func(a, b int) bool {
		if ca, cb := rs[ids[a]].goCost, rs[ids[b]].goCost; ca != cb {
			return ca < cb
		}
		pa, pb := path(ids[a]), path(ids[b])
		if pa != pb {
			return pa < pb
		}
		return hash(ids[a]).String() < hash(ids[b]).String()
	})
	budget := s.opts.Content.GoBudget
	admitted := ids[:0]
	for _, i := range ids {
		budget.Over(path(i), rs[i].goOver)
		if rs[i].goFiles > 0 && budget.Take(path(i), rs[i].goCost, rs[i].goFiles) {
			admitted = append(admitted, i)
		}
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(s.opts.Workers, len(admitted)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rd := s.repo.objs.NewReader(0)
			for i := range jobs {
				redo(rd, i)
			}
		}()
	}
	for _, i := range admitted {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}

// rescanBlob scans blob id again with the type check on: its first scan's
// result is replaced whole, so that what its Go files hold joins the byte
// scan's findings as it does with no budget (content.Options.WithGo).
func (s *scan) rescanBlob(rd *gitobj.Reader, id int) {
	t, data, err := rd.Read(s.blobs[id].hash)
	if err != nil || t != gitobj.Blob || s.tooLarge(data) {
		return // read once already: keep that scan
	}
	s.results[id] = blobResult{}
	s.scanBlob(int32(id), data, s.goOn)
}
