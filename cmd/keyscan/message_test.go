package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestCommitMsgHook: the commit hooks look at the commit message too (qa10
// LOW-8). hook install writes commit-msg (git commit, git merge) and
// applypatch-msg (git am), which run keyscan staged --message on the file
// git passes; real commits, merges and patches go through them.
func TestCommitMsgHook(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(811)
	dir := newCommittedRepo(t)
	hooks := filepath.Join(dir, ".git", "hooks")
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install"); r.code != 0 {
		t.Fatalf("hook install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, h := range []string{"commit-msg", "applypatch-msg"} {
		if !strings.Contains(readRepoFile(t, hooks, h), hookMarker) {
			t.Errorf("%s not installed", h)
		}
	}
	head := func() string { return strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD")) }
	pair := "AWS_ACCESS_KEY_ID=" + g.KeyID("AKIA") + " AWS_SECRET_ACCESS_KEY=" + g.Secret()

	// A key pasted into git commit -m: refused, nothing committed.
	writeRepoFile(t, dir, "notes.txt", "one\n")
	gitOK(t, dir, "add", "notes.txt")
	before := head()
	r := gitRun(t, dir, nil, "commit", "-q", "-m", "deploy with "+pair)
	if r.code == 0 || !strings.Contains(r.stderr, "commit message") || !strings.Contains(r.stderr, "this commit's message holds the credentials above") ||
		!strings.Contains(r.stderr, "git commit -e -F .git/COMMIT_EDITMSG") {
		t.Errorf("commit with a key in its message: exit %d, want refused with the message's footer\n%s%s", r.code, r.stdout, r.stderr)
	}
	if head() != before {
		t.Fatal("the commit with a key in its message was made")
	}
	// A line starting with '#' stays in a -m message: it is read too.
	r = gitRun(t, dir, nil, "commit", "-q", "-m", "deploy\n\n# "+pair)
	if r.code == 0 {
		t.Errorf("commit with a key on a '#' line of -m: exit 0, want refused (git keeps the line)")
	}
	// Below a scissors line: git cuts there only with -v, and -m keeps
	// what follows it (qa12 HIGH-1).
	r = gitRun(t, dir, nil, "commit", "-q", "-m", "deploy\n\n# "+scissors+"\n"+strings.ReplaceAll(pair, " ", "\n"))
	if r.code == 0 {
		t.Errorf("commit with a key below a scissors line of -m: exit 0, want refused (git keeps the lines)")
	}
	// The same on a line shaped as a diff's removed line, of a file HEAD
	// does not hold the value in: refused too.
	r = gitRun(t, dir, nil, "commit", "-q", "-m", "deploy\n# "+scissors+"\ndiff --git a/notes.txt b/notes.txt\n-"+pair)
	if r.code == 0 {
		t.Errorf("commit with a key on a '-' line below a scissors line: exit 0, want refused (HEAD's notes.txt does not hold it)")
	}
	// The same commit with a clean message goes through, and says nothing.
	r = gitRun(t, dir, nil, "commit", "-q", "-m", "notes")
	if r.code != 0 || r.stderr != "" {
		t.Errorf("clean commit: exit %d, stderr %q", r.code, r.stderr)
	}

	// git commit -v: the diff below the scissors line is not the message.
	// Removing a committed key shows it there (a removed line), and the
	// commit is let through.
	writeRepoFile(t, dir, "old.env", strings.ReplaceAll(pair, " ", "\n")+"\n")
	gitOK(t, dir, "add", "old.env")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "a key, hook skipped")
	gitOK(t, dir, "rm", "-q", "old.env")
	editor := []string{"GIT_EDITOR=sed -i 1s/^/remove-the-key/"}
	if r := gitRun(t, dir, editor, "commit", "-q", "-v"); r.code != 0 {
		t.Errorf("git commit -v removing a key: exit %d, want 0 (the diff is not the message)\n%s%s", r.code, r.stdout, r.stderr)
	}
	if msg := gitOK(t, dir, "log", "-1", "--format=%s"); !strings.Contains(msg, "remove-the-key") {
		t.Errorf("git commit -v made %q", msg)
	}

	// git commit -v of a fixture the configuration excludes (qa12
	// MEDIUM-13): the diff below the scissors adds the key, the index
	// holds it, and the pre-commit hook let it through: so does
	// commit-msg. The same with diff.noprefix.
	writeRepoFile(t, dir, ".keyscan.toml", "exclude = [\"**/testdata/**\"]\n")
	gitOK(t, dir, "add", ".keyscan.toml")
	gitOK(t, dir, "commit", "-q", "-m", "config")
	for i, c := range [][]string{nil, {"-c", "diff.noprefix=true"}, {"-c", "diff.mnemonicPrefix=true"}} {
		g2 := fakekey.New(uint64(900 + i))
		name := fmt.Sprintf("pkg/testdata/k%d.ini", i)
		writeRepoFile(t, dir, name, "aws_access_key_id = "+g2.KeyID("AKIA")+"\naws_secret_access_key = "+g2.Secret()+"\n")
		gitOK(t, dir, "add", name)
		if r := gitRun(t, dir, editor, append(c, "commit", "-q", "-v")...); r.code != 0 {
			t.Errorf("git %v commit -v of an excluded fixture: exit %d, want 0\n%s%s", c, r.code, r.stdout, r.stderr)
		}
	}

	// The message of a merge commit: git merge runs commit-msg.
	gitOK(t, dir, "checkout", "-q", "-b", "side")
	writeRepoFile(t, dir, "side.txt", "side\n")
	gitOK(t, dir, "add", "side.txt")
	gitOK(t, dir, "commit", "-q", "-m", "side")
	gitOK(t, dir, "checkout", "-q", "main")
	before = head()
	if r := gitRun(t, dir, nil, "merge", "--no-ff", "-m", "merge "+pair, "side"); r.code == 0 {
		t.Errorf("merge with a key in its message: exit 0, want refused")
	}
	if head() != before {
		t.Error("the merge with a key in its message was committed")
	}
	gitRun(t, dir, nil, "merge", "--abort")

	// git am: a patch whose message holds a key is refused by
	// applypatch-msg, with git am's own way out.
	gitOK(t, dir, "checkout", "-q", "side")
	writeRepoFile(t, dir, "p.txt", "p\n")
	gitOK(t, dir, "add", "p.txt")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "patch "+pair)
	patch := filepath.Join(t.TempDir(), "msg.patch")
	if err := os.WriteFile(patch, []byte(gitOK(t, dir, "format-patch", "-1", "--stdout")), 0o644); err != nil {
		t.Fatal(err)
	}
	gitOK(t, dir, "checkout", "-q", "main")
	before = head()
	r = gitRun(t, dir, nil, "am", patch)
	if r.code == 0 || !strings.Contains(r.stderr, "this patch's message holds the credentials above") || !strings.Contains(r.stderr, "git am --abort") {
		t.Errorf("git am of a patch with a key in its message: exit %d, want refused with git am's footer\n%s%s", r.code, r.stdout, r.stderr)
	}
	if head() != before {
		t.Error("git am committed the patch whose message holds a key")
	}
	gitOK(t, dir, "am", "--abort")

	// By hand, on a message file: the footer says what the hook would do.
	writeRepoFile(t, dir, "draft.txt", "subject\n\n"+pair+"\n")
	r = runCmd(t, dir, nil, "keyscan", "staged", "--message", "draft.txt")
	if r.code != exitFindings || !strings.Contains(r.stderr, "the commit-msg hook would stop its commit") {
		t.Errorf("keyscan staged --message by hand: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCmd(t, dir, nil, "keyscan", "staged", "--message"); r.code != exitError {
		t.Errorf("--message without its file: exit %d, want 2", r.code)
	}
	if r := runCmd(t, dir, nil, "keyscan", "staged", "--message", "missing.txt"); r.code != exitError || !strings.Contains(r.stderr, "could not be checked") {
		t.Errorf("--message of a missing file: exit %d, want 2\n%s", r.code, r.stderr)
	}
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install", "--", "--message"); r.code != exitError {
		t.Errorf("hook install -- --message: exit %d, want refused", r.code)
	}

	if r := runCmd(t, dir, nil, "keyscan", "hook", "uninstall"); r.code != 0 {
		t.Fatalf("uninstall: exit %d\n%s", r.code, r.stderr)
	}
	for _, h := range []string{"commit-msg", "applypatch-msg"} {
		if _, err := os.Lstat(filepath.Join(hooks, h)); err == nil {
			t.Errorf("uninstall left %s", h)
		}
	}
}

