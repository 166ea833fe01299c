package tables

import (
	"strconv"
	"strings"
)

// A workbook's formulas may join what other parts hold: a cell of another
// sheet (Sheet2!A1, 'My Sheet'!A1:B1) or a defined name (workbook.xml's
// <definedName name="part1">Data!$E$2</definedName>, or a string
// constant: "AKIA…"), which Excel resolves on opening a file written
// without values (qa36 M2's other_sheet_refs and defined_names: a key
// split so was missed, exit 0). So the workbook's sheets are known by
// name (xl/workbook.xml's <sheet name r:id>, its relationships' targets)
// and its names by their definitions, read as joins; another sheet's cell
// is its value as that sheet holds it (its own joins without their
// references: one level, as a reference on the same sheet).

// workbook is what a sheet's formulas resolve names and other sheets'
// cells through. The zero value (nil) knows none.
type workbook struct {
	sheets map[string]string    // a sheet's name, upper case: its part's path
	order  []string             // the sheets' names, upper case, in the workbook's order
	names  map[string][]nameDef // a defined name, upper case: its definitions
	parts  map[string][]byte    // a sheet part's path, lower case: its data
	shared [][]byte
	values map[string]map[[2]int][]byte // a sheet's cells' values, read once, by path
	limit  int                          // bounds the bytes of another sheet's values read
	// parsed holds the names read for a sheet's formulas (by the sheet's
	// name and the name's, upper case), each definition parsed once
	// however many formulas use it.
	parsed map[[2]string]parsedName
}

// parsedName is a defined name read as a join (formulaNames' answer).
type parsedName struct {
	atoms       []formulaAtom
	isRange, ok bool
}

// nameDef is a defined name's definition: its formula text, and the sheet
// it is local to (localSheetId, an index into the workbook's sheets), or -1.
type nameDef struct {
	local int
	text  []byte
}

// maxNames bounds the defined names read, maxNameDepth how deep a name's
// definition may use other names.
const (
	maxNames     = 4096
	maxNameDepth = 2
)

// readWorkbook reads a workbook's sheets and names from xl/workbook.xml
// (wb) and its relationships (rels).
func readWorkbook(wb, rels []byte) *workbook {
	if len(wb) == 0 {
		return nil
	}
	targets := map[string]string{}
	l := lexer{d: rels}
	for l.next() {
		if l.t.name != nil && !l.t.end && string(local(l.t.name)) == "Relationship" {
			id, target := attr(l.t.attrs, "Id"), string(attr(l.t.attrs, "Target"))
			if strings.HasPrefix(target, "/") {
				target = target[1:]
			} else {
				target = "xl/" + target
			}
			targets[string(id)] = strings.ToLower(target)
		}
	}
	w := &workbook{sheets: map[string]string{}, names: map[string][]nameDef{}}
	var def *nameDef
	var defName string
	l = lexer{d: wb}
	for l.next() {
		t := &l.t
		switch {
		case t.name == nil:
			if def != nil {
				def.text = append(def.text, t.text...)
			}
		case string(local(t.name)) == "sheet" && !t.end:
			name := strings.ToUpper(string(unescapeXML(attr(t.attrs, "name"))))
			w.order = append(w.order, name)
			if path, ok := targets[string(attr(t.attrs, "id"))]; ok {
				w.sheets[name] = path
			}
		case string(local(t.name)) == "definedName":
			if t.end || t.empty {
				if def != nil && len(w.names) < maxNames {
					def.text = unescapeXML(def.text)
					w.names[defName] = append(w.names[defName], *def)
				}
				def = nil
				continue
			}
			defName = strings.ToUpper(string(attr(t.attrs, "name")))
			def = &nameDef{local: -1}
			if v, err := strconv.Atoi(string(attr(t.attrs, "localSheetId"))); err == nil && v >= 0 && v < len(w.order) {
				def.local = v
			}
		}
	}
	return w
}

// self returns the name (upper case) of the sheet whose part is path,
// or "".
func (w *workbook) self(path string) string {
	if w == nil {
		return ""
	}
	for n, p := range w.sheets {
		if p == strings.ToLower(path) {
			return n
		}
	}
	return ""
}

// namesFor returns how a formula of the sheet named self (upper case)
// looks up defined names: a name local to that sheet first, then the
// workbook's; each definition read as a join, a range allowed, at most
// maxNameDepth names deep.
func (w *workbook) namesFor(self string, depth int) formulaNames {
	if w == nil || len(w.names) == 0 || depth > maxNameDepth {
		return nil
	}
	return func(name []byte) ([]formulaAtom, bool, bool) {
		key := [2]string{self, strings.ToUpper(string(name))}
		if p, ok := w.parsed[key]; ok && depth == 1 {
			return p.atoms, p.isRange, p.ok
		}
		atoms, isRange, ok := w.define(key[1], self, depth)
		if depth == 1 {
			if w.parsed == nil {
				w.parsed = map[[2]string]parsedName{}
			}
			w.parsed[key] = parsedName{atoms, isRange, ok}
		}
		return atoms, isRange, ok
	}
}

// define reads the definition of the name (upper case) that a formula of
// the sheet self uses, depth names deep.
func (w *workbook) define(name, self string, depth int) ([]formulaAtom, bool, bool) {
	defs := w.names[name]
	var text []byte
	for _, d := range defs {
		if d.local < 0 && text == nil || d.local >= 0 && w.localTo(d.local, self) {
			text = d.text
		}
	}
	if text == nil {
		return nil, false, false
	}
	p := formulaParser{f: text, names: w.namesFor(self, depth+1), rangeOK: true}
	atoms, ok := p.join()
	if !ok {
		return nil, false, false
	}
	for i := range atoms {
		if atoms[i].group != 0 {
			return nil, false, false // a TEXTJOIN in a name: not read
		}
		if atoms[i].ref {
			// a name's references are the workbook's: moved by no fill
			atoms[i].absRow, atoms[i].absCol = true, true
		}
	}
	return atoms, p.ranged, true
}

// localTo reports whether the sheet of index i is the one named self.
func (w *workbook) localTo(i int, self string) bool {
	return i < len(w.order) && w.order[i] == self
}

// value returns the value of the cell a reference to another sheet names,
// as that sheet holds it, or nil for a sheet the workbook does not have.
func (w *workbook) value(sheet []byte, row, col int) []byte {
	if w == nil {
		return nil
	}
	path, ok := w.sheets[strings.ToUpper(string(sheet))]
	if !ok {
		return nil
	}
	vs, ok := w.values[path]
	if !ok {
		d := w.parts[path]
		if d == nil {
			return nil
		}
		rows, _, _, _ := sheetRows(d, w.shared, nil, "", w.limit)
		vs = map[[2]int][]byte{}
		for _, r := range rows {
			for _, c := range r.cells {
				vs[[2]int{r.n - 1, c.col}] = c.text
			}
		}
		if w.values == nil {
			w.values = map[string]map[[2]int][]byte{}
		}
		w.values[path] = vs
	}
	return vs[[2]int{row, col}]
}

// knows reports whether the workbook has a sheet of that name.
func (w *workbook) knows(sheet []byte) bool {
	if w == nil {
		return false
	}
	_, ok := w.sheets[strings.ToUpper(string(sheet))]
	return ok
}
