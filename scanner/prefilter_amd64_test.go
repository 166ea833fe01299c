//go:build !purego

package scanner

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// teddyMarks is what marksAVX2 computes for each half of a block, here the
// 32 bytes at data[0:32], written plainly: bit k when a bucket lets
// data[k:k+3] through. VPSHUFB
// looks up an index of 0x80 or more as zero: the kernel's low-nibble lookups
// take the bytes as they are.
func teddyMarks(t *teddyTables, data []byte) uint32 {
	var m uint32
	for k := range 32 {
		for g := range 2 {
			v := byte(0xff)
			for i, c := range data[k : k+3] {
				if c >= 0x80 {
					v = 0
				}
				v &= t[6*g+2*i][c&15] & t[6*g+2*i+1][c>>4]
			}
			if v != 0 {
				m |= 1 << k
			}
		}
	}
	return m
}

// TestMarksKernel compares the kernel's marks with teddyMarks on random bytes
// and pattern pieces, checks that every fingerprint passes, and that the
// kernel writes out[:blocks] and no more.
func TestMarksKernel(t *testing.T) {
	for _, pats := range prefilterSets {
		marksKernel(t, pats)
	}
}

func marksKernel(t *testing.T, patterns []pattern) {
	p := buildPrefilter(patterns, true)
	if !p.simd {
		t.Skip("no AVX2 kernel here")
	}
	r := rand.New(rand.NewPCG(51, 52))
	const unwritten = 0xdeadbeefdeadbeef
	for range 3000 {
		data := prefilterInput(r, patterns, r.IntN(1200))
		out := make([]uint64, 1+r.IntN(40))
		for i := range out {
			out[i] = unwritten
		}
		prev := r.Uint64()
		n, blocks, last := marksAVX2(&p.teddy, data, out, prev)
		wantBlocks := 0
		if len(data) >= 2 {
			wantBlocks = min((len(data)-2)/64, len(out)/2)
		}
		if blocks != wantBlocks {
			t.Fatalf("%d bytes, %d words: %d blocks, want %d", len(data), len(out), blocks, wantBlocks)
		}
		var want []uint64
		for i := range blocks {
			fp := uint64(teddyMarks(&p.teddy, data[64*i:])) | uint64(teddyMarks(&p.teddy, data[64*i+32:]))<<32
			for k := range 64 {
				for _, pt := range patterns {
					if f := pt.text[pt.w : pt.w+3]; string(data[64*i+k:64*i+k+3]) == f && fp>>k&1 == 0 {
						t.Fatalf("%q: fingerprint %q at %d not marked", data, f, 64*i+k)
					}
				}
			}
			if marks := (fp | fp<<1 | prev>>63) & 0x5555555555555555; marks != 0 {
				want = append(want, marks, uint64(64*i))
			}
			prev = fp
		}
		if !slices.Equal(out[:2*n], want) || last != prev {
			t.Fatalf("%q: kernel %x (last %064b), plainly %x (last %064b)", data, out[:2*n], last, want, prev)
		}
		for i := 2 * blocks; i < len(out); i++ {
			if out[i] != unwritten {
				t.Fatalf("%d bytes, %d words: word %d of %d blocks written", len(data), len(out), i, blocks)
			}
		}
	}
}
