//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"
)

// checkReplaceable tells whether the existing file at path may be replaced
// by a new file of secrets: a regular file private to the current user
// (not readable by others, its owner), or with force any regular file. A
// link is refused, with force too. The file is never written in place (see
// writeReplaceText): a descriptor another user opened while they could read
// it would read the secrets through any change of its mode.
func checkReplaceable(path string, force bool) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symlink: keyscan will not write secrets through it", path)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s exists and is not a regular file: keyscan will not write secrets into it", path)
	}
	uid := -1
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		uid = int(st.Uid)
	}
	if perm := fi.Mode().Perm(); (perm&0o077 != 0 || uid != os.Geteuid()) && !force {
		return fmt.Errorf("%s exists and is not private to you (mode %04o, owner uid %d): keyscan will not write secrets into it; "+
			"delete it, or pass --force to replace it with a new file private to you (0600)", path, perm, uid)
	}
	return nil
}
