package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestGitBundleEveryCommand is qa12 HIGH-6: a git bundle holding a
// committed key (two versions of the file: the key is in the first, the
// second a delta of it) was an opaque binary to every command. scan,
// staged, history of a repository that commits it and the pre-receive gate
// now read its objects and find the key under the file's path in the
// bundle; history of the bundle file itself names scan and exits 2.
func TestGitBundleEveryCommand(t *testing.T) {
	g := fakekey.New(6606)
	src := newCommittedRepo(t)
	creds := fakeCredsFile(g)
	pad := strings.Repeat("# a comment line that stays the same in every version\n", 40)
	writeRepoFile(t, src, "conf/app.ini", pad+creds)
	gitOK(t, src, "add", "conf/app.ini")
	gitOK(t, src, "commit", "-q", "--no-verify", "-m", "add the config")
	writeRepoFile(t, src, "conf/app.ini", pad+"[default]\nregion = eu-west-1\n")
	gitOK(t, src, "commit", "-q", "--no-verify", "-am", "drop the key")
	dir := t.TempDir()
	bundle := filepath.Join(dir, "backup.bundle")
	gitOK(t, src, "bundle", "create", "-q", bundle, "--all")
	data, err := os.ReadFile(bundle)
	if err != nil {
		t.Fatal(err)
	}
	const where = "backup.bundle!conf/app.ini"

	if r := keyscanIn(t, dir, "scan", "--strict", "."); r.code != 1 || !strings.Contains(r.stdout, where) {
		t.Errorf("scan --strict: exit %d, want 1 and %s\n%s%s", r.code, where, r.stdout, r.stderr)
	}
	if r := keyscanIn(t, dir, "history", "backup.bundle"); r.code != exitError || !strings.Contains(r.stderr, "is a git bundle") || !strings.Contains(r.stderr, "keyscan scan backup.bundle") {
		t.Errorf("history backup.bundle: exit %d, want 2 naming scan\n%s%s", r.code, r.stdout, r.stderr)
	}

	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "backup.bundle", string(data))
	gitOK(t, repo, "add", "backup.bundle")
	if r := keyscanIn(t, repo, "staged"); r.code != 1 || !strings.Contains(r.stdout+r.stderr, where) {
		t.Errorf("staged: exit %d, want 1 and %s\n%s%s", r.code, where, r.stdout, r.stderr)
	}
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "backup")
	if r := keyscanIn(t, repo, "history", "--strict", "."); r.code != 1 || !strings.Contains(r.stdout, where) {
		t.Errorf("history --strict: exit %d, want 1 and %s\n%s%s", r.code, where, r.stdout, r.stderr)
	}

	s := newServer(t)
	s.commit("backup.bundle", string(data), "add a backup")
	s.mustRefuse([]string{where}, "origin", "main")
}
