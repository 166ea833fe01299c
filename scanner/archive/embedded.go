package archive

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"io"

	"github.com/ulikunitz/xz/lzma"
)

// A program or other binary file can carry a compressed file inside it at
// any offset (qa16 HIGH-22): a Go program's //go:embed creds.gz is a
// []byte in .rodata, a C program's xxd -i of a gzip, firmware's
// compressed blobs, a .pyc's zlib.decompress(b'x\x9c...') constant, an
// image's metadata. Where no archive is found at its start or behind a
// stub, a binary file's gzip members, zstd frames, xz and bzip2 streams
// and raw zlib streams are looked for anywhere in it and each opened as a
// part of its own (app@123456!data), its own bytes still scanned as the
// file's. Each must hold what its decoder checks first, so that chance
// bytes are not taken for one: a gzip header with its reserved flag bits
// clear, an extra-flags byte gzip writes and whose first bytes inflate; a
// zstd frame whose blocks, walked by their headers, end within the file,
// and whose first bytes decode; an xz stream header whose CRC32 holds; a
// bzip2 header followed by its first block's 48-bit magic; a zlib header
// of the levels zlib writes (78 01, 5e, 9c, da: two bytes, met by chance
// about once in 16 KiB of a program) whose stream inflates to its end and
// its Adler-32, or gives zlibTaken bytes without an error. Only the first
// stream of each is read (a gzip member, a zstd frame, an xz or bzip2
// stream): what follows is the program. An LZMA "alone" stream (.lzma:
// xz --format=lzma, 7-Zip, Python's lzma.FORMAT_ALONE) has no magic: one
// whose properties byte is 5D (lc=3, lp=0, pb=2, every writer's default)
// is looked for by it and the zero its dictionary size's low byte is, and
// taken when its header holds what xz-utils asks (isLzma) and it decodes
// to its end, or to zlibTaken bytes, without an error (bin25's leftover:
// a raw .lzma inside a program was missed in silence).

// embeddedParts returns the compressed streams inside the binary file
// data, at most maxParts, and what it left (restMore: there were others;
// restUnsearched: the search's budget ran out).
func embeddedParts(data []byte) (ps []part, more rest) {
	ps, more, _ = embeddedScan(data, false)
	return ps, more
}

// embeddedStep is the zstd block headers and LZMA2 chunk headers one scan
// of a file may walk beyond one for every 3 bytes of it (review15 B-3):
// each zstd magic starts a walk of the block headers after it, and magics
// inside the raw blocks of one chain walked it again and again, quadratic
// in the file's size (1 MB of them: 28 s); an xz header's walk of its
// chunks is the same. A file whose candidates all walk distinct headers
// costs no more than a third of its bytes; past the budget, the
// candidates after are not looked at, and the file says so
// (restUnsearched: a warning counted as a part not scanned, as a file of
// more than maxParts streams is).
const embeddedStep = 1 << 17

// zlibCut is what a zlib candidate that runs into the file's end must
// have inflated to first to be taken (a stream cut short, counted): of
// 267,886 candidates in /usr/bin and /usr/lib, none that was no stream
// reached the file's end at all (each failed first). zlibTaken is what a
// zlib candidate inflates to before it is taken without its end: a
// stream that long is none by chance (a stored block of random bytes
// gives at most 64 KiB before the next header must hold).
// The bytes the zlib probes inflate, over all a file's candidates, are at
// most four for each of its bytes and zlibFloor: chance candidates fail
// within a few bytes, and a file of streams each inflating far before
// it fails is counted (restUnsearched) once the budget is spent.
const (
	zlibTaken = 1 << 20
	zlibCut   = 64
	zlibFloor = 16 << 20
)

