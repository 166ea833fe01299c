package fix

import (
	"io/fs"
	"os"
	"path/filepath"

	"github.com/keyscan/keyscan/internal/pathname"
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
//     would change hands;
//   - on Linux, a file whose POSIX ACL or other extended attributes cannot
//     be given to the new file (they are copied to it before the rename).
func WriteFile(name string, data []byte) error {
	if real, err := filepath.EvalSymlinks(name); err == nil {
		name = real
	}
	return replaceIn(filepath.Dir(name), filepath.Base(name), data)
}

// WriteFileUnder is WriteFile for a file found under root, an argument of
// keyscan fix --write: the file is replaced only where it really lies
// inside root. A symbolic link (the file's or a folder's on its path) that
// leads out of root is refused with a *RefusedError, so that a link planted
// in a tree never makes keyscan rewrite a file elsewhere; the walker does
// not follow such links, and this check holds at the moment of writing
// too: the file's folder is opened from root following no link (openat2
// RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS, or openat with O_NOFOLLOW per
// folder), and the file is replaced by a rename inside that open folder,
// so a folder swapped for a link since the check is refused, never written
// through. When root is the file itself (a file named on the command line),
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
	rel, err := filepath.Rel(realRoot, real)
	if err != nil {
		return err
	}
	return replaceIn(realRoot, filepath.ToSlash(rel), data)
}

// owner is what WriteFile keeps of the original beyond its mode.
type owner struct{ uid, gid int }

// The reasons of a refusal, alike on every system.
const (
	reasonLinks    = "has %d hard links; not rewritten (replacing it would leave the keys in the other links)"
	reasonReadOnly = "is read-only; not rewritten (make it writable to let keyscan fix it)"
	reasonNotYours = "is not writable by this user; not rewritten"
	reasonOwner    = "its owner and group (%d:%d) cannot be kept by this user; not rewritten"
	reasonChanged  = "was replaced while keyscan ran; not rewritten (run keyscan fix again)"
	reasonXattr    = "%s cannot be given to the new file (%v); not rewritten (the file would lose it)"
)
