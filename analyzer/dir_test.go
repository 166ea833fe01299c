package analyzer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

func TestScanPackageDir(t *testing.T) {
	g := fakekey.New(3)
	id1, id2, plain, sec := g.KeyID("AKIA"), g.KeyID("AKIA"), g.KeyID("AKIA"), g.Secret()
	root := t.TempDir()
	dir := filepath.Join(root, "svc", "creds")
	files := map[string]string{
		// A key split across constants of two files, with an import no one
		// can resolve here.
		"a.go": "package creds\n\nimport \"example.com/not/here\"\n\nconst head = \"" + id1[:8] + "\"\n\nvar _ = here.Thing\n",
		"b.go": "package creds\n\nconst id = head + \"" + id1[8:] + "\"\n\n" +
			"const awsSecretAccessKey = \"" + sec[:20] + "\" +\n\t\"" + sec[20:] + "\"\n\n" +
			"var plain = \"" + plain + "\" // the byte scan's to report\n",
		// An external test package is checked on its own.
		"b_test.go": "package creds_test\n\nconst x = string(\"" + id2[:4] + "\") + \"" + id2[4:] + "\"\n",
		// A parse error costs that file only.
		"broken.go": "package creds\n\nfunc {\n",
		// Allowed with a reason.
		"c.go": "package creds\n\nconst allowed = \"" + id2[:10] + "\" + \"" + id2[10:] + "\" // keyscan:allow rotated fixture\n",
	}
	var names []string
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := analyzer.ScanPackageDir(context.Background(), sc, dir, names, root, root)
	if err != nil {
		t.Fatal(err)
	}
	type loc struct {
		File                                string
		Line, Column, EndLine, EndColumn    int
		Secret, Rule                        string
		ContextFolded, FingerprintIsForFile bool
	}
	var locs []loc
	for _, f := range got {
		locs = append(locs, loc{f.File, f.Line, f.Column, f.EndLine, f.EndColumn, f.Secret, f.Rule,
			strings.HasPrefix(f.Context, "assembled by constant folding"),
			f.Fingerprint == scanner.Fingerprint(f.Rule, f.File, f.Secret)})
	}
	want := []loc{
		{"svc/creds/b.go", 3, 12, 3, 33, id1, "aws-access-key-id", true, true},
		{"svc/creds/b.go", 5, 28, 6, 24, sec, "aws-secret-access-key", true, true},
		{"svc/creds/b_test.go", 3, 11, 3, 46, id2, "aws-access-key-id", true, true},
	}
	if diff := cmp.Diff(want, locs); diff != "" {
		t.Errorf("ScanPackageDir (-want +got):\n%s", diff)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := analyzer.ScanPackageDir(ctx, sc, dir, names, root, root); err == nil {
		t.Error("ScanPackageDir with a cancelled context: no error")
	}
}

// TestScanPackageDirConstantBomb: a constant doubled past any memory, in the
// package or in another package of the tree it imports, is not read (see
// analyzer/conststr.go), and the keys folded beside it are still found.
func TestScanPackageDirConstantBomb(t *testing.T) {
	g := fakekey.New(21)
	id, other := g.KeyID("AKIA"), g.KeyID("AKIA")
	bomb := func(head string) string {
		var b strings.Builder
		b.WriteString("const C0 = " + head + "\n")
		for i := 1; i <= 33; i++ {
			fmt.Fprintf(&b, "const C%d = C%d + C%d\n", i, i-1, i-1)
		}
		return b.String()
	}
	root := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.24\n",
		// 20 bytes doubled 33 times: 160 GiB once read.
		"b/b.go": "package b\n\nconst Head = \"" + id[:8] + "\"\n\n" + bomb(`"AK" + "IAXXXXXXXXXXXXXXXX"`) +
			"\nconst N = len(C33)\n\ntype A [len(C33)]int\n",
		"a/a.go": "package a\n\nimport \"example.com/m/b\"\n\n" +
			"const id = b.Head + \"" + id[8:] + "\"\n\n" +
			"const big = b.C33 + b.C33\n\nvar V = big + id\n\n" + bomb(`"`+other[:4]+`" + "`+other[4:]+`"`) +
			"\nfunc f() string { return C33 + big }\n" +
			// The type checker reads what it measures or compares.
			"\nvar n = len(b.C33) + len(C33) + len(b.C11" + strings.Repeat(" + b.C11", 300) + ")\n\nvar eq = C33 == b.C33\n",
	}
	for name, src := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "a")
	got, err := analyzer.ScanPackageDirShared(context.Background(), sc, dir, []string{"a.go"}, root, root, analyzer.NewImportCache())
	if err != nil {
		t.Fatal(err)
	}
	var where []string
	for _, f := range got {
		where = append(where, fmt.Sprintf("%s:%d %s", f.File, f.Line, scanner.Redact(f.Secret)))
	}
	want := []string{
		"a/a.go:5 " + scanner.Redact(id),
		"a/a.go:11 " + scanner.Redact(other),
	}
	if diff := cmp.Diff(want, where); diff != "" {
		t.Errorf("ScanPackageDirShared (-want +got):\n%s", diff)
	}
}

