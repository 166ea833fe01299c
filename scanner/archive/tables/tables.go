// Package tables rebuilds the rows of an office document's tables as
// tab-separated text: an .xlsx sheet from its cells and the workbook's
// shared strings, an .xlsb sheet from its BIFF12 records (xlsb.go), an
// OpenDocument table (.ods, a table in .odt), a Word or PowerPoint table.
//
// A spreadsheet's header row names a column, and the value stands rows
// below it: in an .xlsx the sheet holds only indices into the shared
// strings, where the header and the value are two items among the others
// of the sheet, in the order they were first typed; in the other formats
// the cells between the header and the value stand as lines of markup
// between them. Neither reading keeps the column, which the table's rows
// do: each row is one line, its cells parted by tabs, each led by the row's
// number (so that no line starts with an empty cell, and a one-column
// table has two cells), every row of a table as many cells as the widest
// (the columns no row fills dropped). A scanner reads the rows as it reads
// a TSV file.
//
// The reading is bounded: the text is at most Limit bytes (a repeated or
// shared cell can make more text than the markup it comes from), and a
// cell's repeats (OpenDocument's number-columns-repeated and
// number-rows-repeated) and its text are capped.
package tables

import (
	"bytes"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Kind is what a part holds for the rows.
type Kind uint8

// The parts a Book reads.
const (
	None             Kind = iota
	Sheet                 // an .xlsx worksheet (xl/worksheets/*.xml)
	SharedStrings         // an .xlsx workbook's shared strings (xl/sharedStrings.xml)
	Tables                // an OpenDocument content.xml, or a Word or PowerPoint part, that holds a table
	BinSheet              // a binary workbook's (.xlsb) worksheet (xl/worksheets/*.bin): BIFF12 records
	BinSharedStrings      // a binary workbook's shared strings (xl/sharedStrings.bin)
	Workbook              // an .xlsx workbook's sheets and defined names (xl/workbook.xml)
	WorkbookRels          // its relationships, which name its sheets' parts (xl/_rels/workbook.xml.rels)
)

// binaryWords are keywordWords in UTF-16LE, as a binary workbook writes
// its strings.
var binaryWords = [][]byte{[]byte("c\x00r\x00e\x00t\x00"), []byte("C\x00R\x00E\x00T\x00"), []byte("k\x00e\x00n\x00"), []byte("K\x00E\x00N\x00")}

// binaryKeywordIn reports whether a binary workbook's part holds one of
// binaryWords.
func binaryKeywordIn(b []byte) bool {
	for _, w := range binaryWords {
		if bytes.Contains(b, w) {
			return true
		}
	}
	return false
}

// Of returns what the part named path (a member's path inside the
// package) holds for the rows, looking at data only for the parts that
// may or may not hold a table. Names are compared in any case, as OPC
// compares them.
func Of(path string, data []byte) Kind {
	base := path[strings.LastIndexByte(path, '/')+1:]
	if hasSuffixFold(path, ".bin") {
		switch {
		case hasPrefixFold(path, "xl/worksheets/"):
			return BinSheet
		case hasPrefixFold(path, "xl/") && strings.EqualFold(base, "sharedStrings.bin"):
			return BinSharedStrings
		}
		return None
	}
	if strings.EqualFold(path, "xl/_rels/workbook.xml.rels") {
		return WorkbookRels
	}
	if !hasSuffixFold(path, ".xml") {
		return None
	}
	switch {
	case strings.EqualFold(path, "xl/workbook.xml"):
		return Workbook
	case hasPrefixFold(path, "xl/worksheets/"):
		return Sheet
	case hasPrefixFold(path, "xl/") && strings.EqualFold(base, "sharedStrings.xml"):
		return SharedStrings
	case strings.EqualFold(base, "content.xml") && bytes.Contains(data, []byte("table-row")):
		return Tables
	case (hasPrefixFold(path, "word/") || hasPrefixFold(path, "ppt/")) && bytes.Contains(data, []byte(":tc>")):
		return Tables
	}
	return None
}

// Flat reports whether a file, by its name and its head, is an office
// document kept in one XML file whose tables the rows are rebuilt from:
// LibreOffice's flat formats (.fods, .fodt, .fodp), Word's XML (Flat OPC,
// Word 2003) and any XML file that declares OpenDocument's namespace, when
// it holds a table's cells (tables.Of's test for a part).
func Flat(name string, data []byte) bool {
	ext := name[strings.LastIndexByte(name, '.')+1:]
	switch strings.ToLower(ext) {
	case "fods", "fodt", "fodp", "fodg":
	case "xml":
		head := data[:min(len(data), 4096)]
		if !bytes.Contains(head, []byte("urn:oasis:names:tc:opendocument:xmlns:")) && !bytes.Contains(head, []byte("wordprocessingml")) {
			return false
		}
	default:
		return false
	}
	return bytes.Contains(data, []byte("table-row")) || bytes.Contains(data, []byte(":tc>"))
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// Book is the parts of one document that its rows are rebuilt from.
type Book struct {
	strings    []byte // an .xlsx's shared strings
	workbook   []byte // an .xlsx's workbook part
	rels       []byte // and its relationships
	binStrings []byte // an .xlsb's
	parts      []part
	size       int
}

type part struct {
	path string
	kind Kind
	data []byte
}

// Add keeps a part that Of says holds rows. The data is kept, not copied.
func (b *Book) Add(path string, kind Kind, data []byte) {
	switch kind {
	case SharedStrings:
		b.strings = data
	case BinSharedStrings:
		b.binStrings = data
	case Workbook:
		b.workbook = data
	case WorkbookRels:
		b.rels = data
	default:
		b.parts = append(b.parts, part{path, kind, data})
	}
	b.size += len(data)
}

// Empty reports whether the book holds no table.
func (b *Book) Empty() bool { return len(b.parts) == 0 }

// Size is the bytes of the parts kept.
func (b *Book) Size() int { return b.size }

// Table is the rows of one part's tables.
type Table struct {
	Part string // the part's path
	Text []byte // rows, cells parted by tabs; tables parted by an empty line
}

// Rows rebuilds the rows of the book's tables, at most limit bytes of
// them in all; whole is false when the limit cut them (the rest is not
// read).
func (b *Book) Rows(limit int) (ts []Table, whole bool) {
	var shared [][]byte
	named, read := keywordIn(b.strings), false
	if !named && (bytes.Contains(b.strings, []byte("<r>")) || bytes.Contains(b.strings, []byte(":r>"))) {
		// Rich text: runs may cut a header's word (<r><t>aws_sec</t></r>
		// <r><rPr><b/></rPr><t>ret_access_key</t></r>), which only the
		// items' text shows whole.
		shared, read = sharedStrings(b.strings), true
		named = slices.ContainsFunc(shared, keywordIn)
	}
	var binShared [][]byte
	binNamed, binRead := binaryKeywordIn(b.binStrings), false
	parts := slices.Clone(b.parts)
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].path < parts[j].path })
	out := &writer{limit: limit}
	// The workbook's sheets and names, for formulas that use them: read
	// where a sheet holds a formula without a value.
	var wb *workbook
	wbRead := false
	for _, p := range parts {
		start := len(out.b)
		out.part = start
		formulasOnly := false
		if p.kind == Tables && !keywordIn(p.data) {
			if !odfUncached(p.data) {
				continue // no header in it can name a secret's column, no join to read
			}
			formulasOnly = true
		}
		if p.kind == Sheet {
			formulasOnly = !named && !keywordIn(p.data)
			if formulasOnly && !uncachedFormula(p.data) {
				continue // no header in it can name a secret's column, no join to read
			}
			if !read {
				shared, read = sharedStrings(b.strings), true
			}
			if !wbRead && (formulasOnly || uncachedFormula(p.data)) {
				wb, wbRead = readWorkbook(b.workbook, b.rels), true
				if wb != nil {
					wb.shared, wb.parts, wb.limit = shared, map[string][]byte{}, limit
					for _, q := range parts {
						if q.kind == Sheet {
							wb.parts[strings.ToLower(q.path)] = q.data
						}
					}
				}
			}
			readSheet(p.data, shared, out, formulasOnly, wb, wb.self(p.path))
		} else if p.kind == BinSheet {
			if !binNamed && !binaryKeywordIn(p.data) {
				continue // no header in it can name a secret's column
			}
			if !binRead {
				binShared, binRead = binSharedStrings(b.binStrings), true
			}
			readBinSheet(p.data, binShared, out)
		} else {
			readTables(p.data, out, formulasOnly)
		}
		if len(out.b) > start {
			ts = append(ts, Table{Part: p.path, Text: out.b[start:len(out.b):len(out.b)]})
		}
		if out.full {
			return ts, false
		}
	}
	return ts, true
}

