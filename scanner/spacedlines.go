package scanner

import (
	"bytes"
	"sync"
)

// Spaced hex's line skip. On short lines of groups that are not plain
// pairs (200-byte lines of " 41 414b", with or without an xxd offset)
// neither spacedLongSkip (a long line's) nor spacedChainSkip (chained
// pairs) passes over a place, and each place was turned down by itself
// (spacedPairNear, spacedLinesNoKey), 110 ns a place and two places in
// eight bytes: 36 MB per CPU second (issue 16). spacedLinesSkip instead
// reads the lines ahead once and passes over every place of them when no
// reading of the lines can spell a key there.
//
// It does not redo the lines' reading (spacedLinesKey: widths, offsets,
// prefixes, columns, a long line's window), which differs from place to
// place; it asks what every such reading has in common. A reading's bytes
// are the pairs of runs of hex digits, a run's pairs one after the other,
// its last pair followed by the next run's first: the next run on the same
// line (groups are whole runs, parted by gaps), or a run of the line just
// above or below (spacedNeighbour joins one line each way). A long line's
// window may cut a run, which moves its pairs by a digit. So a key's bytes
// (AKIA, ASIA) are a path through the runs' pairs, at either alignment,
// from each run's end to any later run of its line and to any run of the
// next line; where no such path spells AKIA or ASIA, no reading of a place
// there finds a key. The paths are followed by a small automaton over the
// pairs (spacedKeyNext), only on the lines near an I's pair (see
// spacedLinesSkip), and the patterns of other kinds that stand where the
// places are passed over are found by the prefilter's own scan without
// spaced hex's (spacedOthers): the lines may hold any byte.

// spacedLineMax bounds the lines spacedLinesSkip reads: a longer line's
// places are read near them (spacedNear, spacedLongSkip), and the line
// above a place is joined whole.
const spacedLineMax = 512

// spacedKeyNext follows the paths of pairs over a pair's byte: indexed
// by the byte's part in a key (spacedKeyPart) and the states before (bits:
// 1 an A read, 2 AK or AS, 4 AKI or ASI), it holds the states after, and
// 8 where a key's last A is read.
var spacedKeyNext = func() (t [32]uint8) {
	for s := range uint8(8) {
		t[1<<3|s] = 1 // an A
		if s&4 != 0 {
			t[1<<3|s] |= 8
		}
		t[2<<3|s] = (s & 1) << 1 // a K or S
		t[3<<3|s] = (s & 2) << 1 // an I
	}
	return t
}()

// spacedKeyPart is a byte's part in a key's bytes, times 8: 1 the A, 2
// the K or S, 3 the I, 0 none.
var spacedKeyPart = func() (t [256]uint8) {
	t['A'], t['K'], t['S'], t['I'] = 1<<3, 2<<3, 2<<3, 3<<3
	return t
}()

// spacedOthers finds the patterns of other kinds than spaced hex's
// (the prefilter's, without " 41"): where spacedLinesSkip lets the
// prefilter jump, it asks this one whether any stands there, whatever
// the bytes of the lines are (a quoted dump's quotes, hexdump -C's ASCII
// column, hex-only patterns in a run, "73,").
var spacedOthers = sync.OnceValue(func() *prefilter {
	var pats []pattern
	for _, p := range patterns {
		if p.kind != anchorSpacedHex {
			pats = append(pats, p)
		}
	}
	return newPrefilter(pats)
})

// spacedOtherIn returns the start of the first pattern of another kind
// than spaced hex's that ends after at and starts before hi, or hi if
// there is none (or a little before the first: see below).
func spacedOtherIn(d []byte, at, hi int) int {
	p := spacedOthers()
	lo := max(0, at-spacedOtherReach+1)
	var ctl scanControl
	first := hi
	p.scanStop(d[lo:hi], func(pat, k int) {
		if lo+k+len(p.pats[pat].text) <= at {
			return // reported before at was
		}
		if !ctl.stop {
			// The reports come in the order of their pairs, and each
			// pair stands less than a pattern's length after its start:
			// one not reported after the scan stops starts at most that
			// much before this one.
			first = min(first, lo+k-spacedOtherReach+1)
			ctl.stop = true
		}
		first = min(first, lo+k)
	}, &ctl)
	return max(first, lo)
}

// spacedIReach bounds the search for an I's pair ("49") past the last
// line spacedLinesSkip reads: the three lines after it.
const spacedIReach = 3*(spacedLineMax+1) + 1

// spacedI is an I's pair.
var spacedI = []byte("49")

