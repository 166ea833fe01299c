package scanner

import (
	"bytes"
	"testing"
)

// FuzzShellWords reads any line as shell words and as a batch file's
// line: no panic, words inside the line in order, and every byte of a
// rewrite mapped to a stretch of its word, in order.
func FuzzShellWords(f *testing.F) {
	f.Add([]byte(`export K=AKIA"x"'y'$'\x41\101\n'\z "a\"b" # c`))
	f.Add([]byte("set K=a^\r\nb^c^"))
	f.Add([]byte(`$'\`))
	f.Add([]byte("K=\"AKIA\"\\\n\"x\"\\\r\ny # c\\\nz"))
	f.Fuzz(func(t *testing.T, d []byte) {
		if le := bytes.IndexByte(d, '\n'); le >= 0 {
			if hi := continuedLine(d, le); hi < le || hi > len(d) {
				t.Fatalf("line ending at %d continued to %d of %d bytes", le, hi, len(d))
			}
		}
		last := 0
		for _, w := range joinedWords(d, 0, len(d), nil) {
			if w.lo < last || w.hi > len(d) || w.lo >= w.hi {
				t.Fatalf("word %v after %d in %d bytes", w, last, len(d))
			}
			last = w.hi
			sg, _ := wordText(d, w)
			checkRewrite(t, sg, w)
		}
		checkWordJoined(t, d)
		if hi, ok := caretLine(d, 0, len(d)); ok {
			checkRewrite(t, caretText(d, window{0, hi}), window{0, hi})
		}
	})
}

// checkRewrite fails t unless every byte of sg maps to a stretch of w, in
// order.
func checkRewrite(t *testing.T, sg rewrite, w window) {
	t.Helper()
	if len(sg.text) != len(sg.from) || len(sg.text) != len(sg.to) {
		t.Fatalf("%d bytes, %d from, %d to", len(sg.text), len(sg.from), len(sg.to))
	}
	last := w.lo
	for i := range sg.text {
		if sg.from[i] < last || sg.from[i] >= sg.to[i] || sg.to[i] > w.hi {
			t.Fatalf("byte %d maps to [%d,%d) after %d in %v", i, sg.from[i], sg.to[i], last, w)
		}
		last = sg.from[i]
	}
}

// checkWordJoined fails t unless wordJoined says of the word that starts
// at each byte of d what wordText says.
func checkWordJoined(t *testing.T, d []byte) {
	t.Helper()
	for lo := range d {
		e, ok := wordEnd(d, lo, len(d))
		if !ok || e <= lo {
			continue
		}
		w := window{lo, e}
		if _, want := wordText(d, w); wordJoined(d, w) != want {
			t.Fatalf("wordJoined(%q) = %v, wordText says %v", d[lo:e], !want, want)
		}
	}
}
