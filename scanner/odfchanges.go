package scanner

import (
	"bytes"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/rules"
)

// OpenDocument keeps a tracked deletion out of the text it was cut from:
// LibreOffice writes the deleted text in the part's change log,
// <text:tracked-changes><text:changed-region text:id="ct1"><text:deletion>
// <office:change-info>…</office:change-info><text:p>deleted</text:p>
// </text:deletion></text:changed-region>…, and leaves an empty mark,
// <text:change text:change-id="ct1"/>, where it stood (ODF 1.2 part 1,
// 5.5). A key typed whole, then its tail deleted with Track Changes on, is
// its head in the body and its tail in the log, kilobytes apart: in no text
// a reader sees, and missed (qa36 M9). Word keeps a deletion in place
// (w:del), and its views hide or show it where it stands (officeView); an
// OpenDocument deletion has to be moved back. So an office part that holds
// deletions is also read as the document before its changes (what
// LibreOffice shows when they are rejected): each deletion's text put back
// at its mark, an insertion's text (between text:change-start and
// text:change-end of an insertion's region) dropped, the change log itself
// left out: a second scan of such a part, asked only where the part holds
// a change log (one search of its bytes; Word's, PowerPoint's and Excel's
// parts are not searched). Every byte of that text is a byte of the part, so a finding
// points at the part: from its first piece to its last, in the part's
// order (the tail in the log stands before the head in the body).
//
// One level: a mark inside deleted text is not followed (LibreOffice
// records a deletion inside deleted text as one deletion). Calc's changes
// (table:tracked-changes, a cell's previous content whole in
// table:previous) and a format change's region hold no text that a mark
// puts back, and are read as they stand.

// odfRestored is a part rebuilt with its deletions put back: text, and
// for each piece of it the place in the part it was copied from.
type odfRestored struct {
	text   []byte
	pieces []odfPiece
}

// odfPiece is text[dst:dst+n], copied from the part's [src,src+n).
type odfPiece struct{ dst, src, n int }

// maxODFRegions bounds the change log's regions read: a document edited
// for years with tracking on holds thousands; past the bound the rest of
// the marks are left as they stand.
const maxODFRegions = 1 << 14

// odfChanged reports whether an office part may hold OpenDocument tracked
// changes: one vectorised search, asked of office parts only.
func odfChanged(d []byte) bool { return bytes.Contains(d, []byte("changed-region")) }

// odfRegion is one changed region of the log: a deletion's text, the
// part's bytes [lo,hi), or an insertion.
type odfRegion struct {
	insertion bool
	lo, hi    int
}

// restoreODF returns the part d with its tracked deletions put back at
// their marks and its insertions dropped, or ok false when it holds no
// change whose mark it has.
func restoreODF(d []byte) (r odfRestored, ok bool) {
	logLo, logHi, regions := odfLog(d)
	if len(regions) == 0 {
		return r, false
	}
	r.text = make([]byte, 0, len(d))
	copyFrom := func(lo, hi int) {
		if hi <= lo {
			return
		}
		r.pieces = append(r.pieces, odfPiece{len(r.text), lo, hi - lo})
		r.text = append(r.text, d[lo:hi]...)
	}
	at := 0 // the part's bytes before at are in r.text, or left out
	// copyTo copies the part from at to end, the log left out.
	copyTo := func(end int) {
		if at <= logLo && logLo < end {
			copyFrom(at, logLo)
			at = logHi
		}
		copyFrom(at, end)
		at = max(at, end)
	}
	put := false
	for i := 0; i < len(d); {
		k := bytes.Index(d[i:], []byte("change"))
		if k < 0 {
			break
		}
		p := i + k
		i = p + len("change")
		if p >= logLo && p < logHi {
			i = logHi
			continue
		}
		lt, tag, gt := tagAround(d, p)
		if lt < 0 {
			continue
		}
		local := string(odfLocal(tag))
		if local != "change" && local != "change-start" {
			continue // change-end, whose start was read, or another element
		}
		id := attrValue(tag, "change-id")
		reg, known := regions[string(id)]
		switch {
		case !known:
		case local == "change" && !reg.insertion:
			copyTo(lt)
			copyFrom(reg.lo, reg.hi)
			at, i, put = gt+1, gt+1, true
		case local == "change-start" && reg.insertion:
			// The inserted text, to the mark that ends it, was not there
			// before the change.
			if end := odfChangeEnd(d, gt+1, id); end > 0 {
				copyTo(lt)
				at, i, put = end, end, true
			}
		}
	}
	if !put {
		return odfRestored{}, false
	}
	copyTo(len(d))
	return r, true
}

