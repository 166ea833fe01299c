package archive

import "io"

// bcj undoes 7-Zip's BCJ x86 filter, which 7z puts before LZMA for
// executables: the operand of each CALL and JMP (E8, E9) was turned from a
// relative into an absolute address, so that repeated calls to one function
// compress better. Decoding turns it back, in a stream: up to four bytes at
// the end of what has been read wait for the next read, since an operand
// may straddle it.
type bcj struct {
	r       io.Reader
	convert func(data []byte, ip uint32, state *uint32) int // decodes in place, returns how many bytes are final
	buf     []byte                                          // buf[out:conv] is decoded, buf[conv:] waits for more input
	out     int
	conv    int
	ip      uint32 // the stream position of buf[conv]
	state   uint32 // the filter's memory of recent E8/E9 bytes
	err     error  // the input's error, io.EOF at its end
}

func newBCJ(r io.Reader) *bcj { return newBranch(r, x86Decode, 0) }

// newBranch undoes a branch filter, x86's or another processor's (xz's
// --arm64, --arm, --powerpc...: xzchain.go), whose convert decodes in place
// and says how many bytes are final; start is the filter's start offset.
func newBranch(r io.Reader, convert func([]byte, uint32, *uint32) int, start uint32) *bcj {
	return &bcj{r: r, convert: convert, ip: start, buf: make([]byte, 0, 32<<10)}
}

func (b *bcj) Read(p []byte) (int, error) {
	for {
		if b.out < b.conv {
			n := copy(p, b.buf[b.out:b.conv])
			b.out += n
			return n, nil
		}
		if b.err != nil {
			if b.conv < len(b.buf) {
				b.conv = len(b.buf) // the last bytes are never an operand
				continue
			}
			return 0, b.err
		}
		n := copy(b.buf, b.buf[b.out:])
		b.buf = b.buf[:n]
		b.conv -= b.out
		b.out = 0
		m, err := b.r.Read(b.buf[n:cap(b.buf)])
		b.buf = b.buf[:n+m]
		b.err = err
		k := b.convert(b.buf[b.conv:], b.ip, &b.state)
		b.ip += uint32(k)
		b.conv += k
	}
}

// test86MSByte reports whether b is 0x00 or 0xFF, the top byte of an
// address a near call can reach.
func test86MSByte(b byte) bool { return (b+1)&0xfe == 0 }

// x86Decode decodes data in place, as 7-Zip's x86_Convert does when not
// encoding, and returns how many bytes are final.
func x86Decode(data []byte, ip uint32, state *uint32) int {
	size := len(data)
	if size < 5 {
		return 0
	}
	pos := 0
	mask := *state & 7
	size -= 4
	ip += 5
	for {
		p := pos
		for p < size && data[p]&0xfe != 0xe8 {
			p++
		}
		d := p - pos
		pos = p
		if p >= size {
			if d > 2 {
				*state = 0
			} else {
				*state = mask >> uint(d)
			}
			return pos
		}
		if d > 2 {
			mask = 0
		} else {
			mask >>= uint(d)
			if mask != 0 && (mask > 4 || mask == 3 || test86MSByte(data[p+int(mask>>1)+1])) {
				mask = mask>>1 | 4
				pos++
				continue
			}
		}
		if test86MSByte(data[p+4]) {
			v := uint32(data[p+4])<<24 | uint32(data[p+3])<<16 | uint32(data[p+2])<<8 | uint32(data[p+1])
			cur := ip + uint32(pos)
			pos += 5
			v -= cur
			if mask != 0 {
				sh := (mask & 6) << 2
				if test86MSByte(byte(v >> sh)) {
					v ^= uint32(0x100)<<sh - 1
					v -= cur
				}
				mask = 0
			}
			data[p+1] = byte(v)
			data[p+2] = byte(v >> 8)
			data[p+3] = byte(v >> 16)
			data[p+4] = byte(0 - (v >> 24 & 1))
		} else {
			mask = mask>>1 | 4
			pos++
		}
	}
}
