package archive

import (
	"archive/zip"
	"bytes"
	"compress/bzip2"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	kflate "github.com/klauspost/compress/flate"
	"github.com/ulikunitz/xz"
)

// zip reads the members of a zip archive (and of jar, apk, whl, docx and the
// other formats that are zip files under another name) through its central
// directory, then the members only a local file header names (unlisted).
// archive/zip bounds the directory by the input's size. A directory that
// cannot be read is a warning, and the local headers are still walked, as
// a streaming reader walks those of a truncated download. from is where
// the archive starts (past a stub): the local headers are looked for from
// there, since a stub's code may hold their signature.
func (w *walker) zip(name string, data []byte, from int, lv *level, depth int) {
	if splitZipPart(name, data) {
		// A part of a split archive (zip -s): its directory, in the last
		// part, gives offsets in other parts, and a member may start in
		// one part and end in the next. What a streaming reader of this
		// part alone extracts is read (its local headers); the rest of
		// the archive is not, which is said and counted (qa12 LOW-8).
		w.warn(name, "part of a split zip archive (zip -s): only the members whose data lie whole in this part are scanned; join the parts (zip -s 0 … --out whole.zip) to scan it all")
		w.unlisted(name, data, from, nil, lv, depth)
		return
	}
	listed := map[int64]*zip.File{} // by the offset of the member's data
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		w.warn(name, "corrupt zip archive: %v", err)
	} else {
		zr.RegisterDecompressor(zip.Deflate, inflater(data))
		for _, f := range zr.File {
			if off, err := f.DataOffset(); err == nil {
				listed[off] = f
			}
			if f.FileInfo().IsDir() {
				if f.CompressedSize64 == 0 && f.UncompressedSize64 == 0 {
					continue // a folder
				}
				// A folder's entry that holds data, which unzip -p and
				// Python's zipfile give back; archive/zip refuses to
				// open it, so its raw data is inflated here.
				if !w.folderData(name, f, lv, depth) || lv.stopped {
					return
				}
				continue
			}
			if f.Flags&0x1 != 0 {
				w.unread(name, f.Name, "encrypted member: not scanned")
				continue
			}
			if otherMethod(f.Method) {
				ok, stop := w.otherMember(name, f, data, lv, depth)
				if stop {
					return
				}
				if ok {
					continue
				}
			}
			rc, err := f.Open()
			if err != nil {
				w.unread(name, f.Name, "unreadable member: %v", err)
				continue
			}
			ok := w.member(name, f.Name, w.meter(rc, lv), depth)
			rc.Close()
			if !ok || lv.stopped {
				return
			}
		}
	}
	w.unlisted(name, data, from, listed, lv, depth)
}

// inflater returns the decompressor of the deflated members of the zip
// archive data: klauspost/compress's inflate (a fork of compress/flate:
// the same output, and errors of the same kind, a corrupt stream's offset
// a byte or so apart: TestInflaterAsFlate), handed the member's bytes as a
// bytes.Reader, whose ReadByte it calls directly, where compress/flate
// calls ReadByte through an interface at each byte of a bufio.Reader
// (inflating was a sixth of keyscan scan's instructions on moto's
// checkout, one 1 MB zip in 113 MB). archive/zip hands it a section of
// data, which is the bytes it would read.
func inflater(data []byte) func(io.Reader) io.ReadCloser {
	return func(r io.Reader) io.ReadCloser {
		if sr, ok := r.(*io.SectionReader); ok {
			if _, off, n := sr.Outer(); off >= 0 && n >= 0 && off <= int64(len(data)) && n <= int64(len(data))-off {
				r = bytes.NewReader(data[off : off+n])
			}
		}
		return kflate.NewReader(r)
	}
}

// folderData reads the data of f, a member named as a folder, and
// reports false when the walk must stop.
func (w *walker) folderData(name string, f *zip.File, lv *level, depth int) bool {
	raw, err := f.OpenRaw()
	if err != nil {
		w.unread(name, f.Name, "unreadable member: %v", err)
		return true
	}
	var r io.Reader
	switch f.Method {
	case zip.Store:
		r = raw
	case zip.Deflate:
		fr := flate.NewReader(raw)
		defer fr.Close()
		r = fr
	default:
		w.unread(name, f.Name, "folder entry holding data compressed with method %d: not scanned", f.Method)
		return true
	}
	return w.member(name, f.Name, w.meter(r, lv), depth)
}

