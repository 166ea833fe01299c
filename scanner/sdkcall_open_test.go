package scanner

import (
	"math/rand/v2"
	"testing"
)

// TestCallOpenersAsCallOpen holds credentialCall's shortcut to the loop it
// skips: wherever callOpen stops on a '(', callOpeners saw one, and wherever
// it stops on a '<', callOpeners saw a '(' or a '<'; callOpen never reads
// past the 25 bytes callOpeners looks at. Texts of blanks, words and the
// bytes that end them (some with none for 24 bytes and more), cut anywhere.
func TestCallOpenersAsCallOpen(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 16))
	words, ends := []byte(" aZ9_x"), []byte("(<.\n-\"{>")
	for range 200000 {
		d := make([]byte, r.IntN(64))
		odds := 2 + r.IntN(40) // one byte in odds ends a word: often none for 24 bytes
		for k := range d {
			if r.IntN(odds) == 0 {
				d[k] = ends[r.IntN(len(ends))]
			} else {
				d[k] = words[r.IntN(len(words))]
			}
		}
		i := r.IntN(len(d) + 1)
		j := callOpen(d, i)
		paren, angle := callOpeners(d, i)
		if j-i > 24 {
			t.Fatalf("%q from %d: callOpen read to %d, past the 25 bytes", d, i, j)
		}
		if j < len(d) && (d[j] == '(' && !paren || d[j] == '<' && !paren && !angle) {
			t.Fatalf("%q from %d: callOpen stops on %q at %d, callOpeners saw (%v, %v)", d, i, d[j], j, paren, angle)
		}
	}
}
