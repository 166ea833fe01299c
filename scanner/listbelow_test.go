package scanner_test

// Tests of character lists that open below their name (list31): the
// list's bracket on a line of its own, a join call wrapped by black or
// prettier, a line continuation or an open parenthesis after the name,
// comments between the items, a trailing comma. A list there is read as
// the list written on its name's line.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// itemLines writes s one quoted character a line, each with a trailing
// comma, and note(k) after the k-th comma (a comment, or nothing).
func itemLines(s, quote, indent string, note func(k int) string) string {
	var b strings.Builder
	for k := range len(s) {
		b.WriteString(indent + quote + s[k:k+1] + quote + ",")
		if note != nil {
			b.WriteString(note(k))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// belowShapes are lists that open below their name, in the file each
// takes: text(name, value).
var belowShapes = []struct {
	name, file string
	text       func(name, value string) string
}{
	{"py-join-wrapped", "a.py", func(n, v string) string {
		return n + " = ''.join(\n    [\n" + itemLines(v, "'", "        ", nil) + "    ]\n)\n"
	}},
	{"py-continuation", "b.py", func(n, v string) string {
		return n + " = \\\n    ''.join([\n" + itemLines(v, "'", "        ", nil) + "    ])\n"
	}},
	{"py-tuple", "c.py", func(n, v string) string {
		return n + ` = "".join(` + "\n    (\n" + itemLines(v, `"`, "        ", nil) + "    )\n)\n"
	}},
	{"py-parenthesized", "d.py", func(n, v string) string {
		return n + " = (\n    \"\".join(\n        [\n" + itemLines(v, `"`, "            ", nil) + "        ]\n    )\n)\n"
	}},
	{"py-comments", "e.py", func(n, v string) string {
		return n + " = ''.join([\n" + itemLines(v, "'", "    ", func(k int) string {
			if k%8 == 0 {
				return fmt.Sprintf("  # part %d", k/8)
			}
			return ""
		}) + "])\n"
	}},
	{"py-wrapped-comments", "f.py", func(n, v string) string {
		return "    " + n + " = ''.join(\n        [\n" + itemLines(v, "'", "            ", func(k int) string {
			if k%10 == 3 {
				return "  # noqa: E501, see the vault entry"
			}
			return ""
		}) + "        ]\n    )\n"
	}},
	{"js-below-name", "a.js", func(n, v string) string {
		return "const " + n + " =\n  [\n" + itemLines(v, "'", "    ", nil) + "  ].join('');\n"
	}},
	{"js-comments", "b.js", func(n, v string) string {
		return "const " + n + " = [\n" + itemLines(v, "'", "  ", func(k int) string {
			switch k % 12 {
			case 5:
				return " // split so scanners miss it"
			case 11:
				return " /* half */"
			}
			return ""
		}) + "].join('');\n"
	}},
}

// TestCharListsBelowName: a secret (and a key ID) written as a list in
// each shape is found, as char-list, at the list's first item.
func TestCharListsBelowName(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for _, s := range belowShapes {
		t.Run(s.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 4; seed++ {
				g := fakekey.New(seed)
				id, secret := g.KeyID("AKIA"), g.Secret()
				name := "AWS_SECRET_ACCESS_KEY"
				if strings.HasPrefix(s.name, "js") {
					name = "awsSecretAccessKey"
				}
				text := s.text(name, secret)
				fs := sc.Scan(s.file, []byte(text))
				if len(fs) != 1 || fs[0].Rule != rules.IDSecretAccessKey || fs[0].Secret != secret || fs[0].Encoding != "char-list" {
					t.Fatalf("seed %d: %v, want the secret as char-list\n%s", seed, summarize(fs), text)
				}
				first := strings.Index(text, "'"+secret[:1]+"',")
				if first < 0 {
					first = strings.Index(text, `"`+secret[:1]+`",`)
				}
				if fs[0].Offset != first {
					t.Errorf("seed %d: the secret at %d, want the first item at %d", seed, fs[0].Offset, first)
				}
				// A pair: the key ID's list in the same shape above it.
				idName := strings.Replace(name, "SECRET_ACCESS_KEY", "ACCESS_KEY_ID", 1)
				idName = strings.Replace(idName, "SecretAccessKey", "AccessKeyId", 1)
				pair := s.text(idName, id) + s.text(name, secret)
				fs = sc.Scan(s.file, []byte(pair))
				if len(fs) != 2 || fs[0].Secret != id || fs[1].Secret != secret || fs[0].Pair != fs[1].Fingerprint {
					t.Errorf("seed %d: pair %v, want the key ID and secret paired\n%s", seed, summarize(fs), pair)
				}
			}
		})
	}
}

// TestCharListsBelowNameQuiet: lists of letters in the same shapes that
// are no secret stay quiet, as their strings written plainly do: an
// alphabet table, a random table under a name that is no secret's.
func TestCharListsBelowNameQuiet(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for _, s := range belowShapes {
		t.Run(s.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 4; seed++ {
				g := fakekey.New(seed)
				for _, c := range []struct{ name, value string }{
					{"BASE64_ALPHABET", alphabet},
					{"ALPHABET", alphabet[:40]},
					{"shuffleTable", g.Secret()},
					{"AWS_REGIONS_TABLE", alphabet[24:64]},
				} {
					text := "# lookup tables\n" + s.text(c.name, c.value)
					if fs := sc.Scan(s.file, []byte(text)); len(fs) != 0 {
						t.Errorf("seed %d: %s: %v, want nothing\n%s", seed, c.name, summarize(fs), text)
					}
					plain := "# lookup tables\n" + c.name + " = '" + c.value + "'\n"
					if fs := sc.Scan(s.file, []byte(plain)); len(fs) != 0 {
						t.Errorf("seed %d: %s written plainly: %v (the shape's control)", seed, c.name, summarize(fs))
					}
				}
			}
		})
	}
}
