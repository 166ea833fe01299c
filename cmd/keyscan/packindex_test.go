package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestUnusablePackIndexFailsStrict: a pack whose index cannot be read hides
// every object in it. keyscan history --strict, with and without
// --all-objects, exits 2 naming it, as for an unreadable loose object; so
// does a fake git folder whose only pack index is junk (qa12 HIGH-3).
func TestUnusablePackIndexFailsStrict(t *testing.T) {
	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "deploy/credentials", fakeCredsFile(fakekey.New(9301)))
	gitOK(t, repo, "add", ".")
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "creds")
	gitOK(t, repo, "gc", "-q")
	idx, err := filepath.Glob(filepath.Join(repo, ".git", "objects", "pack", "pack-*.idx"))
	if err != nil || len(idx) != 1 {
		t.Fatalf("git gc left %v (%v), want one pack index", idx, err)
	}
	if r := keyscanIn(t, repo, "history", "--all-objects", "--strict", "."); r.code != exitFindings {
		t.Fatalf("history of the packed repository: exit %d, want %d\n%s", r.code, exitFindings, r.stderr)
	}
	os.Chmod(idx[0], 0o644)
	if err := os.WriteFile(idx[0], []byte("\377tOc\x00\x00\x00\x02junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"history", "--all-objects", "--strict", "."}, {"history", "--strict", "."}} {
		r := keyscanIn(t, repo, args...)
		// Every object is in that pack: the refs resolve to nothing, which
		// history says naming the index as the cause (qa36 D4); with loose
		// objects beside it the warning names the pack.
		if r.code != exitError || !strings.Contains(r.stderr, "cannot use pack") && !strings.Contains(r.stderr, idx[0]) {
			t.Errorf("keyscan %s with a junk pack index: exit %d, want %d saying what could not be read\n%s%s", strings.Join(args, " "), r.code, exitError, r.stdout, r.stderr)
		}
	}

	// qa12's fake nested folder: a pack and an index that are not what
	// their names say.
	dir := t.TempDir()
	writeRepoFile(t, dir, "deploy/HEAD", "ref: refs/heads/main\n")
	os.MkdirAll(filepath.Join(dir, "deploy", "refs", "heads"), 0o755)
	g := fakekey.New(9302)
	name := filepath.Join("deploy", "objects", "pack", "pack-0123456789abcdef0123456789abcdef01234567")
	writeRepoFile(t, dir, name+".pack", "PACK\x00\x00\x00\x02\x00\x00\x00\x01\n"+fakeCredsFile(g))
	writeRepoFile(t, dir, name+".idx", "\377tOc\x00\x00\x00\x02\n"+fakeCredsFile(g))
	if r := keyscanIn(t, dir, "history", "--all-objects", "--strict", "deploy"); r.code != exitError || !strings.Contains(r.stderr, "cannot use pack") {
		t.Errorf("history --all-objects --strict of the fake folder: exit %d, want %d naming the pack\n%s%s", r.code, exitError, r.stdout, r.stderr)
	}
}
