package archive

import (
	"bytes"
	"compress/gzip"
	"io"
)

// A program or other binary file can carry a compressed file inside it at
// any offset (qa16 HIGH-22): a Go program's //go:embed creds.gz is a
// []byte in .rodata, a C program's xxd -i of a gzip, firmware's
// compressed blobs. Where no archive is found at its start or behind a
// stub, a binary file's gzip members and zstd frames are looked for
// anywhere in it and each opened as a part of its own (app@123456!data),
// its own bytes still scanned as the file's. Each must hold what its
// decoder checks first, so that chance bytes are not taken for one: a
// gzip header with its reserved flag bits clear, an extra-flags byte gzip
// writes and whose first bytes inflate; a zstd frame whose blocks, walked
// by their headers, end within the file, and whose first bytes decode. Only the first stream of each is
// read (a gzip member, a zstd frame): what follows is the program.

// embeddedParts returns the compressed streams inside the binary file
// data, at most maxParts, and what it left (restMore: there were others;
// restUnsearched: the zstd search's budget ran out).
func embeddedParts(data []byte) (ps []part, more rest) {
	ps, more, _ = embeddedScan(data, false)
	return ps, more
}

// embeddedStep is the zstd block headers one scan of a file may walk
// beyond one for every 3 bytes of it (review15 B-3): each zstd magic
// starts a walk of the block headers after it, and magics inside the
// raw blocks of one chain walked it again and again, quadratic in the
// file's size (1 MB of them: 28 s). A file whose candidates all walk
// distinct headers costs no more than a third of its bytes; past the
// budget, the zstd candidates after are not looked at, and the file says
// so (restUnsearched: a warning counted as a part not scanned, as a
// file of more than maxParts streams is).
const embeddedStep = 1 << 17

// embeddedScan is embeddedParts, and the zstd block headers it walked;
// with first, it stops at the first part (DetectName asks whether there
// is any: review15 B-9, the whole scan was run twice).
func embeddedScan(data []byte, first bool) (ps []part, more rest, spent int) {
	if bytes.IndexByte(data[:min(len(data), textHead)], 0) < 0 {
		return nil, restNone, 0
	}
	next := func(magic []byte, from int) int {
		if i := bytes.Index(data[from:], magic); i >= 0 {
			return from + i
		}
		return -1
	}
	budget := len(data)/3 + embeddedStep
	var gzr gzipProbe
	gz, zs := []byte{0x1f, 0x8b, 8}, []byte{0x28, 0xb5, 0x2f, 0xfd}
	g, z := next(gz, 1), next(zs, 1)
	for g >= 0 || z >= 0 {
		if g >= 0 && (z < 0 || g < z) {
			if gzr.starts(data[g:]) {
				if len(ps) == maxParts {
					return ps, restMore, len(data)/3 + embeddedStep - budget
				}
				if ps = append(ps, part{f: Gzip, at: g, end: len(data), single: true}); first {
					break
				}
			}
			g = next(gz, g+1)
			continue
		}
		n := zstdFrameLen(data[z:], &budget)
		if n > 0 && zstdStarts(data[z:z+n]) {
			if len(ps) == maxParts {
				return ps, restMore, len(data)/3 + embeddedStep - budget
			}
			if ps = append(ps, part{f: Zstd, at: z, end: z + n, single: true}); first {
				break
			}
		}
		if z = next(zs, z+1); budget <= 0 {
			if n == 0 || z >= 0 {
				more = restUnsearched // this walk cut by the budget, or candidates after it
			}
			z = -1
		}
	}
	return ps, more, len(data)/3 + embeddedStep - budget
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
