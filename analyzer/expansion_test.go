package analyzer_test

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// genericBomb is a Go file of n generic types, each naming the one below
// it twice (`type T1[P any] struct{ x T0[T0[P]] }`), beside a key ID
// folded from two constants: go/types' work doubles at each level (qa31
// F3: eighteen levels, 807 bytes, overflowed Go's stack).
func genericBomb(id string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "package b\n\nconst h = %q\nconst AccessKeyID = h + %q\n\ntype T0[P any] struct{ p P }\n", id[:8], id[8:])
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "type T%d[P any] struct{ x T%d[T%d[P]] }\n", i, i-1, i-1)
	}
	fmt.Fprintf(&b, "var V T%d[int]\n", n)
	return b.String()
}

// TestGenericBomb: a package whose generic types expand past
// MaxTypeWork is not handed to go/types (no crash, no stall) and is
// named as left out, by scan's reading, staged's (GoCheckable false) and
// go vet's tool (GoFilesCheckable); one below it is checked and its key
// found.
func TestGenericBomb(t *testing.T) {
	g := fakekey.New(3134)
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		levels    int
		checkable bool
	}{{8, true}, {40, false}} {
		id := g.KeyID("AKIA")
		src := genericBomb(id, c.levels)
		checkedAsSaid(t, sc, fmt.Sprintf("%d levels", c.levels), id, src, c.checkable)
		if got := len(analyzer.ScanGoSource(context.Background(), sc, "b.go", []byte(src))) > 0; got != c.checkable {
			t.Errorf("%d levels: ScanGoSource finds the key: %v", c.levels, got)
		}
	}
}

// TestRedeclaredVariants: a folder's platform or build-tag variants of a
// file declare the same names; the type check of all of them together
// made the larger file's declarations redeclarations, never folded, so a
// key built there was lost, silently (qa31 F9). Each variant's key is
// found, once.
func TestRedeclaredVariants(t *testing.T) {
	g := fakekey.New(3135)
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, names := range [][2]string{{"creds_linux.go", "creds_windows.go"}, {"config_dev.go", "config_prod.go"}} {
		dir := t.TempDir()
		dummy := "package p\n\nconst head, tail = \"x\", \"y\"\n\nconst AccessKeyID = head + tail\n"
		id := g.KeyID("AKIA")
		real := fmt.Sprintf("//go:build prod\n\npackage p\n\n// The production key, split.\nconst head, tail = %q, %q\n\nconst AccessKeyID = head + tail\n", id[:8], id[8:])
		var files []string
		for i, src := range []string{dummy, real} {
			file := filepath.Join(dir, names[i])
			if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, file)
		}
		fs, left, err := analyzer.ScanPackageDirShared(context.Background(), sc, dir, files, dir, dir, nil, analyzer.MaxCheckTokens)
		if err != nil {
			t.Fatal(err)
		}
		n := strings.Count(strings.Join(places(fs), "\n"), id)
		if n != 1 || len(left) > 0 {
			t.Errorf("%s: the key is found %d times (want 1), files left out %q\n%s", names[1], n, left, places(fs))
		}
	}
}

