package scanner

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// TestCellPos: every decoded byte of a cell maps to the raw byte it comes
// from: itself when written as itself, else the backslash of its escape.
// The map is kept as segments (qa15 HIGH-10), so this checks every byte of
// strings of plain runs, escapes and non-ASCII characters.
func TestCellPos(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "AKIA", " ", "\"", "\\", "\n", "\t", "é", "€", "\u0001", "/", "'"}
	for n := 0; n < 300; n++ {
		var s []byte
		for k := r.IntN(40); k >= 0; k-- {
			s = append(s, pieces[r.IntN(len(pieces))]...)
		}
		raw, _ := json.Marshal(string(s)) // escapes quotes, controls; may write \u escapes
		d := append([]byte(`{"source": `), raw...)
		var pos cellPos
		i, dec, _ := cellSource(d, len(`{"source"`), nil, &pos, nil)
		if string(dec) != string(s) || i != len(d) {
			t.Fatalf("%q: decoded %q, stopped at %d of %d", d, dec, i, len(d))
		}
		for x := range dec {
			at := pos.at(x)
			if at < 0 || at >= len(d) {
				t.Fatalf("%q: byte %d maps to %d", d, x, at)
			}
			if d[at] != dec[x] && d[at] != '\\' && dec[x] < 0x80 {
				t.Fatalf("%q: byte %d (%q) maps to %d (%q)", d, x, dec[x], at, d[at])
			}
		}
	}
}
