package main

import (
	"math"
	"runtime"
	"runtime/debug"
)

// scanHeapStart is the heap a scan allocates before its first garbage
// collection (see deferGC).
const scanHeapStart = 64 << 20

// deferGC leaves the garbage collector off until the heap reaches limit,
// then gives it back Go's default pacing (GOGC=100, no memory limit). Go
// starts collecting at a 4 MB heap and a scan's live heap is small and
// short-lived (a worker's file and its masks): a scan of moto's checkout
// (3,441 files, ~22 MB allocated in all) ran 7 collections, ~5 % of its
// instructions, and now runs none; a larger tree pays for its first
// collection later, at limit. The collection the limit triggers is the
// one that lets the cleanup below run, which puts the default back, so a
// live heap over limit costs a collection or two more, never a collector
// that runs without end. Nothing changes when GOGC or GOMEMLIMIT is set.
func deferGC(e *env, limit int64) {
	if e.getenv("GOGC") != "" || e.getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(limit)
	// A pointer-holding object, so never a tiny allocation, whose cleanup
	// could wait for its neighbours.
	sentinel := new(struct{ _ [4]*byte })
	runtime.AddCleanup(sentinel, func(struct{}) {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}, struct{}{})
}
