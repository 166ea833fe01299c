package scanner

import (
	"bytes"
	"encoding/binary"
)

// Spaced hex's near turn-down. spacedLinesKey reads the groups of a
// place's line, up to spacedReach bytes either way, and of the lines
// above and below: on a line of groups that are not plain pairs parted
// by one blank (" 41 414b", " 41  4b", which spacedPlainNoKey does not
// answer) every place read the same 256 bytes again, 4 MB per CPU second
// (issue 16). spacedLinesNoKey reads the few groups next to the place
// instead and turns down a place only where the lines' reading surely
// turns it down, whatever reading (from the line's start, from the run
// of groups around the place, or from a log's offset: spacedLineAt,
// loggedOffset) it is:
//
//   - the group at the place is no group (odd, wider than 16 digits, a
//     word), or wider than a pair where no offset's colon can stand
//     before it (only xxd's colon lines keep wider groups);
//   - a group next to it on the line, parted as the reading parts groups,
//     is one the reading keeps with it whenever it keeps the place's
//     (the same width, no offset before it), so the bytes before and
//     after the place are those groups' and spell no key, or the gap or
//     width between them ends every reading before the place;
//   - where those groups are too few, the line above or below (the only
//     other bytes the reading joins) is not within reach, or the bytes
//     read already are no key's start or end.
//
// Whatever it cannot be sure of it leaves to spacedLinesKey
// (TestSpacedNearAsLines checks it against that reading).

// spacedGapChar reports whether c may stand between two groups of a
// line: a blank, a tab, a pair separator.
func spacedGapChar(c byte) bool { return c == ' ' || c == '\t' || isPairSep(c) }

// spacedTakes reports whether spacedGroupsAt takes the group that ends at
// i (the line ends at hi) as a group: what follows it is no word's letter.
func spacedTakes(d []byte, i, hi int) bool {
	if i >= hi {
		return true
	}
	switch c := d[i]; c {
	case ' ', '\t', '\r', '|', ',', ')', ':':
		return true
	default:
		return isSpacedMark(c)
	}
}

// spacedGapTaken reports whether spacedGroupsAt goes on from a group to
// the next over gap (a pair separator, one with a blank after it, one to
// three blanks or tabs), and whether the gap is of blanks only and more
// than one (which colon lines, xxd's, do not go on over).
func spacedGapTaken(gap []byte) (taken, wide bool) {
	switch {
	case len(gap) == 1 && isPairSep(gap[0]):
		return true, false
	case len(gap) == 2 && isPairSep(gap[0]) && gap[1] == ' ':
		return true, false
	case len(gap) <= 3:
		for _, c := range gap {
			if c != ' ' && c != '\t' {
				return false, false
			}
		}
		return true, len(gap) > 1
	}
	return false, false
}

// spacedOffsetColon reports whether gap, after a run of digits, is an
// offset's colon: a colon and a blank or tab (xxd's "00000010: ").
func spacedOffsetColon(gap []byte) bool {
	return len(gap) > 1 && gap[0] == ':' && (gap[1] == ' ' || gap[1] == '\t')
}

// spacedRunBefore returns the start of the run of hex digits that ends at
// e, not before lo.
func spacedRunBefore(d []byte, lo, e int) int {
	s := e
	for s > lo && isHex(d[s-1]) {
		s--
	}
	return s
}

// spacedColonLead reports whether a reading of the line from lo that keeps
// the group at g can be a colon line's: an offset's colon stands before
// g, reached back over the gaps a colon line goes on over. Past any other
// gap no reading that keeps g started.
func spacedColonLead(d []byte, lo, g int) bool {
	if bytes.IndexByte(d[lo:g], ':') < 0 {
		return false
	}
	c := g
	for {
		p := c
		for p > lo && spacedGapChar(d[p-1]) {
			p--
		}
		if p == lo || !isHex(d[p-1]) {
			return false
		}
		gap := d[p:c]
		if spacedOffsetColon(gap) {
			return true
		}
		if taken, wide := spacedGapTaken(gap); !taken || wide {
			return false
		}
		c = spacedRunBefore(d, lo, p-1)
	}
}

// spacedKeyEnd reports whether b may end the bytes before a key's last A:
// b is a suffix of AKI or ASI.
func spacedKeyEnd(b []byte) bool {
	return bytes.HasSuffix([]byte("AKI"), b) || bytes.HasSuffix([]byte("ASI"), b)
}

