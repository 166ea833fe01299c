//go:build unix

package walk

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/keyscan/keyscan/internal/readfile"
)

// handle is an open folder: its descriptor, which its subfolders and files
// are opened from (openat), and the file that lists it.
type handle struct {
	f  *os.File
	fd int
}

func newHandle(f *os.File) handle { return handle{f: f, fd: int(f.Fd())} }

func (h handle) close() { h.f.Close() }

// openRoot opens a root folder as named (a link there followed).
func openRoot(root string) (handle, error) {
	f, err := readfile.OpenDir(root)
	if err != nil {
		return handle{}, err
	}
	return newHandle(f), nil
}

// openDir opens the folder name of d (at path p), following no link
// (readfile.OpenDirAt).
func (d *folder) openDir(name, p string) (handle, error) {
	f, err := readfile.OpenDirAt(d.fd, name, p)
	if err != nil {
		return handle{}, swapped(d, name, err)
	}
	return newHandle(f), nil
}

// open opens the regular file name of d, following no link
// (readfile.OpenAt).
func (d *folder) open(name string) (*os.File, int64, error) {
	f, size, err := readfile.OpenAt(d.fd, name)
	err = swapped(d, name, err)
	return f, size, err
}

// read reads the regular file name of d into b's array, following no
// link (readfile.ReadAt): data, or, for a file over max, whose size is 0
// or that is irregular, the file open for the caller to read.
func (d *folder) read(b []byte, name string, max int64) (data []byte, f *os.File, size int64, err error) {
	data, f, size, err = readfile.ReadAt(b, d.fd, name, max)
	return data, f, size, swapped(d, name, err)
}

// swapped names the error of opening name in d when the entry has become a
// link since d was listed (O_NOFOLLOW refuses it as ELOOP, or ENOTDIR with
// O_DIRECTORY).
func swapped(d *folder, name string, err error) error {
	if !errors.Is(err, syscall.ELOOP) && !errors.Is(err, syscall.ENOTDIR) {
		return err
	}
	var st unix.Stat_t
	if unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
		return errSwapped
	}
	return err
}

// linkOf returns the target of the symbolic link name in d ("" when it is
// none or cannot be read).
func (d *folder) linkOf(name string) string {
	t, _ := d.linkText(name)
	return t
}

// linkText returns the target of the symbolic link name in d, read from
// the open folder (readlinkat): the text git stores for it.
//
// Most targets are short: a 256-byte read first, the longest a path may
// be only when that one filled its buffer.
func (d *folder) linkText(name string) (string, error) {
	var small [256]byte
	buf := small[:]
	for {
		n, err := unix.Readlinkat(d.fd, name, buf)
		switch {
		case err != nil:
			return "", err
		case n < len(buf):
			return string(buf[:n]), nil
		case len(buf) == unix.PathMax:
			return "", syscall.ENAMETOOLONG
		}
		buf = make([]byte, unix.PathMax)
	}
}