// spacedLinesSkip returns where the places after at, on the line that
// starts at lo and ends at nl (its line break or the data's end), stop
// being surely no key's (0: none is), where the prefilter may go on from
// (0: nowhere), and, where it passes over none, where it is worth asking
// again (fail: the lines read are long or their pairs may spell a key).
// It reads from the line above at's to within spacedSkipReach after at,
// line by line; a place is passed over when its line and the lines above
// and below it are read and no path of pairs (see above) that ends after
// at spells AKIA or ASIA. A byte that is no hex digit parts runs, and a
// reading may start after one that is no gap (it joins the line above).
//
// Every key's path holds an I's pair, "49" in a run, and spans at most
// four lines: its A two lines above the I at the earliest, its last A on
// the line below. So the paths are followed only on the lines from two
// above a line with "49" to the one below it, from no state at the first
// of them; the other lines are passed over by their line breaks (quoted
// dumps, hexdump -C's lines and lines of " 41 414b" hold no I: each
// byte was read by the paths' automaton, 5 ns a byte, 170-230 MB per CPU
// second on its own, issue 16). The patterns of other kinds that stand
// in the lines stop the prefilter's jump (spacedOtherIn, after the
// reading: one scan from at to where the places are passed over).
func spacedLinesSkip(d []byte, at, lo, nl int) (e, to, fail int) {
	if nl-lo > spacedLineMax {
		return 0, 0, nl
	}
	start := lo
	if lo > 0 {
		b := max(0, lo-1-spacedLineMax)
		k := lastNewline(d, b, lo-1)
		if k < b && b > 0 {
			return 0, 0, nl // the line above is long
		}
		start = k + 1
	}
	// stop ends the reading at i; not asked again before the line's end,
	// nor (away: a long line) within spacedSkipReach after it.
	stop := func(i int, away bool) (int, int, int) {
		fail := nextNewline(d, i)
		if away {
			fail = min(len(d), fail+spacedSkipReach)
		}
		if e <= at+1 {
			return 0, 0, fail
		}
		return e, spacedJump(e, spacedOtherIn(d, at, min(len(d), e+spacedOtherReach)), at), fail
	}
	limit := at + spacedSkipReach
	// The lines' ends ahead: ends[0] the line's being read, ends[1] and
	// ends[2] the two after it (len(d)+1: past the data; a long line's
	// is where it is too long). The "49" at or after the line above's
	// start: i49 (searchEnd: none before it).
	searchEnd := min(len(d), limit+spacedIReach)
	lineEnd := func(ls int) int {
		if ls > len(d) {
			return len(d) + 1
		}
		lim := min(len(d), ls+spacedLineMax+1)
		if k := bytes.IndexByte(d[ls:lim], '\n'); k >= 0 {
			return ls + k
		}
		return lim
	}
	var ends [3]int
	ends[0] = lineEnd(start)
	ends[1] = lineEnd(ends[0] + 1)
	ends[2] = lineEnd(ends[1] + 1)
	i49, prevLo := -1, start
	hotBefore := false // the line before was read by the automaton
	var up uint8       // the states at the ends of the runs of the line above
	// (i == len(d): the empty last line after a line break)
	for i := start; i <= len(d) && i <= limit; i++ {
		ls, le := i, ends[0]
		if le-ls > spacedLineMax && le < len(d) {
			return stop(le, true) // a long line
		}
		if i49 < prevLo {
			i49 = searchEnd
			if prevLo < searchEnd {
				if k := bytes.Index(d[prevLo:searchEnd], spacedI); k >= 0 {
					i49 = prevLo + k
				}
			}
		}
		// hot: this line, the one before or one of the two after holds "49"
		if i49 < min(ends[2], len(d)) {
			if !hotBefore {
				up = 0 // a key's path starts on this line at the earliest
			}
			var stopped bool
			if up, stopped = spacedLineStates(d, ls, le, at, up); stopped {
				return stop(le, false)
			}
			hotBefore = true
		} else {
			hotBefore = false
		}
		i = le
		if ls > lo {
			e = ls // the places of the line before: it and its neighbours read
		}
		if i >= len(d) {
			e = len(d) // the last line: no line below joins
			break
		}
		prevLo = ls
		ends[0], ends[1], ends[2] = ends[1], ends[2], lineEnd(ends[2]+1)
	}
	if e <= at+1 {
		return 0, 0, nl
	}
	return e, spacedJump(e, spacedOtherIn(d, at, min(len(d), e+spacedOtherReach)), at), 0
}

