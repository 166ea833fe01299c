package scanner

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"
)

// A file of key IDs (one a line, or blank-separated: an export of IAM's
// access keys, a test fixture, an attacker's filler) holds an anchor every
// 21 bytes. Past the cut (max_findings_per_file) each one is only counted
// (past), yet cost the prefilter its mark and check and the matcher its
// call: ~190 MB per CPU second (issue 16). keyIDRun counts the key IDs
// that follow a counted one in one tight pass, and lets the prefilter pass
// over them (scanControl.skip), where nothing else can stand among them.

// keyIDRunMargin is how far before the end of the run read the prefilter
// reports again: every pattern is at most this long (TestKeyIDRunMargin),
// so a pattern that starts before the margin ends inside the run, where
// keyIDRunTable found none but the key IDs counted.
const keyIDRunMargin = 16

// keyIDRunTable holds the patterns that can stand wholly in a run of key
// IDs (base32 bytes and blanks; key ID prefixes among them), and the pairs
// they start with, to read the run a byte at a time with a table and a bit
// test.
type keyIDRunTable struct {
	// pairs has the bit pairKey of each pattern's first two pairs,
	// key ID prefixes too: a pattern of 3 bytes or more that starts at
	// p holds one of them at an even offset, p or p+1
	pairs [1 << 16 / 64]uint64
	// grams has the bit of each pattern's first three bytes (key ID
	// prefixes too), five bits a byte (b32Value): where a pair is in
	// pairs, a pattern can start at its first byte or the one before only
	// if the three bytes there are in grams (1 in 600 of them are).
	grams [1 << 15 / 64]uint64
	// otherGrams is grams without the key ID prefixes: the patterns
	// other than the one a key ID opens with
	otherGrams [1 << 15 / 64]uint64
	// otherPairs is pairs without the key ID prefixes' (gluedHeads)
	otherPairs [1 << 16 / 64]uint64
	keyID      []uint32     // the key ID prefixes, four bytes each, as little-endian words
	pats       []runPattern // the others, in order of their first byte
	from       [257]uint8   // pats[from[c]:from[c+1]] start with c
	// off is set when a pattern of base32 bytes and blanks holds a blank
	// (it may stand across key IDs, which keyIDAt does not read), is
	// shorter than 3 bytes, or is a key ID prefix of another length than
	// 4: no run is read then (TestKeyIDRunMargin says there is none)
	off bool
}

// runPattern is a pattern of keyIDRunTable with its first (up to) four
// bytes as a little-endian word and the mask of those bytes: most
// patterns that share a pair with the text are turned down by one compare.
type runPattern struct {
	text       string
	head, mask uint32
}

// keyIDRuns is the table of the prefilter's patterns, built on first use
// and never written after: a process that scans nothing (go vet's run for
// each package a vetted one depends on) never pays for it.
var keyIDRuns = sync.OnceValue(func() *keyIDRunTable { return newKeyIDRunTable(patterns) })

func newKeyIDRunTable(pats []pattern) *keyIDRunTable {
	t := &keyIDRunTable{}
	for _, p := range pats {
		inRun, blank := true, false
		for _, c := range []byte(p.text) {
			// A blank between key IDs (isListBlank) is no word byte,
			// so a key ID after one is at a boundary (boundaryBefore).
			inRun = inRun && (isBase32(c) || isListBlank(c))
			blank = blank || isListBlank(c)
		}
		if !inRun {
			continue
		}
		if blank || len(p.text) < 3 || p.kind == anchorKeyID && len(p.text) != 4 {
			t.off = true
			continue
		}
		for _, k := range []uint16{pairKey(p.text[0], p.text[1]), pairKey(p.text[1], p.text[2])} {
			t.pairs[k/64] |= 1 << (k % 64)
		}
		g := gramKey([]byte(p.text))
		t.grams[g/64] |= 1 << (g % 64)
		if p.kind == anchorKeyID {
			t.keyID = append(t.keyID, binary.LittleEndian.Uint32([]byte(p.text)))
			continue
		}
		t.otherGrams[g/64] |= 1 << (g % 64)
		for _, k := range []uint16{pairKey(p.text[0], p.text[1]), pairKey(p.text[1], p.text[2])} {
			t.otherPairs[k/64] |= 1 << (k % 64)
		}
		r := runPattern{text: p.text}
		for i := range 4 {
			if i < len(p.text) {
				r.head |= uint32(p.text[i]) << (8 * i)
				r.mask |= 0xff << (8 * i)
			}
		}
		t.pats = append(t.pats, r)
	}
	slices.SortStableFunc(t.pats, func(a, b runPattern) int { return int(a.text[0]) - int(b.text[0]) })
	for c := range 256 {
		t.from[c+1] = t.from[c]
		for _, p := range t.pats {
			if int(p.text[0]) == c {
				t.from[c+1]++
			}
		}
	}
	return t
}

