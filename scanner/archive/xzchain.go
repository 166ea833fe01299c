package archive

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"

	"github.com/ulikunitz/xz/lzma"
)

// An xz block runs its data through up to four filters, the last LZMA2;
// the xz package decodes LZMA2 alone ("unsupported filter count").
// Executables, kernels and initramfs images are compressed with a branch
// filter before LZMA2 (xz --x86, --arm64: qa16 HIGH-10), tables of numbers
// with --delta. xzChain decodes such a stream block by block: the block's
// LZMA2 chunks with the lzma package's Reader2, then its other filters
// undone in reverse order, each as a stream (bcj.go's branch reader, a
// 256-byte delta history), so the walk's meter bounds the output as it
// bounds any stream's. Block checks are not verified: the data is scanned,
// not restored. IA-64's and RISC-V's filters are not undone: their bytes
// are handed on as the filter left them (ASCII text passes them mostly
// unchanged), and the walk counts the member as not decoded whole.

// xzChained reports whether a block of the first stream in data uses more
// filters than LZMA2 alone.
func xzChained(data []byte) bool {
	chained := false
	xzBlocks(data, nil, func(i, _, _ int) bool {
		chained = data[i+1]&3 != 0
		return !chained
	})
	return chained
}

// xzChain reads the streams of data (one after another, with stream
// padding between them) block by block.
type xzChain struct {
	data   []byte
	pos    int // where the next header starts
	check  int // the current stream's check size, -1 between streams
	cur    io.Reader
	undone []string // filters whose bytes were handed on as they are
}

func newXzChain(data []byte) *xzChain { return &xzChain{data: data, check: -1} }

func (x *xzChain) Read(p []byte) (int, error) {
	for {
		if x.cur != nil {
			n, err := x.cur.Read(p)
			if err == io.EOF {
				x.cur = nil
				err = nil
			}
			if n > 0 || err != nil {
				return n, err
			}
			continue
		}
		if err := x.next(); err != nil {
			return 0, err
		}
	}
}

var errXzCorrupt = errors.New("xz: corrupt stream")

// next reads headers up to the next block and opens it; io.EOF after the
// last stream.
func (x *xzChain) next() error {
	d := x.data
	for {
		if x.check < 0 {
			for x.pos+4 <= len(d) && binary.LittleEndian.Uint32(d[x.pos:]) == 0 {
				x.pos += 4 // stream padding
			}
			if x.pos == len(d) {
				return io.EOF
			}
			if len(d)-x.pos < 12 || !bytes.HasPrefix(d[x.pos:], []byte("\xfd7zXZ\x00")) {
				return fmt.Errorf("xz: %d bytes after the stream's end are no stream", len(d)-x.pos)
			}
			x.check = xzChecks[d[x.pos+7]&15]
			x.pos += 12
			continue
		}
		if x.pos >= len(d) {
			return io.ErrUnexpectedEOF
		}
		if d[x.pos] != 0 {
			return x.block()
		}
		end, ok := xzIndexEnd(d, x.pos)
		if !ok || end+12 > len(d) {
			return errXzCorrupt
		}
		x.pos, x.check = end+12, -1 // the index, then the stream footer
	}
}

// xzIndexEnd returns where the index at i ends: its records, padding and
// CRC32.
func xzIndexEnd(d []byte, i int) (int, bool) {
	j := i + 1
	count, k := binary.Uvarint(d[min(j, len(d)):])
	if k <= 0 || count > uint64(len(d)) {
		return 0, false
	}
	j += k
	for range 2 * count {
		_, k := binary.Uvarint(d[min(j, len(d)):])
		if k <= 0 {
			return 0, false
		}
		j += k
	}
	j = i + (j-i+3)&^3 + 4
	return j, j <= len(d)
}

// xzFilter is one filter of a block's chain.
type xzFilter struct {
	id    uint64
	props []byte
}

