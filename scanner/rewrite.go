package scanner

import (
	"bytes"
	"math/bits"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/keyscan/keyscan/rules"
)

// A key written one escape per character (\u0041\u004b…, &#65;&#75;…) or
// split over a string concatenation ("AK" + "IA…") is text the plain scan
// cannot read. The decoders find such stretches and rewrite them as the text
// they stand for; the lines around them are scanned again with each stretch
// replaced, so that a value keeps the context it has in the file (the name
// that assigns it, a key ID on the next line) and needs no more and no less
// than a plain value would. Only findings that come from a rewritten
// stretch are kept: the rest of the lines was scanned already.

// rewrite is a stretch of the data that a decoder rewrote: data[start:end]
// reads as text. from[i] and to[i] are where text[i] is written in the data,
// so a finding points at the raw stretch, from its first fragment or escape
// to the end of its last.
type rewrite struct {
	start, end int
	text       []byte
	from, to   []int
	encoding   string
}

// contextBytes is how far around a rewritten stretch the data is scanned
// with it, to whole lines where a line break is that near: as far as a
// secret looks for its key ID (findSecrets).
const contextBytes = 1200

// around returns the regions of the data around the sorted spans, merged:
// contextBytes on each side, cut back to whole lines. Each byte is read
// once, however dense the spans (a long line of escapes).
func (m *match) around(spans []window) []window {
	d := m.data
	var out []window
	for _, sp := range spans {
		lo, hi := max(0, sp.lo-contextBytes), min(len(d), sp.hi+contextBytes)
		if n := len(out); n > 0 && lo <= out[n-1].hi {
			out[n-1].hi = max(out[n-1].hi, hi)
			continue
		}
		out = append(out, window{lo, hi})
	}
	for i, w := range out {
		if w.lo > 0 && d[w.lo-1] != '\n' {
			if k := bytes.IndexByte(d[w.lo:min(w.hi, w.lo+contextBytes)], '\n'); k >= 0 {
				out[i].lo = w.lo + k + 1
			}
		}
		if w.hi < len(d) {
			if k := bytes.LastIndexByte(d[max(w.lo, w.hi-contextBytes):w.hi], '\n'); k >= 0 {
				out[i].hi = max(w.hi-contextBytes, w.lo) + k
			}
		}
		m.looked += w.hi - w.lo
	}
	return out
}

// maxRegionBytes bounds the data rebuilt and scanned at once around
// rewrites. Dense rewrites (a file of escapes, thousands of chains) merge
// into one region as long as the file; such a region is scanned in pieces of
// this size that overlap by contextBytes, so memory stays bounded by the
// piece, whatever the file's size (a rewrite costs ~17 bytes per byte).
const maxRegionBytes = 64 << 10

// scanRewritten scans the rewrites at the sorted, disjoint spans in their
// context and adds the findings that come from them, pointed at the raw
// text. build returns the rewrite of spans[i]; it is called only when the
// piece of data holding that span is scanned, so no more than a piece's
// rewrites are held at once.
func (m *match) scanRewritten(spans []window, build func(i int) rewrite) {
	if len(spans) == 0 {
		return
	}
	// What the data's scan and the decoders before found, to keep a value
	// found again through a rewrite from being reported twice.
	found := m.foundSoFar()
	seen := map[findingAt]bool{} // found by an earlier piece of the same region
	var segs []rewrite
	k := 0
	for _, r := range m.around(spans) {
		j := k
		for j < len(spans) && spans[j].lo < r.hi {
			j++
		}
		hi := r.hi
		if j > k {
			hi = max(hi, spans[j-1].hi)
		}
		// Pieces [a,b): b never inside a span, the next a overlapping the
		// piece before by contextBytes, moved back to a span's start when
		// it falls inside one.
		for a, i := r.lo, k; i < j; {
			b := min(hi, a+maxRegionBytes)
			for e := i; e < j && spans[e].lo < b; e++ {
				if spans[e].hi > b {
					b = spans[e].hi
				}
			}
			if b > hi-contextBytes {
				b = hi
			}
			e := i
			for e < j && spans[e].hi <= b {
				e++
			}
			// Built only when the budget affords the piece's scan: past
			// that point, every piece would be built and thrown away (qa14
			// MEDIUM-13: half of 16 MiB of a list decoded for nothing).
			if e > i && len(m.afford([]window{{a, b}}, regionEscapeCost)) > 0 {
				segs = segs[:0]
				for k := i; k < e; k++ {
					segs = append(segs, build(k))
				}
				m.scanRegion(a, b, segs, found, seen)
				m.arena.reset() // the piece's rewrites are read
			}
			if b >= hi || e >= j {
				break
			}
			na := max(a+1, b-contextBytes)
			for i < j && spans[i].hi <= na {
				i++
			}
			if i < j && spans[i].lo < na {
				na = spans[i].lo
			}
			if na <= a { // a span as long as the overlap: start at it
				na = spans[i].lo
				if na <= a {
					i++
					continue
				}
			}
			a = na
		}
		k = j
	}
}

