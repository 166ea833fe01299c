package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/gittest"
)

// commitBomb commits in the work tree dir, on top of HEAD, HEAD's tree plus
// a git bomb (see gittest.Bomb: 10 folders of 10 entries, 10^10 paths) at
// folder bomb whose repeated file credentials holds content; main moves to
// it. It returns the commit.
func commitBomb(t *testing.T, dir, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "blob")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	blob := strings.TrimSpace(gitOK(t, dir, "hash-object", "-w", p))
	tree, err := gittest.Bomb(dir, blob, "credentials", 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	entries := gitOK(t, dir, "ls-tree", "HEAD")
	if err := os.WriteFile(p, []byte(entries+"040000 tree "+tree+"\tbomb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := strings.TrimSpace(runCmd(t, dir, nil, "sh", "-c", "git mktree < "+p).stdout)
	c := strings.TrimSpace(gitOK(t, dir, "commit-tree", root, "-p", "HEAD", "-m", "bomb"))
	gitOK(t, dir, "update-ref", "refs/heads/main", c)
	return c
}

// TestHistoryGitBomb: `keyscan history` of a repository holding a git bomb
// ends, and reports the key once with its first path and commit. With
// --path each path must be walked: the trees beyond the walk's budget are
// warnings, and --strict makes that exit 2.
func TestHistoryGitBomb(t *testing.T) {
	dir := newCommittedRepo(t)
	g := fakekey.New(4201)
	id := g.KeyID("AKIA")
	c := commitBomb(t, dir, "[default]\naws_access_key_id = "+id+"\naws_secret_access_key = "+g.Secret()+"\n")
	gitOK(t, dir, "repack", "-a", "-d", "-q") // the walk by path below reads trees again: faster from a pack
	r := keyscanIn(t, dir, "history", "--format", "json", ".")
	if r.code != 1 {
		t.Fatalf("history: exit %d, want 1\n%s", r.code, r.stderr)
	}
	var fs []struct {
		File, Commit, Note string
		Paths              []string
	}
	if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil {
		t.Fatal(err)
	}
	first := "bomb/" + strings.Repeat("a/", 10) + "credentials"
	for _, f := range fs {
		if f.File != first || f.Commit != c || len(f.Paths) != 1000 || !strings.Contains(f.Note, "more paths") {
			t.Errorf("finding at %s in %s, %d paths, note %q; want %s in %s, 1000 paths and a note", f.File, f.Commit, len(f.Paths), f.Note, first, c)
		}
	}
	if len(fs) != 2 { // the key ID and the secret
		t.Errorf("%d findings, want 2:\n%s", len(fs), r.stdout)
	}

	r = keyscanIn(t, dir, "history", "--strict", "--path", "bomb/**", ".")
	if r.code != 2 || !strings.Contains(r.stderr, "git bomb") || !strings.Contains(r.stdout, first) {
		t.Errorf("history --strict --path: exit %d, want 2 with the finding and a warning about the bomb\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestPreReceiveGitBomb: a push of a git bomb ends: one holding a key is
// refused for it; a clean one passes; with the server's excludes (each
// path must be tested) a clean bomb cannot be checked whole and is refused.
func TestPreReceiveGitBomb(t *testing.T) {
	s := newServer(t)
	base := s.head()
	g := fakekey.New(4202)
	id := g.KeyID("AKIA")
	commitBomb(t, s.clone, "[default]\naws_access_key_id = "+id+"\naws_secret_access_key = "+g.Secret()+"\n")
	s.mustRefuse([]string{"bomb/" + strings.Repeat("a/", 10) + "credentials"}, "origin", "main")

	// Never check a bomb out: reset to the commit before it.
	gitOK(t, s.clone, "reset", "-q", "--hard", base)
	commitBomb(t, s.clone, "[default]\nregion = eu-west-1\n")
	s.mustPush("origin", "main")

	if err := os.WriteFile(filepath.Join(s.bare, "keyscan.toml"), []byte("exclude = [\"**/testdata/**\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitOK(t, s.clone, "reset", "-q", "--hard", base)
	commitBomb(t, s.clone, "[default]\nregion = eu-north-1\n")
	s.mustRefuse([]string{"git bomb"}, "origin", "main:other")
}
