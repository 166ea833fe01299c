package gitobj

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
)

// PackIndex is a pack's .idx file, version 1 or 2. It is never decoded as a
// whole: a lookup reads the fan-out table (loaded when the index is opened)
// and then the names it bisects, and one offset. Over a file (OpenPackIndex)
// that is about seventeen small reads, which is what a pre-commit hook
// wants from a repository whose index is tens of megabytes; over the bytes
// in memory (ReadPackIndex) the same code reads slices, which is what a
// history scan wants for a million lookups. go-git's idxfile decodes every
// entry into maps before the first lookup.
type PackIndex struct {
	data   []byte      // the whole file, when held in memory
	r      io.ReaderAt // else where it is read from
	size   int64
	v1     bool
	n      int
	fanout [256]uint32
	// sub narrows a lookup further than fanout, for an index held in
	// memory (ReadPackIndex): sub[p] is the first name whose top subBits
	// bits are p or more. A million names leave about 3,900 a fan-out
	// bucket, twelve steps of a bisection each a likely cache miss; with
	// eight names a bucket of sub, three. nil for a small index.
	sub     []uint32
	subBits uint
}

// ErrNotFound is returned for an object in none of the places looked at.
var ErrNotFound = errors.New("object not found")

const (
	idxV2Header = 8 + 256*4
	idxTrailer  = 40 // the pack's checksum and the index's
)

var idxMagic = []byte{0xff, 't', 'O', 'c'}

// OpenPackIndex reads the header and fan-out table of the index of size
// bytes in r; the rest is read as lookups need it.
func OpenPackIndex(r io.ReaderAt, size int64) (*PackIndex, error) {
	var hdr [idxV2Header]byte
	n, err := r.ReadAt(hdr[:min(int64(len(hdr)), size)], 0)
	if err != nil && !(errors.Is(err, io.EOF) && int64(n) == min(int64(len(hdr)), size)) {
		return nil, err
	}
	return newPackIndex(hdr[:n], nil, r, size)
}

// ReadPackIndex uses the index held in data, and checks that its names are
// sorted, which lookups by bisection rely on.
func ReadPackIndex(data []byte) (*PackIndex, error) {
	x, err := newPackIndex(data[:min(len(data), idxV2Header)], data, nil, int64(len(data)))
	if err != nil {
		return nil, err
	}
	for i := 1; i < x.n; i++ {
		if bytes.Compare(x.name(i-1), x.name(i)) >= 0 {
			return nil, errors.New("pack index: names not sorted")
		}
	}
	x.buildSub()
	if !x.v1 {
		// Every 64-bit offset the index refers to must be in it.
		large := int64(-1)
		for i := range x.n {
			o := binary.BigEndian.Uint32(data[idxV2Header+24*int64(x.n)+4*int64(i):])
			if o&0x80000000 != 0 {
				large = max(large, int64(o&0x7fffffff))
			}
		}
		if x.offsetsEnd()+8*(large+1)+idxTrailer > x.size {
			return nil, errors.New("pack index: 64-bit offset out of range")
		}
	}
	return x, nil
}

func newPackIndex(hdr, data []byte, r io.ReaderAt, size int64) (*PackIndex, error) {
	x := &PackIndex{data: data, r: r, size: size}
	be := binary.BigEndian
	fan := hdr
	if len(hdr) >= 8 && bytes.Equal(hdr[:4], idxMagic) {
		if v := be.Uint32(hdr[4:8]); v != 2 {
			return nil, fmt.Errorf("pack index: unsupported version %d", v)
		}
		fan = hdr[8:]
	} else {
		x.v1 = true
	}
	if len(fan) < 256*4 {
		return nil, errors.New("pack index: truncated fan-out table")
	}
	for i := range 256 {
		x.fanout[i] = be.Uint32(fan[i*4:])
		if i > 0 && x.fanout[i] < x.fanout[i-1] {
			return nil, errors.New("pack index: fan-out table not sorted")
		}
	}
	x.n = int(x.fanout[255])
	if int64(x.n) > size/20 || size < x.offsetsEnd()+idxTrailer {
		return nil, errors.New("pack index: shorter than its object count says")
	}
	return x, nil
}

// subMin is the fewest names for which an index in memory gets sub: below
// it the fan-out's buckets are already a few steps of a bisection.
const subMin = 4096

// buildSub makes x.sub for an index in memory of at least subMin names,
// whose names are sorted: about one entry for every eight names, at most
// 2^16 (4 bytes an entry, against the index's 28 bytes a name).
func (x *PackIndex) buildSub() {
	if x.n < subMin || x.data == nil {
		return
	}
	x.subBits = uint(min(16, bits.Len(uint(x.n/8))))
	x.sub = make([]uint32, 1<<x.subBits+1)
	b := 0
	for i := range x.n {
		name := x.name(i)
		p := int(uint(name[0])<<8|uint(name[1])) >> (16 - x.subBits)
		for b <= p {
			x.sub[b] = uint32(i)
			b++
		}
	}
	for b < len(x.sub) {
		x.sub[b] = uint32(x.n)
		b++
	}
}

// Len is the number of objects in the pack.
func (x *PackIndex) Len() int { return x.n }

