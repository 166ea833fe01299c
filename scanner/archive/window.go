package archive

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// The xz and zstd decoders allocate the window a block or frame header
// declares before the first byte comes out (qa14 HIGH-10: a zip of a
// thousand 60-byte xz or zstd members declaring 64 MiB cost 13 CPU s).
// Both formats give each block's or frame's compressed length without
// decoding it (LZMA2 chunk headers, zstd block headers), which bounds
// what it can output, and so the window it can use: xzBounded and
// zstdBounded write a smaller window into a copy of the headers, which
// the decoders then allocate. What they cannot walk is left as it is
// (maxWindow still bounds it).

// xzChecks is the size of an xz block's check, by the stream's check type.
var xzChecks = [16]int{0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64}

// xzBounded returns data with the LZMA2 dictionary of every block of its
// first stream cut as lzmaDict cuts it for the block's compressed length
// (each block header's CRC32 written again), or data itself when nothing
// is cut.
func xzBounded(data []byte) []byte {
	out := data
	xzBlocks(data, nil, func(i, size, end int) bool {
		if end < 0 {
			return false
		}
		if at := xzDictProp(data[i : i+size]); at >= 0 && data[i+at] < 40 {
			p := data[i+at]
			dict := int64(2|p&1) << (p/2 + 11)
			want := int64(lzmaDict(uint32(min(dict, 1<<32-1)), int64(end-i-size)))
			q := byte(0)
			for q < p && int64(2|q&1)<<(q/2+11) < want {
				q++
			}
			if q < p {
				if &out[0] == &data[0] {
					out = bytes.Clone(data)
				}
				h := out[i : i+size]
				h[at] = q
				binary.LittleEndian.PutUint32(h[size-4:], crc32.ChecksumIEEE(h[:size-4]))
			}
		}
		return true
	})
	return out
}

// xzBlocks calls fn with the start and header size of each block of the
// first stream in data, and the end of its LZMA2 chunks (-1 when they
// cannot be walked, after which the walk stops), in order, until fn
// returns false or a header runs past the data. It returns where the
// stream's index starts (after its last block), or -1 when the walk
// stopped before it. With a budget (embedded.go), each LZMA2 chunk header
// walked takes one from it, the walk failing at 0.
func xzBlocks(data []byte, budget *int, fn func(i, size, end int) bool) int {
	const streamHeader = 12
	if len(data) < streamHeader+2 {
		return -1
	}
	check := xzChecks[data[7]&15]
	i := streamHeader
	for i < len(data) && data[i] != 0 {
		size := (int(data[i]) + 1) * 4
		if len(data)-i < size {
			return -1
		}
		end, ok := lzma2End(data, i+size, budget)
		if !ok {
			end = -1
		}
		if !fn(i, size, end) || end < 0 {
			return -1
		}
		i = (end-i+3)&^3 + i + check
	}
	if i >= len(data) {
		return -1
	}
	return i
}

// lzma2End returns where the LZMA2 chunks starting at i end (after the
// end marker), walking their headers, each taking one from *budget when
// budget is not nil.
func lzma2End(b []byte, i int, budget *int) (int, bool) {
	for i < len(b) {
		if budget != nil {
			if *budget <= 0 {
				return 0, false
			}
			*budget--
		}
		c := b[i]
		switch {
		case c == 0:
			return i + 1, true
		case c == 1 || c == 2:
			if i+3 > len(b) {
				return 0, false
			}
			i += 3 + int(binary.BigEndian.Uint16(b[i+1:])) + 1
		case c >= 0x80:
			hdr := 5
			if c >= 0xC0 {
				hdr = 6
			}
			if i+5 > len(b) {
				return 0, false
			}
			i += hdr + int(binary.BigEndian.Uint16(b[i+3:])) + 1
		default:
			return 0, false
		}
	}
	return 0, false
}

// zstdMaxRatio bounds what a zstd frame outputs per compressed byte: a
// block gives at most 128 KiB and takes at least 4 bytes (an RLE block).
const zstdMaxRatio = 32 << 10

// zstdBounded returns data with the window of every zstd frame cut to
// what its compressed length can output (the Window_Descriptor written
// smaller; it has no checksum), or data itself when nothing is cut.
// Skippable frames are stepped over; the walk stops at anything else.
func zstdBounded(data []byte) []byte {
	out := data
	for i := 0; i+6 <= len(data); {
		magic := binary.LittleEndian.Uint32(data[i:])
		if magic&0xFFFFFFF0 == 0x184D2A50 {
			if i+8 > len(data) {
				break
			}
			i += 8 + int(binary.LittleEndian.Uint32(data[i+4:]))
			continue
		}
		if magic != 0xFD2FB528 {
			break
		}
		fhd := data[i+4]
		single := fhd&0x20 != 0
		at := i + 5
		end, ok := zstdFrameEnd(data[i:], nil)
		if !ok {
			return out
		}
		j := i + end
		if !single && j <= len(data) {
			w := data[at]
			e, m := int64(w>>3), int64(w&7)
			size := int64(1)<<(10+e) + (int64(1)<<(10+e))/8*m
			want := int64(j-i)*zstdMaxRatio + 128<<10
			q := int64(0)
			for q < e && int64(1)<<(10+q) < want {
				q++
			}
			if int64(1)<<(10+q) < size && size <= maxWindow {
				if &out[0] == &data[0] {
					out = bytes.Clone(data)
				}
				out[at] = byte(q << 3)
			}
		}
		i = j
	}
	return out
}
