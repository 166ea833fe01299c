package main

import (
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestPreCommitFramework runs the hooks of .pre-commit-hooks.yaml through the
// pre-commit framework itself (Debian's package), which builds keyscan with
// go install from a clone of the project, as a user's machine would.
func TestPreCommitFramework(t *testing.T) {
	t.Parallel() // mostly waiting on go install; let the other tests run meanwhile
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("pre-commit is not installed (apt-get install -y pre-commit): the framework test needs it")
	}
	project := projectSnapshot(t)
	env := preCommitEnv(t)
	g := fakekey.New(105)

	dir := newCommittedRepo(t)
	base := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD"))

	// An installed framework hook: a clean commit passes. The config
	// names the project by its path and commit, so pre-commit builds
	// keyscan once (go install ./... in a clone of its own); pre-commit
	// try-repo would build it a second time in another clone, about 50
	// CPU seconds for what pre-commit run below shows as well.
	rev := strings.TrimSpace(gitOK(t, project, "rev-parse", "HEAD"))
	writeRepoFile(t, dir, ".pre-commit-config.yaml", "repos:\n- repo: "+project+"\n  rev: "+rev+
		"\n  hooks:\n  - id: keyscan\n  - id: keyscan-history\n")
	gitOK(t, dir, "add", ".pre-commit-config.yaml")
	if r := runCmd(t, dir, env, "pre-commit", "install", "--hook-type", "pre-commit", "--hook-type", "pre-push"); r.code != 0 {
		t.Fatalf("pre-commit install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := gitRun(t, dir, env, "commit", "-q", "-m", "add pre-commit config"); r.code != 0 {
		t.Fatalf("clean commit: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}

	// pre-commit run, outside a commit: a staged key fails the hook with
	// exit 1 and the message; the files pre-commit passes (the staged
	// ones) are scanned whole.
	writeRepoFile(t, dir, "creds.ini", fakeCredsFile(g))
	gitOK(t, dir, "add", "creds.ini")
	r := runCmd(t, dir, env, "pre-commit", "run", "keyscan", "--verbose")
	if r.code != 1 {
		t.Fatalf("pre-commit run with a staged key: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"creds.ini  fix [1]", "lines 2-3  AKIA****", "no commit is being made"} {
		if !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("pre-commit run output lacks %q:\n%s%s", want, r.stdout, r.stderr)
		}
	}
	gitOK(t, dir, "rm", "-q", "--cached", "creds.ini")
	if err := os.Remove(filepath.Join(dir, "creds.ini")); err != nil {
		t.Fatal(err)
	}

	// A key is refused by the installed hook.
	writeRepoFile(t, dir, "deploy/creds.ini", fakeCredsFile(g))
	gitOK(t, dir, "add", "deploy/creds.ini")
	r = gitRun(t, dir, env, "commit", "-q", "-m", "leak")
	if r.code != 1 || !strings.Contains(r.stdout+r.stderr, "deploy/creds.ini  fix [1]") {
		t.Fatalf("commit adding a key: exit %d, want 1 with the finding\n%s%s", r.code, r.stdout, r.stderr)
	}

	// keyscan-history on the commits about to be pushed: the leak that
	// skipped the commit hook is caught before it leaves.
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "leak, hook skipped")
	r = runCmd(t, dir, env, "pre-commit", "run", "keyscan-history", "--hook-stage", "push",
		"--from-ref", base, "--to-ref", "HEAD")
	if r.code != 1 || !strings.Contains(r.stdout+r.stderr, "deploy/creds.ini") {
		t.Errorf("keyscan-history over the pushed commits: exit %d, want 1 naming the file\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, dir, "rm", "-q", "deploy/creds.ini")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "remove the file (the key stays in history)")
	head := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD"))
	writeRepoFile(t, dir, "notes.txt", "clean\n")
	gitOK(t, dir, "add", "notes.txt")
	gitEnvOK(t, dir, env, "commit", "-q", "-m", "clean")
	r = runCmd(t, dir, env, "pre-commit", "run", "keyscan-history", "--hook-stage", "push",
		"--from-ref", head, "--to-ref", "HEAD")
	if r.code != 0 {
		t.Errorf("keyscan-history over a clean push: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}

	// CI runs the hook with pre-commit run --all-files or --files (qa9
	// MEDIUM-7): nothing is staged there, so the files passed are scanned.
	writeRepoFile(t, dir, "ci.ini", fakeCredsFile(g))
	gitOK(t, dir, "add", "ci.ini")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "committed past the hook")
	r = runCmd(t, dir, env, "pre-commit", "run", "keyscan", "--all-files")
	if r.code != 1 || !strings.Contains(r.stdout+r.stderr, "ci.ini  fix [1]") {
		t.Errorf("pre-commit run --all-files over a committed key: exit %d, want 1 naming ci.ini\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCmd(t, dir, env, "pre-commit", "run", "keyscan", "--files", "ci.ini")
	if r.code != 1 || !strings.Contains(r.stdout+r.stderr, "ci.ini  fix [1]") {
		t.Errorf("pre-commit run --files with a key: exit %d, want 1 naming ci.ini\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCmd(t, dir, env, "pre-commit", "run", "keyscan", "--files", "notes.txt"); r.code != 0 {
		t.Errorf("pre-commit run --files of a clean file: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The work tree's .keyscan.toml judges them, as during a commit
	// (newuser MEDIUM-5): an excluded fixture passes CI too.
	writeRepoFile(t, dir, ".keyscan.toml", "exclude = [\"**/fixtures/**\"]\n")
	writeRepoFile(t, dir, "pkg/fixtures/creds.ini", fakeCredsFile(g))
	gitOK(t, dir, "add", ".keyscan.toml", "pkg/fixtures/creds.ini")
	if r := gitRun(t, dir, env, "commit", "-q", "-m", "fixtures"); r.code != 0 {
		t.Errorf("commit of an excluded fixture: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCmd(t, dir, env, "pre-commit", "run", "keyscan", "--files", "pkg/fixtures/creds.ini", "notes.txt"); r.code != 0 {
		t.Errorf("pre-commit run --files of an excluded fixture: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}

	preMergeCommit(t, project, rev, env, g)
	prePushRefs(t, project, rev, env, g)
	hooksTooLarge(t, project, rev, env, g)
	commitMessage(t, project, rev, env, g)
}

// commitMessage commits for real through the framework's commit-msg hook
// (qa10 LOW-8): keyscan-message refuses a message that holds a key and
// lets a clean one through.
func commitMessage(t *testing.T, project, rev string, env []string, g *fakekey.Gen) {
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, ".pre-commit-config.yaml", "repos:\n- repo: "+project+"\n  rev: "+rev+
		"\n  hooks:\n  - id: keyscan\n  - id: keyscan-message\n")
	gitOK(t, dir, "add", ".")
	gitOK(t, dir, "commit", "-q", "-m", "hooks")
	if r := runCmd(t, dir, env, "pre-commit", "install", "--hook-type", "pre-commit", "--hook-type", "commit-msg"); r.code != 0 {
		t.Fatalf("pre-commit install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	writeRepoFile(t, dir, "notes.txt", "clean\n")
	gitOK(t, dir, "add", "notes.txt")
	head := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD"))
	r := gitRun(t, dir, env, "commit", "-q", "-m", "deploy AWS_ACCESS_KEY_ID="+g.KeyID("AKIA")+" AWS_SECRET_ACCESS_KEY="+g.Secret())
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "commit message") {
		t.Errorf("commit with a key in its message: exit %d, want refused naming the commit message\n%s%s", r.code, r.stdout, r.stderr)
	}
	if now := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD")); now != head {
		t.Error("the commit with a key in its message was made")
	}
	if r := gitRun(t, dir, env, "commit", "-q", "-m", "notes"); r.code != 0 {
		t.Errorf("commit with a clean message: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// preMergeCommit merges for real through the framework's pre-merge-commit
// hook (qa7 LOW-21): the keyscan hook runs at that stage, with the merge
// rule (a key the merged branch holds is a parent's), and refuses a merge
// whose result holds a key neither parent has.
func preMergeCommit(t *testing.T, project, rev string, env []string, g *fakekey.Gen) {
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, ".pre-commit-config.yaml", "repos:\n- repo: "+project+"\n  rev: "+rev+
		"\n  hooks:\n  - id: keyscan\n")
	writeRepoFile(t, dir, ".gitattributes", "*.conf merge=addkey\n")
	writeRepoFile(t, dir, "app.conf", "a = 1\n")
	gitOK(t, dir, "add", ".")
	gitOK(t, dir, "commit", "-q", "-m", "hooks")
	if r := runCmd(t, dir, env, "pre-commit", "install", "--hook-type", "pre-commit", "--hook-type", "pre-merge-commit"); r.code != 0 {
		t.Fatalf("pre-commit install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, dir, "config", "merge.addkey.driver", "printf 'AWS_SECRET_ACCESS_KEY="+g.Secret()+"\\n' >> %A")
	gitOK(t, dir, "checkout", "-q", "-b", "side")
	writeRepoFile(t, dir, "old.env", "AWS_ACCESS_KEY_ID="+g.KeyID("AKIA")+"\nAWS_SECRET_ACCESS_KEY="+g.Secret()+"\n")
	gitOK(t, dir, "add", ".")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "a key, hook skipped")
	gitOK(t, dir, "checkout", "-q", "main")
	writeRepoFile(t, dir, "notes.txt", "clean\n")
	gitOK(t, dir, "add", ".")
	gitEnvOK(t, dir, env, "commit", "-q", "-m", "clean")
	if r := gitRun(t, dir, env, "merge", "--no-edit", "side"); r.code != 0 || !strings.Contains(r.stdout+r.stderr, "keyscan") {
		t.Errorf("merge of a branch holding a committed key: exit %d, want 0 with the hook run\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, dir, "checkout", "-q", "-b", "side2")
	writeRepoFile(t, dir, "app.conf", "a = 2\n")
	gitEnvOK(t, dir, env, "commit", "-q", "-am", "side change")
	gitOK(t, dir, "checkout", "-q", "main")
	writeRepoFile(t, dir, "app.conf", "a = 1\nb = 1\n")
	gitEnvOK(t, dir, env, "commit", "-q", "-am", "main change")
	if r := gitRun(t, dir, env, "merge", "--no-edit", "side2"); r.code == 0 || !strings.Contains(r.stdout+r.stderr, "app.conf") {
		t.Errorf("merge adding a key neither parent has: exit %d, want refused naming app.conf\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// prePushRefs pushes for real through the installed pre-push hook: the
// framework tells the hook only the first ref of a push, and nothing but
// the branch name when the push starts at a root commit; a key on any
// branch pushed must stop the push all the same.
func prePushRefs(t *testing.T, project, rev string, env []string, g *fakekey.Gen) {
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, ".pre-commit-config.yaml", "repos:\n- repo: "+project+"\n  rev: "+rev+
		"\n  hooks:\n  - id: keyscan-history\n")
	gitOK(t, dir, "add", ".pre-commit-config.yaml")
	gitOK(t, dir, "commit", "-q", "-m", "hooks")
	if r := runCmd(t, dir, env, "pre-commit", "install", "--hook-type", "pre-push"); r.code != 0 {
		t.Fatalf("pre-commit install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	remote := filepath.Join(t.TempDir(), "origin.git")
	gitOK(t, dir, "init", "-q", "--bare", remote)
	gitOK(t, dir, "remote", "add", "origin", remote)
	if r := gitRun(t, dir, env, "push", "-q", "origin", "main"); r.code != 0 {
		t.Fatalf("first push of a clean main: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A key on a second branch pushed beside a clean main.
	gitOK(t, dir, "checkout", "-q", "-b", "feature")
	writeRepoFile(t, dir, "k.env", fakeCredsFile(g))
	gitOK(t, dir, "add", "k.env")
	gitOK(t, dir, "commit", "-q", "-m", "leak")
	gitOK(t, dir, "checkout", "-q", "main")
	writeRepoFile(t, dir, "notes.txt", "clean\n")
	gitOK(t, dir, "add", "notes.txt")
	gitOK(t, dir, "commit", "-q", "-m", "clean")
	r := gitRun(t, dir, env, "push", "origin", "main", "feature")
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "k.env") {
		t.Errorf("push of main and a feature branch with a key: exit %d, want refused naming k.env\n%s%s", r.code, r.stdout, r.stderr)
	}
	if out := gitOK(t, remote, "for-each-ref", "--format=%(refname)"); strings.Contains(out, "feature") {
		t.Errorf("the branch with the key reached the remote: %s", out)
	}

	// The first push of a branch other than the one checked out, to an
	// empty remote: the push starts at a root commit.
	fresh := filepath.Join(t.TempDir(), "fresh.git")
	gitOK(t, dir, "init", "-q", "--bare", fresh)
	if r := gitRun(t, dir, env, "push", fresh, "feature"); r.code == 0 {
		t.Errorf("first push of a branch with a key to an empty remote: exit 0, want refused\n%s%s", r.stdout, r.stderr)
	}

	// Once the branch is gone, main alone goes through.
	gitOK(t, dir, "branch", "-q", "-D", "feature")
	if r := gitRun(t, dir, env, "push", "-q", "origin", "main"); r.code != 0 {
		t.Errorf("push of a clean main: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}

	// Tags and notes pushed beside a branch (qa9 HIGH-2): pre-commit names
	// the branch only; the hook scans every local tag and notes ref the
	// remote lacks.
	newCommit := func(text string) {
		writeRepoFile(t, dir, "notes.txt", text)
		gitOK(t, dir, "commit", "-q", "--no-verify", "-am", text)
	}
	newCommit("tagged\n")
	gitOK(t, dir, "tag", "-a", "v9", "-m", fakeCredsFile(g))
	r = gitRun(t, dir, env, "push", "--follow-tags", "origin", "main")
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "tag v9 message") {
		t.Errorf("push --follow-tags of a tag whose message holds a key: exit %d, want refused\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, dir, "tag", "-d", "v9")
	gitOK(t, dir, "notes", "add", "-m", fakeCredsFile(g), "HEAD")
	r = gitRun(t, dir, env, "push", "origin", "main", "refs/notes/commits")
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "AKIA") {
		t.Errorf("push of a notes ref holding a key beside main: exit %d, want refused\n%s%s", r.code, r.stdout, r.stderr)
	}
	if out := gitOK(t, remote, "for-each-ref", "--format=%(refname)"); strings.Contains(out, "tags") || strings.Contains(out, "notes") {
		t.Errorf("a tag or notes ref holding a key reached the remote: %s", out)
	}
}

// hooksTooLarge (qa13 MEDIUM-13): a file over max_file_size fails the
// framework's commit hook, its CI form (files named) and its pre-push hook,
// as the server's gate refuses it, with a message naming the file, its
// size, the limit and how to allow it; raising the limit lets it through.
func hooksTooLarge(t *testing.T, project, rev string, env []string, g *fakekey.Gen) {
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, ".pre-commit-config.yaml", "repos:\n- repo: "+project+"\n  rev: "+rev+
		"\n  hooks:\n  - id: keyscan\n  - id: keyscan-history\n")
	writeRepoFile(t, dir, ".keyscan.toml", "max_file_size = 1000\n")
	gitOK(t, dir, "add", ".pre-commit-config.yaml", ".keyscan.toml")
	gitOK(t, dir, "commit", "-q", "-m", "hooks")
	if r := runCmd(t, dir, env, "pre-commit", "install", "--hook-type", "pre-commit", "--hook-type", "pre-push"); r.code != 0 {
		t.Fatalf("pre-commit install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	remote := filepath.Join(t.TempDir(), "origin.git")
	gitOK(t, dir, "init", "-q", "--bare", remote)
	gitOK(t, dir, "remote", "add", "origin", remote)
	gitEnvOK(t, dir, env, "push", "-q", "origin", "main")

	big := strings.Repeat("x", 2000) + "\naws_access_key_id = " + g.KeyID("AKIA") + "\n"
	writeRepoFile(t, dir, "big.txt", big)
	gitOK(t, dir, "add", "big.txt")
	wants := []string{"big.txt: ", strconv.Itoa(len(big)) + " bytes, larger than max_file_size (1000 bytes)",
		"a hook fails on it, as the server's gate does", "raise max_file_size", "in .keyscan.toml, or exclude the path there"}
	refused := func(what string, r cmdResult) {
		t.Helper()
		if r.code == 0 {
			t.Errorf("%s of a file over max_file_size: exit 0, want refused\n%s%s", what, r.stdout, r.stderr)
		}
		for _, w := range wants {
			if !strings.Contains(r.stdout+r.stderr, w) {
				t.Errorf("%s of a file over max_file_size: output lacks %q\n%s%s", what, w, r.stdout, r.stderr)
			}
		}
	}
	refused("git commit", gitRun(t, dir, env, "commit", "-q", "-m", "a big file"))
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "a big file, hook skipped")
	refused("pre-commit run --files", runCmd(t, dir, env, "pre-commit", "run", "keyscan", "--files", "big.txt"))
	refused("git push", gitRun(t, dir, env, "push", "origin", "main"))
	if out := gitOK(t, remote, "log", "--oneline", "main"); strings.Contains(out, "big file") {
		t.Errorf("the commit of a file over max_file_size reached the remote:\n%s", out)
	}
	// Allowed as the message says: the file is read, and its key found.
	writeRepoFile(t, dir, ".keyscan.toml", "max_file_size = 3000\n")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-am", "raise the limit")
	if r := gitRun(t, dir, env, "push", "origin", "main"); r.code == 0 || !strings.Contains(r.stdout+r.stderr, "big.txt") ||
		strings.Contains(r.stdout+r.stderr, "larger than max_file_size") {
		t.Errorf("push with the limit raised: exit %d, want refused for the key in big.txt\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// gitEnvOK is gitOK with env: a commit that runs the framework's hooks
// needs preCommitEnv, or pre-commit uses (and locks) the user's own store.
func gitEnvOK(t *testing.T, dir string, env []string, args ...string) {
	t.Helper()
	if r := gitRun(t, dir, env, args...); r.code != 0 {
		t.Fatalf("git %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
}

// preCommitEnv keeps pre-commit's store in the test and lets its go install
// use the module cache this machine already has.
func preCommitEnv(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMODCACHE", "GOCACHE").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	v := strings.Fields(string(out))
	if len(v) != 2 {
		t.Fatalf("go env: unexpected output %q", out)
	}
	return []string{
		"PRE_COMMIT_HOME=" + t.TempDir(),
		"GOMODCACHE=" + v[0], "GOCACHE=" + v[1],
		"GOTOOLCHAIN=local", "GOFLAGS=-buildvcs=false",
		"PRE_COMMIT_COLOR=never",
	}
}

// projectSnapshot copies the module this test belongs to into a fresh
// repository with one commit: pre-commit clones hook repositories, and the
// checkout under test may have uncommitted changes (or no commit at all).
func projectSnapshot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".pre-commit-hooks.yaml")); err != nil {
		t.Fatalf("no .pre-commit-hooks.yaml at the module root: %v", err)
	}
	dst := filepath.Join(t.TempDir(), "keyscan")
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.Name() == ".git" && rel != "." {
			// A directory in a clone, a file in a git worktree: copied, the
			// file would make the snapshot's commit land in the worktree's branch.
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if rel != "." && strings.HasPrefix(d.Name(), ".") && d.Name() != ".ci" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(p, filepath.Join(dst, rel))
	})
	if err != nil {
		t.Fatalf("copying the project: %v", err)
	}
	gitOK(t, dst, "init", "-q")
	gitOK(t, dst, "add", "-A")
	gitOK(t, dst, "commit", "-q", "--no-verify", "-m", "snapshot")
	return dst
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
