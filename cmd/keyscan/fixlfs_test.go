package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixLFSPointer checks fix23's item: a file kept in Git LFS whose work
// tree copy is its pointer (a clone made with GIT_LFS_SKIP_SMUDGE=1) was
// left as it was, keyscan fix exiting 0 as if the tree were clean: the
// walk read the content in lfs/objects, but fix rescanned the pointer.
// Without the content it must fail (exit 2, naming the pointer); with the
// content fetched it lists the keys for a person (exit 1) and leaves the
// pointer alone; once the content is checked out it removes them.
func TestFixLFSPointer(t *testing.T) {
	requireKeyscanOnPath(t)
	if r := gitRun(t, t.TempDir(), nil, "lfs", "version"); r.code != 0 {
		t.Skip("git-lfs is not installed (apt-get install -y git-lfs)")
	}
	src := newCommittedRepo(t)
	gitOK(t, src, "lfs", "install", "--local")
	gitOK(t, src, "lfs", "track", "*.env")
	k := fakekey.New(2341).Values()
	writeRepoFile(t, src, "deploy/prod.env", "AWS_ACCESS_KEY_ID="+k["ID"]+"\nAWS_SECRET_ACCESS_KEY="+k["SECRET"]+"\n")
	gitOK(t, src, "add", ".")
	gitOK(t, src, "commit", "-q", "--no-verify", "-m", "LFS file")
	parent := t.TempDir()
	ci := filepath.Join(parent, "ci")
	if r := gitRun(t, parent, []string{"GIT_LFS_SKIP_SMUDGE=1"}, "clone", "-q", "file://"+src, ci); r.code != 0 {
		t.Fatalf("clone: exit %d\n%s", r.code, r.stderr)
	}
	pointer := readRepoFile(t, ci, "deploy/prod.env")
	if !strings.HasPrefix(pointer, "version https://git-lfs") {
		t.Fatal("the clone holds the content, not the pointer")
	}

	if r := keyscanIn(t, ci, "fix", "--write", "."); r.code != exitError || !strings.Contains(r.stderr, "1 Git LFS pointer whose content was not read") {
		t.Errorf("fix of a pointer without its content: exit %d, want %d counting it\n%s%s", r.code, exitError, r.stdout, r.stderr)
	}
	gitOK(t, ci, "lfs", "fetch")
	for _, mode := range []string{"--diff", "--write"} {
		r := keyscanIn(t, ci, "fix", mode, ".")
		if r.code != exitFindings || !strings.Contains(r.stdout+r.stderr, "deploy/prod.env:1:19: aws-access-key-id") ||
			!strings.Contains(r.stdout+r.stderr, "in a file kept in Git LFS whose work tree copy is its pointer") {
			t.Errorf("fix %s of a pointer whose content is in lfs/objects: exit %d, want %d listing its keys for a person\n%s%s", mode, r.code, exitFindings, r.stdout, r.stderr)
		}
	}
	if got := readRepoFile(t, ci, "deploy/prod.env"); got != pointer {
		t.Errorf("fix --write changed the pointer:\n%s", got)
	}
	gitOK(t, ci, "lfs", "install", "--local")
	gitOK(t, ci, "lfs", "checkout")
	if strings.HasPrefix(readRepoFile(t, ci, "deploy/prod.env"), "version https://git-lfs") {
		t.Fatal("git lfs checkout left the pointer")
	}
	if r := keyscanIn(t, ci, "fix", "--write", "."); r.code != exitClean || strings.Contains(readRepoFile(t, ci, "deploy/prod.env"), "AWS_SECRET_ACCESS_KEY=") {
		t.Errorf("fix --write of the checked out content: exit %d, want %d with the keys removed\n%s%s", r.code, exitClean, r.stdout, r.stderr)
	}
}
