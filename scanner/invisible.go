package scanner

import (
	"bytes"
	"encoding/binary"
	"unicode"
	"unicode/utf8"
)

// Invisible separators. Renderers and editors put break opportunities into
// long tokens that no reader sees: HTML's <wbr> element, the zero-width
// space (U+200B), the zero-width non-joiner and joiner (U+200C, U+200D),
// the word joiner (U+2060), a byte order mark inside the text (U+FEFF) and
// the soft hyphen (U+00AD), written as the UTF-8 bytes, as HTML references
// (&#8203;, &#x200B;, &shy;, &ZeroWidthSpace;...), as \u escapes and
// URL-encoded. The page shows the key whole and a copy of it is whole, so
// between two value characters each reads as nothing: a break, like a
// quoted-printable soft break (escapes.go), and a run cut by one is decoded
// and scanned in context by the escape decoder, with the encoding
// "invisible-separator".
//
// They are found where escapes are: an invisible separator inside a key ID
// stops the key ID's shape (keyID seeds the decoder there, as for an
// escape); in the windows where the scan looked for secrets, the byte
// masks' special bytes hold their first bytes: \ % & were there, < shares
// a class bit with the backslash, and the kernel adds every byte of 0x80 or
// more from its sign bit (masks_amd64.s), so ASCII text pays nothing for
// them. Where no masks are, markInvisible reads the windows.

// invisibleNamed are the named HTML references of invisible separators,
// after the '&'.
var invisibleNamed = [...]string{"shy;", "ZeroWidthSpace;", "zwnj;", "zwj;", "NoBreak;"}

// isInvisibleCode reports whether the code point is an invisible separator:
// a format character (Unicode's class Cf: besides those above, the
// left-to-right and right-to-left marks, the bidi embeddings and isolates of
// "Trojan Source", the invisible operators, tag characters), the combining
// grapheme joiner U+034F or a variation selector (qa14 LOW-2). Each is
// invisible between two value characters.
func isInvisibleCode(v int) bool {
	switch {
	case v < 0xad:
		return false
	case v == 0x34f, 0xfe00 <= v && v <= 0xfe0f, 0xe0100 <= v && v <= 0xe01ef:
		return true
	}
	return v <= unicode.MaxRune && unicode.Is(unicode.Cf, rune(v))
}

// invisibleOne returns the length of one invisible separator at i, or 0.
func invisibleOne(d []byte, i int) int {
	if i >= len(d) {
		return 0
	}
	switch d[i] {
	case '<': // <wbr>, <wbr/>, <wbr />
		if i+4 < len(d) && d[i+1]|0x20 == 'w' && d[i+2]|0x20 == 'b' && d[i+3]|0x20 == 'r' {
			j := i + 4
			if d[j] == ' ' {
				j++
			}
			if j < len(d) && d[j] == '/' {
				j++
			}
			if j < len(d) && d[j] == '>' {
				return j + 1 - i
			}
		}
	case '&':
		if i+1 >= len(d) {
			return 0
		}
		if d[i+1] != '#' {
			for _, s := range invisibleNamed {
				if bytes.HasPrefix(d[i+1:], []byte(s)) {
					return 1 + len(s)
				}
			}
			return 0
		}
		j, v, n := i+2, 0, 0
		if j < len(d) && d[j]|0x20 == 'x' {
			j++
			v, n = hexRun(d, j, 6)
		} else {
			for n < 7 && j+n < len(d) && isDigit(d[j+n]) {
				v = v*10 + int(d[j+n]-'0')
				n++
			}
		}
		if n > 0 && j+n < len(d) && d[j+n] == ';' && isInvisibleCode(v) {
			return j + n + 1 - i
		}
	case 0x1b: // ESC[01;31m, ESC[K: grep's or ripgrep's highlight
		if n := csiFrom(d, i+1); n > 0 {
			return 1 + n
		}
	case '\\': // \u200b, \u00ad (JSON, JavaScript, Java, Python)
		if i+5 < len(d) && d[i+1] == 'u' {
			if v, n := hexRun(d, i+2, 4); n == 4 && isInvisibleCode(v) {
				return 6
			}
		}
		if n := escSpelledAt(d, i); n > 0 { // \u001b[0m in a JSON log
			if m := csiFrom(d, i+n); m > 0 {
				return n + m
			}
		}
		return texBreak(d, i)
	case '{': // {\hskip0pt}, {\-}: a LaTeX break in a group; {}, an empty one
		if i+1 < len(d) && d[i+1] == '}' {
			return 2
		}
		if i+1 < len(d) && d[i+1] == '\\' {
			if n := texBreak(d, i+1); n > 0 && i+1+n < len(d) && d[i+1+n] == '}' {
				return n + 2
			}
		}
	case '%': // %E2%80%8B, %C2%AD; LaTeX's comment to the line end
		if n := texComment(d, i); n > 0 {
			return n
		}
		var b [4]byte
		k := 0
		for j := i; k < 4 && j+2 < len(d) && d[j] == '%'; j += 3 {
			h, n := hexRun(d, j+1, 2)
			if n < 2 {
				break
			}
			b[k] = byte(h)
			k++
		}
		if m := invisibleOne(b[:k], 0); m > 0 && b[0] >= 0x80 {
			return 3 * m
		}
	default: // UTF-8: U+00AD, U+200B…
		if invisibleLead[d[i]] {
			if r, n := utf8.DecodeRune(d[i:]); n > 1 && isInvisibleCode(int(r)) {
				return n
			}
		}
	}
	return 0
}

