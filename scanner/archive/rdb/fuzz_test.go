package rdb

import "testing"

// FuzzStrings checks that no file makes Strings panic, spend much past its
// budget, or give a string longer than maxLen.
func FuzzStrings(f *testing.F) {
	f.Add([]byte("REDIS0011\xfe\x00\x00\x01a\xc3\x04\x05\x03hell\x20\x00"))
	f.Add([]byte("REDIS0009\xc3\x40\x05\x40\x10\x00a\xe0\x01\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var got int64
		Strings(data, 4096, 1<<16, func(s String) bool {
			if len(s.Data) > 4096 || s.Offset < 0 || s.Offset >= len(data) {
				t.Fatalf("string of %d bytes at %d", len(s.Data), s.Offset)
			}
			got += int64(len(s.Data))
			return true
		})
		if got > 1<<16+4096 {
			t.Fatalf("%d bytes given past the budget", got)
		}
	})
}
