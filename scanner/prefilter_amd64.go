//go:build !purego

package scanner

import (
	"math/bits"

	"golang.org/x/sys/cpu"
)

// haveAVX2 reports whether the CPU (and the OS, which must save the YMM
// registers) supports the AVX2 kernel.
func haveAVX2() bool { return cpu.X86.HasAVX2 }

// fingerprintsAVX2 sets masks[i], for each 32-byte block i of data up to
// len(masks) blocks, to the positions k in the block (bit k) at which the
// tables of t let the three bytes data[32i+k:32i+k+3] through. It does so
// for the blocks whose three bytes all lie in data, min((len(data)-2)/32,
// len(masks)) of them, reads data[:32*blocks+2] and nothing else.
// Implemented in scanner/prefilter_amd64.s.
//
//go:noescape
func fingerprintsAVX2(t *teddyTables, data []byte, masks []uint32)

// scanAVX2 scans h.data's 32-byte blocks up to the last whole block followed
// by two more bytes and returns where they end; scanPairs does the rest. The
// kernel marks fingerprints 4 KiB at a time. An even offset j is looked up
// in idx and checked, as scanPairs would, when a fingerprint starts at j or
// at j-1 (the pattern's pair at w or at w+1 is at j); in increasing order.
// The offsets not marked are those where check would find nothing.
func (p *prefilter) scanAVX2(h *hits) int {
	data := h.data
	var masks [128]uint32
	var prev uint32 // the previous block's mask: its bit 31 marks offset 0
	j := 0
	for len(data)-j >= 34 {
		m := masks[:min((len(data)-j-2)/32, len(masks))]
		fingerprintsAVX2(&p.teddy, data[j:], m)
		for i, fp := range m {
			marks := (fp | fp<<1 | prev>>31) & 0x55555555
			prev = fp
			for ; marks != 0; marks &= marks - 1 {
				at := j + 32*i + bits.TrailingZeros32(marks)
				if l := p.idx[pairKey(data[at], data[at+1])]; l != 0 {
					h.check(at, l)
				}
			}
		}
		j += 32 * len(m)
	}
	return j
}
