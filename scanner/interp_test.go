package scanner_test

// Tests of keys split between a variable of the file and the text that
// interpolates or concatenates it (interp.go), in each language's shape,
// and of the variables and templates that must stay silent.

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

type interpCase struct {
	name, file, text string
	// want: the rules and values found, in order; at: the text each
	// finding starts at (the interpolating site)
	want []splitWant
}

func interpCases(seed uint64) []interpCase {
	g := fakekey.New(seed)
	id, sec := g.KeyID("AKIA"), g.Secret()
	h, t := id[:8], id[8:]
	ID := func(at string) splitWant { return splitWant{rules.IDAccessKeyID, id, at, ""} }
	SEC := func(at string) splitWant { return splitWant{rules.IDSecretAccessKey, sec, at, ""} }
	return []interpCase{
		{"sh/braces", "a.sh", "HEAD=" + h + "\nexport AWS_ACCESS_KEY_ID=\"${HEAD}" + t + "\"\n",
			[]splitWant{ID("${HEAD}" + t)}},
		{"sh/dollar", "a.sh", "HEAD=" + h + "\nTAIL=" + t + "\nexport AWS_ACCESS_KEY_ID=$HEAD${TAIL}\n",
			[]splitWant{ID("$HEAD${TAIL}")}},
		{"sh/tail-variable", "a.sh", "TAIL=" + t + "\nexport AWS_ACCESS_KEY_ID=\"" + h + "${TAIL}\"\n",
			[]splitWant{ID(h + "${TAIL}")}},
		{"sh/prefix-and-tail", "a.sh", "TAIL='" + id[4:] + "'\nexport AWS_ACCESS_KEY_ID=\"AKIA${TAIL}\"\n",
			[]splitWant{ID("AKIA${TAIL}")}},
		{"sh/both-variables", "a.sh", "A=" + h + "\nB=" + t + "\nKEY=\"$A$B\"\n",
			[]splitWant{ID("$A$B")}},
		{"sh/key-pair", "creds.sh", "ID_HEAD=" + h + "\nSECRET_HEAD=" + sec[:20] + "\nexport AWS_ACCESS_KEY_ID=${ID_HEAD}" + t + "\nexport AWS_SECRET_ACCESS_KEY=${SECRET_HEAD}" + sec[20:] + "\n",
			[]splitWant{ID("${ID_HEAD}" + t), SEC("${SECRET_HEAD}" + sec[20:])}},
		{"env/braces", ".env", "HEAD=" + h + "\nAWS_ACCESS_KEY_ID=${HEAD}" + t + "\n",
			[]splitWant{ID("${HEAD}" + t)}},
		{"dockerfile/arg", "Dockerfile", "FROM alpine\nARG HEAD=" + h + "\nENV AWS_ACCESS_KEY_ID=${HEAD}" + t + "\n",
			[]splitWant{ID("${HEAD}" + t)}},
		{"python/f-string", "b.py", "head = \"" + h + "\"\nkey = f\"{head}" + t + "\"\n",
			[]splitWant{ID("{head}" + t)}},
		{"python/plus", "b.py", "head = \"" + h + "\"\nkey = head + \"" + t + "\"\n",
			[]splitWant{ID("head + \"" + t)}},
		{"python/literal-plus-variable", "b.py", "tail = '" + t + "'\nkey = '" + h + "' + tail\n",
			[]splitWant{ID("'" + h + "' + tail")}},
		{"js/template", "c.js", "const head = \"" + h + "\"; const key = `${head}" + t + "`;\n",
			[]splitWant{ID("${head}" + t)}},
		{"js/plus", "c.js", "const head = '" + h + "';\nlet key = head + '" + t + "';\n",
			[]splitWant{ID("head + '" + t)}},
		{"ruby/hash-braces", "d.rb", "head = \"" + h + "\"\nkey = \"#{head}" + t + "\"\n",
			[]splitWant{ID("#{head}" + t)}},
		{"terraform/locals", "e.tf", "locals {\n  head = \"" + h + "\"\n  key  = \"${local.head}" + t + "\"\n}\n",
			[]splitWant{ID("${local.head}" + t)}},
		{"terraform/locals-one-line", "e.tf", "locals { head = \"" + h + "\"  key = \"${local.head}" + t + "\" }\n",
			[]splitWant{ID("${local.head}" + t)}},
		{"terraform/variable-default", "e.tf", "variable \"head\" {\n  default = \"" + h + "\"\n}\n\nprovider \"aws\" {\n  access_key = \"${var.head}" + t + "\"\n}\n",
			[]splitWant{ID("${var.head}" + t)}},
		{"make/colon-equals", "Makefile", "HEAD := " + h + "\nexport AWS_ACCESS_KEY_ID := $(HEAD)" + t + "\n",
			[]splitWant{ID("$(HEAD)" + t)}},
		{"php/dot", "f.php", "<?php\n$head = \"" + h + "\";\n$key = $head . \"" + t + "\";\n",
			[]splitWant{ID("$head . \"" + t)}},
		{"php/braces", "f.php", "<?php\n$head = \"" + h + "\";\n$key = \"{$head}" + t + "\";\n",
			[]splitWant{ID("{$head}" + t)}},
		{"lua/dot-dot", "g.lua", "local head = \"" + h + "\"\nlocal key = head .. \"" + t + "\"\n",
			[]splitWant{ID("head .. \"" + t)}},
		{"bat/percent", "h.bat", "set HEAD=" + h + "\nset AWS_ACCESS_KEY_ID=%HEAD%" + t + "\n",
			[]splitWant{ID("%HEAD%" + t)}},

		{"python/secret-variable-plus", "s.py", "s1 = \"" + sec[:20] + "\"\naws_secret_access_key = s1 + \"" + sec[20:] + "\"\n",
			[]splitWant{SEC("s1 + \"" + sec[20:])}},
		{"python/secret-plus-variable", "s.py", "s2 = '" + sec[20:] + "'\naws_secret_access_key = '" + sec[:20] + "' + s2\n",
			[]splitWant{SEC("'" + sec[:20] + "' + s2")}},
		{"js/secret-template", "s.js", "const a = '" + sec[:20] + "';\nconst creds = { secretAccessKey: `${a}" + sec[20:] + "` };\n",
			[]splitWant{SEC("${a}" + sec[20:])}},

		// Negatives.
		{"neg/placeholder", "README.md", "```sh\nHEAD=AKIAXXXX\nexport AWS_ACCESS_KEY_ID=${HEAD}XXXXXXXXXXXX\n```\n", nil},
		{"neg/alphabet-template", "docs.sh", "P=AKIA\necho \"${P}ABCDEFGHIJKLMNOP\"\n", nil},
		{"neg/name-joined", "n.py", "prefix = \"prod\"\naws_secret_name = prefix + \"_aws_secret_access_key_for_the_service\"\n", nil},
		{"neg/secret-other-system", "n.py", "s1 = \"" + sec[:20] + "\"\nclient_secret = s1 + \"" + sec[20:] + "\"\n", nil},
		{"neg/not-a-key-piece", "a.sh", "HEAD=" + h + "\necho \"${HEAD}-suffix\"\nURL=\"https://${HEAD}.example.com\"\n", nil},
		{"neg/regex-template", "check.sh", "PREFIX=AKIA\ngrep -E \"${PREFIX}[0-9A-Z]{16}\" file\n", nil},
		{"neg/regex-literal", "check.py", "pat = \"AKIA[0-9A-Z]{16}\"\nkey = pat + \"" + t + "\"\n", nil},
		{"neg/example-key", "docs.sh", "HEAD=AKIAIOSF\nexport AWS_ACCESS_KEY_ID=${HEAD}ODNN7EXAMPLE\n", nil},
		{"neg/shell-longer-name", "a.sh", "HEAD=" + h + "\nexport AWS_ACCESS_KEY_ID=$HEAD" + t + "\n", nil},
		{"neg/unassigned", "a.sh", "export AWS_ACCESS_KEY_ID=\"${HEAD}" + t + "\"\n", nil},
		{"neg/longer-token", "a.sh", "HEAD=" + h + "\nexport X=${HEAD}" + t + "Z\n", nil},
		{"neg/secret-no-context", "a.sh", "S=" + sec[:20] + "\nX=${S}" + sec[20:] + "\n", nil},
		{"neg/allowed", "a.sh", "HEAD=" + h + "\nexport AWS_ACCESS_KEY_ID=${HEAD}" + t + " # keyscan:allow fixture of the interpolation tests\n", nil},
	}
}

