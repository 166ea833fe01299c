package history_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo is a repository built in a test with the git binary. Every commit
// gets its own date, one second after the last, so topological order among
// unrelated commits is deterministic.
type gitRepo struct {
	t    testing.TB
	dir  string
	tick int
}

func newGitRepo(t testing.TB, args ...string) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	r := &gitRepo{t: t, dir: filepath.Join(t.TempDir(), "repo")}
	r.run("", append([]string{"init", "-q"}, append(args, r.dir)...)...)
	return r
}

// git runs git in the repository and returns its trimmed output.
func (r *gitRepo) git(args ...string) string {
	r.t.Helper()
	return r.run(r.dir, args...)
}

func (r *gitRepo) run(dir string, args ...string) string {
	r.t.Helper()
	r.tick++
	date := fmt.Sprintf("2024-01-01T00:%02d:%02d+0000", r.tick/60, r.tick%60)
	cmd := exec.Command("git", append([]string{
		"-c", "user.name=Test Author", "-c", "user.email=author@example.com",
		"-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false",
		"-c", "gc.auto=0", "-c", "advice.detachedHead=false", "-c", "protocol.file.allow=always",
	}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Test Author", "GIT_AUTHOR_EMAIL=author@example.com", "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_NAME=Test Committer", "GIT_COMMITTER_EMAIL=committer@example.com", "GIT_COMMITTER_DATE="+date,
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *gitRepo) write(path, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commit stages everything and commits; it returns the commit hash.
func (r *gitRepo) commit(msg string) string {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

// repack puts every object in one pack with deep deltas, so the pack reader
// resolves delta chains (the loose case is covered by not calling it).
func (r *gitRepo) repack() {
	r.t.Helper()
	r.git("repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50")
	r.git("prune-packed")
}

// runInput runs git in the repository with stdin and returns its trimmed
// output.
func (r *gitRepo) runInput(stdin string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}
