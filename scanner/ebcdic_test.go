package scanner_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// toEBCDIC converts text with iconv (glibc's, the converter z/OS file
// transfers are checked against) to code page cp, its line ends to nl.
func toEBCDIC(t *testing.T, text, cp string, nl byte) []byte {
	t.Helper()
	if _, err := exec.LookPath("iconv"); err != nil {
		t.Skip("iconv not installed")
	}
	cmd := exec.Command("iconv", "-f", "UTF-8", "-t", cp)
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("iconv has no %s: %v", cp, err)
	}
	lf, err := exec.Command("sh", "-c", "printf '\\n' | iconv -f UTF-8 -t "+cp).Output()
	if err != nil || len(lf) != 1 {
		t.Fatalf("iconv %s of a line feed: %x %v", cp, lf, err)
	}
	return bytes.ReplaceAll(out, lf, []byte{nl})
}

// TestEBCDICText is qa16 HIGH-12: mainframe text in EBCDIC (JCL, a
// credentials file, COBOL; code pages 037, 500, 1047, 273, 1141; NL 0x15,
// LF 0x25 or fixed records padded with blanks and no line ends) is read
// transcoded, the keys at the file's own lines and columns.
func TestEBCDICText(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(31)
	id, secret := g.KeyID("AKIA"), g.Secret()
	jcl := "//UPLOAD   JOB (ACCT),CLASS=A,MSGCLASS=X\n//STEP1    EXEC PGM=BPXBATCH\n//STDENV   DD *\nAWS_ACCESS_KEY_ID=" + id +
		"\nAWS_SECRET_ACCESS_KEY=" + secret + "\n/*\n"
	creds := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	for _, cp := range []string{"IBM037", "IBM500", "IBM1047", "IBM273", "IBM1141"} {
		for _, nl := range []byte{0x15, 0x25} {
			for name, text := range map[string]string{"UPLOAD.jcl": jcl, "credentials": creds} {
				data := toEBCDIC(t, text, cp, nl)
				fs := sc.Scan(name, data)
				got := map[string]int{}
				for _, f := range fs {
					got[f.Secret]++
					if f.Encoding != "ebcdic" || f.Line < 2 || string(data[f.Offset:f.EndOffset]) == f.Secret {
						t.Errorf("%s %s: %s encoding %q line %d", cp, name, scanner.Redact(f.Secret), f.Encoding, f.Line)
					}
				}
				if len(fs) != 2 || got[id] != 1 || got[secret] != 1 {
					t.Errorf("%s %x %s: %v, want the pair once", cp, nl, name, summarize(fs))
				}
			}
		}
	}
	// Fixed 80-byte records moved in binary: blanks, no line ends.
	var rec strings.Builder
	for _, l := range strings.Split(jcl, "\n") {
		rec.WriteString(l + strings.Repeat(" ", 80-len(l)))
	}
	data := toEBCDIC(t, rec.String(), "IBM037", 0x15)
	if fs := sc.Scan("UPLOAD.fb80", data); len(fs) != 2 {
		t.Errorf("fixed records: %v, want the pair", summarize(fs))
	}
	// ASCII and UTF-8 text are read as they are: no finding of theirs is
	// said to be EBCDIC.
	for _, text := range []string{creds, "# clé\n" + creds} {
		for _, f := range sc.Scan("credentials", []byte(text)) {
			if f.Encoding != "" {
				t.Errorf("plain text: %s encoding %q", scanner.Redact(f.Secret), f.Encoding)
			}
		}
	}
}
