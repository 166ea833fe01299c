// Package lfs reads the content of a file kept in Git LFS from the store
// git-lfs keeps in a git folder.
//
// A Git LFS pointer stands in the repository for a file whose content
// git-lfs keeps elsewhere: on the LFS server, and in the git folder's
// lfs/objects/<oid[0:2]>/<oid[2:4]>/<oid> of every repository that has
// fetched it, that has staged it (git-lfs's clean filter puts it there at
// git add), or that is the LFS server's store (a server that keeps LFS
// objects beside the bare repository). The history walker, the staged scan
// and the pre-receive gate all read it here, the one place that knows the
// pointer's format and the store's layout. Content is returned only when it
// matches the pointer's size and SHA-256: anything else in the store is not
// the file.
package lfs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"

	"github.com/keyscan/keyscan/internal/readfile"
)

var header = []byte("version https://git-lfs.github.com/spec/")

// IsPointer reports whether data looks like an LFS pointer (git-lfs writes
// them well under 1024 bytes).
func IsPointer(data []byte) bool {
	return len(data) < 1024 && bytes.HasPrefix(data, header)
}

// Pointer is what a pointer names: the content's SHA-256 (64 lower-case
// hex digits) and size.
type Pointer struct {
	OID  string
	Size int64
}

// Parse reads a pointer's oid and size lines. ok is false for a pointer
// that names no SHA-256 object.
func Parse(data []byte) (p Pointer, ok bool) {
	if !IsPointer(data) {
		return Pointer{}, false
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		key, val, _ := bytes.Cut(bytes.TrimSpace(line), []byte(" "))
		switch string(key) {
		case "oid":
			h, ok := bytes.CutPrefix(val, []byte("sha256:"))
			if !ok || len(h) != 64 || !lowerHex(h) {
				return Pointer{}, false
			}
			p.OID = string(h)
		case "size":
			n, err := strconv.ParseInt(string(val), 10, 64)
			if err != nil || n < 0 {
				return Pointer{}, false
			}
			p.Size = n
		}
	}
	return p, p.OID != ""
}

func lowerHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Store returns the LFS object store of the (common) git folder gitDir.
func Store(gitDir string) string { return filepath.Join(gitDir, "lfs", "objects") }

// ErrAbsent is a pointer whose content is not in the store.
var ErrAbsent = errors.New("not in this repository's lfs/objects")

// ReadWithin returns p's content from store, unless it is larger than
// max (0: no limit) and opens, given the content's first n bytes, says it
// is not to be read whole anyway (an archive the scanner opens however
// large, say): then tooLarge is true and head holds those bytes.
func ReadWithin(store string, p Pointer, max int64, n int, opens func(size int64, head []byte) bool) (data, head []byte, tooLarge bool, err error) {
	if max > 0 && p.Size > max {
		head, err := readfile.Head(path(store, p), true, n)
		if err != nil {
			return nil, nil, false, wrap(err)
		}
		if !opens(p.Size, head) {
			return nil, head, true, nil
		}
	}
	data, err = Read(store, p)
	return data, nil, false, err
}

// Read returns p's content from store. A symbolic link there is not
// followed; content of another size or SHA-256 is an error, not the file.
func Read(store string, p Pointer) ([]byte, error) {
	data, err := readfile.File(path(store, p), true, p.Size)
	if err != nil {
		return nil, wrap(err)
	}
	if int64(len(data)) != p.Size {
		return nil, fmt.Errorf("lfs/objects holds %d bytes, the pointer says %d", len(data), p.Size)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != p.OID {
		return nil, errors.New("lfs/objects holds other content than the pointer names (SHA-256 differs)")
	}
	return data, nil
}

// path is where git-lfs keeps p; the oid is 64 hex digits (Parse), so the
// path stays inside the store.
func path(store string, p Pointer) string {
	return filepath.Join(store, p.OID[0:2], p.OID[2:4], p.OID)
}

func wrap(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return ErrAbsent
	case errors.Is(err, readfile.ErrTooLarge):
		return errors.New("lfs/objects holds more bytes than the pointer says")
	}
	return fmt.Errorf("lfs/objects: %w", readfile.UnwrapPath(err))
}
