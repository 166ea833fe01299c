package scanner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// rtfHead is the start of an RTF document as Word writes one: font and
// colour tables (not text), then a paragraph.
const rtfHead = `{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Calibri;}}{\colortbl;\red0\green0\blue0;\red255\green0\blue0;}\pard\plain\f0\fs22 `

// rtfEscaped writes s as RTF escapes: \'XX, or \uN with a fallback.
func rtfEscaped(s string, unicode bool) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if unicode {
			fmt.Fprintf(&b, `\u%d?`, c)
		} else {
			fmt.Fprintf(&b, `\'%02x`, c)
		}
	}
	return b.String()
}

// TestRTFText is qa16 HIGH-5: an RTF document's text is read as a reader
// shows it (groups joined, control words and ignorable destinations
// dropped, CR/LF ignored, \'XX and \uN decoded), so a key split by
// revision groups, bookmarks, a colour change or a line wrap, or written
// as escapes, is found; one in two cells, or half in a comment
// destination, is not joined; a document cut short is counted.
func TestRTFText(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 6; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		a, b, c, d := id[:8], id[8:], secret[:17], secret[17:]
		rsid := `{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid1234567 `
		for _, body := range []string{
			`Access key ID: ` + a + rsid + b + `}\par Secret access key: ` + c + rsid + d + `}\par}`,
			"Access key ID: " + a + "\r\n" + b + `\par Secret access key: ` + c + "\r\n" + d + `\par}`,
			`Access key ID: ` + a + `{\*\bkmkstart key}` + b + `{\*\bkmkend key}\par Secret access key: ` + c + `\cf2 ` + d + `\cf0\par}`,
			`Access key ID: ` + rtfEscaped(id, false) + `\par Secret access key: ` + rtfEscaped(secret, false) + `\par}`,
			`{\uc1 Access key ID: ` + rtfEscaped(id, true) + `}\par Secret access key: ` + rtfEscaped(secret, true) + `\par}`,
		} {
			fs := sc.Scan("handover.rtf", []byte(rtfHead+body+"\r\n"))
			if !hasSecret(fs, id) || !hasSecret(fs, secret) {
				t.Errorf("seed %d: %q: %v, want both keys", seed, body, summarize(fs))
			}
		}
		for _, body := range []string{
			`Access key ID: ` + a + `\cell ` + b + `\cell\row Secret access key: ` + c + `\cell ` + d + `\cell\row}`,
			`Access key ID: ` + a + `{\*\comment ` + b + `} Secret access key: ` + c + `{\*\generator ` + d + `}\par}`,
		} {
			if fs := sc.Scan("handover.rtf", []byte(rtfHead+body+"\r\n")); hasSecret(fs, id) || hasSecret(fs, secret) {
				t.Errorf("seed %d: %q: %v, want no key", seed, body, summarize(fs))
			}
		}
	}
	cut := rtfHead + `Access key ID: {\b AKIA`
	if _, counts := sc.ScanAllCounted("cut.rtf", []byte(cut), 0); counts.Undecoded == 0 {
		t.Errorf("an RTF cut inside a group: not counted")
	}
}

// FuzzRTF reads any bytes as an RTF document: no panic.
func FuzzRTF(f *testing.F) {
	f.Add([]byte(rtfHead + `x\'41\u75?{\*\bkmkstart k}\uc0\u-3 {\fonttbl a}\par}`))
	f.Add([]byte(`{\rtf1\'`))
	f.Add([]byte(`\u`))
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, d []byte) {
		sc.Scan("doc.rtf", d)
	})
}
