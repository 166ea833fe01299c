//go:build !unix

package main

import (
	"fmt"
	"io/fs"
	"os"
)

// openPrivate opens the existing regular file at path for writing,
// emptied. Outside Unix a file's mode bits do not say who can read it
// (Windows decides by the file's access control list, which keyscan does
// not read), so an existing file is never taken for a private one: it is
// written only with force. A link (a symbolic link, a junction) is refused,
// with force too, and so is a file put in its place while it is opened.
func openPrivate(path string, force bool) (*os.File, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&(fs.ModeSymlink|fs.ModeIrregular) != 0 {
		return nil, fmt.Errorf("%s is a symlink: keyscan will not write secrets through it", path)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s exists and is not a regular file: keyscan will not write secrets into it", path)
	}
	if !force {
		return nil, fmt.Errorf("%s exists, and on this system keyscan cannot tell who can read it: keyscan will not write secrets into it; "+
			"delete it, or pass --force to overwrite it", path)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return nil, err
	}
	if now, err := f.Stat(); err != nil || !os.SameFile(now, fi) {
		f.Close()
		return nil, fmt.Errorf("%s was replaced while keyscan opened it: keyscan will not write secrets into it", path)
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
