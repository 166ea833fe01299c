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

// TestPreReceiveImporters: the gate refuses a push whose commit changes
// only the imported package, naming the importer that spells the key in
// the pushed commit's tree; a later push that leaves the key as its
// parent had it passes.
func TestPreReceiveImporters(t *testing.T) {
	g := fakekey.New(3407)
	s := newServer(t)
	id := g.KeyID("AKIA")
	importerModule(t, s.clone, "eu-west", "x", id[8:])
	gitOK(t, s.clone, "add", "-A")
	gitOK(t, s.clone, "commit", "-q", "-m", "app")
	s.mustPush("origin", "main")

	s.commit("internal/cfg/cfg.go", fmt.Sprintf("package cfg\n\nconst Head = %q\n\nconst Tail = \"x\"\n", id[:8]), "head")
	s.mustRefuse([]string{"app/app.go", id[len(id)-4:]}, "origin", "main")

	// Let in without the gate: the next push leaves the key as it was.
	s.withoutGate(func() { s.mustPush("origin", "main") })
	s.commit("internal/cfg/other.go", "package cfg\n\nconst Region = \"eu-west-1\"\n", "region")
	s.mustPush("origin", "main")
}

// replacedModules writes, under dir, two modules of one repository: app
// imports example.com/lib/cfg, which its go.mod's replace directive (or,
// with work, a go.work's use) puts in the folder lib, and folds its head
// with the rest of the key.
func replacedModules(t *testing.T, dir, id string, work bool) {
	t.Helper()
	gomod := "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n"
	if work {
		gomod = "module example.com/app\n\ngo 1.22\n"
		writeRepoFile(t, dir, "go.work", "go 1.22\n\nuse (\n\t./app\n\t./lib\n)\n")
	}
	writeRepoFile(t, dir, "app/go.mod", gomod)
	writeRepoFile(t, dir, "lib/go.mod", "module example.com/lib\n\ngo 1.22\n")
	writeRepoFile(t, dir, "lib/cfg/cfg.go", fmt.Sprintf("package cfg\n\nconst Head = %q\n", id[:8]))
	writeRepoFile(t, dir, "app/main.go", fmt.Sprintf("package main\n\nimport \"example.com/lib/cfg\"\n\nconst ID = cfg.Head + %q\n\nfunc main() {}\n", id[8:]))
}

// TestStagedReplacedModules: staged and pre-receive read a module of the
// repository that another's replace directive or the go.work names, as
// keyscan scan does on the checkout; a replacement outside the
// repository is never read.
func TestStagedReplacedModules(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3408)
	for _, work := range []bool{false, true} {
		dir := newCommittedRepo(t)
		id := g.KeyID("AKIA")
		replacedModules(t, dir, id, work)
		r := runCmd(t, dir, nil, "keyscan", "scan", "--show-secrets", ".")
		if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "app/main.go") {
			t.Fatalf("scan (go.work %v): exit %d, want %d with the key at app/main.go\n%s%s", work, r.code, exitFindings, r.stdout, r.stderr)
		}
		gitOK(t, dir, "add", "-A")
		r = runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets")
		if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "app/main.go") {
			t.Fatalf("staged (go.work %v): exit %d, want %d with the key at app/main.go\n%s%s", work, r.code, exitFindings, r.stdout, r.stderr)
		}
	}

	// A replacement that climbs out of the repository is not read: the
	// import stays unresolved, as another module's.
	dir := newCommittedRepo(t)
	id := g.KeyID("AKIA")
	replacedModules(t, dir, id, false)
	writeRepoFile(t, dir, "app/go.mod", "module example.com/app\n\ngo 1.22\n\nreplace example.com/lib => ../../../../../../../../lib\n")
	gitOK(t, dir, "add", "-A")
	if r := runCmd(t, dir, nil, "keyscan", "staged"); r.code != 0 {
		t.Fatalf("staged, a replacement outside the repository: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestPreReceiveReplacedModules: the gate reads a module the pushed
// commit's go.mod replaces with a folder of its tree.
func TestPreReceiveReplacedModules(t *testing.T) {
	g := fakekey.New(3409)
	s := newServer(t)
	id := g.KeyID("AKIA")
	replacedModules(t, s.clone, id, false)
	gitOK(t, s.clone, "add", "-A")
	gitOK(t, s.clone, "commit", "-q", "-m", "modules")
	s.mustRefuse([]string{"app/main.go", id[len(id)-4:]}, "origin", "main")
}

// TestStagedReplacedImporters: a commit that changes only the package of
// a module another module of the repository replaces with its folder is
// found at that importer, as keyscan scan finds it on the checkout.
func TestStagedReplacedImporters(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3410)
	dir := newCommittedRepo(t)
	id := g.KeyID("AKIA")
	replacedModules(t, dir, id, false)
	writeRepoFile(t, dir, "lib/cfg/cfg.go", "package cfg\n\nconst Head = \"eu-west\"\n")
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "modules")
	writeRepoFile(t, dir, "lib/cfg/cfg.go", fmt.Sprintf("package cfg\n\nconst Head = %q\n", id[:8]))
	r := runCmd(t, dir, nil, "keyscan", "scan", "--show-secrets", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "app/main.go") {
		t.Fatalf("scan: exit %d, want %d with the key at app/main.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	gitOK(t, dir, "add", "-A")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "app/main.go") {
		t.Fatalf("staged: exit %d, want %d with the key at app/main.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
}
