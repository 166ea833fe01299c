//go:build !unix

package main

import (
	"fmt"
	"io/fs"
	"os"
)

// checkReplaceable tells whether the existing file at path may be replaced
// by a new file of secrets. Outside Unix a file's mode bits do not say who
// can read it (Windows decides by the file's access control list, which
// keyscan does not read), so an existing file is never taken for a private
// one: it is replaced only with force. A link (a symbolic link, a
// junction) is refused, with force too.
func checkReplaceable(path string, force bool) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if fi.Mode()&(fs.ModeSymlink|fs.ModeIrregular) != 0 {
		return fmt.Errorf("%s is a symlink: keyscan will not write secrets through it", path)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s exists and is not a regular file: keyscan will not write secrets into it", path)
	}
	if !force {
		return fmt.Errorf("%s exists, and on this system keyscan cannot tell who can read it: keyscan will not write secrets into it; "+
			"delete it, or pass --force to replace it", path)
	}
	return nil
}