// tagAround returns the start tag whose name holds d[p]: where its '<'
// and '>' stand and its text between them; lt -1 where d[p] is in none
// (text, an end tag).
func tagAround(d []byte, p int) (lt int, tag []byte, gt int) {
	if p <= 0 || p >= len(d) {
		return -1, nil, 0
	}
	lt = p - 1
	for lt >= 0 && lt > p-32 && d[lt] != '<' && d[lt] != '>' && !tagBlank(d[lt]) {
		lt--
	}
	if lt < 0 || d[lt] != '<' {
		return -1, nil, 0
	}
	gt = bytes.IndexByte(d[p:min(len(d), p+maxTagBytes)], '>')
	if gt < 0 {
		return -1, nil, 0
	}
	gt += p
	return lt, d[lt+1 : gt], gt
}

// odfLog reads the part's change log, text:tracked-changes: where it
// stands, [lo,hi), and its regions by id, each a deletion's text (its
// change-info, who deleted it and when, left out, and its first
// paragraph's start tag and last one's end tag trimmed: the first
// paragraph of a deletion joins the text before its mark, the last the
// text after it) or an insertion.
func odfLog(d []byte) (lo, hi int, regions map[string]odfRegion) {
	lo = -1
	var tag []byte
	for i := 0; lo < 0; {
		k := bytes.Index(d[i:], []byte("tracked-changes"))
		if k < 0 {
			return 0, 0, nil
		}
		p := i + k
		i = p + 1
		lt, t, _ := tagAround(d, p)
		if lt < 0 || string(odfLocal(t)) != "tracked-changes" || bytes.HasPrefix(t, []byte("table:")) || bytes.HasSuffix(t, []byte("/")) {
			continue // an end tag, a word, Calc's log (table:tracked-changes)
		}
		lo, tag = lt, t
	}
	qname := tag[:len(tag)-len(bytes.TrimLeft(tag, qnameBytes))]
	closer := append(append([]byte("</"), qname...), '>')
	e := bytes.Index(d[lo:], closer)
	if e < 0 {
		return 0, 0, nil
	}
	hi = lo + e + len(closer)
	regions = map[string]odfRegion{}
	log := d[:hi]
	for i := lo; len(regions) < maxODFRegions; {
		k := bytes.Index(log[i:], []byte("changed-region"))
		if k < 0 {
			break
		}
		p := i + k
		i = p + len("changed-region")
		lt, t, gt := tagAround(log, p)
		if lt < 0 || string(odfLocal(t)) != "changed-region" {
			continue
		}
		id := attrValue(t, "id")
		if len(id) == 0 {
			continue
		}
		// Its change: the first element inside it.
		c := xmlBlanks(log, gt+1)
		if c >= len(log) || log[c] != '<' {
			continue
		}
		clt, ct, cgt := tagAround(log, c+1)
		if clt != c {
			continue
		}
		switch string(odfLocal(ct)) {
		case "insertion":
			regions[string(id)] = odfRegion{insertion: true}
		case "deletion":
			if bytes.HasSuffix(ct, []byte("/")) {
				continue
			}
			name := ct[:len(ct)-len(bytes.TrimLeft(ct, qnameBytes))]
			end := bytes.Index(log[cgt+1:], append(append([]byte("</"), name...), '>'))
			if end < 0 {
				continue
			}
			reg := odfRegion{lo: cgt + 1, hi: cgt + 1 + end}
			trimDeletion(log, &reg)
			regions[string(id)] = reg
			i = cgt + 1 + end
		}
	}
	return lo, hi, regions
}