// TestRedeclaredVariantShared: the variants declare only a key's head, a
// file both builds share folds it (qa32 G1): the key of the variant that
// lost the first check is found at the shared file's line, once.
func TestRedeclaredVariantShared(t *testing.T) {
	g := fakekey.New(3136)
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := g.KeyID("AKIA")
	dir := t.TempDir()
	srcs := map[string]string{
		"h_linux.go":   "package p\n\nconst head = \"x\"\n",
		"h_windows.go": fmt.Sprintf("package p\n\n// the Windows build's head\nconst head = %q\n", id[:10]),
		"use.go":       fmt.Sprintf("package p\n\nconst AccessKeyID = head + %q\n", id[10:]),
	}
	var files []string
	for name, src := range srcs {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	fs, left, err := analyzer.ScanPackageDirShared(context.Background(), sc, dir, files, dir, dir, nil, analyzer.MaxCheckTokens)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(strings.Join(places(fs), "\n"), id); n != 1 || len(left) > 0 {
		t.Errorf("the key is found %d times (want 1), files left out %q\n%s", n, left, places(fs))
	}
}

// TestVariantsPastBound: past MaxVariants build variants of one name
// (head_<GOOS>.go each declaring const head), the rest are left out and
// said to be left out for the variant bound, not for their size (qa34: the
// gap said "too large to type-check (over its tokens bound)" of files of
// three lines).
func TestVariantsPastBound(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := fakekey.New(3501)
	id := g.KeyID("AKIA")
	dir := t.TempDir()
	n := analyzer.MaxVariants + 7
	var files []string
	write := func(name, src string) {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	for i := range n {
		write(fmt.Sprintf("head_%02d.go", i), fmt.Sprintf("package p\n\nconst head = %q\n", g.KeyID("AKIA")[:8]))
	}
	write("k.go", fmt.Sprintf("package p\n\nconst tailPart = %q\n\nvar ID = head + tailPart\n", id[8:]))
	_, left, err := analyzer.ScanPackageDirShared(context.Background(), sc, dir, files, dir, dir, nil, analyzer.MaxCheckTokens)
	if err != nil {
		t.Fatal(err)
	}
	// The first file's declarations win the first check; each of the
	// others is checked again, up to MaxVariants.
	if want := n - 1 - analyzer.MaxVariants; len(left) != want {
		t.Fatalf("left out %d files, want %d: %v", len(left), want, left)
	}
	for _, l := range left {
		if l.Why != analyzer.LeftVariants {
			t.Errorf("%s: left out for reason %d, want LeftVariants", filepath.Base(l.Name), l.Why)
		}
	}
}

// typeShapes are declarations whose walk by go/types' validType grows
// faster than their text (qa32 G3): each generator gives n levels.
var typeShapes = map[string]func(n int) string{
	// Each struct names the one below twice: the walk doubles a line.
	"doubling struct": levels("type T0 struct{ a int }\n", "type T%[1]d struct{ a, b T%[2]d }\n", ""),
	// Each holds the one before once: walked to the bottom from each
	// line, a comparison a level: cubic.
	"chain": levels("type T0 struct{ a int }\n", "type T%[1]d struct{ a [1]T%[2]d }\n", ""),
	// Interfaces embedding the one below, through an alias and a
	// second name.
	"interfaces": levels("type I0 interface{ M() }\n", "type I%[1]d interface{ I%[2]d; J%[2]d }\ntype J%[2]d = K%[2]d\ntype K%[2]d interface{ I%[2]d }\n", ""),
	// A wide generic base (four fields of its parameter), each level
	// nesting the one below in itself: four levels stalled.
	"wide generic": levels("type T0[P any] struct{ a, b, c, d P }\n", "type T%[1]d[P any] struct{ x T%[2]d[T%[2]d[P]] }\n", "var V T%d[int]\n"),
	// Interfaces of a hundred-term union each, embedding the one
	// before: go/types normalises each union pairwise (qa32 G3's
	// neighbour: 200 took 0.9 s, 800 six).
	"unions": func(n int) string {
		var terms []string
		for i := range 100 {
			terms = append(terms, fmt.Sprintf("~[%d]int", i))
		}
		u := strings.Join(terms, " | ")
		return levels("type U0 interface{ "+u+" }\n", "type U%[1]d interface{ U%[2]d; "+u+" }\n", "func g[T U%d](x T) {}\n")(n)
	},
	// Aliases of unnamed structs naming the one below twice, held by one
	// defined type: no named type in the walk, which doubles (qa33 H2b).
	"alias structs": levels("type S0 = int\n", "type S%[1]d = struct{ a, b S%[2]d }\n", "type Big struct{ x S%d }\n"),
	// Aliases of a generic type's instances doubling: an instance's hash
	// spells its arguments in full (qa33 H2).
	"alias instances": levels("type P2[A, B any] struct{}\ntype X0 = int\n", "type X%[1]d = P2[X%[2]d, X%[2]d]\n", "var V X%d\n"),
	// A generic function returning a pair of its parameter, nested in
	// its own calls: each call's instance spells the one before twice
	// (qa33 H1).
	// A type switch of n array types: go/types compares its cases
	// pairwise for duplicates (qa34 4: 20,000 took 4.8 CPU seconds).
	"type switch": func(n int) string {
		var b strings.Builder
		b.WriteString("var F = func(x any) int {\n\tswitch x.(type) {\n")
		for i := range n {
			fmt.Fprintf(&b, "\tcase [%d]int:\n\t\treturn %d\n", i, i)
		}
		b.WriteString("\t}\n\treturn -1\n}\n")
		return b.String()
	},
	"infer doubling": nested("type P2[A, B any] struct{ a A; b B }\nfunc d[P any](x P) P2[P, P] { return P2[P, P]{x, x} }\nvar V = ", "d(", "0", ")", "\n"),
	// An instance nested in itself: each level's hash spells those
	// below (qa33 H3b).
	"nested instance": nested("type G[P any] struct{ p *P }\nvar V ", "G[", "int", "]", "\n"),
	// The same as a composite literal's type.
	"nested literal": nested("type G[P any] struct{ p *P }\nvar V = ", "G[", "int", "]", "{}\n"),
	// A generic function returning an instance of its parameter,
	// nested in its own calls: each inferred argument one level more.
	"infer chain": nested("type G[P any] struct{ p *P }\nfunc w[P any](x P) G[P] { return G[P]{&x} }\nvar V = ", "w(", "0", ")", "\n"),
	// The same through package variables, each the call of the one
	// before.
	"variable chain": levels("type G[P any] struct{ p *P }\nfunc w[P any](x P) G[P] { return G[P]{&x} }\nvar a0 = 0\n", "var a%[1]d = w(a%[2]d)\n", ""),
	// The same through a function's locals (go vet checks bodies).
	"local chain": levels("type G[P any] struct{ p *P }\nfunc w[P any](x P) G[P] { return G[P]{&x} }\nfunc f() {\n\ta0 := 0\n", "\ta%[1]d := w(a%[2]d)\n", "\t_ = a%d\n}\n"),
	// Two arguments of the pair, each the variable before: doubling.
	"pair variables": levels("type P2[A, B any] struct{ a A; b B }\nfunc d[A, B any](x A, y B) P2[A, B] { return P2[A, B]{x, y} }\nvar a0 = 0\n", "var a%[1]d = d(a%[2]d, a%[2]d)\n", ""),
	// An explicit instance of a generic function, its argument nested.
	"explicit instance": nested("type G[P any] struct{ p *P }\nfunc w[P any](x P) G[P] { return G[P]{&x} }\nvar V = w[", "G[", "int", "]", "]\n"),
	// A method of a generic type returning it nested once more, called
	// on its own result.
	"method chain": nested("type G[P any] struct{ p *P }\nfunc (G[P]) W() G[G[P]] { return G[G[P]]{} }\nvar V = G[int]{}", "", "", ".W()", "\n"),
	// Type parameters each constrained by the one before (P1 ~[]P0):
	// inferred in as many rounds, cubic (qa33 H3b).
	"constraint chain": func(n int) string {
		var ps []string
		for i := 1; i <= n; i++ {
			ps = append(ps, fmt.Sprintf("P%d ~[]P%d", i, i-1))
		}
		return fmt.Sprintf("func f[P0 any, %s](x P%d) int { return 0 }\nvar V = f(%sint{})\n", strings.Join(ps, ", "), n, strings.Repeat("[]", n))
	},
	// Local types of a function, a union in a constraint.
	"local": levels("type C interface{ ~int | ~string }\nfunc f() {\n\ttype L0 struct{ a int }\n", "\ttype L%[1]d struct{ a, b L%[2]d }\n", "}\n"),
}

// nested returns a generator of head, then open n times, mid, close n
// times, then tail.
func nested(head, open, mid, close, tail string) func(n int) string {
	return func(n int) string {
		return head + strings.Repeat(open, n) + mid + strings.Repeat(close, n) + tail
	}
}

// levels returns a generator of head, then line for each level i from 1
// to n (its format given i and i-1), then tail (given n when it has a
// verb).
func levels(head, line, tail string) func(n int) string {
	return func(n int) string {
		var b strings.Builder
		b.WriteString(head)
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, line, i, i-1)
		}
		if strings.Contains(tail, "%") {
			tail = fmt.Sprintf(tail, n)
		}
		b.WriteString(tail)
		return b.String()
	}
}

