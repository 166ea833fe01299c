//go:build !unix

package outfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/keyscan/keyscan/internal/readfile"
)

// File is an output being written; Close makes it visible under its name.
type File struct {
	*os.File
	dir  *os.Root // the folder the name is in; nil for a device
	tmp  string   // the new file's name in dir, renamed to base at Close; "" when written in place
	base string
	name string
}

// Create opens an output at path, its folder as named (following links).
// private makes a new file readable by its owner only where the system
// says so by mode bits (0600: it holds secrets), else 0644.
func Create(path string, private bool) (*File, error) {
	dir, base := split(path)
	if f, ok, err := device(path); ok {
		return f, err
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return createIn(r, base, path, private)
}

// CreateBeneath is Create for a path the user named: a folder of the path
// at or below the current folder that is a link (a symbolic link, a
// junction) is an error.
func CreateBeneath(path string, private bool) (*File, error) {
	if f, ok, err := device(path); ok {
		return f, err
	}
	r, err := openFolder(path, false)
	if err != nil {
		return nil, err
	}
	_, base := split(path)
	return createIn(r, base, path, private)
}

// CreateBeneathDirs is CreateBeneath that makes the folders of path that
// are missing (0755), each from the open folder above it.
func CreateBeneathDirs(path string, private bool) (*File, error) {
	if f, ok, err := device(path); ok {
		return f, err
	}
	r, err := openFolder(path, true)
	if err != nil {
		return nil, err
	}
	_, base := split(path)
	return createIn(r, base, path, private)
}

// CreateSecretBeneath is CreateBeneath for a file of secrets: readable by
// its owner only, and written as a new regular file, never in place: a
// name that is a link or not a regular file (a device, a pipe) is an
// error, where CreateBeneath would write into a device or a pipe.
func CreateSecretBeneath(path string) (*File, error) {
	r, err := openFolder(path, false)
	if err != nil {
		return nil, err
	}
	_, base := split(path)
	return createIn(r, base, path, true)
}

// device opens path in place when it names a device or a pipe (NUL,
// \\.\pipe\x), which live outside the file system and which os.Root
// refuses by name; ok is false for anything else.
func device(path string) (f *File, ok bool, err error) {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe) == 0 {
		return nil, false, nil
	}
	out, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return nil, true, err
	}
	if fi, err := out.Stat(); err != nil || fi.Mode().IsRegular() || fi.IsDir() {
		out.Close()
		return nil, true, fmt.Errorf("%s: replaced by a regular file while keyscan opened it: not written into", path)
	}
	return &File{File: out, name: path}, true, nil
}

// openFolder opens the folder path is in: the part at or above the current
// folder as named, the folders below it one from the other following no
// link (readfile.OpenDirIn), made when missing and mkdir is set.
func openFolder(path string, mkdir bool) (*os.Root, error) {
	top, rel := folderParts(path)
	if mkdir && rel == "" {
		if err := os.MkdirAll(top, 0o755); err != nil {
			return nil, err
		}
	}
	root, err := os.OpenRoot(top)
	if err != nil {
		return nil, err
	}
	if rel == "" {
		return root, nil
	}
	shown := ""
	if top != "." {
		shown = top
	}
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		shown = filepath.Join(shown, part)
		sub, d, err := readfile.OpenDirIn(root, part)
		if errors.Is(err, fs.ErrNotExist) && mkdir {
			if err = root.Mkdir(part, 0o755); err == nil || errors.Is(err, fs.ErrExist) {
				sub, d, err = readfile.OpenDirIn(root, part)
			}
		}
		if err != nil {
			if errors.Is(err, syscall.ELOOP) {
				dest, _ := root.Readlink(part)
				err = fmt.Errorf("%s: the folder %s is a symbolic link (to %s): not written through; name the real folder", path, shown, dest)
			} else {
				err = &fs.PathError{Op: "open", Path: shown, Err: readfile.UnwrapPath(err)}
			}
			root.Close()
			return nil, err
		}
		d.Close()
		root.Close()
		root = sub
	}
	return root, nil
}

// createIn opens the output named base in the folder r (path is how the
// user named it); r is the File's from then on.
func createIn(r *os.Root, base, path string, private bool) (*File, error) {
	f, err := create(r, base, path, private)
	if err != nil {
		r.Close()
		return nil, err
	}
	return f, nil
}

func create(r *os.Root, base, path string, private bool) (*File, error) {
	if base == "" || base == "." || base == ".." {
		return nil, fmt.Errorf("%s: names a folder, not a file", path)
	}
	fi, err := r.Lstat(base)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, &fs.PathError{Op: "stat", Path: path, Err: readfile.UnwrapPath(err)}
	case fi.Mode()&(fs.ModeSymlink|fs.ModeIrregular) != 0:
		// A link or a junction: never written through (a device is
		// named by its own name on Windows, see device).
		dest, _ := r.Readlink(base)
		return nil, fmt.Errorf("%s: a symbolic link (to %s): not written through; remove it or name another file", path, dest)
	case fi.IsDir():
		return nil, fmt.Errorf("%s: a folder", path)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s: not a regular file: not written into", path)
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	tmp := "." + base + ".keyscan-" + hex.EncodeToString(rnd[:])
	mode := fs.FileMode(0o644)
	if private {
		mode = 0o600
	}
	out, err := r.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return nil, &fs.PathError{Op: "create", Path: filepath.Join(filepath.Dir(path), tmp), Err: readfile.UnwrapPath(err)}
	}
	return &File{File: out, dir: r, tmp: tmp, base: base, name: path}, nil
}

// Close finishes the output: a new file is renamed to its name, in the
// folder opened at the start (Root.Rename replaces it in one step).
func (f *File) Close() error {
	err := f.File.Close()
	if f.tmp != "" {
		if err == nil {
			if rerr := f.dir.Rename(f.tmp, f.base); rerr != nil {
				err = &os.LinkError{Op: "rename", Old: f.tmp, New: f.name, Err: readfile.UnwrapPath(rerr)}
			}
		}
		if err != nil {
			f.dir.Remove(f.tmp)
		}
	}
	if f.dir != nil {
		f.dir.Close()
	}
	return err
}

// Abort drops a new file that was not finished; the name keeps what it had.
func (f *File) Abort() {
	f.File.Close()
	if f.tmp != "" {
		f.dir.Remove(f.tmp)
	}
	if f.dir != nil {
		f.dir.Close()
	}
}
