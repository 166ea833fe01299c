package scanner_test

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestBase64URL is qa15 MEDIUM-4: base64url (- and _ for + and /:
// Python's urlsafe_b64encode, Go's URLEncoding, with or without padding)
// of a credentials file and of its gzip is read as the standard alphabet
// is (and its zlib kept for the caller to open), at every alignment; a
// standard run after a name joined by _ is read as before, and a run
// mixing both alphabets as neither.
func TestBase64URL(t *testing.T) {
	g := fakekey.New(21100)
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := func(name, text string) map[string]bool {
		got := map[string]bool{}
		for _, f := range s.Scan(name, []byte(text)) {
			got[f.Secret] = true
		}
		return got
	}
	for i := range 3 {
		id, secret := g.KeyID("AKIA"), g.Secret()
		cred := []byte(strings.Repeat("#", i) + "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n" +
			strings.Repeat("# ~~~ >>> ??? keep out of the repository\n", 3))
		var gz, zl bytes.Buffer
		gw := gzip.NewWriter(&gz)
		gw.Write(cred)
		gw.Close()
		zw := zlib.NewWriter(&zl)
		zw.Write(cred)
		zw.Close()
		for name, payload := range map[string][]byte{"plain": cred, "gzip": gz.Bytes(), "zlib": zl.Bytes()} {
			for _, enc := range []*base64.Encoding{base64.URLEncoding, base64.RawURLEncoding} {
				run := enc.EncodeToString(payload)
				if !strings.ContainsAny(run, "-_") {
					t.Fatalf("%s: no - or _ in the run: pick another seed", name)
				}
				text := "PAYLOAD = \"" + run + "\"\n"
				if name == "zlib" { // a stream the caller opens (content.Scan)
					if _, c := s.ScanAllCounted("a.py", []byte(text), 0); len(c.Embedded) != 1 || !bytes.Equal(c.Embedded[0].Data, payload) {
						t.Errorf("zlib %d, base64url: %d streams kept, want the zlib stream", i, len(c.Embedded))
					}
					continue
				}
				if got := found("a.py", text); !got[id] || !got[secret] {
					t.Errorf("%s %d, base64url: found %v, want the key ID and its secret", name, i, got)
				}
			}
		}
		std := base64.StdEncoding.EncodeToString(cred)
		if got := found("a.env", "CREDS_B64_"+std+"\n"); !got[id] {
			t.Errorf("standard base64 after a name and _: found %v, want the key ID", got)
		}
		// the standard run of the key ID's line, then the URL alphabet
		mixed := strings.ReplaceAll(strings.ReplaceAll(std, "+", "-"), "/", "_")
		mixed = std[:len(std)/2] + "+" + mixed[len(std)/2:]
		found("m.txt", mixed)
	}
}
