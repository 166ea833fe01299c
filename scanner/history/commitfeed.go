package history

import (
	"context"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// commitFeed reads the commits of collectCommits' walk on a second
// goroutine, in the walk's own order, while the walk takes in the
// commits read before: their messages and header lines (objectText),
// authors and parents. Reading a commit (locating, inflating and parsing
// it) was half of the walk's time, and with one goroutine doing both the
// other core idled the whole phase (hist26). The reader goes depth first
// from the same queue and skips the same commits as the walk did (those
// met before and those excluded), so the walk sees the commits, their
// warnings and their messages in the order it always did.
//
// The reader is the only user of the scan's object reader (scan.objr)
// while it runs, and the walk does not read objects meanwhile.
type commitFeed struct {
	ch   chan []commitRead
	done chan struct{} // closed by the walk when it stops taking
	end  chan struct{} // closed by the reader when it has returned
	err  error         // why the reader stopped early (the context's end), set before ch closes
}

// commitRead is one commit the feed read: its entry in the walk's table
// (entered by the reader, filled in by the walk), and what reading it gave.
type commitRead struct {
	ci   *commitInfo
	c    gitobj.CommitHeader
	data []byte
	size int64
	err  error
}

// The feed hands commits over in batches (one channel operation and at
// most one wake-up per batch, not per commit) of up to feedBatch commits
// or feedBatchBytes of text, and holds at most one batch on the channel:
// a batch being built, one waiting and one being taken in. A commit
// larger than feedBatchBytes goes alone, so that at most three such are
// held at once (the walk held one).
const (
	feedBatch      = 64
	feedBatchBytes = 1 << 20
)

// startCommitFeed starts reading the commits reachable from queue (the
// last one first) that are not in byHash yet and that excluded does not
// leave out, entering each one in byHash as it reads it, and at shallow
// boundaries not going on to their parents. Until the feed ends (take
// returns false) the walk must neither read byHash nor read objects.
func (s *scan) startCommitFeed(ctx context.Context, queue []gitobj.ID, byHash map[gitobj.ID]*commitInfo,
	excluded func(gitobj.ID) bool, shallow map[gitobj.ID]bool, dangling bool) *commitFeed {
	f := &commitFeed{ch: make(chan []commitRead, 1), done: make(chan struct{}), end: make(chan struct{})}
	go func() {
		defer close(f.end)
		defer close(f.ch)
		var batch []commitRead
		held := 0
		send := func() bool {
			if len(batch) == 0 {
				return true
			}
			select {
			case f.ch <- batch:
				batch, held = nil, 0
				return true
			case <-f.done:
				return false
			}
		}
		for len(queue) > 0 {
			if err := ctx.Err(); err != nil {
				f.err = err
				return
			}
			h := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			if byHash[h] != nil || excluded(h) {
				continue
			}
			ci := &commitInfo{hash: h, dangling: dangling, root: -1}
			byHash[h] = ci // met: not read again (an unreadable one is dropped by the walk)
			c, data, size, err := s.readCommitObject(h)
			if len(data) > feedBatchBytes && !send() {
				return
			}
			batch = append(batch, commitRead{ci: ci, c: c, data: data, size: size, err: err})
			held += len(data)
			if (len(batch) >= feedBatch || held >= feedBatchBytes) && !send() {
				return
			}
			if err != nil || shallow[h] {
				continue // its parents are not in a shallow clone
			}
			for _, p := range c.Parents {
				if !excluded(p) {
					queue = append(queue, p)
				}
			}
		}
		send()
	}()
	return f
}

// take returns the next batch of commits read; false once the reader has
// ended, when f.err says why, if it stopped early.
func (f *commitFeed) take() ([]commitRead, bool) {
	b, ok := <-f.ch
	return b, ok
}

// stop ends the reader, if it has not ended, and waits for it.
func (f *commitFeed) stop() {
	close(f.done)
	<-f.end
}
