package scanner_test

// Tests of keys split over string concatenation in JavaScript/TypeScript,
// Python, Java and Go source, and of the ordinary concatenations that must
// stay silent.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// splitWant is a finding a split case wants: from the first byte of from
// (the first literal's opening quote, or the value's first character) to
// the end of the last fragment, to.
type splitWant struct {
	rule, value string
	from, to    string
}

type splitCase struct {
	name, file, text string
	want             []splitWant
}

func splitCases(seed uint64) []splitCase {
	g := fakekey.New(seed)
	id, asia, sec := g.KeyID("AKIA"), g.KeyID("ASIA"), g.Secret()
	ID := func(from, to string) splitWant { return splitWant{rules.IDAccessKeyID, id, from, to} }
	SEC := func(from, to string) splitWant { return splitWant{rules.IDSecretAccessKey, sec, from, to} }
	return []splitCase{
		{"js/one-line", "config.js", `const id = "AKIA" + "` + id[4:] + `";` + "\n",
			[]splitWant{ID(`"AKIA"`, id[4:])}},
		{"js/prefix-split", "config.js", `const id = 'AK' + 'IA` + id[4:] + `';` + "\n",
			[]splitWant{ID(`'AK'`, id[4:])}},
		{"js/one-letter-head", "config.js", `const id = "A" + "KIA` + id[4:] + `";` + "\n",
			[]splitWant{ID(`"A"`, id[4:])}},
		{"js/plus-at-line-end", "deploy.js", "const id = \"AKIA\" +\n    \"" + id[4:12] + "\" +\n    \"" + id[12:] + "\";\n",
			[]splitWant{ID(`"AKIA"`, id[12:])}},
		{"js/plus-at-line-start", "deploy.js", "const id = 'AKIA'\n  + '" + id[4:12] + "'\n  + '" + id[12:] + "';\n",
			[]splitWant{ID(`'AKIA'`, id[12:])}},
		{"ts/key-pair", "client.ts", "const creds = {\n  accessKeyId: \"AK\" + \"IA" + id[4:] + "\",\n  secretAccessKey: \"" + sec[:20] + "\" +\n    \"" + sec[20:] + "\",\n};\n",
			[]splitWant{ID(`"AK"`, id[4:]), SEC(`"`+sec[:20], sec[20:])}},
		{"ts/temporary-key", "sts.ts", "const tmp = \"AS\" + \"IA" + asia[4:] + "\";\n",
			[]splitWant{{rules.IDAccessKeyID, asia, `"AS"`, asia[4:]}}},
		{"js/temporary-three-letters", "sts.js", `const t = "ASI" + "A` + asia[4:] + `";` + "\n",
			[]splitWant{{rules.IDAccessKeyID, asia, `"ASI"`, asia[4:]}}},
		{"js/temporary-whole-prefix", "sts.js", `const t = 'ASIA' + '` + asia[4:] + `';` + "\n",
			[]splitWant{{rules.IDAccessKeyID, asia, `'ASIA'`, asia[4:]}}},
		{"python/temporary-one-letter", "sts.py", "T = (\"A\"\n     \"SIA" + asia[4:] + "\")\n",
			[]splitWant{{rules.IDAccessKeyID, asia, `"A"`, asia[4:]}}},
		{"python/implicit-in-parens", "settings.py", "KEY_ID = (\"AK\"\n          \"IA" + id[4:] + "\")\n",
			[]splitWant{ID(`"AK"`, id[4:])}},
		{"python/implicit-one-line", "settings.py", "KEY_ID = 'AKIA' '" + id[4:] + "'\n",
			[]splitWant{ID(`'AKIA'`, id[4:])}},
		{"python/backslash-continuation", "settings.py", "aws_secret_access_key = \"" + sec[:25] + "\" \\\n    \"" + sec[25:] + "\"\n",
			[]splitWant{SEC(`"`+sec[:25], sec[25:])}},
		{"python/bytes-literals", "blob.py", "KEY = (b\"AKIA\"\n       b\"" + id[4:] + "\")\n",
			[]splitWant{ID(`"AKIA"`, id[4:])}},
		{"python/secret-by-keyword", "app.py", "import boto3\naws_secret_access_key = (\n    \"" + sec[:13] + "\"\n    \"" + sec[13:26] + "\"\n    \"" + sec[26:] + "\"\n)\n",
			[]splitWant{SEC(`"`+sec[:13], sec[26:])}},
		{"java/plus-across-lines", "Upload.java", "class Upload {\n  static final String KEY = \"AKIA\" +\n      \"" + id[4:] + "\";\n  static final String SECRET = \"" + sec[:30] + "\"\n      + \"" + sec[30:] + "\";\n}\n",
			[]splitWant{ID(`"AKIA"`, id[4:]), SEC(`"`+sec[:30], sec[30:])}},
		{"js/template-literals", "config.ts", "const id = `AK` + `IA" + id[4:] + "`;\n",
			[]splitWant{ID("`AK`", id[4:])}},
		{"js/comments-between", "deploy.js", "const id = 'AKIA' + // the prefix\n  /* the rest */ '" + id[4:] + "';\n",
			[]splitWant{ID(`'AKIA'`, id[4:])}},
		{"python/comment-in-parens", "settings.py", "KEY_ID = (\"AKIA\"  # prefix\n          \"" + id[4:] + "\")  # rest\n",
			[]splitWant{ID(`"AKIA"`, id[4:])}},
		{"go/prefix-split", "keys.go", "package keys\n\nconst id = \"AK\" + \"IA" + id[4:] + "\"\n",
			[]splitWant{ID(`"AK"`, id[4:])}},
		{"go/whole-key-then-more", "keys.go", "package keys\n\nconst v = \"" + id + "\" + \"/suffix\"\n",
			[]splitWant{ID(id, id)}},
		// qa8 LOW-2: shell and Python join literals with quotes of another
		// kind; Lua joins with .., SQL with ||, VB with & (and & _ across lines).
		{"sh/juxtaposed-quotes", "env.sh", "export AWS_ACCESS_KEY_ID=\"" + id[:10] + "\"'" + id[10:] + "'\nexport AWS_SECRET_ACCESS_KEY=\"" + sec[:20] + "\"'" + sec[20:] + "'\n",
			[]splitWant{ID(`"`+id[:10], id[10:]), SEC(`"`+sec[:20], sec[20:])}},
		{"python/mixed-quotes", "settings.py", "aws_secret_access_key = ('" + sec[:20] + "'\n    \"" + sec[20:] + "\")\n",
			[]splitWant{SEC(`'`+sec[:20], sec[20:])}},
		{"lua/dot-dot", "aws.lua", "local access_key = \"" + id[:10] + "\" .. \"" + id[10:] + "\"\nlocal secret_key = \"" + sec[:20] + "\"..\"" + sec[20:] + "\"\n",
			[]splitWant{ID(`"`+id[:10], id[10:]), SEC(`"`+sec[:20], sec[20:])}},
		{"sql/pipes", "init.sql", "SELECT set_config('aws.secret_access_key', '" + sec[:20] + "' || '" + sec[20:] + "', false);\n",
			[]splitWant{SEC(`'`+sec[:20], sec[20:])}},
		{"vb/ampersand", "Creds.vb", "Dim accessKeyId As String = \"" + id[:10] + "\" & \"" + id[10:] + "\"\nDim secretAccessKey As String = \"" + sec[:20] + "\" & _\n    \"" + sec[20:] + "\"\n",
			[]splitWant{ID(`"`+id[:10], id[10:]), SEC(`"`+sec[:20], sec[20:])}},
		{"js/split-secret-next-to-key-id", "creds.js", "const id = '" + id + "';\nconst s = '" + sec[:20] + "' + '" + sec[20:] + "';\n",
			[]splitWant{ID(id, id), SEC(`'`+sec[:20], sec[20:])}},

		// Negatives.
		{"neg/ordinary-concatenation", "app.js", "const url = \"https://\" + host + \"/api/v1/\" + path;\nconst auth = \"Bearer \" + token;\nconst msg = \"AKIA marks \" + \"long-term keys\";\n", nil},
		{"neg/random-split-no-context", "notes.js", "const x = \"" + sec[:20] + "\" + \"" + sec[20:] + "\";\n", nil},
		{"neg/example-key-split", "docs.js", "const id = \"AKIAIOSFODNN7\" + \"EXAMPLE\";\n", nil},
		{"neg/identifier-prefix-split", "iam.py", "USER = \"AI\" \"DA" + id[4:] + "\"\n", nil},
		{"neg/arguments-not-concatenation", "call.js", "f(\"AKIA\", \"" + id[4:] + "\");\n", nil},
		{"neg/list-items", "keys.py", "PREFIXES = [\n    \"AKIA\",\n    \"" + id[4:] + "\",\n]\n", nil},
		{"neg/longer-token", "x.js", "const v = \"AKIA\" + \"" + id[4:] + "Z\";\n", nil},
		{"neg/another-system-secret", "app.py", "import boto3\nclient_secret = (\"" + sec[:20] + "\"\n    \"" + sec[20:] + "\")\n", nil},
		{"neg/word-like-temporary-id", "near_test.go", "frags := []string{g.KeyID(\"ASIA\"), \"ASIA\" + \"PACIFIC\" + \"SOUTHEAST\"}\n", nil},
		{"neg/adjacent-template-literals", "tag.js", "const v = `AKIA` `" + id[4:] + "`;\n", nil},
		{"neg/logical-and", "check.sh", "[ \"$aws_secret_access_key\" = \"" + sec[:20] + "\" ] && \"" + sec[20:] + "\"\n", nil},
		{"neg/lua-no-context", "notes.lua", "local x = \"" + sec[:20] + "\" .. \"" + sec[20:] + "\"\n", nil},
		{"neg/allowed", "config.js", "const id = \"AKIA\" + \"" + id[4:] + "\"; // keyscan:allow fixture of the split tests\n", nil},
	}
}

