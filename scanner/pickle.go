package scanner

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"unicode/utf8"
)

// A Python pickle holds a dict's keys and values as strings behind opcodes
// and length prefixes: protocol 0 (text, Python 2's default) writes
// `Vaws_access_key_id\np1\nVAKIA…\n`, each value glued to its opcode, and
// protocols 1 to 3 put a length and a memo opcode around each (`X\x14\x00
// \x00\x00AKIA…q\x02`), so neither the text scan nor the printable runs of a
// binary file see a value with its edges, nor a secret beside its keyword
// (qa14 MEDIUM-14). So a pickle is read as pickle reads it: its opcodes are
// walked from the first to STOP, a stack kept of what each pushes, and every
// string (str and bytes, every protocol's opcode for them, protocol 0's
// escapes decoded) is written on a line of its own, a dict's string key and
// string value on one line as `key = value`: the line the matcher reads in a
// credentials file. A byte that is no opcode, an argument past the end or a
// stack that does not add up means the file is not a pickle: it is read as
// it would be without this.

// pickleText returns the strings of the pickle data as lines, with the
// segments that map them back to data (a string with escapes decoded maps
// whole to where it starts), or ok false when data is not a whole pickle.
// The text is at most twice data's size, and its map a segment a string.
func pickleText(data []byte) (text []byte, segs []segment, ok bool) {
	if !maybePickle(data) {
		return nil, nil, false
	}
	p := pickler{d: data, memo: map[int]int{}}
	if !p.walk() {
		return nil, nil, false
	}
	return p.lines()
}

// maybePickle is the cheap test before the walk: a pickle starts with
// PROTO (2 and later), or, written by protocol 0 or 1, with a MARK, an
// empty dict, list or tuple or a GLOBAL, and ends with STOP.
func maybePickle(d []byte) bool {
	if len(d) < 3 || d[len(d)-1] != '.' {
		return false
	}
	switch d[0] {
	case 0x80:
		return d[1] <= 5
	case '(', '}', ']', ')', 'c':
		return true
	}
	return false
}

// pickleStr is one string a pickle pushes: its bytes in the file, decoded
// when an escape made them differ.
type pickleStr struct {
	off, n  int    // the value's bytes in the file
	dec     []byte // the decoded value, when it is not data[off:off+n]
	val     int    // the string that is this one's value, -1 when none
	isValue bool
}

// pickleMark is the stack's mark; other items are a string's index or
// pickleOther.
const (
	pickleMark  = -2
	pickleOther = -1
)

type pickler struct {
	d     []byte
	i     int
	stack []int
	strs  []pickleStr
	memo  map[int]int // memo index -> string index, for strings put there
	memos int         // MEMOIZE's next index
}

func (p *pickler) push(v int) { p.stack = append(p.stack, v) }

// pop takes n items; false when the stack holds fewer above its last mark.
func (p *pickler) pop(n int) ([]int, bool) {
	if len(p.stack) < n {
		return nil, false
	}
	top := p.stack[len(p.stack)-n:]
	for _, v := range top {
		if v == pickleMark {
			return nil, false
		}
	}
	p.stack = p.stack[:len(p.stack)-n]
	return top, true
}

// popMark takes the items above the last mark, and the mark.
func (p *pickler) popMark() ([]int, bool) {
	for k := len(p.stack) - 1; k >= 0; k-- {
		if p.stack[k] == pickleMark {
			items := p.stack[k+1:]
			p.stack = p.stack[:k]
			return items, true
		}
	}
	return nil, false
}

// arg returns the next n bytes.
func (p *pickler) arg(n int) ([]byte, bool) {
	if n < 0 || n > len(p.d)-p.i {
		return nil, false
	}
	b := p.d[p.i : p.i+n]
	p.i += n
	return b, true
}

