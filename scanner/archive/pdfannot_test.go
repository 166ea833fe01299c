package archive

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// glyphFont is an embedded font's subset as a writer makes it: each
// character of text a two-byte glyph ID from base on, in the order first
// drawn, and the /ToUnicode map that turns them back.
type glyphFont struct {
	id    map[rune]int
	order []rune
	base  int
}

func newGlyphFont(base int, text string) *glyphFont {
	g := &glyphFont{id: map[rune]int{}, base: base}
	for _, r := range text {
		if _, ok := g.id[r]; !ok {
			g.id[r] = base + 3*len(g.order)
			g.order = append(g.order, r)
		}
	}
	return g
}

// hex is text drawn with the font: <glyph IDs>.
func (g *glyphFont) hex(text string) string {
	var b strings.Builder
	b.WriteByte('<')
	for _, r := range text {
		fmt.Fprintf(&b, "%04X", g.id[r])
	}
	b.WriteByte('>')
	return b.String()
}

// cmap is the font's /ToUnicode map.
func (g *glyphFont) cmap() []byte {
	var b strings.Builder
	b.WriteString("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	fmt.Fprintf(&b, "%d beginbfchar\n", len(g.order))
	for _, r := range g.order {
		fmt.Fprintf(&b, "<%04X> <%04X>\n", g.id[r], r)
	}
	b.WriteString("endbfchar\nendcmap\n")
	return []byte(b.String())
}

// annotPDF is a one-page PDF: the page (object 3) draws page with
// Courier as /F1 (object 5) and lists the annotations annots (its /Annots
// value); the objects given follow as 6 on.
func annotPDF(page, annots string, objs ...archivetest.PDFObject) []byte {
	return archivetest.PDF(append([]archivetest.PDFObject{
		{Dict: "/Type /Catalog /Pages 2 0 R"},
		{Dict: "/Type /Pages /Kids [3 0 R] /Count 1"},
		{Dict: "/Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots " + annots},
		{Stream: []byte(page)},
		{Dict: "/Type /Font /Subtype /Type1 /BaseFont /Courier"},
	}, objs...), "")
}

// TestPDFWidgetAtRect: a form field's widget shows its appearance (/AP
// /N) at its /Rect on the page: a value the field holds beside the label
// the page draws is read on the label's line, whole (it was read alone,
// apart from its label). The appearance without /Subtype /Form, /Annots
// as an array object, a /Matrix and a /BBox away from the origin are
// placed too; a check box's appearances (a dictionary of states) are read
// alone.
func TestPDFWidgetAtRect(t *testing.T) {
	secret := fakekey.New(2960).Secret()
	a, b := secret[:20], secret[20:]
	head := "aws_secret_access_key = "
	x := 100 + 6*(len(head)+len(a)) // Courier at 10 points: 6 units a glyph
	page := "BT /F1 10 Tf 100 520 Td (" + head + a + ") Tj ET"
	widget := func(ap string) archivetest.PDFObject {
		return archivetest.PDFObject{Dict: fmt.Sprintf("/Type /Annot /Subtype /Widget /FT /Tx /T (f1) /F 4 /Rect [%d 515 %d 535] /AP << /N %s >>", x, x+300, ap)}
	}
	appearance := func(dict, draw string) archivetest.PDFObject {
		return archivetest.PDFObject{Dict: dict + " /Resources << /Font << /Helv 5 0 R >> >>", Stream: []byte("/Tx BMC q BT /Helv 10 Tf " + draw + " ET Q EMC")}
	}
	for _, tc := range []struct {
		name  string
		data  []byte
		alone bool
	}{
		{"widget", annotPDF(page, "[6 0 R]", widget("7 0 R"), appearance("/Type /XObject /Subtype /Form /BBox [0 0 300 20]", "0 5 Td ("+b+") Tj")), false},
		{"no subtype", annotPDF(page, "[6 0 R]", widget("7 0 R"), appearance("/BBox [0 0 300 20]", "0 5 Td ("+b+") Tj")), false},
		{"array object", annotPDF(page, "8 0 R", widget("7 0 R"), appearance("/Subtype /Form /BBox [0 0 300 20]", "0 5 Td ("+b+") Tj"),
			archivetest.PDFObject{Raw: "[6 0 R]"}), false},
		{"bbox and matrix", annotPDF(page, "[6 0 R]", widget("7 0 R"), appearance("/Subtype /Form /BBox [50 50 350 70] /Matrix [1 0 0 1 -50 -50]", "50 55 Td ("+b+") Tj")), false},
		{"states", annotPDF(page, "[6 0 R]", widget("<< /Yes 7 0 R >>"), appearance("/Subtype /Form /BBox [0 0 300 20]", "0 5 Td ("+b+") Tj")), true},
	} {
		got, warns, _ := walk(t, "w.pdf", tc.data, DefaultLimits())
		delete(got, "w.pdf!fields") // the field's value: the text its appearance draws (pdffields.go)
		all := strings.Join(values(got), "\n")
		if whole := strings.Contains(got["w.pdf!object 4 text"], head+secret); whole == tc.alone || len(warns) > 0 || strings.Count(all, b) != 1 {
			t.Errorf("%s: members %q, warnings %q", tc.name, got, warns)
		}
		if tc.name == "widget" {
			pdftotext(t, tc.data, head+secret)
		}
	}
}

// pdftotext checks with poppler's pdftotext, where it is installed, that
// a reader sees want in the PDF: the test's layout is what a reader shows.
func pdftotext(t *testing.T, data []byte, want string) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext not installed: the layout is not checked with a reader")
		return
	}
	p := filepath.Join(t.TempDir(), "a.pdf")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", p, "-").CombinedOutput()
	if err != nil || !strings.Contains(strings.ReplaceAll(string(out), " ", ""), strings.ReplaceAll(want, " ", "")) {
		t.Errorf("pdftotext: %v: %q, want %q in it", err, out, want)
	}
}