// TestTypeWork: each shape is checked (and its key found) at a size
// go/types walks quickly, and left out at one it would stall on, by
// keyscan scan's reading, staged's (GoCheckable) and go vet's tool
// (GoFilesCheckable). The sizes are the property: typeWork grows with
// the walk, however the types are written.
func TestTypeWork(t *testing.T) {
	g := fakekey.New(3136)
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[string][2]int{ // checked, left out
		"doubling struct": {10, 24},
		"chain":           {60, 2000},
		"interfaces":      {8, 22},
		"wide generic":    {2, 4},
		"local":           {10, 24},
		"unions":          {4, 200},
		"alias structs":   {8, 28},
		"alias instances": {8, 28},
		"type switch":     {100, 6000},
		// go/types: infer doubling 18 calls 0.4 s of CPU, nested
		// instance 1,000 0.5 s, infer chain 1,000 0.9 s, constraint
		// chain 400 4.4 s (go1.26; /work/notes/infer34/calib).
		"infer doubling":    {8, 24},
		"nested instance":   {200, 3000},
		"nested literal":    {200, 3000},
		"infer chain":       {200, 3000},
		"variable chain":    {100, 3000},
		"local chain":       {100, 3000},
		"pair variables":    {8, 30},
		"explicit instance": {200, 3000},
		"method chain":      {100, 3000},
		"constraint chain":  {30, 1000},
	}
	for name, gen := range typeShapes {
		for k, n := range sizes[name] {
			id := g.KeyID("AKIA")
			src := fmt.Sprintf("package b\n\nconst h = %q\nconst AccessKeyID = h + %q\n\n%s", id[:8], id[8:], gen(n))
			checkedAsSaid(t, sc, fmt.Sprintf("%s, %d levels", name, n), id, src, k == 0)
		}
	}
}

