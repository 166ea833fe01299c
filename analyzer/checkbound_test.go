package analyzer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// goTable returns a Go declaration of a table of numbers that holds at
// least tokens tokens: the generated bulk of qa29 M5, built at test time.
func goTable(name string, tokens int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nvar %s = []int{\n", name)
	for n := 0; n < tokens; n += 16 { // eight numbers and their commas a line
		b.WriteString("1, 2, 3, 4, 5, 6, 7, 8,\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// TestCheckBound: keyscan scan's type check of a package reads no more Go
// than its CheckBound allows, a file past it or the files that take the
// package past it (the largest first), its imported packages' too; the
// files left out are named, and with no
// bound (check_budget = 0) the same key is found (qa29 M5: a candidate
// file of 14.8 MB cost scan 10 CPU s and 850 MB, silently). Small bounds
// keep it fast; TestCheckBoundDefault takes a file past the real one.
func TestCheckBound(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := fakekey.New(5501).KeyID("AKIA")
	const small = analyzer.CheckBound(2500)
	cases := []struct {
		name  string
		files map[string]string // under the module's root
		dir   string            // the package scanned
		skip  []string          // left out, from the root
		found bool              // the key is found within the bound
	}{
		{"file past the bound", map[string]string{
			"p/a.go": fmt.Sprintf("package p\n\nconst pre = %q\n\nconst ID = pre + %q\n", id[:4], id[4:]) + goTable("T", 3000),
		}, "p", []string{"p/a.go"}, false},
		{"head in a file past the bound", map[string]string{
			"p/a.go": fmt.Sprintf("package p\n\nconst pre = %q\n", id[:4]) + goTable("T", 3000),
			"p/b.go": fmt.Sprintf("package p\n\nconst ID = pre + %q\n", id[4:]),
		}, "p", []string{"p/a.go"}, false},
		{"package past the bound", map[string]string{
			"p/a.go": fmt.Sprintf("package p\n\nconst pre = %q\n\nconst ID = pre + %q\n", id[:4], id[4:]),
			"p/b.go": "package p\n" + goTable("T1", 900),
			"p/c.go": "package p\n" + goTable("T2", 900),
			"p/d.go": "package p\n" + goTable("T3", 900),
		}, "p", []string{"p/d.go"}, true},
		// A file padded to just under the bound, named first, does not push
		// the small file that folds the key out of the check (qa30 M3):
		// the smallest files are admitted first.
		{"padding named first", map[string]string{
			"p/a_pad.go": "package p\n" + goTable("Pad", 2470),
			"p/key.go":   fmt.Sprintf("package p\n\nconst pre = %q\n\nconst ID = pre + %q\n", id[:4], id[4:]),
		}, "p", []string{"p/a_pad.go"}, true},
		{"imported package past the bound", map[string]string{
			"lib/lib.go": fmt.Sprintf("package lib\n\nconst Pre = %q\n", id[:8]) + "\nconst Big = 1" + strings.Repeat(" + 1", 1500) + "\n",
			"p/a.go":     fmt.Sprintf("package p\n\nimport \"example.com/b/lib\"\n\nconst ID = lib.Pre + %q\n", id[8:]),
		}, "p", []string{"lib/lib.go"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			c.files["go.mod"] = "module example.com/b\n\ngo 1.22\n"
			var names []string
			for rel, src := range c.files {
				p := filepath.Join(root, filepath.FromSlash(rel))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
				if strings.HasPrefix(rel, c.dir+"/") {
					names = append(names, p)
				}
			}
			slices.Sort(names)
			dir := filepath.Join(root, c.dir)
			got, skipped, err := analyzer.ScanPackageDirShared(context.Background(), sc, dir, names, root, root, analyzer.NewImportCache(), small)
			if err != nil {
				t.Fatal(err)
			}
			var rel []string
			for _, s := range skipped {
				r, _ := filepath.Rel(root, s.Name)
				rel = append(rel, filepath.ToSlash(r))
			}
			if !slices.Equal(rel, c.skip) {
				t.Errorf("left out %q, want %q", rel, c.skip)
			}
			if found := slices.ContainsFunc(got, func(f scanner.Finding) bool { return f.Secret == id }); found != c.found {
				t.Errorf("within the bound: key found %v, want %v", found, c.found)
			}
			all, skipped, err := analyzer.ScanPackageDirShared(context.Background(), sc, dir, names, root, root, analyzer.NewImportCache(), 0)
			if err != nil || len(skipped) != 0 {
				t.Fatalf("no bound: left out %q, %v", skipped, err)
			}
			if !slices.ContainsFunc(all, func(f scanner.Finding) bool { return f.Secret == id }) {
				t.Errorf("no bound: the folded key is not found (%d findings)", len(all))
			}
		})
	}
}

// TestCheckBoundDefault: a candidate file past MaxCheckTokens is left out
// of keyscan scan's type check, for the price of counting its tokens up
// to the bound, and one padded past it in bytes with a comment, which adds
// no token, is type-checked (qa29 M4).
func TestCheckBoundDefault(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := fakekey.New(5502).KeyID("AKIA")
	head := fmt.Sprintf("package p\n\nconst pre = %q\n\nconst ID = pre + %q\n", id[:4], id[4:])
	root := t.TempDir()
	for _, c := range []struct {
		body  string
		found bool
	}{
		{goTable("T", int(analyzer.MaxCheckTokens)+1), false},
		{"// " + strings.Repeat("x", 2*int(analyzer.MaxCheckTokens)) + "\n", true},
	} {
		name := filepath.Join(root, "a.go")
		if err := os.WriteFile(name, []byte(head+c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		got, skipped, err := analyzer.ScanPackageDirShared(context.Background(), sc, root, []string{name}, root, root, nil, analyzer.MaxCheckTokens)
		if err != nil {
			t.Fatal(err)
		}
		if found := len(got) > 0; found != c.found || (len(skipped) > 0) == c.found {
			t.Errorf("%d bytes: found %v, left out %q; want found %v", len(head)+len(c.body), found, skipped, c.found)
		}
	}
}
