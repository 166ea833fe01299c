package archive

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
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
