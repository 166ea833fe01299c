package scanner

import (
	"bytes"
	"cmp"
	"slices"
)

// A delimited table's header names the values of its column in every row
// below it (qa21 M6), as an HTML table's header and a SQL statement's
// column list do (sqlColumnValue):
//
//	id,user_name,created,region,aws_secret_access_key,notes
//	1,ci-deploy,2024-01-01,us-east-1,S,rotated yearly
//
//	| user | secret access key | region |
//	|------|-------------------|--------|
//	| ci   | S                 | eu-west-1 |
//
// and the same with tabs or semicolons between the cells. A keyword is a
// header cell when it fills a cell whole (quotes and blanks around it),
// its line has at least two cells and no code's brackets or assignments,
// and the next row (after a Markdown table's rule) has as many cells. A
// value is named by it when it fills the cell of the same column in a row
// with as many cells, up to maxTableRows bytes below.

// maxTableRows bounds how far below its header a column's values are
// read: the window after the header keyword reaches that far.
const maxTableRows = 64 << 10

// tableHeader is a keyword that heads a column of a delimited table.
type tableHeader struct {
	kw       int  // the keyword's index in match.keywords
	col      int  // the column's index on its line
	cells    int  // the header's cells
	delim    byte // , \t | ;
	from, to int  // the rows below it that it may name
	grid     tableGrid
}

// The classes of cellBytes.
const (
	cellPadding = 1 + iota // blanks, quotes, Markdown's code and emphasis marks
	cellDelim              // , \t | ;
	cellLineBrk            // \n \r
	cellCloser             // < ! : a markup or wiki table's cell ends (gridtable.go)
)

// cellBytes sorts the bytes a table's cells are read by: a lookup is what
// lets cellEndAfter, asked of every keyword, be inlined where it is asked.
var cellBytes = func() (t [256]uint8) {
	for _, c := range []byte(" \"'`*") {
		t[c] = cellPadding
	}
	for _, c := range []byte(",\t|;") {
		t[c] = cellDelim
	}
	t['\n'], t['\r'] = cellLineBrk, cellLineBrk
	t['<'], t['!'] = cellCloser, cellCloser
	return t
}()

// cellPad reports whether c may stand around a cell's text: blanks,
// quotes, Markdown's code and emphasis marks.
func cellPad(c byte) bool { return cellBytes[c] == cellPadding }

// headerByte reports whether c may stand beside the keyword in a header
// cell: the cell's padding, or the other words of its name (AWS Secret
// Access Key).
func headerByte(c byte) bool { return cellPad(c) || isWord(c) || c == '-' }

// isCellDelim reports whether c separates a table's cells.
func isCellDelim(c byte) bool { return cellBytes[c] == cellDelim }

// cellEndAfter returns what ends the cell of a name that ends at j, past
// the cell's padding (16 bytes of it at most): its delimiter, '\n' for the
// line's end ('\r', the data's end), '<' or '!' (an HTML or MediaWiki
// cell's end: gridtable.go), or 0 when it is neither, as for most
// keywords ("key": , key = , prose), which then head no column. It is
// headerOf's first test, asked before the call.
func cellEndAfter(d []byte, j int) byte {
	for k := j; j < len(d) && cellBytes[d[j]] == cellPadding && j-k < 16; j++ {
	}
	if j >= len(d) || cellBytes[d[j]] == cellLineBrk {
		return '\n'
	}
	if c := cellBytes[d[j]]; c == cellDelim || c == cellCloser {
		return d[j]
	}
	return 0
}

