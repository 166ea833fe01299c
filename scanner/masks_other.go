//go:build !amd64 || purego

package scanner

import "bytes"

// No kernel builds the byte masks here: the matcher reads the bytes.
const haveMaskKernel = false

func buildMasks(d []byte, nl, special, quote, stop, open []uint64) bool {
	for i := 0; i+64 <= len(d); i += 64 {
		var op *uint64
		if open != nil {
			op = &open[i/64]
		}
		maskWords(d[i:i+64], &nl[i/64], &special[i/64], &quote[i/64], &stop[i/64], op)
	}
	return bytes.IndexByte(d, 0x1b) >= 0
}
