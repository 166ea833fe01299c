package walk_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/walk"
)

// TestProcSys (qa10 LOW-4): the sysctl files of /proc/sys are read (each
// was "cannot allocate memory": the kernel allocates what a read asks
// for), and what /proc/sys holds that cannot be read is one warning at
// the pseudo-filesystem's top, by reason, each entry still counted.
func TestProcSys(t *testing.T) {
	if _, err := os.Stat("/proc/sys/kernel/ostype"); err != nil {
		t.Skipf("no /proc/sys here: %v", err)
	}
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := walk.Walk(context.Background(), []string{"/proc/sys"}, sc, walk.Options{MaxFileSize: 25 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Files < 100 {
		t.Errorf("%d files of /proc/sys scanned, want its sysctl files", res.Stats.Files)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Err.Error(), "cannot allocate memory") {
			t.Errorf("a sysctl file unread: %v", w)
		}
	}
	if res.Stats.Unreadable == 0 {
		return // nothing unreadable here: nothing to gather
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Path != "/proc/sys" || !strings.Contains(res.Warnings[0].Err.Error(), "a kernel pseudo-filesystem (proc)") {
		t.Errorf("want one warning at /proc/sys for %d unreadable entries, got %d: %v", res.Stats.Unreadable, len(res.Warnings), res.Warnings)
	}
}