// TestConcatenationSplits: a key ID or key pair split over string
// concatenation is found, reported at the first fragment, and nothing is
// found in ordinary concatenations.
func TestConcatenationSplits(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 8; seed++ {
		for _, c := range splitCases(seed) {
			fs := sc.Scan(c.file, []byte(c.text))
			if len(fs) != len(c.want) {
				t.Errorf("%s seed %d: %d findings, want %d: %v\n%s", c.name, seed, len(fs), len(c.want), summarize(fs), c.text)
				continue
			}
			for i, w := range c.want {
				f := fs[i]
				start := strings.Index(c.text, w.from)
				end := strings.LastIndex(c.text, w.to) + len(w.to)
				if f.Rule != w.rule || f.Secret != w.value || f.Offset != start || f.EndOffset != end {
					t.Errorf("%s seed %d: finding %d is %s %s [%d,%d), want %s %s [%d,%d)", c.name, seed, i, f.Rule, scanner.Redact(f.Secret),
						f.Offset, f.EndOffset, w.rule, scanner.Redact(w.value), start, end)
					continue
				}
				if l, col := lineCol([]byte(c.text), start); f.Line != l || f.Column != col {
					t.Errorf("%s seed %d: finding %d at %d:%d, want %d:%d", c.name, seed, i, f.Line, f.Column, l, col)
				}
				if w.from != w.to && f.Encoding != "concatenation" {
					t.Errorf("%s seed %d: finding %d encoding %q, want concatenation", c.name, seed, i, f.Encoding)
				}
			}
			if len(fs) == 2 && (fs[0].Pair != fs[1].Fingerprint || fs[1].Pair != fs[0].Fingerprint) {
				t.Errorf("%s seed %d: the key ID and the secret are not paired", c.name, seed)
			}
		}
	}
}

