package staged

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/internal/readfile"
)

// applyWorkTree replaces the index's view of tracked files with the work
// tree's, as `git commit -a` does: modified files take their work-tree
// content, deleted ones leave; untracked files stay out. A file whose stat
// data matches its index entry (and is not racily clean) is not read, which
// is git's own shortcut.
func applyWorkTree(ctx context.Context, root string, idx *gitobj.Index, ents []gitobj.IndexEntry, objs *objects) ([]gitobj.IndexEntry, map[string]gitobj.CacheTree, error) {
	trees := make(map[string]gitobj.CacheTree, len(idx.Trees))
	for k, v := range idx.Trees {
		trees[k] = v
	}
	dirty := func(p string) {
		for {
			i := strings.LastIndexByte(p, '/')
			if i < 0 {
				delete(trees, "")
				return
			}
			p = p[:i]
			delete(trees, p)
		}
	}
	objs.extra = map[gitobj.ID][]byte{}
	out := ents[:0:0]
	for i := range ents {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		e := ents[i]
		if e.IsGitlink() || e.IsDir() || e.SkipWorktree {
			out = append(out, e)
			continue
		}
		full := filepath.Join(root, filepath.FromSlash(e.Path))
		fi, err := os.Lstat(full)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || (err == nil && fi.IsDir()) {
			dirty(e.Path) // deleted from the work tree: the commit removes it
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if statClean(&e, fi, idx.ModTime) {
			out = append(out, e)
			continue
		}
		var data []byte
		mode := e.Mode // the exec bit does not matter to a scan
		if mode&0o170000 != 0o100000 {
			mode = 0o100644
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(full)
			if err != nil {
				return nil, nil, err
			}
			data, mode = []byte(filepath.ToSlash(target)), 0o120000
		} else {
			// A tracked file replaced by a FIFO or a link to a pseudo-file
			// must not block the hook: read without blocking or following,
			// up to the size the Lstat above saw (internal/readfile). It is
			// opened from the root one folder at a time, following no link:
			// a folder swapped for a link to elsewhere since it was listed
			// is refused, not read through.
			if data, err = readfile.FileBeneath(root, e.Path, 1<<62); err != nil {
				return nil, nil, err
			}
		}
		if h := gitobj.HashObject(gitobj.Blob, data); h != e.ID {
			e.ID, e.Mode = h, mode
			objs.extra[h] = data
			dirty(e.Path)
		}
		out = append(out, e)
	}
	return out, trees, nil
}

// statClean reports whether the file still has the size and times its index
// entry recorded, and was not changed in the same second the index was
// written (then git cannot tell from times alone).
func statClean(e *gitobj.IndexEntry, fi os.FileInfo, indexMtime [2]int64) bool {
	mt := fi.ModTime()
	sec, nsec := e.MTime()
	if uint32(fi.Size()) != e.Size() || uint32(mt.Unix()) != sec || uint32(mt.Nanosecond()) != nsec {
		return false
	}
	if fi.Mode()&fs.ModeSymlink == 0 && (e.Mode&0o170000 == 0o120000) {
		return false
	}
	im := indexMtime
	return mt.Unix() < im[0] || (mt.Unix() == im[0] && int64(mt.Nanosecond()) < im[1])
}
