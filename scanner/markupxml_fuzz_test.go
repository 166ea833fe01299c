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
		ents := xmlEntities(d)
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
			sg := markupReader{kind: k, ents: ents}.text(d, window{0, len(d)})
			if len(sg.text) != len(sg.from) || len(sg.text) != len(sg.to) {
				t.Fatalf("kind %d: %d bytes, %d from, %d to", k, len(sg.text), len(sg.from), len(sg.to))
			}
			last := 0
			for i := range sg.text {
				if sg.from[i] < last || sg.from[i] >= sg.to[i] || sg.to[i] > len(d) {
					t.Fatalf("kind %d: byte %d maps to [%d,%d) after %d", k, i, sg.from[i], sg.to[i], last)
				}
				last = sg.from[i]
			}
		}
	})
}
