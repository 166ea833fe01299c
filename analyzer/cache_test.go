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

// TestImportCacheChecksOnce: a package imported by many candidate packages
// is type-checked once per scan, not once per importer (qa3 MEDIUM-11), and
// each importer still folds its key with the shared package's constant.
// Without a cache every call reads the package again.
func TestImportCacheChecksOnce(t *testing.T) {
	root := t.TempDir()
	write := func(rel, src string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/f\n\ngo 1.22\n")
	var big strings.Builder
	big.WriteString("package big\n\nconst K = \"AK\"\n")
	for j := range 200 {
		fmt.Fprintf(&big, "const C%d = \"x%d\" + \"y\"\n", j, j)
	}
	write("big/a.go", big.String())
	const importers = 12
	ids := make([]string, importers)
	for i := range importers {
		ids[i] = fakekey.New(uint64(i + 1)).KeyID("AKIA")
		write(fmt.Sprintf("u%d/a.go", i), fmt.Sprintf("package u%d\n\nimport \"example.com/f/big\"\n\nconst K = big.K + \"%s\"\n", i, ids[i][2:]))
	}
	write("quiet/a.go", "package quiet\n\nimport \"example.com/f/big\"\n\nconst T = \"AK\" + big.C1\n")
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cache := analyzer.NewImportCache()
	for i := range importers {
		dir := filepath.Join(root, fmt.Sprintf("u%d", i))
		fs, _, err := analyzer.ScanPackageDirShared(context.Background(), sc, dir, []string{"a.go"}, dir, root, cache, analyzer.MaxCheckTokens)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 || fs[0].Secret != ids[i] {
			t.Errorf("u%d: %d findings, want its key ID", i, len(fs))
		}
	}
	dir := filepath.Join(root, "quiet")
	if fs, _, err := analyzer.ScanPackageDirShared(context.Background(), sc, dir, []string{"a.go"}, dir, root, cache, analyzer.MaxCheckTokens); err != nil || len(fs) != 0 {
		t.Errorf("quiet: %d findings, %v", len(fs), err)
	}
	if n := cache.Checks(); n != 1 {
		t.Errorf("big type-checked %d times for %d importers, want once", n, importers+1)
	}
}
