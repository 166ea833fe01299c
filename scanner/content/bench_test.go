package content_test

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
	"github.com/keyscan/keyscan/scanner/content"
)

// BenchmarkBombs scans a real zip bomb (one member of 200 MiB of zeros in
// about 200 KiB) and a nested one (42.zip's shape, 6.4 GiB expanded) with the
// default limits, as every command does (content.Scan), and reports besides
// time and B/op the memory they take at their peak:
//
//   - peak-heap-MB: the most heap in use, sampled every millisecond while
//     the scans run;
//   - peak-RSS-MB: the process's resident high-water mark over the loop
//     (VmHWM, reset through /proc/self/clear_refs before it; Linux only,
//     not reported elsewhere). It counts the benchmark's own bombs (a few
//     MiB) and the runtime.
//
// go test -run '^$' -bench Bombs -benchtime 3x ./scanner/content/
func BenchmarkBombs(b *testing.B) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"zip-bomb-200MiB", archivetest.ZipBomb(b, 200<<20)},
		{"nested-bomb-42zip", archivetest.NestedBomb(b)},
	} {
		b.Run(c.name, func(b *testing.B) {
			runtime.GC()
			hwm := resetHighWater()
			peak, stop := samplePeakHeap()
			b.ReportAllocs()
			b.SetBytes(int64(len(c.data)))
			var warnings int
			for b.Loop() {
				r := content.Scan(context.Background(), sc, c.name+".zip", c.data, content.DefaultOptions())
				warnings = len(r.Warnings)
			}
			stop()
			if warnings == 0 {
				b.Fatal("no limit was hit")
			}
			b.ReportMetric(float64(*peak)/(1<<20), "peak-heap-MB")
			if hwm {
				if kb, ok := highWaterKB(); ok {
					b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
				}
			}
		})
	}
}

// samplePeakHeap records the most heap in use until stop is called.
func samplePeakHeap() (peak *uint64, stop func()) {
	peak = new(uint64)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return
			default:
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > *peak {
				*peak = ms.HeapInuse
			}
			time.Sleep(time.Millisecond)
		}
	}()
	return peak, func() { close(done); <-finished }
}

// resetHighWater resets the process's resident high-water mark (Linux's
// clear_refs "5"); false where that cannot be done.
func resetHighWater() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// highWaterKB reads VmHWM from /proc/self/status.
func highWaterKB() (int64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := bytes.CutPrefix(s.Bytes(), []byte("VmHWM:")); ok {
			fields := bytes.Fields(rest)
			if len(fields) == 0 {
				return 0, false
			}
			n, err := strconv.ParseInt(string(fields[0]), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}
