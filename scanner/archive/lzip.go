package archive

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
)

// lzip's framing (the lzip manual, "File format"): each member is "LZIP",
// version 1, a coded dictionary size, a raw LZMA stream (lc=3, lp=0, pb=2,
// always ended by the end-of-stream marker), and a 20-byte trailer: the
// CRC32 of the data, its size and the member's own size. Members may be
// written one after another (plzip, lzip -b, cat a.lz b.lz), and lzip -d
// reads them all. The LZMA stream goes through the same reader as a .lzma
// file's, under a made-up "alone" header, so its window is cut to what its
// compressed bytes can output as every other LZMA stream's is.
const (
	lzipHeader  = 6
	lzipTrailer = 20
)

// lzipDict decodes the coded dictionary size byte: 2^(b&31) less
// (b>>5)/16 of it, 4 KiB to 512 MiB.
func lzipDict(b byte) (uint32, error) {
	exp := b & 0x1f
	if exp < 12 || exp > 29 {
		return 0, fmt.Errorf("lzip dictionary size code %#x is invalid", b)
	}
	base := uint32(1) << exp
	d := base - base/16*uint32(b>>5)
	if d < 1<<12 {
		return 0, fmt.Errorf("lzip dictionary size code %#x is invalid", b)
	}
	return d, nil
}

// lzipFile reads the members of an lzip file one after another, checking
// each trailer: a CRC, data size or member size that does not match is an
// error, and so are bytes after the last member that start no member
// (lzip -d ignores such trailing data by default; a key compressed behind
// it would be unseen, so it is a part not scanned, as for .lzma: qa14
// MEDIUM-9).
type lzipFile struct {
	src   *bytes.Reader
	start int64 // where the current member starts in src
	cur   *lzmaStream
	crc   hash.Hash32
	size  uint64 // bytes the current member has given
	err   error  // the end, or the first error
	// window bounds each member's dictionary (see lzmaReader)
	window int64
}

func newLzipFile(data []byte, window int64) (*lzipFile, error) {
	l := &lzipFile{src: bytes.NewReader(data), crc: crc32.NewIEEE(), window: window}
	return l, l.next()
}

// next starts the member at the reader's position.
func (l *lzipFile) next() error {
	l.start = l.src.Size() - int64(l.src.Len())
	var h [lzipHeader]byte
	if n, _ := io.ReadFull(l.src, h[:]); n < lzipHeader || string(h[:4]) != "LZIP" {
		return fmt.Errorf("%d bytes after the last lzip member start no other member: not read", l.src.Size()-l.start)
	}
	if h[4] != 1 {
		return fmt.Errorf("lzip member of version %d (only 1 exists): not read", h[4])
	}
	dict, err := lzipDict(h[5])
	if err != nil {
		return err
	}
	if dict > maxWindow {
		return fmt.Errorf("lzip member asks for a dictionary of %d bytes, over %d: not opened", dict, int64(maxWindow))
	}
	// lc=3 lp=0 pb=2, the dictionary, an unknown size: the stream ends at
	// its end-of-stream marker.
	props := []byte{0x5d, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	binary.LittleEndian.PutUint32(props[1:], dict)
	l.crc.Reset()
	l.size = 0
	l.cur, err = lzmaReader(props, l.src, int64(l.src.Len()), l.window)
	return err
}

// Read gives the data of every member in turn. Its end, or an error, is
// kept: a caller may read again after either (bufio does), and the trailer
// must not be looked for twice.
func (l *lzipFile) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.read(p)
	l.err = err
	return n, err
}

func (l *lzipFile) read(p []byte) (int, error) {
	for {
		n, err := l.cur.Read(p)
		l.crc.Write(p[:n])
		l.size += uint64(n)
		if n > 0 || err != io.EOF {
			switch err {
			case io.EOF:
				err = nil // the trailer is checked at the next call
			case io.ErrUnexpectedEOF:
				err = errLzipCut // after what the member decoded (lzmaStream)
			}
			return n, err
		}
		if err := l.trailer(); err != nil {
			return 0, err
		}
		if l.src.Len() == 0 {
			return 0, io.EOF
		}
		if err := l.next(); err != nil {
			return 0, err
		}
	}
}

// errLzipCut is a member whose LZMA data ends before its end marker: the
// file was cut short there.
var errLzipCut = errors.New("lzip member cut short: its data ends before its end marker")

// errLzipTrailer is a member whose trailer does not match its data.
var errLzipTrailer = errors.New("lzip member corrupt: its trailer does not match its data")

// trailer checks the trailer after the current member's LZMA stream.
func (l *lzipFile) trailer() error {
	var t [lzipTrailer]byte
	if _, err := io.ReadFull(l.src, t[:]); err != nil {
		return fmt.Errorf("lzip member cut short: no trailer")
	}
	end := l.src.Size() - int64(l.src.Len())
	le := binary.LittleEndian
	if le.Uint32(t[0:4]) != l.crc.Sum32() || le.Uint64(t[4:12]) != l.size || le.Uint64(t[12:20]) != uint64(end-l.start) {
		return errLzipTrailer
	}
	return nil
}
