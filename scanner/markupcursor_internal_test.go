package scanner

import (
	"bytes"
	"math/rand/v2"
	"slices"
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

// TestRewriteArenaAsAlloc: markupReader.text writes the same rewrites
// into a rewriteArena as into memory of their own, and the rewrites of
// one piece stay as written while the piece's next ones are built in the
// arena, small and large (an arena that grows moves only later ones).
func TestRewriteArenaAsAlloc(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	alpha := []string{"AKIA", "**", "`", "~", "<b>", "</b>", "&amp;", "&#65;", "[x](u)", "]]>", "<![CDATA[", "<!-- c -->", "x", " ", "\n", "IA"}
	var a rewriteArena
	for _, kind := range []markupKind{markdownMarkup, htmlMarkup, plainXML} {
		for range 300 {
			var b bytes.Buffer
			for n := 200 + r.IntN(20000); b.Len() < n; {
				b.WriteString(alpha[r.IntN(len(alpha))])
			}
			d := b.Bytes()
			plain := markupReader{kind: kind}
			arena := markupReader{kind: kind, arena: &a}
			var got, want []rewrite
			for range 1 + r.IntN(8) {
				lo := r.IntN(len(d))
				w := window{lo, lo + r.IntN(len(d)-lo) + 1}
				got = append(got, arena.text(d, w))
				want = append(want, plain.text(d, w))
			}
			for i := range got {
				if !bytes.Equal(got[i].text, want[i].text) || !slices.Equal(got[i].from, want[i].from) || !slices.Equal(got[i].to, want[i].to) ||
					got[i].start != want[i].start || got[i].end != want[i].end || got[i].encoding != want[i].encoding {
					t.Fatalf("rewrite %d of %d in the arena: %q, want %q", i, len(got), got[i].text, want[i].text)
				}
			}
			a.reset()
		}
	}
}
