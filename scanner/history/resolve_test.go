package history

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestResolveAsGit: resolve reads revisions through gitobj (not go-git's
// object reader) and must name the commits git's rev-parse names.
func TestResolveAsGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=T", "-c", "user.email=t@example.com",
			"-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	commit := func(name string) {
		os.WriteFile(filepath.Join(dir, name), []byte(name+"\n"), 0o644)
		git("add", ".")
		git("commit", "-qm", name)
	}
	commit("a")
	commit("b")
	git("checkout", "-qb", "side")
	commit("c")
	git("checkout", "-q", "main")
	commit("d")
	git("merge", "-q", "--no-ff", "-m", "merge", "side")
	git("tag", "-a", "-m", "v1", "v1")
	git("tag", "light", "HEAD~1")
	head := git("rev-parse", "HEAD")
	revs := []string{"HEAD", "main", "refs/heads/main", "side", "v1", "light", "v1^{commit}", "HEAD~1", "HEAD^2",
		"HEAD^2~1", "main~2", "HEAD^^", "HEAD^0", head, head + "~3", head[:10], "main@{0}"}
	r, err := openRepo(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	objr := r.objs.NewReader(0)
	for _, rev := range revs {
		got, err := r.resolve(context.Background(), objr, rev)
		if err != nil {
			t.Errorf("resolve(%q): %v", rev, err)
			continue
		}
		if want := git("rev-parse", rev+"^{commit}"); got.String() != want {
			t.Errorf("resolve(%q) = %s, git says %s", rev, got, want)
		}
	}
	for _, rev := range []string{"nope", "HEAD^3", "HEAD~40"} {
		if got, err := r.resolve(context.Background(), objr, rev); err == nil {
			t.Errorf("resolve(%q) = %s, want an error", rev, got)
		}
	}
}
