package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestZipUnlistedKeys is qa10 HIGH-1: a deflated credentials file that only
// its local header names (left out of the central directory), and one in a
// zip concatenated before a clean zip, were "no credentials found", exit 0
// even with --strict, and pre-receive accepted the push, while jar x and
// funzip extract them. scan, staged, history and pre-receive read them now,
// named by the local header, with a warning that the directory does not
// list them.
func TestZipUnlistedKeys(t *testing.T) {
	creds := []byte(fakeCredsFile(fakekey.New(7201)))
	hidden := archivetest.ZipUnlist(t, archivetest.Zip(t, archivetest.F("hidden/credentials", creds),
		archivetest.F("readme.txt", []byte(strings.Repeat("hello\n", 100)))), "hidden/credentials")
	concat := append(archivetest.Zip(t, archivetest.F("credentials", []byte(fakeCredsFile(fakekey.New(7202))))),
		archivetest.Zip(t, archivetest.F("a.txt", []byte(strings.Repeat("x", 1000))))...)
	dir := t.TempDir()
	for name, data := range map[string][]byte{"hidden_local.zip": hidden, "concat2.zip": concat} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := keyscanIn(t, dir, "scan", "--strict", "hidden_local.zip", "concat2.zip")
	if r.code != exitFindings || !strings.Contains(r.stdout, "hidden_local.zip!hidden/credentials") || !strings.Contains(r.stdout, "concat2.zip!credentials") ||
		!strings.Contains(r.stderr, "hidden_local.zip!hidden/credentials: member not in the zip's central directory") {
		t.Errorf("scan --strict: exit %d, want 1 with both hidden members and the warning\n%s%s", r.code, r.stdout, r.stderr)
	}

	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "dist/hidden_local.zip", string(hidden))
	gitOK(t, repo, "add", "dist/hidden_local.zip")
	if r := keyscanIn(t, repo, "staged"); r.code != exitFindings || !strings.Contains(r.stdout, "dist/hidden_local.zip!hidden/credentials") {
		t.Errorf("staged: exit %d, want 1 and the key\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "dist")
	if r := keyscanIn(t, repo, "history", "."); r.code != exitFindings || !strings.Contains(r.stdout, "dist/hidden_local.zip!hidden/credentials") {
		t.Errorf("history: exit %d, want 1 and the key\n%s%s", r.code, r.stdout, r.stderr)
	}

	s := newServer(t)
	s.commit("dist/concat2.zip", string(concat), "add a zip")
	s.mustRefuse([]string{"dist/concat2.zip!credentials"}, "origin", "main")
}