// headerOf returns the table header that the keyword is, if it is one,
// and how many bytes of lines it read for the answer (headerByteCost).
// after is cellEndAfter's answer for it, not 0: the keyword ends its cell.
// The next tests are on the bytes before the keyword: most keywords left
// fail them at once, having read no line. A header's line starts at most
// headerLineBytes before the keyword and ends at most that far after it:
// a longer line was read as the part within reach, its cells counted from
// a cut and its next row read on the same line, and each keyword of a line
// of them ("secret," repeated, BenchmarkSlowest's find) read 8 KiB of it
// again (0.4 MB per CPU second without a budget). What a line says, its
// cells and its next row's, is read once for all its keywords
// (headerLine), and charged to each as before.
func (m *match) headerOf(k int, after byte) (h tableHeader, read int, ok bool) {
	d, kws := m.data, m.keywords
	kw := &kws[k]
	before := byte('\n')
	// The keyword starts its cell, or other words of its name do (AWS
	// Secret Access Key).
	i := kw.start
	for i > 0 && headerByte(d[i-1]) && kw.start-i < 64 {
		i--
	}
	if i > 0 {
		before = d[i-1]
	}
	var delim byte
	switch {
	case isCellDelim(before) && (after == before || after == '\n'):
		delim = before
	case before == '\n' && isCellDelim(after):
		delim = after
		if delim != '|' && i < len(d) && (d[i] == ' ' || d[i] == '\t') {
			return tableHeader{}, 0, false // indented: a JSON list's item ("secretAccessKey",)
		}
	default:
		return tableHeader{}, 0, false
	}
	// The line is neither indented (a JSON list's item: "secretAccessKey",)
	// nor code (f(a, aws_secret_access_key, b)). Its part from the keyword
	// on is read first; its start is searched for only when a delimiter
	// stands before the keyword's cell (else the cell starts the line).
	le := m.lineEnd(kw.end, min(len(d), kw.end+headerLineBytes))
	if le < len(d) && d[le] != '\n' {
		return tableHeader{}, le - kw.start, false // a line longer than a header's
	}
	ls := i
	if before != '\n' {
		if ls = m.lineStart(kw.start, headerLineBytes); ls > 0 && d[ls-1] != '\n' {
			return tableHeader{}, le - kw.start, false // a line longer than a header's
		}
	}
	line := m.headerLine(ls, le, delim)
	if read = le - kw.start; line.lastCode >= kw.start {
		return tableHeader{}, read, false
	}
	if read = le - ls; delim != '|' && ls < le && (d[ls] == ' ' || d[ls] == '\t') || line.firstCode >= 0 && line.firstCode < kw.start {
		return tableHeader{}, read, false
	}
	if line.cellsRead(d); line.cells < 2 || le >= len(d) || line.filled < 2 {
		return tableHeader{}, read, false
	}
	line.nextRead(d)
	if read += line.nle - le; line.nextCells != line.cells {
		return tableHeader{}, read, false
	}
	return tableHeader{kw: k, col: line.cellIndex(d, kw.start), cells: line.cells, delim: delim, from: line.next, to: min(len(d), line.next+maxTableRows)}, read, true
}

// headerLineBytes is how far before and after its keyword a header's line
// may start and end.
const headerLineBytes = 4096

// headerLine is what headerOf reads of a line [ls,le) whose cells are
// parted by delim, for each of its keywords: each part is read the first
// time a keyword asks for it.
type headerLine struct {
	ls, le              int
	delim               byte
	firstCode, lastCode int // the first and last of ( ) { } = in the line, -1 for none
	cells, filled       int // cellsOf and filledCells of the line
	cellsKnown          bool
	next, nle           int // the next row (past a Markdown table's rule), and its end
	nextCells           int // its cellsOf
	nextKnown           bool
	// cellIndex's count up to idxAt: n delimiters outside quotes,
	// quoted whether a quote is open there
	idxAt, idxN int
	idxQuoted   bool
}

// headerLine returns what is known of the line [ls,le) with cells parted
// by delim: the keywords come in order, and those of one line ask one
// after the other.
func (m *match) headerLine(ls, le int, delim byte) *headerLine {
	l := &m.hdrLine
	if l.le == le && l.ls == ls && l.delim == delim && le > 0 {
		return l
	}
	d := m.data
	*l = headerLine{ls: ls, le: le, delim: delim, firstCode: -1, lastCode: -1, idxAt: ls}
	if j := bytes.IndexAny(d[ls:le], "(){}="); j >= 0 {
		l.firstCode = ls + j
		l.lastCode = ls + bytes.LastIndexAny(d[ls:le], "(){}=")
	}
	return l
}

// cellsRead reads the line's cells.
func (l *headerLine) cellsRead(d []byte) {
	if !l.cellsKnown {
		l.cells, l.filled, l.cellsKnown = cellsOf(d[l.ls:l.le], l.delim), filledCells(d[l.ls:l.le], l.delim), true
	}
}

// nextRead reads the row after the line (le < len(d)).
func (l *headerLine) nextRead(d []byte) {
	if l.nextKnown {
		return
	}
	next := l.le + 1
	nle := cellLineEnd(d, next, 4096)
	if l.delim == '|' && markdownRule(d[next:nle]) && nle < len(d) {
		next = nle + 1
		nle = cellLineEnd(d, next, 4096)
	}
	l.next, l.nle, l.nextCells, l.nextKnown = next, nle, cellsOf(d[next:nle], l.delim), true
}

// cellIndex is cellIndex(d, l.ls, pos, l.delim), counted on from the last
// keyword's place when pos is past it.
func (l *headerLine) cellIndex(d []byte, pos int) int {
	if pos < l.idxAt {
		l.idxAt, l.idxN, l.idxQuoted = l.ls, 0, false
	}
	for _, c := range d[l.idxAt:pos] {
		switch {
		case c == '"' && l.delim != '|':
			l.idxQuoted = !l.idxQuoted
		case c == l.delim && !l.idxQuoted:
			l.idxN++
		}
	}
	l.idxAt = pos
	n := l.idxN
	if l.delim == '|' && bytes.HasPrefix(bytes.TrimLeft(d[l.ls:pos], " \t"), []byte("|")) {
		n--
	}
	return n
}

