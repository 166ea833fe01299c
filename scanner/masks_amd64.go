//go:build amd64 && !purego

package scanner

import "golang.org/x/sys/cpu"

var haveMaskKernel = cpu.X86.HasAVX2

// buildMasks computes the masks of d (a multiple of 64 bytes long) into
// the first len(d)/64 words of nl, special, quote, stop and open (none of
// open where it is nil), and reports whether d holds an ESC.
func buildMasks(d []byte, nl, special, quote, stop, open []uint64) bool {
	n := len(d) / 64
	_, _, _, _ = nl[n-1], special[n-1], quote[n-1], stop[n-1]
	var op *uint64
	if open != nil {
		op = &open[:n][0]
	}
	return masks64(&d[0], len(d), &nl[0], &special[0], &quote[0], &stop[0], op, &maskTables) != 0
}

// masks64 is the AVX2 kernel (masks_amd64.s); n is a multiple of 64, and
// open may be nil. esc is 1 when the n bytes hold an ESC, else 0.
//
//go:noescape
func masks64(data *byte, n int, nl, special, quote, stop, open *uint64, tab *[64]byte) (esc int)
