package scanner

import (
	"bytes"
	"slices"
)

// Dumps in other notations than pairs of hex digits (notation29, qa22
// M1). od and xxd write a file's bytes in more ways: od -c as characters,
// one to a cell of four columns (a printable byte as itself, C's escapes
// \0 \a \b \f \n \r \t \v, any other byte as three octal digits); od -b as
// three octal digits a byte; od -x, od -t x4 and od -t x8 as words in the
// machine's order, little-endian, so a word's first byte is its last
// pair; xxd -e as little-endian groups too, which only its ASCII column
// tells from xxd -g 4's groups in the bytes' order. A key in such a dump
// is in no anchor of its text (AKIA is "   A   K   I   A", "101 113 111
// 101", "4b41 4149"), so the dump saved as a file is known, as hexdumpFile
// knows the others, by its first line alone, and decodeHexdump reads it
// back: nothing is asked of any other file but its first byte.

// dumpKind is how a dump's lines write its bytes.
type dumpKind uint8

const (
	notDump   dumpKind = iota
	dumpHex            // groups of hex digits in the bytes' order
	dumpHexLE          // groups of hex digits, each a little-endian word
	dumpOctal          // od -b: three octal digits a byte
	dumpChars          // od -c: a cell of four columns a byte
)

// dumpFormat is a dump file's notation, read from its first line.
type dumpFormat struct {
	kind dumpKind
	// hexEnd, where not 0, is where every line's groups end after the
	// colon (xxd -e: its ASCII column's two blanks, at one column on
	// every line; a last line's shorter group stands right-aligned
	// after more blanks, which end groups elsewhere).
	hexEnd int
	// bare: the lines have no offset (od -An).
	bare bool
}

// bareDump reads the first two lines of data, which starts with a blank,
// as od -An writes them (no offset): od -c's cells, od -b's octal bytes,
// or od -x's, od -t x4's and od -t x8's little-endian words (od -An -t x1's
// pairs are spaced hex, read where they stand: spacedhex.go). With no
// offset of zeros to go by, two lines are asked: each one of the
// notation, the first of eight bytes or more, the second of four or more
// (a file's first line indented with blanks is no such line: a word
// among them, or a cell od would not write).
func bareDump(data []byte) dumpFormat {
	le := nextNewline(data, 0)
	if le >= len(data) || le > 512 {
		return dumpFormat{}
	}
	line1, line2 := data[:le], data[le+1:nextNewline(data, le+1)]
	for _, f := range [...]dumpFormat{{kind: dumpOctal, bare: true}, {kind: dumpChars, bare: true}} {
		img, first := f.appendOD(nil, bytes.TrimSuffix(line1, []byte("\r")))
		if first < 0 || len(img) < 8 || len(bytes.Trim(img, " ")) == 0 {
			continue
		}
		if img, first = f.appendOD(img[:0], bytes.TrimSuffix(line2, []byte("\r"))); first >= 0 && len(img) >= 4 {
			return f
		}
	}
	var groups [16]window
	g1 := hexGroupsUpTo(line1, len(line1), groups[:0])
	if len(g1) == 0 {
		return dumpFormat{}
	}
	width := g1[0].hi - g1[0].lo
	for _, g := range g1 {
		if g.hi-g.lo != width {
			return dumpFormat{}
		}
	}
	if width != 4 && width != 8 && width != 16 || len(g1)*width < 32 {
		return dumpFormat{} // eight words of od -x, four of -t x4, two of -t x8
	}
	g2 := hexGroupsUpTo(line2, len(line2), groups[:0])
	if len(g2) == 0 || len(g2) > len(g1) || g2[0].hi-g2[0].lo != width || len(g2)*width < 8 {
		return dumpFormat{}
	}
	return dumpFormat{kind: dumpHexLE, bare: true}
}

// xxdFormat tells xxd -e from xxd -g 4 (and any other width of four
// digits or more) on a first line after its colon: the groups read as
// little-endian words spell the ASCII column, read in order they do
// not.
func xxdFormat(rest []byte, groups []window) dumpFormat {
	last := groups[len(groups)-1].hi
	if last+2 >= len(rest) || rest[last] != ' ' || rest[last+1] != ' ' {
		return dumpFormat{kind: dumpHex} // no ASCII column (xxd -e always writes one)
	}
	col := bytes.TrimRight(rest[last+2:], "\r")
	var t [8]byte
	ahead, back := true, true
	for _, g := range groups {
		b := groupBytes(t[:0], rest, g)
		if len(b) != (g.hi-g.lo)/2 || len(col) < len(b) {
			return dumpFormat{kind: dumpHex} // wider than groupBytes reads, or no column of its bytes
		}
		for k, c := range b {
			ahead = ahead && shownInColumn(c, col[k])
			back = back && shownInColumn(b[len(b)-1-k], col[k])
		}
		col = col[len(b):]
	}
	if !back || ahead {
		return dumpFormat{kind: dumpHex} // in order (or either way), or neither: as before
	}
	return dumpFormat{kind: dumpHexLE, hexEnd: last}
}

