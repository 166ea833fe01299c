package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// goBudgetFiles are the files of a push or commit past the type-check
// budget (goCheckBudget): candidate Go files (a key head literal) of
// padSize bytes each, most of it a comment, which go/types reads fast and
// the budget charges in full: a bound in bytes, not in time, so these
// files cost the test little and the gate as much as any. goCheckBudget
// takes goBudgetFit of them whole; the next, in path order, and every
// file after it are left to the byte scan.
const (
	padFiles    = 40
	padSize     = 1_000_000
	goBudgetFit = goCheckBudget / padSize // 33
)

func writeGoBudgetFiles(t *testing.T, dir string) {
	t.Helper()
	pad := strings.Repeat("// generated table, not a key: lorem ipsum dolor sit amet consectetur\n", padSize/70+1)
	for i := range padFiles {
		head := fmt.Sprintf("package pad\n\nconst Head%02d = \"AKIA\"\n\n", i)
		src := head + pad[:padSize-len(head)]
		writeRepoFile(t, dir, fmt.Sprintf("pad/pad%02d.go", i), src)
	}
}

// builtKey is a Go file whose key only the type-checked reading finds:
// strings.ToUpper of its lower-case form.
func builtKey(g *fakekey.Gen) (string, string) {
	id := g.KeyID("AKIA")
	return id, fmt.Sprintf("package built\n\nimport \"strings\"\n\nvar K = strings.ToUpper(%q)\n", strings.ToLower(id))
}