// spacedKeyStart reports whether b (at most four bytes) may start the
// bytes of a key's first A on: a prefix of AKIA or ASIA.
func spacedKeyStart(b []byte) bool {
	return bytes.HasPrefix([]byte("AKIA"), b) || bytes.HasPrefix([]byte("ASIA"), b)
}

// spacedUpMay reports whether the line above the one that starts at lo
// may end its groups (spacedNeighbour) with the byte a or b: some run of
// an even number of hex digits on it ends with its pair. A line longer
// than 512 bytes is not read.
func spacedUpMay(d []byte, lo int, a, b byte) bool {
	e := lo - 1 // the line break
	s := lastNewline(d, max(0, e-512), e) + 1
	if s == max(0, e-512) && s > 0 {
		return true
	}
	for i := e; i > s; {
		if !isHex(d[i-1]) {
			i--
			continue
		}
		r := spacedRunBefore(d, s, i)
		if (i-r)%2 == 0 {
			if c := pairByte(d, i-2); c == a || c == b {
				return true
			}
		}
		i = r
	}
	return false
}

// spacedDownMay reports whether the line after the line break at nl may
// start its groups (spacedNeighbour) with the byte a or b: some run of
// hex digits on it starts with its pair. A line longer than 256 bytes is
// not read.
func spacedDownMay(d []byte, nl int, a, b byte) bool {
	end := min(len(d), nl+1+256)
	i := nl + 1
	for ; i < end && d[i] != '\n'; i++ {
		if i+1 < len(d) && isHex(d[i]) && (i == nl+1 || !isHex(d[i-1])) && isHex(d[i+1]) {
			if c := pairByte(d, i); c == a || c == b {
				return true
			}
		}
	}
	return i == end && end < len(d) // a longer line: not read
}

