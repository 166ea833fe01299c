package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestHistoryPackedRefsTwice: a ref packed-refs lists twice names two
// commits; git resolves it to one, go-git to the other, so keyscan scans
// both and warns, in either order (qa9 HIGH-5: the second entry, git's
// choice, was never read). A loose ref beside its packed twin is git's
// choice and is scanned.
func TestHistoryPackedRefsTwice(t *testing.T) {
	dir := newCommittedRepo(t)
	clean := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD"))
	gitOK(t, dir, "checkout", "-q", "--orphan", "o")
	writeRepoFile(t, dir, "k.ini", fakeCredsFile(fakekey.New(9621)))
	gitOK(t, dir, "add", "k.ini")
	gitOK(t, dir, "commit", "-q", "--no-verify", "-m", "k")
	key := strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD"))
	gitOK(t, dir, "checkout", "-q", "main")
	gitOK(t, dir, "branch", "-q", "-D", "o")
	gitOK(t, dir, "reflog", "expire", "--expire=now", "--all")
	if r := keyscanIn(t, dir, "history", "--strict", "."); r.code != 0 {
		t.Fatalf("before: exit %d, want 0 (the key commit is unreachable)\n%s%s", r.code, r.stdout, r.stderr)
	}
	packed := filepath.Join(dir, ".git", "packed-refs")
	for _, order := range [][2]string{{clean, key}, {key, clean}} {
		text := fmt.Sprintf("# pack-refs with: peeled fully-peeled sorted \n%s refs/heads/x\n%s refs/heads/x\n", order[0], order[1])
		if err := os.WriteFile(packed, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		r := keyscanIn(t, dir, "history", "--strict", ".")
		if r.code != 1 || !strings.Contains(r.stdout, "k.ini") || !strings.Contains(r.stderr, "packed-refs lists refs/heads/x 2 times") {
			t.Errorf("x listed %.7s then %.7s: exit %d, want 1 with k.ini and a warning\n%s%s", order[0], order[1], r.code, r.stdout, r.stderr)
		}
		r = keyscanIn(t, dir, "history", "--ref", "x", ".")
		if r.code != 1 || !strings.Contains(r.stdout, "k.ini") {
			t.Errorf("--ref x, x listed %.7s then %.7s: exit %d, want 1 with k.ini\n%s%s", order[0], order[1], r.code, r.stdout, r.stderr)
		}
	}
	// A loose ref wins over packed-refs, as in git.
	text := fmt.Sprintf("# pack-refs with: peeled fully-peeled sorted \n%s refs/heads/x\n", clean)
	if err := os.WriteFile(packed, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	writeRepoFile(t, dir, ".git/refs/heads/x", key+"\n")
	if got := strings.TrimSpace(gitOK(t, dir, "rev-parse", "x")); got != key {
		t.Fatalf("git resolves x to %s, want the loose ref's %s", got, key)
	}
	if r := keyscanIn(t, dir, "history", "--strict", "."); r.code != 1 || !strings.Contains(r.stdout, "k.ini") {
		t.Errorf("loose ref beside its packed twin: exit %d, want 1 with k.ini\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestHistoryCorruptPackedLooseCopy: a blob whose packed copy is damaged
// but which is also a sound loose object is read from the loose copy, as
// git reads it (qa9 LOW-11: "cannot read blob", "no credentials found").
func TestHistoryCorruptPackedLooseCopy(t *testing.T) {
	dir, blob := keyInOldCommit(t, 9622)
	loose := filepath.Join(dir, ".git", "objects", blob[:2], blob[2:])
	kept, err := os.ReadFile(loose)
	if err != nil {
		t.Fatal(err)
	}
	gitOK(t, dir, "repack", "-q", "-a", "-d")
	gitOK(t, dir, "prune-packed")
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("packs: %v", packs)
	}
	// The blob's entry: verify-pack prints "ID type size packed-size offset".
	var off, size int
	for _, l := range strings.Split(gitOK(t, dir, "verify-pack", "-v", strings.TrimSuffix(packs[0], ".pack")+".idx"), "\n") {
		if f := strings.Fields(l); len(f) >= 5 && f[0] == blob {
			fmt.Sscan(f[4], &off)
			fmt.Sscan(f[3], &size)
		}
	}
	if off == 0 || size < 8 {
		t.Fatalf("blob %s not found in the pack", blob)
	}
	data, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	for i := off + 2; i < off+size; i++ {
		data[i] ^= 0x5a // the zlib stream, past the entry's header
	}
	os.Chmod(packs[0], 0o644)
	if err := os.WriteFile(packs[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := keyscanIn(t, dir, "history", "--strict", "."); r.code != 2 {
		t.Fatalf("damaged packed copy alone: exit %d, want 2\n%s%s", r.code, r.stdout, r.stderr)
	}
	if err := os.MkdirAll(filepath.Dir(loose), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(loose, kept, 0o444); err != nil {
		t.Fatal(err)
	}
	if r := keyscanIn(t, dir, "history", "--strict", "."); r.code != 1 || !strings.Contains(r.stdout, ".env") {
		t.Errorf("damaged packed copy beside a sound loose one: exit %d, want 1 with .env\n%s%s", r.code, r.stdout, r.stderr)
	}
}
