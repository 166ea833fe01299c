package analyzer_test

import (
	"context"
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
