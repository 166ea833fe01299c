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
// list readers' windows). It is found in each language's form; a list
// with no name of a key ID on its line or the line above, a list of
// AWS's example ID, and a name over a list of a prefix alone give
// nothing.
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
			{"q1.py", "x = ''.join([" + quotedChars(id, "'", ", ") + "])\n"},
			{"q2.py", "print(''.join([" + quotedChars(id, "'", ", ") + "]))\n"},
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
