package archive

import (
	"bytes"
	"fmt"
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
// every reader) is encrypted, not read as a clean PDF whose streams hold
// the ciphertext: qpdf encrypts it with its streams uncompressed, and the
// name is then escaped. With the empty user password it is decrypted; with
// another it is an encrypted PDF not scanned.
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
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, plain, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, user := range []string{"", "user"} {
		out := filepath.Join(dir, "out"+user+".pdf")
		if b, err := exec.Command("qpdf", "--stream-data=uncompress", "--encrypt", user, "owner", "128", "--use-aes=y", "--", in, out).CombinedOutput(); err != nil {
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
			encrypted := slices.ContainsFunc(warns, func(w string) bool { return strings.Contains(w, "encrypted PDF") })
			switch text := got["esc.pdf!object 4 text"]; {
			case user == "" && (encrypted || !strings.Contains(text, line)):
				// The empty user password opens it (TestPDFEmptyUserPassword).
				t.Errorf("%s, no user password: not decrypted: members %q, warnings %q", name, got, warns)
			case user != "" && (!encrypted || text != ""):
				t.Errorf("%s, a user password: not taken as encrypted: members %q, warnings %q", name, got, warns)
			}
		}
	}
	// A name with an escape that is not /Encrypt, and a '#' in a string,
	// leave a PDF clean.
	clean := bytes.Replace(plain, []byte("/BaseFont /Helvetica"), []byte("/BaseFont /Helv#65tica /Title (issue #12)"), 1)
	if got, warns, _ := walk(t, "clean.pdf", clean, DefaultLimits()); len(warns) > 0 || !strings.Contains(got["clean.pdf!object 4 text"], line) {
		t.Errorf("clean PDF with escapes: members %q, warnings %q", got, warns)
	}
}

// TestPDFEmptyUserPassword is qa11 LOW-8: a PDF encrypted with an empty
// user password (only an owner password that restricts printing or
// copying, which every reader opens without asking) is decrypted and read:
// qpdf's RC4 of 40 and 128 bits (revisions 2 and 3), AES-128 (4) and
// AES-256 (6), its streams plain or packed in object streams. A PDF that
// needs a user password stays an encrypted PDF whose streams are not
// scanned.
func TestPDFEmptyUserPassword(t *testing.T) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf not installed")
	}
	const line = "aws_secret_access_key = abc/DEF+ghi"
	cmap := archivetest.Zlib(t, 6, []byte("1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0023> <0081> <0020> endbfrange"))
	var gids strings.Builder
	for _, r := range line {
		fmt.Fprintf(&gids, "%04X", r+3)
	}
	plain := archivetest.PDF([]archivetest.PDFObject{
		{Dict: "/Type /Catalog /Pages 2 0 R"},
		{Dict: "/Type /Pages /Kids [3 0 R] /Count 1"},
		{Dict: "/Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R"},
		{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, []byte("BT /F1 10 Tf 72 720 Td ("+line+") Tj /F2 10 Tf 0 -20 Td <"+gids.String()+"> Tj ET"))},
		{Dict: "/Type /Font /Subtype /Type1 /BaseFont /Helvetica"},
		{Dict: "/Type /Font /Subtype /Type0 /BaseFont /ABCDEF+DejaVu /Encoding /Identity-H /ToUnicode 7 0 R"},
		{Dict: "/Filter /FlateDecode", Stream: cmap},
	}, "")
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, plain, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		read bool
	}{
		{"rc4-40", []string{"--allow-weak-crypto", "--encrypt", "", "owner", "40", "--"}, true},
		{"rc4-128", []string{"--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--"}, true},
		{"aes-128", []string{"--encrypt", "", "owner", "128", "--use-aes=y", "--"}, true},
		// RC4 through a V4 crypt filter (/CFM /V2): qa13 LOW-2
		{"rc4-128-v4", []string{"--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--force-V4", "--"}, true},
		{"rc4-128-v4-objstm", []string{"--allow-weak-crypto", "--object-streams=generate", "--encrypt", "", "owner", "128", "--use-aes=n", "--force-V4", "--"}, true},
		{"aes-256", []string{"--encrypt", "", "owner", "256", "--print=none", "--modify=none", "--"}, true},
		{"aes-256-objstm", []string{"--object-streams=generate", "--encrypt", "", "owner", "256", "--"}, true},
		{"aes-128-objstm", []string{"--object-streams=generate", "--encrypt", "", "owner", "128", "--use-aes=y", "--"}, true},
		{"user-password", []string{"--encrypt", "user", "owner", "256", "--"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, tt.name+".pdf")
			if b, err := exec.Command("qpdf", append(tt.args, in, out)...).CombinedOutput(); err != nil {
				t.Fatalf("qpdf: %v\n%s", err, b)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(data, []byte(line)) {
				t.Fatal("qpdf left the text in clear")
			}
			got, warns, st := walk(t, tt.name+".pdf", data, DefaultLimits())
			var text string
			for m, s := range got {
				if strings.HasSuffix(m, " text") {
					text += s
				}
			}
			encrypted := slices.ContainsFunc(warns, func(w string) bool { return strings.Contains(w, "encrypted PDF") })
			switch {
			case tt.read && (strings.Count(text, line) != 2 || encrypted || st.Unscanned != 0):
				t.Errorf("not read: page text %q, warnings %q", text, warns)
			case !tt.read && (!encrypted || st.Unscanned != 1 || text != ""):
				t.Errorf("read without its password: page text %q, warnings %q", text, warns)
			}
		})
	}
}
