// Package extfs reads ext2, ext3 and ext4 file-system images (mkfs.ext4
// -d: Yocto and Buildroot root file systems, VM and test disks), so that
// the files in one are scanned as an archive's members: an image was
// counted as not opened. It reads what a mounted image shows: folders
// from the root inode, each file's blocks by its extent tree (ext4) or
// its block map (ext2, ext3: direct, indirect, double and triple
// indirect), holes as zeros, a fast symlink's target from its inode.
//
// Nothing read from the image is trusted for an allocation or a loop: a
// block number outside the image, an extent tree deeper than ext4 builds,
// a folder met again inside itself, are errors, and a file's bytes are
// read no further than its size and the caller's limit.
package extfs

import (
	"encoding/binary"
	"errors"
)

// ErrCorrupt is returned for a superblock, group, inode, block map or
// folder that does not hold.
var ErrCorrupt = errors.New("corrupt ext file system")

// ErrUnsupported is returned for what is not read: a folder or file whose
// data is inline in its inode (ext4 inline_data), an encrypted one.
var ErrUnsupported = errors.New("inline or encrypted data, not read")

const (
	rootInode = 2
	maxTree   = 5 // ext4's extent trees are at most 5 deep
)

// FS is an open image.
type FS struct {
	data       []byte
	bs         int64 // block size
	blocks     int64
	perGroup   uint32
	inodeSize  int64
	groups     int64
	descAt     int64
	descSize   int64
	incompat64 bool
}

// Open reads the superblock of the image data.
func Open(data []byte) (*FS, error) {
	if len(data) < 2048 {
		return nil, ErrCorrupt
	}
	sb := data[1024:2048]
	le := binary.LittleEndian
	if le.Uint16(sb[56:]) != 0xef53 {
		return nil, ErrCorrupt
	}
	log := le.Uint32(sb[24:])
	if log > 6 {
		return nil, ErrCorrupt
	}
	f := &FS{data: data, bs: 1024 << log, perGroup: le.Uint32(sb[40:]), inodeSize: 128}
	f.blocks = int64(le.Uint32(sb[4:]))
	incompat := le.Uint32(sb[96:])
	if le.Uint32(sb[76:]) >= 1 {
		f.inodeSize = int64(le.Uint16(sb[88:]))
	}
	f.descSize = 32
	if incompat&0x80 != 0 {
		f.incompat64 = true
		f.blocks |= int64(le.Uint32(sb[0x150:])) << 32
		if d := int64(le.Uint16(sb[254:])); d >= 64 {
			f.descSize = d
		}
	}
	perBlocks := int64(le.Uint32(sb[32:]))
	first := int64(le.Uint32(sb[20:]))
	if f.perGroup == 0 || perBlocks == 0 || f.inodeSize < 128 || f.inodeSize > f.bs || f.blocks <= first {
		return nil, ErrCorrupt // f.blocks < 0: its high half's top bit set
	}
	f.groups = (f.blocks-first-1)/perBlocks + 1
	f.descAt = (first + 1) * f.bs
	// Divided, not multiplied: groups and the descriptor size come from
	// the header, and their product can wrap (2^58+1 groups of 64 bytes
	// is 64), which let inode index far past the image's end.
	if f.groups <= 0 || f.descAt > int64(len(data)) || f.groups > (int64(len(data))-f.descAt)/f.descSize {
		return nil, ErrCorrupt
	}
	return f, nil
}

// block returns block n of the image.
func (f *FS) block(n uint64) ([]byte, error) {
	// n is up to 48 bits and f.blocks up to 63: n*f.bs can wrap, so n is
	// checked against the blocks the data holds, by division.
	if n == 0 || n >= uint64(f.blocks) || n >= uint64(len(f.data))/uint64(f.bs) {
		return nil, ErrCorrupt
	}
	return f.data[int64(n)*f.bs : int64(n+1)*f.bs], nil
}

