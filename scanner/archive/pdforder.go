package archive

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"unicode/utf8"
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
// as a width estimated from the font size tells) ends, measured along and
// across its direction on the page (dir, in whole degrees: 0 for text
// drawn upright, where x and y are the page's own).
type pdfRun struct {
	y, x, end, size float64
	dir             int
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
	spacing, scale     float64 // Tc, in text space units, and Tz, in percent (0: 100)
	ctm                pdfMatrix
	saved              []pdfMatrix
	runs               []pdfRun
	bytes              int
	// rot is the text matrix's rotation (Tm's linear part, each axis of
	// unit length) about its origin ox, oy, for a Tm that turns the text:
	// a margin note, a vertical table header (CLOSING16). Nil for upright
	// text, whose places are computed as before.
	rot    *pdfMatrix
	ox, oy float64
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

func (p *pdfPlaces) begin() { p.x, p.y, p.lineX, p.lineY, p.rot = 0, 0, 0, 0, nil }

// move is Td (and TD, which also sets the leading).
func (p *pdfPlaces) move(tx, ty float64) {
	p.lineX += tx
	p.lineY += ty
	p.x, p.y = p.lineX, p.lineY
}

// matrix is Tm: its translation, and its rotation when it turns the text
// (m[1] or m[2] not 0, or the x axis reversed).
func (p *pdfPlaces) matrix(m pdfMatrix) {
	p.lineX, p.lineY, p.x, p.y = m[4], m[5], m[4], m[5]
	p.rot = nil
	if m[1] != 0 || m[2] != 0 || m[0] < 0 {
		a, c := math.Hypot(m[0], m[1]), math.Hypot(m[2], m[3])
		if a > 0 && c > 0 && !math.IsInf(a, 0) && !math.IsInf(c, 0) {
			p.rot, p.ox, p.oy = &pdfMatrix{m[0] / a, m[1] / a, m[2] / c, m[3] / c, 0, 0}, m[4], m[5]
		}
	}
}

// pdfLineY is where on its line's axis a Tm places text: the translation's
// f for upright text, its distance across the text's direction for a
// matrix that turns it, so that glyphs a rotated line places one by one
// are one line.
func pdfLineY(m pdfMatrix) float64 {
	if m[1] == 0 && m[2] == 0 && m[0] >= 0 {
		return m[5]
	}
	if n := math.Hypot(m[0], m[1]); n > 0 && !math.IsInf(n, 0) {
		return (m[0]*m[5] - m[1]*m[4]) / n
	}
	return m[5]
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
	end := p.x + (float64(glyphs)*(pdfGlyph*size+p.spacing)-shift/1000*size)*p.hscale()
	if len(p.runs) < maxPlacedRuns && len(text) > 0 {
		m := p.ctm
		r := pdfRun{size: size, text: bytes.Clone(text)} // TJ reuses its array
		if p.rot == nil && m[1] == 0 && m[2] == 0 {
			r.size *= math.Max(math.Abs(m[0]), math.Abs(m[3]))
			r.x, r.y = m.apply(p.x, p.y)
			r.end, _ = m.apply(end, p.y)
		} else {
			r = p.turned(r, end)
		}
		p.runs = append(p.runs, r)
		p.bytes += len(text)
	}
	p.x = end
}

// turned places the run r of text turned by Tm or cm, which ends at end
// on its line: its start and end on the page, then its x and end along
// its direction and y across it, rounded to a whole degree.
func (p *pdfPlaces) turned(r pdfRun, end float64) pdfRun {
	at := func(x, y float64) (float64, float64) {
		if p.rot != nil {
			x, y = p.rot.apply(x-p.ox, y-p.oy)
			x, y = x+p.ox, y+p.oy
		}
		return p.ctm.apply(x, y)
	}
	x1, y1 := at(p.x, p.y)
	dx, dy := at(p.x+1, p.y)
	dx, dy = dx-x1, dy-y1
	n := math.Hypot(dx, dy)
	if n == 0 || math.IsInf(n, 0) || math.IsNaN(n) {
		r.x, r.y, r.end = x1, y1, x1
		return r
	}
	dx, dy = dx/n, dy/n
	r.size *= n // the page's units a unit along the line takes
	x2, y2 := at(end, p.y)
	deg := int(math.Round(math.Atan2(dy, dx) * 180 / math.Pi))
	if deg == -180 {
		deg = 180
	}
	r.dir = deg
	r.x, r.y = x1*dx+y1*dy, y1*dx-x1*dy
	r.end = x2*dx + y2*dy
	return r
}

// continues reports whether the run at runs[k], the first of what an
// operator drew, goes on the line of the run before it with no gap a
// reader sees (within pdfJoinGap of the font size): a writer that moves
// there with cm, or draws it in a form XObject placed there (pdfform.go),
// still writes one word (CLOSING17: a value a page and a form draw side by
// side read as two lines).
func (p *pdfPlaces) continues(k int) bool {
	if k <= 0 || k >= len(p.runs) {
		return false
	}
	a, b := p.runs[k-1], p.runs[k]
	size := max(a.size, b.size)
	return a.dir == b.dir && math.Abs(a.y-b.y) < 0.3*size && math.Abs(b.x-a.end) <= pdfJoinGap*size
}

// advance is a move inside TJ, in thousandths of the font size (positive
// moves left).
func (p *pdfPlaces) advance(v float64) { p.x -= v / 1000 * math.Abs(p.size) * p.hscale() }

// hscale is Tz as a factor: 1 when it was not set.
func (p *pdfPlaces) hscale() float64 {
	if p.scale == 0 {
		return 1
	}
	return math.Abs(p.scale) / 100
}

// pdfTrackRun is the fewest gaps in a row, each between two single glyphs
// and all alike, that are letter spacing rather than gaps between words.
const pdfTrackRun = 3

// pdfTracked reports, for each gap between the pieces of a line (gaps[i]
// lies between piece i and i+1; single[i] says whether piece i is one
// glyph), whether it is letter spacing: a layout that spaces a word out
// (tracking: TJ moves or Tc between its glyphs, or each glyph placed on
// its own) draws a value one glyph at a time with the same gap between
// each, which a reader reads as one word (CLOSING16: the value was cut
// into 40 words). A gap is spacing in a row of at least pdfTrackRun gaps
// between single glyphs, all positive and none more than a quarter over
// the smallest; a gap before or after a longer piece, or a wider one, is
// still a word's gap.
func pdfTracked(gaps []float64, single []bool) []bool {
	out := make([]bool, len(gaps))
	for i := 0; i < len(gaps); {
		j, lo, hi := i, math.Inf(1), 0.0
		for ; j < len(gaps) && single[j] && single[j+1] && gaps[j] > 0; j++ {
			nlo, nhi := min(lo, gaps[j]), max(hi, gaps[j])
			if nhi > 1.25*nlo {
				break
			}
			lo, hi = nlo, nhi
		}
		if j-i >= pdfTrackRun {
			for k := i; k < j; k++ {
				out[k] = true
			}
		}
		i = max(j, i+1)
	}
	return out
}

// reordered returns the runs' text in reading order (lines from the top,
// runs from the left), or nil when that is the order they were drawn in
// or too many were drawn to place them.
func (p *pdfPlaces) reordered() []byte {
	if len(p.runs) < 2 || len(p.runs) >= maxPlacedRuns {
		return nil
	}
	same := func(a, b pdfRun) bool { return a.dir == b.dir && math.Abs(a.y-b.y) < 0.3*max(a.size, b.size) }
	before := func(a, b pdfRun) int {
		if a.dir != b.dir {
			return cmp.Compare(a.dir, b.dir)
		}
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
	var gaps []float64
	var single []bool
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && same(sorted[j-1], sorted[j]) {
			j++
		}
		line := sorted[i:j]
		gaps, single = gaps[:0], single[:0]
		for k, r := range line {
			single = append(single, utf8.RuneCount(r.text) == 1)
			if k > 0 {
				gaps = append(gaps, r.x-line[k-1].end)
			}
		}
		tracked := pdfTracked(gaps, single)
		for k, r := range line {
			if k > 0 && gaps[k-1] > pdfJoinGap*r.size && !tracked[k-1] {
				out = append(out, ' ')
			}
			out = append(out, r.text...)
		}
		out = append(out, '\n')
		i = j
	}
	return out
}