// block opens the block at x.pos.
func (x *xzChain) block() error {
	d := x.data
	size := (int(d[x.pos]) + 1) * 4
	if len(d)-x.pos < size {
		return io.ErrUnexpectedEOF
	}
	h := d[x.pos : x.pos+size]
	if crc32.ChecksumIEEE(h[:size-4]) != binary.LittleEndian.Uint32(h[size-4:]) {
		return errors.New("xz: block header checksum does not match")
	}
	flags := h[1]
	if flags&0x3c != 0 {
		return errors.New("xz: block header flags unknown")
	}
	i := 2
	uvarint := func() (uint64, bool) {
		v, k := binary.Uvarint(h[min(i, size-4) : size-4])
		i += k
		return v, k > 0
	}
	for _, bit := range []byte{0x40, 0x80} {
		if flags&bit != 0 { // compressed, uncompressed size
			if _, ok := uvarint(); !ok {
				return errXzCorrupt
			}
		}
	}
	chain := make([]xzFilter, int(flags&3)+1)
	for k := range chain {
		id, ok := uvarint()
		n, ok2 := uvarint()
		if !ok || !ok2 || n > uint64(size-4-i) {
			return errXzCorrupt
		}
		chain[k] = xzFilter{id, h[i : i+int(n)]}
		i += int(n)
	}
	last := chain[len(chain)-1]
	if last.id != 0x21 || len(last.props) != 1 || last.props[0] > 40 {
		return errors.New("xz: a block's last filter is not LZMA2")
	}
	start := x.pos + size
	end, ok := lzma2End(d, start, nil)
	if !ok {
		return errXzCorrupt
	}
	p := last.props[0]
	dict := int64(2|p&1) << (p/2 + 11)
	if p == 40 || dict > maxWindow {
		return fmt.Errorf("xz stream asks for a dictionary over %d bytes", int64(maxWindow))
	}
	dict = max(int64(lzmaDict(uint32(dict), int64(end-start))), lzma.MinDictCap)
	lr, err := lzma.Reader2Config{DictCap: int(dict)}.NewReader2(bytes.NewReader(d[start:end]))
	if err != nil {
		return err
	}
	var r io.Reader = lr
	for k := len(chain) - 2; k >= 0; k-- {
		if r, err = x.undo(chain[k], r); err != nil {
			return err
		}
	}
	x.cur = r
	x.pos = start + (end-start+3)&^3 + x.check
	return nil
}

// undo returns r with the filter f undone.
func (x *xzChain) undo(f xzFilter, r io.Reader) (io.Reader, error) {
	if f.id == 0x03 { // delta
		if len(f.props) != 1 {
			return nil, errXzCorrupt
		}
		return &deltaReader{r: r, dist: uint8(int(f.props[0]) + 1)}, nil
	}
	var start uint32
	switch len(f.props) {
	case 0:
	case 4:
		start = binary.LittleEndian.Uint32(f.props)
	default:
		return nil, errXzCorrupt
	}
	var conv func([]byte, uint32, *uint32) int
	switch f.id {
	case 0x04:
		conv = x86Decode
	case 0x05:
		conv = ppcDecode
	case 0x07:
		conv = armDecode
	case 0x08:
		conv = armThumbDecode
	case 0x09:
		conv = sparcDecode
	case 0x0a:
		conv = arm64Decode
	case 0x06, 0x0b:
		// Said once per filter, not once per block.
		name := "RISC-V"
		if f.id == 0x06 {
			name = "IA-64"
		}
		if !slices.Contains(x.undone, name) {
			x.undone = append(x.undone, name)
		}
		return r, nil
	default:
		return nil, fmt.Errorf("xz: filter 0x%x unknown", f.id)
	}
	return newBranch(r, conv, start), nil
}

// deltaReader undoes xz's delta filter: each byte was stored as its
// difference from the byte dist before it.
type deltaReader struct {
	r    io.Reader
	dist uint8 // the distance, 256 written as 0
	hist [256]byte
	pos  uint8
}

