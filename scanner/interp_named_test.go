package scanner_test

// Tests of the shapes of interpolation that round 35 reads (interp.go,
// interpformat.go): Python's named format placeholders, and values that
// are themselves interpolated. Each key is
// split at every place a site can be read from: a key ID after its
// prefix and before its last character, a secret (beside its keyword)
// anywhere.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// namedShapes are files that split a value into h and t, with the text
// the finding starts at.
var namedShapes = []glueShape{
	{"py/format-named-literals", "b.py",
		func(h, t string) string {
			return "key = \"{head}{tail}\".format(head=\"" + h + "\", tail=\"" + t + "\")\n"
		},
		func(h, t string) string { return "{head}{tail}\"" }},
	{"py/format-named-names", "b.py",
		func(h, t string) string {
			return "h1 = \"" + h + "\"\nt1 = \"" + t + "\"\nkey = \"{head}{tail}\".format(head=h1, tail=t1)\n"
		},
		func(h, t string) string { return "{head}{tail}\"" }},
	{"py/format-named-reversed", "b.py",
		func(h, t string) string {
			return "h1 = '" + h + "'\nt1 = '" + t + "'\nkey = '{b}{a}'.format(\n    a=t1,\n    b=h1,\n)\n"
		},
		func(h, t string) string { return "{b}{a}'" }},
	{"py/format-named-and-positional", "b.py",
		func(h, t string) string {
			return "h1 = \"" + h + "\"\nkey = \"{}{tail}\".format(h1, tail=\"" + t + "\")\n"
		},
		func(h, t string) string { return "{}{tail}\"" }},
	{"py/format-named-head-in-template", "b.py",
		func(h, t string) string { return "t1 = \"" + t + "\"\nkey = \"" + h + "{tail}\".format(tail=t1)\n" },
		func(h, t string) string { return h + "{tail}\"" }},
	{"py/percent-dict-literals", "b.py",
		func(h, t string) string {
			return "key = \"%(a)s%(b)s\" % {\"a\": \"" + h + "\", \"b\": \"" + t + "\"}\n"
		},
		func(h, t string) string { return "%(a)s%(b)s\"" }},
	{"py/percent-dict-names", "b.py",
		func(h, t string) string {
			return "h1 = \"" + h + "\"\nt1 = \"" + t + "\"\nkey = \"%(a)s%(b)s\" % {'a': h1, 'b': t1}\n"
		},
		func(h, t string) string { return "%(a)s%(b)s\"" }},
	{"py/percent-dict-call", "b.py",
		func(h, t string) string {
			return "h1 = \"" + h + "\"\nkey = \"%(a)s%(b)s\" % dict(a=h1, b=\"" + t + "\")\n"
		},
		func(h, t string) string { return "%(a)s%(b)s\"" }},
	{"py/percent-dict-head-in-template", "b.py",
		func(h, t string) string { return "key = \"" + h + "%(t)s\" % {\"t\": \"" + t + "\"}\n" },
		func(h, t string) string { return h + "%(t)s\"" }},
}

