package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// lfsPointer returns the Git LFS pointer of content and its oid, as the
// git-lfs clean filter writes them.
func lfsPointer(content string) (pointer, oid string) {
	sum := sha256.Sum256([]byte(content))
	oid = hex.EncodeToString(sum[:])
	return fmt.Sprintf("version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n", oid, len(content)), oid
}

// storeLFS puts content in the LFS object store of the git folder gitDir,
// where git-lfs keeps it (and where a server that is its own LFS store
// receives it from git lfs push).
func storeLFS(t *testing.T, gitDir, oid, content string) {
	t.Helper()
	p := filepath.Join(gitDir, "lfs", "objects", oid[0:2], oid[2:4], oid)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPreReceiveLFS: a key in a file kept in Git LFS is refused when the
// server holds the LFS object (qa7 LOW-8); when it does not, the push is
// accepted with a warning, and refused with --strict; an object that does
// not match its pointer is not scanned as if it were the file.
func TestPreReceiveLFS(t *testing.T) {
	g := fakekey.New(431)
	s := newServer(t)
	key := "AWS_ACCESS_KEY_ID=" + g.KeyID("AKIA") + "\nAWS_SECRET_ACCESS_KEY=" + g.Secret() + "\n"
	content := "# model settings\n" + key
	pointer, oid := lfsPointer(content)
	writeRepoFile(t, s.clone, ".gitattributes", "*.cfg filter=lfs diff=lfs merge=lfs -text\n")
	s.commit("assets/prod.cfg", pointer, "settings in LFS")

	// Not on the server: accepted, and the pusher is told it was not seen.
	r := s.push("origin", "main")
	if r.code != 0 || !strings.Contains(r.stderr, "assets/prod.cfg") || !strings.Contains(r.stderr, "not in this repository's lfs/objects") {
		t.Fatalf("push of an LFS pointer the server lacks: exit %d, want 0 with a warning\n%s", r.code, r.stderr)
	}

	// In the server's LFS store (git lfs push put it there): refused.
	s.commit("assets/prod.cfg", pointer+"\n", "touch") // a new blob: the previous push already passed
	pointer2, oid2 := lfsPointer(content + "# v2\n")
	s.commit("assets/prod.cfg", pointer2, "settings v2")
	storeLFS(t, s.bare, oid2, content+"# v2\n")
	s.mustRefuse([]string{"assets/prod.cfg:3", "fingerprint "}, "origin", "main")

	// A store entry that does not match the pointer is not the file.
	pointer3, oid3 := lfsPointer(content + "# v3\n")
	s.commit("assets/prod.cfg", pointer3, "settings v3")
	storeLFS(t, s.bare, oid3, "harmless\n")
	storeLFS(t, s.bare, oid2, "harmless, and not the file either\n")
	r = s.push("origin", "main")
	if r.code != 0 || !strings.Contains(r.stderr, "SHA-256 differs") && !strings.Contains(r.stderr, "bytes, the pointer says") {
		t.Errorf("push whose LFS objects do not match: exit %d, want 0 with a warning\n%s", r.code, r.stderr)
	}

	// --strict: content the gate cannot see refuses the push.
	s.reinstall("--log", s.log, "--strict")
	pointer4, _ := lfsPointer(content + "# v4\n")
	s.commit("assets/prod.cfg", pointer4, "settings v4")
	r = s.mustRefuse([]string{"could not be checked", "Git LFS", "git lfs push"}, "origin", "main")
	_ = oid
	_ = r
}

// TestPreReceiveSubmoduleWarnedOnce: a submodule gitlink is warned about
// in the push that adds or moves it, not again in every later push that
// leaves it as it was (qa7 LOW-8).
func TestPreReceiveSubmoduleWarnedOnce(t *testing.T) {
	s := newServer(t)
	base := s.head()
	gitOK(t, s.clone, "update-index", "--add", "--cacheinfo", "160000,"+base+",vendor/lib")
	gitOK(t, s.clone, "commit", "-q", "-m", "submodule")
	r := s.push("origin", "main")
	if r.code != 0 || !strings.Contains(r.stderr, "vendor/lib: submodule") {
		t.Fatalf("push adding a submodule: exit %d, want 0 with a warning\n%s", r.code, r.stderr)
	}
	gitOK(t, s.clone, "update-index", "--add", "--cacheinfo", "160000,"+base+",sub")
	gitOK(t, s.clone, "commit", "-q", "-m", "submodule at the root")
	if r := s.push("origin", "main"); r.code != 0 || !strings.Contains(r.stderr, "sub: submodule") {
		t.Fatalf("push adding a submodule: exit %d, want 0 with a warning\n%s", r.code, r.stderr)
	}
	// (s.commit stages with add -A, which drops gitlinks without a folder.)
	writeRepoFile(t, s.clone, "notes.txt", "clean\n")
	gitOK(t, s.clone, "add", "notes.txt")
	gitOK(t, s.clone, "commit", "-q", "-m", "unrelated")
	if r := s.push("origin", "main"); r.code != 0 || strings.Contains(r.stderr, "submodule") {
		t.Errorf("push leaving the submodules as they were: exit %d, want 0 without a warning\n%s", r.code, r.stderr)
	}
	writeRepoFile(t, s.clone, "vendor/other.txt", "next to it\n")
	gitOK(t, s.clone, "add", "vendor/other.txt")
	gitOK(t, s.clone, "commit", "-q", "-m", "same folder")
	if r := s.push("origin", "main"); r.code != 0 || strings.Contains(r.stderr, "submodule") {
		t.Errorf("push leaving the submodule as it was: exit %d, want 0 without a warning\n%s", r.code, r.stderr)
	}
	if !strings.Contains(gitOK(t, s.clone, "ls-tree", "-r", "HEAD"), "160000 commit "+base+"\tsub") {
		t.Fatal("the test lost its submodule")
	}
	// Moved to another commit: warned again (its new commits are not scanned).
	gitOK(t, s.clone, "update-index", "--add", "--cacheinfo", "160000,"+s.head()+",vendor/lib")
	gitOK(t, s.clone, "commit", "-q", "-m", "bump submodule")
	if r := s.push("origin", "main"); r.code != 0 || !strings.Contains(r.stderr, "vendor/lib: submodule") {
		t.Errorf("push moving the submodule: exit %d, want 0 with a warning\n%s", r.code, r.stderr)
	}
}

// TestHistoryLFS: keyscan history scans the content of LFS files the
// repository has fetched (in .git/lfs/objects), and --strict refuses a
// history whose LFS content it could not see.
func TestHistoryLFS(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(432)
	dir := newCommittedRepo(t)
	content := "AWS_ACCESS_KEY_ID=" + g.KeyID("AKIA") + "\nAWS_SECRET_ACCESS_KEY=" + g.Secret() + "\n"
	pointer, oid := lfsPointer(content)
	writeRepoFile(t, dir, "data/app.env", pointer)
	gitOK(t, dir, "add", ".")
	gitOK(t, dir, "commit", "-q", "-m", "lfs")
	r := runCmd(t, dir, nil, "keyscan", "history", ".")
	if r.code != exitClean || !strings.Contains(r.stderr, "not in this repository's lfs/objects") {
		t.Errorf("history with the LFS object absent: exit %d, want 0 with a warning\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCmd(t, dir, nil, "keyscan", "history", "--strict", "."); r.code != exitError || !strings.Contains(r.stderr, "strict: 1 Git LFS file not scanned") {
		t.Errorf("history --strict with the LFS object absent: exit %d, want 2\n%s", r.code, r.stderr)
	}
	storeLFS(t, filepath.Join(dir, ".git"), oid, content)
	r = runCmd(t, dir, nil, "keyscan", "history", "--strict", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, "data/app.env") {
		t.Errorf("history with the LFS object fetched: exit %d, want 1 naming data/app.env\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestPreReceiveGitLFS pushes through git-lfs itself: its pre-push hook
// uploads the content to the file:// server's lfs/objects before the refs,
// and the gate scans it there. Skipped where git-lfs is not installed
// (apt-get install git-lfs).
func TestPreReceiveGitLFS(t *testing.T) {
	if r := gitRun(t, t.TempDir(), nil, "lfs", "version"); r.code != 0 {
		t.Skip("git-lfs is not installed (apt-get install -y git-lfs)")
	}
	g := fakekey.New(433)
	s := newServer(t)
	gitOK(t, s.clone, "lfs", "install", "--local")
	gitOK(t, s.clone, "lfs", "track", "*.cfg")
	gitOK(t, s.clone, "add", ".gitattributes")
	gitOK(t, s.clone, "commit", "-q", "-m", "track *.cfg in LFS")
	s.commit("assets/prod.cfg", fakeCredsFile(g), "settings in LFS")
	if ptr := gitOK(t, s.clone, "cat-file", "-p", "HEAD:assets/prod.cfg"); !strings.HasPrefix(ptr, "version https://git-lfs.github.com/spec/") {
		t.Fatalf("git-lfs did not store a pointer:\n%s", ptr)
	}
	s.mustRefuse([]string{"assets/prod.cfg:2", "fingerprint "}, "origin", "main")
	// The same file without the key, in place of that commit: accepted.
	gitOK(t, s.clone, "reset", "-q", "--hard", "HEAD~1")
	s.commit("assets/prod.cfg", "region = eu-west-1\n", "no key")
	if ptr := gitOK(t, s.clone, "cat-file", "-p", "HEAD:assets/prod.cfg"); !strings.HasPrefix(ptr, "version https://git-lfs.github.com/spec/") {
		t.Fatalf("git-lfs did not store a pointer:\n%s", ptr)
	}
	s.mustPush("origin", "main")
}

// TestHookGitLFS: the commit hook scans what a file kept in Git LFS holds
// (git-lfs's clean filter put it in .git/lfs/objects at git add), not the
// pointer: a key in it refuses the commit; a later change that leaves the
// committed key alone does not. Skipped where git-lfs is not installed.
func TestHookGitLFS(t *testing.T) {
	requireKeyscanOnPath(t)
	if r := gitRun(t, t.TempDir(), nil, "lfs", "version"); r.code != 0 {
		t.Skip("git-lfs is not installed (apt-get install -y git-lfs)")
	}
	g := fakekey.New(434)
	dir := newCommittedRepo(t)
	gitOK(t, dir, "lfs", "install", "--local")
	gitOK(t, dir, "lfs", "track", "*.cfg")
	gitOK(t, dir, "add", ".gitattributes")
	gitOK(t, dir, "commit", "-q", "-m", "track *.cfg in LFS")
	if r := runCmd(t, dir, nil, "keyscan", "hook", "install"); r.code != 0 {
		t.Fatalf("hook install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	writeRepoFile(t, dir, "assets/prod.cfg", fakeCredsFile(g))
	gitOK(t, dir, "add", "assets/prod.cfg")
	if ptr := gitOK(t, dir, "cat-file", "-p", ":assets/prod.cfg"); !strings.HasPrefix(ptr, "version https://git-lfs.github.com/spec/") {
		t.Fatalf("git-lfs did not stage a pointer:\n%s", ptr)
	}
	if r := gitRun(t, dir, nil, "commit", "-q", "-m", "key in LFS"); r.code != 1 || !strings.Contains(r.stdout+r.stderr, "assets/prod.cfg") {
		t.Fatalf("commit of an LFS file holding a key: exit %d, want 1 naming it\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "key in LFS, hook skipped")
	writeRepoFile(t, dir, "assets/prod.cfg", readRepoFile(t, dir, "assets/prod.cfg")+"region = eu-west-1\n")
	gitOK(t, dir, "add", "assets/prod.cfg")
	if r := gitRun(t, dir, nil, "commit", "-q", "-m", "unrelated line"); r.code != 0 {
		t.Errorf("change that leaves the committed key alone: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
}
