package history

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/scanner"
)

// BenchmarkWalk measures the walk pass alone (collecting the commits and
// walking their trees, no blob read) on the repository named by
// KEYSCAN_WALK_REPO, e.g. a benchmark repository under /work/.mirror: the
// cost of the walk grows with the size of the directories a history
// rewrites, which a generated repository does not show. It reports the
// commit collection and the tree walk apart (collect-ms, walk-ms), with the
// walk's memos and without.
func BenchmarkWalk(b *testing.B) {
	dir := os.Getenv("KEYSCAN_WALK_REPO")
	if dir == "" {
		b.Skip("KEYSCAN_WALK_REPO names no repository")
	}
	sc := fixture.Scanner(b)
	b.Run("memo", func(b *testing.B) { benchWalk(b, dir, sc, memoLimit) })
	b.Run("nomemo", func(b *testing.B) { benchWalk(b, dir, sc, 0) })
}

func benchWalk(b *testing.B, dir string, sc *scanner.Scanner, memo int) {
	var collect, walk time.Duration
	for b.Loop() {
		r, err := openRepo(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		s := &scan{repo: r, sc: sc, memoLimit: memo}
		s.loadPacks()
		s.objr = r.objs.NewReader(32 << 20)
		t0 := time.Now()
		if err := s.collectCommits(context.Background()); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := s.walkTrees(context.Background()); err != nil {
			b.Fatal(err)
		}
		collect += t1.Sub(t0)
		walk += time.Since(t1)
		r.close()
	}
	b.ReportMetric(float64(collect.Milliseconds())/float64(b.N), "collect-ms")
	b.ReportMetric(float64(walk.Milliseconds())/float64(b.N), "walk-ms")
}