// TestInterpolationSplits: a key ID (or a secret with its keyword) split
// between a variable and the text that interpolates or concatenates it is
// found, reported at the interpolating site with the encoding
// "interpolation"; variables that are no key piece stay silent.
func TestInterpolationSplits(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 8; seed++ {
		for _, c := range interpCases(seed) {
			fs := sc.Scan(c.file, []byte(c.text))
			if len(fs) != len(c.want) {
				t.Errorf("%s seed %d: %d findings, want %d: %v\n%s", c.name, seed, len(fs), len(c.want), summarize(fs), c.text)
				continue
			}
			for i, w := range c.want {
				f := fs[i]
				start := strings.LastIndex(c.text, w.from)
				if f.Rule != w.rule || f.Secret != w.value || f.Offset != start {
					t.Errorf("%s seed %d: finding %d is %s %s at %d, want %s %s at %d\n%s", c.name, seed, i, f.Rule, scanner.Redact(f.Secret),
						f.Offset, w.rule, scanner.Redact(w.value), start, c.text)
					continue
				}
				if f.Encoding != "interpolation" {
					t.Errorf("%s seed %d: finding %d encoding %q, want interpolation", c.name, seed, i, f.Encoding)
				}
			}
		}
	}
}

// TestInterpolationManySites: a file of ten keys, each split through its
// own variable (and one through a variable it shares with its
// neighbour's site), gives each key once.
func TestInterpolationManySites(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(33)
	var b strings.Builder
	want := map[string]bool{}
	for i := range 10 {
		id := g.KeyID("AKIA")
		want[id] = true
		n := string(rune('A' + i))
		b.WriteString("H" + n + "=" + id[:8] + "\nT" + n + "='" + id[8:] + "'\n")
		b.WriteString("export AWS_ACCESS_KEY_ID_" + n + "=\"${H" + n + "}${T" + n + "}\"  # and $H" + n + " alone\n")
	}
	fs := sc.Scan("keys.sh", []byte(b.String()))
	got := map[string]bool{}
	for _, f := range fs {
		if f.Encoding != "interpolation" || got[f.Secret] {
			t.Errorf("finding %s", summarize(scanner.Findings{f}))
		}
		got[f.Secret] = true
	}
	if len(got) != len(want) {
		t.Errorf("%d keys found, want %d: %v", len(got), len(want), summarize(fs))
	}
}
