//go:build unix

package gitobj

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

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
