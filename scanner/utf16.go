package scanner

import (
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
)

// fromUTF16 converts text that starts with a UTF-16 byte order mark to
// UTF-8, so that files saved by Windows tools are scanned like any other.
// Positions then refer to the converted text: lines are the same, columns
// count UTF-8 bytes.
func fromUTF16(data []byte) ([]byte, bool) {
	if len(data) < 2 {
		return nil, false
	}
	var order binary.ByteOrder
	switch {
	case data[0] == 0xFF && data[1] == 0xFE:
		order = binary.LittleEndian
	case data[0] == 0xFE && data[1] == 0xFF:
		order = binary.BigEndian
	default:
		return nil, false
	}
	body := data[2:]
	u := make([]uint16, len(body)/2)
	for i := range u {
		u[i] = order.Uint16(body[2*i:])
	}
	out := make([]byte, 0, len(u))
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
	}
	return out, true
}
