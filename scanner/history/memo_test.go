package history

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/internal/gitobj"
)

// The walk's memos (treeMemo in the walk, feedDir in the feed) must not
// change what a scan finds: these tests walk histories whose directories
// change in every way a tree entry can, with the memos off, too small to
// hold most directories, and at their size, and compare everything the
// walk builds (nodes, blobs with their first commit and path, paths,
// names) and the results (findings, warnings, stats).

// memoGit runs the git binary in a repository built for a test, every
// commit with its own date.
type memoGit struct {
	t    *testing.T
	dir  string
	tick int
}

func newMemoGit(t *testing.T) *memoGit {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	g := &memoGit{t: t, dir: filepath.Join(t.TempDir(), "repo")}
	g.input("", "init", "-q", "-b", "main", g.dir)
	return g
}

func (g *memoGit) git(args ...string) string { g.t.Helper(); return g.input("", args...) }

// input runs git with stdin and returns its trimmed output.
func (g *memoGit) input(stdin string, args ...string) string {
	g.t.Helper()
	g.tick++
	date := fmt.Sprintf("2024-01-01T%02d:%02d:%02d+0000", g.tick/3600, g.tick/60%60, g.tick%60)
	cmd := exec.Command("git", append([]string{"-c", "commit.gpgsign=false", "-c", "gc.auto=0", "-c", "core.fileMode=true"}, args...)...)
	if _, err := os.Stat(g.dir); err == nil {
		cmd.Dir = g.dir
	}
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Memo Test", "GIT_AUTHOR_EMAIL=memo@example.com", "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_NAME=Memo Test", "GIT_COMMITTER_EMAIL=memo@example.com", "GIT_COMMITTER_DATE="+date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		g.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (g *memoGit) write(path, content string) {
	g.t.Helper()
	p := filepath.Join(g.dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		g.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		g.t.Fatal(err)
	}
}

func (g *memoGit) remove(path string) {
	g.t.Helper()
	if err := os.RemoveAll(filepath.Join(g.dir, filepath.FromSlash(path))); err != nil {
		g.t.Fatal(err)
	}
}

// move moves a file with git mv, into a directory that may be new.
func (g *memoGit) move(from, to string) {
	g.t.Helper()
	if err := os.MkdirAll(filepath.Join(g.dir, filepath.Dir(to)), 0o755); err != nil {
		g.t.Fatal(err)
	}
	g.git("mv", from, to)
}

// copyDir copies directory from to to, in the work tree.
func (g *memoGit) copyDir(from, to string) {
	g.t.Helper()
	if err := os.CopyFS(filepath.Join(g.dir, to), os.DirFS(filepath.Join(g.dir, from))); err != nil {
		g.t.Fatal(err)
	}
}

func (g *memoGit) commit(msg string) string {
	g.t.Helper()
	g.git("add", "-A")
	g.git("commit", "-q", "--allow-empty", "-m", msg)
	return g.git("rev-parse", "HEAD")
}

// literalTree writes a tree object of the given records as they are, in
// their order (git's own commands sort them and refuse duplicates).
func (g *memoGit) literalTree(ents []gitobj.TreeEntry) string {
	g.t.Helper()
	var b []byte
	for _, e := range ents {
		b = gitobj.AppendTreeEntry(b, e.Mode, string(e.Name), e.ID)
	}
	return g.input(string(b), "hash-object", "-t", "tree", "--literally", "-w", "--stdin")
}

// treeOf returns the entries of tree rev (e.g. HEAD:dir).
func (g *memoGit) treeOf(rev string) []gitobj.TreeEntry {
	g.t.Helper()
	var out []gitobj.TreeEntry
	for _, line := range strings.Split(g.git("ls-tree", "--full-tree", rev), "\n") {
		var mode uint32
		var typ, hash string
		meta, name, _ := strings.Cut(line, "\t")
		if _, err := fmt.Sscanf(meta, "%o %s %s", &mode, &typ, &hash); err != nil {
			g.t.Fatalf("ls-tree line %q: %v", line, err)
		}
		id, _ := gitobj.ParseID(hash)
		out = append(out, gitobj.TreeEntry{Mode: mode, Name: []byte(name), ID: id})
	}
	return out
}

// walked is what a scan built and found, without its timings.
type walked struct {
	Res      Result
	Blobs    []blobInfo
	Nodes    []node
	Paths    []string
	Names    []string
	Commits  []commitInfo
	Warnings []Warning
}

func walkWith(t *testing.T, dir string, opts Options, memo int) walked {
	t.Helper()
	res, s, err := scanWith(context.Background(), dir, fixture.Scanner(t), opts, memo)
	if err != nil {
		t.Fatalf("scan with memo %d: %v", memo, err)
	}
	res.Stats.Duration, res.Stats.WalkTime, res.Stats.ReadTime = 0, 0, 0
	return walked{Res: res, Blobs: s.blobs, Nodes: s.nodes, Paths: s.paths, Names: s.nameList, Commits: s.commits, Warnings: s.warnings}
}

