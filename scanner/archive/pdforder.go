package archive

import (
	"bytes"
	"cmp"
	"math"
	"slices"
)

// A content stream may draw a page's text in any order: a table filled
// column by column, a stamp or a form flattened on top, text an editor
// added, or a key whose right half is drawn before its left half (qa16
// HIGH-25). Readers and pdftotext place each run where its text matrix
// puts it. pdfText joins runs in the order they are drawn, which is the
// reading order of nearly every page; pdfPlaces follows where each run
// lands, and when that order is another, the page's text is given a
// second time in it: lines from the top, runs on a line from the left.

// pdfRun is one string drawn: its baseline, where it starts and (as far
// as a width estimated from the font size tells) ends.
type pdfRun struct {
	y, x, end, size float64
	text            []byte
}

// pdfPlaces tracks the text state pdfText needs to place its runs: the
// text and line matrices' translation, the font size and the leading, and
// the page's transformation (cm, saved and restored by q and Q), through
// which a run is placed on the page: a writer may move to a run with cm
// as well as with Td.
type pdfPlaces struct {
	x, y, lineX, lineY float64
	size, leading      float64
	ctm                pdfMatrix
	saved              []pdfMatrix
	runs               []pdfRun
	bytes              int
}

// pdfMatrix is an affine transformation [a b c d e f], as PDF writes one.
type pdfMatrix [6]float64

var pdfIdentity = pdfMatrix{1, 0, 0, 1, 0, 0}

// apply maps the point (x, y).
func (m pdfMatrix) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

// times is m applied before n: what cm makes of the current matrix n.
func (m pdfMatrix) times(n pdfMatrix) pdfMatrix {
	return pdfMatrix{m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3], m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5]}
}

// maxSaved bounds q's stack: a stream of a million q is no page.
const maxSaved = 64

// transform is cm.
func (p *pdfPlaces) transform(m pdfMatrix) { p.ctm = m.times(p.ctm) }

// save and restore are q and Q.
func (p *pdfPlaces) save() {
	if len(p.saved) < maxSaved {
		p.saved = append(p.saved, p.ctm)
	}
}

func (p *pdfPlaces) restore() {
	if n := len(p.saved); n > 0 {
		p.ctm, p.saved = p.saved[n-1], p.saved[:n-1]
	}
}

// pdfGlyph is the width a glyph is taken to have, in font size units:
// Courier's, and about the mean of the proportional standard fonts'. A
// run's end is an estimate; two runs whose estimated ends and starts meet
// within pdfJoinGap of the font size are joined without a space.
const (
	pdfGlyph   = 0.6
	pdfJoinGap = 0.3
)

// maxPlacedRuns bounds the runs kept for the second order: a page of
// more is given in drawing order only.
const maxPlacedRuns = 20000

func (p *pdfPlaces) begin() { p.x, p.y, p.lineX, p.lineY = 0, 0, 0, 0 }

// move is Td (and TD, which also sets the leading).
func (p *pdfPlaces) move(tx, ty float64) {
	p.lineX += tx
	p.lineY += ty
	p.x, p.y = p.lineX, p.lineY
}

// matrix is Tm: its translation.
func (p *pdfPlaces) matrix(e, f float64) {
	p.lineX, p.lineY, p.x, p.y = e, f, e, f
}

// nextLine is T*, and the move ' and " make first.
func (p *pdfPlaces) nextLine() { p.move(0, -p.leading) }

// draw records a run and moves the pen past it; shift is TJ's adjustments
// in thousandths of the font size (positive moves left).
func (p *pdfPlaces) draw(text []byte, glyphs int, shift float64) {
	size := math.Abs(p.size)
	if size == 0 {
		size = 1
	}
	end := p.x + float64(glyphs)*pdfGlyph*size - shift/1000*size
	if len(p.runs) < maxPlacedRuns && len(text) > 0 {
		m := p.ctm
		x, y := m.apply(p.x, p.y)
		x2, _ := m.apply(end, p.y)
		p.runs = append(p.runs, pdfRun{y: y, x: x, end: x2, size: size * math.Max(math.Abs(m[0]), math.Abs(m[3])), text: bytes.Clone(text)}) // TJ reuses its array
		p.bytes += len(text)
	}
	p.x = end
}

// advance is a move inside TJ, in thousandths of the font size (positive
// moves left).
func (p *pdfPlaces) advance(v float64) { p.x -= v / 1000 * math.Abs(p.size) }

// reordered returns the runs' text in reading order (lines from the top,
// runs from the left), or nil when that is the order they were drawn in
// or too many were drawn to place them.
func (p *pdfPlaces) reordered() []byte {
	if len(p.runs) < 2 || len(p.runs) >= maxPlacedRuns {
		return nil
	}
	same := func(a, b pdfRun) bool { return math.Abs(a.y-b.y) < 0.3*max(a.size, b.size) }
	before := func(a, b pdfRun) int {
		if !same(a, b) {
			return cmp.Compare(b.y, a.y)
		}
		return cmp.Compare(a.x, b.x)
	}
	sorted := slices.Clone(p.runs)
	slices.SortStableFunc(sorted, before)
	inOrder := true
	for i := range sorted {
		if sorted[i].x != p.runs[i].x || sorted[i].y != p.runs[i].y {
			inOrder = false
			break
		}
	}
	if inOrder {
		return nil
	}
	out := make([]byte, 0, p.bytes+2*len(sorted))
	for i, r := range sorted {
		if i > 0 {
			prev := sorted[i-1]
			switch {
			case !same(prev, r):
				out = append(out, '\n')
			case r.x-prev.end > pdfJoinGap*r.size:
				out = append(out, ' ')
			}
		}
		out = append(out, r.text...)
	}
	return append(out, '\n')
}
