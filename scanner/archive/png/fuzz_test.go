package png

import "testing"

// FuzzTexts checks that no file makes Texts panic or give a chunk outside
// the file.
func FuzzTexts(f *testing.F) {
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0czTXtComment\x00\x00x\x9c\x00\x00\x00\x00\x00\x00\x00\x00IEND\x00\x00\x00\x00"))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x10iTXtk\x00\x01\x00en\x00t\x00x\x9c\x03\x00\x00\x00\x00\x01\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, _, _ := Texts(data, 100)
		for _, x := range ts {
			if x.Offset < 0 || x.Size < 0 || x.Offset > len(data) || x.Size > len(data)-x.Offset {
				t.Fatalf("chunk %+v outside %d bytes", x, len(data))
			}
		}
	})
}
