package scanner

import (
	"bytes"
	"slices"
)

// Spaced hex: the bytes of a key written as hex pairs with blanks between
// them, as od -An -tx1, od -tx1, hexdump -C, xxd (groups of two bytes),
// PowerShell's Format-Hex and Python's bytes.fromhex("41 4b …") write
// them, pasted into other text (a comment, a Markdown note, a log) where
// the dump is not the file's first line (hexdumpFile) and no run of hex
// digits holds an anchor (decodeHex): enc25, notation25. The prefilter
// reports " 41", the hex of an A behind a blank (or a tab, colon,
// comma or dash); spacedHexKey asks the
// pairs around it, over a line break and the next line's offset, for the
// A of AKIA or ASIA (one check of a few bytes: code writes " 41" as a
// number, which a '=', ',' or ':' beside it turns down at once). The dump's
// lines around such a place are then read back into their bytes
// (spacedBlock) and scanned as the text they hold, with the encoding
// hexdump, as a whole-file dump is.

// maxSpacedBlock bounds the text of one spaced block read back: a dump
// longer than that is read in blocks, each from a later key's A on (the
// block before it ends where that one starts reading: decodeSpacedHex).
const maxSpacedBlock = 1 << 20

// spacedLine is one line's groups of hex digits: groups as offsets in the
// data, whole when the groups fill the line from its start (after any
// indentation, comment marker, quote and offset) to its end (before any
// blanks, ASCII column or closing quote).
type spacedLine struct {
	lo, hi      int // the line, without its line break
	width       int // the groups' width in digits (the last may be shorter)
	starts      bool
	ends        bool
	first, last int // the first and last group's index in groups
}

// isSpacedMark reports whether c may stand before a dump's first group: a
// comment marker or a quote (# , // , ; , -- , * , > , % , ", ').
func isSpacedMark(c byte) bool {
	switch c {
	case '#', '/', ';', '-', '*', '>', '%', '"', '\'', '`':
		return true
	}
	return false
}

// spacedGroups appends to groups the groups of the line [lo,hi) of d, from
// from on (lo: after the line's prefix), and describes them. A line's
// first token is an offset, not a group, when a colon follows it (xxd) or
// it is longer than the group after it (od, hexdump -C, Format-Hex). Groups are separated by one to three blanks or
// tabs (hexdump -C's two in the middle; xxd's two before its ASCII column
// end its groups, as a colon offset says), or by a colon, comma or dash
// (openssl's 41:4b:49:41, and a blank may follow a comma). Without a colon offset only
// pairs count (od -x and hexdump's words are in the machine's order).
func spacedGroups(d []byte, lo, hi, from int, groups []window) (spacedLine, []window) {
	i := from
	for i < hi && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	for k := 0; k < 3 && i < hi && isSpacedMark(d[i]) && from == lo; k++ {
		i++
	}
	for i < hi && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	base := len(groups)
	ln, groups := spacedGroupsAt(d, lo, hi, i, false, groups)
	if from == lo && (!ln.starts || !ln.ends) {
		// A log's prefix before the offset (loggedOffset): read from the
		// offset, where the groups then fill the line.
		if k := loggedOffset(d, lo, hi); k > 0 {
			n := len(groups)
			ln2, g2 := spacedGroupsAt(d, lo, hi, k, true, groups)
			if ln2.starts && ln2.ends {
				// in place of the first reading's groups
				moved := copy(g2[base:], g2[n:])
				ln2.first, ln2.last = base, base+moved-1
				return ln2, g2[:base+moved]
			}
			groups = g2[:n]
		}
	}
	return ln, groups
}

