package fix

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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
// keyscan fix --write, that follows no link below the folders the user
// stands in: a link planted in a checkout must not choose which file
// keyscan rewrites (qa33 M1: app/linkdir -> /outside/sub named as
// app/linkdir/.env rewrote /outside/sub/.env). The path is split where
// --output splits it (internal/outfile): the part at or above the working
// directory, or the root itself when it lies elsewhere (a folder the user
// named: /tmp, a home folder reached through a link), is opened as named;
// every folder below that, and the file, must not be a symbolic link,
// whether it points out of the tree or into it: such a link is refused
// with a *RefusedError that names it, and nothing is written.
//
// The check holds at the moment of writing too: the file's folder is
// opened from that top following no link (openat2 RESOLVE_BENEATH|
// RESOLVE_NO_SYMLINKS, or openat with O_NOFOLLOW per folder), and the
// file is replaced by a rename inside that open folder, so a folder swapped
// for a link after the check is refused, never written through. A root
// that is itself a symbolic link (a file or a folder named on the command
// line) is refused the same: the user named the link, and replacing what it
// points to, wherever that is, is not what was asked.
func WriteFileUnder(root, name string, data []byte) error {
	if st, err := os.Lstat(root); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return &RefusedError{name, "is a symbolic link named on the command line; not rewritten (name the file it points to)"}
	}
	top, rel, err := splitBeneath(root, name)
	if err != nil {
		return err
	}
	if link, dest := linkOnPath(top, rel); link != "" {
		return &RefusedError{name, fmt.Sprintf("the folder %s on its path is a symbolic link (to %s); not rewritten (keyscan fix writes through no link below the working directory or the folder named: name the real path)", link, dest)}
	}
	return replaceIn(top, rel, data)
}

// splitBeneath splits name, a file found under root (root itself, or a
// path below it as the walk names it), into the folder opened as named,
// top, and the '/'-separated path below it, rel, which is opened following
// no link. top is the working directory when name lies at or below it,
// else root when root is a folder, else the file's own folder.
func splitBeneath(root, name string) (top, rel string, err error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", "", err
	}
	abs := name
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(wd, abs)
	}
	abs = filepath.Clean(abs)
	if r, err := filepath.Rel(wd, abs); err == nil && pathname.Within(wd, abs) && r != "." {
		if filepath.IsAbs(name) {
			return wd, filepath.ToSlash(r), nil
		}
		return ".", filepath.ToSlash(r), nil
	}
	if st, err := os.Stat(root); err == nil && st.IsDir() {
		r, err := filepath.Rel(root, name)
		if err != nil || r == "." || !pathname.Within(root, name) {
			return "", "", fmt.Errorf("%s: not below %s", name, root)
		}
		return root, filepath.ToSlash(r), nil
	}
	return filepath.Dir(name), filepath.Base(name), nil
}

// linkOnPath returns the first folder of rel (below top, '/'-separated)
// that is a symbolic link, as the user would name it, and where it points;
// "" when there is none. It is looked at before writing for a clear
// refusal; the write itself opens the folders following no link, so one
// swapped in after this look is refused there.
func linkOnPath(top, rel string) (link, dest string) {
	dirs := strings.Split(rel, "/")
	dirs = dirs[:len(dirs)-1]
	p := top
	for _, d := range dirs {
		p = filepath.Join(p, d)
		st, err := os.Lstat(p)
		if err != nil {
			return "", ""
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			dest, _ := os.Readlink(p)
			return p, dest
		}
	}
	return "", ""
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
