package scanner

import (
	"bytes"
	"cmp"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/keyscan/keyscan/rules"
)

// A secret in a Go program's string constant, or in a struct literal's
// field, has no symbol of its own (goStrings reads variables only), and a
// stripped binary has none at all: the linker packs the 40 bytes between
// other 40-byte strings ("...already connectedt/ttKR...+fMapIter.Key
// called..."), where nothing in the printable runs says where it starts.
// What the program holds of the string says so, though: Go refers to a
// string by a header, its address and its length, written in the data
// (a struct literal's fields, a constant converted to an interface, a
// variable) or loaded by the code (LEAQ the address, MOVL $40 the length,
// a call's arguments on amd64). goRefs reads those references: the 8-byte
// aligned (address, 20 or 40) pairs of the data sections (through the
// relative relocations in a position-independent executable, whose
// pointers the loader writes), and on amd64 the RIP-relative LEAs followed
// within a few instructions by a move of 20 or 40. A string so referenced
// has its bounds: a key ID where its 20 bytes are one, a secret candidate
// where its 40 bytes are secret characters.
//
// The guard: a referenced 40-byte string is read as a secret only in a
// binary that also refers to a key ID so (a program holding a key pair as
// constants holds both), when it is not words (refWords) and passes the
// value tests of a strongly named secret, paired with the key ID
// referenced nearest to it; the matcher then applies its usual tests to
// the two, on lines of a group of their own. A referenced key ID is
// bounded by its reference, so it is read even where the glued key ID's
// guard would drop it (an AKIA ID of letters that read as English,
// gluedWordLike); the matcher's own test of words (wordLike: a key ID
// that cuts into words, qa33 M4) still applies on its line. A binary that
// refers to no key ID gives nothing, so the go toolchain's own binaries
// and the system's programs, which hold none, give nothing either.
// Little-endian ELF, PE and Mach-O binaries (a universal Mach-O's every
// image), 64-bit and 32-bit, are read: their data's headers (two words,
// a pointer's size each) on any architecture, their code on amd64, arm64
// (ADRP and ADD, a MOVZ of the length near), 386 (LEAL of an absolute
// address, MOVL of the length: Go's 386 calls pass arguments on the
// stack) and 32-bit ARM (LDR from the literal pool, MOVW of the length).
// A WebAssembly module's data segments and code are read too (gowasm.go).
// A map literal's value is stored length first, past the write barrier's
// test, so on each architecture a length stored into a header's second
// word is also looked for further before the address load.

// Bounds: the references kept of each length, and the candidate secrets
// checked (each a check of a strongly named secret).
const (
	maxStringRefs = 1 << 12
	maxRefChecks  = 256
	refWindow     = 24 // bytes after a LEA in which its length is looked for
	refBefore     = 64 // bytes before it, failing that (a map literal's value: past a write barrier)
	refArm64      = 6  // arm64 instructions after an address load, or before it, in which its length is looked for
	maxImageSpans = 1024
)

// maxRefWordiness is the count of common English trigrams (wordiness) at
// which a referenced string is words, not a secret: a program's packed
// names ("TokenApostropheTokenOParen...", "repositorydetachKeys...") pass
// the entropy tests, and a reference that only seems one (a pointer, then
// an unrelated 40) lands on them. With refWords' second test, 94 of
// 200,000 random secrets (fakekey) are taken for words, about one in
// 2,100; of the 81 referenced strings of secret characters in the 878
// binaries of this project's test machine (the go toolchain, /usr/bin),
// one is not.
const maxRefWordiness = 3

// goRef is a string a binary refers to: where it lies in the file, and the
// address of the reference (a header's, or the LEA's).
type goRef struct {
	off  int
	site uint64
}

// binImage maps a binary's virtual addresses to its file.
type binImage struct {
	data  []byte
	word  uint64 // a pointer's size: 8, or 4 in a 32-bit binary
	spans []mapped
	lo    uint64 // the lowest address and one past the highest mapped
	hi    uint64
	// byAddr are the spans in address order, looked up by halving (a
	// WebAssembly module has tens of thousands of data segments; a
	// hostile ELF, thousands of sections), made by offset's first call.
	byAddr []mapped
	wasm   bool // a WebAssembly module's data segments
	// cut counts the sections that lie past the file's end, over the
	// spans past maxImageSpans: neither is read.
	cut, over int
}

type mapped struct {
	addr, size uint64
	off        uint64
	code       byte // the code's architecture, to read its references: 0 none, amd64 or arm64
	data       bool // data to read for headers
}

func (im *binImage) add(s mapped) {
	if s.off > uint64(len(im.data)) || s.size > uint64(len(im.data))-s.off {
		im.cut++
		return
	}
	if s.addr > math.MaxUint64-s.size {
		return
	}
	if len(im.spans) == im.maxSpans() {
		im.over++
		return
	}
	if len(im.spans) == 0 || s.addr < im.lo {
		im.lo = s.addr
	}
	im.hi = max(im.hi, s.addr+s.size)
	im.spans = append(im.spans, s)
}

