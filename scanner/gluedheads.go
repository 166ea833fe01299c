package scanner

import "encoding/binary"

// Key heads glued to each other (AKIAAKIA… repeated: a near miss, and what
// many notations decode to when their near misses repeat: Markdown's
// AKIA** without its markers, CDATA-split heads, EBCDIC heads, spaced hex
// or chr() joins of AKIA) hold an anchor every 4 bytes, each turned down
// by keyID for want of a boundary before it: 48 MB per CPU second, most of
// it the prefilter's report and keyID's call for each. gluedHeads lets the
// prefilter pass over such a run (scanControl.skip), where nothing but
// heads that keyID turns down can stand.

// gluedLook is how far before a head keyID's tests read, and past it:
// boundaryBefore's escapes (afterEscape, up to \u0022's 6 bytes), a
// terminal sequence's (afterTerminal: up to maxTerminalParams parameter
// bytes and an introducer written out, 7 bytes), emphasis's underscores.
// Every byte those read that makes a boundary is no base32 byte (a
// backslash, %, ESC, [, _, …), so a head with gluedLook base32 bytes
// before it has none.
const gluedLook = maxTerminalParams + 32

// gluedHeads is asked at a key ID head at that keyID turned down, having
// read base32 bytes in the 16 after its prefix. Where the gluedLook bytes
// before at are base32 bytes too, every head in the run of base32 bytes
// from at, up to 20 bytes before its end, is turned down the same way,
// with nothing noted (keyID notes what follows a head only at a byte that
// is no base32 byte). No pattern but those heads may stand where the
// prefilter passes over: it returns where the prefilter need report
// nothing before (the first byte of another pattern of keyIDRuns' table,
// the patterns that can stand among base32 bytes, or 20 bytes before the
// run's end), or 0. A pattern that starts before the run and reaches into
// it starts in the 16 bytes before at (none is longer: keyIDRunMargin),
// which are asked too.
func (m *match) gluedHeads(at int) int {
	if m.gluedFrom < at && at < m.gluedTo {
		// A head of the run judged last: its own judgement would read the
		// same bytes to the same end, and find no other pattern there.
		return m.gluedTo
	}
	d, t := m.data, keyIDRuns()
	if t.off || m.s.gluedPlain || at < gluedLook || !base32Bytes(d[at-gluedLook:at]) {
		return 0
	}
	e := at + 20
	for e+8 <= len(d) && base32Word(binary.LittleEndian.Uint64(d[e:])) {
		e += 8
	}
	for e < len(d) && isBase32(d[e]) {
		e++
	}
	skip := e - 20
	if skip-at < 64 {
		return 0 // too short a run to pay
	}
	// A pattern of 3 bytes or more that starts at p holds one of its
	// first two pairs at p or p+1, whichever is even from the first q:
	// the pairs at even offsets are looked up (otherPairs: those of the
	// patterns that are no key ID prefix), and where one is, a pattern
	// asked for at it and the byte before. Past skip-1 (at most e-21), four
	// bytes can be read.
	for q := at - keyIDRunMargin + 1; q <= skip; q += 2 {
		if q+8 <= skip { // four pairs at a time: the common answer is none
			w := binary.LittleEndian.Uint64(d[q:])
			if t.otherPair(w)|t.otherPair(w>>16)|t.otherPair(w>>32)|t.otherPair(w>>48) == 0 {
				q += 6
				continue
			}
		}
		if t.otherPair(uint64(pairKey(d[q], d[q+1]))) == 0 {
			continue
		}
		if t.otherAt(d, q-1) {
			skip = min(skip, q-1)
			break
		}
		if t.otherAt(d, q) {
			skip = min(skip, q)
			break
		}
	}
	if skip <= at {
		return 0
	}
	m.gluedFrom, m.gluedTo = at, skip
	return skip
}

// base32Bytes reports whether every byte of b is a base32 byte.
func base32Bytes(b []byte) bool {
	for len(b) >= 8 {
		if !base32Word(binary.LittleEndian.Uint64(b)) {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if !isBase32(c) {
			return false
		}
	}
	return true
}

// otherAt reports whether a pattern of the table other than a key ID
// prefix starts at q (four bytes from q can be read).
func (t *keyIDRunTable) otherAt(d []byte, q int) bool {
	return gramIn(&t.otherGrams, d[q:]) && t.other(d, q, binary.LittleEndian.Uint32(d[q:]))
}

// otherPair is 1 if the pair of bytes w starts with is in otherPairs,
// else 0.
func (t *keyIDRunTable) otherPair(w uint64) uint64 {
	k := uint16(w)
	return t.otherPairs[k/64] >> (k % 64) & 1
}
