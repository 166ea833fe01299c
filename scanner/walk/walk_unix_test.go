//go:build unix

package walk_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/walk"
)

// TestBadInput builds a tree of everything a scan must survive and checks
// that the key in the one good file is found and everything else is a warning.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	id := fakekey.New(1).KeyID("AKIA")
	write(t, filepath.Join(dir, "good.txt"), []byte("key "+id+"\n"))
	write(t, filepath.Join(dir, "binary.bin"), append([]byte{0, 1, 2, 0}, []byte(id)...))
	write(t, filepath.Join(dir, "huge.txt"), []byte(strings.Repeat("x", 2048)+id))
	write(t, filepath.Join(dir, "sub", "unreadable.txt"), []byte(id))
	if err := os.Chmod(filepath.Join(dir, "sub", "unreadable.txt"), 0); err != nil {
		t.Fatal(err)
	}
	os.Symlink("does-not-exist", filepath.Join(dir, "broken"))
	os.Symlink("cycle", filepath.Join(dir, "cycle"))
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Symlink("sub", filepath.Join(dir, "subLink"))
	os.Symlink("..", filepath.Join(dir, "sub", "loop"))
	os.Symlink(dir, filepath.Join(dir, "self"))
	os.Symlink("good.txt", filepath.Join(dir, "alias.txt"))

	os.Symlink(t.TempDir(), filepath.Join(dir, "away"))

	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	res, err := walk.Walk(context.Background(), []string{"."}, sc, walk.Options{MaxFileSize: 1024})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	for _, f := range res.Findings {
		files[f.File] = true
	}
	want := 2
	if os.Geteuid() == 0 {
		want = 3 // root reads the unreadable file too
	}
	if !files["good.txt"] || files["alias.txt"] || !files["binary.bin"] || len(files) != want {
		t.Errorf("findings in %v, want good.txt, not alias.txt (a file is reported once, under its own name), and binary.bin (its printable runs)", files)
	}
	warned := map[string]string{}
	for _, w := range res.Warnings {
		warned[w.Path] = w.Err.Error()
	}
	for _, p := range []string{"huge.txt", "broken", "cycle", "pipe", "away"} {
		if _, ok := warned[p]; !ok {
			t.Errorf("no warning for %s; warnings: %v", p, warned)
		}
	}
	if !strings.Contains(warned["cycle"], "symlink loop") {
		t.Errorf("cycle: %q, want a symlink loop", warned["cycle"])
	}
	// Links into the root (sub/loop -> .., self -> root, subLink -> sub)
	// are not followed: what they point at is scanned once, under its name.
	for _, f := range res.Findings {
		if strings.HasPrefix(f.File, "self/") || strings.HasPrefix(f.File, "sub/loop/") || strings.HasPrefix(f.File, "subLink/") {
			t.Errorf("followed a link into the root: %s", f.File)
		}
	}
	if os.Geteuid() != 0 { // root reads everything
		if _, ok := warned["sub/unreadable.txt"]; !ok {
			t.Errorf("no warning for the unreadable file; warnings: %v", warned)
		}
	}
	if !strings.Contains(warned["pipe"], "named pipe (FIFO)") {
		t.Errorf("pipe: %q, want the kind of file in words", warned["pipe"])
	}
	if !strings.Contains(warned["away"], "outside the scan root") {
		t.Errorf("away: %q, want a link out of the root named", warned["away"])
	}
	st := res.Stats
	if st.BinaryScanned != 1 || st.TooLarge != 1 || st.Special != 1 || st.Outside != 1 {
		t.Errorf("stats %+v: want 1 binary scanned, 1 too large, 1 special file, 1 link out of the root", st)
	}
	if os.Geteuid() != 0 && st.Unreadable != 1 {
		t.Errorf("stats %+v: want 1 unreadable", st)
	}
}