// maxSpans bounds the spans read: every span is read whole, and a hostile
// file's sections can each map all of it (qa35 1: 20,000 sections, 3.6
// CPU seconds; 65,000, 43). Go's executables have 20 to 40 sections; a
// WebAssembly module's data segments are many, each its own bytes.
func (im *binImage) maxSpans() int {
	if im.wasm {
		return maxWasmSegments
	}
	return maxImageSpans
}

// offset maps the n bytes at addr to the file, when one span holds them.
func (im *binImage) offset(addr uint64, n int) (int, bool) {
	if addr < im.lo || addr >= im.hi {
		return 0, false
	}
	if im.byAddr == nil {
		im.byAddr = slices.Clone(im.spans)
		slices.SortStableFunc(im.byAddr, func(a, b mapped) int { return cmp.Compare(a.addr, b.addr) })
	}
	k, _ := slices.BinarySearchFunc(im.byAddr, addr, func(s mapped, a uint64) int { return cmp.Compare(s.addr, a+1) })
	if k == 0 {
		return 0, false
	}
	if s := im.byAddr[k-1]; addr-s.addr <= s.size && s.size-(addr-s.addr) >= uint64(n) {
		return int(s.off + addr - s.addr), true
	}
	return 0, false
}

// unread says what of the image was not read for its references, or "".
func (im *binImage) unread() string {
	switch {
	case im.cut > 0:
		return fmt.Sprintf("executable cut short: %d of its sections lie past its end, their string references not read", im.cut)
	case im.over > 0:
		return fmt.Sprintf("executable of more than %d sections: %d not read for their string references", im.maxSpans(), im.over)
	}
	return ""
}

// goRefs returns the key IDs (20 bytes that pass gluedID) and the 40-byte
// strings of secret characters a little-endian ELF, PE or Mach-O binary
// (or a universal Mach-O's images), or a WebAssembly module, refers to,
// each once, in the order they are met; nothing for any other file. unread
// says what part of an executable could not be read so (cut short,
// malformed, past a bound), for the caller to report as a gap: a key whose
// glued bytes only the references bound is missed there.
func goRefs(data []byte) (ids, secrets []goRef, unread string) {
	defer func() {
		if recover() != nil { // debug/elf, debug/pe and debug/macho on hostile input
			ids, secrets, unread = nil, nil, "malformed executable: its string references not read"
		}
	}()
	if len(data) >= 8 && (binary.BigEndian.Uint32(data) == macho.MagicFat || binary.BigEndian.Uint32(data) == magicFat64) {
		return fatRefs(data)
	}
	if bytes.HasPrefix(data, []byte(wasmMagic)) {
		return wasmRefs(data)
	}
	return imageRefs(data)
}

// imageRefs is goRefs for one image: an ELF, PE or (thin) Mach-O binary.
func imageRefs(data []byte) (ids, secrets []goRef, unread string) {
	im, relocs, unread := binImageOf(data)
	if im == nil {
		return nil, nil, unread
	}
	r := refs{im: im, seen: map[int]bool{}}
	for _, s := range im.spans {
		switch {
		case s.data:
			r.headers(s)
		case s.code == amd64:
			r.leas(s)
		case s.code == i386:
			r.leals(s)
		case s.code == arm64:
			r.adrps(s)
		case s.code == arm32:
			r.ldrs(s)
		}
	}
	for _, site := range slices.Sorted(maps.Keys(relocs)) {
		if at, ok := im.offset(site+8, 8); ok {
			r.ref(relocs[site], binary.LittleEndian.Uint64(data[at:]), site)
		}
	}
	return r.ids, r.secrets, im.unread()
}

