package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestHistoryPartialClone: a blobless clone (git clone --filter=blob:none,
// a CI checkout with a filter) lacks its historical blobs by design; its
// history scan read none of them and said "no credentials found", exit 0
// (qa7 HIGH-8). It is exit 2, naming the partial clone and what to do.
func TestHistoryPartialClone(t *testing.T) {
	src := newCommittedRepo(t)
	gitOK(t, src, "config", "uploadpack.allowFilter", "true")
	writeRepoFile(t, src, "deploy/.env", fakeCredsFile(fakekey.New(141)))
	gitOK(t, src, "add", ".")
	gitOK(t, src, "commit", "-q", "-m", "leak")
	gitOK(t, src, "rm", "-q", "deploy/.env")
	gitOK(t, src, "commit", "-q", "-m", "remove")
	for _, extra := range [][]string{nil, {"--no-checkout"}} {
		dst := filepath.Join(t.TempDir(), "clone")
		args := append([]string{"clone", "-q", "--filter=blob:none"}, extra...)
		gitOK(t, src, append(args, "file://"+src, dst)...)
		code, out, errs := runBounded(t, "history", dst)
		if code != exitError || !strings.Contains(errs, "is a partial clone") {
			t.Errorf("history of a blobless clone %v: exit %d, want 2 naming the partial clone\n%s%s", extra, code, out, errs)
		}
		// The summary says the scan was incomplete, never "no credentials
		// found" (qa9 LOW-1).
		if all := out + errs; strings.Contains(all, "no credentials found") || !strings.Contains(all, "incomplete: could not read") {
			t.Errorf("history of a blobless clone %v: the summary does not say it is incomplete\n%s%s", extra, out, errs)
		}
	}
	// The full repository is scanned as before.
	if code, out, errs := runBounded(t, "history", src); code != exitFindings {
		t.Errorf("history of the full repository: exit %d, want 1\n%s%s", code, out, errs)
	}
}

// TestHistoryMissingCommitSaysSo: a commit missing in the middle of a
// branch hides every ancestor; the summary said nothing of it (qa7
// MEDIUM-5). It counts the commit and says what was not scanned; --strict
// makes it exit 2.
func TestHistoryMissingCommitSaysSo(t *testing.T) {
	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, "old.env", fakeCredsFile(fakekey.New(142)))
	gitOK(t, dir, "add", ".")
	gitOK(t, dir, "commit", "-q", "-m", "leak")
	gitOK(t, dir, "rm", "-q", "old.env")
	gitOK(t, dir, "commit", "-q", "-m", "remove")
	for i := range 3 {
		writeRepoFile(t, dir, "n.txt", strings.Repeat("x", i+1))
		gitOK(t, dir, "add", ".")
		gitOK(t, dir, "commit", "-q", "-m", "more")
	}
	c := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD~2"))
	if err := os.Remove(filepath.Join(dir, ".git", "objects", c[:2], c[2:])); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runBounded(t, "history", dir)
	if code != exitClean || !strings.Contains(errs, "1 commit or tree could not be read: what lies behind it was not scanned") {
		t.Errorf("history with a missing commit: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runBounded(t, "history", "--strict", dir); code != exitError {
		t.Errorf("history --strict with a missing commit: exit %d, want 2\n%s", code, errs)
	}
}
