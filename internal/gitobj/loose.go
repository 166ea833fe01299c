package gitobj

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/klauspost/compress/zlib"
)

// ReadLoose reads a loose object: a zlib stream of "TYPE SIZE\x00" and the
// content. compressed is the size of the stream, which bounds the size
// the header may claim; limit (0: none) is the caller's bound.
func ReadLoose(r io.Reader, compressed, limit int64) (Type, []byte, error) {
	if compressed <= 0 {
		return 0, nil, errors.New("loose object: empty file")
	}
	zr, err := zlib.NewReader(bufio.NewReader(r))
	if err != nil {
		return 0, nil, fmt.Errorf("loose object: %w", err)
	}
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 64)
	hdr, err := br.ReadSlice(0)
	if err != nil {
		return 0, nil, errors.New("loose object: bad header")
	}
	kind, size, ok := bytes.Cut(hdr[:len(hdr)-1], []byte{' '})
	n, err := strconv.ParseInt(string(size), 10, 64)
	if !ok || err != nil || n < 0 || n > maxInflated(compressed) || (limit > 0 && n > limit) {
		return 0, nil, errors.New("loose object: bad header")
	}
	t := typeByName(string(kind))
	if t == 0 {
		return 0, nil, fmt.Errorf("loose object: unknown type %q", kind)
	}
	data, err := readSized(br, n)
	if err != nil {
		return 0, nil, errors.New("loose object: truncated")
	}
	return t, data, nil
}

// LooseHead reads the header of loose object id and up to n bytes of its
// content, inflating no more: a caller that refuses objects over a size
// (max_file_size) learns the size before it inflates a gigabyte that
// git stores as a few megabytes (qa13 HIGH-7). ok is false when the store
// has no loose copy of id. The content is not checked against id: the
// caller reads the object whole (ReadLoose) before it trusts it.
func (s *Store) LooseHead(id ID, n int) (t Type, size int64, head []byte, ok bool, err error) {
	for _, d := range s.dirs {
		f, fsize, err := openRegular(loosePath(d, id))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return 0, 0, nil, true, fmt.Errorf("object %s: %w", id, err)
		}
		defer f.Close()
		zr, err := zlib.NewReader(bufio.NewReader(io.LimitReader(f, fsize)))
		if err != nil {
			return 0, 0, nil, true, fmt.Errorf("object %s: loose object: %w", id, err)
		}
		defer zr.Close()
		br := bufio.NewReaderSize(zr, 64)
		hdr, err := br.ReadSlice(0)
		if err != nil {
			return 0, 0, nil, true, fmt.Errorf("object %s: loose object: bad header", id)
		}
		kind, sz, cut := bytes.Cut(hdr[:len(hdr)-1], []byte{' '})
		size, err := strconv.ParseInt(string(sz), 10, 64)
		t := typeByName(string(kind))
		if !cut || err != nil || size < 0 || t == 0 {
			return 0, 0, nil, true, fmt.Errorf("object %s: loose object: bad header", id)
		}
		head = make([]byte, min(int64(n), size))
		k, _ := io.ReadFull(br, head)
		return t, size, head[:k], true, nil
	}
	return 0, 0, nil, false, nil
}

// eagerAlloc is the largest declared size allocated before it is read.
const eagerAlloc = 16 << 20

// readSized reads exactly n bytes of r, the size an object's header
// declares, and nothing past them (a stream that would inflate further, a
// zlib bomb, costs no more than n). Up to eagerAlloc the buffer is
// allocated at once; above, it grows as the bytes really arrive, so a
// header that claims gigabytes its stream does not hold costs what the
// stream holds, not an allocation of the claim.
func readSized(r io.Reader, n int64) ([]byte, error) {
	if n <= eagerAlloc {
		data := make([]byte, n)
		_, err := io.ReadFull(r, data)
		return data, err
	}
	data := make([]byte, 0, eagerAlloc)
	for int64(len(data)) < n {
		if len(data) == cap(data) {
			data = slices.Grow(data, int(min(n, int64(cap(data))*2)-int64(len(data))))
		}
		k, err := io.ReadFull(r, data[len(data):int(min(n, int64(cap(data))))])
		data = data[:len(data)+k]
		if err != nil {
			return nil, err
		}
	}
	return data, nil
}

// loosePath is where object id lives loose in the objects folder dir.
func loosePath(dir string, id ID) string {
	hx := id.String()
	return filepath.Join(dir, hx[:2], hx[2:])
}

// readLooseFile reads object id from dir; ok is false when it is not there.
// The file is opened as openRegular opens (a FIFO or a device there is an
// error, not a wait) and read no further than its size. Its content must
// hash to id: a loose object's name is only the name of the file it is in,
// so without the check a file could claim any ID (a tree naming itself as
// its own subtree). It costs one SHA-1 of bytes just inflated.
func readLooseFile(dir string, id ID, limit int64) (t Type, data []byte, ok bool, err error) {
	f, size, err := openRegular(loosePath(dir, id))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil, false, nil
	}
	if err != nil {
		return 0, nil, true, fmt.Errorf("object %s: %w", id, err)
	}
	defer f.Close()
	t, data, err = ReadLoose(io.LimitReader(f, size), size, limit)
	if err != nil {
		return 0, nil, true, fmt.Errorf("object %s: %w", id, err)
	}
	if got := HashObject(t, data); got != id {
		return 0, nil, true, fmt.Errorf("object %s: %w: its content is object %s", id, ErrHashMismatch, got)
	}
	return t, data, true, nil
}

// ErrHashMismatch is a loose object whose content is not the object its
// file is named for.
var ErrHashMismatch = errors.New("loose object does not hash to its name")

// looseIDs lists the loose objects of the objects folder dir.
func looseIDs(dir string, fn func(ID)) error {
	for i := range 256 {
		sub := fmt.Sprintf("%02x", i)
		names, err := readDir(filepath.Join(dir, sub))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		for _, n := range names {
			if id, ok := ParseID(sub + n.Name()); ok {
				fn(id)
			}
		}
	}
	return nil
}