// sameWalks scans dir with each of opts, with the memos at several sizes,
// and checks that every walk is the one without memos.
func sameWalks(t *testing.T, dir string, opts map[string]Options) {
	t.Helper()
	for name, o := range opts {
		want := walkWith(t, dir, o, 0)
		if len(want.Nodes) == 0 {
			t.Fatalf("%s: nothing walked", name)
		}
		for _, memo := range []int{1, 600, 4 << 10, memoLimit} {
			got := walkWith(t, dir, o, memo)
			if d := cmp.Diff(want, got, cmp.AllowUnexported(Result{}, blobInfo{}, node{}, fileEntry{}, commitInfo{})); d != "" {
				t.Errorf("%s, memo %d bytes: the walk differs from the walk without memos (-without +with):\n%s", name, memo, d)
			}
		}
	}
}

// TestMemoSameWalk changes a directory in every way a tree entry can
// change, on two branches, and adds trees git would not write (entries out
// of order, a name twice).
func TestMemoSameWalk(t *testing.T) {
	g := newMemoGit(t)
	keys := fakekey.New(7)
	key := func() string { return "aws_access_key_id = " + keys.KeyID("AKIA") + "\n" }
	for c := 'a'; c <= 'z'; c++ {
		g.write(fmt.Sprintf("d/%c.txt", c), fmt.Sprintf("file %c\n", c))
	}
	g.write("d/sub/x.txt", "x\n")
	g.write("d/sub/y.txt", key())
	g.write("d/k.cfg", key())
	g.write("top.txt", "top\n")
	g.commit("first")
	g.write("d/m.txt", "changed\n"+key())
	g.commit("a blob changes")
	g.git("mv", "d/c.txt", "d/c2.txt")
	g.commit("an entry renamed")
	g.git("update-index", "--chmod=+x", "d/e.txt")
	g.git("commit", "-q", "-m", "a mode changes")
	g.move("d/f.txt", "other/f.txt")
	g.move("d/k.cfg", "other/k.cfg")
	g.commit("blobs move to another directory")
	g.write("d/f.txt", "file k\n") // d/k.txt's blob at a new path
	g.commit("a blob at a second path")
	base := g.git("rev-parse", "HEAD")
	g.git("checkout", "-q", "-b", "side")
	g.write("d/a.txt", "side\n"+key())
	g.write("d/n.txt", "side n\n")
	g.commit("side changes d")
	g.write("d/sub/x.txt", "side x\n")
	g.commit("side changes d/sub")
	g.git("checkout", "-q", "main")
	g.copyDir("d/sub", "d/sub2")
	g.commit("main: a subtree at two paths")
	g.git("merge", "-q", "--no-edit", "side")
	merged := g.git("rev-parse", "HEAD")
	g.copyDir("d/sub", "copy/sub")
	g.commit("a subtree at a third path")
	g.remove("d/g.txt")
	g.write("d/g.txt/inner.txt", "g became a directory\n")
	g.write("d/foo/in.txt", "foo\n")
	g.write("d/foo.c", "foo.c\n")
	g.write("d/foo-", "foo-\n")
	g.commit("a file becomes a directory; names that sort around a directory")
	g.remove("d/foo.c")
	g.remove("d/sub")
	g.write("d/sub", "sub became a file\n"+key())
	g.commit("a directory becomes a file")
	if err := os.Symlink("a.txt", filepath.Join(g.dir, "d", "link")); err != nil {
		t.Fatal(err)
	}
	g.commit("a symlink")
	g.git("update-index", "--add", "--cacheinfo", "160000,"+base+",d/mod")
	g.git("commit", "-q", "-m", "a submodule")
	g.git("update-index", "--add", "--cacheinfo", "160000,"+merged+",d/mod")
	g.git("commit", "-q", "-m", "the submodule moves")
	g.git("rm", "-q", "--cached", "d/mod")
	g.git("commit", "-q", "-m", "the submodule goes")

	// Trees git would not write, on a ref of their own: d's entries
	// backwards, then one of them changed, then a name twice.
	d := g.treeOf("HEAD:d")
	root := g.treeOf("HEAD^{tree}")
	withD := func(dtree string) string {
		id, _ := gitobj.ParseID(dtree)
		ents := slices.Clone(root)
		for i := range ents {
			if string(ents[i].Name) == "d" {
				ents[i].ID = id
			}
		}
		return g.literalTree(ents)
	}
	back := slices.Clone(d)
	slices.Reverse(back)
	c1 := g.git("commit-tree", withD(g.literalTree(back)), "-p", "HEAD", "-m", "out of order")
	blob := g.input("odd\n"+key(), "hash-object", "-w", "--stdin")
	blobID, _ := gitobj.ParseID(blob)
	for i := range back {
		if string(back[i].Name) == "m.txt" {
			back[i].ID = blobID
		}
	}
	c2 := g.git("commit-tree", withD(g.literalTree(back)), "-p", c1, "-m", "out of order, changed")
	dup := append(slices.Clone(d), gitobj.TreeEntry{Mode: 0o100644, Name: []byte("a.txt"), ID: blobID})
	c3 := g.git("commit-tree", withD(g.literalTree(dup)), "-p", c2, "-m", "a name twice")
	g.git("update-ref", "refs/odd", c3)

	opts := map[string]Options{
		"all":        {},
		"path glob":  {PathGlob: "d/**"},
		"exclude":    {Exclude: func(p string) bool { return strings.HasPrefix(p, "d/s") || strings.HasSuffix(p, ".cfg") }},
		"since":      {Since: base},
		"push":       {Refs: []string{"main", "refs/odd"}, Not: []string{base}},
		"allobjects": {AllObjects: true},
	}
	sameWalks(t, g.dir, opts)
	g.git("repack", "-a", "-d", "-q")
	sameWalks(t, g.dir, map[string]Options{"packed": {}})
}

