// Package outfile creates the files keyscan writes at a path the user names
// (--output reports, baselines) without trusting what is at that path.
//
// The path often lies inside the tree being scanned, a pull request's
// checkout in CI: a link planted there under the report's name must not
// make keyscan overwrite the file it points to (a CI script, a key file) or
// publish the report, secrets and all, where the link says. So a regular
// file is never opened for writing: the report is written to a new file in
// the same folder and renamed over the name at Close, which replaces a link
// put there meanwhile rather than writing through it. A link at the name
// that leads to a regular file (or nowhere) is an error. What is not a
// regular file (/dev/null, /dev/stdout, a pipe from the shell's process
// substitution) is opened and written as it is, never replaced.
//
// The folder is opened once, and everything after is done from that open
// folder by name (fstatat, openat, renameat, unlinkat), as the walker
// reads (internal/readfile): a folder of the path swapped for a link
// between a check and the write, or before Close's rename, cannot move the
// report elsewhere, for there is no second lookup of the path.
//
// CreateBeneath, for the paths a user names on the command line, also
// refuses a link at any folder of the path below the current folder
// (reports -> elsewhere planted in the checkout would choose the folder the
// report is written to): those folders are opened one from the other,
// following no link (O_NOFOLLOW), and made there when missing (mkdirat);
// folders above the current one (/tmp, a home folder reached through a
// link) are the user's own and followed.
//
// Outside Unix (Windows) there is no openat: outfile_other.go does the
// same from an os.Root of the folder, which refuses any name leading out
// of it, looking at each folder name again after its open.
package outfile

import (
	"os"
	"path/filepath"
	"strings"
)

// split returns the folder and the name of path ("." for a bare name).
func split(path string) (dir, base string) {
	dir, base = filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	return dir, base
}

// folderParts splits the folder path is in into the part at or above the
// current folder, top, which is opened as named (links followed: the user
// named it), and the folders below the current folder, rel, which are
// opened one from the other following no link ("" when there are none).
func folderParts(path string) (top, rel string) {
	dir := filepath.Dir(filepath.Clean(path))
	top = dir
	r, start := dir, "."
	if filepath.IsAbs(dir) {
		r = "" // outside the current folder unless found inside it
		if wd, err := os.Getwd(); err == nil {
			if x, err := filepath.Rel(wd, dir); err == nil {
				r, start = x, wd
			}
		}
	}
	if r != "" && r != "." && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		top, rel = start, r
	} else if r == "." {
		top = start
	}
	return top, rel
}

// Finish ends a write that err says how it went: on an error the file is
// abandoned (Abort) and err returned, else it is put in place (Close).
func (f *File) Finish(err error) error {
	if err != nil {
		f.Abort()
		return err
	}
	return f.Close()
}
