package archive

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestPDFContentsArray is qa12 MEDIUM-2: a page's /Contents may be an array
// of streams, which PDF reads as one (the division may fall at any token),
// and a line whose strings were drawn in two of them was never read whole.
// The streams of such a page are joined now: each cut of the qa12 shape
// (the key ID's line cut inside BT…ET, the secret's line cut between two
// Tj), unfiltered and deflated, also after qpdf has packed the page in an
// object stream; a stream two pages share (a stamp) is read once, with
// the first page; a stream that does not decode is said, and the others
// are still read. pdftotext (poppler) reads the same lines.
func TestPDFContentsArray(t *testing.T) {
	const (
		line1 = "aws_access_key_id = AKIAZZZZZZZZZZZZZZZZ"
		line2 = "aws_secret_access_key = abc/DEF+ghi0123456789abcdefghijklmnopq"
	)
	half := len(line1)/2 + 8
	pieces := []string{
		"BT /F1 9 Tf 50 700 Td (" + line1[:half] + ") Tj ",
		"(" + line1[half:] + ") Tj 0 -10 Td (" + line2[:30] + ") Tj ",
		"(" + line2[30:] + ") Tj ET\n",
	}
	font := archivetest.PDFObject{Dict: "/Type /Font /Subtype /Type1 /BaseFont /Courier"}
	page := func(contents string) archivetest.PDFObject {
		return archivetest.PDFObject{Dict: "/Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents " + contents}
	}
	build := func(filter bool) []byte {
		objs := []archivetest.PDFObject{
			{Dict: "/Type /Catalog /Pages 2 0 R"},
			{Dict: "/Type /Pages /Kids [3 0 R] /Count 1"},
			page("[5 0 R 6 0 R 7 0 R]"),
			font,
		}
		for _, p := range pieces {
			if filter {
				objs = append(objs, archivetest.PDFObject{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, []byte(p))})
			} else {
				objs = append(objs, archivetest.PDFObject{Dict: "", Stream: []byte(p)})
			}
		}
		return archivetest.PDF(objs, "")
	}
	check := func(name string, data []byte, member string) {
		t.Helper()
		got, warns, _ := walk(t, name, data, DefaultLimits())
		if text := got[name+"!"+member]; !strings.Contains(text, line1+"\n") || !strings.Contains(text, line2+"\n") {
			t.Errorf("%s: %s is %q, want both lines whole; members %q, warnings %q", name, member, text, got, warns)
		}
		if txt, ok := realPDFText(t, data); ok && (!strings.Contains(txt, line1) || !strings.Contains(txt, line2)) {
			t.Errorf("pdftotext of %s does not read both lines: %q", name, txt)
		}
	}
	for _, filter := range []bool{false, true} {
		name := "split.pdf"
		if filter {
			name = "split-flate.pdf"
		}
		data := build(filter)
		check(name, data, "object 5 text")
		if _, err := exec.LookPath("qpdf"); err != nil {
			t.Log("qpdf not installed: object streams not tried")
			continue
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
		got, warns, _ := walk(t, "qpdf.pdf", packed, DefaultLimits())
		found := false
		for _, text := range got {
			found = found || strings.Contains(text, line1+"\n") && strings.Contains(text, line2+"\n")
		}
		if !found {
			t.Errorf("qpdf --object-streams=generate of %s: no member holds both lines; members %q, warnings %q", name, got, warns)
		}
	}

	// Two pages draw stream 7 (a stamp that ends both lines' text); page
	// 3 takes it, page 8 reads its own stream alone.
	shared := archivetest.PDF([]archivetest.PDFObject{
		{Dict: "/Type /Catalog /Pages 2 0 R"},
		{Dict: "/Type /Pages /Kids [3 0 R 8 0 R] /Count 2"},
		page("[5 0 R 6 0 R 7 0 R]"),
		font,
		{Dict: "", Stream: []byte(pieces[0])},
		{Dict: "", Stream: []byte(pieces[1])},
		{Dict: "", Stream: []byte(pieces[2])},
		page("[9 0 R 7 0 R]"),
		{Dict: "", Stream: []byte("BT /F1 9 Tf 50 700 Td (page two) Tj ET\n")},
	}, "")
	got, warns, _ := walk(t, "shared.pdf", shared, DefaultLimits())
	if text := got["shared.pdf!object 5 text"]; !strings.Contains(text, line1+"\n") || !strings.Contains(text, line2+"\n") {
		t.Errorf("shared.pdf: object 5 text is %q, want both lines; members %q, warnings %q", text, got, warns)
	}
	if text := got["shared.pdf!object 9 text"]; text != "page two\n" {
		t.Errorf("shared.pdf: object 9 text is %q, want page two's own line; members %q", text, got)
	}

	// A stream of the array that does not inflate: said, the others read.
	broken := archivetest.PDF([]archivetest.PDFObject{
		{Dict: "/Type /Catalog /Pages 2 0 R"},
		{Dict: "/Type /Pages /Kids [3 0 R] /Count 1"},
		page("[5 0 R 6 0 R]"),
		font,
		{Dict: "/Filter /FlateDecode", Stream: []byte("not deflate at all")},
		{Dict: "", Stream: []byte("BT /F1 9 Tf 50 700 Td (" + line2 + ") Tj ET\n")},
	}, "")
	got, warns, _ = walk(t, "broken.pdf", broken, DefaultLimits())
	if text := got["broken.pdf!object 5 text"]; text != line2+"\n" {
		t.Errorf("broken.pdf: object 5 text is %q, want the second stream's line; members %q", text, got)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "corrupt PDF stream") {
		t.Errorf("broken.pdf: warnings %q, want the corrupt stream said", warns)
	}
}
