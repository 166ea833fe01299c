//go:build unix

package outfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// File is an output being written; Close makes it visible under its name.
type File struct {
	*os.File
	dir  *os.File // the open folder the name is in
	tmp  string   // the new file's name in dir, renamed to base at Close; "" when written in place
	base string
	name string
}

// Create opens an output at path, its folder as named (following links).
// private makes a new file readable by its owner only (0600: it holds
// secrets), else 0644.
func Create(path string, private bool) (*File, error) {
	dir, base := split(path)
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	return createIn(os.NewFile(uintptr(fd), dir), base, path, private, false)
}

// CreateBeneath is Create for a path the user named: a folder of the path
// at or below the current folder that is a symbolic link is an error, at
// any moment (see the package comment).
func CreateBeneath(path string, private bool) (*File, error) {
	d, err := openFolder(path, false)
	if err != nil {
		return nil, err
	}
	_, base := split(path)
	return createIn(d, base, path, private, false)
}

// CreateBeneathDirs is CreateBeneath that makes the folders of path that
// are missing (0755), each from the open folder above it.
func CreateBeneathDirs(path string, private bool) (*File, error) {
	d, err := openFolder(path, true)
	if err != nil {
		return nil, err
	}
	_, base := split(path)
	return createIn(d, base, path, private, false)
}

// CreateSecretBeneath is CreateBeneath for a file of secrets: readable by
// its owner only, and written as a new regular file, never in place: a
// name that is a link (to anything: a device too) or not a regular file
// is an error, where CreateBeneath would write into a device or a pipe,
// which others may be reading.
func CreateSecretBeneath(path string) (*File, error) {
	d, err := openFolder(path, false)
	if err != nil {
		return nil, err
	}
	_, base := split(path)
	return createIn(d, base, path, true, true)
}

// openFolder opens the folder path is in: the part at or above the current
// folder as named, the folders below it one from the other following no
// link, made when missing and mkdir is set.
func openFolder(path string, mkdir bool) (*os.File, error) {
	top, rel := folderParts(path)
	if mkdir && rel == "" {
		if err := os.MkdirAll(top, 0o755); err != nil {
			return nil, err
		}
	}
	fd, err := unix.Open(top, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: top, Err: err}
	}
	shown := top
	if rel != "" {
		shown = ""
		if top != "." {
			shown = top
		}
		for _, part := range strings.Split(rel, string(filepath.Separator)) {
			shown = filepath.Join(shown, part)
			next, err := unix.Openat(fd, part, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
			if errors.Is(err, unix.ENOENT) && mkdir {
				if err = unix.Mkdirat(fd, part, 0o755); err == nil || errors.Is(err, unix.EEXIST) {
					next, err = unix.Openat(fd, part, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
				}
			}
			if err != nil {
				err = folderError(fd, part, path, shown, err)
				unix.Close(fd)
				return nil, err
			}
			unix.Close(fd)
			fd = next
		}
	}
	return os.NewFile(uintptr(fd), shown), nil
}

// folderError says why the folder part, in the open folder dirfd, could
// not be opened: a symbolic link is named as one, with its target.
func folderError(dirfd int, part, path, shown string, err error) error {
	var st unix.Stat_t
	if (errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR)) &&
		unix.Fstatat(dirfd, part, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
		dest := readlinkAt(dirfd, part)
		return fmt.Errorf("%s: the folder %s is a symbolic link (to %s): not written through; name the real folder", path, shown, dest)
	}
	return &fs.PathError{Op: "open", Path: shown, Err: err}
}

func readlinkAt(dirfd int, name string) string {
	buf := make([]byte, 4096)
	n, err := unix.Readlinkat(dirfd, name, buf)
	if err != nil {
		return "?"
	}
	return string(buf[:n])
}

// createIn opens the output named base in the open folder d (path is how
// the user named it), as Create describes; d is the File's from then on.
// regularOnly refuses what create would write in place (a device, a pipe,
// a link to one).
func createIn(d *os.File, base, path string, private, regularOnly bool) (*File, error) {
	f, err := create(d, base, path, private, regularOnly)
	if err != nil {
		d.Close()
		return nil, err
	}
	return f, nil
}

