package scanner_test

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestBase64AnchorCutByLineBreak is qa17 H2: base64 wrapped in lines is
// decoded wherever a line break cuts the encoding of the anchor (the key
// ID's AKIA, in UTF-8 and in UTF-16LE), at every shift of the text against
// the lines, in every layout decodeBase64 joins: base64(1)'s 76 columns,
// PEM's 64 with CRLF, a JSON string's \n escapes, a YAML | block, a mail
// reply's "> ".
func TestBase64AnchorCutByLineBreak(t *testing.T) {
	g := fakekey.New(17002)
	id := g.KeyID("AKIA")
	note := "The deploy key is " + id + ", use it for the nightly job.\n"
	filler := strings.Repeat("Some long message text about the deployment and what changed.\n", 3)
	layouts := map[string]func(b []byte) string{
		"base64.txt": func(b []byte) string { return "payload:\n" + wrapB64(b, 76, "\n") },
		"pem.txt":    func(b []byte) string { return wrapB64(b, 64, "\r\n") },
		"jq.json": func(b []byte) string {
			return `{"note": "` + strings.ReplaceAll(wrapB64(b, 76, "\n"), "\n", `\n`) + "\"}\n"
		},
		"cm.yaml": func(b []byte) string {
			return "data:\n  note: |\n    " + strings.ReplaceAll(wrapB64(b, 76, "\n"), "\n", "\n    ") + "\n"
		},
		"reply.eml": func(b []byte) string { return "> " + strings.ReplaceAll(wrapB64(b, 76, "\n"), "\n", "\n> ") + "\n" },
		"literal.js": func(b []byte) string {
			return "const s = \"" + strings.ReplaceAll(strings.TrimSuffix(wrapB64(b, 64, "\n"), "\n"), "\n", "\" +\n  \"") + "\";\n"
		},
		"crlf76.mime": func(b []byte) string { return wrapB64(b, 76, "\r\n") },
	}
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, layout := range layouts {
		for _, wide := range []bool{false, true} {
			for shift := range 57 * 2 {
				text := strings.Repeat("x", shift) + "\n" + filler + note
				raw := []byte(text)
				if wide {
					raw = []byte{0xff, 0xfe}
					for _, u := range utf16.Encode([]rune(text)) {
						raw = append(raw, byte(u), byte(u>>8))
					}
				}
				fs, c := s.ScanAllCounted(name, []byte(layout(raw)), 0)
				found := false
				for _, f := range fs {
					found = found || f.Secret == id
				}
				if !found || c.Undecoded != 0 {
					t.Errorf("%s, UTF-16 %v, shift %d: key ID found %v, %d runs undecoded", name, wide, shift, found, c.Undecoded)
				}
			}
		}
	}
}
