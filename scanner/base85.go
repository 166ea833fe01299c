package scanner

import (
	"bytes"
	"slices"
	"sort"
	"strings"
)

// Base85 hides a payload as well as base64 does (qa15 MEDIUM-9: passed in
// silence): Python's base64.b85encode (RFC 1924's alphabet, git's; how
// get-pip.py embeds a zip) and a85encode (Ascii85, which Adobe's
// PostScript and PDF delimit with <~ and ~>), and ZeroMQ's Z85. No
// anchor can name a word in it: each five characters encode four bytes
// together, so a word has one form at one alignment of four. The
// prefilter finds instead the calls that decode it (b85decode(,
// a85decode(, z85.decode(, Go's ascii85.) and Adobe's end mark ~> before
// a quote or a line end, and decodeBase85 reads the run the call names:
// its literal argument, or, when the argument is a name (get-pip.py's
// DATA, defined far above its call), every run of the alphabet in the
// file long enough to be data, lines of one width joined. Text is
// scanned (encoding "base85"), an archive or a binary with printable runs
// is a member of the input, as base64's are. A literal or an Adobe run
// that does not decode (a character outside the alphabet, a group past
// 2^32) is counted as not decoded: the call says it is base85.

// b85Kind is one of the base85 alphabets.
type b85Kind uint8

const (
	b85RFC1924 b85Kind = iota // b85encode, git: 0-9 A-Z a-z !#$%&()*+-;<=>?@^_`{|}~
	b85Ascii                  // a85encode, Adobe, btoa: ! to u, z for four zero bytes
	b85Z85                    // ZeroMQ: 0-9 a-z A-Z .-:+=^!/*?&<>()[]{}@%$#
)

// b85Alphabets are the digits of each alphabet in order (Ascii85's are
// its byte values less 33).
var b85Alphabets = [...]string{
	b85RFC1924: "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~",
	b85Z85:     "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#",
}

// b85Digits is each alphabet's table of digit values (-1: not a digit),
// and b85Stops its table of the bytes that end a run (classRunEnd).
var b85Digits, b85Stops = func() (dt [3][256]int16, st [3][256]uint8) {
	for k := range dt {
		for c := range 256 {
			dt[k][c], st[k][c] = -1, 1
		}
	}
	for _, k := range []b85Kind{b85RFC1924, b85Z85} {
		for i := range len(b85Alphabets[k]) {
			c := b85Alphabets[k][i]
			dt[k][c], st[k][c] = int16(i), 0
		}
	}
	for c := '!'; c <= 'u'; c++ {
		dt[b85Ascii][c], st[b85Ascii][c] = int16(c-'!'), 0
	}
	dt[b85Ascii]['z'], st[b85Ascii]['z'] = 0, 0
	return dt, st
}()

// minB85Run is the shortest run of a file that decodeBase85 reads as
// data when a call names no literal: 40 characters are 32 bytes.
const minB85Run = 40

