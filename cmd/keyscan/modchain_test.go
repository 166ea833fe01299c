package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestGoModReplaceChain: a go.mod change is followed through a package
// that carries the replaced module's constant on (const Mid = lib.Head):
// the importer two packages away spells the key, and staged and the gate
// find it there, as scan and go vet do.
func TestGoModReplaceChain(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3608)
	id := g.KeyID("AKIA")
	chain := func(dir string) {
		replaceLater(t, dir, id)
		writeRepoFile(t, dir, "b/b.go", "package b\n\nimport \"example.com/lib\"\n\nconst Mid = lib.Head\n")
		writeRepoFile(t, dir, "main.go", fmt.Sprintf("package main\n\nimport \"example.com/app/b\"\n\nconst ID = b.Mid + %q\n\nfunc main() {}\n", id[8:]))
	}
	dir := newCommittedRepo(t)
	chain(dir)
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "modules")
	writeRepoFile(t, dir, "go.mod", withReplace)
	r := runCmd(t, dir, nil, "keyscan", "scan", "--show-secrets", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "main.go") {
		t.Fatalf("scan: exit %d, want %d with the key at main.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	gitOK(t, dir, "add", "-A")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets", "--format", "json")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, `"file": "main.go"`) {
		t.Fatalf("staged: exit %d, want %d with the key at main.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}

	s := newServer(t)
	chain(s.clone)
	gitOK(t, s.clone, "add", "-A")
	gitOK(t, s.clone, "commit", "-q", "-m", "modules")
	s.mustPush("origin", "main")
	s.commit("go.mod", withReplace, "replace")
	s.mustRefuse([]string{"main.go", id[len(id)-4:]}, "origin", "main")
}