// TestScissorsLine: git's scissors line (with the repository's comment
// prefix) is found; anything else, comment lines included, is not one.
func TestScissorsLine(t *testing.T) {
	cut := "# " + scissors + "\n# Do not modify or remove the line above.\ndiff --git a/x b/x\n"
	for _, c := range []struct {
		msg, prefix string
		want        int
	}{
		{"subject\n\nbody\n", "#", 0},
		{"subject\n# a comment\n" + cut, "#", 3},
		{"subject\r\n# " + scissors + "\r\nrest", "#", 2},
		{"subject\n; " + scissors + "\nrest", ";", 2},
		{"subject\n; " + scissors + "\nrest", "#", 0},
		{"subject\n; " + scissors + "\nrest", "", 2},
		{"subject\n//  " + scissors + "\nrest", "//", 0},
		{"subject\n// " + scissors + "\nrest", "//", 2},
		{"x " + scissors + " y\n", "#", 0},
	} {
		if got := scissorsLine([]byte(c.msg), c.prefix); got != c.want {
			t.Errorf("scissorsLine(%q, %q) = %d, want %d", c.msg, c.prefix, got, c.want)
		}
	}
}

// TestCommitVVUnstagedDiff: git commit -vv writes below the scissors line,
// after the staged diff, the changes not staged; git cuts both from the
// message, and the unstaged change is not committed. A key that a work
// tree file holds unstaged is on that diff's lines: the commit-msg hook
// lets the commit through, and the commit holds neither the key nor the
// file's change. A key on such a line that the work tree does not hold is
// still judged as message text.
func TestCommitVVUnstagedDiff(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(812)
	dir := newCommittedRepo(t)
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install"); r.code != 0 {
		t.Fatalf("hook install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	writeRepoFile(t, dir, "local.env", "REGION=eu-west-1\n")
	gitOK(t, dir, "add", "local.env")
	gitOK(t, dir, "commit", "-q", "-m", "local settings")
	id, secret := g.KeyID("AKIA"), g.Secret()
	writeRepoFile(t, dir, "local.env", "REGION=eu-west-1\nAWS_ACCESS_KEY_ID="+id+"\nAWS_SECRET_ACCESS_KEY="+secret+"\n")
	writeRepoFile(t, dir, "notes.txt", "notes\n")
	gitOK(t, dir, "add", "notes.txt")
	editor := []string{"GIT_EDITOR=sed -i 1s/^/notes/"}
	for _, c := range [][]string{nil, {"-c", "diff.noprefix=true"}, {"-c", "diff.mnemonicPrefix=true"}} {
		before := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD"))
		if r := gitRun(t, dir, editor, append(c, "commit", "-q", "-vv")...); r.code != 0 {
			t.Fatalf("git %v commit -vv with a key unstaged: exit %d, want 0 (git cuts the unstaged diff)\n%s%s", c, r.code, r.stdout, r.stderr)
		}
		if msg := gitOK(t, dir, "log", "-1", "--format=%B"); strings.Contains(msg, id) || strings.Contains(msg, secret[:20]) || !strings.HasPrefix(msg, "notes") {
			t.Fatalf("git commit -vv made the message %q", msg)
		}
		if show := gitOK(t, dir, "show", "HEAD:local.env"); strings.Contains(show, id) {
			t.Fatal("the unstaged key was committed")
		}
		writeRepoFile(t, dir, "notes.txt", "notes "+before+"\n")
		gitOK(t, dir, "add", "notes.txt")
	}
	// A -m message that copies such a diff with a key the work tree does
	// not hold: git keeps the lines, and the hook refuses them.
	g2 := fakekey.New(813)
	forged := "notes\n# " + scissors + "\ndiff --git i/local.env w/local.env\n+AWS_ACCESS_KEY_ID=" + g2.KeyID("AKIA") + "\n+AWS_SECRET_ACCESS_KEY=" + g2.Secret() + "\n"
	if r := gitRun(t, dir, nil, "commit", "-q", "-m", forged); r.code == 0 {
		t.Errorf("git commit -m with a key on a copied unstaged diff the work tree does not hold: exit 0, want refused")
	}
}
