package cfb

import "testing"

// FuzzOpen checks that no file makes Open, Streams or Read panic, or read
// a stream longer than the file.
func FuzzOpen(f *testing.F) {
	f.Add(append(append([]byte{}, Signature...), make([]byte, 1024)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		cf, err := Open(data)
		if err != nil {
			return
		}
		es, _, _ := cf.Streams(100)
		for _, e := range es {
			if b, err := cf.Read(e); err == nil && len(b) > len(data) {
				t.Fatalf("stream %s of %d bytes from %d", e.Path, len(b), len(data))
			}
		}
	})
}
