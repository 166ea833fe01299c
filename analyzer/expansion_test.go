package analyzer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
// MaxTypeExpansion is not handed to go/types (no crash, no stall) and is
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
		if found != c.checkable || (len(left) == 0) != c.checkable {
			t.Errorf("%d levels: scan finds the key %v and leaves out %q; want checked: %v", c.levels, found, left, c.checkable)
		}
		if got := analyzer.GoCheckable([]byte(src)); got != c.checkable {
			t.Errorf("%d levels: GoCheckable = %v", c.levels, got)
		}
		if got := analyzer.GoFilesCheckable([]string{file}); got != c.checkable {
			t.Errorf("%d levels: GoFilesCheckable = %v", c.levels, got)
		}
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