func create(d *os.File, base, path string, private, regularOnly bool) (*File, error) {
	if base == "" || base == "." || base == ".." {
		return nil, fmt.Errorf("%s: names a folder, not a file", path)
	}
	dfd := int(d.Fd())
	var st unix.Stat_t
	err := unix.Fstatat(dfd, base, &st, unix.AT_SYMLINK_NOFOLLOW)
	switch {
	case errors.Is(err, unix.ENOENT):
	case err != nil:
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	case st.Mode&unix.S_IFMT == unix.S_IFLNK:
		// A link to a device or a pipe is written as it is (>(…) names
		// /dev/fd/N, a link); one to a file, a folder or nowhere is not
		// written through. What is opened is checked, not what was
		// looked at: a link turned to a file meanwhile is refused the same.
		refuse := fmt.Errorf("%s: a symbolic link (to %s): not written through; remove it or name another file", path, readlinkAt(dfd, base))
		if regularOnly {
			return nil, refuse
		}
		var target unix.Stat_t
		if err := unix.Fstatat(dfd, base, &target, 0); err != nil ||
			target.Mode&unix.S_IFMT == unix.S_IFREG || target.Mode&unix.S_IFMT == unix.S_IFDIR {
			return nil, refuse // not opened at all
		}
		fd, err := unix.Openat(dfd, base, unix.O_WRONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return nil, refuse
		}
		return inPlace(d, fd, base, path, refuse)
	case st.Mode&unix.S_IFMT == unix.S_IFDIR:
		return nil, fmt.Errorf("%s: a folder", path)
	case st.Mode&unix.S_IFMT != unix.S_IFREG && regularOnly:
		return nil, fmt.Errorf("%s: not a regular file: not written into", path)
	case st.Mode&unix.S_IFMT != unix.S_IFREG:
		fd, err := unix.Openat(dfd, base, unix.O_WRONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return inPlace(d, fd, base, path, fmt.Errorf("%s: replaced by a regular file while keyscan opened it: not written into", path))
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	tmp := "." + base + ".keyscan-" + hex.EncodeToString(rnd[:])
	fd, err := unix.Openat(dfd, tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, &fs.PathError{Op: "create", Path: filepath.Join(filepath.Dir(path), tmp), Err: err}
	}
	out := os.NewFile(uintptr(fd), filepath.Join(filepath.Dir(path), tmp))
	mode := fs.FileMode(0o644)
	if private {
		mode = 0o600
	}
	if err := out.Chmod(mode); err != nil {
		out.Close()
		unix.Unlinkat(dfd, tmp, 0)
		return nil, err
	}
	return &File{File: out, dir: d, tmp: tmp, base: base, name: path}, nil
}

// inPlace keeps fd, just opened for writing, when it is not a regular file
// or a folder (a device, a pipe), to be written as a shell redirection
// would, without truncating or replacing it; else it closes it and returns
// refuse.
func inPlace(d *os.File, fd int, base, path string, refuse error) (*File, error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT == unix.S_IFREG || st.Mode&unix.S_IFMT == unix.S_IFDIR {
		unix.Close(fd)
		return nil, refuse
	}
	return &File{File: os.NewFile(uintptr(fd), path), dir: d, base: base, name: path}, nil
}

// Close finishes the output: a new file is renamed to its name, in the
// folder opened at the start.
func (f *File) Close() error {
	err := f.File.Close()
	if f.tmp != "" {
		dfd := int(f.dir.Fd())
		if err == nil {
			if rerr := unix.Renameat(dfd, f.tmp, dfd, f.base); rerr != nil {
				err = &os.LinkError{Op: "rename", Old: f.tmp, New: f.name, Err: rerr}
			}
		}
		if err != nil {
			unix.Unlinkat(dfd, f.tmp, 0)
		}
	}
	f.dir.Close()
	return err
}

// Abort drops a new file that was not finished; the name keeps what it had.
func (f *File) Abort() {
	f.File.Close()
	if f.tmp != "" {
		unix.Unlinkat(int(f.dir.Fd()), f.tmp, 0)
	}
	f.dir.Close()
}