// spacedGroupsAt is spacedGroups from i, past the line's prefix, or
// from the offset after a log's prefix (prefixed).
func spacedGroupsAt(d []byte, lo, hi, i int, prefixed bool, groups []window) (spacedLine, []window) {
	ln := spacedLine{lo: lo, hi: hi, first: len(groups), last: len(groups) - 1}
	lead := true // nothing but the line's prefix before i
	colon := false
	base := len(groups)
	for i < hi {
		// Past the first group, a pair then one separator and a hex
		// digit (41:4b, 41,4b, 41-4b, 41 4b, a tab) is the common step,
		// taken without the general reading below, which takes it so
		// too: a line of them (openssl's colons, a list of bytes) read a
		// byte at a time through every test cost 15 ns a pair (issue 16).
		for !lead && i+3 < hi && isHex(d[i]) && isHex(d[i+1]) && !isHex(d[i+2]) && isHex(d[i+3]) &&
			(isPairSep(d[i+2]) || d[i+2] == ' ' || d[i+2] == '\t') {
			groups = append(groups, window{i, i + 2})
			i += 3
		}
		s := i
		ox := lead && i+2 < hi && d[i] == '0' && d[i+1] == 'x' && isHex(d[i+2])
		if ox {
			i += 2 // tcpdump -X's offset, 0x0010:
		}
		for i < hi && isHex(d[i]) {
			i++
		}
		w := i - s
		if w == 0 {
			break
		}
		if lead && i < hi && d[i] == ':' && (i+1 == hi || d[i+1] == ' ' || d[i+1] == '\t') {
			colon, lead = true, true
			i++
			for i < hi && (d[i] == ' ' || d[i] == '\t') {
				i++
			}
			continue
		}
		if i < hi && d[i] != ' ' && d[i] != '\t' && d[i] != '\r' && !isSpacedMark(d[i]) && d[i] != '|' && d[i] != ',' && d[i] != ')' && d[i] != ':' ||
			ox {
			break // a word that opens with hex letters, or a 0x number
		}
		groups = append(groups, window{s, i})
		lead = false
		if i+1 < hi && isPairSep(d[i]) && (isHex(d[i+1]) || d[i+1] == ' ' && i+2 < hi && isHex(d[i+2])) {
			// 41:4b:49 (openssl), 41,4b, 41-4b, 41, 4b
			i++
			if d[i] == ' ' {
				i++
			}
			continue
		}
		n := 0
		for i < hi && (d[i] == ' ' || d[i] == '\t') {
			i++
			n++
		}
		if n == 0 || n > 3 || colon && n > 1 {
			break
		}
	}
	gs := groups[base:]
	// The first token is an offset when it is longer than the next
	// (od's 7 octal digits are odd: no group).
	if len(gs) >= 2 && gs[0].hi-gs[0].lo > gs[1].hi-gs[1].lo && !colon {
		gs = gs[1:]
		lead = true
	}
	// Keep the groups of one even width, the last one shorter (xxd's last
	// line), from the first.
	n := 0
	for n < len(gs) {
		w := gs[n].hi - gs[n].lo
		if w%2 != 0 || w > 16 || !colon && w != 2 || n > 0 && w > ln.width || n > 0 && w < ln.width && n < len(gs)-1 {
			break
		}
		if n == 0 {
			ln.width = w
		}
		n++
	}
	if n == 0 {
		return ln, groups[:base]
	}
	copy(groups[base:], gs[:n])
	groups = groups[:base+n]
	ln.first, ln.last = base, base+n-1
	ln.starts = prefixed || onlyPrefixBefore(d, lo, groups[base].lo)
	ln.ends = onlySuffixAfter(d, groups[base+n-1].hi, hi)
	return ln, groups
}

// loggedOffset returns where the offset of a dump line stands after a
// log's prefix (2026-01-02T10:00:00Z DEBUG 00000010: 6365 …, a syslog
// line's "app[12]: 00000010  63 65 …", tcpdump -X's tab and 0x0010:), or
// 0: a blank, then xxd's or tcpdump's offset (four hex digits or more,
// 0x before them or not, a colon and a blank), hexdump -C's and Go's
// hex.Dump's (eight hex digits and two blanks, then a hex digit), or od -t
// x1's (seven digits, a blank and a pair). Each
// line of such a log carries its prefix, so that no line of the dump
// starts the line (onlyPrefixBefore) and none joined the next. The line
// is searched from i, at most spacedReach bytes.
func loggedOffset(d []byte, i, hi int) int {
	end := min(hi, i+spacedReach)
	for k := i + 1; k+6 < end; k++ {
		if d[k-1] != ' ' && d[k-1] != '\t' || !isHex(d[k]) {
			continue
		}
		j := k
		if d[k] == '0' && d[k+1] == 'x' {
			j += 2
		}
		s := j
		for j < end && isHex(d[j]) {
			j++
		}
		switch n := j - s; {
		case n >= 4 && j+2 < end && d[j] == ':' && d[j+1] == ' ':
			return k
		case n == 8 && s == k && j+3 < end && d[j] == ' ' && d[j+1] == ' ' && isHex(d[j+2]):
			return k
		case n == 7 && s == k && j+4 < end && d[j] == ' ' && isHex(d[j+1]) && isHex(d[j+2]) && d[j+3] == ' ':
			return k // od -t x1's seven octal digits
		}
		k = j
	}
	return 0
}

// onlyPrefixBefore reports whether [lo,s) holds only what spacedGroups
// passes over before a first group: blanks, a comment marker or quote, an
// offset.
func onlyPrefixBefore(d []byte, lo, s int) bool {
	for i := lo; i < s; i++ {
		if c := d[i]; c != ' ' && c != '\t' && c != ':' && !isHex(c) && !isSpacedMark(c) && (c != 'x' || i == lo || d[i-1] != '0') {
			return false // (0x: tcpdump -X's offset)
		}
	}
	return true
}

