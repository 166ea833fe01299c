//go:build !purego

package scanner

import (
	"math/bits"

	"golang.org/x/sys/cpu"
)

// haveAVX2 reports whether the CPU (and the OS, which must save the YMM
// registers) supports the AVX2 kernel.
func haveAVX2() bool { return cpu.X86.HasAVX2 }

// marksAVX2 marks, for each 64-byte block of data up to len(out)/2
// blocks, the even offsets k in the block (bit k) at which a fingerprint
// the tables of t let through starts, or one byte before which one starts;
// prev is the mask of fingerprints of the block before data (its bit 63:
// one starts at data[-1]), last that of the last block done. It does so for
// the blocks whose three bytes all lie in data, blocks =
// min((len(data)-2)/64, len(out)/2) of them, and reads data[:64*blocks+2]
// and nothing else. The n blocks with a mark have an entry in out[:2n], in
// order: out[2i] the marks, out[2i+1] the block's offset; out[2n:2*blocks]
// is overwritten. Implemented in scanner/prefilter_amd64.s.
//
//go:noescape
func marksAVX2(t *teddyTables, data []byte, out []uint64, prev uint64) (n int, blocks int, last uint64)

// scanAVX2 scans h.data's 64-byte blocks up to the last whole block followed
// by two more bytes and returns where they end; scanPairs does the rest. The
// kernel marks the offsets 4 KiB at a time: an even offset j is marked when
// a fingerprint starts at j or at j-1 (the pattern's pair at w or at w+1 is
// at j). The marked offsets are looked up in idx and checked as scanPairs
// would, in increasing order; at the others check would find nothing.
func (p *prefilter) scanAVX2(h *hits) int {
	data := h.data
	var out [128]uint64
	var prev uint64
	j := 0
	for {
		if h.skip >= j+64 {
			// On from the block that holds skip, whose offset 0 is marked
			// (a fingerprint may start in the block before): the kernel
			// lets through more, never less.
			j, prev = h.skip&^63, 1<<63
		}
		if len(data)-j < 66 {
			return j
		}
		n, blocks, last := marksAVX2(&p.teddy, data[j:], out[:], prev)
		prev = last
		end := 2 * n
		for i := 0; i < end; i += 2 {
			base := j + int(out[i+1])
			for marks := out[i]; marks != 0; marks &= marks - 1 {
				at := base + bits.TrailingZeros64(marks)
				if l := p.idx[pairKey(data[at], data[at+1])]; l != 0 {
					// The skip is looked at after a check, not once a
					// block (most inputs never ask for one: one compare
					// with 0). The marks of this block are reported still
					// (fn may ignore them), those of the blocks wholly
					// before the skip are dropped.
					if h.check(at, l) != 0 {
						end = i + 2 + dropBlocks(out[i+2:end], j, h.skip)
					}
				}
			}
		}
		j += 64 * blocks
		if n > 0 && h.stopped() {
			return len(data) // scanPairs has nothing left to do
		}
	}
}

// dropBlocks moves to the front of es, entries (marks, offset) in order of
// offset from j, those of the blocks that end past skip, and returns how
// many words they take.
func dropBlocks(es []uint64, j, skip int) int {
	k := 0
	for k < len(es) && j+int(es[k+1])+64 <= skip {
		k += 2
	}
	if k == 0 {
		return len(es) // the skip is behind: the common answer once asked
	}
	return copy(es, es[k:])
}
