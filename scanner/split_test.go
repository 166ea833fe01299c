package scanner_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// cutInto cuts s into pieces of width characters, the last shorter.
func cutInto(s string, width int) []string {
	var out []string
	for i := 0; i < len(s); i += width {
		out = append(out, s[i:min(len(s), i+width)])
	}
	return out
}

// literalForms writes the pieces as the literals of a chain, as generated
// code and embedded assets do, keyed by file name.
func literalForms(ch []string) map[string]string {
	q := func(f string) []string {
		out := make([]string, len(ch))
		for i, c := range ch {
			out[i] = strings.ReplaceAll(f, "%", c)
		}
		return out
	}
	js, _ := json.MarshalIndent(map[string][]string{"blob": ch}, "", "  ")
	return map[string]string{
		"blob.js":   "const blob =\n" + strings.Join(q(`  "%"`), " +\n") + ";\n",
		"blob.ts":   "const blob = " + strings.Join(q(`'%'`), " + ") + ";\n",
		"blob.py":   "BLOB = (\n" + strings.Join(q(`    "%"`), "\n") + "\n)\n",
		"bytes.py":  "BLOB = (\n" + strings.Join(q(`    b"%"`), "\n") + "\n)\n",
		"blob.go":   "package p\n\nconst blob = \"\" +\n" + strings.Join(q("\t\"%\""), " +\n") + "\n",
		"blob.c":    "const char *blob =\n" + strings.Join(q(`  "%"`), "\n") + ";\n",
		"blob.json": string(js) + "\n",
		"inline.rb": "BLOB = [" + strings.Join(q(`"%"`), ", ") + "].join\n",
	}
}

// TestGzipInBase64Literals is qa14 HIGH-11: a gzip'd credentials file in
// base64, cut into literals of one width and joined as the language joins
// them (JavaScript's and Go's +, Python's and C's adjacent literals, a
// JSON list), is read as one run, as the same text on bare lines is, with
// no keyword near it. A chain broken by code that is not a literal gives
// what its first part holds and is counted as not decoded whole; no key
// comes from literals that are not one run.
func TestGzipInBase64Literals(t *testing.T) {
	g := fakekey.New(1911)
	id, secret := g.KeyID("AKIA"), g.Secret()
	var text strings.Builder
	for i := range 200 {
		text.WriteString("setting_" + strings.Repeat("x", i%7) + " = value value value\n")
	}
	text.WriteString("[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n")
	for range 200 {
		text.WriteString("other = x y z\n")
	}
	run := strings.Join(strings.Fields(string(tool(t, tool(t, []byte(text.String()), "gzip", "-n"), "base64"))), "")
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{76, 64} {
		for name, data := range literalForms(cutInto(run, width)) {
			fs, c := s.ScanAllCounted(name, []byte(data), 0)
			got := map[string]bool{}
			for _, f := range fs {
				got[f.Secret] = true
			}
			if !got[id] || !got[secret] || c.Undecoded != 0 {
				t.Errorf("%s, width %d: %d findings, %d runs undecoded; want the key ID and its secret", name, width, len(fs), c.Undecoded)
			}
		}
	}
	// Broken chains: a variable between two literals, statements between
	// them, literals of other widths. The run read ends early (a gzip cut
	// short: counted), and nothing is joined across what is not a join.
	ch := cutInto(run, 76)
	broken := map[string]string{
		"var.js":   "const blob = \"" + ch[0] + "\" + pad +\n  \"" + strings.Join(ch[1:], "\" +\n  \"") + "\";\n",
		"stmts.go": "package p\n\nvar a = \"" + ch[0] + "\"\nvar b = \"" + strings.Join(ch[1:], "\"\nvar c = \"") + "\"\n",
		"widths.py": "BLOB = (\n    \"" + ch[0] + "\"\n    \"" + ch[1][:72] + "\"\n    \"" + ch[1][72:] +
			strings.Join(ch[2:], "") + "\"\n)\n",
		"mixed.json": "{\"blob\": [\"" + ch[0] + "\", 1, \"" + strings.Join(ch[1:], "\", \"") + "\"]}\n",
	}
	for name, data := range broken {
		fs, c := s.ScanAllCounted(name, []byte(data), 0)
		if len(fs) != 0 || c.Undecoded != 1 {
			t.Errorf("%s: %d findings, %d runs undecoded; want none, and the cut run counted", name, len(fs), c.Undecoded)
		}
	}
}
