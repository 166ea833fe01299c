package gitobj

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/zlib"
)

// A pack met as a file (objects.pack copied out of a repository, the pack
// inside a git bundle) comes without its index, so ReadPackStream reads it
// as git's index-pack reads a pack that arrives: entry after entry from
// the header on, each inflated to find where the next one starts, each
// object hashed as it is built, so that a REF delta finds its base by the
// ID of an object already read and an OFS delta by its offset. The entry
// header and delta code are the ones Pack uses (parseEntry, ApplyDelta);
// only the order of reading differs.
//
// Nothing in the pack is trusted: every size is checked against what is
// left of the input and against StreamLimits before anything is
// allocated, a delta chain is cut at maxDepth links, and a corrupt entry
// is reported (bad) and never a panic. An entry whose compressed stream
// cannot be read leaves the rest of the pack unread (where the next entry
// starts is only known from the end of this one's stream): that is the
// error ReadPackStream returns.

// StreamLimits bound what ReadPackStream does with one pack.
type StreamLimits struct {
	// MaxObjectSize is the largest object (or delta) built; a larger one
	// is reported to bad and not read (0: no limit).
	MaxObjectSize int64
	// MaxBaseSize is the largest object built only to serve as a delta
	// base: one over MaxObjectSize is still reported to bad and never
	// handed to yield, but the smaller objects built on it are read (git
	// packs a file that shrank as a delta of its larger version). A base
	// over it leaves those objects reported, for their base. Below
	// MaxObjectSize (0 included) it is MaxObjectSize.
	MaxBaseSize int64
	// MaxBytes caps the bytes inflated and built in all, delta bases
	// built again included; past it the read stops with ErrStreamBudget
	// (0: no limit).
	MaxBytes int64
	// Charge, when set, is called with every n bytes inflated or built
	// before they are; an error it returns stops the read, wrapped in
	// ErrStreamBudget (the caller's own budget, shared with other work).
	Charge func(n int64) error
	// CacheBytes is how many bytes of built objects are kept for the
	// deltas that follow; a base no longer held is built again, which
	// MaxBytes counts (0: 64 MiB).
	CacheBytes int64
}

// StreamObject is one object of a pack read by ReadPackStream.
type StreamObject struct {
	ID     ID
	Type   Type // Commit, Tree, Blob or Tag
	Data   []byte
	Offset int64 // where its entry starts in the pack
}

// ErrStreamBudget is returned when StreamLimits.MaxBytes is spent.
var ErrStreamBudget = errors.New("pack budget spent")

// IsPack reports whether data starts with a pack header: "PACK" and
// version 2 or 3.
func IsPack(data []byte) bool {
	return len(data) >= 12 && string(data[:4]) == "PACK" &&
		(binary.BigEndian.Uint32(data[4:8]) == 2 || binary.BigEndian.Uint32(data[4:8]) == 3)
}

// entryCost is what an entry read is charged besides its data: more than
// the memory kept of it (a streamEntry and its two index entries, about
// 170 bytes, and what the caller keeps of it), so that what a budget lets
// a pack of empty objects keep stays well under the budget: 2 million
// empty trees in a 35 KB .pack.gz took 540 MB charged 256 bytes each, 300
// MB charged 512.
const entryCost = 1024

// streamEntry is what ReadPackStream keeps of each entry read.
type streamEntry struct {
	off   int64
	e     Entry
	typ   Type // resolved type; 0 until built, or when it cannot be
	id    ID
	built bool // typ and id are known
}

type packStream struct {
	data    []byte
	lim     StreamLimits
	spent   int64
	entries []streamEntry
	byOff   map[int64]int32
	byID    map[ID]int32
	cache   map[int32][]byte
	fifo    []int32
	cached  int64
	zr      io.ReadCloser
	src     bytes.Reader
	unnamed bool    // an object over MaxBaseSize was left unnamed: a REF delta on it finds no base
	unbuilt []int32 // deltas over MaxObjectSize within MaxBaseSize, not built yet (nameBases)
	// unhashed are the whole objects over MaxObjectSize within
	// MaxBaseSize: bases by their offset, not yet by their ID, which only
	// a REF delta asks for (nameBases hashes them then).
	unhashed []int32
}

// waiting is a REF delta whose base was not read yet, with the size of
// the object it builds (DeltaTargetSize of its data, read when it was
// inflated) for the report when its base never comes.
type waiting struct {
	i      int32
	target int64
	sized  bool
}