// binImageOf maps the sections of a little-endian ELF, PE or Mach-O
// binary, 64-bit or 32-bit, and returns a position-independent ELF's
// relative relocations (the pointers its loader writes); nil for any other
// file, and for one that has an executable's signature but cannot be
// parsed (cut short: its section table is at its end), with what was not
// read.
func binImageOf(data []byte) (im *binImage, relocs map[uint64]uint64, unread string) {
	const malformed = "executable cut short or malformed (%s): its string references not read"
	switch {
	case bytes.HasPrefix(data, []byte(elf.ELFMAG)):
		f, err := elf.NewFile(bytes.NewReader(data))
		if err != nil {
			return nil, nil, fmt.Sprintf(malformed, "ELF")
		}
		if f.ByteOrder != binary.LittleEndian {
			return nil, nil, ""
		}
		im = &binImage{data: data, word: 8}
		if f.Class == elf.ELFCLASS32 {
			im.word = 4
		}
		for _, s := range f.Sections {
			if s.Type != elf.SHT_PROGBITS || s.Flags&elf.SHF_ALLOC == 0 || s.Addr == 0 {
				continue
			}
			code := s.Flags&elf.SHF_EXECINSTR != 0
			im.add(mapped{addr: s.Addr, size: min(s.Size, s.FileSize), off: s.Offset, code: elfArch(code, f.Machine), data: !code})
		}
		if f.Type == elf.ET_DYN && im.word == 8 {
			relocs = relativeRelocs(f, data)
		}
	case len(data) >= 64 && data[0] == 'M' && data[1] == 'Z':
		f, err := pe.NewFile(bytes.NewReader(data))
		if err != nil {
			// Only a file whose DOS header names a PE signature is an
			// executable cut short; "MZ" alone opens other files too.
			if at := int64(binary.LittleEndian.Uint32(data[0x3c:])); at+4 <= int64(len(data)) && string(data[at:at+4]) == "PE\x00\x00" {
				return nil, nil, fmt.Sprintf(malformed, "PE")
			}
			return nil, nil, ""
		}
		var base uint64
		switch oh := f.OptionalHeader.(type) {
		case *pe.OptionalHeader64:
			im, base = &binImage{data: data, word: 8}, oh.ImageBase
		case *pe.OptionalHeader32:
			im, base = &binImage{data: data, word: 4}, uint64(oh.ImageBase)
		default:
			return nil, nil, ""
		}
		for _, s := range f.Sections {
			code := s.Characteristics&pe.IMAGE_SCN_CNT_CODE != 0
			im.add(mapped{addr: base + uint64(s.VirtualAddress), size: uint64(min(s.Size, s.VirtualSize)), off: uint64(s.Offset),
				code: peArch(code, f.Machine), data: !code})
		}
	case len(data) >= 4 && (binary.LittleEndian.Uint32(data) == macho.Magic64 || binary.LittleEndian.Uint32(data) == macho.Magic32):
		f, err := macho.NewFile(bytes.NewReader(data))
		if err != nil {
			return nil, nil, fmt.Sprintf(malformed, "Mach-O")
		}
		im = &binImage{data: data, word: 8}
		if f.Magic == macho.Magic32 {
			im.word = 4
		}
		for _, s := range f.Sections {
			const zeroFill, pureCode, someCode = 0x1, 0x80000000, 0x400
			if s.Flags&0xff == zeroFill || s.Offset == 0 {
				continue // no bytes in the file: __bss, __noptrbss
			}
			code := s.Flags&(pureCode|someCode) != 0
			im.add(mapped{addr: s.Addr, size: s.Size, off: uint64(s.Offset), code: machoArch(code, f.Cpu), data: !code})
		}
	}
	return im, relocs, ""
}

// maxFatImages bounds the images of a universal Mach-O that are read:
// Apple's have two or three (x86_64, arm64, arm64e).
const maxFatImages = 8

// magicFat64 opens a universal Mach-O whose table has 64-bit offsets and
// sizes (lipo -fat64).
const magicFat64 = 0xcafebabf

// fatRefs is goRefs for a universal Mach-O: the references of each image,
// their offsets in the whole file. Its header is read here, not by
// debug/macho, which parses every image its table lists: a table of many
// entries that all name one large image would cost that parse each time.
// Only the first maxFatImages entries are read, an entry that names the
// same bytes as one read before is not read again, and what is not read
// (entries past the bound or past the file's end) is said in unread. A
// Java class file shares the magic number; its "count" (version numbers)
// names images past its end, or images that are no Mach-O, which give
// nothing and say nothing.
func fatRefs(data []byte) (ids, secrets []goRef, unread string) {
	wide := binary.BigEndian.Uint32(data) == magicFat64
	n, size := uint64(binary.BigEndian.Uint32(data[4:])), uint64(20)
	if wide {
		size = 32
	}
	type span struct{ from, to uint64 }
	var read []span
	var past, images int
	for i := range min(n, maxFatImages) {
		e := 8 + size*i
		if e+size > uint64(len(data)) {
			break
		}
		var from, to uint64
		if wide {
			from = binary.BigEndian.Uint64(data[e+8:])
			to = from + binary.BigEndian.Uint64(data[e+16:])
		} else {
			from = uint64(binary.BigEndian.Uint32(data[e+8:]))
			to = from + uint64(binary.BigEndian.Uint32(data[e+12:]))
		}
		if from < e+size || to <= from {
			continue
		}
		if to > uint64(len(data)) {
			past++
			continue
		}
		if slices.Contains(read, span{from, to}) {
			continue
		}
		read = append(read, span{from, to})
		i, s, u := imageRefs(data[from:to])
		if u != "" {
			unread = u
		}
		if u != "" || i != nil || s != nil || isMachO(data[from:to]) {
			images++
		}
		for _, r := range i {
			ids = append(ids, goRef{off: r.off + int(from), site: r.site})
		}
		for _, r := range s {
			secrets = append(secrets, goRef{off: r.off + int(from), site: r.site})
		}
	}
	if images == 0 && !fatCPU(data, size) {
		// No image read and a first entry of no Mach-O CPU: not a
		// universal Mach-O (a Java class file's version stands where
		// the count does). A universal file whose first entries are
		// no images, padding before the real ones, is still one.
		return ids, secrets, ""
	}
	switch {
	case n > maxFatImages:
		unread = fmt.Sprintf("universal binary of %d images: those past the first %d not read for their string references", n, maxFatImages)
	case past > 0:
		unread = fmt.Sprintf("universal binary cut short: %d of its images lie past its end, their string references not read", past)
	}
	return ids, secrets, unread
}

// fatCPU reports whether the first entry of a universal file's table
// (of entries size bytes wide) names a CPU Mach-O is built for: a Java
// class file, which shares the magic, has its constant pool there.
func fatCPU(data []byte, size uint64) bool {
	if uint64(len(data)) < 8+size {
		return false
	}
	switch binary.BigEndian.Uint32(data[8:]) {
	case uint32(macho.Cpu386), uint32(macho.CpuAmd64), uint32(macho.CpuArm), uint32(macho.CpuArm64),
		uint32(macho.CpuPpc), uint32(macho.CpuPpc64), 0x0200000c: // arm64_32
		return true
	}
	return false
}