// embeddedScan is embeddedParts, and the zstd block headers (and LZMA2
// chunk headers) it walked; with first, it stops at the first part
// (DetectName asks whether there is any: review15 B-9, the whole scan was
// run twice).
func embeddedScan(data []byte, first bool) (ps []part, more rest, spent int) {
	if bytes.IndexByte(data[:min(len(data), textHead)], 0) < 0 {
		return nil, restNone, 0
	}
	s := embeddedSearch{data: data, walk: len(data)/3 + embeddedStep, inflate: 4*len(data) + zlibFloor}
	// Each kind is found by bytes it starts with, or holds back bytes
	// after its start, whose first byte a program holds less often
	// (bytes.Index stops at each first byte): zstd's magic past its "(",
	// xz's past its 0xfd, bzip2's by the end of its first block's magic,
	// "&SY", not "B" (five times fewer in /usr/lib's libraries). zlib's
	// two bytes are looked for by zlibNext.
	kinds := [...]struct {
		f     Format
		magic []byte
		back  int
	}{{Gzip, []byte{0x1f, 0x8b, 8}, 0}, {Zstd, []byte{0xb5, 0x2f, 0xfd}, 1}, {Xz, []byte("7zXZ\x00"), 1},
		{Bzip2, []byte("&SY"), 7}, {Zlib, nil, 0}, {Lzma, []byte{0x5d, 0}, 0}}
	var at [len(kinds)]int
	for k := range kinds {
		at[k] = s.next(kinds[k].magic, kinds[k].back, 1)
	}
	for {
		k := -1
		for j, a := range at {
			if a >= 0 && (k < 0 || a < at[k]) {
				k = j
			}
		}
		if k < 0 {
			break
		}
		f, p := kinds[k].f, at[k]
		end := s.take(f, p)
		if end > 0 {
			if len(ps) == maxParts {
				return ps, restMore, s.spent()
			}
			if ps = append(ps, part{f: f, at: p, end: end, single: true}); first {
				break
			}
			if end < len(data) && f != Zstd {
				s.covered = max(s.covered, end)
			}
		}
		at[k] = s.next(kinds[k].magic, kinds[k].back, p+1)
		for j := range at {
			// A budget spent: the kinds it bounds stop, and say so when
			// this walk was cut by it or candidates are left.
			if (kinds[j].f == Zlib || kinds[j].f == Lzma) && s.inflate <= 0 || (kinds[j].f == Zstd || kinds[j].f == Xz) && s.walk <= 0 {
				if at[j] >= 0 || j == k && end == 0 {
					more = restUnsearched
				}
				at[j] = -1
			}
		}
	}
	return ps, more, s.spent()
}

// embeddedSearch is one search of a binary file for the streams inside it.
type embeddedSearch struct {
	data    []byte
	walk    int // zstd block headers and LZMA2 chunk headers left to walk
	inflate int // bytes left for the zlib probes to inflate
	covered int // the end of the last xz, bzip2 or zlib stream taken with its end known
	gzr     gzipProbe
	zr      zlibProbe
}

// next returns the first place at or after from where magic occurs back
// bytes on (a zlib header when magic is nil), or -1. The whole file is
// searched, machine code included: a stream in an ELF file's .text (a C
// array given __attribute__((section(".text"))), a packer's payload) is
// found as one in .rodata is. Skipping executable sections (bin24) saved
// about 0.3 s of CPU a GB of programs: a whole scan of
// /usr/lib/x86_64-linux-gnu takes 5.9 s user with the skip and 6.3 s
// without, /usr/bin and Go's tools the same, the same parts and warnings.
func (s *embeddedSearch) next(magic []byte, back, from int) int {
	if magic == nil {
		return zlibNext(s.data, from)
	}
	if from+back <= len(s.data) {
		if i := bytes.Index(s.data[from+back:], magic); i >= 0 {
			return from + i
		}
	}
	return -1
}

// zlibNext returns the first place at or after from where d holds a zlib
// header of the levels zlib writes (78 01, 5e, 9c or da), or -1. Four
// searches, one for each header, stopped at every 0x78 four times
// (bytes.Index stops at each first byte), and cost /usr/lib's binaries
// three times what the gzip and zstd searches cost; one search for 0x78,
// its next byte tested in place, costs about a fifth of them.
func zlibNext(d []byte, from int) int {
	for from < len(d)-1 {
		i := bytes.IndexByte(d[from:len(d)-1], 0x78)
		if i < 0 {
			break
		}
		from += i
		if c := d[from+1]; c == 0x01 || c == 0x5e || c == 0x9c || c == 0xda {
			return from
		}
		from++
	}
	return -1
}

// spent returns the headers walked.
func (s *embeddedSearch) spent() int { return len(s.data)/3 + embeddedStep - s.walk }

