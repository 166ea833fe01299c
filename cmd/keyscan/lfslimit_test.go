package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLFSOverMaxFileSizeHooksAndGateAgree (qa15 MEDIUM-3): a file kept in
// Git LFS whose content is over max_file_size is a file over
// max_file_size for the commit hook, the pre-push hook and the gate alike,
// as the README's "A file over max_file_size fails the hooks ... as it
// fails the server's gate" says: the gate judges it by the size its
// pointer states when it does not hold the content (most servers keep LFS
// objects elsewhere), and refuses it when it does. An LFS archive over the
// limit, which the hooks open, is not refused by the gate for its size.
// Real git, real git-lfs (its filters and its pre-push upload to the
// file:// server), the real hooks.
func TestLFSOverMaxFileSizeHooksAndGateAgree(t *testing.T) {
	if r := gitRun(t, t.TempDir(), nil, "lfs", "version"); r.code != 0 {
		t.Skip("git-lfs is not installed (apt-get install -y git-lfs)")
	}
	if _, err := exec.LookPath("zip"); err != nil {
		t.Skip("zip is not installed (apt-get install -y zip)")
	}
	s := newServer(t)
	limit := func(size string) {
		conf := "max_file_size = \"" + size + "\"\n"
		if err := os.WriteFile(filepath.Join(s.bare, serverConfigName), []byte(conf), 0o644); err != nil {
			t.Fatal(err)
		}
		writeRepoFile(t, s.clone, ".keyscan.toml", conf)
		gitOK(t, s.clone, "add", ".keyscan.toml")
		gitOK(t, s.clone, "commit", "-q", "--no-verify", "-m", "max_file_size "+size)
	}
	gitOK(t, s.clone, "lfs", "install", "--local")
	gitOK(t, s.clone, "lfs", "track", "*.bin", "*.zip")
	gitOK(t, s.clone, "add", ".gitattributes")
	gitOK(t, s.clone, "commit", "-q", "-m", "LFS")
	limit("1KB")
	s.mustPush("origin", "main")
	for _, typ := range []string{"pre-commit", "pre-push"} { // pre-push chains git-lfs's own
		if r := runCmd(t, s.clone, nil, "keyscan", "hook", "install", "--type", typ); r.code != 0 {
			t.Fatalf("hook install --type %s: exit %d\n%s%s", typ, r.code, r.stdout, r.stderr)
		}
	}
	base := s.head()
	const why = "model.bin: Git LFS file of 4000 bytes, larger than max_file_size (1024 bytes)"

	// The commit hook.
	writeRepoFile(t, s.clone, "model.bin", strings.Repeat("m", 4000))
	gitOK(t, s.clone, "add", "model.bin")
	if ptr := gitOK(t, s.clone, "cat-file", "-p", ":model.bin"); !strings.HasPrefix(ptr, "version https://git-lfs.github.com/spec/") {
		t.Fatalf("git-lfs did not stage a pointer:\n%s", ptr)
	}
	if r := gitRun(t, s.clone, nil, "commit", "-q", "-m", "model"); r.code == 0 || !strings.Contains(r.stderr, why) {
		t.Fatalf("commit of an LFS file over max_file_size: exit %d, want it refused naming it\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, s.clone, "commit", "-q", "--no-verify", "-m", "model")
	oid := strings.Fields(gitOK(t, s.clone, "lfs", "ls-files", "--long"))[0]
	onServer := filepath.Join(s.bare, "lfs", "objects", oid[0:2], oid[2:4], oid)

	// The pre-push hook.
	if r := s.push("origin", "main"); r.code == 0 || !strings.Contains(r.stderr, why) || strings.Contains(r.stderr, "pre-receive hook declined") {
		t.Errorf("push through the pre-push hook: exit %d, want refused there naming the file\n%s", r.code, r.stderr)
	}

	// The gate without the content (the hooks skipped, so git-lfs
	// uploaded nothing): judged by its pointer's size.
	if err := os.Remove(onServer); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	s.mustRefuse([]string{"could not be checked", why}, "--no-verify", "origin", "main")
	// The gate with the content (git lfs push put it in the server's store).
	gitOK(t, s.clone, "lfs", "push", "origin", "main")
	if _, err := os.Stat(onServer); err != nil {
		t.Fatalf("git lfs push did not store the object on the server: %v", err)
	}
	s.mustRefuse([]string{"could not be checked", why}, "--no-verify", "origin", "main")

	// An LFS zip over max_file_size (and under max_archive_size): the
	// hooks open it; the gate, without the content, does not refuse it for
	// its size, and warns that it did not see it.
	model := s.head()
	gitOK(t, s.clone, "reset", "-q", "--hard", base)
	zipped := t.TempDir()
	var members []string
	for _, m := range []string{"a.txt", "b.txt", "c.txt"} {
		writeRepoFile(t, zipped, m, strings.Repeat("region = eu-west-1 # "+m+"\n", 30)) // 900 bytes, under the limit
		members = append(members, m)
	}
	if r := runCmd(t, zipped, nil, "zip", append([]string{"-q", "-0", filepath.Join(s.clone, "assets.zip")}, members...)...); r.code != 0 {
		t.Fatalf("zip: exit %d\n%s", r.code, r.stderr)
	}
	gitOK(t, s.clone, "add", "assets.zip")
	if r := gitRun(t, s.clone, nil, "commit", "-q", "-m", "assets"); r.code != 0 {
		t.Fatalf("commit of an LFS zip the hook opens: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := gitRun(t, s.clone, nil, "push", "--no-verify", "origin", "main"); r.code != 0 || !strings.Contains(r.stderr, "assets.zip") ||
		!strings.Contains(r.stderr, "not in this repository's lfs/objects") {
		t.Errorf("push of an LFS zip the gate does not hold: exit %d, want 0 with a warning naming it\n%s", r.code, r.stderr)
	}

	// An LFS zip whose member is over max_file_size: a file over
	// max_file_size, packed. The hooks refuse it as the gate does (it
	// refused it when it held the content while the hooks let it pass).
	assets := s.head()
	writeRepoFile(t, zipped, "big.txt", strings.Repeat("region = eu-west-1 # big\n", 100)) // 2400 bytes
	if r := runCmd(t, zipped, nil, "zip", "-q", "-0", filepath.Join(s.clone, "bundle.zip"), "big.txt"); r.code != 0 {
		t.Fatalf("zip: exit %d\n%s", r.code, r.stderr)
	}
	gitOK(t, s.clone, "add", "bundle.zip")
	const member = "bundle.zip!big.txt: member larger than 1024 bytes (max_file_size)"
	if r := gitRun(t, s.clone, nil, "commit", "-q", "-m", "bundle"); r.code == 0 || !strings.Contains(r.stderr, member) {
		t.Errorf("commit of an LFS zip with a member over max_file_size: exit %d, want it refused naming the member\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, s.clone, "commit", "-q", "--no-verify", "-m", "bundle")
	if r := s.push("origin", "main"); r.code == 0 || !strings.Contains(r.stderr, member) || strings.Contains(r.stderr, "pre-receive hook declined") {
		t.Errorf("push of an LFS zip with a member over max_file_size: exit %d, want refused by the pre-push hook naming the member\n%s", r.code, r.stderr)
	}
	gitOK(t, s.clone, "lfs", "push", "origin", "main")
	s.mustRefuse([]string{"could not be checked", member}, "--no-verify", "origin", "main")
	gitOK(t, s.clone, "reset", "-q", "--hard", assets)

	// Limits raised on both sides: the three let the model through.
	gitOK(t, s.clone, "cherry-pick", model)
	limit("1MB")
	if r := s.push("origin", "main"); r.code != 0 {
		t.Errorf("push with max_file_size raised on both sides: exit %d, want 0\n%s", r.code, r.stderr)
	}
}
