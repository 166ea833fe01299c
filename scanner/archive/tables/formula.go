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
// of the same sheet (and ranges of them in CONCAT, row by row: qa36 M2),
// joined by & or CONCATENATE (CONCAT); any other
// function or operator makes a value that is not read. A reference is
// to a cell's value as the sheet holds it, another such formula's joined
// without its own references: one level, so a chain of references costs
// no more than its cells.

// maxFormula bounds the bytes of a formula that are read.
const maxFormula = 8 << 10

// maxRangeCells bounds the cells of a range that CONCAT joins: a key is
// split over a few cells, not a column.
const maxRangeCells = 64

// formulaAtom is a piece of a joined formula: a literal's text, or a
// reference to a cell (row and column from 0) when ref is set.
type formulaAtom struct {
	text           []byte
	ref            bool
	row, col       int
	absRow, absCol bool // $ before the row, the column: kept where the formula is shared
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

// joinFormula parses the formula f (its XML references decoded) as a
// join, and returns its pieces in order, or ok false when it is anything
// else.
func joinFormula(f []byte) (atoms []formulaAtom, ok bool) {
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
		case c == '"':
			if !operand {
				return nil, false
			}
			var s []byte
			j := i + 1
			for {
				if j >= len(f) {
					return nil, false
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
			atoms = append(atoms, formulaAtom{text: s})
			i, operand = j+1, false
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
		case c >= '0' && c <= '9' || c == '.':
			if !operand {
				return nil, false
			}
			j := i
			for j < len(f) && (f[j] >= '0' && f[j] <= '9' || f[j] == '.') {
				j++
			}
			atoms = append(atoms, formulaAtom{text: f[i:j]})
			i, operand = j, false
		case c == '$' || c|0x20 >= 'a' && c|0x20 <= 'z' || c == '_':
			if !operand {
				return nil, false
			}
			j := i
			for j < len(f) && (f[j] == '$' || f[j] == '_' || f[j] == '.' || f[j]|0x20 >= 'a' && f[j]|0x20 <= 'z' || f[j] >= '0' && f[j] <= '9') {
				j++
			}
			word := f[i:j]
			if j < len(f) && f[j] == '(' {
				switch string(bytes.ToUpper(word)) {
				case "CONCATENATE":
					i = j // the '(' is read next
					continue
				case "CONCAT", "_XLFN.CONCAT":
					i, next = j, true
					continue
				}
				return nil, false
			}
			row, col, isRef := cellRef(word)
			if !isRef {
				return nil, false
			}
			if j < len(f) && f[j] == ':' {
				// A range, in CONCAT alone: its cells row by row, at most
				// maxRangeCells of them.
				k := j + 1
				for k < len(f) && (f[k] == '$' || f[k]|0x20 >= 'a' && f[k]|0x20 <= 'z' || f[k] >= '0' && f[k] <= '9') {
					k++
				}
				row2, col2, isRef := cellRef(f[j+1 : k])
				ar, ac := refAbs(word)
				ar2, ac2 := refAbs(f[j+1 : k])
				if !isRef || len(concat) == 0 || !concat[len(concat)-1] || row2 < row || col2 < col || (row2-row+1)*(col2-col+1) > maxRangeCells {
					return nil, false
				}
				for r := row; r <= row2; r++ {
					for c := col; c <= col2; c++ {
						// a cell inside a range moves with it where either end does
						atoms = append(atoms, formulaAtom{ref: true, row: r, col: c, absRow: ar && ar2, absCol: ac && ac2})
					}
				}
				i, operand = k, false
				continue
			}
			ar, ac := refAbs(word)
			atoms = append(atoms, formulaAtom{ref: true, row: row, col: col, absRow: ar, absCol: ac})
			i, operand = j, false
		default:
			return nil, false
		}
	}
	if operand || depth != 0 || len(atoms) == 0 {
		return nil, false
	}
	return atoms, true
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
// values as value finds them (nil finds none), at most maxCell bytes.
func joined(atoms []formulaAtom, value func(row, col int) []byte) []byte {
	var out []byte
	for _, a := range atoms {
		t := a.text
		if a.ref {
			if value == nil {
				continue
			}
			t = value(a.row, a.col)
		}
		if len(out)+len(t) > maxCell {
			return append(out, t[:maxCell-len(out)]...)
		}
		out = append(out, t...)
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