// TestPreReceiveGoBudget: a push of many candidate Go files is type-checked
// up to the push's budget, in path order, and the rest left to the byte
// scan with one warning that says how many (fix32b). A key built in a file
// before that point is refused; one built past it is not known, which
// --strict (strict = true) refuses as a push it could not check whole; a
// key the byte scan finds past it is refused as always.
func TestPreReceiveGoBudget(t *testing.T) {
	g := fakekey.New(3201)
	s := newServer(t)
	writeGoBudgetFiles(t, s.clone)
	leftWarning := func(n int) string {
		return fmt.Sprintf("%d Go files left to the byte scan, not type-checked (from pad/pad%02d.go on, in path order)", n, goBudgetFit)
	}

	// Before the budget is spent: found by the type check. The pads
	// past it are left.
	id, src := builtKey(g)
	writeRepoFile(t, s.clone, "a/built.go", src)
	s.commit("README.md", "# project\n\npadded\n", "pads and an early built key")
	s.mustRefuse([]string{id[len(id)-4:], "a/built.go", leftWarning(padFiles - goBudgetFit)}, "origin", "main")
	// The pads past the budget and the built key after them.
	warning := leftWarning(padFiles - goBudgetFit + 1)

	// Past it: a key the byte scan finds is refused as always.
	gitOK(t, s.clone, "rm", "-q", "a/built.go")
	_, lateSrc := builtKey(g)
	writeRepoFile(t, s.clone, "z/built.go", lateSrc)
	writeRepoFile(t, s.clone, "z/zz.go", "package z\n\nconst creds = `"+fakeCredsFile(g)+"`\n")
	gitOK(t, s.clone, "add", "-A")
	gitOK(t, s.clone, "commit", "-q", "--amend", "-m", "pads, a late built key and a plain one")
	r := s.mustRefuse([]string{"z/zz.go:4", "Go files left to the byte scan", fmt.Sprintf("(from pad/pad%02d.go on, in path order)", goBudgetFit)}, "origin", "main")
	if strings.Contains(r.stderr, "z/built.go:") {
		t.Errorf("the file past the budget was type-checked:\n%s", r.stderr)
	}

	// Without it, the key the late file builds is not known, and the
	// push is accepted with the warning.
	gitOK(t, s.clone, "rm", "-q", "z/zz.go")
	gitOK(t, s.clone, "commit", "-q", "--amend", "-m", "pads and a late built key")
	r = s.push("origin", "main")
	if r.code != 0 || !strings.Contains(r.stderr, warning) || strings.Contains(r.stderr, "z/built.go:") {
		t.Fatalf("push past the budget: exit %d, want 0 with the warning %q\n%s", r.code, warning, r.stderr)
	}

	// The same push to a gate with strict = true is refused as one it
	// could not check whole.
	s2 := newServer(t)
	if err := os.WriteFile(filepath.Join(s2.bare, "keyscan.toml"), []byte("strict = true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitOK(t, s2.clone, "fetch", "-q", s.url, "main")
	gitOK(t, s2.clone, "reset", "-q", "--hard", "FETCH_HEAD")
	s2.mustRefuse([]string{"could not be checked", warning, "8 Go file(s) not type-checked", "push it in smaller parts"}, "-f", "origin", "main")
}

// TestStagedGoBudget: keyscan staged charges a commit's Go files to the
// same budget, in path order, with the same warning; --strict makes it
// exit 2 (reason typecheck in the JSON report).
func TestStagedGoBudget(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3202)
	dir := newCommittedRepo(t)
	writeGoBudgetFiles(t, dir)
	id, src := builtKey(g)
	writeRepoFile(t, dir, "a/built.go", src)
	late, lateSrc := builtKey(g)
	writeRepoFile(t, dir, "z/built.go", lateSrc)
	gitOK(t, dir, "add", "-A")
	left := padFiles - goBudgetFit + 1
	warning := fmt.Sprintf("%d Go files left to the byte scan, not type-checked (from pad/pad%02d.go on, in path order)", left, goBudgetFit)

	r := runCmd(t, dir, nil, "keyscan", "staged", "--format", "json")
	if r.code != 1 || !strings.Contains(r.stdout, id[:4]) || !strings.Contains(r.stdout, "a/built.go") || strings.Contains(r.stdout, "z/built.go") {
		t.Fatalf("staged: exit %d, want 1 for a/built.go only\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, warning) || strings.Contains(r.stdout, late[:8]) {
		t.Errorf("staged: the warning %q is missing:\n%s", warning, r.stderr)
	}
	r = runCmd(t, dir, nil, "keyscan", "staged", "--strict", "--format", "json")
	if r.code != 2 || !strings.Contains(r.stdout, `"reason": "typecheck"`) || !strings.Contains(r.stdout, fmt.Sprintf(`"count": %d`, left)) {
		t.Fatalf("staged --strict: exit %d, want 2 with a typecheck gap of %d\n%s%s", r.code, left, r.stdout, r.stderr)
	}
	// check_budget = 0 lifts the bound: the late key is found too.
	writeRepoFile(t, dir, ".keyscan.toml", "check_budget = 0\n")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--strict", "--format", "json")
	if r.code != 1 || !strings.Contains(r.stdout, "z/built.go") || strings.Contains(r.stderr, "left to the byte scan") {
		t.Fatalf("staged with check_budget = 0: exit %d, want 1 with z/built.go\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// tooManyTokens is a Go file past content.MaxGoTokens (five tokens a
// line, about 1.2 MB) that builds a key ID from two named constants: only
// the type-checked reading finds it.
func tooManyTokens(g *fakekey.Gen) (string, string) {
	id := g.KeyID("AKIA")
	var b strings.Builder
	fmt.Fprintf(&b, "package big\n\nconst idHead = %q\nconst idTail = %q\n\nvar K = idHead + idTail\n\n", id[:10], id[10:])
	for i := 0; i < 60_000; i++ {
		fmt.Fprintf(&b, "var v%d = %d\n", i, i)
	}
	return id, b.String()
}

// TestGoTooLargeGate: a candidate Go file too large to type-check alone
// is a gap of staged and pre-receive whatever --strict says, as a file
// over max_file_size is: said, exit 2, the push refused (qa29 M4: a file
// padded past the old 1 MiB bound was passed over silently, exit 0).
// check_budget = 0 type-checks it, and the key it builds is found.
func TestGoTooLargeGate(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3203)
	id, src := tooManyTokens(g)
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, "big/big.go", src)
	gitOK(t, dir, "add", "-A")
	r := runCmd(t, dir, nil, "keyscan", "staged", "--format", "json")
	if r.code != 2 || !strings.Contains(r.stdout, `"reason": "typecheck-size"`) || !strings.Contains(r.stderr, "too large for one file's type check") ||
		!strings.Contains(r.stderr, "big/big.go") {
		t.Fatalf("staged: exit %d, want 2 with a typecheck-size gap naming big/big.go\n%s%s", r.code, r.stdout, r.stderr)
	}
	writeRepoFile(t, dir, ".keyscan.toml", "check_budget = 0\n")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--format", "json")
	if r.code != 1 || !strings.Contains(r.stdout, id[len(id)-4:]) || strings.Contains(r.stderr, "type check") {
		t.Fatalf("staged with check_budget = 0: exit %d, want 1 with the built key\n%s%s", r.code, r.stdout, r.stderr)
	}

	s := newServer(t)
	writeRepoFile(t, s.clone, "big/big.go", src)
	s.commit("README.md", "# project\n", "a large generated file")
	s.mustRefuse([]string{"too large to type-check", "big/big.go"}, "origin", "main")
}
