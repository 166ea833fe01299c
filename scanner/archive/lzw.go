package archive

import (
	"errors"
	"fmt"
	"io"
)

// Unix compress's .Z format, as ncompress and gzip -d read it: "\x1f\x9d",
// a flags byte (the most bits a code has, 9 to 16, in its low five bits;
// block mode in its high bit), then LZW codes packed least significant
// bit first, 9 bits wide to start with. The standard library's
// compress/lzw is not this format: its codes widen one code earlier, it
// has no clear code of this kind, and compress writes its codes in groups
// of eight: whenever the width changes or the table is cleared, the rest
// of the current group of 8 codes (as many bytes as bits a code has) is
// padding that the reader skips. This reader follows ncompress's
// decompress() step for step.
const (
	lzwClear   = 256 // in block mode: the table is reset
	lzwMinBits = 9
	lzwMaxBits = 16
)

// errLzwCorrupt is a code that no compressor writes: one past the next
// table entry, or a first code that is not a byte.
var errLzwCorrupt = errors.New("corrupt compress (.Z) stream")

// lzwReader decodes a .Z stream held in memory. Its table is fixed (2^16
// entries), and a code gives at most as many bytes as the table has
// entries, so it needs no more memory whatever the stream declares; the
// caller's meter bounds what it outputs.
type lzwReader struct {
	src    []byte
	pos    int // next bit to read
	seg    int // bit where the current run of groups started
	bits   int // width of a code now
	max    int // most bits a code has (the flags byte)
	block  bool
	limit  int // the last code of the current width before it widens
	free   int // the next table entry
	old    int // the previous code, -1 before the first
	fin    byte
	prefix [1 << lzwMaxBits]uint16
	suffix [1 << lzwMaxBits]byte
	stack  [1 << lzwMaxBits]byte
	out    []byte // decoded bytes not yet handed out
	err    error
}

func newLzwReader(data []byte) (*lzwReader, error) {
	if len(data) < 3 || data[0] != 0x1f || data[1] != 0x9d {
		return nil, errors.New("no compress (.Z) header")
	}
	max := int(data[2] & 0x1f)
	if max < lzwMinBits || max > lzwMaxBits || data[2]&0x60 != 0 {
		return nil, fmt.Errorf("compress (.Z) flags %#x: codes of %d bits, at most %d are read", data[2], max, lzwMaxBits)
	}
	z := &lzwReader{src: data, pos: 24, seg: 24, max: max, block: data[2]&0x80 != 0, old: -1}
	z.width(lzwMinBits)
	z.free = 256
	if z.block {
		z.free = 257
	}
	for i := range 256 {
		z.suffix[i] = byte(i)
	}
	return z, nil
}

// width sets the width of the codes that follow, and the last table entry
// before they widen again: at the most bits, never.
func (z *lzwReader) width(bits int) {
	z.bits = bits
	z.limit = 1<<bits - 1
	if bits == z.max {
		z.limit = 1 << bits
	}
}

// skipGroup moves past the padding of the current group of codes: to the
// next multiple of 8 codes of the current width since seg.
func (z *lzwReader) skipGroup() {
	g := z.bits * 8
	if used := (z.pos - z.seg) % g; used != 0 {
		z.pos += g - used
	}
	z.seg = z.pos
}

// code reads the next code, or reports false at the end of the input (a
// partial code there is ignored, as compress ignores it).
func (z *lzwReader) code() (int, bool) {
	if z.pos+z.bits > len(z.src)*8 {
		return 0, false
	}
	i, sh := z.pos>>3, uint(z.pos&7)
	var v uint32
	for k := 0; k < 3 && i+k < len(z.src); k++ {
		v |= uint32(z.src[i+k]) << (8 * k)
	}
	z.pos += z.bits
	return int(v>>sh) & (1<<z.bits - 1), true
}

func (z *lzwReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(z.out) > 0 {
			c := copy(p[n:], z.out)
			z.out = z.out[c:]
			n += c
			continue
		}
		if z.err != nil {
			break
		}
		z.err = z.step()
	}
	if n > 0 {
		return n, nil
	}
	return 0, z.err
}

// step decodes one code into out, or returns io.EOF at the end.
func (z *lzwReader) step() error {
	if z.free > z.limit {
		z.skipGroup()
		z.width(z.bits + 1)
	}
	c, ok := z.code()
	if !ok {
		return io.EOF
	}
	if z.old == -1 {
		if c >= 256 {
			return errLzwCorrupt
		}
		z.old, z.fin = c, byte(c)
		z.stack[0] = z.fin
		z.out = z.stack[:1]
		return nil
	}
	if c == lzwClear && z.block {
		z.free = 256
		z.skipGroup()
		z.width(lzwMinBits)
		return nil
	}
	in := c
	sp := len(z.stack)
	if c >= z.free {
		// The code being defined (KwKwK): the previous string and its
		// own first byte.
		if c > z.free {
			return errLzwCorrupt
		}
		sp--
		z.stack[sp] = z.fin
		c = z.old
	}
	for c >= 256 {
		if sp == 0 {
			return errLzwCorrupt // a chain longer than the table: no compressor writes one
		}
		sp--
		z.stack[sp] = z.suffix[c]
		c = int(z.prefix[c])
	}
	if sp == 0 {
		return errLzwCorrupt
	}
	sp--
	z.fin = z.suffix[c]
	z.stack[sp] = z.fin
	z.out = z.stack[sp:]
	if z.free < 1<<z.max {
		z.prefix[z.free] = uint16(z.old)
		z.suffix[z.free] = z.fin
		z.free++
	}
	z.old = in
	return nil
}
