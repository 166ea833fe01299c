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
// fail them at once, having read no line.
func headerOf(d []byte, kws []keyword, k int, after byte) (h tableHeader, read int, ok bool) {
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
	le := cellLineEnd(d, kw.end, 4096)
	if read = le - kw.start; bytes.ContainsAny(d[kw.start:le], "(){}=") {
		return tableHeader{}, read, false
	}
	ls := i
	if before != '\n' {
		ls = lineStartWithin(d, kw.start, 4096)
	}
	line := d[ls:le]
	if read = le - ls; delim != '|' && ls < le && (d[ls] == ' ' || d[ls] == '\t') || bytes.ContainsAny(d[ls:kw.start], "(){}=") {
		return tableHeader{}, read, false
	}
	cells := cellsOf(line, delim)
	if cells < 2 || le >= len(d) || filledCells(line, delim) < 2 {
		return tableHeader{}, read, false
	}
	next := le + 1
	nle := cellLineEnd(d, next, 4096)
	if delim == '|' && markdownRule(d[next:nle]) && nle < len(d) {
		next = nle + 1
		nle = cellLineEnd(d, next, 4096)
	}
	if read += nle - le; cellsOf(d[next:nle], delim) != cells {
		return tableHeader{}, read, false
	}
	return tableHeader{kw: k, col: cellIndex(d, ls, kw.start, delim), cells: cells, delim: delim, from: next, to: min(len(d), next+maxTableRows)}, read, true
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
		h, read, ok = headerOf(m.data, m.keywords, i, after)
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
