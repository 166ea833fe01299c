package staged

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
)

// TestBadHeadIsQuotedShortAndRedacted: a HEAD that is no ref and no ID
// (qa11 LOW-2) is an error that quotes a short prefix of it with every
// word-like run cut, never the file whole: it may hold a secret or a
// megabyte. A HEAD that is a link outside the git folder is not followed;
// a link to refs/… (core.preferSymlinkRefs) names that branch, as in git.
func TestBadHeadIsQuotedShortAndRedacted(t *testing.T) {
	g := fakekey.New(112)
	secret := g.Secret()
	dir := newRepo(t)
	write(t, dir, "a", "a\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-qm", "one")
	head := filepath.Join(dir, ".git", "HEAD")
	bad := "aws_secret_access_key=" + secret + "\n" + strings.Repeat("x", 200000)
	if err := os.WriteFile(head, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Scan(context.Background(), dir, fixture.Scanner(t), Options{})
	t.Logf("bad HEAD: %v", err)
	if err == nil || len(err.Error()) > 200 || strings.Contains(err.Error(), secret[:8]) || strings.Contains(err.Error(), "xxxxxx") {
		t.Errorf("bad HEAD: error %q, want a short, redacted quote", err)
	}

	outside := filepath.Join(t.TempDir(), "other")
	write(t, filepath.Dir(outside), "other", "aws_secret_access_key="+secret+"\n")
	os.Remove(head)
	if err := os.Symlink(outside, head); err != nil {
		t.Fatal(err)
	}
	_, err = Scan(context.Background(), dir, fixture.Scanner(t), Options{})
	if err == nil || !strings.Contains(err.Error(), "not followed") || strings.Contains(err.Error(), secret[:8]) {
		t.Errorf("HEAD linked outside: error %v, want not followed", err)
	}

	os.Remove(head)
	branch := "refs/heads/main"
	if err := os.Symlink(branch, head); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "b", creds(g.KeyID("AKIA"), g.Secret()))
	git(t, dir, "add", "b")
	if got := files(scan(t, dir, Options{})); len(got) != 1 || got[0] != "added b" {
		t.Errorf("HEAD linked to %s: findings in %v, want b only", branch, got)
	}
}
