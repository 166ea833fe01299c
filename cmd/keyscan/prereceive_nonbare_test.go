package main

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestPreReceiveConfigOfNonBareRepo: keyscan pre-receive REPO, naming a
// non-bare repository by the top of its work tree (a wrapper script), reads
// the server's configuration from the repository's git folder, never a
// keyscan.toml of the work tree: on a push-to-deploy server
// (receive.denyCurrentBranch = updateInstead) pushes write that folder, so
// a pushed exclude = ["**"] let the next push's keys through, and the
// administrator's own file went unread (qa24 M3).
func TestPreReceiveConfigOfNonBareRepo(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(2424)
	dir := newCommittedRepo(t)
	base := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD"))
	writeRepoFile(t, dir, "k.ini", fakeCredsFile(g))
	gitOK(t, dir, "add", "k.ini")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "key")
	tip := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD"))
	gitOK(t, dir, "reset", "-q", "--hard", base) // the pushed commit: no ref has it yet
	push := base + " " + tip + " refs/heads/deploy\n"
	gate := func() cmdResult {
		return runCmdStdin(t, dir, nil, strings.NewReader(push), "keyscan", "pre-receive", dir)
	}

	writeRepoFile(t, dir, "keyscan.toml", "exclude = [\"**\"]\n") // the work tree's: a pusher's
	if r := gate(); r.code != 1 {
		t.Errorf("a keyscan.toml in the work tree was obeyed: exit %d, want 1\n%s", r.code, r.stderr)
	}
	writeRepoFile(t, dir, ".git/keyscan.toml", "bogus = 1\n")
	if r := gate(); r.code != exitError || !strings.Contains(r.stderr, "bogus") {
		t.Errorf("the git folder's keyscan.toml with an unknown field: exit %d, want %d naming it\n%s", r.code, exitError, r.stderr)
	}
	writeRepoFile(t, dir, ".git/keyscan.toml", "exclude = [\"**\"]\n")
	if r := gate(); r.code != 0 {
		t.Errorf("the git folder's keyscan.toml excluding everything: exit %d, want 0\n%s", r.code, r.stderr)
	}
	// Run in the git folder, as the installed hook runs, the same file.
	if r := runCmdStdin(t, dir+"/.git", nil, strings.NewReader(push), "keyscan", "pre-receive"); r.code != 0 {
		t.Errorf("run in the git folder: exit %d, want 0\n%s", r.code, r.stderr)
	}
}