func (d *deltaReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	for i := range p[:n] {
		b := p[i] + d.hist[d.pos-d.dist]
		d.hist[d.pos] = b
		d.pos++
		p[i] = b
	}
	return n, err
}

// The branch filters below undo what xz's encoders did to executables of
// each processor: a call's or branch's relative target was made absolute.
// Each decodes data in place from stream position ip and returns how many
// bytes are final (an instruction may straddle the end of data).

func armDecode(data []byte, ip uint32, _ *uint32) int {
	i := 0
	for ; i+4 <= len(data); i += 4 {
		if data[i+3] == 0xeb { // BL
			src := (uint32(data[i+2])<<16 | uint32(data[i+1])<<8 | uint32(data[i])) << 2
			dest := (src - (ip + uint32(i) + 8)) >> 2
			data[i], data[i+1], data[i+2] = byte(dest), byte(dest>>8), byte(dest>>16)
		}
	}
	return i
}

func armThumbDecode(data []byte, ip uint32, _ *uint32) int {
	i := 0
	for i+4 <= len(data) {
		if data[i+1]&0xf8 != 0xf0 || data[i+3]&0xf8 != 0xf8 {
			i += 2
			continue
		}
		src := (uint32(data[i+1]&7)<<19 | uint32(data[i])<<11 | uint32(data[i+3]&7)<<8 | uint32(data[i+2])) << 1
		dest := (src - (ip + uint32(i) + 4)) >> 1
		data[i+1] = 0xf0 | byte(dest>>19)&7
		data[i] = byte(dest >> 11)
		data[i+3] = 0xf8 | byte(dest>>8)&7
		data[i+2] = byte(dest)
		i += 4
	}
	return i
}

func ppcDecode(data []byte, ip uint32, _ *uint32) int {
	i := 0
	for ; i+4 <= len(data); i += 4 {
		if data[i]>>2 == 0x12 && data[i+3]&3 == 1 { // bl
			src := uint32(data[i]&3)<<24 | uint32(data[i+1])<<16 | uint32(data[i+2])<<8 | uint32(data[i+3]&^3)
			dest := src - (ip + uint32(i))
			data[i] = 0x48 | byte(dest>>24)&3
			data[i+1] = byte(dest >> 16)
			data[i+2] = byte(dest >> 8)
			data[i+3] = data[i+3]&3 | byte(dest)&^3
		}
	}
	return i
}

func sparcDecode(data []byte, ip uint32, _ *uint32) int {
	i := 0
	for ; i+4 <= len(data); i += 4 {
		if data[i] == 0x40 && data[i+1]&0xc0 == 0 || data[i] == 0x7f && data[i+1]&0xc0 == 0xc0 { // call
			src := binary.BigEndian.Uint32(data[i:]) << 2
			dest := (src - (ip + uint32(i))) >> 2
			dest = (0-(dest>>22&1))<<22&0x3fffffff | dest&0x3fffff | 0x40000000
			binary.BigEndian.PutUint32(data[i:], dest)
		}
	}
	return i
}

func arm64Decode(data []byte, ip uint32, _ *uint32) int {
	i := 0
	for ; i+4 <= len(data); i += 4 {
		pc := ip + uint32(i)
		instr := binary.LittleEndian.Uint32(data[i:])
		switch {
		case instr>>26 == 0x25: // BL
			instr = 0x94000000 | (instr-pc>>2)&0x03ffffff
		case instr&0x9f000000 == 0x90000000: // ADRP
			src := instr>>29&3 | instr>>3&0x001ffffc
			if (src+0x00020000)&0x001c0000 != 0 {
				continue
			}
			dest := src - pc>>12
			instr &= 0x9000001f
			instr |= (dest & 3) << 29
			instr |= (dest & 0x0003fffc) << 3
			instr |= (0 - dest&0x00020000) & 0x00e00000
		default:
			continue
		}
		binary.LittleEndian.PutUint32(data[i:], instr)
	}
	return i
}
