package scanner_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

func newScanner(t testing.TB, opts scanner.Options) *scanner.Scanner {
	t.Helper()
	sc, err := scanner.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// pos is the part of a finding these tests compare.
type pos struct {
	Rule                             string
	Line, Column, EndLine, EndColumn int
	Paired                           bool
	Encoding                         string
}

func positions(fs scanner.Findings) []pos {
	var out []pos
	for _, f := range fs {
		out = append(out, pos{f.Rule, f.Line, f.Column, f.EndLine, f.EndColumn, f.Pair != "", f.Encoding})
	}
	return out
}

const (
	id     = rules.IDAccessKeyID
	secret = rules.IDSecretAccessKey
	token  = rules.IDSessionToken
)

func TestPositions(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for _, tc := range []struct {
		name, file, text string
		want             []pos
	}{
		{"ini", "credentials", "[p]\naws_access_key_id = {{ID}}\naws_secret_access_key = {{SECRET}}\n",
			[]pos{{id, 2, 21, 2, 41, true, ""}, {secret, 3, 25, 3, 65, true, ""}}},
		{"crlf", "x.env", "A=1\r\nAWS_SECRET_ACCESS_KEY={{SECRET}}\r\n",
			[]pos{{secret, 2, 23, 2, 63, false, ""}}},
		{"json escapes", "x.json", `{"aws_secret_access_key": "{{SECRET_JS}}"}`,
			[]pos{{secret, 1, 28, 1, 28 + len(fakekey.New(1).Values()["SECRET_JS"]), false, "json-escape"}}},
		{"minified", "x.min.js", strings.Repeat("a=1;", 50000) + `k="{{ID}}";` + strings.Repeat("b=2;", 1000),
			[]pos{{id, 1, 200004, 1, 200024, false, ""}}},
		{"invalid utf-8", "x.txt", "\xfd\xff\xc0 {{ID}} \xc3\x28",
			[]pos{{id, 1, 5, 1, 25, false, ""}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := rules.Fill(tc.text, fakekey.New(1).Values())
			got := positions(sc.Scan(tc.file, []byte(text)))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings differ (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUTF16 checks the positions of findings in UTF-16 files (README:
// "columns count bytes"): offsets and columns count the file's bytes, the
// byte order mark included on line 1, two bytes a character and four for one
// past U+FFFF; CharColumn and EndCharColumn count characters.
func TestUTF16(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	v := fakekey.New(2).Values()
	encode := func(s string, big bool) []byte {
		b := []byte{0xFF, 0xFE}
		if big {
			b = []byte{0xFE, 0xFF}
		}
		for _, u := range utf16.Encode([]rune(s)) {
			if big {
				b = append(b, byte(u>>8), byte(u))
			} else {
				b = append(b, byte(u), byte(u>>8))
			}
		}
		return b
	}
	type place struct{ Line, Column, EndColumn, CharColumn, EndCharColumn int }
	for _, tc := range []struct {
		name, text string
		want       place
	}{
		// "AWS_ACCESS_KEY_ID=" is 18 characters: the key starts at the 19th,
		// byte 37 of its line (byte 39 on line 1, after the byte order mark).
		{"second line", "x\r\nAWS_ACCESS_KEY_ID={{ID}}\r\n", place{2, 37, 77, 19, 39}},
		{"first line", "AWS_ACCESS_KEY_ID={{ID}}\r\n", place{1, 39, 79, 19, 39}},
		// é is one unit (2 bytes, 2 in UTF-8); the key symbol past U+FFFF a
		// surrogate pair (4 bytes, 4 in UTF-8): one character each.
		{"wide characters", "x\n# \u00e9\U0001F511\nAWS_ACCESS_KEY_ID={{ID}} # \u00e9\U0001F511 clé\n", place{3, 37, 77, 19, 39}},
		{"after wide characters", "\u00e9\U0001F511 AWS_ACCESS_KEY_ID={{ID}}\n", place{1, 47, 87, 22, 42}},
	} {
		for _, big := range []bool{false, true} {
			text := rules.Fill(tc.text, v)
			data := encode(text, big)
			fs := sc.Scan("win.ini", data)
			if len(fs) != 1 {
				t.Errorf("%s (big endian %v): %d findings, want 1", tc.name, big, len(fs))
				continue
			}
			f := fs[0]
			got := place{f.Line, f.Column, f.EndColumn, f.CharColumn, f.EndCharColumn}
			if got != tc.want {
				t.Errorf("%s (big endian %v): %+v, want %+v", tc.name, big, got, tc.want)
			}
			// The offsets name the key's own bytes in the file.
			if f.Offset < 0 || f.EndOffset > len(data) || f.Offset > f.EndOffset ||
				!bytes.Equal(data[f.Offset:f.EndOffset], encode(v["ID"], big)[2:]) {
				t.Errorf("%s (big endian %v): offsets [%d,%d) do not hold the key", tc.name, big, f.Offset, f.EndOffset)
			}
		}
	}
}

func TestAllowDirective(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	v := fakekey.New(3).Values()
	fs := sc.Scan("a.py", []byte(rules.Fill("k = '{{ID}}'  # keyscan:allow test fixture for the parser\n", v)))
	if len(fs) != 0 {
		t.Errorf("allow with a reason: got %d findings, want 0", len(fs))
	}
	fs = sc.Scan("a.py", []byte(rules.Fill("k = '{{ID}}'  # keyscan:allow\n", v)))
	if len(fs) != 1 || !strings.Contains(fs[0].Note, "needs a reason") {
		t.Errorf("allow without a reason: got %+v, want one finding with a note", fs)
	}
}

// TestReportAllowed: a scanner made for the server gate returns the values
// that keyscan:allow directives allow, with the reason, and otherwise the
// same findings as Scan: a secret that only its allowed key ID made one
// carries the key ID's reason; a directive without a reason allows nothing;
// a key-shaped run in a reason is redacted.
func TestReportAllowed(t *testing.T) {
	plain := newScanner(t, scanner.Options{})
	gate := newScanner(t, scanner.Options{ReportAllowed: true})
	v := fakekey.New(4).Values()
	w := fakekey.New(5).Values()
	for _, tc := range []struct {
		name, file, text string
		allowed          map[string]string // value -> reason
	}{
		{"both lines", "creds", "[default]\naws_access_key_id = {{ID}} # keyscan:allow fixture of the parser\naws_secret_access_key = {{SECRET}} # keyscan:allow fixture of the parser\n",
			map[string]string{v["ID"]: "fixture of the parser", v["SECRET"]: "fixture of the parser"}},
		{"pair by its key ID", "t.py", "ID = '{{ID}}'  # keyscan:allow signing test vector\nS = '{{SECRET}}'\n",
			map[string]string{v["ID"]: "signing test vector", v["SECRET"]: "signing test vector"}},
		{"beside a reported key", "t.py", "A = '{{ID}}'  # keyscan:allow doc sample\n" +
			rules.Fill("aws_access_key_id = '{{ID}}'\naws_secret_access_key = '{{SECRET}}'\n", w),
			map[string]string{v["ID"]: "doc sample"}},
		{"no reason", "t.py", "A = '{{ID}}'  # keyscan:allow\n", nil},
		{"key in the reason", "t.py", "A = '{{ID}}'  # keyscan:allow same as {{ID}} in the docs\n",
			map[string]string{v["ID"]: "same as " + scanner.Redact(v["ID"]) + " in the docs"}},
	} {
		data := []byte(rules.Fill(tc.text, v))
		want := plain.Scan(tc.file, data)
		var kept scanner.Findings
		got := map[string]string{}
		for _, f := range gate.Scan(tc.file, data) {
			if f.Allowed == "" {
				kept = append(kept, f)
				continue
			}
			got[f.Secret] = f.Allowed
		}
		if diff := cmp.Diff(want, kept); diff != "" {
			t.Errorf("%s: the findings not allowed differ from Scan's (-scan +gate):\n%s", tc.name, diff)
		}
		if diff := cmp.Diff(tc.allowed, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: allowed values (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestConfigAllow(t *testing.T) {
	v := fakekey.New(4).Values()
	sc := newScanner(t, scanner.Options{AllowValues: []string{v["ID"]}})
	if fs := sc.Scan("a.txt", []byte(v["ID"])); len(fs) != 0 {
		t.Errorf("allowed value reported: %+v", fs)
	}
}

func TestKeywordTooShort(t *testing.T) {
	if _, err := scanner.New(scanner.Options{Keywords: []string{"k"}}); err == nil {
		t.Error("a one-letter keyword was accepted")
	}
}

func TestAccountID(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want string
		ok   bool
	}{
		{"AKIAIOSFODNN7EXAMPLE", "", false}, // old generation: fifth character I
		{"AKIAJ" + strings.Repeat("A", 15), "", false},
		{"AKIA", "", false},
		{"AKIAAAAAAAAAAAAAAAAA", "000000000000", true},
	} {
		got, ok := scanner.AccountID(tc.id)
		if got != tc.want || ok != tc.ok {
			t.Errorf("AccountID(%q) = %q, %v; want %q, %v", tc.id, got, ok, tc.want, tc.ok)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"AKIAABCDEFGHIJKLWXYZ": "AKIA************WXYZ",
		"short":                "********",
	} {
		if got := scanner.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFingerprintIgnoresPosition(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	v := fakekey.New(5).Values()
	a := sc.Scan("c.env", []byte(rules.Fill("AWS_ACCESS_KEY_ID={{ID}}\n", v)))
	b := sc.Scan("c.env", []byte(rules.Fill("# moved\n\n\nX=1\nAWS_ACCESS_KEY_ID={{ID}}\n", v)))
	if len(a) != 1 || len(b) != 1 || a[0].Fingerprint != b[0].Fingerprint {
		t.Errorf("fingerprint changed when the line moved: %+v vs %+v", a, b)
	}
}

// TestRandomSecretsPass checks that the value tests keep generated secrets:
// the word, entropy and placeholder tests must not drop real keys.
func TestRandomSecretsPass(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(6)
	for range 20000 {
		s := g.Secret()
		if ok, why := sc.Check(rules.SecretAccessKey, s); !ok {
			t.Errorf("Check(%q) = false: %s", s, why)
		}
	}
}

// TestRandomKeyIDsPass: the word test on upper-case bodies must keep almost
// every real key ID; it costs about one ID in a thousand.
func TestRandomKeyIDsPass(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(7)
	dropped := 0
	const n = 100000
	for range n {
		if ok, _ := sc.Check(rules.AccessKeyID, g.KeyID("AKIA")); !ok {
			t.Fatalf("a long-term key ID was rejected")
		}
		if ok, _ := sc.Check(rules.AccessKeyID, g.KeyID("ASIA")); !ok {
			dropped++
		}
	}
	if dropped > 0 {
		t.Errorf("%d of %d generated key IDs rejected", dropped, n)
	}
	t.Logf("%d of %d generated key IDs rejected", dropped, n)
}

// TestAllowedKeyIDIsNoContext: a key ID silenced where it stands must not
// turn a random string nearby into a paired secret.
func TestAllowedKeyIDIsNoContext(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	v := fakekey.New(8).Values()
	text := rules.Fill("id = \"{{ID}}\" // keyscan:allow fixture for the parser tests\n\nx = \"{{SECRET}}\"\n", v)
	if fs := sc.Scan("a.go", []byte(text)); len(fs) != 0 {
		t.Errorf("got %d findings, want none: %+v", len(fs), positions(fs))
	}
}

// TestEscapedKeyID: a key ID written one escape per character is found at
// the escaped text.
func TestEscapedKeyID(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	id := fakekey.New(9).KeyID("AKIA")
	for _, form := range []string{`\u%04x`, `\\u%04x`, `%%u%04x`, `\x%02x`, `\u{%x}`} {
		var esc strings.Builder
		for _, c := range id {
			fmt.Fprintf(&esc, form, c)
		}
		text := `data = "` + esc.String() + `"` + "\n"
		fs := sc.Scan("a.go", []byte(text))
		if len(fs) != 1 || fs[0].Secret != id || fs[0].Offset != 8 || fs[0].EndOffset != 8+esc.Len() || fs[0].Encoding != "unicode-escape" {
			t.Errorf("%s: got %+v", form, fs)
		}
	}
}

// TestConcurrentScansAgree: one Scanner scanning many inputs at once (as
// keyscan scan and history do) finds what scanning them one by one finds.
// Its shared parts (the name cache, the pools of masks and lists) are what
// this holds to account; run it with -race.
func TestConcurrentScansAgree(t *testing.T) {
	g := fakekey.New(21)
	var inputs []string
	for i := range 48 {
		var b strings.Builder
		for j := range 40 + i*7 {
			switch (i + j) % 6 {
			case 0:
				fmt.Fprintf(&b, "aws_secret_access_key_%d = %s\n", j, g.Secret())
			case 1:
				fmt.Fprintf(&b, "aws_access_key_id = %s\n", g.KeyID("AKIA"))
			case 2:
				fmt.Fprintf(&b, "service%d_secret: %s\n", i*100+j, g.Secret())
			case 3:
				fmt.Fprintf(&b, "k = \"\\u0041KIA%s\" // secret\n", g.KeyID("AKIA")[4:])
			case 4:
				b.WriteString(strings.Repeat("ordinary text, nothing here ", 20) + "\n")
			default:
				fmt.Fprintf(&b, "token%d = %q\n", j, g.SessionToken())
			}
		}
		inputs = append(inputs, b.String())
	}
	serial := newScanner(t, scanner.Options{})
	want := make([]scanner.Findings, len(inputs))
	total := 0
	for i, in := range inputs {
		want[i] = serial.Scan(fmt.Sprintf("f%d.env", i), []byte(in))
		total += len(want[i])
	}
	if total < len(inputs) {
		t.Fatalf("%d findings in %d inputs: the inputs hold keys in every file", total, len(inputs))
	}
	shared := newScanner(t, scanner.Options{})
	got := make([]scanner.Findings, len(inputs))
	done := make(chan int)
	for w := range 4 {
		go func() {
			for i := w; i < len(inputs); i += 4 {
				got[i] = shared.Scan(fmt.Sprintf("f%d.env", i), []byte(inputs[i]))
			}
			done <- w
		}()
	}
	for range 4 {
		<-done
	}
	for i := range inputs {
		if diff := cmp.Diff(want[i], got[i]); diff != "" {
			t.Fatalf("input %d: concurrent scan differs (-serial +concurrent):\n%s", i, diff)
		}
	}
}

// TestAllowDirectiveOnlyInAComment: a directive counts only in a real
// comment; a comment marker inside a string of the line is text (qa7
// LOW-11: each "in a string" line below was silenced).
func TestAllowDirectiveOnlyInAComment(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	v := fakekey.New(11).Values()
	for _, tc := range []struct {
		name, text string
		allowed    bool
	}{
		{"a.json", `{"aws_secret_access_key": "{{SECRET}}", "note": "# keyscan:allow fake"}`, false},
		{"a.json", `{"aws_secret_access_key": "{{SECRET}}", "note": "// keyscan:allow fake"}`, false},
		{"a.yaml", `aws_secret_access_key: "{{SECRET}} # keyscan:allow x"`, false},
		{"a.env", `AWS_SECRET_ACCESS_KEY="{{SECRET}}" MSG="# keyscan:allow x"`, false},
		{"a.env", `AWS_SECRET_ACCESS_KEY='{{SECRET}}' MSG='# keyscan:allow x'`, false},
		{"a.go", `const secretAccessKey = "{{SECRET}}"; const note = "// keyscan:allow x";`, false},
		{"a.go", "const secretAccessKey = \"{{SECRET}}\"; const note = `// keyscan:allow x`;", false},
		{"a.js", `const awsSecretAccessKey = "{{SECRET}}", note = "a \" quote // keyscan:allow x";`, false},
		// Real comments after strings, with quotes, escapes and apostrophes.
		{"a.yaml", `aws_secret_access_key: "{{SECRET}}" # keyscan:allow fixture`, true},
		{"a.env", `AWS_SECRET_ACCESS_KEY="{{SECRET}}" # keyscan:allow it's a fixture`, true},
		{"a.py", `aws_secret_access_key = '{{SECRET}}'  # keyscan:allow don't rotate: fake`, true},
		{"a.go", `const secretAccessKey = "{{SECRET}}" // keyscan:allow fixture`, true},
		{"a.js", `const awsSecretAccessKey = "{{SECRET}}", n = "a \"q\" b"; // keyscan:allow fixture`, true},
		{"a.md", `Don't use aws_secret_access_key = {{SECRET}} <!-- keyscan:allow documentation -->`, true},
		{"a.vb", `awsSecretAccessKey = "{{SECRET}}" ' keyscan:allow fixture`, true},
		{"a.sql", `-- keyscan:allow fixture: aws_secret_access_key = '{{SECRET}}'`, true},
	} {
		line := rules.Fill(tc.text, v) + "\n"
		fs := sc.Scan(tc.name, []byte(line))
		if got := len(fs) == 0; got != tc.allowed {
			t.Errorf("%s %s: allowed %v, want %v (%d findings)", tc.name, tc.text, got, tc.allowed, len(fs))
		}
	}
}

// TestByteOrderMarkProvesNothing is qa9 HIGH-7: a UTF-16 byte order mark
// before ASCII text (or a UTF-16 first line before ASCII lines, as when a
// shell appends to a file PowerShell made) decoded the whole file as
// UTF-16, and its keys vanished. The bytes are read as they are too; and
// UTF-32 text with its byte order mark is decoded (four bytes a character).
func TestByteOrderMarkProvesNothing(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	v := fakekey.New(3).Values()
	creds := rules.Fill("[default]\r\naws_access_key_id = {{ID}}\r\naws_secret_access_key = {{SECRET}}\r\n", v)
	wide := func(s string, unit int, big bool) []byte {
		var b []byte
		for _, r := range s {
			for i := range unit {
				shift := 8 * i
				if big {
					shift = 8 * (unit - 1 - i)
				}
				b = append(b, byte(uint32(r)>>shift))
			}
		}
		return b
	}
	// Column counts bytes; CharColumn is set where it differs (0: the same).
	type place struct{ Line, Column, CharColumn int }
	for _, tc := range []struct {
		name string
		data []byte
		id   place // where the key ID is reported
	}{
		{"LE mark, ASCII text", append([]byte{0xFF, 0xFE}, creds...), place{2, 21, 0}},
		{"BE mark, ASCII text", append([]byte{0xFE, 0xFF}, creds...), place{2, 21, 0}},
		{"UTF-16 first line, ASCII after", append(append([]byte{0xFF, 0xFE}, wide("[default]\r\n", 2, false)...), creds[len("[default]\r\n"):]...), place{2, 22, 0}}, // after the NUL of the UTF-16 line break
		{"UTF-32 LE", append([]byte{0xFF, 0xFE, 0, 0}, wide(creds, 4, false)...), place{2, 81, 21}},
		{"UTF-32 BE", append([]byte{0, 0, 0xFE, 0xFF}, wide(creds, 4, true)...), place{2, 81, 21}},
		{"UTF-16 LE", append([]byte{0xFF, 0xFE}, wide(creds, 2, false)...), place{2, 41, 21}},
	} {
		fs := sc.Scan("creds.ini", tc.data)
		if len(fs) != 2 {
			t.Errorf("%s: %d findings, want the key ID and its secret\n%v", tc.name, len(fs), fs)
			continue
		}
		for _, f := range fs {
			if f.Kind == rules.AccessKeyID {
				if got := (place{f.Line, f.Column, f.CharColumn}); got != tc.id {
					t.Errorf("%s: key ID at %+v, want %+v", tc.name, got, tc.id)
				}
				if f.Secret != v["ID"] {
					t.Errorf("%s: key ID %q, want %q", tc.name, f.Secret, v["ID"])
				}
			}
		}
		if scanner.IsBinary(tc.data) {
			t.Errorf("%s: IsBinary, want text", tc.name)
		}
	}
}
