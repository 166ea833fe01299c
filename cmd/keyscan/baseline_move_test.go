package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestBaselineFollowsAMove (qa8 MEDIUM-10, scan and staged): a baseline
// made before a file is renamed or moved keeps accepting its keys in scan
// and staged (told on stderr, not called stale), made from any folder of
// the work tree; a copy of an accepted key into another file, the original
// still there, is reported. staged does not call entries of files it did
// not read stale.
func TestBaselineFollowsAMove(t *testing.T) {
	creds := fakeCredsFile(fakekey.New(87))
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, "old/credentials", creds)
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "creds")
	// Made from a folder below the top: entries name files from the top.
	bl := runCmd(t, filepath.Join(dir, "app"), nil, "keyscan", "baseline", "scan", "..")
	if bl.code != 0 || !strings.Contains(bl.stdout, `"file": "old/credentials"`) {
		t.Fatalf("keyscan baseline scan ..: exit %d, want entries for old/credentials\n%s%s", bl.code, bl.stdout, bl.stderr)
	}
	base := filepath.Join(t.TempDir(), "baseline.json")
	if err := os.WriteFile(base, []byte(bl.stdout), 0o644); err != nil {
		t.Fatal(err)
	}

	writeRepoFile(t, dir, "notes.txt", "unrelated\n")
	gitOK(t, dir, "add", "notes.txt")
	if r := runCmd(t, dir, nil, "keyscan", "staged", "--baseline", base); r.code != 0 || strings.Contains(r.stderr, "remove it") {
		t.Errorf("staged, another file: exit %d, want 0 and no entry called stale\n%s%s", r.code, r.stdout, r.stderr)
	}

	// Moved, and so changed that git sees a deleted file and an added one:
	// the keys are on added lines at the new path.
	gitOK(t, dir, "mv", "old/credentials", "app/credentials")
	writeRepoFile(t, dir, "app/credentials", creds+strings.Repeat("# notes on the profiles of this application\n", 30))
	gitOK(t, dir, "add", "-A")
	moved := "matched at a new path (its file is gone: renamed or moved), make the baseline again to record it: aws-access-key-id old/credentials:2"
	for _, args := range [][]string{{"staged"}, {"scan", "."}} {
		r := runCmd(t, dir, nil, "keyscan", append(args, "--baseline", base)...)
		if r.code != 0 || !strings.Contains(r.stderr, moved+" (fingerprint ") || !strings.Contains(r.stderr, "-> app/credentials") || strings.Contains(r.stderr, "remove it") {
			t.Errorf("%s after a move: exit %d, want 0, the entry told as moved, none stale\n%s%s", args[0], r.code, r.stdout, r.stderr)
		}
	}
	gitOK(t, dir, "commit", "-q", "-m", "move")

	// A copy beside the moved file is a new finding.
	writeRepoFile(t, dir, "deploy/credentials", creds)
	gitOK(t, dir, "add", "-A")
	for _, args := range [][]string{{"staged"}, {"scan", "."}} {
		r := runCmd(t, dir, nil, "keyscan", append(args, "--baseline", base)...)
		if r.code != 1 || !strings.Contains(r.stdout, "deploy/credentials") || strings.Contains(r.stdout, "app/credentials") {
			t.Errorf("%s with a copy: exit %d, want 1 and deploy/credentials alone\n%s%s", args[0], r.code, r.stdout, r.stderr)
		}
	}
}
