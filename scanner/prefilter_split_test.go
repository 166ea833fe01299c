package scanner

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPrefilterSplitAgrees: the prefilter whose long lists are split by
// the byte after the pair (byNext) reports the same occurrences in the
// same order as the one that reads every list whole, on both paths, on
// random mixtures of the patterns' pieces and on the anchor-dense texts
// of issue 16 (spaced hex, Markdown emphasis, CDATA), tiled and cut at
// every length near the end.
func TestPrefilterSplitAgrees(t *testing.T) {
	type hit struct{ pat, at int }
	scan := func(p *prefilter, b []byte) []hit {
		var hs []hit
		p.scan(b, func(pat, at int) { hs = append(hs, hit{pat, at}) })
		return hs
	}
	for _, pats := range prefilterSets {
		for _, simd := range []bool{false, true} {
			whole, split := buildPrefilterSplit(pats, simd, 1<<16), buildPrefilterSplit(pats, simd, splitEntries)
			if simd && !whole.simd {
				continue
			}
			same := func(b []byte) {
				t.Helper()
				if w, g := scan(whole, b), scan(split, b); !slices.Equal(w, g) {
					t.Fatalf("simd %v, %q: split lists found %v, whole lists %v", simd, b, g, w)
				}
			}
			r := rand.New(rand.NewPCG(61, 62))
			for range 3000 {
				same(prefilterInput(r, pats, r.IntN(300)))
			}
			for _, unit := range []string{"41:4b:49:41:", ",41,4b,49,41", "\t41\t4b\t49\t41", "-41-4b-49-41", "41 4b 49 41 ",
				"AKIA**", "AK<![CDATA[IA]]>", "%41%4B%49%41", `\x41\x4b\x49\x41`, "414b4941", "&#65;&#75;"} {
				b := bytes.Repeat([]byte(unit), 400)
				for n := len(b) - 40; n <= len(b); n++ {
					same(b[:n])
				}
			}
		}
	}
}
