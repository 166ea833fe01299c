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
	"slices"
	"strconv"

	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/internal/readfile"
)

// versions are the version lines git-lfs reads as its v1 pointer format
// (the URL of the public launch and two earlier aliases).
var versions = []string{
	"version https://git-lfs.github.com/spec/v1",
	"version https://hawser.github.com/spec/v1",
	"version http://git-media.io/v/2",
}

// Pointer is what a pointer names: the content's SHA-256 (64 lower-case
// hex digits) and size.
type Pointer struct {
	OID  string
	Size int64
}

// Parse reads a Git LFS pointer. Only a blob that is exactly one is, as
// git-lfs reads one: under 1024 bytes, the version line first, then keys in
// sorted order, one per line (blank lines and a carriage return before a
// newline are passed over, as git-lfs passes them), and nothing else: the
// extension lines (ext-N-name sha256:HEX), the oid (sha256:HEX, 64
// lower-case hex digits) and the size (decimal digits). A blob that starts
// like a pointer and holds anything more is not one, and its callers scan
// it as any other blob: the lines past a pointer's are cloned and checked
// out with it, and a key can stand in them.
func Parse(data []byte) (p Pointer, ok bool) {
	// Every small file of a walk is asked: most fail at their first bytes,
	// before a slice of lines is made (what may come before the version
	// line is blank lines, "\n" and "\r\n").
	if len(data) >= 1024 || !bytes.HasPrefix(bytes.TrimLeft(data, "\r\n"), []byte("version ")) {
		return Pointer{}, false
	}
	var lines [][]byte
	for _, line := range bytes.Split(data, []byte("\n")) {
		if line = bytes.TrimSuffix(line, []byte("\r")); len(line) > 0 {
			lines = append(lines, line)
		}
	}
	if len(lines) == 0 {
		return Pointer{}, false
	}
	if !slices.Contains(versions, string(lines[0])) {
		return Pointer{}, false
	}
	var prev string
	size := false
	for _, line := range lines[1:] {
		key, val, found := bytes.Cut(line, []byte(" "))
		if !found || string(key) <= prev {
			return Pointer{}, false // not key and value, or not in sorted order (which also refuses a key twice)
		}
		prev = string(key)
		switch {
		case prev == "oid":
			h, ok := sha256Value(val)
			if !ok {
				return Pointer{}, false
			}
			p.OID = string(h)
		case prev == "size":
			if len(val) == 0 || len(val) > 18 || !digits(val) {
				return Pointer{}, false
			}
			n, err := strconv.ParseInt(string(val), 10, 64)
			if err != nil {
				return Pointer{}, false
			}
			p.Size, size = n, true
		case extKey(key):
			if _, ok := sha256Value(val); !ok {
				return Pointer{}, false
			}
		default:
			return Pointer{}, false
		}
	}
	return p, p.OID != "" && size
}

// sha256Value returns the hex digits of "sha256:" and 64 lower-case hex
// digits.
func sha256Value(v []byte) ([]byte, bool) {
	h, ok := bytes.CutPrefix(v, []byte("sha256:"))
	return h, ok && len(h) == 64 && lowerHex(h)
}

// extKey reports whether key names a pointer extension: ext-, one digit
// (its priority), -, and a name of letters, digits and underscores.
func extKey(key []byte) bool {
	rest, ok := bytes.CutPrefix(key, []byte("ext-"))
	if !ok || len(rest) < 3 || !digits(rest[:1]) || rest[1] != '-' {
		return false
	}
	for _, c := range rest[2:] {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func lowerHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Objects is a repository's git-lfs object store: the folder Dir. With
// Root set, Dir lies below the folder Root, and each object is opened from
// Root following no link on the way (readfile.FileBeneath): a repository a
// scan finds inside its root is the tree's content, not the user's, and a
// link in its lfs/objects, or a .git file naming a folder elsewhere, would
// otherwise read files outside what the user named.
type Objects struct {
	Dir, Root string
}

// Store returns the LFS object store of the (common) git folder gitDir.
func Store(gitDir string) Objects { return Objects{Dir: filepath.Join(gitDir, "lfs", "objects")} }

// ErrAbsent is a pointer whose content is not in the store.
var ErrAbsent = errors.New("not in this repository's lfs/objects")

// ReadWithin returns p's content from store, unless it is larger than
// max (0: no limit) and opens, given the content's first n bytes, says it
// is not to be read whole anyway (an archive the scanner opens however
// large, say): then tooLarge is true and head holds those bytes.
func ReadWithin(store Objects, p Pointer, max int64, n int, opens func(size int64, head []byte) bool) (data, head []byte, tooLarge bool, err error) {
	if max > 0 && p.Size > max {
		head, err := store.head(p, n)
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
func Read(store Objects, p Pointer) ([]byte, error) {
	data, err := store.file(p)
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
func (o Objects) path(p Pointer) string {
	return filepath.Join(o.Dir, p.OID[0:2], p.OID[2:4], p.OID)
}

// beneath returns p's path relative to o.Root, slash-separated.
func (o Objects) beneath(p Pointer) (string, error) {
	rel, err := filepath.Rel(o.Root, o.path(p))
	if err != nil || !pathname.Within(o.Root, o.path(p)) {
		return "", fmt.Errorf("lfs/objects at %s is outside %s: not read", o.Dir, o.Root)
	}
	return filepath.ToSlash(rel), nil
}

// file reads p's content, at most p.Size bytes, following no link at its
// last name, nor on the way from o.Root when that is set.
func (o Objects) file(p Pointer) ([]byte, error) {
	if o.Root == "" {
		return readfile.File(o.path(p), true, p.Size)
	}
	rel, err := o.beneath(p)
	if err != nil {
		return nil, err
	}
	return readfile.FileBeneath(o.Root, rel, p.Size)
}

// head reads p's first n bytes, as file reads p.
func (o Objects) head(p Pointer, n int) ([]byte, error) {
	if o.Root == "" {
		return readfile.Head(o.path(p), true, n)
	}
	rel, err := o.beneath(p)
	if err != nil {
		return nil, err
	}
	return readfile.HeadBeneath(o.Root, rel, n)
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
