package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestPrePushHook pushes for real through the native pre-push hook
// (keyscan hook install --type pre-push): git gives it every pushed ref, so
// a key in a tag pushed beside a branch, in an annotated tag's message
// (--follow-tags), or in a notes ref is refused (qa9 HIGH-2), and a branch
// the remote has lost is not taken as pushed because a stale
// remote-tracking branch still names it (qa9 MEDIUM-4). A chained hook gets
// the same input; a clean push and a deletion go through.
func TestPrePushHook(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(907)
	dir := newCommittedRepo(t)
	remote := filepath.Join(t.TempDir(), "origin.git")
	gitOK(t, dir, "init", "-q", "--bare", remote)
	gitOK(t, dir, "remote", "add", "origin", remote)
	gitOK(t, dir, "push", "-q", "origin", "main")
	// A team's own pre-push hook, chained: it must see git's input too.
	writeRepoFile(t, dir, ".git/hooks/pre-push", "#!/bin/sh\ncat >> \"$(git rev-parse --git-dir)/chained.log\"\n")
	if err := os.Chmod(filepath.Join(dir, ".git", "hooks", "pre-push"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := runCmd(t, dir, nil, "keyscan", "hook", "install", "--type", "pre-push")
	if r.code != 0 || !strings.Contains(r.stdout, "pre-push.keyscan-chained") {
		t.Fatalf("hook install --type pre-push: exit %d, want it installed, chaining the team's hook\n%s%s", r.code, r.stdout, r.stderr)
	}
	remoteRefs := func() string { return gitOK(t, remote, "for-each-ref", "--format=%(refname)") }
	refused := func(what, want string, args ...string) {
		t.Helper()
		r := gitRun(t, dir, nil, append([]string{"push"}, args...)...)
		if r.code == 0 || !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("%s: exit %d, want refused naming %q\n%s%s", what, r.code, want, r.stdout, r.stderr)
		}
	}

	// A tag of a commit no branch holds, pushed beside a clean main.
	gitOK(t, dir, "checkout", "-q", "--detach")
	writeRepoFile(t, dir, "t.ini", fakeCredsFile(g))
	gitOK(t, dir, "add", "t.ini")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "tagged")
	gitOK(t, dir, "tag", "v1")
	gitOK(t, dir, "checkout", "-q", "main")
	writeRepoFile(t, dir, "notes.txt", "b\n")
	gitOK(t, dir, "add", "notes.txt")
	gitOK(t, dir, "commit", "-q", "-m", "b")
	refused("git push origin main v1", "t.ini", "origin", "main", "v1")
	gitOK(t, dir, "tag", "-d", "v1")

	// A notes ref pushed beside the branch.
	gitOK(t, dir, "notes", "add", "-m", fakeCredsFile(g), "HEAD")
	refused("git push origin main refs/notes/commits", "AKIA", "origin", "main", "refs/notes/commits")
	gitOK(t, dir, "update-ref", "-d", "refs/notes/commits")

	// An annotated tag whose message holds a key, sent by --follow-tags.
	gitOK(t, dir, "tag", "-a", "v9", "-m", fakeCredsFile(g))
	refused("git push --follow-tags origin main", "tag v9 message", "--follow-tags", "origin", "main")
	gitOK(t, dir, "tag", "-d", "v9")
	if refs := remoteRefs(); strings.Contains(refs, "tags") || strings.Contains(refs, "notes") {
		t.Errorf("a refused ref reached the remote:\n%s", refs)
	}

	// Clean: main goes through, and the chained hook saw git's input.
	if r := gitRun(t, dir, nil, "push", "-q", "origin", "main"); r.code != 0 {
		t.Fatalf("clean push: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// An annotated tag of the pushed commit, alone: no commit to scan, the
	// message refused, and no word of a repository "with no commits"
	// (newuser LOW-15).
	gitOK(t, dir, "tag", "-a", "v8", "-m", fakeCredsFile(g))
	r = gitRun(t, dir, nil, "push", "origin", "v8")
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "tag v8 message") || strings.Contains(r.stdout+r.stderr, "has no commits") ||
		!strings.Contains(r.stdout+r.stderr, "0 commits the remote lacks") {
		t.Errorf("push of a tag of a pushed commit with a key in its message: exit %d\n%s", r.code, r.stderr)
	}
	gitOK(t, dir, "tag", "-d", "v8")
	if log := readRepoFile(t, dir, ".git/chained.log"); !strings.Contains(log, "refs/heads/main ") {
		t.Errorf("the chained pre-push hook did not get git's input:\n%s", log)
	}

	// A branch with a key, pushed, then deleted on the remote by someone
	// else: this clone's tracking branch still names it. A new branch built
	// on it carries the key back.
	gitOK(t, dir, "checkout", "-q", "-b", "feature")
	writeRepoFile(t, dir, "k.ini", fakeCredsFile(g))
	gitOK(t, dir, "add", "k.ini")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "key")
	if r := gitRun(t, dir, nil, "push", "-q", "--no-verify", "origin", "feature"); r.code != 0 {
		t.Fatalf("push --no-verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, remote, "update-ref", "-d", "refs/heads/feature") // scrubbed on the server
	if gitOK(t, dir, "rev-parse", "--verify", "-q", "refs/remotes/origin/feature") == "" {
		t.Fatal("no stale tracking branch")
	}
	gitOK(t, dir, "checkout", "-q", "-b", "feature2")
	writeRepoFile(t, dir, "notes.txt", "more\n")
	gitOK(t, dir, "commit", "-q", "-am", "more")
	refused("git push origin feature2 on a stale tracking branch", "k.ini", "origin", "feature2")
	refused("git push origin feature (pushed back)", "k.ini", "origin", "feature")
	if refs := remoteRefs(); strings.Contains(refs, "feature") {
		t.Errorf("the scrubbed key went back to the remote:\n%s", refs)
	}

	// A deletion sends nothing: it goes through.
	gitOK(t, dir, "push", "-q", "--no-verify", "origin", "main:refs/heads/gone")
	if r := gitRun(t, dir, nil, "push", "-q", "origin", ":gone"); r.code != 0 {
		t.Errorf("push of a deletion: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}

	// Uninstall puts the team's hook back.
	if r := runCmd(t, dir, nil, "keyscan", "hook", "uninstall", "--type", "pre-push"); r.code != 0 {
		t.Fatalf("uninstall --type pre-push: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := readRepoFile(t, dir, ".git/hooks/pre-push"); strings.Contains(got, hookMarker) || !strings.Contains(got, "chained.log") {
		t.Errorf("uninstall did not put back the team's pre-push hook:\n%s", got)
	}
}

// TestPrePushInput: keyscan history --pre-push reads git's pre-push lines;
// input that is not that fails the push (exit 2) rather than scan nothing,
// and a push of only what the remote has scans nothing. The hook's flags
// are checked at install.
func TestPrePushInput(t *testing.T) {
	requireKeyscanOnPath(t)
	dir := newCommittedRepo(t)
	remote := filepath.Join(t.TempDir(), "origin.git")
	gitOK(t, dir, "init", "-q", "--bare", remote)
	gitOK(t, dir, "push", "-q", remote, "main")
	head := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD"))
	zero := strings.Repeat("0", 40)
	run := func(stdin string, args ...string) cmdResult {
		t.Helper()
		return runCmdInput(t, dir, stdin, "keyscan", append([]string{"history"}, args...)...)
	}
	if r := run("garbage\n", "--pre-push", "--unpushed", remote); r.code != exitError || !strings.Contains(r.stderr, "pre-push input") {
		t.Errorf("garbage input: exit %d, want 2\n%s", r.code, r.stderr)
	}
	if r := run("refs/heads/main "+head+" refs/heads/main "+head+"\n", "--pre-push", "--unpushed", remote); r.code != 0 ||
		!strings.Contains(r.stderr, "nothing to scan") {
		t.Errorf("push of what the remote has: exit %d, want 0, nothing scanned\n%s", r.code, r.stderr)
	}
	if r := run("(delete) "+zero+" refs/heads/x "+head+"\n", "--pre-push", "--unpushed", remote); r.code != 0 {
		t.Errorf("deletion: exit %d, want 0\n%s", r.code, r.stderr)
	}
	if r := run("", "--pre-push"); r.code != exitError || !strings.Contains(r.stderr, "--unpushed") {
		t.Errorf("--pre-push without --unpushed: exit %d, want 2\n%s", r.code, r.stderr)
	}
	// A remote that cannot be asked: nothing is left out, and it says so.
	if r := run("", "--unpushed", filepath.Join(t.TempDir(), "missing.git")); r.code != 0 || !strings.Contains(r.stderr, "every commit") {
		t.Errorf("unreachable remote: exit %d, want 0 with a warning\n%s", r.code, r.stderr)
	}
	for _, bad := range [][]string{{"--bogus"}, {"--since", "HEAD"}, {"--verify"}, {"somedir"}} {
		r := runCmd(t, dir, nil, "keyscan", append([]string{"hook", "install", "--type", "pre-push", "--"}, bad...)...)
		if r.code != exitError {
			t.Errorf("hook install --type pre-push -- %q: exit %d, want refused\n%s%s", bad, r.code, r.stdout, r.stderr)
		}
	}
	writeRepoFile(t, dir, "b.json", "{\"version\": 1, \"findings\": []}\n") // a hook's --baseline must exist
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install", "--type", "pre-push", "--", "--baseline", "b.json"); r.code != 0 {
		t.Errorf("hook install --type pre-push -- --baseline b.json: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// runCmdInput runs name in dir with stdin as its standard input.
func runCmdInput(t *testing.T, dir, stdin, name string, args ...string) cmdResult {
	t.Helper()
	return runCmdStdin(t, dir, nil, strings.NewReader(stdin), name, args...)
}

// TestStagedFilesOutsideCommit: keyscan staged given files (the pre-commit
// framework passes them) scans them when no commit is being made (pre-commit
// run --all-files in CI, qa9 MEDIUM-7), and ignores them during one (git
// sets GIT_INDEX_FILE): the index decides what a commit adds. A file named
// like a flag is refused rather than read as one.
func TestStagedFilesOutsideCommit(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(908)
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, "ci.ini", fakeCredsFile(g))
	gitOK(t, dir, "add", "ci.ini")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "committed")
	if r := runCmd(t, dir, nil, "keyscan", "staged", "README.md", "ci.ini"); r.code != 1 || !strings.Contains(r.stdout, "ci.ini") {
		t.Errorf("staged FILES outside a commit: exit %d, want 1 naming ci.ini\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCmd(t, dir, nil, "keyscan", "staged", "--all", "README.md"); r.code != 0 {
		t.Errorf("staged --all FILE outside a commit (clean file): exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCmd(t, dir, []string{"GIT_INDEX_FILE=.git/index"}, "keyscan", "staged", "ci.ini"); r.code != 0 {
		t.Errorf("staged FILES during a commit that adds nothing: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	writeRepoFile(t, dir, "--help", "x\n")
	if r := runCmd(t, dir, nil, "keyscan", "staged", "--help", "ci.ini"); r.code != exitError || !strings.Contains(r.stderr, "rename the file") {
		t.Errorf("a file named --help among the arguments: exit %d, want 2\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestStagedFilesJudgedByWorkTree: outside a commit, the files named are
// judged by the work tree's .keyscan.toml with their paths from its top,
// as the index mode judges them during a commit (newuser MEDIUM-5): a
// fixture the configuration excludes passed the commit and failed CI's
// pre-commit run --all-files, keyscan's own repository included. Its
// allowed values hold as well; a file outside the work tree keeps its own
// folder's configuration.
func TestStagedFilesJudgedByWorkTree(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(909)
	dir := newCommittedRepo(t)
	allowed := g.KeyID("AKIA")
	writeRepoFile(t, dir, ".keyscan.toml", "exclude = [\"**/fixtures/**\"]\n[allow]\nvalues = [\""+allowed+"\"]\n")
	writeRepoFile(t, dir, "pkg/fixtures/creds.ini", fakeCredsFile(g))
	writeRepoFile(t, dir, "pkg/id.txt", "aws_access_key_id = "+allowed+"\n")
	gitOK(t, dir, "add", ".")
	if r := runCmd(t, dir, []string{"GIT_INDEX_FILE=.git/index"}, "keyscan", "staged", "pkg/fixtures/creds.ini", "pkg/id.txt"); r.code != 0 {
		t.Fatalf("during a commit: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	writeRepoFile(t, dir, "pkg/leak.ini", fakeCredsFile(g))
	r := runCmd(t, dir, nil, "keyscan", "staged", "pkg/fixtures/creds.ini", "pkg/id.txt")
	if r.code != 0 || !strings.Contains(r.stderr, "pkg/fixtures/creds.ini: excluded by the work tree's configuration") {
		t.Errorf("outside a commit, an excluded fixture and an allowed value: exit %d, want 0 and the file named as excluded\n%s%s", r.code, r.stdout, r.stderr)
	}
	// From a sub-folder, by a relative path; the other files still count.
	r = runCmd(t, filepath.Join(dir, "pkg"), nil, "keyscan", "staged", "fixtures/creds.ini", "leak.ini", "id.txt")
	if r.code != 1 || !strings.Contains(r.stdout, "leak.ini") || strings.Contains(r.stdout, "fixtures") || strings.Contains(r.stdout, allowed[:8]) {
		t.Errorf("from a sub-folder: exit %d, want 1 naming leak.ini only\n%s%s", r.code, r.stdout, r.stderr)
	}
	// --config names another configuration: it governs instead.
	writeRepoFile(t, dir, "strict.toml", "max_file_size = 1000000\n")
	if r := runCmd(t, dir, nil, "keyscan", "staged", "--config", "strict.toml", "pkg/fixtures/creds.ini"); r.code != 1 {
		t.Errorf("--config without the exclusion: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Outside the work tree: its own folder's configuration, as keyscan scan.
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "creds.ini"), []byte(fakeCredsFile(g)), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, dir, nil, "keyscan", "staged", filepath.Join(out, "creds.ini")); r.code != 1 {
		t.Errorf("a file outside the work tree: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestUnpushedRemoteError: when git ls-remote cannot ask the remote,
// history --unpushed says git's cause ("does not appear to be a git
// repository"), not the last advice line of its message ("and the repository
// exists."), which alone reads as nonsense (qa26 L4); and it still scans what
// the push may carry.
func TestUnpushedRemoteError(t *testing.T) {
	dir := newCommittedRepo(t)
	gitOK(t, dir, "remote", "add", "origin", filepath.Join(t.TempDir(), "missing.git"))
	r := runCmd(t, dir, nil, "keyscan", "history", "--unpushed", "origin", ".")
	if !strings.Contains(r.stderr, "does not appear to be a git repository") || strings.Contains(r.stderr, "ls-remote): and the repository exists") {
		t.Errorf("history --unpushed to a missing remote: want git's cause quoted, got\n%s", r.stderr)
	}
}

func TestGitReason(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"fatal: 'x' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n",
			"fatal: 'x' does not appear to be a git repository; fatal: Could not read from remote repository."},
		{"ssh: connect to host h port 22: Connection refused\r\nfatal: Could not read from remote repository.\n", "ssh: connect to host h port 22: Connection refused; fatal: Could not read from remote repository."},
		{"remote: Not Found\n", "remote: Not Found"},
		{"  \n", ""},
	} {
		if got := gitReason(c.in); got != c.want {
			t.Errorf("gitReason(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