// TestTypeWorkRealCode: the standard library's packages with the most
// types, and the most nested, and generic ones (the instances their
// expressions make), stay under a hundredth of MaxTypeWork.
func TestTypeWorkRealCode(t *testing.T) {
	root := filepath.Join(runtime.GOROOT(), "src")
	for _, pkg := range []string{"runtime", "syscall", "go/types", "net/http", "cmd/compile/internal/syntax", "cmd/compile/internal/ir", "crypto/tls", "reflect", "unique", "maps"} {
		dir := filepath.Join(root, pkg)
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		var files []*ast.File
		for _, e := range ents {
			if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		if w := analyzer.TypeWork(files); w > analyzer.MaxTypeWork/100 || w == 0 {
			t.Errorf("%s: typeWork %g, want in (0, %d]", pkg, w, analyzer.MaxTypeWork/100)
		}
	}
}

// FuzzTypeWork: typeWork reads any syntax go/parser returns, partial
// or not, without panicking, and gives a cost of zero or more; the
// shapes above are its seeds, with a type of many parameters and many
// same-named local types, which its forms bound (maxSlots, nameForm).
func FuzzTypeWork(f *testing.F) {
	for _, gen := range typeShapes {
		f.Add("package p\n" + gen(3))
	}
	f.Add("package p\ntype G[A, B, C, D, E, F, G, H, I, J any] struct{ a A; j J }\ntype U struct{ g G[int, int, int, int, int, int, int, int, int, [2]U] }\n")
	f.Add("package p\nfunc f() {\n\t{ type L struct{ a, b L } }\n\t{ type L struct{ c [1]M }; type M = L }\n}\ntype M struct{ x, y M }\n")
	f.Add("package p\nimport \"x\"\ntype C[E any] interface{ ~[]E | ~map[int]E; M() }\ntype A[P any] = struct{ a, b P }\nfunc g[S C[E], E any, F ~func(E) A[E]](s S, f F) A[S] { var x A[S]; return x }\nfunc (A[P]) M() A[A[P]] { return A[A[P]]{} }\nvar v = g(g(x.F[int](1), nil), nil).M().M()\nfunc h() { a := g(v, nil); for k, b := range a { a = g(b, func(E) A[E] { return k }) } }\n")
	f.Fuzz(func(t *testing.T, src string) {
		fset := token.NewFileSet()
		file, _ := parser.ParseFile(fset, "p.go", src, parser.SkipObjectResolution)
		if file == nil {
			return
		}
		if w := analyzer.TypeWork([]*ast.File{file}); !(w >= 0) {
			t.Fatalf("typeWork %g", w)
		}
	})
}

// TestTypeWorkImported: a package of the module declares a large type
// cheaply (fifteen doubling structs, under the bound on its own), and the
// package scanned names it in many types of its own: each walks the
// imported type whole (four hundred took 11 CPU seconds, qa32 G3). scan
// costs imported types from the package it reads, and leaves such a
// package out; the same package naming the type a few times is checked
// and the key its constant completes found.
func TestTypeWorkImported(t *testing.T) {
	g := fakekey.New(3137)
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		uses      int
		checkable bool
	}{{2, true}, {400, false}} {
		id := g.KeyID("AKIA")
		mod := t.TempDir()
		write(t, filepath.Join(mod, "go.mod"), "module example.com/big\n\ngo 1.26\n")
		var a strings.Builder
		fmt.Fprintf(&a, "package a\n\n// Head starts a key ID.\nconst Head = %q\n\ntype T0 struct{ x int }\n", id[:8])
		for i := 1; i <= 15; i++ {
			fmt.Fprintf(&a, "type T%d struct{ x, y T%d }\n", i, i-1)
		}
		write(t, filepath.Join(mod, "a", "a.go"), a.String())
		var b strings.Builder
		fmt.Fprintf(&b, "package b\n\nimport \"example.com/big/a\"\n\n// ID is a key ID.\nconst ID = a.Head + %q\n\n", id[8:])
		for i := range c.uses {
			fmt.Fprintf(&b, "type B%d struct{ x a.T15 }\n", i)
		}
		file := filepath.Join(mod, "b", "b.go")
		write(t, file, b.String())
		dir := filepath.Dir(file)
		fs, left, err := analyzer.ScanPackageDirShared(context.Background(), sc, dir, []string{file}, mod, mod, nil, analyzer.MaxCheckTokens)
		if err != nil {
			t.Fatal(err)
		}
		found := strings.Contains(strings.Join(places(fs), "\n"), id)
		if found != c.checkable || (len(left) == 0) != c.checkable {
			t.Errorf("%d uses: scan finds the key %v and leaves out %q; want checked: %v", c.uses, found, left, c.checkable)
		}
	}
}

