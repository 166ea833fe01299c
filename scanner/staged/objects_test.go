package staged

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/keyscan/keyscan/internal/fixture"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/gitobj"
)

// historyRepo makes a repository whose files change over many commits, so
// that packing it produces delta chains.
func historyRepo(t *testing.T) string {
	t.Helper()
	dir := newRepo(t)
	var body strings.Builder
	for i := range 40 {
		body.WriteString("line " + strconv.Itoa(i) + " of a file that changes a little every commit\n")
	}
	for c := range 12 {
		for f := range 5 {
			write(t, dir, "d"+strconv.Itoa(f%2)+"/f"+strconv.Itoa(f)+".txt", body.String()+"commit "+strconv.Itoa(c)+"\n")
		}
		git(t, dir, "add", ".")
		git(t, dir, "commit", "-q", "--no-verify", "-m", "c"+strconv.Itoa(c))
	}
	return dir
}

// TestTreeHashesMatchWriteTree checks the tree hashes computed from the
// index, used where the cache-tree is invalid, against git write-tree.
func TestTreeHashesMatchWriteTree(t *testing.T) {
	dir := historyRepo(t)
	for _, p := range []string{"a.c", "a/x", "a-b/y", "a0", "b/c/d/e", "b/c.d", "z"} {
		write(t, dir, p, p+"\n")
	}
	git(t, dir, "add", ".")
	want := strings.TrimSpace(git(t, dir, "write-tree"))
	idx, err := gitobj.ReadIndex(filepath.Join(dir, ".git", "index"), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(idx.Trees) == 0 {
		t.Fatal("write-tree left no cache-tree in the index")
	}
	if got := idx.Trees[""].ID.String(); got != want {
		t.Errorf("cache-tree root = %s, want %s", got, want)
	}
	d := newDiffer(context.Background(), nil, idx.Entries, nil) // no cache-tree: compute
	if got := d.dirHash("", 0, len(idx.Entries)).String(); got != want {
		t.Errorf("computed root = %s, want %s", got, want)
	}
}

// TestGoGitRepository scans a repository that go-git made: its index has
// no cache-tree, and its objects are loose.
func TestGoGitRepository(t *testing.T) {
	g := fakekey.New(12)
	dir := t.TempDir()
	r, err := gogit.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "Test", Email: "test@example.com", When: time.Unix(1700000000, 0)}
	write(t, dir, "app/old.ini", creds(g.KeyID("AKIA"), g.Secret()))
	write(t, dir, "app/other.txt", "other\n")
	if err := wt.AddGlob("app"); err != nil {
		t.Fatal(err)
	}
	if _, err := wt.Commit("base", &gogit.CommitOptions{Author: sig}); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "app/new.ini", creds(g.KeyID("AKIA"), g.Secret()))
	write(t, dir, "app/old.ini", creds(g.KeyID("AKIA"), g.Secret())) // both values replaced
	if _, err := wt.Add("app/new.ini"); err != nil {
		t.Fatal(err)
	}
	if _, err := wt.Add("app/old.ini"); err != nil {
		t.Fatal(err)
	}
	res := scan(t, dir, Options{})
	want := []string{"app/new.ini:2 access_key_id", "app/new.ini:3 secret_access_key", "app/old.ini:2 access_key_id", "app/old.ini:3 secret_access_key"}
	if got := where(res.Findings); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("findings = %v, want %v", got, want)
	}
}

func TestCorruptInputsFailCleanly(t *testing.T) {
	// The formats themselves are tested where they are read, in
	// internal/gitobj; here, that a corrupt index stops the scan.
	dir := newRepo(t)
	if err := os.WriteFile(filepath.Join(dir, ".git", "index"), []byte("DIRCgarbage-garbage-garbage-garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Scan(context.Background(), dir, fixture.Scanner(t), Options{}); err == nil {
		t.Error("Scan with a corrupt index: no error")
	}
}
