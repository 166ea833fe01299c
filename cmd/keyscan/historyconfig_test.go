package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestHistoryConfigIsCommitted (qa10 LOW-11): keyscan history judges the
// repository by the .keyscan.toml committed at HEAD (or --config), never by
// an uncommitted copy in the work tree, and says when that copy differs; a
// bare clone is judged by the same committed file.
func TestHistoryConfigIsCommitted(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(1181)
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, "k.env", "AWS_ACCESS_KEY_ID="+g.KeyID("AKIA")+"\nAWS_SECRET_ACCESS_KEY="+g.Secret()+"\n")
	gitOK(t, dir, "add", "k.env")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "k")

	history := func(dir string, args ...string) cmdResult {
		t.Helper()
		return runCmd(t, dir, nil, "keyscan", append([]string{"history"}, args...)...)
	}
	// An uncommitted exclude-everything is not obeyed, and is named.
	writeRepoFile(t, dir, ".keyscan.toml", "exclude = [\"**\"]\n")
	r := history(dir, ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, "k.env") || !strings.Contains(r.stderr, ".keyscan.toml is not committed") {
		t.Errorf("history with an uncommitted exclude-all: exit %d, want the key and a warning\n%s%s", r.code, r.stdout, r.stderr)
	}
	// From a sub-folder too: HEAD's top, not the folder's.
	if r := history(filepath.Join(dir, "app")); r.code != exitFindings {
		t.Errorf("history from a sub-folder: exit %d, want 1\n%s", r.code, r.stderr)
	}
	// --config is obeyed.
	cfg := filepath.Join(t.TempDir(), "all.toml")
	if err := os.WriteFile(cfg, []byte("exclude = [\"**\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := history(dir, "--config", cfg, "."); r.code != exitClean {
		t.Errorf("history --config exclude-all: exit %d, want 0\n%s", r.code, r.stderr)
	}

	// Committed, it is the repository's word: obeyed, with no warning; an
	// uncommitted edit of it is not read.
	writeRepoFile(t, dir, ".keyscan.toml", "exclude = [\"k.env\"]\n")
	gitOK(t, dir, "add", ".keyscan.toml")
	gitOK(t, dir, "commit", "-q", "-m", "config")
	if r := history(dir, "."); r.code != exitClean || strings.Contains(r.stderr, "warning") {
		t.Errorf("history with a committed exclusion: exit %d, want 0 and no warning\n%s%s", r.code, r.stdout, r.stderr)
	}
	bare := filepath.Join(t.TempDir(), "bare.git")
	gitOK(t, dir, "clone", "-q", "--bare", dir, bare)
	if r := history(bare, "."); r.code != exitClean {
		t.Errorf("history of a bare clone: exit %d, want 0 (the committed exclusion)\n%s%s", r.code, r.stdout, r.stderr)
	}
	writeRepoFile(t, dir, ".keyscan.toml", "exclude = []\n")
	if r := history(dir, "."); r.code != exitClean || !strings.Contains(r.stderr, "differs from the one committed at HEAD") {
		t.Errorf("history with an uncommitted edit: exit %d, want 0 (HEAD's) and a warning\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A link committed as the configuration is refused.
	gitOK(t, dir, "rm", "-qf", ".keyscan.toml")
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, ".keyscan.toml")); err != nil {
		t.Fatal(err)
	}
	gitOK(t, dir, "add", ".keyscan.toml")
	gitOK(t, dir, "commit", "-q", "-m", "link")
	if r := history(dir, "."); r.code != exitError || !strings.Contains(r.stderr, "not a regular file") {
		t.Errorf("history with a committed link as configuration: exit %d, want 2\n%s", r.code, r.stderr)
	}
}
