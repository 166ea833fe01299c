package tables

import (
	"bytes"
)

// A cell's formula is kept in the sheet (<c><f>…</f><v>…</v></c>) with the
// value Excel last computed for it, which is what a cell shows and what
// readSheet reads. A workbook written by a library rather than by Excel
// (openpyxl, the usual way Python writes one; many exporters) holds the
// formula and no value: Excel computes it on opening. A key typed as a
// formula that joins strings, CONCATENATE("AKIA…","…") or "AKIA…"&"…",
// or that joins cells, A1&B1, is whole in no byte of such a sheet (qa34 5).
// So a formula without a value is read as the string it makes when it is
// no more than a join: string literals, numbers and references to cells
// of the same sheet or another the workbook names (and ranges of them in
// CONCAT and TEXTJOIN, row by row: qa36 M2), and the workbook's defined
// names (workbook.go), joined by &, CONCATENATE (CONCAT) or TEXTJOIN with
// a literal delimiter; any other function or operator makes a value that
// is not read. A reference is
// to a cell's value as the sheet holds it, another such formula's joined
// without its own references: one level, so a chain of references costs
// no more than its cells.

// maxFormula bounds the bytes of a formula that are read.
const maxFormula = 8 << 10

// maxRangeCells bounds the cells of a range that CONCAT joins: a key is
// split over a few cells, not a column.
const maxRangeCells = 64

// formulaAtom is a piece of a joined formula: a literal's text, or a
// reference to a cell (row and column from 0) when ref is set, on the
// sheet named sheet (nil: the formula's own).
type formulaAtom struct {
	text           []byte
	ref            bool
	row, col       int
	absRow, absCol bool   // $ before the row, the column: kept where the formula is shared
	sheet          []byte // Sheet2!A1, 'My Sheet'!A1: the sheet's name, as written
	// group is not 0 for an item of a TEXTJOIN call (each call its own
	// number): its items are joined with delim between them, an empty
	// one left out unless keepEmpty (its second argument FALSE).
	group     int
	delim     []byte
	keepEmpty bool
}

// shifted returns the atoms of a shared formula's master as a cell dr rows
// and dc columns from it reads them: its relative references moved by as
// much, as Excel fills a formula down or across (qa36 M2: the cells a
// shared formula fills hold no text of it, <f t="shared" si="0"/>). A
// reference moved off the sheet makes it no join.
func shifted(atoms []formulaAtom, dr, dc int) ([]formulaAtom, bool) {
	out := make([]formulaAtom, len(atoms))
	for i, a := range atoms {
		if a.ref && !a.absRow {
			a.row += dr
		}
		if a.ref && !a.absCol {
			a.col += dc
		}
		if a.row < 0 || a.col < 0 {
			return nil, false
		}
		out[i] = a
	}
	return out, true
}

// refAbs reports which parts of a cell reference cellRef reads are
// absolute: $B7 its column, B$7 its row.
func refAbs(w []byte) (absRow, absCol bool) {
	absCol = len(w) > 0 && w[0] == '$'
	return bytes.IndexByte(w[1:], '$') >= 0, absCol
}

// formulaNames looks up a workbook's defined name (part1, as workbook.xml's
// <definedName name="part1"> defines it) for a formula: the join its
// definition is (a cell, a range, a string), whether that is a range
// (more than one cell), and ok false for a name it does not define as a
// join. Nil defines none.
type formulaNames func(name []byte) (atoms []formulaAtom, isRange, ok bool)

// joinFormula parses the formula f (its XML references decoded) as a
// join, and returns its pieces in order, or ok false when it is anything
// else. names, where not nil, defines the names it may use.
func joinFormula(f []byte, names formulaNames) (atoms []formulaAtom, ok bool) {
	p := formulaParser{f: f, names: names}
	return p.join()
}

// formulaParser reads one formula (join), or a defined name's
// definition (rangeOK: a name may stand for a range).
type formulaParser struct {
	f       []byte
	names   formulaNames
	groups  int  // TEXTJOIN calls read
	rangeOK bool // a range may stand alone (a name's definition)
	ranged  bool // a range (or a name of one) was read
}

