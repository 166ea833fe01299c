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

// TestScanLFSPointerCheckout is qa16 MEDIUM-5: a checkout made without
// git-lfs's smudge filter (actions/checkout's default lfs: false,
// GIT_LFS_SKIP_SMUDGE=1, a clone without git-lfs) holds pointers, and scan
// read them as the files and said "no credentials found", --strict 0. With
// real git and git-lfs: the pointer is counted and named (--strict 2, lfs
// in the JSON's incomplete); once git lfs fetch put the content in
// .git/lfs/objects (the work tree still holding the pointer) the key in it
// is found, also from a linked work tree, whose store is the main git
// folder's; a pointer outside any work tree is counted; an LFS file over
// max_file_size is too large by the size its pointer states, with its
// content or without.
func TestScanLFSPointerCheckout(t *testing.T) {
	requireKeyscanOnPath(t)
	if r := gitRun(t, t.TempDir(), nil, "lfs", "version"); r.code != 0 {
		t.Skip("git-lfs is not installed (apt-get install -y git-lfs)")
	}
	g := fakekey.New(2217)
	src := newCommittedRepo(t)
	gitOK(t, src, "lfs", "install", "--local")
	gitOK(t, src, "lfs", "track", "*.env", "*.bin")
	writeRepoFile(t, src, "deploy/prod.env", fakeCredsFile(g))
	writeRepoFile(t, src, "models/big.bin", strings.Repeat("m", 4000))
	gitOK(t, src, "add", ".")
	gitOK(t, src, "commit", "-q", "--no-verify", "-m", "LFS files")
	if ptr := gitOK(t, src, "cat-file", "-p", "HEAD:deploy/prod.env"); !strings.HasPrefix(ptr, "version https://git-lfs.github.com/spec/") {
		t.Fatalf("git-lfs did not commit a pointer:\n%s", ptr)
	}
	parent := t.TempDir()
	ci := filepath.Join(parent, "ci")
	if r := gitRun(t, parent, []string{"GIT_LFS_SKIP_SMUDGE=1"}, "clone", "-q", "file://"+src, ci); r.code != 0 {
		t.Fatalf("clone: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.HasPrefix(readRepoFile(t, ci, "deploy/prod.env"), "version https://git-lfs") {
		t.Fatal("the clone holds the content, not the pointer")
	}

	r := keyscanIn(t, parent, "scan", "--strict", "--format", "json", "ci/deploy")
	if r.code != exitError || !strings.Contains(r.stderr, "ci/deploy/prod.env: Git LFS pointer") || !strings.Contains(r.stdout, `"reason": "lfs"`) {
		t.Errorf("scan --strict of the pointer: exit %d, want %d naming it, lfs in incomplete\n%s%s", r.code, exitError, r.stdout, r.stderr)
	}
	if r := keyscanIn(t, parent, "scan", "ci/deploy"); r.code != exitClean || !strings.Contains(r.stdout+r.stderr, "not scanned: 1 Git LFS pointer whose content was not read") {
		t.Errorf("scan of the pointer: exit %d, want 0 with the pointer counted in the summary\n%s%s", r.code, r.stdout, r.stderr)
	}
	conf := filepath.Join(parent, "limit.toml")
	if err := os.WriteFile(conf, []byte("max_file_size = \"1KB\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const big = "ci/models/big.bin: Git LFS file of 4000 bytes, larger than max_file_size (1024 bytes)"
	if r := keyscanIn(t, parent, "scan", "--strict", "--config", conf, "ci/models"); r.code != exitError || !strings.Contains(r.stderr, big) {
		t.Errorf("scan --strict of a pointer over max_file_size, content absent: exit %d, want %d saying %q\n%s%s", r.code, exitError, big, r.stdout, r.stderr)
	}

	// git lfs fetch puts the content in .git/lfs/objects; the work tree
	// keeps the pointer.
	gitOK(t, ci, "lfs", "fetch")
	if !strings.HasPrefix(readRepoFile(t, ci, "deploy/prod.env"), "version https://git-lfs") {
		t.Fatal("git lfs fetch checked the content out")
	}
	if r := keyscanIn(t, parent, "scan", "--strict", "ci"); r.code != exitFindings || !strings.Contains(r.stdout, "ci/deploy/prod.env") || strings.Contains(r.stderr, "Git LFS pointer") {
		t.Errorf("scan --strict with the content in lfs/objects: exit %d, want %d finding ci/deploy/prod.env\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	if r := keyscanIn(t, parent, "scan", "--strict", "--config", conf, "ci/models"); r.code != exitError || !strings.Contains(r.stderr, big) {
		t.Errorf("scan --strict of a pointer over max_file_size, content present: exit %d, want %d saying %q\n%s%s", r.code, exitError, big, r.stdout, r.stderr)
	}
	wt := filepath.Join(parent, "wt")
	gitOK(t, ci, "worktree", "add", "-q", wt)
	if !strings.HasPrefix(readRepoFile(t, wt, "deploy/prod.env"), "version https://git-lfs") {
		t.Fatal("the linked work tree holds the content, not the pointer")
	}
	if r := keyscanIn(t, parent, "scan", "--strict", "wt/deploy"); r.code != exitFindings || !strings.Contains(r.stdout, "wt/deploy/prod.env") {
		t.Errorf("scan --strict of a linked work tree's pointer: exit %d, want %d finding it (the main git folder's store)\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}

	// A pointer copied out of any work tree: its content is nowhere.
	plain := t.TempDir()
	writeRepoFile(t, plain, "prod.env", readRepoFile(t, ci, "deploy/prod.env"))
	if r := keyscanIn(t, plain, "scan", "--strict", "."); r.code != exitError || !strings.Contains(r.stderr, "is not in any repository") {
		t.Errorf("scan --strict of a pointer in no work tree: exit %d, want %d\n%s%s", r.code, exitError, r.stdout, r.stderr)
	}
}

// TestScanLFSStoreStaysInRoot: a repository the walk finds inside its root
// (a nested clone, an extracted tarball's) is the tree's content: a link in
// its lfs/objects, or a .git file naming a git folder elsewhere, must not
// make scan read a file outside the root by the pointer's SHA-256 (and
// report that file's keys under a path the tree chose). The pointer is
// counted instead. The user's own repository, above the root, is read where
// it says (TestScanLFSPointerCheckout's linked work tree).
func TestScanLFSStoreStaysInRoot(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(2218)
	content := fakeCredsFile(g)
	sum := sha256.Sum256([]byte(content))
	oid := hex.EncodeToString(sum[:])
	pointer := fmt.Sprintf("version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n", oid, len(content))

	victim := t.TempDir()
	writeRepoFile(t, victim, ".git/HEAD", "ref: refs/heads/main\n")
	writeRepoFile(t, victim, ".git/lfs/objects/"+oid[0:2]+"/"+oid[2:4]+"/"+oid, content)

	root := t.TempDir()
	// A nested repository whose lfs folder links to the victim's.
	writeRepoFile(t, root, "app/.git/HEAD", "ref: refs/heads/main\n")
	if err := os.Symlink(filepath.Join(victim, ".git", "lfs"), filepath.Join(root, "app", ".git", "lfs")); err != nil {
		t.Fatal(err)
	}
	writeRepoFile(t, root, "app/model.bin", pointer)
	// A nested work tree whose .git file names the victim's git folder.
	writeRepoFile(t, root, "wt/.git", "gitdir: "+filepath.Join(victim, ".git")+"\n")
	writeRepoFile(t, root, "wt/model.bin", pointer)

	r := keyscanIn(t, root, "scan", "--strict", "--format", "json", ".")
	if r.code != exitError || strings.Contains(r.stdout, "model.bin\"") && strings.Contains(r.stdout, `"rule"`) {
		t.Errorf("scan --strict of nested repositories whose LFS store leads out of the root: exit %d, want %d and no finding\n%s%s", r.code, exitError, r.stdout, r.stderr)
	}
	for _, f := range []string{"app/model.bin: Git LFS pointer", "wt/model.bin: Git LFS pointer"} {
		if !strings.Contains(r.stderr, f) {
			t.Errorf("scan does not name %q as not read\n%s", f, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, `"reason": "lfs"`) {
		t.Errorf("the pointers are not counted as lfs in incomplete\n%s", r.stdout)
	}
}
