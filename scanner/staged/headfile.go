package staged

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// HeadFile reads the file name at the top of HEAD's tree in the repository
// at dir (a work tree or any folder in one, or a git folder: a bare
// repository), through gitobj as a staged scan reads objects: a FIFO or a
// device in the object store is a problem, never a read that waits (the
// git binary would wait on a FIFO of alternates). found is false when HEAD
// is unborn or its tree has no such entry; the entry's mode is returned
// for the caller to judge (a link, a submodule); a blob over max bytes is
// an error. workTree is the top of the work tree, "" for a git folder.
func HeadFile(ctx context.Context, dir, name string, max int64) (data []byte, mode uint32, found bool, workTree string, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, 0, false, "", err
	}
	var r *repo
	if _, serr := os.Stat(filepath.Join(abs, ".git")); serr != nil && isGitDir(abs) {
		r, err = locate(abs, abs, "")
		if err == nil {
			r.workTree = ""
		}
	} else {
		r, err = locate(abs, "", "")
	}
	if err != nil {
		return nil, 0, false, "", err
	}
	store, err := gitobj.Open(filepath.Join(r.commonDir, "objects"), gitobj.Options{})
	if err != nil {
		return nil, 0, false, r.workTree, err
	}
	defer store.Close()
	h, ok, err := r.head(ctx)
	if err != nil || !ok {
		return nil, 0, false, r.workTree, err
	}
	rd := store.NewReader(0)
	tree, err := rd.CommitTree(h)
	if err != nil {
		return nil, 0, false, r.workTree, fmt.Errorf("HEAD %s: %w", h, err)
	}
	td, err := rd.ReadType(tree, gitobj.Tree)
	if err != nil {
		return nil, 0, false, r.workTree, fmt.Errorf("HEAD's tree %s: %w", tree, err)
	}
	ents, err := gitobj.TreeEntries(td)
	if err != nil {
		return nil, 0, false, r.workTree, fmt.Errorf("HEAD's tree %s: %w", tree, err)
	}
	for _, e := range ents {
		if string(e.Name) != name {
			continue
		}
		if e.IsDir() || e.IsSubmodule() || e.Mode&0o170000 != 0o100000 {
			return nil, e.Mode, true, r.workTree, nil
		}
		b, err := rd.ReadType(e.ID, gitobj.Blob)
		if err != nil {
			return nil, e.Mode, true, r.workTree, fmt.Errorf("HEAD:%s: %w", name, err)
		}
		if int64(len(b)) > max {
			return nil, e.Mode, true, r.workTree, fmt.Errorf("HEAD:%s: larger than %d bytes: not read", name, max)
		}
		return b, e.Mode, true, r.workTree, nil
	}
	return nil, 0, false, r.workTree, nil
}