// ReadPackStream reads the pack in data without an index. It calls yield
// with every object it can build, bases before their deltas (a REF delta
// whose base comes later in the pack, after the rest), and bad with the
// offset of every entry it cannot, and why. yield returning false stops
// the read. Data handed to yield is never reused by the reader (a caller
// may keep it) and must not be changed: a delta may still be built on it. It returns the number of entries the pack's header announces
// and an error when the pack could not be read to its end: a header that
// is not a pack's, an entry whose stream cannot be inflated (the entries
// after it are not reached), or ErrStreamBudget.
func ReadPackStream(data []byte, lim StreamLimits, yield func(StreamObject) bool, bad func(off int64, err error)) (int, error) {
	if !IsPack(data) {
		return 0, errors.New("not a pack (no PACK header of version 2 or 3)")
	}
	count := int64(binary.BigEndian.Uint32(data[8:12]))
	if lim.CacheBytes <= 0 {
		lim.CacheBytes = 64 << 20
	}
	if lim.MaxObjectSize <= 0 {
		lim.MaxBaseSize = 0
	} else if lim.MaxBaseSize < lim.MaxObjectSize {
		lim.MaxBaseSize = lim.MaxObjectSize
	}
	// The count is not believed for an allocation: the maps and the
	// entries grow with the entries read, from a small start (qa14
	// HIGH-17: a count of 2^32-1 over 24 MiB of zeros, which hold no
	// entry, pre-sized them to 8 million entries, 780 MB).
	hint := min(count, int64(len(data))/64, 1<<12)
	s := &packStream{data: data, lim: lim, byOff: make(map[int64]int32, hint), byID: make(map[ID]int32, hint), cache: map[int32][]byte{}}
	s.entries = make([]streamEntry, 0, hint)
	var pending []waiting // REF deltas whose base was not read yet
	off := int64(12)
	for n := int64(0); n < count; n++ {
		if off >= int64(len(data)) {
			return int(count), fmt.Errorf("%w: pack ends after %d of its %d entries", ErrCorrupt, n, count)
		}
		e, err := parseEntry(data[off:min(off+48, int64(len(data)))], off)
		if err != nil {
			bad(off, err)
			return int(count), fmt.Errorf("entry %d of %d at offset %d: %w: the rest of the pack is not read", n+1, count, off, err)
		}
		// What is kept of an entry is charged, not only its data: a pack
		// of empty objects inflates to nothing, and its entries are
		// memory all the same.
		if err := s.charge(entryCost); err != nil {
			return int(count), err
		}
		i := int32(len(s.entries))
		s.entries = append(s.entries, streamEntry{off: off, e: e})
		s.byOff[off] = i
		raw, next, err := s.inflate(off, e, true)
		if errors.Is(err, ErrStreamBudget) {
			return int(count), err
		}
		if err != nil {
			bad(off, err)
			return int(count), fmt.Errorf("entry %d of %d at offset %d: %w: the rest of the pack is not read", n+1, count, off, err)
		}
		off = next
		if raw == nil {
			bad(s.entries[i].off, overLimit(fmt.Sprintf("%s of %d bytes", e.Type, e.Size), e.Size, lim.MaxObjectSize))
			s.overWhole(i)
			continue
		}
		if e.Type == REFDelta {
			if _, ok := s.byID[e.BaseID]; !ok {
				n, sized := DeltaTargetSize(raw)
				pending = append(pending, waiting{i, n, sized})
				continue
			}
		}
		ok, err := s.resolve(i, raw, yield, bad)
		if err != nil {
			return int(count), err
		}
		if !ok {
			return int(count), nil
		}
	}
	// REF deltas whose base came after them: resolved once it is read,
	// as index-pack resolves them, until a round makes no progress.
	for len(pending) > 0 {
		var left []waiting
		for _, p := range pending {
			i := p.i
			if _, ok := s.byID[s.entries[i].e.BaseID]; !ok {
				left = append(left, p)
				continue
			}
			raw, _, err := s.inflate(s.entries[i].off, s.entries[i].e, false)
			if err != nil {
				if errors.Is(err, ErrStreamBudget) {
					return int(count), err
				}
				bad(s.entries[i].off, err)
				continue
			}
			ok, err := s.resolve(i, raw, yield, bad)
			if err != nil {
				return int(count), err
			}
			if !ok {
				return int(count), nil
			}
		}
		if len(left) == len(pending) {
			named, err := s.nameBases()
			if err != nil {
				return int(count), err
			}
			if named {
				pending = left
				continue
			}
			for _, p := range left {
				s.unresolved(p, bad)
			}
			break
		}
		pending = left
	}
	return int(count), nil
}

