package analyzer_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/scanner"
)

// BenchmarkScanPackageDir type-checks a large package directory of the
// standard library (go/types, ~100 files) the way keyscan scan does.
func BenchmarkScanPackageDir(b *testing.B) {
	dir := filepath.Join(runtime.GOROOT(), "src", "go", "types")
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Skip(err)
	}
	var names []string
	var size int64
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".go") {
			names = append(names, e.Name())
			if info, err := e.Info(); err == nil {
				size += info.Size()
			}
		}
	}
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := analyzer.ScanPackageDir(context.Background(), sc, dir, names, dir, dir); err != nil {
			b.Fatal(err)
		}
	}
}
