package archive

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/keyscan/keyscan/scanner/archive/cfb"
)

// sharedDirs lays out a compound file of n storages named VBA, each
// holding a dir stream, all of them one chain of raw VBA chunks (size
// bytes decoded): a file of size bytes and a directory whose dir streams
// decode to n times that.
func sharedDirs(n, size int) []byte {
	le := binary.LittleEndian
	const sec = 512
	entries := 2*n + 1
	dirSecs := (entries*128 + sec - 1) / sec
	container := []byte{1}
	for len(container) < size {
		container = append(binary.LittleEndian.AppendUint16(container, 0x3fff), bytes.Repeat([]byte("A"), 4096)...)
	}
	dataSecs := (len(container) + sec - 1) / sec
	fatSecs := (1 + dirSecs + dataSecs + 1 + sec/4 - 1) / (sec / 4)
	total := fatSecs + dirSecs + dataSecs
	f := make([]byte, sec*(1+total))
	copy(f, cfb.Signature)
	le.PutUint16(f[0x18:], 0x3e)
	le.PutUint16(f[0x1a:], 3)
	le.PutUint16(f[0x1c:], 0xfffe)
	le.PutUint16(f[0x1e:], 9)
	le.PutUint16(f[0x20:], 6)
	le.PutUint32(f[0x2c:], uint32(fatSecs))
	le.PutUint32(f[0x30:], uint32(fatSecs)) // the directory after the FAT
	le.PutUint32(f[0x38:], 4096)
	le.PutUint32(f[0x3c:], 0xfffffffe)
	le.PutUint32(f[0x44:], 0xfffffffe)
	for i := range 109 {
		v := uint32(0xffffffff)
		if i < fatSecs {
			v = uint32(i)
		}
		le.PutUint32(f[0x4c+4*i:], v)
	}
	fat := f[sec : sec+fatSecs*sec]
	for i := range fatSecs * sec / 4 {
		le.PutUint32(fat[4*i:], 0xffffffff)
	}
	for i := range fatSecs {
		le.PutUint32(fat[4*i:], 0xfffffffd)
	}
	chain := func(first, count int) {
		for s := first; s < first+count; s++ {
			next := uint32(s + 1)
			if s == first+count-1 {
				next = 0xfffffffe
			}
			le.PutUint32(fat[4*s:], next)
		}
	}
	chain(fatSecs, dirSecs)
	dataAt := fatSecs + dirSecs
	chain(dataAt, dataSecs)
	copy(f[sec*(1+dataAt):], container)
	dir := f[sec*(1+fatSecs):]
	entry := func(id int, name string, typ byte, child, right uint32) []byte {
		e := dir[id*128 : id*128+128]
		u := utf16.Encode([]rune(name))
		for i, c := range u {
			le.PutUint16(e[2*i:], c)
		}
		le.PutUint16(e[0x40:], uint16(2*len(u)+2))
		e[0x42] = typ
		le.PutUint32(e[0x44:], 0xffffffff)
		le.PutUint32(e[0x48:], right)
		le.PutUint32(e[0x4c:], child)
		return e
	}
	entry(0, "Root Entry", 5, 1, 0xffffffff)
	le.PutUint32(dir[0x74:], 0xfffffffe)
	for i := range n {
		right := uint32(0xffffffff)
		if i+1 < n {
			right = uint32(2*i + 3)
		}
		entry(2*i+1, "VBA", 1, uint32(2*i+2), right)
		e := entry(2*i+2, "dir", 2, 0xffffffff, 0xffffffff)
		le.PutUint32(e[0x74:], uint32(dataAt))
		le.PutUint64(e[0x78:], uint64(len(container)))
	}
	return f
}

// TestOLEDirBudget: the dir streams of a compound file are decoded no
// more, in all, than the VBA search's budget (review15 B-5's rest: any
// number of dir streams sharing one chain were each decoded up to
// max_file_size, uncharged); those past it are counted.
func TestOLEDirBudget(t *testing.T) {
	data := sharedDirs(1000, 64<<10)
	lim := DefaultLimits()
	lim.MaxMembers = 100000
	_, warns, _ := walk(t, "shared.doc", data, lim)
	over := 0
	for _, w := range warns {
		if strings.Contains(w, "dir stream not read") {
			over++
		}
	}
	if over == 0 {
		t.Errorf("no dir stream past the budget; %d warnings: %q", len(warns), warns[:min(len(warns), 5)])
	}
}
