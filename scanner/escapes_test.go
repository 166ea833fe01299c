package scanner_test

// Tests of keys written one escape per character, in every notation the
// matcher decodes and in mixes of them, and of the escapes in ordinary
// files (hex dumps, CSS, HTML pages, C strings) that must stay silent.

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"mime/quotedprintable"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// notation writes one character as an escape; sep stands between two.
type notation struct {
	name, encoding string
	esc            func(c byte) string
	sep            string
}

func format(f string) func(byte) string { return func(c byte) string { return fmt.Sprintf(f, c) } }

var notations = []notation{
	{"json", "unicode-escape", format(`\u%04x`), ""},
	{"json-upper-hex", "unicode-escape", format(`\u%04X`), ""},
	{"json-twice", "unicode-escape", format(`\\u%04x`), ""},
	{"percent-u", "unicode-escape", format(`%%u%04x`), ""},
	{"brace-u", "unicode-escape", format(`\u{%x}`), ""},
	{"brace-u-padded", "unicode-escape", format(`\u{%04x}`), ""},
	{"python-U", "unicode-escape", format(`\U%08x`), ""},
	{"hex-x", "unicode-escape", format(`\x%02x`), ""},
	{"perl-brace-x", "unicode-escape", format(`\x{%x}`), ""},
	{"code-point-spaced", "unicode-escape", format(`U+%04X`), " "},
	{"code-point-commas", "unicode-escape", format(`U+%04X`), ","},
	{"code-point-comma-space", "unicode-escape", format(`U+%04X`), ", "},
	{"code-point-joined", "unicode-escape", format(`U+%04X`), ""},
	{"code-point-lower", "unicode-escape", format(`U+%04x`), " "},
	{"css-blank", "css-escape", format(`\%x`), " "},
	{"css-joined", "css-escape", format(`\%x`), ""},
	{"css-padded", "css-escape", format(`\%06x`), ""},
	{"html-decimal", "html-escape", format(`&#%d;`), ""},
	{"html-hex", "html-escape", format(`&#x%x;`), ""},
	{"html-hex-upper", "html-escape", format(`&#X%X;`), ""},
	{"octal", "octal-escape", format(`\%03o`), ""},
	{"octal-short", "octal-escape", format(`\%o`), ""},
	{"html-decimal-padded", "html-escape", format(`&#%04d;`), ""},
	{"html-decimal-no-semicolon", "html-escape", format(`&#%d`), ""},
	{"java-uu", "unicode-escape", format(`\uu%04x`), ""},
	{"url", "url", format(`%%%02X`), ""},
	{"url-lower", "url", format(`%%%02x`), ""},
}

func (n notation) encode(s string) string {
	parts := make([]string, len(s))
	for i := range len(s) {
		parts[i] = n.esc(s[i])
	}
	return strings.Join(parts, n.sep)
}

// mixedEscapes writes s with a notation drawn for each character, some characters
// plain. octal picks the C-octal family, otherwise CSS: the two read
// "\41" differently and never share a run. A character after a U+ or CSS
// escape is escaped too, as its writers must (U+0041B is one code point).
func mixedEscapes(s string, r *rand.Rand, octal bool) string {
	pool := []string{`\u%04x`, `\\u%04x`, `%%u%04x`, `\u{%x}`, `\U%08x`, `\x%02x`, `\x{%x}`, `&#%d;`, `&#x%x;`, `U+%04X`, `\%x `, `\%03o`}
	if octal {
		pool = without(pool, `\%x `)
	} else {
		pool = without(pool, `\%03o`)
	}
	var b strings.Builder
	greedy := false
	for i := range len(s) {
		if i > 0 && i < len(s)-1 && !greedy && r.IntN(5) == 0 {
			b.WriteByte(s[i])
			continue
		}
		f := pool[r.IntN(len(pool))]
		fmt.Fprintf(&b, f, s[i])
		greedy = strings.HasPrefix(f, "U+") || f == `\%x `
	}
	return strings.TrimSuffix(b.String(), " ")
}

func without(pool []string, drop string) []string {
	var out []string
	for _, p := range pool {
		if p != drop {
			out = append(out, p)
		}
	}
	return out
}