// resolve builds entry i from its inflated data raw, names it and hands it
// to yield. It reports false when yield asks to stop.
func (s *packStream) resolve(i int32, raw []byte, yield func(StreamObject) bool, bad func(int64, error)) (bool, error) {
	se := &s.entries[i]
	typ, data := se.e.Type, raw
	if typ == OFSDelta || typ == REFDelta {
		if n, ok := DeltaTargetSize(raw); ok && s.lim.MaxObjectSize > 0 && n > s.lim.MaxObjectSize {
			// Over the limit whatever its base: said so, not as a base
			// not read. Built only if a REF delta asks for it by name
			// (nameBases); OFS deltas on it build it again from its base.
			bad(se.off, overLimit(fmt.Sprintf("object of %d bytes", n), n, s.lim.MaxObjectSize))
			if n <= s.lim.MaxBaseSize {
				s.unbuilt = append(s.unbuilt, i)
			} else {
				s.unnamed = true
			}
			return true, nil
		}
		bi, ok := s.base(se.e)
		if !ok {
			bad(se.off, fmt.Errorf("%w: no entry at its delta base", ErrCorrupt))
			return true, nil
		}
		base, btyp, err := s.build(bi)
		if err != nil {
			if errors.Is(err, ErrStreamBudget) {
				return false, err
			}
			bad(se.off, fmt.Errorf("delta base: %w", err))
			return true, nil
		}
		data, err = s.apply(base, raw, false)
		if err != nil {
			if errors.Is(err, ErrStreamBudget) {
				return false, err
			}
			bad(se.off, err)
			return true, nil
		}
		typ = btyp
	}
	se.typ, se.id, se.built = typ, HashObject(typ, data), true
	if _, dup := s.byID[se.id]; !dup {
		s.byID[se.id] = i
	}
	s.keep(i, data)
	return yield(StreamObject{ID: se.id, Type: typ, Data: data, Offset: se.off}), nil
}

// nameBases names the objects over MaxObjectSize (within MaxBaseSize)
// that were read without their IDs, when REF deltas wait for bases the
// pack did not name: the whole ones are inflated again and hashed, the
// deltas left unbuilt are built. It reports whether it named any. Only a
// REF delta finds its base by ID, and git's packs and bundles use OFS
// deltas: hashing every large object on its first read (review16 A-4)
// cost about what inflating it did, almost always for nothing. What fails
// here was reported already; only the budget stops the read.
func (s *packStream) nameBases() (bool, error) {
	named := false
	for _, i := range s.unhashed {
		se := &s.entries[i]
		if err := s.hash(se); err != nil {
			if errors.Is(err, ErrStreamBudget) {
				return named, err
			}
			s.unnamed = true
			continue
		}
		if _, dup := s.byID[se.id]; !dup {
			s.byID[se.id] = i
		}
		named = true
	}
	s.unhashed = nil
	for _, i := range s.unbuilt {
		data, typ, err := s.build(i)
		if errors.Is(err, ErrStreamBudget) {
			return named, err
		}
		if err != nil {
			s.unnamed = true
			continue
		}
		se := &s.entries[i]
		se.typ, se.id, se.built = typ, HashObject(typ, data), true
		if _, dup := s.byID[se.id]; !dup {
			s.byID[se.id] = i
		}
		named = true
	}
	s.unbuilt = nil
	return named, nil
}

// unresolved reports p, a REF delta whose base never came: as too large
// when its own object is (the size read when it was first inflated: it is
// not inflated again, review16 A-6), else for its base, which may be one
// of the pack's objects left unnamed for being over MaxBaseSize.
func (s *packStream) unresolved(p waiting, bad func(int64, error)) {
	se := &s.entries[p.i]
	if n := p.target; p.sized && s.lim.MaxObjectSize > 0 && n > s.lim.MaxObjectSize {
		bad(se.off, overLimit(fmt.Sprintf("object of %d bytes", n), n, s.lim.MaxObjectSize))
		return
	}
	why := "a thin pack, or a bundle's prerequisite"
	if s.unnamed {
		why += fmt.Sprintf(", or an object of the pack over the limit of %d bytes for a delta base", s.lim.MaxBaseSize)
	}
	bad(se.off, fmt.Errorf("delta base %s is not in the pack (%s)", se.e.BaseID, why))
}

// base returns the entry a delta's base is.
func (s *packStream) base(e Entry) (int32, bool) {
	if e.Type == OFSDelta {
		i, ok := s.byOff[e.BaseOffset]
		return i, ok
	}
	i, ok := s.byID[e.BaseID]
	return i, ok
}

