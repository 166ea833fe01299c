package archive

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/ulikunitz/xz"
)

// A squashfs image (snap packages, AppImages' payloads, firmware and
// container root filesystems, made by mksquashfs) is read as squashfs 4.0
// lays it out (the layout the kernel's fs/squashfs and unsquashfs read):
// a superblock, compressed metadata blocks of at most 8 KiB holding the
// inodes and the directories, file data in blocks of the image's block
// size, and the tails of files packed together in fragment blocks. Its
// files are the members, named by their paths (app.snap!etc/app.env).
// Blocks compressed with gzip (zlib), xz or zstd are read; an image of
// another compressor (lzo, lz4, lzma), of an older version, and any inode,
// directory or block that cannot be read are warnings counted as parts not
// scanned. Nothing read is trusted: every offset is checked against the
// image, every block inflated no further than its nominal size, a
// directory met again (a loop) is not read twice, and folders nest at
// most maxSquashDepth deep.

// maxSquashDepth bounds how deep the folders of an image are walked.
const maxSquashDepth = 256

// squashMeta is the most a metadata block inflates to.
const squashMeta = 8192

// squash is one squashfs image being read.
type squash struct {
	w          *walker
	name       string
	data       []byte
	lv         *level
	depth      int
	comp       uint16
	blockSize  uint32
	inodes     uint64 // where the inode table starts
	dirs       uint64 // where the directory table starts
	frags      uint64 // where the fragment index starts
	fragCount  uint32
	meta       map[uint64]metaBlock // metadata blocks read, by offset
	seenDirs   map[uint64]bool
	zr         io.ReadCloser
	metaBudget int // metadata blocks that may still be inflated
	fragCache  map[uint32][]byte
	fragHeld   int64
}

type metaBlock struct {
	data []byte
	next uint64 // where the next block starts
}

// squashfs reads the squashfs image in data, called name.
func (w *walker) squashfs(name string, data []byte, lv *level, depth int) {
	le := binary.LittleEndian
	if len(data) < 96 || string(data[:4]) != "hsqs" || le.Uint16(data[28:30]) != 4 {
		w.warn(name, "squashfs image not opened (only version 4, as mksquashfs writes since 2009, is read): what it holds is not scanned, only its own bytes")
		return
	}
	s := &squash{w: w, name: name, data: data, lv: lv, depth: depth,
		blockSize: le.Uint32(data[12:16]), fragCount: le.Uint32(data[16:20]), comp: le.Uint16(data[20:22]),
		inodes: le.Uint64(data[64:72]), dirs: le.Uint64(data[72:80]), frags: le.Uint64(data[80:88]),
		meta: map[uint64]metaBlock{}, seenDirs: map[uint64]bool{}, metaBudget: len(data)/2 + 16}
	switch s.comp {
	case 1, 4, 6: // gzip (zlib streams), xz, zstd
	default:
		names := map[uint16]string{2: "lzma", 3: "lzo", 5: "lz4"}
		w.warn(name, "squashfs image compressed with %s not opened (keyscan reads gzip, xz and zstd images): what it holds is not scanned, only its own bytes", orElse(names[s.comp], fmt.Sprintf("compressor %d", s.comp)))
		return
	}
	if s.blockSize < 4096 || s.blockSize > 1<<20 || s.blockSize&(s.blockSize-1) != 0 {
		w.warn(name, "squashfs image with a block size of %d bytes: not opened", s.blockSize)
		return
	}
	root := le.Uint64(data[32:40])
	s.dir(root, "", 0)
	if xattrs := le.Uint64(data[56:64]); xattrs != ^uint64(0) && !w.stopped && !lv.stopped {
		s.xattrs(xattrs)
	}
}

// symlink reads the target of the symlink whose inode ref is ref, named p
// (types 3 and 10 lay it out alike: a link count, the target's length,
// the target). It is text the image holds in its compressed metadata, as
// a file's content is, so it is a member named by the link's path (qa13
// LOW-1).
func (s *squash) symlink(ref uint64, p string) {
	_, _, blk, off, err := s.inode(ref)
	if err != nil {
		s.w.unread(s.name, p, "unreadable member: %v", err)
		return
	}
	h, blk, off, err := s.metaRead(blk, off, 8)
	if err != nil {
		s.w.unread(s.name, p, "unreadable member: %v", err)
		return
	}
	n := int(binary.LittleEndian.Uint32(h[4:8]))
	if n <= 0 || n > maxSymlink {
		s.w.unread(s.name, p, "squashfs symlink whose target is %d bytes long: not read", n)
		return
	}
	target, _, _, err := s.metaRead(blk, off, n)
	if err != nil {
		s.w.unread(s.name, p, "unreadable member: %v", err)
		return
	}
	s.w.member(s.name, p, s.w.meter(bytes.NewReader(target), s.lv), s.depth)
}