// rewriteArena is memory for the rewrites of one piece of scanRewritten,
// which it drops once the piece is scanned (scanRegion copies their text
// and reads where they stand only for the findings it adds): a rewrite
// takes its room from it (take) and keeps what it wrote (keep), and the
// next piece's rewrites write over them (reset). A reader that rewrites
// every byte of a long stretch (a Markdown file of AKIA** repeated, 16
// MiB of spans) allocated and cleared 17 bytes a byte (issue 16).
type rewriteArena struct {
	text     []byte
	from, to []int
}

// take returns empty slices with room for n bytes and their places,
// after what the piece's rewrites keep.
func (a *rewriteArena) take(n int) ([]byte, []int, []int) {
	if cap(a.text)-len(a.text) < n {
		// The rewrites kept hold the old memory; the next piece takes
		// from this.
		a.text = make([]byte, 0, max(n, 2*cap(a.text)))
	}
	if cap(a.from)-len(a.from) < n {
		a.from = make([]int, 0, max(n, 2*cap(a.from)))
	}
	if cap(a.to)-len(a.to) < n {
		a.to = make([]int, 0, max(n, 2*cap(a.to)))
	}
	return a.text[len(a.text):len(a.text)], a.from[len(a.from):len(a.from)], a.to[len(a.to):len(a.to)]
}

// keep returns sg with its slices clipped, and moves the arena past those
// that take's room holds (one that outgrew it was moved by append).
func (a *rewriteArena) keep(sg rewrite) rewrite {
	a.text = arenaPast(a.text, sg.text)
	a.from = arenaPast(a.from, sg.from)
	a.to = arenaPast(a.to, sg.to)
	sg.text, sg.from, sg.to = slices.Clip(sg.text), slices.Clip(sg.from), slices.Clip(sg.to)
	return sg
}

// reset gives the room of the rewrites kept back for the next piece's.
func (a *rewriteArena) reset() {
	a.text, a.from, a.to = a.text[:0], a.from[:0], a.to[:0]
}

// arenaPast returns arena moved past used, where used is written in its
// room (the first byte after arena's length), else arena.
func arenaPast[T any](arena, used []T) []T {
	n := len(arena)
	if len(used) == 0 || cap(arena) == n || &used[0] != &arena[n : n+1][0] {
		return arena
	}
	return arena[:n+len(used)]
}

// findingAt identifies a finding for the pieces of one region, which
// overlap.
type findingAt struct {
	rule        string
	offset, end int
}

// scanRegion builds the text of data[lo:hi] with the segments rewritten
// and scans it.
func (m *match) scanRegion(lo, hi int, segs []rewrite, found []findingAt, seen map[findingAt]bool) {
	d := m.data
	n := hi - lo
	text := make([]byte, 0, n)
	spans := make([]regionSpan, 0, len(segs))
	at := lo
	for _, sg := range segs {
		text = append(text, d[at:sg.start]...)
		spans = append(spans, regionSpan{len(text), len(text) + len(sg.text), sg.encoding})
		text = append(text, sg.text...)
		at = sg.end
	}
	text = append(text, d[at:hi]...)
	where := regionMap{lo, spans, segs}

	m.resolve() // the budget is shared: this match's lazy windows counted with its own masks
	sub := m.s.pooledMatch()
	*sub = match{s: m.s, name: m.name, data: text, depth: m.depth + 1, joins: m.joins, noDirectives: m.noDirectives, work: m.work}
	if m.cells != nil || m.table() != noTable {
		// The text's offsets are the data's as where maps them.
		sub.cells = func(a, b int) bool { return a < b && m.otherCell(where.to(a-1), where.from(b)) }
	}
	defer sub.recycle()
	sub.borrow()
	sub.run()
	// The windows the sub-scan charged lazily are settled in its own
	// text: left, the outer scan would count them against its bytes (a
	// rewrite longer than its stretch, as entity expansion makes, read
	// past them), as scanSub settles them.
	sub.resolve()
	sub.release()
	m.looked += sub.looked
	if len(sub.out) == 0 {
		return
	}
	for _, f := range sub.out {
		k := slices.IndexFunc(spans, func(sp regionSpan) bool { return f.Offset < sp.e && sp.s < f.EndOffset })
		if k < 0 {
			continue // found in the plain text around: the scan of the data has it
		}
		if f.Kind == rules.AccessKeyID && wordLike(f.Secret) {
			// Upper-case words joined or decoded ("ASIA" + "PACIFIC" +
			// "SOUTHEAST"): a near miss built on purpose, whatever its line
			// says of keys.
			continue
		}
		f.Offset, f.EndOffset = where.from(f.Offset), where.to(f.EndOffset-1)
		if foundAt(found, f) {
			continue // the data's scan read it already (a whole key ID in the first literal, JSON escapes of / and +)
		}
		if key := (findingAt{f.Rule, f.Offset, f.EndOffset}); seen[key] {
			continue
		} else {
			seen[key] = true
		}
		f.Encoding = joinEncodings(spans[k].enc, f.Encoding)
		m.add(f)
	}
}

