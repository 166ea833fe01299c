package history

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/go-git/go-billy/v5"

	"github.com/keyscan/keyscan/internal/readfile"
)

// guardFS is the git folder as go-git sees it. go-git reads HEAD, the refs,
// packed-refs, config, shallow and the stash's reflog through it; its
// osfs would open a FIFO put in place of any of them and wait, and read
// /dev/zero without end. guardFS opens every file for reading as
// internal/readfile does: without blocking, and only a regular file, which
// it hands over cut at the size fstat reported, and at most maxGitFile
// (maxPackedRefs for packed-refs); a folder it lists only when it is one.
// go-git never reads an object through it: the objects are internal/gitobj's
// (see resolve), so objects/info/alternates, which go-git would follow
// without bound, is not there for it.
type guardFS struct {
	billy.Filesystem
}

const (
	maxGitFile    = 64 << 20 // a ref, HEAD, config, shallow, a reflog
	maxPackedRefs = 1 << 30  // every ref of the repository
)

func (g guardFS) Open(name string) (billy.File, error) {
	return g.OpenFile(name, os.O_RDONLY, 0)
}

func (g guardFS) OpenFile(name string, flag int, perm os.FileMode) (billy.File, error) {
	if flag&(os.O_WRONLY|os.O_RDWR|os.O_CREATE|os.O_APPEND|os.O_TRUNC) != 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("keyscan reads a repository and writes nothing into it")}
	}
	if clean := path.Clean(filepath.ToSlash(name)); strings.HasPrefix(clean, "objects/") || clean == "objects" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	full := filepath.Join(g.Root(), name)
	if rel, err := filepath.Rel(g.Root(), full); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("outside the git folder")}
	}
	f, size, err := readfile.Open(full, false)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	limit := int64(maxGitFile)
	if path.Base(filepath.ToSlash(name)) == "packed-refs" {
		limit = maxPackedRefs
	}
	if size > limit {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("larger than %d bytes: not read", limit)}
	}
	return &sizedFile{name: name, f: f, SectionReader: io.NewSectionReader(f, 0, size)}, nil
}

// ReadDir lists a folder only when it is one (os.ReadDir would open a
// FIFO in its place and wait).
func (g guardFS) ReadDir(name string) ([]os.FileInfo, error) {
	fi, err := g.Filesystem.Stat(name)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: syscall.ENOTDIR}
	}
	return g.Filesystem.ReadDir(name)
}

func (g guardFS) Chroot(p string) (billy.Filesystem, error) {
	c, err := g.Filesystem.Chroot(p)
	if err != nil {
		return nil, err
	}
	return guardFS{c}, nil
}

func (g guardFS) Capabilities() billy.Capability {
	return billy.Capabilities(g.Filesystem) &^ (billy.WriteCapability | billy.ReadAndWriteCapability | billy.TruncateCapability)
}

// sizedFile reads a file no further than the size it had when opened.
type sizedFile struct {
	*io.SectionReader
	name string
	f    *os.File
}

func (f *sizedFile) Name() string              { return f.name }
func (f *sizedFile) Close() error              { return f.f.Close() }
func (f *sizedFile) Write([]byte) (int, error) { return 0, os.ErrPermission }
func (f *sizedFile) Truncate(int64) error      { return os.ErrPermission }
func (f *sizedFile) Lock() error               { return nil } // go-git locks only to write
func (f *sizedFile) Unlock() error             { return nil }