// take returns where the stream of format f that the data holds at p
// ends (the file's end when the format does not say), or 0 when none is
// there. An xz, bzip2 or zlib candidate inside a stream taken before is
// not looked at: its bytes are that stream's.
func (s *embeddedSearch) take(f Format, p int) int {
	b := s.data[p:]
	switch {
	case f == Gzip:
		if s.gzr.starts(b) {
			return len(s.data)
		}
	case f == Zstd:
		if n := zstdFrameLen(b, &s.walk); n > 0 && zstdStarts(b[:n]) { // zstdFrameLen checks the "("
			return p + n
		}
	case p < s.covered:
	case f == Xz:
		if n, ok := xzStreamEnd(b, &s.walk); ok { // xzStreamEnd checks the 0xfd
			return p + n
		}
	case f == Bzip2:
		if len(b) >= 10 && bytes.HasPrefix(b, []byte("BZh")) && '1' <= b[3] && b[3] <= '9' {
			return len(s.data)
		}
	case f == Zlib:
		if n := s.zr.end(b, &s.inflate); n > 0 {
			return p + n
		}
	case f == Lzma:
		if n := lzmaEnd(b, &s.inflate); n > 0 {
			return p + n
		}
	}
	return 0
}

// lzmaEnd returns the length of the LZMA "alone" stream b starts, when it
// decodes to its end (its end marker or its stated size); len(b) when it
// decodes to zlibTaken bytes without an error (its end not looked for) or
// reads zlibCut bytes or more of b to its end without an error (cut short:
// its decoder counts it); 0 when it is none: a header xz-utils would refuse or one stating
// fewer than zlibCut bytes, an error, or the probes' *budget spent. Its dictionary is what zlibTaken bytes can
// use, so a chance header asking for 64 MiB allocates no more.
func lzmaEnd(b []byte, budget *int) int {
	// A stated size under zlibCut is none: of 951 headers isLzma took in
	// a GB of programs and libraries, 16 stated a few bytes that their
	// chance bytes decoded to (libc.a's), and none was a stream.
	if !isLzma(b) || binary.LittleEndian.Uint64(b[5:13]) < zlibCut {
		return 0
	}
	rest := bytes.NewReader(b[13:])
	h := bytes.Clone(b[:13])
	if dict := binary.LittleEndian.Uint32(h[1:]); dict > zlibTaken {
		binary.LittleEndian.PutUint32(h[1:], zlibTaken)
	}
	lr, err := lzma.ReaderConfig{DictCap: zlibTaken}.NewReader(&headed{h: h, r: rest})
	if err != nil {
		return 0
	}
	var buf [4096]byte
	for out := 0; out < zlibTaken && *budget > 0; {
		n, err := lr.Read(buf[:])
		out += n
		*budget -= max(n, 1)
		switch {
		case err == io.EOF && out > 0:
			return len(b) - rest.Len()
		case err == io.ErrUnexpectedEOF && len(b)-13 >= zlibCut:
			// The decoder gives nothing of a block it could not end:
			// a stream read to the file's end, zlibCut bytes or more,
			// is cut short (chance bytes fail before that)
			return len(b)
		case err != nil:
			return 0
		}
	}
	if *budget <= 0 {
		return 0
	}
	return len(b)
}

// xzStreamEnd returns the length of the xz stream b starts: its stream
// header (whose CRC32 must hold, or it is none: ok false), its blocks
// walked by their LZMA2 chunk headers, its index and footer. A stream
// whose walk fails (cut short, or past *budget) is taken to the end of
// b, where its decoder says what is wrong.
func xzStreamEnd(b []byte, budget *int) (int, bool) {
	if len(b) < 12 || b[0] != 0xfd || b[6] != 0 || b[7]&0xf0 != 0 || binary.LittleEndian.Uint32(b[8:12]) != crc32.ChecksumIEEE(b[6:8]) {
		return 0, false
	}
	i := xzBlocks(b, budget, func(int, int, int) bool { return true })
	if i < 0 {
		return len(b), true
	}
	end, ok := xzIndexEnd(b, i)
	if !ok || end+12 > len(b) || !bytes.Equal(b[end+10:end+12], []byte("YZ")) {
		return len(b), true
	}
	return end + 12, true
}

// zlibProbe checks zlib candidates with one reader, reset for each.
type zlibProbe struct {
	zr  io.ReadCloser
	r   bytes.Reader
	buf [4096]byte
}

