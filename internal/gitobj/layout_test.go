package gitobj

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadGitFile(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, text, want string
		bad              bool
	}{
		{"relative", "gitdir: ../main/.git/worktrees/w\n", filepath.Join(filepath.Dir(dir), "main/.git/worktrees/w"), false},
		{"absolute", "gitdir: /srv/r.git\n", "/srv/r.git", false},
		{"first line only", "gitdir: /srv/r.git\ngitdir: /elsewhere\n", "/srv/r.git", false},
		{"no gitdir", "hello\n", "", true},
		{"empty gitdir", "gitdir:   \n", "", true},
	} {
		p := filepath.Join(dir, ".git")
		if err := os.WriteFile(p, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := ReadGitFile(p)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("%s: ReadGitFile = %q, %v; want %q (error %v)", c.name, got, err, c.want, c.bad)
		}
	}
}

func TestCommonDir(t *testing.T) {
	dir := t.TempDir()
	if got, err := CommonDir(dir); err != nil || got != dir {
		t.Fatalf("no commondir: %q, %v", got, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "commondir"), []byte("../..\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := CommonDir(dir); err != nil || got != filepath.Dir(filepath.Dir(dir)) {
		t.Fatalf("relative commondir: %q, %v", got, err)
	}
	// A commondir that is a folder cannot be read: an error, not the
	// linked folder taken in its place.
	os.Remove(filepath.Join(dir, "commondir"))
	os.Mkdir(filepath.Join(dir, "commondir"), 0o755)
	if got, err := CommonDir(dir); err == nil {
		t.Fatalf("unreadable commondir: %q, no error", got)
	}
}
