package scanner

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"
)

// Mainframe files kept in their host encoding (z/OS sources moved in
// binary: JCL, COBOL, REXX, copybooks) are EBCDIC text: no byte of ASCII
// text is where EBCDIC puts a letter, so the matcher reads nothing in them
// (qa16 HIGH-12). Such a file is known by its bytes: every byte of its head
// is one EBCDIC text writes (a letter, a digit, a blank, common
// punctuation, its line ends NL 0x15, LF 0x25 and CR), and letters and
// digits, which lie at 0x81 and above in EBCDIC and below 0x7B in ASCII,
// are most of them. ASCII text fails at its first blank (0x20) or digit,
// UTF-8 text the same way, and binary data within a few bytes, so the test
// costs any other file a byte or two. The Latin code pages' national
// letters and signs (ç à ñ ü ö ß É « ¿ €: any byte from 0x41 up that is not
// one of ASCII's) are text too once the head's first 64 bytes hold an
// EBCDIC letter or digit, unless the head is valid UTF-8 (qa19 M2).
// The text is then read transcoded
// byte for byte, so offsets, lines and columns stay the file's own.
//
// Code pages 037, 273, 277, 278, 280, 284, 285, 297, 500, 871 and 1047
// agree on what a key needs: letters, digits, '+', '/', '=', '_', '-',
// '.', ':', quotes and the blank. They differ on brackets and a few
// signs; the brackets of every one are read as brackets, so a
// credentials file's [default] is a section header whichever wrote it.

// ebcdicHead is how much of a file is judged: every byte of it must be
// EBCDIC text.
const ebcdicHead = 4 << 10

// ebcdicToASCII maps an EBCDIC byte to the ASCII byte it stands for, or 0
// for a byte EBCDIC text does not hold (a control, or a character outside
// ASCII).
var ebcdicToASCII = func() (t [256]byte) {
	set := func(c byte, s string) {
		for i := 0; i < len(s); i++ {
			t[int(c)+i] = s[i]
		}
	}
	set(0x81, "abcdefghi")
	set(0x91, "jklmnopqr")
	set(0xA2, "stuvwxyz")
	set(0xC1, "ABCDEFGHI")
	set(0xD1, "JKLMNOPQR")
	set(0xE2, "STUVWXYZ")
	set(0xF0, "0123456789")
	set(0x4B, ".<(+|")
	set(0x5B, "$*);")
	set(0x60, "-/")
	set(0x6B, ",%_>?")
	set(0x79, "`:#@'=\"")
	t[0x40] = ' '
	t[0x05] = '\t'
	t[0x15], t[0x25], t[0x0D] = '\n', '\n', '\r'
	// 0x3D is where Python's cp037 and cp500 codecs put U+0015, which is
	// ASCII's NAK but EBCDIC's NL code: a converter that maps NL by its
	// code rather than by U+0085 writes its lines so.
	t[0x3D] = '\n'
	t[0x50] = '&'
	t[0xA1] = '~'
	t[0xC0], t[0xD0] = '{', '}'
	t[0xE0] = '\\'
	// Brackets and the signs where code pages differ: 037's [ ] at
	// 0xBA/0xBB, 1047's at 0xAD/0xBD, 500's and 284's at 0x4A/0x5A (037's
	// ¢ and !), 273's and 1141's at 0x63/0xFC, 285's [ at 0xB1, 280's and
	// 297's at 0x90 and 0x51/0xB5 (other pages' accented letters, which no
	// key holds).
	for _, c := range []byte{0xBA, 0xAD, 0x4A, 0x63, 0xB1, 0x90} {
		t[c] = '['
	}
	for _, c := range []byte{0xBB, 0xBD, 0x5A, 0xFC, 0x51, 0xB5} {
		t[c] = ']'
	}
	t[0x5F] = '^'
	t[0x6A] = '|'
	return t
}()

