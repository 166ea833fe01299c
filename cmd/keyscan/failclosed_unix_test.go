//go:build unix

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFIFORoot: keyscan scan FIFO used to block forever, then said "no
// credentials found" and exit 0; a FIFO or device named on the command line
// is not opened, and the scan says it could not read it and exits 2 (QA-2).
func TestFIFORoot(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, named := range []string{fifo, "/dev/null"} {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"scan", named}, nil, &out, &errb)
		if code != exitError || !strings.Contains(errb.String(), "not a regular file (a ") {
			t.Errorf("scan %s: exit %d; stderr %q: want exit 2 and an error saying what it is", named, code, errb.String())
		}
		if strings.Contains(out.String(), "no credentials found") || !strings.Contains(out.String(), "incomplete: could not read "+filepath.ToSlash(named)) {
			t.Errorf("scan %s: stdout %q: want the path named as not scanned, not \"no credentials found\"", named, out.String())
		}
	}
}