// qnameBytes are the bytes of an element's qualified name.
const qnameBytes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-_."

// trimDeletion trims from a deletion's text its change-info (its first
// element, ODF's office:change-info: who deleted it and when, and a
// comment's paragraphs, which are no text of the document), the start tag
// of its first paragraph (or heading) and the end tag of its last: a
// deletion inside a paragraph is written as a paragraph of its own, whose
// text joins the paragraph its mark stands in.
func trimDeletion(d []byte, r *odfRegion) {
	from := xmlBlanks(d[:r.hi], r.lo)
	if lt, t, _ := tagAround(d[:r.hi], from+1); lt == from && string(odfLocal(t)) == "change-info" {
		if bytes.HasSuffix(t, []byte("/")) {
			from = from + len(t) + 2
		} else {
			closer := append(append([]byte("</"), t[:len(t)-len(bytes.TrimLeft(t, qnameBytes))]...), '>')
			if e := bytes.Index(d[from:r.hi], closer); e > 0 {
				from += e + len(closer)
			}
		}
	}
	from = xmlBlanks(d[:r.hi], from)
	if lt, t, gt := tagAround(d[:r.hi], from+1); lt == from && !bytes.HasSuffix(t, []byte("/")) {
		if l := string(odfLocal(t)); l == "p" || l == "h" {
			from = gt + 1
		}
	}
	r.lo = min(from, r.hi)
	end := r.hi
	for end > r.lo && tagBlank(d[end-1]) {
		end--
	}
	if end > r.lo && d[end-1] == '>' {
		if lt := bytes.LastIndexByte(d[r.lo:end], '<'); lt >= 0 && r.lo+lt+1 < end && d[r.lo+lt+1] == '/' {
			if l := string(odfLocal(d[r.lo+lt+1 : end-1])); l == "p" || l == "h" {
				end = r.lo + lt
			}
		}
	}
	r.hi = end
}

// odfChangeEnd returns where the change-end mark of id ends, searched
// from i, or -1.
func odfChangeEnd(d []byte, i int, id []byte) int {
	for {
		k := bytes.Index(d[i:], []byte("change-end"))
		if k < 0 {
			return -1
		}
		p := i + k
		i = p + len("change-end")
		gt := bytes.IndexByte(d[p:min(len(d), p+maxTagBytes)], '>')
		if gt < 0 {
			continue
		}
		if bytes.Equal(attrValue(d[p:p+gt], "change-id"), id) {
			return p + gt + 1
		}
	}
}

// attrValue returns the value of the attribute of the local name local
// in a tag's text (any prefix: text:change-id, text:id), or nil.
func attrValue(tag []byte, local string) []byte {
	for i := 0; ; {
		k := bytes.Index(tag[i:], []byte(local+"="))
		if k < 0 {
			return nil
		}
		p := i + k
		i = p + len(local) + 1
		if p > 0 && tag[p-1] != ':' && !tagBlank(tag[p-1]) {
			continue
		}
		if i >= len(tag) || tag[i] != '"' && tag[i] != '\'' {
			continue
		}
		q := bytes.IndexByte(tag[i+1:], tag[i])
		if q < 0 {
			return nil
		}
		return tag[i+1 : i+1+q]
	}
}

// place returns where the restored text's [lo,hi) comes from in the part:
// the first and last of the part's bytes its pieces were copied from.
func (r *odfRestored) place(lo, hi int) (int, int) {
	first := sortSearch(r.pieces, lo)
	from, to := -1, -1
	for _, p := range r.pieces[first:] {
		if p.dst >= hi {
			break
		}
		a, b := max(lo, p.dst)-p.dst+p.src, min(hi, p.dst+p.n)-p.dst+p.src
		if from < 0 || a < from {
			from = a
		}
		to = max(to, b)
	}
	if from < 0 {
		return lo, hi
	}
	return from, to
}

