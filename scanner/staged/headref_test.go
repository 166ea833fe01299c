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

// TestReftableIsRefused: in a repository whose refs are reftables
// (extensions.refStorage = reftable, as git >= 2.45 `init
// --ref-format=reftable` writes; qa11 LOW-10) HEAD cannot be read, and a
// staged scan that took the commit for the first would report every key
// already committed: it is an error that names the extension, as in
// keyscan history.
func TestReftableIsRefused(t *testing.T) {
	g := fakekey.New(113)
	dir := newRepo(t)
	write(t, dir, "old.ini", creds(g.KeyID("AKIA"), g.Secret()))
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-qm", "old")
	write(t, dir, "new.txt", "x\n")
	git(t, dir, "add", "new.txt")
	git(t, dir, "config", "core.repositoryformatversion", "1")
	git(t, dir, "config", "extensions.refStorage", "reftable")
	if err := os.MkdirAll(filepath.Join(dir, ".git", "reftable"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, ".git", "refs", "heads", "main")); err != nil {
		t.Fatal(err)
	}
	write(t, dir, ".git/HEAD", "ref: refs/heads/.invalid\n")
	_, err := Scan(context.Background(), dir, fixture.Scanner(t), Options{})
	if err == nil || !strings.Contains(err.Error(), "refstorage = reftable") {
		t.Errorf("reftable: error %v, want one naming refstorage = reftable", err)
	}
	git(t, dir, "config", "-f", filepath.Join(dir, ".git", "config"), "--unset", "extensions.refStorage")
	_, err = Scan(context.Background(), dir, fixture.Scanner(t), Options{})
	if err == nil || !strings.Contains(err.Error(), "reftable") {
		t.Errorf("reftable stub without the extension: error %v, want one naming reftable", err)
	}
}

// TestBrokenHeadRefs (qa38 hist): the current branch's ref file empty (a
// crash's leftover: git cannot commit on it) and HEAD in a symbolic ref
// loop are errors that say so, never a hang nor a scan of nothing.
func TestBrokenHeadRefs(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "a", "a\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-qm", "one")
	branch := strings.TrimSpace(git(t, dir, "symbolic-ref", "HEAD"))
	if err := os.WriteFile(filepath.Join(dir, ".git", filepath.FromSlash(branch)), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Scan(context.Background(), dir, fixture.Scanner(t), Options{})
	if err == nil || !strings.Contains(err.Error(), "ref "+branch+": its file is empty") {
		t.Errorf("empty branch ref: %v, want it said", err)
	}
	for _, f := range []string{"HEAD", "refs/heads/loop"} {
		if err := os.WriteFile(filepath.Join(dir, ".git", filepath.FromSlash(f)), []byte("ref: refs/heads/loop\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err = Scan(context.Background(), dir, fixture.Scanner(t), Options{})
	if err == nil || !strings.Contains(err.Error(), "too many levels of symbolic refs (a loop") {
		t.Errorf("HEAD loop: %v, want it said", err)
	}
}
