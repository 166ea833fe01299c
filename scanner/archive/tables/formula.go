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
// of the same sheet, joined by & or CONCATENATE (CONCAT); any other
// function or operator makes a value that is not read. A reference is
// to a cell's value as the sheet holds it, another such formula's joined
// without its own references: one level, so a chain of references costs
// no more than its cells.

// maxFormula bounds the bytes of a formula that are read.
const maxFormula = 8 << 10

// formulaAtom is a piece of a joined formula: a literal's text, or a
// reference to a cell (row and column from 0) when ref is set.
type formulaAtom struct {
	text     []byte
	ref      bool
	row, col int
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
			i++
		case c == ')':
			if operand && (i == 0 || f[i-1] != '(') || depth == 0 {
				return nil, false
			}
			depth--
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
				case "CONCATENATE", "CONCAT", "_XLFN.CONCAT":
					i = j // the '(' is read next
					continue
				}
				return nil, false
			}
			row, col, isRef := cellRef(word)
			if !isRef {
				return nil, false
			}
			atoms = append(atoms, formulaAtom{ref: true, row: row, col: col})
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
