package archive

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestPDFEncryptEscaped is the other half of qa11 MEDIUM-11: a PDF whose
// own /Encrypt is written with #xx escapes (/Encr#79pt, the same name to
// every reader) is encrypted, not read as a clean PDF: qpdf encrypts it
// with its streams uncompressed, and the name is then escaped.
func TestPDFEncryptEscaped(t *testing.T) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf not installed")
	}
	const line = "aws_secret_access_key = abc/DEF+ghi"
	plain := archivetest.PDF([]archivetest.PDFObject{
		{Dict: "/Type /Catalog /Pages 2 0 R"},
		{Dict: "/Type /Pages /Kids [3 0 R] /Count 1"},
		{Dict: "/Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R"},
		{Dict: "", Stream: []byte("BT /F1 10 Tf 72 720 Td (" + line + ") Tj ET")},
		{Dict: "/Type /Font /Subtype /Type1 /BaseFont /Helvetica"},
	}, "")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(in, plain, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("qpdf", "--stream-data=uncompress", "--encrypt", "", "owner", "128", "--use-aes=y", "--", in, out).CombinedOutput(); err != nil {
		t.Fatalf("qpdf: %v\n%s", err, b)
	}
	enc, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"/Encr#79pt", "/#45ncrypt", "/Encryp#74"} {
		esc := bytes.ReplaceAll(enc, []byte("/Encrypt"), []byte(name))
		if bytes.Equal(esc, enc) {
			t.Fatal("qpdf wrote no /Encrypt")
		}
		got, warns, _ := walk(t, "esc.pdf", esc, DefaultLimits())
		if !slices.ContainsFunc(warns, func(w string) bool { return strings.Contains(w, "encrypted PDF") }) {
			t.Errorf("%s: not taken as encrypted: members %q, warnings %q", name, got, warns)
		}
	}
	// A name with an escape that is not /Encrypt, and a '#' in a string,
	// leave a PDF clean.
	clean := bytes.Replace(plain, []byte("/BaseFont /Helvetica"), []byte("/BaseFont /Helv#65tica /Title (issue #12)"), 1)
	if got, warns, _ := walk(t, "clean.pdf", clean, DefaultLimits()); len(warns) > 0 || !strings.Contains(got["clean.pdf!object 4 text"], line) {
		t.Errorf("clean PDF with escapes: members %q, warnings %q", got, warns)
	}
}
