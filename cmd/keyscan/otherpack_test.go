package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHistoryCorruptPackedOtherPack (qa9 LOW-11): an object whose packed
// copy is damaged was read from a sound loose copy, but not from another
// pack that holds it, as git does (git cat-file prints it after "error:
// inflate"). The repository here has two packs that both hold every
// object; the key's blob, or the tree of the commit that adds it, is
// damaged in one of them, either one: history reads the sound copy and
// reports the key, --strict and all, and git agrees that the object reads.
func TestHistoryCorruptPackedOtherPack(t *testing.T) {
	for _, what := range []string{"blob", "tree"} {
		for first := range 2 {
			dir, blob := keyInOldCommit(t, 9401)
			id := blob
			if what == "tree" {
				id = strings.TrimSpace(gitOK(t, dir, "rev-parse", "HEAD~1^{tree}"))
			}
			gitOK(t, dir, "repack", "-q", "-a", "-d")
			gitOK(t, dir, "prune-packed")
			all := gitOK(t, dir, "rev-list", "--objects", "--all")
			r := runCmdStdin(t, dir, nil, strings.NewReader(all), "git", "pack-objects", "-q", filepath.Join(".git", "objects", "pack", "pack"))
			if r.code != 0 {
				t.Fatalf("git pack-objects: exit %d\n%s", r.code, r.stderr)
			}
			packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
			if len(packs) != 2 {
				t.Fatalf("packs: %v", packs)
			}
			damage(t, dir, packs[first], id)
			if r := gitRun(t, dir, nil, "cat-file", "-p", id); r.code != 0 {
				t.Fatalf("%s damaged in pack %d: git cannot read it either: %s", what, first, r.stderr)
			}
			if r := keyscanIn(t, dir, "history", "--strict", "."); r.code != exitFindings || !strings.Contains(r.stdout, ".env") {
				t.Errorf("%s damaged in pack %d of 2: exit %d, want 1 with .env\n%s%s", what, first, r.code, r.stdout, r.stderr)
			}
		}
	}
}

// damage flips the bytes of object id's compressed data in pack, past
// its entry's header, as verify-pack places it.
func damage(t *testing.T, dir, pack, id string) {
	t.Helper()
	var off, size int
	for _, l := range strings.Split(gitOK(t, dir, "verify-pack", "-v", strings.TrimSuffix(pack, ".pack")+".idx"), "\n") {
		// "ID type size packed-size offset"
		if f := strings.Fields(l); len(f) >= 5 && f[0] == id {
			fmt.Sscan(f[4], &off)
			fmt.Sscan(f[3], &size)
		}
	}
	if off == 0 || size < 8 {
		t.Fatalf("object %s not found in %s", id, pack)
	}
	data, err := os.ReadFile(pack)
	if err != nil {
		t.Fatal(err)
	}
	for i := off + 2; i < off+size; i++ {
		data[i] ^= 0x5a
	}
	os.Chmod(pack, 0o644)
	if err := os.WriteFile(pack, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
