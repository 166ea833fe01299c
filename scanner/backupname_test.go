package scanner_test

import (
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestBackupCopiesReadAsOriginals: a notation keyed by the file's kind is
// decided by the name before a backup copy's suffix: deploy.sh.bak is read
// as shell words, page.html~ as a page, notes.rtf.orig as RTF (qa16
// closing note: a backup copy's keys were missed). A text file's copy is
// read as text still.
func TestBackupCopiesReadAsOriginals(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 4; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		a, b, c, d := id[:8], id[8:], secret[:20], secret[20:]
		shell := "export AWS_ACCESS_KEY_ID=" + a + `"` + b + "\"\nexport AWS_SECRET_ACCESS_KEY=" + c + "'" + d + "'\n"
		page := "<p>aws_access_key_id: " + id[:2] + "<!-- -->" + id[2:] + "</p>\n<p>aws_secret_access_key: " + c + "<span></span>" + d + "</p>\n"
		rtf := rtfHead + `Access key ID: ` + a + "\r\n" + b + `\par Secret access key: ` + c + "\r\n" + d + `\par}` + "\r\n"
		for _, tc := range []struct{ file, text string }{
			{"deploy.sh.bak", shell}, {"deploy.sh~", shell}, {"deploy.SH.ORIG", shell}, {".env.old", shell},
			{"Dockerfile.bak", "FROM alpine\nENV AWS_ACCESS_KEY_ID=" + a + `"` + b + "\"\nENV AWS_SECRET_ACCESS_KEY=" + c + `"` + d + "\"\n"},
			{"page.html~", page}, {"README.md.bak", page}, {"docs/page.htm.orig.bak", page},
			{"notes.rtf.orig", rtf}, {"notes.rtf~", rtf},
		} {
			fs := sc.Scan(tc.file, []byte(tc.text))
			if !hasSecret(fs, id) || !hasSecret(fs, secret) {
				t.Errorf("seed %d: %s: %v, want both keys", seed, tc.file, summarize(fs))
			}
		}
		for _, tc := range []struct{ file, text string }{
			{"notes.txt.bak", shell}, {"notes.txt~", page}, {".bak", shell},
		} {
			if fs := sc.Scan(tc.file, []byte(tc.text)); hasSecret(fs, id) || hasSecret(fs, secret) {
				t.Errorf("seed %d: %s: %v, want no key", seed, tc.file, summarize(fs))
			}
		}
	}
}
