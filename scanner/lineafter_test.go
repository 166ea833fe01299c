package scanner

import (
	"math/rand/v2"
	"testing"
)

// TestLineAfterAsLineStart holds lineAfter to what it stands for,
// lineStartWithin(d, off, limit) > end, on random text of few and many
// newlines.
func TestLineAfterAsLineStart(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for range 20000 {
		d := make([]byte, r.IntN(300))
		for i := range d {
			d[i] = 'a'
			if r.IntN(1+r.IntN(40)) == 0 {
				d[i] = '\n'
			}
		}
		off, end, limit := r.IntN(len(d)+1), r.IntN(len(d)+1), 1+r.IntN(80)
		if got, want := lineAfter(d, off, end, limit), lineStartWithin(d, off, limit) > end; got != want {
			t.Fatalf("lineAfter(%q, %d, %d, %d) = %v, want %v", d, off, end, limit, got, want)
		}
	}
}