// TestSplitSecretsWhereCodeIsPasted: a split secret in Markdown's fenced
// code, an HTML <script>, a text file, a Jenkinsfile or a Dockerfile is
// found as in source code (qa3 MEDIUM-8); without its keyword it is not,
// and data formats (JSON) are still not walked for joins.
func TestSplitSecretsWhereCodeIsPasted(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 4; seed++ {
		s := fakekey.New(seed).Secret()
		a, b := s[:20], s[20:]
		md := "# Setup\n\n```js\nconst s3 = new S3Client({ credentials: { secretAccessKey: \"" + a + "\" +\n  \"" + b + "\" } });\n```\n"
		for _, c := range []struct{ file, text string }{
			{"README.md", md},
			{"docs/notes.txt", md},
			{"index.html", "<script>\nvar secretAccessKey = \"" + a + "\" + \"" + b + "\";\n</script>\n"},
			{"Jenkinsfile", "pipeline {\n  environment {\n    AWS_SECRET_ACCESS_KEY = \"" + a + "\" + \"" + b + "\"\n  }\n}\n"},
			{"build/Dockerfile", "FROM alpine\nENV AWS_SECRET_ACCESS_KEY=\"" + a + "\"\"" + b + "\"\n"},
		} {
			fs := sc.Scan(c.file, []byte(c.text))
			if len(fs) != 1 || fs[0].Secret != s || fs[0].Encoding != "concatenation" {
				t.Errorf("seed %d %s: %v", seed, c.file, summarize(fs))
			}
		}
		for _, c := range []struct{ file, text string }{
			{"notes.txt", "value = \"" + a + "\" + \"" + b + "\"\n"},
			{"Dockerfile", "FROM alpine\nLABEL note=\"" + a + "\"\"" + b + "\"\n"},
		} {
			if fs := sc.Scan(c.file, []byte(c.text)); len(fs) != 0 {
				t.Errorf("seed %d %s: %v", seed, c.file, summarize(fs))
			}
		}
	}
}

