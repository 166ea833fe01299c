package scanner

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// FuzzMarkupText reads any bytes as each kind of markup, with the entities
// they declare: no panic, and every byte of the text is mapped to a
// stretch of the input, in order (a finding points at raw bytes).
func FuzzMarkupText(f *testing.F) {
	f.Add([]byte(`<!DOCTYPE c [<!ENTITY p "AKIA&#65;"> <!ENTITY q 'x'>]><a>&p;&q;<![CDATA[x]]></a><!-- c -->]]>&amp;`))
	f.Add([]byte(`<![CDATA[<!--`))
	f.Add([]byte(`<!ENTITY`))
	f.Add([]byte(`<!ENTITY a "&#x41;`))
	f.Add([]byte(`<w:p><w:r><w:t>AK</w:t></w:r><w:del w:id="1"><w:r><w:delText>x</w:delText></w:r></w:del><w:del><w:r><w:t>IA</w:t></w:r><w:instrText>`))
	f.Fuzz(func(t *testing.T, d []byte) {
		ents, _ := xmlEntities(d)
		if len(ents) > maxEntities {
			t.Fatalf("%d entities", len(ents))
		}
		seeds, _ := entityRefs(d, ents, nil)
		for _, w := range seeds {
			if w.lo < 0 || w.hi > len(d) || w.lo >= w.hi {
				t.Fatalf("seed %v of %d bytes", w, len(d))
			}
		}
		// An office part's text marks stand in order within it, and a
		// stretch ends past where it starts, within officeReachMax.
		reach := newOfficeReach(d)
		for i, p := range reach.marks {
			if p < 0 || p >= len(d) || i > 0 && p <= reach.marks[i-1] {
				t.Fatalf("marks %v of %d bytes", reach.marks, len(d))
			}
		}
		for from := range len(d) {
			if hi, _ := reach.end(from); hi <= from || hi > len(d) || hi-from > officeReachMax {
				t.Fatalf("stretch from %d ends at %d of %d bytes", from, hi, len(d))
			}
		}
		for _, k := range []markupKind{htmlMarkup, officeXML, plainXML} {
			for _, w := range markupPrefixSeeds(d, k, nil) {
				if w.lo < 0 || w.hi > len(d) || w.lo >= w.hi {
					t.Fatalf("prefix seed %v of %d bytes", w, len(d))
				}
			}
			checkRewrite(t, markupReader{kind: k, ents: ents}.text(d, window{0, len(d)}), window{0, len(d)})
		}
	})
}

// TestEntityRefsOnePass holds the one-pass reference search to the search
// it replaced (each declared name's "&name;" found file-wide): the same
// seeds on random entity-laden text, in the file's order, and past
// maxEntitySeeds references the rest are reported left, whatever order a
// map gives the names.
func TestEntityRefsOnePass(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 17))
	names := []string{"a", "ab", "k-1", "x.y", "ns:e", "long_name_9"}
	pieces := []string{"&", ";", "&a;", "&ab;", "&abc;", "&k-1;", "&x.y;", "&ns:e;", "&long_name_9;", "&&a;", "&a;;", "&#65;", " ", "AKIA", "<b>"}
	for round := 0; round < 2000; round++ {
		ents := map[string][]byte{}
		for _, n := range names {
			if rng.IntN(2) == 0 {
				ents[n] = []byte("v")
			}
		}
		var b []byte
		for range rng.IntN(60) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		var want []window
		for n := range ents {
			ref := []byte("&" + n + ";")
			for i := 0; ; {
				k := bytes.Index(b[i:], ref)
				if k < 0 {
					break
				}
				want = append(want, window{i + k, i + k + len(ref)})
				i += k + len(ref)
			}
		}
		slices.SortFunc(want, func(x, y window) int { return x.lo - y.lo })
		got, over := entityRefs(b, ents, nil)
		if over || !slices.Equal(got, want) {
			t.Fatalf("%q with %v: got %v (over %v), want %v", b, ents, got, over, want)
		}
	}
	ents := map[string][]byte{"p": []byte("AKIA"), "q": []byte("x")}
	d := []byte(strings.Repeat("&q;", maxEntitySeeds) + "&p;")
	got, over := entityRefs(d, ents, nil)
	if len(got) != maxEntitySeeds || !over || got[0] != (window{0, 3}) {
		t.Errorf("past the bound: %d seeds, over %v, first %v", len(got), over, got[0])
	}
	if _, over := entityRefs(d[:len(d)-3], ents, nil); over {
		t.Error("exactly maxEntitySeeds references reported as more")
	}
}