// localSig starts a zip local file header.
var localSig = []byte("PK\x03\x04")

// splitZipPart reports whether data is a part of a split zip archive (zip
// -s, WinZip's split archives): named .z01, .z02, … (every part but the
// last), or starting with the split signature zip writes at the head of
// the first part (PK\x07\x08 then a local header), or ending with an end
// record that names another disk than the first (the last part, named
// .zip).
func splitZipPart(name string, data []byte) bool {
	if i := strings.LastIndexAny(name, "/!"); i >= 0 {
		name = name[i+1:]
	}
	if n := len(name); n >= 4 {
		// By name, a part that is binary (compressed data, a header): a
		// text file someone named so is not taken for one.
		if e := strings.LastIndexByte(name, '.'); e >= 0 && e+3 <= n && name[e+1]|0x20 == 'z' && e+2 < n && strings.Trim(name[e+2:], "0123456789") == "" &&
			(bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 || bytes.Contains(data, localSig)) {
			return true
		}
	}
	if bytes.HasPrefix(data, []byte("PK\x07\x08PK\x03\x04")) {
		return true
	}
	tail := data[max(0, len(data)-(1<<16+22)):]
	at := lastIndex(tail, []byte("PK\x05\x06"))
	if at < 0 || len(tail)-at < 22 {
		return false
	}
	end := tail[at:]
	return binary.LittleEndian.Uint16(end[20:]) == uint16(len(end)-22) &&
		(binary.LittleEndian.Uint16(end[4:]) != 0 || binary.LittleEndian.Uint16(end[6:]) != 0)
}

// lastIndex is bytes.LastIndex found by forward searches: every file of a
// walk is asked for a zip end record in its last 64 KiB (splitZipPart), and
// bytes.LastIndex is Rabin-Karp a byte, a fifth of the CPU of `keyscan scan`
// on a Python tree, where the vectorised bytes.Index finds no signature in
// text at memory speed. A text with many signatures is still read once.
func lastIndex(s, sep []byte) int {
	last := -1
	for p := 0; ; {
		i := bytes.Index(s[p:], sep)
		if i < 0 {
			return last
		}
		last = p + i
		p = last + 1
	}
}

// localHeader is a zip local file header, as a streaming reader (Java's
// ZipInputStream and so jar, funzip, bsdtar's streaming mode) reads it.
type localHeader struct {
	at, dataAt   int // offsets of the header and of the member's data
	flags        uint16
	method       uint16
	csize        uint64 // compressed size, when sized
	usize        int64  // uncompressed size, when sized; -1 when zip64 hides it
	sized        bool   // the header gives the size, not only a data descriptor after the data
	name         string
	zip64Missing bool // sizes of 0xffffffff with no zip64 field to give them
	// disagrees marks a member the directory lists with another method or
	// size than its local header gives (see unlisted).
	disagrees bool
}

// where says where a member read from its local header stands, for the
// warnings about it.
func (h localHeader) where() string {
	if h.disagrees {
		return fmt.Sprintf("in the local file header at byte %d, which disagrees with the zip's central directory on its method or size", h.at)
	}
	return fmt.Sprintf("only in a local file header at byte %d (not in the zip's central directory)", h.at)
}

// knownMethod reports whether m is a compression method the zip
// specification (APPNOTE 4.4.5) names: a header with any other is not one a
// reader extracts, so bytes that merely look like a signature are left
// alone.
func knownMethod(m uint16) bool {
	return m <= 20 && m != 7 && m != 11 && m != 13 && m != 15 && m != 17 || m >= 93 && m <= 99
}

