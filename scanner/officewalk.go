package scanner

import (
	"bytes"
	"math/bits"
	"slices"
	"strings"
)

// officeReach is one walk over an office part, as markupReader.text reads
// it: where a keyword's stretch ends (every officeMarkStep-th byte of the
// text a reader sees is marked), and which bytes are that text and which
// tags break its lines, so that a stretch is read from them without asking
// each tag again (qa20 P1: a keyword every few hundred words made the
// stretches read nearly every tag of a part a second time, 2.4-3.7 times
// the CPU of the same document without them).
type officeReach struct {
	n     int   // the part's bytes
	marks []int // where every officeMarkStep-th byte of the text a reader sees stands
	// the comments and unseen elements the walk skipped whole, in order
	skips []officeSkip
	vis   bitset // the bytes of the text a reader sees
	brk   bitset // the '<' of each tag that breaks a line (breaksLine)
	// namesFull: the walk met more unseen elements' names than
	// unseenCloses searches for, so a stretch read tag by tag from
	// within the part may take another name for one
	namesFull bool
	// cutsValue's last answer, for stretches that start before checkedTo
	checkedTo int
	cuts      bool
}

// officeSkip is a comment or an unseen element, [lo,hi) of the part.
type officeSkip struct {
	lo, hi int
	unseen bool
}

// What the markup at a '<' of an office part is (officeMarkupLen).
const (
	markupText    = iota // a '<' that opens nothing: text
	markupTag            // a tag
	markupBreak          // a tag that breaks a line (breaksLine)
	markupOpaque         // a CDATA section's opening, read past
	markupComment        // a comment, skipped whole
	markupUnseen         // an unseen element (unseenIn, a hidden run), skipped whole
)

// newOfficeReach walks the office part d once: the bytes outside tags,
// comments and the view's unseen elements, as markupReader.text reads
// them, are the text a reader of the view sees. Memory: two bits a byte,
// and a mark every officeMarkStep bytes of text.
func newOfficeReach(d []byte, view officeView) *officeReach {
	r := &officeReach{n: len(d), vis: newBitset(len(d)), brk: newBitset(len(d))}
	u := unseenCloses{view: view}
	seen := 0
	text := func(i, k int) { // d[i:i+k] is text
		r.vis.setRange(i, i+k)
		for next := (seen/officeMarkStep + 1) * officeMarkStep; seen+k >= next; next += officeMarkStep {
			r.marks = append(r.marks, i+next-seen-1)
		}
		seen += k
	}
	for i := 0; i < len(d); {
		k := 0 // most tags of a part follow another
		if d[i] != '<' {
			if k = bytes.IndexByte(d[i:], '<'); k < 0 {
				k = len(d) - i
			}
			text(i, k)
			i += k
		}
		if i >= len(d) {
			break
		}
		n, what := officeMarkupLen(d, i, &u)
		switch what {
		case markupText:
			text(i, 1)
		case markupBreak:
			r.brk.set(i)
		case markupComment, markupUnseen:
			r.skips = append(r.skips, officeSkip{i, i + n, what == markupUnseen})
		}
		i += n
	}
	r.namesFull = len(u.at) >= maxUnseenNames
	return r
}

// officeMarkupLen returns the length of the markup at d[i] (a '<') and
// what it is, as markupReader.text reads it: a comment or an unseen element
// whole, a CDATA section's opening, a tag; 1 for a '<' that opens none.
func officeMarkupLen(d []byte, i int, u *unseenCloses) (int, int) {
	if i+1 < len(d) && d[i+1] == '!' {
		rest := d[i:min(len(d), i+maxCommentBytes)]
		if bytes.HasPrefix(rest, []byte("<!--")) {
			if e := bytes.Index(rest[4:], []byte("-->")); e >= 0 {
				return 4 + e + 3, markupComment
			}
		}
		if bytes.HasPrefix(rest, []byte("<![CDATA[")) {
			return len("<![CDATA["), markupOpaque
		}
	}
	if e := bytes.IndexByte(d[i:min(len(d), i+maxTagBytes)], '>'); e > 0 && i+1 < len(d) && isTagStart(d[i+1]) {
		// The name is read once for both questions: every tag of a part
		// comes here.
		local := localName(d[i+1 : i+e])
		if d[i+1] != '/' && mayBeUnseen(local, u.view) {
			if end := u.end(d, i, i+e); end > 0 {
				return end - i, markupUnseen
			}
		}
		if breaksLocal(local) {
			return e + 1, markupBreak
		}
		return e + 1, markupTag
	}
	return 1, markupText
}

// mayBeUnseen reports whether a start tag of this local name (localName)
// may open an element unseenCloses.end skips in the view: one it hides
// (unseenIn) or a run, which may be hidden. (Its name to a blank is one of
// them only when its letters and digits are.)
func mayBeUnseen(local []byte, view officeView) bool {
	if len(local) == 0 || strings.IndexByte(unseenFirst[view], local[0]) < 0 {
		return false
	}
	return len(local) == 1 && local[0] == 'r' || view.hides(local)
}

// unseenAt answers unseenCloses.end for a tag at lt the walk read: the end
// of the unseen element it starts, or 0; ok is false for a tag inside a
// comment or an unseen element, which the walk did not read.
func (r *officeReach) unseenAt(lt int) (end int, ok bool) {
	k, found := slices.BinarySearchFunc(r.skips, lt, func(s officeSkip, at int) int { return s.lo - at })
	switch {
	case found && r.skips[k].unseen:
		return r.skips[k].hi, true
	case k == 0 || lt >= r.skips[k-1].hi:
		return 0, true
	}
	return 0, false
}

// breaks asks brk for a line break for each tag in d[lo:hi), markup the
// walk read, that breaks a line: as markupReader.text asks reading tag by
// tag.
func (r *officeReach) breaks(d []byte, lo, hi int, brk func(from, to int)) {
	for b := r.brk.next(lo, hi); b < hi; b = r.brk.next(b+1, hi) {
		if e := bytes.IndexByte(d[b:min(hi, b+maxTagBytes)], '>'); e > 0 {
			brk(b, b+e+1)
		}
	}
}

// bitset holds a bit for each byte of a part.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int) { b[i>>6] |= 1 << (i & 63) }

func (b bitset) has(i int) bool { return b[i>>6]>>(i&63)&1 != 0 }

// setRange sets the bits of [lo,hi).
func (b bitset) setRange(lo, hi int) {
	for lo < hi {
		e := min(hi, (lo|63)+1)
		b[lo>>6] |= ^uint64(0) >> (64 - (e - lo)) << (lo & 63)
		lo = e
	}
}

// next returns the first set bit in [from,to), or to.
func (b bitset) next(from, to int) int {
	for from < to {
		if w := b[from>>6] >> (from & 63); w != 0 {
			return min(to, from+bits.TrailingZeros64(w))
		}
		from = (from | 63) + 1
	}
	return to
}

// nextClear returns the first clear bit in [from,to), or to.
func (b bitset) nextClear(from, to int) int {
	for from < to {
		if w := ^b[from>>6] >> (from & 63); w != 0 {
			return min(to, from+bits.TrailingZeros64(w))
		}
		from = (from | 63) + 1
	}
	return to
}