// TestEscapeNotations: a key pair written in each notation, and in mixes,
// is found at the escaped text, with its line and column, decoded, paired,
// and named by its notation.
func TestEscapeNotations(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	type form struct {
		name, encoding string
		enc            func(string) string
	}
	var forms []form
	for _, n := range notations {
		forms = append(forms, form{n.name, n.encoding, n.encode})
	}
	r := rand.New(rand.NewPCG(4, 5))
	forms = append(forms,
		form{"mixed-octal", "", func(s string) string { return mixedEscapes(s, r, true) }},
		form{"mixed-css", "", func(s string) string { return mixedEscapes(s, r, false) }})
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 8; seed++ {
				g := fakekey.New(seed)
				id, secret := g.KeyID("AKIA"), g.Secret()
				eid, esec := f.enc(id), f.enc(secret)
				head := "# deploy settings\n[default]\naws_access_key_id = \""
				mid := "\"\naws_secret_access_key = \""
				text := head + eid + mid + esec + "\"\n"
				fs := sc.Scan("settings.ini", []byte(text))
				want := []struct {
					rule, value string
					start, end  int
				}{
					{rules.IDAccessKeyID, id, len(head), len(head) + len(eid)},
					{rules.IDSecretAccessKey, secret, len(head) + len(eid) + len(mid), len(head) + len(eid) + len(mid) + len(esec)},
				}
				if len(fs) != len(want) {
					t.Fatalf("seed %d: %d findings, want 2: %v\n%s", seed, len(fs), summarize(fs), text)
				}
				for i, w := range want {
					got := fs[i]
					if got.Rule != w.rule || got.Secret != w.value || got.Offset != w.start || got.EndOffset != w.end {
						t.Errorf("seed %d: finding %d is %s %s [%d,%d), want %s %s [%d,%d)", seed, i, got.Rule, scanner.Redact(got.Secret),
							got.Offset, got.EndOffset, w.rule, scanner.Redact(w.value), w.start, w.end)
					}
					if l, c := lineCol([]byte(text), w.start); got.Line != l || got.Column != c {
						t.Errorf("seed %d: finding %d at %d:%d, want %d:%d", seed, i, got.Line, got.Column, l, c)
					}
					if f.encoding != "" && got.Encoding != f.encoding {
						t.Errorf("seed %d: finding %d encoding %q, want %q", seed, i, got.Encoding, f.encoding)
					}
					if got.Pair != fs[1-i].Fingerprint {
						t.Errorf("seed %d: finding %d is not paired with the other", seed, i)
					}
				}
			}
		})
	}
}

// TestEscapedSecretContext: an escaped secret needs the context a plain one
// needs: a keyword that assigns it or a key ID nearby, plain or escaped.
func TestEscapedSecretContext(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(21)
	id, secret := g.KeyID("AKIA"), g.Secret()
	for _, n := range notations {
		esc := n.encode(secret)
		for _, c := range []struct {
			name, file, text string
			want             int
		}{
			{"keyword", ".env", "AWS_SECRET_ACCESS_KEY=" + esc + "\n", 1},
			{"next-to-plain-key-id", "creds.py", "KEY = '" + id + "'\nVALUE = '" + esc + "'\n", 2},
			{"next-to-escaped-key-id", "creds.py", "KEY = '" + n.encode(id) + "'\nVALUE = '" + esc + "'\n", 2},
			{"no-context", "notes.txt", "value = \"" + esc + "\"\n", 0},
			{"another-system", "app.yaml", "client_secret: \"" + esc + "\"\n", 0},
			{"allowed", ".env", "AWS_SECRET_ACCESS_KEY=" + esc + " # keyscan:allow fixture of the escape tests\n", 0},
		} {
			fs := sc.Scan(c.file, []byte(c.text))
			if len(fs) != c.want {
				t.Errorf("%s/%s: %d findings, want %d: %v", n.name, c.name, len(fs), c.want, summarize(fs))
				continue
			}
			for _, f := range fs {
				if f.Rule == rules.IDSecretAccessKey && f.Secret != secret {
					t.Errorf("%s/%s: secret %s, want %s", n.name, c.name, scanner.Redact(f.Secret), scanner.Redact(secret))
				}
			}
		}
	}
}

