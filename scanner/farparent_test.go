package scanner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// farPad returns at least size bytes of sibling settings at indent, in a
// notation's spelling (name: value, name = "value", "name": "value",),
// each fifth one a block of its own holding a setting indented deeper, so
// that the lines between a value and its parent are siblings and their
// blocks, as in a long configuration.
func farPad(notation, indent string, size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		name := fmt.Sprintf("option_%d", i)
		switch notation {
		case "yaml":
			if i%5 == 4 {
				fmt.Fprintf(&b, "%s%s:\n%s  value: v%d\n", indent, name, indent, i)
			} else {
				fmt.Fprintf(&b, "%s%s: v%d\n", indent, name, i)
			}
		case "toml", "ini":
			fmt.Fprintf(&b, "%s%s = \"v%d\"\n", indent, name, i)
		case "json":
			if i%5 == 4 {
				fmt.Fprintf(&b, "%s\"%s\": {\n%s  \"value\": \"v%d\"\n%s},\n", indent, name, indent, i, indent)
			} else {
				fmt.Fprintf(&b, "%s\"%s\": \"v%d\",\n", indent, name, i)
			}
		case "hcl":
			if i%5 == 4 {
				fmt.Fprintf(&b, "%s%s {\n%s  value = \"v%d\"\n%s}\n", indent, name, indent, i, indent)
			} else {
				fmt.Fprintf(&b, "%s%s = \"v%d\"\n", indent, name, i)
			}
		}
	}
	return b.String()
}

// TestFarParentPath is qa28 M2: a bare secret's parents decide whose it is
// however far up they stand (1 KiB, 4 KiB, 64 KiB, 1 MiB of siblings and
// their blocks between), in YAML by indentation, in TOML and INI by the
// table or section, in JSON and HCL by their blocks' lines: aws:, ses:,
// s3: under aws:, [aws], [mail.ses] make it AWS's; stripe:, [stripe],
// "stripe": {, stripe { make it Stripe's whatever AWS words stand beside
// it. Before, the parents were looked for within 3,000 bytes above: past
// them an AWS parent was not seen (and in TOML and INI past a dozen lines
// of the section), and another system's parent left the value to the AWS
// words near it.
func TestFarParentPath(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for _, dist := range []int{1 << 10, 4 << 10, 64 << 10, 1 << 20} {
		s := fakekey.New(32001 + uint64(dist)).Secret()
		found := []struct{ file, text string }{
			{"config.yml", "aws:\n  region: us-east-1\n" + farPad("yaml", "  ", dist) + "  secret: " + s + "\n"},
			{"config.yml", "aws:\n" + farPad("yaml", "  ", dist) + "  secret_key: " + s + "\n"},
			{"mail.yml", "mail:\n  ses:\n" + farPad("yaml", "    ", dist) + "    secret_key: " + s + "\n"},
			{"storage.yml", "aws:\n  s3:\n" + farPad("yaml", "    ", dist) + "    secret: " + s + "\n"},
			{"app.yml", "app:\n  name: shop\n" + "aws:\n" + farPad("yaml", "  ", dist) + "  credentials:\n    secret: " + s + "\n"},
			{"config.toml", "[aws]\n" + farPad("toml", "", dist) + "secret_key = \"" + s + "\"\n"},
			{"config.toml", "[mail.ses]\n" + farPad("toml", "", dist) + "\nsecret = \"" + s + "\"\n"},
			{"app.ini", "[ses]\n" + farPad("ini", "", dist) + "secret_key = " + s + "\n"},
			{"config.json", "{\n  \"aws\": {\n" + farPad("json", "    ", dist) + "    \"secret\": \"" + s + "\"\n  }\n}\n"},
			{"config.json", "{\n  \"mail\": {\n    \"ses\": {\n" + farPad("json", "      ", dist) + "      \"secret_key\": \"" + s + "\"\n    }\n  }\n}\n"},
			{"mail.hcl", "mail {\n  ses {\n" + farPad("hcl", "    ", dist) + "    secret_key = \"" + s + "\"\n  }\n}\n"},
		}
		for _, tc := range found {
			if fs := sc.Scan(tc.file, []byte(tc.text)); !hasSecret(fs, s) {
				t.Errorf("%d bytes: %s %.80q…: %v, want the secret", dist, tc.file, tc.text, summarize(fs))
			}
		}
		quiet := []struct{ file, text string }{
			{"config.yml", "aws:\n  region: us-east-1\nstripe:\n" + farPad("yaml", "  ", dist) + "  aws_region: us-east-1\n  secret_key: " + s + "\n"},
			{"config.yml", "services:\n  stripe:\n" + farPad("yaml", "    ", dist) + "    s3_bucket: uploads\n    secret: " + s + "\n"},
			{"config.toml", "[stripe]\n" + farPad("toml", "", dist) + "aws_region = \"us-east-1\"\nsecret_key = \"" + s + "\"\n"},
			{"app.ini", "[sendgrid]\n" + farPad("ini", "", dist) + "aws_region = us-east-1\nsecret = " + s + "\n"},
			{"config.json", "{\n  \"stripe\": {\n" + farPad("json", "    ", dist) + "    \"aws_region\": \"us-east-1\",\n    \"secret_key\": \"" + s + "\"\n  }\n}\n"},
			{"app.hcl", "stripe {\n" + farPad("hcl", "  ", dist) + "  aws_region = \"us-east-1\"\n  secret_key = \"" + s + "\"\n}\n"},
		}
		for _, tc := range quiet {
			if fs := sc.Scan(tc.file, []byte(tc.text)); hasSecret(fs, s) {
				t.Errorf("%d bytes: %s %.80q…: %v, want no secret", dist, tc.file, tc.text, summarize(fs))
			}
		}
	}
}