func (p *formulaParser) join() (atoms []formulaAtom, ok bool) {
	f := p.f
	if len(f) > maxFormula {
		return nil, false
	}
	depth := 0
	operand := true // an operand is expected next
	// Whether each open parenthesis is CONCAT's: only CONCAT joins a
	// range's cells (CONCAT(E2:F2), row by row); CONCATENATE and & over a
	// range make an array, not a string.
	var concat []bool
	next := false // the '(' read next opens CONCAT
	for i := 0; i < len(f); {
		c := f[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '=' && i == 0:
			i++
		case c == '&':
			if operand {
				return nil, false
			}
			i, operand = i+1, true
		case c == ',' || c == ';':
			if operand || depth == 0 {
				return nil, false
			}
			i, operand = i+1, true
		case c == '(':
			if !operand {
				return nil, false
			}
			depth++
			concat = append(concat, next)
			next = false
			i++
		case c == ')':
			if operand && (i == 0 || f[i-1] != '(') || depth == 0 {
				return nil, false
			}
			depth--
			concat = concat[:len(concat)-1]
			i, operand = i+1, false
		default:
			if !operand {
				return nil, false
			}
			if fn, j := funcName(f, i); fn != "" {
				switch fn {
				case "CONCATENATE":
					i = j // the '(' is read next
					continue
				case "CONCAT", "_XLFN.CONCAT":
					i, next = j, true
					continue
				case "TEXTJOIN", "_XLFN.TEXTJOIN":
					a, k, ok := p.textJoin(j + 1)
					if !ok {
						return nil, false
					}
					atoms = append(atoms, a...)
					i, operand = k, false
					continue
				}
				return nil, false
			}
			inConcat := len(concat) > 0 && concat[len(concat)-1]
			a, j, ok := p.operand(i, inConcat || p.rangeOK)
			if !ok {
				return nil, false
			}
			atoms = append(atoms, a...)
			i, operand = j, false
		}
	}
	if operand || depth != 0 || len(atoms) == 0 {
		return nil, false
	}
	return atoms, true
}

// funcName returns the name of the function called at f[i] (upper case)
// and where its '(' stands, or "".
func funcName(f []byte, i int) (string, int) {
	j := i
	for j < len(f) && (f[j] == '_' || f[j] == '.' || f[j]|0x20 >= 'a' && f[j]|0x20 <= 'z' || f[j] >= '0' && f[j] <= '9') {
		j++
	}
	if j == i || j >= len(f) || f[j] != '(' {
		return "", 0
	}
	return string(bytes.ToUpper(f[i:j])), j
}

// textJoin reads the arguments of a TEXTJOIN call from f[i], past its
// '(': a literal delimiter, a literal TRUE or FALSE (or 1, 0) for
// ignore_empty, then items, each one operand (a literal, a reference, a
// range, a name); where its ')' ends.
func (p *formulaParser) textJoin(i int) (atoms []formulaAtom, next int, ok bool) {
	f := p.f
	i = skipSpace(f, i)
	if i >= len(f) || f[i] != '"' {
		return nil, 0, false
	}
	d, i, ok := p.operand(i, false)
	if !ok || len(d) != 1 || d[0].ref {
		return nil, 0, false
	}
	delim := d[0].text
	i = skipSpace(f, i)
	if i >= len(f) || f[i] != ',' && f[i] != ';' {
		return nil, 0, false
	}
	i = skipSpace(f, i+1)
	j := i
	for j < len(f) && (f[j]|0x20 >= 'a' && f[j]|0x20 <= 'z' || f[j] >= '0' && f[j] <= '9') {
		j++
	}
	var keep bool
	switch string(bytes.ToUpper(f[i:j])) {
	case "TRUE", "1":
	case "FALSE", "0":
		keep = true
	default:
		return nil, 0, false
	}
	p.groups++
	for i = j; ; {
		i = skipSpace(f, i)
		if i >= len(f) {
			return nil, 0, false
		}
		if f[i] == ')' {
			if len(atoms) == 0 {
				return nil, 0, false
			}
			return atoms, i + 1, true
		}
		if f[i] != ',' && f[i] != ';' {
			return nil, 0, false
		}
		a, k, ok := p.operand(skipSpace(f, i+1), true)
		if !ok {
			return nil, 0, false
		}
		for _, x := range a {
			x.group, x.delim, x.keepEmpty = p.groups, delim, keep
			atoms = append(atoms, x)
		}
		i = k
	}
}

