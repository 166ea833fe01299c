package scanner_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestB64DecodeDropsForeignBytes is qa18 M11: the literal of a Python
// b64decode( call cut into short pieces by bytes the call drops (dots,
// blanks, bangs, \n escapes between short lines) is read as the call
// reads it, once, at the literal; a literal whole enough for the anchors
// is theirs (one finding each, not two), and pieces that decode to no key
// give nothing. The other calls that drop such bytes (decodebytes,
// decodestring, binascii.a2b_base64) are read the same way.
func TestB64DecodeDropsForeignBytes(t *testing.T) {
	id, secret, enc, groups, s := b64Pieces(t, 1817)
	files := map[string]string{}
	for name, lit := range map[string]string{
		"dots.py":   groups(4, "."),
		"blanks.py": groups(4, " "),
		"bangs.py":  groups(4, "!"),
		"lines.py":  groups(20, `\n`),
		"whole.py":  enc,
		"mixed.py":  groups(8, "-_"),
	} {
		files[name] = "import base64\nCREDS = base64.b64decode(\"" + lit + "\")\n"
	}
	for name, call := range map[string]string{
		"bytes.py": "base64.decodebytes(b",
		"py2.py":   "base64.decodestring(",
		"ascii.py": "binascii.a2b_base64(",
		"url.py":   "base64.urlsafe_b64decode(",
	} {
		files[name] = "import base64, binascii\nCREDS = " + call + "\"" + groups(4, ".") + "\")\n"
	}
	foundOnceEach(t, s, id, secret, files)
	for _, text := range []string{
		"x = base64.b64decode(\"" + strings.Repeat("abcd.", 40) + "\")\n",
		"x = base64.b64decode(\"" + groups(4, ".")[:40] + "\")\n",
		"x = base64.b64decode(data.replace('.', ''))\n",
	} {
		if fs, c := s.ScanAllCounted("n.py", []byte(text), 0); len(fs) != 0 || c.Undecoded != 0 {
			t.Errorf("%q: %v, %d undecoded, want none", text, summarize(fs), c.Undecoded)
		}
	}
}

// TestShellBase64IgnoreGarbage is qa18 M11's shell half: the text a
// shell script's base64 -d (-i, --ignore-garbage, -di, macOS's -D) is
// given, cut into short pieces by bytes it drops (dots, blanks, bangs,
// short lines), is read as the command reads it: a literal, an echo's
// words, a here-string, a here-document, or a variable it names ("$B"),
// assigned elsewhere in the script; one finding each. A decoding line with
// no such text, or another command, gives nothing.
func TestShellBase64IgnoreGarbage(t *testing.T) {
	id, secret, enc, groups, s := b64Pieces(t, 25070)
	dots, blanks, bangs := groups(4, "."), groups(4, " "), groups(8, "!")
	foundOnceEach(t, s, id, secret, map[string]string{
		"dots.sh":     "echo \"" + dots + "\" | base64 -d -i > ~/.aws/credentials\n",
		"di.sh":       "echo '" + dots + "' | base64 -di >creds\n",
		"long.bash":   "printf %s \"" + bangs + "\" | base64 --decode --ignore-garbage > creds\n",
		"echo.sh":     "echo " + blanks + " | base64 -id > creds\n",
		"herestr.zsh": "base64 -d -i <<< \"" + bangs + "\" > creds\n",
		"heredoc.sh":  "base64 -d -i > creds <<'EOF'\n" + bangs + "\nEOF\necho done\n",
		"lines.sh":    "base64 --decode <<-EOF > creds\n\t" + groups(20, "\n\t") + "\n\tEOF\n",
		"mac.sh":      "echo \"" + dots + "\" | base64 -D -i - -o creds\n",
		"var.sh":      "B=\"" + dots + "\"\nmkdir -p ~/.aws\necho \"$B\" | base64 -d -i > ~/.aws/credentials\n",
		"braces.sh":   "export B='" + dots + "'\nbase64 -di <<< \"${B}\" > creds\n",
		"install":     "#!/bin/bash\necho \"" + dots + "\" | /usr/bin/base64 -d -i > creds\n",
		"whole.sh":    "echo \"" + enc + "\" | base64 -d > creds\n",
	})
	for _, text := range []string{
		"echo \"" + dots + "\" | base64 > out\n",
		"echo \"" + dots + "\" | base64url -d -i > out\n",
		"echo \"" + strings.Repeat("abcd.", 40) + "\" | base64 -d -i > out\n",
		"echo \"$UNSET\" | base64 -d -i > out\n",
		"base64 -d -i <<EOF\n" + strings.Repeat("ab.cd\n", 40),
	} {
		if fs, c := s.ScanAllCounted("n.sh", []byte(text), 0); len(fs) != 0 || c.Undecoded != 0 {
			t.Errorf("%q: %v, %d undecoded, want none", text, summarize(fs), c.Undecoded)
		}
	}
}

// FuzzShellBase64 reads any shell script around base64 -d: no panic,
// findings inside the input.
func FuzzShellBase64(f *testing.F) {
	fuzzBounds(f, "x.sh", 1, []byte("echo \"ab.cd\" | base64 -d -i\n"),
		[]byte("B='W2Rl.ZmF1'\nbase64 -di <<< \"${B}\" <<EOF\nab!cd\nEOF\n"),
		[]byte("echo $ | base64 -D <<-\"X\"\n\tQUtJ\n\tX"), []byte("base64 -d <<"), []byte("echo \"$\" | base64 -d"))
}

// b64Pieces returns a generated key ID and secret, the base64 of a
// credentials file holding them, a function that cuts that base64 into
// pieces of n characters joined by sep, and a scanner.
func b64Pieces(t *testing.T, seed uint64) (id, secret, enc string, groups func(n int, sep string) string, s *scanner.Scanner) {
	t.Helper()
	g := fakekey.New(seed)
	id, secret = g.KeyID("AKIA"), g.Secret()
	enc = base64.StdEncoding.EncodeToString([]byte("[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"))
	groups = func(n int, sep string) string {
		var parts []string
		for i := 0; i < len(enc); i += n {
			parts = append(parts, enc[i:min(len(enc), i+n)])
		}
		return strings.Join(parts, sep)
	}
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return id, secret, enc, groups, s
}

// foundOnceEach reports an error unless the scan of each file finds the
// key ID and the secret once each.
func foundOnceEach(t *testing.T, s *scanner.Scanner, id, secret string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		fs := s.Scan(name, []byte(text))
		n := map[string]int{}
		for _, f := range fs {
			n[f.Secret]++
		}
		if n[id] != 1 || n[secret] != 1 {
			t.Errorf("%s: %v, want the key ID and its secret once each", name, summarize(fs))
		}
	}
}
