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
    'a85repr.py': 'DATA = base64.a85decode(' + repr(base64.a85encode(raw)) + ')\n',
    'b85repr.py': 'DATA = base64.b85decode(' + repr(base64.b85encode(raw)) + ')\n',
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
	// Python's repr escapes the backslashes and quotes Ascii85's
	// alphabet holds: read through them (qa33 H7).
	if !strings.Contains(files["a85repr.py"], `\`) {
		t.Fatalf("the key's Ascii85 holds no backslash or quote to escape: %s", files["a85repr.py"])
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
	// ascii85. that is no decoding call (qa18 H6): a file's name in a
	// listing, an encoder of plain text
	for name, text := range map[string]string{
		"tree.json": `{"name":"ascii85","kids":[{"name":"ascii85.go","kids":[],"cl_weight":0.1,"touches":1}]}` + "\n",
		"enc.js":    "import ascii85 from \"ascii85\";\nconst s = ascii85.encode(\"hello world, a long string written in 2024 {x}\");\n",
		"doc.md":    "See ascii85.NewEncoder(w) and \"ascii85.Encode(dst, src)\" for the writer's side.\n",
	} {
		if fs, c := s.ScanAllCounted(name, []byte(text), 0); len(fs) != 0 || c.Undecoded != 0 {
			t.Errorf("%s: %d findings, %d undecoded, want none", name, len(fs), c.Undecoded)
		}
	}
	// a decoding call's literal that does not decode still counts
	if _, c := s.ScanAllCounted("bad.js", []byte("const s = ascii85.decode(\"abc{def ghi\");\n"), 0); c.Undecoded != 1 {
		t.Errorf("a broken ascii85.decode literal: %d undecoded, want 1", c.Undecoded)
	}
}

// FuzzBase85 reads any text around base85 calls and Adobe's marks (a
// Python file): no panic, findings inside the input, no member larger
// than four times the input (a z is four zero bytes). Seeds with z
// groups before a key pair (made at run time) reach the offset mapping
// review16 A-1 found running past the input.
func FuzzBase85(f *testing.F) {
	g := fakekey.New(23302)
	pair := "aws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n"
	a85 := func(plain string) string {
		enc := make([]byte, ascii85.MaxEncodedLen(len(plain)))
		return string(enc[:ascii85.Encode(enc, []byte(plain))])
	}
	zeroed := a85(strings.Repeat("\x00", 40) + "# text\n" + pair)
	fuzzBounds(f, "f.py", 4, []byte("b85decode(b'"+strings.Repeat("~", 12)+"')\n"),
		[]byte("<~87cURD]i,\"Ebo80~>\n"), []byte("a85decode(DATA)\nDATA='''\nzz!!!u\n'''"),
		[]byte("z85.decode(\"HelloWorld\")\nascii85.NewDecoder(r)"),
		[]byte("<~"+zeroed+"~>\n"), []byte("x = a85decode(b'"+zeroed+"')\n"),
		[]byte("<~"+a85(pair+strings.Repeat("\x00", 24)+pair)+"~>"),
		[]byte("a85decode(DATA)\nDATA='''\n"+zeroed+"\n'''\n"))
}

// TestBase85ZeroGroups is review16 A-1: Ascii85's z stands for four zero
// bytes in one character, so a finding after N of them is reported 4N
// characters before where five characters a group would put it; mapped
// as five, it ran past the input and the matcher panicked. The key
// pair after 100 z groups is reported where its bytes are encoded, in an
// Adobe file (wrapped and not) and in a Python a85decode literal.
func TestBase85ZeroGroups(t *testing.T) {
	g := fakekey.New(23301)
	id, secret := g.KeyID("AKIA"), g.Secret()
	zeros := 400
	plain := []byte(strings.Repeat("\x00", zeros) + strings.Repeat("# plain configuration text line here\n", 220) +
		"aws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n")
	enc := make([]byte, ascii85.MaxEncodedLen(len(plain)))
	enc = enc[:ascii85.Encode(enc, plain)]
	if n := strings.Count(string(enc), "z"); n != zeros/4 {
		t.Fatalf("%d z groups encoded, want %d", n, zeros/4)
	}
	// where the first byte of the key ID is encoded, characters into enc
	at := strings.Index(string(plain), id)
	want := zeros/4 + (at-zeros)*5/4
	var wrapped strings.Builder
	for i := 0; i < len(enc); i += 75 {
		wrapped.Write(enc[i:min(i+75, len(enc))])
		wrapped.WriteByte('\n')
	}
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, text string }{
		{"a85.txt", "<~" + string(enc) + "~>\n"},
		{"wrapped.txt", "<~" + wrapped.String() + "~>\n"},
		{"a85.py", "DATA = base64.a85decode(b'" + string(enc) + "')\n"},
	} {
		fs, _ := s.ScanAllCounted(c.name, []byte(c.text), 0)
		run := strings.Index(c.text, string(enc[:10]))
		found := false
		for _, f := range fs {
			if f.Offset < run || f.EndOffset > len(c.text)-1 || f.Offset > f.EndOffset {
				t.Errorf("%s: %s at [%d,%d), outside the run [%d,%d)", c.name, f.Secret, f.Offset, f.EndOffset, run, len(c.text)-1)
			}
			if f.Secret != id {
				continue
			}
			found = true
			off := run + want
			if c.name == "wrapped.txt" {
				off += want / 75 // a line break every 75 characters
			}
			if f.Offset != off {
				t.Errorf("%s: the key ID reported at %d, want %d (its first byte's group)", c.name, f.Offset, off)
			}
		}
		if !found {
			t.Errorf("%s: the key ID not found (%d findings)", c.name, len(fs))
		}
	}
}