// isMachO reports whether b opens with a little-endian Mach-O's magic.
func isMachO(b []byte) bool {
	return len(b) >= 4 && (binary.LittleEndian.Uint32(b) == macho.Magic64 || binary.LittleEndian.Uint32(b) == macho.Magic32)
}

// refs gathers the references of one image.
type refs struct {
	im           *binImage
	seen         map[int]bool
	ids, secrets []goRef
}

// ref keeps the string of n bytes at addr that a reference at site gives,
// when it is a key ID or 40 secret characters.
func (r *refs) ref(addr, n, site uint64) {
	if n != 20 && n != 40 || addr < r.im.lo || addr >= r.im.hi {
		return
	}
	at, ok := r.im.offset(addr, int(n))
	if !ok || r.seen[at] {
		return
	}
	v := r.im.data[at : at+int(n)]
	switch {
	case n == 20 && len(r.ids) < maxStringRefs && refKeyID(v):
		r.ids = append(r.ids, goRef{off: at, site: site})
	case n == 40 && len(r.secrets) < maxStringRefs && allSecretChars(v):
		r.secrets = append(r.secrets, goRef{off: at, site: site})
	default:
		return
	}
	r.seen[at] = true
}

// headers reads a data span's aligned (address, length) pairs, each a
// pointer's size.
func (r *refs) headers(s mapped) {
	d := r.im.data[s.off : s.off+s.size]
	w := r.im.word
	word := func(i uint64) uint64 {
		if w == 4 {
			return uint64(binary.LittleEndian.Uint32(d[i:]))
		}
		return binary.LittleEndian.Uint64(d[i:])
	}
	for i := (w - s.addr%w) % w; i+2*w <= uint64(len(d)); i += w {
		if n := word(i + w); n == 20 || n == 40 {
			r.ref(word(i), n, s.addr+i)
		}
	}
}

// leas reads an amd64 code span's RIP-relative LEAs to a 64-bit register
// (REX.W 8D, ModRM mod 00 r/m 101) followed within refWindow bytes by an
// immediate 20 or 40 moved (movImm), the way Go passes a string's address
// and length to a call, or stores them in a struct on the stack; or,
// failing that, preceded by one (a map literal's value).
func (r *refs) leas(s mapped) {
	d := r.im.data[s.off : s.off+s.size]
	for i := 1; i+6 <= len(d); i++ {
		j := bytes.IndexByte(d[i:], 0x8d)
		if j < 0 {
			return
		}
		i += j
		if i+6 > len(d) || d[i-1]&0xf8 != 0x48 || d[i+1]&0xc7 != 0x05 {
			continue
		}
		end := i + 6
		target := s.addr + uint64(end) + uint64(int64(int32(binary.LittleEndian.Uint32(d[i+2:]))))
		// The paired stores first: the looser tests below would take the
		// length of the field before (an inlined &P{id, secret}: MOVQ $20,
		// 8(AX) lies within refBefore of the secret's LEAQ too).
		if n := headerStored(d, i, max(0, i-1-refBefore)); n != 0 {
			r.ref(target, uint64(n), s.addr+uint64(i))
		} else if n := lenAfter(d[end:min(len(d), end+refWindow)]); n != 0 {
			r.ref(target, uint64(n), s.addr+uint64(i))
		} else if n := lenBefore(d[max(0, i-1-refBefore) : i-1]); n != 0 {
			r.ref(target, uint64(n), s.addr+uint64(i))
		}
	}
}

// headerStored is the length of a string header an inlined constructor
// fills, its length first (the qa34 00 shape: &P{a, b, c} inlined, as the
// AWS SDK v1's credentials.NewStaticCredentials is): the LEAQ at d[i]
// (its REX.W byte at i-1) is followed by a store of its register at
// disp(B), and a MOVQ of 20 or 40 to disp+8(B), the same base register,
// lies before it, from d[from] on. 0 if not. The field's offset is any
// (lenBefore takes only 8, a first field's): pairing the two stores by
// their base and offsets is what keeps a length from another string out.
func headerStored(d []byte, i, from int) uint32 {
	rex, reg := d[i-1], d[i+1]>>3&7
	end := i + 6
	if end+3 > len(d) || d[end]&0xf8 != 0x48 || d[end]&4 != rex&4 || d[end+1] != 0x89 || d[end+2]>>3&7 != reg {
		return 0
	}
	base, disp, ok := memOperand(d, end+2)
	if !ok {
		return 0
	}
	base |= d[end] & 1 << 3 // REX.B
	for k := i - 2; k >= from+2; k-- {
		if d[k] != 0xc7 || d[k-1]&0xf8 != 0x48 || d[k+1]>>3&7 != 0 {
			continue
		}
		b, dd, ok := memOperand(d, k+1)
		if !ok || b|d[k-1]&1<<3 != base || dd != disp+8 {
			continue
		}
		at := k + 2 + operandLen(d[k+1])
		if at+4 > i-1 {
			continue
		}
		if n := binary.LittleEndian.Uint32(d[at:]); n == 20 || n == 40 {
			return n
		}
	}
	return 0
}

