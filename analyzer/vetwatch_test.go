package analyzer

import (
	"runtime"
	"testing"
	"time"
)

// TestWatchProcessCountsWork: the go vet tool's watch counts the
// process's CPU time, not the clock's: a process that waits (on a loaded
// machine, for the CPU) past its deadline by the clock, its work within
// it, goes on; one whose work passes it is stopped, with that time; one
// that has waited wallSlack times its deadline is stopped all the same
// (Waited); where the CPU time cannot be read, the clock's time decides.
// The clocks are the test's, so no verdict depends on the machine's load.
func TestWatchProcessCountsWork(t *testing.T) {
	const limit = time.Second
	type reading struct {
		cpu, wall time.Duration
		ok        bool
	}
	for _, tc := range []struct {
		name  string
		reads []reading // the first at the watch's start, then one a tick
		want  Stall
		stops bool // at the last reading (stopped before, the watch returns early: the test fails)
	}{
		{"work-within-waits", []reading{{0, 0, true}, {limit / 2, 10 * limit, true}, {limit, 20 * limit, true}}, Stall{}, false},
		{"work-past", []reading{{time.Hour, 0, true}, {time.Hour + limit/2, 10 * limit, true}, {time.Hour + limit + 1, 11 * limit, true}}, Stall{After: limit + 1, CPU: true}, true},
		{"waits-for-good", []reading{{0, 0, true}, {limit / 10, 10 * limit, true}, {limit / 10, wallSlack*limit + 1, true}}, Stall{After: wallSlack*limit + 1, Waited: true}, true},
		{"no-cpu-clock", []reading{{0, 0, false}, {0, limit / 2, false}, {0, limit + 1, false}}, Stall{After: limit + 1}, true},
	} {
		// cpu is read by the watch's goroutine only: once at its
		// start, then once a tick, each tick carrying the clock's time.
		n := 0
		cpu := func() (time.Duration, bool) { r := tc.reads[n]; n++; return r.cpu, r.ok }
		began := time.Unix(0, 0)
		tick := make(chan time.Time)
		got := make(chan Stall, 1)
		calls := 0
		returned := make(chan struct{})
		go func() {
			defer close(returned)
			watchProcess(limit, cpu, began, tick, func(s Stall) { calls++; got <- s })
		}()
		for k, r := range tc.reads[1:] {
			select {
			case tick <- began.Add(r.wall):
			case <-returned:
				t.Fatalf("%s: the watch returned after %d ticks", tc.name, k)
			}
		}
		close(tick)
		<-returned
		switch {
		case !tc.stops && calls != 0:
			t.Errorf("%s: stopped: %+v", tc.name, <-got)
		case tc.stops && calls != 1:
			t.Errorf("%s: stop called %d times, want once", tc.name, calls)
		case tc.stops:
			if s := <-got; s != tc.want {
				t.Errorf("%s: stop called with %+v, want %+v", tc.name, s, tc.want)
			}
		}
	}
}

// TestWatchProcessStopsWork: with the real clocks, a process that works
// on its CPU past the limit is stopped, its time counted as CPU time on
// Linux; the test spins until then, so it asserts no time.
func TestWatchProcessStopsWork(t *testing.T) {
	got := make(chan Stall, 1)
	WatchProcess(time.Millisecond, func(s Stall) { got <- s })
	for {
		select {
		case s := <-got:
			if s.CPU != (runtime.GOOS == "linux") || s.Waited || s.After <= time.Millisecond {
				t.Errorf("stop called with %+v", s)
			}
			return
		default:
		}
	}
}
