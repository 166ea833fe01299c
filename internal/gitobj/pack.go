package gitobj

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"

	"github.com/klauspost/compress/flate"
	kzlib "github.com/klauspost/compress/zlib"
)

// Pack is one pack file and its index. Its file is read with ReadAt only,
// so any number of goroutines share one descriptor.
type Pack struct {
	// Path is the .pack file's path, for messages.
	Path string
	// Index is the pack's index.
	Index *PackIndex

	r       io.ReaderAt // the .pack file
	closers []io.Closer
	size    int64
	order   []int32 // after Load: object numbers in pack order
	offsets []int64 // after Load: entry offsets, ascending
}

// OpenPack opens the pack base+".pack" and its index base+".idx", reading
// no more of the index than its fan-out table.
func OpenPack(base string) (*Pack, error) {
	xf, xsize, err := openRegular(base + ".idx")
	if err != nil {
		return nil, err
	}
	idx, err := OpenPackIndex(xf, xsize)
	if err != nil {
		xf.Close()
		return nil, fmt.Errorf("%s.idx: %w", base, err)
	}
	f, size, err := openRegular(base + ".pack")
	if err != nil {
		xf.Close()
		return nil, err
	}
	p, err := NewPack(base+".pack", idx, f, size)
	if err != nil {
		xf.Close()
		f.Close()
		return nil, err
	}
	p.closers = []io.Closer{f, xf}
	return p, nil
}

// NewPack reads the pack of size bytes in r (named name in messages) with
// its index idx.
func NewPack(name string, idx *PackIndex, r io.ReaderAt, size int64) (*Pack, error) {
	if size < 12+20 {
		return nil, fmt.Errorf("%s: truncated pack", name)
	}
	return &Pack{Path: name, Index: idx, r: r, size: size}, nil
}

// Load reads the whole index into memory and orders the entries by
// offset, for reading many objects: lookups then cost no system call, the
// pack can be walked in its own order (Order), and every entry's end is
// known, so its compressed data is read in one piece and a size its header
// claims is checked against the room it really has.
func (p *Pack) Load() error {
	if p.offsets != nil {
		return nil
	}
	idx := p.Index
	if idx.data == nil {
		data := make([]byte, idx.size)
		if _, err := idx.r.ReadAt(data, 0); err != nil {
			return fmt.Errorf("%s: index: %w", p.Path, err)
		}
		var err error
		if idx, err = ReadPackIndex(data); err != nil {
			return fmt.Errorf("%s: %w", p.Path, err)
		}
	}
	order, offsets, err := idx.PackOrder()
	if err != nil {
		return fmt.Errorf("%s: %w", p.Path, err)
	}
	if len(offsets) > 0 && (offsets[0] < 12 || offsets[len(offsets)-1] >= p.size-20) {
		return fmt.Errorf("%s: index does not match pack", p.Path)
	}
	p.Index, p.order, p.offsets = idx, order, offsets
	return nil
}

// Order returns, after Load, each entry's offset and name in pack order.
func (p *Pack) Order() []int64 { return p.offsets }

// IDAt returns the name of the i-th entry in pack order, after Load.
func (p *Pack) IDAt(i int) (ID, error) { return p.Index.ID(int(p.order[i])) }

// Close releases the pack's files.
func (p *Pack) Close() error {
	var err error
	for _, c := range p.closers {
		if e := c.Close(); err == nil {
			err = e
		}
	}
	return err
}

// end returns where the entry at off ends, when Load has run: the next
// entry, or the trailer.
func (p *Pack) end(off int64) (int64, bool) {
	_, end, ok := p.span(off)
	return end, ok
}

// span returns, when Load has run, the entry at off's place in pack order
// and where it ends, with one search of the offsets: a reader that checks
// the entry's CRC-32 (checkCRC) needs both.
func (p *Pack) span(off int64) (i int, end int64, ok bool) {
	i, ok = slices.BinarySearch(p.offsets, off)
	if !ok {
		return 0, 0, false
	}
	if i+1 < len(p.offsets) {
		return i, p.offsets[i+1], true
	}
	return i, p.size - 20, true
}

