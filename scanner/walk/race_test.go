package walk_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/walk"
)

// TestSwappedForALink (qa9 HIGH-4): a folder or file of the tree replaced
// by a link to somewhere else while the scan runs — after its folder was
// listed, before it is opened — is not followed. The race is made
// deterministic by the walker's test hook, which makes each swap at that
// moment:
//   - zz, listed as a folder, becomes a link to a folder outside the root
//     holding keys: not entered (its files are not read), a warning, counted
//     unreadable;
//   - f.ini, listed as a file, becomes a link to a key file outside: not
//     read;
//   - in/, already opened when its file is about to be read, is renamed
//     away and a link out put in its place: the file is read from the
//     folder that was listed (the original, now in.real), not through the
//     link;
//   - deep/a/b, two levels down, the same as zz.
func TestSwappedForALink(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "root")
	outside := filepath.Join(base, "outside")
	g := fakekey.New(91)
	key := []byte("aws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n")
	for _, name := range []string{"credentials", "readme", "f.ini"} {
		write(t, filepath.Join(outside, name), key)
	}
	write(t, filepath.Join(root, "zz", "readme"), []byte("clean\n"))
	write(t, filepath.Join(root, "f.ini"), []byte("clean\n"))
	write(t, filepath.Join(root, "in", "readme"), []byte("clean\n"))
	write(t, filepath.Join(root, "deep", "a", "b", "readme"), []byte("clean\n"))

	var mu sync.Mutex
	swapped := map[string]bool{}
	swap := func(rel string) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.Rename(p, p+".real"); err != nil {
			t.Error(err)
			return
		}
		target := outside
		if rel == "f.ini" {
			target = filepath.Join(outside, "credentials")
		}
		if err := os.Symlink(target, p); err != nil {
			t.Error(err)
		}
	}
	hook := func(rel string) {
		mu.Lock()
		defer mu.Unlock()
		if swapped[rel] {
			return
		}
		switch rel {
		case "zz", "f.ini", "deep/a/b":
			swap(rel)
		case "in/readme":
			swap("in")
		default:
			return
		}
		swapped[rel] = true
	}
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := walk.WalkHooked(context.Background(), []string{root}, sc, walk.Options{Workers: 2}, hook)
	if err != nil {
		t.Fatal(err)
	}
	if len(swapped) != 4 {
		t.Fatalf("swapped %v: the hook was not called for every entry", swapped)
	}
	for _, f := range res.Findings {
		t.Errorf("finding %s %s: read through a link swapped in", f.File, f.Rule)
	}
	warned := map[string]string{}
	for _, w := range res.Warnings {
		rel, _ := filepath.Rel(root, w.Path)
		warned[filepath.ToSlash(rel)] = w.Err.Error()
	}
	for _, rel := range []string{"zz", "deep/a/b"} {
		if !strings.Contains(warned[rel], "folder not read") || !strings.Contains(warned[rel], "replaced by a symbolic link") {
			t.Errorf("%s: warning %q, want a folder not read (a link)", rel, warned[rel])
		}
	}
	if !strings.Contains(warned["f.ini"], "replaced by a symbolic link") {
		t.Errorf("f.ini: warning %q, want a file not read (a link)", warned["f.ini"])
	}
	if _, ok := warned["in/readme"]; ok {
		t.Errorf("in/readme: warning %q, want it read from the folder that was listed", warned["in/readme"])
	}
	if res.Stats.Unreadable != 3 {
		t.Errorf("stats %+v: want 3 unreadable (zz, deep/a/b, f.ini)", res.Stats)
	}
	// in/readme and the three other clean files of the tree were read.
	if res.Stats.Files != 1 {
		t.Errorf("stats %+v: want 1 file scanned (in/readme, from its original folder)", res.Stats)
	}
}