// parseLocal reads the local file header at data[at:], which starts with
// localSig; false when the bytes cannot be one: cut short, or a method
// nobody writes.
func parseLocal(data []byte, at int) (localHeader, bool) {
	if len(data)-at < 30 {
		return localHeader{}, false
	}
	b := data[at:]
	n, m := int(binary.LittleEndian.Uint16(b[26:])), int(binary.LittleEndian.Uint16(b[28:]))
	h := localHeader{at: at, dataAt: at + 30 + n + m, flags: binary.LittleEndian.Uint16(b[6:]),
		method: binary.LittleEndian.Uint16(b[8:]), csize: uint64(binary.LittleEndian.Uint32(b[18:]))}
	if h.dataAt > len(data) || !knownMethod(h.method) {
		return localHeader{}, false
	}
	h.name = string(b[30 : 30+n])
	usize := uint64(binary.LittleEndian.Uint32(b[22:]))
	h.usize = int64(usize)
	if h.csize == 0xffffffff || usize == 0xffffffff {
		// Zip64: the sizes are in the extra field's 0x0001 block,
		// uncompressed first, each only where the header has all ones.
		h.zip64Missing = true
		for ex := b[30+n : 30+n+m]; len(ex) >= 4; {
			id, sz := binary.LittleEndian.Uint16(ex), int(binary.LittleEndian.Uint16(ex[2:]))
			if sz > len(ex)-4 {
				break
			}
			if f := ex[4 : 4+sz]; id == 1 {
				h.usize = -1
				if usize == 0xffffffff && len(f) >= 8 {
					if u := binary.LittleEndian.Uint64(f); u < 1<<62 {
						h.usize = int64(u)
					}
					f = f[8:]
				}
				if h.csize == 0xffffffff && len(f) >= 8 {
					h.csize = binary.LittleEndian.Uint64(f)
					h.zip64Missing = false
				}
				if h.csize != 0xffffffff {
					h.zip64Missing = false
				}
				break
			}
			ex = ex[4+sz:]
		}
	}
	h.sized = h.flags&0x8 == 0 || h.csize != 0
	if h.flags&0x8 != 0 && h.usize == 0 {
		h.usize = -1 // in the data descriptor
	}
	return h, true
}

// unlisted walks the local file headers that the central directory does not
// account for and reads their members. A streaming reader never looks at the
// directory: it extracts every member whose local header it meets, so a
// member left out of the directory, or a zip concatenated before another
// (cat key.zip clean.zip, whose directory is the second's), is extracted by
// jar x and funzip and must be scanned too. Such a member is named by its
// local header, with a note that the directory does not list it; one that
// cannot be read (encrypted, a method keyscan does not decode, corrupt, a
// size it cannot find) is a warning counted as a part not scanned.
//
// The walk looks for the signature through the whole archive, once: a
// listed member's header is skipped, and so is a stored member's data (its
// bytes are its content, a nested jar's headers among them, which the
// nested walk reads); a hidden member's data is skipped once read. Where
// the directory and the local header (or the data descriptor a streaming
// reader would find) disagree on a stored member's size, the smaller is
// skipped, so that a directory claiming more cannot hide a header behind
// it. Every byte decompressed goes through the meter, and
// the members count against the same limits as the listed ones.
func (w *walker) unlisted(name string, data []byte, from int, listed map[int64]*zip.File, lv *level, depth int) {
	for pos := from; pos < len(data); {
		i := bytes.Index(data[pos:], localSig)
		if i < 0 {
			return
		}
		at := pos + i
		pos = at + len(localSig)
		h, ok := parseLocal(data, at)
		if !ok {
			continue
		}
		if f := listed[int64(h.dataAt)]; f != nil && !disagree(f, h) {
			if f.Method == zip.Store {
				size := f.CompressedSize64
				if h.sized && !h.zip64Missing {
					size = min(size, h.csize)
				} else if c, _, msg := storedData(data[:h.dataAt+int(min(size+24, uint64(len(data)-h.dataAt)))], h); msg == "" {
					size = min(size, uint64(len(c)))
				}
				pos = h.dataAt + int(min(size, uint64(len(data)-h.dataAt)))
			}
			continue
		}
		if listed[int64(h.dataAt)] != nil {
			// Listed, but with another method or size than the local
			// header's (a stored, empty entry over deflated data): what
			// a streaming reader extracts is read too (qa11 HIGH-5).
			h.disagrees = true
		}
		end, ok := w.hidden(name, data, h, lv, depth)
		if !ok {
			return
		}
		pos = max(pos, end)
	}
}

// disagree reports whether the directory entry f and the local header h
// of the same member disagree on its method, or on its compressed size
// where the header gives one (a header with a data descriptor leaves the
// size to it).
func disagree(f *zip.File, h localHeader) bool {
	return f.Method != h.method || h.sized && !h.zip64Missing && h.csize != f.CompressedSize64
}

