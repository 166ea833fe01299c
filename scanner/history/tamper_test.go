package history_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/internal/gittest"
	"github.com/keyscan/keyscan/scanner/history"
)

// scanBounded runs a history scan that must end: the tampered object stores
// below used to make it wait on a FIFO or walk without end (qa7 HIGH-2 and
// HIGH-3). The bound guards against a hang; it measures nothing.
func scanBounded(t *testing.T, dir string, opts history.Options) (history.Result, error) {
	t.Helper()
	type out struct {
		res history.Result
		err error
	}
	done := make(chan out, 1)
	go func() {
		res, err := history.Scan(context.Background(), dir, fixture.Scanner(t), opts)
		done <- out{res, err}
	}()
	select {
	case o := <-done:
		return o.res, o.err
	case <-time.After(2 * time.Minute):
		t.Fatalf("history scan of %s did not end", dir)
	}
	return history.Result{}, nil
}

func treeEntry(mode, name, id string) []byte {
	b, err := hex.DecodeString(id)
	if err != nil || len(b) != 20 {
		panic("bad id " + id)
	}
	return append([]byte(mode+" "+name+"\x00"), b...)
}

func commitText(tree string) []byte {
	return []byte("tree " + tree + "\nauthor A <a@example.com> 1700000000 +0000\ncommitter A <a@example.com> 1700000000 +0000\n\nforged\n")
}

// keyRepo is a repository whose key was committed, then deleted; it
// returns the key ID and the blob that holds it.
func keyRepo(t *testing.T) (*gitRepo, string, string) {
	t.Helper()
	r := newGitRepo(t)
	id, line := keyLine(77)
	r.write(".env", line)
	r.commit("key")
	blob := r.git("rev-parse", "HEAD:.env")
	r.git("rm", "-q", ".env")
	r.write("README", "clean\n")
	r.commit("remove")
	return r, id, blob
}

