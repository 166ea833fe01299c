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
// data, at most maxParts (more reports that there were others).
func embeddedParts(data []byte) (ps []part, more bool) {
	if bytes.IndexByte(data[:min(len(data), textHead)], 0) < 0 {
		return nil, false
	}
	next := func(magic []byte, from int) int {
		if i := bytes.Index(data[from:], magic); i >= 0 {
			return from + i
		}
		return -1
	}
	gz, zs := []byte{0x1f, 0x8b, 8}, []byte{0x28, 0xb5, 0x2f, 0xfd}
	g, z := next(gz, 1), next(zs, 1)
	for g >= 0 || z >= 0 {
		if g >= 0 && (z < 0 || g < z) {
			if embeddedGzip(data[g:]) {
				if len(ps) == maxParts {
					return ps, true
				}
				ps = append(ps, part{f: Gzip, at: g, end: len(data), single: true})
			}
			g = next(gz, g+1)
			continue
		}
		if n := zstdFrameLen(data[z:]); n > 0 && zstdStarts(data[z:z+n]) {
			if len(ps) == maxParts {
				return ps, true
			}
			ps = append(ps, part{f: Zstd, at: z, end: z + n, single: true})
		}
		z = next(zs, z+1)
	}
	return ps, false
}

// embeddedGzip reports whether b starts a gzip member as gzip writes one:
// reserved flags clear, extra flags 0, 2 or 4, and a first 64 bytes (or
// the whole member) that inflate.
func embeddedGzip(b []byte) bool {
	if len(b) < 18 || b[3]&0xe0 != 0 || b[8] != 0 && b[8] != 2 && b[8] != 4 {
		return false
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return false
	}
	zr.Multistream(false)
	n, err := io.ReadFull(zr, make([]byte, 64))
	return n > 0 && (err == nil || err == io.ErrUnexpectedEOF)
}

// zstdFrameLen returns the length of the zstd frame b starts (RFC 8878
// 3.1.1: its header, its blocks each told by a 3-byte header, an optional
// checksum), or 0 when b starts none that ends within b. Up to 1<<17
// blocks are walked: a frame of more is taken to end at the last.
func zstdFrameLen(b []byte) int {
	if len(b) < 6 || !bytes.HasPrefix(b, []byte{0x28, 0xb5, 0x2f, 0xfd}) {
		return 0
	}
	d := b[4]
	if d&0x08 != 0 {
		return 0 // reserved bit
	}
	single := d&0x20 != 0
	n := 5 + [4]int{0, 1, 2, 4}[d&3] + [4]int{0, 2, 4, 8}[d>>6]
	if !single {
		n++
	} else if d>>6 == 0 {
		n++ // a single segment's one-byte content size
	}
	for range 1 << 17 {
		if n+3 > len(b) {
			return 0
		}
		h := uint32(b[n]) | uint32(b[n+1])<<8 | uint32(b[n+2])<<16
		last, typ, size := h&1 == 1, h>>1&3, int(h>>3)
		switch typ {
		case 1:
			size = 1 // RLE: one byte repeated
		case 3:
			return 0 // reserved
		}
		if size > 128<<10 {
			return 0 // no block is larger (Block_Maximum_Size)
		}
		n += 3 + size
		if last {
			if d&0x04 != 0 {
				n += 4
			}
			if n > len(b) {
				return 0
			}
			return n
		}
	}
	return 0
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
