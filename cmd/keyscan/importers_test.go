package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// importerModule writes, under dir, a module whose package cfg declares
// Head and Tail, and package app (same module) folds them: app/app.go
// adds a literal to cfg.Head (cfg.Head + rest), and app/join.go joins
// the two constants (cfg.Head + cfg.Tail). A deeper package, api, folds
// app's constant on (app.ID + ""). None of them spells a key while
// cfg.Head and cfg.Tail hold what head and tail say.
func importerModule(t *testing.T, dir, head, tail, rest string) {
	t.Helper()
	writeRepoFile(t, dir, "go.mod", "module example.com/shop\n\ngo 1.22\n")
	writeRepoFile(t, dir, "internal/cfg/cfg.go", fmt.Sprintf("package cfg\n\nconst Head = %q\n\nconst Tail = %q\n", head, tail))
	writeRepoFile(t, dir, "app/app.go", fmt.Sprintf("package app\n\nimport \"example.com/shop/internal/cfg\"\n\nconst ID = cfg.Head + %q\n", rest))
	writeRepoFile(t, dir, "app/join.go", "package app\n\nimport \"example.com/shop/internal/cfg\"\n\nconst Joined = cfg.Head + cfg.Tail\n")
}

// TestStagedImporters: a commit that changes only the imported package
// (cfg.Head made the head of a key ID that an unchanged app completes) is
// found by keyscan staged at the importer's line, as keyscan scan finds
// it on the checked-out tree.
func TestStagedImporters(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3401)
	dir := newCommittedRepo(t)
	id := g.KeyID("AKIA")
	importerModule(t, dir, "eu-west", "x", id[8:])
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "app")
	if r := runCmd(t, dir, nil, "keyscan", "scan", "."); r.code != 0 {
		t.Fatalf("scan before: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}

	// Only cfg changes: its Head now starts the key app.go completes.
	writeRepoFile(t, dir, "internal/cfg/cfg.go", fmt.Sprintf("package cfg\n\nconst Head = %q\n\nconst Tail = \"x\"\n", id[:8]))
	r := runCmd(t, dir, nil, "keyscan", "scan", "--show-secrets", "--format", "json", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, `"file": "app/app.go"`) {
		t.Fatalf("scan: exit %d, want %d with the key at app/app.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	scanOut := r.stdout
	gitOK(t, dir, "add", "-A")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets", "--format", "json")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, `"file": "app/app.go"`) || !strings.Contains(r.stdout, `"line": 5`) {
		t.Fatalf("staged: exit %d, want %d with the key at app/app.go:5\nscan:\n%s\nstaged:\n%s%s", r.code, exitFindings, scanOut, r.stdout, r.stderr)
	}
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "head")

	// A commit that leaves the key as it was adds nothing: app's key is
	// HEAD's already.
	writeRepoFile(t, dir, "internal/cfg/other.go", "package cfg\n\nconst Region = \"eu-west-1\"\n")
	gitOK(t, dir, "add", "-A")
	if r := runCmd(t, dir, nil, "keyscan", "staged"); r.code != 0 {
		t.Fatalf("staged, the key HEAD's already: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestStagedAllImporters: staged --all reads the work tree's version of
// the imported package, and finds the key its unchanged importer folds.
func TestStagedAllImporters(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3402)
	dir := newCommittedRepo(t)
	id := g.KeyID("AKIA")
	importerModule(t, dir, "eu-west", "x", id[8:])
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "app")
	writeRepoFile(t, dir, "internal/cfg/cfg.go", fmt.Sprintf("package cfg\n\nconst Head = %q\n\nconst Tail = \"x\"\n", id[:8]))
	r := runCmd(t, dir, nil, "keyscan", "staged", "--all", "--show-secrets")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "app/app.go") {
		t.Fatalf("staged --all: exit %d, want %d with the key at app/app.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
}


// TestStagedImportersBudget: the importers of a changed package are
// charged to the commit's type-check budget smallest first: a small one
// that folds the key, named last, is checked before forty large ones
// that spend the budget, which are a gap (exit 2) said with the key.
func TestStagedImportersBudget(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3404)
	dir := newCommittedRepo(t)
	id := g.KeyID("AKIA")
	importerModule(t, dir, "eu-west", "x", id[8:])
	gitOK(t, dir, "mv", "app", "zz") // named after the pads
	body := strings.Repeat("\tx = 1\n", padBodyLines)
	for i := range padFiles {
		writeRepoFile(t, dir, fmt.Sprintf("pad%02d/pad.go", i), fmt.Sprintf("package pad\n\nimport \"example.com/shop/internal/cfg\"\n\nconst Head = \"AKIA\"\n\nvar _ = cfg.Tail\n\nfunc f() {\n\tx := 0\n%s}\n", body))
	}
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "pads")
	writeRepoFile(t, dir, "internal/cfg/cfg.go", fmt.Sprintf("package cfg\n\nconst Head = %q\n\nconst Tail = \"x\"\n", id[:8]))
	gitOK(t, dir, "add", "-A")
	r := runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets", "--format", "json")
	if r.code != 2 || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, `"file": "zz/app.go"`) || !strings.Contains(r.stdout, `"reason": "typecheck"`) {
		t.Fatalf("staged: exit %d, want 2 with the key at zz/app.go and a typecheck gap\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestStagedImporterHead: an importer that holds the head itself
// ("AKIA" + rest.Tail: a candidate of its own, which keyscan scan
// type-checks) spells a key when a commit changes only the package that
// holds the rest.
func TestStagedImporterHead(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3405)
	dir := newCommittedRepo(t)
	id := g.KeyID("AKIA")
	writeRepoFile(t, dir, "go.mod", "module example.com/shop\n\ngo 1.22\n")
	writeRepoFile(t, dir, "rest/rest.go", "package rest\n\nconst Tail = \"x\"\n")
	writeRepoFile(t, dir, "app/tail.go", fmt.Sprintf("package app\n\nimport \"example.com/shop/rest\"\n\nconst Other = %q + rest.Tail\n", id[:4]))
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "app")
	writeRepoFile(t, dir, "rest/rest.go", fmt.Sprintf("package rest\n\nconst Tail = %q\n", id[4:]))
	r := runCmd(t, dir, nil, "keyscan", "scan", "--show-secrets", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "app/tail.go") {
		t.Fatalf("scan: exit %d, want %d with the key at app/tail.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	gitOK(t, dir, "add", "-A")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "app/tail.go") {
		t.Fatalf("staged: exit %d, want %d with the key at app/tail.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
}

// TestGoStarts: a file whose constants may start a key ID, carry one on,
// or end one passes; ordinary code does not.
func TestGoStarts(t *testing.T) {
	id := fakekey.New(3406).KeyID("AKIA")
	for _, c := range []struct {
		src  string
		want bool
	}{
		{fmt.Sprintf("const Head = %q\n", id[:8]), true},
		{fmt.Sprintf("const Head = %q + %q\n", id[:2], id[2:4]), true},
		{fmt.Sprintf("import \"example.com/m/base\"\n\nconst Mid = base.Pre + %q\n", id[4:8]), true},
		{fmt.Sprintf("const Rest = %q\n", id[4:]), true},
		{"const Region = \"eu-west-1\"\n\nfunc f() string { return \"a\" + \"b\" }\n", false},
		{"const Word = \"ABCDEFG\"\nconst Long = \"ABCDEFGHIJKLMNOPQRSTUVW\"\nconst Esc = \"x\\\"ABCDEFGHI\"\n", false},
	} {
		if got := goStarts([]byte("package cfg\n\n" + c.src)); got != c.want {
			t.Errorf("goStarts(%q) = %v, want %v", c.src, got, c.want)
		}
	}
}
