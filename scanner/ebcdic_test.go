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

// TestEBCDICMixed is CLOSING16's "EBCDIC with packed decimal or DBCS
// bytes in its first 4 KiB": a credentials member whose first lines are
// Japanese comments (code page 939: double-byte text between shift-out
// and shift-in), and a data set of fixed records each starting with a
// packed-decimal field (COMP-3) before its text, are read transcoded;
// ASCII text with a few high bytes stays ASCII.
func TestEBCDICMixed(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(2404)
	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "* 本番環境の認証情報 (do not share)\n* 担当: インフラ\n[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	data := toEBCDIC(t, creds, "IBM939", 0x15)
	if fs := sc.Scan("CREDS", data); len(fs) != 2 {
		t.Errorf("code page 939 with double-byte comments: %v, want the pair", summarize(fs))
	}
	var recs []byte
	for i, l := range []string{"ACCOUNT PRODUCTION UPLOAD", "AWS_ACCESS_KEY_ID=" + id, "AWS_SECRET_ACCESS_KEY=" + secret, "END OF RECORDS"} {
		packed := []byte{0x00, 0x00, byte(0x10 + i), 0x23, 0x4C} // COMP-3 +1x234
		text := toEBCDIC(t, l+strings.Repeat(" ", 75-len(l)), "IBM037", 0x15)
		recs = append(append(recs, packed...), text...)
	}
	if fs := sc.Scan("UPLOAD.DATA", recs); len(fs) != 2 {
		t.Errorf("records with packed fields: %v, want the pair", summarize(fs))
	}
	for _, text := range []string{"# ação ñ ü\n" + creds, "\x00\x01\x02\x03" + creds} {
		for _, f := range sc.Scan("credentials", []byte(text)) {
			if f.Encoding == "ebcdic" {
				t.Errorf("not EBCDIC: %s encoding %q", scanner.Redact(f.Secret), f.Encoding)
			}
		}
	}
}

// TestEBCDICNationalLetters is qa19 M2: EBCDIC text whose comment holds a
// national letter or sign of a Latin code page (ç à ñ ü ö ß ï É è, «, ¿, €)
// is still EBCDIC text; UTF-8 text in Cyrillic, Greek or Chinese, whose
// bytes are such letters and signs for EBCDIC, is not.
func TestEBCDICNationalLetters(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(19)
	for _, cp := range []string{"IBM037", "IBM500", "IBM1047", "IBM273", "IBM297", "IBM284", "IBM1140"} {
		for _, word := range []string{"ç", "à", "ñ", "ü", "ö", "ß", "ï", "É", "è", "« Données à reçu »", "¿Añadir?", "Größe 5 €", "Ærø Ñandú"} {
			id, secret := g.KeyID("AKIA"), g.Secret()
			text := "//UPLOAD  JOB (ACCT),'NIGHTLY'\n//* " + word + "\n//SYSIN DD *\n[default]\naws_access_key_id = " + id +
				"\naws_secret_access_key = " + secret + "\n/*\n"
			data := toEBCDIC(t, text, cp, 0x15)
			fs := sc.Scan("UPLOAD.jcl", data)
			if !hasSecret(fs, id) || !hasSecret(fs, secret) {
				t.Errorf("%s %q: %v, want the pair", cp, word, summarize(fs))
			}
		}
	}
	id, secret := g.KeyID("AKIA"), g.Secret()
	for _, head := range []string{"# Настройки доступа к хранилищу объектов, ключи сервиса\n", "# Ρυθμίσεις πρόσβασης στην αποθήκη\n",
		"# 对象存储的访问密钥配置文件请勿提交到仓库中谢谢合作对象存储的访问密钥配置文件\n", "\ufeff# clé d'accès\n"} {
		text := head + "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
		fs := sc.Scan("credentials", []byte(text))
		for _, f := range fs {
			if f.Encoding != "" {
				t.Errorf("UTF-8 %q: %s encoding %q", head, scanner.Redact(f.Secret), f.Encoding)
			}
		}
		if !hasSecret(fs, id) || !hasSecret(fs, secret) {
			t.Errorf("UTF-8 %q: %v, want the pair", head, summarize(fs))
		}
	}
}

