package scanner

// Key IDs glued to each other (qa31 F6). Go's linker packs string
// constants of one length side by side, so a program holding two key IDs
// (a prod/staging map) holds "AKIAxxxxxxxxxxxxxxxxAKIAyyyyyyyyyyyyyyyy":
// each ID has an upper-case letter before or after it, which the matcher
// takes for a longer token, and the two make 40 upper-case base32
// characters, which the binary rules read as encoded data. Another key ID
// is the commonest upper-case neighbour a key ID has, and one that is
// cheap to tell: a stretch of base32 bytes that is a whole number of key
// IDs, each an AKIA or ASIA prefix and 16 base32 bytes whose account
// decodes (AccountID) and that pass the placeholder tests. Random base32
// holds such a stretch about as often as two real keys side by side: each
// 20 bytes must open with AKIA or ASIA (1 in 500,000 by chance) and end
// where the next does.

// maxGluedIDs bounds the key IDs walked on each side of one in a stretch:
// every head of a stretch asks (keyID, gluedKeyID), so the work is at most
// this many steps a head.
const maxGluedIDs = 64

// gluedIDRun reports whether the key ID head at d[at:] stands in a
// stretch of base32 bytes that is at least two whole key IDs (gluedID),
// and returns the stretch's bounds.
func gluedIDRun(d []byte, at int) (from, to int, ok bool) {
	if at+20 > len(d) || !gluedID(d[at:at+20]) {
		return 0, 0, false
	}
	from, to = at, at+20
	for n := 0; from > 0 && isBase32(d[from-1]); n++ {
		if n == maxGluedIDs || from < 20 || !gluedID(d[from-20:from]) {
			return 0, 0, false
		}
		from -= 20
	}
	for n := 0; to < len(d) && isBase32(d[to]); n++ {
		if n == maxGluedIDs || to+20 > len(d) || !gluedID(d[to:to+20]) {
			return 0, 0, false
		}
		to += 20
	}
	return from, to, to-from >= 40
}

// gluedID reports whether b (20 bytes) is a key ID that may stand glued
// to another: AKIA or ASIA, 16 base32 bytes, an account that decodes, no
// placeholder, not upper-case words (gluedWordLike).
func gluedID(b []byte) bool {
	if b[0] != 'A' || b[1] != 'K' && b[1] != 'S' || b[2] != 'I' || b[3] != 'A' {
		return false
	}
	for _, c := range b[4:] {
		if !isBase32(c) {
			return false
		}
	}
	// AccountID's and plausibleKeyID's tests that need no string of b
	// first: every head of an encoded run of A's (AKIAAAAA…, base64 of
	// one decoded) asks, and fails them.
	if b[4] == 'I' || b[4] == 'J' || plainAccount(b) > maxAccount || distinct(b[4:]) < 6 {
		return false
	}
	id := string(b)
	if _, ok := AccountID(id); !ok || !plausibleKeyID(id) {
		return false
	}
	return !gluedWordLike(id)
}

// gluedIDs reports whether the key ID at at, which lacks a word boundary,
// is one of a stretch of key IDs glued to each other (gluedIDRun) that has
// the boundaries itself: in text the stretch is one token, and the IDs
// are its parts.
func (m *match) gluedIDs(at int) bool {
	d := m.data
	if !(at >= 20 && isBase32(d[at-1])) && !(at+24 <= len(d) && d[at+20] == 'A' && d[at+22] == 'I') {
		return false // no key ID on either side: the common answer, at once
	}
	from, to, ok := gluedIDRun(d, at)
	return ok && m.boundaryBefore(from) && (to == len(d) || !isWord(d[to]) || emphasisAfter(d, to))
}
