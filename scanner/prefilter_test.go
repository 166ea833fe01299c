package scanner

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPrefilterFindsEveryOccurrence compares the prefilter with the plain
// search of every pattern at every position, on random mixtures of the
// patterns and their pieces at every alignment and near both ends.
func TestPrefilterFindsEveryOccurrence(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	type hit struct{ pat, at int }
	for range 2000 {
		var b []byte
		for n := r.IntN(120); len(b) < n; {
			switch p := patterns[r.IntN(len(patterns))].text; r.IntN(4) {
			case 0:
				b = append(b, p...)
			case 1:
				b = append(b, p[r.IntN(len(p)):]...)
			case 2:
				b = append(b, p[:r.IntN(len(p)+1)]...)
			default:
				b = append(b, "xyz \n\"=_ecokAI"[r.IntN(14)])
			}
		}
		var want, got []hit
		for i, p := range patterns {
			for at := 0; at < len(b); at++ {
				if bytes.HasPrefix(b[at:], []byte(p.text)) {
					want = append(want, hit{i, at})
				}
			}
		}
		last := map[int]int{}
		defaultPrefilter.scan(b, func(pat, at int) {
			if l, ok := last[pat]; ok && at <= l {
				t.Fatalf("%q: pattern %q reported at %d after %d", b, patterns[pat].text, at, l)
			}
			last[pat] = at
			got = append(got, hit{pat, at})
		})
		cmp := func(a, b hit) int {
			if a.pat != b.pat {
				return a.pat - b.pat
			}
			return a.at - b.at
		}
		slices.SortFunc(got, cmp)
		if !slices.Equal(got, want) {
			t.Fatalf("%q: prefilter found %v, the plain search %v", b, got, want)
		}
	}
}
