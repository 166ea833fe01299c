package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestCommitHooksCoverMergeAndAm: hook install also installs the hooks git
// runs before the commits of git merge (pre-merge-commit) and git am
// (pre-applypatch), with the same chaining and uninstall as pre-commit
// (qa7 LOW-21). An emailed patch that adds a key is refused by git am; an
// automatic merge is judged by the merge rule (a line counts only when no
// parent has it), which git's pre-merge-commit hook could not apply before
// MERGE_HEAD exists without the GITHEAD_ variables git sets for it.
func TestCommitHooksCoverMergeAndAm(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(421)
	dir := newCommittedRepo(t)
	hooks := filepath.Join(dir, ".git", "hooks")
	// A team's own pre-merge-commit hook, to be chained.
	writeRepoFile(t, dir, ".git/hooks/pre-merge-commit", "#!/bin/sh\necho merge-hook-ran >> \"$(git rev-parse --git-dir)/chained.log\"\n")
	if err := os.Chmod(filepath.Join(hooks, "pre-merge-commit"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := runCmd(t, dir, nil, "keyscan", "hook", "install")
	if r.code != 0 {
		t.Fatalf("hook install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, h := range []string{"pre-commit", "pre-merge-commit", "pre-applypatch", "commit-msg", "applypatch-msg"} {
		if !strings.Contains(readRepoFile(t, hooks, h), hookMarker) || !strings.Contains(r.stdout, "keyscan "+h+" hook") {
			t.Errorf("%s not installed:\n%s", h, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "pre-merge-commit.keyscan-chained") {
		t.Errorf("install does not say it chained the pre-merge-commit hook:\n%s", r.stdout)
	}

	// git am of an emailed patch that adds a key: refused, nothing committed.
	gitOK(t, dir, "checkout", "-q", "-b", "elsewhere")
	writeRepoFile(t, dir, "deploy/k.env", "AWS_ACCESS_KEY_ID="+g.KeyID("AKIA")+"\nAWS_SECRET_ACCESS_KEY="+g.Secret()+"\n")
	gitOK(t, dir, "add", ".")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "a key, hook skipped")
	patch := filepath.Join(t.TempDir(), "leak.patch")
	writeRepoFile(t, filepath.Dir(patch), "leak.patch", gitOK(t, dir, "format-patch", "-1", "--stdout"))
	gitOK(t, dir, "checkout", "-q", "main")
	head := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD"))
	r = gitRun(t, dir, nil, "am", patch)
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "deploy/k.env") {
		t.Errorf("git am of a patch adding a key: exit %d, want refused naming the file\n%s%s", r.code, r.stdout, r.stderr)
	}
	if now := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD")); now != head {
		t.Errorf("git am committed the key: HEAD %s, was %s", now, head)
	}
	// The footer is git am's (newuser LOW-29): git runs the hook, the
	// patch was stopped, and git commit --no-verify does not apply.
	if !strings.Contains(r.stderr, "git am stopped before committing it") || !strings.Contains(r.stderr, "git am --continue") ||
		strings.Contains(r.stderr, "--no-verify") || strings.Contains(r.stderr, "would stop") {
		t.Errorf("git am refusal footer is not git am's:\n%s", r.stderr)
	}
	gitOK(t, dir, "am", "--abort")
	// A clean patch goes through.
	gitOK(t, dir, "checkout", "-q", "-b", "clean-patch")
	writeRepoFile(t, dir, "docs/readme.txt", "hello\n")
	gitOK(t, dir, "add", ".")
	gitOK(t, dir, "commit", "-q", "-m", "docs")
	writeRepoFile(t, filepath.Dir(patch), "clean.patch", gitOK(t, dir, "format-patch", "-1", "--stdout"))
	gitOK(t, dir, "checkout", "-q", "main")
	if r := gitRun(t, dir, nil, "am", filepath.Join(filepath.Dir(patch), "clean.patch")); r.code != 0 {
		t.Errorf("git am of a clean patch: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// An automatic merge runs pre-merge-commit, and the chained hook first.
	// A key the merged branch already holds is a parent's, as in a merge
	// committed by hand: accepted (pre-push and pre-receive stop it).
	if r := gitRun(t, dir, nil, "merge", "--no-ff", "--no-edit", "elsewhere"); r.code != 0 {
		t.Errorf("merge of a branch holding a committed key: exit %d, want 0 (merge rule)\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(readRepoFile(t, dir, ".git/chained.log"), "merge-hook-ran") {
		t.Error("the chained pre-merge-commit hook did not run")
	}
	// A merge whose result holds a key neither parent has (here made by a
	// merge driver) is refused, and nothing is committed.
	gitOK(t, dir, "config", "merge.addkey.driver", "printf 'AWS_SECRET_ACCESS_KEY="+g.Secret()+"\\n' >> %A")
	writeRepoFile(t, dir, ".gitattributes", "*.conf merge=addkey\n")
	writeRepoFile(t, dir, "app.conf", "a = 1\n")
	gitOK(t, dir, "add", ".")
	gitOK(t, dir, "commit", "-q", "-m", "conf")
	gitOK(t, dir, "checkout", "-q", "-b", "side")
	writeRepoFile(t, dir, "app.conf", "a = 2\n")
	gitOK(t, dir, "commit", "-q", "-am", "side change")
	gitOK(t, dir, "checkout", "-q", "main")
	writeRepoFile(t, dir, "app.conf", "a = 1\nb = 1\n")
	gitOK(t, dir, "commit", "-q", "-am", "main change")
	head = strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD"))
	r = gitRun(t, dir, nil, "merge", "--no-edit", "side")
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "app.conf") {
		t.Errorf("merge adding a key no parent has: exit %d, want refused\n%s%s", r.code, r.stdout, r.stderr)
	}
	if now := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD")); now != head {
		t.Errorf("the refused merge was committed")
	}
	gitOK(t, dir, "merge", "--abort")

	// Uninstall removes all three and puts the chained hook back.
	if r := runCmd(t, dir, nil, "keyscan", "hook", "uninstall"); r.code != 0 {
		t.Fatalf("uninstall: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, h := range []string{"pre-commit", "pre-applypatch", "pre-merge-commit.keyscan-chained"} {
		if _, err := os.Lstat(filepath.Join(hooks, h)); err == nil {
			t.Errorf("uninstall left %s", h)
		}
	}
	if got := readRepoFile(t, hooks, "pre-merge-commit"); strings.Contains(got, hookMarker) || !strings.Contains(got, "merge-hook-ran") {
		t.Errorf("uninstall did not put back the team's pre-merge-commit hook:\n%s", got)
	}
	// The team's hook alone is not keyscan's: uninstall refuses it.
	if r := runCmd(t, dir, nil, "keyscan", "hook", "uninstall"); r.code != exitError || !strings.Contains(r.stderr, "not installed by keyscan") {
		t.Errorf("uninstall with only a foreign hook: exit %d\n%s", r.code, r.stderr)
	}
}

// TestCommitHooksInstallAllOrNone: a refusal for one of the hooks (a
// chained hook left by an earlier install) leaves every hook as it was.
func TestCommitHooksInstallAllOrNone(t *testing.T) {
	requireKeyscanOnPath(t)
	dir := newCommittedRepo(t)
	hooks := filepath.Join(dir, ".git", "hooks")
	writeRepoFile(t, dir, ".git/hooks/pre-applypatch", "#!/bin/sh\nexit 0\n")
	writeRepoFile(t, dir, ".git/hooks/pre-applypatch.keyscan-chained", "#!/bin/sh\n# left over\n")
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install"); r.code != exitError || !strings.Contains(r.stderr, "--force") {
		t.Errorf("install: exit %d, want refused\n%s", r.code, r.stderr)
	}
	for _, h := range []string{"pre-commit", "pre-merge-commit"} {
		if _, err := os.Lstat(filepath.Join(hooks, h)); err == nil {
			t.Errorf("a refused install wrote %s", h)
		}
	}
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install", "--force"); r.code != 0 {
		t.Fatalf("install --force: exit %d\n%s", r.code, r.stderr)
	}
	if got := readRepoFile(t, hooks, "pre-applypatch.keyscan-chained"); got != "#!/bin/sh\nexit 0\n" {
		t.Errorf("install --force chained %q", got)
	}
}

// TestHookInstallHooksPathNotAFolder: core.hooksPath=/dev/null (hooks
// turned off) is said plainly instead of "mkdir /dev/null: not a directory".
func TestHookInstallHooksPathNotAFolder(t *testing.T) {
	requireKeyscanOnPath(t)
	dir := newCommittedRepo(t)
	gitOK(t, dir, "config", "core.hooksPath", os.DevNull)
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install"); r.code != exitError || !strings.Contains(r.stderr, "not a folder") {
		t.Errorf("install with core.hooksPath=/dev/null: exit %d\n%s", r.code, r.stderr)
	}
}

// TestHookInstallSaysTheHooksFolderIsShared: a repository whose hooks
// folder is a link to a folder others share (gitolite style) gets the hook
// in the shared folder, and install says every repository using it is
// covered; a repository reached through a link is not such a case.
func TestHookInstallSaysTheHooksFolderIsShared(t *testing.T) {
	requireKeyscanOnPath(t)
	root := t.TempDir()
	shared := filepath.Join(root, "common-hooks")
	if err := os.Mkdir(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(root, "a.git")
	gitOK(t, root, "init", "-q", "--bare", bare)
	if err := os.RemoveAll(filepath.Join(bare, "hooks")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(shared, filepath.Join(bare, "hooks")); err != nil {
		t.Fatal(err)
	}
	r := runCmd(t, root, nil, "keyscan", "hook", "install", "--type", "pre-receive", bare)
	if r.code != 0 || !strings.Contains(r.stdout, "is a link to "+shared) || !strings.Contains(r.stdout, "every repository") {
		t.Errorf("install into a shared hooks folder: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(shared, "pre-receive")); err != nil {
		t.Errorf("the hook is not in the shared folder: %v", err)
	}
	other := filepath.Join(root, "b.git")
	gitOK(t, root, "init", "-q", "--bare", other)
	if err := os.Symlink(other, filepath.Join(root, "link.git")); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, root, nil, "keyscan", "hook", "install", "--type", "pre-receive", filepath.Join(root, "link.git")); r.code != 0 || strings.Contains(r.stdout, "note:") {
		t.Errorf("install through a link to the repository: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestHookMissingBaseline: a hook is not installed with a --baseline that
// does not exist (newuser LOW-20), and a hook whose baseline is gone says
// which file, where it was looked for, and the two ways out, instead of a
// bare "no such file" on every commit.
func TestHookMissingBaseline(t *testing.T) {
	requireKeyscanOnPath(t)
	dir := newCommittedRepo(t)
	hooks := filepath.Join(dir, ".git", "hooks")
	for _, args := range [][]string{
		{"hook", "install", "--", "--baseline", ".keyscan-baseline.json"},
		{"hook", "install", "--type", "pre-push", "--", "--baseline", ".keyscan-baseline.json"},
	} {
		r := runCmd(t, filepath.Join(dir, "app"), nil, "keyscan", args...)
		if r.code != exitError || !strings.Contains(r.stderr, "--baseline .keyscan-baseline.json: no such file in "+dir) ||
			!strings.Contains(r.stderr, "--output .keyscan-baseline.json .") {
			t.Errorf("keyscan %s from a sub-folder: exit %d, want refused naming the file and the top\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	if _, err := os.Lstat(filepath.Join(hooks, "pre-commit")); err == nil {
		t.Fatal("a refused install wrote the pre-commit hook")
	}
	// Made first (what the refusal says), the hook installs; deleted later,
	// the commit is stopped with the way out.
	if r := runCmd(t, dir, nil, "keyscan", "baseline", "scan", "--output", ".keyscan-baseline.json", "."); r.code != 0 {
		t.Fatalf("baseline scan: exit %d\n%s", r.code, r.stderr)
	}
	if r := runCmd(t, filepath.Join(dir, "app"), nil, "keyscan", "hook", "install", "--", "--baseline", ".keyscan-baseline.json"); r.code != 0 {
		t.Fatalf("hook install with the baseline made: exit %d\n%s", r.code, r.stderr)
	}
	gitOK(t, dir, "add", ".keyscan-baseline.json")
	gitOK(t, dir, "commit", "-q", "-m", "baseline")
	gitOK(t, dir, "rm", "-q", ".keyscan-baseline.json")
	r := gitRun(t, dir, nil, "commit", "-q", "-m", "baseline gone")
	if r.code == 0 || !strings.Contains(r.stderr, "keyscan staged: --baseline .keyscan-baseline.json: no such file (looked for in "+dir+")") ||
		!strings.Contains(r.stderr, "the pre-commit hook stops git") || !strings.Contains(r.stderr, "keyscan hook install") {
		t.Errorf("commit with the hook's baseline gone: exit %d\n%s", r.code, r.stderr)
	}
	// By hand, the same check comes before any scanning.
	if r := runCmd(t, dir, nil, "keyscan", "scan", "--baseline", "nope.json", "."); r.code != exitError {
		t.Errorf("scan --baseline of a missing file: exit %d, want 2", r.code)
	}
}