// at reports whether a key ID prefix, and whether any other pattern of the
// table, starts at q.
func (t *keyIDRunTable) at(d []byte, q int) (keyID, other bool) {
	var w uint32
	if q+4 <= len(d) {
		w = binary.LittleEndian.Uint32(d[q:])
	} else {
		for k := q; k < len(d); k++ {
			w |= uint32(d[k]) << (8 * (k - q))
		}
	}
	return slices.Contains(t.keyID, w), t.other(d, q, w)
}

// other reports whether a pattern of pats starts at q, where the four
// bytes (or fewer, at the end of d) are w.
func (t *keyIDRunTable) other(d []byte, q int, w uint32) bool {
	for i := t.from[d[q]]; i < t.from[int(d[q])+1]; i++ {
		p := &t.pats[i]
		if w&p.mask == p.head && (len(p.text) <= 4 || q+len(p.text) <= len(d) && string(d[q:q+len(p.text)]) == p.text) {
			return true
		}
	}
	return false
}

// keyIDAt reports whether d[i:] opens with a key ID of a run: a key ID
// prefix and 16 base32 bytes, then a blank or the end of d; and no other
// pattern, nor a prefix inside it, starts in it. The patterns of the table
// hold no blank, so one that starts in the key ID ends in it. A key ID
// the same as the one before it (prev, its start, or -1) is known to be
// one. The bytes after the prefix are tested eight at a time
// (base32Word), and the pairs at even offsets in the table.
func (t *keyIDRunTable) keyIDAt(d []byte, i, prev int) bool {
	end := i + 20
	if end > len(d) || end < len(d) && !isListBlank(d[end]) {
		return false
	}
	id := (*[20]byte)(d[i:end])
	a, b := binary.LittleEndian.Uint64(id[:]), binary.LittleEndian.Uint64(id[8:])
	c := binary.LittleEndian.Uint32(id[16:])
	if prev >= 0 {
		p := d[prev : prev+20 : prev+20]
		if a == binary.LittleEndian.Uint64(p) && b == binary.LittleEndian.Uint64(p[8:]) && c == binary.LittleEndian.Uint32(p[16:]) {
			return true
		}
	}
	if !slices.Contains(t.keyID, uint32(a)) || gramIn(&t.otherGrams, id[:3]) && t.other(d, i, uint32(a)) ||
		!base32Word(a>>32|b<<32) || !base32Word(b>>32|uint64(c)<<32) {
		return false
	}
	// A pattern (3 bytes or more) that starts at 1 to 17 holds a pair
	// at an even offset from 2 to 18; one that starts at 18 or 19 would
	// hold the blank after the key ID.
	// hit has bit q/2-1 set where the pair at q is in pairs: a word of
	// tests with no branch, since a pair of a key ID is in pairs about one
	// time in ten.
	hit := t.pair(a>>16) | t.pair(a>>32)<<1 | t.pair(a>>48)<<2 | t.pair(b)<<3 | t.pair(b>>16)<<4 |
		t.pair(b>>32)<<5 | t.pair(b>>48)<<6 | t.pair(uint64(c))<<7 | t.pair(uint64(c)>>16)<<8
	for ; hit != 0; hit &= hit - 1 {
		// A pattern may start at q-1 or q (not at 18: the blank); its
		// first three bytes must be in grams before at reads the patterns.
		q := 2 + 2*bits.TrailingZeros64(hit)
		x, y, z := b32Value[id[q-1]], b32Value[id[q]], b32Value[id[q+1]]
		if t.gram(x, y, z) && t.startsAt(d, i+q-1) || q < 18 && t.gram(y, z, b32Value[id[q+2]]) && t.startsAt(d, i+q) {
			return false
		}
	}
	return true
}

