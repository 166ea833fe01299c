package scanner_test

// Tests of the shapes of interpolation that round 34 reads (interp.go):
// quotes glued to what follows them ("$HEAD"…, $HEAD'…'), a Dockerfile's
// ENV NAME value, YAML's NAME: value with a GitHub Actions ${{ env.NAME }},
// a compose file's ${NAME} and a Kubernetes env entry's $(NAME). Each key
// is split at every place: after AKIA alone, in the middle, before its
// last character.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// glueShape is a file that splits a key into h and t: text(h, t), and
// the text the finding starts at, from(h, t) (its last occurrence).
type glueShape struct {
	name, file string
	text, from func(h, t string) string
}

var glueShapes = []glueShape{
	{"sh/quoted-then-word", "a.sh",
		func(h, t string) string { return "HEAD=" + h + "\nexport AWS_ACCESS_KEY_ID=\"$HEAD\"" + t + "\n" },
		func(h, t string) string { return "$HEAD\"" + t }},
	{"sh/word-then-single-quoted", "a.sh",
		func(h, t string) string { return "HEAD=" + h + "\nexport AWS_ACCESS_KEY_ID=$HEAD'" + t + "'\n" },
		func(h, t string) string { return "$HEAD'" + t }},
	{"sh/two-quoted", "a.sh",
		func(h, t string) string {
			return "HEAD=\"" + h + "\"\nexport AWS_ACCESS_KEY_ID=\"${HEAD}\"\"" + t + "\"\n"
		},
		func(h, t string) string { return "${HEAD}\"\"" + t }},
	{"sh/literal-then-quoted-tail", "a.sh",
		func(h, t string) string { return "TAIL=" + t + "\nexport AWS_ACCESS_KEY_ID='" + h + "'\"$TAIL\"\n" },
		func(h, t string) string { return h + "'\"$TAIL" }},
	{"dockerfile/env-legacy", "Dockerfile",
		func(h, t string) string {
			return "FROM alpine\nENV HEAD " + h + "\nENV AWS_ACCESS_KEY_ID=${HEAD}" + t + "\n"
		},
		func(h, t string) string { return "${HEAD}" + t }},
	{"dockerfile/env-legacy-tail", "Dockerfile",
		func(h, t string) string {
			return "FROM alpine\nENV TAIL \"" + t + "\"\nENV AWS_ACCESS_KEY_ID=" + h + "${TAIL}\n"
		},
		func(h, t string) string { return h + "${TAIL}" }},
	{"dockerfile/env-pairs", "Dockerfile",
		func(h, t string) string {
			return "FROM alpine\nENV REGION=eu-west-1 HEAD=" + h + " DEBUG=1\nENV AWS_ACCESS_KEY_ID=${HEAD}" + t + "\n"
		},
		func(h, t string) string { return "${HEAD}" + t }},
	{"actions/env", ".github/workflows/ci.yml",
		func(h, t string) string {
			return "on: push\nenv:\n  HEAD: " + h + "\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n        env:\n          AWS_ACCESS_KEY_ID: ${{ env.HEAD }}" + t + "\n"
		},
		func(h, t string) string { return "${{ env.HEAD }}" + t }},
	{"actions/job-env-vars", ".github/workflows/ci.yml",
		func(h, t string) string {
			return "jobs:\n  deploy:\n    env:\n      HEAD: '" + h + "'\n    steps:\n      - run: aws s3 ls\n        env:\n          AWS_ACCESS_KEY_ID: \"${{vars.HEAD}}" + t + "\"\n"
		},
		func(h, t string) string { return "${{vars.HEAD}}" + t }},
	{"actions/step-env-tail", ".github/workflows/ci.yml",
		func(h, t string) string {
			return "jobs:\n  deploy:\n    steps:\n      - run: aws s3 ls\n        env:\n          TAIL: \"" + t + "\"\n          AWS_ACCESS_KEY_ID: " + h + "${{ env.TAIL }}\n"
		},
		func(h, t string) string { return h + "${{ env.TAIL }}" }},
	{"compose/environment-map", "docker-compose.yml",
		func(h, t string) string {
			return "services:\n  app:\n    image: app\n    environment:\n      HEAD: " + h + "\n      AWS_ACCESS_KEY_ID: ${HEAD}" + t + "\n"
		},
		func(h, t string) string { return "${HEAD}" + t }},
	{"k8s/env-entries", "pod.yaml",
		func(h, t string) string {
			return "spec:\n  containers:\n    - name: app\n      env:\n        - name: HEAD\n          value: \"" + h + "\"\n        - name: AWS_ACCESS_KEY_ID\n          value: \"$(HEAD)" + t + "\"\n"
		},
		func(h, t string) string { return "$(HEAD)" + t }},
	{"py/format", "b.py",
		func(h, t string) string {
			return "head = \"" + h + "\"\ntail = \"" + t + "\"\nkey = \"{}{}\".format(head, tail)\n"
		},
		func(h, t string) string { return "{}{}\".format" }},
	{"py/format-indexed", "b.py",
		func(h, t string) string {
			return "tail = '" + t + "'\nhead = '" + h + "'\nkey = '{1}{0}'.format(tail, head)\n"
		},
		func(h, t string) string { return "{1}{0}'" }},
	{"py/format-head-in-template", "b.py",
		func(h, t string) string { return "tail = \"" + t + "\"\nkey = \"" + h + "{}\".format(tail)\n" },
		func(h, t string) string { return h + "{}\".format" }},
	{"py/percent-tuple", "b.py",
		func(h, t string) string {
			return "head = \"" + h + "\"\ntail = \"" + t + "\"\nkey = \"%s%s\" % (head, tail)\n"
		},
		func(h, t string) string { return "%s%s\" %" }},
	{"py/percent-one", "b.py",
		func(h, t string) string { return "head = \"" + h + "\"\nkey = \"%s" + t + "\" % head\n" },
		func(h, t string) string { return "%s" + t + "\" %" }},
	{"py/join", "b.py",
		func(h, t string) string {
			return "head = \"" + h + "\"\ntail = \"" + t + "\"\nkey = \"\".join([head, tail])\n"
		},
		func(h, t string) string { return "head, tail])" }},
	{"py/join-lines", "b.py",
		func(h, t string) string {
			return "head = \"" + h + "\"\nkey = ''.join((\n    head,\n    '" + t + "',\n))\n"
		},
		func(h, t string) string { return "head,\n" }},
	{"java/string-format", "A.java",
		func(h, t string) string {
			return "class A {\n  String head = \"" + h + "\";\n  String tail = \"" + t + "\";\n  String key = String.format(\"%s%s\", head, tail);\n}\n"
		},
		func(h, t string) string { return "%s%s\", head" }},
	{"kotlin/format", "A.kt",
		func(h, t string) string { return "val head = \"" + h + "\"\nval key = \"%s" + t + "\".format(head)\n" },
		func(h, t string) string { return "%s" + t + "\".format" }},
	// Read before round 34, proved here at every cut.
	{"java/plus", "A.java",
		func(h, t string) string { return "String head = \"" + h + "\";\nString key = head + \"" + t + "\";\n" },
		func(h, t string) string { return "head + \"" + t }},
	{"kotlin/template", "A.kt",
		func(h, t string) string { return "val head = \"" + h + "\"\nval key = \"${head}" + t + "\"\n" },
		func(h, t string) string { return "${head}" + t }},
	{"csharp/interpolated", "A.cs",
		func(h, t string) string { return "var head = \"" + h + "\";\nvar key = $\"{head}" + t + "\";\n" },
		func(h, t string) string { return "{head}" + t }},
	{"powershell/two-variables", "a.ps1",
		func(h, t string) string {
			return "$head = \"" + h + "\"\n$tail = \"" + t + "\"\n$key = \"$head$tail\"\n"
		},
		func(h, t string) string { return "$head$tail" }},
	{"powershell/plus", "a.ps1",
		func(h, t string) string { return "$head = \"" + h + "\"\n$tail = '" + t + "'\n$key = $head + $tail\n" },
		func(h, t string) string { return "$head + $tail" }},
}