// ebcdicText reports whether data is EBCDIC text: the bytes of its head
// are ones ebcdicToASCII maps, and a quarter of them or more are letters
// and digits (0x81 and above; a data set's fixed records, moved without
// line ends, are mostly the blanks that pad them). A record's binary
// fields (packed decimal, COMP-3: two digits a byte and a sign nibble;
// binary halfwords) are bytes EBCDIC text does not hold: up to one in
// eight of the head's (and four more) are let pass in a head of 256 bytes
// or more, and the double-byte
// text of a mixed code page (930, 939, 933, 935, 937: Japanese, Korean
// or Chinese between shift-out 0x0E and shift-in 0x0F, within 512 bytes)
// is stepped over (qa CLOSING16: a record with a packed field in the
// first 4 KiB made the file binary). ASCII and UTF-8 text still fail
// within a few bytes: their blanks, digits and most letters are bytes
// EBCDIC text does not hold.
func ebcdicText(data []byte) bool {
	head := data[:min(len(data), ebcdicHead)]
	if len(head) < 16 {
		return false
	}
	// EBCDIC text's letters and digits lie at 0x81 and above: where the
	// first 64 bytes hold none (ASCII text, or EBCDIC blanks), no byte
	// that EBCDIC text does not hold is let pass, so ASCII fails at its
	// first such byte, as before they were (letting them pass made ASCII
	// read ~11 bytes first: BenchmarkCorpus/detector-tests cost 3 % more).
	lenient := highByte(head[:min(len(head), 64)])
	n, other, alnum, national := 0, 0, 0, false
	for i := 0; i < len(head); i++ {
		c := head[i]
		if c == 0x0E {
			j := bytes.IndexByte(head[i+1:min(len(head), i+1+ebcdicDBCS)], 0x0F)
			if j < 0 && len(head)-i-1 > ebcdicDBCS {
				return false // no shift-in: no double-byte text
			}
			if j < 0 {
				break // the head ends inside it
			}
			i += j + 1
			continue
		}
		n++
		a := ebcdicToASCII[c]
		if a == 0 {
			if lenient && c >= 0x41 && c != 0xFF {
				national = true // a national letter or sign: ç à ñ ü ö ß É « ¿ €
				continue
			}
			if other++; !lenient || 8*other > n+32 {
				return false
			}
			continue
		}
		if c >= 0x81 && isAlnum(a) {
			alnum++
		}
	}
	// A few bytes with some such among them are no record: a fuzzing
	// corpus's 24 bytes of regexp passed (the Go module cache holds six).
	// UTF-8 text that is not ASCII (Cyrillic, CJK) may hold only such
	// bytes besides its blanks; EBCDIC text is never valid UTF-8 (its
	// letters are bytes UTF-8 never starts with or never ends with).
	return n >= 16 && 4*alnum >= n && (other == 0 || n >= 256) && !(national && utf8.Valid(head))
}

// highByte reports whether b holds a byte of 0x80 or above.
func highByte(b []byte) bool {
	var or uint64
	for len(b) >= 8 {
		or |= binary.LittleEndian.Uint64(b)
		b = b[8:]
	}
	for _, c := range b {
		or |= uint64(c)
	}
	return or&0x8080808080808080 != 0
}

// ebcdicDBCS is the longest double-byte run between shift-out and
// shift-in that ebcdicText steps over.
const ebcdicDBCS = 512

// fromEBCDIC transcodes EBCDIC text to ASCII byte for byte; a byte with no
// ASCII character (a packed field, a byte past the head ebcdicText judged)
// becomes a control byte no key holds, as do the double-byte characters
// between shift-out and shift-in, so that their bytes are not read as
// letters joined to a value beside them (a run ends at its line's end or
// after ebcdicDBCS bytes, so that a lost shift-in hides no more).
func fromEBCDIC(data []byte) []byte {
	out := make([]byte, len(data))
	t := &ebcdicOut
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c != 0x0E {
			out[i] = t[c] // outside a double-byte run: a table's byte
			continue
		}
		// A shift-out: the run's bytes are control bytes up to its
		// shift-in, or up to the line end or the byte ebcdicDBCS past
		// the last shift-out, which are read as outside one.
		out[i] = 0x1A
		dbcs := i
		j := i + 1
		for ; j < len(data) && j-dbcs <= ebcdicDBCS; j++ {
			c := data[j]
			if a := ebcdicToASCII[c]; a == '\n' || a == '\r' {
				break
			}
			out[j] = 0x1A
			if c == 0x0E {
				dbcs = j
			} else if c == 0x0F {
				j++
				break
			}
		}
		i = j - 1
	}
	return out
}

