package archive

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"math"

	"github.com/keyscan/keyscan/scanner/archive/pyinstaller"
)

// An archive behind other bytes (a stub) is found the way the programs that
// run or unpack it find it, never by the name or by the stub's own format,
// so that every stub is covered alike:
//
//   - a zip from its end-of-central-directory record at the file's end, as
//     unzip, java -jar and archive/zip find it: a Spring Boot "fully
//     executable" jar (a launch script first), a self-extracting zip
//     (zip -A, any stub), a Chrome extension (.crx, its header first), a
//     Python zipapp's #! line, a zip glued to an image;
//   - a 7z from its signature header anywhere in the file, its CRC
//     checked, as 7-Zip finds the archive of a self-extracting .exe (a
//     file over max_file_size: in its first SevenZipWindow bytes);
//   - a compressed stream or a tar from its magic at the start of a line,
//     the rest of the file up to it being a script: a makeself installer,
//     a script whose payload follows an exit or __ARCHIVE__ line (they cut
//     it out with tail -n+N or sed by lines).
//
// The payload of a script is looked for in a script (a file that starts
// with #!, as one a self-extractor runs must) and in a binary file (a NUL
// in its first 8000 bytes); in other text, only a zip appended at its end.
// The cost to a file that is none of these stays small: a text file costs
// a search for a NUL in its first 8000 bytes and its last 64 KiB (a zip's
// end record holds one); a script one in the whole file (a gzip, xz, 7z,
// tar or zip header holds one; bzip2's symbol map and zstd's block
// headers hold one in every stream the tests made, but need not, so in a
// script with no NUL those two are looked for after each line break);
// a binary file costs a search of its last 64 KiB for the zip
// record, a look at the lines before its first NUL, and a search of the
// whole file for the 7z signature's rarer bytes, for "hsqs" and for the
// heads of gzip and zstd streams (embedded.go).

// maxComment is the longest zip comment: the end record is within the last
// eocdLen+maxComment bytes.
const (
	eocdLen    = 22
	maxComment = 0xffff
)

// TailSize is how many trailing bytes Behind needs to find a zip behind a
// stub: its end record with the longest comment.
const TailSize = eocdLen + maxComment

// SevenZipWindow is how far into a file too large to be read whole
// (BehindAt) a 7z archive or squashfs image behind a stub is looked for:
// 7-Zip's self-extractor modules are 150 to 600 KiB (p7zip's 7zCon.sfx,
// an ELF program, 500 KiB), and libarchive looks no further than 384
// KiB. A file read whole is searched whole: firmware puts its root
// filesystem after a kernel of 5 MB or more (an OpenWrt sysupgrade), and
// an image past the window was neither opened nor counted.
const SevenZipWindow = 4 << 20

// textHead is how much of a file decides whether it is text, as git and
// scanner.IsBinary decide: no NUL in its first 8000 bytes.
const textHead = 8000

// lineWindow is how far before the first NUL a line start is tried: the
// NUL of a gzip, xz, 7z or tar header is within its first bytes, and a
// bzip2 or zstd stream's within a few hundred.
const lineWindow = 64 << 10

// Behind returns the format of an archive that starts after other bytes
// in data (a stub), or None; it is what DetectName adds to Detect.
func Behind(data []byte) Format {
	f, _ := behind(data)
	return f
}

// BehindAt is Behind for a file or blob too large to be read whole to
// learn it (see content.Options.OpensLarge): it reads the first
// SevenZipWindow bytes of r, its last TailSize bytes, and for a zip the
// start of its central directory and of its first member. A payload after
// a script is looked for in the first bytes only.
func BehindAt(r io.ReaderAt, size int64) Format {
	read := func(off int64, n int) []byte {
		if off < 0 || n < 0 || off > size || int64(n) > size-off {
			return nil
		}
		b := make([]byte, n)
		if m, err := r.ReadAt(b, off); m < n && err != nil {
			return nil
		}
		return b
	}
	head := read(0, int(min(size, SevenZipWindow+32)))
	script := bytes.HasPrefix(head, []byte("#!"))
	if !script && bytes.IndexByte(head[:min(len(head), textHead)], 0) < 0 {
		if _, ok := zipEndAt(read, size); ok {
			return Zip
		}
		return None
	}
	nul := bytes.IndexByte(head, 0)
	if nul < 0 {
		if script {
			f, _ := scriptPayload(head)
			return f
		}
		return None
	}
	if _, ok := zipEndAt(read, size); ok {
		return Zip
	}
	lo := max(0, size-pyinstaller.Tail)
	if _, _, ok := pyinstaller.FindTail(read(lo, int(size-lo)), lo); ok {
		return PyInstaller
	}
	if f, _ := lineBefore(head, nul); f != None {
		return f
	}
	if extPartition(head) > 0 {
		return Ext
	}
	if sevenZipAt(head) > 0 {
		return SevenZip
	}
	if squashfsAt(head, int(size)) > 0 {
		return Squashfs
	}
	return None
}