// onlySuffixAfter reports whether the line's groups end it: a separator,
// then blanks up to the line end, a closing quote, or an ASCII column after two blanks or
// more.
func onlySuffixAfter(d []byte, e, hi int) bool {
	i := e
	if i < hi && isPairSep(d[i]) {
		i++ // openssl's line ends with its ':'
	}
	for i < hi && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r') {
		i++
	}
	switch {
	case i == hi:
		return true
	case d[i] == '"' || d[i] == '\'' || d[i] == '`':
		return true
	case i-e >= 2:
		return true // xxd's, hexdump -C's "|", od's ">", Format-Hex's column
	}
	return false
}

// isPairSep reports whether c parts pairs of hex digits without a blank:
// openssl's colons, commas, dashes.
func isPairSep(c byte) bool { return c == ':' || c == ',' || c == '-' }

// lineOf returns the line of d that holds at, without its line break.
func lineOf(d []byte, at int) (int, int) {
	lo := lastNewline(d, 0, at) + 1
	hi := nextNewline(d, at)
	if hi > lo && d[hi-1] == '\r' {
		hi--
	}
	return lo, hi
}

// spacedNeighbour returns the line before (up) or after the line ln and
// its groups, appended to groups, if that line's groups join ln's: ln's
// start its line and the line before ends with groups of the same width,
// or ln's end it and the next starts so.
func spacedNeighbour(d []byte, ln spacedLine, up bool, groups []window) (spacedLine, []window, bool) {
	if up && (!ln.starts || ln.lo == 0) || !up && (!ln.ends || ln.hi >= len(d)) {
		return spacedLine{}, groups, false
	}
	var lo, hi int
	if up {
		lo, hi = lineOf(d, ln.lo-1)
	} else {
		e := nextNewline(d, ln.hi)
		if e >= len(d) {
			return spacedLine{}, groups, false
		}
		lo, hi = lineOf(d, e+1)
	}
	base := len(groups)
	nb, groups := spacedGroups(d, lo, hi, lo, groups)
	if len(groups) == base || nb.width != ln.width || up && !nb.ends || !up && !nb.starts {
		return spacedLine{}, groups[:base], false
	}
	return nb, groups, true
}

// spacedHexKey reports whether the " 41" at at opens the pairs of the A
// of AKIA or ASIA (either A) in spaced hex: cheap turn-downs first, then
// three bytes before it and four from it, over a line end if need be.
// groups is scratch memory, returned for the next call.
func spacedHexKey(d []byte, at int, groups []window) (bool, []window) {
	if at >= len(d) {
		return false, groups
	}
	return spacedHexKeyIn(d, at, lastNewline(d, 0, at)+1, nextNewline(d, at), groups)
}

// spacedHexKeyIn is spacedHexKey for the place at on the line that starts
// at lo and ends at nl (its line break, or the data's end).
func spacedHexKeyIn(d []byte, at, lo, nl int, groups []window) (bool, []window) {
	if at+3 > len(d) {
		return false, groups
	}
	if at+3 < len(d) {
		if c := d[at+3]; c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '"' && c != '\'' && !isHex(c) && !isPairSep(c) {
			return false, groups
		}
	}
	if at > 0 {
		if c := d[at-1]; c != ' ' && c != '\t' && c != '\n' && !isHex(c) && !isSpacedMark(c) && !isPairSep(c) {
			return false, groups
		}
	}
	if !spacedPairNear(d, at) {
		return false, groups
	}
	// The group the place opens: the lines' reading keeps none of an odd
	// width or wider than 16 digits (a run of hex, hex-small).
	w := 0
	for w <= 16 && at+1+w < len(d) && isHex(d[at+1+w]) {
		w++
	}
	if w%2 != 0 || w > 16 {
		return false, groups
	}
	if w0, w1, long := spacedNearLine(d, at, lo, nl); long {
		d, at = d[w0:w1], at-w0
		lo, nl = max(lo, w0)-w0, min(nl, w1)-w0
	}
	if w == 2 {
		if no, gs := spacedPlainNoKey(d, at, groups); no {
			return false, gs
		} else {
			groups = gs
		}
	}
	if spacedLinesNoKey(d, at, lo, nl) {
		return false, groups // the groups next to it say no (spacednear.go)
	}
	return spacedLinesKey(d, at, groups)
}