// ebcdicOut is what fromEBCDIC writes for a byte outside a double-byte
// run: ebcdicToASCII's character, or 0x1A for a byte with none and for
// shift-in (0x0F), which ends no run there.
var ebcdicOut = func() (t [256]byte) {
	for c, a := range ebcdicToASCII {
		t[c] = a
		if a == 0 || c == 0x0F {
			t[c] = 0x1A
		}
	}
	return t
}()

// EBCDIC text below other text (hide32): a mail or a transfer's log whose
// ASCII header stands above the data set's bytes, a listing with an ASCII
// banner. The head test above fails at the header's first blank, so the
// rest was read as bytes only. Such a file's first byte of 0x80 or above
// (EBCDIC's letters and digits all are) within ebcdicBelowReach is found a
// word at a time, and the text from the start of its line (after ASCII's
// line feed, which EBCDIC text does not hold) is judged as a file's head
// is, if that line's start is not UTF-8 (EBCDIC's letters are bytes UTF-8
// never starts with, or never ends with); a line that fails is passed and
// the next high byte's line asked, up to ebcdicBelowTries lines. ASCII
// files cost a pass of their first 64 KiB, eight bytes a step, and UTF-8
// ones a few lines' first bytes.

// ebcdicBelowReach is how far into a file EBCDIC text is looked for below
// other text; ebcdicBelowTries is how many lines with high bytes are
// asked.
const (
	ebcdicBelowReach = 64 << 10
	ebcdicBelowTries = 4
)

// ebcdicBelow returns where EBCDIC text starts below other text in data,
// at a line's start after the first, or -1. data's head is no EBCDIC text.
func ebcdicBelow(data []byte) int {
	reach := data[:min(len(data), ebcdicBelowReach)]
	for tries, i := 0, 0; tries < ebcdicBelowTries && i < len(reach); tries++ {
		p := firstHighByte(reach[i:])
		if p < 0 {
			return -1
		}
		p += i
		ls := bytes.LastIndexByte(reach[i:p], '\n') + 1 + i
		if ls > 0 && !utf8Start(data[ls:]) && ebcdicText(data[ls:]) {
			return ls
		}
		nl := bytes.IndexByte(reach[p:], '\n')
		if nl < 0 {
			return -1
		}
		i = p + nl + 1
	}
	return -1
}

// firstHighByte returns the index of b's first byte of 0x80 or above, or -1.
func firstHighByte(b []byte) int {
	// 32 bytes a step, their four words ORed (ASCII files are read to
	// ebcdicBelowReach: eight bytes a step cost trufflehog's detector
	// tests 13 % of their scan's instructions), then the word that holds it.
	const high = 0x8080808080808080
	i := 0
	if haveRunKernel && len(b) >= 32 {
		// The AVX2 kernel: 128 bytes a step, a sign mask taken of their
		// OR (a tenth of the loop's instructions; the loop cost the
		// detector tests' scan 3.5 % of its instructions).
		if i = highRun(&b[0], len(b)); i < len(b)&^31 {
			return i
		}
	}
	for ; i+32 <= len(b); i += 32 {
		w := b[i : i+32 : i+32]
		if (binary.LittleEndian.Uint64(w)|binary.LittleEndian.Uint64(w[8:])|binary.LittleEndian.Uint64(w[16:])|binary.LittleEndian.Uint64(w[24:]))&high != 0 {
			break
		}
	}
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&high != 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= 0x80 {
			return i
		}
	}
	return -1
}

// utf8Start reports whether b's first 64 bytes are valid UTF-8, a
// character the 64th byte cuts let pass.
func utf8Start(b []byte) bool {
	b = b[:min(len(b), 64)]
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			return len(b) < utf8.UTFMax && !utf8.FullRune(b)
		}
		b = b[n:]
	}
	return true
}