// entryCRC returns the CRC-32 that a version 2 index gives the entry at
// place i in pack order (its header and compressed bytes, as git's
// index-pack wrote it), when Load has run; ok is false for a version 1
// index, which has none.
func (p *Pack) entryCRC(i int) (crc uint32, ok bool) {
	x := p.Index
	if p.offsets == nil || x.v1 || x.data == nil || i < 0 || i >= len(p.order) {
		return 0, false
	}
	at := idxV2Header + 20*int64(x.n) + 4*int64(p.order[i])
	return binary.BigEndian.Uint32(x.data[at:]), true
}

// checkCRC compares the bytes of the entry at off, at place i in pack
// order (header and compressed data, up to the next entry), with the
// CRC-32 its index gives: git's index-pack wrote it from the bytes it
// received, so damage anywhere in them (a bit
// flipped inside the deflate data, which still inflates to the announced
// size, to other content) is found before anything is scanned. It tells
// whether there was a CRC to check; without one the caller checks the
// zlib stream's Adler-32 instead.
func (p *Pack) checkCRC(i int, off int64, entry []byte) (bool, error) {
	want, ok := p.entryCRC(i)
	if !ok {
		return false, nil
	}
	if got := crc32.ChecksumIEEE(entry); got != want {
		return true, fmt.Errorf("%w: entry at offset %d: its bytes do not match the CRC-32 of the pack's index (%08x, not %08x)", ErrCorrupt, off, got, want)
	}
	return true, nil
}

// Entry is the header of one pack entry.
type Entry struct {
	Type Type
	// Size is the inflated size of the entry's data: for a delta, of the
	// delta, not of the object it makes.
	Size int64
	// HeaderLen is how many bytes come before the compressed data.
	HeaderLen int64
	// BaseOffset is where an OFSDelta's base starts in the same pack.
	BaseOffset int64
	// BaseID names a REFDelta's base, which may be in any pack or loose.
	BaseID ID
}

// ErrCorrupt is a pack entry whose header or data cannot be right.
var ErrCorrupt = errors.New("corrupt pack entry")

// Entry reads the header of the entry at off. After Load, off must be where
// an entry starts.
func (p *Pack) Entry(off int64) (Entry, error) { return p.entryVia(nil, off) }

// entryVia is Entry, reading the header through the block cache c (nil:
// none).
func (p *Pack) entryVia(c *blockCache, off int64) (Entry, error) {
	var e Entry
	if off < 12 || off >= p.size-20 {
		return e, fmt.Errorf("%w: offset %d outside the pack", ErrCorrupt, off)
	}
	if p.offsets != nil {
		if _, ok := slices.BinarySearch(p.offsets, off); !ok {
			return e, fmt.Errorf("%w: no entry starts at offset %d", ErrCorrupt, off)
		}
	}
	var buf [48]byte
	n, err := c.readAt(p, buf[:min(int64(len(buf)), p.size-20-off)], off)
	if n == 0 && err != nil {
		return e, err
	}
	return parseEntry(buf[:n], off)
}

// parseEntry decodes the entry header at the start of b, an entry at off.
func parseEntry(b []byte, off int64) (Entry, error) {
	var e Entry
	if len(b) == 0 {
		return e, ErrCorrupt
	}
	c := b[0]
	e.Type = Type((c >> 4) & 7)
	e.Size = int64(c & 15)
	i, shift := 1, uint(4)
	for c&0x80 != 0 {
		if i >= len(b) || shift > 56 {
			return e, ErrCorrupt
		}
		c = b[i]
		i++
		e.Size += int64(c&0x7f) << shift
		shift += 7
	}
	switch e.Type {
	case Commit, Tree, Blob, Tag:
	case OFSDelta:
		if i >= len(b) {
			return e, ErrCorrupt
		}
		c = b[i]
		i++
		rel := int64(c & 0x7f)
		for c&0x80 != 0 {
			if i >= len(b) || rel > 1<<48 {
				return e, ErrCorrupt
			}
			c = b[i]
			i++
			rel = (rel+1)<<7 | int64(c&0x7f)
		}
		if rel <= 0 || rel > off-12 {
			return e, fmt.Errorf("%w: delta base outside the pack", ErrCorrupt)
		}
		e.BaseOffset = off - rel
	case REFDelta:
		if i+20 > len(b) {
			return e, ErrCorrupt
		}
		copy(e.BaseID[:], b[i:i+20])
		i += 20
	default:
		return e, fmt.Errorf("%w: unknown type %d", ErrCorrupt, e.Type)
	}
	e.HeaderLen = int64(i)
	return e, nil
}