// fileSeeds adds to the prefilter's anchors the calls and marks of the
// input's own format, which as anchors would cost every corpus: in a
// Python file every b85decode( and a85decode( (12,000 to 19,000 more
// places of the corpora) and every decompress( (74,000: near it a base64
// run of zlib at any level is read, deflate.go; qa15 MEDIUM-8), and in a
// file that starts with Adobe's <~ or is PostScript every ~> that ends an
// Ascii85 run. Other files pay a test of their name's last byte and their
// first byte (mayHoldSeeds).
func (m *match) fileSeeds() {
	d := m.data
	n := len(m.scratch.b85)
	py, ps, sh, pwsh := false, false, false, false
	if k := len(m.name); k > 3 {
		switch m.name[k-1] | 0x20 { // most names end otherwise: one test
		case 'y', 'w', 'i', 's', 'h', '1':
			ext := m.name[max(0, strings.LastIndexByte(m.name, '.')):]
			py = isExt(ext, ".py") || isExt(ext, ".pyw") || isExt(ext, ".pyi")
			ps = isExt(ext, ".ps") || isExt(ext, ".eps") || isExt(ext, ".ai")
			sh = isExt(ext, ".sh") || isExt(ext, ".bash") || isExt(ext, ".zsh") || isExt(ext, ".ksh")
			pwsh = isExt(ext, ".ps1") || isExt(ext, ".psm1") || isExt(ext, ".psd1")
		}
	}
	if pwsh { // [char]65+[char]75+[char]73+[char]65 (charlist.go)
		m.lists = charCastSeeds(d, m.lists)
	}
	if !py && !sh && len(d) > 2 && d[0] == '#' && d[1] == '!' {
		first := d[:min(len(d), 128)]
		if le := bytes.IndexByte(first, '\n'); le >= 0 {
			first = first[:le]
		}
		py = bytes.Contains(first, []byte("python"))
		sh = !py && bytes.Contains(first, []byte("sh"))
	}
	if py { // every call read in a Python file, in one pass (pycalls.go)
		c := pyCalls{m.scratch.b64Calls, m.scratch.b85, m.scratch.b32Calls, m.scratch.inflates}
		pyCallSeeds(d, &c)
		m.scratch.b64Calls, m.scratch.b85, m.scratch.b32Calls, m.scratch.inflates = c.b64, c.b85, c.b32, c.inflates
	}
	if sh { // lower-case base32 and base32hex (base32call.go), base64 cut into short pieces (b64call.go)
		m.scratch.b32Calls = b32CallSeeds(d, m.scratch.b32Calls)
		m.scratch.b64Calls = b64ShellSeeds(d, m.scratch.b64Calls)
	}
	if ps || len(d) > 1 && (d[0] == '<' || d[0] <= ' ') && adobeHead(d) {
		for i := 0; ; {
			k := bytes.Index(d[i:], []byte("~>"))
			if k < 0 {
				break
			}
			m.scratch.b85 = append(m.scratch.b85, i+k)
			i += k + 2
		}
	}
	if len(m.scratch.b85) > n && n > 0 {
		slices.Sort(m.scratch.b85)
	}
}

// mayHoldSeeds reports whether fileSeeds could find anything in the
// input: its name ends as a Python, PostScript, shell or PowerShell file's does, its
// first byte may open Adobe's <~, or it starts with #!. A test of two bytes, inlined at every input
// (the call alone cost the service models 0.07 % of the matcher's time).
func (m *match) mayHoldSeeds() bool {
	n, d := len(m.name), m.data
	c := byte(0)
	if n > 3 {
		c = m.name[n-1] | 0x20
	}
	return c == 'y' || c == 'w' || c == 'i' || c == 's' || c == 'h' || c == '1' || len(d) > 1 && (d[0] == '<' || d[0] <= ' ' || d[0] == '#' && d[1] == '!')
}

// isExt reports whether a file name's extension e is ext, in any case: a
// test of a few bytes, made for every input.
func isExt(e, ext string) bool {
	return len(e) == len(ext) && strings.EqualFold(e, ext)
}

// adobeHead reports whether d starts with Adobe's <~, after blanks.
func adobeHead(d []byte) bool {
	i := 0
	for i < len(d) && i < 64 && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n') {
		i++
	}
	return i+1 < len(d) && d[i] == '<' && d[i+1] == '~'
}

// b85Call returns the alphabet of the call or end mark at at, where its
// argument starts, and whether one stands there.
func b85Call(d []byte, at int) (b85Kind, int, bool) {
	t := d[at:]
	switch {
	case bytes.HasPrefix(t, []byte("~>")):
		return b85Ascii, at, true
	case bytes.HasPrefix(t, []byte("b85decode(")):
		return b85RFC1924, at + 10, true
	case bytes.HasPrefix(t, []byte("a85decode(")):
		return b85Ascii, at + 10, true
	case bytes.HasPrefix(t, []byte("85.decode(")) && at > 0 && d[at-1]|0x20 == 'z':
		return b85Z85, at + 10, true
	case bytes.HasPrefix(t, []byte("scii85.")):
		i := at + 7 // Decode(, decode(, NewDecoder(
		for i < len(d) && i-at < 24 && isWordByte(d[i]) {
			i++
		}
		// A call that decodes: not the name of a file (ascii85.go in a
		// listing), nor an encoder whose argument is plain text (qa18 H6)
		if i >= len(d) || d[i] != '(' || !bytes.Contains(bytes.ToLower(d[at+7:i]), []byte("decode")) {
			return 0, 0, false
		}
		return b85Ascii, i + 1, true
	}
	return 0, 0, false
}