// TestScanPackageDirStaysInRoot: the imports read from source are regular
// files under root only: a FIFO among an imported package's files does not
// block the scan, and a link out of root (a folder, a Go file, a go.mod, a
// replace target) is not followed, as the walker does not follow it.
func TestScanPackageDirStaysInRoot(t *testing.T) {
	g := fakekey.New(51)
	inside, viaDir, viaFile, viaReplace := g.KeyID("AKIA"), g.KeyID("AKIA"), g.KeyID("AKIA"), g.KeyID("AKIA")
	top := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(top, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(top, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	write("root/go.mod", "module example.com/m\n\ngo 1.24\n\nreplace example.com/lib => ./lib\n")
	write("root/b/a.go", "package b\n\nconst Head = \"AK\"\n")
	if err := syscall.Mkfifo(filepath.Join(top, "root", "b", "x.go"), 0o644); err != nil {
		t.Fatal(err)
	}
	write("outside/c/c.go", "package c\n\nconst Head = \"AK\"\n")
	link("../outside/c", "root/c")
	write("outside/f.go", "package d\n\nconst Head = \"AK\"\n")
	write("root/d/d.go", "package d\n")
	link("../../outside/f.go", "root/d/f.go")
	write("outside/lib/go.mod", "module example.com/lib\n")
	write("outside/lib/lib.go", "package lib\n\nconst Head = \"AK\"\n")
	link("../outside/lib", "root/lib")
	write("root/a/a.go", fmt.Sprintf("package a\n\nimport (\n\t\"example.com/lib\"\n\t\"example.com/m/b\"\n\t\"example.com/m/c\"\n\t\"example.com/m/d\"\n)\n\n"+
		"const k1 = b.Head + %q\n\nconst k2 = c.Head + %q\n\nconst k3 = d.Head + %q\n\nconst k4 = lib.Head + %q\n",
		inside[2:], viaDir[2:], viaFile[2:], viaReplace[2:]))
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(top, "root")
	got, err := analyzer.ScanPackageDir(context.Background(), sc, filepath.Join(root, "a"), []string{"a.go"}, root, root)
	if err != nil {
		t.Fatal(err)
	}
	var where []string
	for _, f := range got {
		where = append(where, fmt.Sprintf("%s:%d %s", f.File, f.Line, scanner.Redact(f.Secret)))
	}
	if diff := cmp.Diff([]string{"a/a.go:10 " + scanner.Redact(inside)}, where); diff != "" {
		t.Errorf("ScanPackageDir (-want +got):\n%s", diff)
	}
}

// TestScanPackageDirSwapped (qa9 HIGH-4): the Go files the walk found are
// read again for type checking as the walk read them. A package folder
// swapped for a link out of the root since the walk is not followed (the
// key assembled in the file outside is not reported), and a file swapped
// for a FIFO is not opened (the scan does not block).
func TestScanPackageDirSwapped(t *testing.T) {
	g := fakekey.New(5)
	id := g.KeyID("AKIA")
	base := t.TempDir()
	root := filepath.Join(base, "root")
	out := filepath.Join(base, "out", "pkg")
	for _, d := range []string{out, filepath.Join(root, "fifo")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	src := "package pkg\n\nconst id = \"" + id[:8] + "\" + \"" + id[8:] + "\"\n"
	if err := os.WriteFile(filepath.Join(out, "a.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(out, filepath.Join(root, "pkg")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "fifo", "a.go"), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Join(root, "pkg"), filepath.Join(root, "fifo")} {
		got, err := analyzer.ScanPackageDir(context.Background(), sc, dir, []string{"a.go"}, root, root)
		if err != nil || len(got) != 0 {
			t.Errorf("%s: findings %v, %v: want none (not read)", dir, got, err)
		}
		if spans := analyzer.NotAWSKeysUnder(root, []string{filepath.Join(dir, "a.go")}); len(spans) != 0 {
			t.Errorf("%s: NotAWSKeysUnder read it: %v", dir, spans)
		}
	}
	// The same file in the root itself is read.
	if err := os.WriteFile(filepath.Join(root, "a.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := analyzer.ScanPackageDir(context.Background(), sc, root, []string{"a.go"}, root, root); err != nil || len(got) != 1 {
		t.Errorf("root/a.go: findings %v, %v: want the assembled key", got, err)
	}
}
