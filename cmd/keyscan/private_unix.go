//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// openPrivate opens the existing regular file at path for writing, emptied,
// when only its owner, the current user, can read it; with force it makes
// it so first (mode 0600, and the current user's when running as root).
func openPrivate(path string, force bool) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, fmt.Errorf("%s is a symlink: keyscan will not write secrets through it", path)
		}
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s exists and is not a regular file: keyscan will not write secrets into it", path)
	}
	uid := -1
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		uid = int(st.Uid)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 || uid != os.Geteuid() {
		if !force {
			f.Close()
			return nil, fmt.Errorf("%s exists and is not private to you (mode %04o, owner uid %d): keyscan will not write secrets into it; "+
				"delete it, or pass --force to make it private (0600) and overwrite it", path, perm, uid)
		}
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return nil, err
		}
		if uid != os.Geteuid() {
			if err := f.Chown(os.Geteuid(), os.Getegid()); err != nil {
				f.Close()
				return nil, fmt.Errorf("%s belongs to uid %d: %w", path, uid, err)
			}
		}
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