// TestInterpolationGlued: each shape finds its key, split at every place,
// once, at the interpolating site, with the encoding "interpolation".
func TestInterpolationGlued(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 6; seed++ {
		g := fakekey.New(seed)
		id := g.KeyID("AKIA")
		for _, cut := range []int{4, 8, 13, 19} {
			h, tl := id[:cut], id[cut:]
			for _, c := range glueShapes {
				text := c.text(h, tl)
				fs := sc.Scan(c.file, []byte(text))
				at := strings.LastIndex(text, c.from(h, tl))
				if len(fs) != 1 || fs[0].Rule != rules.IDAccessKeyID || fs[0].Secret != id || fs[0].Offset != at || fs[0].Encoding != "interpolation" {
					t.Errorf("%s seed %d cut %d: %v, want the key at %d (interpolation)\n%s", c.name, seed, cut, summarize(fs), at, text)
				}
			}
		}
	}
}

// TestInterpolationGluedSilent: variables that are no key's pieces, glued,
// YAML keys and ENV lines that do not assign a whole value, and
// expressions that are not the file's stay silent.
func TestInterpolationGluedSilent(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(7)
	id := g.KeyID("AKIA")
	h, tl := id[:8], id[8:]
	for _, c := range []struct{ name, file, text string }{
		{"sh/unrelated-glued", "build.sh", "APP=keyscan\nVERSION=1.2.3\nARCH=AMD64\nOS=LINUX\n" +
			"tar czf \"$APP\"-\"$VERSION\"_\"$OS\"\"$ARCH\".tar.gz dist\necho \"$OS\"\"$ARCH\"'BUILD'\"$VERSION\"\n"},
		{"sh/upper-words-glued", "build.sh", "A=PACKAGES\nB=FOR\nC=RELEASE\necho \"$A\"\"$B\"'NIGHTLY'\"$C\"BUILDS\n"},
		{"sh/glued-then-suffix", "a.sh", "HEAD=" + h + "\necho \"$HEAD\"-suffix \"$HEAD\"/x\n"},
		{"sh/glued-longer", "a.sh", "HEAD=" + h + "\nexport AWS_ACCESS_KEY_ID=\"$HEAD\"" + tl + "Q9\n"},
		{"actions/secrets-scope", ".github/workflows/ci.yml", "env:\n  HEAD: " + h + "\njobs:\n  a:\n    steps:\n      - env:\n          AWS_ACCESS_KEY_ID: ${{ secrets.HEAD }}" + tl + "\n"},
		{"actions/placeholder", ".github/workflows/ci.yml", "env:\n  HEAD: AKIAXXXX\n  AWS_ACCESS_KEY_ID: ${{ env.HEAD }}XXXXXXXXXXXX\n"},
		{"yaml/key-not-first", "a.yml", "opts: {HEAD: " + h + "}\nAWS_ACCESS_KEY_ID: ${HEAD}" + tl + "\n"},
		{"k8s/name-not-before", "pod.yaml", "env:\n  - name: HEAD\n    other: 1\n    value: " + h + "\n  - name: AWS_ACCESS_KEY_ID\n    value: $(HEAD)" + tl + "\n"},
		{"dockerfile/env-more-words", "Dockerfile", "FROM alpine\nENV HEAD " + h + " and more\nENV AWS_ACCESS_KEY_ID=${HEAD}" + tl + "\n"},
		{"py/format-unrelated", "b.py", "user = \"ADMIN\"\nhost = \"EXAMPLEHOST\"\nurl = \"{}{}\".format(user, host)\nkey = \"%s%s\" % (user, host)\n"},
		{"py/format-unassigned", "b.py", "key = \"{}{}\".format(head, tail)\nother = \"%s" + tl + "\" % head\n"},
		{"py/format-dash", "b.py", "head = \"" + h + "\"\ntail = \"" + tl + "\"\nkey = \"{}-{}\".format(head, tail)\n"},
		{"py/format-longer", "b.py", "head = \"" + h + "\"\ntail = \"" + tl + "\"\nkey = \"{}{}Q\".format(head, tail)\n"},
		{"py/format-arg-unused", "b.py", "head = \"" + h + "\"\ntail = \"" + tl + "\"\nkey = \"{}\".format(head, tail)\n"},
		{"py/join-call", "b.py", "head = \"" + h + "\"\nkey = \"\".join([head, tail()])\n"},
		{"dockerfile/env-in-text", "notes.txt", "set the ENV HEAD " + h + "\nthen AWS_ACCESS_KEY_ID=${HEAD}" + tl + "\n"},
	} {
		if fs := sc.Scan(c.file, []byte(c.text)); len(fs) != 0 {
			t.Errorf("%s: %v\n%s", c.name, summarize(fs), c.text)
		}
	}
}