// TestEscapesInOrdinaryFiles: escapes that are not keys stay silent.
func TestEscapesInOrdinaryFiles(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	r := rand.New(rand.NewPCG(8, 9))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		return b
	}
	var hexDump, octalC, codePoints strings.Builder
	for i, c := range random(8192) {
		if i%16 == 0 {
			hexDump.WriteString("\"\n  \"")
			octalC.WriteString("\"\n  \"")
		}
		fmt.Fprintf(&hexDump, `\x%02x`, c)
		fmt.Fprintf(&octalC, `\%03o`, c)
	}
	for c := 0x20; c < 0x7f; c++ {
		fmt.Fprintf(&codePoints, "U+%04X %c\n", c, c)
	}
	alphabet := ""
	for c := byte('A'); c <= 'Z'; c++ {
		alphabet += fmt.Sprintf(`\%03o`, c)
	}
	var b32 strings.Builder
	for range 64 { // base32 text, escaped: key-shaped after AKIA only by chance
		fmt.Fprintf(&b32, `\u%04x`, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[r.IntN(32)])
	}
	g := fakekey.New(31)
	cases := []struct{ name, file, text string }{
		{"hex-dump", "blob.c", "static const char blob[] = \"" + hexDump.String() + "\";\n"},
		{"octal-dump", "blob.c", "static const char blob[] = \"" + octalC.String() + "\";\n"},
		{"octal-alphabet", "alpha.c", "const char *upper = \"" + alphabet + "\";\n"},
		{"code-point-table", "chars.txt", codePoints.String()},
		{"code-point-ranges", "fonts.css", "@font-face { font-family: X; unicode-range: U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+0041-005A, U+2000-206F; }\n"},
		{"css-icons", "icons.css", ".icon-a:before { content: \"\\f101\"; }\n.icon-b:before { content: \"\\e900\\e901\\e902\\e903\"; }\n.\\31 0col { width: 10%; }\n.a\\:hover { color: #41414141; }\n"},
		{"css-escaped-words", "site.css", ".x::after { content: \"\\41 \\42 \\43 \\44 \\45 \\46 \\47 \\48 \\49 \\4a \\4b \\4c \\4d \\4e \\4f \\50 \\51 \\52 \\53 \\54 \\55 \\56 \\57 \\58 \"; }\n"},
		{"html-entities", "index.html", "<p>It&#8217;s &#169; 2024 &#x27;quoted&#x27; &amp; more&#46;</p>\n<a href=\"&#109;&#97;&#105;&#108;&#116;&#111;&#58;&#106;&#111;&#104;&#110;&#64;&#101;&#120;&#97;&#109;&#112;&#108;&#101;&#46;&#99;&#111;&#109;\">mail</a>\n"},
		{"escaped-base32", "data.json", "{\"blob\": \"" + b32.String() + "\"}\n"},
		{"escaped-example-key", "docs.md", "aws_access_key_id = \"" + notations[0].encode("AKIAIOSFODNN7EXAMPLE") + "\"\naws_secret_access_key = \"" + notations[0].encode("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") + "\"\n"},
		{"escaped-identifier-prefix", "iam.json", "{\"UserId\": \"" + notations[0].encode(g.KeyID("AIDA")) + "\"}\n"},
		{"escaped-random-secret", "a.txt", "data = \"" + notations[17].encode(g.Secret()) + "\"\n"},
	}
	for _, c := range cases {
		if fs := sc.Scan(c.file, []byte(c.text)); len(fs) != 0 {
			t.Errorf("%s: %d findings, want none: %v", c.name, len(fs), summarize(fs))
		}
	}
}

// TestEscapedKeyInBinaryLikeText: an escaped key after a long run of other
// escapes, in the middle of a long line, is still found where it stands.
func TestEscapedKeyAfterOtherEscapes(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	id := fakekey.New(41).KeyID("AKIA")
	pre := strings.Repeat(`\x00\xff`, 400) + `", "key": "`
	esc := notations[7].encode(id)
	text := `{"data": "` + pre + esc + "\"}\n"
	fs := sc.Scan("dump.json", []byte(text))
	at := len(`{"data": "`) + len(pre)
	if len(fs) != 1 || fs[0].Secret != id || fs[0].Offset != at || fs[0].EndOffset != at+len(esc) {
		t.Fatalf("got %v, want %s at [%d,%d)", summarize(fs), scanner.Redact(id), at, at+len(esc))
	}
}

