package vba

import (
	"bytes"
	"testing"
)

// FuzzDecompress checks that no container makes Decompress, Modules or
// Find panic or give more than the limit.
func FuzzDecompress(f *testing.F) {
	f.Add([]byte{1, 0x03, 0xb0, 0x02, 'a', 0, 0})
	f.Add([]byte{1, 0xff, 0x3f, 'r', 'r'})
	f.Add(append(bytes.Repeat([]byte{0x04, 0xb0, 0x00, 0x01, 0x04, 0xb0, 0x00}, 100), findTail...))
	f.Add([]byte{0x09, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0x1a, 0, 1, 0, 0, 0, 'M', 0x31, 0, 4, 0, 0, 0, 9, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if out, _ := Decompress(data, 5000); len(out) > 5000 {
			t.Fatalf("%d bytes past the limit", len(out))
		}
		Modules(data)
		budget := 20000
		if p, out, _ := Find(data, 5000, 8, &budget); p >= len(data) || len(out) > 5000 || budget < -5000 {
			t.Fatalf("Find = %d of %d, %d bytes, budget left %d", p, len(data), len(out), budget)
		}
	})
}