// spacedLinesKey is spacedHexKey's reading of the lines: the groups of
// at's line (d is what spacedHexKey reads: a long line's part near at),
// and of the lines above and below it where they join, around at.
func spacedLinesKey(d []byte, at int, groups []window) (bool, []window) {
	lo, hi := lineOf(d, at)
	ln, groups := spacedLineAt(d, lo, hi, at, groups)
	g := -1
	for k := ln.first; k <= ln.last; k++ {
		if groups[k].lo == at+1 {
			g = k
		}
	}
	if g < 0 {
		return false, groups
	}
	// before: the bytes of the groups before g, up to three, last first
	var bb, ab [24]byte
	before, after := bb[:0], ab[:0]
	prepend := func(w window) { // the group's bytes go before the ones read already
		var t [8]byte
		b := groupBytes(t[:0], d, w)
		n := len(before)
		before = before[:n+len(b)]
		copy(before[len(b):], before[:n])
		copy(before, b)
	}
	for k := g - 1; k >= ln.first && len(before) < 3; k-- {
		prepend(groups[k])
	}
	if len(before) < 3 {
		up, ug, ok := spacedNeighbour(d, ln, true, groups)
		if ok {
			for k := up.last; k >= up.first && len(before) < 3; k-- {
				prepend(ug[k])
			}
		}
		groups = ug[:ln.last+1]
	}
	for k := g; k <= ln.last && len(after) < 4; k++ {
		after = groupBytes(after, d, groups[k])
	}
	if len(after) < 4 {
		dn, dg, ok := spacedNeighbour(d, ln, false, groups)
		if ok {
			for k := dn.first; k <= dn.last && len(after) < 4; k++ {
				after = groupBytes(after, d, dg[k])
			}
		}
		groups = dg[:ln.last+1]
	}
	a := string(after[:min(4, len(after))])
	ok := a == "AKIA" || a == "ASIA"
	if !ok && len(before) >= 3 {
		b := string(before[len(before)-3:])
		ok = b == "AKI" || b == "ASI"
	}
	return ok, groups
}

// spacedReach is how far from a place spacedHexKey reads a line that
// goes on further than that: the bytes it asks for lie within a few
// groups of the place, or on the lines just above and below it.
const spacedReach = 128

// spacedNear reports the part of d that spacedHexKey reads around at
// when at's line goes on more than spacedReach bytes before or after it
// (long): the line's bounds and its groups cost the whole line, and one
// long line of hex with a " 41" every twenty bytes made each place cost
// the line, the whole text's reading quadratic (attack text hex-small, 4
// MiB on one line: TestBudgetChargesAttacks did not end). A line within
// reach both ways is read whole, as before.
func spacedNear(d []byte, at int) (lo, hi int, long bool) {
	lo, hi = max(0, at-spacedReach), min(len(d), at+spacedReach)
	startNear := lo == 0 || bytes.IndexByte(d[lo:at], '\n') >= 0
	endNear := hi == len(d) || bytes.IndexByte(d[at:hi], '\n') >= 0
	return lo, hi, !startNear || !endNear
}

// spacedNearLine is spacedNear for the place at on the line that starts
// at lo and ends at nl (its line break, or the data's end).
func spacedNearLine(d []byte, at, lo, nl int) (w0, w1 int, long bool) {
	w0, w1 = max(0, at-spacedReach), min(len(d), at+spacedReach)
	startNear := w0 == 0 || lo-1 >= w0
	endNear := w1 == len(d) || nl < w1
	return w0, w1, !startNear || !endNear
}

// spacedPairNear is spacedHexKey's second turn-down, a few bytes read:
// the pair after the A's (past a blank or separator) is a K's or an S's
// (4b, 53), or the pair before it an I's (49), or a line's end or start
// stands between, where the lines are read. Code's numbers after a blank
// or comma (40, 41, 42) fail it.
func spacedPairNear(d []byte, at int) bool {
	j := at + 3
	for n := 0; n < 4 && j < len(d) && (d[j] == ' ' || d[j] == '\t' || isPairSep(d[j])); n++ {
		j++ // none within an xxd group (414b)
	}
	if j+1 >= len(d) || d[j] == '\n' || d[j] == '\r' || d[j] == '"' || d[j] == '\'' || d[j] == '|' {
		return true // at a line's end: the next line's pairs
	}
	if d[j] == '4' && d[j+1]|0x20 == 'b' || d[j] == '5' && d[j+1] == '3' {
		return true
	}
	p := at + 1
	for n := 0; n < 4 && p > 0 && (d[p-1] == ' ' || d[p-1] == '\t' || isPairSep(d[p-1])); n++ {
		if d[p-1] == ':' && !isHex(d[p]) {
			break // xxd's offset
		}
		p--
	}
	if p < 2 || d[p-1] == '\n' || !isHex(d[p-1]) || !isHex(d[p-2]) {
		return true // at a line's start (after an offset, a mark): the line before
	}
	return d[p-2] == '4' && d[p-1] == '9'
}

// groupBytes appends to b the bytes of the group g of d (at most eight).
func groupBytes(b []byte, d []byte, g window) []byte {
	for i := g.lo; i+1 < g.hi && i < g.lo+16; i += 2 {
		b = append(b, byte(hexDigit[d[i]])<<4|byte(hexDigit[d[i+1]]))
	}
	return b
}

