package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// TestDeferGC checks that deferGC turns the collector off under a memory
// limit, that the first collection puts Go's defaults back (GOGC=100, no
// limit), and that it changes nothing when GOGC or GOMEMLIMIT is set.
func TestDeferGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	// Read through runtime/metrics: setting to read would race with the
	// cleanup.
	gcPercent := func() int {
		s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
		metrics.Read(s)
		return int(s[0].Value.Uint64())
	}

	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		deferGC(&env{getenv: func(k string) string {
			if k == v {
				return "100"
			}
			return ""
		}}, 1<<30)
		if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != 100 || l != math.MaxInt64 {
			t.Fatalf("%s set: GC percent %d, limit %d, want them untouched", v, p, l)
		}
	}

	deferGC(&env{getenv: func(string) string { return "" }}, 1<<30)
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != -1 || l != 1<<30 {
		t.Fatalf("after deferGC: GC percent %d, limit %d, want -1 and %d", p, l, 1<<30)
	}
	// The cleanup runs after a collection, on a goroutine of its own.
	for range 1000 {
		runtime.GC()
		if gcPercent() == 100 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != 100 || l != math.MaxInt64 {
		t.Fatalf("after a collection: GC percent %d, limit %d, want Go's defaults", p, l)
	}
}
