package scanner

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// TestCodePointColumnsLines: codePointColumns, which walks only the lines
// that hold findings, gives what reading each finding's line from its
// start gives, on random text of ASCII, newlines, multi-byte and invalid
// bytes, with findings placed at random (inside characters too) and byte
// columns right or wrong.
func TestCodePointColumnsLines(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", "b", "\n", "é", "€", "\xff", "        ", "\n\n"}
	// column is what the line of off says: its code-point column and
	// whether a multi-byte character stands before it, or 0.
	column := func(data []byte, off, col int) (int, bool) {
		ls := bytes.LastIndexByte(data[:off], '\n') + 1
		if off-ls+1 != col {
			return 0, false
		}
		n, multi, at := 0, false, ls
		for at < off {
			_, k := utf8.DecodeRune(data[at:])
			n, multi, at = n+1, multi || data[at] >= utf8.RuneSelf, at+k
		}
		if at != off {
			return 0, false
		}
		return n + 1, multi
	}
	for range 2000 {
		var b bytes.Buffer
		for range r.IntN(200) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		data := b.Bytes()
		var fs Findings
		for range r.IntN(6) {
			s := r.IntN(len(data) + 1)
			e := s + r.IntN(len(data)-s+1)
			col := func(off int) int {
				if r.IntN(4) == 0 {
					return 1 + r.IntN(50)
				}
				return off - (bytes.LastIndexByte(data[:off], '\n') + 1) + 1
			}
			fs = append(fs, Finding{Line: 1, Offset: s, EndOffset: e, Column: col(s), EndColumn: col(e)})
		}
		got := append(Findings(nil), fs...)
		codePointColumns(got, data)
		for i, f := range fs {
			s, ws := column(data, f.Offset, f.Column)
			e, we := column(data, f.EndOffset, f.EndColumn)
			want := [2]int{}
			if s > 0 && e > 0 && (ws || we) {
				want = [2]int{s, e}
			}
			if g := [2]int{got[i].CharColumn, got[i].EndCharColumn}; g != want {
				t.Fatalf("%q: finding %d at %d-%d (columns %d-%d): characters %v, want %v", data, i, f.Offset, f.EndOffset, f.Column, f.EndColumn, g, want)
			}
		}
	}
}
