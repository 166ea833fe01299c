package archive

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestPDFFontsPerPage is qa11 MEDIUM-9: font names are a page's (its own
// /Resources), and Apache PDFBox names every page's fonts from F1, so /F1
// is standard Helvetica on page 1 (text as bytes) and an embedded font with
// a /ToUnicode map on page 2. Page 1 was read through page 2's map into
// U+FFFD. Each content stream is read with its page's fonts now: given on
// the page, inherited from the page tree, on a form XObject, and after
// qpdf has put the dictionaries in object streams; poppler's pdftotext
// reads the same text (where it is installed).
func TestPDFFontsPerPage(t *testing.T) {
	const line = "aws_secret_access_key = abc/DEF+ghi"
	gids := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, "%04X", r+3)
		}
		return b.String()
	}
	cmap := archivetest.Zlib(t, 6, []byte("1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0023> <0081> <0020> endbfrange"))
	plain := archivetest.Zlib(t, 6, []byte("BT /F1 10 Tf 72 720 Td ("+line+") Tj ET"))
	embedded := archivetest.Zlib(t, 6, []byte("BT /F1 10 Tf 72 720 Td <"+gids("Appendix B: contacts")+"> Tj ET"))
	helvetica := archivetest.PDFObject{Dict: "/Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding"}
	type0 := archivetest.PDFObject{Dict: "/Type /Font /Subtype /Type0 /BaseFont /ABCDEF+DejaVu /Encoding /Identity-H /DescendantFonts [10 0 R] /ToUnicode 9 0 R"}
	cid := archivetest.PDFObject{Dict: "/Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+DejaVu /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 11 0 R"}
	desc := archivetest.PDFObject{Dict: "/Type /FontDescriptor /FontName /ABCDEF+DejaVu /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80"}
	box := "/MediaBox [0 0 612 792] "
	for _, tt := range []struct {
		name string
		objs []archivetest.PDFObject
		text string // the member of the key's page
	}{
		{"pages.pdf", []archivetest.PDFObject{
			{Dict: "/Type /Catalog /Pages 2 0 R"},
			{Dict: "/Type /Pages /Kids [3 0 R 4 0 R] /Count 2"},
			{Dict: "/Type /Page /Parent 2 0 R " + box + "/Resources << /Font << /F1 7 0 R >> >> /Contents 5 0 R"},
			{Dict: "/Type /Page /Parent 2 0 R " + box + "/Resources << /Font << /F1 8 0 R >> >> /Contents [6 0 R]"},
			{Dict: "/Filter /FlateDecode", Stream: plain},
			{Dict: "/Filter /FlateDecode", Stream: embedded},
			helvetica, type0, {Dict: "/Filter /FlateDecode", Stream: cmap}, cid, desc,
		}, "object 5 text"},
		// Page 1 inherits Helvetica from the page tree; page 2 has its own.
		{"inherited.pdf", []archivetest.PDFObject{
			{Dict: "/Type /Catalog /Pages 2 0 R"},
			{Dict: "/Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /Resources 12 0 R"},
			{Dict: "/Type /Page /Parent 2 0 R " + box + "/Contents 5 0 R"},
			{Dict: "/Type /Page /Parent 2 0 R " + box + "/Resources << /Font 13 0 R >> /Contents 6 0 R"},
			{Dict: "/Filter /FlateDecode", Stream: plain},
			{Dict: "/Filter /FlateDecode", Stream: embedded},
			helvetica, type0, {Dict: "/Filter /FlateDecode", Stream: cmap}, cid, desc,
			{Dict: "/Font << /F1 7 0 R >>"},
			{Dict: "/F1 8 0 R"},
		}, "object 5 text"},
		// The key is drawn by a form XObject whose /F1 is Helvetica, on a
		// page whose /F1 is the embedded font.
		{"form.pdf", []archivetest.PDFObject{
			{Dict: "/Type /Catalog /Pages 2 0 R"},
			{Dict: "/Type /Pages /Kids [3 0 R] /Count 1"},
			{Dict: "/Type /Page /Parent 2 0 R " + box + "/Resources << /Font << /F1 8 0 R >> /XObject << /X1 5 0 R >> >> /Contents 6 0 R"},
			{Dict: "/Type /Pages /Kids [] /Count 0"},
			{Dict: "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 7 0 R >> >> /Filter /FlateDecode",
				Stream: archivetest.Zlib(t, 6, []byte("BT /F1 10 Tf 72 600 Td ("+line+") Tj ET"))},
			{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, []byte("BT /F1 10 Tf 72 720 Td <"+gids("Appendix B: contacts")+"> Tj ET /X1 Do"))},
			helvetica, type0, {Dict: "/Filter /FlateDecode", Stream: cmap}, cid, desc,
		}, "object 5 text"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := archivetest.PDF(tt.objs, "")
			check := func(name string, data []byte) {
				got, warns, _ := walk(t, name, data, DefaultLimits())
				found := false
				for m, text := range got {
					if strings.Contains(text, line) {
						found = true
					}
					if strings.HasSuffix(m, " text") && strings.Contains(text, "\uFFFD") {
						t.Errorf("%s: %s read through another page's map: %q", name, m, text)
					}
				}
				if !found {
					t.Errorf("%s: no member holds the key's line; members %q, warnings %q", name, got, warns)
				}
			}
			check(tt.name, data)
			if txt, ok := realPDFText(t, data); ok && !strings.Contains(txt, line) {
				t.Errorf("pdftotext of %s does not read the key's line: %q", tt.name, txt)
			}
			if _, err := exec.LookPath("qpdf"); err != nil {
				t.Log("qpdf not installed: object streams not tried")
				return
			}
			dir := t.TempDir()
			in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
			if err := os.WriteFile(in, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if b, err := exec.Command("qpdf", "--object-streams=generate", in, out).CombinedOutput(); err != nil {
				t.Fatalf("qpdf: %v\n%s", err, b)
			}
			packed, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			check("qpdf-"+tt.name, packed)
		})
	}
}

// realPDFText returns poppler's pdftotext reading of data, or false where
// it is not installed.
func realPDFText(t *testing.T, data []byte) (string, bool) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return "", false
	}
	f := filepath.Join(t.TempDir(), "a.pdf")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out), true
}
