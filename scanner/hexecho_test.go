package scanner_test

import (
	"bytes"
	"encoding/hex"
	"os/exec"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestHexSecretWithLineEnd: the hex of a secret with what echo or an
// editor puts around it (echo "$S" | xxd -p: "…0a"; "\r\n", quotes), on
// one line or in xxd -p's lines of 60 digits (or 64, -c 32), is read as
// the secret, as its base64 is (TestSecretBase64WithLineEnd); hex of
// other text so named is nothing.
func TestHexSecretWithLineEnd(t *testing.T) {
	g := fakekey.New(25050)
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wrap := func(h string, w int, indent string) string {
		var b strings.Builder
		for k := 0; k < len(h); k += w {
			b.WriteString(indent + h[k:min(len(h), k+w)] + "\n")
		}
		return b.String()
	}
	for range 8 {
		secret := g.Secret()
		for _, around := range []string{secret + "\n", secret + "\r\n", "\"" + secret + "\"\n", " " + secret + " \n"} {
			h := hex.EncodeToString([]byte(around))
			files := map[string]string{
				"one.env":   "aws_secret_access_key_hex = " + h + "\n",
				"upper.env": "AWS_SECRET_ACCESS_KEY_HEX=" + strings.ToUpper(h) + "\n",
				"xxd.sh":    "export AWS_SECRET_ACCESS_KEY=$(echo " + h + " | xxd -r -p)\n",
				"s.yaml":    "aws_secret_access_key_hex: |\n" + wrap(h, 60, "  "),
				"c32.py":    "aws_secret_access_key_hex = \"\"\"\n" + wrap(h, 64, "") + "\"\"\"\n",
			}
			for name, text := range files {
				got := s.Scan(name, []byte(text))
				if len(got) != 1 || got[0].Secret != secret || got[0].Encoding != "hex" {
					t.Errorf("%s of %q: found %v, want the secret once, encoding hex", name, around, got)
				}
			}
		}
		if _, err := exec.LookPath("xxd"); err == nil {
			cmd := exec.Command("xxd", "-p")
			cmd.Stdin = strings.NewReader(secret + "\n")
			out, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			if want := wrap(hex.EncodeToString([]byte(secret+"\n")), 60, ""); !bytes.Equal(out, []byte(want)) {
				t.Fatalf("xxd -p wrote %q, want %q", out, want)
			}
		}
	}
	// Hex of other text, of the same lengths, so named: nothing.
	for _, text := range []string{
		"aws_secret_access_key_hex = " + hex.EncodeToString([]byte(strings.Repeat("ab", 20)+"\n")) + "\n",
		"aws_secret_access_key_hex: |\n" + wrap(hex.EncodeToString([]byte("sha256:"+strings.Repeat("0f", 17)+"\n")), 60, "  "),
		"aws_secret_access_key_sha = " + strings.Repeat("0123456789abcdef", 6)[:82] + "\n",
	} {
		if got := s.Scan("benign.env", []byte(text)); len(got) != 0 {
			t.Errorf("%q: found %v, want nothing", text, got)
		}
	}
}
