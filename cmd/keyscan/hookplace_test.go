package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHookInstallTrackedHooksPath: a core.hooksPath that git tracks
// (husky's .husky) is not written into (qa9 MEDIUM-1): git stash or
// checkout would put the tracked hook back and drop the check silently.
// Install says the line to add instead and changes nothing.
func TestHookInstallTrackedHooksPath(t *testing.T) {
	requireKeyscanOnPath(t)
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, ".husky/pre-commit", "#!/bin/sh\necho husky-lint\n")
	writeRepoFile(t, dir, "b.json", "{\"version\": 1, \"findings\": []}\n") // a hook's --baseline must exist
	gitOK(t, dir, "add", ".husky", "b.json")
	gitOK(t, dir, "commit", "-q", "-m", "husky")
	gitOK(t, dir, "config", "core.hooksPath", ".husky")
	for _, tc := range []struct {
		args []string
		line string
	}{
		{[]string{"hook", "install", "--", "--baseline", "b.json"}, "keyscan staged '--baseline' 'b.json'"},
		{[]string{"hook", "install", "--", "--baseline", "b.json"}, "keyscan staged '--baseline' 'b.json' --message -- \"$1\""},
		{[]string{"hook", "install", "--type", "pre-push"}, `keyscan history --pre-push --unpushed "${2:-$1}"`},
	} {
		r := runCmd(t, dir, nil, "keyscan", tc.args...)
		if r.code != exitError || !strings.Contains(r.stderr, "git tracks") || !strings.Contains(r.stderr, tc.line) {
			t.Errorf("keyscan %q into a tracked .husky: exit %d, want refused with the line %q\n%s%s", tc.args, r.code, tc.line, r.stdout, r.stderr)
		}
	}
	if st := gitOK(t, dir, "status", "--porcelain"); st != "" {
		t.Errorf("install changed the work tree:\n%s", st)
	}
}

