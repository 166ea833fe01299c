//go:build linux

package fix

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"golang.org/x/sys/unix"
)

// A file's POSIX ACL (system.posix_acl_access) and its other extended
// attributes (user.*, an SELinux label in security.selinux) are kept by
// the file, not by its name: the temporary file that replaces it by a
// rename starts with none of them (or with the folder's default ACL), so
// an ACL that let a service user read a root-owned config would be gone
// after keyscan fix --write, and the service would fail with "Permission
// denied". keepXattrs gives the temporary file exactly the original's
// attributes, after its owner and mode are set (chmod rewrites an ACL's
// mask entry); an attribute it cannot copy makes replaceIn refuse the
// file rather than write it without.

// keepXattrs makes the extended attributes of the file open as dst those
// of the file open as src. It returns the name of an attribute it could
// not copy with the error.
func keepXattrs(src, dst int) (string, error) {
	want, err := xattrNames(src)
	if err != nil {
		return "", err
	}
	have, err := xattrNames(dst)
	if err != nil && len(want) > 0 {
		return "", err
	}
	for _, n := range have {
		if slices.Contains(want, n) {
			continue
		}
		// The folder's default ACL, inherited by the new file: the
		// original had none.
		if err := unix.Fremovexattr(dst, n); err != nil && !errors.Is(err, unix.ENODATA) {
			return n, err
		}
	}
	for _, n := range want {
		v, err := xattrValue(src, n)
		if err != nil {
			return n, err
		}
		if cur, err := xattrValue(dst, n); err == nil && bytes.Equal(cur, v) {
			continue
		}
		if err := unix.Fsetxattr(dst, n, v, 0); err != nil {
			return n, err
		}
	}
	return "", nil
}

// xattrNames lists the extended attributes of the open file fd; none on a
// file system without them.
func xattrNames(fd int) ([]string, error) {
	for size := 1024; size <= 1<<20; size *= 4 {
		buf := make([]byte, size)
		n, err := unix.Flistxattr(fd, buf)
		switch {
		case errors.Is(err, unix.ENOTSUP):
			return nil, nil
		case errors.Is(err, unix.ERANGE):
			continue
		case err != nil:
			return nil, err
		}
		var out []string
		for _, s := range bytes.Split(buf[:n], []byte{0}) {
			if len(s) > 0 {
				out = append(out, string(s))
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("the list of extended attributes is longer than 1 MiB")
}

// xattrValue reads the extended attribute name of the open file fd.
func xattrValue(fd int, name string) ([]byte, error) {
	for size := 256; size <= 1<<20; size *= 4 {
		buf := make([]byte, size)
		n, err := unix.Fgetxattr(fd, name, buf)
		if errors.Is(err, unix.ERANGE) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return buf[:n], nil
	}
	return nil, fmt.Errorf("extended attribute %s is longer than 1 MiB", name)
}
