package scanner

import (
	"encoding/binary"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// fromWide converts text that starts with a UTF-16 or UTF-32 byte order
// mark to UTF-8, so that files saved by Windows tools are scanned like any
// other; unit is the width of a code unit, 2 or 4, and 0 when data has no
// such mark. The matcher's positions then refer to the converted text;
// widePositions takes them back to the file's bytes. A byte order mark
// proves nothing of what follows it (a mark before ASCII text, a file
// PowerShell began in UTF-16 and a shell went on in ASCII), so
// ScanAllLimited reads the bytes as they are too.
func fromWide(data []byte) (text []byte, unit int) {
	var order binary.ByteOrder
	switch {
	case len(data) >= 4 && data[0] == 0xFF && data[1] == 0xFE && data[2] == 0 && data[3] == 0:
		order, unit = binary.LittleEndian, 4
	case len(data) >= 4 && data[0] == 0 && data[1] == 0 && data[2] == 0xFE && data[3] == 0xFF:
		order, unit = binary.BigEndian, 4
	case len(data) >= 2 && data[0] == 0xFF && data[1] == 0xFE:
		order, unit = binary.LittleEndian, 2
	case len(data) >= 2 && data[0] == 0xFE && data[1] == 0xFF:
		order, unit = binary.BigEndian, 2
	default:
		return nil, 0
	}
	body := data[unit:]
	if unit == 4 {
		out := make([]byte, 0, len(body)/4)
		for i := 0; i+4 <= len(body); i += 4 {
			r := rune(order.Uint32(body[i:]))
			if !utf8.ValidRune(r) {
				r = utf8.RuneError // one unit, as utf16.Decode does with a lone surrogate
			}
			out = utf8.AppendRune(out, r)
		}
		return out, 4
	}
	u := make([]uint16, len(body)/2)
	for i := range u {
		u[i] = order.Uint16(body[2*i:])
	}
	out := make([]byte, 0, len(u))
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
	}
	return out, 2
}

// widePositions rewrites the positions of fs, found in text converted by
// fromWide from units of unit bytes, to the file's: offsets and columns count the file's
// bytes (README: "columns count bytes"), the byte order mark included, as
// they do in any other file; CharColumn and EndCharColumn count characters
// from the line's start, which is what an editor and SARIF's
// unicodeCodePoints columns mean. Each character of the converted text
// came from one UTF-16 code unit (two bytes), or from a surrogate pair (four
// bytes) when it lies past U+FFFF; utf16.Decode turns a lone surrogate into
// U+FFFD, one unit too. In UTF-32 every character is four bytes. Lines are
// the same in both.
func widePositions(fs Findings, text []byte, unit int) {
	if len(fs) == 0 {
		return
	}
	// The positions asked about, in the converted text: per finding its
	// start, its end, and the starts of the lines they stand on.
	const per = 4
	offs := make([]int, 0, per*len(fs))
	for i := range fs {
		f := &fs[i]
		start, endStart := 0, 0
		if f.Line > 0 {
			start = f.Offset - (f.Column - 1)
			endStart = max(f.EndOffset-1, f.Offset) - (f.EndColumn - 2) // EndColumn is one past the last byte
		}
		offs = append(offs, f.Offset, f.EndOffset, start, endStart)
	}
	// One pass over the text, in order of position, gives each the file's
	// byte offset (unit bytes for the byte order mark, then 2 or 4 a character) and
	// how many characters come before it.
	order := make([]int, len(offs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return offs[a] - offs[b] })
	raw := make([]int, len(offs))
	chars := make([]int, len(offs))
	r, c, at := unit, 0, 0
	for _, k := range order {
		to := min(max(offs[k], 0), len(text))
		for at < to {
			ch, n := utf8.DecodeRune(text[at:])
			if ch >= 0x10000 || unit == 4 {
				r += 4
			} else {
				r += 2
			}
			c++
			at += n
		}
		raw[k], chars[k] = r, c
	}
	// A line's first byte is the byte after its newline; line 1 starts at
	// the byte order mark, the file's first byte.
	lineByte := func(k int) int {
		if offs[k] <= 0 {
			return 0
		}
		return raw[k]
	}
	for i := range fs {
		f, k := &fs[i], per*i
		f.Offset, f.EndOffset = raw[k], raw[k+1]
		if f.Line == 0 {
			continue
		}
		f.Column = raw[k] - lineByte(k+2) + 1
		f.EndColumn = raw[k+1] - lineByte(k+3) + 1
		f.CharColumn = chars[k] - chars[k+2] + 1
		f.EndCharColumn = chars[k+1] - chars[k+3] + 1
	}
}