// TestSplitPHPAndVerbatim: PHP's . and C#'s verbatim @"" join literals
// (qa3 MEDIUM-3); an ordinary PHP concatenation of a random value without
// a keyword stays silent.
func TestSplitPHPAndVerbatim(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 4; seed++ {
		g := fakekey.New(seed)
		id, s := g.KeyID("AKIA"), g.Secret()
		for _, c := range []struct{ file, text, value string }{
			{"a.php", "<?php $aws_secret = '" + s[:20] + "' . '" + s[20:] + "';\n", s},
			{"b.php", "<?php $id = \"" + id[:10] + "\".\"" + id[10:] + "\";\n", id},
			{"c.cs", "var id = @\"" + id[:10] + "\" + @\"" + id[10:] + "\";\n", id},
		} {
			fs := sc.Scan(c.file, []byte(c.text))
			if len(fs) != 1 || fs[0].Secret != c.value || fs[0].Encoding != "concatenation" {
				t.Errorf("seed %d %s: %v", seed, c.file, summarize(fs))
			}
		}
		if fs := sc.Scan("d.php", []byte("<?php $note = '"+s[:20]+"' . '"+s[20:]+"';\n")); len(fs) != 0 {
			t.Errorf("seed %d: no context: %v", seed, summarize(fs))
		}
	}
}

// TestEscapedFragments: a key ID split over literals whose fragments hold
// escapes, one or all of their characters (qa3 MEDIUM-3), is found; short
// escaped literals that are not joined, or joined into no key, are not.
func TestEscapedFragments(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	u := func(s string) string {
		var b strings.Builder
		for i := range len(s) {
			fmt.Fprintf(&b, `\u%04x`, s[i])
		}
		return b.String()
	}
	for seed := uint64(1); seed <= 8; seed++ {
		id := fakekey.New(seed).KeyID("AKIA")
		for _, text := range []string{
			`const id = "\x41` + id[1:10] + `" + "` + id[10:] + `";`,
			`const id = "` + u(id[:1]) + id[1:10] + `" + "` + id[10:] + `";`,
			`const id = "` + u(id[:10]) + `" + "` + u(id[10:]) + `";`,
		} {
			fs := sc.Scan("a.js", []byte(text+"\n"))
			if len(fs) != 1 || fs[0].Secret != id || fs[0].Encoding != "unicode-escape+concatenation" {
				t.Errorf("seed %d: %v\n%s", seed, summarize(fs), text)
			}
		}
		for _, text := range []string{
			`const a = "` + u("<div>") + `" + "` + u("</div>") + `";`,
			`const id = "` + u(id[:10]) + `" + "` + u(strings.ToLower(id[10:])) + `";`,
			`const id = "` + u(id[:10]) + `"; const x = "` + u(id[10:]) + `";`,
		} {
			if fs := sc.Scan("a.js", []byte(text+"\n")); len(fs) != 0 {
				t.Errorf("seed %d: %v\n%s", seed, summarize(fs), text)
			}
		}
	}
}

