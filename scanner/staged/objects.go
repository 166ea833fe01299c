package staged

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// hash is a SHA-1 object name.
type hash [20]byte

func (h hash) String() string { return hex.EncodeToString(h[:]) }
func (h hash) isZero() bool   { return h == hash{} }

func parseHash(s string) (hash, bool) {
	var h hash
	if len(s) != 40 {
		return h, false
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return h, false
	}
	return h, true
}

// Object types as packs number them.
const (
	objCommit = 1
	objTree   = 2
	objBlob   = 3
	objTag    = 4
	objOfs    = 6
	objRef    = 7
)

// maxObjectSize bounds what one object may claim to inflate to, so that a
// corrupt header cannot make us allocate without limit.
const maxObjectSize = 1 << 30

// objectStore reads objects from a repository's object folders: loose objects
// first looked up by path, packed ones through their .idx by binary search.
// Only the few objects a staged scan needs are ever touched, so nothing is
// loaded up front beyond each pack index's fan-out table.
type objectStore struct {
	dirs  []string // objects folders: the repository's, then its alternates
	packs []*pack
	extra map[hash][]byte // blobs that live in the work tree only (--all)

	// One inflater, reset for each object: a new one costs more than most
	// of the objects it would inflate.
	br *bufio.Reader
	zr io.ReadCloser
}

