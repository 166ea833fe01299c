package fix

import (
	"github.com/keyscan/keyscan/internal/pathname"

	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// RefusedError is returned by WriteFile for a file it will not replace:
// the caller skips it, says why, and leaves its keys to a person.
type RefusedError struct {
	Name   string
	Reason string
}

func (e *RefusedError) Error() string { return e.Name + ": " + e.Reason }

// WriteFile replaces the file at name with data. It writes a temporary file
// in the same directory, gives it the mode, owner and group of the original,
// and renames it over the original, so that a crash leaves the old file or
// the new one, never half of one. A symlink is followed: the file it points
// to is replaced.
//
// Replacing by rename is what makes the write atomic, and it is also why
// some files are refused with a *RefusedError instead of being written:
//   - a file with more than one hard link: the rename would give this name a
//     new file and leave the old content, keys included, under the others;
//   - a read-only file (no write permission for anyone, or none for the user
//     running keyscan): rename needs only the directory's permission, so
//     without this check keyscan would rewrite a file its owner protected,
//     or one the user may not write at all;
//   - a file whose owner or group cannot be given to the new file (an
//     unprivileged user rewriting another user's file): the rewritten file
//     would change hands.
func WriteFile(name string, data []byte) error {
	if real, err := filepath.EvalSymlinks(name); err == nil {
		name = real
	}
	st, err := os.Stat(name)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return &RefusedError{name, "not a regular file; not rewritten"}
	}
	own, ok := ownerOf(st)
	if ok && own.links > 1 {
		return &RefusedError{name, fmt.Sprintf("has %d hard links; not rewritten (replacing it would leave the keys in the other links)", own.links)}
	}
	if st.Mode().Perm()&0o222 == 0 {
		return &RefusedError{name, "is read-only; not rewritten (make it writable to let keyscan fix it)"}
	}
	if !canWrite(name) {
		return &RefusedError{name, "is not writable by this user; not rewritten"}
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".keyscan-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if ok {
		if err := keepOwner(tmp, own); err != nil {
			tmp.Close()
			if errors.Is(err, fs.ErrPermission) {
				return &RefusedError{name, fmt.Sprintf("its owner and group (%d:%d) cannot be kept by this user; not rewritten", own.uid, own.gid)}
			}
			return fmt.Errorf("keeping the owner of %s: %w", name, err)
		}
	}
	// After the chown: changing the owner may clear the setuid and setgid bits.
	if err := tmp.Chmod(st.Mode().Perm() | st.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// WriteFileUnder is WriteFile for a file found under root, an argument of
// keyscan fix --write: the file is replaced only where it really lies
// inside root. A symbolic link (the file's or a folder's on its path) that
// leads out of root is refused with a *RefusedError, so that a link planted
// in a tree never makes keyscan rewrite a file elsewhere; the walker does
// not follow such links, and this check holds at the moment of writing
// too. When root is the file itself (a file named on the command line),
// the name must not be a symbolic link: the user named the link, and
// replacing what it points to, wherever that is, is not what was asked.
func WriteFileUnder(root, name string, data []byte) error {
	if st, err := os.Lstat(root); err == nil && !st.IsDir() {
		if st.Mode()&fs.ModeSymlink != 0 {
			return &RefusedError{name, "is a symbolic link named on the command line; not rewritten (name the file it points to)"}
		}
		if filepath.Clean(root) == filepath.Clean(name) {
			return WriteFile(name, data)
		}
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	realRoot, err = filepath.Abs(realRoot)
	if err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(name)
	if err != nil {
		return err
	}
	real, err = filepath.Abs(real)
	if err != nil {
		return err
	}
	if !pathname.Within(realRoot, real) {
		return &RefusedError{name, "leads through a symbolic link to " + real + ", outside " + root + "; not rewritten"}
	}
	return WriteFile(real, data)
}

// owner is what WriteFile keeps of the original beyond its mode.
type owner struct {
	uid, gid int
	links    uint64
}
