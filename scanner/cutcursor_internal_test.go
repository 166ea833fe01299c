package scanner

import (
	"math/rand/v2"
	"testing"
)

// TestCutCursorSameAsMarkupCut: the cursor answers as markupCut does for
// windows that move forward, jump back, overlap or leave gaps, over text
// made of the bytes markupCut asks about.
func TestCutCursorSameAsMarkupCut(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 4))
	const alphabet = "<>&;a*"
	for round := range 3000 {
		d := make([]byte, 1+r.IntN(300))
		for i := range d {
			d[i] = alphabet[r.IntN(len(alphabet))]
		}
		var c cutCursor
		lo := 0
		for range 40 {
			switch r.IntN(4) {
			case 0:
				lo = r.IntN(len(d))
			default:
				lo = min(len(d)-1, lo+r.IntN(8))
			}
			hi := min(len(d), lo+r.IntN(64))
			if got, want := c.cut(d, lo, hi), markupCut(d, lo, hi); got != want {
				t.Fatalf("round %d: cut(%q, %d, %d) = %d, markupCut says %d", round, d, lo, hi, got, want)
			}
		}
	}
}