// TestNotAWSConstantBomb: scan's second check of a folder that holds a
// secret (NotAWSKeysUnder) cuts long constants as the first does: forty
// doubling constants compared held 2 GB before the watch (qa33), and
// without it 15 GB. It ends, and its types' cost is bounded too.
func TestNotAWSConstantBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("package b\n\nconst c0 = \"x\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "const c%d = c%d + c%d\n", i, i-1, i-1)
	}
	fmt.Fprintf(&b, "var same = c40 == c39+c39\nvar n = len(c40)\n\nvar secretAccessKey = %q\n\n%s", fakekey.New(3138).Secret(), typeShapes["doubling struct"](30))
	file := filepath.Join(t.TempDir(), "b.go")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	analyzer.NotAWSKeys([]string{file})
}

// checkedAsSaid writes src, a package's one file holding the key ID id,
// and checks that keyscan scan's reading of it, staged's (GoCheckable)
// and go vet's tool's (GoFilesCheckable) type-check it, finding the key,
// when checkable, and name it as left out otherwise.
func checkedAsSaid(t *testing.T, sc *scanner.Scanner, label, id, src string, checkable bool) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "b.go")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	fs, left, err := analyzer.ScanPackageDirShared(context.Background(), sc, dir, []string{file}, dir, dir, nil, analyzer.MaxCheckTokens)
	if err != nil {
		t.Fatal(err)
	}
	found := strings.Contains(strings.Join(places(fs), "\n"), id)
	if found != checkable || (len(left) == 0) != checkable {
		t.Errorf("%s: scan finds the key %v and leaves out %q; want checked: %v", label, found, left, checkable)
	}
	if got := analyzer.GoCheckable([]byte(src)); got != checkable {
		t.Errorf("%s: GoCheckable = %v", label, got)
	}
	if got := analyzer.GoFilesCheckable([]string{file}); got != checkable {
		t.Errorf("%s: GoFilesCheckable = %v", label, got)
	}
}