// TestSplitAnyWidth: a key ID and a secret split into pieces of any width,
// down to one character per literal, with or without empty literals between
// them, are found with every joining operator (qa10 MEDIUM-2): +, adjacent
// literals, template literals, the shell's quotes side by side, PHP's .,
// Lua's .., SQL's ||, VB's & (and & _ across lines), one piece a line.
func TestSplitAnyWidth(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	type style struct {
		file              string
		idName, secName   string // what stands before the chain
		open, close, join string // a piece is open+piece+close, pieces are joined by join
		end               string // after the chain
		empties           bool   // empty literals may stand between pieces
	}
	styles := []style{
		{"a.js", "const keyId = ", "const secretAccessKey = ", `"`, `"`, " + ", ";\n", true},
		{"a.py", "key_id = ", "aws_secret_access_key = ", `'`, `'`, " + ", "\n", true},
		{"b.py", "KEY_ID = (\n    ", "aws_secret_access_key = (\n    ", `"`, `"`, "\n    ", "\n)\n", true},
		{"A.java", "String keyId = ", "String awsSecretAccessKey = ", `"`, `"`, " +\n    ", ";\n", true},
		{"a.ts", "const keyId = ", "const secretAccessKey = ", "`", "`", " + ", ";\n", true},
		{"a.c", "const char *key_id = ", "const char *aws_secret_access_key = ", `"`, `"`, " ", ";\n", true},
		{"a.sh", "export AWS_ACCESS_KEY_ID=", "export AWS_SECRET_ACCESS_KEY=", "", "", "", "\n", false},
		{"a.php", "<?php $key_id = ", "$aws_secret_access_key = ", `'`, `'`, " . ", ";\n", true},
		{"a.lua", "local key_id = ", "local aws_secret_access_key = ", `"`, `"`, " .. ", "\n", true},
		{"a.sql", "SELECT ", "SELECT set_config('aws.secret_access_key', ", `'`, `'`, " || ", ";\n", true},
		{"a.vb", "Dim keyId As String = ", "Dim secretAccessKey As String = ", `"`, `"`, " & ", "\n", true},
		{"b.vb", "Dim keyId As String = ", "Dim secretAccessKey As String = ", `"`, `"`, " & _\n    ", "\n", true},
	}
	chain := func(st style, v string, width, empties int) string {
		var b strings.Builder
		for i := 0; i < len(v); i += width {
			if i > 0 {
				for range empties {
					b.WriteString(st.open + st.close + st.join)
				}
			}
			p := v[i:min(i+width, len(v))]
			if st.open == "" { // the shell: the quote kinds alternate
				q := `"`
				if (i/width)%2 == 1 {
					q = `'`
				}
				b.WriteString(q + p + q)
				continue
			}
			b.WriteString(st.open + p + st.close)
			if i+width < len(v) {
				b.WriteString(st.join)
			}
		}
		return b.String()
	}
	for seed := uint64(1); seed <= 3; seed++ {
		g := fakekey.New(seed)
		id, sec := g.KeyID("AKIA"), g.Secret()
		for _, st := range styles {
			for _, width := range []int{1, 2, 3, 5, 7, 11} {
				for _, empties := range []int{0, 1, 3} {
					if empties > 0 && !st.empties {
						continue
					}
					line1 := st.idName + chain(st, id, width, empties) + st.end
					text := line1 + st.secName + chain(st, sec, width, empties) + st.end
					if st.file == "a.sql" {
						text = strings.Replace(text, ";\n", ", false);\n", 1)
						text = strings.Replace(text, "SELECT "+chain(st, id, width, empties)+", false);\n", "SELECT "+chain(st, id, width, empties)+";\n", 1)
					}
					fs := sc.Scan(st.file, []byte(text))
					name := fmt.Sprintf("seed %d %s width %d empties %d", seed, st.file, width, empties)
					if len(fs) != 2 {
						t.Errorf("%s: %d findings, want 2: %v\n%s", name, len(fs), summarize(fs), text)
						continue
					}
					want := []struct {
						rule, value string
						at          int
					}{{rules.IDAccessKeyID, id, len(st.idName)}, {rules.IDSecretAccessKey, sec, len(line1) + len(st.secName)}}
					for i, w := range want {
						f := fs[i]
						if f.Rule != w.rule || f.Secret != w.value || f.Offset != w.at || !strings.Contains(f.Encoding, "concatenation") {
							t.Errorf("%s: finding %d is %s %s at %d (%s), want %s %s at %d", name, i, f.Rule, scanner.Redact(f.Secret), f.Offset, f.Encoding, w.rule, scanner.Redact(w.value), w.at)
						}
					}
				}
			}
		}
		// qa10's fifteen empty literals between two halves.
		text := `const t = "` + id[:10] + `"` + strings.Repeat(` + ""`, 15) + ` + "` + id[10:] + "\";\n"
		if fs := sc.Scan("e.js", []byte(text)); len(fs) != 1 || fs[0].Secret != id {
			t.Errorf("seed %d: fifteen empty literals: %v\n%s", seed, summarize(fs), text)
		}
	}
}

