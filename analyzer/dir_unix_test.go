//go:build unix

package analyzer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

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
		if spans := analyzer.NotAWSKeysUnder(context.Background(), root, []string{filepath.Join(dir, "a.go")}, analyzer.MaxCheckTokens); len(spans) != 0 {
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