// regionSpan is where a rewrite stands in the text of a region (scanRegion),
// and its encoding.
type regionSpan struct {
	s, e int
	enc  string
}

// regionMap says where a byte of a region's text is written in the data:
// inside a rewrite, where the rewrite's from and to say; in the plain text
// around, one for one from the end of the rewrite before it (or from the
// region's start). Only findings ask, so nothing is kept per byte
// (TestRegionMapAsArrays).
type regionMap struct {
	lo    int
	spans []regionSpan
	segs  []rewrite
}

// from is where text[k] starts in the data, to where it ends.
func (r regionMap) from(k int) int { return r.at(k, false) }
func (r regionMap) to(k int) int   { return r.at(k, true) }

func (r regionMap) at(k int, end bool) int {
	i := sort.Search(len(r.spans), func(i int) bool { return r.spans[i].s > k }) - 1
	if i >= 0 && k < r.spans[i].e {
		if end {
			return r.segs[i].to[k-r.spans[i].s]
		}
		return r.segs[i].from[k-r.spans[i].s]
	}
	p := r.lo + k
	if i >= 0 {
		p = r.segs[i].end + k - r.spans[i].e
	}
	if end {
		p++
	}
	return p
}

// foundSoFar returns where the findings made so far stand, sorted by
// offset (for foundAt). Only where each stands is kept: a copy of the
// findings themselves cost a file of key pairs 400 bytes a finding.
func (m *match) foundSoFar() []findingAt {
	found := make([]findingAt, len(m.out))
	for i := range m.out {
		found[i] = findingAt{m.out[i].Rule, m.out[i].Offset, m.out[i].EndOffset}
	}
	slices.SortFunc(found, func(a, b findingAt) int { return a.offset - b.offset })
	return found
}

// subScanNew is subScanAs keeping only the findings that found (what the
// input's own scan found, foundSoFar) does not hold already: a value whole
// in the input is found again in what is decoded from it, and is reported
// once, where the input's own scan placed it.
func (m *match) subScanNew(found []findingAt, dec []byte, encoding, as string, start, end func(int) int) {
	n := len(m.out)
	m.subScanAs(dec, encoding, as, start, end)
	kept := m.out[:n]
	for _, f := range m.out[n:] {
		if !foundAt(found, f) {
			kept = append(kept, f)
		}
	}
	m.out = kept
}

// foundAt reports whether found (sorted by offset) holds a finding of f's
// rule over any of f's bytes. Values are a few KiB at most: only the
// findings that start that far before f are compared.
func foundAt(found []findingAt, f Finding) bool {
	i, _ := slices.BinarySearchFunc(found, f.EndOffset, func(g findingAt, off int) int { return g.offset - off })
	for i--; i >= 0 && found[i].offset > f.Offset-(16<<10); i-- {
		if g := found[i]; g.rule == f.Rule && f.Offset < g.end && g.offset < f.EndOffset {
			return true
		}
	}
	return false
}