// spacedPlace reads the place at the prefilter reported (" 41"), and
// returns where the prefilter may go on from (0: from the next report).
// The places after a place taken on its line are not read:
// decodeSpacedHex reads a place's line whole, and passes over them (a
// line of keys, "41 4b 49 41" repeated, had each place read and
// queued). Places that are surely no key's are passed over by the
// stretch of plain pairs they stand in (spacedPlainSkip,
// spacedPlainLines).
func (m *match) spacedPlace(at int) int {
	sc := m.scratch
	if at < sc.spacedSkip {
		return 0 // passed over: the prefilter reports the rest of its block
	}
	d := m.data
	lo, nl := m.placeLine(at)
	keys := true
	if at < sc.spacedDone {
		keys = false
	} else if ok, gs := spacedHexKeyIn(d, at, lo, nl, sc.spacedGroups); ok {
		m.queue(queueCost)
		sc.spaced = append(sc.spaced, at)
		_, sc.spacedDone, _ = spacedSpan(d, at)
		keys = false
	} else {
		sc.spacedGroups = gs
	}
	skip := spacedPlainSkip(d, at, keys)
	if skip == 0 && keys {
		skip = spacedPlainLinesIn(d, at, lo)
	}
	if skip == 0 {
		// a long line's places (spacednear.go): passed over here, or by
		// the prefilter too where no other pattern can stand
		e, to := spacedLongSkip(d, at, lo, nl, keys)
		if e == 0 && at >= sc.spacedFail {
			var fail int
			e, to, fail = spacedLinesSkip(d, at, lo, nl)
			sc.spacedFail = max(sc.spacedFail, fail)
		}
		if e == 0 {
			e, to = spacedChainSkip(d, at, lo, nl, keys)
		}
		if !keys {
			e = min(e, sc.spacedDone)
		}
		sc.spacedSkip = max(sc.spacedSkip, e)
		skip = min(to, e)
	}
	if !keys {
		skip = min(skip, sc.spacedDone)
	}
	sc.spacedSkip = max(sc.spacedSkip, skip)
	return skip
}

// spacedPlainLines is spacedPlainSkip for short lines of plain pairs (at
// most spacedReach bytes; a line's blanks, its pairs parted by one blank
// or tab each, blanks, a CR): from the place to the start of the last
// plain line read (within spacedSkipReach; the place's line and the one
// above it plain too), where the lines' reading of each place is its
// line's pairs and the plain lines' above and below it, and so up to the
// line where four pairs read across the lines from the line above at's on
// first spell AKIA or ASIA. No pattern holds a line break, so a pattern
// whose pair lies before the end is wholly on plain lines: a place.
func spacedPlainLines(d []byte, at int) int {
	return spacedPlainLinesIn(d, at, lastNewline(d, 0, at)+1)
}

// spacedPlainLinesIn is spacedPlainLines for the place at on the line
// that starts at lo.
func spacedPlainLinesIn(d []byte, at, lo int) int {
	if d[at] != ' ' && d[at] != '\t' || !spacedPair(d, at+1) {
		return 0 // no plain line's place (hex-small's pairs are glued)
	}
	if at > spacedReach && lo-1 < at-spacedReach {
		return 0 // the line starts beyond reach
	}
	var key uint32
	start := lo
	if lo > 0 {
		start = lastNewline(d, max(0, lo-1-spacedReach), lo-1) + 1
		if start == max(0, lo-1-spacedReach) && lo-1 > spacedReach {
			return 0
		}
	}
	end := 0 // the start of the last plain line read
	for i := start; i < len(d) && i-at < spacedSkipReach; {
		e, ok := spacedPlainLine(d, i, &key)
		if !ok {
			break
		}
		end, i = i, e
	}
	if end <= lo {
		return 0 // the lines above at's and at's own are not both plain
	}
	return end
}

// spacedPlainLine reads the line from lo if it is plain, at most
// spacedReach bytes: the pairs' bytes go into key (a key's four bytes make
// it no plain line), and it returns the next line's start.
func spacedPlainLine(d []byte, lo int, key *uint32) (int, bool) {
	i := lo
	for i < len(d) && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	n := 0
	// a pair: two digits and no third (hexDigit: -1 for no digit)
	for i-lo <= spacedReach && i+2 < len(d) && hexDigit[d[i]]|hexDigit[d[i+1]] >= 0 && hexDigit[d[i+2]] < 0 {
		*key = *key<<8 | uint32(hexDigit[d[i]])<<4 | uint32(hexDigit[d[i+1]])
		if *key == 0x414b4941 || *key == 0x41534941 {
			return 0, false
		}
		n++
		i += 2
		if i+1 < len(d) && (d[i] == ' ' || d[i] == '\t') && hexDigit[d[i+1]] >= 0 {
			i++
		}
	}
	for i < len(d) && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r') {
		i++
	}
	if n == 0 || i >= len(d) || d[i] != '\n' || i-lo > spacedReach {
		return 0, false
	}
	return i + 1, true
}

