package scanner

import (
	"bytes"
	"slices"
	"strings"
)

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

// hexdumpFile reports whether data is a dump, by its first line, and in
// which notation (oddump.go): whether its groups are words in the
// machine's (little-endian) order (od -x, od -t x4, od -t x8, hexdump
// without -C: an offset without xxd's colon before groups of four digits
// or more; xxd -e, told by its ASCII column), or od -b's octal bytes or
// od -c's characters. After xxd's colon one group or more will do,
// each of the same width but the last, which may be shorter: xxd's -g
// sets any width (-g 0: one group a line, -g 3: a byte left over) and -c
// any count (qa review15 A-2: -g 3, -g 8, -g 0, -c 6 were not dumps).
// Without the colon (hexdump -C, od) four groups of equal width are asked
// (or two of 16 digits: od -t x8), as an offset of zeros and a few numbers
// may start any text.
func hexdumpFile(data []byte) dumpFormat {
	if len(data) < 16 || data[0] != '0' {
		if len(data) >= 16 && data[0] == ' ' {
			return bareDump(data) // od -An (oddump.go)
		}
		return dumpFormat{} // the usual answer: one byte read
	}
	line := data[:nextNewline(data, 0)]
	i := 0
	for i < len(line) && line[i] == '0' {
		i++
	}
	if i < 6 {
		return dumpFormat{}
	}
	colon := i < len(line) && line[i] == ':'
	if colon {
		i++
	}
	groups := hexdumpGroups(line[i:], colon, nil)
	if len(groups) == 0 {
		return odFile(line[i:], colon) // od -c, od -b (oddump.go)
	}
	width := groups[0].hi - groups[0].lo
	for k, g := range groups {
		if w := g.hi - g.lo; w != width && (k < len(groups)-1 || !colon || w > width) {
			return dumpFormat{}
		}
	}
	if !colon && (width > 16 || len(groups) < 4 && len(groups)*width < 32) {
		// four groups, or 16 bytes' worth (od -t x8's two words)
		return dumpFormat{}
	}
	switch {
	case !colon && width >= 4:
		return dumpFormat{kind: dumpHexLE} // od -x, od -t x4, od -t x8, hexdump
	case colon && width >= 4:
		return xxdFormat(line[i:], groups) // xxd -e or xxd -g 2 and wider
	}
	return dumpFormat{kind: dumpHex}
}

// hexdumpGroups appends to out the groups of hex digits of the rest of a
// dump's line after its offset, up to its ASCII column: "|" (hexdump
// -C), ">" (od's z) or two blanks (xxd, whose column follows them;
// hexdump -C's two blanks in the middle of its groups come before its
// "|"). A "  |" or "  >" ends the groups only on a line without xxd's
// colon (colon) that ends with the column's "|" or "<": in xxd's ASCII
// column they are text, and hex digits before them would be read as
// bytes (qa review15 A-3: a key split so). It returns no group where the
// line holds a word among its groups or a group of an odd count of
// digits.
func hexdumpGroups(rest []byte, colon bool, out []window) []window {
	end := len(rest)
	lead := len(rest) - len(bytes.TrimLeft(rest, " "))
	if k := bytes.Index(rest[lead:], []byte("  ")); k >= 0 {
		end = lead + k
	}
	if !colon {
		trimmed := bytes.TrimRight(rest, " \r")
		for _, col := range [...]struct{ open, close string }{{"  |", "|"}, {"  >", "<"}} {
			if !bytes.HasSuffix(trimmed, []byte(col.close)) {
				continue
			}
			if k := bytes.Index(rest, []byte(col.open)); k >= 0 && onlyHexAndBlanks(rest[:k]) {
				end = k
			}
		}
	}
	return hexGroupsUpTo(rest, end, out)
}