// TestSplitInLongChains: a chain longer than one read (maxChainParts) is
// read on where a run of value characters crosses the cut, so a key ID
// split one character per literal is found wherever it stands in a long
// chain, and a secret after its keyword across more than one read; a long
// chain of ordinary pieces reports nothing.
func TestSplitInLongChains(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(9)
	id, sec := g.KeyID("AKIA"), g.Secret()
	one := func(v, sep string) string {
		var b strings.Builder
		for i := range len(v) {
			b.WriteString(`"` + v[i:i+1] + `"` + sep)
		}
		return b.String()
	}
	words := func(n int) string { return strings.Repeat(`" x " + `, n) }
	for _, before := range []int{0, 100, 240, 250, 255, 300, 511} {
		text := "const list = " + words(before) + one(id, " + ") + words(50) + "\"end\";\n"
		fs := sc.Scan("a.js", []byte(text))
		if len(fs) != 1 || fs[0].Secret != id {
			t.Errorf("key ID after %d pieces: %v", before, summarize(fs))
		}
	}
	// A secret whose characters stand between three empty literals each
	// (157 pieces), and one with nine (391 pieces: two reads).
	for _, empties := range []int{3, 9} {
		text := "aws_secret_access_key = " + one(sec, strings.Repeat(` + ""`, empties)+" + ") + "\"\";\n"
		fs := sc.Scan("a.js", []byte(text))
		if len(fs) != 1 || fs[0].Secret != sec {
			t.Errorf("secret with %d empty literals between characters: %v", empties, summarize(fs))
		}
	}
	var b strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&b, `"%c" + `, 'a'+i%26)
	}
	if fs := sc.Scan("a.js", []byte("const s = "+b.String()+"\"\";\naws_secret_access_key = process.env.S;\n")); len(fs) != 0 {
		t.Errorf("a long chain of letters: %v", summarize(fs))
	}
}

// TestJoinOperatorsMore is qa16 HIGH-18: Elixir's <> (ExAws's config),
// Haskell's ++, Julia's * and OCaml's ^ join literals as the other
// languages' operators do.
func TestJoinOperatorsMore(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(7)
	id, secret := g.KeyID("AKIA"), g.Secret()
	for _, c := range []struct{ name, op string }{{"config/prod.exs", "<>"}, {"Main.hs", "++"}, {"run.jl", "*"}, {"main.ml", "^"}} {
		text := "access_key_id = \"" + id[:8] + "\" " + c.op + " \"" + id[8:] + "\"\nsecret_access_key = \"" + secret[:20] + "\" " + c.op + " \"" + secret[20:] + "\"\n"
		fs := sc.Scan(c.name, []byte(text))
		if !hasSecret(fs, id) || !hasSecret(fs, secret) {
			t.Errorf("%s: %v, want both keys", c.name, summarize(fs))
		}
	}
}

// TestRPaste is qa16 HIGH-18's rest: R has no concatenation operator;
// paste0(…), stringr's str_c(…) and paste(…, sep = "") join their literal
// arguments with nothing between, so a key split over them is one value.
// A paste with its default separator (a blank) or another is not.
func TestRPaste(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 5; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		a, b, c, d := id[:8], id[8:], secret[:20], secret[20:]
		for _, text := range []string{
			"Sys.setenv(AWS_ACCESS_KEY_ID = paste0(\"" + a + "\", \"" + b + "\"),\n  AWS_SECRET_ACCESS_KEY = paste0(\"" + c + "\", \"" + d + "\"))\n",
			"key <- paste('" + a + "', '" + b + "', sep = '')\nsecret <- paste(\"" + c + "\",\n    \"" + d + "\", sep=\"\")\n",
			"aws_access_key_id <- base::paste0(\"" + a + "\",\n \"" + b + "\")\naws_secret_access_key <- stringr::str_c('" + c + "', \"" + d + "\")\n",
			// glue pastes its arguments with an empty .sep; a vector's items
			// collapsed with ""
			"Sys.setenv(AWS_ACCESS_KEY_ID = glue::glue(\"" + a + "\", \"" + b + "\"), AWS_SECRET_ACCESS_KEY = glue(\"" + c + "\",\n  \"" + d + "\"))\n",
			"aws_access_key_id <- paste(c(\"" + a + "\", \"" + b + "\"), collapse = \"\")\naws_secret_access_key <- paste0(c('" + c + "',\n  '" + d + "'), collapse='')\n",
			"aws_access_key_id <- stringr::str_flatten(c(\"" + a + "\", \"" + b + "\"))\naws_secret_access_key <- str_c(c(\"" + c + "\", \"" + d + "\"), collapse = \"\")\n",
		} {
			fs := sc.Scan("upload.R", []byte(text))
			if !hasSecret(fs, id) || !hasSecret(fs, secret) {
				t.Errorf("seed %d: %q: %v, want both keys", seed, text, summarize(fs))
			}
		}
		for _, text := range []string{
			"key <- paste(\"" + a + "\", \"" + b + "\")\nsecret <- paste(\"" + c + "\", \"" + d + "\")\n",
			"key <- paste(\"" + a + "\", \"" + b + "\", sep = \"-\")\nsecret <- paste(\"" + c + "\", \"" + d + "\", sep = \"_\")\n",
			"key <- my_paste0(\"" + a + "\", \"" + b + "\")\nsecret <- x.paste0(\"" + c + "\", \"" + d + "\")\n",
			"key <- paste(c(\"" + a + "\", \"" + b + "\"), collapse = \"-\")\nsecret <- paste(c(\"" + c + "\", \"" + d + "\"))\n",
			"key <- glue(\"" + a + "\", \"" + b + "\", .sep = \" \")\nsecret <- str_flatten(c(\"" + c + "\", \"" + d + "\"), collapse = \",\")\n",
		} {
			if fs := sc.Scan("upload.R", []byte(text)); len(fs) != 0 {
				t.Errorf("seed %d: %q: %v, want nothing", seed, text, summarize(fs))
			}
		}
	}
}

