package analyzer

import (
	"context"
	"fmt"
	"runtime/metrics"
	"sync"
	"time"
)

// Why a watch on the type check: go/types has walks that remember
// nothing, and a few hundred bytes can make them exponential: the
// validity walk of declared types (typeWork foresees it), but also an
// instance's hash spelling its type arguments in full (a call nesting a
// generic function twenty times, or aliases of instances doubling), the
// identity, comparability, unification and size of aliases of unnamed
// structs doubling at each line (qa33 H1-H3, H6: 184 bytes to 1.6 KB, each
// line doubling the time). No estimate from the syntax covers every such
// walk, and go/types cannot be stopped once it has started: the goroutine
// checking runs until it ends. So each check is watched: past its
// deadline, or once the heap passes MaxCheckHeap, the command's stall
// handler is called, which ends the run (exit 2, the package named), as a
// crash would but said. The deadline grows with the tokens checked, so
// that the largest real packages (the AWS SDK v1's EC2 API, 562,000
// tokens, or x/text's collation tables: 1.2 CPU seconds each) stay far
// inside it on a loaded machine.

// StallHandler is called, from a goroutine of its own, when a type check
// passes its deadline or the heap bound: what names the package or file,
// after is how long it has run, heap the live heap in bytes. It must end
// the process: the check goes on until it does.
type StallHandler func(what string, after time.Duration, heap uint64)

// CheckTokenTime is the time a check is given for each token it reads
// (its own files' and the imported packages'), on top of the base.
const CheckTokenTime = 100 * time.Microsecond

// MaxCheckHeap is the live heap past which a check is taken as runaway:
// four times what the largest scan measured holds (README: 150-350 MB a
// package, the import cache's bound besides).
const MaxCheckHeap = 4 << 30

type stallKey struct{}

type stallWatch struct {
	base    time.Duration
	handler StallHandler
	// spent is the time the checks of each package (by what) have taken
	// so far: scan checks a package again for its build variants and for
	// its keys of other services, and those checks share one deadline.
	mu    sync.Mutex
	spent map[string]time.Duration
	// total and tokens are the time and tokens of the run's checks done
	// so far: the run's checks together may take runChecks bases plus
	// their tokens' share, so that many files each just within its own
	// deadline (six of 7 s held a push for 43 s, qa33) cannot add up to
	// a held hook.
	total  time.Duration
	tokens int64
	checks int
}

// runChecks is how many bases all the checks of a run may take, beyond
// their tokens' share and perCheck each: real checks take a hundredth of
// their share, and some milliseconds each of their own.
const (
	runChecks = 4
	perCheck  = 50 * time.Millisecond
)

// runLimit is the time the run's checks may take together, tokens and
// checks so far.
func (w *stallWatch) runLimit(tokens int64, checks int) time.Duration {
	return runChecks*w.base + time.Duration(checks)*perCheck + time.Duration(tokens)*CheckTokenTime
}

// WithStallHandler returns ctx with the watch of type checks set: each
// check run with the context may take base plus CheckTokenTime a token
// before h is called. Without it (a library caller's context) checks are
// not watched.
func WithStallHandler(ctx context.Context, base time.Duration, h StallHandler) context.Context {
	return context.WithValue(ctx, stallKey{}, &stallWatch{base: base, handler: h, spent: map[string]time.Duration{}})
}

// watchCheck starts watching a check of what, which reads tokens() tokens
// so far (read by the watch, so it may grow as imports are read), and
// returns what stops the watch once the check is done. The checks of one
// what share its deadline.
func watchCheck(ctx context.Context, what string, tokens func() int64) (stop func()) {
	w, _ := ctx.Value(stallKey{}).(*stallWatch)
	if w == nil || w.handler == nil {
		return func() {}
	}
	done := make(chan struct{})
	start := time.Now()
	w.mu.Lock()
	before := w.spent[what]
	w.checks++
	w.mu.Unlock()
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			after := before + time.Since(start)
			metrics.Read(sample)
			var heap uint64
			if sample[0].Value.Kind() == metrics.KindUint64 {
				heap = sample[0].Value.Uint64()
			}
			n := tokens()
			if after > w.base+time.Duration(n)*CheckTokenTime || heap > MaxCheckHeap {
				w.handler(what, after, heap)
				return
			}
			w.mu.Lock()
			total, all, checks := w.total+time.Since(start), w.tokens+n, w.checks
			w.mu.Unlock()
			if total > w.runLimit(all, checks) {
				w.handler(fmt.Sprintf("the run's %d files or packages together (the last %s)", checks, what), total, heap)
				return
			}
		}
	}()
	return func() {
		close(done)
		took := time.Since(start)
		w.mu.Lock()
		w.spent[what] += took
		w.total += took
		w.tokens += tokens()
		total, all, checks := w.total, w.tokens, w.checks
		w.mu.Unlock()
		// Checks shorter than the watch's tick are added up here.
		if total > w.runLimit(all, checks) {
			w.handler(fmt.Sprintf("the run's %d files or packages together (the last %s)", checks, what), total, 0)
		}
	}
}
