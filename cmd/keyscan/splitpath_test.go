package main

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// splitSecret returns a secret that holds a '/', for a path that splits it
// into folders.
func splitSecret(seed uint64) string {
	for g := fakekey.New(seed); ; {
		if s := g.Secret(); strings.Contains(s, "/") {
			return s
		}
	}
}

// TestSplitPathInHistoryAndGate: a secret access key saved as a path, split
// into folders by its '/', is found by history and refused by the gate as
// scan and staged find it (qa9 HIGH-3: history and pre-receive scanned each
// name alone), also where the walk meets the folder that ends it a second
// time under another path.
func TestSplitPathInHistoryAndGate(t *testing.T) {
	secret := splitSecret(9631)
	name := "keys/aws_secret_access_key=" + secret
	s := newServer(t)
	writeRepoFile(t, s.clone, name, "hello\n")
	gitOK(t, s.clone, "add", "-A")
	if r := keyscanIn(t, s.clone, "staged"); r.code != 1 {
		t.Fatalf("staged: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, s.clone, "commit", "-q", "--no-verify", "-m", "k")
	r := keyscanIn(t, s.clone, "history", ".")
	if r.code != 1 || !strings.Contains(r.stdout, "in the path") && !strings.Contains(r.stdout, "keys/aws_secret_access_key=") {
		t.Errorf("history: exit %d, want 1 naming the path\n%s%s", r.code, r.stdout, r.stderr)
	}
	s.mustRefuse([]string{"aws_secret_access_key="}, "origin", "main")

	// A folder whose tree the history held before under another name (an
	// alias in the walk): the path is found where it is met again.
	dir := newCommittedRepo(t)
	head, tail, _ := strings.Cut(secret, "/")
	writeRepoFile(t, dir, "plain/"+tail, "hello\n")
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "plain")
	if r := keyscanIn(t, dir, "history", "."); r.code != 0 {
		t.Fatalf("history before the rename: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, dir, "mv", "plain", "aws_secret_access_key="+head)
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "renamed")
	r = keyscanIn(t, dir, "history", ".")
	if r.code != 1 || !strings.Contains(r.stdout, "aws_secret_access_key=") {
		t.Errorf("history after the rename: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
}
