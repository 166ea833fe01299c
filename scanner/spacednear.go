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

// spacedLinesNoKey reports whether spacedLinesKey(d, at, …) surely answers
// no for the place at (d as spacedHexKey hands it over: a long line's
// part near at).
func spacedLinesNoKey(d []byte, at int) bool {
	lo := lastNewline(d, 0, at) + 1
	hi := nextNewline(d, at)
	down := hi < len(d) // a line below to join
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
	if w != 2 && !colonLead() {
		return true // only a colon line keeps groups wider than a pair
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
		before = before || up && spacedKeyEnd(bb[3-nb:])
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
		return down && spacedKeyStart(b)
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
	return !before && !after
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

// spacedLongSkip returns where the places after at on a long line stop
// being surely no key's (0: none is), and whether no other pattern
// stands before that either (jump: the prefilter may go on from there).
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
// needs no answer). Patterns of other kinds that stand wholly in such a
// stretch are runs of three hex digits or more, and "73,"
// (TestSpacedLongSkipPatterns): where the stretch has neither, the
// prefilter may go on past it (jump). On one long line of " 41  4b" or
// " 41 414b" each place cost its lines' reading (issue 16).
func spacedLongSkip(d []byte, at int, keys bool) (int, bool) {
	if at < spacedReach+64 || lastNewline(d, at-spacedReach, at) >= at-spacedReach {
		return 0, false // a line break within reach before at: the line above may join
	}
	bound := min(len(d), at+spacedSkipReach+spacedReach+32)
	lim := bound // no line break within spacedReach after a place before lim-spacedReach
	if k := bytes.IndexByte(d[at:bound], '\n'); k >= 0 {
		lim = at + k
	}
	if lim-spacedReach <= at+32 {
		return 0, false
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
	jump := true
	for i < end+32 {
		c := d[i]
		if c == ':' {
			colon = true
		}
		if spacedStretchGap(c) {
			j := i
			for j < len(d) && spacedStretchGap(d[j]) {
				j++
			}
			if taken, _ := spacedGapTaken(d[i:j]); !taken || j == len(d) || !isHex(d[j]) {
				key, n = 0, 0 // no reading goes on from the group before to the next
			}
			if c := bytes.IndexByte(d[i:j], ':'); c >= 0 {
				colon = true
			}
			i = j
			continue
		}
		if !isHex(c) {
			break // the stretch ends: no reading goes on past it
		}
		j := i
		for j < len(d) && isHex(d[j]) {
			j++
		}
		w := j - i
		if w != 2 || j < len(d) && d[j] == ',' && string(d[i:j]) == "73" {
			jump = false // a pattern of another kind may stand in it
		}
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
		return 0, false
	}
	return end, jump
}