// markWindows looks through the windows where the scan looked for secrets
// and notes where an escape may start (m.escMarks) and, in source code,
// where a literal that a join follows opens (m.joinMarks) and where a list
// of one-character literals may stand (m.lists): a secret has no
// anchor of its own, so these seed the decoders for secrets. The bytes that
// start an escape are rare and found with bytes.IndexByte; quotes, dense in
// code, with a table lookup eight bytes at a time, and only in source code:
// data formats (JSON, YAML, INI...) hold no concatenation.
func (m *match) markWindows() {
	d := m.data
	quotes := m.joinsLiterals()
	if quotes {
		m.markListOpens()
	}
	name := m.plainName()
	if quotes && goName(name) {
		m.markGoJoins()
	}
	if texName(name) {
		for _, w := range m.windows {
			m.markTeXGroups(w)
		}
	}
	if x := m.byteMasks(); x != nil {
		m.markWindowsMasked(x, quotes)
		return
	}
	for _, w := range m.windows {
		for _, c := range [...]byte{'\\', '%', '&', '+', '<'} {
			for i := w.lo; i < w.hi; i++ {
				k := bytes.IndexByte(d[i:w.hi], c)
				if k < 0 {
					break
				}
				i += k
				at := i
				if c == '+' {
					if i == 0 || d[i-1] != 'U' && d[i-1] != 'u' {
						continue
					}
					at = i - 1
				}
				if mayEscape(d, at) {
					m.escMarks = append(m.escMarks, at)
				}
			}
		}
		m.markInvisible(w)
		m.markCSI(w)
		m.markQP(w)
		if !quotes {
			m.markTemplateJoins(w)
			continue
		}
		for i := w.lo; i < w.hi; i++ {
			for ; i+8 <= w.hi; i += 8 {
				b := d[i : i+8 : i+8] // one bounds check for the eight
				if quoteClass[b[0]]|quoteClass[b[1]]|quoteClass[b[2]]|quoteClass[b[3]]|quoteClass[b[4]]|quoteClass[b[5]]|quoteClass[b[6]]|quoteClass[b[7]] != 0 {
					break
				}
			}
			if i < w.hi && quoteClass[d[i]] != 0 {
				if i+3 < len(d) && d[i+3] == ',' && d[i+2] == d[i] {
					m.listMark(i) // 'A', …: a list of characters (charlist.go)
				}
				if k, ok := joinAt(d, i); ok {
					m.joinMarks = append(m.joinMarks, k)
				} else if i > 0 && i+1 < len(d) && mayIaCJoin(d, i) {
					m.iacMark(i)
				}
			}
		}
	}
}

// markWindowsMasked is markWindows on the byte masks: each window's words
// are read once, their special and quote bits visited in order, and the
// marks made in the order markWindows makes them (escapes by their first
// byte, then by position; see escapeClass).
func (m *match) markWindowsMasked(x *byteMasks, quotes bool) {
	d := m.data
	for _, w := range m.windows {
		if w.lo >= w.hi {
			continue
		}
		x.ensure(w.lo, w.hi)
		from, mixed := len(m.escMarks), false
		// The window's words, the bits before lo in the first and from hi
		// on in the last cut.
		first, last := w.lo>>6, (w.hi-1)>>6
		specials, quoteBits := x.special[first:last+1], x.quote[first:last+1]
		head, tail := ^uint64(0)<<(w.lo&63), ^uint64(0)>>(63-(w.hi-1)&63)
		for j := range specials {
			k := first + j
			keep := ^uint64(0)
			if j == 0 {
				keep = head
			}
			if j == len(specials)-1 {
				keep &= tail
			}
			for b := specials[j] & keep; b != 0; b &= b - 1 {
				at := k<<6 + bits.TrailingZeros64(b)
				if d[at] == '+' {
					if at == 0 || d[at-1] != 'U' && d[at-1] != 'u' {
						continue
					}
					at--
				}
				if at+2 >= len(d) {
					continue
				}
				if k := escapeFirst2[d[at]] & escapeNext[d[at+1]]; k != 0 && (k != 8 || texLead(d, at+1)) && mayEscape(d, at) {
					mixed = mixed || d[at] != '\\'
					m.escMarks = append(m.escMarks, at)
				}
			}
			if quotes {
				for b := quoteBits[j] & keep; b != 0; b &= b - 1 {
					at := k<<6 + bits.TrailingZeros64(b)
					if at+3 < len(d) && d[at+3] == ',' && d[at+2] == d[at] {
						m.listMark(at) // 'A', …: a list of characters (charlist.go)
					}
					if at+1 < len(d) && !joinFollows[d[at+1]] {
						if at > 0 && mayIaCJoin(d, at) {
							m.iacMark(at) // ${", "", or "]: rare
						}
						continue // joinAt's first look, inlined: most quotes
					}
					if j, ok := x.joinAt(d, at); ok {
						m.joinMarks = append(m.joinMarks, j)
					} else if at > 0 && at+1 < len(d) && mayIaCJoin(d, at) {
						m.iacMark(at) // "".join(, or ${" and a literal that opens with a join's byte (${"/…)
					}
				}
			}
		}
		if mixed { // rare: escapes of more than one kind in the window
			byEscapeClass(d, m.escMarks[from:])
		}
		if x.escIn(w.lo, w.hi) {
			m.markCSI(w)
		}
		m.markQP(w)
		if !quotes {
			m.markTemplateJoins(w)
		}
	}
}