// behind returns the format of an archive that starts after other bytes in
// data and where it starts; None when there is none. It is asked after
// Detect found nothing at the start.
func behind(data []byte) (Format, int) {
	script := bytes.HasPrefix(data, []byte("#!"))
	if !script && bytes.IndexByte(data[:min(len(data), textHead)], 0) < 0 {
		// Text that is no script: only a zip appended to it (unzip
		// reads one) is looked for. Its end record holds NULs.
		if bytes.IndexByte(data[min(len(data), max(textHead, len(data)-TailSize)):], 0) >= 0 {
			if at, ok := zipEnd(data); ok {
				return Zip, at
			}
		}
		return None, 0
	}
	nul := bytes.IndexByte(data, 0)
	if nul < 0 {
		if script {
			return scriptPayload(data)
		}
		return None, 0
	}
	if at, ok := zipEnd(data); ok {
		return Zip, at
	}
	if at, _, ok := pyinstaller.Find(data); ok {
		return PyInstaller, at
	}
	if at := nsisAt(data); at >= 0 {
		return Nsis, at
	}
	if f, at := lineBefore(data, nul); f != None {
		return f, at
	}
	if at := extPartition(data); at > 0 {
		return Ext, at
	}
	if at := sevenZipAt(data); at > 0 {
		return SevenZip, at
	}
	if at := squashfsAt(data, len(data)); at > 0 {
		return Squashfs, at
	}
	return None, 0
}

// squashfsAt returns where a squashfs image starts inside data (not at 0),
// or 0: an AppImage is an ELF runtime with the image right after the
// ELF's section headers (where the runtime itself looks, and what
// --appimage-offset prints), and firmware images carry one at a 4 KiB
// boundary; either is taken when its superblock's fields hold and the
// bytes it says it uses are there (qa14 HIGH-16). The boundaries are
// tried in the whole of data; size is the whole file's (data may be its
// head only).
func squashfsAt(data []byte, size int) int {
	return max(0, squashfsFrom(data, 0, size))
}

// squashfsFrom is squashfsAt for an image that starts at from or later
// (-1 when none does): past from, the 4 KiB boundaries of the rest of
// data are tried, and from itself, where an image written right after
// another (mksquashfs -nopad) starts.
func squashfsFrom(data []byte, from, size int) int {
	ok := func(at int) bool {
		if at <= 0 || at+96 > len(data) || !isSquashfs(data[at:]) {
			return false
		}
		if string(data[at:at+4]) != "hsqs" {
			return true
		}
		used := binary.LittleEndian.Uint64(data[at+40:])
		return used >= 96 && used <= uint64(size-at)
	}
	if from == 0 {
		if at := elfEnd(data); ok(at) {
			return at
		}
	} else if ok(from) {
		return from
	}
	head := data
	for p := from; p < len(head); {
		i := bytes.Index(head[p:], []byte("hsqs"))
		if i < 0 {
			break
		}
		if at := p + i; at%4096 == 0 && ok(at) {
			return at
		}
		p += i + 1
	}
	return -1
}

// maxParts is how many archives Walk opens one after another in one file:
// firmware holds a few images (A/B slots, a root filesystem and a data
// partition), and the images after the last one opened are counted as not
// scanned, so that thousands of tiny images cost no more than 64.
const maxParts = 64

// rest is what a file holds past the parts locateAll found: nothing
// known, more than maxParts of them, or zstd candidates that the search
// inside a binary file left for its budget (embedded.go).
type rest uint8

const (
	restNone rest = iota
	restMore
	restUnsearched
)

// part is one archive in a file: its format, where it starts, and where it
// ends (the file's end when its format does not say).
type part struct {
	f       Format
	at, end int
	single  bool // a stream inside a binary file (embedded.go): its first member or frame only
}

