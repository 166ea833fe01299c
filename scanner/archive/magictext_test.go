package archive

import (
	"testing"
)

// FuzzMagicText: a format's magic followed by text is no archive, and
// Detect answers for any bytes after a magic without a panic: text
// (textOnly) after the magic of a format whose head goes on in binary
// is None, and so is a zip's or gzip's head no reader takes
// (plausibleHead); anything else is what the magic alone says.
func FuzzMagicText(f *testing.F) {
	heads := [][]byte{[]byte("PK\x03\x04"), []byte("PK\x05\x06"), {0x1f, 0x8b, 8}, {0xfd, '7', 'z', 'X', 'Z', 0},
		{0x28, 0xb5, 0x2f, 0xfd}, sevenZipSignature, []byte("BZh91AY&SY"), []byte("LZIP\x01"), {0x04, 0x22, 0x4d, 0x18}, []byte("Rar!\x1a\x07\x00")}
	f.Add(uint8(0), []byte("`), xz and zstd as escapes; bzip2 as escapes"))
	f.Add(uint8(2), []byte("\x00\x00\x00\x00\x00\x00\x00\xff"))
	f.Add(uint8(6), []byte("h\u00e9llo \u2026 w\u00f6rld"))
	f.Fuzz(func(t *testing.T, k uint8, rest []byte) {
		head := heads[int(k)%len(heads)]
		data := append(append([]byte(nil), head...), rest...)
		magic := detectMagic(data)
		got := Detect(data)
		switch {
		case binaryHead(magic) > 0 && textOnly(data[binaryHead(magic):]):
			if got != None {
				t.Fatalf("%q: %v, want none (text after the magic)", data, got)
			}
		case got != magic && (got != None || plausibleHead(magic, data)):
			t.Fatalf("%q: %v, want %v", data, got, magic)
		}
	})
}
