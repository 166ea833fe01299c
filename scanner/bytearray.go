package scanner

import (
	"bytes"
	"path"
	"strings"
)

// `xxd -i credentials > creds.h` (bin2c, a firmware's or a C++ program's
// embedded config) writes a file's bytes as a list of 0x bytes, 12 a line:
// { 0x5b, 0x64, 0x65, … }. The names and values of a credentials file so
// written are in no anchor of the list (qa15 MEDIUM-5), and the prefilter
// cannot look for the 0x forms of AKIA or aws_: Go source is full of 0x
// tables (see byteListHeads). So in the source files of the languages that
// embed files so (those byteListHeads reads), every run of 16 or more 0x
// bytes is decoded, and a run whose bytes are text is scanned as a text
// of its own, each finding at the run's line that holds it, with the
// encoding byte-array; a run of other bytes (an image, a font, a gzip
// stream, which byteListHeads opens) is not read as text.

// minByteArray is the fewest items of a run decoded: a shorter list is a
// table of constants, not an embedded file.
const minByteArray = 16

// byteArrayLang reports whether a file called name is in a language that
// embeds files as lists of 0x bytes (0X too: xxd -i -u).
func byteArrayLang(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".c", ".h", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx", ".inc", ".ino", ".m", ".mm",
		".rs", ".cs", ".swift", ".js", ".mjs", ".ts", ".py", ".zig", ".d", ".java", ".kt", ".kts":
		return true
	}
	return false
}

// byteArrayStart returns where the first run of minByteArray 0x bytes or
// more of a file called name in such a language starts, or -1: its lists
// are read whatever the prefilter found. A file that holds a 0x but no
// such run (a constant, a table of flags) is not read again (review15
// the whole pipeline ran for every C or JS file with a 0x).
func byteArrayStart(name string, data []byte) int {
	if !byteArrayLang(name) {
		return -1
	}
	for i := 0; ; {
		s := nextHexPrefix(data, i)
		if s < 0 {
			return -1
		}
		n, e := byteArrayCount(data, s)
		if n >= minByteArray {
			return s
		}
		i = max(e, s+2)
	}
}

// nextHexPrefix returns where the next 0x or 0X at or after i stands, or
// -1.
func nextHexPrefix(d []byte, i int) int {
	for i < len(d) {
		k := bytes.IndexByte(d[i:], '0')
		if k < 0 {
			return -1
		}
		if j := i + k; j+1 < len(d) && d[j+1]|0x20 == 'x' {
			return j
		}
		i += k + 1
	}
	return -1
}

// decodeByteArrays scans the text that runs of 0x bytes hold.
func (m *match) decodeByteArrays() {
	if m.wholeFile() != wholeByteArray {
		return
	}
	d := m.data
	t := &decodedText{m: m, found: m.foundSoFar(), encoding: "byte-array"}
	var run []byte
	var items []posSeg
	for i := m.wholeAt; ; {
		s := nextHexPrefix(d, i)
		if s < 0 {
			break
		}
		var e int
		run, items, e = byteArrayRun(d, s, run[:0], items[:0])
		i = max(e, s+2)
		if len(run) < minByteArray || !mostlyText(run) {
			continue
		}
		at := len(t.dec)
		for _, it := range items {
			t.pos.add(at+it.dec, it.raw)
		}
		t.dec = append(t.dec, run...)
		t.dec = append(t.dec, '\n')
		t.end = e
		if !t.cut(e) {
			return
		}
	}
	t.flush()
}

// byteArrayRun appends to out the bytes of the run of 0x items that
// starts at s (0x and two hex digits, commas and blanks between), and to
// items where each item stands (dec: how many bytes come before it, raw:
// its offset), so that a value is placed on its items, as the list
// decoder (charlist.go) places it, and reported once; it returns where the
// run's last item ends.
func byteArrayRun(d []byte, s int, out []byte, items []posSeg) ([]byte, []posSeg, int) {
	e := s
	for i := s; i >= 0; {
		next, ok := byteArrayItem(d, i)
		if !ok {
			break
		}
		items = append(items, posSeg{len(out), i})
		out = append(out, hexVal(d[i+2])<<4|hexVal(d[i+3]))
		e, i = i+4, next
	}
	return out, items, e
}

// byteArrayCount returns how many items the run of 0x items that starts
// at s holds, and where its last item ends, as byteArrayRun reads it.
func byteArrayCount(d []byte, s int) (n, e int) {
	e = s
	for i := s; i >= 0; n++ {
		next, ok := byteArrayItem(d, i)
		if !ok {
			break
		}
		e, i = i+4, next
	}
	return n, e
}

// byteArrayItem reports whether a 0x item stands at i, a word of its own,
// and returns where the next item of its run may start (after a comma and
// blanks), or -1 where no comma follows it. Line breaks may stand before
// the comma too: a list written comma first (0x41\n  , 0x4b).
func byteArrayItem(d []byte, i int) (next int, ok bool) {
	if i+4 > len(d) || d[i] != '0' || d[i+1]|0x20 != 'x' || !isHex(d[i+2]) || !isHex(d[i+3]) ||
		i+4 < len(d) && isWordByte(d[i+4]) || i > 0 && isWordByte(d[i-1]) {
		return -1, false
	}
	j := i + 4
	for j < len(d) && isListBlank(d[j]) {
		j++
	}
	if j >= len(d) || d[j] != ',' {
		return -1, true
	}
	j++
	for j < len(d) && isListBlank(d[j]) {
		j++
	}
	return j, true
}
