package history_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/scanner/history"
)

// BenchmarkManyRefsOneLooseCommit is qa34 7: 200,000 tags in packed-refs,
// every one naming the same loose commit, as a release tool or a mirror of
// pull-request refs leaves them before git gc. Each ref's tip was peeled
// by reading its object, and a loose object is inflated anew on each
// read: 14 CPU seconds for 200,000 refs where packed it took 0.84. The
// tips are now peeled once per object. KEYSCAN_BENCH_REFS sets the number
// of refs (default 50,000).
func BenchmarkManyRefsOneLooseCommit(b *testing.B) {
	n := 50000
	if s := os.Getenv("KEYSCAN_BENCH_REFS"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil {
			b.Fatalf("KEYSCAN_BENCH_REFS: %v", err)
		}
	}
	r := newGitRepo(b)
	r.write("README", "hello\n")
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "one")
	head := r.git("rev-parse", "HEAD")
	var refs strings.Builder
	refs.WriteString("# pack-refs with: peeled fully-peeled sorted \n")
	for i := range n {
		fmt.Fprintf(&refs, "%s refs/tags/v%07d\n", head, i)
	}
	if err := os.WriteFile(filepath.Join(r.dir, ".git", "packed-refs"), []byte(refs.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	sc := fixture.Scanner(b)
	b.ReportAllocs()
	for b.Loop() {
		res, err := history.Scan(context.Background(), r.dir, sc, history.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Stats.Commits != 1 {
			b.Fatalf("%d commits, want 1", res.Stats.Commits)
		}
	}
	b.ReportMetric(float64(n), "refs")
}