// line returns the text up to the next newline, and moves past it.
func (p *pickler) line() (start int, b []byte, ok bool) {
	k := bytes.IndexByte(p.d[p.i:], '\n')
	if k < 0 {
		return 0, nil, false
	}
	start = p.i
	p.i += k + 1
	return start, p.d[start : start+k], true
}

// sized reads a length of n bytes (little-endian) and that many bytes.
func (p *pickler) sized(n int) (int, int, bool) {
	b, ok := p.arg(n)
	if !ok {
		return 0, 0, false
	}
	var size uint64
	switch n {
	case 1:
		size = uint64(b[0])
	case 4:
		size = uint64(binary.LittleEndian.Uint32(b))
	case 8:
		size = binary.LittleEndian.Uint64(b)
	}
	if size > uint64(len(p.d)-p.i) {
		return 0, 0, false
	}
	off := p.i
	p.i += int(size)
	return off, int(size), true
}

// str pushes a string.
func (p *pickler) str(off, n int, dec []byte) {
	p.strs = append(p.strs, pickleStr{off: off, n: n, dec: dec, val: -1})
	p.push(len(p.strs) - 1)
}

// pair makes the string k the key of the value v when both are strings.
func (p *pickler) pair(k, v int) {
	if k >= 0 && v >= 0 && p.strs[k].val < 0 && !p.strs[v].isValue && k != v {
		p.strs[k].val = v
		p.strs[v].isValue = true
	}
}

// pairs pairs the items of a SETITEMS or DICT: key, value, key, value.
func (p *pickler) pairs(items []int) bool {
	if len(items)%2 != 0 {
		return false
	}
	for k := 0; k < len(items); k += 2 {
		p.pair(items[k], items[k+1])
	}
	return true
}

// fixed is how many argument bytes each opcode without a string takes,
// and its stack effect: pops (-1: to the mark) and pushes.
var pickleFixed = map[byte]struct{ arg, pops, pushes int }{
	'(': {0, 0, 0}, // MARK: handled apart
	'0': {0, 1, 0}, '1': {0, -1, 0}, 'N': {0, 0, 1}, 'Q': {0, 1, 1}, 'R': {0, 2, 1}, 'a': {0, 2, 1},
	'b': {0, 2, 1}, '}': {0, 0, 1}, 'e': {0, -1, 0}, 'l': {0, -1, 1}, ']': {0, 0, 1}, 'o': {0, -1, 1},
	't': {0, -1, 1}, ')': {0, 0, 1}, 'J': {4, 0, 1}, 'K': {1, 0, 1}, 'M': {2, 0, 1}, 'h': {1, 0, 1},
	'j': {4, 0, 1}, 'q': {1, 0, 0}, 'r': {4, 0, 0}, 0x80: {1, 0, 0}, 0x81: {0, 2, 1}, 0x82: {1, 0, 1},
	0x83: {2, 0, 1}, 0x84: {4, 0, 1}, 0x85: {0, 1, 1}, 0x86: {0, 2, 1}, 0x87: {0, 3, 1}, 0x88: {0, 0, 1},
	0x89: {0, 0, 1}, 0x8f: {0, 0, 1}, 0x90: {0, -1, 0}, 0x91: {0, -1, 1}, 0x92: {0, 3, 1}, 0x93: {0, 2, 1},
	0x94: {0, 0, 0}, 0x95: {8, 0, 0}, 0x97: {0, 0, 1}, 0x98: {0, 0, 0},
	'F': {-1, 0, 1}, 'I': {-1, 0, 1}, 'L': {-1, 0, 1}, 'P': {-1, 0, 1}, 'g': {-1, 0, 1}, 'p': {-1, 0, 0},
	'c': {-2, 0, 1}, 'i': {-2, -1, 1},
}

