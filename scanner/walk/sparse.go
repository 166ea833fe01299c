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
// repository, read where its .git says, as lfsStore reads its objects.

// sparse counts the tracked files below the folder root (absolute abs,
// shown as shown) that its work tree's index leaves out of the work tree.
func (w *walker) sparse(abs, shown string) {
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
	for i := range idx.Entries {
		e := &idx.Entries[i]
		if !e.SkipWorktree || e.IsGitlink() || e.IsDir() {
			continue
		}
		p := e.Path
		if rel != "." {
			var ok bool
			if p, ok = strings.CutPrefix(p, rel+"/"); !ok {
				continue
			}
		}
		if w.excludedUnder(p) {
			continue
		}
		if _, err := os.Lstat(filepath.Join(abs, filepath.FromSlash(p))); err == nil {
			continue // on disk all the same: the walk reads it
		}
		if n++; first == "" {
			first = p
		}
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
func (w *walker) excludedUnder(rel string) bool {
	for i := 0; i < len(rel); i++ {
		if rel[i] == '/' && w.excludedPath(rel[:i], true) {
			return true
		}
	}
	return w.excludedPath(rel, false)
}
