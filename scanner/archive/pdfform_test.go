package archive

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// formPDF is a one-page PDF whose page draws page (its content stream,
// object 4), with Courier as /F1 and the forms given as objects 6 on,
// /Fm1, /Fm2… in the page's resources.
func formPDF(page string, forms ...archivetest.PDFObject) []byte {
	var names strings.Builder
	for i := range forms {
		fmt.Fprintf(&names, "/Fm%d %d 0 R ", i+1, i+6)
	}
	objs := []archivetest.PDFObject{
		{Dict: "/Type /Catalog /Pages 2 0 R"},
		{Dict: "/Type /Pages /Kids [3 0 R] /Count 1"},
		{Dict: "/Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /XObject << " + names.String() + ">> >> /Contents 4 0 R"},
		{Dict: "", Stream: []byte(page)},
		{Dict: "/Type /Font /Subtype /Type1 /BaseFont /Courier"},
	}
	return archivetest.PDF(append(objs, forms...), "")
}

// form is a form XObject drawing content, its other dictionary entries
// extra (its resources Courier as /F1 where extra gives none).
func form(extra, content string) archivetest.PDFObject {
	if !strings.Contains(extra, "/Resources") {
		extra += " /Resources << /Font << /F1 5 0 R >> >>"
	}
	return archivetest.PDFObject{Dict: "/Type /XObject /Subtype /Form /BBox [0 0 400 20] " + extra, Stream: []byte(content)}
}

// TestPDFFormSplitsValue: a value whose halves a page and a form XObject
// draw side by side (a PDF editor's text box, a template's field), or two
// forms, or a form inside a form, is read whole: each form is drawn where
// the page invokes it, through its /Matrix (CLOSING17: read alone, the
// page's text and the form's were two members, the value in neither). A
// form is read once: placed, it is not read alone again; a form no page
// draws (an annotation's appearance) is read alone. A form that draws
// itself, and forms drawn past the depth, end.
func TestPDFFormSplitsValue(t *testing.T) {
	secret := fakekey.New(25).Secret()
	a, b := secret[:20], secret[20:]
	// Courier at 10 points: each glyph 6 units wide.
	head := "aws_secret_access_key = "
	x := 100 + 6*(len(head)+len(a))
	page := func(rest string) string {
		return "BT /F1 10 Tf 100 520 Td (" + head + a + ") Tj ET " + rest
	}
	draw := func(s string) string { return "BT /F1 10 Tf 0 0 Td (" + s + ") Tj ET" }
	for _, tc := range []struct {
		name  string
		data  []byte
		alone bool // b is read alone, not joined: no page draws its form
	}{
		{"page then form", formPDF(page(fmt.Sprintf("q 1 0 0 1 %d 520 cm /Fm1 Do Q", x)), form("", draw(b))), false},
		{"form's matrix", formPDF(page("/Fm1 Do"), form(fmt.Sprintf("/Matrix [1 0 0 1 %d 520]", x), draw(b))), false},
		{"deflated form", formPDF(page(fmt.Sprintf("q 1 0 0 1 %d 520 cm /Fm1 Do Q", x)),
			archivetest.PDFObject{Dict: "/Type /XObject /Subtype /Form /BBox [0 0 400 20] /Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, []byte(draw(b)))}), false},
		{"two forms", formPDF(fmt.Sprintf("q 1 0 0 1 100 520 cm /Fm1 Do Q q 1 0 0 1 %d 520 cm /Fm2 Do Q", x),
			form("", draw(head+a)), form("", draw(b))), false},
		{"form in a form", formPDF(page(fmt.Sprintf("q 1 0 0 1 %d 520 cm /Fm1 Do Q", x)),
			form("/Resources << /XObject << /In 7 0 R >> /Font << /F1 5 0 R >> >>", "/In Do"), form("", draw(b))), false},
		{"no page draws it", formPDF(page(""), form("", draw(b))), true},
	} {
		got, warns, _ := walk(t, "p.pdf", tc.data, DefaultLimits())
		all := strings.Join(values(got), "\n")
		if whole := strings.Contains(all, head+secret); whole == tc.alone || len(warns) > 0 || strings.Count(all, b) != 1 {
			t.Errorf("%s: text %q, warnings %q", tc.name, all, warns)
		}
	}
	// A form that draws itself, and a chain of forms deeper than placed.
	self := formPDF(page("/Fm1 Do"), form("/Resources << /XObject << /Fm1 6 0 R >> >>", draw(b)+" /Fm1 Do"))
	if got, warns, _ := walk(t, "self.pdf", self, DefaultLimits()); !strings.Contains(strings.Join(values(got), "\n"), b) || len(warns) > 0 {
		t.Errorf("a form that draws itself: %q, warnings %q", values(got), warns)
	}
	var chain []archivetest.PDFObject
	for i := range pdfFormDepth + 2 {
		chain = append(chain, form(fmt.Sprintf("/Resources << /XObject << /In %d 0 R >> >>", i+7), draw(b[:i%len(b)+1])+" /In Do"))
	}
	chain = append(chain, form("", draw(b)))
	got, warns, st := walk(t, "chain.pdf", formPDF(page("/Fm1 Do"), chain...), DefaultLimits())
	// read alone, as before forms were placed: a note, not counted (qa20 M2)
	if len(warns) != 1 || st.Unscanned != 0 || !strings.Contains(strings.Join(values(got), "\n"), b) {
		t.Errorf("forms past the depth: %d warnings %q, %d unscanned", len(warns), warns, st.Unscanned)
	}
}

// FuzzPDFForms draws any content through forms that draw each other: no
// panic, no hang, and the text placed stays within the budget.
func FuzzPDFForms(f *testing.F) {
	f.Add("BT (a) Tj ET /Fm1 Do /Fm2 Do", "BT (b) Tj ET /Fm2 Do", "q 1 0 0 1 5 5 cm /Fm1 Do Q")
	f.Add("/Fm1 Do/Fm1 Do/Fm1 Do", "/Fm2 Do /Fm2 Do", "/Fm1 Do")
	f.Add("Do /Do/Fm1 Do", "(/Fm1 Do)Tj", "/Fm#31 Do")
	f.Fuzz(func(t *testing.T, page, one, two string) {
		res := "/Resources << /XObject << /Fm1 6 0 R /Fm2 7 0 R >> /Font << /F1 5 0 R >> >>"
		data := formPDF(page, form("/Matrix [1 0 0 1 3 4] "+res, one), form(res, two))
		got, _, _ := walk(t, "f.pdf", data, DefaultLimits())
		n := 0
		for _, v := range got {
			n += len(v)
		}
		if n > 8*len(data)+2<<20 {
			t.Fatalf("%d bytes of text from %d", n, len(data))
		}
	})
}
