package scanner

import (
	"bytes"
	"debug/elf"
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
// relative relocation, read from .rela.dyn.

// maxGoStrings bounds the variables read from one binary.
const maxGoStrings = 64

// goString is a string variable's name and where its value lies in the file.
type goString struct {
	name     string
	off, len int
}

// goStrings returns the string variables of an ELF binary whose names call
// them an AWS secret or key ID, in symbol table order. Anything malformed
// yields nothing.
func goStrings(data []byte) (out []goString) {
	if len(data) < 64 || !bytes.HasPrefix(data, []byte(elf.ELFMAG)) || elf.Class(data[elf.EI_CLASS]) != elf.ELFCLASS64 {
		return nil
	}
	defer func() {
		if recover() != nil { // debug/elf on hostile input: nothing, never a crash
			out = nil
		}
	}()
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
		n := normalizeKeyword(sym.Name)
		want := 0
		switch {
		case containsAny(n, strongSecretWords):
			want = 40
		case containsAny(n, []string{"accesskeyid", "accesskey", "keyid"}):
			want = 20
		default:
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
