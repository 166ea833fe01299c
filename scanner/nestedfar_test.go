package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// prose is n bytes or more of a description's lines, each behind indent.
func prose(n int, indent string) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(indent + "The deploy user signs every upload with this key; rotate it yearly and keep it out of logs.\n")
	}
	return b.String()
}

// TestNestedValueFarBelow is hide32: a value nested under the keyword
// that names it, more than 600 bytes below it because a sibling field is a
// long block scalar (a CloudFormation parameter's Description: >- or |, a
// map's description: |, comments), was missed: the window after a keyword
// reads 600 bytes, and a value's name is looked for 400 bytes above it.
// The value is found when the keyword opens the block and the value's
// field (Default, value, DefaultValue) is its direct child, with up to
// eleven sibling fields between, up to 16 KiB below.
func TestNestedValueFarBelow(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 4; seed++ {
		g := fakekey.New(3210 + seed)
		secret := g.Secret()
		for what, text := range map[string]string{
			"cfn folded": "Parameters:\n  AwsSecretAccessKey:\n    Type: String\n    NoEcho: true\n    Description: >-\n" + prose(900, "      ") +
				"    Default: " + secret + "\n  Env:\n    Type: String\n",
			"cfn literal, far":   "Parameters:\n  AWSSecretAccessKey:\n    Description: |\n" + prose(12000, "      ") + "\n    Type: String\n    Default: '" + secret + "'\n",
			"yaml map":           "aws_secret_access_key:\n  description: |\n" + prose(2000, "    ") + "  # set by the platform team\n  value: \"" + secret + "\"\n",
			"nested map between": "AwsSecretAccessKey:\n  Type: String\n  Metadata:\n    Owner: platform\n    Notes: |\n" + prose(1500, "      ") + "  Default: " + secret + "\n",
			"DefaultValue":       "  aws_secret_access_key:\n    Type: String\n    Description: >\n" + prose(800, "      ") + "    DefaultValue: " + secret + "\n",
		} {
			if fs := sc.Scan("template.yaml", []byte(text)); !hasSecret(fs, secret) {
				t.Errorf("seed %d %s: %v, want the secret", seed, what, summarize(fs))
			}
		}
		for what, text := range map[string]string{
			"other name":      "Parameters:\n  DbPassword:\n    Type: String\n    Description: >-\n" + prose(900, "      ") + "    Default: " + secret + "\n",
			"under a child":   "AwsSecretAccessKey:\n  Type: String\n  Metadata:\n    Description: >-\n" + prose(900, "      ") + "    Default: " + secret + "\n",
			"a list between":  "AwsSecretAccessKey:\n  Type: String\n  - not a field\n  Description: >-\n" + prose(900, "    ") + "  Default: " + secret + "\n",
			"past 16 KiB":     "AwsSecretAccessKey:\n  Description: |\n" + prose(17000, "    ") + "  Default: " + secret + "\n",
			"not its key":     "Parameters:\n  AwsSecretAccessKey: !Ref Other\n  Other:\n    Description: >-\n" + prose(900, "      ") + "    Default: " + secret + "\n",
			"twelve siblings": "AwsSecretAccessKey:\n" + strings.Repeat("  Field: x\n", 12) + "  Description: >-\n" + prose(900, "    ") + "  Default: " + secret + "\n",
			"example":         "Parameters:\n  AwsSecretAccessKey:\n    Description: >-\n" + prose(900, "      ") + "    Default: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
		} {
			if fs := sc.Scan("template.yaml", []byte(text)); len(fs) != 0 {
				t.Errorf("seed %d %s: %v, want nothing", seed, what, summarize(fs))
			}
		}
	}
}

// BenchmarkNestedBlocks: names that open blocks nested in each other
// (each walks its block to its end: a triangle of 200 nested keywords,
// repeated to 2 MiB), and values under names indented less and less (each
// walks up over the lines above it): the walks read at most four times
// the input (nestedAllowance), so these cost a few passes.
func BenchmarkNestedBlocks(b *testing.B) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	g := fakekey.New(3220)
	var tri, rev strings.Builder
	for tri.Len() < 2<<20 {
		for i := 0; i < 200; i++ {
			tri.WriteString(strings.Repeat(" ", i) + "aws_secret_access_key:\n")
		}
	}
	for rev.Len() < 2<<20 {
		for i := 200; i > 0; i-- {
			rev.WriteString(strings.Repeat(" ", i) + "value: " + g.Secret() + "\n")
		}
		rev.WriteString("aws_secret_access_key:\n")
	}
	for what, text := range map[string]string{"nested-names": tri.String(), "values-under-shallower": rev.String()} {
		b.Run(what, func(b *testing.B) {
			data := []byte(text)
			b.SetBytes(int64(len(data)))
			cpu := cpuTime()
			for b.Loop() {
				sc.Scan("t.yaml", data)
			}
			reportCPU(b, cpu, len(data))
		})
	}
}
