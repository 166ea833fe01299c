// Package cfb reads Microsoft's Compound File Binary format (OLE2, [MS-CFB]):
// the container of .doc, .xls, .ppt, .msg and .msi files and of the VBA
// project (vbaProject.bin) that .xlsm, .docm and .pptm files carry. A
// compound file is a file system in sectors: a FAT chains each stream's
// sectors, which need not lie in order, and streams under 4096 bytes lie
// in 64-byte sectors of a mini stream, so that a stream's bytes are
// whole only once its chain is followed (qa16 HIGH-9).
//
// Nothing read from the file is trusted for an allocation: a chain is
// followed at most as many steps as the file has sectors, a stream is
// never longer than its chain, and the directory is never larger than
// the file.
package cfb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"unicode/utf16"
)

// Signature opens every compound file.
var Signature = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// ErrCorrupt is returned for a header, a chain or a directory that does
// not hold.
var ErrCorrupt = errors.New("corrupt compound file")

const (
	endOfChain = 0xfffffffe
	noStream   = 0xffffffff
	maxDepth   = 64
)

// File is an open compound file.
type File struct {
	data      []byte
	shift     uint // sector size: 1<<shift
	fat, mini []uint32
	ministr   []byte // the mini stream, whole
	cutoff    uint64
	dir       []byte
	sectors   int // the whole sectors the file holds
}

// Entry is one stream: its path (storages and the stream's name, joined
// by '/'), its size, and where its chain starts.
type Entry struct {
	Path  string
	Size  int64
	start uint32
}

