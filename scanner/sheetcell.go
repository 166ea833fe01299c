package scanner

import (
	"bytes"
	"strings"
)

// A spreadsheet's header cell names the values of its own column, in the
// rows below it. An .xlsx keeps neither the column nor the row order in the
// bytes a plain reading sees: the workbook's shared strings hold every
// cell's text once, in the order it was first typed (a "Secret access key"
// header a few items before a build ID of another column), and a sheet of
// inline strings runs each row's cells on into the next row's. So in an
// .xlsx part a keyword names a value only in its own cell (an item of the
// shared strings, a cell of a sheet: aws_secret_access_key = … typed in
// one cell); a value in another cell is named by the header of its column
// or the label beside it, which the archive reader's rebuilt rows put in
// their places (scanner/archive/tables), where the delimited tables'
// reading (tablecolumn.go) and the plain one on a row's line read them.

// sheetPart reports whether an archive member is an .xlsx workbook's
// shared strings or one of its sheets, by its name (compared in any case,
// as OPC compares part names).
func sheetPart(name string) bool {
	i := strings.LastIndexByte(name, '!')
	if i < 0 {
		return false
	}
	part := name[i+1:]
	if !hasSuffixFold(part, ".xml") || !hasPrefixFold(part, "XL/") {
		return false
	}
	return hasPrefixFold(part, "XL/WORKSHEETS/") || strings.EqualFold(part[strings.LastIndexByte(part, '/')+1:], "sharedStrings.xml")
}

// cellBound reports whether d holds a tag that starts or ends a cell, a
// shared string's item or a row of SpreadsheetML (c, si, row, with any
// prefix: x:c).
func cellBound(d []byte) bool {
	for {
		i := bytes.IndexByte(d, '<')
		if i < 0 {
			return false
		}
		d = d[i+1:]
		if len(d) > 0 && d[0] == '/' {
			d = d[1:]
		}
		n := 0
		for n < len(d) && n < 64 && d[n] != '>' && d[n] != '/' && !isBlankByte(d[n]) {
			n++
		}
		name := d[:n]
		if j := bytes.IndexByte(name, ':'); j >= 0 {
			name = name[j+1:]
		}
		switch string(name) {
		case "c", "si", "row":
			return true
		}
		d = d[n:]
	}
}

func isBlankByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// A binary workbook's (.xlsb) shared strings and sheets are read as a
// binary file's runs, each run a cell's text or a shared string's (a
// record's header, binary, between two): each is a group of its own
// (binText.cells), so that a keyword names a value only in its own cell
// there too. The rows the archive reader rebuilds from the records name
// the others.

// binarySheetPart reports whether an archive member is a binary workbook's
// shared strings or one of its sheets, by its name.
func binarySheetPart(name string) bool {
	i := strings.LastIndexByte(name, '!')
	if i < 0 {
		return false
	}
	part := name[i+1:]
	if !hasSuffixFold(part, ".bin") || !hasPrefixFold(part, "XL/") {
		return false
	}
	return hasPrefixFold(part, "XL/WORKSHEETS/") || strings.EqualFold(part[strings.LastIndexByte(part, '/')+1:], "sharedStrings.bin")
}

// tableRows reports whether an archive member is the rows the archive
// reader rebuilt of a document's tables (scanner/archive/tables: "book.xlsx!
// xl/worksheets/sheet1.xml rows"), a row a line, its cells parted by tabs.
func tableRows(name string) bool {
	return strings.HasSuffix(name, " rows") && strings.IndexByte(name, '!') >= 0
}

// otherCell reports whether the data from lo to hi (a keyword's end and a
// value's start, either way round) crosses a cell's bounds of an .xlsx
// part, so that the keyword does not name the value. A region rewritten
// from the part (its text as a reader sees it: scanRegion) asks the part
// through cells, its offsets mapped back. In a table's rebuilt rows a
// keyword names the value of the cell beside it, on its row (a label and
// its value: Secret access key, then the secret); a value in another row
// is named by its column's header (headerNames) or by none.
func (m *match) otherCell(lo, hi int) bool {
	if m.cells != nil {
		return m.cells(lo, hi)
	}
	if lo >= hi {
		return false
	}
	switch m.table() {
	case sheetInput:
		m.costBytes(hi-lo, 1)
		return cellBound(m.data[lo:hi])
	case rowsInput:
		between := m.data[lo:hi]
		return bytes.IndexByte(between, '\n') >= 0 || bytes.Count(between, []byte{'\t'}) > 1
	}
	return false
}

// What table an input is, for otherCell.
const (
	tableUnknown uint8 = iota
	noTable
	sheetInput // an .xlsx part: sheetPart
	rowsInput  // a table's rebuilt rows: tableRows
)

// table returns what table the match's input is, told once.
func (m *match) table() uint8 {
	if m.tableKind == tableUnknown {
		switch {
		case sheetPart(m.name):
			m.tableKind = sheetInput
		case tableRows(m.name):
			m.tableKind = rowsInput
		default:
			m.tableKind = noTable
		}
	}
	return m.tableKind
}
