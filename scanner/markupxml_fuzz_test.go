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
	f.Add([]byte("AK[IA](u)x [AKIA](https://a/b)B **[A](/a)**KIA A[KIA][1] ][]] ](x y) [[a](b)](c)\n[1]: /u"))
	f.Add([]byte(`<w:p><w:r><w:t>AK</w:t></w:r><w:del w:id="1"><w:r><w:delText>x</w:delText></w:r></w:del><w:del><w:r><w:t>IA</w:t></w:r><w:instrText>`))
	// the other views (qa34 5): deleted runs, insertions, field codes,
	// nested and unclosed, deleted field codes
	f.Add([]byte(`<w:p><w:del><w:r><w:delText>AK</w:delText></w:r><w:r><w:delText>IA</w:delText></w:r></w:del><w:ins><w:r><w:t>x</w:t></w:r></w:ins><w:ins/><w:r><w:instrText>HY</w:instrText></w:r><w:r><w:instrText>PER</w:instrText></w:r><w:r><w:t>`))
	f.Add([]byte(`<w:ins><w:ins><w:moveTo><w:t><w:t></w:t><w:delInstrText>A</w:delInstrText><w:del><w:moveFrom></w:ins>`))
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
		reach := newOfficeReach(d, finalView)
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
		for _, v := range []officeView{finalView, originalView, fieldView} {
			checkOfficeWalk(t, d, ents, newOfficeReach(d, v), v)
		}
		for _, k := range []markupKind{htmlMarkup, officeXML, plainXML, markdownMarkup} {
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

// checkOfficeWalk fails t unless an office part's stretch read from the
// walk over it (newOfficeReach) reads as it does tag by tag: the same
// text, mapped to the same bytes, from bytes of the text a reader sees to
// the part's end (a stretch's end is cut where no tag straddles it).
func checkOfficeWalk(t *testing.T, d []byte, ents map[string][]byte, reach *officeReach, view officeView) {
	t.Helper()
	if reach.namesFull {
		return // more names than are searched for: the two readings may count others
	}
	step := max(1, len(d)/64)
	for lo := 0; lo < len(d); lo += step {
		lo = reach.vis.next(lo, len(d))
		if lo == len(d) {
			break
		}
		w := window{lo, len(d)}
		got := markupReader{kind: officeXML, ents: ents, unseen: &unseenCloses{walk: reach, view: view}}.text(d, w)
		want := markupReader{kind: officeXML, ents: ents, unseen: &unseenCloses{view: view}}.text(d, w)
		if !bytes.Equal(got.text, want.text) || !slices.Equal(got.from, want.from) || !slices.Equal(got.to, want.to) {
			t.Fatalf("view %d, from %d of %q:\nwalk %q %v %v\ntags %q %v %v", view, lo, d, got.text, got.from, got.to, want.text, want.from, want.to)
		}
	}
}

// TestOfficeWalkReadsAsTags is qa20 P1's property: an office part's
// stretches read from one walk over it read as they did tag by tag, on
// Word-like parts of runs, properties, tracked deletions, moves, field
// codes, hidden runs (and runs whose vanish is turned off), comments,
// CDATA, breaks, tabs, table cells and references.
func TestOfficeWalkReadsAsTags(t *testing.T) {
	pieces := []string{
		`<w:r w:rsidR="00A1B2C3"><w:rPr><w:rFonts w:ascii="Calibri"/><w:sz w:val="22"/></w:rPr><w:t xml:space="preserve">text of a run </w:t></w:r>`,
		`<w:r><w:t>AK</w:t></w:r>`,
		`<w:del w:id="3" w:author="x"><w:r><w:delText>deleted</w:delText></w:r></w:del>`,
		`<w:moveFrom><w:r><w:t>moved</w:t></w:r></w:moveFrom>`,
		`<w:r><w:instrText xml:space="preserve"> HYPERLINK "x" </w:instrText></w:r>`,
		`<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r>`,
		`<w:r><w:rPr><w:b/><w:vanish w:val="0"/></w:rPr><w:t>shown</w:t></w:r>`,
		`<!-- a comment <w:t>x</w:t> -->`, `<![CDATA[in <b>cdata</b>]]>`,
		`<w:br/>`, `<w:tab/>`, `</w:p><w:p>`, `<w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc>`,
		`&amp;`, `&#65;`, `&lt;w:t&gt;`, `a < b`, `]]>`, `<w:del w:id="9"/>`, `<w:r>`, `</w:r>`, `<x:del>`,
		`<w:p w:rsidR="00112233"><w:pPr><w:spacing w:after="120"/></w:pPr>`,
		`<w:ins w:id="4" w:author="x"><w:r><w:t>inserted</w:t></w:r></w:ins>`, `<w:moveTo><w:r><w:t>moved here</w:t></w:r></w:moveTo>`,
		`<w:r><w:rPr><w:ins w:id="5"/></w:rPr></w:r>`, `<w:del><w:r><w:delInstrText> PAGE </w:delInstrText></w:r></w:del>`, `<w:ins>`, `</w:ins>`,
		`<w:r><w:fldChar w:fldCharType="begin"/></w:r>`, `<w:t>`, `</w:t>`,
	}
	r := rand.New(rand.NewPCG(26, 1))
	for n := 0; n < 300; n++ {
		var b strings.Builder
		b.WriteString(`<w:document ` + "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"" + `><w:body><w:p>`)
		for k := r.IntN(60); k >= 0; k-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		d := []byte(b.String())
		ents, _ := xmlEntities(d)
		for _, v := range []officeView{finalView, originalView, fieldView} {
			checkOfficeWalk(t, d, ents, newOfficeReach(d, v), v)
		}
	}
}