// inode returns inode n's bytes.
func (f *FS) inode(n uint32) ([]byte, error) {
	if n == 0 {
		return nil, ErrCorrupt
	}
	g, i := int64((n-1)/f.perGroup), int64((n-1)%f.perGroup)
	if g >= f.groups {
		return nil, ErrCorrupt
	}
	d := f.data[f.descAt+g*f.descSize:]
	le := binary.LittleEndian
	table := uint64(le.Uint32(d[8:]))
	if f.incompat64 && f.descSize >= 64 {
		table |= uint64(le.Uint32(d[0x28:])) << 32
	}
	if table == 0 || table >= uint64(f.blocks) || table >= uint64(len(f.data))/uint64(f.bs) {
		return nil, ErrCorrupt // checked before the multiplication, which could wrap
	}
	at := int64(table)*f.bs + i*f.inodeSize
	if at+f.inodeSize > int64(len(f.data)) {
		return nil, ErrCorrupt
	}
	return f.data[at : at+f.inodeSize], nil
}

// File is one regular file or symlink of the image.
type File struct {
	Path    string
	Size    int64
	Symlink bool
	inode   uint32
}

// Walk calls yield with every regular file and symlink under the root
// folder, folders first walked in their entries' order, until yield
// returns false. A folder that cannot be read is reported to bad, and
// the walk goes on; at most maxDepth folders deep.
//
// The folders read are no more bytes in all than the image (review15
// B-2): a folder with a hole is corrupt (Linux refuses one too), so each
// folder byte is a block of the image, and past the image's size in
// folders (group descriptors sharing an inode table give one folder
// inode many numbers) the rest are reported to bad, so that the walk
// costs no more than its image.
func (f *FS) Walk(maxDepth int, yield func(File) bool, bad func(path string, err error)) {
	seen := map[uint32]bool{rootInode: true}
	budget := int64(len(f.data))
	var walk func(ino uint32, prefix string, depth int) bool
	walk = func(ino uint32, prefix string, depth int) bool {
		data, err := f.read(ino, min(64<<20, budget), true)
		if errors.Is(err, ErrTooLarge) {
			err = ErrFolders
		}
		if err != nil {
			bad(prefix, err)
			return true
		}
		budget -= int64(len(data))
		le := binary.LittleEndian
		for p := 0; p+8 <= len(data); {
			child, rec, nlen, typ := le.Uint32(data[p:]), int(le.Uint16(data[p+4:])), int(data[p+6]), data[p+7]
			if rec < 8 || p+rec > len(data) || 8+nlen > rec {
				bad(prefix, ErrCorrupt)
				return true
			}
			name := string(data[p+8 : p+8+nlen])
			p += rec
			if child == 0 || name == "." || name == ".." {
				continue
			}
			path := prefix + name
			switch typ {
			case 2: // a folder
				if seen[child] {
					continue
				}
				seen[child] = true
				if depth >= maxDepth {
					bad(path, ErrCorrupt)
					continue
				}
				if !walk(child, path+"/", depth+1) {
					return false
				}
			case 1, 7: // a file, a symlink
				in, err := f.inode(child)
				if err != nil {
					bad(path, err)
					continue
				}
				if !yield(File{Path: path, Size: size(in), Symlink: typ == 7, inode: child}) {
					return false
				}
			}
		}
		return true
	}
	walk(rootInode, "", 0)
}

func size(in []byte) int64 {
	le := binary.LittleEndian
	return int64(le.Uint32(in[4:])) | int64(le.Uint32(in[0x6c:]))<<32
}

// Read returns a file's bytes, at most limit of them (more: ErrTooLarge).
func (f *FS) Read(file File, limit int64) ([]byte, error) {
	return f.read(file.inode, limit, false)
}

// ErrFolders is reported for a folder past the walk's budget: the
// folders read before it were as many bytes as the image.
var ErrFolders = errors.New("folders larger in all than their image")

// ErrTooLarge is returned for a file larger than the limit Read is given.
var ErrTooLarge = errors.New("larger than the limit")

