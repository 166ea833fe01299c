package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// These tests run the keyscan binary that testscript.Main puts on PATH (the
// test binary under the name keyscan) inside real repositories, through the
// hooks git itself runs.

var testGitEnv = []string{
	"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
	"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com",
	"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "NO_COLOR=1",
}

type cmdResult struct {
	code           int
	stdout, stderr string
}

// runCmd runs a command in dir and returns its exit status and output.
func runCmd(t *testing.T, dir string, env []string, name string, args ...string) cmdResult {
	t.Helper()
	return runCmdStdin(t, dir, env, nil, name, args...)
}

// runCmdStdin is runCmd with stdin (nil: none) as the command's standard
// input: hooks read git's ref lines there.
func runCmdStdin(t *testing.T, dir string, env []string, stdin io.Reader, name string, args ...string) cmdResult {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), testGitEnv...), env...)
	cmd.Stdin = stdin
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := cmdResult{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return r
}

// gitOK runs git with a fixed configuration and fails the test on error.
func gitOK(t *testing.T, dir string, args ...string) string {
	t.Helper()
	r := gitRun(t, dir, nil, args...)
	if r.code != 0 {
		t.Fatalf("git %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

func gitRun(t *testing.T, dir string, env []string, args ...string) cmdResult {
	t.Helper()
	full := append([]string{"-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
		"-c", "user.name=Test", "-c", "user.email=test@example.com"}, args...)
	return runCmd(t, dir, env, "git", full...)
}

func writeRepoFile(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func requireKeyscanOnPath(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("keyscan"); err != nil {
		t.Fatalf("keyscan is not on PATH (testscript.Main should have put it there): %v", err)
	}
}

func newCommittedRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	gitOK(t, dir, "init", "-q")
	writeRepoFile(t, dir, "README.md", "# project\n")
	writeRepoFile(t, dir, "app/config.go", "package app\n\nconst Region = \"eu-west-1\"\n")
	gitOK(t, dir, "add", ".")
	gitOK(t, dir, "commit", "-q", "-m", "initial")
	return dir
}

func fakeCredsFile(g *fakekey.Gen) string {
	return "[default]\naws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n"
}

func TestStagedCommandOutput(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(101)
	dir := newCommittedRepo(t)
	// Clean: silent like git's own hooks, unless --verbose.
	if r := runCmd(t, dir, nil, "keyscan", "staged"); r.code != exitClean || r.stdout != "" || r.stderr != "" {
		t.Fatalf("nothing staged: exit %d, want 0 and no output\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCmd(t, dir, nil, "keyscan", "staged", "--verbose"); r.code != exitClean || r.stdout != "keyscan staged: no credentials found\n" {
		t.Fatalf("nothing staged, --verbose: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	writeRepoFile(t, dir, "deploy/creds.ini", fakeCredsFile(g))
	gitOK(t, dir, "add", ".")

	r := runCmd(t, filepath.Join(dir, "app"), nil, "keyscan", "staged") // from a subfolder
	if r.code != exitFindings {
		t.Fatalf("exit %d, want %d\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	for _, want := range []string{"deploy/creds.ini  fix [1]\n", "  lines 2-3  AKIA****", " + secret ", "How to fix"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	// Run by hand, nothing was stopped; run by git, the commit was.
	if strings.Contains(r.stderr, "stopped") || !strings.Contains(r.stderr, "the pre-commit hook would stop their commit") {
		t.Errorf("by hand, the footer says:\n%s", r.stderr)
	}
	for _, want := range []string{"keyscan:allow <reason>", "keyscan baseline staged", "git commit --no-verify"} {
		if strings.Count(r.stderr, want) != 1 {
			t.Errorf("stderr should say %q once:\n%s", want, r.stderr)
		}
	}

	for _, args := range [][]string{{"staged", "--quiet"}, {"staged", "--format", "json"}} {
		r := runCmd(t, dir, nil, "keyscan", args...)
		if r.code != exitFindings || strings.Contains(r.stderr, "--no-verify") {
			t.Errorf("keyscan %s: exit %d, want 1 and no footer; stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	if r := runCmd(t, dir, nil, "keyscan", "staged", "extra"); r.code != exitError {
		t.Errorf("unexpected argument: exit %d, want %d", r.code, exitError)
	}
	if r := runCmd(t, t.TempDir(), nil, "keyscan", "staged"); r.code != exitError || !strings.Contains(r.stderr, "not inside a git work tree") {
		t.Errorf("outside a repository: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestHookRefusesACommitThatAddsAKey(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(102)
	dir := newCommittedRepo(t)
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install"); r.code != 0 {
		t.Fatalf("hook install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A clean commit passes.
	writeRepoFile(t, dir, "app/config.go", "package app\n\nconst Region = \"us-east-1\"\n")
	gitOK(t, dir, "commit", "-q", "-am", "clean")

	// A commit adding a key is refused, with the message.
	writeRepoFile(t, dir, "creds.ini", fakeCredsFile(g))
	gitOK(t, dir, "add", "creds.ini")
	r := gitRun(t, dir, nil, "commit", "-q", "-m", "leak")
	if r.code != 1 {
		t.Fatalf("commit adding a key: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{"creds.ini  fix [1]", "lines 2-3", "so it was stopped", "git commit --no-verify", "keyscan:allow"} {
		if !strings.Contains(out, want) {
			t.Errorf("refusal lacks %q:\n%s", want, out)
		}
	}
	gitOK(t, dir, "rm", "-q", "--cached", "creds.ini")

	// git commit -a stages into a temporary index: the hook sees it.
	writeRepoFile(t, dir, "app/config.go", "package app\n\n// "+fakeCredsFile(g))
	if r := gitRun(t, dir, nil, "commit", "-q", "-am", "leak via -a"); r.code != 1 {
		t.Errorf("git commit -a adding a key: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	// So does git commit PATH.
	if r := gitRun(t, filepath.Join(dir, "app"), nil, "commit", "-q", "-m", "leak via path", "config.go"); r.code != 1 {
		t.Errorf("git commit PATH adding a key: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, dir, "checkout", "--", "app/config.go")

	// A false positive allowed with a reason passes.
	writeRepoFile(t, dir, "fixture.ini", "aws_access_key_id = "+g.KeyID("AKIA")+" # keyscan:allow test fixture, not a real key\n")
	gitOK(t, dir, "add", "fixture.ini")
	if r := gitRun(t, dir, nil, "commit", "-q", "-m", "allowed"); r.code != 0 {
		t.Errorf("allowed value: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A commit that does not touch the key already in HEAD passes.
	writeRepoFile(t, dir, "old.ini", fakeCredsFile(g))
	gitOK(t, dir, "add", "old.ini")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "an old leak")
	writeRepoFile(t, dir, "old.ini", readRepoFile(t, dir, "old.ini")+"region = eu-west-1\n")
	if r := gitRun(t, dir, nil, "commit", "-q", "-am", "unrelated"); r.code != 0 {
		t.Errorf("unrelated change to a file with an old key: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func readRepoFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHookInstallFollowsHooksPathAndChains(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(103)
	dir := newCommittedRepo(t)
	gitOK(t, dir, "config", "core.hooksPath", ".githooks")
	hooks := filepath.Join(dir, ".githooks")
	writeRepoFile(t, dir, ".githooks/pre-commit", "#!/bin/sh\necho chained-ran >> \"$(git rev-parse --show-toplevel)/chained.log\"\n")
	if err := os.Chmod(filepath.Join(hooks, "pre-commit"), 0o755); err != nil {
		t.Fatal(err)
	}
	original := readRepoFile(t, dir, ".githooks/pre-commit")

	r := runCmd(t, filepath.Join(dir, "app"), nil, "keyscan", "hook", "install")
	if r.code != 0 || !strings.Contains(r.stdout, "runs the hook that was there first") {
		t.Fatalf("hook install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git", "hooks", "pre-commit")); err == nil {
		t.Error("installed into .git/hooks although core.hooksPath is set")
	}
	gitOK(t, dir, "commit", "-q", "--allow-empty", "-m", "empty")
	if !strings.Contains(readRepoFile(t, dir, "chained.log"), "chained-ran") {
		t.Error("the chained hook did not run")
	}
	writeRepoFile(t, dir, "k.ini", fakeCredsFile(g))
	gitOK(t, dir, "add", "k.ini")
	if r := gitRun(t, dir, nil, "commit", "-q", "-m", "leak"); r.code != 1 {
		t.Errorf("commit adding a key with core.hooksPath: exit %d, want 1", r.code)
	}

	// Installing again updates keyscan's hook and keeps the chain.
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install"); r.code != 0 || !strings.Contains(r.stdout, "updated") {
		t.Errorf("second install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if readRepoFile(t, dir, ".githooks/"+chainedName) != original {
		t.Error("second install changed the chained hook")
	}

	// Uninstall puts the original back, byte for byte.
	if r := runCmd(t, dir, nil, "keyscan", "hook", "uninstall"); r.code != 0 {
		t.Fatalf("uninstall: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := readRepoFile(t, dir, ".githooks/pre-commit"); got != original {
		t.Errorf("after uninstall the hook is\n%s\nwant the original\n%s", got, original)
	}
	if _, err := os.Stat(filepath.Join(hooks, chainedName)); err == nil {
		t.Error("uninstall left the chained copy")
	}
	// ... and refuses to remove a hook that is not keyscan's.
	if r := runCmd(t, dir, nil, "keyscan", "hook", "uninstall"); r.code != exitError || !strings.Contains(r.stderr, "not installed by keyscan") {
		t.Errorf("uninstall of a foreign hook: exit %d, stderr %q", r.code, r.stderr)
	}
	if got := readRepoFile(t, dir, ".githooks/pre-commit"); got != original {
		t.Error("uninstall of a foreign hook changed it")
	}
}

func TestHookInstallRefusesToClobberWithoutForce(t *testing.T) {
	requireKeyscanOnPath(t)
	dir := newCommittedRepo(t)
	hooks := filepath.Join(dir, ".git", "hooks")
	writeRepoFile(t, dir, ".git/hooks/pre-commit", "#!/bin/sh\nexit 0\n")
	writeRepoFile(t, dir, ".git/hooks/"+chainedName, "#!/bin/sh\n# left over\nexit 0\n")
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install"); r.code != exitError || !strings.Contains(r.stderr, "--force") {
		t.Errorf("install over a hook and a leftover chain: exit %d, stderr %q", r.code, r.stderr)
	}
	if got := readRepoFile(t, hooks, "pre-commit"); got != "#!/bin/sh\nexit 0\n" {
		t.Errorf("refused install changed the hook: %q", got)
	}
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install", "--force"); r.code != 0 {
		t.Fatalf("install --force: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := readRepoFile(t, hooks, chainedName); got != "#!/bin/sh\nexit 0\n" {
		t.Errorf("install --force chained %q, want the hook that was in place", got)
	}
	if r := runCmd(t, dir, nil, "keyscan", "hook", "uninstall"); r.code != 0 {
		t.Fatalf("uninstall: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := readRepoFile(t, hooks, "pre-commit"); got != "#!/bin/sh\nexit 0\n" {
		t.Errorf("uninstall restored %q", got)
	}
	if r := runCmd(t, dir, nil, "keyscan", "hook", "uninstall"); r.code != exitError {
		t.Errorf("second uninstall: exit %d, want %d (the hook is not keyscan's)", r.code, exitError)
	}
	if err := os.Remove(filepath.Join(hooks, "pre-commit")); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, dir, nil, "keyscan", "hook", "uninstall"); r.code != 0 || !strings.Contains(r.stdout, "nothing to remove") {
		t.Errorf("uninstall with no hook: exit %d, stdout %q", r.code, r.stdout)
	}
	if r := runCmd(t, dir, nil, "keyscan", "hook", "remove"); r.code != exitError {
		t.Errorf("unknown hook subcommand: exit %d, want %d", r.code, exitError)
	}
}

func TestHookPassesStagedFlags(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(104)
	dir := newCommittedRepo(t)
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install", "--", "--config", "keyscan.toml"); r.code != 0 {
		t.Fatalf("hook install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	writeRepoFile(t, dir, "keyscan.toml", "exclude = [\"fixtures/**\"]\n")
	writeRepoFile(t, dir, "fixtures/k.ini", fakeCredsFile(g))
	gitOK(t, dir, "add", ".")
	if r := gitRun(t, dir, nil, "commit", "-q", "-m", "fixture"); r.code != 0 {
		t.Errorf("commit of an excluded fixture: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestHookInstallNeverWritesThroughALink: a dangling link in place of the
// hook made install create the file it points to, outside the hooks folder
// (qa7 LOW-5); a link to keyscan's own hook elsewhere is replaced in the
// hooks folder, its target left as it was.
func TestHookInstallNeverWritesThroughALink(t *testing.T) {
	requireKeyscanOnPath(t)
	dir := newCommittedRepo(t)
	hook := filepath.Join(dir, ".git", "hooks", "pre-commit")
	nowhere := filepath.Join(t.TempDir(), "nowhere")
	if err := os.Symlink(nowhere, hook); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install"); r.code != exitError || !strings.Contains(r.stderr, "does not exist") {
		t.Errorf("install over a dangling link: exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Lstat(nowhere); err == nil {
		t.Errorf("install created %s through the link", nowhere)
	}
	// A link to a keyscan hook kept elsewhere.
	shared := filepath.Join(t.TempDir(), "pre-commit")
	if err := os.WriteFile(shared, []byte("#!/bin/sh\n# "+hookMarker+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Remove(hook)
	if err := os.Symlink(shared, hook); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install"); r.code != 0 {
		t.Fatalf("install over a link to a keyscan hook: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if b, _ := os.ReadFile(shared); string(b) != "#!/bin/sh\n# "+hookMarker+"\n" {
		t.Errorf("install wrote through the link: %q", b)
	}
	if fi, err := os.Lstat(hook); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o755 {
		t.Errorf("the hook is not a new executable file: %v %v", fi.Mode(), err)
	}
}
