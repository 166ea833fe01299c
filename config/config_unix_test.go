//go:build unix

package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keyscan/keyscan/config"
)

// TestFindRefusesWhatLeavesTheRoot: .keyscan.toml sits in a tree a stranger
// may write (a pull request in CI). A link out of the root (to /proc/kmsg,
// whose read blocks; to a private file) and a FIFO are refused with an error
// that names them, without opening them; a link inside the root is read.
// The test runs each Find in a goroutine so that a regression fails it
// rather than hanging it.
func TestFindRefusesWhatLeavesTheRoot(t *testing.T) {
	base := t.TempDir()
	outside := filepath.Join(base, "outside.toml")
	if err := os.WriteFile(outside, []byte("strict = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mk := func(name string, make func(p string) error) string {
		dir := filepath.Join(base, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := make(filepath.Join(dir, config.FileName)); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	refused := map[string]string{
		mk("kmsg", func(p string) error { return os.Symlink("/proc/kmsg", p) }):    "outside the scan root",
		mk("out", func(p string) error { return os.Symlink(outside, p) }):          "outside the scan root",
		mk("up", func(p string) error { return os.Symlink("../outside.toml", p) }): "outside the scan root",
		mk("fifo", func(p string) error { return syscall.Mkfifo(p, 0o644) }):       "a named pipe (FIFO), not a regular file",
		mk("dangling", func(p string) error { return os.Symlink("nowhere", p) }):   "does not resolve",
	}
	for dir, want := range refused {
		done := make(chan error, 1)
		go func() {
			p, err := config.Find(dir)
			if err == nil {
				_, err = config.Load(p)
			}
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), config.FileName) {
				t.Errorf("Find(%s): %v, want an error naming %s and saying %q", dir, err, config.FileName, want)
			}
		case <-time.After(time.Minute):
			t.Fatalf("Find(%s) did not end", dir)
		}
	}
	inside := mk("inside", func(p string) error {
		if err := os.WriteFile(filepath.Join(filepath.Dir(p), "real.toml"), []byte("strict = true\n"), 0o644); err != nil {
			return err
		}
		return os.Symlink("real.toml", p)
	})
	p, err := config.Find(inside)
	if err != nil {
		t.Fatalf("Find of a link inside the root: %v", err)
	}
	if c, err := config.Load(p); err != nil || !c.Strict {
		t.Errorf("Load(%s) = %+v, %v; want the linked file read", p, c, err)
	}
}

// TestLoadIsBounded: --config names a file the user chose, but it is still
// read without blocking and with a size cap: a FIFO is refused unopened, a
// procfs file (size 0) is not read, a file over MaxSize is refused.
func TestLoadIsBounded(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", config.MaxSize)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, big, "/proc/kmsg"} {
		done := make(chan error, 1)
		go func() {
			_, err := config.Load(p)
			done <- err
		}()
		select {
		case err := <-done:
			if p != "/proc/kmsg" && err == nil {
				t.Errorf("Load(%s): no error", p)
			}
		case <-time.After(time.Minute):
			t.Fatalf("Load(%s) did not end", p)
		}
	}
}