// maxSymlink is the longest symlink target read (Linux's PATH_MAX).
const maxSymlink = 4096

// xattrs reads the extended attributes of the image, whose table starts
// at off, as one member, "(xattrs)", a line "name=value" for each (qa13
// LOW-1: a key in an xattr's value was not read). The keys and values lie
// in metadata blocks from the table's first word up to the blocks of its
// ID list, each value written once whole (a value shared by several files
// is written once, then named by reference, which is skipped).
func (s *squash) xattrs(off uint64) {
	le := binary.LittleEndian
	where := s.name + "!(xattrs)"
	if off > uint64(len(s.data)) || uint64(len(s.data))-off < 24 {
		s.w.warn(where, "squashfs extended attributes not read: their table lies outside the image")
		return
	}
	blk, ids := le.Uint64(s.data[off:]), le.Uint64(s.data[off+16:])
	if le.Uint32(s.data[off+8:]) == 0 {
		return
	}
	var kv []byte
	for blk < ids && blk < off {
		b, err := s.metaAt(blk)
		if err != nil {
			s.w.warn(where, "squashfs extended attributes not read: %v", err)
			return
		}
		kv = append(kv, b.data...)
		blk = b.next
	}
	prefixes := [...]string{"user.", "trusted.", "security."}
	var text bytes.Buffer
	for len(kv) >= 4 {
		typ, n := le.Uint16(kv[0:2]), int(le.Uint16(kv[2:4]))
		if len(kv) < 4+n+4 {
			break
		}
		name := kv[4 : 4+n]
		kv = kv[4+n:]
		vn := int(le.Uint32(kv[0:4]))
		if vn < 0 || len(kv) < 4+vn {
			break
		}
		value := kv[4 : 4+vn]
		kv = kv[4+vn:]
		if typ&0x100 != 0 {
			continue // a reference to a value written whole elsewhere
		}
		if int(typ&0xff) < len(prefixes) {
			text.WriteString(prefixes[typ&0xff])
		}
		text.Write(name)
		text.WriteByte('=')
		text.Write(value)
		text.WriteByte('\n')
	}
	if len(kv) > 0 {
		s.w.warn(where, "squashfs extended attributes cut short: the rest not read")
	}
	if text.Len() > 0 {
		s.w.member(s.name, "(xattrs)", s.w.meter(bytes.NewReader(text.Bytes()), s.lv), s.depth)
	}
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// inflate decompresses one block of src, to at most max bytes, charging
// what it gives to the walk when charged (a file's blocks are charged
// once whole, as the member handed on).
func (s *squash) inflate(src []byte, max int64, charged bool) ([]byte, error) {
	var r io.Reader
	switch s.comp {
	case 1:
		zr, err := zlib.NewReader(bytes.NewReader(src))
		if err != nil {
			return nil, err
		}
		r = zr
	case 4:
		if err := xzWindow(src); err != nil {
			return nil, err
		}
		xr, err := xz.NewReader(bytes.NewReader(xzBounded(src)))
		if err != nil {
			return nil, err
		}
		r = xr
	case 6:
		zr, err := zstdReader(src)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		r = zr
	}
	if charged {
		r = s.w.meter(r, s.lv)
	}
	out, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(out)) > max {
		return nil, fmt.Errorf("a block inflates to more than %d bytes", max)
	}
	return out, nil
}

// metaAt returns the metadata block at off.
func (s *squash) metaAt(off uint64) (metaBlock, error) {
	if b, ok := s.meta[off]; ok {
		return b, nil
	}
	if off > uint64(len(s.data)) || uint64(len(s.data))-off < 2 {
		return metaBlock{}, errors.New("metadata block outside the image")
	}
	h := binary.LittleEndian.Uint16(s.data[off:])
	n := uint64(h & 0x7fff)
	if n == 0 || n > squashMeta || uint64(len(s.data))-off-2 < n {
		return metaBlock{}, errors.New("metadata block of a size that cannot be right")
	}
	if s.metaBudget--; s.metaBudget < 0 {
		return metaBlock{}, errors.New("too many metadata blocks")
	}
	src := s.data[off+2 : off+2+n]
	var out []byte
	if h&0x8000 != 0 {
		out = src
	} else {
		var err error
		if out, err = s.inflate(src, squashMeta, false); err != nil {
			return metaBlock{}, fmt.Errorf("metadata block: %w", err)
		}
	}
	b := metaBlock{data: out, next: off + 2 + n}
	s.meta[off] = b
	return b, nil
}