// TestMemoRandomHistory walks histories of random changes to a few
// directories: edits, additions, deletions, renames, moves between
// directories, mode changes, directories copied and replaced by files.
func TestMemoRandomHistory(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			g := newMemoGit(t)
			rnd := rand.New(rand.NewPCG(seed, 99))
			keys := fakekey.New(seed + 100)
			dirs := []string{"", "a", "a/b", "a/b/c", "z"}
			var files []string
			exists := func(p string) bool { _, err := os.Lstat(filepath.Join(g.dir, p)); return err == nil }
			for i := range 40 {
				p := filepath.Join(dirs[rnd.IntN(len(dirs))], fmt.Sprintf("f%02d", i))
				g.write(p, fmt.Sprintf("file %d\n", i))
				files = append(files, p)
			}
			g.commit("start")
			for c := range 40 {
				for range 1 + rnd.IntN(3) {
					p := files[rnd.IntN(len(files))]
					switch op := rnd.IntN(8); {
					case !exists(p) || op == 0:
						g.write(p, fmt.Sprintf("new %d\n", c))
					case op == 1:
						g.write(p, fmt.Sprintf("commit %d\n", c)+"aws_access_key_id = "+keys.KeyID("AKIA")+"\n")
					case op == 2:
						g.remove(p)
					case op == 3:
						q := filepath.Join(dirs[rnd.IntN(len(dirs))], filepath.Base(p)+"m")
						if !exists(q) && !exists(filepath.Dir(q)+"x") {
							g.move(p, q)
							files = append(files, q)
						}
					case op == 4:
						info, err := os.Stat(filepath.Join(g.dir, p))
						if err == nil {
							os.Chmod(filepath.Join(g.dir, p), info.Mode()^0o100)
						}
					case op == 5:
						dst := filepath.Join("copies", fmt.Sprint(c))
						src := dirs[1+rnd.IntN(len(dirs)-1)]
						if exists(src) && !exists(dst) {
							g.copyDir(src, dst)
						}
					case op == 6:
						g.write(p+"x", "a sibling\n")
						files = append(files, p+"x")
					default:
						g.write(p, fmt.Sprintf("edit %d of %s\n", c, p))
					}
				}
				g.commit(fmt.Sprintf("commit %d", c))
				if c == 20 {
					g.git("checkout", "-q", "-b", "side", "HEAD~5")
				}
				if c == 30 {
					g.git("checkout", "-q", "main")
				}
			}
			sameWalks(t, g.dir, map[string]Options{
				"all":     {},
				"exclude": {Exclude: func(p string) bool { return strings.Contains(p, "b/") }},
			})
		})
	}
}

// TestCancelledScan stops scans at their start and during the read: each
// returns the context's error, and the goroutines of the walk (the feed,
// the planner) end with it instead of blocking it.
func TestCancelledScan(t *testing.T) {
	g := newMemoGit(t)
	for i := range 30 {
		g.write(fmt.Sprintf("d%d/f.txt", i%5), fmt.Sprintf("version %d\n", i))
		g.commit(fmt.Sprint(i))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := scanWith(ctx, g.dir, fixture.Scanner(t), Options{}, memoLimit); err != context.Canceled {
		t.Errorf("scan with a cancelled context: %v, want %v", err, context.Canceled)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	opts := Options{Workers: 1, Progress: func(Progress) { cancel() }}
	if _, _, err := scanWith(ctx, g.dir, fixture.Scanner(t), opts, memoLimit); err != context.Canceled {
		t.Errorf("scan cancelled during the read: %v, want %v", err, context.Canceled)
	}
}
