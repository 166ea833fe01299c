package scanner_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestWrappedRunsQuotedOrEscaped is qa18 M1: base32 and hex wrapped in
// lines of one width are read over those lines when each carries the same
// quote (a comment's "# ", "// ", a mail reply's "> ") or when the lines
// are one string's, cut by escaped line breaks (json.dumps of a wrapped
// text, "\r\n", escaped twice, Java's "\u000A"), as base64's are: each
// line alone holds no whole key.
func TestWrappedRunsQuotedOrEscaped(t *testing.T) {
	g := fakekey.New(25010)
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	encs := map[string]func([]byte) string{
		"base32": base32.StdEncoding.EncodeToString,
		"hex":    hex.EncodeToString,
		"HEX":    func(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) },
	}
	jsonString := func(v string) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	layouts := map[string]func(lines []string) (string, string){
		"json": func(l []string) (string, string) {
			return "c.json", `{"creds": ` + jsonString(strings.Join(l, "\n")+"\n") + "}\n"
		},
		"json-crlf": func(l []string) (string, string) {
			return "c.json", `{"creds": ` + jsonString(strings.Join(l, "\r\n")) + "}\n"
		},
		"json-twice": func(l []string) (string, string) {
			return "c.json", `{"x": ` + jsonString(`{"creds": `+jsonString(strings.Join(l, "\n"))+`}`) + "}\n"
		},
		"java-u000A": func(l []string) (string, string) {
			return "C.java", "String s = \"" + strings.Join(l, `\u000A`) + "\";\n"
		},
		"hash": func(l []string) (string, string) {
			return "unpack.sh", "#!/bin/sh\n# " + strings.Join(l, "\n# ") + "\n"
		},
		"slashes": func(l []string) (string, string) {
			return "x.go", "package x\n\n\t// " + strings.Join(l, "\n\t// ") + "\n"
		},
		"reply-crlf": func(l []string) (string, string) {
			return "mail.txt", "> > " + strings.Join(l, "\r\n> > ") + "\r\n"
		},
	}
	for i := range 5 {
		id, secret := g.KeyID("AKIA"), g.Secret()
		cred := []byte(strings.Repeat("#", i) + "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n")
		for ename, enc := range encs {
			run := enc(cred)
			for _, w := range []int{76, 64, 60} {
				var lines []string
				for k := 0; k < len(run); k += w {
					lines = append(lines, run[k:min(len(run), k+w)])
				}
				for lname, layout := range layouts {
					name, text := layout(lines)
					got := map[string]bool{}
					for _, f := range s.Scan(name, []byte(text)) {
						got[f.Secret] = true
					}
					if !got[id] || !got[secret] {
						t.Errorf("%s, width %d, %s, alignment %d: found %v, want the key ID and its secret", ename, w, lname, i, got)
					}
				}
			}
		}
	}
	// Key-free text so wrapped (its aws_ names are anchors) gives nothing and no gap.
	free := []byte(strings.Repeat("[default]\naws_region = us-east-1\naws_output = json\n", 4))
	for ename, enc := range encs {
		run := enc(free)
		var lines []string
		for k := 0; k < len(run); k += 64 {
			lines = append(lines, run[k:min(len(run), k+64)])
		}
		for lname, layout := range layouts {
			name, text := layout(lines)
			if fs, c := s.ScanAllCounted(name, []byte(text), 0); len(fs) != 0 || c.Undecoded != 0 {
				t.Errorf("key-free %s, %s: %d findings, %d undecoded, want none", ename, lname, len(fs), c.Undecoded)
			}
		}
	}
}

