package archive

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// LZ4 is the compressor of the lz4 tool, of Kafka and of many storage
// engines and build caches. Its files come in two framings: the frame
// format (magic 04 22 4D 18: a descriptor, blocks of at most 4 MiB, each
// stored or compressed, optionally with checksums and with matches
// reaching into the 64 KiB before the block) and the legacy format of
// `lz4 -l` (magic 02 21 4C 18, then independent blocks of at most 8 MiB
// output). A compressed block is a series of sequences: literals copied
// as they are, then a match copying earlier output (qa16 HIGH-14: the
// literal runs alone cut a key wherever it shares bytes with an earlier
// line, so recognising the format and reading its bytes was not enough).
//
// lz4Reader decodes one or more frames, of either kind, written one after
// another, with skippable frames between them, block by block: memory is
// the 64 KiB of history and one block's output, and the walk's meter
// bounds what comes out, as for every stream. Checksums are not verified:
// the data is scanned, not restored.

const (
	lz4Magic       = 0x184d2204
	lz4LegacyMagic = 0x184c2102
	lz4LegacyBlock = 8 << 20 // the legacy format's block output
	lz4History     = 64 << 10
)

var errLz4Corrupt = errors.New("lz4: corrupt block")

type lz4Reader struct {
	data []byte
	pos  int
	out  []byte // history (up to lz4History bytes), then the block not yet read
	next int    // out[next:] is not yet read

	inFrame, legacy bool
	blockMax        int
	blockSum        bool // each block is followed by a checksum
	contentSum      bool // the frame ends with one
	independent     bool // blocks use no history
}

func newLz4Reader(data []byte) *lz4Reader { return &lz4Reader{data: data} }

func (z *lz4Reader) Read(p []byte) (int, error) {
	for z.next == len(z.out) {
		if err := z.block(); err != nil {
			return 0, err
		}
	}
	n := copy(p, z.out[z.next:])
	z.next += n
	return n, nil
}

// u32 reads a little-endian word at z.pos.
func (z *lz4Reader) u32() (uint32, bool) {
	if len(z.data)-z.pos < 4 {
		return 0, false
	}
	v := binary.LittleEndian.Uint32(z.data[z.pos:])
	z.pos += 4
	return v, true
}

// block decodes the next block into z.out, reading frame headers and ends
// on the way; io.EOF after the last frame.
func (z *lz4Reader) block() error {
	for !z.inFrame {
		if z.pos == len(z.data) {
			return io.EOF
		}
		magic, ok := z.u32()
		if !ok {
			return fmt.Errorf("lz4: %d bytes after the last frame", len(z.data)-z.pos)
		}
		switch {
		case magic == lz4Magic:
			if err := z.descriptor(); err != nil {
				return err
			}
		case magic == lz4LegacyMagic:
			z.inFrame, z.legacy, z.blockMax, z.independent = true, true, lz4LegacyBlock, true
		case magic&0xfffffff0 == 0x184d2a50: // a skippable frame
			n, ok := z.u32()
			if !ok || uint64(n) > uint64(len(z.data)-z.pos) {
				return io.ErrUnexpectedEOF
			}
			z.pos += int(n)
		default:
			return fmt.Errorf("lz4: bytes after the frame's end are no frame (%08x)", magic)
		}
	}
	// Keep the history the next block may reach into, then decode.
	if z.independent {
		z.out = z.out[:0]
	} else if k := len(z.out) - lz4History; k > 0 {
		z.out = append(z.out[:0], z.out[k:]...)
	}
	z.next = len(z.out)
	if z.legacy {
		if z.pos == len(z.data) {
			z.inFrame = false
			return nil
		}
		size, ok := z.u32()
		if !ok {
			return io.ErrUnexpectedEOF
		}
		if size == lz4LegacyMagic || size == lz4Magic || size&0xfffffff0 == 0x184d2a50 {
			z.pos -= 4 // a new frame after this one
			z.inFrame = false
			return nil
		}
		return z.decode(int64(size), false)
	}
	size, ok := z.u32()
	if !ok {
		return io.ErrUnexpectedEOF
	}
	if size == 0 { // the end mark
		z.inFrame = false
		if z.contentSum {
			z.pos += 4
		}
		if z.pos > len(z.data) {
			return io.ErrUnexpectedEOF
		}
		return nil
	}
	if err := z.decode(int64(size&0x7fffffff), size>>31 == 1); err != nil {
		return err
	}
	if z.blockSum {
		if len(z.data)-z.pos < 4 {
			return io.ErrUnexpectedEOF
		}
		z.pos += 4
	}
	return nil
}

