package scanner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// notationText is a notation the matcher decodes, as two units to tile:
// near, a near miss written in it (a key's head, its markers or its
// pieces, and no key), and keys, key pairs written in it, each a finding
// (nil where keyscan reads no key in that notation).
type notationText struct {
	name, file string
	near, keys func() string
}

// notationTexts are the notations whose near misses, repeated to 16 MiB,
// ran under 300 MB per CPU second in round 21 (issue 16's worst texts):
// each reader of a notation must cost about a constant per byte of its
// near misses, and its findings only their own.
func notationTexts() []notationText {
	g := fakekey.New(29)
	pairs := func(n int, write func(id, secret string) string) func() string {
		return func() string {
			var b strings.Builder
			for range n {
				b.WriteString(write(g.KeyID("AKIA"), g.Secret()))
			}
			return b.String()
		}
	}
	near := func(s string) func() string { return func() string { return s } }
	joined := func(s, item, sep string) string {
		parts := make([]string, len(s))
		for i := range len(s) {
			parts[i] = fmt.Sprintf(item, s[i])
		}
		return strings.Join(parts, sep)
	}
	// sepHex writes text as hex pairs joined by sep on one line, a
	// value (openssl's 41:4b:49:41, a list of bytes).
	sepHex := func(text, sep string) string { return "k = '" + joined(text, "%02x", sep) + "'\n" }
	creds := func(id, secret string) string {
		return "aws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	}
	return []notationText{
		{"emphasis-md", "notes.md", near("AKIA**"), pairs(4, func(id, secret string) string {
			return "| aws_access_key_id | **" + id + "** |\n| aws_secret_access_key | **" + secret + "** |\n"
		})},
		{"cdata-xml", "config.xml", near("AK<![CDATA[IA]]>"), pairs(4, func(id, secret string) string {
			return "<accessKeyId><![CDATA[" + id[:8] + "]]><![CDATA[" + id[8:] + "]]></accessKeyId>\n<secretAccessKey><![CDATA[" +
				secret[:20] + "]]><![CDATA[" + secret[20:] + "]]></secretAccessKey>\n"
		})},
		{"go-join", "keys.go", near(`strings.Join([]string{"AKIA", "`), pairs(4, func(id, secret string) string {
			return "var keyID = strings.Join([]string{\"" + id[:8] + "\", \"" + id[8:] + "\"}, \"\")\nvar secretAccessKey = strings.Join([]string{\"" +
				secret[:20] + "\", \"" + secret[20:] + "\"}, \"\")\n"
		})},
		{"go-sprintf", "keys.go", near(`fmt.Sprintf("%s%s", "AKIA", "`), pairs(4, func(id, secret string) string {
			return "var keyID = fmt.Sprintf(\"%s%s\", \"" + id[:8] + "\", \"" + id[8:] + "\")\nvar secretAccessKey = fmt.Sprintf(\"%s%s\", \"" +
				secret[:20] + "\", \"" + secret[20:] + "\")\n"
		})},
		{"hex-colons", "dump.txt", near("41:4b:49:41:"), pairs(4, func(id, secret string) string { return sepHex(creds(id, secret), ":") })},
		{"hex-commas", "dump.txt", near(",41,4b,49,41"), pairs(4, func(id, secret string) string { return sepHex(creds(id, secret), ",") })},
		{"hex-tabs", "dump.txt", near("\t41\t4b\t49\t41"), pairs(4, func(id, secret string) string { return sepHex(creds(id, secret), "\t") })},
		{"hex-dashes", "dump.txt", near("-41-4b-49-41"), pairs(4, func(id, secret string) string { return sepHex(creds(id, secret), "-") })},
		// s += "…" is not read as a join; its keys are a chain of +.
		{"plus-eq", "keys.js", near(`s += "AKIA"` + "\n"), pairs(4, func(id, secret string) string {
			return "var accessKeyId = \"" + id[:10] + "\" + \"" + id[10:] + "\";\nvar secretAccessKey = \"" + secret[:20] +
				"\" + \"" + secret[20:] + "\";\n"
		})},
		{"spaced-keys", "dump.txt", near("41 4b 49 41 "), pairs(4, func(id, secret string) string { return sepHex(creds(id, secret), " ") })},
		{"chr-python", "keys.py", near("chr(65)+chr(75)+chr(73)+chr(65)+"), pairs(4, func(id, secret string) string {
			return "key_id = " + joined(id, "chr(%d)", "+") + "\naws_secret_access_key = " + joined(secret, "chr(%d)", "+") + "\n"
		})},
		{"glued-heads", "notes.txt", near("AKIA"), pairs(4, func(id, secret string) string { return id + " " + secret + " " })},
		{"char-powershell", "keys.ps1", near("[char]65+[char]75+[char]73+[char]65"), pairs(4, func(id, secret string) string {
			return "$k = " + joined(id, "[char]%d", "+") + "\n$aws_secret_access_key = " + joined(secret, "[char]%d", "+") + "\n"
		})},
		{"table-rows-md", "notes.md", near("| AWS_SECRET_ACCESS_KEY | "), pairs(4, func(id, secret string) string {
			return "| name | value |\n|---|---|\n| AWS_ACCESS_KEY_ID | " + id + " |\n| AWS_SECRET_ACCESS_KEY | " + secret + " |\n"
		})},
		{"ebcdic", "CREDS.DAT", near("\xc1\xd2\xc9\xc1"), pairs(4, func(id, secret string) string { return cp037(creds(id, secret)) })},
		{"ebcdic-blanks", "CREDS.DAT", near("\xc1\xd2\xc9\xc1\x40"), pairs(4, func(id, secret string) string { return cp037(creds(id, secret)) })},
		{"spaced-pair-lines", "dump.txt", near(" 41 4b\n"), pairs(4, func(id, secret string) string { return spacedDump("od", creds(id, secret)) })},
		{"tags-in-key-html", "page.html", near("A<b>"), pairs(4, func(id, secret string) string {
			return "<p>Key: <code>" + id[:8] + "<wbr>" + id[8:] + "</code> secret <b>" + secret[:20] + "</b><i>" + secret[20:] + "</i></p>\n"
		})},
		// A name on a heredoc's or a wrapped raw string's opening line,
		// the value the literal's first line (qa29 H1); near misses hold
		// a reference in the literal.
		{"heredoc-hcl", "main.tf", near("  aws_secret_access_key = <<-EOT\n    ${var.aws_secret_access_key}\n  EOT\n"),
			pairs(4, func(id, secret string) string {
				return "  aws_access_key_id = <<-EOT\n    " + id + "\n  EOT\n  aws_secret_access_key = trimspace(<<-EOT\n    " + secret + "\n  EOT\n  )\n"
			})},
		{"raw-in-call-go", "keys.go", near("var awsSecretAccessKey = strings.TrimSpace(`\n${AWS_SECRET_ACCESS_KEY}\n`)\n"),
			pairs(4, func(id, secret string) string {
				return "var awsAccessKeyID = strings.TrimSpace(`\n" + id + "\n`)\nvar awsSecretAccessKey = strings.TrimSpace(`\n" + secret + "\n`)\n"
			})},
		// R's joins of a split secret whose key ID is whole (qa29 H2); near
		// misses join a literal and a variable.
		{"paste0-r", "upload.R", near("aws_secret_access_key <- paste0(\"AKIA\", suffix)\n"), pairs(4, func(id, secret string) string {
			return "aws_access_key_id <- \"" + id + "\"\naws_secret_access_key <- paste0(\"" + secret[:20] + "\", \"" + secret[20:] + "\")\n"
		})},
		// Letters spaced out are read in a PDF's text only: no keys.
		{"spaced-letters", "notes.txt", near("A K I A "), nil},
	}
}

// cp037 writes text in EBCDIC code page 037 (the letters, digits and the
// signs key pairs are written with; a line end is NL, 0x15).
func cp037(text string) string {
	out := make([]byte, len(text))
	for i := range len(text) {
		c := text[i]
		switch {
		case c >= 'A' && c <= 'I':
			out[i] = 0xc1 + c - 'A'
		case c >= 'J' && c <= 'R':
			out[i] = 0xd1 + c - 'J'
		case c >= 'S' && c <= 'Z':
			out[i] = 0xe2 + c - 'S'
		case c >= 'a' && c <= 'i':
			out[i] = 0x81 + c - 'a'
		case c >= 'j' && c <= 'r':
			out[i] = 0x91 + c - 'j'
		case c >= 's' && c <= 'z':
			out[i] = 0xa2 + c - 's'
		case c >= '0' && c <= '9':
			out[i] = 0xf0 + c - '0'
		default:
			out[i] = map[byte]byte{' ': 0x40, '=': 0x7e, '_': 0x6d, '+': 0x4e, '/': 0x61, '\n': 0x15, '[': 0xba, ']': 0xbb}[c]
		}
	}
	return string(out)
}

// BenchmarkNotations scans each of notationTexts' units tiled to 16 MiB
// as keyscan's commands scan a file (max_findings_per_file and the check
// budget): near, the near misses, and keys, the key pairs.
func BenchmarkNotations(b *testing.B) {
	for _, c := range notationTexts() {
		b.Run(c.name+"/near", func(b *testing.B) { benchScanNamed(b, c.file, tiled([]byte(c.near()), 16<<20)) })
		if c.keys != nil {
			b.Run(c.name+"/keys", func(b *testing.B) { benchScanNamed(b, c.file, tiled([]byte(c.keys()), 16<<20)) })
		}
	}
}

// TestNotationTexts: BenchmarkNotations measures what it says: each
// notation's near misses, a few KiB of them, are no finding, and its key
// pairs are found, both keys of each.
func TestNotationTexts(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for _, c := range notationTexts() {
		if fs := sc.Scan(c.file, tiled([]byte(c.near()), 4<<10)); len(fs) != 0 {
			t.Errorf("%s: near misses: %v, want nothing", c.name, summarize(fs))
		}
		if c.keys == nil {
			continue
		}
		if fs := sc.Scan(c.file, []byte(c.keys())); len(fs) != 8 {
			t.Errorf("%s: four key pairs: %d findings %v, want 8", c.name, len(fs), summarize(fs))
		}
	}
}
