package scanner

import "bytes"

// A hex dump saved to a file (xxd, hexdump -C, od -A x -t x1z, od -t x1,
// and the 2-byte words of od -x and plain hexdump) writes 16 bytes a line
// behind an offset, with the bytes again as ASCII in a column at the right
// in the first three. A key ID or a secret cut by a line's end is in no
// line's hex or ASCII whole, and the hex anchors stand in no group (qa14:
// dumps with an ASCII column were not decoded). Such a file is known by
// its first line: an offset of zeros, then four groups of hex digits or
// more. Its lines are read back into the bytes dumped: the groups of each
// line up to its ASCII column (after "|", ">" or two blanks), a line of
// "*" (a repeat of the line before, which hexdump and od write once) a
// NUL, so no value is joined across it. Bytes that are text are scanned as
// a decoded text, each finding at its line of the dump with the encoding
// hexdump; other bytes are read as a binary member of the file.

// hexdumpFile reports whether data is a hex dump, by its first line, and
// whether its groups are 2-byte words in the machine's (little-endian)
// order (od -x, hexdump without -C: an offset without xxd's colon before
// groups of four digits).
func hexdumpFile(data []byte) (ok, swapped bool) {
	if len(data) < 16 || data[0] != '0' {
		return false, false // the usual answer: one byte read
	}
	line := data[:nextNewline(data, 0)]
	i := 0
	for i < len(line) && line[i] == '0' {
		i++
	}
	if i < 6 {
		return false, false
	}
	colon := i < len(line) && line[i] == ':'
	if colon {
		i++
	}
	groups, width := 0, 0
	for _, g := range hexdumpGroups(line[i:], nil) {
		if width == 0 {
			width = g.hi - g.lo
		}
		if g.hi-g.lo != width {
			return false, false
		}
		groups++
	}
	if groups < 4 || width%2 != 0 || width > 8 {
		return false, false
	}
	return true, !colon && width == 4
}

// hexdumpGroups appends to out the groups of hex digits of the rest of a
// dump's line after its offset, up to its ASCII column: "|" (hexdump
// -C), ">" (od's z) or, with neither on the line, two blanks (xxd, whose
// column follows them; hexdump -C's two blanks in the middle of its
// groups come before its "|").
func hexdumpGroups(rest []byte, out []window) []window {
	end := len(rest)
	lead := len(rest) - len(bytes.TrimLeft(rest, " "))
	if k := bytes.Index(rest[lead:], []byte("  ")); k >= 0 {
		end = lead + k
	}
	for _, col := range []string{"  |", "  >"} {
		if k := bytes.Index(rest, []byte(col)); k >= 0 && onlyHexAndBlanks(rest[:k]) {
			end = k
		}
	}
	for i := 0; i < end; {
		for i < end && (rest[i] == ' ' || rest[i] == '\t') {
			i++
		}
		s := i
		for i < end && isHex(rest[i]) {
			i++
		}
		if i == s {
			break
		}
		if i < end && rest[i] != ' ' && rest[i] != '\t' && rest[i] != '\r' || (i-s)%2 != 0 {
			return out[:0] // a word, not a group: no dump line
		}
		out = append(out, window{s, i})
	}
	return out
}

// decodeHexdump reads a hex dump back into its bytes and scans them.
func (m *match) decodeHexdump() {
	if m.depth > 0 {
		return
	}
	ok, swapped := hexdumpFile(m.data)
	if !ok {
		return
	}
	d := m.data
	t := &decodedText{m: m, found: m.foundSoFar(), encoding: "hexdump"}
	img := make([]byte, 0, len(d)/4)
	var groups []window
	for i := 0; i < len(d); {
		le := nextNewline(d, i)
		line := d[i:le]
		o := 0
		for o < len(line) && isHex(line[o]) {
			o++
		}
		if o < len(line) && line[o] == ':' {
			o++
		}
		switch {
		case bytes.Equal(bytes.TrimRight(line, " \r"), []byte("*")):
			img = append(img, 0) // repeated lines: a gap
		case o >= 4:
			groups = hexdumpGroups(line[o:], groups[:0])
			if len(groups) > 0 {
				t.pos.add(len(img), i+o+groups[0].lo)
			}
			for _, g := range groups {
				s := len(img)
				for k := i + o + g.lo; k < i+o+g.hi; k += 2 {
					img = append(img, hexVal(d[k])<<4|hexVal(d[k+1]))
				}
				if swapped {
					for a, b := s, len(img)-1; a < b; a, b = a+1, b-1 {
						img[a], img[b] = img[b], img[a]
					}
				}
			}
		}
		i = le + 1
	}
	if !mostlyText(img) {
		t.pos.seg = t.pos.seg[:0]
		m.embed(img, 0, "hexdump")
		return
	}
	t.dec, t.end = img, len(d)
	t.flush()
}

// onlyHexAndBlanks reports whether b holds hex digits and blanks only.
func onlyHexAndBlanks(b []byte) bool {
	for _, c := range b {
		if !isHex(c) && c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}
