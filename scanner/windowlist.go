package scanner

import (
	"encoding/binary"
	"slices"
)

// windowList is a list of windows noted in the order of their starts,
// each written as its distance from the start before and its length
// (uvarints): 2 bytes where they are dense and short, where a []window
// takes 16. decodeMarkup's seeds are such lists: the heads of key IDs
// that markup cuts (keyID: AKIA** in Markdown, AKIA<b> in a page), one
// every 6 bytes of a Markdown file of AKIA** repeated, and the key
// prefixes markup splits (markupPrefixSeeds: AK<![CDATA[IA]]>), one every
// 16 bytes. As windows, growing those lists was half of such a scan
// (issue 16: 16 MiB of AKIA** at 19 MB per CPU second).
type windowList struct {
	b    []byte
	last int // the last window's start
}

// add notes the window [lo,hi), and reports false where it cannot, a
// window that starts behind the last: the caller keeps it elsewhere.
func (c *windowList) add(lo, hi int) bool {
	if lo < c.last || hi < lo {
		return false
	}
	if len(c.b)+2*binary.MaxVarintLen64 > cap(c.b) {
		// doubled: append grows a long list by a quarter, and copies it
		// four times over
		c.b = slices.Grow(c.b, max(len(c.b), 64))
	}
	c.b = binary.AppendUvarint(c.b, uint64(lo-c.last))
	c.b = binary.AppendUvarint(c.b, uint64(hi-lo))
	c.last = lo
	return true
}

// empty reports whether no window was noted.
func (c *windowList) empty() bool { return len(c.b) == 0 }

// windowListReader reads a windowList back in order: cur is the next
// window, valid while ok.
type windowListReader struct {
	b   []byte
	at  int
	cur window
	ok  bool
}

// reader returns a reader at c's first window.
func (c *windowList) reader() windowListReader {
	r := windowListReader{b: c.b}
	r.next()
	return r
}

// next moves r to the next window.
func (r *windowListReader) next() {
	if len(r.b) == 0 {
		r.ok = false
		return
	}
	delta, n := binary.Uvarint(r.b)
	r.b = r.b[n:]
	width, n := binary.Uvarint(r.b)
	r.b = r.b[n:]
	r.at += int(delta)
	r.cur, r.ok = window{r.at, r.at + int(width)}, true
}

// appendDoubling is append for a list that may hold an entry for every
// few bytes of the input (the split heads of a file of s += "AKIA" lines,
// one every 13 bytes): it doubles the list when full, where append grows
// a long list by a quarter and copies it four times over, each time into
// memory the system has to hand over again (a third of such a scan,
// issue 16).
func appendDoubling[T any](s []T, v T) []T {
	if len(s) == cap(s) {
		s = slices.Grow(s, max(len(s), 16))
	}
	return append(s, v)
}
