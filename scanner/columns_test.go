package scanner_test

import (
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestCodePointColumns: a finding after multi-byte characters on its line
// gets its columns in code points as well (newuser LOW-24); on an ASCII
// line, and on the lines after a non-ASCII one, it gets none, since the
// byte columns are the same count.
func TestCodePointColumns(t *testing.T) {
	g := fakekey.New(87)
	id, secret := g.KeyID("AKIA"), g.Secret()
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := "# Schlüssel für Ärger, ключ, 鍵\n" +
		"[default]\naws_access_key_id = " + id + "\n" +
		"desc = \"€€\" ; aws_secret_access_key = " + secret + "\n"
	fs := sc.Scan("credentials", []byte(text))
	if len(fs) != 2 {
		t.Fatalf("%d findings, want 2: %+v", len(fs), fs)
	}
	for _, f := range fs {
		switch f.Secret {
		case id: // an ASCII line after a non-ASCII one: byte columns serve
			if f.CharColumn != 0 || f.EndCharColumn != 0 || f.Column != 21 {
				t.Errorf("key ID: columns %d-%d, characters %d-%d; want bytes 21, no characters", f.Column, f.EndColumn, f.CharColumn, f.EndCharColumn)
			}
		case secret: // two euro signs, three bytes each, before it
			byteCol := len("desc = \"€€\" ; aws_secret_access_key = ") + 1
			if f.Column != byteCol || f.CharColumn != byteCol-4 || f.EndCharColumn != byteCol-4+40 {
				t.Errorf("secret: columns %d-%d, characters %d-%d; want bytes %d, characters %d-%d",
					f.Column, f.EndColumn, f.CharColumn, f.EndCharColumn, byteCol, byteCol-4, byteCol-4+40)
			}
		}
	}
}