// TestNarrowWrappedRuns: base64 wrapped narrower than 60 columns or at a
// width that is no multiple of four (base64 -w 16 … -w 57), bare, behind
// a quote, indented or in a JSON string, its gzip too, and hex in lines of
// 16 to 30 digits (xxd -p -c 8), are read over their lines as wider ones
// are: no line alone holds the key ID and the names around it.
func TestNarrowWrappedRuns(t *testing.T) {
	g := fakekey.New(25020)
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wrap := func(run string, w int, quote string) string {
		var b strings.Builder
		for k := 0; k < len(run); k += w {
			b.WriteString(quote + run[k:min(len(run), k+w)] + "\n")
		}
		return b.String()
	}
	for i := range 4 {
		id, secret := g.KeyID("AKIA"), g.Secret()
		cred := []byte(strings.Repeat("#", i) + "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n")
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(cred)
		zw.Close()
		b64, gz64, hx := base64.StdEncoding.EncodeToString(cred), base64.StdEncoding.EncodeToString(gz.Bytes()), hex.EncodeToString(cred)
		for _, w := range []int{16, 20, 25, 28, 36, 44, 50, 56, 57} {
			files := map[string]string{
				"c.b64":     wrap(b64, w, ""),
				"unpack.sh": "#!/bin/sh\n" + wrap(b64, w, "# "),
				"s.yaml":    "data: |\n" + wrap(b64, w, "    "),
				"c.json":    `{"c": ` + strings.ReplaceAll(`"`+wrap(b64, w, "")+`"`, "\n", `\n`) + "}\n",
				"gz.b64":    wrap(gz64, w, ""),
			}
			if w%2 == 0 {
				files["c.hex"] = wrap(hx, w, "")
			}
			for name, text := range files {
				got := map[string]bool{}
				for _, f := range s.Scan(name, []byte(text)) {
					got[f.Secret] = true
				}
				if !got[id] || !got[secret] {
					t.Errorf("width %d, %s, alignment %d: found %v, want the key ID and its secret", w, name, i, got)
				}
			}
		}
	}
}

// TestCallRunsBehindQuote: the runs a decoding call that names no literal
// reads (lower-case base32 for base32 -d, base85 for b85decode) are read
// behind the same quote on each line too, as a script carries its payload
// in comments for sed -n 's/^# //p' "$0"; key-free comments give nothing.
func TestCallRunsBehindQuote(t *testing.T) {
	g := fakekey.New(25080)
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	comment := func(run string, w int) string {
		var b strings.Builder
		for k := 0; k < len(run); k += w {
			b.WriteString("# " + run[k:min(len(run), k+w)] + "\n")
		}
		return b.String()
	}
	for i := range 5 {
		id, secret := g.KeyID("AKIA"), g.Secret()
		cred := []byte(strings.Repeat("#", i) + "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n")
		for name, text := range map[string]string{
			"unpack.sh": "#!/bin/sh\nsed -n 's/^# //p' \"$0\" | tr a-z A-Z | base32 -d > creds\nexit 0\n" +
				comment(strings.ToLower(base32.StdEncoding.EncodeToString(cred)), 76),
			"unpack.py": "import base64\nexec(base64.b85decode(PAYLOAD))\n" + comment(b85(cred), 60),
		} {
			got := map[string]bool{}
			for _, f := range s.Scan(name, []byte(text)) {
				got[f.Secret] = true
			}
			if !got[id] || !got[secret] {
				t.Errorf("%s, alignment %d: found %v, want the key ID and its secret", name, i, got)
			}
		}
	}
	for name, text := range map[string]string{
		"n.sh": "#!/bin/sh\nbase32 -d in > out\n# " + strings.Repeat("abcdefghijklmnopqrstuvwxyz234567", 3) + "\n",
		"n.py": "import base64\nx = base64.b85decode(y)\n# " + strings.Repeat("Parse_the_configuration;", 3) + "\n",
	} {
		if fs, c := s.ScanAllCounted(name, []byte(text), 0); len(fs) != 0 || c.Undecoded != 0 {
			t.Errorf("%s: %d findings, %d undecoded, want none", name, len(fs), c.Undecoded)
		}
	}
}

// b85 is Python's base64.b85encode (RFC 1924's alphabet, unpadded).
func b85(b []byte) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
	var out []byte
	for i := 0; i < len(b); i += 4 {
		var group [4]byte
		n := copy(group[:], b[i:])
		v := uint32(group[0])<<24 | uint32(group[1])<<16 | uint32(group[2])<<8 | uint32(group[3])
		var chars [5]byte
		for k := 4; k >= 0; k-- {
			chars[k] = alphabet[v%85]
			v /= 85
		}
		out = append(out, chars[:n+1]...)
	}
	return string(out)
}
