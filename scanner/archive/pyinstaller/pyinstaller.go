// Package pyinstaller reads the archives PyInstaller builds (qa16
// HIGH-22): a one-file executable is its bootloader followed by a
// CArchive, whose entries (the entry script's marshalled code, the PYZ
// archive of the other modules, data files) are each zlib-compressed or
// stored, listed in a table of contents, and found from a cookie at the
// archive's end; a PYZ is a header, the modules' zlib-compressed
// marshalled code, and a marshalled table of their names and places.
//
// It only lays out where the entries are: the caller (package archive)
// inflates them under its own limits. No size or offset read from a file
// is trusted: each is checked against the bytes at hand, and a table is
// never kept longer than the bytes it is read from allow.
package pyinstaller

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// Magic opens the cookie at a CArchive's end ("MEI\014\013\012\013\016").
var Magic = []byte("MEI\014\013\012\013\016")

// PYZ archives open with PyzMagic, then the Python version's own 4-byte
// magic, then the offset of their table of contents.
var PyzMagic = []byte("PYZ\x00")

// The cookie is 88 bytes since PyInstaller 2.1 (magic, archive length,
// table offset and length, Python version, libpython's name) and 24
// before it (no library name).
const (
	cookieLen    = 88
	oldCookieLen = 24
	entryHead    = 18 // !iIIIBc: record length, offset, size, full size, compressed, type
)

// Tail is how far from a file's end the cookie is looked for: a signed
// Windows or macOS executable carries its signature after the archive,
// some kilobytes, which PyInstaller's bootloader also searches back over.
const Tail = 1 << 20

// Entry is one member of a CArchive or a PYZ.
type Entry struct {
	Name       string
	Offset     int // where its bytes start in the data given to Open or OpenPyz
	Size       int // its bytes there
	Compressed bool
	Type       byte // PyInstaller's type code: 's' script, 'm' module, 'z' PYZ, 'x' data...
}

// Find returns where a CArchive starts in data and where its cookie ends,
// or false when data holds none: the last cookie in its Tail bytes whose
// archive and table lie within data.
func Find(data []byte) (start, end int, ok bool) {
	lo := max(0, len(data)-Tail)
	s, e, ok := FindTail(data[lo:], int64(lo))
	return int(s), int(e), ok
}

// FindTail is Find for a file whose bytes from base on are tail (a file
// too large to be read whole to learn what it is): start and end count
// from the file's start.
//
// It searches forward and keeps the last cookie that fits, which is the
// one a search back from the end meets first: bytes.LastIndex is
// Rabin-Karp, a few instructions a byte, and every binary file and blob
// (history reads thousands) has its last MiB searched here, where the
// vectorised bytes.Index passes over a tail without the magic at memory
// speed.
func FindTail(tail []byte, base int64) (start, end int64, ok bool) {
	for p := 0; ; {
		i := bytes.Index(tail[p:], Magic)
		if i < 0 {
			return start, end, ok
		}
		c := p + i
		for _, n := range []int{cookieLen, oldCookieLen} {
			if s, fit := fits(tail, c, n, base); fit {
				start, end, ok = s, base+int64(c+n), true
				break
			}
		}
		p = c + 1
	}
}

// fits checks the cookie of length n at tail[c:]: the archive it says it
// is ends with the cookie and starts at or after the file's start (tail
// starting base bytes in), and its table lies inside it.
func fits(tail []byte, c, n int, base int64) (int64, bool) {
	if c < 0 || c+n > len(tail) {
		return 0, false
	}
	be := binary.BigEndian
	pkg, toc, tocLen := int64(be.Uint32(tail[c+8:])), int64(be.Uint32(tail[c+12:])), int64(int32(be.Uint32(tail[c+16:])))
	start := base + int64(c+n) - pkg
	return start, pkg >= int64(n) && start >= 0 && tocLen >= 0 && toc <= pkg && tocLen <= pkg-toc && start+toc+tocLen <= base+int64(c)
}

// ErrCorrupt is returned for a table of contents that does not hold.
var ErrCorrupt = errors.New("corrupt table of contents")

// Open reads the table of contents of the CArchive whose cookie ends at end
// in data, starting at start (what Find returned). Entries are given with
// offsets into data; at most max are read (more: the rest are dropped,
// and more is true).
func Open(data []byte, start, end, max int) (es []Entry, more bool, err error) {
	n := 0
	for _, k := range []int{cookieLen, oldCookieLen} {
		if s, ok := fits(data, end-k, k, 0); end >= k && end <= len(data) && ok && s == int64(start) {
			n = k
			break
		}
	}
	if n == 0 {
		return nil, false, ErrCorrupt
	}
	c := end - n
	be := binary.BigEndian
	toc, tocLen := int(be.Uint32(data[c+12:])), int(be.Uint32(data[c+16:]))
	t := data[start+toc : start+toc+tocLen]
	for len(t) > 0 {
		if len(t) < entryHead {
			return es, false, ErrCorrupt
		}
		rec, off, size := int64(be.Uint32(t)), int64(be.Uint32(t[4:])), int64(be.Uint32(t[8:]))
		if rec < entryHead || rec > int64(len(t)) || off+size > int64(c-start) {
			return es, false, ErrCorrupt
		}
		if len(es) == max {
			return es, true, nil
		}
		name := t[entryHead:rec]
		if i := bytes.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		es = append(es, Entry{Name: string(name), Offset: start + int(off), Size: int(size), Compressed: t[16] == 1, Type: t[17]})
		t = t[rec:]
	}
	return es, false, nil
}

// IsPyz reports whether data starts a PYZ archive whose table lies in it.
func IsPyz(data []byte) bool {
	if len(data) < 12 || !bytes.HasPrefix(data, PyzMagic) {
		return false
	}
	toc := binary.BigEndian.Uint32(data[8:])
	return toc >= 12 && uint64(toc) < uint64(len(data))
}

// OpenPyz reads a PYZ's table of contents (a marshalled list of (name,
// (type or is-package, offset, size)) or, before PyInstaller 6, a dict of
// the same): its modules, each zlib-compressed marshalled code, at most
// max of them. A module an encrypted PYZ (PyInstaller before 6 with
// --key) holds is no zlib stream: the caller's inflate says so.
func OpenPyz(data []byte, max int) (es []Entry, more bool, err error) {
	if !IsPyz(data) {
		return nil, false, ErrCorrupt
	}
	m := &unmarshal{b: data[binary.BigEndian.Uint32(data[8:]):], budget: 8 * len(data)}
	v, err := m.value(0)
	if err != nil {
		return nil, false, err
	}
	var items []any
	switch v := v.(type) {
	case []any:
		items = v
	case dict:
		for i := 0; i+1 < len(v); i += 2 {
			items = append(items, []any{v[i], v[i+1]})
		}
	default:
		return nil, false, ErrCorrupt
	}
	for _, it := range items {
		pair, _ := it.([]any)
		if len(pair) != 2 {
			return es, false, ErrCorrupt
		}
		name, ok1 := pair[0].(string)
		place, _ := pair[1].([]any)
		if !ok1 || len(place) != 3 {
			return es, false, ErrCorrupt
		}
		off, ok2 := place[1].(int64)
		size, ok3 := place[2].(int64)
		if !ok2 || !ok3 || off < 12 || size < 0 || off > int64(len(data)) || size > int64(len(data))-off {
			return es, false, ErrCorrupt
		}
		if len(es) == max {
			return es, true, nil
		}
		es = append(es, Entry{Name: name, Offset: int(off), Size: int(size), Compressed: true, Type: 'm'})
	}
	return es, false, nil
}
