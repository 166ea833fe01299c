//go:build !unix

package gitobj

import (
	"fmt"
	"os"
)

// readDir lists a folder of the object store. Outside Unix there is no
// O_DIRECTORY, and no FIFO in a file system to wait on: the folder is
// opened, and what is not a folder is an error before any read.
func readDir(path string) ([]os.DirEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a folder", path)
	}
	return f.ReadDir(-1)
}
