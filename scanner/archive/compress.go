package archive

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
	"github.com/ulikunitz/xz/lzma"
)

// maxWindow bounds the memory a compressed stream may ask for as its
// dictionary or window: xz -9 and zstd -19 stay under it; a header asking
// for more is refused rather than trusted.
const maxWindow = 64 << 20

// compressed decompresses a gzip, bzip2, xz, zstd, lzma, lzip, compress (.Z), lz4, zlib or Brotli stream: a tar inside is
// read at the same level (site.tar.gz!dir/file); any other content is one
// member named after the stream (app.env.gz!app.env), from own, the
// stream's own name: its path inside the archive around it, not the whole
// chain of names, which has no '/' after a '!'.
func (w *walker) compressed(name, own string, f Format, data []byte, lv *level, depth int) {
	var r io.Reader
	base := path.Base(strings.ReplaceAll(own, `\`, "/"))
	inner := strings.TrimSuffix(base, path.Ext(base))
	switch f {
	case Gzip:
		gz, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			w.warn(name, "corrupt gzip stream: %v", err)
			return
		}
		defer gz.Close()
		gz.Multistream(!lv.single)
		if n := path.Base(strings.ReplaceAll(gz.Name, `\`, "/")); gz.Name != "" && n != "." && n != "/" {
			inner = n
		}
		r = gz
	case Bzip2:
		r = bzip2.NewReader(bytes.NewReader(data))
		if lv.single {
			r = &bzip2First{r: r}
		}
	case Xz:
		if err := xzWindow(data); err != nil {
			w.warn(name, "%v: not opened", err)
			return
		}
		if xzChained(data) {
			xc := newXzChain(data)
			defer func() {
				for _, f := range xc.undone {
					w.warn(name, "xz %s filter not undone: its bytes are scanned as the filter left them", f)
				}
			}()
			r = xc
			break
		}
		xr, err := xz.NewReader(bytes.NewReader(xzBounded(data)))
		if err != nil {
			w.warn(name, "corrupt xz stream: %v", err)
			return
		}
		r = xr
	case Lzma:
		lr, err := newLzmaFile(data, w.window(lv))
		if err != nil {
			w.warn(name, "lzma stream not opened: %v", err)
			return
		}
		r = lr
	case Lzip:
		lr, err := newLzipFile(data, w.window(lv))
		if err != nil {
			w.warn(name, "lzip stream not opened: %v", err)
			return
		}
		r = lr
	case Compress:
		zr, err := newLzwReader(data)
		if err != nil {
			w.warn(name, "compress (.Z) stream not opened: %v", err)
			return
		}
		r = zr
	case Lz4:
		r = newLz4Reader(data)
	case Zlib:
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			w.warn(name, "corrupt zlib stream: %v", err)
			return
		}
		defer zr.Close()
		r = zr
	case Zstd:
		zr, err := zstdReader(data)
		if err != nil {
			w.warn(name, "corrupt zstd stream: %v", err)
			return
		}
		defer zr.Close()
		r = zr
	case Brotli:
		// Large windows (RFC 9841) are refused: the standard window is
		// at most 16 MiB, under maxWindow.
		r = brotli.NewReader(bytes.NewReader(data))
	default:
		return
	}
	br := bufio.NewReaderSize(w.meter(r, lv), 4096)
	head, err := br.Peek(512)
	var rest io.Reader = br
	if err != nil && err != io.EOF {
		// bufio hands a read error to Peek once and then reads on as if the
		// stream had ended: an xz stream with a filter chain the decoder
		// lacks (xz --x86) was one empty member, in silence (qa16 HIGH-10).
		// member counts the error after the bytes that were read.
		rest = io.MultiReader(bytes.NewReader(head), failedReader{err})
	}
	if isTar(head) {
		// Only the members of a decompressed tar are held in memory: its
		// header blocks are handed on by tar itself.
		w.tar(name, br, lv, depth, true)
		return
	}
	switch ext := path.Ext(base); {
	case strings.EqualFold(ext, ".tgz"), strings.EqualFold(ext, ".tbz2"), strings.EqualFold(ext, ".txz"), strings.EqualFold(ext, ".tzst"), strings.EqualFold(ext, ".tlz"), strings.EqualFold(ext, ".taz"):
		inner += ".tar"
	case inner == "" || inner == base:
		inner = "data"
	}
	w.member(name, inner, rest, depth)
}

// bzip2First reads the first bzip2 stream of a binary file (embedded.go):
// the decoder takes what follows the stream's end, its checksums checked,
// for a next stream that does not start, and the program after it is no
// error. The end sticks: read again, the decoder would take the program
// for a block.
type bzip2First struct {
	r   io.Reader
	end bool
}

func (b *bzip2First) Read(p []byte) (int, error) {
	if b.end {
		return 0, io.EOF
	}
	n, err := b.r.Read(p)
	if err == bzip2.StructuralError("bad magic value in continuation file") {
		b.end, err = true, io.EOF
	}
	return n, err
}

// failedReader is a stream whose reading failed with err.
type failedReader struct{ err error }

func (f failedReader) Read([]byte) (int, error) { return 0, f.err }

// A dictionary is allocated whole (and zeroed by the kernel) before the
// first byte is decoded: a 26-byte stream declaring 64 MiB cost ~11 ms of
// CPU, a zip of a thousand of them 11 CPU s (qa14 HIGH-10). Output never
// needs more window than it has bytes, and LZMA cannot give more than
// ~7,100 bytes per compressed byte (a run of longest rep0 matches at the
// highest probability; xz -9 of 256 MiB of zeros is 37,954 bytes): the
// window is cut to twice that bound of the stream's compressed bytes.
const lzmaMaxRatio = 16 << 10

// lzmaDict is the dictionary a stream of n compressed bytes declaring
// dict can use.
func lzmaDict(dict uint32, n int64) uint32 {
	if b := n*lzmaMaxRatio + 64<<10; b < int64(dict) {
		return uint32(b)
	}
	return dict
}

// lzmaReader decodes an LZMA "alone" stream: props (lc/lp/pb and the
// dictionary size, 5 bytes, possibly followed by the 8-byte size) then
// what rest holds; n is the stream's compressed size, which bounds its
// dictionary, and so does window, the most output that will be read
// (walker.window). rest is read byte by byte (never past the stream's
// end).
func lzmaReader(props []byte, rest *bytes.Reader, n, window int64) (*lzmaStream, error) {
	h := bytes.Clone(props)
	if len(h) >= 5 {
		if dict := binary.LittleEndian.Uint32(h[1:]); dict <= maxWindow { // over it, refused as the README says
			binary.LittleEndian.PutUint32(h[1:], uint32(min(int64(lzmaDict(dict, n)), window)))
		}
	}
	r, err := lzma.ReaderConfig{DictCap: maxWindow}.NewReader(&headed{h: h, r: rest})
	if err != nil {
		return nil, err
	}
	return &lzmaStream{r: r}, nil
}

// lzmaStream is an LZMA decoder that hands out what it decoded before its
// input ran out, and only then says the stream was cut short.
//
// The decoder fills its whole dictionary before it hands out a byte, and
// when its input ends inside the stream it returns io.ErrUnexpectedEOF
// with none of what it holds: a .lz, .lzma or zip LZMA member cut short
// (a download or a copy stopped half way) lost the key pair of its first
// lines, which lzip -d and xz -d print before their error, while gzip, xz
// and zstd cut short kept theirs (arch36). That error marks the decoder's
// stream as ended, so reading on gives the dictionary's bytes and nothing
// more; the error is given after them. Other errors (a corrupt stream)
// leave the decoder mid-operation: they are kept, and nothing is read past
// them, as the decoder itself would go on decoding garbage.
type lzmaStream struct {
	r   *lzma.Reader
	cut bool  // the input ended inside the stream: give what is held, then the error
	err error // the first error but a cut, given again at every read
}

func (s *lzmaStream) Read(p []byte) (int, error) {
	if s.err != nil || len(p) == 0 {
		return 0, s.err
	}
	if s.cut {
		if n, _ := s.r.Read(p); n > 0 {
			return n, nil
		}
		s.err = io.ErrUnexpectedEOF
		return 0, s.err
	}
	n, err := s.r.Read(p)
	switch {
	case err == io.ErrUnexpectedEOF:
		s.cut = true
		if n == 0 {
			return s.Read(p)
		}
		return n, nil
	case err != nil && err != io.EOF:
		s.err = err
	}
	return n, err
}

// headed reads h, then r, as an io.ByteReader.
type headed struct {
	h []byte
	r *bytes.Reader
}

func (b *headed) Read(p []byte) (int, error) {
	if len(b.h) > 0 {
		n := copy(p, b.h)
		b.h = b.h[n:]
		return n, nil
	}
	return b.r.Read(p)
}

func (b *headed) ReadByte() (byte, error) {
	if len(b.h) > 0 {
		c := b.h[0]
		b.h = b.h[1:]
		return c, nil
	}
	return b.r.ReadByte()
}

// lzmaFile reads the LZMA "alone" streams of a .lzma file one after
// another. Bytes after a stream's end that start no further stream are an
// error (lzma -d calls them corrupt data), never dropped in silence: a
// key compressed behind them would be (qa14 MEDIUM-9).
type lzmaFile struct {
	src    *bytes.Reader
	cur    *lzmaStream
	window int64 // see lzmaReader
}

// errLzmaCut is a .lzma stream whose data ends before its end marker or
// its stated size: the file was cut short there.
var errLzmaCut = errors.New("lzma stream cut short: its data ends before its end")

func newLzmaFile(data []byte, window int64) (*lzmaFile, error) {
	src := bytes.NewReader(data[min(len(data), 5):])
	lr, err := lzmaReader(data[:min(len(data), 5)], src, int64(len(data)), window)
	return &lzmaFile{src: src, cur: lr, window: window}, err
}

func (l *lzmaFile) Read(p []byte) (int, error) {
	for {
		n, err := l.cur.Read(p)
		if err == io.ErrUnexpectedEOF {
			err = errLzmaCut // after what the stream decoded (lzmaStream)
		}
		if err != io.EOF || n > 0 {
			return n, err
		}
		left := l.src.Len()
		if left == 0 {
			return 0, io.EOF
		}
		tail := make([]byte, min(left, 14))
		_, _ = l.src.ReadAt(tail, l.src.Size()-int64(left))
		if !isLzma(tail) {
			return 0, fmt.Errorf("%d bytes after the end of the lzma stream start no other lzma stream: not read", left)
		}
		props := tail[:5]
		_, _ = l.src.Seek(5, io.SeekCurrent)
		if l.cur, err = lzmaReader(props, l.src, int64(left), l.window); err != nil {
			return 0, err
		}
	}
}

// xzDictProp returns where the LZMA2 filter's dictionary byte stands in
// the block header b (its size byte first, its CRC32 last), or -1.
func xzDictProp(b []byte) int {
	size := len(b)
	flags := b[1]
	i := 2
	skipVarint := func() {
		for i < size && b[i]&0x80 != 0 {
			i++
		}
		i++
	}
	if flags&0x40 != 0 {
		skipVarint()
	}
	if flags&0x80 != 0 {
		skipVarint()
	}
	for range int(flags&3) + 1 {
		if i+2 >= size-4 {
			return -1
		}
		id, propSize := b[i], b[i+1]
		i += 2
		if id == 0x21 && propSize == 1 && i < size-4 {
			return i
		}
		i += int(propSize)
	}
	return -1
}

// xzWindow checks the dictionary size the first block of an xz stream asks
// for (an LZMA2 filter's property byte) before the decoder allocates it.
func xzWindow(data []byte) error {
	const streamHeader = 12
	if len(data) < streamHeader+2 {
		return nil // too short to hold a block: the decoder says what is wrong
	}
	b := data[streamHeader:]
	size := (int(b[0]) + 1) * 4
	if b[0] == 0 || len(b) < size {
		return nil
	}
	at := xzDictProp(b[:size])
	if at < 0 {
		return nil
	}
	p := b[at]
	if p > 40 {
		return fmt.Errorf("xz dictionary size code %d is invalid", p)
	}
	if dict := int64(2|p&1) << (p/2 + 11); p == 40 || dict > maxWindow {
		return fmt.Errorf("xz stream asks for a dictionary over %d bytes", int64(maxWindow))
	}
	return nil
}

// isBrotli reports whether data decodes as a Brotli stream: its first 512
// bytes of output, or all of it when shorter, come out without an error.
// The decoder's window is bounded as in compressed.
func isBrotli(data []byte) bool {
	r := brotli.NewReader(bytes.NewReader(data))
	var buf [512]byte
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err == io.EOF {
			return true // the whole stream, shorter than buf
		}
		if err != nil {
			return false
		}
	}
	return true
}

// zstdReader is a zstd decoder of one goroutine for data, whose window is
// bounded by maxWindow and by what each frame can output (zstdBounded),
// for compressed files and zip members alike.
func zstdReader(data []byte) (*zstd.Decoder, error) {
	return zstd.NewReader(bytes.NewReader(zstdBounded(data)), zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(maxWindow), zstd.WithDecoderMaxMemory(maxWindow))
}
