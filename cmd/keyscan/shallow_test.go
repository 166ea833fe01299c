package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestHistoryShallowStrict: a shallow clone's history behind its boundary
// was not read, so --strict exits 2 and the summary says so, for a clone
// made with --depth and for a forged shallow file alike (qa9 HIGH-1: one
// commit scanned, "no credentials found", exit 0).
func TestHistoryShallowStrict(t *testing.T) {
	dir, _ := keyInOldCommit(t, 9611)
	writeRepoFile(t, dir, "later.txt", "later\n")
	gitOK(t, dir, "add", "later.txt")
	gitOK(t, dir, "commit", "-q", "-m", "later")
	if r := keyscanIn(t, dir, "history", "--strict", "."); r.code != 1 {
		t.Fatalf("full clone: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	shallow := filepath.Join(t.TempDir(), "shallow")
	gitOK(t, dir, "clone", "-q", "--depth", "1", "file://"+dir, shallow)
	forged := filepath.Join(t.TempDir(), "forged")
	gitOK(t, dir, "clone", "-q", dir, forged)
	head := gitOK(t, forged, "rev-parse", "HEAD")
	if err := os.WriteFile(filepath.Join(forged, ".git", "shallow"), []byte(head), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, repo := range []string{shallow, forged} {
		r := keyscanIn(t, repo, "history", ".")
		if r.code != 0 || !strings.Contains(r.stderr, "shallow clone: the history behind 1 boundary commit was not read") {
			t.Errorf("%s: exit %d, want 0 with the summary naming the shallow boundary\n%s", repo, r.code, r.stderr)
		}
		r = keyscanIn(t, repo, "history", "--strict", ".")
		if r.code != 2 || !strings.Contains(r.stderr, "strict: 1 shallow boundary commit") {
			t.Errorf("%s --strict: exit %d, want 2\n%s", repo, r.code, r.stderr)
		}
	}
}

// TestPreReceiveShallowServer: a gate whose own repository is shallow
// cannot tell what a push builds on from what it adds: it refuses.
func TestPreReceiveShallowServer(t *testing.T) {
	s := newServer(t)
	s.commit("one.txt", "1\n", "one")
	s.mustPush("origin", "main")
	head := strings.TrimSpace(gitOK(t, s.bare, "rev-parse", "main"))
	if err := os.WriteFile(filepath.Join(s.bare, "shallow"), []byte(head+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.commit("creds.ini", fakeCredsFile(fakekey.New(9612)), "k")
	s.commit("creds.ini", "gone\n", "clean")
	s.mustRefuse([]string{"could not be checked", "shallow"}, "origin", "main")
}

// TestHistoryGitDir: with no REPO, history scans the repository GIT_DIR
// names, as git does there (qa9 LOW-2: it scanned the current folder's).
func TestHistoryGitDir(t *testing.T) {
	leaky, _ := keyInOldCommit(t, 9613)
	clean := newCommittedRepo(t)
	r := runCmd(t, clean, []string{"GIT_DIR=" + filepath.Join(leaky, ".git")}, "keyscan", "history")
	if r.code != 1 || !strings.Contains(r.stdout, ".env") {
		t.Errorf("GIT_DIR=%s keyscan history: exit %d, want 1 with .env\n%s%s", leaky, r.code, r.stdout, r.stderr)
	}
	if r := keyscanIn(t, clean, "history"); r.code != 0 {
		t.Errorf("keyscan history in a clean repository: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestHistorySubmoduleGap: a submodule's commits live in another
// repository and are not read; every format says so (qa34 6: a key only
// in the submodule read as "no credentials found", JSON [] and SARIF
// executionSuccessful true), and --strict exits 2.
func TestHistorySubmoduleGap(t *testing.T) {
	id := fakekey.New(3403).KeyID("AKIA")
	sub := filepath.Join(t.TempDir(), "sub")
	gitOK(t, filepath.Dir(sub), "init", "-q", "sub")
	writeRepoFile(t, sub, "creds.ini", "aws_access_key_id = "+id+"\n")
	gitOK(t, sub, "add", ".")
	gitOK(t, sub, "commit", "-q", "-m", "sub")
	top := filepath.Join(t.TempDir(), "top")
	gitOK(t, filepath.Dir(top), "init", "-q", "top")
	writeRepoFile(t, top, "README", "top\n")
	gitOK(t, top, "add", ".")
	gitOK(t, top, "-c", "protocol.file.allow=always", "submodule", "-q", "add", sub, "sm")
	gitOK(t, top, "commit", "-q", "-m", "add sm")
	r := keyscanIn(t, top, "history", ".")
	if r.code != 0 || !strings.Contains(r.stdout, "incomplete: 1 submodule not scanned") {
		t.Errorf("text: exit %d, want 0 and the summary naming the submodule\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = keyscanIn(t, top, "history", "--format", "json", ".")
	if r.code != 0 || !strings.Contains(r.stdout, `"complete": false`) || !strings.Contains(r.stdout, `"reason": "submodule"`) {
		t.Errorf("json: exit %d, want 0 with a submodule gap\n%s", r.code, r.stdout)
	}
	r = keyscanIn(t, top, "history", "--format", "sarif", ".")
	if !strings.Contains(r.stdout, `"executionSuccessful": false`) {
		t.Errorf("sarif: executionSuccessful is not false\n%s", r.stdout)
	}
	if r := keyscanIn(t, top, "history", "--strict", "."); r.code != 2 {
		t.Errorf("--strict: exit %d, want 2\n%s", r.code, r.stderr)
	}
}
