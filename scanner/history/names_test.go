package history_test

import (
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/history"
)

// splitPython is a secret that only a Python file's implicit concatenation
// joins: under a name of another class it is not found.
func splitPython(seed uint64) (secret, text string) {
	s := fakekey.New(seed).Secret()
	return s, "aws_secret_access_key = (\"" + s[:20] + "\"\n                         \"" + s[20:] + "\")\n"
}

// TestNoNameLowersFindings (qa8 HIGH-1): a blob's findings are the union
// over the name classes of the paths that hold it: a copy named README
// beside b.py, a copy added and deleted, and a rename from notes.cfg to
// b.py all find the secret that b.py alone reveals.
func TestNoNameLowersFindings(t *testing.T) {
	sec, text := splitPython(71)
	t.Run("copy-beside", func(t *testing.T) {
		r := newGitRepo(t)
		r.write("b.py", text)
		r.write("README", text) // sorts before b.py: the blob's first path
		c := r.commit("both")
		f := findingFor(t, scanRepo(t, r.dir, history.Options{}), sec)
		if f.File != "b.py" || f.Commit != c || f.Line != 1 || len(f.Paths) != 2 || !*f.PresentAtHead {
			t.Errorf("got %s:%d in %s, paths %v, at head %v; want b.py:1 in %s, both paths, at head", f.File, f.Line, f.Commit, f.Paths, *f.PresentAtHead, c)
		}
	})
	t.Run("copy-deleted", func(t *testing.T) {
		r := newGitRepo(t)
		r.write("a/a.cfg", text)
		r.write("b.py", text)
		c := r.commit("both")
		r.git("rm", "-q", "a/a.cfg")
		r.commit("rm")
		f := findingFor(t, scanRepo(t, r.dir, history.Options{}), sec)
		if f.File != "b.py" || f.Commit != c {
			t.Errorf("got %s in %s, want b.py in %s", f.File, f.Commit, c)
		}
	})
	t.Run("rename", func(t *testing.T) {
		r := newGitRepo(t)
		r.write("notes.cfg", text)
		r.commit("notes")
		r.git("mv", "notes.cfg", "b.py")
		c := r.commit("rename")
		res := scanRepo(t, r.dir, history.Options{})
		f := findingFor(t, res, sec)
		if f.File != "b.py" || f.Commit != c || f.Commits != 2 {
			t.Errorf("got %s in %s (%d commits), want b.py in %s", f.File, f.Commit, f.Commits, c)
		}
		if res.Stats.Rescanned != 1 || res.Stats.Scanned != 1 {
			t.Errorf("scanned %d, rescanned %d; want 1 and 1", res.Stats.Scanned, res.Stats.Rescanned)
		}
		// Only what the push adds: the rename is new, the blob is old.
		res = scanRepo(t, r.dir, history.Options{Refs: []string{"HEAD"}, Not: []string{"HEAD~1"}})
		if f := findingFor(t, res, sec); f.File != "b.py" || f.Commit != c {
			t.Errorf("push of the rename: got %s in %s, want b.py in %s", f.File, f.Commit, c)
		}
	})
	t.Run("same-class-rename", func(t *testing.T) {
		// A rename within a class is not scanned again, and a value the
		// first name found is not found twice.
		r := newGitRepo(t)
		r.write("a.py", text)
		c := r.commit("a")
		r.git("mv", "a.py", "b.py")
		r.commit("rename")
		r.write("c.cfg", text)
		r.commit("copy under another class")
		res := scanRepo(t, r.dir, history.Options{})
		f := findingFor(t, res, sec)
		if f.File != "a.py" || f.Commit != c || f.Commits != 3 || len(f.Paths) != 3 {
			t.Errorf("got %s in %s, %d commits, paths %v; want a.py in %s, 3 commits, 3 paths", f.File, f.Commit, f.Commits, f.Paths, c)
		}
		if res.Stats.Rescanned != 1 {
			t.Errorf("rescanned %d, want 1 (c.cfg)", res.Stats.Rescanned)
		}
		// Pushed onto a history that holds it as a.py, the copy under a
		// name of the same class as b.py is not new.
		res = scanRepo(t, r.dir, history.Options{Refs: []string{"HEAD~1"}, Not: []string{"HEAD~2"}})
		if len(res.Findings) != 0 || res.Stats.Rescanned != 0 {
			t.Errorf("push of a same-class rename: %d findings, %d rescanned; want none", len(res.Findings), res.Stats.Rescanned)
		}
	})
	t.Run("folder-rename", func(t *testing.T) {
		// The same tree under a folder of another DirClass is walked
		// again (it would otherwise stand for its first walk): a generic
		// SECRET= counts in .aws/config, not in x/config.
		s := fakekey.New(72).Secret()
		r := newGitRepo(t)
		r.write("x/config", "AWS_REGION=us-east-1\nSECRET="+s+"\n")
		r.commit("x")
		r.git("mv", "x", ".aws")
		c := r.commit("rename the folder")
		if f := findingFor(t, scanRepo(t, r.dir, history.Options{}), s); f.File != ".aws/config" || f.Commit != c {
			t.Errorf("got %s in %s, want .aws/config in %s", f.File, f.Commit, c)
		}
		// Pushed onto x/ (qa16 MEDIUM-2): a folder of the boundary moved
		// whole is not walked again only to a folder of its DirClass; to
		// .aws/ it is, whole or with a file changed beside.
		push := func() history.Result {
			return scanRepo(t, r.dir, history.Options{Refs: []string{"HEAD"}, Not: []string{"HEAD~1"}})
		}
		if f := findingFor(t, push(), s); f.File != ".aws/config" || f.Commit != c {
			t.Errorf("push of the folder moved: got %s in %s, want .aws/config in %s", f.File, f.Commit, c)
		}
		r.git("mv", ".aws", "x")
		r.commit("back")
		r.git("mv", "x", ".aws")
		r.write(".aws/credentials.md", "notes\n")
		c = r.commit("moved, with a file added")
		if f := findingFor(t, push(), s); f.File != ".aws/config" || f.Commit != c {
			t.Errorf("push of the folder moved with a file added: got %s in %s, want .aws/config in %s", f.File, f.Commit, c)
		}
		r.git("mv", ".aws", "y")
		r.commit("to y")
		r.git("mv", "y", "z")
		r.write("z/notes.md", "more notes\n")
		r.commit("to z, with a file added")
		for _, n := range []string{"HEAD~1", "HEAD~2"} {
			res := scanRepo(t, r.dir, history.Options{Refs: []string{"HEAD"}, Not: []string{n}})
			if len(res.Findings) != 0 || res.Stats.Rescanned != 0 {
				t.Errorf("push onto %s of a folder moved within its DirClass: %d findings, %d rescanned; want none", n, len(res.Findings), res.Stats.Rescanned)
			}
		}
	})
}