// headsColumn notes keyword i as a table's header (m.tableHeads) when it
// is one, and returns the end of the rows below it that it may name, else
// 0; after is cellEndAfter's answer for it, not 0. The lines headerOf
// reads are charged as read: a line of "secret," read 8 KiB of itself for
// each of its keywords (0.5 MB per CPU second). Apart from findSecrets'
// loop, which keeps its values in registers.
func (m *match) headsColumn(i int, after byte) int {
	if m.spent() {
		return 0
	}
	var h tableHeader
	read, ok := 0, false
	if after != '<' && after != '!' {
		h, read, ok = m.headerOf(i, after)
	}
	if !ok {
		var more int
		h, more, ok = gridHeaderOf(m.data, m.keywords, i, after)
		read += more
	}
	m.costBytes(read, headerByteCost)
	if !ok {
		return 0
	}
	m.tableHeads = insertHeader(m.tableHeads, h)
	return h.to
}

// insertHeader adds h to hs, which it keeps in the order of their rows'
// start (from): the order they come in, but where a header's rows start
// before the last one's.
func insertHeader(hs []tableHeader, h tableHeader) []tableHeader {
	i := len(hs)
	for i > 0 && hs[i-1].from > h.from {
		i--
	}
	return slices.Insert(hs, i, h)
}

// cellIndex returns the index of the cell of the line starting at ls that
// holds pos: the delimiters before pos outside double quotes, less a
// Markdown row's opening pipe.
func cellIndex(d []byte, ls, pos int, delim byte) int {
	n, quoted := 0, false
	for _, c := range d[ls:pos] {
		switch {
		case c == '"' && delim != '|':
			quoted = !quoted
		case c == delim && !quoted:
			n++
		}
	}
	if delim == '|' && bytes.HasPrefix(bytes.TrimLeft(d[ls:pos], " \t"), []byte("|")) {
		n--
	}
	return n
}

// cellLineEnd returns the index of the line break after i (or where the data
// or the limit ends).
func cellLineEnd(d []byte, i, limit int) int {
	hi := min(len(d), i+limit)
	if k := bytes.IndexByte(d[i:hi], '\n'); k >= 0 {
		return i + k
	}
	return hi
}

// markdownRule reports whether a line is a Markdown table's rule:
// |---|:--:|, dashes, colons, pipes and blanks only.
func markdownRule(line []byte) bool {
	dash := false
	for _, c := range line {
		switch c {
		case '-':
			dash = true
		case '|', ':', ' ', '\t', '\r':
		default:
			return false
		}
	}
	return dash
}

// cellsOf counts the cells of a line split at delim, outside double
// quotes (CSV's "a,b"); a Markdown row's outer pipes open and close it.
func cellsOf(line []byte, delim byte) int {
	line = bytes.TrimRight(line, " \t\r")
	if delim == '|' {
		line = bytes.TrimLeft(line, " \t")
		line = bytes.TrimPrefix(line, []byte("|"))
		line = bytes.TrimSuffix(line, []byte("|"))
	}
	n, quoted := 1, false
	for _, c := range line {
		switch {
		case c == '"' && delim != '|':
			quoted = !quoted
		case c == delim && !quoted:
			n++
		}
	}
	return n
}

// filledCells counts the cells of a line that hold more than blanks
// and quotes: a header names at least two columns.
func filledCells(line []byte, delim byte) int {
	n, filled := 0, false
	for _, c := range line {
		switch {
		case c == delim:
			filled = false
		case !filled && c != ' ' && c != '\t' && c != '\r' && c != '"' && c != '\'' && c != '|':
			filled = true
			n++
		}
	}
	return n
}

// headerNames returns the header keyword that names the value r, or nil:
// r fills a cell whole, in a row below the header with as many cells, in
// the header's column.
func (m *match) headerNames(r run) *keyword {
	d := m.data
	// Only the headers from maxTableRows above r on may name it (their
	// rows end that far below them): found by their rows' start, in
	// order, where a file of many tables asked each of its values of
	// every header.
	lo, _ := slices.BinarySearchFunc(m.tableHeads, r.start-maxTableRows, func(h tableHeader, at int) int { return cmp.Compare(h.from, at+1) })
	for i := lo; i < len(m.tableHeads) && m.tableHeads[i].from <= r.start; i++ {
		h := &m.tableHeads[i]
		if r.start < h.from || r.start >= h.to {
			continue
		}
		if h.grid != gridDelimited {
			if gridNames(d, h, r) {
				return &m.keywords[h.kw]
			}
			continue
		}
		ls := lineStartWithin(d, r.start, 4096)
		le := cellLineEnd(d, r.end, 4096)
		if cellsOf(d[ls:le], h.delim) != h.cells || cellIndex(d, ls, r.start, h.delim) != h.col {
			continue
		}
		a, b := r.start, r.end
		for a > ls && cellPad(d[a-1]) {
			a--
		}
		for b < le && (cellPad(d[b]) || d[b] == '\r') {
			b++
		}
		if (a == ls || d[a-1] == h.delim) && (b == le || d[b] == h.delim) {
			return &m.keywords[h.kw]
		}
	}
	return nil
}