// hexGroupsUpTo appends to out the groups of hex digits of rest[:end],
// parted by blanks, or none where a word or a group of an odd count of
// digits stands among them.
func hexGroupsUpTo(rest []byte, end int, out []window) []window {
	for i := 0; i < end; {
		for i < end && (rest[i] == ' ' || rest[i] == '\t') {
			i++
		}
		s := i
		for i < end && isHex(rest[i]) {
			i++
		}
		if i == s {
			if s < end && rest[s] != '\r' {
				return out[:0] // a word's first letter, not a group
			}
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
	if m.wholeFile() != wholeHexdump {
		return
	}
	defer m.oncePerDumpLine()
	m.readDump(hexdumpFile(m.data), 0, 0, false) // its first line again
}

// readDump reads the dump in notation f whose lines start at from, each
// line's offset at column col (what stands before it, a log's prefix or a
// Markdown quote, is passed over), back into its bytes, and scans them;
// it returns where the dump ends. A dump saved as a file (pasted false) is
// read to the file's end, its lines that are no dump line counted and read
// as a NUL; a dump pasted into other text (pastedump.go) ends at its first
// line that is none.
func (m *match) readDump(f dumpFormat, from, col int, pasted bool) int {
	d := m.data
	t := &decodedText{m: m, found: m.foundSoFar(), encoding: "hexdump"}
	img := make([]byte, 0, (len(d)-from)/4)
	var groups []window
	i := from
lines:
	for i < len(d) {
		le := nextNewline(d, i)
		if le-i < col {
			break // a line shorter than the prefix: no dump line
		}
		line := d[i+col : le]
		o := 0
		for o < len(line) && isHex(line[o]) && !f.bare {
			o++
		}
		colon := o < len(line) && line[o] == ':'
		if colon {
			o++
		}
		first := -1 // the line's first group or cell, in line[o:]
		if o >= 4 || f.bare {
			s := len(img)
			if img, groups, first = f.appendLine(img, line[o:], colon, groups[:0]); first >= 0 {
				t.pos.add(s, i+col+o+first)
			}
		}
		rest := bytes.TrimRight(line[o:], " \t\r")
		switch {
		case first >= 0:
		case o >= 4 && len(rest) == 0:
			// od's last line, the offset alone: a pasted dump's end
			if pasted {
				i = min(le+1, len(d))
				break lines
			}
		case pasted:
			break lines // other text below the dump
		case len(bytes.TrimSpace(line)) == 0:
			// a blank line
		case bytes.Equal(bytes.TrimRight(line, " \r"), []byte("*")):
			img = append(img, 0) // repeated lines: a gap
		default:
			// A line that is no dump line (a group cut or edited, a
			// word among the groups, a note): counted, and a gap, so
			// the lines around it are not joined (qa review15 A-1).
			// Not counted after lines with no offset (od -An), which
			// their first two alone told from text: the others may be
			// text, which the file's own scan reads.
			if !f.bare {
				m.undecoded++
			}
			img = append(img, 0)
		}
		i = le + 1
	}
	end := min(i, len(d))
	img = f.trimPadding(img)
	if !mostlyText(img) {
		t.pos.seg = t.pos.seg[:0]
		m.embed(img, from, "hexdump")
		return end
	}
	t.dec, t.end = img, end
	t.flush()
	return end
}

// oncePerDumpLine keeps one finding of a value read more than once on the
// same lines of a dump: a line of xxd -c 256 shows a key whole in its
// ASCII column, as a run of hex digits (decodeHex) and again in the bytes
// read back, three findings at three offsets (qa16 closing note). Of the
// findings of one rule and value whose lines overlap, the first not read
// back by the dump's decoder is kept (its offset is the value's own), else
// the dump's.
func (m *match) oncePerDumpLine() {
	if len(m.out) < 2 {
		return
	}
	out, d := m.out, m.data
	ord := make([]int, len(out))
	for i := range ord {
		ord[i] = i
	}
	slices.SortFunc(ord, func(a, b int) int {
		fa, fb := &out[a], &out[b]
		if c := strings.Compare(fa.Rule, fb.Rule); c != 0 {
			return c
		}
		if c := strings.Compare(fa.Secret, fb.Secret); c != 0 {
			return c
		}
		return fa.Offset - fb.Offset
	})
	drop := make([]bool, len(out))
	for k := 0; k < len(ord); {
		first, kept, end := k, ord[k], nextNewline(d, max(0, out[ord[k]].EndOffset-1))
		for k++; k < len(ord); k++ {
			f := &out[ord[k]]
			if f.Rule != out[ord[first]].Rule || f.Secret != out[ord[first]].Secret || lineAfter(d, f.Offset, end, 1<<16) {
				break
			}
			end = max(end, nextNewline(d, max(0, f.EndOffset-1)))
			if out[kept].Encoding == "hexdump" && f.Encoding != "hexdump" {
				drop[kept], kept = true, ord[k]
			} else {
				drop[ord[k]] = true
			}
		}
	}
	kept := out[:0]
	for i := range out {
		if !drop[i] {
			kept = append(kept, out[i])
		}
	}
	m.out = kept
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

// lineAfter reports whether lineStartWithin(d, off, limit) > end, reading
// only d[end:off]: the findings of one secret, in order, are each asked of
// the stretch since the last one's line, not of 64 KiB before them, which a
// long line of findings made quadratic.
func lineAfter(d []byte, off, end, limit int) bool {
	switch {
	case off <= end:
		return false // a line starts at or before off
	case off-limit > end:
		return true // lineStartWithin answers off-limit or later
	}
	return bytes.IndexByte(d[end:off], '\n') >= 0
}
