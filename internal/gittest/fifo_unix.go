//go:build unix

package gittest

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// ReplaceWithFIFO puts a named pipe at p, in place of whatever stood there,
// making its folder; the test is skipped where FIFOs cannot be made.
func ReplaceWithFIFO(t testing.TB, p string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.RemoveAll(p); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}
