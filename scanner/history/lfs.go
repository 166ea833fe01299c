package history

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
	"github.com/keyscan/keyscan/scanner/archive"
)

// A Git LFS pointer stands in the repository for a file whose content
// git-lfs keeps elsewhere: on the LFS server, and in the git folder's
// lfs/objects/<oid[0:2]>/<oid[2:4]>/<oid> of every repository that has
// fetched it, or that is the LFS server's store (a server that keeps LFS
// objects beside the bare repository). The content is scanned when it is
// there, checked against the pointer's SHA-256 and size; when it is not,
// the pointer is counted and warned about: the content was not seen.

var lfsPointer = []byte("version https://git-lfs.github.com/spec/")

// lfsRef is what a pointer names: the content's SHA-256 (hex) and size.
type lfsRef struct {
	oid  string
	size int64
}

// parseLFSPointer reads a pointer's oid and size lines. ok is false for a
// pointer that names no SHA-256 object or no size.
func parseLFSPointer(data []byte) (lfsRef, bool) {
	var ref lfsRef
	for _, line := range bytes.Split(data, []byte("\n")) {
		key, val, _ := bytes.Cut(bytes.TrimSpace(line), []byte(" "))
		switch string(key) {
		case "oid":
			h, ok := bytes.CutPrefix(val, []byte("sha256:"))
			if !ok || len(h) != 64 || !isLowerHex(h) {
				return lfsRef{}, false
			}
			ref.oid = string(h)
		case "size":
			n, err := strconv.ParseInt(string(val), 10, 64)
			if err != nil || n < 0 {
				return lfsRef{}, false
			}
			ref.size = n
		}
	}
	return ref, ref.oid != ""
}

func isLowerHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// errLFSAbsent is a pointer whose content is not in the repository.
var errLFSAbsent = errors.New("not in this repository")

// lfsContent returns the content a pointer names from the repository's LFS
// store. It refuses content over the blob size limit that is not an
// archive content.Options.OpensLarge reads (tooLarge, with whether its head
// is an archive's), and content that does not match the pointer.
func (s *scan) lfsContent(ref lfsRef) (data []byte, tooLarge, isArchive bool, err error) {
	if s.repo.lfs == "" {
		return nil, false, false, errLFSAbsent
	}
	// The oid is 64 hex digits (parseLFSPointer): the path stays inside the store.
	p := filepath.Join(s.repo.lfs, ref.oid[0:2], ref.oid[2:4], ref.oid)
	if max := s.opts.MaxBlobSize; max > 0 && ref.size > max {
		head, err := readfile.Head(p, true, archive.HeadSize)
		if err != nil {
			return nil, false, false, lfsErr(err)
		}
		if !s.opts.Content.OpensLarge(ref.size, head) {
			return nil, true, archive.Detect(head) != archive.None, nil
		}
	}
	data, err = readfile.File(p, true, ref.size)
	if err != nil {
		return nil, false, false, lfsErr(err)
	}
	if int64(len(data)) != ref.size {
		return nil, false, false, fmt.Errorf("lfs/objects holds %d bytes, the pointer says %d", len(data), ref.size)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != ref.oid {
		return nil, false, false, errors.New("lfs/objects holds other content than the pointer names (SHA-256 differs)")
	}
	return data, false, false, nil
}

func lfsErr(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return errLFSAbsent
	}
	if errors.Is(err, readfile.ErrTooLarge) {
		return errors.New("lfs/objects holds more bytes than the pointer says")
	}
	return fmt.Errorf("lfs/objects: %w", readfile.UnwrapPath(err))
}
