package scanner

import (
	"bytes"
	"cmp"
	"sort"
)

// The parents of a line, at any distance. A bare secret's parents say whose
// it is (keywordParent, blockEvidence): aws: or [mail.ses] above
// secret_key: makes it AWS's, stripe: another system's. The walks up from
// the value read the lines above it within parentBytes, and that is where
// most parents stand; but a parent is a parent however many siblings and
// their blocks stand between (a long aws: section, a config of a thousand
// lines under one [default]), and a look bounded by bytes read the
// nearest parent inside the window as the value's, or none, where the real
// one stood further up (qa28 M2). So where the window runs out, the walks
// go on with the lines open above it, exactly: the nearest line above
// indented less than the last parent, then the nearest indented less than
// that, up to an INI section header or TOML table (which holds every line
// below it up to the next one, indented or not), as the walk would find
// them line by line.
//
// Those lines are read from parentIndex, which reads the input's lines
// once, forward, keeping a stack of the open ones: a line closes (pops)
// the open lines indented as much as it or more and opens itself; a
// header closes them all. The lines open at a line are its parents, the
// nearest last, with their indentations rising strictly (a header counts
// as -1), so a walk finds the ones indented less than its last parent by a
// binary search. Blank and comment lines open and close nothing, as the
// walks pass over them. Asking in the input's order, as the matcher does,
// each line is read once: an input of N bytes costs N, however many values
// ask and however far their parents stand, and its memory is the deepest
// stack (a line of indentation or more each, bounded by the input). A
// question about a line the index has passed (a second pass of the
// matcher, a value-first layout) starts again from the last copy of the
// stack kept at least parentMarkEvery bytes before it, or from the start
// when the stack was deeper than parentMarkDepth at every copy since
// (pathological indentation); what it reads again is charged to the
// input's check budget (work.go), so that no order of questions makes the
// cost grow faster than the input.

// openLine is a line that holds text, open at the lines below it that are
// indented more (or at any line below it, up to the next header, when it
// is a header).
type openLine struct {
	start, end int // the line, without its newline
	indent     int // indentOf the line; -1 for a header
}

// parentIndex reads the lines of an input forward once (see above).
type parentIndex struct {
	pos   int        // the lines that start before pos are read; a line's start
	open  []openLine // the lines open at pos, outermost first
	marks []parentMark
	saved []openLine // the marks' copies of open, one after another
	every int        // tests only: parentMarkEvery when 0
}

// parentMark is a copy of parentIndex.open at pos: saved[from:to].
type parentMark struct{ pos, from, to int }

// The index keeps a copy of its stack every parentMarkEvery bytes when it
// is no deeper than parentMarkDepth lines: at most 16 KiB read again for a
// question behind it, and 64 lines (1.5 KiB) kept each 16 KiB.
const (
	parentMarkEvery = 16 << 10
	parentMarkDepth = 64
)

// openAt returns the lines open at the line holding i (those above it that
// may be its parents), outermost first; valid until the next call.
func (m *match) openAt(i int) []openLine {
	p := &m.parents
	d := m.data
	i = min(i, len(d))
	if i < p.pos {
		// Behind the index: start again from the last copy before i.
		k := sort.Search(len(p.marks), func(k int) bool { return p.marks[k].pos > i })
		p.pos, p.open = 0, p.open[:0]
		if k > 0 {
			mk := p.marks[k-1]
			p.pos, p.open = mk.pos, append(p.open, p.saved[mk.from:mk.to]...)
		}
		m.costBytes(i-p.pos, 1)
	}
	for p.pos < i {
		j := bytes.IndexByte(d[p.pos:i], '\n')
		if j < 0 {
			break // i is on the line at pos
		}
		e := p.pos + j
		m.looked += e + 1 - p.pos
		p.read(d, p.pos, e)
		p.pos = e + 1
		if n := len(p.marks); len(p.open) <= parentMarkDepth && p.pos-lastMark(p.marks) >= cmp.Or(p.every, parentMarkEvery) {
			if n == 0 || p.marks[n-1].pos < p.pos {
				from := len(p.saved)
				p.saved = append(p.saved, p.open...)
				p.marks = append(p.marks, parentMark{pos: p.pos, from: from, to: len(p.saved)})
			}
		}
	}
	return p.open
}

// lastMark is where the last mark stands, 0 when there is none.
func lastMark(marks []parentMark) int {
	if len(marks) == 0 {
		return 0
	}
	return marks[len(marks)-1].pos
}

// read takes in the line d[s:e].
func (p *parentIndex) read(d []byte, s, e int) {
	line := d[s:e]
	in := indentOf(line)
	if in == len(line) || line[in] <= ' ' || line[in] >= 0x80 || line[in] == '#' || line[in] == ';' || line[in] == '/' || line[in] == '[' {
		// Not a plain line, as most lines of a long file are: it may be
		// blank, a comment or a header.
		t := bytes.TrimSpace(line)
		if len(t) == 0 || isComment(t) {
			return
		}
		if line[0] == '[' && iniHeader(line) {
			p.open = append(p.open[:0], openLine{start: s, end: e, indent: -1})
			return
		}
	}
	k := len(p.open)
	for k > 0 && p.open[k-1].indent >= in {
		k--
	}
	p.open = append(p.open[:k], openLine{start: s, end: e, indent: in})
}

// parentsAbove returns the lines open at the line holding i that are
// indented less than indent (a header is), outermost first: the parents
// the walk up from i finds past its lines indented indent or more.
func (m *match) parentsAbove(i, indent int) []openLine {
	open := m.openAt(i)
	k := sort.Search(len(open), func(k int) bool { return open[k].indent >= indent })
	return open[:k]
}
