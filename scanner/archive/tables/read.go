package tables

import (
	"bytes"
	"strconv"
)

// sharedStrings returns the items of an .xlsx workbook's shared strings
// (<si>), each its runs' text joined (<si><r><t>…</t></r><r>…</r></si>),
// its phonetic guides (<rPh>, Japanese readings) left out, as a cell
// shows it.
func sharedStrings(d []byte) [][]byte {
	var (
		items     [][]byte
		cur       []byte
		inSI, inT bool
		rph       int
	)
	l := lexer{d: d}
	for l.next() {
		t := &l.t
		switch {
		case t.name == nil:
			if inSI && inT && rph == 0 {
				cur = textOf(cur, t)
			}
		case t.code == nSI:
			if t.end || t.empty {
				items = append(items, bytes.TrimSpace(cur))
				cur, inSI = nil, false
			} else {
				cur, inSI = nil, true
			}
		case t.code == nT:
			inT = !t.end && !t.empty
		case t.code == nRPh:
			rph = nest(t, rph)
		}
	}
	return items
}

// nest returns how deep inside an element of t's name the walk is after t,
// n before it.
func nest(t *token, n int) int {
	switch {
	case t.end:
		return max(0, n-1)
	case t.empty:
		return n
	}
	return n + 1
}

// textOf appends a text token to a cell's text.
func textOf(c []byte, t *token) []byte {
	if t.cdata {
		return cellText(c, bytes.ReplaceAll(t.text, []byte("&"), []byte("&amp;")))
	}
	return cellText(c, t.text)
}

// column returns the column of a cell reference (B7: 1), or -1.
func column(ref []byte) int {
	n, i := 0, 0
	for ; i < len(ref) && i < 4; i++ {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		n = n*26 + int(c-'a') + 1
	}
	if i == 0 || i == len(ref) || ref[i] < '0' || ref[i] > '9' {
		return -1
	}
	return n - 1
}

// readSheet reads an .xlsx worksheet's rows (<row r="2"><c r="B2" t="s">
// <v>7</v></c>…): a cell's value is its shared string (t="s"), its inline
// string (t="inlineStr", <is>), or its <v> as it stands (a number, a
// formula's string result t="str", a boolean); a formula (<f>) is not
// read. A cell without a reference follows the one before it.
func readSheet(d []byte, shared [][]byte, w *writer) {
	var (
		rows        []row
		cur         row
		col, n      int
		typ, v, is  []byte
		inV, inIs   bool
		inT, inCell bool
		rph         int
		size        int
	)
	l := lexer{d: d}
	for l.next() {
		t := &l.t
		switch {
		case t.name == nil:
			switch {
			case inV:
				v = append(v, t.text...)
			case inIs && inT && rph == 0:
				is = textOf(is, t)
			}
		case t.code == nRow:
			if t.end || t.empty {
				if len(cur.cells) > 0 {
					rows = append(rows, cur)
				}
				cur = row{}
				if t.end {
					continue
				}
			}
			n++
			if r, err := strconv.Atoi(string(attr(t.attrs, "r"))); err == nil && r > 0 {
				n = r
			}
			cur, col = row{n: n}, 0
		case t.code == nC:
			if t.end {
				if inCell {
					text := sheetValue(typ, v, is, shared)
					if len(text) > 0 && col < maxColumn {
						cur.cells = append(cur.cells, cell{col, text})
						size += len(text) + 1
					}
					col++
				}
				inCell = false
				continue
			}
			if c := column(attr(t.attrs, "r")); c >= 0 {
				col = c
			}
			typ, v, is = attr(t.attrs, "t"), nil, nil
			inCell, inV, inIs, inT, rph = !t.empty, false, false, false, 0
			if t.empty {
				col++
			}
		case !inCell:
		case t.code == nV:
			inV = !t.end && !t.empty
		case t.code == nIs:
			inIs = !t.end && !t.empty
		case t.code == nT:
			inT = !t.end && !t.empty
		case t.code == nRPh:
			rph = nest(t, rph)
		}
		if size > w.limit {
			break // the rows cannot all be written: the writer says so
		}
	}
	if len(cur.cells) > 0 {
		rows = append(rows, cur)
	}
	w.table(rows)
}

// sheetValue is the text a cell shows.
func sheetValue(typ, v, is []byte, shared [][]byte) []byte {
	switch string(typ) {
	case "s":
		i, err := strconv.Atoi(string(bytes.TrimSpace(v)))
		if err != nil || i < 0 || i >= len(shared) {
			return nil
		}
		return shared[i]
	case "inlineStr":
		return bytes.TrimSpace(is)
	}
	return bytes.TrimSpace(cellText(nil, v))
}

// keywordWords are the parts of "secret" and "token", lower or upper
// case (Secret and Token too), that a header naming a secret's or a
// session token's column holds (aws_secret_access_key, Secret access key,
// SecretAccessKey, AWS_SESSION_TOKEN, Session Token): a part or a workbook
// without one is not rebuilt, which its tables would cost for nothing (a
// walk of every tag). Each starts with a byte markup holds seldom enough
// (c, C, k, K) that bytes.Index finds it by IndexByte's vectorised search;
// "secret" and "token" themselves start with bytes markup holds every few
// bytes, which kept bytes.Index in a loop of calls that cost a third of the
// scan of a Word table.
var keywordWords = [][]byte{[]byte("cret"), []byte("CRET"), []byte("ken"), []byte("KEN")}

