package main

import (
	"strings"
	"testing"
)

// TestSHA256Repositories: history and staged say that a SHA-256 repository
// is not supported (exit 2), as pre-receive does, instead of "index:
// checksum mismatch" or "unknown extension: objectformat" (qa7 LOW-9).
func TestSHA256Repositories(t *testing.T) {
	dir := t.TempDir()
	if r := gitRun(t, dir, nil, "init", "-q", "--object-format=sha256"); r.code != 0 {
		t.Skipf("git init --object-format=sha256: %s", r.stderr)
	}
	writeRepoFile(t, dir, "README.md", "# project\n")
	gitOK(t, dir, "add", ".")
	gitOK(t, dir, "commit", "-q", "-m", "initial")
	writeRepoFile(t, dir, "new.txt", "hello\n")
	gitOK(t, dir, "add", ".")
	for _, args := range [][]string{{"history", "."}, {"staged"}} {
		r := keyscanIn(t, dir, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "SHA-256 repositories are not supported") {
			t.Errorf("keyscan %s: exit %d, want 2 naming SHA-256\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
}