// walk runs the opcodes to STOP, which must be the last byte.
func (p *pickler) walk() bool {
	for p.i < len(p.d) {
		op := p.d[p.i]
		p.i++
		switch op {
		case '.':
			return p.i == len(p.d)
		case '(':
			p.push(pickleMark)
			continue
		case '2': // DUP
			top, ok := p.pop(1)
			if !ok {
				return false
			}
			p.push(top[0])
			p.push(top[0])
			continue
		case 's': // SETITEM: dict, key, value
			kv, ok := p.pop(3)
			if !ok {
				return false
			}
			p.pair(kv[1], kv[2])
			p.push(pickleOther)
			continue
		case 'u': // SETITEMS: dict, mark, pairs
			items, ok := p.popMark()
			if !ok || !p.pairs(items) {
				return false
			}
			continue
		case 'd': // DICT: mark, pairs
			items, ok := p.popMark()
			if !ok || !p.pairs(items) {
				return false
			}
			p.push(pickleOther)
			continue
		case 'S', 'V':
			if !p.textString(op) {
				return false
			}
			continue
		}
		if n, ok := pickleSized[op]; ok {
			off, size, ok := p.sized(n)
			if !ok {
				return false
			}
			if op == 0x8a || op == 0x8b { // LONG1, LONG4: a number's bytes
				p.push(pickleOther)
			} else {
				p.str(off, size, nil)
			}
			continue
		}
		f, ok := pickleFixed[op]
		if !ok {
			return false
		}
		pushed, ok := p.args(op, f.arg)
		if !ok || !pushed && !p.effect(f.pops, f.pushes) {
			return false
		}
	}
	return false
}

// pickleSized are the opcodes whose argument is a length and its bytes:
// the strings and bytes of every protocol, and LONG1/LONG4.
var pickleSized = map[byte]int{'T': 4, 'U': 1, 'X': 4, 'B': 4, 'C': 1, 0x8c: 1, 0x8d: 8, 0x8e: 8, 0x96: 8, 0x8a: 1, 0x8b: 4}

// args reads an opcode's argument: n bytes, or (-1) a line, or (-2) two
// lines; PUT, BINPUT, LONG_BINPUT, GET and their kin also move strings
// through the memo, and MEMOIZE counts. pushed is true when a GET pushed
// a string again (its effect is done).
func (p *pickler) args(op byte, n int) (pushed, ok bool) {
	var arg []byte
	switch n {
	case -1:
		_, arg, ok = p.line()
	case -2:
		if _, _, ok = p.line(); ok {
			_, _, ok = p.line()
		}
	default:
		arg, ok = p.arg(n)
	}
	if !ok {
		return false, false
	}
	idx := -1
	switch op {
	case 'p', 'g':
		v, err := strconv.Atoi(string(arg))
		if err != nil || v < 0 {
			return false, false
		}
		idx = v
	case 'q', 'h':
		idx = int(arg[0])
	case 'r', 'j':
		idx = int(binary.LittleEndian.Uint32(arg))
	case 0x94:
		idx = p.memos
		p.memos++
	}
	switch op {
	case 'p', 'q', 'r', 0x94: // the top is put in the memo
		if len(p.stack) == 0 {
			return false, false
		}
		if top := p.stack[len(p.stack)-1]; top >= 0 {
			p.memo[idx] = top
		} else {
			delete(p.memo, idx)
		}
	case 'g', 'h', 'j': // a memo entry pushed again: a string repeated
		if s, ok := p.memo[idx]; ok {
			p.str(p.strs[s].off, p.strs[s].n, p.strs[s].dec)
			return true, true
		}
	}
	return false, true
}

// effect pops and pushes as an opcode does; pops -1 is to the mark.
func (p *pickler) effect(pops, pushes int) bool {
	switch {
	case pops < 0:
		if _, ok := p.popMark(); !ok {
			return false
		}
	case pops > 0:
		if _, ok := p.pop(pops); !ok {
			return false
		}
	}
	if pushes > 0 {
		p.push(pickleOther)
	}
	return true
}

