package scanner_test

// Tests of the shapes of interpolation that round 36 reads (qa36 M3, M4,
// M5): format calls filled with literals alone, a secret's literal head
// glued before a reference, the shell's default syntax, a join over a
// tuple.

import (
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// literalFormatShapes are format calls whose arguments are literals
// alone (qa36 M3: README says "filled with names or literals", and only
// names were read; Go's fmt.Sprintf of literals is gojoin.go's).
var literalFormatShapes = []glueShape{
	{"py/format-literals", "b.py",
		func(h, t string) string { return "key = '{}{}'.format('" + h + "', '" + t + "')\n" },
		func(h, t string) string { return "{}{}'" }},
	{"py/format-indexed-literals", "b.py",
		func(h, t string) string { return "key = '{0}{1}'.format('" + h + "', '" + t + "')\n" },
		func(h, t string) string { return "{0}{1}'" }},
	{"py/percent-tuple-literals", "b.py",
		func(h, t string) string { return "key = '%s%s' % ('" + h + "', '" + t + "')\n" },
		func(h, t string) string { return "%s%s'" }},
	{"py/format-literals-black", "b.py",
		func(h, t string) string {
			return "key = '{}{}'.format(\n    '" + h + "',\n    '" + t + "',\n)\n"
		},
		func(h, t string) string { return "{}{}'" }},
	{"kt/format-literals", "b.kt",
		func(h, t string) string { return "val key = \"%s%s\".format(\"" + h + "\", \"" + t + "\")\n" },
		func(h, t string) string { return "%s%s\"" }},
	{"java/format-literals", "B.java",
		func(h, t string) string {
			return "class B { String key = String.format(\"%s%s\", \"" + h + "\", \"" + t + "\"); }\n"
		},
		func(h, t string) string { return "%s%s\"" }},
}

// TestInterpolationFormatLiterals is qa36 M3: a format call filled with
// literals only was missed in Python, Kotlin and Java.
func TestInterpolationFormatLiterals(t *testing.T) { everyCut(t, literalFormatShapes) }

// TestInterpolationJoinTuple is qa36 M5: Python's "".join over a tuple
// of literals ("".join(("AKIA…", "…"))) missed the key ID. The secret so
// joined is not read (no reference or + marks the site): README says so.
func TestInterpolationJoinTuple(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 3; seed++ {
		id := fakekey.New(seed).KeyID("AKIA")
		for cut := 4; cut < len(id); cut++ {
			for _, text := range []string{
				"key = ''.join(('" + id[:cut] + "', '" + id[cut:] + "'))\n",
				"key = \"\".join([\"" + id[:cut] + "\", \"" + id[cut:] + "\"])\n",
			} {
				fs := sc.Scan("b.py", []byte(text))
				if len(fs) != 1 || fs[0].Rule != rules.IDAccessKeyID || fs[0].Secret != id {
					t.Errorf("seed %d cut %d: %v, want the key ID\n%s", seed, cut, summarize(fs), text)
				}
			}
		}
	}
}

// TestInterpolationSecretHeadThenRef is qa36 M4: a secret written
// KEYWORD=head${TAIL} (.env, a shell script) was missed, while the key ID
// so split and ${HEAD}tail were found: the chain read from the reference
// in the keyword's window went forward only.
func TestInterpolationSecretHeadThenRef(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 3; seed++ {
		g := fakekey.New(seed)
		id, sec := g.KeyID("AKIA"), g.Secret()
		for _, c := range []struct {
			file string
			text func(h, t string) string
		}{
			{".env", func(h, t string) string {
				return "STAIL=" + t + "\nAWS_ACCESS_KEY_ID=" + id + "\nAWS_SECRET_ACCESS_KEY=" + h + "${STAIL}\n"
			}},
			{"run.sh", func(h, t string) string {
				return "STAIL=" + t + "\nexport AWS_ACCESS_KEY_ID=" + id + "\nexport AWS_SECRET_ACCESS_KEY=\"" + h + "${STAIL}\"\n"
			}},
			{"run.sh", func(h, t string) string {
				return "STAIL='" + t + "'\nexport AWS_SECRET_ACCESS_KEY=" + h + "$STAIL\n"
			}},
		} {
			for _, cut := range []int{1, 8, 20, 32, 39} {
				text := c.text(sec[:cut], sec[cut:])
				var got bool
				for _, f := range sc.Scan(c.file, []byte(text)) {
					if f.Rule == rules.IDSecretAccessKey && f.Secret == sec {
						got = f.Encoding == "interpolation"
					}
				}
				if !got {
					t.Errorf("seed %d cut %d: secret not found (interpolation)\n%s", seed, cut, text)
				}
			}
		}
	}
}

// TestInterpolationLiteralsSilent: ordinary format calls of literals,
// and .env files whose references glue a word to a value that is no key,
// stay silent.
func TestInterpolationLiteralsSilent(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(11)
	id, sec := g.KeyID("AKIA"), g.Secret()
	for _, c := range []struct{ name, file, text string }{
		{"py-format", "b.py", "url = '{}{}'.format('https', 'EXAMPLEHOSTNAMEINDEXPAGE')\n" +
			"name = '%s%s' % ('PREFIXSERVICEACCOUNT', 'NAMESUFFIXVALUE')\n" +
			"path = '{}/{}'.format('usr', 'local')\n"},
		{"kt-java", "B.java", "class B { String s = String.format(\"%s%s\", \"ServiceAccountName\", \"ForTheBuildSystem\"); }\n"},
		{"dash", "b.py", "key = '{}-{}'.format('" + id[:8] + "', '" + id[8:] + "')\n"},
		{"leftover", "b.py", "key = '{}'.format('" + id[:8] + "', '" + id[8:] + "')\n"},
		{"other-system", "b.py", "client_secret = '{}{}'.format('" + sec[:20] + "', '" + sec[20:] + "')\n"},
		{"env-path", ".env", "BIN=/usr/local/bin\nPATH=/opt/tools/bin${BIN}\nAWS_SECRET_ACCESS_KEY=${AWS_SECRET}\nAWS_REGION=us${REGION_SUFFIX}\nREGION_SUFFIX=east1\n"},
		{"env-short-head", ".env", "STAIL=" + sec[20:] + "\nAWS_SECRET_ACCESS_KEY=short${STAIL}\n"},
	} {
		if fs := sc.Scan(c.file, []byte(c.text)); len(fs) != 0 {
			t.Errorf("%s: %v\n%s", c.name, summarize(fs), c.text)
		}
	}
}
