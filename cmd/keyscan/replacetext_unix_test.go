//go:build unix

package main

import (
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestReplaceTextIsPrivate: the --replace-text file holds the secrets
// unredacted. A new one is 0600; an existing one readable by others, or
// another user's, or a link, is refused unless --force, which replaces it
// with a new private file (a link is refused with --force too).
func TestReplaceTextIsPrivate(t *testing.T) {
	dir := t.TempDir()
	lits := []string{"value-one"}
	mode := func(p string) os.FileMode {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}

	fresh := filepath.Join(dir, "fresh.txt")
	if err := writeReplaceText(fresh, lits, false); err != nil {
		t.Fatal(err)
	}
	if m := mode(fresh); m != 0o600 {
		t.Errorf("new file mode %04o, want 0600", m)
	}
	if err := writeReplaceText(fresh, lits, false); err != nil {
		t.Errorf("rewriting a private file: %v", err)
	}

	open := filepath.Join(dir, "open.txt")
	if err := os.WriteFile(open, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o644); err != nil {
		t.Fatal(err)
	}
	err := writeReplaceText(open, lits, false)
	if err == nil || !strings.Contains(err.Error(), "not private") {
		t.Errorf("a 0644 file: error %v, want a refusal", err)
	}
	if data, _ := os.ReadFile(open); string(data) != "old\n" {
		t.Errorf("a refused file was written: %q", data)
	}
	// Someone who opened it while they could read it (as anyone may a
	// 0644 file, or their own file in /tmp) keeps their descriptor:
	// --force must not hand it the secrets (qa24 H1).
	early, err := os.Open(open)
	if err != nil {
		t.Fatal(err)
	}
	defer early.Close()
	if err := writeReplaceText(open, lits, true); err != nil {
		t.Fatal(err)
	}
	if m := mode(open); m != 0o600 {
		t.Errorf("--force: mode %04o, want 0600", m)
	}
	if data, _ := os.ReadFile(open); !strings.Contains(string(data), "value-one") {
		t.Errorf("--force: the file holds %q, want the expressions", data)
	}
	if seen, _ := io.ReadAll(early); strings.Contains(string(seen), "value-one") {
		t.Errorf("--force: a descriptor opened before reads the secrets: %q", seen)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".open.txt.keyscan-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(fresh, link); err != nil {
		t.Fatal(err)
	}
	if err := writeReplaceText(link, lits, true); err == nil {
		t.Error("wrote through a symlink")
	}

	// Another user's private file is not private to us (run as root, the
	// owner check is what stands between the secrets and that user).
	if os.Geteuid() == 0 {
		u, err := user.Lookup("nobody")
		if err != nil {
			t.Skipf("no user nobody: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		theirs := filepath.Join(dir, "theirs.txt")
		if err := os.WriteFile(theirs, []byte("old\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(theirs, uid, -1); err != nil {
			t.Fatal(err)
		}
		if err := writeReplaceText(theirs, lits, false); err == nil || !strings.Contains(err.Error(), "owner uid "+u.Uid) {
			t.Errorf("another user's file: error %v, want a refusal naming the owner", err)
		}
		if err := writeReplaceText(theirs, lits, true); err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(theirs)
		if st := fi.Sys().(*syscall.Stat_t); int(st.Uid) != os.Geteuid() {
			t.Errorf("--force left the file to uid %d", st.Uid)
		}
	}
}

// TestReplaceTextThroughPlantedFolderLink: a folder link committed in the
// checkout (out -> ../elsewhere) must not choose where the secrets file is
// written, as it cannot choose where --output writes (qa24 L2).
func TestReplaceTextThroughPlantedFolderLink(t *testing.T) {
	requireKeyscanOnPath(t)
	top := t.TempDir()
	elsewhere := filepath.Join(top, "elsewhere")
	repo := filepath.Join(top, "r")
	if err := os.Mkdir(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	gitOK(t, top, "init", "-q", "r")
	g := fakekey.New(2402)
	writeRepoFile(t, repo, "creds", "aws_access_key_id = "+g.KeyID("AKIA")+"\naws_secret_access_key = "+g.Secret()+"\n")
	if err := os.Symlink("../elsewhere", filepath.Join(repo, "out")); err != nil {
		t.Fatal(err)
	}
	gitOK(t, repo, "add", "-A")
	gitOK(t, repo, "commit", "-qm", "key")
	// A private file of the user's in the linked folder (~/.aws/credentials
	// through out -> ~/.aws) must be left as it is.
	mine := filepath.Join(elsewhere, "replacements.txt")
	if err := os.WriteFile(mine, []byte("the user's own\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, force := range []bool{false, true} {
		args := []string{"history", "--replace-text", "out/replacements.txt"}
		if force {
			args = append(args, "--force")
		}
		r := runCmd(t, repo, nil, "keyscan", append(args, ".")...)
		if r.code != exitError || !strings.Contains(r.stderr, "the folder out is a symbolic link") {
			t.Errorf("%v: exit %d, want %d and the link named\n%s", args, r.code, exitError, r.stderr)
		}
		if b, err := os.ReadFile(mine); err != nil || string(b) != "the user's own\n" {
			t.Errorf("%v: the file behind the link was changed: %q %v", args, b, err)
		}
		if left, _ := filepath.Glob(filepath.Join(elsewhere, ".*")); len(left) != 0 {
			t.Errorf("%v: files left behind the link: %v", args, left)
		}
	}
	// Through the real folder, named as such, it is written.
	if r := runCmd(t, repo, nil, "keyscan", "history", "--replace-text", filepath.Join(top, "real.txt"), "."); r.code != exitFindings {
		t.Errorf("history --replace-text into a real folder: exit %d\n%s", r.code, r.stderr)
	}
}