// spacedLinesNoKey reports whether spacedLinesKey(d, at, …) surely answers
// no for the place at (d as spacedHexKey hands it over: a long line's
// part near at) on the line that starts at lo and ends at hi (its line
// break, or the end of d).
func spacedLinesNoKey(d []byte, at, lo, hi int) bool {
	down, nl := hi < len(d), hi // a line below to join, after the line break at nl
	if hi > lo && d[hi-1] == '\r' {
		hi--
	}
	up := lo > 0 // a line above to join
	g := at + 1
	e := g
	for e < hi && isHex(d[e]) {
		e++
	}
	w := e - g
	if w == 0 || w%2 != 0 || w > 16 || !spacedTakes(d, e, hi) {
		return true // no group the reading keeps
	}
	colon := -1 // whether a colon line's reading may keep g (-1: not asked yet)
	colonLead := func() bool {
		if colon < 0 {
			colon = 0
			if spacedColonLead(d, lo, g) {
				colon = 1
			}
		}
		return colon == 1
	}

	// The groups before g that any reading keeping g keeps, last first,
	// up to three bytes; where those may be all the line's groups before
	// g, the line above may join with the bytes it ends with.
	var bb [3]byte
	nb := 0
	before := false
	// started: a reading may start at c, or the group before c be an
	// offset (mayFirst), so the groups before c need not be read by every
	// reading that keeps g: what they rule out, they rule out for the
	// others only.
	started := false
	mayFirst := func() {
		before = before || up && spacedKeyEnd(bb[3-nb:]) && spacedUpMay(d, lo, "AKI"[2-nb], "ASI"[2-nb])
		started = true
	}
	c := window{g, e}
	for nb < 3 {
		if c.lo != g && c.lo > lo && c.hi-c.lo >= 4 && (d[c.lo-1] == ' ' || d[c.lo-1] == '\t') {
			mayFirst() // a log's offset (loggedOffset) may start a reading at c
		}
		p := c.lo
		for p > lo && spacedGapChar(d[p-1]) {
			p--
		}
		if p == lo || !isHex(d[p-1]) {
			mayFirst() // the line's prefix, or a word, before c
			break
		}
		gap := d[p:c.lo]
		if spacedOffsetColon(gap) {
			mayFirst() // an offset before c, or (": ") a separator
			if len(gap) != 2 || gap[1] != ' ' {
				break
			}
		}
		taken, wide := spacedGapTaken(gap)
		if !taken || wide && w != 2 {
			// every reading that reaches c ends before it (a colon line's
			// at a wide gap)
			if started {
				break
			}
			return true
		}
		if wide && !started {
			colon = 0
		}
		s := spacedRunBefore(d, lo, p)
		wt, wc := p-s, c.hi-c.lo
		if wt < wc {
			if started {
				break
			}
			return true // the group before is kept and c is wider: c is not
		}
		if wt > wc {
			// An offset dropped (od, hexdump -C), c the first group, or a
			// colon line's width with g its shorter last group.
			if c.lo == g && (w != 2 || colonLead()) {
				before = true
			}
			mayFirst()
			break
		}
		for k := p - 2; k >= s && nb < 3; k -= 2 {
			nb++
			bb[3-nb] = pairByte(d, k)
		}
		c = window{s, p}
	}
	if nb >= 3 {
		before = before || string(bb[:]) == "AKI" || string(bb[:]) == "ASI"
	}

	// The groups from g on that any reading keeping g keeps, up to four
	// bytes; where the reading may end before, the bytes it may end with.
	var ab [4]byte
	na := 0
	add := func(s, e int) {
		for k := s; k+1 < e && na < 4; k += 2 {
			ab[na] = pairByte(d, k)
			na++
		}
	}
	add(g, e)
	after := false
	// ends reports whether the reading may end the line's groups after the
	// bytes b: where the line below joins, they start a key.
	ends := func(b []byte) bool {
		if len(b) >= 4 {
			return string(b[:4]) == "AKIA" || string(b[:4]) == "ASIA"
		}
		return down && spacedKeyStart(b) && spacedDownMay(d, nl, "AKIA"[len(b)], "ASIA"[len(b)])
	}
	c = window{g, e}
	for na < 4 {
		i := c.hi
		ns := -1
		if i < hi {
			switch {
			case isPairSep(d[i]) && i+1 < hi && isHex(d[i+1]):
				ns = i + 1
			case isPairSep(d[i]) && i+2 < hi && d[i+1] == ' ' && isHex(d[i+2]):
				ns = i + 2
			default:
				j := i
				for j < hi && (d[j] == ' ' || d[j] == '\t') {
					j++
				}
				if n := j - i; n >= 1 && n <= 3 && j < hi && isHex(d[j]) {
					if n == 1 || w == 2 && !colonLead() {
						ns = j
					} else if w == 2 {
						after = true // a colon line's reading ends here, another's goes on
					}
				}
			}
		}
		if ns < 0 || after {
			after = after || ends(ab[:na])
			break
		}
		ne := ns
		for ne < hi && isHex(d[ne]) {
			ne++
		}
		wn, wc := ne-ns, c.hi-c.lo
		if !spacedTakes(d, ne, hi) || wn > wc || wn%2 != 0 {
			after = ends(ab[:na]) // the reading's groups end with c
			break
		}
		if wn < wc {
			// a colon line's shorter last group, or the groups end with c
			na0 := na
			after = ends(ab[:na])
			add(ns, ne)
			after = after || ends(ab[:na])
			na = na0
			break
		}
		add(ns, ne)
		c = window{ns, ne}
	}
	if na >= 4 && !after {
		after = string(ab[:]) == "AKIA" || string(ab[:]) == "ASIA"
	}
	if !before && !after {
		return true
	}
	// Only a colon line keeps groups wider than a pair: asked last, as it
	// reads back to the line's colon (on lines of "0010: " and " 41 414b"
	// every place read back to it).
	return w != 2 && !colonLead()
}

// lastNewline is bytes.LastIndexByte(d[lo:hi], '\n')+lo, or lo-1 where
// there is none, eight bytes a step: the standard library's reads a byte
// a step, and spaced hex asks where each place's line starts (a line of
// places asked it 128 bytes back from every place).
func lastNewline(d []byte, lo, hi int) int {
	const ones, highs, nl = 0x0101010101010101, 0x8080808080808080, 0x0a0a0a0a0a0a0a0a
	i := hi
	for i-8 >= lo {
		v := binary.LittleEndian.Uint64(d[i-8:]) ^ nl
		if (v-ones)&^v&highs != 0 {
			break
		}
		i -= 8
	}
	for i > lo {
		i--
		if d[i] == '\n' {
			return i
		}
	}
	return lo - 1
}

// spacedStretchGap reports whether c may stand between groups in a
// stretch spacedLongSkip passes over: a blank, a tab, a pair separator.
func spacedStretchGap(c byte) bool { return c == ' ' || c == '\t' || isPairSep(c) }

// spacedGapByte is spacedStretchGap as a table, for spacedLongSkip's
// loop.
var spacedGapByte = func() (t [256]bool) {
	for c := range t {
		t[c] = spacedStretchGap(byte(c))
	}
	return t
}()

