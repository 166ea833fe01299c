package pathname

import (
	"os"
	"path/filepath"
	"testing"
)

func TestShown(t *testing.T) {
	for _, c := range []struct{ root, rel, want string }{
		{".", "a/b", "a/b"},
		{"./sub/", "c", "sub/c"},
		{"sub/../x", "c", "x/c"},
		{"/abs/dir", "c", "/abs/dir/c"},
		{"../up", "c", "../up/c"},
		{"file.txt", "", "file.txt"},
	} {
		if got := Shown(c.root, c.rel); got != c.want {
			t.Errorf("Shown(%q, %q) = %q, want %q", c.root, c.rel, got, c.want)
		}
	}
}

// TestKey checks that one file gets one key wherever keyscan starts and
// whichever folder it is given.
func TestKey(t *testing.T) {
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	plain := filepath.Join(base, "plain")
	for _, d := range []string{filepath.Join(repo, ".git"), filepath.Join(repo, "sub"), filepath.Join(plain, "sub"), filepath.Join(plain, "app", ".git")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// A git folder has a HEAD; plain/app/.git (a tarball's folder called
	// .git) has none and does not make app a work tree.
	if err := os.WriteFile(filepath.Join(repo, ".git", "HEAD"), []byte("ref: refs/heads/main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ cwd, path, want string }{
		{repo, "sub/credentials", "sub/credentials"},
		{filepath.Join(repo, "sub"), "credentials", "sub/credentials"},
		{filepath.Join(repo, "sub"), "../sub/./credentials", "sub/credentials"},
		{base, "repo/sub/credentials", "sub/credentials"},
		{"/", filepath.Join(repo, "sub", "credentials"), "sub/credentials"},
		{plain, "sub/credentials", "sub/credentials"},
		{plain, "app/.git/prod.env", "app/.git/prod.env"},
		{filepath.Join(plain, "sub"), "credentials", "credentials"},
		{filepath.Join(plain, "sub"), "../other", filepath.ToSlash(filepath.Join(plain, "other"))},
		{repo, "credentials", "credentials"},
		{repo, "sub", "sub"},
		{plain, "app", "app"},
		{filepath.Join(plain, "sub"), "/etc", "/etc"},
		{filepath.Join(plain, "sub"), filepath.Join(repo, "x"), "x"},
		{filepath.Join(plain, "sub"), filepath.Join(base, "y"), filepath.ToSlash(filepath.Join(base, "y"))},
	} {
		n := NewNamer(c.cwd)
		if got := n.Key(c.path); got != c.want {
			t.Errorf("in %s: Key(%q) = %q, want %q", c.cwd, c.path, got, c.want)
		}
		dir, name := filepath.Split(c.path)
		if got := n.In(dir).Key(name); got != c.want {
			t.Errorf("in %s: In(%q).Key(%q) = %q, want %q", c.cwd, dir, name, got, c.want)
		}
		// InListed, told what the folder's listing says, on a Namer that
		// has looked at nothing yet and on one that has.
		_, err := os.Lstat(filepath.Join(NewNamer(c.cwd).Abs(dir), ".git"))
		for _, n := range []*Namer{NewNamer(c.cwd), n} {
			if got := n.InListed(dir, err == nil).Key(name); got != c.want {
				t.Errorf("in %s: InListed(%q, %v).Key(%q) = %q, want %q", c.cwd, dir, err == nil, name, got, c.want)
			}
		}
	}
}

func TestWithin(t *testing.T) {
	for _, tt := range []struct {
		dir, p string
		want   bool
	}{
		{"/a/b", "/a/b", true},
		{"/a/b", "/a/b/c", true},
		{"/a/b/", "/a/b/c", true},
		{"/", "/x", true},
		{"/a/b", "/a/bc", false},
		{"/a/b", "/a", false},
		{"/a/b", "/a/b/../c", false},
		{"/a/b", "relative", false},
	} {
		if got := Within(tt.dir, tt.p); got != tt.want {
			t.Errorf("Within(%q, %q) = %v, want %v", tt.dir, tt.p, got, tt.want)
		}
	}
}

func TestBytes(t *testing.T) {
	if got := Bytes("ok/ünï.ini"); got != "" {
		t.Errorf("Bytes of a UTF-8 name = %q, want none", got)
	}
	if got, want := Bytes("bad\xff"), "YmFk/w=="; got != want {
		t.Errorf("Bytes = %q, want %q", got, want)
	}
	if got := BytesAll([]string{"a", "b"}); got != nil {
		t.Errorf("BytesAll of UTF-8 names = %q, want nil", got)
	}
	if got := BytesAll([]string{"a", "bad\xff"}); len(got) != 2 || got[0] != "" || got[1] != "YmFk/w==" {
		t.Errorf("BytesAll = %q", got)
	}
}
