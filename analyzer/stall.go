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
// checking runs until it ends, or until the process does.
//
// So each check runs in a goroutine of its own, watched by its caller
// (runWatched): past its deadline (in the CPU time of the check's thread,
// startCheckClock: the same input gets the same verdict at any load), or once the heap passes MaxCheckHeap,
// the caller stops waiting for it and goes on without its result, as for
// a package not type-checked: the check is abandoned, never waited for,
// and nothing it touches (its syntax, its importer) is used or restored
// after. The watch keeps what it abandoned (Stalls) for the command to
// report as a gap in every format, with the rest of the run: keys found
// elsewhere are still reported (qa33 M5: the process used to end at the
// first stall, with no report at all). The command exits once its report
// is written, which ends the abandoned goroutines.
//
// An abandoned check goes on burning a core, and may keep allocating. So
// after the first stall the run's checks are made one at a time; once the
// run's checks together pass the run's limit, or the heap passes
// MaxCheckHeap, no further check is started (each is a gap: Stalls counts
// them) and the run ends as fast as the byte scan lets it; past
// MaxRunHeap, a leaked check could take the machine's memory, and the
// handler is called to end the process there and then (Stall.Fatal).
//
// The deadline grows with the tokens checked, so that the largest real
// packages (the AWS SDK v1's EC2 API, 562,000 tokens, or x/text's
// collation tables: 1.2 CPU seconds each) stay far inside it on a loaded
// machine.

// Stall is a type check the watch abandoned.
type Stall struct {
	// What names the package or file checked.
	What string
	// After is how long it ran (its package's checks together), Heap
	// the live heap in bytes when it was abandoned. CPU says After is
	// the CPU time the check's thread used (on Linux), not the wall's;
	// Waited that it was abandoned for the wall's time, wallSlack times
	// its deadline, before it used its CPU time.
	After       time.Duration
	Heap        uint64
	CPU, Waited bool
	// Run is set when the check was abandoned for the run's checks
	// together passing their limit (What names the last), not for its
	// own deadline; Memory when the heap passed MaxCheckHeap.
	Run, Memory bool
	// Fatal is set when the heap passed MaxRunHeap, past any check: the
	// handler must end the process.
	Fatal bool
}

// StallHandler is called when a check is abandoned (to say so at once),
// from the goroutine that waited for it, and with Fatal set from a
// goroutine of its own when the heap passes MaxRunHeap: then it must end
// the process, whatever else runs.
type StallHandler func(Stall)

// Stalls is what the watch of a run left unchecked.
type Stalls struct {
	// Abandoned are the checks stopped on the watch, in the order met.
	Abandoned []Stall
	// Skipped counts the checks not started, FirstSkipped naming the
	// first, once the run's checks had passed their limit or the heap
	// MaxCheckHeap (Why says which): a package's checks after its own
	// stalled are not counted, its gap says it.
	Skipped      int
	FirstSkipped string
	Why          string
}

// CheckTokenTime is the time a check is given for each token it reads
// (its own files' and the imported packages'), on top of the base.
const CheckTokenTime = 100 * time.Microsecond

// MaxCheckHeap is the live heap past which a check is taken as runaway:
// four times what the largest scan measured holds (README: 150-350 MB a
// package, the import cache's bound besides). Past it the check is
// abandoned and no further check started.
const MaxCheckHeap = 4 << 30

// MaxRunHeap is the live heap past which the process is ended (the
// handler's Fatal): only abandoned checks, still allocating, get there.
const MaxRunHeap = 2 * MaxCheckHeap

type stallKey struct{}