// memOperand reads the memory operand whose ModRM byte is d[m]: the base
// register (its low three bits) and the displacement, for the forms Go's
// compiler writes to a struct in memory or on the stack: (B), d8(B),
// d32(B), and the stack pointer through a SIB byte (0x24). ok is false
// for a register operand, RIP-relative or indexed addressing.
func memOperand(d []byte, m int) (base byte, disp int, ok bool) {
	mod, rm := d[m]>>6, d[m]&7
	at := m + 1
	if rm == 4 {
		if at >= len(d) || d[at] != 0x24 {
			return 0, 0, false
		}
		at++
	}
	switch {
	case mod == 0 && rm != 5:
		return rm, 0, true
	case mod == 1 && at < len(d):
		return rm, int(int8(d[at])), true
	case mod == 2 && at+4 <= len(d):
		return rm, int(int32(binary.LittleEndian.Uint32(d[at:]))), true
	}
	return 0, 0, false
}

// operandLen is how many bytes follow a ModRM byte m in memOperand's
// forms: a SIB byte and the displacement.
func operandLen(m byte) int {
	n := 0
	if m&7 == 4 {
		n++
	}
	switch m >> 6 {
	case 1:
		n++
	case 2:
		n += 4
	}
	return n
}

// Architectures whose code goRefs reads.
const (
	amd64 = 1 + iota
	arm64
	i386
	arm32
)

// elfArch is the architecture of an ELF section's code, when goRefs reads it.
func elfArch(code bool, machine elf.Machine) byte {
	switch {
	case code && machine == elf.EM_X86_64:
		return amd64
	case code && machine == elf.EM_AARCH64:
		return arm64
	case code && machine == elf.EM_386:
		return i386
	case code && machine == elf.EM_ARM:
		return arm32
	}
	return 0
}

// machoArch is the architecture of a Mach-O section's code, when goRefs
// reads it.
func machoArch(code bool, cpu macho.Cpu) byte {
	switch {
	case code && cpu == macho.CpuAmd64:
		return amd64
	case code && cpu == macho.CpuArm64:
		return arm64
	}
	return 0
}

// peArch is the architecture of a PE section's code, when goRefs reads it.
func peArch(code bool, machine uint16) byte {
	switch {
	case code && machine == pe.IMAGE_FILE_MACHINE_AMD64:
		return amd64
	case code && machine == pe.IMAGE_FILE_MACHINE_ARM64:
		return arm64
	case code && machine == pe.IMAGE_FILE_MACHINE_I386:
		return i386
	}
	return 0
}

// leals reads a 386 code span's LEAL of an absolute address (8D, ModRM
// mod 00 r/m 101) followed within refWindow bytes by a MOVL of 20 or 40
// (movImm32), the way Go's stack-based calls on 386 pass a string: its
// address stored to the stack, then its length.
func (r *refs) leals(s mapped) {
	d := r.im.data[s.off : s.off+s.size]
	for i := 0; i+6 <= len(d); i++ {
		j := bytes.IndexByte(d[i:], 0x8d)
		if j < 0 {
			return
		}
		i += j
		if i+6 > len(d) || d[i+1]&0xc7 != 0x05 {
			continue
		}
		end := i + 6
		target := uint64(binary.LittleEndian.Uint32(d[i+2:]))
		if n := headerStored32(d, i); n != 0 {
			r.ref(target, uint64(n), s.addr+uint64(i))
		} else if n := lenAfter32(d[end:min(len(d), end+refWindow)]); n != 0 {
			r.ref(target, uint64(n), s.addr+uint64(i))
		} else if n := lenBefore32(d[max(0, i-refBefore):i]); n != 0 {
			r.ref(target, uint64(n), s.addr+uint64(i))
		}
	}
}

// headerStored32 is headerStored for 386 (qa36 M7): a struct filled on
// the stack, &Creds{ID: …, Secret: …}, is written length first, each
// field's MOVL $n, disp+4(SP) before its LEAL addr, CX; MOVL CX,
// disp(SP), so the length after one LEAL is the next field's (the key
// ID took the secret's 40, the secret found none). The LEAL at d[i] must
// be followed by a store of its register at disp(B), and the length is a
// MOVL of 20 or 40 to disp+4(B), the same base, within refBefore bytes
// before the LEAL or refWindow after the store. 0 if not.
func headerStored32(d []byte, i int) uint32 {
	reg, end := d[i+1]>>3&7, i+6
	if end+2 > len(d) || d[end] != 0x89 || d[end+1]>>3&7 != reg {
		return 0
	}
	base, disp, ok := memOperand(d, end+1)
	if !ok {
		return 0
	}
	after := end + 2 + operandLen(d[end+1])
	at := func(k, limit int) uint32 { // the length stored by a MOVL $n at d[k], ending by limit
		if d[k] != 0xc7 || k+2 > len(d) || d[k+1]>>3&7 != 0 || d[k+1]>>6 == 3 {
			return 0
		}
		b, dd, ok := memOperand(d, k+1)
		if !ok || b != base || dd != disp+4 {
			return 0
		}
		v := k + 2 + operandLen(d[k+1])
		if v+4 > limit {
			return 0
		}
		if n := binary.LittleEndian.Uint32(d[v:]); n == 20 || n == 40 {
			return n
		}
		return 0
	}
	for k := i - 2; k >= max(0, i-refBefore); k-- {
		if n := at(k, i); n != 0 {
			return n
		}
	}
	for k := after; k+2 <= min(len(d), after+refWindow); k++ {
		if n := at(k, len(d)); n != 0 {
			return n
		}
	}
	return 0
}

