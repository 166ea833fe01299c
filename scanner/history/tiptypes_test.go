package history_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/scanner/history"
)

// TestRefsToTreesAndBlobs: a ref (a branch written by hand, a tag) or an
// object ID naming a tree or a blob is scanned, with --ref as in a full
// scan; no commit holds what is found there, so a finding has no commit
// and its note names the tree or the blob and the ref (qa7 LOW-1: a
// branch naming a blob was "reference not found", a tree's ID was
// reported as the commit). A blob that a commit also holds is that
// commit's.
func TestRefsToTreesAndBlobs(t *testing.T) {
	r := newGitRepo(t)
	id, line := keyLine(4401)
	r.write("k.env", line)
	c := r.commit("key")
	tree, blob := r.git("rev-parse", "HEAD^{tree}"), r.git("rev-parse", "HEAD:k.env")
	lone, lonel := keyLine(4402)
	loneBlob := r.runInput(lonel, "hash-object", "-w", "--stdin")
	for name, obj := range map[string]string{"blobref": blob, "treeref": tree} {
		if err := os.WriteFile(filepath.Join(r.dir, ".git", "refs", "heads", name), []byte(obj+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r.git("tag", "treetag", tree)
	r.git("tag", "-a", "-m", "annotated", "blobtag", blob)
	r.git("tag", "lonetag", loneBlob)

	for _, tc := range []struct{ ref, file, note string }{
		{"blobref", "blobref", "in blob " + blob + ", which blobref names"},
		{"treeref", "k.env", "in tree " + tree + ", which treeref names"},
		{"treetag", "k.env", "in tree " + tree + ", which treetag names"},
		{"blobtag", "blobtag", "in blob " + blob + ", which blobtag names"},
		{tree, "k.env", "in tree " + tree},
		{blob, blob, "in blob " + blob},
	} {
		res, err := history.Scan(t.Context(), r.dir, fixture.Scanner(t), history.Options{Refs: []string{tc.ref}})
		if err != nil {
			t.Fatalf("--ref %s: %v", tc.ref, err)
		}
		f := findingFor(t, res, id)
		if f.Commit != "" || f.LastCommit != "" || f.Commits != 0 || f.File != tc.file || !strings.Contains(f.Note, "in no scanned commit: "+tc.note) {
			t.Errorf("--ref %s: at %s, commit %q (last %q, %d), note %q; want %s, no commit, note %q", tc.ref, f.File, f.Commit, f.LastCommit, f.Commits, f.Note, tc.file, tc.note)
		}
	}

	res, err := history.Scan(t.Context(), r.dir, fixture.Scanner(t), history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res, id, want{File: "k.env", Line: 1, Commit: c, LastCommit: c, Commits: 1, Paths: []string{"k.env"}, AtHead: true})
	f := findingFor(t, res, lone)
	if f.Commit != "" || f.File != "refs/tags/lonetag" || !strings.Contains(f.Note, "in no scanned commit: in blob "+loneBlob+", which refs/tags/lonetag names") {
		t.Errorf("a blob only a tag names: at %s, commit %q, note %q", f.File, f.Commit, f.Note)
	}
}
