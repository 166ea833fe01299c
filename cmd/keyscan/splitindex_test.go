package main

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestStagedSplitIndex: in a repository with a split index (core.splitIndex,
// `git update-index --split-index`) staged reads the index with its shared
// index: a staged key is refused, a clean change passes (qa7 LOW-2: every
// commit was refused with "split index is not supported").
func TestStagedSplitIndex(t *testing.T) {
	dir := newCommittedRepo(t)
	gitOK(t, dir, "config", "core.splitIndex", "true")
	gitOK(t, dir, "update-index", "--split-index")
	writeRepoFile(t, dir, "README.md", "# project, changed\n")
	gitOK(t, dir, "add", "README.md")
	if r := keyscanIn(t, dir, "staged"); r.code != 0 {
		t.Fatalf("staged, clean change: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	g := fakekey.New(4501)
	writeRepoFile(t, dir, "app/prod.env", fakeCredsFile(g))
	gitOK(t, dir, "add", "app/prod.env")
	r := keyscanIn(t, dir, "staged")
	if r.code != 1 || !strings.Contains(r.stdout, "app/prod.env") {
		t.Errorf("staged, a key: exit %d, want 1 naming app/prod.env\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := gitRun(t, dir, nil, "commit", "-q", "-m", "x"); r.code != 0 {
		t.Fatal(r.stderr)
	}
}