// spacedLongSkip returns where the places after at on a long line (it
// starts at lo and ends at nl, its line break or the data's end) stop
// being surely no key's (0: none is), and where the prefilter may go on
// from (0: nowhere): there, or before a pattern of another kind that
// stands in the stretch (spacedOtherIn).
// The places passed over stand in a stretch of groups and gaps (hex
// digits, blanks, tabs, pair separators) no line break is within
// spacedReach of, so the lines' reading of each is its line's groups
// near it, no line above or below (spacedNear): a key's four bytes are
// then the pairs of groups the reading keeps next to each other, which
// are groups parted by gaps it goes on over (spacedGapTaken), of an even
// width, and of a pair's width where no colon stands before (a colon
// line's, xxd's, keep wider ones); so where no four such pairs in a row
// spell AKIA or ASIA, no place there is a key's (with keys false, as for
// spacedPlainSkip, every place passed over is before spacedDone and
// needs no answer). On one long line of " 41  4b" or " 41 414b" each
// place cost its lines' reading (issue 16), and then each run of three
// digits or more was searched for patterns of other kinds, and each gap
// for a colon (IndexByte): 200 MB per CPU second. The patterns are now
// found by one scan of the prefilter without spaced hex's (spacedOthers).
func spacedLongSkip(d []byte, at, lo, nl int, keys bool) (e, to int) {
	if at < spacedReach+64 || lo-1 >= at-spacedReach {
		return 0, 0 // a line break within reach before at: the line above may join
	}
	// no line break within spacedReach after a place before lim-spacedReach
	lim := min(nl, at+spacedSkipReach+spacedReach+32)
	if lim-spacedReach <= at+32 {
		return 0, 0
	}
	colon := bytes.IndexByte(d[at-spacedReach:at], ':') >= 0 // a colon line's reading may keep wide groups
	// From a group's start before at: four pairs in a row span at most
	// 17 bytes, so a key that ends after at starts after at-64.
	i := at
	for i > at-64 && (spacedStretchGap(d[i-1]) || isHex(d[i-1])) {
		i--
	}
	for i < at && isHex(d[i]) {
		i++ // the group cut at at-64: pairs from the next on
	}
	end := min(lim-spacedReach, at+spacedSkipReach)
	var key uint32
	n := 0
	var starts [4]int // the last four pairs' starts
	for i < end+32 {
		c := d[i]
		if spacedGapByte[c] {
			j := i + 1
			for j < len(d) && spacedGapByte[d[j]] {
				j++
			}
			if j == i+1 && (c == ' ' || c == '\t') {
				// one blank: taken (the common gap, spacedGapTaken's first case)
			} else if taken, _ := spacedGapTaken(d[i:j]); !taken {
				key, n = 0, 0 // no reading goes on from the group before to the next
			}
			for k := i; k < j && !colon; k++ {
				colon = d[k] == ':'
			}
			if j == len(d) || hexDigit[d[j]] < 0 {
				key, n = 0, 0
			}
			i = j
			continue
		}
		if hexDigit[c] < 0 {
			break // the stretch ends: no reading goes on past it
		}
		j := i + 1
		for j < len(d) && hexDigit[d[j]] >= 0 {
			j++
		}
		w := j - i
		if w%2 != 0 || w > 16 || w != 2 && !colon {
			key, n = 0, 0 // no group a reading keeps
			i = j
			continue
		}
		for k := i; k < j; k += 2 {
			key = key<<8 | uint32(pairByte(d, k))
			starts[n%4] = k
			n++
			if keys && n >= 4 && (key == 0x414b4941 || key == 0x41534941) {
				end = min(end, starts[(n-4)%4]-32) // up to the key's first pair, and its place
			}
		}
		i = j
	}
	end = min(end, i-32) // every place before end has its pairs in the stretch read
	if end <= at+1 {
		return 0, 0
	}
	return end, spacedJump(end, spacedOtherIn(d, at, min(len(d), end+spacedOtherReach)), at)
}

// placeLine returns the line of m.data that holds the place at: where it
// starts, and its line break (or the data's end). The places of a line
// come in order, and each asked where its line starts and ends: the line
// is kept for the next (three readings of 128 bytes a place, issue 16).
func (m *match) placeLine(at int) (int, int) {
	sc, d := m.scratch, m.data
	if sc.placeLo <= at && at < sc.placeNL && sc.placeLen == len(d) {
		return sc.placeLo, sc.placeNL
	}
	from := 0
	if sc.placeLen == len(d) && sc.placeNL <= at {
		from = sc.placeNL // the line break of the line before is at or after it
	}
	sc.placeLo, sc.placeNL, sc.placeLen = lastNewline(d, from, at)+1, nextNewline(d, at), len(d)
	return sc.placeLo, sc.placeNL
}