// escapeNext holds, per byte, the kinds of escape it may be the second
// byte of, and escapeFirst2 the kinds a special byte may start: an escape
// mayEscape takes (\u, \x, \ and a hex digit, \\, a line continuation;
// %u and %XX; &#; U+; the second bytes of the UTF-8 invisible separators),
// <wbr>, a named reference of an invisible separator (&shy;,
// &ZeroWidthSpace;...), a LaTeX break (\-, \hskip0pt...: texbreak.go) or
// a LaTeX comment that cuts a line (% and a blank or the line end). Most special bytes of code (%s, &x, \n, a + b,
// a < b) are told from one by the byte after them, without the call.
var escapeNext = func() (t [256]uint8) {
	for _, c := range []byte("uUx0123456789abcdefABCDEF\\\n\r#+") {
		t[c] |= 1
	}
	for c, ok := range invisibleSecond {
		if ok {
			t[c] |= 1
		}
	}
	t['w'] |= 2
	t['W'] |= 2
	for _, c := range []byte("szZN") {
		t[c] |= 4
	}
	for c, ok := range texFirst {
		if ok {
			t[c] |= 8
		}
	}
	t[' '] |= 16
	t['\t'] |= 16
	return t
}()

var escapeFirst2 = func() (t [256]uint8) {
	for c := range t {
		t[c] = 1
	}
	t['<'] = 2
	t['&'] = 1 | 4
	t['\\'] = 1 | 8
	t['%'] = 1 | 16
	return t
}()

// markCSI marks the raw colour codes (ESC[…m, ESC[K) of a window that cut
// a value (qa22 H1: grep --color=always output). ESC is no special byte of
// the masks: each window is searched for it, and only the window. A
// search of the whole file once, for whether it holds one at all, cost the
// service models' scan 4 % of its instructions (files of 100 KB and more
// with a few windows) and the detector tests' as much as the windows'. On
// the masks a window is searched only where its 4 KiB blocks hold an ESC
// (byteMasks.escIn, which the mask kernel finds as it builds them): the
// search of every window was 1.5 % of the detector tests' instructions.
func (m *match) markCSI(w window) {
	d := m.data
	for i := w.lo; i < w.hi; i++ {
		k := bytes.IndexByte(d[i:w.hi], 0x1b)
		if k < 0 {
			return
		}
		i += k
		if mayEscape(d, i) {
			m.escMarks = append(m.escMarks, i)
		}
	}
}

// markQP marks the quoted-printable escapes of a window (=3D and soft line
// breaks; see escapes.go), after its other escapes. '=' is too common in
// code to be one of the byte masks' special bytes: the windows are read
// for them only in an input where the prefilter met =3D or a MIME header's
// "quoted-printable", which nearly no input but a QP text holds.
func (m *match) markQP(w window) {
	if !m.qp {
		return
	}
	d := m.data
	for i := w.lo; i < w.hi; i++ {
		k := bytes.IndexByte(d[i:w.hi], '=')
		if k < 0 {
			return
		}
		i += k
		if mayEscape(d, i) {
			m.escMarks = append(m.escMarks, i)
		}
	}
}

// byEscapeClass orders the marks by escapeClass and, within a class, as
// they were: a stable sort, done as one counting pass and one placing pass
// (a window of mixed escapes may hold thousands of marks, and a comparison
// sort of them cost more than reading the window).
func byEscapeClass(d []byte, marks []int) {
	var at [7]int // where each class starts in the sorted marks
	for _, k := range marks {
		at[escapeClass(d[k])+1]++
	}
	for c := 1; c < len(at); c++ {
		at[c] += at[c-1]
	}
	sorted := make([]int, len(marks))
	for _, k := range marks {
		c := escapeClass(d[k])
		sorted[at[c]] = k
		at[c]++
	}
	copy(marks, sorted)
}

// escapeClass is the order in which markWindows looks for the first bytes
// of escapes: \, %, &, + (a mark at the U of U+0041), < (<wbr>), then the
// UTF-8 invisible separators (markInvisible).
func escapeClass(c byte) int {
	switch c {
	case '\\':
		return 0
	case '%':
		return 1
	case '&':
		return 2
	case '+', 'U', 'u':
		return 3
	case '<':
		return 4
	}
	return 5
}

// joinsLiterals is concatenates(m.name), worked out once per file: the
// sub-scans of a file inherit it.
func (m *match) joinsLiterals() bool {
	if m.joins == 0 {
		m.joins = 1
		if concatenates(m.name) {
			m.joins = 2
		}
	}
	return m.joins == 2
}

