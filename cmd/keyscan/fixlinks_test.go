package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixWriteFolderLinkNamed (qa33 M1): keyscan fix --write of a path
// whose folder is a link planted in the checkout (app/linkdir -> a folder
// outside) rewrites nothing through it, as a file link named is refused:
// a warning names the link, its keys are listed under "Change by hand",
// exit 1, and the file outside keeps its keys. A file named beside it,
// with no link on its path, is rewritten.
func TestFixWriteFolderLinkNamed(t *testing.T) {
	requireKeyscanOnPath(t)
	base := t.TempDir()
	tree, out := filepath.Join(base, "tree"), filepath.Join(base, "out")
	v := fakekey.New(3301).Values()
	env := fmt.Sprintf("APP=1\nAWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n", v["ID"], v["SECRET"])
	for _, f := range []string{filepath.Join(out, "sub", ".env"), filepath.Join(out, "sub", "deep", ".env"), filepath.Join(out, "target.env"), filepath.Join(tree, "app", "ok.env")} {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(env), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(out, "sub"), filepath.Join(tree, "app", "linkdir")); err != nil {
		t.Skipf("symlinks: %v", err)
	}
	if err := os.Symlink(filepath.Join(out, "target.env"), filepath.Join(tree, "app", "link.env")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"app/link.env", "app/linkdir/.env", "app/ok.env"},
		{"app/linkdir/deep"},
		{"app/linkdir/deep/.env"},
	} {
		r := runCmd(t, tree, nil, "keyscan", append([]string{"fix", "--write"}, args...)...)
		if r.code != exitFindings || !strings.Contains(r.stderr, "symbolic link") || !strings.Contains(r.stdout, "Change by hand") {
			t.Errorf("fix --write %s: exit %d, want 1 with the link refused and its keys left by hand\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		if strings.Contains(r.stdout, "rewrote app/linkdir") {
			t.Errorf("fix --write %s rewrote through the folder link:\n%s", args, r.stdout)
		}
	}
	for _, f := range []string{filepath.Join(out, "sub", ".env"), filepath.Join(out, "sub", "deep", ".env"), filepath.Join(out, "target.env")} {
		if b, _ := os.ReadFile(f); string(b) != env {
			t.Errorf("%s outside the tree was rewritten through a link:\n%s", f, b)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(tree, "app", "ok.env")); strings.Contains(string(b), v["ID"]) {
		t.Errorf("app/ok.env, named beside the links, was not rewritten:\n%s", b)
	}
}
