package scanner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// quotedChars writes s as a list of one-character literals in quote q.
func quotedChars(s, q, sep string) string {
	items := make([]string, len(s))
	for i := range s {
		items[i] = q + s[i:i+1] + q
	}
	return strings.Join(items, sep)
}

// TestQuotedKeyIDList is qa22 M2: a key ID written as a list of quoted
// characters beside its own name, with no secret near, was missed (found
// only when its pair's secret was a list too, whose keyword opened the
// list readers' windows). It is found in each language's form; a bare
// list with no name of a key ID on its line or the line above, a list of
// AWS's example ID, and a name over a list of a prefix alone give
// nothing. (A list joined into a string needs no name: TestJoinedKeyIDList.)
func TestQuotedKeyIDList(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(2934)
	for _, prefix := range []string{"AKIA", "ASIA"} {
		id := g.KeyID(prefix)
		for _, tc := range []struct{ file, text string }{
			{"a.py", "aws_access_key_id = ''.join([" + quotedChars(id, "'", ", ") + "])\n"},
			{"b.py", "AWS_ACCESS_KEY_ID = \"\".join([\n    " + quotedChars(id, "\"", ",\n    ") + ",\n])\n"},
			{"c.js", "const accessKeyId = [" + quotedChars(id, "\"", ",") + "].join('');\n"},
			{"D.java", "String accessKeyId =\n    new String(new char[] {" + quotedChars(id, "'", ", ") + "});\n"},
			{"e.go", "var keyID = string([]byte{" + quotedChars(id, "'", ", ") + "})\n"},
			{"f.rb", "access_key = [" + quotedChars(id, "'", ", ") + "].join\n"},
		} {
			fs := sc.Scan(tc.file, []byte(tc.text))
			if len(fs) != 1 || fs[0].Secret != id || fs[0].Encoding != "char-list" {
				t.Errorf("%s %s: %v, want the key ID (char-list)", prefix, tc.file, summarize(fs))
			}
		}
		for _, tc := range []struct{ file, text string }{
			{"q3.py", "aws_access_key_id = ''.join([" + quotedChars("AKIAIOSFODNN7EXAMPLE", "'", ", ") + "])\n"},
			{"q4.py", "aws_access_key_id_prefix = [" + quotedChars(prefix, "'", ", ") + "]\n"},
			{"q5.py", "# access key ID\n\nletters = [" + quotedChars(id, "'", ", ") + "]\n"},
			{"q6.py", "aws_access_key_id = [" + quotedChars(id[:12], "'", ", ") + "]\n"},
		} {
			if fs := sc.Scan(tc.file, []byte(tc.text)); len(fs) != 0 {
				t.Errorf("%s %s: %v, want nothing", prefix, tc.file, summarize(fs))
			}
		}
	}
}

// BenchmarkQuotedKeyIDList: qa22 M2's near misses repeated to 16 MiB, a
// key ID's name over a list of its prefix alone, of its prefix and
// lower-case letters, of AWS's example ID (decoded, never reported) on
// every line.
func BenchmarkQuotedKeyIDList(b *testing.B) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, unit := range []string{
		"aws_access_key_id = ['A', 'K', 'I', 'A']\n",
		"aws_access_key_id = ['A', 'K', 'I', 'A', 'x', 'y', 'z', 'w', 'q', 'r', 's', 't', 'u', 'v', 'o', 'p', 'n', 'm', 'l', 'k'] # " + strings.Repeat("AKIA ", 4) + "\n",
		"aws_access_key_id = [" + quotedChars("AKIAIOSFODNN7EXAMPLE", "'", ", ") + "]\n",
	} {
		data := []byte(strings.Repeat(unit, (16<<20)/len(unit)))
		b.Run(fmt.Sprint(len(unit)), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				sc.ScanAll("k.py", data)
			}
			reportCPU(b, cpu, len(data))
		})
	}
}

// TestJoinedKeyIDList is interp35's (5): a key ID written as a whole list
// of quoted characters joined into a string, with no name and no blank
// between the items (minified JavaScript), far from any keyword, was
// missed. Each seed's ID is found in each form, blanks or none; lists that
// make no string, are joined with a delimiter, hold more than the key ID
// or spell no key ID stay silent.
func TestJoinedKeyIDList(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	const far = "function f(n){return n+1}var z=f(2);\n"
	for seed := uint64(1); seed <= 8; seed++ {
		g := fakekey.New(seed)
		for _, prefix := range []string{"AKIA", "ASIA"} {
			id := g.KeyID(prefix)
			for _, sep := range []string{",", ", ", ",\n  "} {
				for _, tc := range []struct{ file, text string }{
					{"a.min.js", far + "var a=[" + quotedChars(id, "'", sep) + "].join('');var b=f(a);"},
					{"b.min.js", far + "x.k=[" + quotedChars(id, "\"", sep) + "].join(\"\"),x.r=1;"},
					{"c.py", "import os\n\nv = ''.join([" + quotedChars(id, "'", sep) + "])\n"},
					{"d.py", "print(\"\".join((" + quotedChars(id, "\"", sep) + ",)))\n"},
					{"e.rb", "v = [" + quotedChars(id, "'", sep) + "].join\n"},
					{"F.java", "String v = new String(new char[]{" + quotedChars(id, "'", sep) + "});\n"},
					{"g.go", "var v = string([]byte{" + quotedChars(id, "'", sep) + "})\n"},
				} {
					fs := sc.Scan(tc.file, []byte(tc.text))
					if len(fs) != 1 || fs[0].Secret != id || fs[0].Encoding != "char-list" {
						t.Errorf("seed %d %s sep %q: %v, want the key ID (char-list)\n%s", seed, tc.file, sep, summarize(fs), tc.text)
					}
				}
			}
			other := g.KeyID(prefix)
			for _, tc := range []struct{ file, text string }{
				{"q1.py", "letters = [" + quotedChars(id, "'", ",") + "]\n"},
				{"q2.py", "v = ','.join([" + quotedChars(id, "'", ",") + "])\n"},
				{"q3.js", far + "var a=[" + quotedChars(id, "'", ",") + "].join();"},
				{"q4.js", far + "var a=[" + quotedChars(id, "'", ",") + "].join(',');"},
				{"q5.js", far + "var a=['x'," + quotedChars(id, "'", ",") + "].join('');"},
				{"q6.js", far + "var a=[" + quotedChars(id, "'", ",") + ",'x'].join('');"},
				{"q7.js", far + "var a=[" + quotedChars(id, "'", ",") + ",f(1)].join('');"},
				{"q8.py", "v = ''.join([" + quotedChars("AKIAIOSFODNN7EXAMPLE", "'", ",") + "])\n"},
				{"q9.py", "v = ''.join([" + quotedChars(id[:19], "'", ",") + "])\n"},
				{"q10.py", "v = ''.join([" + quotedChars(strings.ToLower(id), "'", ",") + "])\n"},
				{"q11.js", far + "var a=[" + quotedChars(id, "'", ",") + "],b=[" + quotedChars(other, "'", ",") + "];"},
				{"q12.py", "v = ''.join(f([" + quotedChars(id, "'", ",") + "]))\n"},
			} {
				if fs := sc.Scan(tc.file, []byte(tc.text)); len(fs) != 0 {
					t.Errorf("seed %d %s: %v, want nothing\n%s", seed, tc.file, summarize(fs), tc.text)
				}
			}
		}
	}
}