// TestFewEscapesInPlainKey: one to three characters of an otherwise plain
// key escaped (qa3 HIGH-2) are decoded; a value with one escape still needs
// the context a plain one needs, and ordinary strings with an escape or
// two stay silent.
func TestFewEscapesInPlainKey(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 8; seed++ {
		g := fakekey.New(seed)
		id, secret, asia := g.KeyID("AKIA"), g.Secret(), g.KeyID("ASIA")
		u := func(c byte) string { return fmt.Sprintf(`\u%04x`, c) }
		x := func(c byte) string { return fmt.Sprintf(`\x%02x`, c) }
		h := func(c byte) string { return fmt.Sprintf(`&#%d;`, c) }
		found := []struct {
			name, file, text, value, encoding string
		}{
			{"json-first", "k.json", `{"AccessKeyId": "` + u('A') + id[1:] + `"}`, id, "unicode-escape"},
			{"json-middle", "k.json", `{"AccessKeyId": "` + id[:10] + u(id[10]) + id[11:] + `"}`, id, "unicode-escape"},
			{"js-x", "a.js", `const id = "` + x('A') + id[1:] + `";`, id, "unicode-escape"},
			{"python-two", "b.py", `id = "` + u('A') + u('K') + id[2:] + `"`, id, "unicode-escape"},
			{"html-entity", "e.html", `<td>AKIA` + h(id[4]) + id[5:] + `</td>`, id, "html-escape"},
			{"secret-entity", "s.txt", `aws_secret_access_key = "` + secret[:3] + h(secret[3]) + secret[4:] + `"`, secret, "html-escape"},
			// one escape in the prefix after a plain A (qa4): the K, the I, the S
			{"prefix-k-u", "c.ini", `aws_access_key_id = "A` + u('K') + id[2:] + `"`, id, "unicode-escape"},
			{"prefix-i-u", "c.ini", `aws_access_key_id = "AK` + u('I') + id[3:] + `"`, id, "unicode-escape"},
			{"prefix-k-x", "a.js", `const id = "A` + x('K') + id[2:] + `";`, id, "unicode-escape"},
			{"prefix-k-html", "e.html", `<td>A` + h('K') + id[2:] + `</td>`, id, "html-escape"},
			// as hex entities and braced escapes, with no keyword near (notation24)
			{"prefix-i-hex-entity", "e.html", `<td>AK&#x49;` + id[3:] + `</td>`, id, "html-escape"},
			{"prefix-k-hex-entity-upper", "e.html", `<td>A&#X4B;` + id[2:] + `</td>`, id, "html-escape"},
			{"prefix-i-hex-entity-padded", "e.html", `<td>AK&#x0049;` + id[3:] + `</td>`, id, "html-escape"},
			{"prefix-s-hex-entity", "e.html", `<td>A&#x53;` + asia[2:] + `</td>`, asia, "html-escape"},
			{"prefix-i-braced", "a.js", `const id = "AK\u{49}` + id[3:] + `";`, id, "unicode-escape"},
			{"prefix-k-braced", "a.js", `const id = "A\u{4b}` + id[2:] + `";`, id, "unicode-escape"},
			// and URL-encoded, in either case of hex, with no keyword near
			{"prefix-k-url", "c.env", `ACCESS=A%4B` + id[2:], id, "url"},
			{"prefix-k-url-lower", "u.txt", `https://example.com/?key=A%4b` + id[2:] + `&x=1`, id, "url"},
			{"prefix-i-url", "c.env", `ACCESS=AK%49` + id[3:], id, "url"},
			{"prefix-s-url", "c.env", `ACCESS=A%53` + asia[2:], asia, "url"},
			// the A alone escaped before plain letters, and C octal in the
			// prefix, with no keyword near (qa18 H4)
			{"prefix-a-url", "c.env", `ACCESS=%41` + id[1:], id, "url"},
			{"prefix-a-url-asia", "u.txt", `https://example.com/?k=%41` + asia[1:] + `&x=1`, asia, "url"},
			{"prefix-a-octal", "c.txt", `id = "\101` + id[1:] + `"`, id, "octal-escape"},
			{"prefix-k-octal", "c.txt", `id = "A\113` + id[2:] + `"`, id, "octal-escape"},
			{"prefix-i-octal", "c.txt", `id = "AK\111` + id[3:] + `"`, id, "octal-escape"},
			{"prefix-s-octal", "c.txt", `id = "A\123` + asia[2:] + `"`, asia, "octal-escape"},
			{"secret-three-x", "s.py", `aws_secret_access_key = "` + x(secret[0]) + secret[1:20] + x(secret[20]) + x(secret[21]) + secret[22:] + `"`, secret, "unicode-escape"},
		}
		for _, c := range found {
			fs := sc.Scan(c.file, []byte(c.text+"\n"))
			if len(fs) != 1 || fs[0].Secret != c.value || fs[0].Encoding != c.encoding {
				t.Errorf("seed %d %s: %v, want %s (%s)\n%s", seed, c.name, summarize(fs), scanner.Redact(c.value), c.encoding, c.text)
			}
		}
		quiet := []struct{ name, file, text string }{
			{"secret-no-context", "s.txt", `note = "` + secret[:3] + h(secret[3]) + secret[4:] + `"`},
			{"example-key", "k.json", `{"AccessKeyId": "` + u('A') + `KIAIOSFODNN7EXAMPLE"}`},
			{"longer-token", "k.json", `{"v": "` + u('A') + id[1:] + `Q7ZZ"}`},
			{"word", "w.json", `{"title": "Caf` + u('e') + `s and restaurants near you"}`},
			{"allowed", "k.json", `{"AccessKeyId": "` + u('A') + id[1:] + `"} // keyscan:allow sample`},
		}
		for _, c := range quiet {
			if fs := sc.Scan(c.file, []byte(c.text+"\n")); len(fs) != 0 {
				t.Errorf("seed %d %s: %v\n%s", seed, c.name, summarize(fs), c.text)
			}
		}
	}
}

