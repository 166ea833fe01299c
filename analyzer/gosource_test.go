package analyzer_test

import (
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// FuzzScanGoSource: the reading keyscan history and staged give a Go blob
// (ScanGoSource, from memory) finds what keyscan scan's gives the same file
// alone in a folder (ScanPackageDir, from disk): same keys at the same
// places; and a source that does not parse is no panic for ScanPackageDir.
// Seeds: stringCallPackages' sources (builders, bytes.Join, joins,
// Sprintf, +=). Only sources that parse are compared: ScanGoSource leaves
// the others to the byte scan.
func FuzzScanGoSource(f *testing.F) {
	for _, p := range stringCallPackages(fakekey.New(2021)) {
		f.Add(p.src)
	}
	f.Add("package p\n\nconst pre = \"AK\"\n\nvar k = pre + \"IA\" + \"x\"\n")
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	file := filepath.Join(dir, "a.go")
	f.Fuzz(func(t *testing.T, src string) {
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "a.go", src, parser.SkipObjectResolution); err != nil {
			// Left to the byte scan by ScanGoSource (and go vet reads no
			// such file), but keyscan scan still folds the parser's partial
			// syntax of a candidate file: no panic there.
			analyzer.ScanPackageDir(context.Background(), sc, dir, []string{file}, dir, "")
			analyzer.ScanGoSource(context.Background(), sc, "a.go", []byte(src))
			return
		}
		fromDisk, err := analyzer.ScanPackageDir(context.Background(), sc, dir, []string{file}, dir, "")
		if err != nil {
			t.Fatal(err)
		}
		fromMemory := analyzer.ScanGoSource(context.Background(), sc, "a.go", []byte(src))
		if !slices.Equal(places(fromDisk), places(fromMemory)) {
			t.Fatalf("%q: ScanGoSource finds %q, ScanPackageDir %q", src, places(fromMemory), places(fromDisk))
		}
	})
}

// places names each finding by file, place, rule and value.
func places(fs scanner.Findings) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s:%d:%d %s %s", f.File, f.Line, f.Column, f.Rule, f.Secret))
	}
	slices.Sort(out)
	return out
}

// TestScanBrokenCalls: keyscan scan type-checks a candidate file that does
// not parse from the parser's partial syntax; a call cut short there
// (fmt.Sprintf( at the end of the file, no arguments) is no panic.
func TestScanBrokenCalls(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{
		"package p\n\nimport \"fmt\"\n\nvar k = \"A\" + \"K\" + fmt.Sprintf(",
		"package p\n\nimport \"fmt\"\n\nvar k = \"A\" + fmt.Sprintf()\n",
		"package p\n\nimport \"fmt\"\n\nvar k = \"A\" + fmt.Sprint(",
		"package p\n\nimport \"strings\"\n\nvar k = \"A\" + strings.Join(",
		"package p\n\nimport \"bytes\"\n\nvar k = string(bytes.Join(",
	} {
		dir := t.TempDir()
		file := filepath.Join(dir, "a.go")
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := analyzer.ScanPackageDir(context.Background(), sc, dir, []string{file}, dir, ""); err != nil {
			t.Logf("%q: %v", src, err)
		}
	}
}

// TestScanGoSourceBroken: one syntax error in a Go blob does not hide a key
// the file builds from staged and pre-receive (qa28 M1): ScanGoSource
// folds the parser's partial syntax as keyscan scan does.
func TestScanGoSourceBroken(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for seed := uint64(1); seed <= 4; seed++ {
		id := fakekey.New(seed).KeyID("AKIA")
		src := fmt.Sprintf("package p\n\nimport \"strings\"\n\nvar K = strings.ToUpper(%q)\n\nfunc f() {\n", strings.ToLower(id))
		got := analyzer.ScanGoSource(context.Background(), sc, "a.go", []byte(src))
		if !slices.ContainsFunc(got, func(f scanner.Finding) bool { return f.Secret == id }) {
			t.Errorf("seed %d: %q: ScanGoSource finds %q", seed, src, places(got))
		}
	}
}

// TestScanGoSourceFoldBesideCalls: a key ID joined from two named
// constants in a call's argument, with a call after it among the
// arguments, elements or statements (qa29 H3). mayFold used to let the
// sibling call set its answer back to false, so the file was left to the
// byte scan, which cannot join named constants: scan, staged and
// pre-receive accepted what go vet reports.
func TestScanGoSourceFoldBesideCalls(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	uses := []string{
		"var K = use(head+tail, os.Getenv(\"X\"))\n",
		"var K = []string{head + tail, os.Getenv(\"X\")}\n",
		"var K = use(head+tail, use(\"a\", \"b\"))\n",
		"func f() string { k := head + tail; os.Exit(0); return k }\n",
		"var K = [][]string{{head + tail}, {os.Getenv(\"X\")}}\n",
	}
	for seed := uint64(1); seed <= 3; seed++ {
		id := fakekey.New(seed).KeyID("AKIA")
		for _, use := range uses {
			src := fmt.Sprintf("package p\n\nimport \"os\"\n\nconst head = %q\nconst tail = %q\n\nfunc use(a, b string) string { return a }\n\n%s", id[:10], id[10:], use)
			got := analyzer.ScanGoSource(context.Background(), sc, "a.go", []byte(src))
			if !slices.ContainsFunc(got, func(f scanner.Finding) bool { return f.Secret == id }) {
				t.Errorf("seed %d: %q: ScanGoSource finds %q", seed, src, places(got))
			}
		}
	}
}

// TestScanBadPackageClause: a Go file whose package clause does not parse
// (a stray line before it, a name that is no identifier, words after it,
// no clause at all) gets no syntax from go/parser, so a key ID split over
// two constants was missed by scan, staged and pre-receive (qa29 H5).
// ScanGoSource and ScanPackageDir now read it from a mended clause, and
// the finding is on the line of the join in the file as it is.
func TestScanBadPackageClause(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	heads := []string{
		"package p\n",
		"// generated\n#\npackage main\n",
		"package 9main\n",
		"package main extra\n",
		"package main-x // c\n",
		"@@ -1,3 +1,3 @@\n package main\n",
		"#!/usr/bin/env gorun\n",
		"/* not closed\npackage p\n",
	}
	for seed := uint64(1); seed <= 3; seed++ {
		id := fakekey.New(seed).KeyID("AKIA")
		for _, head := range heads {
			src := fmt.Sprintf("%s\nconst idHead = %q\nconst idTail = %q\n\nvar k = idHead + idTail\n", head, id[:10], id[10:])
			line := strings.Count(head, "\n") + 5
			want := fmt.Sprintf("a.go:%d", line)
			found := func(fs scanner.Findings) bool {
				return slices.ContainsFunc(fs, func(f scanner.Finding) bool {
					return f.Secret == id && fmt.Sprintf("%s:%d", f.File, f.Line) == want
				})
			}
			if got := analyzer.ScanGoSource(context.Background(), sc, "a.go", []byte(src)); !found(got) {
				t.Errorf("seed %d: %q: ScanGoSource finds %q, want %s", seed, src, places(got), want)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := analyzer.ScanPackageDir(context.Background(), sc, dir, []string{"a.go"}, dir, dir)
			if err != nil {
				t.Fatal(err)
			}
			if !found(got) {
				t.Errorf("seed %d: %q: ScanPackageDir finds %q, want %s", seed, src, places(got), want)
			}
		}
	}
}
