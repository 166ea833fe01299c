package archive

import (
	"bytes"
	"fmt"
	"math/rand"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestCompressionBombStops is qa15 HIGH-14: 118 bytes of bzip2 hold 64 MiB
// of zeros. Each such file is its own walk, so the walk's byte budget does
// not bound a folder or a push of them, and max_ratio waits for a quarter of
// max_bytes: the level is stopped once its output passes BombFloor at more
// than BombRatio times its size, said and counted, instead of inflated up
// to max_file_size. With max_ratio 0 (no ratio checks) it is not.
func TestCompressionBombStops(t *testing.T) {
	if _, err := exec.LookPath("bzip2"); err != nil {
		t.Skipf("bzip2 not installed: %v", err)
	}
	cmd := exec.Command("bzip2", "-9")
	cmd.Stdin = bytes.NewReader(make([]byte, 64<<20))
	bomb, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	_, warns, st := walk(t, "z.bz2", bomb, DefaultLimits())
	said := false
	for _, w := range warns {
		said = said || strings.Contains(w, "compression bomb")
	}
	if !said || st.Unscanned == 0 || st.Bytes > BombFloor+(64<<10) {
		t.Errorf("%d-byte bzip2 of 64 MiB of zeros: %d bytes read, warnings %v, %d parts not scanned; want at most %d read, the stop said and counted", len(bomb), st.Bytes, warns, st.Unscanned, BombFloor)
	}
	lim := DefaultLimits()
	lim.MaxRatio = 0
	lim.MaxMemberSize = 8 << 20
	if _, warns, st := walk(t, "z.bz2", bomb, lim); st.Bytes <= BombFloor {
		t.Errorf("max_ratio 0: %d bytes read (warnings %v), want the ratio checks off", st.Bytes, warns)
	}
}

// TestRunBudget is qa15 HIGH-14's rest: a 2.9 KB bzip2 of 25 MiB of zeros
// and a little noise stays under BombRatio and max_file_size and cost 0.57
// CPU s; a folder or push of them, each its own walk, stalled the gate. The
// walks of one run share a Budget of what their levels give past max_ratio
// times their size: once it is spent, each such level stops at that ratio,
// said and counted. Content under the ratio charges nothing; without a
// Budget, or with max_ratio 0, nothing changes. An LZMA stream, whose
// decoder fills its window before it hands out a byte, gets no larger a
// window than what will be read.
func TestRunBudget(t *testing.T) {
	noise := make([]byte, 2400)
	rand.New(rand.NewSource(7)).Read(noise)
	raw := append(make([]byte, 4<<20), noise...)
	bz := archivetest.Bzip2(t, raw)
	lim := DefaultLimits()
	lim.Run = NewBudget(8 << 20)
	free := lim.runFree(&level{compressed: int64(len(bz))})
	for i := range 8 {
		got, warns, st := walk(t, "f.bz2", bz, lim)
		switch {
		case i < 2: // 8 MiB pays for two of 4 MiB
			if len(warns) > 0 || got["f.bz2!f"] != string(raw) {
				t.Errorf("file %d: %d bytes read, warnings %q; want it whole", i, st.Bytes, warns)
			}
		case len(warns) != 1 || !strings.Contains(warns[0], "this run's archives") || st.Unscanned != 1:
			t.Errorf("file %d: warnings %q, %d counted; want the run's budget said and counted", i, warns, st.Unscanned)
		case i > 2 && st.Bytes > free:
			t.Errorf("file %d: %d bytes read past the budget, want at most %d", i, st.Bytes, free)
		}
	}

	// Text that compresses less than max_ratio charges nothing.
	var text []byte
	r := rand.New(rand.NewSource(15)) // seeded: a failure replays
	for i := range 1 << 15 {
		text = fmt.Appendf(text, "setting_%d = %x # a config file\n", i, r.Int63())
	}
	gz := archivetest.Gzip(t, "t", text)
	lim.Run = NewBudget(1)
	for range 3 {
		if _, warns, _ := walk(t, "t.gz", gz, lim); len(warns) > 0 || lim.Run.left.Load() != 1 {
			t.Fatalf("%d bytes of text at %dx: warnings %q, budget left %d", len(text), len(text)/len(gz), warns, lim.Run.left.Load())
		}
	}

	// A sparse image at ~300 times (zeros with some hex every MiB) charges
	// while it is read and hands it back once read whole (qa16
	// MEDIUM-10): a dozen of them never use a budget smaller than two up.
	sparse := make([]byte, 4<<20)
	for at := 0; at < len(sparse); at += 1 << 20 {
		hex := fmt.Appendf(nil, "%x", randomBytesBomb(at, 2000))
		copy(sparse[at:], hex)
	}
	img := archivetest.Gzip(t, "disk.img", sparse)
	lim.Run = NewBudget(8 << 20)
	for i := range 12 {
		if _, warns, _ := walk(t, "disk.img.gz", img, lim); len(warns) > 0 || lim.Run.left.Load() != 8<<20 {
			t.Fatalf("sparse image %d (%dx): warnings %q, budget left %d", i, len(sparse)/len(img), warns, lim.Run.left.Load())
		}
	}

	// Spent, an lzma of 4 MiB of zeros declaring a 64 MiB dictionary
	// costs a window of what will be read, not of the stream's bound.
	xz := exec.Command("xz", "--format=lzma", "--lzma1=preset=9,dict=64MiB", "-c")
	xz.Stdin = bytes.NewReader(raw)
	lz, err := xz.Output()
	if err != nil {
		t.Skipf("xz --format=lzma: %v", err)
	}
	lim.Run = NewBudget(0)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 10 {
		if _, warns, _ := walk(t, "z.lzma", lz, lim); len(warns) != 1 {
			t.Fatalf("spent budget: warnings %q", warns)
		}
	}
	runtime.ReadMemStats(&after)
	if a := after.TotalAlloc - before.TotalAlloc; a > 40<<20 {
		t.Errorf("10 walks of a %d-byte lzma past the budget allocated %d bytes, want < 40 MiB", len(lz), a)
	}
}

// randomBytesBomb returns n random bytes seeded by seed.
func randomBytesBomb(seed, n int) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(int64(seed))).Read(b)
	return b
}