// TestEscapedPrefixAnyMix is qa19 L5: a key prefix with any of its
// letters escaped, in any of the notations below, found with no keyword
// near, whatever letter is the first escaped: AKI%41…, AKI\101…,
// A\113\111A…, AS\x49A…, %41\x4bIA…. Left out for their anchors' cost
// (prefilter.go): the S or the I first escaped as %u0053, %u0049.
func TestEscapedPrefixAnyMix(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	forms := []string{`%%%02X`, `%%%02x`, `\x%02x`, `\x%02X`, `\u%04x`, `\u%04X`, `\u{%x}`, `\U%08x`, `&#%d;`, `&#x%x;`, `\%03o`, `%%u%04X`, `\x{%x}`, `&#%03d;`}
	r := rand.New(rand.NewPCG(27, 19))
	for seed := uint64(1); seed <= 2; seed++ {
		g := fakekey.New(seed)
		for _, prefix := range []string{"AKIA", "ASIA"} {
			id := g.KeyID(prefix)
			for _, f := range forms {
				for mask := 1; mask < 16; mask++ {
					first := bits.TrailingZeros(uint(mask))
					if f == `%%u%04X` && (first == 2 || first == 1 && prefix == "ASIA") {
						continue
					}
					var b strings.Builder
					for i := range 4 {
						if mask>>i&1 != 0 {
							fmt.Fprintf(&b, f, id[i])
						} else {
							b.WriteByte(id[i])
						}
					}
					checkEscapedPrefix(t, sc, id, b.String()+id[4:], f)
				}
			}
			// a notation drawn for each letter, some plain
			for range 40 {
				var b strings.Builder
				for i := range 4 {
					if f := forms[r.IntN(len(forms))]; r.IntN(3) > 0 && !strings.HasPrefix(f, "%%u") {
						fmt.Fprintf(&b, f, id[i])
					} else {
						b.WriteByte(id[i])
					}
				}
				checkEscapedPrefix(t, sc, id, b.String()+id[4:], "mixed")
			}
			// a prefix escaped so before too few characters, or too many
			for _, text := range []string{`AKI%41` + id[4:19], `AK\111\101` + id[4:] + "Q7", `A\x53\x49A` + id[4:18]} {
				if fs := sc.Scan("k.c", []byte(`const char *k = "`+text+`";`+"\n")); len(fs) != 0 {
					t.Errorf("%s: %v, want nothing", text, summarize(fs))
				}
			}
		}
	}
}

