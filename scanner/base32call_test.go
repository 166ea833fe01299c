package scanner_test

import (
	"encoding/base32"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestBase32Calls: base32 in lower case and base32hex, which no anchor
// names, are decoded where a Python or shell call names them: a literal
// argument, a constant far from its call (wrapped as coreutils and Python
// wrap), a here-document piped to tr and base32 -d or basenc; each key
// found once, also where upper-case base32 stands beside the call. The
// same runs with no call, and key-free text with one, give nothing.
func TestBase32Calls(t *testing.T) {
	g := fakekey.New(24320)
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lower := func(p string) string { return strings.ToLower(base32.StdEncoding.EncodeToString([]byte(p))) }
	hex := func(p string) string { return base32.HexEncoding.EncodeToString([]byte(p)) }
	wrap := func(run string, w int, indent string) string {
		var b strings.Builder
		for k := 0; k < len(run); k += w {
			b.WriteString(indent + run[k:min(len(run), k+w)] + "\n")
		}
		return b.String()
	}
	for i := range 5 {
		id, secret := g.KeyID("AKIA"), g.Secret()
		cred := strings.Repeat("#", i) + "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
		bare := strings.Repeat(" ", i) + `{"id": "` + id + `", "key": "` + secret + `"}`
		cases := map[string]string{
			"lit.py":   "import base64\ncreds = base64.b32decode('" + lower(cred) + "', casefold=True)\n",
			"bare.py":  "import base64\nx = base64.b32decode(b\"" + strings.ToUpper(lower(bare)[:8]) + lower(bare)[8:] + "\", True)\n",
			"hex.py":   "import base64\ncreds = base64.b32hexdecode(\"" + hex(cred) + "\")\n",
			"const.py": "DATA = '''\n" + wrap(lower(cred), 76, "") + "'''\n\n" + strings.Repeat("# filler\n", 80) + "print(base64.b32decode(DATA.replace('\\n', ''), casefold=True))\n",
			"get.sh":   "#!/bin/sh\ncat <<'EOF' | tr a-z A-Z | base32 -d > ~/.aws/credentials\n" + wrap(lower(cred), 76, "") + "EOF\n",
			"hex.sh":   "basenc --base32hex -d <<EOF\n" + wrap(hex(cred), 64, "") + "EOF\n",
			"install":  "#!/usr/bin/env bash\nbase32 --decode <<<\"$(tr a-z A-Z <<'X'\n" + wrap(lower(cred), 64, "") + "X\n)\"\n",
			// qa19 L1: an unquoted word echoed into the pipe
			"echo.sh":  "#!/bin/sh\necho " + hex(cred) + " | basenc --base32hex -d > ~/.aws/credentials\n",
			"echo2.sh": "#!/bin/sh\nset -e\necho -n " + lower(cred) + " | tr a-z A-Z | base32 -d >creds\n",
			"pf.sh":    "#!/bin/bash\nprintf '%s' " + lower(cred) + " | tr a-z A-Z | base32 --decode | tee ~/.aws/credentials\nbasenc --base32 -d <<< ZZZZ\n",
			"tool":     "#!/usr/bin/python3\nimport base64\nprint(base64.b32hexdecode('" + strings.ToLower(hex(cred)) + "', casefold=True) if False else base64.b32hexdecode('" + hex(cred) + "'))\n",
		}
		for name, text := range cases {
			got := map[string]int{}
			for _, f := range s.Scan(name, []byte(text)) {
				got[f.Secret]++
			}
			if got[id] != 1 || got[secret] != 1 {
				t.Errorf("alignment %d, %s: found %v, want the key ID and its secret once", i, name, got)
			}
		}
		// upper-case base32 beside the call: the anchors' run, read once
		up := "creds = base64.b32decode('" + base32.StdEncoding.EncodeToString([]byte(cred)) + "')\n"
		got := map[string]int{}
		for _, f := range s.Scan("up.py", []byte(up)) {
			got[f.Secret]++
		}
		if got[id] != 1 || got[secret] != 1 {
			t.Errorf("alignment %d, upper case: found %v, want the key ID and its secret once", i, got)
		}
		// no call: not decoded (the README says so), but for a file of
		// lower-case base32 alone (TestLowerBase32File)
		for name, text := range map[string]string{"notes.txt": "the file:\n" + wrap(lower(cred), 76, ""), "c.yaml": "data: " + hex(cred) + "\n"} {
			if fs := s.Scan(name, []byte(text)); len(fs) != 0 {
				t.Errorf("%s: %d findings with no call, want none (a change the README must say)", name, len(fs))
			}
		}
	}
	// key-free text with calls: nothing
	benign := "import base64\nx = base64.b32decode('" + lower("[default]\nregion = eu-west-1\noutput = json\n") + "', casefold=True)\n" +
		"LONG_IDENTIFIER_NAMES = 'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz'\n" +
		"y = base64.b32hexdecode(z)\n" + "'" + hex("nothing to see here, only text that is no key at all") + "'\n"
	if fs, c := s.ScanAllCounted("b.py", []byte(benign), 0); len(fs) != 0 || c.Undecoded != 0 {
		t.Errorf("benign: %d findings, %d undecoded, want none", len(fs), c.Undecoded)
	}
}

// FuzzBase32Calls reads any Python file around base32 decoding calls: no
// panic, findings inside the input, no member larger than it.
func FuzzBase32Calls(f *testing.F) {
	fuzzBounds(f, "f.py", 1, []byte("b32decode('mfrggzdf', True)\nb32hexdecode(x)\n"),
		[]byte("b32decode(DATA)\n'"+strings.Repeat("a", 76)+"\n"+strings.Repeat("b", 76)+"\ncd==\n"),
		[]byte("b32hexdecode(b'''0123456789ABCDEFGHIJKLMNOPQRSTUV\n\n'''"))
}