// decodeBase85 reads the runs the calls and end marks the prefilter and
// fileSeeds found (m.scratch.b85) name.
func (m *match) decodeBase85() {
	d := m.data
	var filed [3]bool // the file's runs of that alphabet were read
	looked := 0       // no "<~" stands before this: Adobe runs already looked back to it
	done := 0         // the end of the last literal decoded: a call inside it is its data
	for _, at := range m.scratch.b85 {
		if m.spent() {
			return
		}
		kind, arg, ok := b85Call(d, at)
		switch {
		case !ok:
		case d[at] == '~': // Adobe's "~>": back to its "<~"
			if at < looked {
				continue
			}
			i := bytes.LastIndex(d[looked:at], []byte("<~"))
			if i < 0 {
				looked = max(looked, at-1) // "<~>": a run's start, whose "~>" is no end
				continue
			}
			s := looked + i + 2
			looked = at + 2
			m.decode85(s, at, b85Ascii, true, false)
		case at < done: // inside a literal read already
		default:
			if s, e, ok := literalArg(d, arg); ok {
				done = e
				m.decode85(s, e, kind, true, !rawLiteral(d, arg))
			} else if !filed[kind] {
				filed[kind] = true
				m.decodeB85Runs(kind)
			}
		}
	}
}

// literalArg returns the text of the string literal that opens a call's
// arguments at i (after blanks, a Python b or r prefix, and for a
// call's method, e.g. DATA.replace, nothing: that is a name), and whether
// there is one. A literal ends at the last quote of its kind on its
// line, or at its closing triple quote: Ascii85's alphabet holds quotes.
func literalArg(d []byte, i int) (int, int, bool) {
	for i < len(d) && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	for k := 0; k < 2 && i < len(d) && (d[i]|0x20 == 'b' || d[i]|0x20 == 'r'); k++ {
		i++
	}
	if i >= len(d) || d[i] != '"' && d[i] != '\'' {
		return 0, 0, false
	}
	q := d[i : i+1]
	if bytes.HasPrefix(d[i:], []byte{q[0], q[0], q[0]}) {
		s := i + 3
		e := bytes.Index(d[s:], d[i:i+3])
		if e < 0 {
			return 0, 0, false
		}
		return s, s + e, true
	}
	s := i + 1
	le := bytes.IndexByte(d[s:], '\n')
	if le < 0 {
		le = len(d) - s
	}
	e := bytes.LastIndexByte(d[s:s+le], q[0])
	if e < 0 {
		return 0, 0, false
	}
	return s, s + e, true
}

// decodeB85Runs reads every run of the file in kind's alphabet long
// enough to be data (minB85Run) that starts its line or a literal, lines
// of one width joined, as data a call names by a name may be. A run that
// does not decode is no base85: nothing said, as for any other word.
func (m *match) decodeB85Runs(kind b85Kind) {
	m.dataRuns(&b85Stops[kind], kind == b85Ascii, func(s, e int, segs []seg, end int) int {
		if len(segs) == 1 && kind == b85Ascii {
			segs[0].raw, end = trimA85(m.data, s, end)
		}
		m.decodeSegs(segs, end, kind, false)
		return end
	})
}

// dataRuns calls fn for every run of the file of bytes not in stop long
// enough to be data (minB85Run) that starts its line, a literal or fills
// its line behind a quote (quotedLine), or anywhere, with anyStart, with
// its lines of one width joined (segs, the
// last ending at end): the runs a decoding call that names no literal may
// mean (base85, base32 in lower case). The walk goes on from what fn
// returns, or the run's end.
func (m *match) dataRuns(stop *[256]uint8, anyStart bool, fn func(s, e int, segs []seg, end int) int) {
	d := m.data
	for i := 0; i < len(d) && !m.spent(); {
		if stop[d[i]] != 0 {
			i++
			continue
		}
		e := classRunEnd(d, i, stop)
		if e-i < minB85Run || !anyStart && !lineStarts(d, i) && d[i-1] != '"' && d[i-1] != '\'' && !quotedLine(d, i, e) {
			i = e
			continue
		}
		segs, end := runLines(d, i, stop, nil)
		i = max(fn(i, e, segs, end), e)
	}
}