// read reads inode ino's bytes, at most limit; a folder's holes are
// ErrCorrupt.
func (f *FS) read(ino uint32, limit int64, folder bool) ([]byte, error) {
	in, err := f.inode(ino)
	if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	n := size(in)
	if n < 0 {
		return nil, ErrCorrupt
	}
	if n > limit {
		return nil, ErrTooLarge
	}
	if n > int64(len(f.data))*2+1<<20 {
		return nil, ErrCorrupt // no hole-free file is larger than its image
	}
	flags := le.Uint32(in[0x20:])
	mode := le.Uint16(in[0:])
	if flags&0x10000800 != 0 { // inline data, encrypted
		return nil, ErrUnsupported
	}
	if mode&0xf000 == 0xa000 && n < 60 && flags&0x80000 == 0 {
		return append([]byte(nil), in[0x28:0x28+n]...), nil // a fast symlink
	}
	out := make([]byte, 0, min(n, 1<<20))
	var zeros []byte // one block of them, for every uninitialized block
	put := func(logical, physical uint64, count uint64, zero bool) error {
		if folder && zero {
			return ErrCorrupt
		}
		if filled := uint64(len(out)) / uint64(f.bs); logical+count <= filled {
			return nil // blocks given twice: the first stay
		} else if logical < filled {
			skip := filled - logical
			logical, physical, count = logical+skip, physical+skip, count-skip
		}
		for i := uint64(0); i < count; i++ {
			at := int64(logical+i) * f.bs
			if at >= n {
				return nil
			}
			if at > int64(len(out)) {
				if folder {
					return ErrCorrupt
				}
				out = append(out, make([]byte, at-int64(len(out)))...) // a hole
			}
			if at < int64(len(out)) {
				continue // a block given twice: the first stays
			}
			var b []byte
			if zero {
				if zeros == nil {
					zeros = make([]byte, f.bs)
				}
				b = zeros
			} else if b, err = f.block(physical + i); err != nil {
				return err
			}
			out = append(out, b[:min(f.bs, n-at)]...)
		}
		return nil
	}
	if flags&0x80000 != 0 {
		// Each node read maps a block at least, or the tree is bad: a
		// tree whose index nodes all point at one leaf is cut short.
		nodes := n/f.bs + 16
		err = f.extents(in[0x28:0x28+60], 0, &nodes, put)
	} else {
		err = f.blockMap(in[0x28:0x28+60], n, put)
	}
	if err != nil {
		return nil, err
	}
	if int64(len(out)) < n {
		if folder {
			return nil, ErrCorrupt
		}
		out = append(out, make([]byte, n-int64(len(out)))...) // a hole at the end
	}
	return out, nil
}

// extents walks an extent tree node: leaves map runs of blocks, index
// nodes point at the node below.
func (f *FS) extents(node []byte, depth int, nodes *int64, put func(l, p, n uint64, zero bool) error) error {
	le := binary.LittleEndian
	if *nodes--; len(node) < 12 || le.Uint16(node) != 0xf30a || depth > maxTree || *nodes < 0 {
		return ErrCorrupt
	}
	entries, d := int(le.Uint16(node[2:])), le.Uint16(node[6:])
	if 12+12*entries > len(node) {
		return ErrCorrupt
	}
	for i := range entries {
		e := node[12+12*i:]
		if d == 0 {
			count, zero := uint64(le.Uint16(e[4:])), false
			if count > 32768 {
				count, zero = count-32768, true // uninitialized: reads as zeros
			}
			start := uint64(le.Uint16(e[6:]))<<32 | uint64(le.Uint32(e[8:]))
			if err := put(uint64(le.Uint32(e)), start, count, zero); err != nil {
				return err
			}
			continue
		}
		child, err := f.block(uint64(le.Uint16(e[8:]))<<32 | uint64(le.Uint32(e[4:])))
		if err != nil {
			return err
		}
		if err := f.extents(child, depth+1, nodes, put); err != nil {
			return err
		}
	}
	return nil
}

// blockMap walks ext2's and ext3's block map: 12 direct blocks, then a
// single, a double and a triple indirect block, as far as the file's size
// reaches.
func (f *FS) blockMap(m []byte, n int64, put func(l, p, c uint64, zero bool) error) error {
	le := binary.LittleEndian
	total := uint64((n + f.bs - 1) / f.bs)
	per := uint64(f.bs / 4)
	var logical uint64
	var walk func(b uint32, level int) error
	walk = func(b uint32, level int) error {
		if logical >= total {
			return nil
		}
		span := uint64(1)
		for range level {
			span *= per
		}
		if b == 0 { // a hole
			logical += span
			return nil
		}
		if level == 0 {
			err := put(logical, uint64(b), 1, false)
			logical++
			return err
		}
		blk, err := f.block(uint64(b))
		if err != nil {
			return err
		}
		for i := uint64(0); i < per && logical < total; i++ {
			if err := walk(le.Uint32(blk[4*i:]), level-1); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range 15 {
		level := max(0, i-11)
		if err := walk(le.Uint32(m[4*i:]), level); err != nil {
			return err
		}
	}
	return nil
}