// concatenates reports whether a file of this name is source code in a
// language that joins string literals (+ or adjacent literals), by its
// extension or name, or a file where such code is pasted: Markdown (fenced
// code), HTML (<script>), text, templates, Jenkinsfile, Dockerfile and
// SCons' SConstruct and waf's wscript (Python). It is asked once per file that has windows, and most names
// are ASCII and end in a name: those are read once from the end, their
// extension folded as it is looked up; the others take concatenatesFolded,
// which says the same of any name (TestConcatenatesAsFolded).
func concatenates(name string) bool {
	name = PlainName(name)
	n := len(name)
	if n == 0 || name[n-1] == '/' {
		return concatenatesFolded(name)
	}
	// The base is name[b:]: eight bytes a step while they hold no '/' and
	// no byte of 0x80 or more (most of a name), then a byte at a time.
	const ones, high = 0x0101010101010101, 0x8080808080808080
	b := n
	for b >= 8 {
		v := uint64(name[b-8]) | uint64(name[b-7])<<8 | uint64(name[b-6])<<16 | uint64(name[b-5])<<24 |
			uint64(name[b-4])<<32 | uint64(name[b-3])<<40 | uint64(name[b-2])<<48 | uint64(name[b-1])<<56
		if slash := v ^ '/'*ones; v&high != 0 || (slash-ones)&^slash&high != 0 {
			break
		}
		b -= 8
	}
	for b > 0 && name[b-1] != '/' {
		b--
		if name[b] >= 0x80 { // strings.ToLower may fold it into ASCII (a Kelvin sign is a k)
			return concatenatesFolded(name)
		}
	}
	base := name[b:]
	dot := strings.LastIndexByte(base, '.') // its extension is name[dot:]
	if dot >= 0 {
		dot += b
	}
	if hasPrefixFold(base, "JENKINSFILE") || hasPrefixFold(base, "DOCKERFILE") ||
		len(base) >= len(".dockerfile") && hasPrefixFold(base[len(base)-len(".dockerfile"):], ".DOCKERFILE") ||
		base[0]|0x20 == 's' && (hasPrefixFold(base, "SCONSTRUCT") || hasPrefixFold(base, "SCONSCRIPT")) ||
		base[0]|0x20 == 'w' && strings.EqualFold(base, "wscript") {
		return true
	}
	if dot < 0 || n-dot > len(".markdown") {
		return false
	}
	var ext [len(".markdown")]byte
	for i := dot; i < n; i++ {
		c := name[i]
		if isUpper(c) {
			c += 'a' - 'A'
		}
		ext[i-dot] = c
	}
	return joinExtensions[string(ext[:n-dot])]
}

// concatenatesFolded is concatenates on the name folded by strings.ToLower.
func concatenatesFolded(name string) bool {
	base := strings.ToLower(path.Base(name))
	if strings.HasPrefix(base, "jenkinsfile") || strings.HasPrefix(base, "dockerfile") || strings.HasSuffix(base, ".dockerfile") ||
		strings.HasPrefix(base, "sconstruct") || strings.HasPrefix(base, "sconscript") || base == "wscript" {
		return true
	}
	return joinExtensions[path.Ext(base)]
}

// joinExtensions are the extensions of the files concatenates answers yes
// for, in lower case.
var joinExtensions = func() map[string]bool {
	m := map[string]bool{}
	for _, e := range strings.Fields(".md .markdown .mdx .rst .html .htm .txt .erb .ejs .jsp .pl .pm " +
		".lua .r .jl .ex .exs .hs .ml .tf .hcl " +
		".go .py .pyw .js .mjs .cjs .jsx .ts .tsx .mts .cts .vue .svelte " +
		".java .kt .kts .scala .groovy .gradle .cs .c .h .cc .cpp .hpp .m " +
		".swift .rs .dart .rb .php .sh .bash .zsh .ps1 .sql .vb .vbs .bas " +
		// Python's dialects and build files in Python's syntax (Cython,
		// IPython, Starlark, GYP), and documents that paste code in blocks
		// that name its language (R Markdown, Quarto, AsciiDoc, Org): qa18 M2
		".pyx .pxd .pxi .ipy .bzl .star .bazel .gyp .gypi .rmd .qmd .adoc .asciidoc .org") {
		m[e] = true
	}
	return m
}()

var quoteClass = func() (t [256]uint8) {
	t['"'], t['\''], t['`'] = 1, 1, 1
	return t
}()