// trimA85 takes off the quotes and brackets around an Ascii85 run d[s:e]
// of a file, which its alphabet holds ("…", `…`, (…)): text encoded
// never starts with one of them (its first byte would be under 0x20 or
// over 0x7e), and one that ends it is no more than the run's last group.
func trimA85(d []byte, s, e int) (int, int) {
	for s < e && strings.IndexByte("\"'`([", d[s]) >= 0 {
		s++
	}
	for e > s && strings.IndexByte("\"'`)],;", d[e-1]) >= 0 {
		e--
	}
	return s, e
}

// decode85 decodes the text d[s:e] of kind, its blanks and line breaks
// skipped, and "<~" and "~>" of Ascii85 taken off; named says a call or
// Adobe's marks name it as base85, so that a run that does not decode is
// counted; escaped says the text is a literal's that is not raw, read
// through its escapes (unescapeSegs).
func (m *match) decode85(s, e int, kind b85Kind, named, escaped bool) {
	d := m.data
	if kind == b85Ascii {
		if bytes.HasPrefix(d[s:e], []byte("<~")) {
			s += 2
		}
		if bytes.HasSuffix(d[s:e], []byte("~>")) {
			e -= 2
		}
	}
	segs, end := literalSegs(d, s, e, nil)
	if escaped {
		segs = unescapeSegs(d, segs, end)
	}
	if len(segs) > 0 {
		m.decodeSegs(segs, end, kind, named)
	}
}

// rawLiteral reports whether the literal that opens a call's arguments at
// i (literalArg) is raw: Python's r'…' or rb'…', whose backslashes are
// its text.
func rawLiteral(d []byte, i int) bool {
	for i < len(d) && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	for k := 0; k < 2 && i < len(d); k++ {
		if d[i]|0x20 == 'r' {
			return true
		}
		if d[i]|0x20 != 'b' {
			return false
		}
		i++
	}
	return false
}

// unescapeSegs splits the pieces of a literal that is not raw at its
// escapes: a backslash before a backslash or a quote is the literal's,
// not data (Ascii85's alphabet holds both, and Python's repr of
// a85encode's bytes writes them \\ and \': qa33 H7), so a piece ends
// before it and the escaped character is a piece of its own.
func unescapeSegs(d []byte, segs []seg, end int) []seg {
	out := make([]seg, 0, len(segs))
	n := 0
	for k, sg := range segs {
		stop := end
		if k+1 < len(segs) {
			stop = sg.raw + segs[k+1].char - sg.char
		}
		from := sg.raw
		for i := sg.raw; i < stop; i++ {
			if d[i] != '\\' || i+1 >= stop || d[i+1] != '\\' && d[i+1] != '\'' && d[i+1] != '"' {
				continue
			}
			if i > from {
				out = append(out, seg{n, from})
				n += i - from
			}
			from = i + 1 // the escaped character starts the next piece
			i++
		}
		if stop > from {
			out = append(out, seg{n, from})
			n += stop - from
		}
	}
	return out
}

// literalSegs returns the pieces of the literal text d[s:e] between its
// blanks and line breaks, and where the last ends; with stop, a piece
// also ends at a byte in stop, and the rest of the text is not read.
func literalSegs(d []byte, s, e int, stop *[256]uint8) ([]seg, int) {
	var segs []seg
	n, end := 0, 0
	blank := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	for i := s; i < e; {
		for i < e && blank(d[i]) {
			i++
		}
		j := i
		for j < e && !blank(d[j]) && (stop == nil || stop[d[j]] == 0) {
			j++
		}
		if j == i {
			break
		}
		segs = append(segs, seg{n, i})
		n, end, i = n+j-i, j, j
	}
	return segs, end
}