// TestRustConcatAndPowerShellContinuation: Rust's concat! joins its
// literals (raw ones too, r"…"), and PowerShell continues a line with a
// backtick after a blank, so "…" + ` and "…" ` + "…" over lines are one
// value (notation24); concat! with a blank between the halves and a vec!
// of the halves are not.
func TestRustConcatAndPowerShellContinuation(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 5; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		a, b, c, d := id[:8], id[8:], secret[:20], secret[20:]
		for _, f := range []struct{ name, text string }{
			{"main.rs", "let id = concat!(\"" + a + "\", \"" + b + "\");\nlet secret = concat!(r\"" + c + "\", \"" + d + "\");\n"},
			{"lib.rs", "const ID: &str = concat!(\n    r\"" + a + "\",\n    r\"" + b + "\",\n);\nconst SECRET: &str = concat!(\"" + c + "\",\n    r\"" + d + "\");\n"},
			{"deploy.ps1", "$env:AWS_ACCESS_KEY_ID = \"" + a + "\" + `\n    \"" + b + "\"\n$env:AWS_SECRET_ACCESS_KEY = '" + c + "' `\r\n    + '" + d + "'\n"},
		} {
			fs := sc.Scan(f.name, []byte(f.text))
			if !hasSecret(fs, id) || !hasSecret(fs, secret) {
				t.Errorf("seed %d: %s %q: %v, want both keys", seed, f.name, f.text, summarize(fs))
			}
		}
		for _, f := range []struct{ name, text string }{
			{"main.rs", "let id = concat!(\"" + a + "\", \" \", \"" + b + "\");\nlet secret = concat!(\"" + c + "\", \"-\", \"" + d + "\");\n"},
			{"main.rs", "let id = vec![\"" + a + "\", \"" + b + "\"];\nlet secret = my_concat!(\"" + c + "\", \"" + d + "\");\n"},
		} {
			if fs := sc.Scan(f.name, []byte(f.text)); len(fs) != 0 {
				t.Errorf("seed %d: %s %q: %v, want nothing", seed, f.name, f.text, summarize(fs))
			}
		}
	}
}

