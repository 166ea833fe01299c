package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestStrictHistoryAndStaged: history and staged take --strict (and the
// configuration's strict = true) as scan does: part of an archive left
// unscanned, or an object of the history that cannot be read, makes the
// exit status 2 even when findings are reported; without it they are
// warnings.
func TestStrictHistoryAndStaged(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(23)
	dir := strictRepo(t)
	// An encrypted member is left unread; the other holds a key. (A member
	// over max_file_size would fail the hooks without --strict, as a file
	// over it does: TestStrictCountsFilesOverMaxFileSize.)
	vault := archivetest.ZipEncrypted(t, archivetest.F("notes.txt", []byte("release notes\n")))
	jar := archivetest.Zip(t, archivetest.F("lib/vault.zip", vault),
		archivetest.F("conf/app.ini", []byte("aws_access_key_id = "+g.KeyID("AKIA")+"\n")))
	writeRepoFile(t, dir, "app.jar", string(jar))
	gitOK(t, dir, "add", "app.jar")

	unscanned := "strict: 1 archive part not scanned whole"
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"staged"}, exitFindings, ""},
		{[]string{"staged", "--strict"}, exitError, unscanned},
	} {
		r := runCmd(t, dir, nil, "keyscan", c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("keyscan %s: exit %d, want %d and %q\nstdout:\n%s\nstderr:\n%s", strings.Join(c.args, " "), r.code, c.code, c.want, r.stdout, r.stderr)
		}
	}
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "add the app")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"history", "."}, exitFindings, "1 archive part not scanned"},
		{[]string{"history", "--strict", "."}, exitError, unscanned},
	} {
		r := runCmd(t, dir, nil, "keyscan", c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("keyscan %s: exit %d, want %d and %q\nstdout:\n%s\nstderr:\n%s", strings.Join(c.args, " "), r.code, c.code, c.want, r.stdout, r.stderr)
		}
	}

	// strict = true in the configuration does what --strict does. (history
	// reads the configuration committed at HEAD, or --config.)
	strict := filepath.Join(t.TempDir(), "strict.toml")
	writeRepoFile(t, filepath.Dir(strict), "strict.toml", "max_file_size = 1000\nstrict = true\n")
	if r := runCmd(t, dir, nil, "keyscan", "history", "--config", strict, "."); r.code != exitError || !strings.Contains(r.stderr, unscanned) {
		t.Errorf("history with strict = true: exit %d, want %d\n%s", r.code, exitError, r.stderr)
	}

	// A blob of the history that cannot be read: a warning, and exit 2
	// with --strict.
	writeRepoFile(t, dir, "lost.txt", "this blob goes missing\n")
	gitOK(t, dir, "add", "lost.txt")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "lost")
	id := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD:lost.txt"))
	if err := os.Remove(filepath.Join(dir, ".git", "objects", id[:2], id[2:])); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"history", "."}, exitFindings, "lost.txt"},
		{[]string{"history", "--strict", "."}, exitError, "strict: 1 object could not be read"},
	} {
		r := runCmd(t, dir, nil, "keyscan", c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("keyscan %s: exit %d, want %d and %q\nstdout:\n%s\nstderr:\n%s", strings.Join(c.args, " "), r.code, c.code, c.want, r.stdout, r.stderr)
		}
	}
}

// TestStrictCountsFilesOverMaxFileSize (qa3 LOW-6): --strict wants every
// byte read, so a file skipped for being over max_file_size makes scan and
// history exit 2; without --strict it is a warning. The hooks fail on it
// whatever --strict says, as the server's gate does (qa13 MEDIUM-13):
// staged in a commit and with files named (CI), history --unpushed; their
// message names the file, its size, the limit and how to allow it, under
// --quiet too.
func TestStrictCountsFilesOverMaxFileSize(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(24)
	dir := strictRepo(t)
	// git init's sample hooks are scanned as any file of .git/hooks is
	// (qa13 HIGH-4), and several are over this test's max_file_size.
	samples, _ := filepath.Glob(filepath.Join(dir, ".git", "hooks", "*.sample"))
	for _, s := range samples {
		os.Remove(s)
	}
	big := strings.Repeat("x", 2000) + "\naws_access_key_id = " + g.KeyID("AKIA") + "\n"
	writeRepoFile(t, dir, "big.txt", big)
	gitOK(t, dir, "add", "big.txt")
	check := func(code int, want string, args ...string) {
		t.Helper()
		r := runCmd(t, dir, nil, "keyscan", args...)
		if r.code != code || !strings.Contains(r.stderr, want) {
			t.Errorf("keyscan %s: exit %d, want %d and %q\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, code, want, r.stdout, r.stderr)
		}
	}
	tooLarge := "not scanned (larger than max_file_size)"
	hook := "1 file over its size limit not scanned: a hook fails on it, as the server's gate does; " +
		"to allow it, raise max_file_size (for an archive, archives.max_archive_size) in .keyscan.toml, or exclude the path there"
	named := fmt.Sprintf("big.txt: %d bytes, larger than max_file_size (1000 bytes): not scanned", len(big))
	check(exitClean, "", "scan", ".")
	check(exitError, "strict: 1 file "+tooLarge, "scan", "--strict", ".")
	check(exitError, "strict: 1 file "+tooLarge, "scan", "--strict", "big.txt")
	for _, args := range [][]string{{"staged"}, {"staged", "big.txt"}, {"staged", "--quiet"}, {"staged", "--quiet", "big.txt"}} {
		check(exitError, "keyscan staged: "+hook, args...)
		check(exitError, named, args...)
	}
	check(exitError, "keyscan staged: "+hook, "staged", "--strict")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "a big file")
	check(exitClean, "", "history", ".")
	check(exitError, "strict: 1 blob "+tooLarge, "history", "--strict", ".")
	remote := t.TempDir()
	gitOK(t, remote, "init", "-q", "--bare")
	check(exitError, "keyscan history: "+hook, "history", "--unpushed", remote, ".")
	check(exitError, "big.txt: blob of "+named[len("big.txt: "):], "history", "--quiet", "--unpushed", remote, ".")
	// Allowed by the configuration, as the message says: the file is read.
	// history reads HEAD's configuration.
	writeRepoFile(t, dir, ".keyscan.toml", "max_file_size = 3000\n")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-am", "raise the limit")
	check(exitFindings, "", "history", "--unpushed", remote, ".")
	writeRepoFile(t, dir, ".keyscan.toml", "max_file_size = 1000\nexclude = [\"big.txt\"]\n")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-am", "exclude it")
	check(exitClean, "", "history", "--unpushed", remote, ".")
}

// strictRepo returns a committed repository (newCommittedRepo) whose
// configuration sets max_file_size to 1,000 bytes.
func strictRepo(t *testing.T) string {
	t.Helper()
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, ".keyscan.toml", "max_file_size = 1000\n")
	gitOK(t, dir, "add", ".keyscan.toml")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "config")
	return dir
}