// Inflater inflates entries' data, reusing its decompressors and its
// buffer of compressed bytes. Give each goroutine its own.
//
// Every entry read whole is checked, as git checks what it reads: one
// whose bytes the index's CRC-32 covers (a loaded pack with a version 2
// index: every entry a history scan reads) against that CRC, which costs
// a hardware CRC of the compressed bytes; any other against the Adler-32
// that ends its zlib stream, which costs a pass over the inflated bytes
// (a version 1 index, or a pack read by lookups, as a commit hook does).
// A damaged copy is then ErrCorrupt, which the store answers with another
// copy of the object when it has one (Reader.read), never with the damaged
// bytes scanned in silence. The first bytes of an entry read alone
// (InflateHead, a prefix) are not checked: the rest they would need is not
// read.
type Inflater struct {
	zr  io.ReadCloser // raw deflate, after the stream's zlib header
	zz  io.ReadCloser // the whole zlib stream, its Adler-32 checked
	r   io.Reader     // zr or zz: the entry being read
	src bytes.Reader
	buf []byte
	// one is ended's byte: a local one, handed to the decompressor's
	// Read, would be a heap allocation for every entry inflated.
	one [1]byte
	// blocks serves the reads of a loaded pack's small entries (see
	// blockCache).
	blocks blockCache
}

// maxInflated is the most that n bytes of zlib data can inflate to
// (deflate's best ratio is 1032:1), so that a corrupt size in an entry
// header cannot make a reader allocate more.
func maxInflated(n int64) int64 { return n*1040 + 1024 }

// deflateBound is the most that n bytes can take once compressed by zlib
// (its deflateBound, with room to spare).
func deflateBound(n int64) int64 { return n + n>>10 + 64 }

// Inflate returns the inflated data of the entry at off with header e,
// written into dst when it is large enough (else into a new buffer). It
// refuses an entry that claims more than limit bytes (0: no limit of the
// caller's) or more than its compressed bytes can hold.
func (z *Inflater) Inflate(p *Pack, off int64, e Entry, dst []byte, limit int64) ([]byte, error) {
	if err := z.open(p, off, e, limit, 0); err != nil {
		return nil, err
	}
	var out []byte
	if int64(cap(dst)) >= e.Size {
		out = dst[:e.Size]
	} else {
		out = make([]byte, e.Size)
	}
	if _, err := io.ReadFull(z.r, out); err != nil {
		return nil, fmt.Errorf("inflating entry at offset %d: %w", off, err)
	}
	if err := z.ended(off); err != nil {
		return nil, err
	}
	return out, nil
}

// ended checks that the stream whose announced size was just read ends
// there (and, read as zlib, that its Adler-32 matches): compressed bytes
// damaged in the middle that still inflate (to other content) almost
// never end exactly at the announced size, and when they do the entry's
// CRC-32 or Adler-32 tells. git reports such an object as a data error;
// so does keyscan, rather than scan garbage.
func (z *Inflater) ended(off int64) error {
	n, err := z.r.Read(z.one[:])
	for n == 0 && err == nil {
		n, err = z.r.Read(z.one[:])
	}
	if n > 0 || err != io.EOF {
		if err == nil || err == io.EOF {
			err = errors.New("inflates to more than its announced size")
		}
		return fmt.Errorf("%w: entry at offset %d: %w", ErrCorrupt, off, err)
	}
	return nil
}

// InflateHead returns the first n bytes of the entry at off (all of it when
// it is shorter), inflating no more than that: a caller that decides by an
// entry's first bytes whether to read it whole. Only the compressed bytes
// the inflater asks for are read from the pack.
func (z *Inflater) InflateHead(p *Pack, off int64, e Entry, n int) ([]byte, error) {
	if err := z.open(p, off, e, 0, 64<<10); err != nil {
		return nil, err
	}
	out := make([]byte, min(int64(n), e.Size))
	if _, err := io.ReadFull(z.r, out); err != nil {
		return nil, fmt.Errorf("inflating entry at offset %d: %w", off, err)
	}
	return out, nil
}

// ReadEntry returns the header and the inflated data of the entry at off,
// as Entry and Inflate (into a new buffer) would, with one read of the
// pack for both where the entry's end is known (after Load): a walk that
// reads many small entries, trees and deltas, pays one system call for
// each instead of two.
func (z *Inflater) ReadEntry(p *Pack, off int64, limit int64) (Entry, []byte, error) {
	return z.readEntry(p, off, limit, 0)
}

