package scanner

import (
	"bytes"
	"testing"
)

// FuzzEBCDIC checks that ebcdicText never panics on a head with
// shift-out and shift-in bytes anywhere, and that fromEBCDIC keeps every
// offset (one byte out for each byte in) and turns no double-byte run
// into letters.
func FuzzEBCDIC(f *testing.F) {
	f.Add([]byte("\xc1\xd2\xc9\xc1\x0e\x43\x8a\x43\xa7\x0f\x40\x81\x82\x00\x00\x12\x3c\x15\xc1\xc2\xc3\xc4\xc5\xc6\xc7\xc8"))
	f.Add(append([]byte{0x0e}, bytes.Repeat([]byte{0xc1}, 600)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		ebcdicText(data)
		out := fromEBCDIC(data)
		if len(out) != len(data) {
			t.Fatalf("%d bytes out of %d", len(out), len(data))
		}
		if i := bytes.IndexByte(data, 0x0e); i >= 0 && i+1 < len(data) && data[i+1] >= 0xc1 && data[i+1] <= 0xc9 && out[i+1] != 0x1a && data[i+1] != 0x0e {
			t.Fatalf("a double-byte run's byte %x read as %q", data[i+1], out[i+1])
		}
	})
}
