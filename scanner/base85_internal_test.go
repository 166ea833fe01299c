package scanner

import (
	"bytes"
	"encoding/ascii85"
	"math/rand/v2"
	"testing"
)

// TestB85CharZeroGroups checks b85Char against the groups themselves
// (review16 A-1): for Ascii85 of random groups, some of them zero (a z),
// a short last group, and line breaks anywhere, every decoded byte maps
// to the characters of its own group, as a five-character group maps
// its bytes, and a z's four bytes to the z.
func TestB85CharZeroGroups(t *testing.T) {
	r := rand.New(rand.NewPCG(85, 4))
	for round := range 2000 {
		var plain []byte
		for range r.IntN(12) {
			if r.IntN(2) == 0 {
				plain = append(plain, 0, 0, 0, 0)
			} else {
				plain = append(plain, byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256)), byte(1+r.IntN(255)))
			}
		}
		for range r.IntN(4) {
			plain = append(plain, byte(r.IntN(256)))
		}
		enc := make([]byte, ascii85.MaxEncodedLen(len(plain)))
		enc = enc[:ascii85.Encode(enc, plain)]
		if len(enc) == 0 {
			continue
		}
		// the expected span of each byte, in characters of enc
		var want [][2]int
		for c := 0; c < len(enc); {
			if enc[c] == 'z' {
				for range 4 {
					want = append(want, [2]int{c, c + 1})
				}
				c++
				continue
			}
			k := min(5, len(enc)-c)
			for j := range k - 1 {
				want = append(want, [2]int{c + j*5/4, c + ((j+1)*5+3)/4})
			}
			c += k
		}
		// the text with line breaks, and its segments
		var d []byte
		var segs []seg
		for c := 0; c < len(enc); {
			w := 1 + r.IntN(9)
			d = append(d, '\n')
			segs = append(segs, seg{c, len(d)})
			d = append(d, enc[c:min(c+w, len(enc))]...)
			c += w
		}
		dec, zs, ok := b85DecodeSegs(d, segs, len(d), b85Ascii, nil)
		if !ok || !bytes.Equal(dec, plain) || len(want) != len(plain) {
			t.Fatalf("round %d: %q decodes to %q (%v), want %q", round, enc, dec, ok, plain)
		}
		for i := range plain {
			if s, e := b85Char(zs, i, false), b85Char(zs, i+1, true); s != want[i][0] || e != want[i][1] {
				t.Fatalf("round %d: %q byte %d at characters [%d,%d), want %v", round, enc, i, s, e, want[i])
			}
		}
	}
}
