package staged

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// A commit that changes only the line endings (CRLF to LF and back, as
// git add --renormalize does) or the whitespace of lines that hold a key
// HEAD already holds adds no key, and is not refused (qa25 L2); a key that
// the change makes, or a key on a line it adds, still is.
func TestWhitespaceOnlyChangeAddsNothing(t *testing.T) {
	g := fakekey.New(25)
	id, secret, id2 := g.KeyID("AKIA"), g.Secret(), g.KeyID("AKIA")
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	env := "# deploy settings\nAWS_REGION=us-east-1\nAWS_ACCESS_KEY_ID=" + id + "\nAWS_SECRET_ACCESS_KEY=" + secret + "\nLOG_LEVEL=info\n"
	for _, tc := range []struct {
		name, head, staged string
		want               []string
	}{
		{name: "lf to crlf", head: env, staged: crlf(env)},
		{name: "crlf to lf", head: crlf(env), staged: env},
		{name: "crlf to lf, no final newline", head: crlf(env), staged: strings.TrimSuffix(env, "\n")},
		{name: "spaces around the equals sign, trailing blanks, indentation",
			head:   env,
			staged: "# deploy settings\nAWS_REGION=us-east-1\n  AWS_ACCESS_KEY_ID = " + id + "  \n\tAWS_SECRET_ACCESS_KEY = " + secret + "\t\nLOG_LEVEL=info\n"},
		{name: "yaml indentation", head: "aws:\n  access_key_id: " + id + "\n  secret_access_key: " + secret + "\n",
			staged: "aws:\n    access_key_id: " + id + "\n    secret_access_key: " + secret + "\n"},
		{name: "crlf and a new key on a line of its own", head: env,
			staged: crlf(env) + "AWS_ACCESS_KEY_ID_PROD=" + id2 + "\r\n",
			want:   []string{"app.env:6 access_key_id"}},
		{name: "crlf and the same key copied to a new line", head: env,
			staged: crlf(env) + "BACKUP_AWS_ACCESS_KEY_ID=" + id + "\r\n",
			want:   []string{"app.env:6 access_key_id"}},
		{name: "a blank removed joins a key", head: "AWS_REGION=us-east-1\nAWS_ACCESS_KEY_ID=" + id[:10] + " " + id[10:] + "\n",
			staged: "AWS_REGION=us-east-1\nAWS_ACCESS_KEY_ID=" + id + "\n",
			want:   []string{"app.env:2 access_key_id"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := newRepo(t)
			git(t, dir, "config", "core.autocrlf", "false")
			name := "app.env"
			if strings.HasPrefix(tc.head, "aws:") {
				name = "app.yaml"
			}
			write(t, dir, name, tc.head)
			git(t, dir, "add", ".")
			git(t, dir, "commit", "-q", "--no-verify", "-m", "head")
			write(t, dir, name, tc.staged)
			git(t, dir, "add", ".")
			res := scan(t, dir, Options{})
			if diff := cmp.Diff(tc.want, where(res.Findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
