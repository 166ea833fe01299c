package scanner_test

import (
	"encoding/ascii85"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// base85Files writes, with the real python3, the files of TestBase85 for
// the credentials file cred: a name and its text each.
const base85Files = `
import base64, io, json, sys, zipfile
raw = sys.argv[1].encode()
b = io.BytesIO()
with zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('credentials', raw)
s = base64.b85encode(b.getvalue()).decode()
lines = '\n'.join(s[i:i+79] for i in range(0, len(s), 79))
b85, z85 = b'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_` + "`" + `{|}~', b'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#'
padded = raw + b' ' * (-len(raw) % 4)
json.dump({
    'getpip.py': 'from base64 import b85decode\nDATA = b"""\n' + lines + '\n"""\n\ndef main():\n    unpack(b85decode(DATA.replace(b"\\n", b"")))\n',
    'b85.py': 'DATA = base64.b85decode("' + base64.b85encode(raw).decode() + '")\n',
    'b85pad.py': "DATA = base64.b85decode(b'" + base64.b85encode(raw, pad=True).decode() + "')\n",
    'a85.py': 'DATA = base64.a85decode("' + base64.a85encode(raw).decode() + '")\n',
    'adobe.py': 'DATA = base64.a85decode(b"""' + base64.a85encode(raw, adobe=True, wrapcol=72).decode() + '""", adobe=True)\n',
    'adobe.txt': base64.a85encode(raw, adobe=True, wrapcol=76).decode() + '\n',
    'page.ps': '%!PS\ncurrentfile /ASCII85Decode filter\n' + base64.a85encode(raw, adobe=True, wrapcol=64).decode() + '\n',
    'z.js': 'const c = z85.decode("' + base64.b85encode(padded).translate(bytes.maketrans(b85, z85)).decode() + '");\n',
    'g.rb': "data = Ascii85.decode('" + base64.a85encode(raw, adobe=True).decode() + "')\n",
}, sys.stdout)
`

// TestBase85 is qa15 MEDIUM-9: base85 is decoded where a call or Adobe's
// marks name it: Python's b85decode and a85decode of a literal or, as
// get-pip.py embeds a zip, of a name whose lines stand far above the call
// (the zip kept for the caller to open), Adobe's <~ ~> in a file or a
// PostScript page, Z85 and the Ascii85 libraries of Go and Ruby. A
// literal a call names that does not decode is counted; base85-like
// words with no call give nothing.
func TestBase85(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed (.ci/run installs it): not checked")
	}
	g := fakekey.New(23300)
	id, secret := g.KeyID("AKIA"), g.Secret()
	cred := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	out, err := exec.Command("python3", "-c", base85Files, cred).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var files map[string]string
	if err := json.Unmarshal(out, &files); err != nil {
		t.Fatal(err)
	}
	a85 := make([]byte, ascii85.MaxEncodedLen(len(cred)))
	a85 = a85[:ascii85.Encode(a85, []byte(cred))]
	files["a.go"] = "package x\n\nconst data = `" + string(a85) + "`\n\nfunc f() { ascii85.Decode(dst, []byte(data), true) }\n"
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		fs, c := s.ScanAllCounted(name, []byte(text), 0)
		if name == "getpip.py" {
			if len(c.Embedded) != 1 || !strings.HasPrefix(string(c.Embedded[0].Data), "PK\x03\x04") {
				t.Errorf("%s: %d members kept, want the zip", name, len(c.Embedded))
			}
			continue
		}
		got := map[string]bool{}
		for _, f := range fs {
			got[f.Secret] = true
		}
		if !got[id] || !got[secret] || c.Undecoded != 0 {
			t.Errorf("%s: found %v, %d undecoded, want the key ID and its secret", name, got, c.Undecoded)
		}
	}
	// a literal named as base85 that does not decode is counted
	if _, c := s.ScanAllCounted("bad.py", []byte("x = base64.b85decode(\"abc\\\"def ghi\")\n"), 0); c.Undecoded != 1 {
		t.Errorf("a broken b85decode literal: %d undecoded, want 1", c.Undecoded)
	}
	// words of the alphabets with no call, and a call of other data
	benign := "x = frobnicate_the_configuration_of_the_whole_system_now()\n" +
		"y = base64.b85decode(b'" + strings.Repeat("0", 20) + "')\n" +
		"version = '~> 1.2' # <~ not data\n"
	if fs, c := s.ScanAllCounted("b.py", []byte(benign), 0); len(fs) != 0 || len(c.Embedded) != 0 || c.Undecoded != 0 {
		t.Errorf("benign base85: %d findings, %d members, %d undecoded, want none", len(fs), len(c.Embedded), c.Undecoded)
	}
}

// FuzzBase85 reads any text around base85 calls and Adobe's marks (a
// Python file): no panic, findings inside the input, no member larger
// than the input.
func FuzzBase85(f *testing.F) {
	fuzzBounds(f, "f.py", []byte("b85decode(b'"+strings.Repeat("~", 12)+"')\n"),
		[]byte("<~87cURD]i,\"Ebo80~>\n"), []byte("a85decode(DATA)\nDATA='''\nzz!!!u\n'''"),
		[]byte("z85.decode(\"HelloWorld\")\nascii85.NewDecoder(r)"))
}