// lenAfter32 is the first length 20 or 40 that a MOVL in w moves to a
// register (B8+r, or C7 /0 mod 11) or to memory at a one-byte offset from
// a register or the stack pointer (C7 /0 mod 01); 0 if none does.
func lenAfter32(w []byte) uint32 {
	for k := 2; k+4 <= len(w); k++ {
		n := binary.LittleEndian.Uint32(w[k:])
		if n != 20 && n != 40 {
			continue
		}
		switch {
		case w[k-1] >= 0xb8 && w[k-1] <= 0xbf,
			w[k-2] == 0xc7 && w[k-1]&0xf8 == 0xc0,
			k >= 3 && w[k-3] == 0xc7 && w[k-2]&0xf8 == 0x40 && w[k-2]&7 != 4,
			k >= 4 && w[k-4] == 0xc7 && w[k-3] == 0x44 && w[k-2] == 0x24:
			return n
		}
	}
	return 0
}

// lenBefore32 is lenBefore for 386: the last length 20 or 40 in w stored
// 4 bytes past a header's base register (C7 /0, ModRM mod 01, offset 4):
// a map literal's value.
func lenBefore32(w []byte) uint32 {
	for k := len(w) - 4; k >= 3; k-- {
		if n := binary.LittleEndian.Uint32(w[k:]); (n == 20 || n == 40) && w[k-1] == 4 && w[k-2]&0xf8 == 0x40 && w[k-2]&7 != 4 && w[k-3] == 0xc7 {
			return n
		}
	}
	return 0
}

// ldrs reads a 32-bit ARM code span's loads of an address from the
// literal pool (LDR Rd, [PC, #imm]: Go's MOVW $sym(SB), Rd), with a MOV
// of 20 or 40 to a register (MOVW $n, Rx) among the refArm64 instructions
// after the load or, failing that, before it.
func (r *refs) ldrs(s mapped) {
	d := r.im.data[s.off : s.off+s.size]
	ins := func(i int) uint32 { return binary.LittleEndian.Uint32(d[i:]) }
	mov := func(w uint32) uint32 { // the length a MOV of 20 or 40 (always, no rotation) moves, or 0
		if m := w & 0xffff0fff; m == 0xe3a00014 || m == 0xe3a00028 {
			return w & 0xff
		}
		return 0
	}
	for i := int((4 - s.addr%4) % 4); i+4 <= len(d); i += 4 {
		w := ins(i)
		if w&0xffff0000 != 0xe59f0000 {
			continue
		}
		pool := s.addr + uint64(i) + 8 + uint64(w&0xfff)
		at, ok := r.im.offset(pool, 4)
		if !ok {
			continue
		}
		target := uint64(binary.LittleEndian.Uint32(r.im.data[at:]))
		n := strPaired(d, i, mov)
		for k := i + 4; n == 0 && k < min(len(d)-3, i+4+4*refArm64); k += 4 {
			n = mov(ins(k))
		}
		for k := i - 4; n == 0 && k >= max(0, i-4*refArm64); k -= 4 {
			n = mov(ins(k))
		}
		// A map literal's value, as on arm64: MOVW $n, Rt; MOVW Rt, 4(Rx).
		for k := i - 8; n == 0 && k >= max(0, i-refBefore); k -= 4 {
			if m, st := mov(ins(k)), ins(k+4); m != 0 && st&0xfff00fff == 0xe5800004 && st>>12&15 == ins(k)>>12&15 {
				n = m
			}
		}
		if n != 0 {
			r.ref(target, uint64(n), s.addr+uint64(i))
		}
	}
}

// strPaired is headerStored32 for 32-bit ARM (qa36 M7): the load at d[i]
// is followed by a store of its register, MOVW Rd, off(Rn) (STR Rd, [Rn,
// #off]), and the length is a MOV of 20 or 40 to a register stored at
// off+4(Rn) by the instruction after it, within refArm64 instructions
// before the load or after the store: a struct filled on the stack length
// first, where the nearest MOV after a load is the next field's length.
func strPaired(d []byte, i int, mov func(uint32) uint32) uint32 {
	ins := func(k int) uint32 { return binary.LittleEndian.Uint32(d[k:]) }
	const str = 0xe5800000 // STR Rd, [Rn, #+imm12], no writeback
	if i+8 > len(d) {
		return 0
	}
	st := ins(i + 4)
	if st&0xfff00000 != str || st>>12&15 != ins(i)>>12&15 {
		return 0
	}
	want := st&0xf0000 | (st&0xfff + 4) // the same Rn, off+4
	if st&0xfff+4 > 0xfff {
		return 0
	}
	at := func(k int) uint32 { // the length a MOV at d[k] and a STR after it store at off+4(Rn)
		m, s := ins(k), ins(k+4)
		if n := mov(m); n != 0 && s&0xfff00000 == str && s&0xf0fff == want && s>>12&15 == m>>12&15 {
			return n
		}
		return 0
	}
	for k := i - 8; k >= max(0, i-4*refArm64); k -= 4 {
		if n := at(k); n != 0 {
			return n
		}
	}
	for k := i + 8; k+8 <= min(len(d), i+8+4*refArm64); k += 4 {
		if n := at(k); n != 0 {
			return n
		}
	}
	return 0
}

