//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWarningsEscapeNames: a warning names a file of the tree or of a
// commit, which others chose; its control characters are written \xNN, as
// the reports write them, so that a name cannot set the terminal's title,
// clear the screen or forge a line of its own in a CI log (a GitHub
// Actions "::error::" command, a "no credentials found") (qa24 M2).
func TestWarningsEscapeNames(t *testing.T) {
	requireKeyscanOnPath(t)
	const evil = "x\x1b]0;pwned\a\n::error title=forged::forged by a file name"
	forged := func(stderr string) bool {
		if strings.ContainsAny(stderr, "\x1b\a") {
			return true
		}
		for _, l := range strings.Split(stderr, "\n") {
			if strings.HasPrefix(l, "::error") {
				return true
			}
		}
		return false
	}

	tree := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(tree, evil), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(tree, "y\x1b[2J")); err != nil {
		t.Fatal(err)
	}
	r := runCmd(t, tree, nil, "keyscan", "scan", ".")
	if forged(r.stderr) || !strings.Contains(r.stderr, `x\x1b]0;pwned\x07\x0a::error`) {
		t.Errorf("scan's warnings write the names raw:\n%q", r.stderr)
	}

	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, ".keyscan.toml", "max_file_size = 1000\n")
	writeRepoFile(t, repo, evil, strings.Repeat("over the size limit\n", 100))
	gitOK(t, repo, "add", "-A")
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "a name")
	r = runCmd(t, repo, nil, "keyscan", "history", ".")
	if forged(r.stderr) || !strings.Contains(r.stderr, `\x0a::error`) {
		t.Errorf("history's warnings write the names raw:\n%q", r.stderr)
	}
}