// Cell text bounds: a cell is cut at maxCell bytes (no value is so long,
// and the text of a cell shown in full elsewhere, in the part itself, is
// read there), a repeat of a filled cell or row at maxRepeat, and a column
// past maxColumn is dropped (a spreadsheet has at most 16,384).
const (
	maxCell   = 4 << 10
	maxRepeat = 64
	maxColumn = 1 << 16
)

// cell is one filled cell of a row.
type cell struct {
	col  int
	text []byte
}

// row is a row's filled cells, in the order read, and its number.
type row struct {
	n     int
	cells []cell
}

// writer puts tables as rows, within its limit.
type writer struct {
	b     []byte
	limit int
	full  bool
	part  int // where the part being read starts in b
}

// table writes the rows of one table: each row led by its number, as many
// cells as the columns any row fills.
func (w *writer) table(rows []row) {
	if w.full || len(rows) == 0 {
		return
	}
	// The columns any row fills, and each one's place in a line: a
	// table of many cells marks them in a bitset and looks their places
	// up by column (a million cells sorted cost a sheet a third of its
	// reading); a small one sorts them.
	n, last := 0, 0
	for _, r := range rows {
		n += len(r.cells)
		for _, c := range r.cells {
			last = max(last, c.col)
		}
	}
	var cols []int
	var place []int32 // by column, when the table is large
	if n > 4096 {
		seen := make([]uint64, last/64+1)
		for _, r := range rows {
			for _, c := range r.cells {
				seen[c.col/64] |= 1 << (c.col % 64)
			}
		}
		place = make([]int32, last+1)
		for i, word := range seen {
			for ; word != 0; word &= word - 1 {
				col := i*64 + bits.TrailingZeros64(word)
				place[col] = int32(len(cols))
				cols = append(cols, col)
			}
		}
	} else {
		for _, r := range rows {
			for _, c := range r.cells {
				cols = append(cols, c.col)
			}
		}
		slices.Sort(cols)
		cols = slices.Compact(cols)
	}
	if len(w.b) > w.part {
		w.put([]byte{'\n'}) // an empty line between two tables of a part
	}
	line := make([][]byte, len(cols))
	for _, r := range rows {
		clear(line)
		for _, c := range r.cells {
			if place != nil {
				line[place[c.col]] = c.text
				continue
			}
			i, _ := slices.BinarySearch(cols, c.col)
			line[i] = c.text
		}
		w.put(strconv.AppendInt(nil, int64(r.n), 10))
		for _, t := range line {
			w.put([]byte{'\t'})
			w.put(t)
		}
		w.put([]byte{'\n'})
		if w.full {
			return
		}
	}
}

