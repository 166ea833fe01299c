package scanner

import (
	"bytes"
	"debug/elf"
	"debug/pe"
	"encoding/binary"
)

// Go's linker stores a package's string constants back to back, sorted by
// length, so a secret in a Go program's variable sits between two unrelated
// 40-byte strings ("...already connectedt/ttKR...+fMapIter.Key called...")
// with nothing in the printable runs to say where it starts, and its name
// is far away in the symbol table. An ELF Go binary that keeps its symbol
// table (go build's default; -ldflags=-s strips it) names the variable,
// though: the symbol main.awsSecretAccessKey is a 16-byte string header
// (pointer, length) whose pointer leads to the value. goStrings follows the
// symbols of such headers whose names say secret access key or access key
// ID, and hands the matcher "name" and "value" as lines of one group of
// their own, so it applies its usual tests with the name as the keyword.
// In a position-independent executable the pointer is written by a
// relative relocation, read from .rela.dyn. A 64-bit PE (Windows) Go binary
// keeps COFF symbols the same way (peStrings). Mach-O is not read.

// maxGoStrings bounds the variables read from one binary.
const maxGoStrings = 64

// goString is a string variable's name and where its value lies in the file.
type goString struct {
	name     string
	off, len int
}

// goStrings returns the string variables of an ELF or PE binary whose names
// call them an AWS secret or key ID, in symbol table order. Anything
// malformed yields nothing.
func goStrings(data []byte) (out []goString) {
	defer func() {
		if recover() != nil { // debug/elf and debug/pe on hostile input: nothing, never a crash
			out = nil
		}
	}()
	switch {
	case len(data) >= 64 && bytes.HasPrefix(data, []byte(elf.ELFMAG)) && elf.Class(data[elf.EI_CLASS]) == elf.ELFCLASS64:
		return elfStrings(data)
	case len(data) >= 64 && data[0] == 'M' && data[1] == 'Z':
		return peStrings(data)
	}
	return nil
}

// wantedLen is the length of the value a variable called name must hold to
// be read: 40 for a secret access key, 20 for a key ID, 0 for neither.
func wantedLen(name string) int {
	n := normalizeKeyword(name)
	switch {
	case containsAny(n, strongSecretWords):
		return 40
	case containsAny(n, []string{"accesskey", "keyid"}):
		return 20
	}
	return 0
}

func elfStrings(data []byte) (out []goString) {
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	syms, err := f.Symbols()
	if err != nil {
		return nil
	}
	var relative map[uint64]uint64 // PIE: where a relative relocation writes what
	for _, sym := range syms {
		if len(out) == maxGoStrings {
			break
		}
		if elf.ST_TYPE(sym.Info) != elf.STT_OBJECT || sym.Size != 16 {
			continue
		}
		want := wantedLen(sym.Name)
		if want == 0 {
			continue
		}
		hdr, ok := fileOffset(f, sym.Value, 16)
		if !ok {
			continue
		}
		ptr, size := f.ByteOrder.Uint64(data[hdr:]), f.ByteOrder.Uint64(data[hdr+8:])
		if size != uint64(want) {
			continue
		}
		if ptr == 0 {
			if relative == nil {
				relative = relativeRelocs(f, data)
			}
			ptr = relative[sym.Value]
		}
		if off, ok := fileOffset(f, ptr, want); ok {
			out = append(out, goString{name: sym.Name, off: off, len: want})
		}
	}
	return out
}

// peStrings is elfStrings for a 64-bit PE (Windows) Go binary, whose COFF
// symbols give a variable's section and offset; its string header's pointer
// is an address at the preferred image base (the loader's base relocations
// move it, the file keeps it).
func peStrings(data []byte) (out []goString) {
	f, err := pe.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		return nil
	}
	// raw maps n bytes at an offset into section i (0-based) to the file.
	raw := func(i int, at uint64, n int) (int, bool) {
		if i < 0 || i >= len(f.Sections) {
			return 0, false
		}
		s := f.Sections[i]
		if at > uint64(s.Size) || uint64(s.Size)-at < uint64(n) || uint64(s.Offset)+uint64(s.Size) > uint64(len(data)) {
			return 0, false
		}
		return int(uint64(s.Offset) + at), true
	}
	for _, sym := range f.Symbols {
		if len(out) == maxGoStrings {
			break
		}
		want := wantedLen(sym.Name)
		if want == 0 || sym.SectionNumber <= 0 {
			continue
		}
		hdr, ok := raw(int(sym.SectionNumber)-1, uint64(sym.Value), 16)
		if !ok {
			continue
		}
		ptr, size := binary.LittleEndian.Uint64(data[hdr:]), binary.LittleEndian.Uint64(data[hdr+8:])
		if size != uint64(want) || ptr < oh.ImageBase {
			continue
		}
		rva := ptr - oh.ImageBase
		for i, s := range f.Sections {
			if rva >= uint64(s.VirtualAddress) && rva-uint64(s.VirtualAddress) < uint64(s.VirtualSize) {
				if off, ok := raw(i, rva-uint64(s.VirtualAddress), want); ok {
					out = append(out, goString{name: sym.Name, off: off, len: want})
				}
				break
			}
		}
	}
	return out
}

// fileOffset maps the n bytes at virtual address addr to the file, when a
// section stored in the file holds them whole.
func fileOffset(f *elf.File, addr uint64, n int) (int, bool) {
	for _, s := range f.Sections {
		if s.Type != elf.SHT_PROGBITS || s.Addr == 0 || addr < s.Addr || addr-s.Addr > s.Size || s.Size-(addr-s.Addr) < uint64(n) {
			continue
		}
		off := s.Offset + (addr - s.Addr)
		if off+uint64(n) > s.Offset+s.FileSize || off > 1<<40 {
			return 0, false
		}
		return int(off), true
	}
	return 0, false
}

// relativeRelocs reads the relative relocations of .rela.dyn (x86-64 and
// arm64): the address each writes and the value it writes there.
func relativeRelocs(f *elf.File, data []byte) map[uint64]uint64 {
	m := map[uint64]uint64{}
	s := f.Section(".rela.dyn")
	if s == nil || s.Type != elf.SHT_RELA || s.Offset > uint64(len(data)) || s.Size > uint64(len(data))-s.Offset {
		return m
	}
	var relative uint32
	switch f.Machine {
	case elf.EM_X86_64:
		relative = uint32(elf.R_X86_64_RELATIVE)
	case elf.EM_AARCH64:
		relative = uint32(elf.R_AARCH64_RELATIVE)
	default:
		return m
	}
	rela := data[s.Offset : s.Offset+s.Size]
	for i := 0; i+24 <= len(rela); i += 24 {
		off, info, addend := f.ByteOrder.Uint64(rela[i:]), f.ByteOrder.Uint64(rela[i+8:]), f.ByteOrder.Uint64(rela[i+16:])
		if elf.R_TYPE64(info) == relative {
			m[off] = addend
		}
	}
	return m
}