// hostileVariables is a file of n variables that refer to each other
// (chains, a cycle every 64), glued through quotes, in YAML, ENV lines and
// format calls, with a key ID's head among them every 97 lines, and one
// key split through HEAD at its start (a file's first 64 heads are read).
func hostileVariables(n int, id string) []byte {
	var b strings.Builder
	b.WriteString("HEAD=" + id[:8] + "\nexport AWS_ACCESS_KEY_ID=\"$HEAD\"" + id[8:] + "\n")
	for i := range n {
		switch {
		case i%97 == 0:
			fmt.Fprintf(&b, "V%d=%s\n", i, id[:8])
		case i%64 == 63:
			fmt.Fprintf(&b, "V%d=\"$V%d\"'$V%d'\n", i, i-63, i+1) // a cycle back, and ahead
		case i%3 == 0:
			fmt.Fprintf(&b, "  V%d: ${{ env.V%d }}\"$V%d\"X\n", i, i-1, i-2)
		case i%3 == 1:
			fmt.Fprintf(&b, "ENV V%d $(V%d)\n", i, i-1)
		default:
			fmt.Fprintf(&b, "v%d = \"{}{}\".format(V%d, V%d) + \"%%s\" %% V%d\n", i, i-1, i-2, i)
		}
	}
	return []byte(b.String())
}