// strPaired64 is strPaired for arm64: the ADRP and ADD at d[i] are
// followed by MOVD Rd, off(Rn) (STR Xd, [Xn, #off]), and the length is a
// MOVZ of 20 or 40 whose register the next instruction stores at
// off+8(Rn), within refArm64 instructions before the ADRP or after the
// store: a struct filled on the stack length first (qa36 M7), where the
// nearest MOVZ after the pair is the next field's length.
func strPaired64(d []byte, i int, movz func(uint32) uint32) uint32 {
	ins := func(k int) uint32 { return binary.LittleEndian.Uint32(d[k:]) }
	const str = 0xf9000000 // STR Xt, [Xn, #imm12*8]
	if i+12 > len(d) {
		return 0
	}
	st := ins(i + 8)
	if st&0xffc00000 != str || st&31 != ins(i)&31 || st>>10&0xfff == 0xfff {
		return 0
	}
	want := st&0x3e0 | (st>>10&0xfff+1)<<10 // the same Rn, off+8
	at := func(k int) uint32 {
		m, s := ins(k), ins(k+4)
		if n := movz(m); (n == 20 || n == 40) && s&0xffc00000 == str && s&0x3ffc00|s&0x3e0 == want && s&31 == m&31 {
			return n
		}
		return 0
	}
	for k := i - 8; k >= max(0, i-4*refArm64); k -= 4 {
		if n := at(k); n != 0 {
			return n
		}
	}
	for k := i + 12; k+8 <= min(len(d), i+12+4*refArm64); k += 4 {
		if n := at(k); n != 0 {
			return n
		}
	}
	return 0
}

// adrps reads an arm64 code span's address loads, ADRP Xd then ADD Xd,
// Xd, #lo12 (Go's MOVD $sym(SB), Rd), with a MOVZ of 20 or 40 to a
// register among the refArm64 instructions after the pair or, failing
// that, before it: a string's address and length, passed or stored.
func (r *refs) adrps(s mapped) {
	d := r.im.data[s.off : s.off+s.size]
	ins := func(i int) uint32 { return binary.LittleEndian.Uint32(d[i:]) }
	movz := func(w uint32) uint32 { // the 16-bit immediate of a MOVZ with no shift, or 0
		if w&0x7fe00000 == 0x52800000 {
			return w >> 5 & 0xffff
		}
		return 0
	}
	for i := int((4 - s.addr%4) % 4); i+8 <= len(d); i += 4 {
		w := ins(i)
		if w&0x9f000000 != 0x90000000 {
			continue
		}
		add := ins(i + 4)
		if add&0xffc00000 != 0x91000000 || add>>5&31 != w&31 || add&31 != w&31 {
			continue
		}
		imm := int64(w>>29&3|(w>>5&0x7ffff)<<2) << 43 >> 31 // 21 bits, sign-extended, times 4096
		pc := s.addr + uint64(i)
		target := uint64(int64(pc&^0xfff)+imm) + uint64(add>>10&0xfff)
		n := strPaired64(d, i, movz)
		for k := i + 8; n == 0 && k < min(len(d)-3, i+8+4*refArm64); k += 4 {
			if m := movz(ins(k)); m == 20 || m == 40 {
				n = m
			}
		}
		for k := i - 4; n == 0 && k >= max(0, i-4*refArm64); k -= 4 {
			if m := movz(ins(k)); m == 20 || m == 40 {
				n = m
			}
		}
		// A map literal's value: its length stored first, 8 bytes into
		// the header (MOVD $n, Rt; MOVD Rt, 8(Rx)), past the write
		// barrier's test, further back than refArm64.
		for k := i - 8; n == 0 && k >= max(0, i-refBefore); k -= 4 {
			if m, st := movz(ins(k)), ins(k+4); (m == 20 || m == 40) && st&0xfffffc00 == 0xf9000400 && st&31 == ins(k)&31 {
				n = m
			}
		}
		if n != 0 {
			r.ref(target, uint64(n), pc)
		}
	}
}

// refKeyID reports whether b (20 bytes a reference bounds) is a key ID:
// AKIA or ASIA, 16 base32 bytes, no placeholder. Its bounds are known, so
// it needs none of the glued key ID's guard (gluedKeyID, gluedWordLike);
// the matcher's wordLike still reads it.
func refKeyID(b []byte) bool {
	if b[0] != 'A' || b[1] != 'K' && b[1] != 'S' || b[2] != 'I' || b[3] != 'A' {
		return false
	}
	for _, c := range b[4:] {
		if !isBase32(c) {
			return false
		}
	}
	return plausibleKeyID(string(b))
}

