package analyzer

import (
	"runtime"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// startCheckClock is called by a check's goroutine before it checks: it
// locks the goroutine to its thread, so that all the check's work is
// done on that thread, and returns the thread's CPU clock, readable from
// the watch's goroutine, and release, to call once the check ended.
// cpu is false when the thread's clock cannot be read (then the clock is
// the wall's, as on other systems).
//
// Why the thread's CPU time: the watch's wall clock made a verdict of
// the machine's load, not of the input (qa36 H1: x/text's date tables, 1.9
// CPU seconds, abandoned after 1m28s at load 50, a clean tree exit 2).
// The process's CPU time would not do either: the byte scan's goroutines
// run beside the check and add their work to it.
func startCheckClock() (used func() time.Duration, release func(), cpu bool) {
	runtime.LockOSThread()
	// The CPU clock of another thread of the process, as the kernel
	// spells it (MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED)): unlike
	// CLOCK_THREAD_CPUTIME_ID, it can be read from the watch's thread.
	id := int32(^int32(unix.Gettid())<<3 | 4 | 2)
	var ts unix.Timespec
	if unix.ClockGettime(id, &ts) != nil {
		runtime.UnlockOSThread()
		used, release = wallCheckClock()
		return used, release, false
	}
	start := ts.Nano()
	// last is the time last read: read by the watch and by the check's
	// goroutine as it ends; a thread gone by then reads as its last.
	var last atomic.Int64
	return func() time.Duration {
		var ts unix.Timespec
		if unix.ClockGettime(id, &ts) == nil {
			for n, m := ts.Nano()-start, last.Load(); n > m && !last.CompareAndSwap(m, n); m = last.Load() {
			}
		}
		return time.Duration(last.Load())
	}, runtime.UnlockOSThread, true
}

// threadCPU is the CPU time the calling thread has used (tests spin on
// it, so that a check's work is the same whatever the load).
func threadCPU() time.Duration {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ts.Nano())
}

// processCPU is the CPU time the process has used, all its threads', and
// true; false when the clock cannot be read.
func processCPU() (time.Duration, bool) {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts) != nil {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}