// spacedChainLink returns where the pair after the pair at i starts (-1:
// none) where every reading of the line that keeps either keeps both: a
// pair after one separator (a colon only before a digit: ": " may follow
// an offset), a comma or dash and a blank, or one to three blanks or tabs
// (more than one only where no colon stands on the line, colon false,
// since a colon line's reading ends there), that the reading takes as a
// group (spacedTakes: the line, without its CR, ends at hi).
func spacedChainLink(d []byte, i, hi int, colon bool) int {
	j := i + 2
	if j >= hi {
		return -1
	}
	k := j
	switch c := d[j]; c {
	case ':', ',', '-':
		k = j + 1
		if c != ':' && k+1 < hi && d[k] == ' ' {
			k++
		}
	case ' ', '\t':
		for k < hi && k-j <= 3 && (d[k] == ' ' || d[k] == '\t') {
			k++
		}
		if k-j > 3 || k-j > 1 && colon {
			return -1
		}
	default:
		return -1
	}
	if k+1 >= hi || !isHex(d[k]) || !isHex(d[k+1]) || k > 0 && isHex(d[k-1]) || !spacedTakes(d, k+2, hi) || k+2 < hi && isHex(d[k+2]) {
		return -1
	}
	return k
}

// spacedChainSkip is spacedLongSkip for places on any line, short ones
// too, whose pairs are chained (spacedChainLink) three pairs either way:
// the lines' reading of such a place keeps its three pairs before and
// four from it and joins no line above or below (spacedLinesNoKey reads
// them as forced), so the place is a key's only where those spell one.
// It returns where the places after at stop being surely no key's (0:
// none is), and where the prefilter may go on from too (0: nowhere; no
// "73," in the chain, TestSpacedLongSkipPatterns). On lines of 200 bytes
// of " 41  4b" each place was read by spacedLinesNoKey, 200 ns a place.
func spacedChainSkip(d []byte, at, lo, nl int, keys bool) (int, int) {
	g := at + 1
	hi := nl
	if hi > lo && d[hi-1] == '\r' {
		hi--
	}
	end := min(hi, at+spacedSkipReach)
	if g+2 > end || !spacedPair(d, g) || !spacedTakes(d, g+2, hi) {
		return 0, 0
	}
	colon := bytes.IndexByte(d[lo:end], ':') >= 0
	// the pairs chained before g, up to three
	var pos [4]int // the last four pairs' starts, by index mod 4
	var key uint32
	back := [3]int{}
	b := 0
	for i := g; b < 3; b++ {
		q := i
		for q > lo && i-q < 3 && spacedGapChar(d[q-1]) {
			q--
		}
		p := q - 2
		if p < lo || !isHex(d[p]) || !isHex(d[p+1]) || p > lo && isHex(d[p-1]) || spacedChainLink(d, p, hi, colon) != i {
			break
		}
		back[b], i = p, p
	}
	if b < 2 {
		return 0, 0 // the place after at has fewer than three chained pairs before it
	}
	m := 0 // pairs read, the first of them back[b-1]
	for k := b - 1; k >= 0; k-- {
		pos[m%4] = back[k]
		key = key<<8 | uint32(pairByte(d, back[k]))
		m++
	}
	noJump := false
	i := g
	for {
		pos[m%4] = i
		key = key<<8 | uint32(pairByte(d, i))
		m++
		if string(d[i:i+2]) == "73" && i+2 < len(d) && d[i+2] == ',' {
			noJump = true
		}
		if keys && m >= 4 && (key == 0x414b4941 || key == 0x41534941) {
			break // the pair m-1 ends a key, the pair m-4 starts it
		}
		if i = spacedChainLink(d, i, end, colon); i < 0 {
			m++ // the pair m-1 (none) is not chained
			break
		}
	}
	// Places up to the pair m-5's are read: each has three chained pairs
	// before and after it, none of four in a row a key.
	if m-4 <= b+1 {
		return 0, 0
	}
	e := pos[(m-4)%4] - 1 // the place of the first pair not read
	jump := 0
	if !noJump {
		last := pos[(m-2)%4] + 2 // the chain's last pair read ends here
		if jump = min(e, last-16); jump <= at+1 {
			jump = 0
		}
	}
	return e, jump
}