// inflate reads exactly n bytes of zlib data from r.
func (s *objectStore) inflate(r io.Reader, n uint64) ([]byte, error) {
	if s.br == nil {
		s.br = bufio.NewReaderSize(r, 4096)
	} else {
		s.br.Reset(r)
	}
	var err error
	if s.zr == nil {
		s.zr, err = zlib.NewReader(s.br)
	} else {
		err = s.zr.(zlib.Resetter).Reset(s.br, nil)
	}
	if err != nil {
		return nil, err
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(s.zr, data); err != nil {
		return nil, err
	}
	return data, nil
}

func openObjects(objectsDir string) (*objectStore, error) {
	s := &objectStore{}
	seen := map[string]bool{}
	var add func(dir string, depth int) error
	add = func(dir string, depth int) error {
		dir = filepath.Clean(dir)
		if seen[dir] || depth > 5 {
			return nil
		}
		seen[dir] = true
		s.dirs = append(s.dirs, dir)
		names, err := os.ReadDir(filepath.Join(dir, "pack"))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("reading %s: %w", filepath.Join(dir, "pack"), err)
		}
		for _, n := range names {
			if strings.HasSuffix(n.Name(), ".idx") {
				base := filepath.Join(dir, "pack", strings.TrimSuffix(n.Name(), ".idx"))
				if _, err := os.Stat(base + ".pack"); err == nil {
					s.packs = append(s.packs, &pack{base: base})
				}
			}
		}
		alt, err := os.ReadFile(filepath.Join(dir, "info", "alternates"))
		if err != nil {
			return nil
		}
		for _, line := range strings.Split(string(alt), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if !filepath.IsAbs(line) {
				line = filepath.Join(dir, line)
			}
			if err := add(line, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := add(objectsDir, 0); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *objectStore) close() {
	for _, p := range s.packs {
		p.close()
	}
}

// read returns the type and content of object h.
func (s *objectStore) read(h hash) (typ int, data []byte, err error) {
	if b, ok := s.extra[h]; ok {
		return objBlob, b, nil
	}
	for _, p := range s.packs {
		off, found, err := p.find(h)
		if err != nil {
			return 0, nil, err
		}
		if found {
			return s.readPacked(p, off, 0)
		}
	}
	for _, dir := range s.dirs {
		hx := h.String()
		f, err := os.Open(filepath.Join(dir, hx[:2], hx[2:]))
		if err != nil {
			continue
		}
		typ, data, err := readLoose(f)
		f.Close()
		if err != nil {
			return 0, nil, fmt.Errorf("object %s: %w", hx, err)
		}
		return typ, data, nil
	}
	return 0, nil, fmt.Errorf("object %s not found", h)
}

// readType reads object h and checks its type.
func (s *objectStore) readType(h hash, want int) ([]byte, error) {
	typ, data, err := s.read(h)
	if err != nil {
		return nil, err
	}
	if typ != want {
		return nil, fmt.Errorf("object %s: is a %s, want a %s", h, typeName(typ), typeName(want))
	}
	return data, nil
}

func typeName(t int) string {
	switch t {
	case objCommit:
		return "commit"
	case objTree:
		return "tree"
	case objBlob:
		return "blob"
	case objTag:
		return "tag"
	}
	return "object of type " + strconv.Itoa(t)
}

func readLoose(r io.Reader) (int, []byte, error) {
	zr, err := zlib.NewReader(bufio.NewReader(r))
	if err != nil {
		return 0, nil, err
	}
	defer zr.Close()
	br := bufio.NewReader(zr)
	hdr, err := br.ReadString(0)
	if err != nil {
		return 0, nil, fmt.Errorf("bad loose object header")
	}
	kind, size, ok := strings.Cut(strings.TrimSuffix(hdr, "\x00"), " ")
	n, err := strconv.Atoi(size)
	if !ok || err != nil || n < 0 || n > maxObjectSize {
		return 0, nil, fmt.Errorf("bad loose object header")
	}
	typ := map[string]int{"commit": objCommit, "tree": objTree, "blob": objBlob, "tag": objTag}[kind]
	if typ == 0 {
		return 0, nil, fmt.Errorf("unknown loose object type %q", kind)
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(br, data); err != nil {
		return 0, nil, fmt.Errorf("truncated loose object")
	}
	return typ, data, nil
}

// pack is one packfile and its version 2 index, read with ReadAt.
type pack struct {
	base   string
	opened bool
	idx    *os.File
	data   *os.File
	fanout [256]uint32
	err    error
}

func (p *pack) open() error {
	if p.opened {
		return p.err
	}
	p.opened = true
	p.err = func() error {
		f, err := os.Open(p.base + ".idx")
		if err != nil {
			return err
		}
		p.idx = f
		var hdr [8 + 256*4]byte
		if _, err := f.ReadAt(hdr[:], 0); err != nil {
			return fmt.Errorf("%s.idx: %w", p.base, err)
		}
		if !bytes.Equal(hdr[:4], []byte{0xff, 't', 'O', 'c'}) || binary.BigEndian.Uint32(hdr[4:8]) != 2 {
			return fmt.Errorf("%s.idx: not a version 2 pack index", p.base)
		}
		for i := range p.fanout {
			p.fanout[i] = binary.BigEndian.Uint32(hdr[8+4*i:])
		}
		d, err := os.Open(p.base + ".pack")
		if err != nil {
			return err
		}
		p.data = d
		return nil
	}()
	return p.err
}

func (p *pack) close() {
	if p.idx != nil {
		p.idx.Close()
	}
	if p.data != nil {
		p.data.Close()
	}
}

// find returns the offset of h in the pack.
func (p *pack) find(h hash) (int64, bool, error) {
	if err := p.open(); err != nil {
		return 0, false, err
	}
	n := p.fanout[255]
	lo := uint32(0)
	if h[0] > 0 {
		lo = p.fanout[h[0]-1]
	}
	hi := p.fanout[h[0]]
	if hi > n || lo > hi {
		return 0, false, fmt.Errorf("%s.idx: corrupt fan-out table", p.base)
	}
	const namesAt = 8 + 256*4
	var name hash
	for lo < hi {
		mid := lo + (hi-lo)/2
		if _, err := p.idx.ReadAt(name[:], namesAt+int64(mid)*20); err != nil {
			return 0, false, fmt.Errorf("%s.idx: %w", p.base, err)
		}
		switch c := bytes.Compare(name[:], h[:]); {
		case c == 0:
			return p.offset(mid, n)
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false, nil
}

func (p *pack) offset(i, n uint32) (int64, bool, error) {
	offsAt := int64(8+256*4) + int64(n)*24
	var b [8]byte
	if _, err := p.idx.ReadAt(b[:4], offsAt+int64(i)*4); err != nil {
		return 0, false, fmt.Errorf("%s.idx: %w", p.base, err)
	}
	off := binary.BigEndian.Uint32(b[:4])
	if off&0x80000000 == 0 {
		return int64(off), true, nil
	}
	large := offsAt + int64(n)*4 + int64(off&0x7fffffff)*8
	if _, err := p.idx.ReadAt(b[:], large); err != nil {
		return 0, false, fmt.Errorf("%s.idx: %w", p.base, err)
	}
	return int64(binary.BigEndian.Uint64(b[:])), true, nil
}

// readPacked reads the object at off, resolving deltas.
func (s *objectStore) readPacked(p *pack, off int64, depth int) (int, []byte, error) {
	if depth > 100 {
		return 0, nil, fmt.Errorf("%s.pack: delta chain too deep at offset %d", p.base, off)
	}
	var hdr [32]byte
	n, err := p.data.ReadAt(hdr[:], off)
	if err != nil && n == 0 {
		return 0, nil, fmt.Errorf("%s.pack: %w", p.base, err)
	}
	b := hdr[:n]
	i := 0
	next := func() (byte, bool) {
		if i >= len(b) {
			return 0, false
		}
		c := b[i]
		i++
		return c, true
	}
	c, _ := next()
	typ := int(c>>4) & 7
	size := uint64(c & 15)
	for shift := 4; c&0x80 != 0; shift += 7 {
		var ok bool
		if c, ok = next(); !ok || shift > 60 {
			return 0, nil, fmt.Errorf("%s.pack: bad object header at offset %d", p.base, off)
		}
		size |= uint64(c&0x7f) << shift
	}
	if size > maxObjectSize {
		return 0, nil, fmt.Errorf("%s.pack: object at offset %d too large", p.base, off)
	}
	var baseOff int64
	var baseHash hash
	switch typ {
	case objCommit, objTree, objBlob, objTag:
	case objOfs:
		c, ok := next()
		if !ok {
			return 0, nil, fmt.Errorf("%s.pack: bad delta header at offset %d", p.base, off)
		}
		rel := int64(c & 0x7f)
		for c&0x80 != 0 {
			if c, ok = next(); !ok || rel > 1<<50 {
				return 0, nil, fmt.Errorf("%s.pack: bad delta header at offset %d", p.base, off)
			}
			rel = (rel+1)<<7 | int64(c&0x7f)
		}
		baseOff = off - rel
		if baseOff < 0 || baseOff >= off {
			return 0, nil, fmt.Errorf("%s.pack: bad delta base at offset %d", p.base, off)
		}
	case objRef:
		if i+20 > len(b) {
			return 0, nil, fmt.Errorf("%s.pack: bad delta header at offset %d", p.base, off)
		}
		copy(baseHash[:], b[i:i+20])
		i += 20
	default:
		return 0, nil, fmt.Errorf("%s.pack: unknown object type %d at offset %d", p.base, typ, off)
	}
	data, err := s.inflate(io.NewSectionReader(p.data, off+int64(i), 1<<62), size)
	if err != nil {
		return 0, nil, fmt.Errorf("%s.pack: offset %d: %w", p.base, off, err)
	}
	switch typ {
	case objOfs:
		btyp, base, err := s.readPacked(p, baseOff, depth+1)
		if err != nil {
			return 0, nil, err
		}
		out, err := applyDelta(base, data)
		return btyp, out, err
	case objRef:
		btyp, base, err := s.read(baseHash)
		if err != nil {
			return 0, nil, err
		}
		out, err := applyDelta(base, data)
		return btyp, out, err
	}
	return typ, data, nil
}

var errBadDelta = errors.New("corrupt delta")

// applyDelta rebuilds an object from its base and a git delta.
func applyDelta(base, delta []byte) ([]byte, error) {
	i := 0
	varint := func() (uint64, bool) {
		var v uint64
		for shift := 0; i < len(delta) && shift < 64; shift += 7 {
			c := delta[i]
			i++
			v |= uint64(c&0x7f) << shift
			if c&0x80 == 0 {
				return v, true
			}
		}
		return 0, false
	}
	srcSize, ok1 := varint()
	dstSize, ok2 := varint()
	if !ok1 || !ok2 || srcSize != uint64(len(base)) || dstSize > maxObjectSize {
		return nil, errBadDelta
	}
	out := make([]byte, 0, dstSize)
	for i < len(delta) {
		op := delta[i]
		i++
		if op&0x80 != 0 {
			var off, n uint64
			for k := uint(0); k < 4; k++ {
				if op&(1<<k) != 0 {
					if i >= len(delta) {
						return nil, errBadDelta
					}
					off |= uint64(delta[i]) << (8 * k)
					i++
				}
			}
			for k := uint(0); k < 3; k++ {
				if op&(0x10<<k) != 0 {
					if i >= len(delta) {
						return nil, errBadDelta
					}
					n |= uint64(delta[i]) << (8 * k)
					i++
				}
			}
			if n == 0 {
				n = 0x10000
			}
			if off+n > uint64(len(base)) {
				return nil, errBadDelta
			}
			out = append(out, base[off:off+n]...)
		} else if op != 0 {
			n := int(op)
			if i+n > len(delta) {
				return nil, errBadDelta
			}
			out = append(out, delta[i:i+n]...)
			i += n
		} else {
			return nil, errBadDelta
		}
		if uint64(len(out)) > dstSize {
			return nil, errBadDelta
		}
	}
	if uint64(len(out)) != dstSize {
		return nil, errBadDelta
	}
	return out, nil
}

// treeEntry is one entry of a tree object.
type treeEntry struct {
	name string
	mode uint32
	hash hash
}

func (e treeEntry) isTree() bool { return e.mode&0o170000 == 0o040000 }

func parseTree(h hash, data []byte) ([]treeEntry, error) {
	var out []treeEntry
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp < 0 {
			return nil, fmt.Errorf("tree %s: corrupt entry", h)
		}
		mode, err := strconv.ParseUint(string(data[:sp]), 8, 32)
		if err != nil {
			return nil, fmt.Errorf("tree %s: bad mode %q", h, data[:sp])
		}
		data = data[sp+1:]
		nul := bytes.IndexByte(data, 0)
		if nul < 0 || nul+21 > len(data) {
			return nil, fmt.Errorf("tree %s: corrupt entry", h)
		}
		e := treeEntry{name: string(data[:nul]), mode: uint32(mode)}
		copy(e.hash[:], data[nul+1:nul+21])
		out = append(out, e)
		data = data[nul+21:]
	}
	return out, nil
}

func (s *objectStore) tree(h hash) ([]treeEntry, error) {
	data, err := s.readType(h, objTree)
	if err != nil {
		return nil, err
	}
	return parseTree(h, data)
}

// commitTree returns the tree of commit h (peeling tags).
func (s *objectStore) commitTree(h hash) (hash, error) {
	for range 10 {
		typ, data, err := s.read(h)
		if err != nil {
			return hash{}, err
		}
		switch typ {
		case objTag:
			line, _, _ := bytes.Cut(data, []byte("\n"))
			t, ok := parseHash(strings.TrimPrefix(string(line), "object "))
			if !ok {
				return hash{}, fmt.Errorf("tag %s: no object line", h)
			}
			h = t
			continue
		case objCommit:
			line, _, _ := bytes.Cut(data, []byte("\n"))
			t, ok := parseHash(strings.TrimPrefix(string(line), "tree "))
			if !ok {
				return hash{}, fmt.Errorf("commit %s: no tree line", h)
			}
			return t, nil
		default:
			return hash{}, fmt.Errorf("object %s: is a %s, want a commit", h, typeName(typ))
		}
	}
	return hash{}, fmt.Errorf("object %s: too many tags", h)
}

// lookupPath returns the entry at path in tree root, if any.
func (s *objectStore) lookupPath(root hash, path string) (treeEntry, bool, error) {
	cur := root
	for {
		name, rest, more := strings.Cut(path, "/")
		ents, err := s.tree(cur)
		if err != nil {
			return treeEntry{}, false, err
		}
		var found *treeEntry
		for i := range ents {
			if ents[i].name == name {
				found = &ents[i]
				break
			}
		}
		if found == nil {
			return treeEntry{}, false, nil
		}
		if !more {
			return *found, true, nil
		}
		if !found.isTree() {
			return treeEntry{}, false, nil
		}
		cur, path = found.hash, rest
	}
}
