package scanner

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"math"
	"slices"
	"strconv"
)

// A Go program built for WebAssembly (GOOS=js or wasip1, GOARCH=wasm)
// packs its strings back to back in its data as the other ports do, and
// refers to them the same two ways: string headers in the data, and code
// that sets a header up (a call's arguments are stored to Go's stack in
// linear memory). wasmRefs reads both, for goRefs.
//
// The module is read here, bounded and checked at every length: no
// standard package parses WebAssembly, and the parts needed are few. Its
// data section's active segments place bytes of the file at addresses of
// linear memory (an i32.const offset each); Go's linker writes tens of
// thousands of them (it leaves runs of zeros out), so the segments are
// kept sorted by address and looked up by halving. A header is two 8-byte
// words (GOARCH=wasm is a 64-bit port), read in the segments as in an
// ELF's data. In the code section, Go writes a string argument as
// `i64.const ADDR; i64.store` then, a few instructions on, `i64.const
// 20|40; i64.store` (the length, one word further up the stack): the
// code is not decoded, each i64.const opcode (0x42) whose signed LEB128
// operand is a mapped address is taken, with a length stored within
// refWindow bytes after it or, failing that, refBefore bytes before it,
// or wasmMapBefore bytes before it into a header's second word.
// A reference's site is its offset in the code section past codeSites,
// apart from the linear addresses of the headers' sites, so a secret pairs
// with the key ID referenced nearest to it in the same part.

const (
	wasmMagic       = "\x00asm\x01\x00\x00\x00"
	maxWasmSegments = 1 << 20 // 32 MiB of spans at most; Go's own programs have 30,000 to 300,000
	codeSites       = 1 << 48 // sites of code references, past any linear address (32-bit)
	// wasmMapBefore: bytes before an address in which a length stored
	// into a header's second word is looked for (a map literal's value
	// is stored length first, then its address past the write barrier's
	// test: 90 to 140 bytes before it in Go 1.26's code).
	wasmMapBefore = 256
)

// wasmRefs is goRefs for a WebAssembly module; a module cut short (a
// section whose length runs past its end), or whose data segments cannot
// all be read, says so in unread.
func wasmRefs(data []byte) (ids, secrets []goRef, unread string) {
	im := &binImage{data: data, word: 8, wasm: true}
	var code []byte
	codeAt := 0
	for i := len(wasmMagic); i < len(data); {
		n, k, ok := uleb(data, i+1)
		if !ok || n > uint64(len(data)-k) {
			unread = "WebAssembly module cut short or malformed: its string references past byte " + strconv.Itoa(i) + " not read"
			break
		}
		switch data[i] {
		case 10:
			code, codeAt = data[k:k+int(n)], k
		case 11:
			if !wasmSegments(im, data[k:k+int(n)], k) && unread == "" {
				unread = "WebAssembly module's data segments malformed or past a bound: not all read for their string references"
			}
		}
		i = k + int(n)
	}
	if len(im.spans) == 0 {
		return nil, nil, unread
	}
	if !slices.IsSortedFunc(im.spans, func(a, b mapped) int { return cmp.Compare(a.addr, b.addr) }) {
		slices.SortStableFunc(im.spans, func(a, b mapped) int { return cmp.Compare(a.addr, b.addr) })
	}
	r := refs{im: im, seen: map[int]bool{}}
	if code != nil {
		r.wasmConsts(code, codeAt)
	}
	for k := range im.spans {
		r.wasmHeaders(k)
	}
	return r.ids, r.secrets, unread
}

// wasmHeaders is headers for the k-th data segment, whose last header's
// length may be cut short: the linker leaves out the zeros that end a
// segment (a length of 40 is one byte 0x28 and seven zeros), and memory
// not written by a segment reads as zeros. A length word that runs past
// the segment's end is read with zeros for the bytes left out, when no
// other segment writes them.
func (r *refs) wasmHeaders(k int) {
	s := r.im.spans[k]
	d := r.im.data[s.off : s.off+s.size]
	room := uint64(math.MaxUint64) // bytes of zeros after the segment
	if k+1 < len(r.im.spans) {
		room = r.im.spans[k+1].addr - min(r.im.spans[k+1].addr, s.addr+s.size)
	}
	var word [8]byte
	for i := (8 - s.addr%8) % 8; i+8 < uint64(len(d)); i += 8 {
		n := uint64(len(d)) - (i + 8)
		if n < 8 && 8-n > room {
			break
		}
		clear(word[:])
		copy(word[:], d[i+8:])
		if n := binary.LittleEndian.Uint64(word[:]); n == 20 || n == 40 {
			r.ref(binary.LittleEndian.Uint64(d[i:]), n, s.addr+i)
		}
	}
}

// wasmSegments adds the active data segments of a data section's body d
// (at file offset at) to im: flag 0 (memory 0) or 2 (a memory index), an
// offset expression of one i32.const or i64.const, then the bytes. A
// passive segment (flag 1) has no address. Reading stops at the first
// segment it cannot read, or at maxWasmSegments: false then.
func wasmSegments(im *binImage, d []byte, at int) bool {
	count, i, ok := uleb(d, 0)
	if !ok {
		return false
	}
	for ; count > 0; count-- {
		if im.over > 0 {
			return false
		}
		var flag uint64
		if flag, i, ok = uleb(d, i); !ok || flag > 2 {
			return false
		}
		var addr int64
		active := flag != 1
		if flag == 2 {
			if _, i, ok = uleb(d, i); !ok {
				return false
			}
		}
		if active {
			if i >= len(d) || d[i] != 0x41 && d[i] != 0x42 {
				return false
			}
			op := d[i]
			if addr, i, ok = sleb(d, i+1); !ok || i >= len(d) || d[i] != 0x0b {
				return false
			}
			if op == 0x41 {
				addr = int64(uint32(addr)) // i32.const: an address past 2 GiB is written negative
			}
			if addr < 0 {
				return false
			}
			i++
		}
		var n uint64
		if n, i, ok = uleb(d, i); !ok || n > uint64(len(d)-i) {
			return false
		}
		if active && n > 0 {
			im.add(mapped{addr: uint64(addr), size: n, off: uint64(at + i), data: true})
		}
		i += int(n)
	}
	return true
}

