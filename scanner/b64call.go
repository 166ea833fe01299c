package scanner

import "bytes"

// Python's base64.b64decode (validate=False, its default), like base64 -d
// -i, drops every byte outside the alphabet before it decodes: a literal
// of groups cut by dots, blanks or any other byte ("W2Rl.ZmF1.bHRd…"), or
// of short lines joined by \n escapes, decodes to the text whole, while
// the scan reads it as pieces too short for any anchor to stand whole in
// or any run to hold a key (qa18 M11). So in a Python file the literal a
// b64decode( call opens with is read as the call reads it when it is cut
// into such pieces: its characters gathered (the literal's escapes, \n and
// kin, and every byte outside the alphabet dropped, up to the padding),
// decoded, and the text scanned (encoding "base64", findings at the
// literal) or the bytes kept as a member of the file, as a base64 run's
// are. A literal with a piece long enough to hold a key's base64
// (maxB64Piece) is the anchors' (decodeBase64), which would report it at
// its own place.

// maxB64Piece is the longest piece of a literal read by decodeB64Calls:
// the base64 of a 20-character key ID takes 27 characters.
const maxB64Piece = 26

// minB64Gathered is the fewest characters gathered from a literal that
// decodeB64Calls decodes: less than a key ID's base64 holds no key.
const minB64Gathered = 27

// b64CallSeeds appends where the argument of each b64decode( call of a
// Python file starts.
func b64CallSeeds(d []byte, seeds []int) []int {
	call := []byte("b64decode(")
	for i := 0; ; {
		k := bytes.Index(d[i:], call)
		if k < 0 {
			return seeds
		}
		i += k + len(call)
		seeds = append(seeds, i)
	}
}

// decodeB64Calls decodes the literals the calls b64CallSeeds found
// (m.scratch.b64Calls) name, when they are cut into short pieces.
func (m *match) decodeB64Calls() {
	d := m.data
	for _, arg := range m.scratch.b64Calls {
		if m.spent() {
			return
		}
		s, e, ok := literalArg(d, arg)
		if !ok || e-s < minB64Gathered {
			continue
		}
		chars, ok := gatherB64(d[s:e], m.scratch.hexBuf(e - s)[:0])
		if !ok || len(chars) < minB64Gathered || !m.spendBytes(decodeStep, len(chars), m.decodeCost()) {
			continue
		}
		if len(chars)%4 == 1 {
			chars = chars[:len(chars)-1] // a lone last character decodes to nothing
		}
		dec := make([]byte, len(chars)/4*3+3)
		dec = dec[:decodeB64(dec, chars)]
		if len(dec) < 8 {
			continue
		}
		if !mostlyText(dec) {
			m.embed(dec, s, "base64")
			continue
		}
		m.subScan(dec, "base64", func(int) int { return s }, func(int) int { return e })
	}
}

// gatherB64 appends to buf the base64 characters of a literal's text lit
// as b64decode reads it (escapes such as \n and every byte outside the
// alphabet dropped, up to the padding), and reports whether lit is cut
// into pieces no longer than maxB64Piece.
func gatherB64(lit, buf []byte) ([]byte, bool) {
	piece, cut := 0, false
	for i := 0; i < len(lit); i++ {
		c := lit[i]
		switch {
		case isB64(c):
			buf = append(buf, c)
			if piece++; piece > maxB64Piece {
				return buf, false
			}
			continue
		case c == '=':
			return buf, cut
		case c == '\\' && i+1 < len(lit):
			i++ // \n, \t, \\: the literal's escape, no character of the text
		}
		piece, cut = 0, true
	}
	return buf, cut
}