// markListOpens notes a list of code points that a bracket opens on a
// keyword's line, after it: bytes([0x41, …]), String.fromCharCode(0x41,
// …), a gofmt'd []byte{ with one code point a line, and a chain of chr
// calls (chr(65).chr(75)…). Lists of quoted
// characters are marked at their quotes (markWindows); code points have no
// quote to be found by, and the only anchor for them (charlist.go) is a
// key ID's prefix in decimal on one line. Only the 64 bytes after each
// keyword are read, to the line's end, and only in source code (see
// joinsLiterals): the windows as a whole would cost keyword-dense text a
// tenth more, and the keywords of data formats, where code points are not
// written so, as much again.
func (m *match) markListOpens() {
	x := m.byteMasks()
	if x != nil && x.open == nil {
		x = nil // not asked for (see match.byteMasks): the bytes are read
	}
	ruby := rubyName(m.plainName())
	for i := range m.keywords {
		kw := &m.keywords[i]
		if kw.token || kw.other || kw.login {
			continue
		}
		lo, hi := kw.end, min(kw.end+64, len(m.data))
		if lo >= hi {
			continue
		}
		if ruby {
			m.listAfterName(lo)
		}
		if x == nil {
			m.listOpensIn(lo, hi)
			continue
		}
		// On the masks: the brackets before the first newline, read from
		// the 64 bits at lo (two words joined) rather than 64 bytes one by
		// one (a tenth of the detector tests' instructions).
		x.ensure(lo, hi)
		nl, b := x.bitsAt(x.nl, lo, hi), x.bitsAt(x.open, lo, hi)
		if nl != 0 {
			b &= nl&-nl - 1 // before the line's end
		}
		for ; b != 0; b &= b - 1 {
			m.listOpenAt(lo + bits.TrailingZeros64(b))
		}
	}
}

// listOpensIn is markListOpens on the bytes of [lo,hi), where there are no
// byte masks: the brackets before the first newline.
func (m *match) listOpensIn(lo, hi int) {
	d := m.data
	for j := lo; j < hi; j++ {
		if listOpen[d[j]] == 0 {
			continue
		}
		if d[j] == '\n' {
			break
		}
		m.listOpenAt(j)
	}
}

// listOpenAt marks the list of code points that the bracket at j opens, or
// whose first item the bracket is part of: a call (chr(65).chr(75)… in
// PHP, Chr(65) & … in VB, CHAR(65) + … in SQL, byte(65) in Go), a cast
// ((byte)65 in Java and C#, [char]65 + … in PowerShell), if it opens one.
// Brackets after keywords are many in code (calls, indexes): the bytes
// around one are looked up in tables (callEnd, castStart, openItem) before
// an item is read.
func (m *match) listOpenAt(j int) {
	d := m.data
	if c := d[j]; c == '(' && j > 1 && callEnd(d[j-2], d[j-1]) {
		s := j - 1
		for s > 0 && j-s < 5 && isWordByte(d[s-1]) {
			s--
		}
		if (s == 0 || !isWordByte(d[s-1])) && m.listMarkAt(s) {
			return
		}
	} else if c != '{' && j+1 < len(d) && castStart[d[j+1]] != 0 && (j == 0 || !isWordByte(d[j-1])) && m.listMarkAt(j) {
		return
	}
	k := j + 1
	for k < len(d) && k-j <= 16 && isListBlank(d[k]) {
		k++
	}
	if k+1 < len(d) && openItem[d[k]] != 0 && (!isAlpha(d[k]) || callStart(d[k], d[k+1])) {
		m.listMarkAt(k)
	}
}

// castStart marks the first bytes of the casts' types ((byte), [char],
// …); openItem the first bytes of items that a bracket opens and the
// windows do not mark (quoted characters are marked at their quotes, b'A'
// too).
var castStart, openItem = func() (b, c [256]uint8) {
	for _, x := range "bBcCsSiIuUwW" {
		b[x] = 1
	}
	for _, x := range "0123456789([bBrRuUIcCL" {
		c[x] = 1
	}
	return b, c
}()

// callEnd reports whether a call's name may end in the bytes a, b: those
// of the calls listItem reads (chr, ChrW, CHAR, byte, rune, UInt8, u8).
func callEnd(a, b byte) bool {
	switch uint16(a|0x20)<<8 | uint16(b|0x20) {
	case 'h'<<8 | 'r', 'r'<<8 | 'w', 'a'<<8 | 'r', 't'<<8 | 'e', 'n'<<8 | 'e', 't'<<8 | '8', 'u'<<8 | '8':
		return true
	}
	return false
}

// callStart reports whether an item may start with the letters a, b: a
// call listItem reads (by(te), ru(ne), ui(nt8), in(t8), ch(r), u8) or a
// literal's prefix.
func callStart(a, b byte) bool {
	if b == '\'' || b == '"' { // b'A' as char: no comma after the quote, which the windows look for
		return a|0x20 == 'b' || a|0x20 == 'u' || a == 'L'
	}
	switch uint16(a|0x20)<<8 | uint16(b|0x20) {
	case 'b'<<8 | 'y', 'r'<<8 | 'u', 'u'<<8 | 'i', 'i'<<8 | 'n', 'c'<<8 | 'h', 'u'<<8 | '8':
		return true
	}
	return false
}