// decodeSegs decodes the characters of segs (the last ending at end) as
// kind, within the decode budget, and scans or keeps what they give.
func (m *match) decodeSegs(segs []seg, end int, kind b85Kind, named bool) {
	last := segs[len(segs)-1]
	n := last.char + end - last.raw
	if n < 5 || !m.spendBytes(decodeStep, n, m.decodeCost()) {
		return
	}
	dec, zs, ok := b85DecodeSegs(m.data, segs, end, kind, m.scratch.hexBuf(n/5*4 + 4)[:0])
	m.scratch.decoded = dec
	if !ok && named {
		m.undecoded++
	}
	if len(dec) < 8 {
		return
	}
	if !mostlyText(dec) || isPDF(dec) {
		m.embed(dec, segs[0].raw, "base85")
		return
	}
	lo := segs[0].raw
	m.subScan(dec, "base85", func(i int) int { return min(max(hexRaw(segs, min(b85Char(zs, i, false), n-1)), lo), end) },
		func(i int) int { return min(max(hexRaw(segs, min(b85Char(zs, i, true), n)-1)+1, lo), end) })
}

// b85Zero is where an Ascii85 z stands: the offset of the four zero bytes
// it decodes to, and its character index in the run.
type b85Zero struct{ at, char int }

// b85Char returns the character index of the run where decoded byte i is
// encoded (end false), or the index just past the character that encodes
// byte i-1 (end true), through the z groups zs (review16 A-1): a z is
// four bytes in one character, where every other group is four in five,
// so a mapping at five for four puts each finding after N of them 4N
// characters on, past the run's end near it. A z stands alone in its
// group, so between two of them the groups are whole from the first.
func b85Char(zs []b85Zero, i int, end bool) int {
	b := i
	if end {
		b = i - 1
	}
	// the last z group that starts at or before byte b
	k := sort.Search(len(zs), func(k int) bool { return zs[k].at > b }) - 1
	if k < 0 {
		if end {
			return (i*5 + 3) / 4
		}
		return i * 5 / 4
	}
	z := zs[k]
	if b < z.at+4 { // inside the z's four bytes
		if end {
			return z.char + 1
		}
		return z.char
	}
	i -= z.at + 4
	if end {
		return z.char + 1 + (i*5+3)/4
	}
	return z.char + 1 + i*5/4
}

// b85DecodeSegs appends to dec the bytes the characters of segs decode
// to, five characters to four bytes, a last group of two to four padded
// as the encoders pad it, and reports whether every character decoded
// (a character outside the alphabet, or a group past 2^32, ends it).
// Ascii85's z stands for four zero bytes, alone in its group: where
// each one stands is returned (zs), for the mapping of decoded offsets
// back to characters (b85Char).
func b85DecodeSegs(d []byte, segs []seg, end int, kind b85Kind, dec []byte) ([]byte, []b85Zero, bool) {
	digits := &b85Digits[kind]
	var zs []b85Zero
	var v uint64
	k := 0
	for j, g := range segs {
		for ci, c := range d[g.raw:segEnd(segs, j, end)] {
			if kind == b85Ascii && c == 'z' && k == 0 {
				zs = append(zs, b85Zero{len(dec), g.char + ci})
				dec = append(dec, 0, 0, 0, 0)
				continue
			}
			x := digits[c]
			if x < 0 || kind == b85Ascii && c == 'z' {
				return dec, zs, false
			}
			v = v*85 + uint64(x)
			if k++; k == 5 {
				if v > 0xffffffff {
					return dec, zs, false
				}
				dec = append(dec, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
				v, k = 0, 0
			}
		}
	}
	if k == 1 {
		return dec, zs, false
	}
	if k > 1 {
		for p := k; p < 5; p++ {
			v = v*85 + 84
		}
		if v > 0xffffffff {
			return dec, zs, false
		}
		dec = append(dec, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))[:len(dec)+k-1]
	}
	return dec, zs, true
}

// quotedLine reports whether the run [s, e) fills its line behind a quote
// (quoteOf: a comment's "# ", as a script carries its payload for
// sed -n 's/^# //p' "$0" | base32 -d), as runLines joins such lines.
func quotedLine(d []byte, s, e int) bool {
	return lineEnds(d, e) && quoteOf(d, s) != nil
}
