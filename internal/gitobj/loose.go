package gitobj

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// ReadLoose reads a loose object: a zlib stream of "TYPE SIZE\x00" and the
// content. compressed is the size of the stream, which bounds the size
// the header may claim; limit (0: none) is the caller's bound.
func ReadLoose(r io.Reader, compressed, limit int64) (Type, []byte, error) {
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
	data := make([]byte, n)
	if _, err := io.ReadFull(br, data); err != nil {
		return 0, nil, errors.New("loose object: truncated")
	}
	return t, data, nil
}

// loosePath is where object id lives loose in the objects folder dir.
func loosePath(dir string, id ID) string {
	hx := id.String()
	return filepath.Join(dir, hx[:2], hx[2:])
}

// readLooseFile reads object id from dir; ok is false when it is not there.
func readLooseFile(dir string, id ID, limit int64) (t Type, data []byte, ok bool, err error) {
	f, err := os.Open(loosePath(dir, id))
	if err != nil {
		return 0, nil, false, nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, nil, true, err
	}
	t, data, err = ReadLoose(f, fi.Size(), limit)
	if err != nil {
		return 0, nil, true, fmt.Errorf("object %s: %w", id, err)
	}
	return t, data, true, nil
}

// looseIDs lists the loose objects of the objects folder dir.
func looseIDs(dir string, fn func(ID)) error {
	for i := range 256 {
		sub := fmt.Sprintf("%02x", i)
		names, err := os.ReadDir(filepath.Join(dir, sub))
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