// skipSpace returns where the first byte at or after i that is no blank
// stands.
func skipSpace(f []byte, i int) int {
	for i < len(f) && (f[i] == ' ' || f[i] == '\t' || f[i] == '\n' || f[i] == '\r') {
		i++
	}
	return i
}

// operand reads one operand at f[i]: a string literal, a number, a
// reference to a cell (B7, $B$7, Sheet2!B7, 'My Sheet'!B7), a range of
// them where rangeOK (at most maxRangeCells, row by row), or a defined
// name; and where it ends.
func (p *formulaParser) operand(i int, rangeOK bool) (atoms []formulaAtom, next int, ok bool) {
	f := p.f
	c := f[i]
	switch {
	case c == '"':
		var s []byte
		j := i + 1
		for {
			if j >= len(f) {
				return nil, 0, false
			}
			if f[j] == '"' {
				if j+1 < len(f) && f[j+1] == '"' {
					s = append(s, '"')
					j += 2
					continue
				}
				break
			}
			s = append(s, f[j])
			j++
		}
		return []formulaAtom{{text: s}}, j + 1, true
	case c >= '0' && c <= '9' || c == '.':
		j := i
		for j < len(f) && (f[j] >= '0' && f[j] <= '9' || f[j] == '.') {
			j++
		}
		return []formulaAtom{{text: f[i:j]}}, j, true
	case c == '\'':
		// 'My Sheet'!A1: a sheet's name quoted, '' for a quote
		var name []byte
		j := i + 1
		for {
			if j >= len(f) {
				return nil, 0, false
			}
			if f[j] == '\'' {
				if j+1 < len(f) && f[j+1] == '\'' {
					name = append(name, '\'')
					j += 2
					continue
				}
				break
			}
			name = append(name, f[j])
			j++
		}
		if j+1 >= len(f) || f[j+1] != '!' || len(name) == 0 {
			return nil, 0, false
		}
		return p.reference(j+2, name, rangeOK)
	case c == '$' || c|0x20 >= 'a' && c|0x20 <= 'z' || c == '_':
		j := i
		for j < len(f) && (f[j] == '$' || f[j] == '_' || f[j] == '.' || f[j]|0x20 >= 'a' && f[j]|0x20 <= 'z' || f[j] >= '0' && f[j] <= '9') {
			j++
		}
		if j < len(f) && f[j] == '!' {
			if bytes.IndexByte(f[i:j], '$') >= 0 {
				return nil, 0, false
			}
			return p.reference(j+1, f[i:j], rangeOK)
		}
		if _, _, isRef := cellRef(f[i:j]); isRef {
			return p.reference(i, nil, rangeOK)
		}
		if p.names == nil || j < len(f) && f[j] == '(' {
			return nil, 0, false
		}
		a, isRange, ok := p.names(f[i:j])
		if !ok || isRange && !rangeOK {
			return nil, 0, false
		}
		p.ranged = p.ranged || isRange
		return a, j, true
	}
	return nil, 0, false
}

