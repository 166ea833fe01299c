package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestHistoryPackedRefsTwice: a ref packed-refs lists twice names two
// commits; git resolves it to one, go-git to the other, so keyscan scans
// both and warns, in either order (qa9 HIGH-5: the second entry, git's
// choice, was never read). A loose ref beside its packed twin is git's
// choice and is scanned.
func TestHistoryPackedRefsTwice(t *testing.T) {
	dir := newCommittedRepo(t)
	clean := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD"))
	gitOK(t, dir, "checkout", "-q", "--orphan", "o")
	writeRepoFile(t, dir, "k.ini", fakeCredsFile(fakekey.New(9621)))
	gitOK(t, dir, "add", "k.ini")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "k")
	key := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD"))
	gitOK(t, dir, "checkout", "-q", "main")
	gitOK(t, dir, "branch", "-q", "-D", "o")
	gitOK(t, dir, "reflog", "expire", "--expire=now", "--all")
	if r := keyscanIn(t, dir, "history", "--strict", "."); r.code != 0 {
		t.Fatalf("before: exit %d, want 0 (the key commit is unreachable)\n%s%s", r.code, r.stdout, r.stderr)
	}
	packed := filepath.Join(dir, ".git", "packed-refs")
	for _, order := range [][2]string{{clean, key}, {key, clean}} {
		text := fmt.Sprintf("# pack-refs with: peeled fully-peeled sorted \n%s refs/heads/x\n%s refs/heads/x\n", order[0], order[1])
		if err := os.WriteFile(packed, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		r := keyscanIn(t, dir, "history", "--strict", ".")
		if r.code != 1 || !strings.Contains(r.stdout, "k.ini") || !strings.Contains(r.stderr, "packed-refs lists refs/heads/x 2 times") {
			t.Errorf("x listed %.7s then %.7s: exit %d, want 1 with k.ini and a warning\n%s%s", order[0], order[1], r.code, r.stdout, r.stderr)
		}
		r = keyscanIn(t, dir, "history", "--ref", "x", ".")
		if r.code != 1 || !strings.Contains(r.stdout, "k.ini") {
			t.Errorf("--ref x, x listed %.7s then %.7s: exit %d, want 1 with k.ini\n%s%s", order[0], order[1], r.code, r.stdout, r.stderr)
		}
	}
	// A loose ref wins over packed-refs, as in git.
	text := fmt.Sprintf("# pack-refs with: peeled fully-peeled sorted \n%s refs/heads/x\n", clean)
	if err := os.WriteFile(packed, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	writeRepoFile(t, dir, ".git/refs/heads/x", key+"\n")
	if got := strings.TrimSpace(gitOK(t, dir, "rev-parse", "x")); got != key {
		t.Fatalf("git resolves x to %s, want the loose ref's %s", got, key)
	}
	if r := keyscanIn(t, dir, "history", "--strict", "."); r.code != 1 || !strings.Contains(r.stdout, "k.ini") {
		t.Errorf("loose ref beside its packed twin: exit %d, want 1 with k.ini\n%s%s", r.code, r.stdout, r.stderr)
	}
}
