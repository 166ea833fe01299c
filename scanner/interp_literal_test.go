package scanner_test

// Tests of the shapes of interpolation that round 36 reads (qa36 M3, M4,
// M5): format calls filled with literals alone, a secret's literal head
// glued before a reference, the shell's default syntax, a join over a
// tuple.

import (
	"fmt"
	"strings"
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
// of literals ("".join(("AKIA…", "…"))) missed the key ID; and (interp37)
// the secret so joined, over a tuple, was missed too: no reference or +
// marked the site in the keyword's window (joinsIn reads the join now).
// The list of literals is also concatenation's: either may find it.
func TestInterpolationJoinTuple(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 3; seed++ {
		g := fakekey.New(seed)
		id, sec := g.KeyID("AKIA"), g.Secret()
		for _, c := range []struct{ rule, value, lead string }{
			{rules.IDAccessKeyID, id, "key"},
			{rules.IDSecretAccessKey, sec, "aws_secret_access_key"},
		} {
			for cut := 1; cut < len(c.value); cut++ {
				if c.rule == rules.IDAccessKeyID && cut < 4 {
					continue
				}
				h, tl := c.value[:cut], c.value[cut:]
				for _, text := range []string{
					c.lead + " = ''.join(('" + h + "', '" + tl + "'))\n",
					c.lead + " = \"\".join([\"" + h + "\", \"" + tl + "\"])\n",
				} {
					fs := sc.Scan("b.py", []byte(text))
					if len(fs) != 1 || fs[0].Rule != c.rule || fs[0].Secret != c.value {
						t.Errorf("seed %d cut %d: %v, want %s\n%s", seed, cut, summarize(fs), c.rule, text)
					}
				}
			}
		}
	}
}

// joinShapes are the joins interp37 reads (qa36 M10, M5): Python's
// "".join of names, whose secret had no site (the key ID's head had);
// a + that starts or ends a line inside black's parentheses; JavaScript's
// [a, b].join("") and a.concat(b); the shell's ${NAME:-word} family; and
// string.Template's $name placeholders filled by substitute.
var joinShapes = []glueShape{
	{"py/join-names-list", "b.py",
		func(h, t string) string { return "sh = '" + h + "'\nst = '" + t + "'\nkey = ''.join([sh, st])\n" },
		func(h, t string) string { return "sh, st])" }},
	{"py/join-names-tuple", "b.py",
		func(h, t string) string { return "sh = '" + h + "'\nst = '" + t + "'\nkey = \"\".join((sh, st))\n" },
		func(h, t string) string { return "sh, st))" }},
	{"py/plus-starts-line", "b.py",
		func(h, t string) string { return "sh = '" + h + "'\nkey = (\n    sh\n    + '" + t + "'\n)\n" },
		func(h, t string) string { return "sh\n    +" }},
	{"py/plus-ends-line", "b.py",
		func(h, t string) string { return "sh = '" + h + "'\nkey = (\n    sh +\n    '" + t + "'\n)\n" },
		func(h, t string) string { return "sh +\n" }},
	{"js/list-join-names", "b.js",
		func(h, t string) string {
			return "const sh = '" + h + "';\nconst st = '" + t + "';\nconst key = [sh, st].join('');\n"
		},
		func(h, t string) string { return "sh, st]" }},
	{"js/concat-names", "b.js",
		func(h, t string) string {
			return "const sh = '" + h + "';\nconst st = \"" + t + "\";\nconst key = sh.concat(st);\n"
		},
		func(h, t string) string { return "sh.concat" }},
	{"js/concat-literal", "b.js",
		func(h, t string) string { return "const st = '" + t + "';\nconst key = '" + h + "'.concat(st);\n" },
		func(h, t string) string { return h + "'.concat" }},
	{"env/default-colon-dash", ".env",
		func(h, t string) string { return "HEAD=" + h + "\nAWS_ACCESS_KEY_ID=${HEAD:-x}" + t + "\n" },
		func(h, t string) string { return "${HEAD:-x}" + t }},
	{"env/default-dash", ".env",
		func(h, t string) string { return "HEAD=" + h + "\nAWS_ACCESS_KEY_ID=${HEAD-x}" + t + "\n" },
		func(h, t string) string { return "${HEAD-x}" + t }},
	{"sh/default-assign", "a.sh",
		func(h, t string) string {
			return "HEAD='" + h + "'\nexport AWS_ACCESS_KEY_ID=\"${HEAD:=x}" + t + "\"\n"
		},
		func(h, t string) string { return "${HEAD:=x}" + t }},
	{"py/template-substitute", "b.py",
		func(h, t string) string {
			return "import string\nsh = '" + h + "'\nst = '" + t + "'\nkey = string.Template('$a${b}').substitute(a=sh, b=st)\n"
		},
		func(h, t string) string { return "$a${b}'" }},
	{"py/template-safe-dict", "b.py",
		func(h, t string) string {
			return "from string import Template\nsh = '" + h + "'\nkey = Template('${a}" + t + "').safe_substitute({'a': sh})\n"
		},
		func(h, t string) string { return "${a}" + t }},
	// qa37 M4: black's first split of a long join (a line break between
	// the call's parenthesis and the list's bracket) and its full split,
	// str.join("", …), and JavaScript's "".concat(a, b).
	{"py/join-black-paren", "b.py",
		func(h, t string) string {
			return "sh = '" + h + "'\nst = '" + t + "'\nkey = ''.join(\n    [sh, st]\n)\n"
		},
		func(h, t string) string { return "sh, st]" }},
	{"py/join-black-full", "b.py",
		func(h, t string) string {
			return "sh = '" + h + "'\nst = '" + t + "'\nkey = ''.join(\n    [\n        sh,\n        st,\n    ]\n)\n"
		},
		func(h, t string) string { return "sh,\n" }},
	{"py/str-join", "b.py",
		func(h, t string) string { return "sh = '" + h + "'\nst = '" + t + "'\nkey = str.join('', [sh, st])\n" },
		func(h, t string) string { return "sh, st]" }},
	{"js/concat-empty-receiver", "b.js",
		func(h, t string) string {
			return "const sh = '" + h + "';\nconst st = '" + t + "';\nconst key = ''.concat(sh, st);\n"
		},
		func(h, t string) string { return "sh, st)" }},
	// qa37 M4: a backslash's line continuation before or after the +, and
	// the shell's between two quoted words.
	{"py/plus-ends-backslash", "b.py",
		func(h, t string) string { return "sh = '" + h + "'\nkey = sh + \\\n    '" + t + "'\n" },
		func(h, t string) string { return "sh + \\" }},
	{"py/plus-starts-backslash", "b.py",
		func(h, t string) string { return "sh = '" + h + "'\nkey = sh \\\n    + '" + t + "'\n" },
		func(h, t string) string { return "sh \\" }},
	{"sh/glued-backslash", "a.sh",
		func(h, t string) string {
			return "HEAD=" + h + "\nexport AWS_ACCESS_KEY_ID=\"${HEAD}\"\\\n\"" + t + "\"\n"
		},
		func(h, t string) string { return "${HEAD}\"" }},
	// fp: the same continuations in a CRLF file; a head assigned by
	// H=\ then its value on the next line; Python's format_map and
	// format(**…) with a dict's items or dict(…)'s keywords.
	{"sh/glued-backslash-crlf", "a.sh",
		func(h, t string) string {
			return "HEAD=" + h + "\r\nexport AWS_ACCESS_KEY_ID=\"${HEAD}\"\\\r\n\"" + t + "\"\r\n"
		},
		func(h, t string) string { return "${HEAD}\"" }},
	{"py/plus-ends-backslash-crlf", "b.py",
		func(h, t string) string { return "sh = '" + h + "'\r\nkey = sh + \\\r\n    '" + t + "'\r\n" },
		func(h, t string) string { return "sh + \\" }},
	{"sh/head-assigned-continued", "a.sh",
		func(h, t string) string {
			return "HEAD=\\\n" + h + "\nexport AWS_ACCESS_KEY_ID=\"${HEAD}" + t + "\"\n"
		},
		func(h, t string) string { return "${HEAD}" + t }},
	{"sh/head-assigned-continued-crlf", "a.sh",
		func(h, t string) string {
			return "HEAD=\\\r\n  " + h + "\r\nexport AWS_ACCESS_KEY_ID=\"${HEAD}" + t + "\"\r\n"
		},
		func(h, t string) string { return "${HEAD}" + t }},
	{"py/head-assigned-continued", "b.py",
		func(h, t string) string { return "sh = \\\n    '" + h + "'\nkey = sh + '" + t + "'\n" },
		func(h, t string) string { return "sh + '" }},
	{"py/format-map-dict", "b.py",
		func(h, t string) string {
			return "sh = '" + h + "'\nst = '" + t + "'\nkey = '{a}{b}'.format_map({'a': sh, 'b': st})\n"
		},
		func(h, t string) string { return "{a}{b}'" }},
	{"py/format-map-dict-black", "b.py",
		func(h, t string) string {
			return "sh = '" + h + "'\nst = '" + t + "'\nkey = \"{a}{b}\".format_map(\n    {\n        \"a\": sh,\n        \"b\": st,\n    }\n)\n"
		},
		func(h, t string) string { return "{a}{b}\"" }},
	{"py/format-map-dict-call", "b.py",
		func(h, t string) string {
			return "sh = '" + h + "'\nst = '" + t + "'\nkey = '{a}{b}'.format_map(dict(a=sh, b=st))\n"
		},
		func(h, t string) string { return "{a}{b}'" }},
	{"py/format-double-star", "b.py",
		func(h, t string) string {
			return "sh = '" + h + "'\nst = '" + t + "'\nkey = '{a}{b}'.format(**{'a': sh, 'b': st})\n"
		},
		func(h, t string) string { return "{a}{b}'" }},
	// fp: C#'s String.Format, Java's String.join and C#'s string.Join of
	// arguments, Terraform's format and join of local. and var. names.
	{"cs/string-format-indexed", "a.cs",
		func(h, t string) string {
			return "const string SH = \"" + h + "\";\nconst string ST = \"" + t + "\";\nvar key = String.Format(\"{0}{1}\", SH, ST);\n"
		},
		func(h, t string) string { return "{0}{1}\"" }},
	{"java/string-join-args", "A.java",
		func(h, t string) string {
			return "class A {\n  static final String SH = \"" + h + "\";\n  static final String ST = \"" + t + "\";\n  String key = String.join(\"\", SH, ST);\n}\n"
		},
		func(h, t string) string { return "SH, ST)" }},
	{"cs/string-join-args", "a.cs",
		func(h, t string) string {
			return "const string SH = \"" + h + "\";\nconst string ST = \"" + t + "\";\nvar key = string.Join(\"\", SH, ST);\n"
		},
		func(h, t string) string { return "SH, ST)" }},
	{"tf/format-locals", "main.tf",
		func(h, t string) string {
			return "locals {\n  sh = \"" + h + "\"\n  st = \"" + t + "\"\n}\n\nlocals {\n  key = format(\"%s%s\", local.sh, local.st)\n}\n"
		},
		func(h, t string) string { return "%s%s\"" }},
	{"tf/join-var-local", "main.tf",
		func(h, t string) string {
			return "variable \"sh\" {\n  default = \"" + h + "\"\n}\nlocals {\n  st = \"" + t + "\"\n  key = join(\"\", [var.sh, local.st])\n}\n"
		},
		func(h, t string) string { return "var.sh, local.st])" }},
	// fp: Ruby's join without an argument, whose delimiter is none.
	{"rb/list-join-bare", "a.rb",
		func(h, t string) string { return "sh = '" + h + "'\nst = '" + t + "'\nkey = [sh, st].join\n" },
		func(h, t string) string { return "sh, st].join" }},
	// fp: PowerShell's subexpression $($name) in a string.
	{"ps/subexpression", "a.ps1",
		func(h, t string) string { return "$sh = '" + h + "'\n$st = '" + t + "'\n$key = \"$($sh)$($st)\"\n" },
		func(h, t string) string { return "$($sh)" }},
	// fp: PowerShell's -f operator, names and a literal.
	{"ps/format-operator", "a.ps1",
		func(h, t string) string {
			return "$sh = \"" + h + "\"\n$st = \"" + t + "\"\n$key = \"{0}{1}\" -f $sh, $st\n"
		},
		func(h, t string) string { return "{0}{1}\"" }},
	{"ps/format-operator-literal", "a.ps1",
		func(h, t string) string { return "$sh = '" + h + "'\n$key = ('{0}" + t + "' -f $sh)\n" },
		func(h, t string) string { return "{0}" + t + "'" }},
	// qa37 M5: a reference the file assigns nowhere (set outside it) after
	// a chain that already spells the whole key is its boundary, as after
	// the key written whole; 982f77b's rule for F1 had dropped the chain.
	{"env/head-then-outside-suffix", ".env",
		func(h, t string) string { return "HEAD=" + h + "\nAWS_ACCESS_KEY_ID=${HEAD}" + t + "${SUFFIX}\n" },
		func(h, t string) string { return "${HEAD}" + t }},
	{"sh/head-then-outside-suffix", "a.sh",
		func(h, t string) string {
			return "HEAD='" + h + "'\nexport AWS_ACCESS_KEY_ID=\"${HEAD}" + t + "$SUFFIX\"\n"
		},
		func(h, t string) string { return "${HEAD}" + t }},
}

// TestInterpolationJoins: each join shape finds the key ID and the secret,
// split at every place (qa36 M10, M5).
func TestInterpolationJoins(t *testing.T) { everyCut(t, joinShapes) }

// TestInterpolationJoinsSilent: joins with a delimiter, a reference set in
// the file to no key (its default is not read), a chain whose reference is
// left unresolved past the bounds (qa36 F1) or cut by its own, stay silent.
func TestInterpolationJoinsSilent(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(12)
	id, sec := g.KeyID("AKIA"), g.Secret()
	var heads, long strings.Builder
	for i := range 20 {
		fmt.Fprintf(&heads, "H%d=%s\n", i, fakekey.New(uint64(100 + i)).KeyID("AKIA")[:10])
	}
	for i := range 20 {
		fmt.Fprintf(&heads, "K%d=${H%d}${H%d}${H%d}\n", i, (i*7+3)%20, (i*13+5)%20, (i*3)%20)
	}
	// A chain of 16 parts (the bound) that joins 20 characters, and goes on.
	long.WriteString("H=AKIA\nX=Q\nAWS_ACCESS_KEY_ID=${H}" + id[4:6])
	for k := range 7 {
		long.WriteString("${X}" + id[6+k:7+k])
	}
	long.WriteString("${X}\n")
	for _, c := range []struct{ name, file, text string }{
		{"py/join-comma", "b.py", "sh = '" + sec[:20] + "'\nst = '" + sec[20:] + "'\naws_secret_access_key = ','.join([sh, st])\n"},
		{"js/join-dash", "b.js", "const sh = '" + sec[:20] + "';\nconst st = '" + sec[20:] + "';\nconst awsSecretAccessKey = [sh, st].join('-');\n"},
		{"java/string-join-comma", "A.java", "class A {\n  static final String SH = \"" + sec[:20] + "\";\n  static final String ST = \"" + sec[20:] + "\";\n  String awsSecretAccessKey = String.join(\",\", SH, ST);\n}\n"},
		{"tf/join-dash", "main.tf", "locals {\n  sh = \"" + sec[:20] + "\"\n  st = \"" + sec[20:] + "\"\n  aws_secret_access_key = join(\"-\", [local.sh, local.st])\n}\n"},
		{"tf/format-dash", "main.tf", "locals {\n  sh = \"" + sec[:20] + "\"\n  st = \"" + sec[20:] + "\"\n  aws_secret_access_key = format(\"%s-%s\", local.sh, local.st)\n}\n"},
		{"tf/member-not-local", "main.tf", "locals {\n  sh = \"" + sec[:20] + "\"\n  st = \"" + sec[20:] + "\"\n  aws_secret_access_key = format(\"%s%s\", module.x.sh, data.y.st)\n}\n"},
		{"js/join-empty-call", "b.js", "const sh = '" + sec[:20] + "';\nconst st = '" + sec[20:] + "';\nconst awsSecretAccessKey = [sh, st].join();\n"},
		{"rb/join-then-method", "a.rb", "sh = '" + sec[:20] + "'\nst = '" + sec[20:] + "'\naws_secret_access_key = [sh, st].join.upcase\n"},
		{"ps/subexpression-method", "a.ps1", "$sh = '" + sec[:20] + "'\n$st = '" + sec[20:] + "'\n$aws_secret_access_key = \"$($sh.Trim())$($st)\"\n"},
		{"ps/format-operator-dash", "a.ps1", "$sh = '" + sec[:20] + "'\n$st = '" + sec[20:] + "'\n$aws_secret_access_key = '{0}-{1}' -f $sh, $st\n"},
		{"ps/format-operator-call-after", "a.ps1", "$sh = '" + sec[:20] + "'\n$st = '" + sec[20:] + "'\n$aws_secret_access_key = '{0}{1}' -f $sh, $st.Trim()\n"},
		{"py/str-join-comma", "b.py", "sh = '" + sec[:20] + "'\nst = '" + sec[20:] + "'\naws_secret_access_key = str.join(',', [sh, st])\n"},
		{"js/concat-empty-call", "b.js", "const sh = '" + sec[:20] + "';\nconst awsSecretAccessKey = ''.concat(sh, tail());\n"},
		{"js/concat-call", "b.js", "const sh = '" + sec[:20] + "';\nconst awsSecretAccessKey = sh.concat(tail());\n"},
		{"env/default-set-elsewhere", ".env", "SHEAD=$(cat head.txt)\nAWS_SECRET_ACCESS_KEY=${SHEAD:-" + sec[:20] + "}" + sec[20:] + "\n"},
		{"env/alternate-value", ".env", "HEAD=" + id[:10] + "\nAWS_ACCESS_KEY_ID=${HEAD:+x}" + id[10:] + "\n"},
		{"py/template-other-system", "b.py", "from string import Template\nsh = '" + sec[:20] + "'\nclient_secret = Template('${a}" + sec[20:] + "').substitute(a=sh)\n"},
		{"env/past-the-bounds", ".env", heads.String()},
		{"env/cut-by-the-bounds", ".env", long.String()},
		// qa37 M5's boundary holds only where the run before it is a key.
		{"env/outside-suffix-after-21", ".env", "HEAD=" + id[:10] + "\nAWS_ACCESS_KEY_ID=${HEAD}" + id[10:] + "Q${SUFFIX}\n"},
	} {
		if fs := sc.Scan(c.file, []byte(c.text)); len(fs) != 0 {
			t.Errorf("%s: %v\n%s", c.name, summarize(fs), c.text)
		}
	}
	// The default is the value when the file sets the name nowhere.
	text := "AWS_SECRET_ACCESS_KEY=${SHEAD:-" + sec[:20] + "}" + sec[20:] + "\n"
	if fs := sc.Scan(".env", []byte(text)); len(fs) != 1 || fs[0].Secret != sec || fs[0].Encoding != "interpolation" {
		t.Errorf("default of an unset name: %v, want the secret\n%s", summarize(fs), text)
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
