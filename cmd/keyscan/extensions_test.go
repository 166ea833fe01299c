package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestHistoryRepositoryExtensions: the extensions that change nothing
// keyscan reads (worktreeConfig, which every sparse checkout sets;
// preciousObjects; git's defaults written out) are accepted by history and
// the gate; one that changes how refs are read is refused, named (qa9
// MEDIUM-10: go-git refused every sparse checkout, exit 2).
func TestHistoryRepositoryExtensions(t *testing.T) {
	dir, _ := keyInOldCommit(t, 9641)
	gitOK(t, dir, "sparse-checkout", "init", "--cone")
	if got := strings.TrimSpace(gitOK(t, dir, "config", "extensions.worktreeConfig")); got != "true" {
		t.Fatalf("sparse-checkout set extensions.worktreeConfig = %q", got)
	}
	// git config -f: a git that does not know an extension refuses to
	// work in the repository.
	conf := filepath.Join(dir, ".git", "config")
	for _, ext := range [][2]string{{"", ""}, {"extensions.preciousObjects", "true"}, {"extensions.objectFormat", "sha1"}, {"extensions.refStorage", "files"}, {"extensions.noop", "true"}} {
		if ext[0] != "" {
			gitOK(t, dir, "config", "-f", conf, "core.repositoryformatversion", "1")
			gitOK(t, dir, "config", "-f", conf, ext[0], ext[1])
		}
		if r := keyscanIn(t, dir, "history", "."); r.code != 1 || !strings.Contains(r.stdout, ".env") {
			t.Errorf("with %s: exit %d, want 1 with .env\n%s%s", ext[0], r.code, r.stdout, r.stderr)
		}
	}
	gitOK(t, dir, "config", "-f", conf, "extensions.refStorage", "reftable")
	if r := keyscanIn(t, dir, "history", "."); r.code != 2 || !strings.Contains(r.stderr, "refstorage") || !strings.Contains(r.stderr, "reftable") {
		t.Errorf("refStorage = reftable: exit %d, want 2 naming it\n%s", r.code, r.stderr)
	}
	gitOK(t, dir, "config", "-f", conf, "--unset", "extensions.refStorage")
	gitOK(t, dir, "config", "-f", conf, "extensions.somethingNew", "true")
	if r := keyscanIn(t, dir, "history", "."); r.code != 2 || !strings.Contains(r.stderr, "somethingnew") {
		t.Errorf("an unknown extension: exit %d, want 2 naming it\n%s", r.code, r.stderr)
	}

	// A server repository in a shared object pool: pushes are judged.
	s := newServer(t)
	gitOK(t, s.bare, "config", "core.repositoryformatversion", "1")
	gitOK(t, s.bare, "config", "extensions.preciousObjects", "true")
	gitOK(t, s.bare, "config", "extensions.worktreeConfig", "true")
	s.commit("notes.txt", "clean\n", "clean")
	s.mustPush("origin", "main")
	s.commit("creds.ini", fakeCredsFile(fakekey.New(9642)), "k")
	s.mustRefuse([]string{"creds.ini"}, "origin", "main")
}
