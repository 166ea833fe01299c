package history

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"github.com/klauspost/compress/flate"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// Pack entry types, as the pack format numbers them.
const (
	packCommit   = 1
	packTree     = 2
	packBlob     = 3
	packTag      = 4
	packOFSDelta = 6
	packREFDelta = 7
)

// packFile is one pack and its index. Its file is read with ReadAt only, so
// all workers share one descriptor.
type packFile struct {
	name    string
	idx     *packIndex
	f       billy.File
	size    int64
	offsets []int64 // entry offsets, ascending
}

func (p *packFile) close() { p.f.Close() }

// end returns where the entry at off ends: the next entry, or the trailer.
func (p *packFile) end(off int64) (int64, bool) {
	i, ok := slices.BinarySearch(p.offsets, off)
	if !ok {
		return 0, false
	}
	if i+1 < len(p.offsets) {
		return p.offsets[i+1], true
	}
	return p.size - 20, true
}

// loadPacks opens every pack of the repository with its index. A pack that
// cannot be used is a warning: its objects are then read through go-git.
func (s *scan) loadPacks() {
	if s.repo.packs != nil {
		return
	}
	s.repo.packs = []*packFile{}
	defer s.loadDirPacks()
	fs := s.repo.fs
	infos, err := fs.ReadDir("objects/pack")
	if err != nil {
		return
	}
	for _, fi := range infos {
		if !strings.HasSuffix(fi.Name(), ".idx") {
			continue
		}
		base := strings.TrimSuffix(fi.Name(), ".idx")
		p, err := openPack(fs, path.Join("objects/pack", base))
		if err != nil {
			s.warn("", "objects/pack/"+base+".pack", fmt.Sprintf("cannot use pack, reading its objects one by one: %v", err))
			continue
		}
		s.repo.packs = append(s.repo.packs, p)
	}
}

func openPack(fs billy.Filesystem, base string) (*packFile, error) {
	xf, err := fs.Open(base + ".idx")
	if err != nil {
		return nil, err
	}
	defer xf.Close()
	idx, err := readPackIndex(xf)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	f, err := fs.Open(base + ".pack")
	if err != nil {
		return nil, err
	}
	st, err := fs.Stat(base + ".pack")
	if err != nil {
		f.Close()
		return nil, err
	}
	offsets := idx.sortedOffsets()
	if len(offsets) > 0 && (offsets[0] < 12 || offsets[len(offsets)-1] >= st.Size()-20) {
		f.Close()
		return nil, errors.New("index does not match pack")
	}
	return &packFile{name: base + ".pack", idx: idx, f: f, size: st.Size(), offsets: offsets}, nil
}

// entryHeader is the header of one pack entry.
type entryHeader struct {
	typ     byte
	size    int64 // inflated size of the entry's data (for a delta, of the delta)
	hdrLen  int64 // bytes before the compressed data
	base    int64 // OFS delta: offset of the base
	baseRef plumbing.Hash
}

var errCorruptEntry = errors.New("corrupt pack entry header")

// readHeader reads the header of the entry at off.
func (p *packFile) readHeader(off int64) (entryHeader, error) {
	var buf [48]byte
	n, err := p.f.ReadAt(buf[:], off)
	if n == 0 && err != nil {
		return entryHeader{}, err
	}
	b := buf[:n]
	var h entryHeader
	if len(b) == 0 {
		return h, errCorruptEntry
	}
	c := b[0]
	h.typ = (c >> 4) & 7
	h.size = int64(c & 15)
	i, shift := 1, uint(4)
	for c&0x80 != 0 {
		if i >= len(b) || shift > 56 {
			return h, errCorruptEntry
		}
		c = b[i]
		i++
		h.size += int64(c&0x7f) << shift
		shift += 7
	}
	switch h.typ {
	case packCommit, packTree, packBlob, packTag:
	case packOFSDelta:
		if i >= len(b) {
			return h, errCorruptEntry
		}
		c = b[i]
		i++
		rel := int64(c & 0x7f)
		for c&0x80 != 0 {
			if i >= len(b) || rel > 1<<48 {
				return h, errCorruptEntry
			}
			c = b[i]
			i++
			rel = (rel+1)<<7 | int64(c&0x7f)
		}
		if rel <= 0 || rel > off {
			return h, errCorruptEntry
		}
		h.base = off - rel
	case packREFDelta:
		if i+20 > len(b) {
			return h, errCorruptEntry
		}
		copy(h.baseRef[:], b[i:i+20])
		i += 20
	default:
		return h, errCorruptEntry
	}
	h.hdrLen = int64(i)
	return h, nil
}