// decodeSpacedHex reads back the spaced hex around each place
// spacedHexKey took (m.scratch.spaced), a block of dump lines or the pairs
// of one line, and scans the bytes as text (or as a binary member), each
// finding at its pairs with the encoding hexdump. A file that is a dump
// from its first line is read whole by decodeHexdump instead.
func (m *match) decodeSpacedHex() {
	if m.wholeFile() == wholeHexdump {
		return
	}
	d := m.data
	done, deduped := 0, false
	var index dumpIndex // after the first pass: m.out by rule and value
	for _, at := range m.scratch.spaced {
		if at < done || m.spent() {
			continue
		}
		segs, e := m.spacedBlock(at, done)
		done = max(done, e)
		if len(segs) == 0 {
			continue
		}
		n := segs[len(segs)-1].char
		if !m.spendBytes(decodeStep, 3*n, m.decodeCost()) {
			continue // the check budget is spent: counted (Counts.Unchecked)
		}
		dec := make([]byte, 0, n)
		for _, g := range m.scratch.spacedGroups {
			dec = groupBytes(dec, d, g)
		}
		start := func(i int) int { return spacedRaw(segs, i) }
		end := func(i int) int { return spacedRaw(segs, i-1) + 2 }
		if !mostlyText(dec) {
			m.embed(dec, segs[0].raw, "hexdump")
			continue
		}
		if deduped {
			index.skip(m.out) // what was added since (embed)
		}
		m.subScan(dec, "hexdump", start, end)
		if !deduped || index.add(m.out) {
			m.oncePerDumpLine()
			deduped = true
			index.reset(d, m.out)
		}
	}
}

// spacedBlock returns the groups of the dump lines around the place at
// (in m.scratch.spacedGroups) and where each starts (segs: its first
// byte's index in the decoded bytes, its first digit's offset; a last
// entry holds the count of bytes), and where the block ends. The lines are
// those whose groups join the line of at's going up (to no further than
// from, where the block before ended) and down, up to maxSpacedBlock of
// text; the pairs of a line that is not all a dump's are read alone.
func (m *match) spacedBlock(at, from int) ([]seg, int) {
	d := m.data
	lo, hi, cut := spacedSpan(d, at)
	cur, out := spacedLineAt(d, lo, hi, at, m.scratch.spacedGroups[:0])
	if cur.last < cur.first {
		m.scratch.spacedGroups = out
		return nil, hi
	}
	first := cur
	for top := cur; !cut; {
		up, ug, ok := spacedNeighbour(d, top, true, out[:cur.last+1])
		out = ug[:cur.last+1]
		if !ok || up.lo < from || lo-up.lo > maxSpacedBlock/2 {
			break
		}
		top, first = up, up
	}
	if first.lo != cur.lo {
		cur, out = spacedGroups(d, first.lo, first.hi, first.lo, out[:0])
	}
	end := cur.hi
	for !cut {
		base := len(out)
		dn, dg, ok := spacedNeighbour(d, cur, false, out)
		if !ok || dn.hi-first.lo > maxSpacedBlock {
			out = dg[:base]
			break
		}
		out, cur, end = dg, dn, dn.hi
	}
	m.scratch.spacedGroups = out
	segs := m.scratch.spacedSegs[:0]
	n := 0
	for _, g := range out {
		segs = append(segs, seg{n, g.lo})
		n += (g.hi - g.lo) / 2
	}
	segs = append(segs, seg{n, end})
	m.scratch.spacedSegs = segs
	return segs, end
}

// spacedSpan returns the line that holds at as spacedBlock reads it: the
// whole line (lineOf) where it starts and ends within maxSpacedBlock/2 of
// at, else (cut) from a group's start at most 64 bytes before at to
// maxSpacedBlock bytes after it, where a group ends: one line of spaced
// hex is read a block at a time, as lines are (a 16 MiB line of "41 4b 49
// 41" was read whole, 90 MB of groups).
func spacedSpan(d []byte, at int) (lo, hi int, cut bool) {
	from, to := max(0, at-maxSpacedBlock/2), min(len(d), at+maxSpacedBlock/2)
	lo = from + bytes.LastIndexByte(d[from:at], '\n') + 1
	hi = to
	if k := bytes.IndexByte(d[at:to], '\n'); k >= 0 {
		hi = at + k
	}
	if lo == from && from > 0 && d[from-1] != '\n' || hi == to && to < len(d) && d[to] != '\n' {
		lo, hi = max(lo, at-64), min(len(d), max(hi, at+maxSpacedBlock))
		if k := bytes.IndexByte(d[at:hi], '\n'); k >= 0 {
			hi = at + k
		}
		for lo < at && lo > 0 && isHex(d[lo-1]) {
			lo++
		}
		for hi > at+1 && hi < len(d) && isHex(d[hi]) {
			hi--
		}
		return lo, hi, true
	}
	if hi > lo && d[hi-1] == '\r' {
		hi--
	}
	return lo, hi, false
}

