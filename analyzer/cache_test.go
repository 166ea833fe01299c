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

// goConsts returns a Go declaration of n integer constants named
// name0…: about 4n tokens the importer keeps and type-checks, the shape of
// qa30 M6's packages.
func goConsts(name string, n int) string {
	var b strings.Builder
	b.WriteString("\nconst (\n")
	for i := range n {
		fmt.Fprintf(&b, "\t%s%d = %d\n", name, i, i)
	}
	b.WriteString(")\n")
	return b.String()
}

// TestImportCacheBound: the imported packages one scan holds are bounded
// as a package's check is (qa30 M6: eight imported packages each just
// under MaxCheckTokens held 1.1 GB to the scan's end). One check holds no
// more than the bound of imports at once, and one it cannot hold is a gap
// (its files are returned), never a key silently missed; the packages no
// check uses keep no more than the bound, and one that left is read again
// when asked for. Packages importing each other in a chain, each scanned,
// keep the cache within the bound too.
func TestImportCacheBound(t *testing.T) {
	const bound = analyzer.CheckBound(2500) // one package of 2,000 tokens fits, two do not
	id := fakekey.New(6601).KeyID("AKIA")
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
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
	write("go.mod", "module example.com/m\n\ngo 1.22\n")
	const libs = 6
	for i := range libs {
		pre := "x"
		if i == libs-1 {
			pre = id[:8]
		}
		write(fmt.Sprintf("l%d/l.go", i), fmt.Sprintf("package l%d\n\nconst Pre = %q\n", i, pre)+goConsts("C", 500))
	}
	// wide imports the six and uses the key's last; first uses the key's
	// first (a check takes its imports in the order it meets them).
	var imports, all strings.Builder
	for i := range libs {
		fmt.Fprintf(&imports, "\t\"example.com/m/l%d\"\n", i)
		fmt.Fprintf(&all, " + l%d.Pre", i)
	}
	tail := fmt.Sprintf("\nconst ID = l%d.Pre + %q\n", libs-1, id[8:])
	write("wide/w.go", "package wide\n\nimport (\n"+imports.String()+")\n\nconst All = \"\""+all.String()+"\n"+tail)
	write("first/f.go", fmt.Sprintf("package first\n\nimport (\n\t\"example.com/m/l%d\"\n\t\"example.com/m/l0\"\n)\n", libs-1)+tail+"\nconst All = l0.Pre\n")
	// c0 imports c1 … c4 imports c5, whose Pre c4 completes.
	const chain = 6
	for i := range chain {
		src := fmt.Sprintf("package c%d\n\n", i)
		switch {
		case i == chain-1:
			src += fmt.Sprintf("const Pre = %q\n", id[:8])
		case i == chain-2:
			src += fmt.Sprintf("import \"example.com/m/c%d\"\n\nconst Pre = \"AK\"\n\nconst ID = c%d.Pre + %q\n", i+1, i+1, id[8:])
		default:
			src += fmt.Sprintf("import \"example.com/m/c%d\"\n\nconst Pre = \"AK\" + c%d.Pre\n", i+1, i+1)
		}
		write(fmt.Sprintf("c%d/c.go", i), src+goConsts("C", 500))
	}

	cache := analyzer.NewImportCache()
	scan := func(pkg string) (found bool, skipped []string) {
		t.Helper()
		dir := filepath.Join(root, pkg)
		names, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		fs, over, err := analyzer.ScanPackageDirShared(context.Background(), sc, dir, names, dir, root, cache, bound)
		if err != nil {
			t.Fatal(err)
		}
		if n := cache.IdleTokens(); n > int(bound) {
			t.Errorf("after %s the cache holds %d tokens of packages no check uses, past the bound %d", pkg, n, bound)
		}
		for _, f := range over {
			r, _ := filepath.Rel(root, f.Name)
			skipped = append(skipped, filepath.ToSlash(r))
		}
		return slices.ContainsFunc(fs, func(f scanner.Finding) bool { return f.Secret == id }), skipped
	}
	found, skipped := scan("wide")
	want := []string{"l1/l.go", "l2/l.go", "l3/l.go", "l4/l.go", "l5/l.go"}
	if found || !slices.Equal(skipped, want) {
		t.Errorf("wide: key found %v, left out %q; want the key's package left out and said: %q", found, skipped, want)
	}
	if found, skipped := scan("first"); !found || !slices.Equal(skipped, []string{"l0/l.go"}) {
		t.Errorf("first: key found %v, left out %q; want it found and l0 left out", found, skipped)
	}
	for i := range chain {
		found, skipped := scan(fmt.Sprintf("c%d", i))
		if found != (i == chain-2) || len(skipped) != 0 {
			t.Errorf("c%d: key found %v, left out %q", i, found, skipped)
		}
	}
	// c5 left the cache for c1…; c4 reads it again and finds its key.
	before := cache.Checks()
	if found, _ := scan("c0"); found {
		t.Errorf("c0: a key three packages away is beyond the scan, by design")
	}
	if found, _ := scan(fmt.Sprintf("c%d", chain-2)); !found {
		t.Errorf("c%d, again: key not found", chain-2)
	}
	if n := cache.Checks() - before; n != 2 {
		t.Errorf("%d packages read again after they left the cache, want 2 (c1 and c5)", n)
	}
	// With no bound, nothing leaves and the wide package's key is found.
	cache = analyzer.NewImportCache()
	dir := filepath.Join(root, "wide")
	if fs, over, err := analyzer.ScanPackageDirShared(context.Background(), sc, dir, []string{filepath.Join(dir, "w.go")}, dir, root, cache, 0); err != nil || len(over) != 0 ||
		!slices.ContainsFunc(fs, func(f scanner.Finding) bool { return f.Secret == id }) {
		t.Errorf("no bound: %d findings, left out %q, %v; want the key", len(fs), over, err)
	}
}