// TestPDFFormOwnToUnicode: a form XObject, and a widget's appearance,
// that draw with their own embedded fonts (another subset under the same
// name, /F1, its glyph IDs another map's) are placed in the page's text
// and read through their own maps: a value whose halves the page and the
// form draw is read whole (such a form was read alone, since one map was
// read for a whole stream).
func TestPDFFormOwnToUnicode(t *testing.T) {
	secret := fakekey.New(2961).Secret()
	a, b := secret[:20], secret[20:]
	head := "aws_secret_access_key = "
	pageFont, formFont := newGlyphFont(3, head+a), newGlyphFont(200, b)
	x := 100 + 6*(len(head)+len(a))
	page := "BT /F1 10 Tf 100 520 Td " + pageFont.hex(head+a) + " Tj ET"
	font := func(cmap int) archivetest.PDFObject {
		return archivetest.PDFObject{Dict: fmt.Sprintf("/Type /Font /Subtype /Type0 /BaseFont /ABCDEF+DejaVuSansMono /Encoding /Identity-H /ToUnicode %d 0 R", cmap)}
	}
	objs := func(last archivetest.PDFObject, pageRest, annots string) []byte {
		return archivetest.PDF([]archivetest.PDFObject{
			{Dict: "/Type /Catalog /Pages 2 0 R"},
			{Dict: "/Type /Pages /Kids [3 0 R] /Count 1"},
			{Dict: "/Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 9 0 R >> >> /Contents 4 0 R" + annots},
			{Stream: []byte(page + pageRest)},
			font(6),
			{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, pageFont.cmap())},
			font(8),
			{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, formFont.cmap())},
			last,
			{Dict: fmt.Sprintf("/Type /Annot /Subtype /Widget /Rect [%d 515 %d 535] /AP << /N 9 0 R >>", x, x+300)},
		}, "")
	}
	draw := "BT /F1 10 Tf 0 5 Td " + formFont.hex(b) + " Tj ET"
	formObj := archivetest.PDFObject{Dict: "/Type /XObject /Subtype /Form /BBox [0 0 300 20] /Resources << /Font << /F1 7 0 R >> >>", Stream: []byte(draw)}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"form", objs(formObj, fmt.Sprintf(" q 1 0 0 1 %d 515 cm /Fm1 Do Q", x), "")},
		{"widget", objs(formObj, "", " /Annots [10 0 R]")},
	} {
		got, warns, _ := walk(t, "u.pdf", tc.data, DefaultLimits())
		if !strings.Contains(got["u.pdf!object 4 text"], head+secret) || len(warns) > 0 {
			t.Errorf("%s: members %q, warnings %q", tc.name, got, warns)
		}
	}
}