// csiFrom returns the length of a CSI sequence's rest after its ESC at p
// ([ parameters final: ESC[01;31m, ESC[m, ESC[K), or 0. A highlighter
// (grep --color=always, rg, git grep) colours the part of a value that
// was searched for, so its codes stand inside a key ID or secret; the
// terminal shows the value whole (qa22 H1).
func csiFrom(d []byte, p int) int {
	if p+1 >= len(d) || d[p] != '[' {
		return 0
	}
	j := p + 1
	for j < len(d) && j-p <= maxTerminalParams && 0x20 <= d[j] && d[j] <= 0x3f {
		j++
	}
	if j < len(d) && 0x40 <= d[j] && d[j] <= 0x7e {
		return j + 1 - p
	}
	return 0
}

// invisibleAt returns the length of the invisible separators at i (one or
// several in a row) when they cut a value: a value character before them
// and one, or an escape, after them. Else 0.
func invisibleAt(d []byte, i int) int {
	if i == 0 || !isSecretChar(d[i-1]) {
		return 0
	}
	n := 0
	for n < 64 {
		m := invisibleOne(d, i+n)
		if m == 0 {
			break
		}
		n += m
	}
	if n == 0 || i+n >= len(d) || !isSecretChar(d[i+n]) && !(invisibleOne(d, i+n) == 0 && mayEscape(d, i+n)) {
		return 0
	}
	return n
}

// invisibleLead marks the first bytes of the UTF-8 invisible separators,
// and invisibleSecond their second bytes.
var invisibleLead, invisibleSecond = func() (lead, second [256]bool) {
	add := func(lo, hi, stride rune) {
		for r := lo; r <= hi; r += stride {
			var b [utf8.UTFMax]byte
			utf8.EncodeRune(b[:], r)
			lead[b[0]], second[b[1]] = true, true
		}
	}
	for _, r := range unicode.Cf.R16 {
		add(rune(r.Lo), rune(r.Hi), rune(r.Stride))
	}
	for _, r := range unicode.Cf.R32 {
		add(rune(r.Lo), rune(r.Hi), rune(r.Stride))
	}
	add(0x34f, 0x34f, 1)
	add(0xfe00, 0xfe0f, 1)
	add(0xe0100, 0xe01ef, 1)
	return lead, second
}()

// markInvisible marks the UTF-8 invisible separators of a window that cut
// a value (m.escMarks), where no byte masks are: a window of ASCII text is
// passed 32 bytes at a time. On the masks, markWindowsMasked finds them
// among the special bytes.
func (m *match) markInvisible(w window) {
	d := m.data
	for i := w.lo; i < w.hi; {
		e := min(i+32, w.hi)
		if e-i == 32 {
			b := d[i : i+32 : i+32]
			if (binary.LittleEndian.Uint64(b)|binary.LittleEndian.Uint64(b[8:])|binary.LittleEndian.Uint64(b[16:])|
				binary.LittleEndian.Uint64(b[24:]))&0x8080808080808080 == 0 {
				i = e
				continue
			}
		}
		for ; i < e; i++ {
			if invisibleLead[d[i]] && mayEscape(d, i) {
				m.escMarks = append(m.escMarks, i)
			}
		}
	}
}

// markTeXGroups marks, in a window of a LaTeX file, the empty groups {}
// that cut a value (qa19 L4): {} typesets as nothing and is the usual way
// to break a ligature, so AKIA…{}… on the page is one word. '{' is no
// special byte of the masks; a LaTeX file's windows are searched for it.
func (m *match) markTeXGroups(w window) {
	d := m.data
	for i := w.lo; i < w.hi; {
		k := bytes.Index(d[i:w.hi], []byte("{}"))
		if k < 0 {
			return
		}
		i += k
		if invisibleAt(d, i) > 0 {
			m.escMarks = append(m.escMarks, i)
		}
		i += 2
	}
}

// texName reports whether a file of this name is LaTeX source.
func texName(name string) bool {
	if n := len(name); n == 0 || name[n-1]|0x20 != 'x' && name[n-1]|0x20 != 'y' && name[n-1]|0x20 != 's' && name[n-1]|0x20 != 'b' {
		return false // most names (.go, .json) in one look
	}
	for _, ext := range [...]string{".tex", ".sty", ".cls", ".ltx", ".dtx", ".bib"} {
		if len(name) > len(ext) && equalFoldASCII([]byte(name[len(name)-len(ext):]), ext) {
			return true
		}
	}
	return false
}
