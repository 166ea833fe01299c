package scanner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestShellWords is qa16 HIGH-8: one shell word of bare and quoted parts
// ('…', "…", $'…', a backslash escape) is one value, in a script, a
// dotenv file and a Dockerfile's ENV; a batch file's line that ends with ^
// goes on at the next, and ^ before a character is dropped. Separate
// words, a part that expands a variable, and the same bytes in a file that
// is no shell's are not joined.
func TestShellWords(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 6; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		a, b, c, d := id[:8], id[8:], secret[:20], secret[20:]
		x41 := fmt.Sprintf(`$'\x%02x'`, id[0])
		for _, tc := range []struct{ file, text string }{
			{"deploy.sh", "export AWS_ACCESS_KEY_ID=" + a + `"` + b + "\"\nexport AWS_SECRET_ACCESS_KEY=" + c + "'" + d + "'\n"},
			{"deploy.bash", `export AWS_ACCESS_KEY_ID="` + a + `"` + b + "\nexport AWS_SECRET_ACCESS_KEY=\"" + c + `"` + d + "\n"},
			{"run.zsh", `AWS_ACCESS_KEY_ID="` + id[:4] + `"'` + id[4:10] + `'` + id[10:] + " aws s3 ls; AWS_SECRET_ACCESS_KEY=" + c + `""` + d + "\n"},
			{"ansi.sh", "export AWS_ACCESS_KEY_ID=" + x41 + id[1:] + "\nexport AWS_SECRET_ACCESS_KEY=" + c + `\` + d + "\n"},
			{".env", "AWS_ACCESS_KEY_ID=" + a + `"` + b + "\"\nAWS_SECRET_ACCESS_KEY=" + c + `"` + d + "\"\n"},
			{"config/.env.production", "AWS_ACCESS_KEY_ID=" + a + "'" + b + "'\nAWS_SECRET_ACCESS_KEY='" + c + "'" + d + "\n"},
			{"Dockerfile", "FROM alpine\nENV AWS_ACCESS_KEY_ID=" + a + `"` + b + "\" \\\n    AWS_SECRET_ACCESS_KEY=" + c + `"` + d + "\"\n"},
			{"build/Dockerfile.prod", "FROM alpine\nENV AWS_ACCESS_KEY_ID " + a + `"` + b + "\"\nENV AWS_SECRET_ACCESS_KEY " + c + `"` + d + "\"\n"},
			{"deploy.bat", "@echo off\r\nset AWS_ACCESS_KEY_ID=" + a + "^\r\n" + b + "\r\nset AWS_SECRET_ACCESS_KEY=" + c + "^\r\n" + d + "\r\naws s3 ls\r\n"},
			// a backslash at a line's end goes on with the word at the next
			{"cont.sh", "export AWS_ACCESS_KEY_ID=\"" + a + "\"\\\n\"" + b + "\"\nexport AWS_SECRET_ACCESS_KEY='" + c + "'\\\r\n" + d + " && aws s3 ls\n"},
			{"cont.bash", "aws configure set aws_access_key_id \"" + a + "\\\n" + b + "\" && \\\n  aws configure set aws_secret_access_key " + c[:5] + "\\\n" + c[5:] + "\\\n\"" + d + "\"\n"},
			{"deploy.cmd", "set AWS_ACCESS_KEY_ID=" + a + "^" + b + "\nset \"AWS_SECRET_ACCESS_KEY=" + c[:10] + "^\n" + c[10:] + "^\n" + d + "\"\n"},
		} {
			fs := sc.Scan(tc.file, []byte(tc.text))
			if !hasSecret(fs, id) || !hasSecret(fs, secret) {
				t.Errorf("seed %d: %s %q: %v, want both keys", seed, tc.file, tc.text, summarize(fs))
			}
		}
		for _, tc := range []struct{ file, text string }{
			{"a.sh", "export AWS_ACCESS_KEY_ID=" + a + `"$SUFFIX"` + "\nexport AWS_SECRET_ACCESS_KEY=" + c + "${REST}\n"},
			{"a.sh", "aws_access_key_id=" + a + " " + b + "\naws_secret_access_key=" + c + ` \ ` + d + "\n"},
			{"a.sh", "# AWS_SECRET_ACCESS_KEY=" + c + "'" + d + "\n"},
			{"a.sh", "export AWS_SECRET_ACCESS_KEY=" + c + " \\\n  " + d + "\nexport AWS_SECRET_ACCESS_KEY=" + c + "\\\\\n" + d + "\n"},
			{"a.sh", "# AWS_SECRET_ACCESS_KEY=\"" + c + "\"\\\n\"" + d + "\"\n"},
			{"a.bat", "set AWS_SECRET_ACCESS_KEY=" + c + "\r\n^" + d + "\r\n"},
			{"notes.txt", "AWS_ACCESS_KEY_ID=" + a + `"` + b + "\"\nAWS_SECRET_ACCESS_KEY=" + c + "^\n" + d + "\n"},
		} {
			if fs := sc.Scan(tc.file, []byte(tc.text)); hasSecret(fs, id) || hasSecret(fs, secret) {
				t.Errorf("seed %d: %s %q: %v, want no key", seed, tc.file, tc.text, summarize(fs))
			}
		}
	}
}

// TestShellWordsLongLines: a script of long lines of quoted words, keys
// among them, is read line by line in bounded pieces: each key is found
// once, wherever it falls.
func TestShellWordsLongLines(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(99)
	var b strings.Builder
	var ids []string
	for i := range 300 {
		b.WriteString(`echo "aws secret" 'x'"y"z ` + strings.Repeat(`a"b"c `, i%50) + "\n")
		if i%30 == 7 {
			id := g.KeyID("AKIA")
			ids = append(ids, id)
			b.WriteString("export AWS_ACCESS_KEY_ID=" + id[:9] + `'` + id[9:] + "'\n")
		}
	}
	fs := sc.Scan("long.sh", []byte(b.String()))
	for _, id := range ids {
		n := 0
		for _, f := range fs {
			if f.Secret == id {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s found %d times: %v", id, n, summarize(fs))
		}
	}
}