// listMarkAt marks the list whose item stands at k, if an item stands
// there and a separator follows it.
func (m *match) listMarkAt(k int) bool {
	d := m.data
	if listFirst[d[k]] == 0 {
		return false
	}
	if _, n := listItem(d, k); n > 0 && listSep(d, k+n, chrItem(d, k, n)) > 0 {
		m.listMark(k)
		return true
	}
	return false
}

// listAfterName marks a list that stands right after a keyword's
// assignment with no bracket before it: Ruby's aws_access_key_id = 65.chr
// + 75.chr + …. Only in Ruby (rubyName): a look after every keyword cost
// the detector tests 1 %.
func (m *match) listAfterName(lo int) {
	d := m.data
	k := lo
	for k < len(d) && k-lo < 8 && (d[k] == ' ' || d[k] == '=' || d[k] == ':' || d[k] == '\t') {
		k++
	}
	if k > lo && k < len(d) && isDigit(d[k]) {
		m.listMarkAt(k)
	}
}

// rubyName reports whether a file is Ruby by its name.
func rubyName(name string) bool {
	if name == "" {
		return false
	}
	switch name[len(name)-1] | 0x20 {
	case 'b', 'e', 'c', 'u':
	default:
		return false // most names: .go, .json, .py
	}
	for _, e := range [...]string{".rb", ".rake", ".gemspec", ".ru", "Rakefile", "Gemfile"} {
		if len(name) >= len(e) && strings.EqualFold(name[len(name)-len(e):], e) {
			return true
		}
	}
	return false
}

// listOpen marks the brackets markListOpens looks for, and the line's end.
var listOpen = func() (t [256]uint8) {
	t['('], t['['], t['{'], t['\n'] = 1, 1, 1, 1
	return t
}()

// markTemplateJoins marks, in a window of a data format (YAML, JSON),
// the chains its templates join (qa14 MEDIUM-10): a CloudFormation
// !Join or Fn::Join whose delimiter is empty, and Jinja's "{{ 'a' ~ 'b' }}"
// (Ansible). Data formats hold no other concatenation, and their quotes
// are not read one by one as source code's are (markWindows): only these
// two rare strings are looked for.
func (m *match) markTemplateJoins(w window) {
	d := m.data
	for i := w.lo; i < w.hi; {
		k := bytes.Index(d[i:w.hi], []byte("Join"))
		if k < 0 {
			break
		}
		i += k + 4
		for j := i; j < min(len(d), i+64); j++ {
			if isQuote(d[j]) && joinListAt(d, j) {
				m.joinMarks = append(m.joinMarks, j)
				break
			}
		}
	}
	for i := w.lo; i < w.hi; {
		k := bytes.Index(d[i:w.hi], []byte("{{"))
		if k < 0 {
			break
		}
		i += k + 2
		if j := skipBlanks(d, i); j < len(d) && isQuote(d[j]) {
			m.joinMarks = append(m.joinMarks, j)
		}
	}
}

// mayIaCJoin is iacJoinAt's first look at the quote at i (0 < i <
// len(d)-1): the bytes around it that a join it reads shows.
func mayIaCJoin(d []byte, i int) bool {
	c := d[i+1]
	return d[i-1] == '{' || c == ']' || (c == ',' || c == '.') && d[i-1] == d[i] ||
		d[i-1] == ' ' && i >= 2 && d[i-2] == '{' || // ${ "…" (interpolationOpen)
		i >= 2 && (d[i-1] == '(' && joinCallEnd[d[i-2]] || blankClass[d[i-1]] && (d[i-2] == '(' || blankClass[d[i-2]])) // paste0("…", str_c(\n  "…"
}

// joinCallEnd marks the last bytes of the names of the calls that join
// their arguments (paste0, str_c, glue, paste, concat!) or a vector's
// items (c): mayIaCJoin's first look at a literal after a bracket.
var joinCallEnd = func() (t [256]bool) {
	for _, c := range []byte("0ce!") {
		t[c] = true
	}
	return t
}()

// blankClass marks blanks and line breaks.
var blankClass = func() (t [256]bool) {
	for _, c := range []byte(" \t\r\n") {
		t[c] = true
	}
	return t
}()

// iacMark notes where a chain opens that a join of an infrastructure
// language shows at the quote at (iacJoinAt): not inlined, as listMark.
//
//go:noinline
func (m *match) iacMark(at int) {
	if k, ok := iacJoinAt(m.data, at); ok {
		m.joinMarks = append(m.joinMarks, k)
	}
}

// listMark notes a one-character literal that a comma follows, in a
// window (markWindows): not inlined, so that the loop over the quotes keeps
// its values in registers.
//
//go:noinline
func (m *match) listMark(at int) { m.lists = append(m.lists, at) }