// spacedLineStates follows the paths of pairs over the line d[ls:le]
// from the states at the ends of the runs of the line above (up), and
// returns the states at the ends of this line's runs that a reading may
// end with and join the line below, or stopped where a path that ends
// after at spells a key. A reading joins the line below only where its
// last group ends the line (spacedNeighbour: onlySuffixAfter); a long
// line's window that cuts the line short holds no line below. (With
// every run's end joined, each line of od's "0000020  41 4b 49 42 …"
// joined its "49" to the next line's "41": no line passed over, 47 MB
// per CPU second, issue 16.)
func spacedLineStates(d []byte, ls, le, at int, up uint8) (ends uint8, stopped bool) {
	var last uint8       // the last run's end state
	lastW, lastE := 0, 0 // the last run's width and end
	broken := false      // a byte no run of groups holds since that run
	for i := ls; i < le; {
		c := d[i]
		v := hexDigit[c]
		if v < 0 {
			broken = broken || c != ' ' && c != '\t' && !isPairSep(c)
			i++
			continue
		}
		s := i
		for i++; i < le && hexDigit[d[i]] >= 0; i++ {
		}
		// The line above joins a reading's first group only: the
		// line's first run, or one after an offset (a wider run, or
		// one before a colon) or after a byte no run of groups holds
		// (a reading from there). (Offsets are never kept as groups:
		// wider than a pair, they are kept after a colon only.)
		w, in := i-s, uint8(0)
		if lastW == 0 || lastW > w || d[lastE] == ':' || broken {
			in = up
		}
		broken = false
		// A reading's groups are never wider than the one before, but
		// where a long line's window cuts the wider one short (then its
		// last, a key's bytes only in its first digits).
		if w <= lastW {
			in |= last
		} else if last != 0 {
			st := last
			for k := s; k+1 < min(i, s+lastW); k += 2 {
				r := spacedKeyNext[spacedKeyPart[pairByte(d, k)]|st]
				if r&8 != 0 && k > at+1 {
					return 0, true // a key's last A at k
				}
				st = r & 7
			}
		}
		// The run's pairs at both alignments: cur the states of the
		// next pair's, from the run's start (after the line's runs
		// before and the line above) or a cut's.
		prev := byte(v)
		cur, oth := in, uint8(0)
		for k := s + 1; k < i; k++ {
			v := byte(hexDigit[d[k]])
			r := spacedKeyNext[spacedKeyPart[prev<<4|v]|cur]
			if r&8 != 0 && k > at+2 {
				return 0, true // a key's last A at k-1
			}
			cur, oth = oth, r&7
			prev = v
		}
		last, lastW, lastE = 0, i-s, i
		if i-s >= 2 {
			last = oth // the run's last pair's
		}
		// A group as wide as the one before after one blank, tab, comma
		// or dash: the common step of a dump's line, whose rules above
		// come to in = last, and which ends no reading that joins the
		// line below. (Read by the loop above, lines of " 41 4b 49 42"
		// that the automaton must follow ran at 240 MB per CPU second,
		// xxd's "414b 4942" at 120-230.)
		for lastW == 2 && i+2 < le && spacedChainGap[d[i]] && hexDigit[d[i+1]] >= 0 && hexDigit[d[i+2]] >= 0 && (i+3 == le || hexDigit[d[i+3]] < 0) {
			r := spacedKeyNext[spacedKeyPart[pairByte(d, i+1)]|last]
			if r&8 != 0 && i+2 > at+2 {
				return 0, true // a key's last A at i+1
			}
			last, lastE = r&7, i+3
			i += 3
		}
		for lastW == 4 && i+4 < le && spacedChainGap[d[i]] && hexDigit[d[i+1]]|hexDigit[d[i+2]]|hexDigit[d[i+3]]|hexDigit[d[i+4]] >= 0 && (i+5 == le || hexDigit[d[i+5]] < 0) {
			r0 := spacedKeyNext[spacedKeyPart[pairByte(d, i+1)]|last]
			r1 := spacedKeyNext[spacedKeyPart[pairByte(d, i+3)]|r0&7]
			if r0&8 != 0 && i+2 > at+2 || r1&8 != 0 && i+4 > at+2 {
				return 0, true // a key's last A at i+1 or i+3 (the pair at i+2 ends none: no state before it)
			}
			last, lastE = r1&7, i+5
			i += 5
		}
		for (lastW == 6 || lastW == 8) && i+lastW < le && spacedChainGap[d[i]] && spacedDigits(d[i+1:i+1+lastW]) && (i+1+lastW == le || hexDigit[d[i+1+lastW]] < 0) {
			// (the pairs at the other alignment, from no state, are
			// fewer than a key's four: no path through them ends here)
			st := last
			for k := i + 1; k < i+1+lastW; k += 2 {
				r := spacedKeyNext[spacedKeyPart[pairByte(d, k)]|st]
				if r&8 != 0 && k > at+1 {
					return 0, true // a key's last A at k
				}
				st = r & 7
			}
			last, lastE = st, i+1+lastW
			i = lastE
		}
		if last != 0 && onlySuffixAfter(d, i, le) {
			ends |= last // a reading that ends here may join the line below
		}
	}
	return ends, false
}

// spacedDigits reports whether b is hex digits only.
func spacedDigits(b []byte) bool {
	for _, c := range b {
		if hexDigit[c] < 0 {
			return false
		}
	}
	return true
}

// spacedChainGap holds the bytes spacedLineStates' loop of pairs steps
// over: a blank, a tab, a comma, a dash (not a colon, after which the
// line above may join).
var spacedChainGap = [256]bool{' ': true, '\t': true, ',': true, '-': true}

// spacedOtherReach is the longest pattern's length: a pattern that
// starts before e ends before e+spacedOtherReach.
var spacedOtherReach = func() int {
	n := 0
	for _, p := range patterns {
		n = max(n, len(p.text))
	}
	return n
}()

// spacedJump is where the prefilter may go on from after a skip to e:
// before the first pattern of another kind (other, -1: none), and 0 where
// that is not past at.
func spacedJump(e, other, at int) int {
	to := e
	if other >= 0 {
		to = min(to, other)
	}
	if to <= at+1 {
		return 0
	}
	return to
}
