package scanner

// Base64 wrapped in lines (base64(1) and MIME at 76 columns, PEM at 64, a
// JSON string's \n escapes, a YAML | block) cuts the encoding of an anchor
// wherever the text falls: where the break stands inside the encoded AKIA,
// aws_ or secret, the prefilter, which reads the bytes as they stand, sees
// no anchor, and the run was not decoded (qa17 H2: a note holding a key ID
// was missed at one shift in six, a UTF-16 mail body more often). So the
// pieces of each first-level form that stand whole on one side of any cut
// (anchorB64Cut in prefilter.go) are anchors as well. Where one stands
// beside a line break, the characters on either side of the break are
// joined and looked through for a base64 anchor the break cuts; its place,
// on the line before the break, is a base64 anchor like any other, and
// decodeBase64 joins the run's lines from there. A piece that stands
// nowhere near a break (most of them, in text or in a base64 line) costs
// the length of its run and no more.

// cutReach is how far from a line break a piece can stand and still be
// part of an anchor the break cuts: the longest form (AKIA in UTF-16LE,
// ten characters) less one.
const cutReach = 9

// maxCutGap bounds what may stand between the two lines of a run: a
// carriage return, blanks that end the line, and the next line's
// indentation and quote (decodeBase64's 16 bytes).
const maxCutGap = 48

// b64Cut returns where a base64 anchor that a line break cuts starts, when
// the piece at at stands beside such a break, or -1. The line before the
// break must be one decodeBase64 joins to the next: a run of 60 or more
// characters, a multiple of four (so that the break stands between two
// groups, where the pieces were chosen for); a piece in code, beside a
// line's end, is turned down there, before the lines are joined.
//
// Both ways, the run is read no further than the reach needs (qa review16
// reading each piece's whole run made a one-line base64 text cost the
// square of its length). Forward, a run read cutReach+1 bytes without its
// end is too long. Backward, escLineStart moves a run's start on by at
// most escBreakSkip bytes, so a start found no nearer than
// cutReach+escBreakSkip+1 bytes back is beyond the reach, wherever the
// run really starts.
func b64Cut(d []byte, at int) int {
	hi := min(len(d), at+cutReach+1)
	if r := b64RunEnd(d[:hi], at); r < hi && fullLine(d, r) {
		if ns := nextCutLine(d, r); ns >= 0 {
			if a := cutAnchor(d, r, ns); a >= 0 {
				return a
			}
		}
	}
	lo := max(0, at-cutReach-escBreakSkip-1)
	rs := lo + b64RunStart(d[lo:], at-lo)
	if rs == lo && lo > 0 {
		return -1
	}
	s := escLineStart(d, rs)
	if s <= at && at-s <= cutReach && s > 0 {
		if pe := prevCutLine(d, s); pe >= 0 && fullLine(d, pe) {
			return cutAnchor(d, pe, s)
		}
	}
	return -1
}

// fullLine reports whether the run that ends at e is a full line of a
// wrapped run: minWrapWidth or more characters, a multiple of four. A
// piece near a line's end is rare, so the line is read back whole.
func fullLine(d []byte, e int) bool {
	w := e - escLineStart(d, b64RunStart(d, e))
	return w >= minWrapWidth && w%4 == 0
}

// escBreakSkip is the most escLineStart moves a run's start on: the
// letters of an escaped line break ("u000a").
const escBreakSkip = 5

// minWrapWidth is the narrowest line decodeBase64 joins (b64Span).
const minWrapWidth = 60

// nextCutLine returns where the base64 of the next line starts after the
// run that ends at r: past an escaped line break ("\n", "\r\n", escaped
// twice), or past one line break and the bytes that are no base64 around
// it, and a quote of "+" or "//" (a literal's "…" + line, a comment's
// // ). It returns -1 where no line break ends the run.
func nextCutLine(d []byte, r int) int {
	if d[r] == '\\' {
		if k := escBreakAfter(d, r); k >= 0 && k < len(d) && isB64(d[k]) {
			return k
		}
		return -1
	}
	lines := 0
	for i := r; i < len(d) && i-r <= maxCutGap; {
		switch c := d[i]; {
		case c == '\n':
			lines++
			i++
		case !isB64(c):
			i++
		default:
			j := i
			for j < len(d) && j-i < 2 && (d[j] == '+' || d[j] == '/') {
				j++
			}
			if j > i && j < len(d) && !isB64(d[j]) {
				i = j // a "+" or "//" between the lines
				continue
			}
			if lines != 1 {
				return -1
			}
			return i
		}
	}
	return -1
}

// prevCutLine returns where the base64 of the line before the run that
// starts at s ends: nextCutLine read back.
func prevCutLine(d []byte, s int) int {
	if e := escBreakBefore(d, s); e >= 0 {
		if e > 0 && isB64(d[e-1]) {
			return e
		}
		return -1
	}
	lines := 0
	for i := s - 1; i >= 0 && s-1-i <= maxCutGap; {
		switch c := d[i]; {
		case c == '\n':
			lines++
			i--
		case !isB64(c):
			i--
		default:
			j := i
			for j >= 0 && i-j < 2 && (d[j] == '+' || d[j] == '/') {
				j--
			}
			if j < i && j >= 0 && !isB64(d[j]) {
				i = j
				continue
			}
			if lines != 1 {
				return -1
			}
			return i + 1
		}
	}
	return -1
}

// cutAnchor returns where a base64 anchor starts that stands across the
// break between the run ending at pe and the one starting at ns, or -1:
// the last cutReach characters before the break and the first after it
// are joined and each anchor is tried at the places where it would hold
// characters of both. Of the anchors that stand there, the first in
// patterns' order wins, at its first place (as trying each anchor in turn
// would answer); the places are tried once each, against the anchors
// their byte starts (cutAnchors: a line break of wrapped base64 tried all
// the anchors at every place, 2,000 instructions a break, half of
// Attacks/base64-escapes).
func cutAnchor(d []byte, pe, ns int) int {
	a := pe
	for a > 0 && pe-a < cutReach && isB64(d[a-1]) {
		a--
	}
	var buf [2 * cutReach]byte
	lt := copy(buf[:], d[a:pe])
	n := lt
	for i := ns; i < len(d) && i-ns < cutReach && isB64(d[i]); i++ {
		buf[n] = d[i]
		n++
	}
	w := buf[:n]
	best, at := -1, -1
	for p := range lt {
		for _, e := range b64CutAnchors.first[w[p]] {
			t := e.text
			if (best >= 0 && int(e.order) >= best) || p+len(t) <= lt || p+len(t) > n || string(w[p:p+len(t)]) != t {
				continue
			}
			best, at = int(e.order), a+p
		}
	}
	return at
}

// cutAnchorIndex holds the base64 anchors (anchorBase64 in patterns) by
// their first byte, each with its rank among them, for cutAnchor.
type cutAnchorIndex struct {
	first [256][]cutAnchorEntry
}

type cutAnchorEntry struct {
	text  string
	order uint16 // its place among the base64 anchors, in patterns' order
}

// b64CutAnchors is built once from patterns, as defaultPrefilter is.
var b64CutAnchors = newCutAnchorIndex(patterns)

func newCutAnchorIndex(pats []pattern) *cutAnchorIndex {
	x := &cutAnchorIndex{}
	order := 0
	for _, pt := range pats {
		if pt.kind != anchorBase64 {
			continue
		}
		x.first[pt.text[0]] = append(x.first[pt.text[0]], cutAnchorEntry{text: pt.text, order: uint16(order)})
		order++
	}
	return x
}
