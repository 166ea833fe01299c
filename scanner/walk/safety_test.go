package walk_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyscan/keyscan/internal/asuser"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/content"
	"github.com/keyscan/keyscan/scanner/walk"
)

// TestPseudoFilesAreNotRead: /proc/kmsg is a regular file of size 0 whose
// read blocks until the kernel logs something; a file is read up to its
// size only, so a zero-size one is not read and the walk ends.
func TestPseudoFilesAreNotRead(t *testing.T) {
	if _, err := os.Stat("/proc/kmsg"); err != nil {
		t.Skipf("no /proc/kmsg here: %v", err)
	}
	dir := t.TempDir()
	if err := os.Symlink("/proc/kmsg", filepath.Join(dir, "kmsg")); err != nil {
		t.Fatal(err)
	}
	sc, _ := scanner.New(scanner.Options{})
	for _, root := range []string{"/proc/kmsg", filepath.Join(dir, "kmsg")} {
		done := make(chan error, 1)
		go func() {
			_, err := walk.Walk(context.Background(), []string{root}, sc, walk.Options{})
			done <- err
		}()
		select {
		case err := <-done:
			// Not readable as an unprivileged user: a RootError, which
			// is fine; what matters is that the walk ends.
			t.Logf("walk %s: %v", root, err)
		case <-time.After(time.Minute):
			t.Fatalf("walk %s did not end: a read of a zero-size pseudo-file blocks", root)
		}
	}
}

// TestRootErrors: a root that cannot be read is an error, not a warning,
// and the other roots are still scanned.
func TestRootErrors(t *testing.T) {
	dir := t.TempDir()
	id := fakekey.New(8).KeyID("AKIA")
	write(t, filepath.Join(dir, "a.txt"), []byte(id))
	sc, _ := scanner.New(scanner.Options{})
	missing := filepath.Join(dir, "missing")
	res, err := walk.Walk(context.Background(), []string{missing, filepath.Join(dir, "a.txt")}, sc, walk.Options{})
	var re *walk.RootError
	if !errors.As(err, &re) || re.Path != filepath.ToSlash(missing) {
		t.Errorf("error %v, want a RootError for %s", err, missing)
	}
	if len(res.Findings) != 1 {
		t.Errorf("findings %v, want the key in a.txt", res.Findings)
	}
}

// TestNamedFileSkipped: a file the user named that is not scanned says so.
func TestNamedFileSkipped(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "big.txt"), []byte(strings.Repeat("x", 100)))
	write(t, filepath.Join(dir, "bin"), []byte{0, 1, 2})
	write(t, filepath.Join(dir, "vendor.txt"), []byte("x"))
	sc, _ := scanner.New(scanner.Options{})
	t.Chdir(dir)
	res, err := walk.Walk(context.Background(), []string{"big.txt", "bin", "vendor.txt"}, sc, walk.Options{
		MaxFileSize: 10,
		Excluded:    func(rel string, _ bool) bool { return rel == "vendor.txt" },
		Content:     content.Options{SkipBinary: true}, // a binary is skipped only when asked
	})
	if err != nil {
		t.Fatal(err)
	}
	warned := map[string]bool{}
	for _, w := range res.Warnings {
		warned[w.Path] = true
	}
	for _, p := range []string{"big.txt", "bin", "vendor.txt"} {
		if !warned[p] {
			t.Errorf("no warning for %s, named and skipped; warnings %v", p, res.Warnings)
		}
	}
}

// TestUnprivileged runs the tests about unreadable files again as nobody:
// run as root they cannot tell an unreadable file from a readable one.
func TestUnprivileged(t *testing.T) {
	if asuser.Child() {
		t.Skip("already unprivileged")
	}
	asuser.ReRun(t, "^(TestBadInput|FuzzWalk)$")
}

// walkInsideRoot walks root and fails the test for every file read outside it.
func walkInsideRoot(t *testing.T, root string, sc *scanner.Scanner) walk.Result {
	t.Helper()
	var mu sync.Mutex
	var read []string
	res, err := walk.Walk(context.Background(), []string{root}, sc, walk.Options{OnFile: func(p, _ string, _ []byte) {
		mu.Lock()
		read = append(read, p)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range read {
		if !strings.HasPrefix(p, root+string(filepath.Separator)) {
			t.Errorf("read %s, outside the root %s", p, root)
		}
	}
	return res
}
