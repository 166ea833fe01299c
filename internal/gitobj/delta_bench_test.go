package gitobj

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// BenchmarkApplyDelta applies a delta of many small edits (git's usual
// mix of short copies and inserts, as go-git's DiffDelta writes them) to a
// 256 KiB base: the delta's checks and its copies are the read pass's
// cost per version of a file.
func BenchmarkApplyDelta(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var lines []string
	for i := range 8000 {
		lines = append(lines, fmt.Sprintf("line %d of a file: %x\n", i, rng.Uint64()))
	}
	base := []byte(strings.Join(lines, ""))
	for i := range lines {
		if rng.IntN(8) == 0 {
			lines[i] = fmt.Sprintf("changed %d\n", rng.Uint64())
		}
	}
	target := []byte(strings.Join(lines, ""))
	d := packfile.DiffDelta(base, target)
	b.SetBytes(int64(len(target)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ApplyDelta(base, d, nil); err != nil {
			b.Fatal(err)
		}
	}
}
