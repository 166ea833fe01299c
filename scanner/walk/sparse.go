package walk

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/internal/readfile"
)

// A sparse checkout (git sparse-checkout, actions/checkout's
// sparse-checkout:, git update-index --skip-worktree) leaves tracked files
// out of the work tree: a scan of the folder cannot read them, and a
// "clean" would hide a .env the repository holds (qa22 M4). The index of
// the work tree holding a root says which: its skip-worktree entries below
// the root that the configuration does not exclude and that are not on
// disk are counted (Stats.Sparse) and named in a warning, as a Git LFS
// pointer whose content is absent is. The index is that of the user's own
// repository, read where its .git says, as lfsStore reads its objects. A
// sparse index keeps a folder outside the cone as one entry naming its
// tree; its files are counted from that tree (sparseDirs), read from the
// same repository's objects.

// sparse counts the tracked files below the folder root (absolute abs,
// shown as shown) that its work tree's index leaves out of the work tree.
func (w *walker) sparse(t tree, abs string) {
	shown := t.shown
	top := w.namer.Top(abs)
	if top == "" {
		return
	}
	read := func(p string) ([]byte, error) { return readfile.File(p, false, gitobj.MaxLayoutFile) }
	gitDir, err := workTreeGitDir(top, read, false)
	if err != nil {
		return // no repository, or a .git that is a link: nothing to count
	}
	idx, err := gitobj.ReadIndex(filepath.Join(gitDir, "index"), gitDir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			w.warn(shown, fmt.Errorf("the index of its git work tree could not be read, so tracked files a sparse checkout leaves out are not counted: %v", err))
		}
		return
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil {
		return
	}
	rel = filepath.ToSlash(rel)
	var n int64
	first := ""
	// count judges one tracked file at path p of the repository.
	count := func(p string) {
		if rel != "." {
			var ok bool
			if p, ok = strings.CutPrefix(p, rel+"/"); !ok {
				return
			}
		}
		if w.excludedUnder(t, p) {
			return
		}
		if _, err := os.Lstat(filepath.Join(abs, filepath.FromSlash(p))); err == nil {
			return // on disk all the same: the walk reads it
		}
		if n++; first == "" {
			first = p
		}
	}
	var dirs sparseDirs
	defer dirs.close()
	for i := range idx.Entries {
		e := &idx.Entries[i]
		if !e.SkipWorktree || e.IsGitlink() {
			continue
		}
		if e.IsDir() {
			// A sparse index (git sparse-checkout --sparse-index, Scalar)
			// keeps a folder outside the cone as one entry naming its
			// tree: its files are counted from the tree (qa24 M1).
			dir := strings.TrimSuffix(e.Path, "/")
			if rel != "." && dir != rel && !strings.HasPrefix(dir, rel+"/") && !strings.HasPrefix(rel, dir+"/") {
				continue
			}
			dirs.files(gitDir, dir, e.ID, count)
			continue
		}
		count(e.Path)
	}
	if n == 0 {
		return
	}
	w.sparseUnread.Add(n)
	what := fmt.Sprintf("%d files tracked by git are", n)
	if n == 1 {
		what = "1 file tracked by git is"
	}
	w.warn(shown, fmt.Errorf("%s not in the work tree (a sparse checkout, or skip-worktree), such as %s: not scanned (keyscan history --ref HEAD reads the committed files, or check them out)", what, first))
}

// excludedUnder reports whether the configuration excludes the file at
// rel (a slash path below the root) or a folder holding it.
func (w *walker) excludedUnder(t tree, rel string) bool {
	for i := 0; i < len(rel); i++ {
		if rel[i] == '/' && w.excludedPath(t, rel[:i], true) {
			return true
		}
	}
	return w.excludedPath(t, rel, false)
}

// sparseDirs lists the files of the folders a sparse index keeps as trees,
// reading the trees from the repository's objects (opened once, when the
// first such folder is met). Its work is bounded: a tree repeated under
// many paths (a git bomb) spells more paths than any checkout holds.
type sparseDirs struct {
	objs    *gitobj.Store
	r       *gitobj.Reader
	err     error
	visited int
}

// maxSparseEntries is how many tree entries sparseDirs reads in all; past
// it, a folder counts as one file not scanned.
const maxSparseEntries = 1 << 20

func (d *sparseDirs) close() {
	if d.objs != nil {
		d.objs.Close()
	}
}

// files calls count for each file below the folder dir whose tree is id,
// by its path in the repository; a tree that cannot be read (a partial
// clone, a missing object) or past the bound counts as the folder itself,
// so that the gap is never lost.
func (d *sparseDirs) files(gitDir, dir string, id gitobj.ID, count func(string)) {
	if d.objs == nil && d.err == nil {
		common, err := gitobj.CommonDir(gitDir)
		if err == nil {
			d.objs, err = gitobj.Open(filepath.Join(common, "objects"), gitobj.Options{})
		}
		if d.err = err; err == nil {
			d.r = d.objs.NewReader(1 << 20)
		}
	}
	if d.err != nil || !d.walk(dir, id, 0, count) {
		count(dir + "/") // the folder, whatever it holds
	}
}

// walk counts the files of tree id at dir, depth folders deep; it tells
// whether it read the tree whole (a subtree it could not read counts as
// that folder).
func (d *sparseDirs) walk(dir string, id gitobj.ID, depth int, count func(string)) bool {
	if depth > 4096 || d.visited > maxSparseEntries {
		return false
	}
	t, data, err := d.r.Read(id)
	if err != nil || t != gitobj.Tree {
		return false
	}
	whole := true
	err = gitobj.ParseTree(data, func(e gitobj.TreeEntry) {
		if d.visited++; d.visited > maxSparseEntries {
			whole = false
			return
		}
		p := dir + "/" + string(e.Name)
		switch {
		case e.IsSubmodule(): // another repository's files
		case e.IsDir():
			if !d.walk(p, e.ID, depth+1, count) {
				count(p + "/")
			}
		default:
			count(p)
		}
	})
	return err == nil && whole
}
