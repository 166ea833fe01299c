package scanner

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestByteCursorAsIndex: byteCursor answers as a search of each stretch
// does, for stretches that move forward (decodeMarkup's keywords), that
// overlap, and that go back.
func TestByteCursorAsIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	alpha := []byte("ab *<`~[] \n")
	for range 2000 {
		d := make([]byte, r.IntN(3000))
		for i := range d {
			d[i] = alpha[r.IntN(len(alpha))]
			if r.IntN(4) > 0 {
				d[i] = 'a' // most bytes are none
			}
		}
		tags, marks := byteCursor{index: indexTagOpener}, byteCursor{index: indexMDMarker}
		x := 0
		for range 50 {
			if len(d) == 0 {
				break
			}
			switch r.IntN(5) {
			case 0:
				x = r.IntN(len(d)) // anywhere: behind or past the stretch known
			default:
				x = min(len(d)-1, x+r.IntN(40))
			}
			hi := min(len(d), x+r.IntN(1100))
			if got, want := tags.in(d, x, hi), bytes.IndexByte(d[x:hi], '<') >= 0; got != want {
				t.Fatalf("'<' in [%d,%d) of %q: %v, want %v", x, hi, d, got, want)
			}
			if got, want := indexMDMarker(d[x:hi]), bytes.IndexAny(d[x:hi], "*`~[]"); got != want {
				t.Fatalf("indexMDMarker of %q: %d, want %d", d[x:hi], got, want)
			}
			if got, want := marks.in(d, x, hi), indexMDMarker(d[x:hi]) >= 0; got != want {
				t.Fatalf("marker in [%d,%d) of %q: %v, want %v", x, hi, d, got, want)
			}
		}
	}
}