// hidden reads the member of the unlisted local header h and reports where
// its data ends, and false when the walk must stop.
func (w *walker) hidden(name string, data []byte, h localHeader, lv *level, depth int) (int, bool) {
	full := name + "!" + h.name
	end := h.dataAt // where the walk goes on when the data's end is unknown
	if h.sized && !h.zip64Missing {
		end = h.dataAt + int(min(h.csize, uint64(len(data)-h.dataAt)))
	}
	if len(h.name) > 0 && h.name[len(h.name)-1] == '/' && h.sized && h.csize == 0 {
		return end, true // a folder
	}
	if h.flags&0x1 != 0 {
		w.unread(name, h.name, "encrypted member, %s: not scanned", h.where())
		return end, true
	}
	if otherMethod(h.method) {
		// Its compressed size is in the header, or in the data
		// descriptor after the data, found as for a stored member.
		raw := data[h.dataAt:end]
		if !h.sized || h.zip64Missing {
			c, next, msg := storedData(data, h)
			if msg != "" {
				w.unread(name, h.name, "member %s, compressed with method %d, whose size only a data descriptor gives, and no descriptor ends it: not scanned, nor the local headers after it", h.where(), h.method)
				return len(data), true
			}
			raw, end = c, next
		}
		r, done, err := methodReader(h.method, raw, h.usize, h.flags, w.window(lv))
		if err != nil {
			w.unread(name, h.name, "member %s, compressed with method %d: %v: not scanned", h.where(), h.method, err)
			return end, true
		}
		defer done()
		w.noteUnlisted(full, h)
		return end, w.member(name, h.name, w.meter(r, lv), depth) && !lv.stopped
	}
	switch h.method {
	case zip.Store:
		content, next, msg := storedData(data, h)
		if msg != "" {
			w.warn(full, "member %s: %s", h.where(), msg)
			if content == nil {
				w.named(name, h.name)
				// Its end is unknown, and no later descriptor ends it:
				// the rest is not walked (searching again from each
				// later header would cost the square of the size).
				return len(data), true
			}
		} else {
			w.noteUnlisted(full, h)
		}
		return next, w.member(name, h.name, w.meter(bytes.NewReader(content), lv), depth) && !lv.stopped
	case zip.Deflate:
		w.noteUnlisted(full, h)
		br := bytes.NewReader(data[h.dataAt:])
		fr := flate.NewReader(br)
		defer fr.Close()
		t := &eofReader{r: fr}
		ok := w.member(name, h.name, w.meter(t, lv), depth) && !lv.stopped
		// Where the stream ended, or where it failed (a warning counted
		// already): a header inside what was decoded is not tried again,
		// so a crafted run of headers costs one pass, not one per header.
		if t.eof {
			end = len(data) - br.Len()
		} else {
			end = max(end, len(data)-br.Len())
		}
		return end, ok
	}
	w.unread(name, h.name, "member %s, compressed with method %d, which keyscan does not decode: not scanned", h.where(), h.method)
	return end, true
}

// noteUnlisted says that a member is read from its local header alone: an
// archive whose directory hides a member is worth a look whatever it holds.
// A warning about the member (corrupt data, too large) may follow.
func (w *walker) noteUnlisted(full string, h localHeader) {
	if h.disagrees {
		w.note(full, "member %s (streaming readers such as jar and funzip read the local header): read from there too", h.where())
		return
	}
	w.note(full, "member not in the zip's central directory, only in a local file header at byte %d (streaming readers such as jar and funzip extract it): read from there", h.at)
}

// storedData returns the content of a stored member that only its local
// header names and where its data (and data descriptor) ends. A header that
// gives no size leaves it to the data descriptor after the data: the first
// descriptor signature whose compressed size is its distance from the
// data's start ends it, as libarchive finds it. msg says what was not read.
func storedData(data []byte, h localHeader) (content []byte, end int, msg string) {
	rest := data[h.dataAt:]
	if h.sized && !h.zip64Missing {
		if h.csize > uint64(len(rest)) {
			return rest, len(data), fmt.Sprintf("member of %d bytes, %d left in the archive: truncated, read as far as it goes", h.csize, len(rest))
		}
		return rest[:h.csize], h.dataAt + int(h.csize), ""
	}
	for p := 0; p < len(rest); {
		i := bytes.Index(rest[p:], []byte("PK\x07\x08"))
		if i < 0 {
			break
		}
		d := p + i
		if d+16 <= len(rest) && uint64(binary.LittleEndian.Uint32(rest[d+8:])) == uint64(d) ||
			d+24 <= len(rest) && binary.LittleEndian.Uint64(rest[d+8:]) == uint64(d) {
			return rest[:d], h.dataAt + d + 16, ""
		}
		p = d + 4
	}
	return nil, h.dataAt, "stored member whose size only a data descriptor gives, and no descriptor ends it: not scanned, nor the local headers after it"
}

