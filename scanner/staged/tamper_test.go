package staged

import (
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/internal/gittest"
)

// scanBounded runs a staged scan that must end (qa7 HIGH-2: a FIFO in the
// object store made it wait for ever). The bound guards against a hang.
func scanBounded(t *testing.T, dir string) (Result, error) {
	t.Helper()
	type out struct {
		res Result
		err error
	}
	done := make(chan out, 1)
	go func() {
		res, err := Scan(context.Background(), dir, fixture.Scanner(t), Options{})
		done <- out{res, err}
	}()
	select {
	case o := <-done:
		return o.res, o.err
	case <-time.After(2 * time.Minute):
		t.Fatalf("staged scan of %s did not end", dir)
	}
	return Result{}, nil
}

// TestNonRegularFilesInObjectStore: a FIFO or a device in place of a file
// the staged scan reads never blocks it nor feeds it without end. A staged
// blob, the index, HEAD, packed-refs or MERGE_HEAD that cannot be read is
// an error (exit 2: the commit's content is unknown); alternates that are
// not a regular file are a warning, and the repository's own objects are
// still read.
func TestNonRegularFilesInObjectStore(t *testing.T) {
	g := fakekey.New(91)
	for _, c := range []struct{ name, path, dev string }{
		{name: "staged blob", path: "BLOB"},
		{name: "index", path: "index"},
		{name: "HEAD", path: "HEAD"},
		{name: "packed-refs", path: "packed-refs"},
		{name: "MERGE_HEAD", path: "MERGE_HEAD", dev: "/dev/zero"},
		{name: "alternates FIFO", path: "objects/info/alternates"},
		{name: "alternates /dev/zero", path: "objects/info/alternates", dev: "/dev/zero"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := newRepo(t)
			write(t, dir, "README", "hello\n")
			git(t, dir, "add", ".")
			git(t, dir, "commit", "-qm", "one")
			git(t, dir, "pack-refs", "--all")
			write(t, dir, "new.env", creds(g.KeyID("AKIA"), g.Secret()))
			git(t, dir, "add", "new.env")
			p := filepath.Join(dir, ".git", filepath.FromSlash(c.path))
			if c.path == "BLOB" {
				h := strings.TrimSpace(git(t, dir, "rev-parse", ":new.env"))
				p = filepath.Join(dir, ".git", "objects", h[:2], h[2:])
			}
			if c.path == "packed-refs" {
				os.Remove(filepath.Join(dir, ".git", "refs", "heads", "main"))
			}
			if c.dev != "" {
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.Remove(p)
				if err := os.Symlink(c.dev, p); err != nil {
					t.Fatal(err)
				}
			} else {
				gittest.ReplaceWithFIFO(t, p)
			}
			res, err := scanBounded(t, dir)
			if !strings.HasPrefix(c.name, "alternates") {
				if err == nil {
					t.Errorf("no error; warnings %v", res.Warnings)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Findings) == 0 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "alternates") {
				t.Errorf("findings %v, warnings %v: want the key found and the alternates named", where(res.Findings), res.Warnings)
			}
		})
	}
}

// TestDeletedFolderThatContainsItself: HEAD's tree can be forged (a pack
// index files a tree under any ID) so that a folder the commit deletes
// holds itself; listing its files for rename detection went x/x/x/...
// without end. It is an error naming the path.
func TestDeletedFolderThatContainsItself(t *testing.T) {
	dir := newRepo(t)
	write(t, dir, "README", "hello\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-qm", "one")
	blob := strings.TrimSpace(git(t, dir, "rev-parse", "HEAD:README"))
	const self, root, commit = "2222222222222222222222222222222222222222", "4444444444444444444444444444444444444444", "3333333333333333333333333333333333333333"
	entry := func(mode, name, id string) []byte {
		b, _ := hex.DecodeString(id)
		return append([]byte(mode+" "+name+"\x00"), b...)
	}
	selfTree := append(entry("100644", "f", blob), entry("40000", "x", self)...)
	rootTree := append(entry("100644", "README", blob), entry("40000", "d", self)...)
	if err := gittest.WriteForgedPack(filepath.Join(dir, ".git", "objects"), []gittest.Object{
		{ID: self, Type: "tree", Data: selfTree},
		{ID: root, Type: "tree", Data: rootTree},
		{ID: commit, Type: "commit", Data: []byte("tree " + root + "\nauthor A <a@b> 1700000000 +0000\ncommitter A <a@b> 1700000000 +0000\n\nforged\n")},
	}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "refs", "heads", "main"), []byte(commit+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "moved", "hello\n")
	git(t, dir, "add", "moved")
	_, err := scanBounded(t, dir)
	if err == nil || !strings.Contains(err.Error(), "contains itself") || !strings.Contains(err.Error(), "d/x") {
		t.Errorf("a deleted folder that holds itself: %v, want an error naming d/x", err)
	}
}
