package scanner

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
// pairs (spacedKeyStep), eight bytes of a line a few nanoseconds.

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

// spacedHexPattern is a pattern of another kind that is hex digits only
// (a key ID's ACCA, hex of AKIA, archives' magic numbers), which may
// stand in a run of digits: its text, and its first four bytes (three
// for a pattern of three) as a little-endian word and the mask of them.
type spacedHexPattern struct {
	text       string
	head, mask uint32
}

// spacedHexGroups holds such patterns by their first two bytes, and
// spacedHexFirst, by two bytes, the index of their group plus one (0:
// none): most runs' pairs open no such pattern, and those that do are
// told apart by a word (a line of "414b4942" compared each with every
// pattern, 10 ns a byte).
var spacedHexGroups, spacedHexFirst = func() ([][]spacedHexPattern, *[1 << 16]uint8) {
	var groups [][]spacedHexPattern
	var first [1 << 16]uint8
	for _, p := range patterns {
		if p.kind == anchorSpacedHex || len(p.text) < 3 {
			continue
		}
		hex := true
		for i := 0; i < len(p.text); i++ {
			hex = hex && isHex(p.text[i])
		}
		if !hex {
			continue
		}
		k := int(p.text[0])<<8 | int(p.text[1])
		if first[k] == 0 {
			groups = append(groups, nil)
			first[k] = uint8(len(groups))
		}
		var head, mask uint32
		for i := 0; i < min(4, len(p.text)); i++ {
			head |= uint32(p.text[i]) << (8 * i)
			mask |= 0xff << (8 * i)
		}
		groups[first[k]-1] = append(groups[first[k]-1], spacedHexPattern{p.text, head, mask})
	}
	return groups, &first
}()

// spacedHexPatternIn returns the start of the first pattern of
// spacedHexGroups in the run of digits d[s:e] at or after from, or -1.
func spacedHexPatternIn(d []byte, from, s, e int) int {
	for p := max(s, from); p+3 <= e; p++ {
		g := spacedHexFirst[int(d[p])<<8|int(d[p+1])]
		if g == 0 {
			continue
		}
		w := uint32(d[p]) | uint32(d[p+1])<<8 | uint32(d[p+2])<<16
		if p+4 <= e {
			w |= uint32(d[p+3]) << 24
		}
		for _, t := range spacedHexGroups[g-1] {
			if w&t.mask == t.head && p+len(t.text) <= e && string(d[p:p+len(t.text)]) == t.text {
				return p
			}
		}
	}
	return -1
}

// spacedLineByte reports whether c may stand in a stretch of lines that
// spacedLinesSkip lets the prefilter pass over, besides hex digits and
// line breaks: blanks, tabs, pair separators, a CR, and the comment marks
// a pasted dump's lines may start with (# // ; * >; not %, quotes or
// backticks, which patterns of other kinds hold with hex digits).
func spacedLineByte(c byte) bool {
	switch c {
	case ' ', '\t', '\r', ':', ',', '-', '#', '/', ';', '*', '>':
		return true
	}
	return false
}

// spacedLinesSkip returns where the places after at, on the line that
// starts at lo and ends at nl (its line break or the data's end), stop
// being surely no key's (0: none is), where the prefilter may go on from
// (0: nowhere), and, where it passes over none, where it is worth asking
// again (fail: the lines read are not short, not of groups and gaps, or
// their pairs may spell a key). It reads from the line above at's to
// within spacedSkipReach after at, line by line; a place is passed over
// when its line and the lines above and below it are read and no path of
// pairs (see above) that ends after at spells AKIA or ASIA. From at on
// the lines hold hex digits, gaps, marks and line breaks only
// (spacedLineByte), so the only patterns of other kinds there are
// spacedHexGroups' and "73," (TestSpacedLinesSkipPatterns), which stop
// the prefilter's jump.
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
	other := -1 // the first pattern of another kind from at on
	// stop ends the reading at i; not asked again before the line's end,
	// nor (away: a byte of no dump's, a long line) within spacedSkipReach
	// after it, as the next lines are likely the same (each line of
	// quoted dumps or of hexdump -C's columns was read twice in vain).
	stop := func(i int, away bool) (int, int, int) {
		fail := nextNewline(d, i)
		if away {
			fail = min(len(d), fail+spacedSkipReach)
		}
		if e <= at+1 {
			return 0, 0, fail
		}
		return e, spacedJump(e, other, at), fail
	}
	limit := at + spacedSkipReach
	var up uint8 // the states at the ends of the runs of the line above
	// (i == len(d): the empty last line after a line break)
	for i := start; i <= len(d) && i <= limit; i++ {
		ls := i
		lim := min(len(d), ls+spacedLineMax+1) // where the line is too long
		var ends, last uint8                   // the line's runs' end states; its last run's
		lastW, lastE := 0, 0                   // the last run's width and end
		broken := false                        // a byte no run of groups holds since that run
		for i < lim {
			c := d[i]
			v := hexDigit[c]
			if v < 0 {
				if c == '\n' {
					break
				}
				if i >= at && !spacedLineByte(c) {
					return stop(i, true)
				}
				broken = broken || c != ' ' && c != '\t' && !isPairSep(c)
				i++
				continue
			}
			s := i
			for i++; i < lim && hexDigit[d[i]] >= 0; i++ {
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
						return stop(i, false) // a key's last A at k
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
					return stop(i, false) // a key's last A at k-1
				}
				cur, oth = oth, r&7
				prev = v
			}
			last, lastW, lastE = 0, i-s, i
			if i-s >= 2 {
				last = oth // the run's last pair's
			}
			ends |= last
			if i > at && other < 0 {
				if i-s >= 3 {
					other = spacedHexPatternIn(d, at, s, i)
				}
				if other < 0 && i-s >= 2 && i-2 >= at && i < len(d) && d[i] == ',' && d[i-2] == '7' && d[i-1] == '3' {
					other = i - 2
				}
			}
		}
		if i == lim && i < len(d) {
			return stop(i, true) // a long line
		}
		if ls > lo {
			e = ls // the places of the line before: it and its neighbours read
		}
		if i >= len(d) {
			e = len(d) // the last line: no line below joins
			break
		}
		up = ends
	}
	if e <= at+1 {
		return 0, 0, nl
	}
	return e, spacedJump(e, other, at), 0
}

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
