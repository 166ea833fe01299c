package scanner_test

import (
	"encoding/base32"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// wrapLines cuts s into lines of width w, each ended by nl.
func wrapLines(s string, w int, nl string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += w {
		b.WriteString(s[i:min(len(s), i+w)] + nl)
	}
	return b.String()
}

// TestLowerBase32File is interp35's (6): a credentials file in lower-case
// base32, saved as a file of its own with no call that decodes it, was
// missed (lower-case base32 was read only where a call names it). Each
// seed's pair is found, on one line or wrapped, with or without padding
// and a last line break, CRLF too; a word list, base32 of bytes that are
// no text, and a file that goes on with other text after its base32
// give nothing.
func TestLowerBase32File(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 8; seed++ {
		g := fakekey.New(seed)
		id, sec := g.KeyID("AKIA"), g.Secret()
		creds := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + sec + "\n"
		for _, enc := range []*base32.Encoding{base32.StdEncoding, base32.StdEncoding.WithPadding(base32.NoPadding)} {
			low := strings.ToLower(enc.EncodeToString([]byte(creds)))
			for _, c := range []struct{ name, text string }{
				{"one-line", low},
				{"one-line-nl", low + "\n"},
				{"wrapped-76", wrapLines(low, 76, "\n")},
				{"wrapped-64-crlf", wrapLines(low, 64, "\r\n")},
				{"mixed-case", strings.ToUpper(low[:8]) + low[8:] + "\n"},
			} {
				fs := sc.Scan("credentials.txt", []byte(c.text))
				if len(fs) != 2 || fs[0].Rule != rules.IDAccessKeyID || fs[0].Secret != id || fs[1].Rule != rules.IDSecretAccessKey || fs[1].Secret != sec || fs[0].Encoding != "base32" {
					t.Errorf("seed %d %s: %v, want the pair (base32)\n%s", seed, c.name, summarize(fs), c.text)
				}
			}
		}
	}
	g := fakekey.New(99)
	noise := make([]byte, 200)
	for i := range noise {
		noise[i] = byte(g.KeyID("AKIA")[5]) ^ byte(i*37)
	}
	id := g.KeyID("AKIA")
	creds := strings.ToLower(base32.StdEncoding.EncodeToString([]byte("aws_access_key_id = " + id + "\n")))
	for _, c := range []struct{ name, text string }{
		{"word-list", "abandon\nability\nable\nabout\nabove\nabsent\nabsorb\nabstract\nabsurd\nabuse\n"},
		{"noise", wrapLines(strings.ToLower(base32.StdEncoding.EncodeToString(noise)), 76, "\n")},
		{"text-after", creds + "\nsee the notes\n"},
		{"wider-line-after", wrapLines(creds[:64], 40, "\n") + creds[64:] + "\n"},
	} {
		if fs := sc.Scan("credentials.txt", []byte(c.text)); len(fs) != 0 {
			t.Errorf("%s: %v\n%s", c.name, summarize(fs), c.text)
		}
	}
}
