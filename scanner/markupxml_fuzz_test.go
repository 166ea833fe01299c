package scanner

import (
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
	f.Fuzz(func(t *testing.T, d []byte) {
		ents, _ := xmlEntities(d)
		if len(ents) > maxEntities {
			t.Fatalf("%d entities", len(ents))
		}
		seeds := entityRefs(d, ents, nil)
		for _, w := range seeds {
			if w.lo < 0 || w.hi > len(d) || w.lo >= w.hi {
				t.Fatalf("seed %v of %d bytes", w, len(d))
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