// TestTypeWorkImportedGeneric: a package calls a generic function of
// another package, nested in its own calls, each inferred argument a
// level more (qa33 H3b through an import). go vet's tool reads the
// import's types from the compiler's export data before the type check
// and names the package at 3,000 calls as too costly; at twenty it is
// checked and its key found. (keyscan scan reads the imported package's
// constants and types only, without its functions: the calls resolve to
// nothing there and cost go/types nothing.)
func TestTypeWorkImportedGeneric(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	mod := filepath.Join(tmp, "genmod")
	write(t, filepath.Join(mod, "go.mod"), "module example.com/genmod\n\ngo 1.26\n")
	g := fakekey.New(3139)
	ids := map[string]string{}
	for _, c := range []struct {
		name  string
		calls int
	}{{"small", 20}, {"big", 3000}} {
		id := g.KeyID("AKIA")
		ids[c.name] = id
		write(t, filepath.Join(mod, c.name, "a", "a.go"), fmt.Sprintf("// Package a wraps values.\npackage a\n\n// Head starts a key ID.\nconst Head = %q\n\n// G holds a value.\ntype G[P any] struct{ p *P }\n\n// W wraps x.\nfunc W[P any](x P) G[P] { return G[P]{&x} }\n", id[:8]))
		write(t, filepath.Join(mod, c.name, "b.go"), fmt.Sprintf("package %s\n\nimport \"example.com/genmod/%s/a\"\n\n// ID is a key ID.\nconst ID = a.Head + %q\n\n// V is wrapped.\nvar V = %s0%s\n", c.name, c.name, id[8:], strings.Repeat("a.W(", c.calls), strings.Repeat(")", c.calls)))
	}
	out, _ := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	if !strings.Contains(out, scanner.Redact(ids["small"])) {
		t.Errorf("go vet does not report the key of the package of 20 calls\n%s", out)
	}
	if strings.Contains(out, scanner.Redact(ids["big"])) || !strings.Contains(out, "example.com/genmod/big: its types are too costly") {
		t.Errorf("go vet does not name the package of 3,000 calls as too costly\n%s", out)
	}
}