// gram reports whether the base32 bytes of values x, y, z are the first
// three of a pattern (key ID prefixes too).
func (t *keyIDRunTable) gram(x, y, z byte) bool {
	g := uint16(x)<<10 | uint16(y)<<5 | uint16(z)
	return t.grams[g/64]&(1<<(g%64)) != 0
}

// startsAt reports whether a key ID prefix or another pattern of the
// table starts at q.
func (t *keyIDRunTable) startsAt(d []byte, q int) bool {
	keyID, other := t.at(d, q)
	return keyID || other
}

// pair is 1 if the pair of bytes w starts with is in pairs, else 0.
func (t *keyIDRunTable) pair(w uint64) uint64 {
	k := uint16(w)
	return t.pairs[k/64] >> (k % 64) & 1
}

// gramIn reports whether the three base32 bytes b starts with are in
// the table of grams.
func gramIn(grams *[1 << 15 / 64]uint64, b []byte) bool {
	g := gramKey(b)
	return grams[g/64]&(1<<(g%64)) != 0
}

// gramKey is the key in grams of the three base32 bytes b starts with.
func gramKey(b []byte) uint16 {
	return uint16(b32Value[b[0]])<<10 | uint16(b32Value[b[1]])<<5 | uint16(b32Value[b[2]])
}

// base32Word reports whether each byte of w is a base32 byte (isBase32):
// 'A' to 'Z', or '2' to '7'. Written without a closure, so that keyIDAt
// has it inline.
func base32Word(w uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	// A byte b < 0x80 is in [a, a+n) when b-a (borrowing nothing) is
	// under n: (b + 0x80 - a) has its high bit set and (b + 0x80 - a - n)
	// has not; bytes with the high bit set are none of these.
	v := w | hi
	letter := (v - 'A'*lo) &^ (v - ('Z'+1)*lo)
	digit := (v - '2'*lo) &^ (v - ('7'+1)*lo)
	return w&hi == 0 && (letter|digit)&hi == hi
}

// keyIDRun is asked at a key ID at at, past the cut and counted (past):
// it reads the key IDs that follow (keyIDAt, blanks between), and when
// there is at least one, counts them as past would, notes where the run
// read ends (keyIDRunTo: the prefilter may report those key IDs again, and
// keyID drops them) and returns where the prefilter need report nothing
// before (see scanControl); else 0. Before at stands a blank (or nothing),
// and no pattern holds a blank before a base32 byte (TestKeyIDRunMargin):
// no pattern that starts before at reaches into the run.
func (m *match) keyIDRun(at int) int {
	d, t := m.data, keyIDRuns()
	if t.off || at > 0 && !isListBlank(d[at-1]) || !t.keyIDAt(d, at, -1) {
		return 0
	}
	n := 0
	prev, e := at, at+20
	for {
		for e < len(d) && isListBlank(d[e]) {
			e++
		}
		if !t.keyIDAt(d, e, prev) {
			break
		}
		n++
		prev, e = e, e+20
	}
	if n == 0 || e-keyIDRunMargin <= at {
		return 0
	}
	m.unlisted += n
	m.keyIDRunTo = e
	return e - keyIDRunMargin
}