// TestTreeContainsItself: a pack index can file a tree under any ID, so a
// tree can name itself as its own subtree (x/x/x/...) or two trees each
// other. The walk ends: the tree met again inside itself is a warning
// naming its path and counts as unreadable, and what the trees hold is
// still scanned, in a full scan, with Refs, and with Not (a push).
func TestTreeContainsItself(t *testing.T) {
	r, key, blob := keyRepo(t)
	const self, loopA, loopB = "2222222222222222222222222222222222222222", "4444444444444444444444444444444444444444", "5555555555555555555555555555555555555555"
	const c1, c2 = "3333333333333333333333333333333333333333", "6666666666666666666666666666666666666666"
	selfTree := append(treeEntry("100644", ".env", blob), treeEntry("40000", "x", self)...)
	aTree := append(treeEntry("100644", ".env", blob), treeEntry("40000", "b", loopB)...)
	bTree := treeEntry("40000", "a", loopA)
	objects := filepath.Join(r.dir, ".git", "objects")
	if err := gittest.WriteForgedPack(objects, []gittest.Object{
		{ID: self, Type: "tree", Data: selfTree},
		{ID: loopA, Type: "tree", Data: aTree},
		{ID: loopB, Type: "tree", Data: bTree},
		{ID: c1, Type: "commit", Data: commitText(self)},
		{ID: c2, Type: "commit", Data: commitText(loopA)},
	}); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]string{"self": c1, "pair": c2} { // git update-ref checks the hash
		if err := os.WriteFile(filepath.Join(r.dir, ".git", "refs", "heads", name), []byte(c+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, opts := range map[string]history.Options{
		"all refs":  {},
		"refs":      {Refs: []string{"self", "pair"}},
		"push":      {Refs: []string{c1, c2}, Not: []string{"main"}},
		"all objs":  {AllObjects: true},
		"path glob": {PathGlob: "**/.env"},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := scanBounded(t, r.dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !hasWarningAt(res, "x", "contains itself") || !hasWarningAt(res, "b/a", "contains itself") {
				t.Errorf("warnings %v, want the trees that contain themselves named at x and b/a", res.Warnings)
			}
			if res.Stats.Unreadable == 0 {
				t.Error("a tree not walked is not counted as unreadable")
			}
			findingFor(t, res, key)
		})
	}
}

// TestRefsThatDoNotResolve: a ref the user names whose commit cannot be
// read is an error, not "no commits"; a ref of a full scan that does not
// resolve, or a commit whose tree is missing, is a warning counted as
// unreadable (exit 2 under --strict), and when nothing at all could be
// read the scan is an error.
func TestRefsThatDoNotResolve(t *testing.T) {
	r, key, _ := keyRepo(t)
	missing := "7777777777777777777777777777777777777777"
	r.git("update-ref", "--no-deref", "refs/heads/gone", r.git("rev-parse", "HEAD"))
	if err := os.WriteFile(filepath.Join(r.dir, ".git", "refs", "heads", "gone"), []byte(missing+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notree := r.runInput(string(commitText("8888888888888888888888888888888888888888")), "hash-object", "-t", "commit", "-w", "--stdin")
	r.git("update-ref", "refs/heads/notree", notree)

	for _, ref := range []string{"gone", "refs/heads/gone", missing, "notree"} {
		if _, err := scanBounded(t, r.dir, history.Options{Refs: []string{ref}}); err == nil {
			t.Errorf("--ref %s: no error for a ref whose history cannot be read", ref)
		}
	}
	res, err := scanBounded(t, r.dir, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	findingFor(t, res, key)
	if !hasWarning(res, "refs/heads/gone") || !hasWarningFor(res, "8888888888888888888888888888888888888888") || res.Stats.Unreadable < 2 {
		t.Errorf("warnings %v, %d unreadable: want the ref and the missing tree named and counted", res.Warnings, res.Stats.Unreadable)
	}
}

// TestBrokenRefs (qa36 D4): a ref file holding garbage is a malformed
// ref, named, ignored as git ignores a broken ref and counted as a gap
// (BrokenRefs), the other refs scanned; a packed-refs line go-git refuses
// is one too, named by the file and the line's number (qa38: it was an
// error that stopped the whole scan); a pack index cut
// short, when it leaves no ref resolving, is named as the cause, and one
// ref is "1 ref". One real repository, broken three ways in turn.
func TestBrokenRefs(t *testing.T) {
	r, key, _ := keyRepo(t)
	garbage := filepath.Join(r.dir, ".git", "refs", "heads", "garbage")
	if err := os.WriteFile(garbage, []byte("not a sha\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := scanBounded(t, r.dir, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	findingFor(t, res, key)
	if !hasWarning(res, "ref refs/heads/garbage: malformed ref") || hasWarning(res, "object not found") ||
		res.Stats.BrokenRefs != 1 || res.Stats.Unreadable != 0 {
		t.Errorf("warnings %v, %d broken refs, %d unreadable: want refs/heads/garbage a malformed ref, counted", res.Warnings, res.Stats.BrokenRefs, res.Stats.Unreadable)
	}
	if err := os.Remove(garbage); err != nil {
		t.Fatal(err)
	}

	r.repack() // the objects in one pack, the refs in packed-refs
	r.git("pack-refs", "--all")
	packed := filepath.Join(r.dir, ".git", "packed-refs")
	good, err := os.ReadFile(packed)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(good), "\n")
	if err := os.WriteFile(packed, append(slices.Clone(good), "zzz bad line\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	// qa38 hist 1: the line is a broken ref, the other refs scanned.
	want := fmt.Sprintf("%s, line %d: malformed packed-ref", packed, lines+1)
	res, err = scanBounded(t, r.dir, history.Options{})
	if err != nil {
		t.Fatalf("a bad packed-refs line: %v, want the other refs scanned", err)
	}
	findingFor(t, res, key)
	if !hasWarning(res, want) || res.Stats.BrokenRefs != 1 {
		t.Errorf("a bad packed-refs line: warnings %v, %d broken refs: want %q, counted", res.Warnings, res.Stats.BrokenRefs, want)
	}
	if err := os.WriteFile(packed, good, 0o644); err != nil {
		t.Fatal(err)
	}

	idx, _ := filepath.Glob(filepath.Join(r.dir, ".git", "objects", "pack", "*.idx"))
	if len(idx) != 1 {
		t.Fatalf("pack indexes %v, want one", idx)
	}
	if err := os.Chmod(idx[0], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(idx[0], 500); err != nil {
		t.Fatal(err)
	}
	_, err = scanBounded(t, r.dir, history.Options{})
	if err == nil || !strings.Contains(err.Error(), idx[0]) || strings.Contains(err.Error(), "1 refs") {
		t.Errorf("a pack index cut short: error %v, want it named", err)
	}
}

// TestNonRegularFilesInGitFolder: a FIFO or a device in place of a file of
// the git folder is never opened for a read that waits, nor read without
// end (qa7 HIGH-2): an object or an alternates file is a warning, counted;
// a file the repository cannot be opened without (HEAD, a ref, packed-refs,
// commondir, a .git file) is an error.
func TestNonRegularFilesInGitFolder(t *testing.T) {
	for _, c := range []struct {
		name, path string // path under .git; "" for .git itself
		dev        string // a device to link there instead of a FIFO
		fails      bool
	}{
		{name: "loose blob", path: "BLOB"},
		{name: "alternates FIFO", path: "objects/info/alternates"},
		{name: "alternates /dev/zero", path: "objects/info/alternates", dev: "/dev/zero"},
		{name: "HEAD", path: "HEAD", fails: true},
		{name: "branch", path: "refs/heads/main", fails: true},
		{name: "packed-refs", path: "packed-refs", fails: true},
		{name: "commondir", path: "commondir", fails: true},
		{name: "shallow", path: "shallow", dev: "/dev/zero"},
		{name: "stash reflog", path: "logs/refs/stash", dev: "/dev/zero"},
		{name: ".git file", path: "", fails: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, key, blob := keyRepo(t)
			if c.name == "packed-refs" {
				r.git("pack-refs", "--all")
			}
			p := filepath.Join(r.dir, ".git", filepath.FromSlash(c.path))
			if c.path == "BLOB" {
				p = filepath.Join(r.dir, ".git", "objects", blob[:2], blob[2:])
			}
			if c.path == "" {
				if err := os.Rename(p, filepath.Join(r.dir, "real-git")); err != nil {
					t.Fatal(err)
				}
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
			res, err := scanBounded(t, r.dir, history.Options{})
			if c.fails {
				if err == nil {
					t.Errorf("no error; warnings %v", res.Warnings)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			switch c.path {
			case "BLOB":
				if res.Stats.Failed != 1 || !hasWarning(res, "named pipe") {
					t.Errorf("%d failed, warnings %v: want the FIFO blob named and counted", res.Stats.Failed, res.Warnings)
				}
				return
			case "objects/info/alternates":
				if res.Stats.Unreadable != 1 || !hasWarning(res, "alternates") {
					t.Errorf("%d unreadable, warnings %v: want the alternates named and counted", res.Stats.Unreadable, res.Warnings)
				}
			}
			findingFor(t, res, key)
		})
	}
}
