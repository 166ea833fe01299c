package readfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/keyscan/keyscan/internal/readfile"
)

// TestReadFile: a regular file is read whole; a FIFO and a link (with
// noFollow) are refused without blocking; a file over the limit is
// refused; a procfs file, which says its size is 0, is not read at all.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := readfile.File(p, true, 100); err != nil || string(b) != "hello\n" {
		t.Errorf("File(f) = %q, %v", b, err)
	}
	if _, err := readfile.File(p, true, 3); err == nil {
		t.Error("a file over the limit was read")
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readfile.File(fifo, false, 100); !errors.As(err, new(readfile.NotRegularError)) {
		t.Errorf("File(fifo): %v, want NotRegularError", err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(p, link); err != nil {
		t.Fatal(err)
	}
	if _, err := readfile.File(link, true, 100); !errors.Is(err, syscall.ELOOP) {
		t.Errorf("File(link, noFollow): %v, want ELOOP", err)
	}
	if b, err := readfile.File(link, false, 100); err != nil || string(b) != "hello\n" {
		t.Errorf("File(link) = %q, %v", b, err)
	}
	if b, err := readfile.File("/proc/self/status", false, 100); err == nil && len(b) != 0 {
		t.Errorf("File(/proc/self/status) read %d bytes of a file whose size is 0", len(b))
	}
}
