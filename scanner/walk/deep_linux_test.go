package walk_test

import (
	"context"
	"crypto/sha1"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/walk"
)

// deepFolder makes n nested folders named name below dir, one openat at a
// time (no path handed to the kernel is longer than one name), and returns
// a descriptor of the deepest.
func deepFolder(t *testing.T, dir, name string, n int) int {
	t.Helper()
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		if err := unix.Mkdirat(fd, name, 0o755); err != nil {
			t.Fatal(err)
		}
		next, err := unix.Openat(fd, name, unix.O_RDONLY|unix.O_DIRECTORY, 0)
		unix.Close(fd)
		if err != nil {
			t.Fatal(err)
		}
		fd = next
	}
	return fd
}

func writeAt(t *testing.T, dirfd int, name string, data []byte) {
	t.Helper()
	fd, err := unix.Openat(dirfd, name, unix.O_CREAT|unix.O_WRONLY|unix.O_EXCL, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := unix.Write(fd, data); err != nil {
		t.Fatal(err)
	}
	unix.Close(fd)
}

// TestDeepTree: a file nested past PATH_MAX (1500 folders of 8 letters,
// 13500 bytes of path) is read and its key found (qa7 LOW-7: it was
// "unreadable", exit 0 without --strict), with the walk's rules intact at
// that depth: a FIFO is not opened, a link out of the root is named and not
// followed, a link inside is not followed (its target is scanned once, under
// its own name), and a deep repository's git folder is told apart.
func TestDeepTree(t *testing.T) {
	dir := t.TempDir()
	g := fakekey.New(77)
	id := g.KeyID("AKIA")
	key := []byte("aws_access_key_id = " + id + "\naws_secret_access_key = " + g.Secret() + "\n")
	fd := deepFolder(t, dir, "dddddddd", 1500)
	defer unix.Close(fd)
	writeAt(t, fd, "creds.env", key)
	if err := unix.Mkfifoat(fd, "pipe", 0o644); err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	writeAt(t, fd, "note.txt", []byte("no key here\n"))
	for target, name := range map[string]string{outside + "/secret.env": "away", "creds.env": "alias", "../../dddddddd": "up"} {
		if err := unix.Symlinkat(target, fd, name); err != nil {
			t.Fatal(err)
		}
	}
	// A nested repository's git folder, deep down: read whole as any
	// folder (a pack whose key is found, its index, HEAD).
	for _, d := range []string{"repo", "repo/.git", "repo/.git/objects", "repo/.git/objects/pack", "repo/.git/refs"} {
		if err := unix.Mkdirat(fd, d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeAt(t, fd, "repo/.git/HEAD", []byte("ref: refs/heads/main\n"))
	pack := append([]byte("PACK\x00\x00\x00\x02"), key...)
	sum := sha1.Sum(pack)
	writeAt(t, fd, "repo/.git/objects/pack/pack-0123abcd.pack", append(pack, sum[:]...))
	writeAt(t, fd, "repo/.git/objects/pack/pack-0123abcd.idx", []byte("\377tOc\x00\x00\x00\x02")) // git reads a pack beside its index only
	if err := os.WriteFile(outside+"/secret.env", key, 0o644); err != nil {
		t.Fatal(err)
	}

	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	res, err := walk.Walk(context.Background(), []string{"."}, sc, walk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	deep := strings.Repeat("dddddddd/", 1500)
	if len(res.Findings) != 4 || res.Findings[0].File != deep+"creds.env" || res.Findings[0].Secret != id || !strings.HasPrefix(res.Findings[2].File, deep+"repo/.git/objects/pack/pack-0123abcd.pack") {
		var got []string
		for _, f := range res.Findings {
			got = append(got, f.File[max(0, len(f.File)-40):])
		}
		t.Errorf("findings %q, want the pair in …/creds.env and in the pack", got)
	}
	st := res.Stats
	if st.Files != 5 || st.Unreadable != 0 || st.Special != 1 || st.Outside != 1 || st.Symlinks != 3 {
		t.Errorf("stats %+v: want 5 files read (the git folder's HEAD, pack and pack index three), the FIFO skipped, one link out of the root, 3 links", st)
	}
	want := map[string]string{"pipe": "not a regular file", "away": "outside the scan root", "repo/.git/objects/pack/pack-0123abcd.pack": "archive not opened"}
	for _, w := range res.Warnings {
		name := strings.TrimPrefix(w.Path, deep)
		if sub, ok := want[name]; !ok || !strings.Contains(w.Err.Error(), sub) {
			t.Errorf("warning %s: %v", name, w.Err)
		}
		delete(want, name)
	}
	if len(want) > 0 {
		t.Errorf("no warning for %v", want)
	}
}