type stallWatch struct {
	base    time.Duration
	handler StallHandler
	// checkHeap and runHeap are MaxCheckHeap and MaxRunHeap (a test
	// lowers them).
	checkHeap, runHeap uint64
	mu                 sync.Mutex
	// spent is the time the checks of each package (by what) have taken
	// so far: scan checks a package again for its build variants and for
	// its keys of other services, and those checks share one deadline.
	spent map[string]time.Duration
	// total and tokens are the time and tokens of the run's checks done
	// so far: the run's checks together may take runChecks bases plus
	// their tokens' share, so that many files each just within its own
	// deadline (six of 7 s held a push for 43 s, qa33) cannot add up to
	// a held hook.
	total  time.Duration
	tokens int64
	checks int
	// stalled is what was abandoned, by what (a package's further checks
	// are not started); stopped says why no check is started any more
	// ("" while they are).
	stalled map[string]bool
	stopped string
	out     Stalls
	// one is held by each check started after the first stall: one at a
	// time, beside the abandoned ones.
	one       chan struct{}
	heapWatch sync.Once
}

// runChecks is how many bases all the checks of a run may take, beyond
// their tokens' share and perCheck each: real checks take a hundredth of
// their share, and some milliseconds each of their own.
const (
	runChecks = 4
	perCheck  = 50 * time.Millisecond
)

// wallSlack is how many times its deadline a check may run by the wall's
// clock, its CPU time still short of it: its share of a machine loaded
// fifty times over (2 cores, qa36 H1) with room, so that the verdict
// does not depend on the load, while a check that is given no CPU, or
// waits, still cannot hold the run for good.
const wallSlack = 30

// watchTick is how often a check's time and the heap are looked at.
const watchTick = 50 * time.Millisecond

// runLimit is the time the run's checks may take together, tokens and
// checks so far.
func (w *stallWatch) runLimit(tokens int64, checks int) time.Duration {
	return runChecks*w.base + time.Duration(checks)*perCheck + time.Duration(tokens)*CheckTokenTime
}

// WithStallHandler returns ctx with the watch of type checks set: each
// check run with the context may take base plus CheckTokenTime a token
// before it is abandoned and h called. Without it (a library caller's
// context) checks are not watched: they run to their end.
func WithStallHandler(ctx context.Context, base time.Duration, h StallHandler) context.Context {
	return context.WithValue(ctx, stallKey{}, &stallWatch{base: base, handler: h, checkHeap: MaxCheckHeap, runHeap: MaxRunHeap,
		spent: map[string]time.Duration{}, stalled: map[string]bool{}, one: make(chan struct{}, 1)})
}

