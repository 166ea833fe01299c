package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// crossPackageKey writes, under dir, a module whose package cfg holds the
// head of a key ID and package app (same module) folds it with the rest:
// keyscan scan finds it, reading cfg from the module (analyzer's source
// importer). It returns the key ID.
func crossPackageKey(t *testing.T, dir string, g *fakekey.Gen) string {
	t.Helper()
	id := g.KeyID("AKIA")
	writeRepoFile(t, dir, "go.mod", "module example.com/shop\n\ngo 1.22\n")
	writeRepoFile(t, dir, "internal/cfg/cfg.go", fmt.Sprintf("package cfg\n\nconst Head = %q\n", id[:8]))
	writeRepoFile(t, dir, "app/app.go", fmt.Sprintf("package app\n\nimport \"example.com/shop/internal/cfg\"\n\nconst ID = cfg.Head + %q\n", id[8:]))
	return id
}

// bigGoFile is a Go file of package pkg past the bound of one file's type
// check (content.MaxGoTokens), with no quote: no candidate of its own.
func bigGoFile(pkg string) string {
	var big strings.Builder
	fmt.Fprintf(&big, "package %s\n\n", pkg)
	for i := 0; i < 60_000; i++ {
		fmt.Fprintf(&big, "var v%d = %d\n", i, i)
	}
	return big.String()
}

// TestStagedModulePackages: a key folded across two packages of one
// module is found by keyscan staged as by keyscan scan: the imported
// package is read from the index. One too large to type-check makes the
// importing file a gap; a package of another module stays unresolved.
func TestStagedModulePackages(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3301)
	dir := newCommittedRepo(t)
	id := crossPackageKey(t, dir, g)
	r := runCmd(t, dir, nil, "keyscan", "scan", "--show-secrets", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) {
		t.Fatalf("scan: exit %d, want %d with the key\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	gitOK(t, dir, "add", "-A")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "app/app.go") {
		t.Fatalf("staged: exit %d, want %d with the key at app/app.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}

	// The imported package past the bound of a type check: the importing
	// file is a gap, exit 2, not a pass.
	writeRepoFile(t, dir, "internal/cfg/big.go", bigGoFile("cfg"))
	gitOK(t, dir, "add", "-A")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--format", "json")
	if r.code != 2 || !strings.Contains(r.stdout, `"reason": "typecheck-size"`) || !strings.Contains(r.stderr, "app/app.go") {
		t.Fatalf("an imported package too large: exit %d, want 2 with a typecheck-size gap naming app/app.go\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A package of another module (a dependency) stays unresolved: no
	// gap, as keyscan scan does not read it either.
	gitOK(t, dir, "rm", "-q", "--cached", "internal/cfg/big.go")
	writeRepoFile(t, dir, "app/app.go", fmt.Sprintf("package app\n\nimport \"example.org/other/cfg\"\n\nconst ID = cfg.Head + %q\n", id[8:]))
	gitOK(t, dir, "add", "app")
	r = runCmd(t, dir, nil, "keyscan", "staged")
	if r.code != 0 {
		t.Fatalf("another module's package: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestPreReceiveModulePackages: the gate refuses a push whose commit
// folds a key across two packages of its module, or across two files of
// one folder, reading them from the pushed commit's tree; an imported
// package too large to type-check is a gap, which the gate refuses; an
// import of another module is left unresolved, as by keyscan scan.
func TestPreReceiveModulePackages(t *testing.T) {
	g := fakekey.New(3302)
	s := newServer(t)
	base := s.head()
	id := crossPackageKey(t, s.clone, g)
	gitOK(t, s.clone, "add", "-A")
	gitOK(t, s.clone, "commit", "-q", "-m", "app")
	s.mustRefuse([]string{"app/app.go"}, "origin", "main")

	// Two files of one folder: a head in a.go completed in b.go.
	gitOK(t, s.clone, "reset", "-q", "--hard", base)
	id2, secret := g.KeyID("AKIA"), g.Secret()
	writeRepoFile(t, s.clone, "sf/a.go", fmt.Sprintf("package sf\n\nconst idHead = %q\nconst secHead = %q\n", id2[:8], secret[:20]))
	writeRepoFile(t, s.clone, "sf/b.go", fmt.Sprintf("package sf\n\nconst AccessKeyID = idHead + %q\nconst SecretAccessKey = secHead + %q\n", id2[8:], secret[20:]))
	gitOK(t, s.clone, "add", "-A")
	gitOK(t, s.clone, "commit", "-q", "-m", "sf")
	s.mustRefuse([]string{"sf/b.go"}, "origin", "main")

	// The imported package past the bound of a type check: a gap.
	gitOK(t, s.clone, "reset", "-q", "--hard", base)
	crossPackageKey(t, s.clone, g)
	writeRepoFile(t, s.clone, "internal/cfg/big.go", bigGoFile("cfg"))
	gitOK(t, s.clone, "add", "-A")
	gitOK(t, s.clone, "commit", "-q", "-m", "big")
	s.mustRefuse([]string{"not type-checked", "app/app.go"}, "origin", "main")

	// Another module's package: unresolved, no gap; the push passes.
	gitOK(t, s.clone, "reset", "-q", "--hard", base)
	writeRepoFile(t, s.clone, "go.mod", "module example.com/shop\n\ngo 1.22\n")
	writeRepoFile(t, s.clone, "app/app.go", fmt.Sprintf("package app\n\nimport \"example.org/other/cfg\"\n\nconst ID = cfg.Head + %q\n", id[8:]))
	gitOK(t, s.clone, "add", "-A")
	gitOK(t, s.clone, "commit", "-q", "-m", "other")
	s.mustPush("origin", "main")
}
