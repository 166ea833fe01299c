package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/gittest"
)

// keyscanIn runs the keyscan binary in dir with a bound: a run that blocks
// is killed and fails the test (qa7 HIGH-2 and HIGH-3 were hangs). The
// bound measures nothing.
func keyscanIn(t *testing.T, dir string, args ...string) cmdResult {
	t.Helper()
	requireKeyscanOnPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "keyscan", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), testGitEnv...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("keyscan %s did not end", strings.Join(args, " "))
	}
	r := cmdResult{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// keyInOldCommit is a repository whose key was committed, then deleted,
// with the blob that holds it.
func keyInOldCommit(t *testing.T, seed uint64) (dir, blob string) {
	t.Helper()
	dir = newCommittedRepo(t)
	writeRepoFile(t, dir, ".env", fakeCredsFile(fakekey.New(seed)))
	gitOK(t, dir, "add", ".env")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "key")
	blob = strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD:.env"))
	gitOK(t, dir, "rm", "-q", ".env")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "remove")
	return dir, blob
}

func replaceWithLink(t *testing.T, p, target string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.Remove(p)
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

// TestHistoryObjectStoreNotRegular (qa7 HIGH-2): a FIFO in place of the
// key's blob, or alternates that are a FIFO or /dev/zero, hung `keyscan
// history` or fed it gigabytes. Now each is a warning, counted, and exit 2
// under --strict; the rest of the history is scanned.
func TestHistoryObjectStoreNotRegular(t *testing.T) {
	for _, c := range []string{"blob FIFO", "alternates FIFO", "alternates /dev/zero"} {
		t.Run(c, func(t *testing.T) {
			dir, blob := keyInOldCommit(t, 201)
			alt := filepath.Join(dir, ".git", "objects", "info", "alternates")
			switch c {
			case "blob FIFO":
				gittest.ReplaceWithFIFO(t, filepath.Join(dir, ".git", "objects", blob[:2], blob[2:]))
			case "alternates FIFO":
				gittest.ReplaceWithFIFO(t, alt)
			default:
				replaceWithLink(t, alt, "/dev/zero")
			}
			r := keyscanIn(t, dir, "history", ".")
			want := exitFindings
			if c == "blob FIFO" {
				want = exitClean // the only key was in the blob that could not be read
			}
			if r.code != want || !strings.Contains(r.stderr, "not a regular file") {
				t.Errorf("history: exit %d, want %d and a warning\n%s", r.code, want, r.stderr)
			}
			if r := keyscanIn(t, dir, "history", "--strict", "."); r.code != exitError {
				t.Errorf("history --strict: exit %d, want 2\n%s", r.code, r.stderr)
			}
		})
	}
}

// TestStagedObjectStoreNotRegular (qa7 HIGH-2): the staged blob replaced
// by a FIFO hung `keyscan staged`; it is exit 2 (what the commit adds
// cannot be read). Alternates pointing at /dev/zero are a warning.
func TestStagedObjectStoreNotRegular(t *testing.T) {
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, "new.env", fakeCredsFile(fakekey.New(202)))
	gitOK(t, dir, "add", "new.env")
	replaceWithLink(t, filepath.Join(dir, ".git", "objects", "info", "alternates"), "/dev/zero")
	if r := keyscanIn(t, dir, "staged"); r.code != exitFindings || !strings.Contains(r.stderr, "alternates") {
		t.Errorf("alternates -> /dev/zero: exit %d, want 1 and a warning\n%s%s", r.code, r.stdout, r.stderr)
	}
	h := strings.TrimSpace(gitOK(t, dir, "rev-parse", ":new.env"))
	gittest.ReplaceWithFIFO(t, filepath.Join(dir, ".git", "objects", h[:2], h[2:]))
	if r := keyscanIn(t, dir, "staged"); r.code != exitError || !strings.Contains(r.stderr, "named pipe") {
		t.Errorf("staged blob a FIFO: exit %d, want 2 naming the FIFO\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestHistoryForgedTrees (qa7 HIGH-3): a tree filed under its own ID as
// its own subtree sent `keyscan history` down x/x/x/... for ever, and
// `--ref` of a branch whose commit cannot be read said "no credentials
// found", exit 0. The walk ends, naming the tree and finding the key in
// it; the unreadable ref is exit 2.
func TestHistoryForgedTrees(t *testing.T) {
	dir, blob := keyInOldCommit(t, 203)
	id := func(h string) []byte { b, _ := hex.DecodeString(h); return b }
	const self, commit = "2222222222222222222222222222222222222222", "3333333333333333333333333333333333333333"
	tree := append(append([]byte("100644 .env\x00"), id(blob)...), append([]byte("40000 x\x00"), id(self)...)...)
	objects := filepath.Join(dir, ".git", "objects")
	if err := gittest.WriteForgedPack(objects, []gittest.Object{
		{ID: self, Type: "tree", Data: tree},
		{ID: commit, Type: "commit", Data: []byte("tree " + self + "\nauthor A <a@b> 1700000000 +0000\ncommitter A <a@b> 1700000000 +0000\n\ncycle\n")},
	}); err != nil {
		t.Fatal(err)
	}
	refs := filepath.Join(dir, ".git", "refs", "heads")
	for name, target := range map[string]string{"cyc": commit, "gone": "7777777777777777777777777777777777777777"} {
		if err := os.WriteFile(filepath.Join(refs, name), []byte(target+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := keyscanIn(t, dir, "history", "--ref", "cyc", ".")
	if r.code != exitFindings || !strings.Contains(r.stderr, "x: tree contains itself") {
		t.Errorf("--ref cyc: exit %d, want 1 and the cycle named\n%s", r.code, r.stderr)
	}
	if r := keyscanIn(t, dir, "history", "--strict", "--ref", "cyc", "."); r.code != exitError {
		t.Errorf("--strict --ref cyc: exit %d, want 2\n%s", r.code, r.stderr)
	}
	if r := keyscanIn(t, dir, "history", "--ref", "gone", "."); r.code != exitError || strings.Contains(r.stdout+r.stderr, "no credentials found") {
		t.Errorf("--ref gone: exit %d, want 2 and no clean verdict\n%s%s", r.code, r.stdout, r.stderr)
	}
	// All refs: the unreadable one is a warning, counted.
	if r := keyscanIn(t, dir, "history", "."); r.code != exitFindings || !strings.Contains(r.stderr, "refs/heads/gone") {
		t.Errorf("all refs: exit %d, want 1 and refs/heads/gone named\n%s", r.code, r.stderr)
	}
}
