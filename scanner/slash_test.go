package scanner_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestBase64SlashEscapes is qa16 MEDIUM-7: base64 in a JSON string whose
// every / is written \/ (PHP's json_encode, Java's org.json) is read as
// one run: a gzip'd credentials file so carried gives both keys
// (base64+gzip), as does plain text whose base64 holds a /, and nothing
// is counted as not decoded.
func TestBase64SlashEscapes(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(81)
	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "# app config ???>>>\n[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(creds))
	w.Close()
	for _, c := range []struct {
		name, payload, enc string
	}{
		{"gzip", base64.StdEncoding.EncodeToString(gz.Bytes()), "base64+gzip"},
		{"text", base64.StdEncoding.EncodeToString([]byte(creds)), "base64"},
	} {
		if !strings.Contains(c.payload, "/") {
			t.Fatalf("%s: no / in the payload: the test tests nothing", c.name)
		}
		data := []byte(`{"status":"ok","config":"` + strings.ReplaceAll(c.payload, "/", `\/`) + `"}` + "\n")
		fs, counts := sc.ScanAllCounted("api.json", data, 0)
		got := map[string]int{}
		for _, f := range fs {
			got[f.Secret]++
			if f.Encoding != c.enc || f.Offset < 25 || f.EndOffset > len(data)-3 {
				t.Errorf("%s: %s encoding %q at [%d,%d)", c.name, scanner.Redact(f.Secret), f.Encoding, f.Offset, f.EndOffset)
			}
		}
		if len(fs) != 2 || got[id] != 1 || got[secret] != 1 || counts.Undecoded != 0 {
			t.Errorf("%s: %v, %d undecoded; want the pair once", c.name, summarize(fs), counts.Undecoded)
		}
	}
}