// metaRead returns n bytes of the metadata that starts at offset off of
// the uncompressed block at blk (an absolute position), and where the
// bytes after them are.
func (s *squash) metaRead(blk uint64, off int, n int) ([]byte, uint64, int, error) {
	var out []byte
	for len(out) < n {
		b, err := s.metaAt(blk)
		if err != nil {
			return nil, 0, 0, err
		}
		if off > len(b.data) {
			return nil, 0, 0, errors.New("metadata offset outside its block")
		}
		take := min(n-len(out), len(b.data)-off)
		out = append(out, b.data[off:off+take]...)
		off += take
		if off == len(b.data) && len(out) < n {
			blk, off = b.next, 0
		}
	}
	return out, blk, off, nil
}

// inode reads the inode ref names (block in the inode table << 16 | offset).
func (s *squash) inode(ref uint64) (typ uint16, body []byte, blk uint64, off int, err error) {
	blk, off = s.inodes+ref>>16, int(ref&0xffff)
	h, blk, off, err := s.metaRead(blk, off, 16)
	if err != nil {
		return 0, nil, 0, 0, err
	}
	return binary.LittleEndian.Uint16(h), nil, blk, off, nil
}

// dir reads the folder whose inode ref is ref, at path prefix.
func (s *squash) dir(ref uint64, prefix string, level int) {
	le := binary.LittleEndian
	where := s.name
	if prefix != "" {
		where = s.name + "!" + prefix
	}
	if level > maxSquashDepth {
		s.w.warn(where, "folders nested more than %d deep: not read", maxSquashDepth)
		return
	}
	typ, _, blk, off, err := s.inode(ref)
	if err != nil {
		s.w.warn(where, "squashfs folder not read: %v", err)
		return
	}
	var start uint64
	var size, boff int
	switch typ {
	case 1:
		b, _, _, err := s.metaRead(blk, off, 16)
		if err != nil {
			s.w.warn(where, "squashfs folder not read: %v", err)
			return
		}
		start, size, boff = uint64(le.Uint32(b[0:4])), int(le.Uint16(b[8:10])), int(le.Uint16(b[10:12]))
	case 8:
		b, _, _, err := s.metaRead(blk, off, 24)
		if err != nil {
			s.w.warn(where, "squashfs folder not read: %v", err)
			return
		}
		size, start, boff = int(le.Uint32(b[4:8])), uint64(le.Uint32(b[8:12])), int(le.Uint16(b[18:20]))
	default:
		s.w.warn(where, "squashfs inode of type %d where a folder was expected: not read", typ)
		return
	}
	key := start<<16 | uint64(boff)
	if s.seenDirs[key] {
		s.w.warn(where, "squashfs folder met again inside itself (a loop): not read again")
		return
	}
	s.seenDirs[key] = true
	size -= 3 // the size counts "." and ".."
	if size <= 0 {
		return
	}
	if size > len(s.data) {
		s.w.warn(where, "squashfs folder of a size that cannot be right: not read")
		return
	}
	listing, _, _, err := s.metaRead(s.dirs+start, boff, size)
	if err != nil {
		s.w.warn(where, "squashfs folder not read: %v", err)
		return
	}
	for len(listing) >= 12 {
		count := int(le.Uint32(listing[0:4])) + 1
		iblk := uint64(le.Uint32(listing[4:8]))
		listing = listing[12:]
		for range count {
			if len(listing) < 8 {
				s.w.warn(where, "squashfs folder listing cut short: the rest not read")
				return
			}
			ioff := uint64(le.Uint16(listing[0:2]))
			etype := le.Uint16(listing[4:6])
			nlen := int(le.Uint16(listing[6:8])) + 1
			if len(listing) < 8+nlen {
				s.w.warn(where, "squashfs folder listing cut short: the rest not read")
				return
			}
			name := string(listing[8 : 8+nlen])
			listing = listing[8+nlen:]
			if s.w.stopped || s.lv.stopped || s.w.ctx.Err() != nil {
				return
			}
			p := prefix + name
			switch etype {
			case 1, 8:
				s.dir(iblk<<16|ioff, p+"/", level+1)
			case 2, 9:
				s.file(iblk<<16|ioff, p)
			case 3, 10:
				s.symlink(iblk<<16|ioff, p)
			}
		}
	}
}

