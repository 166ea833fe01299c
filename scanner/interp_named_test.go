package scanner_test

// Tests of the shapes of interpolation that round 35 reads (interp.go,
// interpformat.go): Python's named format placeholders. Each key is
// split at every place a site can be read from: a key ID after its
// prefix and before its last character, a secret (beside its keyword)
// anywhere.

import (
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
// each place beside its keyword (the shape's text after
// "aws_secret_access_key = " in place of "key = "): each finds its value
// once, at the interpolating site, with the encoding "interpolation".
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
				text := strings.Replace(c.text(sec[:cut], sec[cut:]), "key = ", "aws_secret_access_key = ", 1)
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
