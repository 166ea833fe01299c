package scanner

// Mainframe files kept in their host encoding (z/OS sources moved in
// binary: JCL, COBOL, REXX, copybooks) are EBCDIC text: no byte of ASCII
// text is where EBCDIC puts a letter, so the matcher reads nothing in them
// (qa16 HIGH-12). Such a file is known by its bytes: every byte of its head
// is one EBCDIC text writes (a letter, a digit, a blank, common
// punctuation, its line ends NL 0x15, LF 0x25 and CR), and letters and
// digits, which lie at 0x81 and above in EBCDIC and below 0x7B in ASCII,
// are most of them. ASCII text fails at its first blank (0x20) or digit,
// UTF-8 text the same way, and binary data within a few bytes, so the test
// costs any other file a byte or two. The text is then read transcoded
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

// ebcdicText reports whether data is EBCDIC text: every byte of its head
// is one ebcdicToASCII maps, and a quarter of them or more are letters and
// digits (0x81 and above; a data set's fixed records, moved without line
// ends, are mostly the blanks that pad them).
func ebcdicText(data []byte) bool {
	head := data[:min(len(data), ebcdicHead)]
	if len(head) < 16 {
		return false
	}
	alnum := 0
	for _, c := range head {
		a := ebcdicToASCII[c]
		if a == 0 {
			return false
		}
		if c >= 0x81 && isAlnum(a) {
			alnum++
		}
	}
	return 4*alnum >= len(head)
}

// fromEBCDIC transcodes EBCDIC text to ASCII byte for byte; a byte with no
// ASCII character (past the head ebcdicText judged) becomes a control
// byte no key holds.
func fromEBCDIC(data []byte) []byte {
	out := make([]byte, len(data))
	for i, c := range data {
		if a := ebcdicToASCII[c]; a != 0 {
			out[i] = a
		} else {
			out[i] = 0x1A
		}
	}
	return out
}
