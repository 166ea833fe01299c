package scanner_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// wrapB64 writes b in base64 in lines of width characters, each ended by
// nl, as base64(1) (76), Ruby's encode64 (60) and Java's MIME encoder
// (76, CRLF) write it.
func wrapB64(b []byte, width int, nl string) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > width {
		out.WriteString(s[:width] + nl)
		s = s[width:]
	}
	out.WriteString(s + nl)
	return out.String()
}

// TestBase64EscapedLines is qa15 HIGH-8: base64 wrapped in lines, then put
// in a JSON or YAML string or a source literal, whose line breaks are
// escapes (jq --arg, json.dumps, Ruby's encode64 in YAML, repr, %q), is
// read as one run, as the same lines with real line breaks are: the plain
// credentials file and its gzip alike. A run whose lines are not of one
// width is not joined, as bare lines are not.
func TestBase64EscapedLines(t *testing.T) {
	g := fakekey.New(21080)
	id, secret := g.KeyID("AKIA"), g.Secret()
	cred := []byte("[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n")
	var pad strings.Builder
	for i := range 200 {
		pad.WriteString("setting_" + strings.Repeat("x", i%7) + " = value value value\n")
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(pad.String() + string(cred) + pad.String()))
	zw.Close()
	jsonString := func(s string) string {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	cases := map[string]string{}
	for name, payload := range map[string][]byte{"plain": cred, "gzip": z.Bytes()} {
		b76, b60 := wrapB64(payload, 76, "\n"), wrapB64(payload, 60, "\n")
		crlf := wrapB64(payload, 76, "\r\n")
		cases[name+"/jq.json"] = `{"path": "deploy/credentials", "content": ` + jsonString(b76) + "}\n"
		cases[name+"/ruby.json"] = `{"data": ` + jsonString(b60) + "}\n"
		cases[name+"/mime.json"] = `{"data": ` + jsonString(crlf) + "}\n"
		cases[name+"/u000a.json"] = `{"data": "` + strings.ReplaceAll(b76, "\n", `\u000a`) + "\"}\n"
		cases[name+"/ruby.yaml"] = "data: \"" + strings.ReplaceAll(b60, "\n", `\n`) + "\"\n"
		cases[name+"/one.py"] = "BLOB = \"" + strings.ReplaceAll(b76, "\n", `\n`) + "\"\n"
		cases[name+"/one.go"] = "package x\n\nconst blob = \"" + strings.ReplaceAll(b76, "\n", `\n`) + "\"\n"
		cases[name+"/twice.js"] = "const s = \"{\\\"p\\\": \\\"" + strings.ReplaceAll(b76, "\n", `\\n`) + "\\\"}\";\n"
	}
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range cases {
		fs, c := s.ScanAllCounted(name[strings.IndexByte(name, '/')+1:], []byte(text), 0)
		got := map[string]bool{}
		for _, f := range fs {
			got[f.Secret] = true
		}
		if !got[id] || !got[secret] || c.Undecoded != 0 {
			t.Errorf("%s: %d findings, %d runs undecoded; want the key ID and its secret", name, len(fs), c.Undecoded)
		}
	}
	// Lines of two widths are no one run: the key is not read from them,
	// and nothing panics where the escapes stand at the ends of the input.
	b := wrapB64(cred, 76, "\n")
	mixed := strings.Replace(b, "\n", "XY\n", 1)
	for _, text := range []string{
		`{"data": "` + strings.ReplaceAll(mixed, "\n", `\n`) + "\"}\n",
		strings.ReplaceAll(b, "\n", `\n`),
		`\n` + strings.ReplaceAll(b, "\n", `\r\n`) + `\`,
		`\\\\\n` + strings.ReplaceAll(b, "\n", `\u000A\`),
	} {
		s.ScanAllCounted("x.json", []byte(text), 0)
	}
	fs, _ := s.ScanAllCounted("x.json", []byte(`{"data": "`+strings.ReplaceAll(mixed, "\n", `\n`)+"\"}\n"), 0)
	for _, f := range fs {
		if f.Secret == secret {
			t.Errorf("lines of two widths: the secret read from them, at %d", f.Offset)
		}
	}
}
