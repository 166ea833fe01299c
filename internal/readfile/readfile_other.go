//go:build !unix

package readfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// Outside Unix (Windows) there is no openat(O_NOFOLLOW) to hand the kernel
// and no O_NONBLOCK open of a file. What stands in for them:
//
//   - Opens below a root go through os.Root (os.OpenRoot, Root.OpenRoot,
//     Root.Open), which resolves every element itself from an open handle
//     of its folder and refuses any that leads out of the root, whatever is
//     swapped in meanwhile: a link or junction put in place of a folder
//     cannot take a read out of the tree. A walker holds one os.Root per
//     folder, so it cannot leave the folder a name was listed in.
//   - os.Root follows a link that stays inside the root; keyscan follows
//     none. So after each open the name is looked at again without
//     following it (Root.Lstat): a symbolic link, a junction or another
//     reparse point there is refused as Unix's O_NOFOLLOW refuses a link
//     (syscall.ELOOP), and an entry that is not the file that was opened
//     (os.SameFile: the volume and file index Windows gives) is refused as
//     replaced while it was opened.
//   - A Windows file system holds no FIFOs (named pipes live in their own
//     namespace, \\.\pipe\), and os.Root refuses reserved device names (NUL,
//     CON, COM1, ...) in a name, so a file found in a tree cannot block its
//     open; fstat's check of what was opened (regular) still refuses a
//     pipe or device named on the command line before any read.
//   - procfs and sysfs are Linux's: a file of size 0 is empty.

// errReplaced is a name that no longer holds the file or folder that was
// opened by it: something was put in its place while the open ran.
var errReplaced = errors.New("replaced while it was opened: not read")

// open opens the regular file at path and returns it with its size. With
// noFollow a link at path (a symbolic link, a junction) is refused as
// syscall.ELOOP without opening it, and a link put there while the open
// ran is refused after it. Errors are the bare cause (no path).
func open(path string, noFollow bool) (*os.File, int64, error) {
	var before fs.FileInfo
	if noFollow {
		fi, err := os.Lstat(path)
		if err != nil {
			return nil, 0, UnwrapPath(err)
		}
		if isLink(fi) {
			return nil, 0, syscall.ELOOP
		}
		before = fi
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, UnwrapPath(err)
	}
	if before != nil {
		if err := same(f, before); err != nil {
			f.Close()
			return nil, 0, err
		}
	}
	return regular(f)
}

// isLink reports whether an Lstat result is a link: a symbolic link, or
// (ModeIrregular, which Unix never sets) a junction or another reparse
// point Go does not read as a file.
func isLink(fi fs.FileInfo) bool {
	return fi.Mode()&(fs.ModeSymlink|fs.ModeIrregular) != 0
}

// same returns errReplaced unless the open file f is the entry fi.
func same(f *os.File, fi fs.FileInfo) error {
	ofi, err := f.Stat()
	if err != nil {
		return UnwrapPath(err)
	}
	if !os.SameFile(ofi, fi) {
		return errReplaced
	}
	return nil
}

// check finishes an open of name in r: err is the open's; a link at name
// is syscall.ELOOP, and a name that is not the open f (err nil) is
// errReplaced. f is closed on an error.
func check(r *os.Root, name string, f *os.File, err error) error {
	fi, lerr := r.Lstat(name)
	if err != nil {
		if lerr == nil && isLink(fi) {
			return syscall.ELOOP
		}
		return UnwrapPath(err)
	}
	switch {
	case lerr != nil:
		err = UnwrapPath(lerr)
	case isLink(fi):
		err = syscall.ELOOP
	default:
		err = same(f, fi)
	}
	if err != nil {
		f.Close()
	}
	return err
}

// OpenRoot opens the folder at path as an os.Root, following a link at
// path (a root the user names may be a link). Errors are the bare cause.
func OpenRoot(path string) (*os.Root, error) {
	r, err := os.OpenRoot(path)
	if err != nil {
		return nil, UnwrapPath(err)
	}
	return r, nil
}

// OpenDirIn opens the folder name in the folder r, following no link (see
// above: a link or junction there is syscall.ELOOP), and returns it as an
// os.Root with a handle of it open for listing. name is one path element.
func OpenDirIn(r *os.Root, name string) (*os.Root, *os.File, error) {
	sub, err := r.OpenRoot(name)
	var d *os.File
	if err == nil {
		if d, err = sub.Open("."); err != nil {
			sub.Close()
		}
	}
	if err = check(r, name, d, err); err != nil {
		if d != nil {
			sub.Close()
		}
		return nil, nil, err
	}
	return sub, d, nil
}

// OpenIn opens the regular file name in the folder r as Open does,
// following no link (see above). name is one path element. Errors are the
// bare cause (no path).
func OpenIn(r *os.Root, name string) (*os.File, int64, error) {
	f, err := r.Open(name)
	if err = check(r, name, f, err); err != nil {
		return nil, 0, err
	}
	return regular(f)
}

// OpenDir opens the folder at path for listing, following a link at path
// (a root the user names may be a link).
func OpenDir(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, UnwrapPath(err)
	}
	fi, err := f.Stat()
	if err == nil && !fi.IsDir() {
		err = syscall.ENOTDIR
	}
	if err != nil {
		f.Close()
		return nil, UnwrapPath(err)
	}
	return f, nil
}

// OpenBeneath opens rel, a '/'-separated path below the folder root, one
// element at a time from an os.Root of the folder above it, following no
// link (OpenDirIn, OpenIn): the open never leaves root, whatever is swapped
// in meanwhile; root itself is opened as named (a root the user names may
// be a link). With dir the last element must be a folder (for ReadDir);
// otherwise it is opened as Open opens a file (only a regular file).
func OpenBeneath(root, rel string, dir bool) (*os.File, error) {
	if !dir {
		f, _, err := openBeneath(root, rel)
		return f, err
	}
	r, name, err := parentBeneath(root, rel)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	sub, d, err := OpenDirIn(r, name)
	if err != nil {
		return nil, err
	}
	sub.Close()
	return d, nil
}

func openBeneath(root, rel string) (*os.File, int64, error) {
	r, name, err := parentBeneath(root, rel)
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	return OpenIn(r, name)
}

// parentBeneath opens the folder above rel's last element, from root down,
// following no link, and returns it with that element's name.
func parentBeneath(root, rel string) (*os.Root, string, error) {
	elems := strings.Split(rel, "/")
	for _, e := range elems {
		if e == "" || e == "." || e == ".." {
			return nil, "", fmt.Errorf("path element %q: not opened below the root", e)
		}
	}
	r, err := OpenRoot(root)
	if err != nil {
		return nil, "", err
	}
	for _, e := range elems[:len(elems)-1] {
		sub, d, err := OpenDirIn(r, e)
		r.Close()
		if err != nil {
			return nil, "", err
		}
		d.Close()
		r = sub
	}
	return r, elems[len(elems)-1], nil
}

// ReadlinkBeneath reads the target of the symlink at rel below root (see
// OpenBeneath): the folder above it is opened element by element.
func ReadlinkBeneath(root, rel string) (string, error) {
	r, name, err := parentBeneath(root, rel)
	if err != nil {
		return "", err
	}
	defer r.Close()
	target, err := r.Readlink(name)
	return target, UnwrapPath(err)
}

// linkOnPath reports whether err, from OpenBeneath's walk down a path, is
// a link met on the way.
func linkOnPath(err error) bool { return errors.Is(err, syscall.ELOOP) }

// pseudo reports false: procfs and sysfs, whose files' size says nothing
// of their content, are Linux's.
func pseudo(*os.File) (bool, error) { return false, nil }
