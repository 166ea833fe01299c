package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/content"
)

// goBudgetFiles are the files of a push or commit past the type-check
// budget (goCheckBudget, in tokens): candidate Go files (a key head
// literal) of about padTokens tokens each, nearly all of them in a function
// body the type check skips, so that they cost the test little and the
// budget as much as any. Comments are not charged (qa31 F14: 34 files of
// comments spent a budget of bytes before the file that built a key).
const (
	padFiles     = 40
	padBodyLines = 60_000 // four tokens a line: `x = 1` and its semicolon
)

func writeGoBudgetFiles(t *testing.T, dir string) (padTokens int) {
	t.Helper()
	body := strings.Repeat("\tx = 1\n", padBodyLines)
	pad := "// generated table, not a key: lorem ipsum dolor sit amet consectetur\n"
	for i := range padFiles {
		src := fmt.Sprintf("package pad\n\nconst Head%02d = \"AKIA\"\n\n%sfunc f() {\n\tx := 0\n%s}\n", i, strings.Repeat(pad, 1000), body)
		writeRepoFile(t, dir, fmt.Sprintf("pad/pad%02d.go", i), src)
		padTokens = content.GoTokens([]byte(src), content.MaxGoTokens)
	}
	return padTokens
}

// builtKey is a Go file whose key only the type-checked reading finds:
// strings.ToUpper of its lower-case form.
func builtKey(g *fakekey.Gen) (string, string) {
	id := g.KeyID("AKIA")
	return id, fmt.Sprintf("package built\n\nimport \"strings\"\n\nvar K = strings.ToUpper(%q)\n", strings.ToLower(id))
}

// padsFit returns how many pads the budget takes after a built key file
// of src: the gate charges the smallest first.
func padsFit(padTokens int, src string) int {
	return (goCheckBudget - content.GoTokens([]byte(src), content.MaxGoTokens)) / padTokens
}

// TestPreReceiveGoBudget: a push of many candidate Go files is type-checked
// up to the push's budget, smallest first, and the rest left to the byte
// scan with one warning that says how many (fix32b); the push is then
// refused as one the gate could not check whole, whatever --strict says
// (qa31 F14). A small file that builds a key is checked first however it
// is named, and its key is refused by name.
func TestPreReceiveGoBudget(t *testing.T) {
	g := fakekey.New(3201)
	s := newServer(t)
	padTokens := writeGoBudgetFiles(t, s.clone)
	leftWarning := func(n, from int) string {
		return fmt.Sprintf("%d Go files left to the byte scan, not type-checked (from pad/pad%02d.go on, in the order charged", n, from)
	}

	// Named last, checked first: its key is refused by name, and the
	// pads past the budget are said.
	id, src := builtKey(g)
	writeRepoFile(t, s.clone, "z/built.go", src)
	fit := padsFit(padTokens, src)
	s.commit("README.md", "# project\n\npadded\n", "pads and a built key named last")
	s.mustRefuse([]string{id[len(id)-4:], "z/built.go", leftWarning(padFiles-fit, fit)}, "origin", "main")

	// Without a key: refused all the same, as a push the gate could not
	// check whole.
	gitOK(t, s.clone, "rm", "-q", "z/built.go")
	gitOK(t, s.clone, "commit", "-q", "--amend", "-m", "pads only")
	s.mustRefuse([]string{"could not be checked", leftWarning(padFiles-padsFit(padTokens, ""), padsFit(padTokens, "")), "push it in smaller parts"}, "origin", "main")

	// check_budget = 0 lifts the bound: the push is checked whole.
	s2 := newServer(t)
	if err := os.WriteFile(filepath.Join(s2.bare, "keyscan.toml"), []byte("check_budget = 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitOK(t, s2.clone, "fetch", "-q", s.url, "main")
	gitOK(t, s2.clone, "reset", "-q", "--hard", "FETCH_HEAD")
	if r := s2.push("-f", "origin", "main"); r.code != 0 || strings.Contains(r.stderr, "left to the byte scan") {
		t.Fatalf("push with check_budget = 0: exit %d, want 0 with no warning\n%s", r.code, r.stderr)
	}
}

// TestStagedGoBudget: keyscan staged charges a commit's Go files to the
// same budget, in path order, with the same warning, and exits 2 (reason
// typecheck in the JSON report) when it is spent, whatever --strict says
// (qa31 F14).
func TestStagedGoBudget(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3202)
	dir := newCommittedRepo(t)
	padTokens := writeGoBudgetFiles(t, dir)
	id, src := builtKey(g)
	writeRepoFile(t, dir, "a/built.go", src)
	late, lateSrc := builtKey(g)
	writeRepoFile(t, dir, "z/built.go", lateSrc)
	gitOK(t, dir, "add", "-A")
	fit := padsFit(padTokens, src)
	left := padFiles - fit + 1
	warning := fmt.Sprintf("%d Go files left to the byte scan, not type-checked (from pad/pad%02d.go on, in the order charged", left, fit)

	r := runCmd(t, dir, nil, "keyscan", "staged", "--format", "json")
	if r.code != 2 || !strings.Contains(r.stdout, id[:4]) || !strings.Contains(r.stdout, "a/built.go") || strings.Contains(r.stdout, "z/built.go") {
		t.Fatalf("staged: exit %d, want 2 with a/built.go's key\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, warning) || strings.Contains(r.stdout, late[:8]) {
		t.Errorf("staged: the warning %q is missing:\n%s", warning, r.stderr)
	}
	if !strings.Contains(r.stdout, `"reason": "typecheck"`) || !strings.Contains(r.stdout, fmt.Sprintf(`"count": %d`, left)) {
		t.Fatalf("staged: want a typecheck gap of %d\n%s%s", left, r.stdout, r.stderr)
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

// TestHistoryTypecheck: keyscan history --typecheck finds a key a Go file
// built within itself in an older commit, as staged would have found it
// in that commit (qa31 F1: the open-source check's history read the Go
// blob's bytes only); without the flag it is not found, as README says.
func TestHistoryTypecheck(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(3133)
	id, src := builtKey(g)
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, "a/built.go", src)
	gitOK(t, dir, "add", "-A")
	gitOK(t, dir, "commit", "-q", "-m", "a built key")
	gitOK(t, dir, "rm", "-q", "a/built.go")
	gitOK(t, dir, "commit", "-q", "-m", "gone")
	if r := runCmd(t, dir, nil, "keyscan", "history", "--format", "json", "."); r.code != 0 {
		t.Fatalf("history: exit %d, want 0 (the bytes hold no key)\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := runCmd(t, dir, nil, "keyscan", "history", "--typecheck", "--format", "json", ".")
	if r.code != 1 || !strings.Contains(r.stdout, "a/built.go") || !strings.Contains(r.stdout, id[len(id)-4:]) {
		t.Fatalf("history --typecheck: exit %d, want 1 with a/built.go's key\n%s%s", r.code, r.stdout, r.stderr)
	}
}