// textString reads protocol 0's STRING (a Python repr, quoted) or UNICODE
// (raw-unicode-escape) argument, up to its newline.
func (p *pickler) textString(op byte) bool {
	start, b, ok := p.line()
	if !ok {
		return false
	}
	if op == 'S' {
		if len(b) < 2 || b[0] != b[len(b)-1] || b[0] != '\'' && b[0] != '"' {
			return false
		}
		start, b = start+1, b[1:len(b)-1]
		if bytes.IndexByte(b, '\\') < 0 {
			p.str(start, len(b), nil)
			return true
		}
		dec, ok := unquotePyRepr(b)
		if !ok {
			return false
		}
		p.str(start, len(b), dec)
		return true
	}
	if bytes.IndexByte(b, '\\') < 0 {
		p.str(start, len(b), nil)
		return true
	}
	p.str(start, len(b), rawUnicodeEscape(b))
	return true
}

// rawUnicodeEscape decodes \uXXXX and \UXXXXXXXX (what protocol 0 writes
// for a backslash, a newline and any character past Latin-1); other bytes
// are Latin-1 code points.
func rawUnicodeEscape(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\\' && i+1 < len(b) && (b[i+1] == 'u' || b[i+1] == 'U') {
			n := 4
			if b[i+1] == 'U' {
				n = 8
			}
			if i+2+n <= len(b) {
				if v, err := strconv.ParseUint(string(b[i+2:i+2+n]), 16, 32); err == nil && v <= utf8.MaxRune {
					out = utf8.AppendRune(out, rune(v))
					i += 1 + n
					continue
				}
			}
		}
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// unquotePyRepr decodes the escapes of a Python 2 str repr: \\, \', \",
// \n, \r, \t, \xHH and octal.
func unquotePyRepr(b []byte) ([]byte, bool) {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			out = append(out, b[i])
			continue
		}
		i++
		if i >= len(b) {
			return nil, false
		}
		switch c := b[i]; c {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'x':
			if i+2 >= len(b) {
				return nil, false
			}
			v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8)
			if err != nil {
				return nil, false
			}
			out = append(out, byte(v))
			i += 2
		default:
			if '0' <= c && c <= '7' {
				v, k := 0, i
				for ; k < len(b) && k < i+3 && '0' <= b[k] && b[k] <= '7'; k++ {
					v = v*8 + int(b[k]-'0')
				}
				out = append(out, byte(v))
				i = k - 1
				continue
			}
			out = append(out, c) // \\, \', \" and others: the character
		}
	}
	return out, true
}

// lines writes the strings in the order pushed: a key with a string value
// as `key = value`, a value so written not again, others alone.
func (p *pickler) lines() (text []byte, segs []segment, ok bool) {
	// mark maps what follows in the text to n bytes from off in the file.
	mark := func(off, n int) { segs = append(segs, segment{text: len(text), file: off, n: max(n, 1)}) }
	put := func(s pickleStr) {
		if s.dec != nil {
			mark(s.off, 1)
			text = append(text, s.dec...)
			return
		}
		mark(s.off, s.n)
		text = append(text, p.d[s.off:s.off+s.n]...)
	}
	for _, s := range p.strs {
		if s.isValue {
			continue
		}
		put(s)
		if s.val >= 0 {
			v := p.strs[s.val]
			mark(v.off, 1)
			text = append(text, " = "...)
			put(v)
		}
		mark(s.off+s.n, 1)
		text = append(text, '\n')
	}
	return text, segs, len(p.strs) > 0
}

// decodePickle scans the strings of a pickle written as text (protocol 0,
// no NUL: read as a text file) as pickleText writes them. A value the
// file's own scan found is reported once.
func (m *match) decodePickle() {
	if m.depth > 0 {
		return
	}
	text, segs, ok := pickleText(m.data)
	if !ok {
		return
	}
	b := binText{text: text, segs: segs}
	m.subScanNew(m.foundSoFar(), text, "pickle", "",
		func(x int) int { return b.fileOffset(x, false) },
		func(x int) int { return b.fileOffset(x, true) })
}