// refWords reports whether a referenced 40-byte string is words, not a
// secret: maxRefWordiness common English trigrams, or one and letters
// only ("LogMetricMetricDescriptorLaunchStageEnum", a type's name: a
// random secret is letters only once in 400).
func refWords(v string) bool {
	w := wordiness(v)
	if w >= maxRefWordiness {
		return true
	}
	if w == 0 {
		return false
	}
	for k := range len(v) {
		if !isUpper(v[k]) && !isLower(v[k]) {
			return false
		}
	}
	return true
}

// goConstants appends a group for each key ID a Go binary refers to
// (goRefs): a line of the key ID, then a line of each 40-byte string of
// secret characters the binary refers to nearer to it than to any other
// key ID, that is not words (refWords) and passes the value tests
// of a strongly named secret. Each line maps to its bytes in the file. A
// binary that refers to no key ID gives none.
func (b *binText) goConstants(data []byte) {
	ids, secrets, unread := goRefs(data)
	b.unread = unread
	if len(ids) == 0 {
		return
	}
	paired := make([][]goRef, len(ids))
	for k, sr := range secrets {
		if k == maxRefChecks {
			break
		}
		v := data[sr.off : sr.off+40]
		if refWords(string(v)) {
			continue
		}
		if ok, _ := b.s.check(rules.SecretAccessKey, string(v), ctxStrong); !ok {
			continue
		}
		near := 0
		for i, c := range ids {
			if dist(c.site, sr.site) < dist(ids[near].site, sr.site) {
				near = i
			}
		}
		paired[near] = append(paired[near], sr)
	}
	line := func(r goRef, n int, sep int) {
		if len(b.text) > 0 {
			for range sep {
				b.text = append(b.text, '\n')
			}
		}
		b.segs = append(b.segs, segment{text: len(b.text), file: r.off, n: n, step: 1})
		b.text = append(b.text, data[r.off:r.off+n]...)
	}
	for i, id := range ids {
		line(id, 20, groupSep)
		for _, sr := range paired[i] {
			line(sr, 40, 1)
		}
	}
}

// lenAfter is the first length 20 or 40 a MOV (movImm) in w moves; 0 if
// none does.
func lenAfter(w []byte) uint32 {
	for k := 1; k+4 <= len(w); k++ {
		if n := binary.LittleEndian.Uint32(w[k:]); (n == 20 || n == 40) && movImm(w, k) {
			return n
		}
	}
	return 0
}

// lenBefore is the last length 20 or 40 in w stored as a string header's
// length, 8 bytes past the header's base register (REX.W C7 /0, ModRM mod
// 01, offset 8): a map literal's value is stored length first (MOVQ $40,
// 8(AX)), its address after the write barrier's test. Only that form is
// taken so far from the LEA: any MOV of 40 within refBefore bytes would
// let ten times as many strings of the system's programs pass.
func lenBefore(w []byte) uint32 {
	for k := len(w) - 4; k >= 4; k-- {
		if n := binary.LittleEndian.Uint32(w[k:]); (n == 20 || n == 40) && w[k-1] == 8 && w[k-2]&0xf8 == 0x40 && w[k-2]&7 != 4 && w[k-3] == 0xc7 && w[k-4]&0xf8 == 0x48 {
			return n
		}
	}
	return 0
}

// movImm reports whether the 4 bytes at w[k] are the immediate of a MOV
// as Go's compiler writes a length: MOVL $n to a register (B8+r), or MOVQ
// $n (REX.W C7 /0) to a register, to memory through a register, or at a
// one-byte offset from one, a SIB byte before it for the stack pointer.
func movImm(w []byte, k int) bool {
	rexW := func(i int) bool { return i >= 0 && w[i]&0xf8 == 0x48 }
	modrm := func(i int, mod byte) bool { return w[i]&0xf8 == mod<<6 } // reg field 0: C7 /0
	if w[k-1] >= 0xb8 && w[k-1] <= 0xbf {
		return true
	}
	switch {
	case k >= 3 && rexW(k-3) && w[k-2] == 0xc7 && modrm(k-1, 3): // MOVQ $n, reg
		return true
	case k >= 3 && rexW(k-3) && w[k-2] == 0xc7 && modrm(k-1, 0) && w[k-1]&7 != 4 && w[k-1]&7 != 5: // MOVQ $n, (reg)
		return true
	case k >= 4 && rexW(k-4) && w[k-3] == 0xc7 && modrm(k-2, 1) && w[k-2]&7 != 4: // MOVQ $n, d8(reg)
		return true
	case k >= 5 && rexW(k-5) && w[k-4] == 0xc7 && modrm(k-3, 1) && w[k-3]&7 == 4: // MOVQ $n, d8(SIB)
		return true
	case k >= 7 && rexW(k-7) && w[k-6] == 0xc7 && modrm(k-5, 2) && w[k-5]&7 != 4: // MOVQ $n, d32(reg)
		return true
	case k >= 8 && rexW(k-8) && w[k-7] == 0xc7 && modrm(k-6, 2) && w[k-6]&7 == 4 && w[k-5] == 0x24: // MOVQ $n, d32(SP): a large frame (the AWS SDK v2's static provider inlined)
		return true
	}
	return false
}

func dist(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}
