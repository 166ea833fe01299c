package archive

import (
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// fieldPDF is a one-page PDF whose form has the fields given as objects
// 4 on (their dictionaries), each a widget of the page.
func fieldPDF(fields ...string) []byte {
	objs := []archivetest.PDFObject{
		{Dict: "/Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /DA (/Helv 0 Tf 0 g) >>"},
		{Dict: "/Type /Pages /Kids [3 0 R] /Count 1"},
		{Dict: "/Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"},
	}
	for _, f := range fields {
		objs = append(objs, archivetest.PDFObject{Dict: f})
	}
	return archivetest.PDF(objs, "")
}

// TestPDFFormFields: a form field's value is read as its full name's
// (aws_secret_access_key = S), whatever the order of the keys, the
// strings' form (literal, hex, UTF-16 in hex or octal escapes) and the
// keys between; a partial name is joined to its parents', and the name a
// reader shows (/TU) names the value too.
func TestPDFFormFields(t *testing.T) {
	g := fakekey.New(2727)
	s := g.Secret()
	u16 := func(v string) string { return "<" + strings.ToUpper(hex.EncodeToString(utf16be(v))) + ">" }
	for _, tc := range []struct {
		name   string
		fields []string
		want   string
	}{
		{"literal", []string{"/Type /Annot /Subtype /Widget /FT /Tx /T (aws_secret_access_key) /V (" + s + ") /Rect [1 1 2 2] /P 3 0 R"}, "aws_secret_access_key = " + s},
		{"value first", []string{"/V (" + s + ") /DA (/Helv 10 Tf 0 g) /MK << /BG [1] >> /FT /Tx /Rect [1 1 2 2] /Subtype /Widget /T (Secret access key)"}, "Secret access key = " + s},
		{"hex", []string{"/FT /Tx /T <" + hex.EncodeToString([]byte("aws_secret_access_key")) + "> /V <" + hex.EncodeToString([]byte(s)) + ">"}, "aws_secret_access_key = " + s},
		{"utf-16", []string{"/FT /Tx /T " + u16("aws_secret_access_key") + " /V (" + octalEscapes(utf16be(s)) + ")"}, "aws_secret_access_key = " + s},
		{"parents", []string{"/T (aws) /Kids [5 0 R]", "/Parent 4 0 R /T (secret_access_key) /FT /Tx /V (" + s + ")"}, "aws.secret_access_key = " + s},
		{"tooltip", []string{"/FT /Tx /T (Text7) /TU (AWS secret access key) /V (" + s + ")"}, "AWS secret access key = " + s},
	} {
		got, warns, _ := walk(t, "f.pdf", fieldPDF(tc.fields...), DefaultLimits())
		if !strings.Contains(got["f.pdf!fields"], tc.want+"\n") || len(warns) > 0 {
			t.Errorf("%s: fields %q, warnings %q; want %q", tc.name, got["f.pdf!fields"], warns, tc.want)
		}
	}
	// A flattened field: no /V, its value only drawn by its appearance.
	ap := archivetest.PDF([]archivetest.PDFObject{
		{Dict: "/Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >>"},
		{Dict: "/Type /Pages /Kids [3 0 R] /Count 1"},
		{Dict: "/Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [4 0 R]"},
		{Dict: "/Type /Annot /Subtype /Widget /FT /Tx /T (aws_secret_access_key) /Rect [1 1 300 20] /AP << /N 5 0 R >>"},
		{Dict: "/Type /XObject /Subtype /Form /BBox [0 0 300 20] /Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, []byte("/Tx BMC q BT /Helv 10 Tf 2 4 Td ("+s+") Tj ET Q EMC"))},
	}, "")
	if got, warns, _ := walk(t, "ap.pdf", ap, DefaultLimits()); got["ap.pdf!fields"] != "aws_secret_access_key = "+s+"\n" || len(warns) > 0 {
		t.Errorf("appearance only: fields %q, warnings %q", got["ap.pdf!fields"], warns)
	}
	// A parent chain that loops, and fields without a string value.
	got, _, _ := walk(t, "loop.pdf", fieldPDF("/T (a) /Parent 5 0 R /V (x)", "/T (b) /Parent 4 0 R /V 5 0 R", "/T (c) /V /Off"), DefaultLimits())
	if got["loop.pdf!fields"] != "b.a = x\n" {
		t.Errorf("loop: %q", got["loop.pdf!fields"])
	}
	// Deep chains of long names are cut at their bound and counted.
	long := strings.Repeat("n", 4000)
	fields := []string{"/T (" + long + ")"}
	for i := range 200 {
		fields = append(fields, "/T ("+long+") /Parent "+strconv.Itoa(4+i)+" 0 R /V (v)")
	}
	_, warns, st := walk(t, "deep.pdf", fieldPDF(fields...), DefaultLimits())
	if st.Unscanned != 1 || len(warns) != 1 {
		t.Errorf("deep names: %d unscanned, warnings %q", st.Unscanned, warns)
	}
}

// FuzzPDFFields reads any PDF's fields: no panic, and the lines within
// their bound.
func FuzzPDFFields(f *testing.F) {
	f.Add(fieldPDF("/T (a) /V (b)", "/T <FEFF0061> /Parent 4 0 R /V <FEFF00620063> /TU (c)"))
	f.Add([]byte("1 0 obj << /T (x) /Parent 1 0 R /V (\\376\\377\\000a) >> endobj 2 0 obj << /V <6"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, _ := pdfFields(data, pdfIndex{}, func(string) []byte { return []byte("x") })
		if len(out) > 2*len(data)+64<<10 {
			t.Fatalf("%d bytes of fields from %d", len(out), len(data))
		}
	})
}