// wasmConsts reads the code section's i64.const of a mapped address with
// the length stored near it (see the file's comment).
func (r *refs) wasmConsts(d []byte, at int) {
	for i := 0; i < len(d); i++ {
		j := bytes.IndexByte(d[i:], 0x42)
		if j < 0 {
			return
		}
		i += j
		v, end, ok := sleb(d, i+1)
		if !ok || v < 0 || uint64(v) < r.im.lo || uint64(v) >= r.im.hi {
			continue
		}
		// The paired stores first (the address's store and the length's
		// one word further up, as headerStored pairs them on amd64): an
		// inlined &P{id, secret} stores each length before its address,
		// and the looser tests below would take the next field's.
		n := uint32(0)
		if at, ok := wasmStored(d, i, end); ok {
			n = wasmLenAt(d, end, min(len(d), end+refWindow), at+8, false)
			if n == 0 {
				n = wasmLenAt(d, max(0, i-wasmMapBefore), i, at+8, true)
			}
		}
		if n == 0 {
			n = wasmLenStored(d[end:min(len(d), end+refWindow)], false, false)
		}
		if n == 0 {
			n = wasmLenStored(d[max(0, i-refBefore):i], true, false)
		}
		if n == 0 {
			n = wasmLenStored(d[max(0, i-wasmMapBefore):i], true, true)
		}
		if n != 0 {
			r.ref(uint64(v), uint64(n), codeSites+uint64(at+i))
		}
	}
}

// wasmLenStored is the length 20 or 40 that an `i64.const n; i64.store`
// in w stores: the first such in w, or the last when last is set; 0 if
// none does. second takes only a store 8 bytes past its base, into a
// header's second word (`i64.store align=3 offset=8`).
func wasmLenStored(w []byte, last, second bool) uint32 {
	found := uint32(0)
	for k := 0; k+3 <= len(w); k++ {
		if w[k] == 0x42 && (w[k+1] == 20 || w[k+1] == 40) && w[k+2] == 0x37 && (!second || k+5 <= len(w) && w[k+3] == 3 && w[k+4] == 8) {
			found = uint32(w[k+1])
			if !last {
				return found
			}
		}
	}
	return found
}

// wasmStored reports where the i64.const at d[i] (its operand ending at
// d[end]) is stored, when an i64.store follows it: the store's offset plus
// the constant added to its base just before the i64.const (`i64.const X;
// i64.add; i32.wrap_i64`, as Go addresses its stack: SP+X), from the
// base's value.
func wasmStored(d []byte, i, end int) (int64, bool) {
	if end >= len(d) || d[end] != 0x37 {
		return 0, false
	}
	_, k, ok := uleb(d, end+1) // alignment
	if !ok {
		return 0, false
	}
	off, _, ok := uleb(d, k)
	if !ok || off > 1<<32 {
		return 0, false
	}
	at := int64(off)
	if i >= 4 && d[i-1] == 0xa7 && d[i-2] == 0x7c && d[i-3] < 0x80 {
		j := i - 3
		for j > max(0, i-13) && d[j-1] >= 0x80 {
			j--
		}
		if j > 0 && d[j-1] == 0x42 {
			if x, e, ok := sleb(d, j); ok && e == i-2 && x >= 0 && x < 1<<32 {
				at += x
			}
		}
	}
	return at, true
}

// wasmLenAt is the length 20 or 40 of an `i64.const n; i64.store` in
// d[from:to] stored at the place want (wasmStored): the first, or the last
// when last is set (the nearest before an address: an earlier call's
// argument may have been stored at the same place); 0 if none is.
func wasmLenAt(d []byte, from, to int, want int64, last bool) uint32 {
	found := uint32(0)
	for k := from; k+3 <= to; k++ {
		if d[k] != 0x42 || d[k+1] != 20 && d[k+1] != 40 || d[k+2] != 0x37 {
			continue
		}
		if at, ok := wasmStored(d, k, k+2); ok && at == want {
			found = uint32(d[k+1])
			if !last {
				return found
			}
		}
	}
	return found
}

// uleb reads an unsigned LEB128 number of at most 64 bits at d[i]: the
// number, the index past it, and whether it was whole.
func uleb(d []byte, i int) (v uint64, next int, ok bool) {
	for shift := uint(0); shift < 64 && i < len(d); shift += 7 {
		b := d[i]
		i++
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return v, i, true
		}
	}
	return 0, i, false
}

// sleb reads a signed LEB128 number of at most 64 bits at d[i], as uleb.
func sleb(d []byte, i int) (v int64, next int, ok bool) {
	for shift := uint(0); shift < 64 && i < len(d); shift += 7 {
		b := d[i]
		i++
		v |= int64(b&0x7f) << shift
		if b < 0x80 {
			if shift+7 < 64 && b&0x40 != 0 {
				v |= -1 << (shift + 7)
			}
			return v, i, true
		}
	}
	return 0, i, false
}
