package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestStagedSplitFiles: a key ID and secret whose heads one file of a
// package declares and another file completes are found by keyscan
// staged, as keyscan scan and go vet find them (qa31 F2): the candidate
// is type-checked with the index's versions of its folder's other Go
// files. Both ways round: the file holding the heads is the candidate
// (a.go), or the file that adds to a name it does not declare is (c.go).
// A sibling that cannot be type-checked (past the bound of one file) makes
// the candidate a gap, exit 2.
func TestStagedSplitFiles(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3203)
	id, secret := g.KeyID("AKIA"), g.Secret()
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, "sf/a.go", fmt.Sprintf("package sf\n\nconst idHead = %q\nconst secHead = %q\n", id[:8], secret[:20]))
	writeRepoFile(t, dir, "sf/b.go", fmt.Sprintf("package sf\n\nconst AccessKeyID = idHead + %q\nconst SecretAccessKey = secHead + %q\n", id[8:], secret[20:]))
	gitOK(t, dir, "add", "-A")
	r := runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "sf/b.go  fix") || !strings.Contains(r.stdout, "2 findings in 1 file") {
		t.Fatalf("heads in a.go, joined in b.go: exit %d, want %d with the key once at sf/b.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	gitOK(t, dir, "reset", "-q")

	id2 := g.KeyID("AKIA")
	writeRepoFile(t, dir, "sg/a.go", fmt.Sprintf("package sg\n\nconst idMid = %q\n", id2[2:8]))
	writeRepoFile(t, dir, "sg/c.go", fmt.Sprintf("package sg\n\nconst AccessKeyID = %q + idMid + %q\n", id2[:2], id2[8:]))
	gitOK(t, dir, "add", "sg")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets")
	if r.code != exitFindings || !strings.Contains(r.stdout, id2) || !strings.Contains(r.stdout, "sg/c.go  fix") || !strings.Contains(r.stdout, "1 finding in 1 file") {
		t.Fatalf("c.go adds a.go's constant: exit %d, want %d with the key once at sg/c.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}

	// A sibling past the bound of one file's type check: the candidate is a gap.
	// It names idMid and holds no quote: no candidate of its own.
	var big strings.Builder
	big.WriteString("package sg\n\nvar _ = idMid\n\n")
	for i := 0; i < 60_000; i++ {
		fmt.Fprintf(&big, "var v%d = %d\n", i, i)
	}
	writeRepoFile(t, dir, "sg/big.go", big.String())
	gitOK(t, dir, "add", "sg")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--format", "json")
	if r.code != 2 || !strings.Contains(r.stdout, `"reason": "typecheck-size"`) || !strings.Contains(r.stderr, "sg/c.go") {
		t.Fatalf("a sibling too large: exit %d, want 2 with a typecheck-size gap\n%s%s", r.code, r.stdout, r.stderr)
	}
}
