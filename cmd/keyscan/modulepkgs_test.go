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

// bigPackage writes under dir/folder four Go files of package pkg, each
// past the bound of one file's type check (content.MaxGoTokens), together
// past the bound of a package's (analyzer.MaxCheckTokens), with no quote:
// no candidate of their own.
func bigPackage(t *testing.T, dir, folder, pkg string) {
	t.Helper()
	for f := range 4 {
		var big strings.Builder
		fmt.Fprintf(&big, "package %s\n\n", pkg)
		for i := 0; i < 60_000; i++ {
			fmt.Fprintf(&big, "var v%d_%d = %d\n", f, i, i)
		}
		writeRepoFile(t, dir, fmt.Sprintf("%s/big%d.go", folder, f), big.String())
	}
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

	// The head built from two literals ("AKIA" + "Q2TZ"): a package with
	// pieces, whose constants any tail may complete. scan missed it.
	gitOK(t, dir, "reset", "-q")
	id3 := g.KeyID("AKIA")
	writeRepoFile(t, dir, "internal/cfg/cfg.go", fmt.Sprintf("package cfg\n\nconst Head = %q + %q\n", id3[:4], id3[4:8]))
	writeRepoFile(t, dir, "app/app.go", fmt.Sprintf("package app\n\nimport \"example.com/shop/internal/cfg\"\n\nconst ID = cfg.Head + %q\n", id3[8:]))
	r = runCmd(t, dir, nil, "keyscan", "scan", "--show-secrets", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, id3) {
		t.Fatalf("scan, a head of two literals: exit %d, want %d with the key\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	gitOK(t, dir, "add", "-A")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets")
	if r.code != exitFindings || !strings.Contains(r.stdout, id3) || !strings.Contains(r.stdout, "app/app.go") {
		t.Fatalf("staged, a head of two literals: exit %d, want %d with the key at app/app.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}

	// The imported package past the bound of a package's type check: the
	// importing file is a gap, exit 2, not a pass. (scan names its files
	// as not type-checked, a gap too.)
	bigPackage(t, dir, "internal/cfg", "cfg")
	gitOK(t, dir, "add", "-A")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--format", "json")
	if r.code != 2 || !strings.Contains(r.stdout, `"reason": "typecheck-size"`) || !strings.Contains(r.stderr, "app/app.go") {
		t.Fatalf("an imported package too large: exit %d, want 2 with a typecheck-size gap naming app/app.go\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A package of another module (a dependency) stays unresolved: no
	// gap, as keyscan scan does not read it either.
	gitOK(t, dir, "rm", "-q", "--cached", "internal/cfg/big0.go", "internal/cfg/big1.go", "internal/cfg/big2.go", "internal/cfg/big3.go")
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
	bigPackage(t, s.clone, "internal/cfg", "cfg")
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

// TestJoinedHead: a head of a key ID a + goes on with makes a package one
// with pieces (readGoBytes); a head alone, or followed by anything else,
// does not.
func TestJoinedHead(t *testing.T) {
	id := fakekey.New(3304).KeyID("AKIA")
	for _, c := range []struct {
		src  string
		want bool
	}{
		{fmt.Sprintf("const Head = %q + %q\n", id[:4], id[4:8]), true},
		{fmt.Sprintf("const Head = %q +\n\t%q\n", id[:6], id[6:8]), true},
		{fmt.Sprintf("const Head = %q\n", id[:8]), false},
		{fmt.Sprintf("var x = f(%q, 1)\n", id[:8]), false},
	} {
		if got := readGoBytes([]byte("package cfg\n\n" + c.src)).pieces; got != c.want {
			t.Errorf("pieces of %q = %v, want %v", c.src, got, c.want)
		}
	}
}

// TestStagedAllModulePackages: keyscan staged --all reads the work tree's
// versions of tracked files as the commit -a will hold them, with the
// packages of the module they import and the files of their folder.
func TestStagedAllModulePackages(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3305)
	dir := newCommittedRepo(t)
	id := crossPackageKey(t, dir, g)
	writeRepoFile(t, dir, "app/app.go", "package app\n\nconst ID = \"\"\n")
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "cfg")
	writeRepoFile(t, dir, "app/app.go", fmt.Sprintf("package app\n\nimport \"example.com/shop/internal/cfg\"\n\nconst ID = cfg.Head + %q\n", id[8:]))
	r := runCmd(t, dir, nil, "keyscan", "staged", "--all", "--show-secrets")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "app/app.go") {
		t.Fatalf("staged --all: exit %d, want %d with the key at app/app.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
}