// TestSplitSecretAlone: a secret split over any join README lists is
// reported when only the secret is split: its key ID written whole on the
// line above, or in no file at all (qa29 H2: R's paste0, str_c, glue,
// paste(sep = "") and Rust's concat! were joined only around a split key
// ID, since a split secret has no prefix to find its chain by).
func TestSplitSecretAlone(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 4; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		c, d := secret[:20], secret[20:]
		for _, f := range []struct{ name, id, text string }{
			{"upload.R", "aws_access_key_id <- \"<ID>\"\n", "aws_secret_access_key <- paste0(\"<C>\", \"<D>\")\n"},
			{"upload.R", "", "Sys.setenv(AWS_SECRET_ACCESS_KEY = paste0(\"<C>\", \"<D>\"))\n"},
			{"upload.R", "", "aws_secret_access_key <- stringr::str_c(\"<C>\", \"<D>\")\n"},
			{"upload.R", "", "aws_secret_access_key = str_c( '<C>', '<D>' )\n"},
			{"upload.R", "", "aws_secret_access_key <- paste0(\n  \"<C>\",\n  \"<D>\"\n)\n"},
			{"upload.R", "", "aws_secret_access_key <- glue::glue(\"<C>\", \"<D>\")\n"},
			{"upload.R", "", "aws_secret_access_key <- paste(\"<C>\", \"<D>\", sep = \"\")\n"},
			{"upload.R", "", "aws_secret_access_key <- paste(c(\"<C>\", \"<D>\"), collapse = \"\")\n"},
			{"upload.R", "", "aws_secret_access_key <- str_flatten(c(\"<C>\", \"<D>\"))\n"},
			{"report.Rmd", "", "```{r}\naws_secret_access_key <- paste(\"<C>\", \"<D>\", sep = \"\")\n```\n"},
			{"main.rs", "", "const AWS_SECRET_ACCESS_KEY: &str = concat!(\"<C>\", r\"<D>\");\n"},
			{"a.py", "", "AWS_SECRET_ACCESS_KEY = '<C>' + '<D>'\n"},
			{"a.py", "", "AWS_SECRET_ACCESS_KEY = ('<C>'\n    '<D>')\n"},
			{"a.py", "", "AWS_SECRET_ACCESS_KEY = ''.join(['<C>', '<D>'])\n"},
			{"a.js", "", "const awsSecretAccessKey = ['<C>', '<D>'].join('');\n"},
			{"a.js", "", "const awsSecretAccessKey = `<C>` + `<D>`;\n"},
			{"a.rb", "", "AWS_SECRET_ACCESS_KEY = ['<C>', '<D>'].join\n"},
			{"a.php", "", "<?php\n$aws_secret_access_key = '<C>' . '<D>';\n"},
			{"a.pl", "", "my $aws_secret_access_key = '<C>' . '<D>';\n"},
			{"a.lua", "", "local aws_secret_access_key = '<C>' .. '<D>'\n"},
			{"a.sql", "", "INSERT INTO creds (aws_secret_access_key) VALUES ('<C>' || '<D>');\n"},
			{"a.vb", "", "Dim awsSecretAccessKey As String = \"<C>\" & _\n    \"<D>\"\n"},
			{"site.yml", "", "aws_secret_access_key: \"{{ '<C>' ~ '<D>' }}\"\n"},
			{"config.exs", "", "config :ex_aws, secret_access_key: \"<C>\" <> \"<D>\"\n"},
			{"a.hs", "", "awsSecretAccessKey = \"<C>\" ++ \"<D>\"\n"},
			{"a.jl", "", "aws_secret_access_key = \"<C>\" * \"<D>\"\n"},
			{"a.ml", "", "let aws_secret_access_key = \"<C>\" ^ \"<D>\"\n"},
			{"main.tf", "", "locals {\n  aws_secret_access_key = \"<C>${\"<D>\"}\"\n}\n"},
			{"main.tf", "", "locals {\n  aws_secret_access_key = join(\"\", [\"<C>\", \"<D>\"])\n}\n"},
			{"template.yaml", "", "Resources:\n  U:\n    Properties:\n      SecretAccessKey: !Join [\"\", [\"<C>\", \"<D>\"]]\n"},
			{"template.json", "", "{\"SecretAccessKey\": {\"Fn::Join\": [\"\", [\"<C>\", \"<D>\"]]}}\n"},
			{"a.go", "", "package a\n\nvar awsSecretAccessKey = strings.Join([]string{\"<C>\", \"<D>\"}, \"\")\n"},
			{"a.go", "", "package a\n\nvar awsSecretAccessKey = fmt.Sprint(\"<C>\", \"<D>\")\n"},
			{"a.go", "", "package a\n\nvar awsSecretAccessKey = fmt.Sprintf(\"%s%s\", \"<C>\", \"<D>\")\n"},
			{"A.cs", "", "var awsSecretAccessKey = @\"<C>\" + @\"<D>\";\n"},
			{"run.sh", "", "export AWS_SECRET_ACCESS_KEY=\"<C>\"'<D>'\n"},
			{"a.c", "", "const char *aws_secret_access_key = \"<C>\"\n    \"<D>\";\n"},
			{"a.ps1", "", "$env:AWS_SECRET_ACCESS_KEY = '<C>' + `\n    '<D>'\n"},
		} {
			heads := []string{""}
			if f.id != "" {
				heads = append(heads, f.id)
			}
			for _, head := range heads {
				text := strings.NewReplacer("<ID>", id, "<C>", c, "<D>", d).Replace(head + f.text)
				if fs := sc.Scan(f.name, []byte(text)); !hasSecret(fs, secret) {
					t.Errorf("seed %d: %s %q: %v, want the secret", seed, f.name, text, summarize(fs))
				}
			}
		}
	}
}