// shownInColumn reports whether an ASCII column shows the byte c as s.
func shownInColumn(c, s byte) bool {
	if c < ' ' || c > '~' {
		return s == '.'
	}
	return c == s
}

// odFile reads a first line's rest after its offset of zeros as od -c's
// cells or od -b's octal bytes: four of them or more, each one of od's.
func odFile(rest []byte, colon bool) dumpFormat {
	if colon {
		return dumpFormat{}
	}
	rest = bytes.TrimSuffix(rest, []byte("\r"))
	for _, f := range [...]dumpFormat{{kind: dumpOctal}, {kind: dumpChars}} {
		img, first := f.appendOD(nil, rest)
		if first >= 0 && len(img) >= 4 && len(bytes.Trim(img, " ")) > 0 {
			return f
		}
	}
	return dumpFormat{}
}

// appendLine appends to img the bytes of one dump line, from rest (the
// line after its offset and colon), and returns where in rest its first
// group or cell stands, or -1 (nothing appended) where rest is no line of
// the dump's notation. groups is scratch memory.
func (f dumpFormat) appendLine(img, rest []byte, colon bool, groups []window) ([]byte, []window, int) {
	switch f.kind {
	case dumpOctal, dumpChars:
		img, first := f.appendOD(img, bytes.TrimSuffix(rest, []byte("\r")))
		return img, groups, first
	}
	if f.hexEnd > 0 {
		groups = hexGroupsUpTo(rest, min(f.hexEnd, len(rest)), groups)
	} else {
		groups = hexdumpGroups(rest, colon, groups)
	}
	if len(groups) == 0 {
		return img, groups, -1
	}
	for _, g := range groups {
		s := len(img)
		img = slices.Grow(img, (g.hi-g.lo)/2)[:s+(g.hi-g.lo)/2]
		hexPairs(img[s:], rest[g.lo:g.hi])
		if f.kind == dumpHexLE {
			slices.Reverse(img[s:])
		}
	}
	return img, groups, groups[0].lo
}

// trimPadding drops from a dump's bytes the NULs od pads its last word
// with (od -t x8 writes up to seven): in a short text they were enough
// to make it no text.
func (f dumpFormat) trimPadding(img []byte) []byte {
	if f.kind != dumpHexLE {
		return img
	}
	for k := 0; k < 7 && len(img) > 0 && img[len(img)-1] == 0; k++ {
		img = img[:len(img)-1]
	}
	return img
}

// appendOD appends to img the bytes of an od -b or od -c line's rest
// after its offset, or nothing and -1 where rest is not such a line.
func (f dumpFormat) appendOD(img, rest []byte) ([]byte, int) {
	s := len(img)
	if f.kind == dumpOctal {
		// " 133 144 145": a blank, three octal digits, up to 0377
		for i := 0; i < len(rest); i += 4 {
			if i+4 > len(rest) || rest[i] != ' ' || rest[i+1] < '0' || rest[i+1] > '3' || !isOctal(rest[i+2]) || !isOctal(rest[i+3]) {
				return img[:s], -1
			}
			img = append(img, (rest[i+1]-'0')<<6|(rest[i+2]-'0')<<3|(rest[i+3]-'0'))
		}
		if len(img) == s {
			return img, -1
		}
		return img, 1
	}
	// "   a", "  \n", " 303", "  **", "    " (a blank): cells of four
	// columns; a line an editor trimmed loses only whole cells of blanks
	if len(rest)%4 != 0 || len(rest) == 0 {
		return img, -1
	}
	for i := 0; i < len(rest); i += 4 {
		c, ok := odCell(rest[i : i+4])
		if !ok {
			return img[:s], -1
		}
		img = append(img, c)
	}
	return img, 0
}

// odCell reads one cell of od -c: a blank first, then the byte right
// aligned in three columns. A multibyte character's later bytes ("**",
// where od prints the character whole in its first cell) are read as a
// byte that is no text's.
func odCell(cell []byte) (byte, bool) {
	if cell[0] != ' ' {
		return 0, false
	}
	switch {
	case cell[1] == ' ' && cell[2] == ' ':
		if c := cell[3]; c >= ' ' && c <= '~' {
			return c, true // a printable byte, the blank too
		}
	case cell[1] == ' ' && cell[2] == '\\':
		if k := bytes.IndexByte([]byte("0abtnvfr"), cell[3]); k >= 0 {
			return [...]byte{0, 7, 8, 9, 10, 11, 12, 13}[k], true
		}
	case cell[1] == ' ' && cell[2] == '*' && cell[3] == '*':
		return 0x80, true
	case cell[1] >= '0' && cell[1] <= '3' && isOctal(cell[2]) && isOctal(cell[3]):
		return (cell[1]-'0')<<6 | (cell[2]-'0')<<3 | (cell[3] - '0'), true
	}
	return 0, false
}

// isOctal reports whether c is an octal digit.
func isOctal(c byte) bool { return c >= '0' && c <= '7' }
