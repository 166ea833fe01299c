package history_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/scanner/history"
)

// hugeFolder is a folder data/ of many files, every one the same blob (as
// a data set of empty or identical files is), as git mktree lines by name;
// the files whose index is in special hold their text instead, and are
// named .cfg. Commits are made of it with git mktree and commit-tree, not
// by checking out so many files.
type hugeFolder struct {
	r     *gitRepo
	lines map[string]string // name -> "mode type blob"
}

func newHugeFolder(r *gitRepo, n int, special map[int]string) *hugeFolder {
	r.t.Helper()
	same := r.runInput("same\n", "hash-object", "-w", "--stdin")
	h := &hugeFolder{r: r, lines: make(map[string]string, n)}
	for i := range n {
		blob, ext := same, "txt"
		if text, ok := special[i]; ok {
			blob, ext = r.runInput(text, "hash-object", "-w", "--stdin"), "cfg"
		}
		h.lines[fmt.Sprintf("f%07d.%s", i, ext)] = "100644 blob " + blob
	}
	return h
}

func (h *hugeFolder) add(name, text string) {
	h.lines[name] = "100644 blob " + h.r.runInput(text, "hash-object", "-w", "--stdin")
}

func (h *hugeFolder) rename(from, to string) {
	h.lines[to] = h.lines[from]
	delete(h.lines, from)
}

// commit commits the folder as data/ on parent ("" for none).
func (h *hugeFolder) commit(parent, msg string) string {
	h.r.t.Helper()
	var b strings.Builder
	for name, line := range h.lines {
		fmt.Fprintf(&b, "%s\t%s\n", line, name)
	}
	data := h.r.runInput(b.String(), "mktree")
	root := h.r.runInput("040000 tree "+data+"\tdata\n", "mktree")
	args := []string{"commit-tree", root, "-m", msg}
	if parent != "" {
		args = append(args, "-p", parent)
	}
	return h.r.git(args...)
}

// TestPushIntoHugeFolder (qa16 MEDIUM-2): a push whose commits change a
// few files of a folder of many, onto a boundary that holds one blob under
// thousands of names (whose classes are worked out only when a pushed
// commit meets the blob elsewhere), still finds what it adds there: a key
// in a new file, and a secret only a Python file's name reveals in an old
// blob renamed to b.py; an old file renamed within its class, and the old
// files left alone, are not new.
func TestPushIntoHugeFolder(t *testing.T) {
	sec, text := splitPython(2118)
	r := newGitRepo(t)
	h := newHugeFolder(r, 20000, map[int]string{7: text})
	base := h.commit("", "data")
	h.rename("f0000001.txt", "g0000001.txt")
	c := h.commit(base, "rename within the class")
	g := fakekey.New(2119)
	id := g.KeyID("AKIA")
	h.add("h.ini", "[default]\naws_access_key_id = "+id+"\naws_secret_access_key = "+g.Secret()+"\n")
	c = h.commit(c, "a key")
	h.rename("f0000007.cfg", "b.py")
	moved := h.commit(c, "the split secret, renamed to .py")
	r.git("update-ref", "refs/heads/main", moved)
	for _, repack := range []bool{false, true} {
		if repack {
			r.repack()
		}
		res := scanRepo(t, r.dir, history.Options{Refs: []string{"main"}, Not: []string{base}})
		if f := findingFor(t, res, id); f.File != "data/h.ini" {
			t.Errorf("repacked %v: key at %s, want data/h.ini", repack, f.File)
		}
		if f := findingFor(t, res, sec); f.File != "data/b.py" || f.Commit != moved {
			t.Errorf("repacked %v: split secret at %s in %s, want data/b.py in %s", repack, f.File, f.Commit, moved)
		}
		for _, f := range res.Findings {
			if strings.HasPrefix(f.File, "data/f") || strings.HasPrefix(f.File, "data/g") {
				t.Errorf("repacked %v: an old file reported: %s", repack, f.File)
			}
		}
	}
}

// BenchmarkPushIntoHugeFolder is the gate's cost of a push of four
// commits that each rename one file of a folder of 200,000 (qa16
// MEDIUM-2): it grows with the folder once, not with the folder for each
// commit.
func BenchmarkPushIntoHugeFolder(b *testing.B) {
	r := newGitRepo(b)
	h := newHugeFolder(r, 200000, nil)
	base := h.commit("", "data")
	c := base
	for i := 1; i <= 4; i++ {
		h.rename(fmt.Sprintf("f%07d.txt", i), fmt.Sprintf("g%07d.txt", i))
		c = h.commit(c, "rename")
	}
	r.git("update-ref", "refs/heads/main", c)
	sc := fixture.Scanner(b)
	b.ResetTimer()
	for range b.N {
		if _, err := history.Scan(context.Background(), r.dir, sc, history.Options{Refs: []string{"main"}, Not: []string{base}}); err != nil {
			b.Fatal(err)
		}
	}
}