// spacedLineAt returns the groups of the line [lo,hi) that hold at: the
// whole line's, or else those of the run of pairs and blanks around at
// (Python's bytes.fromhex("41 4b …") on a line of code).
func spacedLineAt(d []byte, lo, hi, at int, groups []window) (spacedLine, []window) {
	ln, groups := spacedGroups(d, lo, hi, lo, groups[:0])
	for k := ln.first; k <= ln.last; k++ {
		if groups[k].lo <= at+1 && at+1 < groups[k].hi {
			return ln, groups
		}
	}
	s := at
	for s > lo && (isHex(d[s-1]) || d[s-1] == ' ' || d[s-1] == '\t' || isPairSep(d[s-1])) {
		s--
	}
	for s < at && !isHex(d[s]) {
		s++ // "key: 41:4b…": from the first pair
	}
	return spacedGroups(d, lo, hi, s, groups[:0])
}

// spacedRaw is the offset of the first digit of decoded byte i (segs as
// spacedBlock returns them).
func spacedRaw(segs []seg, i int) int {
	i = max(i, 0)
	lo, hi := 0, len(segs)-2
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if segs[mid].char <= i {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return segs[lo].raw + 2*(i-segs[lo].char)
}

// Plain spaced hex. Most places are pairs of two digits parted by one
// blank (od -An -tx1, bytes.fromhex), and on such text the bytes the
// lines' reading (spacedLineAt, spacedNeighbour) gives around a place are
// the pairs read one by one: spacedPlainNoKey reads them so, a few bytes
// a pair, and turns the place down when neither the four bytes from its
// A nor the three before it can be a key's. Where the text is not that
// plain (wider groups, offsets, ASCII columns, two blanks) it answers
// nothing and the lines are read. On one line of " 41 4b" repeated each
// place cost a line reading of 256 bytes (3.5 MB per CPU second).

// Where spacedStep finds the text after a pair.
const (
	stepPair  = iota // another pair of the line follows
	stepLine         // the line ends (at most a separator and blanks first)
	stepEnd          // the text ends
	stepOther        // anything else: the lines' reading decides
)

// spacedPair reports whether a group of exactly two digits starts at i.
func spacedPair(d []byte, i int) bool {
	return i >= 0 && i+1 < len(d) && isHex(d[i]) && isHex(d[i+1]) && (i+2 == len(d) || !isHex(d[i+2]))
}

// pairByte is the byte of the two digits at i.
func pairByte(d []byte, i int) byte { return byte(hexDigit[d[i]])<<4 | byte(hexDigit[d[i+1]]) }

// spacedStep reads what follows a pair that ends at j: the next pair's
// start, parted as spacedGroups parts groups (a blank or tab; a colon,
// comma or dash; a comma or dash and a blank; never a colon and a blank,
// which ends an offset), or the next line's start where the line ends as
// onlySuffixAfter lets it end (a separator, blanks or tabs, CR).
func spacedStep(d []byte, j int) (int, int) {
	if j >= len(d) {
		return j, stepEnd
	}
	switch c := d[j]; {
	case (c == ' ' || c == '\t') && j+1 < len(d) && isHex(d[j+1]):
		return j + 1, stepPair
	case isPairSep(c) && j+1 < len(d) && isHex(d[j+1]):
		return j + 1, stepPair
	case (c == ',' || c == '-') && j+2 < len(d) && d[j+1] == ' ' && isHex(d[j+2]):
		return j + 2, stepPair
	}
	k := j
	if isPairSep(d[k]) {
		k++
	}
	for k < len(d) && (d[k] == ' ' || d[k] == '\t' || d[k] == '\r') {
		k++
	}
	switch {
	case k == len(d):
		return k, stepEnd
	case d[k] == '\n':
		return k + 1, stepLine
	}
	return k, stepOther
}

// spacedLinePrefix returns where a line that starts at lo has its first
// group, past what spacedGroups passes over first: blanks, up to three
// comment marks or quotes, blanks.
func spacedLinePrefix(d []byte, lo int) int {
	i := lo
	for i < len(d) && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	for k := 0; k < 3 && i < len(d) && isSpacedMark(d[i]); k++ {
		i++
	}
	for i < len(d) && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	return i
}

// spacedFirstPlain reports whether the pair at i, a line's first group,
// is read as a group and not as an offset (a colon after it; a shorter
// group after it) and so is every plain pair after it.
func spacedFirstPlain(d []byte, i int) bool {
	if i+2 < len(d) && d[i+2] == ':' {
		return false
	}
	next, step := spacedStep(d, i+2)
	return step != stepPair || next+1 < len(d) && isHex(d[next+1])
}

// spacedPlainAfter returns the bytes of the plain pairs from the one at
// i on, up to four: on its line and, where the line ends, on the next
// (from its start; the lines' reading joins one line at most). sure is
// false where the text is not plain.
func spacedPlainAfter(d []byte, i int) (b [4]byte, n int, sure bool) {
	crossed := false
	for {
		if !spacedPair(d, i) {
			return b, n, false
		}
		b[n] = pairByte(d, i)
		n++
		if n == 4 {
			return b, n, true
		}
		next, step := spacedStep(d, i+2)
		switch step {
		case stepPair:
			i = next
			continue
		case stepEnd:
			return b, n, true
		case stepOther:
			return b, n, false
		}
		if crossed {
			return b, n, true
		}
		crossed = true
		i = spacedLinePrefix(d, next)
		if i >= len(d) || !isHex(d[i]) {
			// the next line has no group: nothing joins, unless a log's
			// prefix stands before its offset (spacedGroups reads it)
			return b, n, i >= len(d) || loggedOffset(d, next, nextNewline(d, next)) == 0
		}
		if !spacedFirstPlain(d, i) {
			return b, n, false
		}
	}
}

// spacedPlainNoKey reports whether the place at (its A's pair at at+1, two
// digits) is surely no key's first or last A: the four plain bytes from it
// are no AKIA or ASIA, and the three plain bytes before it no AKI or ASI,
// read on its line and, at the line's start, from the groups of the line
// above as spacedNeighbour reads them. groups is scratch memory.
func spacedPlainNoKey(d []byte, at int, groups []window) (bool, []window) {
	a, n, sure := spacedPlainAfter(d, at+1)
	if !sure || n == 4 && (string(a[:]) == "AKIA" || string(a[:]) == "ASIA") {
		return false, groups
	}
	var b [3]byte
	k := 3 // b[k:] read, last first
	i := at + 1
	for k > 0 {
		// what stands before the pair at i: a separator after a pair, or
		// the line's prefix
		e := -1
		switch s := i - 1; {
		case s < 0:
		case (d[s] == ' ' || d[s] == '\t') && s > 0 && isHex(d[s-1]):
			e = s
		case isPairSep(d[s]) && s > 0 && isHex(d[s-1]):
			e = s
		case d[s] == ' ' && s > 1 && (d[s-1] == ',' || d[s-1] == '-') && isHex(d[s-2]):
			e = s - 1
		}
		if e >= 0 {
			if !spacedPair(d, e-2) || e-3 >= 0 && isHex(d[e-3]) {
				return false, groups
			}
			k--
			b[k] = pairByte(d, e-2)
			i = e - 2
			continue
		}
		// The line's start: only its prefix before i, and i its first group.
		lo := lastNewline(d, 0, i) + 1
		if spacedLinePrefix(d, lo) != i || !spacedFirstPlain(d, i) {
			return false, groups
		}
		if lo > 0 {
			up, ug, ok := spacedNeighbour(d, spacedLine{lo: lo, width: 2, starts: true}, true, groups[:0])
			for g := up.last; ok && g >= up.first && k > 0; g-- {
				var t [8]byte
				for _, c := range slices.Backward(groupBytes(t[:0], d, ug[g])) {
					if k > 0 {
						k--
						b[k] = c
					}
				}
			}
			groups = ug[:0]
		}
		break
	}
	if k == 0 && (string(b[:]) == "AKI" || string(b[:]) == "ASI") {
		return false, groups
	}
	return true, groups
}

// spacedSkipReach bounds how far spacedPlainSkip reads ahead at a time.
const spacedSkipReach = 4 << 10

// spacedPlainSkip returns where the prefilter may go on from after the
// place at (0: from the next report), in a stretch of pairs parted by one
// blank or tab each: the place and the five pairs before it, and the
// pairs read ahead, up to spacedSkipReach bytes. The only patterns that
// stand wholly in such a stretch are spaced hex's " 41" and "\t41"
// (TestSpacedSkipPatterns), and every pattern is at most 16 bytes, so a
// report whose pair lies before the stretch's end less 16 can only be
// such a place; each of those is no key's A, as spacedPlainNoKey would
// find, where no four pairs of the stretch from five before at spell AKIA
// or ASIA (keys: before the first that does), or all are on a line whose
// spaced hex is read already (!keys). On one line of " 41 4b" repeated
// each place cost a report and a reading of its pairs.
func spacedPlainSkip(d []byte, at int, keys bool) int {
	if at < 15 || at+1 >= len(d) {
		return 0
	}
	var key uint32
	for k := 5; k >= 1; k-- {
		p := at - 3*k
		if c := d[p]; c != ' ' && c != '\t' || !isHex(d[p+1]) || !isHex(d[p+2]) {
			return 0
		}
		key = key<<8 | uint32(pairByte(d, p+1))
	}
	if c := d[at]; c != ' ' && c != '\t' {
		return 0
	}
	i := at + 1
	lim := min(len(d)-2, at+spacedSkipReach)
	for ; i < lim && isHex(d[i]) && isHex(d[i+1]) && (d[i+2] == ' ' || d[i+2] == '\t'); i += 3 {
		key = key<<8 | uint32(pairByte(d, i))
		if keys && (key == 0x414b4941 || key == 0x41534941) {
			i -= 9 // the key's first pair: its place is the blank before it
			break
		}
	}
	// d[at-15:i] holds pairs and one blank or tab after each
	if e := i - 16; e > at {
		return e
	}
	return 0
}
