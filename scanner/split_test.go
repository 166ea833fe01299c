package scanner_test

import (
	"encoding/json"
	"fmt"
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
	// Widths that are no multiple of four cut a group of four at each
	// literal's end (qa18 H1: a line-length limit, textwrap(70) of a
	// quoted line): the chain is read with its characters gathered.
	for _, width := range []int{76, 64, 50, 58, 62, 66, 70, 82, 33} {
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

// TestInfrastructureJoins is qa14 MEDIUM-10: a key pair split with the
// joins infrastructure files write — Terraform's join("", […]) and a
// literal inside an interpolation, CloudFormation's !Join and Fn::Join
// with an empty delimiter (YAML, JSON on one line and as json.dumps
// indents it), Jinja's ~ and + (Ansible), and the empty joins of code
// ("".join, [ … ].join("")) — is found whole, each key on its own (a split
// key ID beside a whole secret and the other way round). A join whose
// delimiter is not empty, an item that is not a literal, a JavaScript
// .join() (a comma) and a Jinja chain broken by a variable give nothing.
func TestInfrastructureJoins(t *testing.T) {
	g := fakekey.New(1912)
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type form struct {
		name   string
		value  func(a, b string) string // the value written with its two halves
		file   func(id, secret string) string
		broken []func(a, b string) string // near misses of value
	}
	q := func(s string) string { return `"` + s + `"` }
	sq := func(s string) string { return "'" + s + "'" }
	forms := []form{
		{"main.tf", func(a, b string) string { return `join("", [` + q(a) + `, ` + q(b) + `])` },
			func(id, sec string) string {
				return "provider \"aws\" {\n  region     = \"us-east-1\"\n  access_key = " + id + "\n  secret_key = " + sec + "\n}\n"
			},
			[]func(a, b string) string{
				func(a, b string) string { return `join("-", [` + q(a) + `, ` + q(b) + `])` },
				func(a, b string) string { return `join("", [` + q(a) + `, var.x, ` + q(b) + `])` },
			}},
		{"interp.tf", func(a, b string) string { return q(a + `${"` + b + `"}`) },
			func(id, sec string) string {
				return "provider \"aws\" {\n  access_key = " + id + "\n  secret_key = " + sec + "\n}\n"
			},
			[]func(a, b string) string{
				func(a, b string) string { return q(a + `${var.x}` + b) },
			}},
		{"cfn.yaml", func(a, b string) string { return `!Join ["", [` + q(a) + `, ` + q(b) + `]]` },
			func(id, sec string) string {
				return "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n" +
					"          AWS_ACCESS_KEY_ID: " + id + "\n          AWS_SECRET_ACCESS_KEY: " + sec + "\n"
			},
			[]func(a, b string) string{
				func(a, b string) string { return `!Join [",", [` + q(a) + `, ` + q(b) + `]]` },
				func(a, b string) string { return `!Join ["", [` + q(a) + `, !Ref X, ` + q(b) + `]]` },
			}},
		{"cfn.json", func(a, b string) string { return `{"Fn::Join": ["", [` + q(a) + `, ` + q(b) + `]]}` },
			func(id, sec string) string {
				return `{"Variables": {"AWS_ACCESS_KEY_ID": ` + id + ",\n  \"AWS_SECRET_ACCESS_KEY\": " + sec + "}}\n"
			},
			[]func(a, b string) string{
				func(a, b string) string { return `{"Fn::Join": [":", [` + q(a) + `, ` + q(b) + `]]}` },
			}},
		{"indented.json", func(a, b string) string {
			return "{\n      \"Fn::Join\": [\n        \"\",\n        [\n          " + q(a) + ",\n          " + q(b) + "\n        ]\n      ]\n    }"
		},
			func(id, sec string) string {
				return "{\n  \"Variables\": {\n    \"AWS_ACCESS_KEY_ID\": " + id + ",\n    \"AWS_SECRET_ACCESS_KEY\": " + sec + "\n  }\n}\n"
			},
			[]func(a, b string) string{
				func(a, b string) string {
					return "{\n      \"Fn::Join\": [\n        \" \",\n        [\n          " + q(a) + ",\n          " + q(b) + "\n        ]\n      ]\n    }"
				},
			}},
		{"play.yml", func(a, b string) string { return `"{{ ` + sq(a) + ` ~ ` + sq(b) + ` }}"` },
			func(id, sec string) string {
				return "- hosts: all\n  environment:\n    AWS_ACCESS_KEY_ID: " + id + "\n    AWS_SECRET_ACCESS_KEY: " + sec + "\n"
			},
			[]func(a, b string) string{
				func(a, b string) string { return `"{{ ` + sq(a) + ` ~ sep ~ ` + sq(b) + ` }}"` },
			}},
		{"plus.yml", func(a, b string) string { return `"{{ ` + sq(a) + ` + ` + sq(b) + ` }}"` },
			func(id, sec string) string {
				return "- hosts: all\n  vars:\n    aws_access_key_id: " + id + "\n    aws_secret_access_key: " + sec + "\n"
			}, nil},
		{"join.py", func(a, b string) string { return `"".join([` + q(a) + `, ` + q(b) + `])` },
			func(id, sec string) string {
				return "import boto3\naws_access_key_id = " + id + "\naws_secret_access_key = " + sec + "\n"
			},
			[]func(a, b string) string{
				func(a, b string) string { return `"/".join([` + q(a) + `, ` + q(b) + `])` },
			}},
		{"join.js", func(a, b string) string { return `[` + sq(a) + `, ` + sq(b) + `].join('')` },
			func(id, sec string) string {
				return "const accessKeyId = " + id + ";\nconst secretAccessKey = " + sec + ";\n"
			},
			[]func(a, b string) string{
				func(a, b string) string { return `[` + sq(a) + `, ` + sq(b) + `].join()` },
				func(a, b string) string { return `[` + sq(a) + `, ` + sq(b) + `].join('.')` },
			}},
		{"join.rb", func(a, b string) string { return `[` + q(a) + `, ` + q(b) + `].join` },
			func(id, sec string) string {
				return "AWS_ACCESS_KEY_ID = " + id + "\nAWS_SECRET_ACCESS_KEY = " + sec + "\n"
			}, nil},
	}
	found := func(name, text string) map[string]bool {
		got := map[string]bool{}
		for _, f := range s.ScanAll(name, []byte(text)) {
			got[f.Secret] = true
		}
		return got
	}
	for _, f := range forms {
		id, sec := g.KeyID("AKIA"), g.Secret()
		for _, c := range []struct {
			what, text string
		}{
			{"both split", f.file(f.value(id[:10], id[10:]), f.value(sec[:20], sec[20:]))},
			{"key ID split", f.file(f.value(id[:10], id[10:]), q(sec))},
			{"secret split", f.file(q(id), f.value(sec[:17], sec[17:]))},
		} {
			if got := found(f.name, c.text); !got[id] || !got[sec] {
				t.Errorf("%s, %s: key ID found %v, secret %v; want both\n%s", f.name, c.what, got[id], got[sec], c.text)
			}
		}
		for i, b := range f.broken {
			text := f.file(q(id), b(sec[:20], sec[20:]))
			if got := found(f.name, text); got[sec] || len(got) != 1 {
				t.Errorf("%s, near miss %d: %d values found; want the key ID alone\n%s", f.name, i, len(got), text)
			}
			for k := range found(f.name, f.file(b(id[:10], id[10:]), q("x"))) {
				t.Errorf("%s, near miss %d of the key ID: %s found", f.name, i, scanner.Redact(k))
			}
		}
	}
}

// TestInterpolationOpensWithJoinByte: a secret split by a Terraform
// interpolation is found whole when its inner literal opens with a byte a
// join may follow ("abc${"/def"}", "abc${"+def"}": a secret's / and +; the
// masks' path looked at the quote after ${ only when no such byte followed
// it), and when blanks stand inside the interpolation, as HCL allows
// (${ "def" }, ${"def" }, ${ "def"   }).
func TestInterpolationOpensWithJoinByte(t *testing.T) {
	g := fakekey.New(2424)
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	forms := []string{`${"%s"}`, `${ "%s" }`, `${"%s" }`, `${ "%s"}`, `${ "%s"   }`}
	tried := 0
	for n := range 200 {
		id, sec := g.KeyID("AKIA"), g.Secret()
		k := 8 + strings.IndexAny(sec[8:32], "/+")
		if k < 8 {
			k = 8 + n%24 // a letter or a digit
		}
		tried++
		form := forms[n%len(forms)]
		// padded past 256 bytes, where the byte masks are made
		text := strings.Repeat("# provider settings\n", 14) + "provider \"aws\" {\n  access_key = \"" + id + "\"\n  secret_key = \"" +
			sec[:k] + fmt.Sprintf(form, sec[k:]) + "\"\n}\n"
		got := map[string]bool{}
		for _, f := range s.ScanAll("interp.tf", []byte(text)) {
			got[f.Secret] = true
		}
		if !got[sec] || !got[id] {
			t.Errorf("%s split before its %q: key ID found %v, secret %v\n%s", form, sec[k], got[id], got[sec], text)
		}
		// A blank in the literal around the interpolation is no part of it:
		// the secret with it is no secret.
		near := strings.Replace(text, "${", " ${", 1)
		for _, f := range s.ScanAll("interp.tf", []byte(near)) {
			if f.Secret != id {
				t.Errorf("%s with a blank before ${: %s found\n%s", form, scanner.Redact(f.Secret), near)
			}
		}
	}
	if tried == 0 {
		t.Fatal("no secret tried")
	}
}

// TestJoinReadersOnNoise scans text made of the pieces the join readers
// look at (quotes, brackets, delimiters, ${", .join, Join, {{, base64
// literals), cut anywhere, under the names that read them: no reader may
// panic or read out of its input, at any cut.
func TestJoinReadersOnNoise(t *testing.T) {
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := fakekey.New(1913)
	id := g.KeyID("AKIA")
	bits := []string{`"`, `'`, "`", `""`, `''`, `, `, `,`, `[`, `]`, `(`, `)`, `{`, `}`, `${"`, `"}`, `.join`, `.join("")`,
		`join("", [`, `!Join ["", [`, `{"Fn::Join": ["", [`, `{{ `, ` ~ `, ` + `, "\n", " ", `\`, `$`, "AKIA", id[:10], id[10:],
		strings.Repeat("QUJD", 16), "H4sIAAAAAAAA", "==", "#", "//"}
	r := uint64(1913)
	next := func(n int) int {
		r ^= r << 13
		r ^= r >> 7
		r ^= r << 17
		return int(r % uint64(n))
	}
	for range 3000 {
		var b strings.Builder
		for range 1 + next(40) {
			b.WriteString(bits[next(len(bits))])
		}
		text := b.String()
		for _, name := range []string{"a.tf", "a.yaml", "a.json", "a.js", "a.py", "a.txt"} {
			for cut := len(text); cut >= 0; cut -= 1 + next(7) {
				s.ScanAll(name, []byte(text[:cut]))
			}
		}
	}
}
