package analyzer

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestWatchCheck: a check that runs past its deadline is abandoned (its
// caller goes on while it runs), the handler is called with what it
// checks and the watch keeps it for the report; the same package is not
// checked again; one that ends before its deadline is done and not
// reported, and a context without a handler is not watched.
func TestWatchCheck(t *testing.T) {
	called := make(chan Stall, 1)
	ctx := WithStallHandler(context.Background(), 10*time.Millisecond, func(s Stall) {
		called <- s
	})
	release := make(chan struct{})
	defer close(release)
	if got := runWatched(ctx, "package p", func() int64 { return 0 }, func() { spinUntil(release) }); got != checkAbandoned {
		t.Fatalf("a check past its deadline: outcome %d, want abandoned", got)
	}
	if s := <-called; s.What != "package p" || s.Run || s.Fatal || s.Waited || s.CPU != (runtime.GOOS == "linux") {
		t.Errorf("handler called with %+v", s)
	}
	if got := runWatched(ctx, "package p", func() int64 { return 0 }, func() { t.Error("a stalled package was checked again") }); got != checkRefused {
		t.Errorf("the stalled package again: outcome %d, want refused", got)
	}
	st := StallsOf(ctx)
	if len(st.Abandoned) != 1 || st.Abandoned[0].What != "package p" || st.Skipped != 0 {
		t.Errorf("StallsOf = %+v", st)
	}

	quiet := WithStallHandler(context.Background(), time.Hour, func(s Stall) {
		t.Errorf("a check within its deadline was reported: %+v", s)
	})
	ran := false
	if got := runWatched(quiet, "package q", func() int64 { return 1 << 20 }, func() { ran = true }); got != checkDone || !ran {
		t.Errorf("a check within its deadline: outcome %d, ran %v", got, ran)
	}
	if st := StallsOf(quiet); len(st.Abandoned) != 0 || st.Skipped != 0 {
		t.Errorf("StallsOf a quiet run = %+v", st)
	}
	ran = false
	if got := runWatched(context.Background(), "package r", func() int64 { return 0 }, func() { ran = true }); got != checkDone || !ran {
		t.Errorf("unwatched: outcome %d, ran %v", got, ran)
	}
}

// spinUntil works on its thread's CPU until stop is closed: a stalled
// check, whatever the load.
func spinUntil(stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
	}
}

// spinCPU works on its thread's CPU for d of its CPU time: a check's
// work, the same whatever the load.
func spinCPU(d time.Duration) {
	for start := threadCPU(); threadCPU()-start < d; {
	}
}

// TestWatchCountsWork (qa36 H1): the deadline is the check's work, not
// the wall's time: a check that waits (as one does on a loaded machine,
// for the CPU) past its deadline by the clock, its work within it, is
// done; one that waits wallSlack times its deadline is abandoned all the
// same (Waited), so that nothing holds a run for good.
func TestWatchCountsWork(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("a thread's CPU time is read on Linux only")
	}
	base := 20 * time.Millisecond
	ctx := WithStallHandler(context.Background(), base, func(s Stall) {
		t.Errorf("a check within its work's deadline was abandoned: %+v", s)
	})
	if got := runWatched(ctx, "package slow", func() int64 { return 0 }, func() {
		spinCPU(base / 4)
		time.Sleep(10 * base)
		spinCPU(base / 4)
	}); got != checkDone {
		t.Errorf("a check that waited past its deadline, its work within it: outcome %d, want done", got)
	}
	waited := make(chan Stall, 1)
	ctx = WithStallHandler(context.Background(), base, func(s Stall) { waited <- s })
	release := make(chan struct{})
	defer close(release)
	if got := runWatched(ctx, "package waits", func() int64 { return 0 }, func() { <-release }); got != checkAbandoned {
		t.Fatalf("a check that waits for good: outcome %d, want abandoned", got)
	}
	if s := <-waited; !s.Waited || s.CPU || s.After < wallSlack*base {
		t.Errorf("handler called with %+v, want Waited after %s", s, wallSlack*base)
	}
}