// sortSearch returns the index of the piece that holds dst (the last
// that starts at or before it).
func sortSearch(ps []odfPiece, dst int) int {
	i, _ := slices.BinarySearchFunc(ps, dst, func(p odfPiece, x int) int {
		switch {
		case p.dst+p.n <= x:
			return -1
		case p.dst > x:
			return 1
		}
		return 0
	})
	return min(i, max(0, len(ps)-1))
}

// odfPart reports whether the input is an OpenDocument part (content.xml
// or styles.xml of a package, a flat .fodt, or XML that declares
// OpenDocument's namespace) that holds tracked changes: the name first,
// then one search of the bytes. Word's, PowerPoint's and Excel's parts
// are not searched: their changes are in place.
func odfPart(name string, data []byte) bool {
	switch {
	case odfPartName(name) || flatOffice(name):
		return odfChanged(data)
	case officeText(name):
		return false
	}
	return len(data) > 0 && (data[0] == '<' || data[0] == 0xef) && odfChanged(data) && bytes.Contains(data, []byte("names:tc:opendocument:xmlns:"))
}

// odfPartName reports whether an archive member is named as an
// OpenDocument package's text parts are (content.xml, styles.xml).
func odfPartName(name string) bool {
	i := strings.LastIndexByte(name, '!')
	if i < 0 {
		return false
	}
	base := name[i+1:]
	base = base[strings.LastIndexByte(base, '/')+1:]
	return strings.EqualFold(base, "content.xml") || strings.EqualFold(base, "styles.xml")
}

// odfOriginal adds to fs, the findings of the office part data, those the
// part read before its tracked changes gives (restoreODF): a value fs
// holds is not reported twice. Their places are the part's.
func (s *Scanner) odfOriginal(name string, data []byte, limit int, noDirectives bool, fs Findings, c Counts) (Findings, Counts) {
	r, ok := restoreODF(data)
	if !ok {
		return fs, c
	}
	more, n := s.scanPlain(name, r.text, limit, noDirectives)
	c.Undecoded = max(c.Undecoded, n.Undecoded)
	c.Unchecked = max(c.Unchecked, n.Unchecked)
	if len(more) == 0 {
		return fs, c
	}
	type value struct {
		kind           rules.Kind
		secret, tested string
	}
	seen := make(map[value]bool, len(fs))
	for i := range fs {
		seen[value{fs[i].Kind, fs[i].Secret, fs[i].TestKey}] = true
	}
	added := false
	for _, f := range more {
		if seen[value{f.Kind, f.Secret, f.TestKey}] || f.InPath {
			continue
		}
		f.Offset, f.EndOffset = r.place(f.Offset, f.EndOffset)
		f.Line, f.Column = lineColumn(data, f.Offset)
		f.EndLine, f.EndColumn = lineColumn(data, max(f.Offset, f.EndOffset-1))
		f.EndColumn++
		f.CharColumn, f.EndCharColumn = 0, 0
		if f.Encoding == "" {
			f.Encoding = "xml-text" // a paragraph read whole, as the markup's reading names it
		}
		fs = append(fs, f)
		added = true
	}
	if !added {
		return fs, c
	}
	fs.Sort()
	if limit > 0 && len(fs) > limit {
		c.Unlisted += len(fs) - limit
		fs = fs[:limit]
	}
	return fs, c
}

// lineColumn returns the line and byte column (from 1) of data's byte at
// off.
func lineColumn(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return bytes.Count(data[:start], []byte("\n")) + 1, off - start + 1
}

// odfLocal returns an element's local name from its tag's text (after
// '<' or "</"): text:change-start's is change-start (localName stops at
// the '-').
func odfLocal(tag []byte) []byte {
	tag = bytes.TrimPrefix(tag, []byte("/"))
	name := tag[:len(tag)-len(bytes.TrimLeft(tag, qnameBytes))]
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// xmlBlanks returns where the first byte at or after i that is no XML
// blank stands in d, or len(d).
func xmlBlanks(d []byte, i int) int {
	for i < len(d) && tagBlank(d[i]) {
		i++
	}
	return i
}
