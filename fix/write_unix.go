//go:build unix

package fix

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/keyscan/keyscan/internal/readfile"
)

// replaceIn replaces the file at rel, a '/'-separated path below the folder
// root, as WriteFile describes. root is opened as named; the folders of rel
// below it are opened one from the other following no link
// (readfile.OpenBeneath), and everything after is done from the open
// folder by name (fstatat, openat, renameat, all without following a
// link): a folder or the file swapped for a link at any moment is refused,
// and the rename cannot land anywhere but in the folder that was checked.
func replaceIn(root, rel string, data []byte) error {
	show := filepath.Join(root, filepath.FromSlash(rel))
	var dir *os.File
	var err error
	if d := path.Dir(rel); d == "." {
		dir, err = readfile.OpenDir(root)
	} else {
		dir, err = readfile.OpenBeneath(root, d, true)
	}
	if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR) || errors.Is(err, unix.EXDEV) {
		return &RefusedError{show, "a folder on its path is a symbolic link (put there while keyscan ran); not rewritten"}
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: filepath.Dir(show), Err: err}
	}
	defer dir.Close()
	dfd := int(dir.Fd())
	name := path.Base(rel)

	var st unix.Stat_t
	if err := unix.Fstatat(dfd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return &fs.PathError{Op: "stat", Path: show, Err: err}
	}
	switch {
	case st.Mode&unix.S_IFMT == unix.S_IFLNK:
		return &RefusedError{show, "is a symbolic link (put there while keyscan ran); not rewritten"}
	case st.Mode&unix.S_IFMT != unix.S_IFREG:
		return &RefusedError{show, "not a regular file; not rewritten"}
	case st.Nlink > 1:
		return &RefusedError{show, fmt.Sprintf(reasonLinks, st.Nlink)}
	case st.Mode&0o222 == 0:
		return &RefusedError{show, reasonReadOnly}
	}
	if unix.Faccessat(dfd, name, unix.W_OK, unix.AT_SYMLINK_NOFOLLOW) != nil {
		return &RefusedError{show, reasonNotYours}
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	tmpName := "." + name + ".keyscan-" + hex.EncodeToString(rnd[:])
	fd, err := unix.Openat(dfd, tmpName, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return &fs.PathError{Op: "create", Path: filepath.Join(filepath.Dir(show), tmpName), Err: err}
	}
	tmp := os.NewFile(uintptr(fd), tmpName)
	renamed := false
	defer func() {
		if !renamed {
			unix.Unlinkat(dfd, tmpName, 0)
		}
	}()
	fail := func(err error) error {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(fmt.Errorf("writing %s: %w", show, err))
	}
	if err := keepOwner(tmp, owner{uid: int(st.Uid), gid: int(st.Gid)}); err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return fail(&RefusedError{show, fmt.Sprintf(reasonOwner, st.Uid, st.Gid)})
		}
		return fail(fmt.Errorf("keeping the owner of %s: %w", show, err))
	}
	// After the chown: changing the owner may clear the setuid and setgid bits.
	if err := tmp.Chmod(fs.FileMode(st.Mode&0o777) | modeBits(uint32(st.Mode))); err != nil {
		return fail(err)
	}
	// After the chmod, which rewrites an ACL's mask: the original's ACL
	// and other extended attributes, or no rewrite (xattr_linux.go).
	if err := keepAttrs(dfd, name, int(tmp.Fd()), show); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// The file checked is the file replaced: one put in its place since
	// (a link, another file) is left alone.
	var now unix.Stat_t
	if err := unix.Fstatat(dfd, name, &now, unix.AT_SYMLINK_NOFOLLOW); err != nil || now.Dev != st.Dev || now.Ino != st.Ino {
		return &RefusedError{show, reasonChanged}
	}
	if err := unix.Renameat(dfd, tmpName, dfd, name); err != nil {
		return &os.LinkError{Op: "rename", Old: tmpName, New: show, Err: err}
	}
	renamed = true
	return nil
}

// modeBits turns the setuid, setgid and sticky bits of a stat(2) mode into
// Go's.
func modeBits(m uint32) fs.FileMode {
	var b fs.FileMode
	if m&syscall.S_ISUID != 0 {
		b |= fs.ModeSetuid
	}
	if m&syscall.S_ISGID != 0 {
		b |= fs.ModeSetgid
	}
	if m&syscall.S_ISVTX != 0 {
		b |= fs.ModeSticky
	}
	return b
}

// keepOwner gives f the owner and group o, when they differ from f's.
func keepOwner(f *os.File, o owner) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) == o.uid && int(st.Gid) == o.gid {
		return nil
	}
	return f.Chown(o.uid, o.gid)
}

// keepAttrs gives the temporary file open as dst the extended attributes
// (a POSIX ACL among them) of the file name in the folder open as dfd; one
// that cannot be copied is a *RefusedError: the file is not rewritten.
func keepAttrs(dfd int, name string, dst int, show string) error {
	src, err := unix.Openat(dfd, name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return &fs.PathError{Op: "open", Path: show, Err: err}
	}
	defer unix.Close(src)
	if attr, err := keepXattrs(src, dst); err != nil {
		what := "its extended attributes"
		if attr != "" {
			what = "its extended attribute " + attr
			if attr == "system.posix_acl_access" {
				what = "its ACL (system.posix_acl_access)"
			}
		}
		return &RefusedError{show, fmt.Sprintf(reasonXattr, what, err)}
	}
	return nil
}
