package scanner

import (
	"bytes"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A Windows registry export (.reg, regedit /e, reg export) writes a value
// that is no plain string as its bytes in hex: REG_EXPAND_SZ (a user
// environment variable holding a %VAR%) as "NAME"=hex(2):41,00,4b,00,…,
// REG_MULTI_SZ as hex(7):, REG_BINARY as hex:, UTF-16LE for the string
// types, wrapped at 80 columns with ",\" and indented continuation lines.
// Read as it is, no byte of a key is next to the next (qa16 HIGH-2). So
// each hex value of such a file is decoded: text (UTF-16LE by its NUL high
// bytes, as regedit 5 writes every string type; bytes as they are
// otherwise, as REGEDIT4 writes them) is scanned as the REG_SZ value
// "NAME"="text" would be, the findings at the value's line with the
// encoding registry-hex; bytes that are no text are read as a binary
// member is (embed). A value whose bytes stop before its line does (a
// stray character, a digit alone) is counted as not decoded whole.

// regFile reports whether data, a file called name, is a registry export:
// by its name, or by the line regedit writes first.
func regFile(name string, data []byte) bool {
	n := len(name)
	if n >= 4 && name[n-4] == '.' && strings.EqualFold(name[n-3:], "reg") {
		return true
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	return bytes.HasPrefix(data, []byte("Windows Registry Editor Version")) || bytes.HasPrefix(data, []byte("REGEDIT4"))
}

// decodeRegistry scans the hex values of a registry export as text.
func (m *match) decodeRegistry() {
	if m.wholeFile() != wholeRegistry {
		return
	}
	d := m.data
	t := &decodedText{m: m, found: m.foundSoFar(), encoding: "registry-hex"}
	var raw, text []byte
	var lines []posSeg
	for i := 0; i < len(d); {
		le := nextNewline(d, i)
		name, eq, hexAt, ok := regHexValue(d, i, le)
		if !ok {
			i = le + 1
			continue
		}
		var whole bool
		raw, lines, le, whole = regHexBytes(d, hexAt, raw[:0], lines[:0])
		if !whole {
			m.undecoded++ // a value that stops before its line does: counted
		}
		var wide bool
		text, wide = regText(raw, text[:0])
		switch {
		case mostlyText(text):
			// "NAME"="text", as the value's name stands, the text at
			// the lines of its hex.
			t.pos.add(len(t.dec), name)
			t.dec = append(t.dec, d[name:eq]...)
			t.dec = append(t.dec, '=', '"')
			at := len(t.dec)
			for _, l := range lines {
				if wide {
					l.dec /= 2
				}
				t.pos.add(at+min(l.dec, len(text)), l.raw)
			}
			t.dec = append(t.dec, text...)
			t.dec = append(t.dec, '"', '\n')
		case len(raw) > 0:
			m.embed(raw, hexAt, "registry-hex")
		}
		t.end = le
		if !t.cut(le) {
			return
		}
		i = le + 1
	}
	t.flush()
}

// nextNewline returns where the line that starts at i ends: its newline, or
// len(d).
func nextNewline(d []byte, i int) int {
	if k := bytes.IndexByte(d[i:], '\n'); k >= 0 {
		return i + k
	}
	return len(d)
}

// regHexValue reads the line d[i:le] as a value written in hex, "NAME"=hex:
// or @=hex(N): (the default value), and returns where its name starts,
// where the = after it stands and where its bytes start, after the type's
// colon.
func regHexValue(d []byte, i, le int) (name, eq, hexAt int, ok bool) {
	for i < le && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	name = i
	switch {
	case i < le && d[i] == '@':
		i++
	case i < le && d[i] == '"':
		for i++; i < le && d[i] != '"'; i++ {
			if d[i] == '\\' {
				i++ // \" and \\ inside a name
			}
		}
		if i >= le {
			return 0, 0, 0, false
		}
		i++
	default:
		return 0, 0, 0, false
	}
	if !bytes.HasPrefix(d[i:le], []byte("=hex")) {
		return 0, 0, 0, false
	}
	eq = i
	i += len("=hex")
	if i < le && d[i] == '(' {
		for i++; i < le && isHex(d[i]); i++ {
		}
		if i >= le || d[i] != ')' {
			return 0, 0, 0, false
		}
		i++
	}
	if i >= le || d[i] != ':' {
		return 0, 0, 0, false
	}
	return name, eq, i + 1, true
}

// regHexBytes appends the bytes of the value whose hex starts at i to out,
// over the lines a "\\" at a line's end continues it to, and appends to
// lines each line's first digit (dec: how many bytes come before it, raw:
// its offset). It returns the bytes, the lines, where the value's last
// line ends, and whether the value was read to that end.
func regHexBytes(d []byte, i int, out []byte, lines []posSeg) ([]byte, []posSeg, int, bool) {
	le := nextNewline(d, i)
	lines = append(lines, posSeg{0, i})
	for {
		for i < le && (d[i] == ' ' || d[i] == '\t') {
			i++
		}
		if i+1 < le && isHex(d[i]) && isHex(d[i+1]) {
			out = append(out, hexVal(d[i])<<4|hexVal(d[i+1]))
			i += 2
			for i < le && (d[i] == ' ' || d[i] == '\t') {
				i++
			}
			if i < le && d[i] == ',' {
				i++
				continue
			}
		}
		if i < le && d[i] == '\\' && blankTo(d, i+1, le) && le < len(d) {
			i = le + 1 // a continuation: the value goes on on the next line
			le = nextNewline(d, i)
			lines = append(lines, posSeg{len(out), i})
			continue
		}
		return out, lines, le, blankTo(d, i, le)
	}
}

// blankTo reports whether d[i:e] is blanks and a carriage return only.
func blankTo(d []byte, i, e int) bool {
	for ; i < e; i++ {
		if c := d[i]; c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// regText appends the text of a value's bytes to out: UTF-16LE when most
// of its high bytes are NUL (regedit 5's strings), else the bytes as they
// are; a NUL (the end of a string, between those of a REG_MULTI_SZ)
// becomes a line break, and the breaks at the end are dropped. wide says
// which it was.
func regText(b []byte, out []byte) (text []byte, wide bool) {
	zeros := 0
	for k := 1; k < len(b); k += 2 {
		if b[k] == 0 {
			zeros++
		}
	}
	wide = len(b) >= 2 && 2*zeros >= len(b)/2
	if wide {
		for k := 0; k+1 < len(b); {
			u := uint16(b[k]) | uint16(b[k+1])<<8
			k += 2
			r := rune(u)
			if utf16.IsSurrogate(r) && k+1 < len(b) {
				r = utf16.DecodeRune(r, rune(uint16(b[k])|uint16(b[k+1])<<8))
				k += 2
			}
			if r == 0 {
				r = '\n'
			}
			out = utf8.AppendRune(out, r)
		}
	} else {
		for _, c := range b {
			if c == 0 {
				c = '\n'
			}
			out = append(out, c)
		}
	}
	return bytes.TrimRight(out, "\n"), wide
}