// TestWatchOneAtATime: after a check was abandoned (its goroutine still
// running), the run's checks are made one at a time, never two at once.
func TestWatchOneAtATime(t *testing.T) {
	ctx := WithStallHandler(context.Background(), 100*time.Millisecond, func(Stall) {})
	release := make(chan struct{})
	defer close(release)
	if got := runWatched(ctx, "package stalled", func() int64 { return 0 }, func() { spinUntil(release) }); got != checkAbandoned {
		t.Fatalf("outcome %d, want abandoned", got)
	}
	var running, most atomic.Int32
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runWatched(ctx, fmt.Sprintf("package %d", i), func() int64 { return 1 << 20 }, func() {
				n := running.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(10 * time.Millisecond)
				running.Add(-1)
			})
		}()
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%d checks ran at once after a stall, want 1", most.Load())
	}
}

// TestWatchRun: checks each within their own deadline are stopped once
// together they pass the run's limit (runChecks bases beyond their
// tokens' share): many files each just under the bound cannot hold a
// hook. The check in progress is abandoned, or, when the limit is passed
// as one ends, the next is not started; none is started after.
func TestWatchRun(t *testing.T) {
	base := 150 * time.Millisecond
	ctx := WithStallHandler(context.Background(), base, func(Stall) {})
	for i := 0; i <= 1000; i++ {
		got := runWatched(ctx, fmt.Sprintf("file %d", i), func() int64 { return 0 }, func() { spinCPU(2 * perCheck) })
		st := StallsOf(ctx)
		if got == checkDone || got == checkAbandoned && !st.Abandoned[len(st.Abandoned)-1].Run {
			continue
		}
		if got == checkAbandoned && !strings.Contains(st.Abandoned[len(st.Abandoned)-1].What, "together") ||
			got == checkRefused && (st.Skipped != 1 || !strings.Contains(st.Why, "together")) {
			t.Errorf("outcome %d: %+v, want the run's checks together", got, st)
		}
		if runWatched(ctx, "file last", func() int64 { return 0 }, func() { t.Error("a check started past the run's limit") }) != checkRefused {
			t.Error("a check past the run's limit was not refused")
		}
		return
	}
	t.Fatal("the run's checks together were never stopped")
}

// TestWatchHeap: a check that takes the heap past the check's bound is
// abandoned and no further check is started (the run ends fast); past the
// run's bound, reached by the abandoned check still allocating, the
// handler is told to end the process (Fatal). The bounds are lowered
// here: the real ones are gigabytes.
func TestWatchHeap(t *testing.T) {
	fatal := make(chan Stall, 1)
	ctx := WithStallHandler(context.Background(), time.Hour, func(s Stall) {
		if s.Fatal {
			select {
			case fatal <- s:
			default:
			}
		}
	})
	w := ctx.Value(stallKey{}).(*stallWatch)
	w.checkHeap, w.runHeap = 64<<20, 256<<20
	more, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	got := runWatched(ctx, "package big", func() int64 { return 0 }, func() {
		var held [][]byte
		grow := func(mb int) {
			for range mb {
				held = append(held, make([]byte, 1<<20))
			}
			runtime.GC() // the live heap is measured by the collector
		}
		grow(128)
		<-more
		grow(256)
		<-release
		runtime.KeepAlive(held)
	})
	if got != checkAbandoned {
		t.Fatalf("a check past the heap bound: outcome %d, want abandoned", got)
	}
	if runWatched(ctx, "package next", func() int64 { return 0 }, func() { t.Error("a check started past the heap bound") }) != checkRefused {
		t.Error("a check past the heap bound was not refused")
	}
	st := StallsOf(ctx)
	if len(st.Abandoned) != 1 || !st.Abandoned[0].Memory || st.Skipped != 1 || !strings.Contains(st.Why, "heap") {
		t.Errorf("StallsOf = %+v", st)
	}
	close(more)
	select {
	case s := <-fatal:
		if !s.Memory || s.Heap <= w.runHeap {
			t.Errorf("fatal stall %+v", s)
		}
	case <-time.After(time.Minute):
		t.Fatal("the heap past the run's bound was not reported")
	}
}