// inflater reads entries' data; one per worker.
type inflater struct {
	zr  io.ReadCloser
	src bytes.Reader
	buf []byte
}

// inflate returns the inflated data of the entry at off with header h,
// written into dst when it is large enough (else into a new buffer).
func (z *inflater) inflate(p *packFile, off int64, h entryHeader, dst []byte) ([]byte, error) {
	if h.size < 0 || h.size > 1<<40 {
		return nil, errCorruptEntry
	}
	end, ok := p.end(off)
	if !ok || end <= off+h.hdrLen {
		return nil, errCorruptEntry
	}
	n := end - off - h.hdrLen
	if h.size > maxInflated(n) {
		return nil, errCorruptEntry
	}
	if int64(cap(z.buf)) < n {
		z.buf = make([]byte, n)
	}
	cb := z.buf[:n]
	if _, err := p.f.ReadAt(cb, off+h.hdrLen); err != nil && !(errors.Is(err, io.EOF)) {
		return nil, err
	}
	// A zlib stream is a 2-byte header, deflate data and an Adler-32 of
	// the content. The header is checked as compress/zlib checks it; the
	// checksum is not (reading exactly the announced size, compress/zlib
	// never reached it either), which spares hashing every byte.
	if len(cb) < 2 {
		return nil, io.ErrUnexpectedEOF
	}
	if cmf, flg := cb[0], cb[1]; cmf&0x0f != 8 || cmf>>4 > 7 || (uint16(cmf)<<8|uint16(flg))%31 != 0 {
		return nil, zlib.ErrHeader
	} else if flg&0x20 != 0 {
		return nil, zlib.ErrDictionary
	}
	z.src.Reset(cb[2:])
	if z.zr == nil {
		z.zr = flate.NewReader(&z.src)
	} else if err := z.zr.(flate.Resetter).Reset(&z.src, nil); err != nil {
		return nil, err
	}
	var out []byte
	if int64(cap(dst)) >= h.size {
		out = dst[:h.size]
	} else {
		out = make([]byte, h.size)
	}
	if _, err := io.ReadFull(z.zr, out); err != nil {
		return nil, fmt.Errorf("inflating: %w", err)
	}
	return out, nil
}

// maxInflated is the most that n bytes of zlib data can inflate to
// (deflate's best ratio is 1032:1), so that a corrupt size in an entry
// header cannot make us allocate more.
func maxInflated(n int64) int64 { return n*1040 + 1024 }

// sizePlausible reports whether the entry at off can hold h.size bytes.
func (p *packFile) sizePlausible(off int64, h entryHeader) bool {
	end, ok := p.end(off)
	return ok && h.size >= 0 && h.size <= maxInflated(end-off-h.hdrLen)
}

// deltaTargetSize returns the size of the object a delta produces.
func deltaTargetSize(delta []byte) (int64, bool) {
	_, rest, ok := leb128(delta)
	if !ok {
		return 0, false
	}
	n, _, ok := leb128(rest)
	return int64(n), ok
}

func leb128(b []byte) (uint64, []byte, bool) {
	var n uint64
	for i, shift := 0, uint(0); i < len(b) && shift < 64; i, shift = i+1, shift+7 {
		n |= uint64(b[i]&0x7f) << shift
		if b[i]&0x80 == 0 {
			return n, b[i+1:], true
		}
	}
	return 0, nil, false
}

// objectType returns the type of the object stored at off, following delta
// chains to their base; memo caches it by offset.
func (p *packFile) objectType(off int64, memo map[int64]byte) (byte, error) {
	var chain []int64
	t := byte(0)
	for depth := 0; ; depth++ {
		if v, ok := memo[off]; ok {
			t = v
			break
		}
		if depth > 10000 {
			return 0, errCorruptEntry
		}
		h, err := p.readHeader(off)
		if err != nil {
			return 0, err
		}
		chain = append(chain, off)
		if h.typ == packOFSDelta {
			off = h.base
			continue
		}
		if h.typ == packREFDelta {
			bo, err := p.idx.FindOffset(h.baseRef)
			if err != nil {
				return 0, fmt.Errorf("delta base %s outside the pack", h.baseRef)
			}
			off = bo
			continue
		}
		t = h.typ
		break
	}
	for _, o := range chain {
		memo[o] = t
	}
	return t, nil
}