// file reads the regular file whose inode ref is ref, named p.
func (s *squash) file(ref uint64, p string) {
	le := binary.LittleEndian
	typ, _, blk, off, err := s.inode(ref)
	if err != nil {
		s.w.unread(s.name, p, "unreadable member: %v", err)
		return
	}
	var (
		start, size   uint64
		frag, fragOff uint32
	)
	switch typ {
	case 2:
		b, nblk, noff, err := s.metaRead(blk, off, 16)
		if err != nil {
			s.w.unread(s.name, p, "unreadable member: %v", err)
			return
		}
		start, frag, fragOff, size = uint64(le.Uint32(b[0:4])), le.Uint32(b[4:8]), le.Uint32(b[8:12]), uint64(le.Uint32(b[12:16]))
		blk, off = nblk, noff
	case 9:
		b, nblk, noff, err := s.metaRead(blk, off, 40)
		if err != nil {
			s.w.unread(s.name, p, "unreadable member: %v", err)
			return
		}
		start, size, frag, fragOff = le.Uint64(b[0:8]), le.Uint64(b[8:16]), le.Uint32(b[28:32]), le.Uint32(b[32:36])
		blk, off = nblk, noff
	default:
		s.w.unread(s.name, p, "squashfs inode of type %d where a file was expected: not read", typ)
		return
	}
	if int64(size) < 0 || int64(size) > s.w.lim.MaxMemberSize {
		s.w.stats.TooLarge++
		s.w.unread(s.name, p, "member larger than %d bytes (max_file_size): not scanned", s.w.lim.MaxMemberSize)
		return
	}
	bs := uint64(s.blockSize)
	nblocks := size / bs
	if frag == 0xffffffff && size%bs != 0 {
		nblocks++
	}
	sizes, _, _, err := s.metaRead(blk, off, int(nblocks)*4)
	if err != nil {
		s.w.unread(s.name, p, "unreadable member: %v", err)
		return
	}
	out := make([]byte, 0, size)
	pos := start
	for i := range nblocks {
		word := le.Uint32(sizes[i*4:])
		n := uint64(word & 0xffffff)
		want := min(bs, size-uint64(len(out)))
		if n == 0 { // a sparse block
			out = append(out, make([]byte, want)...)
			continue
		}
		if pos > uint64(len(s.data)) || uint64(len(s.data))-pos < n {
			s.w.unread(s.name, p, "unreadable member: a data block outside the image")
			return
		}
		src := s.data[pos : pos+n]
		pos += n
		var b []byte
		if word&(1<<24) != 0 {
			b = src
		} else if b, err = s.inflate(src, int64(bs), false); err != nil {
			s.readErr(p, err)
			return
		}
		if uint64(len(b)) < want {
			s.w.unread(s.name, p, "unreadable member: a data block shorter than the file says")
			return
		}
		out = append(out, b[:want]...)
	}
	if frag != 0xffffffff && uint64(len(out)) < size {
		b, err := s.fragment(frag)
		if err != nil {
			s.readErr(p, err)
			return
		}
		tail := size - uint64(len(out))
		if uint64(fragOff) > uint64(len(b)) || uint64(len(b))-uint64(fragOff) < tail {
			s.w.unread(s.name, p, "unreadable member: its tail lies outside its fragment block")
			return
		}
		out = append(out, b[fragOff:uint64(fragOff)+tail]...)
	}
	// Every byte handed on is charged, sparse and stored blocks and
	// shared fragment tails included: a listing that names one file many
	// times is held to the budget as a bomb is.
	s.w.member(s.name, p, s.w.meter(bytes.NewReader(out), s.lv), s.depth)
}

// readErr warns of a block that could not be read, or stops at a limit.
func (s *squash) readErr(p string, err error) {
	if le := (*limitError)(nil); errors.As(err, &le) {
		s.w.named(s.name, p)
		s.w.limitHit(s.name, le)
		return
	}
	s.w.unread(s.name, p, "unreadable member: %v", err)
}

// fragment returns fragment block i inflated.
func (s *squash) fragment(i uint32) ([]byte, error) {
	le := binary.LittleEndian
	if i >= s.fragCount {
		return nil, errors.New("fragment outside the fragment table")
	}
	idx := s.frags + uint64(i/512)*8
	if idx > uint64(len(s.data)) || uint64(len(s.data))-idx < 8 {
		return nil, errors.New("fragment index outside the image")
	}
	entry, _, _, err := s.metaRead(le.Uint64(s.data[idx:]), int(i%512)*16, 16)
	if err != nil {
		return nil, err
	}
	start, word := le.Uint64(entry[0:8]), le.Uint32(entry[8:12])
	n := uint64(word & 0xffffff)
	if start > uint64(len(s.data)) || uint64(len(s.data))-start < n {
		return nil, errors.New("fragment block outside the image")
	}
	src := s.data[start : start+n]
	if word&(1<<24) != 0 {
		return src, nil
	}
	if b, ok := s.fragCache[i]; ok {
		return b, nil
	}
	b, err := s.inflate(src, int64(s.blockSize), false)
	if err != nil {
		return nil, err
	}
	// The tails of many files share a block: each is inflated (and
	// charged) once while 32 MiB of them are held.
	if s.fragCache == nil || s.fragHeld+int64(len(b)) > 32<<20 {
		s.fragCache, s.fragHeld = map[uint32][]byte{}, 0
	}
	s.fragCache[i] = b
	s.fragHeld += int64(len(b))
	return b, nil
}
