//go:build !unix

package fix

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/keyscan/keyscan/internal/readfile"
)

// replaceIn replaces the file at rel, a '/'-separated path below the folder
// root, as WriteFile describes, with what Windows has in place of Unix's
// descriptors (see internal/readfile, readfile_other.go). root is opened as
// named; the folders of rel below it are opened one from the other as
// os.Roots following no link (readfile.OpenDirIn: a link or junction there
// is refused), and everything after is done by name inside the file's
// folder's os.Root, which refuses any name that leads out of the folder:
// the file is looked at without following it (Root.Lstat), the temporary
// file is created beside it (O_EXCL), and Root.Rename replaces the file in
// one step (a POSIX-semantics rename), so the rename cannot land anywhere
// but in the folder that was checked.
//
// What Windows has no counterpart for is not copied: the new file gets the
// folder's inherited access control list and the user running keyscan as
// its owner, and of the mode bits only the read-only attribute exists (a
// read-only file is refused). The user's right to write the file is
// checked by opening it for writing (nothing is written through that open),
// since its access control list, not its mode, decides; its hard links
// (NTFS has them) are counted from that open.
func replaceIn(root, rel string, data []byte) error {
	show := filepath.Join(root, filepath.FromSlash(rel))
	dir, err := openFolder(root, path.Dir(rel))
	if errors.Is(err, syscall.ELOOP) {
		return &RefusedError{show, "a folder on its path is a symbolic link (put there while keyscan ran); not rewritten"}
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: filepath.Dir(show), Err: err}
	}
	defer dir.Close()
	name := path.Base(rel)

	st, err := dir.Lstat(name)
	if err != nil {
		return &fs.PathError{Op: "stat", Path: show, Err: readfile.UnwrapPath(err)}
	}
	switch {
	case st.Mode()&(fs.ModeSymlink|fs.ModeIrregular) != 0:
		return &RefusedError{show, "is a symbolic link (put there while keyscan ran); not rewritten"}
	case !st.Mode().IsRegular():
		return &RefusedError{show, "not a regular file; not rewritten"}
	case st.Mode().Perm()&0o222 == 0:
		return &RefusedError{show, reasonReadOnly}
	}
	f, err := dir.OpenFile(name, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrPermission) {
		return &RefusedError{show, reasonNotYours}
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: show, Err: readfile.UnwrapPath(err)}
	}
	links, err := linkCount(f)
	if fi, serr := f.Stat(); serr != nil || !os.SameFile(fi, st) {
		f.Close()
		return &RefusedError{show, reasonChanged}
	}
	f.Close()
	if err != nil {
		return &fs.PathError{Op: "stat", Path: show, Err: err}
	}
	if links > 1 {
		return &RefusedError{show, fmt.Sprintf(reasonLinks, links)}
	}

	var rnd [6]byte
	rand.Read(rnd[:])
	tmpName := "." + name + ".keyscan-" + hex.EncodeToString(rnd[:])
	tmp, err := dir.OpenFile(tmpName, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return &fs.PathError{Op: "create", Path: filepath.Join(filepath.Dir(show), tmpName), Err: readfile.UnwrapPath(err)}
	}
	renamed := false
	defer func() {
		if !renamed {
			dir.Remove(tmpName)
		}
	}()
	fail := func(err error) error {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(fmt.Errorf("writing %s: %w", show, err))
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// The file checked is the file replaced: one put in its place since
	// (a link, another file) is left alone.
	if now, err := dir.Lstat(name); err != nil || !os.SameFile(now, st) {
		return &RefusedError{show, reasonChanged}
	}
	if err := dir.Rename(tmpName, name); err != nil {
		return &os.LinkError{Op: "rename", Old: tmpName, New: show, Err: readfile.UnwrapPath(err)}
	}
	renamed = true
	return nil
}

// openFolder opens the folder d ('/'-separated, "." for root itself) below
// root as an os.Root, root as named and each folder below it following no
// link (readfile.OpenDirIn).
func openFolder(root, d string) (*os.Root, error) {
	r, err := readfile.OpenRoot(root)
	if err != nil || d == "." {
		return r, err
	}
	for _, e := range strings.Split(d, "/") {
		sub, f, err := readfile.OpenDirIn(r, e)
		r.Close()
		if err != nil {
			return nil, err
		}
		f.Close()
		r = sub
	}
	return r, nil
}