// namesAt is where the sorted names start; stride is the distance between
// two names.
func (x *PackIndex) namesAt() (int64, int64) {
	if x.v1 {
		return 256*4 + 4, 24
	}
	return idxV2Header, 20
}

// offsetsEnd is where the fixed-size tables end (v2: before the 64-bit
// offsets).
func (x *PackIndex) offsetsEnd() int64 {
	if x.v1 {
		return 256*4 + 24*int64(x.n)
	}
	return idxV2Header + 28*int64(x.n)
}

// read returns n bytes at off: a slice of the data, or read from the
// file into a new buffer. No buffer of the caller's is taken: one that
// went to the file's ReadAt would be on the heap for the lookups in
// memory too (two allocations for every Find of a history's walk).
func (x *PackIndex) read(off int64, n int) ([]byte, error) {
	if off < 0 || off+int64(n) > x.size {
		return nil, errors.New("pack index: read past its end")
	}
	if x.data != nil {
		return x.data[off : off+int64(n)], nil
	}
	return x.readFile(off, n)
}

// readFile reads n bytes at off from the index's file.
func (x *PackIndex) readFile(off int64, n int) ([]byte, error) {
	buf := make([]byte, n)
	if _, err := x.r.ReadAt(buf, off); err != nil {
		return nil, fmt.Errorf("pack index: %w", err)
	}
	return buf, nil
}

// name returns name i of an index held in memory.
func (x *PackIndex) name(i int) []byte {
	at, stride := x.namesAt()
	o := at + int64(i)*stride
	return x.data[o : o+20]
}

// Find returns where object id starts in the pack; ok is false when the pack
// does not hold it.
func (x *PackIndex) Find(id ID) (off int64, ok bool, err error) {
	lo := 0
	if id[0] > 0 {
		lo = int(x.fanout[id[0]-1])
	}
	hi := int(x.fanout[id[0]])
	if x.sub != nil {
		// Within the fan-out's bucket too: the two agree on a sound
		// index, and a lookup answers as the file's would on any other
		// (FuzzPackIndexFind).
		p := int(uint(id[0])<<8|uint(id[1])) >> (16 - x.subBits)
		lo, hi = max(lo, int(x.sub[p])), min(hi, int(x.sub[p+1]))
	}
	at, stride := x.namesAt()
	// Names are compared by their first eight bytes as one number, and
	// only on a tie by the rest: bisecting a million names, bytes.Compare
	// (not inlined) was 3% of a history scan's CPU.
	key := binary.BigEndian.Uint64(id[:8])
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		name, err := x.read(at+int64(m)*stride, 20)
		if err != nil {
			return 0, false, err
		}
		c := cmp.Compare(binary.BigEndian.Uint64(name[:8]), key)
		if c == 0 {
			c = bytes.Compare(name[8:], id[8:])
		}
		switch {
		case c == 0:
			off, err := x.Offset(m)
			return off, err == nil, err
		case c < 0:
			lo = m + 1
		default:
			hi = m
		}
	}
	return 0, false, nil
}

// ID returns the name of object i, in name order.
func (x *PackIndex) ID(i int) (ID, error) {
	var id ID
	if i < 0 || i >= x.n {
		return id, errors.New("pack index: object number out of range")
	}
	at, stride := x.namesAt()
	b, err := x.read(at+int64(i)*stride, len(id))
	if err != nil {
		return id, err
	}
	copy(id[:], b)
	return id, nil
}

// Offset returns where object i, in name order, starts in the pack.
func (x *PackIndex) Offset(i int) (int64, error) {
	if i < 0 || i >= x.n {
		return 0, errors.New("pack index: object number out of range")
	}
	be := binary.BigEndian
	if x.v1 {
		b, err := x.read(256*4+int64(i)*24, 4)
		if err != nil {
			return 0, err
		}
		return int64(be.Uint32(b)), nil
	}
	b, err := x.read(idxV2Header+24*int64(x.n)+4*int64(i), 4)
	if err != nil {
		return 0, err
	}
	o := be.Uint32(b)
	if o&0x80000000 == 0 {
		return int64(o), nil
	}
	b, err = x.read(x.offsetsEnd()+8*int64(o&0x7fffffff), 8)
	if err != nil || x.offsetsEnd()+8*int64(o&0x7fffffff)+8 > x.size-idxTrailer {
		return 0, errors.New("pack index: 64-bit offset out of range")
	}
	v := be.Uint64(b)
	if v > 1<<62 {
		return 0, errors.New("pack index: offset out of range")
	}
	return int64(v), nil
}

// PackOrder returns the objects' numbers (in name order) sorted by where
// they start in the pack, and their offsets in that order: the order in
// which a whole pack is read fastest.
func (x *PackIndex) PackOrder() (order []int32, offsets []int64, err error) {
	byName := make([]int64, x.n)
	for i := range byName {
		if byName[i], err = x.Offset(i); err != nil {
			return nil, nil, err
		}
	}
	order = make([]int32, x.n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmpInt64(byName[a], byName[b]) })
	offsets = make([]int64, x.n)
	for i, j := range order {
		offsets[i] = byName[j]
		if i > 0 && offsets[i] == offsets[i-1] {
			return nil, nil, errors.New("pack index: two objects at one offset")
		}
	}
	return order, offsets, nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