// locateAll is locate, and every further archive after the first where a
// first one would be found (qa15 HIGH-5): firmware carries two squashfs
// images (A/B update slots, a read-only root filesystem and its data or
// overlay partition), a self-extractor two 7z archives, or an image
// before a zip appended to the file. Past each 7z or squashfs image's end
// (its headers say where), the next one is looked for as the first is:
// a 7z signature header whose CRC holds, a squashfs superblock at a 4 KiB
// boundary (or right at the end) that fits, anywhere after it;
// a zip found from its end record comes after them all. An archive whose
// bytes lie inside one already taken is not taken again (a stored 7z in a
// zip is opened as its member). more reports that a file held more than
// maxParts of them (restMore), or zstd candidates unsearched (embedded.go).
func locateAll(name string, data []byte) (ps []part, more rest) {
	f, at := locate(name, data)
	if f == None {
		return embeddedParts(data)
	}
	zipAt := -1
	switch {
	case f == SevenZip || f == Squashfs:
		if z, ok := zipEnd(data); ok {
			zipAt = z
		}
	case f == Zip && at > 0:
		if z, ok := zipEnd(data); !ok || z != at {
			return []part{{f: f, at: at, end: len(data)}}, restNone // a split zip's part
		}
		zipAt = at
	case f == Ext && at > 0:
		// A disk image: every ext partition is a part, each read up to
		// the next (review15 B-10).
		starts := extPartitions(data)
		for i, s := range starts {
			if i == maxParts {
				return ps, restMore
			}
			end := len(data)
			if i+1 < len(starts) {
				end = starts[i+1]
			}
			ps = append(ps, part{f: Ext, at: s, end: end})
		}
		return ps, restNone
	case f == Png || f == Ole || f == Rdb || f == Sqlite || f == Pyz:
		// A zip glued to an image, a document, a dump or a PYZ is opened
		// after it (review15 B-6: once these formats were opened, the zip
		// was no longer looked for). Each is read whole, to its own end:
		// a zip's end record found in the last 64 KiB may be that of a
		// zip inside it (a PNG chunk, a compound file's stream), and
		// cutting the format at the zip lost its later chunks or sectors.
		if z, ok := zipEnd(data); ok && z > at {
			return []part{{f: f, at: at, end: len(data)}, {f: Zip, at: z, end: len(data)}}, restNone
		}
		return []part{{f: f, at: at, end: len(data)}}, restNone
	default:
		return []part{{f: f, at: at, end: len(data)}}, restNone
	}
	if at > 0 {
		// behind prefers a zip, then a 7z, to a squashfs image: the
		// first of them in the file comes first here.
		if p, ok := imageFrom(data, 0); ok && p.at < at {
			f, at = p.f, p.at
		}
	}
	// A zip after an image that claims more bytes than the file has (cut
	// short) is taken too: the image cannot hold it whole.
	end, whole := len(data), true
	if f != Zip {
		end, whole = imageEnd(data, f, at)
	}
	for p := (part{f: f, at: at, end: end}); p.f != Zip; {
		ps = append(ps, p)
		next, ok := imageFrom(data, p.end)
		if !whole || !ok || zipAt >= 0 && next.at >= zipAt {
			break
		}
		if len(ps) == maxParts {
			return ps, restMore
		}
		p = next
		_, whole = imageEnd(data, p.f, p.at)
	}
	if zipAt >= 0 && (len(ps) == 0 || zipAt >= ps[len(ps)-1].end || !whole && zipAt > ps[len(ps)-1].at) {
		ps = append(ps, part{f: Zip, at: zipAt, end: len(data)})
	}
	return ps, restNone
}

// imageFrom returns the first 7z archive or squashfs image that starts at
// from or after it. Past the first (from >
// 0), an image that says it uses more bytes than the file has is taken
// too: it is cut short, and opening it says so (counted), where the first
// image's rule would pass it over.
func imageFrom(data []byte, from int) (part, bool) {
	best := part{at: -1}
	if at := sevenZipFrom(data, from); at >= 0 {
		best = part{f: SevenZip, at: at}
	}
	size := len(data)
	if from > 0 {
		size = math.MaxInt
	}
	if at := squashfsFrom(data, from, size); at >= 0 && (best.at < 0 || at < best.at) {
		best = part{f: Squashfs, at: at}
	}
	if best.at < 0 {
		return best, false
	}
	best.end, _ = imageEnd(data, best.f, best.at)
	return best, true
}