// prefixWindow is how much of an entry ReadEntryPrefix reads ahead in one
// piece, as InflateHead does: all of a commit's or tag's entry but a
// huge one's.
const prefixWindow = 64 << 10

// ReadEntryPrefix is ReadEntry for a caller that wants no more than the
// first prefix bytes (prefix > 0) of an object stored whole: the data of
// such an entry larger than prefix is its first prefix bytes, inflating
// and reading no more of the pack than they take (a commit whose message
// is a gigabyte costs the prefix: qa13 HIGH-7); any other entry, a delta
// among them, is read whole. The pack is read in one piece up to
// prefixWindow bytes of the entry, so that a commit costs one system
// call, not a read of its header and another of its data.
func (z *Inflater) ReadEntryPrefix(p *Pack, off, limit, prefix int64) (Entry, []byte, error) {
	return z.readEntry(p, off, limit, prefix)
}

// readEntry is ReadEntry, and with prefix > 0 ReadEntryPrefix.
func (z *Inflater) readEntry(p *Pack, off, limit, prefix int64) (Entry, []byte, error) {
	pos, end, known := p.span(off)
	if !known || off < 12 || end > p.size-20 || end <= off {
		e, err := p.Entry(off)
		if err != nil {
			return e, nil, err
		}
		if prefix > 0 && e.Size > prefix && e.Type != OFSDelta && e.Type != REFDelta {
			data, err := z.InflateHead(p, off, e, int(prefix))
			return e, data, err
		}
		data, err := z.Inflate(p, off, e, nil, limit)
		return e, data, err
	}
	n := end - off
	if prefix > 0 {
		n = min(n, prefixWindow)
	}
	if int64(cap(z.buf)) < n {
		z.buf = make([]byte, n)
	}
	b := z.buf[:n]
	if _, err := z.blocks.readAt(p, b, off); err != nil && !errors.Is(err, io.EOF) {
		return Entry{}, nil, err
	}
	e, err := parseEntry(b[:min(n, 48)], off)
	if err != nil {
		return e, nil, err
	}
	head := prefix > 0 && e.Size > prefix && e.Type != OFSDelta && e.Type != REFDelta
	if head {
		limit = 0 // as InflateHead: the size is checked against the room only
	}
	if err := checkSize(off, e, off+e.HeaderLen, end, limit); err != nil {
		return e, nil, err
	}
	adler := false
	if !head {
		// Read whole: the entry's bytes are checked before they are
		// inflated (a prefix window shorter than the entry is read on).
		if n < end-off {
			b = slices.Grow(b, int(end-off-n))[:end-off]
			if _, err := z.blocks.readAt(p, b[n:], off+n); err != nil && !errors.Is(err, io.EOF) {
				return e, nil, err
			}
			z.buf = b
		}
		checked, err := p.checkCRC(pos, off, b)
		if err != nil {
			return e, nil, err
		}
		adler = !checked
	}
	if err := z.start(p, off+e.HeaderLen, end, b[e.HeaderLen:], adler); err != nil {
		return e, nil, err
	}
	size := e.Size
	if head {
		size = prefix
	}
	out := make([]byte, size)
	if _, err := io.ReadFull(z.r, out); err != nil {
		return e, nil, fmt.Errorf("inflating entry at offset %d: %w", off, err)
	}
	if head {
		return e, out, nil
	}
	if err := z.ended(off); err != nil {
		return e, nil, err
	}
	return e, out, nil
}