// TestInterpolationHostile: a file of 100k variables referring to each
// other ends, finds the one key split at its start, and no other.
func TestInterpolationHostile(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	id := fakekey.New(11).KeyID("AKIA")
	fs := sc.Scan("vars.sh", hostileVariables(100000, id))
	if len(fs) != 1 || fs[0].Secret != id || fs[0].Encoding != "interpolation" {
		t.Errorf("%v, want the key once", summarize(fs))
	}
}

// BenchmarkInterpolationHostile: the hostile file at two sizes; its MB/s
// stays flat as it grows (no work quadratic in the variables).
func BenchmarkInterpolationHostile(b *testing.B) {
	id := fakekey.New(11).KeyID("AKIA")
	for _, n := range []int{10000, 100000} {
		data := hostileVariables(n, id)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			sc := newScanner(b, scanner.Options{})
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				sc.Scan("vars.sh", data)
			}
		})
	}
}

// TestInterpolationFormatSecret: a secret split between a format call's
// template and a variable is found with the keyword a whole one needs,
// and not under another system's name.
func TestInterpolationFormatSecret(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 6; seed++ {
		sec := fakekey.New(seed).Secret()
		for _, c := range []struct {
			text string
			want int
		}{
			{"s1 = \"" + sec[:20] + "\"\naws_secret_access_key = \"{}" + sec[20:] + "\".format(s1)\n", 1},
			{"s1 = \"" + sec[:20] + "\"\ns2 = \"" + sec[20:] + "\"\naws_secret_access_key = \"%s%s\" % (s1, s2)\n", 1},
			{"s1 = \"" + sec[:20] + "\"\nclient_secret = \"{}" + sec[20:] + "\".format(s1)\n", 0},
		} {
			fs := sc.Scan("s.py", []byte(c.text))
			if len(fs) != c.want || c.want == 1 && (fs[0].Rule != rules.IDSecretAccessKey || fs[0].Secret != sec || fs[0].Encoding != "interpolation") {
				t.Errorf("seed %d: %v, want %d\n%s", seed, summarize(fs), c.want, c.text)
			}
		}
	}
}