// checkEscapedPrefix wants the key ID id found once in a C file and once
// in a text file that hold it written as text.
func checkEscapedPrefix(t *testing.T, sc *scanner.Scanner, id, text, form string) {
	t.Helper()
	if text == id {
		return
	}
	for _, c := range []struct{ file, line string }{{"k.c", `const char *k = "` + text + `";`}, {"notes.txt", "the key: " + text}} {
		if fs := sc.Scan(c.file, []byte(c.line+"\n")); len(fs) != 1 || fs[0].Secret != id {
			t.Errorf("%s %s: %v, want %s\n%s", form, c.file, summarize(fs), scanner.Redact(id), c.line)
		}
	}
}

// TestURLEncodedOrdinaryText: URL-encoded text without an AWS context (a
// query string of random words and bytes, a URL-encoded secret-shaped value
// under no keyword) stays silent.
func TestURLEncodedOrdinaryText(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	r := rand.New(rand.NewPCG(7, 8))
	for seed := uint64(1); seed <= 8; seed++ {
		secret := fakekey.New(seed).Secret()
		var b strings.Builder
		for range 2000 {
			fmt.Fprintf(&b, "%%%02X", r.IntN(256))
		}
		for _, text := range []string{
			"https://example.com/search?q=" + notations[len(notations)-2].encode("Caf\u00e9s and bars open late near the station tonight"),
			"note = \"" + notations[len(notations)-2].encode(secret) + "\"",
			"blob = \"" + b.String() + "\"",
		} {
			if fs := sc.Scan("page.txt", []byte(text+"\n")); len(fs) != 0 {
				t.Errorf("seed %d: %v\n%.200s", seed, summarize(fs), text)
			}
		}
	}
}

// TestQuotedPrintable: a credentials file pasted into an e-mail is written
// by the standard library's quoted-printable encoder, as a mailer writes it:
// every = becomes =3D, and a line longer than 76 characters is cut by a soft
// break wherever the 76th character falls, in the value too. Both keys are
// found whole, at the encoded text, wherever the break falls in the value.
func TestQuotedPrintable(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for i := 0; i <= 160; i++ {
		pad := i % 81
		g := fakekey.New(uint64(100 + i))
		id, secret := g.KeyID("AKIA"), g.Secret()
		plain := "Here are the deploy credentials:\n\n[default]\n" +
			strings.Repeat(" ", pad) + "aws_access_key_id=" + id + "\n" +
			strings.Repeat(" ", pad) + "aws_secret_access_key=" + secret + "\n"
		if i > 80 { // YAML: no = for QP to write, only soft breaks
			plain = "Here are the deploy credentials:\n\naws:\n" +
				strings.Repeat(" ", pad) + "aws_access_key_id: " + id + "\n" +
				strings.Repeat(" ", pad) + "aws_secret_access_key: " + secret + "\n"
		}
		var b strings.Builder
		w := quotedprintable.NewWriter(&b)
		w.Write([]byte(plain))
		w.Close()
		enc := "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n" + strings.ReplaceAll(b.String(), "\r\n", "\n")
		fs := sc.Scan("message.eml", []byte(enc))
		// A break inside the key ID's prefix or the secret's name leaves
		// nothing for the scan to start from (README says so); elsewhere
		// it is read through.
		want := map[string]string{}
		if strings.Contains(enc, "AKIA") {
			want[rules.IDAccessKeyID] = id
		}
		if strings.Contains(enc, "aws_secret_access_key") {
			want[rules.IDSecretAccessKey] = secret
		}
		got := map[string]string{}
		for _, f := range fs {
			got[f.Rule] = f.Secret
			written := enc[f.Offset:f.EndOffset]
			if f.Encoding != "quoted-printable" && (f.Encoding != "" || strings.Contains(written, "=")) {
				t.Errorf("pad %d: %s written %q has encoding %q", pad, f.Rule, written, f.Encoding)
			}
			if strings.ReplaceAll(written, "=\n", "") != f.Secret {
				t.Errorf("pad %d: %s reported at %q", pad, f.Rule, written)
			}
		}
		for rule, v := range got {
			if v != id && v != secret {
				t.Errorf("pad %d: %s %s is neither key", pad, rule, scanner.Redact(v))
			}
			if _, ok := want[rule]; ok {
				delete(want, rule)
			}
		}
		if len(want) > 0 {
			t.Errorf("pad %d: found %v, want %v\n%s", pad, summarize(fs), want, enc)
		}
	}
}