// everyCut runs shapes over each seed's key ID cut after its prefix and
// at each place up to its last character, and over the secret cut at
// each place beside its keyword (the shape's text with
// "aws_secret_access_key = " in place of "key = ", or
// AWS_SECRET_ACCESS_KEY in place of AWS_ACCESS_KEY_ID): each finds its
// value once, at the interpolating site, with the encoding
// "interpolation".
func everyCut(t *testing.T, shapes []glueShape) {
	t.Helper()
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 3; seed++ {
		g := fakekey.New(seed)
		id, sec := g.KeyID("AKIA"), g.Secret()
		for _, c := range shapes {
			try := func(rule, value string, cut int, text string) {
				t.Helper()
				h, tl := value[:cut], value[cut:]
				at := strings.LastIndex(text, c.from(h, tl))
				fs := sc.Scan(c.file, []byte(text))
				if len(fs) != 1 || fs[0].Rule != rule || fs[0].Secret != value || fs[0].Offset != at || fs[0].Encoding != "interpolation" {
					t.Errorf("%s seed %d cut %d: %v, want %s at %d (interpolation)\n%s", c.name, seed, cut, summarize(fs), rule, at, text)
				}
			}
			for cut := 4; cut < len(id); cut++ {
				try(rules.IDAccessKeyID, id, cut, c.text(id[:cut], id[cut:]))
			}
			for cut := 1; cut < len(sec); cut++ {
				text := c.text(sec[:cut], sec[cut:])
				if strings.Contains(text, "key = ") {
					text = strings.Replace(text, "key = ", "aws_secret_access_key = ", 1)
				} else {
					text = strings.Replace(text, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", 1)
				}
				try(rules.IDSecretAccessKey, sec, cut, text)
			}
		}
	}
}

// TestInterpolationNamedFormat is interp35's (4): a key split between
// the named placeholders of a Python format call and its keyword or dict
// arguments was missed.
func TestInterpolationNamedFormat(t *testing.T) { everyCut(t, namedShapes) }

// TestInterpolationNamedFormatSilent: named format calls whose arguments
// are no key's pieces, that leave a placeholder or an argument unfilled,
// put a delimiter between, or whose value is another system's secret
// stay silent.
func TestInterpolationNamedFormatSilent(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(9)
	id, sec := g.KeyID("AKIA"), g.Secret()
	h, tl := id[:8], id[8:]
	for _, c := range []struct{ name, file, text string }{
		{"unrelated", "b.py", "url = \"{user}{host}{path}\".format(user=\"ADMIN\", host=\"EXAMPLEHOSTNAME\", path=\"INDEX\")\n" +
			"msg = \"%(a)s%(b)s\" % {\"a\": \"SERVICEACCOUNTNAME\", \"b\": \"SUFFIX\"}\n"},
		{"missing-keyword", "b.py", "key = \"{head}{tail}\".format(head=\"" + h + "\")\n"},
		{"unused-keyword", "b.py", "key = \"{head}\".format(head=\"" + h + "\", tail=\"" + tl + "\")\n"},
		{"other-key", "b.py", "key = \"{head}{tail}\".format(head=\"" + h + "\", tale=\"" + tl + "\")\n"},
		{"dash", "b.py", "key = \"{head}-{tail}\".format(head=\"" + h + "\", tail=\"" + tl + "\")\n"},
		{"longer", "b.py", "key = \"%(a)s%(b)sQ\" % {\"a\": \"" + h + "\", \"b\": \"" + tl + "\"}\n"},
		{"call-argument", "b.py", "key = \"{head}{tail}\".format(head=\"" + h + "\", tail=tail())\n"},
		{"spread", "b.py", "key = \"{head}{tail}\".format(**parts)\nhead = \"" + h + "\"\n"},
		{"other-system", "b.py", "client_secret = \"{a}{b}\".format(a=\"" + sec[:20] + "\", b=\"" + sec[20:] + "\")\n"},
		{"dict-other-key", "b.py", "key = \"%(a)s%(b)s\" % {\"a\": \"" + h + "\", \"c\": \"" + tl + "\"}\n"},
	} {
		if fs := sc.Scan(c.file, []byte(c.text)); len(fs) != 0 {
			t.Errorf("%s: %v\n%s", c.name, summarize(fs), c.text)
		}
	}
}

// halves cuts t in two, the first half perhaps empty.
func halves(t string) (string, string) { return t[:len(t)/2], t[len(t)/2:] }

// nestedShapes split a value through a variable whose value is itself
// interpolated.
var nestedShapes = []glueShape{
	{"sh/alias", "a.sh",
		func(h, t string) string {
			return "B=" + h + "\nA=\"${B}\"\nexport AWS_ACCESS_KEY_ID=\"${A}" + t + "\"\n"
		},
		func(h, t string) string { return "${A}" + t }},
	{"sh/two-references", "a.sh",
		func(h, t string) string {
			t1, t2 := halves(t)
			c := "C=" + t1 + "\nA=${B}${C}\n"
			if t1 == "" {
				c = "A=${B}\n"
			}
			return "B=" + h + "\n" + c + "export AWS_ACCESS_KEY_ID=\"${A}" + t2 + "\"\n"
		},
		func(h, t string) string { _, t2 := halves(t); return "${A}" + t2 }},
	{"sh/head-literal-and-reference", "a.sh",
		func(h, t string) string {
			t1, t2 := halves(t)
			a := "C=" + t1 + "\nA=\"" + h + "${C}\"\n"
			if t1 == "" {
				a = "A=\"" + h + "\"\n"
			}
			return a + "export AWS_ACCESS_KEY_ID=$A'" + t2 + "'\n"
		},
		func(h, t string) string { _, t2 := halves(t); return "$A'" + t2 }},
	{"sh/three-levels", "a.sh",
		func(h, t string) string {
			return "B=" + h + "\nA1=$B\nA2=${A1}\nA3=\"${A2}\"\nexport AWS_ACCESS_KEY_ID=${A3}" + t + "\n"
		},
		func(h, t string) string { return "${A3}" + t }},
	{"env/compose-nested", ".env",
		func(h, t string) string {
			t1, t2 := halves(t)
			return "HEAD=" + h + "\nMID=" + t1 + "x\nPART=${HEAD}\nAWS_ACCESS_KEY_ID=${PART}" + t1 + t2 + "\n"
		},
		func(h, t string) string { return "${PART}" + t }},
	{"py/f-string", "b.py",
		func(h, t string) string {
			t1, t2 := halves(t)
			a := "c = \"" + t1 + "\"\na = f\"{b}{c}\"\n"
			if t1 == "" {
				a = "a = f\"{b}\"\n"
			}
			return "b = \"" + h + "\"\n" + a + "key = f\"{a}" + t2 + "\"\n"
		},
		func(h, t string) string { _, t2 := halves(t); return "{a}" + t2 }},
	{"make/nested", "Makefile",
		func(h, t string) string {
			return "B := " + h + "\nA := $(B)\nexport AWS_ACCESS_KEY_ID := $(A)" + t + "\n"
		},
		func(h, t string) string { return "$(A)" + t }},
	{"js/template", "c.js",
		func(h, t string) string {
			return "const b = '" + h + "';\nconst a = `${b}`;\nconst key = `${a}" + t + "`;\n"
		},
		func(h, t string) string { return "${a}" + t }},
}

// TestInterpolationNested is interp35's (2): a key split through a
// variable whose value is itself interpolated (A=${B}${C}, then
// "${A}…") was missed.
func TestInterpolationNested(t *testing.T) { everyCut(t, nestedShapes) }

// TestInterpolationNestedSilent: nested values that are no key's pieces,
// that do not interpolate (single quotes, a Python string without its
// f), that refer to each other in a cycle or deeper than the bound, or
// hold other text, stay silent.
func TestInterpolationNestedSilent(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(9)
	id := g.KeyID("AKIA")
	h, tl := id[:8], id[8:]
	deep := "B0=" + h + "\n"
	for i := 1; i <= 6; i++ {
		deep += fmt.Sprintf("B%d=${B%d}\n", i, i-1)
	}
	for _, c := range []struct{ name, file, text string }{
		{"unrelated", "build.sh", "APP=KEYSCAN\nVERSION=V1\nNAME=${APP}${VERSION}\nFULL=\"${NAME}LINUX\"\ntar czf \"${FULL}AMD64RELEASEBUILDS.tgz\" dist\n"},
		{"single-quoted", "a.sh", "B=" + h + "\nA='${B}'\nexport AWS_ACCESS_KEY_ID=\"${A}" + tl + "\"\n"},
		{"python-not-f", "b.py", "b = \"" + h + "\"\na = \"{b}\"\nkey = f\"{a}" + tl + "\"\n"},
		{"cycle", "a.sh", "A=${B}\nB=${A}\nexport AWS_ACCESS_KEY_ID=${A}" + tl + "\n"},
		{"self", "a.sh", "A=" + h + "\nA=${A}${A}\nexport AWS_ACCESS_KEY_ID=${A}" + tl + "\n"},
		{"deeper-than-bound", "a.sh", deep + "export AWS_ACCESS_KEY_ID=${B6}" + tl + "\n"},
		{"other-text", "a.sh", "B=" + h + "\nA=${B}-x\nexport AWS_ACCESS_KEY_ID=${A}" + tl + "\n"},
		{"longer", "a.sh", "B=" + h + "\nA=${B}\nexport AWS_ACCESS_KEY_ID=${A}" + tl + "Q\n"},
	} {
		if fs := sc.Scan(c.file, []byte(c.text)); len(fs) != 0 {
			t.Errorf("%s: %v\n%s", c.name, summarize(fs), c.text)
		}
	}
}

// hostileNested is a file of n variables whose values refer to the two
// before them and, every 50th, to the next (a cycle), with a key ID's
// head among them every 97 lines and named format calls of them, and one
// key split through a nested value at its start.
func hostileNested(n int, id string) []byte {
	var b strings.Builder
	b.WriteString("HEAD=" + id[:8] + "\nPART=\"${HEAD}\"\nexport AWS_ACCESS_KEY_ID=\"${PART}" + id[8:] + "\"\n")
	for i := range n {
		switch {
		case i%97 == 0:
			fmt.Fprintf(&b, "V%d=%s\n", i, id[:8])
		case i%50 == 49:
			fmt.Fprintf(&b, "V%d=\"${V%d}$V%d\"\n", i, i+1, i-1)
		case i%7 == 3:
			fmt.Fprintf(&b, "v%d = \"{a}{b}%%(c)s\".format(a=V%d, b=V%d) %% {'c': V%d}\n", i, i-1, i-2, i)
		default:
			fmt.Fprintf(&b, "V%d=${V%d}${V%d}X\n", i, i-1, i-2)
		}
	}
	return []byte(b.String())
}

// TestInterpolationNestedHostile: a file of 100k variables nested in
// each other, in cycles, ends, finds the one key split at its start, and
// no other.
func TestInterpolationNestedHostile(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	id := fakekey.New(11).KeyID("AKIA")
	fs := sc.Scan("vars.sh", hostileNested(100000, id))
	if len(fs) != 1 || fs[0].Secret != id || fs[0].Encoding != "interpolation" {
		t.Errorf("%v, want the key once", summarize(fs))
	}
}

// BenchmarkInterpolationNestedHostile: the nested hostile file at two
// sizes; its MB/s stays flat as it grows.
func BenchmarkInterpolationNestedHostile(b *testing.B) {
	id := fakekey.New(11).KeyID("AKIA")
	for _, n := range []int{10000, 100000} {
		data := hostileNested(n, id)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			sc := newScanner(b, scanner.Options{})
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				sc.Scan("vars.sh", data)
			}
		})
	}
}
