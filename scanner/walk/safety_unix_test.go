//go:build unix

package walk_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/walk"
)

// TestLinksOutOfTheRootAreNotFollowed: a symlink is content, not a door. A
// link to / would walk the whole disk, a link to a FIFO out of the tree
// would block, a link to the runner's files would read them: none is
// followed, and each is named in a warning.
func TestLinksOutOfTheRootAreNotFollowed(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "r")
	outside := filepath.Join(base, "x")
	secret := fakekey.New(7).KeyID("AKIA")
	write(t, filepath.Join(outside, "config", "aws", "credentials"), []byte("id "+secret+"\n"))
	write(t, filepath.Join(outside, "config", "other.ini"), []byte("id "+secret+"\n"))
	if err := syscall.Mkfifo(filepath.Join(outside, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "ok.txt"), []byte("nothing\n"))
	links := map[string]string{
		"disk":   "/",
		"fifo":   filepath.Join(outside, "fifo"),
		"a-link": filepath.Join(outside, "config", "aws"),
		"b-link": filepath.Join(outside, "config"),
		"up":     "../x/config/other.ini",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	sc, _ := scanner.New(scanner.Options{})
	res := walkInsideRoot(t, root, sc)
	if len(res.Findings) != 0 {
		t.Errorf("findings %v from files outside the root", res.Findings)
	}
	warned := map[string]string{}
	for _, w := range res.Warnings {
		warned[filepath.Base(w.Path)] = w.Err.Error()
	}
	for name := range links {
		if !strings.Contains(warned[name], "outside the scan root") {
			t.Errorf("%s: warning %q, want it named as a link out of the root", name, warned[name])
		}
	}
	if res.Stats.Outside != int64(len(links)) {
		t.Errorf("stats %+v: want %d links out of the root", res.Stats, len(links))
	}

	// Named on the command line, the links are followed, and each real
	// file is scanned once: the two links' overlap hides nothing.
	res, err := walk.Walk(context.Background(), []string{filepath.Join(root, "a-link"), filepath.Join(root, "b-link")}, sc, walk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range res.Findings {
		got[filepath.Base(f.File)]++
	}
	if got["credentials"] != 1 || got["other.ini"] != 1 {
		t.Errorf("findings per file %v: want credentials and other.ini once each", got)
	}
}

// TestLinkTextIsContent is qa17 H4: git stores a link as its target's
// text, and staged, history and the archive readers scan that text; so
// does the walk, without following the link. A key written as a link's
// target is reported under the link's name, broken or not; a link to a
// file in the tree adds nothing (its target is reported once, under its
// own name); an excluded link is not read.
func TestLinkTextIsContent(t *testing.T) {
	root := t.TempDir()
	g := fakekey.New(71)
	id, secret := g.KeyID("AKIA"), g.Secret()
	write(t, filepath.Join(root, "creds.ini"), []byte("aws_access_key_id = "+g.KeyID("AKIA")+"\n"))
	links := map[string]string{
		"broken":      "/run/secrets/aws_access_key_id=" + id + ":aws_secret_access_key=" + secret,
		"inside":      "creds.ini",
		"skip/broken": "/run/" + g.KeyID("AKIA"),
	}
	for name, target := range links {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	sc, _ := scanner.New(scanner.Options{})
	res, err := walk.Walk(context.Background(), []string{root}, sc, walk.Options{Excluded: func(rel string, dir bool) bool { return strings.HasPrefix(rel, "skip/") }})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, f := range res.Findings {
		rel, _ := filepath.Rel(root, f.File)
		got[rel] = append(got[rel], f.Secret)
	}
	if len(got["broken"]) != 2 || len(got["creds.ini"]) != 1 || len(got) != 2 {
		t.Errorf("findings by file %q: want the link's pair and creds.ini's key ID once", got)
	}
}

// TestLongLinkText: a target longer than linkText's first read is read
// whole, on its second.
func TestLongLinkText(t *testing.T) {
	root := t.TempDir()
	g := fakekey.New(72)
	target := "/run/" + strings.Repeat("d/", 150) + "aws_access_key_id=" + g.KeyID("AKIA") + ":aws_secret_access_key=" + g.Secret()
	if err := os.Symlink(target, filepath.Join(root, "long")); err != nil {
		t.Fatal(err)
	}
	sc, _ := scanner.New(scanner.Options{})
	res, err := walk.Walk(context.Background(), []string{root}, sc, walk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 2 {
		t.Errorf("findings %v: want the long link's pair", res.Findings)
	}
}

// TestSpecialFilesAreNeverOpened: a FIFO met in a tree is skipped with a
// warning that says what it is; a FIFO or device named on the command line
// is a RootError (the user asked for it and it cannot be read). Opening
// either would block the scan forever.
func TestSpecialFilesAreNeverOpened(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	sc, _ := scanner.New(scanner.Options{})
	res, err := walk.Walk(context.Background(), []string{dir}, sc, walk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].Err.Error(), "a named pipe (FIFO)") {
		t.Errorf("walk %s: warnings %v, want the FIFO named as such", dir, res.Warnings)
	}
	if res.Stats.Special != 1 {
		t.Errorf("walk %s: stats %+v, want 1 special file", dir, res.Stats)
	}
	for _, named := range []string{fifo, "/dev/null", "/dev/zero"} {
		_, err := walk.Walk(context.Background(), []string{named}, sc, walk.Options{})
		var re *walk.RootError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("walk %s: error %v, want a RootError saying it is not a regular file", named, err)
		}
	}
}

// FuzzWalk builds a random tree of files with and without keys, folders,
// links into and out of the root (to files, folders, a FIFO, /), FIFOs and
// unreadable entries, and checks that the walk ends, never reads outside
// the root, and reports every key in a readable regular file inside it.
func FuzzWalk(f *testing.F) {
	f.Add([]byte{0, 1, 1, 3, 4, 5, 9, 17, 25})
	f.Add([]byte{1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add([]byte("links and pipes and folders everywhere"))
	f.Add([]byte{4, 12, 20, 28, 36, 44, 52, 3, 11, 19})
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 64 {
			ops = ops[:64]
		}
		base := t.TempDir()
		root := filepath.Join(base, "root")
		outside := filepath.Join(base, "outside")
		gen := fakekey.New(42)
		outKey := gen.KeyID("AKIA")
		write(t, filepath.Join(outside, "dir", "creds"), []byte("id "+outKey+"\n"))
		if err := syscall.Mkfifo(filepath.Join(outside, "fifo"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(root, 0o755); err != nil {
			t.Fatal(err)
		}
		outTargets := []string{"/", filepath.Join(outside, "fifo"), filepath.Join(outside, "dir"),
			filepath.Join(outside, "dir", "creds"), "../../outside/dir", "/proc/self/fd/0"}
		dirs := []string{root}
		var paths []string // every entry made, for links to point at
		want := map[string]string{}
		unreadable := map[string]bool{}
		asRoot := os.Geteuid() == 0
		for i, op := range ops {
			parent := dirs[int(op>>3)%len(dirs)]
			p := filepath.Join(parent, fmt.Sprintf("e%d", i))
			switch op % 8 {
			case 0:
				if err := os.Mkdir(p, 0o755); err == nil {
					dirs = append(dirs, p)
				}
			case 1, 2:
				id := gen.KeyID("AKIA")
				write(t, p, []byte("id = "+id+"\n"))
				want[p] = id
			case 3:
				write(t, p, []byte("nothing here\n"))
			case 4:
				target := outTargets[int(op>>3)%len(outTargets)]
				_ = os.Symlink(target, p)
			case 5:
				if len(paths) > 0 {
					target, _ := filepath.Rel(parent, paths[int(op>>3)%len(paths)])
					_ = os.Symlink(target, p)
				} else {
					_ = os.Symlink("..", p)
				}
			case 6:
				_ = syscall.Mkfifo(p, 0o644)
			case 7:
				id := gen.KeyID("AKIA")
				write(t, p, []byte("id = "+id+"\n"))
				if err := os.Chmod(p, 0); err != nil {
					t.Fatal(err)
				}
				if asRoot {
					want[p] = id
				} else {
					unreadable[p] = true
				}
			}
			paths = append(paths, p)
		}
		res := walkInsideRoot(t, root, sc)
		found := map[string]string{}
		for _, f := range res.Findings {
			if f.Secret == outKey {
				t.Errorf("found the key that lives outside the root, in %s", f.File)
			}
			found[filepath.FromSlash(f.File)] = f.Secret
		}
		for p, id := range want {
			if found[p] != id {
				t.Errorf("%s: key %s not reported; findings %v", p, id, found)
			}
		}
		if len(found) != len(want) {
			t.Errorf("reported %d files, want %d: %v", len(found), len(want), found)
		}
		warned := map[string]bool{}
		for _, w := range res.Warnings {
			warned[filepath.FromSlash(w.Path)] = true
		}
		for p := range unreadable {
			if !warned[p] {
				t.Errorf("%s: unreadable, and no warning", p)
			}
		}
	})
}
