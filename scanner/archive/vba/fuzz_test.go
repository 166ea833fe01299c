package vba

import "testing"

// FuzzDecompress checks that no container makes Decompress, Modules or
// Find panic or give more than the limit.
func FuzzDecompress(f *testing.F) {
	f.Add([]byte{1, 0x03, 0xb0, 0x02, 'a', 0, 0})
	f.Add([]byte{1, 0xff, 0x3f, 'r', 'r'})
	f.Add([]byte{0x09, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0x1a, 0, 1, 0, 0, 0, 'M', 0x31, 0, 4, 0, 0, 0, 9, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if out, _ := Decompress(data, 5000); len(out) > 5000 {
			t.Fatalf("%d bytes past the limit", len(out))
		}
		Modules(data)
		if p := Find(data, 5000, 8); p >= len(data) {
			t.Fatalf("Find = %d of %d", p, len(data))
		}
	})
}