// keywordIn reports whether b holds one of keywordWords.
func keywordIn(b []byte) bool {
	for _, w := range keywordWords {
		if bytes.Contains(b, w) {
			return true
		}
	}
	return false
}

// table is one table being read by readTables.
type table struct {
	odf     bool // OpenDocument's: text anywhere in a cell, not only in <t>
	rows    []row
	cur     row
	n       int // rows so far, repeats counted
	rowRep  int // the current row's repeats
	col     int
	inCell  bool
	colRep  int
	text    []byte
	paras   int // paragraphs begun in the cell
	inT     bool
	skip    int // depth inside an element whose text the cell does not show
	size    int
	written bool
}

// readTables reads the tables of an OpenDocument content.xml
// (<table:table>, <table:table-row>, <table:table-cell>, repeats by
// number-rows-repeated and number-columns-repeated, merged cells'
// <table:covered-table-cell>) and of a Word or PowerPoint part (<w:tbl>
// <w:tr> <w:tc>, <a:tbl> <a:tr> <a:tc>, a merged cell's gridSpan). A table
// inside a cell is a table of its own. Paragraphs, tabs and line breaks
// in a cell are blanks; a cell's annotations (office:annotation), Word's
// deleted text and field codes (not in <w:t>) are not its text.
func readTables(d []byte, w *writer) {
	var stack []*table
	l := lexer{d: d}
	for !w.full && l.next() {
		t := &l.t
		var tb *table
		if len(stack) > 0 {
			tb = stack[len(stack)-1]
		}
		switch {
		case t.code == nTable || t.code == nTbl:
			if t.end {
				if tb != nil {
					tb.flush(w)
					stack = stack[:len(stack)-1]
				}
			} else if !t.empty {
				stack = append(stack, &table{odf: t.code == nTable})
			}
			continue
		case tb == nil:
			continue
		case t.name == nil:
			if tb.inCell && tb.skip == 0 && (tb.odf || tb.inT) {
				tb.text = textOf(tb.text, t)
			}
			continue
		}
		tb.tag(t)
		if tb.size > w.limit {
			w.full = true
		}
	}
	for i := len(stack) - 1; i >= 0; i-- {
		stack[i].flush(w) // a part cut short: its rows so far
	}
}

// tag reads a tag inside the table.
func (tb *table) tag(t *token) {
	switch {
	case t.code == nTableRow || t.code == nTr:
		tb.endRow() // the row before, also when its end tag is missing
		if t.end {
			return
		}
		tb.n++
		tb.cur, tb.col, tb.rowRep = row{n: tb.n}, 0, count(t.attrs, "number-rows-repeated", 1<<20)
		if t.empty {
			tb.endRow()
		}
	case t.code == nTableCell || t.code == nCoveredCell || t.code == nTc:
		if t.end {
			tb.endCell()
			return
		}
		tb.inCell, tb.text, tb.paras, tb.skip, tb.inT = true, nil, 0, 0, false
		tb.colRep = count(t.attrs, "number-columns-repeated", maxColumn)
		if span := count(t.attrs, "gridSpan", maxColumn); span > 1 {
			tb.colRep = -span // PowerPoint: one cell over span columns
		}
		if t.empty {
			tb.endCell()
		}
	case !tb.inCell:
	case t.code == nGridSpan: // Word: <w:tcPr><w:gridSpan w:val="2"/>
		if span := count(t.attrs, "val", maxColumn); span > 1 {
			tb.colRep = -span
		}
	case t.code == nAnnotation:
		tb.skip = nest(t, tb.skip)
	case t.code == nT:
		tb.inT = !t.end && !t.empty
	case t.code == nP:
		if !t.end {
			if tb.paras > 0 {
				tb.text = append(tb.text, ' ')
			}
			tb.paras++
		}
	case t.code == nS && tb.odf:
		for range min(8, count(t.attrs, "c", 8)) {
			tb.text = append(tb.text, ' ')
		}
	case t.code == nTab || t.code == nLineBreak || t.code == nBr:
		tb.text = append(tb.text, ' ')
	}
}

// endCell puts the cell's text in its column, repeated as it says.
func (tb *table) endCell() {
	if !tb.inCell {
		return
	}
	tb.inCell = false
	rep, span := tb.colRep, 1
	if rep < 0 {
		rep, span = 1, -rep
	}
	text := bytes.TrimSpace(tb.text)
	if len(text) > 0 {
		for i := range min(rep, maxRepeat) {
			if c := tb.col + i; c < maxColumn {
				tb.cur.cells = append(tb.cur.cells, cell{c, text})
				tb.size += len(text) + 1
			}
		}
	}
	tb.col = min(maxColumn, tb.col+rep*span)
}

// endRow keeps the row if a cell of it is filled, repeated as it says.
func (tb *table) endRow() {
	tb.endCell()
	rep := max(1, tb.rowRep)
	if len(tb.cur.cells) > 0 {
		for i := range min(rep, maxRepeat) {
			r := tb.cur
			r.n += i
			tb.rows = append(tb.rows, r)
			tb.size += 8 * len(r.cells)
		}
	}
	tb.n += rep - 1
	tb.cur, tb.rowRep = row{}, 1
}

// flush writes the table's rows.
func (tb *table) flush(w *writer) {
	if tb.written {
		return
	}
	tb.written = true
	if len(tb.cur.cells) > 0 || tb.inCell {
		tb.endRow()
	}
	w.table(tb.rows)
}