// FuzzPDFAnnots places any annotations' appearances on a page: no panic,
// no hang, and the text placed stays within the budget.
func FuzzPDFAnnots(f *testing.F) {
	f.Add("BT /F1 10 Tf (a) Tj ET", "[6 0 R 6 0 R]", "/Rect [1 2 3 4] /AP << /N 7 0 R >>", "/BBox [0 0 1 1] /Matrix [0 1 -1 0 5 5]", "BT /F1 9 Tf (b) Tj ET /F1 Tf Tf")
	f.Add("", "8 0 R", "/Rect [1e308 -1e308 0 0] /AP << /N 7 0 R >>", "/BBox [0 0 0 0]", "/F1@7 1 Tf/F2 Tf 1 Tf")
	f.Add("(Tf) Tj", "[6 0 R]", "/Rect [0 0 10 10] /AP << /N 6 0 R >>", "/Resources << /Font << /F1 5 0 R >> >>", "/F1 1 Tf")
	f.Fuzz(func(t *testing.T, page, annots, annot, form, appearance string) {
		data := annotPDF(page, annots, archivetest.PDFObject{Dict: "/Type /Annot " + annot},
			archivetest.PDFObject{Dict: "/Subtype /Form " + form, Stream: []byte(appearance)},
			archivetest.PDFObject{Raw: "[6 0 R 6 0 R 7 0 R]"})
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

// TestPDFAnnotsBounded: a page that lists one annotation a million times,
// whose appearance is large, places it within the budget (four times the
// file's bytes and 1 MiB): the text stays bounded.
func TestPDFAnnotsBounded(t *testing.T) {
	refs := strings.Repeat("6 0 R ", 1<<20)
	data := annotPDF("BT /F1 10 Tf (x) Tj ET", "["+refs+"]", archivetest.PDFObject{Dict: "/Type /Annot /Rect [0 0 10 10] /AP << /N 7 0 R >>"},
		archivetest.PDFObject{Dict: "/Subtype /Form /BBox [0 0 10 10]", Stream: []byte(strings.Repeat("BT (aaaaaaaa) Tj ET\n", 4096))})
	got, _, _ := walk(t, "b.pdf", data, DefaultLimits())
	n := 0
	for _, v := range got {
		n += len(v)
	}
	if n > 4*len(data)+2<<20 {
		t.Errorf("%d bytes of text from %d", n, len(data))
	}
}

// TestPDFOneByteToUnicode: a simple font's subset (cairo's, pdfTeX's:
// one-byte codes from 1 up, in the order first drawn) says nothing
// without its /ToUnicode map, whose code space is one byte: the text is
// read through the map, in the page and in an appearance placed on it.
func TestPDFOneByteToUnicode(t *testing.T) {
	secret := fakekey.New(2962).Secret()
	line := "aws_secret_access_key = " + secret
	code := map[rune]byte{}
	var cmap, drawn strings.Builder
	for _, r := range line {
		if _, ok := code[r]; !ok {
			code[r] = byte(len(code) + 1)
		}
		fmt.Fprintf(&drawn, "\\%03o", code[r])
	}
	fmt.Fprintf(&cmap, "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n%d beginbfchar\n", len(code))
	for r, c := range code {
		fmt.Fprintf(&cmap, "<%02X> <%04X>\n", c, r)
	}
	cmap.WriteString("endbfchar\nendcmap\n")
	font := "/Type /Font /Subtype /TrueType /BaseFont /ABCDEF+LiberationMono /FirstChar 1 /LastChar 64 /ToUnicode 7 0 R"
	for _, tc := range []struct{ name, page, annots string }{
		{"page", "BT /F2 10 Tf 100 520 Td (" + drawn.String() + ") Tj ET", "[]"},
		{"appearance", "", "[8 0 R]"},
	} {
		data := archivetest.PDF([]archivetest.PDFObject{
			{Dict: "/Type /Catalog /Pages 2 0 R"},
			{Dict: "/Type /Pages /Kids [3 0 R] /Count 1"},
			{Dict: "/Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F2 6 0 R >> >> /Contents 4 0 R /Annots " + tc.annots},
			{Stream: []byte(tc.page + " BT /F2 10 Tf 100 700 Td (head) Tj ET")},
			{Dict: "/Type /Font /Subtype /Type1 /BaseFont /Courier"},
			{Dict: font},
			{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, []byte(cmap.String()))},
			{Dict: "/Type /Annot /Subtype /FreeText /Rect [100 510 500 530] /AP << /N 9 0 R >>"},
			{Dict: "/Subtype /Form /BBox [0 0 400 20] /Resources << /Font << /F2 6 0 R >> >>", Stream: []byte("BT /F2 10 Tf 0 5 Td (" + drawn.String() + ") Tj ET")},
		}, "")
		got, warns, _ := walk(t, "o.pdf", data, DefaultLimits())
		if !strings.Contains(got["o.pdf!object 4 text"], line) || len(warns) > 0 {
			t.Errorf("%s: members %q, warnings %q", tc.name, got, warns)
		}
	}
}

// TestPDFEachRef: the references of an array, in order, and nothing else
// (a name or a word that holds an R, a number without its generation).
func TestPDFEachRef(t *testing.T) {
	var got []string
	pdfEachRef([]byte("6 0 R 12  3\nR /R 7 R x8 0 R 9 0 Rx 10 0 R"), func(obj []byte) bool {
		got = append(got, string(obj))
		return true
	})
	if strings.Join(got, ",") != "6,12,10" {
		t.Errorf("refs %q, want 6, 12, 10", got)
	}
}
