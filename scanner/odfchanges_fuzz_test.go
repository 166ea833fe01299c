package scanner

import (
	"bytes"
	"testing"
)

// FuzzRestoreODF: restoreODF neither panics nor hangs on any part, its
// text is the part's bytes piece by piece, and place answers inside the
// part.
func FuzzRestoreODF(f *testing.F) {
	f.Add([]byte(`<office:text><text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info><dc:creator>a</dc:creator></office:change-info><text:p>TAIL</text:p></text:deletion></text:changed-region><text:changed-region text:id="ct2"><text:insertion><office:change-info/></text:insertion></text:changed-region></text:tracked-changes><text:p>HEAD<text:change text:change-id="ct1"/><text:change-start text:change-id="ct2"/>new<text:change-end text:change-id="ct2"/></text:p></office:text>`))
	f.Add([]byte(`<text:p><text:change text:change-id="a"/></text:p><text:tracked-changes><text:changed-region xml:id="a" text:id="a"><text:deletion><office:change-info/><text:p>x</text:p><text:p/></text:deletion></text:changed-region></text:tracked-changes>`))
	f.Add([]byte(`<text:tracked-changes/><text:changed-region text:id=""><text:deletion>`))
	f.Add([]byte(`<table:tracked-changes><table:cell-content-change table:id="ct1"/></table:tracked-changes>changed-region`))
	f.Fuzz(func(t *testing.T, d []byte) {
		r, ok := restoreODF(d)
		if !ok {
			return
		}
		var b []byte
		for i, p := range r.pieces {
			if p.src < 0 || p.n <= 0 || p.src+p.n > len(d) || p.dst != len(b) {
				t.Fatalf("piece %d %+v of a part of %d bytes, text so far %d", i, p, len(d), len(b))
			}
			b = append(b, d[p.src:p.src+p.n]...)
		}
		if !bytes.Equal(b, r.text) {
			t.Fatalf("text %q, pieces make %q", r.text, b)
		}
		for lo := 0; lo < len(r.text); lo += 7 {
			hi := min(len(r.text), lo+20)
			if a, z := r.place(lo, hi); a < 0 || z > len(d) || a >= z {
				t.Fatalf("place(%d,%d) = %d,%d in a part of %d bytes", lo, hi, a, z, len(d))
			}
		}
	})
}
