package scanner

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestCellEndAfterAsStated holds cellEndAfter, headerOf's first test asked
// inline, to a plain statement of it: past at most sixteen bytes of a
// cell's padding (blanks, quotes, backquotes, asterisks), a delimiter
// (, tab | ;) is the answer, a line's end ('\n', '\r' or the data's end) is
// '\n', anything else 0; a seventeenth padding byte is anything else.
func TestCellEndAfterAsStated(t *testing.T) {
	for c := range 256 {
		b := byte(c)
		if cellPad(b) != (strings.IndexByte(" \"'`*", b) >= 0) || isCellDelim(b) != (strings.IndexByte(",\t|;", b) >= 0) {
			t.Fatalf("byte %#x: cellPad %v, isCellDelim %v", b, cellPad(b), isCellDelim(b))
		}
	}
	r := rand.New(rand.NewPCG(27, 16))
	pieces := []string{" ", "\"", "'", "`", "*", ",", "\t", "|", ";", "\n", "\r", ":", "=", "a", "(", "-", strings.Repeat(" ", 15), strings.Repeat("\"", 16)}
	for range 100000 {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		d := []byte(b.String())
		j := r.IntN(len(d) + 1)
		want := byte(0)
		k := j
		for k < len(d) && k-j < 16 && strings.IndexByte(" \"'`*", d[k]) >= 0 {
			k++
		}
		switch {
		case k == len(d) || d[k] == '\n' || d[k] == '\r':
			want = '\n'
		case strings.IndexByte(",\t|;", d[k]) >= 0:
			want = d[k]
		}
		if got := cellEndAfter(d, j); got != want {
			t.Fatalf("cellEndAfter(%q, %d) = %q, want %q", d, j, got, want)
		}
	}
}
