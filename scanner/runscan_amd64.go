//go:build amd64 && !purego

package scanner

import "golang.org/x/sys/cpu"

// haveRunKernel reports whether the AVX2 kernels of classRun and
// classCount may run.
var haveRunKernel = cpu.X86.HasAVX2

// setRunKernel turns the kernels on or off, for the tests that compare
// them with the loops.
func setRunKernel(on bool) { haveRunKernel = on && cpu.X86.HasAVX2 }

// classRun returns how many of the n bytes at p, from the first, are in
// the class whose nibble tables are t (see nibbleTables), 32 at a time: the
// offset of the first byte not in it, or n rounded down to 32 when the
// whole 32-byte blocks are all in it (the caller reads the rest).
// Implemented in scanner/runscan_amd64.s.
//
//go:noescape
func classRun(p *byte, n int, t *[64]byte) int

// classRunBack returns how many of the n bytes at p, from the last back,
// are in the class whose nibble tables are t, 32 at a time: as classRun,
// read from the end (n rounded down to 32 when every whole block from the
// end is in it). Implemented in scanner/runscan_amd64.s.
//
//go:noescape
func classRunBack(p *byte, n int, t *[64]byte) int

// classCount returns how many of the first n&^31 bytes at p are in the
// class whose nibble tables are t. Implemented in scanner/runscan_amd64.s.
//
//go:noescape
func classCount(p *byte, n int, t *[64]byte) int

// hexPairsAVX2 decodes the 2*(n&^31) hex digits at src (only digits) into
// the n&^31 bytes at dst, 32 at a time, as hexPairs does. Implemented in
// scanner/runscan_amd64.s.
//
//go:noescape
func hexPairsAVX2(dst, src *byte, n int)

// decodeB64AVX2 decodes blocks groups of 32 base64 characters at src
// (only those, of either alphabet) into 24 bytes each at dst, writing 32
// bytes for each (the last 8 are the next block's), as decodeB64 does.
// Implemented in scanner/runscan_amd64.s.
//
//go:noescape
func decodeB64AVX2(dst, src *byte, blocks int)

// highRun returns the offset of the first byte of 0x80 or more among the
// n bytes at p, or n rounded down to 32 when the whole 32-byte blocks hold
// none (the caller reads the rest). Implemented in scanner/runscan_amd64.s.
//
//go:noescape
func highRun(p *byte, n int) int

// backspaceRun returns the offset of the first 32-byte block of the n
// bytes at p that holds a backspace or a "^H" starting in it, or, when
// none does, the bytes its blocks cover (the blocks whose byte after them
// is in p[:n], for the H): no backspace and no "^H" starts before the
// offset returned. Implemented in scanner/runscan_amd64.s.
//
//go:noescape
func backspaceRun(p *byte, n int) int