func (w *writer) put(p []byte) {
	if w.full {
		return
	}
	if len(w.b)+len(p) > w.limit {
		w.full = true
		return
	}
	w.b = append(w.b, p...)
}

// cellText appends the text t of a cell to c as the rows show it: a tab or
// line break is a blank (a cell is one field of one line), a double quote a
// single one (a TSV reader would take it for a quoted field's), and the
// brackets and = that code has but a header cell may (Secret access key
// (prod)) are blanks too. Entities are decoded.
func cellText(c, t []byte) []byte {
	for i := 0; i < len(t) && len(c) < maxCell; i++ {
		b := t[i]
		if b == '&' {
			if r, n := entity(t[i:]); n > 0 {
				c = append(c, r...)
				i += n - 1
				continue
			}
		}
		switch b {
		case '\t', '\n', '\r', '(', ')', '{', '}', '=':
			b = ' '
		case '"':
			b = '\''
		}
		c = append(c, b)
	}
	return c
}

// entity decodes the XML reference that s starts with: its text and its
// length, or n 0.
func entity(s []byte) (r []byte, n int) {
	end := bytes.IndexByte(s[:min(len(s), 12)], ';')
	if end < 2 {
		return nil, 0
	}
	name := string(s[1:end])
	switch name {
	case "amp":
		return []byte("&"), end + 1
	case "lt":
		return []byte("<"), end + 1
	case "gt":
		return []byte(">"), end + 1
	case "quot":
		return []byte("'"), end + 1
	case "apos":
		return []byte("'"), end + 1
	}
	if name[0] != '#' {
		return nil, 0
	}
	var v uint64
	var err error
	if len(name) > 1 && name[1]|0x20 == 'x' {
		v, err = strconv.ParseUint(name[2:], 16, 32)
	} else {
		v, err = strconv.ParseUint(name[1:], 10, 32)
	}
	if err != nil || v == 0 || v > 0x10ffff {
		return nil, 0
	}
	switch rune(v) {
	case '\t', '\n', '\r', '"', '(', ')', '{', '}', '=':
		return []byte(" "), end + 1
	}
	return []byte(string(rune(v))), end + 1
}
