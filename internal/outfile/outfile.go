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
// CreateBeneath, for the paths a user names on the command line, also
// refuses a link at any folder of the path below the current folder
// (reports -> elsewhere planted in the checkout would choose the folder the
// report is written to); folders above it (/tmp, a home folder reached
// through a link) are the user's own and followed.
package outfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// File is an output being written; Close makes it visible under its name.
type File struct {
	*os.File
	tmp  string // the new file, renamed to name at Close; "" when written in place
	name string
}

// Create opens an output at path. private makes a new file readable by its
// owner only (0600: it holds secrets), else 0644.
func Create(path string, private bool) (*File, error) {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	case fi.Mode()&fs.ModeSymlink != 0:
		target, terr := os.Stat(path)
		if terr != nil || target.Mode().IsRegular() || target.IsDir() {
			dest, _ := os.Readlink(path)
			return nil, fmt.Errorf("%s: a symbolic link (to %s): not written through; remove it or name another file", path, dest)
		}
		return inPlace(path, 0)
	case fi.IsDir():
		return nil, fmt.Errorf("%s: a folder", path)
	case !fi.Mode().IsRegular():
		return inPlace(path, syscall.O_NOFOLLOW)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".keyscan-*")
	if err != nil {
		return nil, err
	}
	mode := fs.FileMode(0o644)
	if private {
		mode = 0o600
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &File{File: f, tmp: f.Name(), name: path}, nil
}

// CreateBeneath is Create for a path the user named: a folder of the path
// at or below the current folder that is a symbolic link is an error.
func CreateBeneath(path string, private bool) (*File, error) {
	if err := NoLinkedFolder(path); err != nil {
		return nil, err
	}
	return Create(path, private)
}

// NoLinkedFolder returns an error when a folder of path, from the current
// folder down, is a symbolic link.
func NoLinkedFolder(path string) error {
	dir := filepath.Dir(filepath.Clean(path))
	base := "."
	if filepath.IsAbs(dir) {
		wd, err := os.Getwd()
		if err != nil {
			return nil
		}
		r, err := filepath.Rel(wd, dir)
		if err != nil {
			return nil
		}
		base, dir = wd, r
	}
	if dir == "." || dir == ".." || strings.HasPrefix(dir, ".."+string(filepath.Separator)) {
		return nil // the current folder, or outside it: the user's own folders
	}
	p := base
	for _, part := range strings.Split(dir, string(filepath.Separator)) {
		p = filepath.Join(p, part)
		fi, err := os.Lstat(p)
		if err != nil {
			return nil // a missing folder: Create says so
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			dest, _ := os.Readlink(p)
			return fmt.Errorf("%s: the folder %s is a symbolic link (to %s): not written through; name the real folder", path, p, dest)
		}
	}
	return nil
}

// inPlace opens what is not a regular file (a device, a pipe) for writing,
// as a shell redirection would, without truncating or replacing it.
func inPlace(path string, flags int) (*File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|flags, 0)
	if err != nil {
		return nil, err
	}
	return &File{File: f, name: path}, nil
}

// Close finishes the output: a new file is renamed to its name.
func (f *File) Close() error {
	err := f.File.Close()
	if f.tmp == "" {
		return err
	}
	if err == nil {
		err = os.Rename(f.tmp, f.name)
	}
	if err != nil {
		os.Remove(f.tmp)
	}
	return err
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

// Abort drops a new file that was not finished; the name keeps what it had.
func (f *File) Abort() {
	f.File.Close()
	if f.tmp != "" {
		os.Remove(f.tmp)
	}
}
