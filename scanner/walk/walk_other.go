//go:build !unix

package walk

import (
	"errors"
	"os"
	"syscall"

	"github.com/keyscan/keyscan/internal/readfile"
)

// handle is an open folder: an os.Root, which its subfolders and files are
// opened from and which refuses any name that leads out of it, and the file
// that lists it. See internal/readfile (readfile_other.go): outside Unix
// there is no openat(O_NOFOLLOW), and os.Root with a look at the name after
// the open stands in for it.
type handle struct {
	f *os.File
	r *os.Root
}

func (h handle) close() {
	h.f.Close()
	h.r.Close()
}

// openRoot opens a root folder as named (a link there followed).
func openRoot(root string) (handle, error) {
	r, err := readfile.OpenRoot(root)
	if err != nil {
		return handle{}, err
	}
	f, err := r.Open(".")
	if err != nil {
		r.Close()
		return handle{}, readfile.UnwrapPath(err)
	}
	return handle{f: f, r: r}, nil
}

// openDir opens the folder name of d, following no link
// (readfile.OpenDirIn).
func (d *folder) openDir(name, _ string) (handle, error) {
	r, f, err := readfile.OpenDirIn(d.r, name)
	if err != nil {
		return handle{}, swapped(err)
	}
	return handle{f: f, r: r}, nil
}

// open opens the regular file name of d, following no link
// (readfile.OpenIn).
func (d *folder) open(name string) (*os.File, int64, error) {
	f, size, err := readfile.OpenIn(d.r, name)
	return f, size, swapped(err)
}

// read opens the regular file name of d for the caller to read (f): the
// Unix walker reads it here, without an os.File.
func (d *folder) read(_ []byte, name string, _ int64) (data []byte, f *os.File, size int64, err error) {
	f, size, err = d.open(name)
	return nil, f, size, err
}

// swapped names the error of opening an entry that has become a link (a
// symbolic link, a junction) since its folder was listed: readfile says
// so with ELOOP, after looking at the name without following it.
func swapped(err error) error {
	if errors.Is(err, syscall.ELOOP) {
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

// linkText returns the target of the symbolic link name in d: the text
// git stores for it.
func (d *folder) linkText(name string) (string, error) {
	return d.r.Readlink(name)
}
