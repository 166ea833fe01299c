package scanner

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// sectionAboveWalk is keywordParent's line-by-line walk for a name at no
// indent, as it was before sectionAbove: where it ends and the nearest
// section header it reads, or -1.
func sectionAboveWalk(d []byte, ls, i int) (end, sec int) {
	s := ls
	for s > 0 && i-s < parentBytes {
		l := lineStartWithin(d, s-1, parentBytes)
		line := d[l : s-1]
		s = l
		if t := bytes.TrimSpace(line); len(t) == 0 || isComment(t) {
			continue
		}
		if iniHeader(line) {
			return s, l
		}
	}
	return s, -1
}

// TestSectionAbove: sectionAbove answers as the walk does, on lines short
// and longer than parentBytes and nameWindow, with headers, brackets
// inside lines, comments and blank lines, near the start and far from it.
func TestSectionAbove(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"[aws]", "[default]", "[ x ]", "[a b", "x = [1, 2]", "# [c]", "  [indented]", "[]", "[s]  \r", "key: value", "", "secret"}
	for n := range 800 {
		var b strings.Builder
		for b.Len() < r.IntN(12000) {
			switch k := r.IntN(len(pieces) + 2); {
			case k < len(pieces):
				b.WriteString(pieces[k])
			case k == len(pieces):
				b.WriteString(strings.Repeat("v", r.IntN(4000)))
			default:
				b.WriteString(strings.Repeat("[", r.IntN(3)) + strings.Repeat("w", r.IntN(200)))
			}
			b.WriteString([]string{"\n", "\n", "\n\n", ""}[r.IntN(4)])
		}
		d := []byte(b.String())
		for range 8 {
			i := r.IntN(len(d) + 1)
			ls := lineStartWithin(d, i, nameWindow)
			wantEnd, wantSec := sectionAboveWalk(d, ls, i)
			end, sec := sectionAbove(d, ls, i)
			if sec != wantSec || sec < 0 && end != wantEnd {
				t.Fatalf("case %d, i=%d ls=%d: sectionAbove = %d, %d; the walk %d, %d", n, i, ls, end, sec, wantEnd, wantSec)
			}
		}
	}
}