// imageEnd returns where the 7z archive or squashfs image at data[at:]
// ends as its headers say, and true; or len(data) and false when they do
// not say or say more than there is: a 7z's next header is its last part,
// a squashfs image's bytes_used is its length (version 4; older ones are
// taken to end the file).
func imageEnd(data []byte, f Format, at int) (int, bool) {
	var n uint64
	switch {
	case f == SevenZip && at+32 <= len(data):
		off, size := binary.LittleEndian.Uint64(data[at+12:]), binary.LittleEndian.Uint64(data[at+20:])
		if off > 1<<62 || size > 1<<62 {
			return len(data), false
		}
		n = 32 + off + size
	case f == Squashfs && at+96 <= len(data) && string(data[at:at+4]) == "hsqs":
		n = binary.LittleEndian.Uint64(data[at+40:])
	}
	if n == 0 || n > uint64(len(data)-at) {
		return len(data), false
	}
	return at + int(n), true
}

// elfEnd returns where an ELF file's section header table ends (its last
// part, as the linker lays it out), or 0 when data is no ELF.
func elfEnd(data []byte) int {
	if len(data) < 64 || string(data[:4]) != "\x7fELF" {
		return 0
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if data[5] == 2 {
		bo = binary.BigEndian
	}
	var off, size, n uint64
	switch data[4] {
	case 1:
		off, size, n = uint64(bo.Uint32(data[0x20:])), uint64(bo.Uint16(data[0x2E:])), uint64(bo.Uint16(data[0x30:]))
	case 2:
		off, size, n = bo.Uint64(data[0x28:]), uint64(bo.Uint16(data[0x3A:])), uint64(bo.Uint16(data[0x3C:]))
	default:
		return 0
	}
	end := off + size*n
	if off > uint64(len(data)) || end > uint64(len(data)) {
		return 0
	}
	return int(end)
}

// zipEnd finds a zip archive from its end-of-central-directory record in
// the last TailSize bytes of data and returns where the archive's first
// member starts (see zipEndAt).
func zipEnd(data []byte) (int, bool) {
	at, ok := zipEndAt(func(off int64, n int) []byte {
		if off < 0 || n < 0 || off > int64(len(data)) || int64(n) > int64(len(data))-off {
			return nil
		}
		return data[off : off+int64(n)]
	}, int64(len(data)))
	return int(at), ok
}

// zipEndAt finds a zip archive from its end-of-central-directory record in
// the last TailSize bytes of a file of size bytes, whose bytes read gives
// (nil when they are not all there), and returns where the archive's first
// member starts. The record must hold: one disk, at least one member, a
// central directory that ends where the record (or its zip64 record)
// starts and opens with a directory entry's signature, at an offset that
// leaves a base of zero or more bytes before the archive (a prefix the
// offsets do not count, as a Spring Boot launch script or a .crx header
// is; zip -A counts it, leaving a base of 0). Where several records are
// found, the last one that holds is taken, as archive/zip takes the last.
func zipEndAt(read func(off int64, n int) []byte, size int64) (int64, bool) {
	lo := max(0, size-TailSize)
	tail := read(lo, int(size-lo))
	best := int64(-1)
	for p := 0; p+eocdLen <= len(tail); {
		i := bytes.Index(tail[p:], []byte("PK\x05\x06"))
		if i < 0 || p+i+eocdLen > len(tail) {
			break
		}
		if e := p + i; e+eocdLen+int(binary.LittleEndian.Uint16(tail[e+20:])) <= len(tail) {
			best = lo + int64(e)
		}
		p += i + 1
	}
	// The records are tried from the last: a later one that does not hold
	// (a signature in a comment) falls back to the one before it.
	for e := best; e >= 0; {
		if at, ok := zipStartAt(read, e); ok {
			return at, true
		}
		i := lastIndex(tail[:e-lo], []byte("PK\x05\x06"))
		if i < 0 {
			break
		}
		e = lo + int64(i)
	}
	return 0, false
}

// zipStartAt checks the end record at e and returns where the archive's
// first member starts.
func zipStartAt(read func(off int64, n int) []byte, e int64) (int64, bool) {
	b := read(e, eocdLen)
	if b == nil {
		return 0, false
	}
	disk, dirDisk := binary.LittleEndian.Uint16(b[4:]), binary.LittleEndian.Uint16(b[6:])
	records := uint64(binary.LittleEndian.Uint16(b[10:]))
	size := uint64(binary.LittleEndian.Uint32(b[12:]))
	off := uint64(binary.LittleEndian.Uint32(b[16:]))
	dirEnd := e
	if records == 0xffff || size == 0xffffffff || off == 0xffffffff {
		// Zip64: the locator is right before the record and the zip64
		// record right before it (the locator's offset of it counts the
		// stub or not, depending on the writer: its place is certain).
		const loc, rec = 20, 56
		z := read(e-loc-rec, loc+rec)
		if z == nil || !bytes.HasPrefix(z[rec:], []byte("PK\x06\x07")) || !bytes.HasPrefix(z, []byte("PK\x06\x06")) {
			return 0, false
		}
		disk, dirDisk = 0, 0
		if binary.LittleEndian.Uint32(z[16:]) != 0 || binary.LittleEndian.Uint32(z[20:]) != 0 {
			return 0, false
		}
		records, size, off = binary.LittleEndian.Uint64(z[32:]), binary.LittleEndian.Uint64(z[40:]), binary.LittleEndian.Uint64(z[48:])
		dirEnd = e - loc - rec
	}
	if disk != 0 || dirDisk != 0 || records == 0 || size > uint64(dirEnd) || off > uint64(dirEnd)-size {
		return 0, false
	}
	dir := dirEnd - int64(size)
	entry := read(dir, 46)
	if entry == nil || !bytes.HasPrefix(entry, []byte("PK\x01\x02")) {
		return 0, false
	}
	base := dir - int64(off)
	// The first entry's local header, where offsets count from the base
	// (a prefix they leave out) or from the file's start (zip -A).
	lho := int64(binary.LittleEndian.Uint32(entry[42:]))
	for _, at := range []int64{base + lho, lho} {
		if at >= 0 && at < dir && bytes.Equal(read(at, 4), localSig) {
			return at, true
		}
	}
	return base, true
}

// lineBefore tries the line starts in the lineWindow bytes before the
// first NUL (at nul) for a compressed stream or a tar: a script's payload.
// The start of data is Detect's, not tried here.
func lineBefore(data []byte, nul int) (Format, int) {
	lo := max(0, nul-lineWindow)
	for e := nul; e > lo; {
		i := bytes.LastIndexByte(data[lo:e], '\n')
		if i < 0 {
			break
		}
		p := lo + i + 1
		if f := payloadAt(data[p:]); f != None {
			return f, p
		}
		e = lo + i
	}
	return None, 0
}

// scriptPayload finds a bzip2 or zstd stream (the formats whose first bytes
// may hold no NUL) at the start of a line of a script with no NUL at all.
func scriptPayload(data []byte) (Format, int) {
	for _, magic := range [][]byte{[]byte("\nBZh"), {'\n', 0x28, 0xb5, 0x2f, 0xfd}, {'\n', 0x04, 0x22, 0x4d, 0x18}} {
		for p := 0; ; {
			i := bytes.Index(data[p:], magic)
			if i < 0 {
				break
			}
			at := p + i + 1
			if f := payloadAt(data[at:]); f != None {
				return f, at
			}
			p = at
		}
	}
	return None, 0
}

// payloadAt returns the format of a compressed stream or tar that starts b,
// known more strictly than Detect knows a file's start: a payload is
// looked for at many places, so each format's header must also hold what
// its decoder checks first (reserved bits clear, a header checksum).
func payloadAt(b []byte) Format {
	switch {
	case len(b) >= 10 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8 && b[3]&0xe0 == 0:
		return Gzip
	case len(b) >= 12 && bytes.HasPrefix(b, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		if b[6] == 0 && b[7]&0xf0 == 0 && crc32.ChecksumIEEE(b[6:8]) == binary.LittleEndian.Uint32(b[8:12]) {
			return Xz
		}
	case len(b) >= 5 && bytes.HasPrefix(b, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		if b[4]&0x08 == 0 { // the frame header's reserved bit
			return Zstd
		}
	case len(b) >= 5 && bytes.HasPrefix(b, []byte{0x04, 0x22, 0x4d, 0x18}):
		if b[4]>>6 == 1 { // the frame's version bits
			return Lz4
		}
	case len(b) >= 9 && bytes.HasPrefix(b, []byte{0x02, 0x21, 0x4c, 0x18}):
		if n := binary.LittleEndian.Uint32(b[4:]); n > 0 && n <= lz4LegacyBlock+lz4LegacyBlock/255+16 {
			return Lz4 // lz4 -l: the first block's size, at most what 8 MiB compresses to
		}
	case len(b) >= 6 && bytes.HasPrefix(b, sevenZipSignature):
		if sevenZipHeaderOK(b) {
			return SevenZip
		}
	case Detect(b[:min(len(b), 16)]) == Bzip2:
		if bzip2Block(b) {
			return Bzip2
		}
	case len(b) >= 512 && isTar(b) && tarSumOK(b):
		return Tar
	}
	return None
}

// sevenZipAt returns where a 7z archive starts inside data (not at 0),
// known by its signature header and the header's CRC; 0 when none does.
// It is looked for in the whole of data. The signature's last four bytes
// are searched for, rarer in binaries than its first.
func sevenZipAt(data []byte) int {
	return max(0, sevenZipFrom(data, 0))
}

// sevenZipFrom is sevenZipAt for an archive that starts at from or later
// (-1 when none does; never at 0).
func sevenZipFrom(data []byte, from int) int {
	rare := sevenZipSignature[2:]
	for p := from + 2; p < len(data); {
		i := bytes.Index(data[p:], rare)
		if i < 0 {
			return -1
		}
		at := p + i - 2
		if at > 0 && sevenZipHeaderOK(data[at:]) {
			return at
		}
		p += i + 1
	}
	return -1
}

// sevenZipHeaderOK reports whether b starts with a 7z signature header
// whose CRC holds. Where its next header lies is not asked: a 7z cut short
// is recognised, and opening it says that it is truncated.
func sevenZipHeaderOK(b []byte) bool {
	if len(b) < 32 || !bytes.HasPrefix(b, sevenZipSignature) || b[6] != 0 {
		return false
	}
	return crc32.ChecksumIEEE(b[12:32]) == binary.LittleEndian.Uint32(b[8:12])
}

// tarSumOK reports whether a tar header block's checksum adds up (GNU tar
// and archive/tar check it before they read a header).
func tarSumOK(b []byte) bool {
	sum, ok := octal(b[148:156])
	if !ok {
		return false
	}
	var unsigned, signed int64
	for i, c := range b[:512] {
		if 148 <= i && i < 156 {
			c = ' '
		}
		unsigned += int64(c)
		signed += int64(int8(c))
	}
	return sum == unsigned || sum == signed
}

// bzip2Block reports whether the first block of the bzip2 stream b (its
// magic checked) starts as a decoder wants it: not randomised (bzip2 0.9.5
// and later never write that), an origin pointer within the block size,
// and some byte values in use. bzip2's magic is text ("BZh91AY&SY"), and
// text after it fails the pointer: its bytes set the high bits.
func bzip2Block(b []byte) bool {
	if len(b) < 22 {
		return false
	}
	// After the 4-byte stream header, the 6-byte block magic and the
	// 4-byte block CRC: 1 bit randomised, 24 bits origPtr, 16 bits map.
	v := binary.BigEndian.Uint64(b[14:22])
	randomised := v >> 63
	origPtr := v >> 39 & (1<<24 - 1)
	used := v >> 23 & 0xffff
	return randomised == 0 && origPtr < uint64(b[3]-'0')*100000 && used != 0
}

// nsisAt returns where the data of an NSIS installer starts in a Windows
// program (makensis's output: the installer's code, then a "first header"
// at a multiple of 512 bytes, which holds 0xDEADBEEF and "NullsoftInst",
// then the installer's script and files, compressed with zlib, bzip2 or
// LZMA in NSIS's own framing), or -1. Walk does not open it: it is said
// and counted (qa12 MEDIUM-5), never passed as a program's printable runs
// alone.
func nsisAt(data []byte) int {
	if !bytes.HasPrefix(data, []byte("MZ")) {
		return -1
	}
	sig := []byte("\xef\xbe\xad\xdeNullsoftInst")
	for from := 0; ; {
		i := bytes.Index(data[from:], sig)
		if i < 0 {
			return -1
		}
		if at := from + i - 4; at >= 0 && at%512 == 0 {
			return at
		}
		from += i + 1
	}
}
