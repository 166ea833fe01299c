package walk_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/walk"
)

// TestNestedLFSObjectOnce (CLOSING15): in a scan of a folder holding
// clones, an LFS file's content is read through its pointer and reported
// there once, not a second time as the file in the clone's lfs/objects.
// An object no pointer of the tree names (an older version's), one whose
// bytes are not what its name says, and a copy outside lfs/objects are
// still reported where they are.
func TestNestedLFSObjectOnce(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	dir := t.TempDir()
	g := fakekey.New(2301)
	id, secret := g.KeyID("AKIA"), g.Secret()
	content := func(n int) []byte {
		return fmt.Appendf(nil, "version %d\naws_access_key_id = %s\naws_secret_access_key = %s\n", n, id, secret)
	}
	object := func(repo string, data []byte) string {
		sum := sha256.Sum256(data)
		oid := hex.EncodeToString(sum[:])
		write(t, filepath.Join(repo, ".git", "lfs", "objects", oid[:2], oid[2:4], oid), data)
		return oid
	}
	pointer := func(path string, data []byte) {
		sum := sha256.Sum256(data)
		write(t, path, fmt.Appendf(nil, "version https://git-lfs.github.com/spec/v1\noid sha256:%x\nsize %d\n", sum, len(data)))
	}
	var old, forged string
	for _, repo := range []string{"a", "b"} { // two clones of one repository
		r := filepath.Join(dir, repo)
		if out, err := exec.Command("git", "init", "-q", r).CombinedOutput(); err != nil {
			t.Fatalf("git init: %v\n%s", err, out)
		}
		object(r, content(1))
		pointer(filepath.Join(r, "model.bin"), content(1))
		old = object(r, content(0)) // no pointer names it
	}
	// Named for content 2, holding content 3: not what the name says.
	sum := sha256.Sum256(content(2))
	forged = hex.EncodeToString(sum[:])
	write(t, filepath.Join(dir, "a", ".git", "lfs", "objects", forged[:2], forged[2:4], forged), content(3))
	pointer(filepath.Join(dir, "a", "forged.bin"), content(2))
	write(t, filepath.Join(dir, "copy.txt"), content(1))

	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	res, err := walk.Walk(context.Background(), []string{"."}, sc, walk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range res.Findings {
		files = append(files, f.File)
	}
	files = slices.Compact(files)
	objPath := func(repo, oid string) string {
		return repo + "/.git/lfs/objects/" + oid[:2] + "/" + oid[2:4] + "/" + oid
	}
	want := []string{objPath("a", forged), objPath("a", old), "a/model.bin", objPath("b", old), "b/model.bin", "copy.txt"}
	slices.Sort(want)
	if !slices.Equal(files, want) {
		t.Errorf("findings in\n%q\nwant\n%q", files, want)
	}
	if res.Stats.LFS != 1 { // forged.bin: its content does not match
		t.Errorf("%d LFS pointers not read, want 1 (forged.bin); warnings %v", res.Stats.LFS, res.Warnings)
	}
	// The counts hold each file read once: the content of a pointer
	// (counted at the pointer, its size), not its object file again;
	// forged.bin is not read.
	var nfiles, nbytes int64
	if err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		fi, err := d.Info()
		nfiles, nbytes = nfiles+1, nbytes+fi.Size()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	size := func(p string) int64 {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	nfiles -= 3 // the objects a/model.bin and b/model.bin gave, forged.bin
	nbytes -= size("a/model.bin") + size("b/model.bin") + size("a/forged.bin")
	if res.Stats.Files != nfiles || res.Stats.Bytes != nbytes {
		t.Errorf("counted %d files, %d bytes; want %d, %d", res.Stats.Files, res.Stats.Bytes, nfiles, nbytes)
	}
}
