package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestBaselineScopeOfAScan (qa16 MEDIUM-1): a scan of one folder with the
// work tree's shared baseline does not call the entries of files outside
// that folder stale (it did not look there; "remove it" would break the
// next full scan), and still calls stale an entry of a file in the folder
// that no longer holds its key. A folder in no work tree scanned with a
// work tree's baseline (a build artifact) is not taken for the work tree's
// files moved: a copy of an accepted key there is reported. A baseline kept
// in no work tree still follows a rename.
func TestBaselineScopeOfAScan(t *testing.T) {
	g := fakekey.New(2116)
	fixture, svcKey := fakeCredsFile(g), fakeCredsFile(g)
	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "fixtures/test.ini", fixture)
	writeRepoFile(t, repo, "svc/old.ini", svcKey)
	writeRepoFile(t, repo, "svc/app.ini", "x = 1\n")
	if r := runCmd(t, repo, nil, "keyscan", "baseline", "scan", "--output", "base.json", "."); r.code != 0 {
		t.Fatalf("baseline scan: exit %d\n%s", r.code, r.stderr)
	}
	for _, dir := range []string{repo, filepath.Join(repo, "svc")} {
		arg := "svc"
		if dir != repo {
			arg = "."
		}
		if r := runCmd(t, dir, nil, "keyscan", "scan", "--baseline", filepath.Join(repo, "base.json"), arg); r.code != 0 || strings.Contains(r.stderr, "no longer matches") {
			t.Errorf("scan %s from %s: exit %d, want 0 and no entry called stale\n%s%s", arg, dir, r.code, r.stdout, r.stderr)
		}
	}
	// A file of the folder scanned that no longer holds its key: stale.
	writeRepoFile(t, repo, "svc/old.ini", "x = 2\n")
	r := runCmd(t, repo, nil, "keyscan", "scan", "--baseline", "base.json", "svc")
	if r.code != 0 || !strings.Contains(r.stderr, "no longer matches, remove it: aws-access-key-id svc/old.ini") || strings.Contains(r.stderr, "fixtures/test.ini") {
		t.Errorf("scan svc after its key went: exit %d, want svc/old.ini's entries stale and no other\n%s", r.code, r.stderr)
	}
	if r := runCmd(t, repo, nil, "keyscan", "scan", "--baseline", "base.json", "."); !strings.Contains(r.stderr, "remove it: aws-access-key-id svc/old.ini") {
		t.Errorf("scan . after svc/old.ini's key went: its entry not called stale\n%s", r.stderr)
	}

	// A folder in no work tree, beside the repository, holding a copy of
	// the accepted test key: reported, not "matched at a new path".
	parent := filepath.Dir(repo)
	writeRepoFile(t, parent, "artifact/test.ini", fixture)
	r = runCmd(t, parent, nil, "keyscan", "scan", "--baseline", filepath.Join(repo, "base.json"), "artifact")
	if r.code != 1 || !strings.Contains(r.stdout, "artifact/test.ini") || strings.Contains(r.stderr, "new path") {
		t.Errorf("scan of a folder in no work tree with the repository's baseline: exit %d, want 1 reporting the copy\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A baseline of a folder in no work tree follows a rename there.
	plain := t.TempDir()
	writeRepoFile(t, plain, "conf/a.ini", fixture)
	if r := runCmd(t, plain, nil, "keyscan", "baseline", "scan", "--output", "base.json", "."); r.code != 0 {
		t.Fatalf("baseline scan of a plain folder: exit %d\n%s", r.code, r.stderr)
	}
	if err := os.Rename(filepath.Join(plain, "conf", "a.ini"), filepath.Join(plain, "conf", "b.ini")); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, plain, nil, "keyscan", "scan", "--baseline", "base.json", "."); r.code != 0 || !strings.Contains(r.stderr, "matched at a new path") {
		t.Errorf("scan of a plain folder after a rename: exit %d, want 0 with the entry told as moved\n%s%s", r.code, r.stdout, r.stderr)
	}
}
