package analyzer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	got, _, err := analyzer.ScanPackageDirShared(context.Background(), sc, dir, []string{"a.go"}, root, root, analyzer.NewImportCache(), analyzer.MaxCheckTokens)
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
