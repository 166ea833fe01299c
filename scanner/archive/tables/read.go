package tables

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
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
// formula's string result t="str", a boolean); a formula (<f>) without a
// value is read as the join it is, if it is one (joinFormula). A cell
// without a reference follows the one before it. With formulasOnly, only
// the cells of such formulas are written. A formula's names and other
// sheets' cells are the workbook wb's (nil: none), the sheet named self in it.
func readSheet(d []byte, shared [][]byte, w *writer, formulasOnly bool, wb *workbook, self string) {
	rows, joins, fromFormula, size := sheetRows(d, shared, wb, self, w.limit)
	resolveJoins(rows, joins, w.limit-size, wb, self)
	if formulasOnly {
		rows = formulaCells(rows, fromFormula)
	}
	w.table(rows)
}

// sheetRows reads a sheet's rows for readSheet, with the joins that refer
// to cells left to resolve (resolveJoins), until size passes limit.
func sheetRows(d []byte, shared [][]byte, wb *workbook, self string, limit int) (rows []row, joins []pendingJoin, fromFormula map[[2]int]bool, size int) {
	var (
		cur            row
		col, n         int
		typ, v, is, f  []byte
		inV, inIs, inF bool
		inT, inCell    bool
		rph            int
		fShared, fSi   []byte                  // the cell's <f>'s t and si
		masters        map[string]sharedMaster // shared formulas' masters, by si
		sharedAtoms    int                     // atoms the filled cells took, bounded by maxSharedAtoms
	)
	l := lexer{d: d}
	for l.next() {
		t := &l.t
		switch {
		case t.name == nil:
			switch {
			case inV:
				v = append(v, t.text...)
			case inF:
				if len(f) <= maxFormula {
					f = append(f, t.text...)
				}
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
			for len(joins) > 0 && joins[len(joins)-1].row >= len(rows) {
				joins = joins[:len(joins)-1] // a row left unended: its cells are dropped
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
					var atoms []formulaAtom
					if len(text) == 0 && len(f) > 0 && len(bytes.TrimSpace(v)) == 0 {
						atoms, _ = joinFormula(unescapeXML(f), wb.namesFor(self, 1))
						if !sheetsKnown(atoms, wb, self) {
							atoms = nil // a sheet the workbook does not name: no join read
						}
						text = bytes.TrimSpace(cellText(nil, joined(atoms, nil)))
						if string(fShared) == "shared" && len(atoms) > 0 && len(masters) < maxSharedMasters {
							if masters == nil {
								masters = map[string]sharedMaster{}
							}
							masters[string(fSi)] = sharedMaster{cur.n - 1, col, atoms}
						}
					} else if len(text) == 0 && len(f) == 0 && string(fShared) == "shared" && len(bytes.TrimSpace(v)) == 0 {
						// a cell a shared formula fills: its master's join, moved
						if m, ok := masters[string(fSi)]; ok && sharedAtoms+len(m.atoms) <= maxSharedAtoms {
							if a, ok := shifted(m.atoms, cur.n-1-m.row, col-m.col); ok {
								atoms, sharedAtoms = a, sharedAtoms+len(a)
								text = bytes.TrimSpace(cellText(nil, joined(atoms, nil)))
							}
						}
					}
					refs := slices.ContainsFunc(atoms, func(a formulaAtom) bool { return a.ref })
					if (len(text) > 0 || refs) && col < maxColumn {
						if refs {
							joins = append(joins, pendingJoin{len(rows), len(cur.cells), atoms})
						}
						if len(atoms) > 0 {
							if fromFormula == nil {
								fromFormula = map[[2]int]bool{}
							}
							fromFormula[[2]int{cur.n, col}] = true
						}
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
			typ, v, is, f, fShared, fSi = attr(t.attrs, "t"), nil, nil, nil, nil, nil
			inCell, inV, inIs, inT, inF, rph = !t.empty, false, false, false, false, 0
			if t.empty {
				col++
			}
		case !inCell:
		case t.code == nV:
			inV = !t.end && !t.empty
		case t.code == nF:
			inF = !t.end && !t.empty
			if !t.end {
				fShared, fSi = attr(t.attrs, "t"), attr(t.attrs, "si")
			}
		case t.code == nIs:
			inIs = !t.end && !t.empty
		case t.code == nT:
			inT = !t.end && !t.empty
		case t.code == nRPh:
			rph = nest(t, rph)
		}
		if size > limit {
			break // the rows cannot all be written: the writer says so
		}
	}
	if len(cur.cells) > 0 {
		rows = append(rows, cur)
	}
	return rows, joins, fromFormula, size
}

// sheetsKnown reports whether every sheet the atoms refer to is the
// formula's own (self) or one the workbook has.
func sheetsKnown(atoms []formulaAtom, wb *workbook, self string) bool {
	for _, a := range atoms {
		if a.sheet != nil && !strings.EqualFold(string(a.sheet), self) && !wb.knows(a.sheet) {
			return false
		}
	}
	return true
}

// sharedMaster is a shared formula's master cell (row and column from 0)
// and its join, which the cells it fills read moved (shifted).
type sharedMaster struct {
	row, col int
	atoms    []formulaAtom
}

// maxSharedMasters bounds the shared formulas a sheet keeps, and
// maxSharedAtoms the pieces the cells they fill take in all: a sheet of a
// million filled cells costs a bounded memory (past it, they are read as
// cells without a value, as before).
const (
	maxSharedMasters = 4096
	maxSharedAtoms   = 1 << 20
)

// pendingJoin is a formula's join that refers to cells: its cell's place
// in the rows read, and its pieces.
type pendingJoin struct {
	row, cell int
	atoms     []formulaAtom
}

// resolveJoins puts in each pending join's cell its text with the values
// of the cells it refers to as the sheet holds them (another join's
// without its references), while the text so made stays within budget
// bytes.
func resolveJoins(rows []row, joins []pendingJoin, budget int, wb *workbook, self string) {
	if len(joins) == 0 {
		return
	}
	values := map[[2]int][]byte{}
	for _, r := range rows {
		for _, c := range r.cells {
			values[[2]int{r.n - 1, c.col}] = c.text
		}
	}
	value := func(a formulaAtom) []byte {
		if a.sheet != nil && !strings.EqualFold(string(a.sheet), self) {
			return wb.value(a.sheet, a.row, a.col)
		}
		return values[[2]int{a.row, a.col}]
	}
	for _, j := range joins {
		if j.row >= len(rows) || j.cell >= len(rows[j.row].cells) {
			continue
		}
		text := bytes.TrimSpace(cellText(nil, joined(j.atoms, value)))
		if budget -= len(text); budget < 0 {
			return
		}
		rows[j.row].cells[j.cell].text = text
	}
}

// formulaCells keeps of the rows the cells of joined formulas only.
func formulaCells(rows []row, from map[[2]int]bool) []row {
	var out []row
	for _, r := range rows {
		var cells []cell
		for _, c := range r.cells {
			if from[[2]int{r.n, c.col}] && len(c.text) > 0 {
				cells = append(cells, c)
			}
		}
		if len(cells) > 0 {
			out = append(out, row{n: r.n, cells: cells})
		}
	}
	return out
}

// uncachedFormula reports whether a sheet holds a formula without a value
// (<f>…</f> then </c>, <v/> or <v></v> between, any prefix): what a
// library writes, which joinFormula reads.
func uncachedFormula(d []byte) bool {
	for i := 0; ; {
		k := bytes.Index(d[i:], []byte("f>"))
		if k < 0 {
			return false
		}
		i += k + 2
		// an end tag: </f> or </x:f>
		b := i - 3
		if b >= 0 && d[b] == ':' {
			for b > 0 && d[b] != '<' && i-b < 64 {
				b--
			}
			b++
		}
		if b < 1 || d[b] != '/' || d[b-1] != '<' {
			continue
		}
		l := lexer{d: d, i: i}
		open := false
	tokens:
		for l.next() {
			switch {
			case l.t.name == nil:
				if len(bytes.TrimSpace(l.t.text)) > 0 {
					break tokens // a value
				}
			case l.t.code == nV && l.t.empty:
			case l.t.code == nV && !l.t.end:
				open = true
			case l.t.code == nV && open:
				open = false
			case l.t.code == nC && l.t.end:
				return true
			default:
				break tokens
			}
		}
	}
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
	// An OpenDocument table's name, and its cells' formulas without a
	// value (table:formula="of:=…" and no text: what a library writes),
	// read as joins (odfFormula) whose references the part's tables
	// resolve once all are read.
	name        []byte
	formula     []byte
	joins       []pendingJoin
	fromFormula map[[2]int]bool // the cells read from formulas, by row and column
}

// readTables reads the tables of an OpenDocument content.xml
// (<table:table>, <table:table-row>, <table:table-cell>, repeats by
// number-rows-repeated and number-columns-repeated, merged cells'
// <table:covered-table-cell>) and of a Word or PowerPoint part (<w:tbl>
// <w:tr> <w:tc>, <a:tbl> <a:tr> <a:tc>, a merged cell's gridSpan). A table
// inside a cell is a table of its own. Paragraphs, tabs and line breaks
// in a cell are blanks; a cell's annotations (office:annotation), Word's
// deleted text and field codes (not in <w:t>) are not its text.
//
// With formulasOnly, only the cells of OpenDocument formulas read as joins
// are written (a part without a keyword, read for its joins alone).
func readTables(d []byte, w *writer, formulasOnly bool) {
	var stack []*table
	write := func(tb *table) {
		if formulasOnly {
			w.table(formulaCells(tb.rows, tb.fromFormula))
			return
		}
		w.table(tb.rows)
	}
	// The part's tables, kept to be written at its end where one holds a
	// formula that refers to cells (of its own table or another).
	var kept, all []*table
	joins, size := false, 0
	flush := func(tb *table) {
		tb.finish()
		if tb.written {
			return
		}
		tb.written = true
		if tb.odf {
			all = append(all, tb) // its cells, for the formulas of the tables after it
		}
		if !joins && len(tb.joins) == 0 {
			write(tb)
			return
		}
		joins, size = true, size+tb.size
		if size > w.limit {
			w.full = true
		}
		kept = append(kept, tb)
	}
	defer func() {
		if len(kept) == 0 {
			return
		}
		wb := &workbook{sheets: map[string]string{}, values: map[string]map[[2]int][]byte{}}
		for _, tb := range all {
			name := strings.ToUpper(string(tb.name))
			vs := map[[2]int][]byte{}
			for _, r := range tb.rows {
				for _, c := range r.cells {
					vs[[2]int{r.n - 1, c.col}] = c.text
				}
			}
			wb.sheets[name], wb.values[name] = name, vs
		}
		budget := w.limit
		for _, tb := range kept {
			resolveJoins(tb.rows, tb.joins, budget, wb, string(tb.name))
			budget -= tb.size
			write(tb)
		}
	}()
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
					flush(tb)
					stack = stack[:len(stack)-1]
				}
			} else if !t.empty {
				stack = append(stack, &table{odf: t.code == nTable, name: attr(t.attrs, "name")})
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
		flush(stack[i]) // a part cut short: its rows so far
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
		tb.formula = nil
		if tb.odf {
			tb.formula = attr(t.attrs, "formula")
		}
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
	if len(text) == 0 && len(tb.formula) > 0 && rep == 1 {
		if atoms, ok := joinFormula(odfFormula(unescapeXML(tb.formula)), nil); ok {
			text = bytes.TrimSpace(cellText(nil, joined(atoms, nil)))
			if tb.fromFormula == nil {
				tb.fromFormula = map[[2]int]bool{}
			}
			tb.fromFormula[[2]int{tb.cur.n, tb.col}] = true
			if slices.ContainsFunc(atoms, func(a formulaAtom) bool { return a.ref }) && tb.col < maxColumn {
				tb.joins = append(tb.joins, pendingJoin{len(tb.rows), len(tb.cur.cells), atoms})
				tb.cur.cells = append(tb.cur.cells, cell{tb.col, text})
				tb.size += len(text) + 1
				tb.col = min(maxColumn, tb.col+span)
				return
			}
		}
	}
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

// odfUncached reports whether an OpenDocument part holds a cell whose
// formula has no value (table:formula and no office:value, string-value
// or other value attribute, and no text: an empty cell element or its end
// tag next), what a library writes and readTables reads as a join.
// LibreOffice writes every formula's value.
func odfUncached(d []byte) bool {
	for i, n := 0, 0; n < 1<<16; n++ {
		k := bytes.Index(d[i:], []byte("formula="))
		if k < 0 {
			return false
		}
		i += k + len("formula=")
		if i >= len(d) || d[i] != '"' && d[i] != '\'' {
			continue
		}
		q := bytes.IndexByte(d[i+1:], d[i])
		if q < 0 {
			return false
		}
		i += q + 2 // past the formula's value
		e := tagEnd(d[i:])
		if e < 0 {
			return false
		}
		tag := d[i : i+e]
		if !bytes.Contains(tag, []byte(`value="`)) && (bytes.HasSuffix(tag, []byte("/")) || bytes.HasPrefix(d[i+e+1:], []byte("</"))) {
			return true
		}
	}
	return false
}

// finish ends the table's last row, if its end tag was missing.
func (tb *table) finish() {
	if !tb.written && (len(tb.cur.cells) > 0 || tb.inCell) {
		tb.endRow()
	}
}

// odfFormula rewrites an OpenFormula expression (table:formula's
// "of:=CONCATENATE([.A1];[.B1])", [Sheet2.A1], ['My Sheet'.$A$1],
// [.A1:.B1]) in the syntax joinFormula reads (A1, 'Sheet2'!A1, A1:B1),
// its strings kept as they stand.
func odfFormula(f []byte) []byte {
	if i := bytes.IndexByte(f, ':'); i >= 0 && i < 6 && bytes.IndexByte(f[:i], '=') < 0 && bytes.IndexByte(f[:i], '"') < 0 {
		f = f[i+1:] // of:, oooc:
	}
	out := make([]byte, 0, len(f))
	for i := 0; i < len(f); i++ {
		switch c := f[i]; c {
		case '"':
			j := i + 1
			for j < len(f) && (f[j] != '"' || j+1 < len(f) && f[j+1] == '"') {
				if f[j] == '"' {
					j++
				}
				j++
			}
			out = append(out, f[i:min(len(f), j+1)]...)
			i = j
		case '[':
			j := bytes.IndexByte(f[i:], ']')
			if j < 0 {
				return append(out, f[i:]...)
			}
			for k, part := range bytes.SplitN(f[i+1:i+j], []byte(":"), 2) {
				if k > 0 {
					out = append(out, ':')
				}
				dot := bytes.LastIndexByte(part, '.')
				if dot < 0 {
					out = append(out, part...)
					continue
				}
				sheet := bytes.TrimPrefix(part[:dot], []byte("$"))
				if k == 0 && len(sheet) > 0 {
					if sheet[0] != '\'' {
						sheet = append(append([]byte("'"), bytes.ReplaceAll(sheet, []byte("'"), []byte("''"))...), '\'')
					}
					out = append(append(out, sheet...), '!')
				}
				out = append(out, part[dot+1:]...)
			}
			i += j
		default:
			out = append(out, c)
		}
	}
	return out
}