// build returns the content and type of entry i, already built (from the
// cache, or built again from the pack: its chain of bases is followed
// down to one held or whole).
func (s *packStream) build(i int32) ([]byte, Type, error) {
	var chain []int32
	for {
		se := &s.entries[i]
		if se.e.Type != OFSDelta && se.e.Type != REFDelta {
			break
		}
		if _, ok := s.cache[i]; ok && se.built {
			break
		}
		if len(chain) > maxDepth {
			return nil, 0, errTooDeep
		}
		chain = append(chain, i)
		bi, ok := s.base(se.e)
		if !ok {
			return nil, 0, fmt.Errorf("%w: no entry at its delta base", ErrCorrupt)
		}
		i = bi
	}
	data, typ, err := s.whole(i)
	if err != nil {
		return nil, 0, err
	}
	for k := len(chain) - 1; k >= 0; k-- {
		se := &s.entries[chain[k]]
		raw, _, err := s.inflate(se.off, se.e, false)
		if err != nil {
			return nil, 0, err
		}
		if data, err = s.apply(data, raw, true); err != nil {
			return nil, 0, err
		}
		s.keep(chain[k], data)
	}
	return data, typ, nil
}

// whole returns entry i when it is held or is not a delta.
func (s *packStream) whole(i int32) ([]byte, Type, error) {
	se := &s.entries[i]
	if !se.built {
		if s.lim.MaxObjectSize > 0 && se.e.Size > s.lim.MaxBaseSize {
			return nil, 0, baseOverLimit(fmt.Sprintf("%s of %d bytes", se.e.Type, se.e.Size), s.lim.MaxBaseSize)
		}
		return nil, 0, errors.New("the base could not be read")
	}
	if d, ok := s.cache[i]; ok {
		return d, se.typ, nil
	}
	raw, _, err := s.inflate(se.off, se.e, false)
	if err != nil {
		return nil, 0, err
	}
	s.keep(i, raw)
	return raw, se.typ, nil
}

// apply applies delta to base, charging the object built to the budget.
// An object built only as a base (asBase) may reach MaxBaseSize.
func (s *packStream) apply(base, delta []byte, asBase bool) ([]byte, error) {
	n, ok := DeltaTargetSize(delta)
	if !ok {
		return nil, ErrDelta
	}
	switch {
	case s.lim.MaxObjectSize <= 0:
	case asBase && n > s.lim.MaxBaseSize:
		return nil, baseOverLimit(fmt.Sprintf("object of %d bytes", n), s.lim.MaxBaseSize)
	case !asBase && n > s.lim.MaxObjectSize:
		return nil, overLimit(fmt.Sprintf("object of %d bytes", n), n, s.lim.MaxObjectSize)
	}
	if err := s.charge(n); err != nil {
		return nil, err
	}
	return ApplyDelta(base, delta, nil)
}

// charge counts n bytes against MaxBytes and the caller's Charge.
func (s *packStream) charge(n int64) error {
	s.spent += n
	if s.lim.MaxBytes > 0 && s.spent > s.lim.MaxBytes {
		return ErrStreamBudget
	}
	if s.lim.Charge != nil {
		if err := s.lim.Charge(n); err != nil {
			return fmt.Errorf("%w: %w", ErrStreamBudget, err)
		}
	}
	return nil
}

// keep holds an object's content for the deltas that may follow, first in
// first out within CacheBytes.
func (s *packStream) keep(i int32, data []byte) {
	// Each held object counts its place in the cache too: a pack of
	// empty objects would hold them all.
	n := int64(len(data)) + 64
	if n > s.lim.CacheBytes/4 {
		return
	}
	if _, ok := s.cache[i]; ok {
		return
	}
	for s.cached+n > s.lim.CacheBytes && len(s.fifo) > 0 {
		j := s.fifo[0]
		s.fifo = s.fifo[1:]
		s.cached -= int64(len(s.cache[j]))
		delete(s.cache, j)
	}
	s.cache[i] = data
	s.fifo = append(s.fifo, i)
	s.cached += n
}

