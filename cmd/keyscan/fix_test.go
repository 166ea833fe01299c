package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteAtomic: the new content replaces the old, the mode stays, a
// symlink keeps pointing at the rewritten file, and no temporary file is left.
func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "credentials")
	if err := os.WriteFile(target, []byte("[default]\r\nold\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink("credentials", link); err != nil {
		t.Skipf("symlinks: %v", err)
	}
	if err := writeAtomic(link, []byte("[default]\r\n")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "[default]\r\n" {
		t.Errorf("content = %q", got)
	}
	st, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", st.Mode().Perm())
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("%d files in the directory, want 2 (a temporary file left?)", len(entries))
	}
	if err := writeAtomic(filepath.Join(dir, "missing"), nil); err == nil {
		t.Error("writing over a missing file: no error")
	}
}
