//go:build !purego

package scanner

import (
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
)

// teddyMarks is what fingerprintsAVX2 computes for the block at data[0:32],
// written plainly: bit k when a bucket lets data[k:k+3] through. VPSHUFB
// looks up a byte of 0x80 or more as zero; no fingerprint has such a byte.
func teddyMarks(t *teddyTables, data []byte) uint32 {
	var m uint32
	for k := range 32 {
		for g := range 2 {
			v := byte(0xff)
			for i, c := range data[k : k+3] {
				v &= t[6*g+2*i][c&15] & t[6*g+2*i+1][c>>4]
			}
			if v != 0 {
				m |= 1 << k
			}
		}
	}
	return m
}

// TestFingerprintKernel compares the kernel's masks with teddyMarks on random
// bytes and pattern pieces, checks that every fingerprint is marked, and that
// the kernel writes the masks of the blocks it may read and no more.
func TestFingerprintKernel(t *testing.T) {
	p := buildPrefilter(patterns, true)
	if !p.simd {
		t.Skip("no AVX2 kernel here")
	}
	r := rand.New(rand.NewPCG(51, 52))
	for range 3000 {
		data := prefilterInput(r, r.IntN(600))
		masks := make([]uint32, 1+r.IntN(20))
		for i := range masks {
			masks[i] = 0xdeadbeef
		}
		fingerprintsAVX2(&p.teddy, data, masks)
		blocks := 0
		if len(data) >= 2 {
			blocks = min((len(data)-2)/32, len(masks))
		}
		for i, m := range masks {
			if i >= blocks {
				if m != 0xdeadbeef {
					t.Fatalf("%d bytes, %d masks: mask %d written", len(data), len(masks), i)
				}
				continue
			}
			if want := teddyMarks(&p.teddy, data[32*i:]); m != want {
				t.Fatalf("%q: block %d: kernel %032b, plainly %032b", data, i, m, want)
			}
			for k := range 32 {
				for _, pt := range patterns {
					f := pt.text[pt.w : pt.w+3]
					if string(data[32*i+k:32*i+k+3]) == f && m>>k&1 == 0 {
						t.Fatalf("%q: fingerprint %q at %d not marked", data, f, 32*i+k)
					}
				}
			}
		}
	}
}

// TestPrefilterReadsOnlyData scans data placed right after an unreadable page
// and right before one: a read outside the data faults.
func TestPrefilterReadsOnlyData(t *testing.T) {
	pure, simd := prefilterPaths(t)
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 3*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	defer func() {
		if err := syscall.Munmap(mem); err != nil {
			t.Errorf("munmap: %v", err)
		}
	}()
	for _, guard := range [][]byte{mem[:page], mem[2*page:]} {
		if err := syscall.Mprotect(guard, syscall.PROT_NONE); err != nil {
			t.Skipf("mprotect: %v", err)
		}
	}
	r := rand.New(rand.NewPCG(61, 62))
	room := mem[page : 2*page : 2*page]
	for n := 0; n <= page; n += 1 + n/8 {
		for _, data := range [][]byte{room[:n:n], room[page-n:]} {
			copy(data, prefilterInput(r, n))
			want := prefilterHits(pure, data)
			if got := prefilterHits(simd, data); !slices.Equal(got, want) {
				t.Fatalf("%d bytes: AVX2 path %v, pure Go %v", n, got, want)
			}
		}
	}
}