// descriptor reads a frame's descriptor after its magic.
func (z *lz4Reader) descriptor() error {
	if len(z.data)-z.pos < 3 {
		return io.ErrUnexpectedEOF
	}
	flg, bd := z.data[z.pos], z.data[z.pos+1]
	if flg>>6 != 1 || flg&0x02 != 0 || bd&0x8f != 0 || bd>>4 < 4 {
		return errors.New("lz4: frame descriptor not of version 1")
	}
	n := 3 // FLG, BD, the header checksum
	if flg&0x08 != 0 {
		n += 8 // the content size
	}
	if flg&0x01 != 0 {
		n += 4 // a dictionary ID
	}
	if len(z.data)-z.pos < n {
		return io.ErrUnexpectedEOF
	}
	z.pos += n
	z.inFrame, z.legacy = true, false
	z.blockMax = 1 << (8 + 2*int(bd>>4)) // 4: 64 KiB ... 7: 4 MiB
	z.independent = flg&0x20 != 0
	z.blockSum, z.contentSum = flg&0x10 != 0, flg&0x04 != 0
	z.out = z.out[:0] // a frame starts without history
	z.next = 0
	return nil
}

// decode appends the block of size bytes at z.pos to z.out, stored as it
// is or compressed.
func (z *lz4Reader) decode(size int64, stored bool) error {
	if size > int64(len(z.data)-z.pos) {
		return io.ErrUnexpectedEOF
	}
	src := z.data[z.pos : z.pos+int(size)]
	z.pos += int(size)
	if stored {
		if len(src) > z.blockMax {
			return errLz4Corrupt
		}
		z.out = append(z.out, src...)
		return nil
	}
	out, err := lz4Block(z.out, src, z.blockMax)
	z.out = out
	return err
}

// lz4Block decodes the compressed block src, appending at most max bytes
// to out, whose bytes are the history a match may copy from.
func lz4Block(out, src []byte, max int) ([]byte, error) {
	limit := len(out) + max
	i := 0
	length := func(n int) (int, bool) {
		if n != 15 {
			return n, true
		}
		for i < len(src) {
			b := src[i]
			i++
			n += int(b)
			if b != 255 {
				return n, true
			}
			if n > limit {
				return 0, false
			}
		}
		return 0, false
	}
	for i < len(src) {
		token := src[i]
		i++
		lit, ok := length(int(token >> 4))
		if !ok || lit > len(src)-i || len(out)+lit > limit {
			return out, errLz4Corrupt
		}
		out = append(out, src[i:i+lit]...)
		i += lit
		if i == len(src) {
			return out, nil // the last sequence has no match
		}
		if len(src)-i < 2 {
			return out, errLz4Corrupt
		}
		off := int(binary.LittleEndian.Uint16(src[i:]))
		i += 2
		n, ok := length(int(token & 15))
		n += 4
		if !ok || off == 0 || off > len(out) || len(out)+n > limit {
			return out, errLz4Corrupt
		}
		// A match may overlap what it writes (off < n: a run): each copy
		// repeats the pattern from from, the span doubling each time.
		from := len(out) - off
		for n > 0 {
			k := min(n, len(out)-from)
			out = append(out, out[from:from+k]...)
			n -= k
		}
	}
	return out, errLz4Corrupt // a block ends with literals
}