// reference reads a reference to a cell or a range at f[i], on the sheet
// named sheet (nil: the formula's own).
func (p *formulaParser) reference(i int, sheet []byte, rangeOK bool) (atoms []formulaAtom, next int, ok bool) {
	f := p.f
	refEnd := func(j int) int {
		for j < len(f) && (f[j] == '$' || f[j]|0x20 >= 'a' && f[j]|0x20 <= 'z' || f[j] >= '0' && f[j] <= '9') {
			j++
		}
		return j
	}
	j := refEnd(i)
	word := f[i:j]
	row, col, isRef := cellRef(word)
	if !isRef {
		return nil, 0, false
	}
	ar, ac := refAbs(word)
	if j >= len(f) || f[j] != ':' {
		return []formulaAtom{{ref: true, row: row, col: col, absRow: ar, absCol: ac, sheet: sheet}}, j, true
	}
	// A range, in CONCAT and TEXTJOIN alone: its cells row by row, at
	// most maxRangeCells of them.
	k := refEnd(j + 1)
	row2, col2, isRef := cellRef(f[j+1 : k])
	ar2, ac2 := refAbs(f[j+1 : k])
	if !isRef || !rangeOK || row2 < row || col2 < col || (row2-row+1)*(col2-col+1) > maxRangeCells {
		return nil, 0, false
	}
	for r := row; r <= row2; r++ {
		for c := col; c <= col2; c++ {
			// a cell inside a range moves with it where either end does
			atoms = append(atoms, formulaAtom{ref: true, row: r, col: c, absRow: ar && ar2, absCol: ac && ac2, sheet: sheet})
		}
	}
	p.ranged = p.ranged || len(atoms) > 1
	return atoms, k, true
}

// cellRef reads a reference to one cell (B7, $B$7) as its row and column
// from 0.
func cellRef(w []byte) (row, col int, ok bool) {
	i := 0
	if i < len(w) && w[i] == '$' {
		i++
	}
	s := i
	for i < len(w) && i-s < 3 && w[i]|0x20 >= 'a' && w[i]|0x20 <= 'z' {
		col = col*26 + int(w[i]|0x20-'a') + 1
		i++
	}
	if i == s {
		return 0, 0, false
	}
	if i < len(w) && w[i] == '$' {
		i++
	}
	d := i
	for i < len(w) && i-d < 7 && w[i] >= '0' && w[i] <= '9' {
		row = row*10 + int(w[i]-'0')
		i++
	}
	if i == d || i != len(w) || row == 0 {
		return 0, 0, false
	}
	return row - 1, col - 1, true
}

// joined returns the text of a join: its literals, and its references'
// values as value finds them (nil finds none), at most maxCell bytes. A
// TEXTJOIN call's items are joined with its delimiter, an empty one left
// out where it says so, as Excel joins them.
func joined(atoms []formulaAtom, value func(a formulaAtom) []byte) []byte {
	var out []byte
	text := func(a formulaAtom) []byte {
		if !a.ref {
			return a.text
		}
		if value == nil {
			return nil
		}
		return value(a)
	}
	put := func(t []byte) bool {
		if len(out)+len(t) > maxCell {
			out = append(out, t[:maxCell-len(out)]...)
			return false
		}
		out = append(out, t...)
		return true
	}
	for i := 0; i < len(atoms); i++ {
		a := atoms[i]
		if a.group == 0 {
			if !put(text(a)) {
				return out
			}
			continue
		}
		first := true
		for ; i < len(atoms) && atoms[i].group == a.group; i++ {
			t := text(atoms[i])
			if len(t) == 0 && !a.keepEmpty {
				continue
			}
			if !first && !put(a.delim) || !put(t) {
				return out
			}
			first = false
		}
		i--
	}
	return out
}

// unescapeXML decodes the references of XML text (&amp;, &quot;, &#34;)
// as a formula's reader sees it, without cellText's changes to a cell's
// text.
func unescapeXML(b []byte) []byte {
	if bytes.IndexByte(b, '&') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '&' {
			end := bytes.IndexByte(b[i:min(len(b), i+12)], ';')
			if end > 1 {
				switch name := string(b[i+1 : i+end]); name {
				case "amp":
					out = append(out, '&')
				case "quot":
					out = append(out, '"')
				case "apos":
					out = append(out, '\'')
				case "lt":
					out = append(out, '<')
				case "gt":
					out = append(out, '>')
				default:
					if r, n := entity(b[i:]); n > 0 && name[0] == '#' {
						if name == "#34" || name == "#x22" || name == "#X22" {
							r = []byte{'"'}
						}
						out = append(out, r...)
					} else {
						out = append(out, b[i:i+end+1]...)
					}
				}
				i += end
				continue
			}
		}
		out = append(out, b[i])
	}
	return out
}