// TestQuotedPrintableSpaces: an encoder that writes spaces and tabs as
// =20 and =09 (Python's quopri with quotetabs, MIME tools' strict mode)
// and any other byte as =XX writes "aws_access_key_id =3D AKIA…" as
// aws_access_key_id=20=3D=20AKIA…: the key is found as in plain text
// (qa33 H7).
func TestQuotedPrintableSpaces(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(4242)
	for _, sep := range []string{"=20=3D=20", "=09=3D=09", "=20=3D"} {
		id, secret := g.KeyID("AKIA"), g.Secret()
		enc := "Content-Transfer-Encoding: quoted-printable\n\n[default]\naws_access_key_id" + sep + id +
			"\naws_secret_access_key" + sep + secret + "\n"
		got := map[string]string{}
		for _, f := range sc.Scan("message.eml", []byte(enc)) {
			got[f.Rule] = f.Secret
		}
		if got[rules.IDAccessKeyID] != id || got[rules.IDSecretAccessKey] != secret {
			t.Errorf("separator %q: found %v\n%s", sep, got, enc)
		}
	}
}

// TestQuotedPrintableInOrdinaryText: a line that ends in = before a value
// on the next line, and =3D outside QP, change nothing.
func TestQuotedPrintableInOrdinaryText(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(77)
	for _, text := range []string{
		"url = https://example.com/?q=3Dabc&x=3D1\nregion=eu-west-1\n",
		"checksum=\n" + strings.Repeat("ab", 20) + "\n",
		"token=3D" + g.Secret()[:30] + "\n",
	} {
		if fs := sc.Scan("notes.txt", []byte(text)); len(fs) != 0 {
			t.Errorf("%q: %v", text, summarize(fs))
		}
	}
}

// TestLineContinuation: a secret cut by a backslash line continuation (a
// .properties value, a shell double-quoted string, a C or Python string;
// qa8 LOW-2) is found whole, wherever the cut falls, at the written text;
// a backslash that ends a command line after a blank joins nothing.
func TestLineContinuation(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for i := 1; i < 40; i++ {
		g := fakekey.New(uint64(200 + i))
		id, s := g.KeyID("AKIA"), g.Secret()
		for _, c := range []struct{ file, text, written string }{
			{"app.properties", "aws.accessKeyId=" + id + "\naws.secretKey=" + s[:i] + "\\\n    " + s[i:] + "\n", s[:i] + "\\\n    " + s[i:]},
			{"env.sh", "export AWS_ACCESS_KEY_ID=\"" + id + "\"\nexport AWS_SECRET_ACCESS_KEY=\"" + s[:i] + "\\\r\n" + s[i:] + "\"\r\n", s[:i] + "\\\r\n" + s[i:]},
		} {
			fs := sc.Scan(c.file, []byte(c.text))
			if len(fs) != 2 || fs[1].Secret != s || c.text[fs[1].Offset:fs[1].EndOffset] != c.written || fs[1].Encoding != "line-continuation" {
				t.Errorf("cut at %d, %s: %v", i, c.file, summarize(fs))
			}
		}
	}
	g := fakekey.New(7)
	s := g.Secret()
	for _, text := range []string{
		"aws configure set aws_secret_access_key " + s[:20] + " \\\n  " + s[20:] + "\n",
		"aws.secretKey=" + s[:20] + "\\\\\n" + s[20:] + "\n",
		"aws.secretKey=" + s[:20] + "\\\n\n" + s[20:] + "\n",
	} {
		if fs := sc.Scan("x.sh", []byte(text)); len(fs) != 0 && fs[0].Secret == s {
			t.Errorf("%q: %v", text, summarize(fs))
		}
	}
}