// StallsOf returns what the watch of ctx abandoned or did not start so
// far (nothing without a watch): the command's gap.
func StallsOf(ctx context.Context) Stalls {
	w, _ := ctx.Value(stallKey{}).(*stallWatch)
	if w == nil {
		return Stalls{}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.out
	out.Abandoned = append([]Stall(nil), out.Abandoned...)
	return out
}

// checkOutcome is how a watched check ended.
type checkOutcome int

const (
	checkDone      checkOutcome = iota // ran to its end: its result is whole
	checkAbandoned                     // still running, abandoned: touch nothing it uses
	checkRefused                       // never started: the caller undoes what it prepared
)

// runWatched runs check, a type check of what that reads tokens() tokens
// so far (read by the watch, so it may grow as imports are read), under
// the watch of ctx. The checks of one what share its deadline. Without a
// watch check runs to its end in the caller's goroutine.
func runWatched(ctx context.Context, what string, tokens func() int64, check func()) checkOutcome {
	w, _ := ctx.Value(stallKey{}).(*stallWatch)
	if w == nil || w.handler == nil {
		check()
		return checkDone
	}
	w.mu.Lock()
	serial := len(w.out.Abandoned) > 0
	w.mu.Unlock()
	if serial {
		select {
		case w.one <- struct{}{}:
			defer func() { <-w.one }()
		case <-ctx.Done():
			return checkRefused
		}
	}
	w.mu.Lock()
	if w.stalled[what] {
		// Its package's gap already: scan checks a package again for
		// its build variants and its keys of other services.
		w.mu.Unlock()
		return checkRefused
	}
	if w.stopped != "" {
		if w.out.Skipped == 0 {
			w.out.FirstSkipped = what
		}
		w.out.Skipped++
		if w.out.Why == "" {
			w.out.Why = w.stopped
		}
		w.mu.Unlock()
		return checkRefused
	}
	before := w.spent[what]
	w.checks++
	w.mu.Unlock()

	done := make(chan struct{})
	clock := make(chan checkClock, 1)
	var took time.Duration // the check's time, set before done is closed
	start := time.Now()
	go func() {
		defer close(done)
		used, release, cpu := startCheckClock()
		clock <- checkClock{used, cpu}
		check()
		took = used()
		release()
	}()
	clk := checkClock{used: func() time.Duration { return 0 }} // until the check's goroutine has its own
	t := time.NewTicker(watchTick)
	defer t.Stop()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	for {
		select {
		case <-done:
			w.finished(what, took, tokens())
			return checkDone
		case <-t.C:
		}
		select {
		case clk = <-clock:
		default:
		}
		spent := clk.used()
		after := before + spent
		wall := time.Since(start)
		heap := liveHeap(sample)
		n := tokens()
		deadline := w.base + time.Duration(n)*CheckTokenTime
		s := Stall{What: what, After: after, Heap: heap, CPU: clk.cpu}
		switch {
		case heap > w.checkHeap:
			s.Memory = true
		case after > deadline:
		case wall > wallSlack*deadline:
			// A check that does not get the CPU for so long is
			// not waited for either: nothing holds a run for good.
			s.After, s.CPU, s.Waited = wall, false, true
		default:
			w.mu.Lock()
			total, all, checks := w.total+spent, w.tokens+n, w.checks
			w.mu.Unlock()
			if total <= w.runLimit(all, checks) {
				continue
			}
			s.What = fmt.Sprintf("the run's %d files or packages together (the last %s)", checks, what)
			s.After, s.Run = total, true
		}
		w.abandon(what, spent, n, s)
		return checkAbandoned
	}
}

// finished counts a check that ran to its end; once the run's checks
// together pass their limit (checks shorter than the tick are added up
// only here), no further check is started.
func (w *stallWatch) finished(what string, took time.Duration, tokens int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.spent[what] += took
	w.total += took
	w.tokens += tokens
	if w.total > w.runLimit(w.tokens, w.checks) && w.stopped == "" {
		w.stopped = fmt.Sprintf("the run's %d type checks together ran %s, past their limit", w.checks, w.total.Round(time.Second))
	}
}

// abandon records s, the check of what abandoned after took, calls the
// handler, and starts watching the heap for MaxRunHeap.
func (w *stallWatch) abandon(what string, took time.Duration, tokens int64, s Stall) {
	w.mu.Lock()
	w.spent[what] += took
	w.total += took
	w.tokens += tokens
	w.stalled[what] = true
	w.out.Abandoned = append(w.out.Abandoned, s)
	switch {
	case w.stopped != "":
	case s.Memory:
		w.stopped = fmt.Sprintf("the heap passed %d MB", w.checkHeap>>20)
	case s.Run:
		w.stopped = "the run's type checks together passed their limit"
	}
	w.mu.Unlock()
	w.heapWatch.Do(func() { go w.watchHeap() })
	w.handler(s)
}

// watchHeap calls the handler, Fatal, once the live heap passes
// MaxRunHeap: abandoned checks may still be allocating.
func (w *stallWatch) watchHeap() {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	t := time.NewTicker(watchTick)
	defer t.Stop()
	for range t.C {
		if heap := liveHeap(sample); heap > w.runHeap {
			w.handler(Stall{What: "abandoned type checks", Heap: heap, Memory: true, Fatal: true})
			return
		}
	}
}

// liveHeap reads the live heap into sample and returns it in bytes.
func liveHeap(sample []metrics.Sample) uint64 {
	metrics.Read(sample)
	if sample[0].Value.Kind() == metrics.KindUint64 {
		return sample[0].Value.Uint64()
	}
	return 0
}

// checkClock is a check's clock (startCheckClock): used is the time it
// has taken so far, its thread's CPU time when cpu is set.
type checkClock struct {
	used func() time.Duration
	cpu  bool
}

// wallCheckClock is a check's clock where its thread's CPU time cannot
// be read: the wall's.
func wallCheckClock() (used func() time.Duration, release func()) {
	start := time.Now()
	return func() time.Duration { return time.Since(start) }, func() {}
}
