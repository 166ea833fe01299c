package history

import (
	"context"
	"fmt"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// planner makes the read pass's plan (see plan) while the walk finds the
// blobs, on a goroutine of its own: locating tens of thousands of blobs in
// the pack indexes and reading their entry headers is work of its own,
// which would otherwise stand between the walk and the read, while the
// walk leaves a core part idle. The walk hands each new blob over in
// batches (see scan.blobID); the blobs a scan finds after the walk (the
// HEAD tree that attribute may walk) are not read, with or without it.
type planner struct {
	ch    chan []planItem
	batch []planItem
	done  chan struct{}

	// Set by the planner's goroutine, read once done is closed.
	plan   *plan
	before []int32 // blobs committed before the scanned history
	fails  []planFail
}

type planItem struct {
	id     int32
	hash   gitobj.ID
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
	go func() {
		defer close(p.done)
		for items := range p.ch {
			if ctx.Err() != nil {
				continue // the scan stops; drain what the walk sends
			}
			for _, it := range items {
				p.locate(packs, it)
			}
		}
	}()
}

// add hands blob id over to the planner.
func (p *planner) add(id int32, hash gitobj.ID, before bool) {
	p.batch = append(p.batch, planItem{id, hash, before})
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
		if err != nil {
			p.fails = append(p.fails, planFail{it.id, fmt.Sprintf("cannot read pack entry in %s: %v", pk.Path, err)})
			return
		}
		if h.Type == gitobj.Blob {
			pl.nbytes += h.Size
		} else {
			pl.nbytes += h.Size * 4 // a delta's target size is not in its header; estimate
		}
		return
	}
	pl.loose = append(pl.loose, it.id)
}
