package scanner_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestB64DecodeDropsForeignBytes is qa18 M11: the literal of a Python
// b64decode( call cut into short pieces by bytes the call drops (dots,
// blanks, bangs, \n escapes between short lines) is read as the call
// reads it, once, at the literal; a literal whole enough for the anchors
// is theirs (one finding each, not two), and pieces that decode to no key
// give nothing.
func TestB64DecodeDropsForeignBytes(t *testing.T) {
	g := fakekey.New(1817)
	id, secret := g.KeyID("AKIA"), g.Secret()
	enc := base64.StdEncoding.EncodeToString([]byte("[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"))
	groups := func(n int, sep string) string {
		var parts []string
		for i := 0; i < len(enc); i += n {
			parts = append(parts, enc[i:min(len(enc), i+n)])
		}
		return strings.Join(parts, sep)
	}
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, lit := range map[string]string{
		"dots.py":   groups(4, "."),
		"blanks.py": groups(4, " "),
		"bangs.py":  groups(4, "!"),
		"lines.py":  groups(20, `\n`),
		"whole.py":  enc,
		"mixed.py":  groups(8, "-_"),
	} {
		text := "import base64\nCREDS = base64.b64decode(\"" + lit + "\")\n"
		fs := s.Scan(name, []byte(text))
		n := map[string]int{}
		for _, f := range fs {
			n[f.Secret]++
		}
		if n[id] != 1 || n[secret] != 1 {
			t.Errorf("%s: %v, want the key ID and its secret once each", name, summarize(fs))
		}
	}
	for _, text := range []string{
		"x = base64.b64decode(\"" + strings.Repeat("abcd.", 40) + "\")\n",
		"x = base64.b64decode(\"" + groups(4, ".")[:40] + "\")\n",
		"x = base64.b64decode(data.replace('.', ''))\n",
	} {
		if fs, c := s.ScanAllCounted("n.py", []byte(text), 0); len(fs) != 0 || c.Undecoded != 0 {
			t.Errorf("%q: %v, %d undecoded, want none", text, summarize(fs), c.Undecoded)
		}
	}
}