// end returns the length of the zlib stream b starts, len(b) when it
// inflates to zlibTaken bytes without an error (its end not looked for)
// or to zlibCut before b ends in its middle (a stream cut short, which its
// decoder then counts), or 0 when it is none: a header zlib does not
// write, a first block of the reserved type, an error or an empty stream
// before that, or the probes' *budget (the bytes they inflate) spent. An
// error in the middle is taken for chance bytes however far it comes:
// programs hold runs that inflate to 64 KiB before they fail (git-lfs
// has nine), which no stream written by zlib does.
func (p *zlibProbe) end(b []byte, budget *int) int {
	if len(b) < 8 || b[1] != 0x01 && b[1] != 0x5e && b[1] != 0x9c && b[1] != 0xda || b[2]>>1&3 == 3 {
		return 0
	}
	p.r.Reset(b)
	var err error
	if p.zr == nil {
		p.zr, err = zlib.NewReader(&p.r)
	} else {
		err = p.zr.(zlib.Resetter).Reset(&p.r, nil)
	}
	if err != nil {
		return 0
	}
	for out := 0; out < zlibTaken && *budget > 0; {
		n, err := p.zr.Read(p.buf[:])
		out += n
		*budget -= max(n, 1)
		switch {
		case err == io.EOF && out > 0:
			return len(b) - p.r.Len()
		case err == io.ErrUnexpectedEOF && out >= zlibCut:
			return len(b) // cut short by the file's end: its decoder counts it
		case err != nil:
			return 0
		}
	}
	if *budget <= 0 {
		return 0
	}
	return len(b)
}

// gzipProbe checks gzip candidates with one reader, reset for each
// (review15 B-9: a reader a candidate, 1 MB of headers took 1.7 s).
type gzipProbe struct {
	zr  *gzip.Reader
	buf [64]byte
}

// starts reports whether b starts a gzip member as gzip writes one:
// reserved flags clear, extra flags 0, 2 or 4, and a first 64 bytes (or
// the whole member) that inflate.
func (p *gzipProbe) starts(b []byte) bool {
	if len(b) < 18 || b[3]&0xe0 != 0 || b[8] != 0 && b[8] != 2 && b[8] != 4 {
		return false
	}
	var err error
	if p.zr == nil {
		p.zr, err = gzip.NewReader(bytes.NewReader(b))
	} else {
		err = p.zr.Reset(bytes.NewReader(b))
	}
	if err != nil {
		return false
	}
	p.zr.Multistream(false)
	n, err := io.ReadFull(p.zr, p.buf[:])
	return n > 0 && (err == nil || err == io.ErrUnexpectedEOF)
}

// zstdFrameLen returns the length of the zstd frame b starts, or 0 when
// b starts none that ends within b or its walk runs out of *budget.
func zstdFrameLen(b []byte, budget *int) int {
	if len(b) < 6 || !bytes.HasPrefix(b, []byte{0x28, 0xb5, 0x2f, 0xfd}) {
		return 0
	}
	if n, ok := zstdFrameEnd(b, budget); ok && n <= len(b) {
		return n
	}
	return 0
}

// zstdFrameEnd walks the zstd frame b starts (its magic checked by the
// caller; RFC 8878 3.1.1: its header, its blocks each told by a 3-byte
// header, an optional checksum) and returns where it ends, which may lie
// past b when its last block is cut short; false when its header is
// reserved or a block header lies past b or is reserved. With a budget
// (embedded.go), each block header walked takes one from it, the walk
// failing at 0, and a block over Block_Maximum_Size (128 KiB) fails it;
// without (zstdBounded), the walk goes on to the end, since what it
// bounds is the window a decoder allocates before it reads a block (one
// walk per frame: linear in b). One walk for both (review15 B-8).
func zstdFrameEnd(b []byte, budget *int) (int, bool) {
	d := b[4]
	if budget != nil && d&0x08 != 0 {
		return 0, false // reserved bit
	}
	n := 5 + [4]int{0, 1, 2, 4}[d&3] + [4]int{0, 2, 4, 8}[d>>6]
	if d&0x20 == 0 || d>>6 == 0 {
		n++ // the window descriptor, or a single segment's one-byte content size
	}
	for last := false; !last; {
		if budget != nil {
			if *budget <= 0 {
				return 0, false
			}
			*budget--
		}
		if n+3 > len(b) {
			return 0, false
		}
		h := int(b[n]) | int(b[n+1])<<8 | int(b[n+2])<<16
		last = h&1 != 0
		size := h >> 3
		switch h >> 1 & 3 {
		case 1:
			size = 1 // RLE: one byte repeated
		case 3:
			return 0, false // reserved
		}
		if budget != nil && size > 128<<10 {
			return 0, false
		}
		n += 3 + size
	}
	if d&0x04 != 0 {
		n += 4
	}
	return n, true
}

// zstdStarts reports whether the zstd frame b decodes: its first 64
// bytes, or all of it.
func zstdStarts(b []byte) bool {
	zr, err := zstdReader(b)
	if err != nil {
		return false
	}
	defer zr.Close()
	n, err := io.ReadFull(zr, make([]byte, 64))
	return n > 0 && (err == nil || err == io.ErrUnexpectedEOF)
}
