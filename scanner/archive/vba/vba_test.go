package vba

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

// literals lays src out as a writer that packs 4096 literals into one
// chunk lays it out (qa16's mkvba.py): a flag byte before every 8 bytes,
// 4608 bytes a chunk, its 12-bit size overflowing; then NULs to a
// sector's end.
func literals(src []byte) []byte {
	out := []byte{1}
	for c := 0; c < len(src); c += 4096 {
		chunk := src[c:min(len(src), c+4096)]
		var body []byte
		for i := 0; i < len(chunk); i += 8 {
			body = append(append(body, 0), chunk[i:min(len(chunk), i+8)]...)
		}
		out = binary.LittleEndian.AppendUint16(out, uint16(0xb000|(len(body)-1)))
		out = append(out, body...)
	}
	return append(out, make([]byte, 512-len(out)%512)...)
}

// TestDecompressLenient: chunks whose header's size overflowed, and NULs
// after the last chunk, decode as a lenient reader decodes them.
func TestDecompressLenient(t *testing.T) {
	src := []byte(strings.Repeat("Const AWS_SECRET_ACCESS_KEY = \"a fake value\"\r\n", 200))
	got, err := Decompress(literals(src), 1<<20)
	if err != nil || !bytes.Equal(got, src) {
		t.Errorf("Decompress: %d bytes, %v; want %d bytes", len(got), err, len(src))
	}
	if _, err := Decompress(literals(src), 5000); err == nil {
		t.Error("past the limit: no error")
	}
}