// eofReader records whether the stream it wraps came to its end.
type eofReader struct {
	r   io.Reader
	eof bool
}

func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		e.eof = true
	}
	return n, err
}

// Zip compression methods keyscan reads besides stored and deflate
// (APPNOTE 4.4.5), with the decoders it has for the same formats as files:
// zip -Z bzip2, 7-Zip's -mm=BZip2, -mm=LZMA and -mm=xz writers, Python's
// ZIP_BZIP2 and ZIP_LZMA, and zstd (93), which newer zip tools write.
const (
	methodBzip2 = 12
	methodLzma  = 14
	methodZstd  = 93
	methodXz    = 95
)

// otherMethod reports whether m is one of those methods.
func otherMethod(m uint16) bool {
	return m == methodBzip2 || m == methodLzma || m == methodZstd || m == methodXz
}

// otherMember reads a listed member compressed with an otherMethod from
// its bytes in data, through the meter like any member; ok false when it
// was not handled (its data offset unknown: f.Open's warning follows),
// stop when the walk must stop.
func (w *walker) otherMember(name string, f *zip.File, data []byte, lv *level, depth int) (ok, stop bool) {
	off, err := f.DataOffset()
	if err != nil || off < 0 || off > int64(len(data)) {
		return false, false
	}
	if f.CompressedSize64 > uint64(int64(len(data))-off) {
		w.unread(name, f.Name, "member of %d compressed bytes, %d left in the archive: truncated, not scanned", f.CompressedSize64, int64(len(data))-off)
		return true, false
	}
	usize := int64(-1)
	if f.UncompressedSize64 < 1<<62 {
		usize = int64(f.UncompressedSize64)
	}
	r, done, err := methodReader(f.Method, data[off:off+int64(f.CompressedSize64)], usize, f.Flags, w.window(lv))
	if err != nil {
		w.unread(name, f.Name, "unreadable member (compression method %d): %v", f.Method, err)
		return true, false
	}
	defer done()
	return true, !w.member(name, f.Name, w.meter(r, lv), depth) || lv.stopped
}

// methodReader decodes raw, a member's data compressed with an otherMethod;
// usize is its uncompressed size (-1 when unknown), which an LZMA member
// needs unless its flags say that an end marker ends it. The windows are
// bounded as for compressed files (maxWindow); done releases the decoder.
func methodReader(method uint16, raw []byte, usize int64, flags uint16, window int64) (io.Reader, func(), error) {
	nothing := func() {}
	switch method {
	case methodBzip2:
		return bzip2.NewReader(bytes.NewReader(raw)), nothing, nil
	case methodXz:
		if err := xzWindow(raw); err != nil {
			return nil, nil, err
		}
		r, err := xz.NewReader(bytes.NewReader(xzBounded(raw)))
		return r, nothing, err
	case methodZstd:
		zr, err := zstdReader(raw)
		if err != nil {
			return nil, nil, err
		}
		return zr, zr.Close, nil
	case methodLzma:
		// A 2-byte LZMA SDK version, a 2-byte properties size (5), the
		// properties (lc/lp/pb and the dictionary size), then the stream:
		// made an LZMA "alone" header, whose size field the end marker
		// flag (bit 1) or the member's size fills.
		if len(raw) < 9 || binary.LittleEndian.Uint16(raw[2:]) != 5 {
			return nil, nil, errors.New("lzma properties missing")
		}
		hdr := append([]byte{}, raw[4:9]...)
		size := uint64(usize)
		if flags&0x2 != 0 || usize < 0 {
			size = ^uint64(0)
		}
		hdr = binary.LittleEndian.AppendUint64(hdr, size)
		r, err := lzmaReader(hdr, bytes.NewReader(raw[9:]), int64(len(raw)), window)
		return r, nothing, err
	}
	return nil, nil, fmt.Errorf("compression method %d", method)
}