// Open reads data's header, FAT, directory and mini stream.
func Open(data []byte) (*File, error) {
	if len(data) < 512 || !bytes.HasPrefix(data, Signature) {
		return nil, ErrCorrupt
	}
	le := binary.LittleEndian
	f := &File{data: data, shift: uint(le.Uint16(data[0x1e:])), cutoff: uint64(le.Uint32(data[0x38:]))}
	if f.shift != 9 && f.shift != 12 || le.Uint16(data[0x20:]) != 6 {
		return nil, ErrCorrupt
	}
	if len(data)>>f.shift < 2 {
		return nil, ErrCorrupt
	}
	sectors := uint32(len(data)>>f.shift - 1)
	f.sectors = int(sectors)
	// The FAT's sectors: 109 in the header, the rest in the DIFAT chain.
	var fatSecs []uint32
	for i := range 109 {
		if s := le.Uint32(data[0x4c+4*i:]); s < sectors {
			fatSecs = append(fatSecs, s)
		}
	}
	per := 1<<f.shift/4 - 1
	for s, n := le.Uint32(data[0x44:]), 0; s < sectors; n++ {
		if n >= int(sectors) {
			return nil, ErrCorrupt
		}
		b := f.sector(s)
		for i := range per {
			if v := le.Uint32(b[4*i:]); v < sectors {
				fatSecs = append(fatSecs, v)
			}
		}
		s = le.Uint32(b[4*per:])
	}
	if len(fatSecs) > int(sectors) {
		return nil, ErrCorrupt
	}
	for _, s := range fatSecs {
		b := f.sector(s)
		for i := 0; i < len(b); i += 4 {
			f.fat = append(f.fat, le.Uint32(b[i:]))
		}
	}
	var err error
	if f.dir, err = f.chain(le.Uint32(data[0x30:]), -1, false); err != nil {
		return nil, err
	}
	mini, err := f.chain(le.Uint32(data[0x3c:]), -1, false)
	if err != nil {
		return nil, err
	}
	for i := 0; i+4 <= len(mini); i += 4 {
		f.mini = append(f.mini, le.Uint32(mini[i:]))
	}
	if len(f.dir) >= 128 {
		root := f.dir[:128]
		if f.ministr, err = f.chain(le.Uint32(root[0x74:]), int64(le.Uint64(root[0x78:])&0xffffffff), false); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// sector returns sector s, which the caller checked lies in the file.
func (f *File) sector(s uint32) []byte {
	at := (int(s) + 1) << f.shift
	return f.data[at : at+1<<f.shift]
}

// chain reads the chain from start, in sectors of the FAT or of the mini
// FAT, up to size bytes (-1: the whole chain).
func (f *File) chain(start uint32, size int64, mini bool) ([]byte, error) {
	// A chain visits each sector once: one longer loops.
	table, unit, steps := f.fat, 1<<f.shift, f.sectors
	if mini {
		table, unit, steps = f.mini, 64, len(f.ministr)/64
	}
	var out []byte
	for s, n := start, 0; s != endOfChain && (size < 0 || int64(len(out)) < size); n++ {
		if int(s) >= len(table) || n >= steps {
			return nil, ErrCorrupt
		}
		var b []byte
		if mini {
			at := int(s) * 64
			if at+64 > len(f.ministr) {
				return nil, ErrCorrupt
			}
			b = f.ministr[at : at+64]
		} else {
			if (int(s)+2)<<f.shift > len(f.data) {
				return nil, ErrCorrupt
			}
			b = f.sector(s)
		}
		out = append(out, b[:unit]...)
		s = table[s]
	}
	if size >= 0 {
		if int64(len(out)) < size {
			return nil, ErrCorrupt
		}
		out = out[:size]
	}
	return out, nil
}

// Streams lists the file's streams, storages first walked in the
// directory's order, at most max of them (more: there were others).
func (f *File) Streams(max int) (es []Entry, more bool, err error) {
	le := binary.LittleEndian
	n := uint32(len(f.dir) / 128)
	seen := make([]bool, n)
	var walk func(id uint32, prefix string, depth int) error
	walk = func(id uint32, prefix string, depth int) error {
		// The siblings of a storage's children are a tree of left and
		// right links; a stack walks it without recursion.
		stack := []uint32{id}
		for len(stack) > 0 {
			id := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if id == noStream {
				continue
			}
			if id >= n || seen[id] || depth > maxDepth {
				return ErrCorrupt
			}
			seen[id] = true
			e := f.dir[int(id)*128 : int(id)*128+128] // int: id*128 in uint32 wraps past 4 GiB
			stack = append(stack, le.Uint32(e[0x48:]), le.Uint32(e[0x44:]))
			name := entryName(e)
			switch e[0x42] {
			case 1:
				if err := walk(le.Uint32(e[0x4c:]), prefix+name+"/", depth+1); err != nil {
					return err
				}
			case 2:
				if len(es) == max {
					more = true
					return nil
				}
				size := int64(le.Uint64(e[0x78:]))
				if f.shift == 9 {
					size &= 0xffffffff // version 3 files leave the high half undefined
				}
				es = append(es, Entry{Path: prefix + name, Size: size, start: le.Uint32(e[0x74:])})
			}
		}
		return nil
	}
	if n == 0 || f.dir[0x42] != 5 {
		return nil, false, ErrCorrupt
	}
	seen[0] = true
	err = walk(le.Uint32(f.dir[0x4c:]), "", 0)
	return es, more, err
}

// entryName decodes a directory entry's UTF-16 name; control characters
// some writers begin names with (\x05SummaryInformation) are dropped.
func entryName(e []byte) string {
	n := int(binary.LittleEndian.Uint16(e[0x40:]))
	if n > 64 {
		n = 64
	}
	u := make([]uint16, 0, n/2)
	for i := 0; i+1 < n; i += 2 {
		c := binary.LittleEndian.Uint16(e[i:])
		if c == 0 {
			break
		}
		if c >= 0x20 {
			u = append(u, c)
		}
	}
	return string(utf16.Decode(u))
}

// Read returns a stream's bytes, its chain followed in the mini stream
// when it is smaller than the cutoff (4096 bytes).
func (f *File) Read(e Entry) ([]byte, error) {
	if e.Size < 0 || e.Size > int64(len(f.data)) {
		return nil, ErrCorrupt
	}
	if e.Size == 0 {
		return nil, nil
	}
	return f.chain(e.start, e.Size, uint64(e.Size) < f.cutoff)
}