// open sets z.r to read the inflated data of the entry at off, reading at
// most first compressed bytes ahead (0: all of them) and the rest on demand.
func (z *Inflater) open(p *Pack, off int64, e Entry, limit, first int64) error {
	start := off + e.HeaderLen
	pos, end, known := p.span(off)
	if !known {
		end = p.size - 20
	}
	if err := checkSize(off, e, start, end, limit); err != nil {
		return err
	}
	if known && first == 0 {
		// The whole entry, header included, to check it against its
		// CRC-32 before inflating it.
		n := end - off
		if int64(cap(z.buf)) < n {
			z.buf = make([]byte, n)
		}
		b := z.buf[:n]
		if _, err := z.blocks.readAt(p, b, off); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		checked, err := p.checkCRC(pos, off, b)
		if err != nil {
			return err
		}
		return z.start(p, start, end, b[e.HeaderLen:], !checked)
	}
	n := end - start
	if !known {
		// Read what zlib can have written for this size; the rest of
		// the pack follows if the stream is longer (no git writes one).
		n = min(n, deflateBound(e.Size))
	}
	if first > 0 {
		n = min(n, first)
	}
	if int64(cap(z.buf)) < n {
		z.buf = make([]byte, n)
	}
	cb := z.buf[:n]
	if _, err := p.r.ReadAt(cb, start); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	// Read whole (first 0) with no CRC to check: the Adler-32 is.
	return z.start(p, start, end, cb, first == 0)
}

// checkSize refuses an entry whose size cannot be right: more than its
// compressed bytes (from start to end) can hold, or over limit.
func checkSize(off int64, e Entry, start, end, limit int64) error {
	if end <= start || e.Size < 0 || e.Size > maxInflated(end-start) || (limit > 0 && e.Size > limit) {
		return fmt.Errorf("%w: at offset %d, %d bytes do not fit", ErrCorrupt, off, e.Size)
	}
	return nil
}

// start sets z.r to inflate an entry's compressed bytes, which run from
// start to end in pack p and begin with cb: the rest, past cb, is read on
// demand. With adler the stream is read as zlib, whose reader checks the
// Adler-32 after the deflate data once it reaches the end (ended); else as
// raw deflate past the header, for an entry whose CRC-32 was checked or
// whose first bytes only are read.
func (z *Inflater) start(p *Pack, start, end int64, cb []byte, adler bool) error {
	// A zlib stream is a 2-byte header, deflate data and an Adler-32 of
	// the content. The header is checked as compress/zlib checks it.
	if len(cb) < 2 {
		return io.ErrUnexpectedEOF
	}
	if cmf, flg := cb[0], cb[1]; cmf&0x0f != 8 || cmf>>4 > 7 || (uint16(cmf)<<8|uint16(flg))%31 != 0 {
		return zlib.ErrHeader
	} else if flg&0x20 != 0 {
		return zlib.ErrDictionary
	}
	skip := 2
	if adler {
		skip = 0
	}
	z.src.Reset(cb[skip:])
	var src io.Reader = &z.src
	if n := int64(len(cb)); end-start > n {
		src = io.MultiReader(&z.src, io.NewSectionReader(p.r, start+n, end-start-n))
	}
	if adler {
		if z.zz == nil {
			zz, err := kzlib.NewReader(src)
			if err != nil {
				return err
			}
			z.zz = zz
		} else if err := z.zz.(kzlib.Resetter).Reset(src, nil); err != nil {
			return err
		}
		z.r = z.zz
		return nil
	}
	if z.zr == nil {
		z.zr = flate.NewReader(src)
	} else if err := z.zr.(flate.Resetter).Reset(src, nil); err != nil {
		return err
	}
	z.r = z.zr
	return nil
}

// ResolvedType returns the type of the object stored at off, following
// delta chains within the pack to their base without inflating anything;
// memo caches it by offset. A base in another pack is an error.
func (p *Pack) ResolvedType(off int64, memo map[int64]Type) (Type, error) {
	var chain []int64
	t := Type(0)
	for depth := 0; ; depth++ {
		if v, ok := memo[off]; ok {
			t = v
			break
		}
		if depth > maxDepth {
			return 0, errTooDeep
		}
		e, err := p.Entry(off)
		if err != nil {
			return 0, err
		}
		chain = append(chain, off)
		if e.Type == OFSDelta {
			off = e.BaseOffset
			continue
		}
		if e.Type == REFDelta {
			bo, ok, err := p.Index.Find(e.BaseID)
			if err != nil {
				return 0, err
			}
			if !ok {
				return 0, fmt.Errorf("delta base %s outside the pack", e.BaseID)
			}
			off = bo
			continue
		}
		t = e.Type
		break
	}
	for _, o := range chain {
		memo[o] = t
	}
	return t, nil
}

// maxDepth bounds a delta chain; git's own default is 50 and its maximum
// 4095, so a longer chain is a loop or an attack.
const maxDepth = 10000

var errTooDeep = errors.New("delta chain too deep (a loop?)")