// TestEBCDICBelowText is hide32: EBCDIC text below ASCII lines (a mail's
// header and blank line, a transfer log's banner, a listing's title) was
// read as bytes only, its keys missed, since the head test fails at the
// first ASCII blank. The EBCDIC part is read transcoded from its first
// line, in code pages 037, 500 and 1047, the pair found once with encoding
// ebcdic; a key in the ASCII lines above is found as it is, its encoding
// none; UTF-8 and Latin-1 text below ASCII lines is no EBCDIC.
func TestEBCDICBelowText(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(3203)
	heads := map[string]string{
		"mail":   "From: zos-ftp@example.com\r\nSubject: SYS1.CREDS transfer\r\nContent-Type: application/octet-stream\r\n\r\n",
		"banner": "=== transferred in binary from PROD.PARMLIB(CREDS) at 02:14 ===\n",
		"log":    strings.Repeat("2026-01-04 02:14:07 INFO ftp: 226 transfer complete, 4711 bytes\n", 40),
	}
	for _, cp := range []string{"IBM037", "IBM500", "IBM1047"} {
		for name, head := range heads {
			id, secret := g.KeyID("AKIA"), g.Secret()
			body := "//* CREDENTIALS MEMBER\n" + strings.Repeat("//* KEEP THIS MEMBER PRIVATE TO THE OPERATIONS GROUP\n", 30) +
				"[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
			data := append([]byte(head), toEBCDIC(t, body, cp, 0x15)...)
			fs := sc.Scan("CREDS.txt", data)
			got := map[string]int{}
			for _, f := range fs {
				got[f.Secret]++
				if f.Encoding != "ebcdic" || f.Offset < len(head) {
					t.Errorf("%s %s: %s encoding %q at %d", cp, name, scanner.Redact(f.Secret), f.Encoding, f.Offset)
				}
			}
			if len(fs) != 2 || got[id] != 1 || got[secret] != 1 {
				t.Errorf("%s %s: %v, want the pair once", cp, name, summarize(fs))
			}
			// an ASCII key ID in the header: found as it is
			other := g.KeyID("AKIA")
			data = append([]byte("X-Deploy-Key: "+other+"\n"+head), toEBCDIC(t, body, cp, 0x15)...)
			fs = sc.Scan("CREDS.txt", data)
			for _, f := range fs {
				if f.Secret == other && f.Encoding != "" {
					t.Errorf("%s %s: the header's key ID has encoding %q", cp, name, f.Encoding)
				}
			}
			if !hasSecret(fs, other) || !hasSecret(fs, id) || !hasSecret(fs, secret) {
				t.Errorf("%s %s with a header key ID: %v, want all three", cp, name, summarize(fs))
			}
		}
	}
	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	for _, below := range []string{"# Настройки доступа к хранилищу объектов\n", "# 对象存储的访问密钥配置文件请勿提交到仓库中谢谢合作\n",
		"# caf\xe9 cr\xe8me br\xfbl\xe9e, d\xe9j\xe0 vu, na\xefve r\xe9sum\xe9\n", "# Größe Übergröße ÄÖÜ äöü ß\n"} {
		text := heads["log"] + below + creds
		fs := sc.Scan("credentials", []byte(text))
		for _, f := range fs {
			if f.Encoding != "" {
				t.Errorf("%q below ASCII: %s encoding %q", below, scanner.Redact(f.Secret), f.Encoding)
			}
		}
		if !hasSecret(fs, id) || !hasSecret(fs, secret) {
			t.Errorf("%q below ASCII: %v, want the pair", below, summarize(fs))
		}
	}
}
