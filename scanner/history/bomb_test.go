package history_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyscan/keyscan/internal/gittest"
	"github.com/keyscan/keyscan/scanner/history"
)

// bombCommit commits, on top of HEAD, HEAD's tree plus the git bomb tree
// (see gittest.Bomb) at folder dir (in place of what HEAD has there), and
// moves main to it.
func bombCommit(t *testing.T, r *gitRepo, dir, bomb, msg string) string {
	t.Helper()
	var entries strings.Builder
	for _, e := range strings.Split(r.git("ls-tree", "HEAD"), "\n") {
		if !strings.HasSuffix(e, "\t"+dir) { // replaced
			entries.WriteString(e + "\n")
		}
	}
	root := r.runInput(entries.String()+"040000 tree "+bomb+"\t"+dir+"\n", "mktree")
	c := r.git("commit-tree", root, "-p", "HEAD", "-m", msg)
	r.git("update-ref", "refs/heads/main", c)
	return c
}

// bomb writes a git bomb of the blob holding content as name.
func bomb(t *testing.T, r *gitRepo, content, name string, levels, width int) string {
	t.Helper()
	blob := r.runInput(content, "hash-object", "-w", "--stdin")
	tree, err := gittest.Bomb(r.dir, blob, name, levels, width)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// TestGitBomb: a legitimate tree whose ten folders of ten entries all name
// the same tree spells 10^10 paths in a few kilobytes. The walk reads each
// tree once, and the key in the repeated blob is one finding, attributed to
// its first path and the commit that brought it, its paths listed up to a
// bound with a note saying there are more.
func TestGitBomb(t *testing.T) {
	for _, packed := range []bool{false, true} {
		t.Run(fmt.Sprintf("packed=%v", packed), func(t *testing.T) {
			r := newGitRepo(t)
			r.write("README", "hello\n")
			r.commit("initial")
			id, line := keyLine(4101)
			b := bomb(t, r, "[default]\n"+line, "credentials", 10, 10)
			c := bombCommit(t, r, "bomb", b, "bomb")
			if packed {
				r.repack()
			}
			res, err := scanBounded(t, r.dir, history.Options{})
			if err != nil {
				t.Fatal(err)
			}
			f := findingFor(t, res, id)
			first := "bomb/" + strings.Repeat("a/", 10) + "credentials"
			if f.File != first || f.Line != 2 || f.Commit != c || f.LastCommit != c || f.Commits != 1 {
				t.Errorf("finding at %s:%d in %s (last %s, %d commits), want %s:2 in %s", f.File, f.Line, f.Commit, f.LastCommit, f.Commits, first, c)
			}
			if f.PresentAtHead == nil || !*f.PresentAtHead {
				t.Errorf("present at head = %v, want true", f.PresentAtHead)
			}
			if len(f.Paths) != 1000 || f.Paths[0] != first || !strings.Contains(f.Note, "held under more paths than the 1000 listed") {
				t.Errorf("%d paths (first %q), note %q: want the first 1000 and a note", len(f.Paths), f.Paths[0], f.Note)
			}
			if len(res.Warnings) != 0 || res.Stats.Unreadable != 0 || res.Stats.Blobs != 2 {
				t.Errorf("warnings %v, stats %+v: want none, 2 blobs", res.Warnings, res.Stats)
			}
		})
	}
}

// TestGitBombSameAsWalkByPath: the walk that lets a tree met again under
// another path stand for the first (no path filter) and the walk of every
// path (a filter that leaves nothing out) report the same findings, paths
// included, on a small bomb renamed, copied and changed over commits.
func TestGitBombSameAsWalkByPath(t *testing.T) {
	r := newGitRepo(t)
	id1, line1 := keyLine(4102)
	id2, line2 := keyLine(4103)
	r.write("README", "hello\n")
	r.commit("initial")
	b1 := bomb(t, r, line1, "k.env", 3, 3)
	bombCommit(t, r, "x", b1, "bomb at x")
	bombCommit(t, r, "y", b1, "and at y")
	b2 := bomb(t, r, line2, "k.env", 2, 4)
	bombCommit(t, r, "x", b2, "x replaced")
	r.git("reset", "-q", "--hard", "main")
	r.git("mv", "y", "z")
	r.git("commit", "-q", "-m", "y renamed")
	r.write("z/b/keep", "x\n")
	r.commit("z changed")

	all, err := scanBounded(t, r.dir, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	byPath, err := scanBounded(t, r.dir, history.Options{Exclude: func(string) bool { return false }})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(byPath.Findings, all.Findings); diff != "" {
		t.Errorf("findings differ from the walk by path (-by path +aliased):\n%s", diff)
	}
	f1, f2 := findingFor(t, all, id1), findingFor(t, all, id2)
	if len(f1.Paths) != 27*3 || len(f2.Paths) != 16 {
		t.Errorf("%d and %d paths, want 81 (x, y, z) and 16: %v", len(f1.Paths), len(f2.Paths), f1.Paths)
	}
	if len(all.Warnings) != 0 || len(byPath.Warnings) != 0 {
		t.Errorf("warnings: %v; %v", all.Warnings, byPath.Warnings)
	}
}

// TestGitBombPathFilter: with --path or configured excludes each path of
// a repeated tree must be tested, so the walk goes path by path, up to a
// budget; beyond it the trees not walked are warnings counted as
// unreadable (--strict: exit 2), never a silent "clean". The key is still
// found at its first path.
func TestGitBombPathFilter(t *testing.T) {
	r := newGitRepo(t)
	r.write("README", "hello\n")
	r.commit("initial")
	id, line := keyLine(4104)
	b := bomb(t, r, line, "k.env", 6, 10)
	c := bombCommit(t, r, "bomb", b, "bomb")
	r.repack()
	for name, opts := range map[string]history.Options{
		"path":    {PathGlob: "**/*.env"},
		"exclude": {Exclude: func(p string) bool { return strings.HasPrefix(p, "README") }},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := scanBounded(t, r.dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			f := findingFor(t, res, id)
			if first := "bomb/a/a/a/a/a/a/k.env"; f.File != first || f.Commit != c {
				t.Errorf("finding at %s in %s, want %s in %s", f.File, f.Commit, first, c)
			}
			if res.Stats.Unreadable == 0 || len(res.Warnings) == 0 {
				t.Fatalf("no tree left unwalked: stats %+v", res.Stats)
			}
			for _, w := range res.Warnings {
				if !strings.Contains(w.Message, `git bomb`) || w.Path == "" || w.Object == "" {
					t.Errorf("warning %q", w)
				}
			}
		})
	}
}
