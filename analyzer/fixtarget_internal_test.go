package analyzer

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// TestUnwritable: an edit to a file that is a symbolic link, has a second
// hard link, is read-only, lies (links resolved) outside the module, or belongs to a
// package whose files a driver names in two folders (an editor that
// resolved a link) is not offered; a plain file of the module is. The
// files are real, made in a temporary folder.
func TestUnwritable(t *testing.T) {
	base := t.TempDir()
	mod, outside := filepath.Join(base, "mod"), filepath.Join(base, "outside")
	for _, d := range []string{mod, outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	src := "package p\n\nvar V = 1\n"
	for _, f := range []string{filepath.Join(mod, "plain.go"), filepath.Join(mod, "hard.go"), filepath.Join(outside, "creds.go"), filepath.Join(mod, "ro.go")} {
		if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(mod, "ro.go"), 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "creds.go"), filepath.Join(mod, "link.go")); err != nil {
		t.Skipf("symlinks: %v", err)
	}
	if err := os.Link(filepath.Join(mod, "hard.go"), filepath.Join(outside, "hard2.go")); err != nil {
		t.Skipf("hard links: %v", err)
	}
	check := func(names ...string) string {
		t.Helper()
		fset := token.NewFileSet()
		var files []*ast.File
		for _, n := range names {
			f, err := parser.ParseFile(fset, n, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		c := &checker{pass: &analysis.Pass{Fset: fset, Files: files}, root: mod}
		return c.unwritable(&analysis.SuggestedFix{TextEdits: []analysis.TextEdit{{Pos: files[0].Name.Pos(), End: files[0].Name.End()}}})
	}
	for _, tc := range []struct {
		files []string
		want  string
	}{
		{[]string{filepath.Join(mod, "plain.go")}, ""},
		{[]string{filepath.Join(mod, "link.go"), filepath.Join(mod, "plain.go")}, "symbolic link to " + filepath.Join(outside, "creds.go")},
		{[]string{filepath.Join(mod, "hard.go")}, "2 hard links"},
		{[]string{filepath.Join(mod, "ro.go")}, "read-only"},
		{[]string{filepath.Join(outside, "creds.go")}, "outside the module"},
		{[]string{filepath.Join(mod, "plain.go"), filepath.Join(outside, "creds.go")}, "more than one folder"},
	} {
		got := check(tc.files...)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("unwritable(%v) = %q, want %q", tc.files, got, tc.want)
		}
	}
}
