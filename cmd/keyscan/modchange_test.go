package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/content"
)

// replaceLater writes, under dir, a module app whose main.go folds
// lib.Head with the rest of a key ID, and a module in the folder xlib
// (module path example.com/lib) whose Head is the key ID's head. app's
// go.mod requires example.com/lib from elsewhere: nothing of the
// repository spells the key until a replace directive puts the module in
// ./xlib.
func replaceLater(t *testing.T, dir, id string) {
	t.Helper()
	writeRepoFile(t, dir, "go.mod", "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n")
	writeRepoFile(t, dir, "xlib/go.mod", "module example.com/lib\n\ngo 1.22\n")
	writeRepoFile(t, dir, "xlib/lib.go", fmt.Sprintf("package lib\n\nconst Head = %q\n", id[:8]))
	writeRepoFile(t, dir, "main.go", fmt.Sprintf("package main\n\nimport \"example.com/lib\"\n\nconst ID = lib.Head + %q\n\nfunc main() {}\n", id[8:]))
}

// withReplace is replaceLater's go.mod with the replace directive.
const withReplace = "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n\nreplace example.com/lib => ./xlib\n"

// TestStagedGoModReplace: a commit that changes only go.mod, adding a
// replace directive that puts the imported module in a folder of the
// repository whose constant the importer completes, is found at the
// importer, as keyscan scan finds it on the checkout (qa: staged said
// clean). A commit that changes only a require line of the same go.mod
// checks no importer again (the key is HEAD's then).
func TestStagedGoModReplace(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3601)
	dir := newCommittedRepo(t)
	id := g.KeyID("AKIA")
	replaceLater(t, dir, id)
	gitOK(t, dir, "add", "-A")
	if r := runCmd(t, dir, nil, "keyscan", "staged"); r.code != 0 {
		t.Fatalf("staged before the replace: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, dir, "commit", "-q", "-m", "modules")

	writeRepoFile(t, dir, "go.mod", withReplace)
	r := runCmd(t, dir, nil, "keyscan", "scan", "--show-secrets", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "main.go") {
		t.Fatalf("scan: exit %d, want %d with the key at main.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	gitOK(t, dir, "add", "-A")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets", "--format", "json")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, `"file": "main.go"`) || !strings.Contains(r.stdout, `"line": 5`) {
		t.Fatalf("staged: exit %d, want %d with the key at main.go:5\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "replace")

	// A later go.mod change that leaves the replacement as it was adds
	// nothing: the key is HEAD's.
	writeRepoFile(t, dir, "go.mod", strings.Replace(withReplace, "v1.0.0", "v1.2.0", 1))
	gitOK(t, dir, "add", "-A")
	if r := runCmd(t, dir, nil, "keyscan", "staged"); r.code != 0 {
		t.Fatalf("staged, a require bumped: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestStagedGoWorkUse: a commit that adds only a go.work whose use
// entries put the imported module in a folder of the repository is found
// at the importer. Then go.work edits decide where app's import resolves
// as the go command decides it (qa36 M8): a go.work's replace directive
// over app's go.mod replacing the module elsewhere (changed: found), a
// workspace module over app's go.mod replacing it with the key's folder
// (clean), and that go.work removed, the go.mod's replace the build's
// again (found).
func TestStagedGoWorkUse(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3602)
	dir := newCommittedRepo(t)
	id := g.KeyID("AKIA")
	writeRepoFile(t, dir, "app/go.mod", "module example.com/app\n\ngo 1.22\n")
	writeRepoFile(t, dir, "app/main.go", fmt.Sprintf("package main\n\nimport \"example.com/lib\"\n\nconst ID = lib.Head + %q\n\nfunc main() {}\n", id[8:]))
	writeRepoFile(t, dir, "xlib/go.mod", "module example.com/lib\n\ngo 1.22\n")
	writeRepoFile(t, dir, "xlib/lib.go", fmt.Sprintf("package lib\n\nconst Head = %q\n", id[:8]))
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "modules")

	writeRepoFile(t, dir, "go.work", "go 1.22\n\nuse (\n\t./app\n\t./xlib\n)\n")
	r := runCmd(t, dir, nil, "keyscan", "scan", "--show-secrets", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "app/main.go") {
		t.Fatalf("scan: exit %d, want %d with the key at app/main.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	gitOK(t, dir, "add", "-A")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "app/main.go") {
		t.Fatalf("staged: exit %d, want %d with the key at app/main.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "work")

	const appMod = "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n\nreplace example.com/lib => %s\n"
	for _, step := range []struct {
		what  string
		files map[string]string // "": removed
		found bool
	}{
		{"go.work uses app only, app's go.mod replaces lib with safelib", map[string]string{
			"safelib/go.mod": "module example.com/lib\n\ngo 1.22\n", "safelib/lib.go": "package lib\n\nconst Head = \"hello\"\n",
			"app/go.mod": fmt.Sprintf(appMod, "../safelib"), "go.work": "go 1.22\n\nuse ./app\n"}, false},
		{"go.work's replace over the go.mod's", map[string]string{"go.work": "go 1.22\n\nuse ./app\n\nreplace example.com/lib => ./xlib\n"}, true},
		{"a workspace module over the go.mod's replace", map[string]string{"app/go.mod": fmt.Sprintf(appMod, "../xlib"), "go.work": "go 1.22\n\nuse (\n\t./app\n\t./safelib\n)\n"}, false},
		{"go.work removed", map[string]string{"go.work": ""}, true},
	} {
		for name, body := range step.files {
			if body == "" {
				gitOK(t, dir, "rm", "-q", name)
				continue
			}
			writeRepoFile(t, dir, name, body)
		}
		gitOK(t, dir, "add", "-A")
		want := exitClean
		if step.found {
			want = exitFindings
		}
		r := runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets")
		if r.code != want || step.found && !strings.Contains(r.stdout, id) {
			t.Fatalf("staged, %s: exit %d, want %d\n%s%s", step.what, r.code, want, r.stdout, r.stderr)
		}
		gitOK(t, dir, "commit", "-q", "--no-verify", "-m", step.what)
	}
}

// TestPreReceiveGoModReplace: the gate refuses a push whose commit
// changes only go.mod, adding the replace directive that makes the
// unchanged importer spell a key in the pushed commit's tree.
func TestPreReceiveGoModReplace(t *testing.T) {
	g := fakekey.New(3603)
	s := newServer(t)
	id := g.KeyID("AKIA")
	replaceLater(t, s.clone, id)
	gitOK(t, s.clone, "add", "-A")
	gitOK(t, s.clone, "commit", "-q", "-m", "modules")
	s.mustPush("origin", "main")

	s.commit("go.mod", withReplace, "replace")
	s.mustRefuse([]string{"main.go", id[len(id)-4:]}, "origin", "main")
}

// vendoredModule writes, under dir, a module whose main.go folds the
// constant Head of the vendored package example.com/dep/x with the rest
// of a key ID; x's Head is head, and vendor/modules.txt lists the
// packages listed (none: there is no vendor/modules.txt, and the go
// command does not read vendor/).
func vendoredModule(t *testing.T, dir, id, head string, listed ...string) {
	t.Helper()
	writeRepoFile(t, dir, "go.mod", "module example.com/app\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n")
	writeRepoFile(t, dir, "main.go", fmt.Sprintf("package main\n\nimport \"example.com/dep/x\"\n\nconst ID = x.Head + %q\n\nfunc main() { println(ID) }\n", id[8:]))
	writeRepoFile(t, dir, "vendor/example.com/dep/x/x.go", fmt.Sprintf("package x\n\nconst Head = %q\n", head))
	if len(listed) > 0 {
		writeRepoFile(t, dir, "vendor/modules.txt", "# example.com/dep v1.0.0\n## explicit\n"+strings.Join(listed, "\n")+"\n")
	}
}

// TestStagedVendored: another module's package is read from vendor/ when
// the module has a vendor/modules.txt, as go vet builds it: a commit that
// changes only the vendored package, or only adds vendor/modules.txt, is
// found at the unchanged importer.
func TestStagedVendored(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3604)
	id := g.KeyID("AKIA")

	dir := newCommittedRepo(t)
	vendoredModule(t, dir, id, "eu-west", "example.com/dep/x")
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "vendored")
	writeRepoFile(t, dir, "vendor/example.com/dep/x/x.go", fmt.Sprintf("package x\n\nconst Head = %q\n", id[:8]))
	gitOK(t, dir, "add", "-A")
	r := runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets", "--format", "json")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, `"file": "main.go"`) {
		t.Fatalf("staged, the vendored package changed: exit %d, want %d with the key at main.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}

	dir = newCommittedRepo(t)
	vendoredModule(t, dir, id, id[:8])
	gitOK(t, dir, "add", "-A")
	if r := runCmd(t, dir, nil, "keyscan", "staged"); r.code != 0 {
		t.Fatalf("staged, no vendor/modules.txt: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, dir, "commit", "-q", "-m", "vendored")
	writeRepoFile(t, dir, "vendor/modules.txt", "# example.com/dep v1.0.0\n## explicit\nexample.com/dep/x\n")
	gitOK(t, dir, "add", "-A")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets", "--format", "json")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, `"file": "main.go"`) {
		t.Fatalf("staged, modules.txt changed: exit %d, want %d with the key at main.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}

	// A workspace's vendor/ (go work vendor) beside its go.work: the
	// vendored package changed, then its modules.txt added again.
	dir = newCommittedRepo(t)
	vendoredModule(t, dir, id, "eu-west", "example.com/dep/x")
	for _, name := range []string{"go.mod", "main.go"} {
		if err := os.MkdirAll(filepath.Join(dir, "app"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(dir, name), filepath.Join(dir, "app", name)); err != nil {
			t.Fatal(err)
		}
	}
	writeRepoFile(t, dir, "go.work", "go 1.22\n\nuse ./app\n")
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "workspace")
	writeRepoFile(t, dir, "vendor/example.com/dep/x/x.go", fmt.Sprintf("package x\n\nconst Head = %q\n", id[:8]))
	gitOK(t, dir, "add", "-A")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets", "--format", "json")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, `"file": "app/main.go"`) {
		t.Fatalf("staged, the go.work's vendored package changed: exit %d, want %d with the key at app/main.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "head")
	gitOK(t, dir, "rm", "-q", "vendor/modules.txt")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "unvendored")
	writeRepoFile(t, dir, "vendor/modules.txt", "# example.com/dep v1.0.0\n## explicit\nexample.com/dep/x\n")
	gitOK(t, dir, "add", "-A")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets", "--format", "json")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, `"file": "app/main.go"`) {
		t.Fatalf("staged, the go.work's modules.txt added: exit %d, want %d with the key at app/main.go\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
}

// TestPreReceiveVendored: the gate refuses a push whose commit only adds
// vendor/modules.txt, making the unchanged importer spell a key with the
// vendored package the go command now builds.
func TestPreReceiveVendored(t *testing.T) {
	g := fakekey.New(3605)
	s := newServer(t)
	id := g.KeyID("AKIA")
	vendoredModule(t, s.clone, id, id[:8])
	gitOK(t, s.clone, "add", "-A")
	gitOK(t, s.clone, "commit", "-q", "-m", "vendored")
	s.mustPush("origin", "main")

	s.commit("vendor/modules.txt", "# example.com/dep v1.0.0\n## explicit\nexample.com/dep/x\n", "list x")
	s.mustRefuse([]string{"main.go", id[len(id)-4:]}, "origin", "main")
}

// TestStagedGoModBudget: the importers a go.mod change makes read
// another folder are charged to the commit's type-check budget, smallest
// first: forty large candidates importing the replaced module spend it
// after the small importer that folds the key, and are a gap (exit 2),
// said with the key: a go.mod change in a large module does not check
// it whole without a bound. The same commit changes the head of a chain
// of three packages (c's "AKIA…", b's constant going on with four
// characters, app's line completing it): app, the largest candidate, is
// charged last and is in the gap, its key unreported; with the pads out
// of the commit it is checked and its key found.
func TestStagedGoModBudget(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3606)
	dir := newCommittedRepo(t)
	id := g.KeyID("AKIA")
	replaceLater(t, dir, id)
	body := strings.Repeat("\tx = 1\n", padBodyLines)
	for i := range padFiles {
		writeRepoFile(t, dir, fmt.Sprintf("pad%02d/pad.go", i), fmt.Sprintf("package pad\n\nimport \"example.com/lib\"\n\nconst Head = \"AKIA\"\n\nvar _ = lib.Head\n\nfunc f() {\n\tx := 0\n%s}\n", body))
	}
	chain := g.KeyID("AKIA")
	writeRepoFile(t, dir, "ch/c/c.go", "package c\n\nconst Head = \"zzzz\"\n")
	writeRepoFile(t, dir, "ch/b/b.go", fmt.Sprintf("package b\n\nimport \"example.com/app/ch/c\"\n\nconst Mid = c.Head + %q\n", chain[4:8]))
	writeRepoFile(t, dir, "ch/app/app.go", fmt.Sprintf("package app\n\nimport \"example.com/app/ch/b\"\n\nvar ID = b.Mid + %q\n\nfunc f() {\n\tx := 0\n%s%s}\n", chain[8:], body, strings.Repeat("\tx = 2\n", 100)))
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "pads")
	writeRepoFile(t, dir, "go.mod", withReplace)
	writeRepoFile(t, dir, "ch/c/c.go", fmt.Sprintf("package c\n\nconst Head = %q\n", chain[:4]))
	gitOK(t, dir, "add", "-A")
	r := runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets", "--format", "json")
	if r.code != 2 || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, `"file": "main.go"`) || !strings.Contains(r.stdout, `"reason": "typecheck"`) || strings.Contains(r.stdout, chain) {
		t.Fatalf("staged: exit %d, want 2 with the key at main.go, a typecheck gap and not ch/app's key\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, dir, "rm", "-r", "-q", "--cached", "--", "pad*")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--show-secrets", "--format", "json")
	if r.code != exitFindings || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, chain) || !strings.Contains(r.stdout, `"file": "ch/app/app.go"`) {
		t.Fatalf("staged, the pads out: exit %d, want %d with both keys\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
}

// TestGoModUnreadable: a go.mod change whose go.mod is past the bound
// of one read (4 MiB) leaves where imports resolve unknown: staged and
// the gate say so and exit 2 (the push is refused), never clean.
func TestGoModUnreadable(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3607)
	id := g.KeyID("AKIA")
	huge := withReplace + strings.Repeat("// padding, not a key: lorem ipsum dolor sit amet\n", 100_000)

	dir := newCommittedRepo(t)
	replaceLater(t, dir, id)
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "modules")
	writeRepoFile(t, dir, "go.mod", huge)
	gitOK(t, dir, "add", "-A")
	r := runCmd(t, dir, nil, "keyscan", "staged")
	if r.code != 2 || !strings.Contains(r.stderr, "go.mod: the Go files whose imports it resolves elsewhere could not be told") {
		t.Fatalf("staged: exit %d, want 2 with the go.mod named\n%s%s", r.code, r.stdout, r.stderr)
	}

	s := newServer(t)
	replaceLater(t, s.clone, id)
	gitOK(t, s.clone, "add", "-A")
	gitOK(t, s.clone, "commit", "-q", "-m", "modules")
	s.mustPush("origin", "main")
	s.commit("go.mod", huge, "huge go.mod")
	s.mustRefuse([]string{"go.mod"}, "origin", "main")
}

// TestHookGoTooLargeBound: the typecheck-size gap's text gives the bound
// of one file's type check as a number, the one content.MaxGoTokens
// holds (it printed the Go name).
func TestHookGoTooLargeBound(t *testing.T) {
	n := strconv.Itoa(content.MaxGoTokens)
	want := fmt.Sprintf("over %s,%s tokens", n[:len(n)-3], n[len(n)-3:])
	if !strings.Contains(hookGoTooLarge, want) || strings.Contains(hookGoTooLarge, "content.") {
		t.Errorf("hookGoTooLarge = %q, want %q in it and no Go name", hookGoTooLarge, want)
	}
}

// TestCommitHookGoModReplace: git commit, through the pre-commit hook
// keyscan hook install writes, refuses the commit that only adds the
// replace directive (git commit -a too, whose index is a temporary one),
// and HEAD does not move.
func TestCommitHookGoModReplace(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3609)
	id := g.KeyID("AKIA")
	dir := newCommittedRepo(t)
	replaceLater(t, dir, id)
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "modules")
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install"); r.code != 0 {
		t.Fatalf("hook install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	head := gitOK(t, dir, "rev-parse", "HEAD")
	writeRepoFile(t, dir, "go.mod", withReplace)
	for _, args := range [][]string{{"commit", "-q", "-a", "-m", "replace"}, {"commit", "-q", "-m", "replace"}} {
		if args[2] != "-a" {
			gitOK(t, dir, "add", "go.mod")
		}
		r := gitRun(t, dir, nil, args...)
		if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "main.go") {
			t.Errorf("git %s: exit %d, want refused naming main.go\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
		if now := gitOK(t, dir, "rev-parse", "HEAD"); now != head {
			t.Fatalf("git %s committed: HEAD %s, was %s", strings.Join(args, " "), now, head)
		}
	}
}
