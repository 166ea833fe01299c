package gitobj

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"github.com/keyscan/keyscan/internal/readfile"
)

// maxAlternatesSize bounds an objects/info/alternates file: a list of
// folders, a few hundred bytes in any repository git made.
const maxAlternatesSize = 1 << 20

// openRegular opens a file of the object store (a loose object, a pack, its
// index, alternates) the way internal/readfile opens what a user names:
// without blocking (a FIFO put in place of an object cannot stall the
// open), and only when fstat says it is a regular file. The caller reads no
// more than the size returned. A file that is not there keeps
// os.ErrNotExist in its error.
func openRegular(path string) (*os.File, int64, error) {
	f, size, err := readfile.Open(path, false)
	if err != nil {
		return nil, 0, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return f, size, nil
}

// readDir lists a folder of the object store. The folder is opened with
// O_DIRECTORY and O_NONBLOCK, so a FIFO or a device in its place is an
// error at once (os.ReadDir would open it for reading and wait).
func readDir(path string) ([]os.DirEntry, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_DIRECTORY|syscall.O_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, syscall.ENOTDIR) {
			return nil, fmt.Errorf("%s: not a folder", path)
		}
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}