// TestFarParentSiblings: the parent far above is the nearest line indented
// less, not any line named for a system: a sibling block's name (a stripe:
// inside aws:, an aws: inside stripe:) between the value and its parent is
// no parent of the value's.
func TestFarParentSiblings(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	s := fakekey.New(32101).Secret()
	pad := farPad("yaml", "  ", 8<<10)
	found := "aws:\n" + pad + "  stripe:\n    mode: live\n" + pad + "  secret: " + s + "\n"
	if fs := sc.Scan("config.yml", []byte(found)); !hasSecret(fs, s) {
		t.Errorf("aws: with a stripe: sibling block between: %v, want the secret", summarize(fs))
	}
	quiet := "stripe:\n" + pad + "  aws:\n    region: us-east-1\n" + pad + "  aws_bucket: x\n  secret: " + s + "\n"
	if fs := sc.Scan("config.yml", []byte(quiet)); hasSecret(fs, s) {
		t.Errorf("stripe: with an aws: sibling block between: %v, want no secret", summarize(fs))
	}
}

// BenchmarkFarParent scans, as the commands do, 16 MiB in which every
// secret's parent is far: one aws: over all of them (a secret every 200
// bytes, then every 4 KiB, then every 1 MiB), JSON's "aws": {, a TOML
// [aws] table, and stairs of indentation 400 lines deep under aws:, each
// followed by a secret that is aws:'s (the index's stack that deep). Each must cost about what the same bytes
// cost with the parent near (qa28 M2's index reads each line once).
func BenchmarkFarParent(b *testing.B) {
	const size = 16 << 20
	g := fakekey.New(32201)
	under := func(head, notation, indent, line string, every int) []byte {
		var t strings.Builder
		t.WriteString(head)
		for t.Len() < size {
			t.WriteString(farPad(notation, indent, every))
			t.WriteString(fmt.Sprintf(line, g.Secret()))
		}
		return []byte(t.String())
	}
	stair := func() []byte {
		var t strings.Builder
		t.WriteString("aws:\n")
		for t.Len() < size {
			for d := 1; d <= 400; d++ {
				fmt.Fprintf(&t, "%sk%d:\n", strings.Repeat(" ", d), d)
			}
			fmt.Fprintf(&t, " secret: %s\n", g.Secret())
		}
		return []byte(t.String())
	}
	for _, c := range []struct {
		name, file string
		data       []byte
	}{
		{"yaml200", "config.yml", under("aws:\n", "yaml", "  ", "  secret: %s\n", 200)},
		{"yaml4K", "config.yml", under("aws:\n", "yaml", "  ", "  secret: %s\n", 4<<10)},
		{"yaml1M", "config.yml", under("aws:\n", "yaml", "  ", "  secret: %s\n", 1<<20)},
		{"json4K", "config.json", under("{\n  \"aws\": {\n", "json", "    ", "    \"secret\": \"%s\",\n", 4<<10)},
		{"toml4K", "config.toml", under("[aws]\n", "toml", "", "secret_key = \"%s\"\n", 4<<10)},
		{"stair", "config.yml", stair()},
	} {
		b.Run(c.name, func(b *testing.B) { benchScanNamed(b, c.file, c.data) })
	}
}
