//go:build !purego && (linux || darwin)

package scanner

import (
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
)

// TestPrefilterReadsOnlyData scans data placed right after an unreadable page
// and right before one: a read outside the data faults.
func TestPrefilterReadsOnlyData(t *testing.T) {
	pure, simd := prefilterPaths(t, patterns)
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
			copy(data, prefilterInput(r, patterns, n))
			want := prefilterHits(pure, data)
			if got := prefilterHits(simd, data); !slices.Equal(got, want) {
				t.Fatalf("%d bytes: AVX2 path %v, pure Go %v", n, got, want)
			}
		}
	}
}