// inflate returns the inflated data of the entry at off with header e, and
// where the next entry starts. With first (the entry's first read) the
// stream is read to its end, its Adler-32 checked, and an entry over
// MaxObjectSize is inflated only to find its end (nil data).
func (s *packStream) inflate(off int64, e Entry, first bool) ([]byte, int64, error) {
	start := off + e.HeaderLen
	rest := s.data[start:]
	if e.Size < 0 || e.Size > maxInflated(int64(len(rest))) {
		return nil, 0, fmt.Errorf("%w: at offset %d, %d bytes do not fit", ErrCorrupt, off, e.Size)
	}
	if err := s.open(off, rest, e.Size); err != nil {
		return nil, 0, err
	}
	var out []byte
	over := s.lim.MaxObjectSize > 0 && e.Size > s.lim.MaxObjectSize
	switch {
	case over && first:
		// Inflated only to find its end (see overWhole).
		if _, err := io.CopyN(io.Discard, s.zr, e.Size); err != nil {
			return nil, 0, fmt.Errorf("%w: inflating entry at offset %d: %w", ErrCorrupt, off, err)
		}
	case over && e.Size > s.lim.MaxBaseSize:
		return nil, 0, baseOverLimit(fmt.Sprintf("%s of %d bytes", e.Type, e.Size), s.lim.MaxBaseSize)
	default:
		var err error
		if out, err = readSized(s.zr, e.Size); err != nil {
			return nil, 0, fmt.Errorf("%w: inflating entry at offset %d: %w", ErrCorrupt, off, err)
		}
	}
	if !first {
		return out, 0, nil
	}
	// The stream must end at the announced size; reading on checks the
	// Adler-32 after it and leaves src at the next entry (zlib reads a
	// bytes.Reader byte by byte, never past its stream).
	var one [1]byte
	if n, err := io.ReadFull(s.zr, one[:]); n > 0 || err != io.EOF {
		if err == nil || err == io.ErrUnexpectedEOF {
			err = errors.New("inflates to more than its announced size")
		}
		return nil, 0, fmt.Errorf("%w: entry at offset %d: %w", ErrCorrupt, off, err)
	}
	next := start + int64(len(rest)) - int64(s.src.Len())
	return out, next, nil
}

// open points the inflater at the stream of the entry at off, rest being
// the pack from its data on, and charges its size.
func (s *packStream) open(off int64, rest []byte, size int64) error {
	s.src.Reset(rest)
	if s.zr == nil {
		zr, err := zlib.NewReader(&s.src)
		if err != nil {
			return fmt.Errorf("%w: entry at offset %d: %w", ErrCorrupt, off, err)
		}
		s.zr = zr
	} else if err := s.zr.(zlib.Resetter).Reset(&s.src, nil); err != nil {
		return fmt.Errorf("%w: entry at offset %d: %w", ErrCorrupt, off, err)
	}
	return s.charge(size)
}

// hash works out the ID of se, a whole object over MaxObjectSize read
// once already (so its stream is known to be sound), inflating it again
// through SHA-1 without keeping it.
func (s *packStream) hash(se *streamEntry) error {
	start := se.off + se.e.HeaderLen
	if err := s.open(se.off, s.data[start:], se.e.Size); err != nil {
		return err
	}
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", se.e.Type, se.e.Size)
	if _, err := io.CopyN(h, s.zr, se.e.Size); err != nil {
		return fmt.Errorf("%w: inflating entry at offset %d: %w", ErrCorrupt, se.off, err)
	}
	h.Sum(se.id[:0])
	return nil
}

// streamTooLarge is an object of a pack stream over
// StreamLimits.MaxObjectSize: a *TooLargeError, so that a reader can count
// it as a file over its size limit (the hooks fail on one), said with the
// limit.
type streamTooLarge struct {
	TooLargeError
	msg string
}

func (e *streamTooLarge) Error() string { return e.msg }
func (e *streamTooLarge) Unwrap() error { return &e.TooLargeError }

// baseOverLimit is a delta base over StreamLimits.MaxBaseSize: the object
// built on it is not read, though it may be within the limit itself, so it
// is no *TooLargeError.
func baseOverLimit(what string, limit int64) error {
	return fmt.Errorf("%s: larger than the limit of %d bytes for a delta base, not read", what, limit)
}

// overWhole records entry i, over MaxObjectSize and inflated only to find
// its end, as a delta base when it is a whole object within MaxBaseSize:
// read when a delta needs it, never handed out, found by its offset at
// once and by its ID once nameBases has hashed it; any other is a base
// left unnamed.
func (s *packStream) overWhole(i int32) {
	se := &s.entries[i]
	if se.e.Size > s.lim.MaxBaseSize || se.e.Type == OFSDelta || se.e.Type == REFDelta {
		s.unnamed = true
		return
	}
	se.typ, se.built = se.e.Type, true
	s.unhashed = append(s.unhashed, i)
}

func overLimit(what string, size, limit int64) error {
	return &streamTooLarge{TooLargeError{size}, fmt.Sprintf("%s: larger than the limit of %d bytes, not read", what, limit)}
}