// TestHookInstallWorktreeHooksPath: an untracked hooks folder inside the
// work tree (a relative core.hooksPath) is one worktree's: install says so
// and names the worktrees it does not cover. A core.hooksPath from the
// global config is every repository's: install says that too (qa9 LOW-7).
func TestHookInstallWorktreeHooksPath(t *testing.T) {
	requireKeyscanOnPath(t)
	dir := newCommittedRepo(t)
	gitOK(t, dir, "config", "core.hooksPath", ".githooks")
	wt := filepath.Join(t.TempDir(), "wt")
	gitOK(t, dir, "worktree", "add", "-q", wt, "-b", "b2")
	r := runCmd(t, wt, nil, "keyscan", "hook", "install")
	if r.code != 0 || !strings.Contains(r.stdout, "for this worktree only") || !strings.Contains(r.stdout, dir) {
		t.Errorf("install into a worktree's .githooks: exit %d, want a note naming %s\n%s%s", r.code, dir, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(wt, ".githooks", "pre-commit")); err != nil {
		t.Errorf("not installed in the worktree's .githooks: %v", err)
	}

	global := filepath.Join(t.TempDir(), "gitconfig")
	hooks := filepath.Join(t.TempDir(), "hooks")
	writeRepoFile(t, filepath.Dir(global), "gitconfig", "[core]\n\thooksPath = "+hooks+"\n")
	other := newCommittedRepo(t)
	r = runCmd(t, other, []string{"GIT_CONFIG_GLOBAL=" + global}, "keyscan", "hook", "install")
	if r.code != 0 || !strings.Contains(r.stdout, "every repository of this user") {
		t.Errorf("install into a global core.hooksPath: exit %d, want a note that it covers every repository\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCmd(t, other, nil, "keyscan", "hook", "install"); r.code != 0 || strings.Contains(r.stdout, "note:") {
		t.Errorf("install into .git/hooks: exit %d, want no note\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestReceiveHookRelativePaths: relative --config and --log given to
// install are written into the pre-receive hook as absolute paths (qa9
// LOW-3): git runs the hook in the repository's folder, where the relative
// path names nothing and every push would be refused.
func TestReceiveHookRelativePaths(t *testing.T) {
	requireKeyscanOnPath(t)
	root := t.TempDir()
	gitOK(t, root, "init", "-q", "--bare", "srv.git")
	writeRepoFile(t, root, "srvcfg/server.toml", "")
	r := runCmd(t, root, nil, "keyscan", "hook", "install", "--type", "pre-receive", "srv.git", "--",
		"--config", "srvcfg/server.toml", "--log=srvcfg/push.jsonl")
	if r.code != 0 || !strings.Contains(r.stdout, filepath.Join(root, "srvcfg", "server.toml")) {
		t.Fatalf("install with relative paths: exit %d, want them made absolute\n%s%s", r.code, r.stdout, r.stderr)
	}
	hook := readRepoFile(t, root, "srv.git/hooks/pre-receive")
	if !strings.Contains(hook, "'"+filepath.Join(root, "srvcfg", "server.toml")+"'") || !strings.Contains(hook, "'--log="+filepath.Join(root, "srvcfg", "push.jsonl")+"'") {
		t.Errorf("the hook does not hold the absolute paths:\n%s", hook)
	}
	dir := newCommittedRepo(t)
	if r := gitRun(t, dir, nil, "push", filepath.Join(root, "srv.git"), "main"); r.code != 0 {
		t.Errorf("a clean push through the hook: exit %d, want accepted\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestHookInstallHooksPathLink (qa33): a core.hooksPath folder of the work
// tree reached through a symbolic link a checkout can plant (.githooks, or
// tools of tools/hooks, committed as a link to a folder outside) is not
// written through by install or uninstall: exit 2, the link named, the
// folder it points to left empty. A .git/hooks linked to a shared folder
// is the user's own setup, and installed into as before.
func TestHookInstallHooksPathLink(t *testing.T) {
	requireKeyscanOnPath(t)
	for _, hooksPath := range []string{".githooks", "tools/hooks"} {
		dir := newCommittedRepo(t)
		outside := t.TempDir()
		if err := os.MkdirAll(filepath.Join(outside, "hooks"), 0o755); err != nil {
			t.Fatal(err)
		}
		link, target := filepath.Join(dir, ".githooks"), outside
		if hooksPath == "tools/hooks" {
			link = filepath.Join(dir, "tools")
		} else {
			target = filepath.Join(outside, "hooks")
		}
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("symlinks: %v", err)
		}
		gitOK(t, dir, "add", filepath.Base(link))
		gitOK(t, dir, "commit", "-q", "-m", "hooks link")
		gitOK(t, dir, "config", "core.hooksPath", hooksPath)
		for _, args := range [][]string{{"hook", "install"}, {"hook", "install", "--type", "pre-push"}, {"hook", "uninstall"}} {
			r := runCmd(t, dir, nil, "keyscan", args...)
			if r.code != exitError || !strings.Contains(r.stderr, "is a symbolic link") || !strings.Contains(r.stderr, link) {
				t.Errorf("keyscan %q with core.hooksPath=%s through a link: exit %d, want refused naming %s\n%s%s", args, hooksPath, r.code, link, r.stdout, r.stderr)
			}
		}
		if ents, _ := os.ReadDir(filepath.Join(outside, "hooks")); len(ents) != 0 {
			t.Errorf("core.hooksPath=%s: install wrote %d files through the link", hooksPath, len(ents))
		}
	}

	dir := newCommittedRepo(t)
	shared := t.TempDir()
	if err := os.RemoveAll(filepath.Join(dir, ".git", "hooks")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(shared, filepath.Join(dir, ".git", "hooks")); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install"); r.code != 0 {
		t.Errorf("install into a .git/hooks linked to a shared folder: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(shared, "pre-commit")); err != nil {
		t.Errorf("not installed in the shared hooks folder: %v", err)
	}
}
