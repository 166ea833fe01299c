package gitobj

import (
	"io/fs"
	"os"

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
