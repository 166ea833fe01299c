// Package sqlite reads the rows of a SQLite database's tables (qa31 F7).
//
// SQLite stores a row's columns back to back in a record, so the file's
// printable bytes hold `PRODAKIA…<secret>` for the row ('PROD', key ID,
// secret): an upper-case column before the key ID makes it the tail of a
// longer token, and the secret, glued to it, is no token of its own. The
// record's header gives each column's type and length, though, and the
// schema (the table sqlite_schema on page 1) names the columns: Tables
// rebuilds each table as rows of tab-separated cells, a header line of
// the column names first, which a scanner reads as it reads a TSV file
// (access_key_id over the key ID, secret_access_key over the secret).
//
// The file format is https://www.sqlite.org/fileformat2.html. Only what a
// row's text needs is read: the header's page size, reserved bytes and
// text encoding, the table b-trees (interior and leaf pages) of rowid
// tables, and the overflow pages of a record too long for its page. Index
// b-trees (WITHOUT ROWID tables among them) and free pages are left to the
// byte scan of the file, which the caller does anyway. The reading is
// bounded: every page is read at most once (a page pointer that loops or
// points back is dropped), a record is at most maxRecord bytes, a cell at
// most maxCell, the text at most the limit given, and nothing past the
// file is read. A malformed file gives what was read before the fault, or
// nothing.
package sqlite

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Magic is the first 16 bytes of a SQLite 3 database.
const Magic = "SQLite format 3\x00"

// IsDatabase reports whether data starts as a SQLite 3 database: the magic
// and a page size that is a power of two from 512 to 65536.
func IsDatabase(data []byte) bool {
	if len(data) < 100 || !bytes.HasPrefix(data, []byte(Magic)) {
		return false
	}
	ps := pageSize(data)
	return ps >= 512 && ps&(ps-1) == 0
}

func pageSize(data []byte) int {
	ps := int(binary.BigEndian.Uint16(data[16:]))
	if ps == 1 {
		ps = 65536
	}
	return ps
}

// Bounds of the reading: a record longer than maxRecord is read no
// further (no credential row is so long; the byte scan reads the rest), a
// cell's text is cut at maxCell bytes, and a table past maxColumns columns
// keeps its first ones.
const (
	maxRecord  = 1 << 20
	maxCell    = 4 << 10
	maxColumns = 1 << 10
)

// Table is the rows of one table: its name, and the text of its rows.
type Table struct {
	Name string
	Text []byte // a line of the column names, then a line a row
}

// db is a database being read.
type db struct {
	data    []byte
	ps, us  int          // page size, usable bytes of a page
	pages   int          // the pages the file holds
	utf16   int          // 0: UTF-8, 1: UTF-16LE, 2: UTF-16BE
	seen    map[int]bool // pages read: each once
	limit   int          // bytes of text left
	full    bool         // the limit cut the text
	scratch []byte
}

// Tables returns the rows of the database's rowid tables, in the order the
// schema lists them, at most limit bytes of text in all; whole is false
// when the limit cut them. A file that is not a database, or whose schema
// does not read, gives none.
func Tables(data []byte, limit int) (ts []Table, whole bool) {
	if !IsDatabase(data) {
		return nil, true
	}
	d := &db{data: data, ps: pageSize(data), seen: map[int]bool{}, limit: limit}
	d.us = d.ps - int(data[20])
	if d.us < 480 {
		return nil, true
	}
	d.pages = len(data) / d.ps
	switch binary.BigEndian.Uint32(data[56:]) {
	case 2:
		d.utf16 = 1
	case 3:
		d.utf16 = 2
	}
	type entry struct {
		name string
		root int
		cols []string
	}
	var schema []entry
	d.walk(1, func(rec []byte) {
		vs := d.values(rec, 5)
		if len(vs) < 5 || d.text(vs[0].text) != "table" || vs[3].kind != intValue {
			return
		}
		sql := d.text(vs[4].text)
		if withoutRowid(sql) {
			return
		}
		schema = append(schema, entry{name: d.text(vs[1].text), root: int(vs[3].n), cols: Columns(sql)})
	})
	for _, e := range schema {
		if d.full {
			break
		}
		if e.root <= 1 {
			continue
		}
		var b []byte
		put := func(p []byte) {
			if d.full {
				return
			}
			if len(p) > d.limit {
				d.full = true
				return
			}
			d.limit -= len(p)
			b = append(b, p...)
		}
		hd := []byte("1")
		for _, c := range e.cols {
			hd = append(append(hd, '\t'), cell(c)...)
		}
		hd = append(hd, '\n')
		n, rows := 1, false
		var line []byte
		d.walk(e.root, func(rec []byte) {
			vs := d.values(rec, maxColumns)
			if !hasText(vs) {
				return
			}
			if !rows {
				put(hd)
				rows = true
			}
			n++
			line = strconv.AppendInt(line[:0], int64(n), 10)
			for _, v := range vs {
				line = append(line, '\t')
				if v.kind == textValue {
					line = append(line, cell(d.text(v.text))...)
				}
			}
			put(append(line, '\n'))
		})
		if len(b) > 0 {
			ts = append(ts, Table{Name: e.name, Text: b})
		}
	}
	return ts, !d.full
}

// hasText reports whether a record holds a text value: the others give an
// empty line, which is not written.
func hasText(vs []value) bool {
	for _, v := range vs {
		if v.kind == textValue && len(v.text) > 0 {
			return true
		}
	}
	return false
}

// cell is s as one cell of a line: tabs and line breaks become blanks, and
// it is cut at maxCell bytes.
func cell(s string) string {
	if len(s) > maxCell {
		s = s[:maxCell]
	}
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return ' '
			}
			return r
		}, s)
	}
	return s
}

// text is a text value in UTF-8, decoded from the database's encoding.
func (d *db) text(b []byte) string {
	if d.utf16 == 0 {
		return string(b)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if d.utf16 == 1 {
			u[i] = binary.LittleEndian.Uint16(b[2*i:])
		} else {
			u[i] = binary.BigEndian.Uint16(b[2*i:])
		}
	}
	return string(utf16.Decode(u))
}

// page returns page n (from 1), or nil when it is out of the file or read
// already.
func (d *db) page(n int) []byte {
	if n < 1 || n > d.pages || d.seen[n] {
		return nil
	}
	d.seen[n] = true
	return d.data[(n-1)*d.ps : n*d.ps]
}

// Page types of a table b-tree.
const (
	interiorTable = 0x05
	leafTable     = 0x0d
)

// walk calls rec with the record of each cell of the table b-tree rooted
// at page root, in key order, each page read once. A page that is no table
// page ends the walk of its subtree.
func (d *db) walk(root int, rec func([]byte)) {
	stack := []int{root}
	for len(stack) > 0 && !d.full {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		p := d.page(n)
		if p == nil {
			continue
		}
		h := 0
		if n == 1 {
			h = 100 // the file's header
		}
		if h+12 > len(p) {
			continue
		}
		kind, cells := p[h], int(binary.BigEndian.Uint16(p[h+3:]))
		head := h + 8
		if kind == interiorTable {
			head = h + 12
		} else if kind != leafTable {
			continue
		}
		if head+2*cells > d.us {
			continue
		}
		var kids []int
		for i := range cells {
			at := int(binary.BigEndian.Uint16(p[head+2*i:]))
			if at < head+2*cells || at >= d.us {
				continue
			}
			c := p[at:d.us]
			if kind == interiorTable {
				if len(c) >= 4 {
					kids = append(kids, int(binary.BigEndian.Uint32(c)))
				}
				continue
			}
			if r := d.record(c); r != nil {
				rec(r)
			}
		}
		if kind == interiorTable {
			kids = append(kids, int(binary.BigEndian.Uint32(p[h+8:])))
			// Pushed last first, so that the leftmost is read first.
			for i := len(kids) - 1; i >= 0; i-- {
				stack = append(stack, kids[i])
			}
		}
	}
}

// record returns the payload of a table leaf cell c (the bytes from the
// cell to the page's usable end), its overflow pages followed; nil when
// the cell is malformed or its payload over maxRecord. The payload may be
// held in d.scratch until the next call.
func (d *db) record(c []byte) []byte {
	size, n := varint(c)
	if n == 0 || size < 0 {
		return nil
	}
	c = c[n:]
	if _, n = varint(c); n == 0 {
		return nil
	}
	c = c[n:]
	p, local := int(size), d.local(size)
	if p <= local {
		if p > len(c) {
			return nil
		}
		return c[:p]
	}
	if local+4 > len(c) {
		return nil
	}
	keep := min(p, maxRecord)
	out := append(d.scratch[:0], c[:local]...)
	next := int(binary.BigEndian.Uint32(c[local:]))
	for len(out) < keep {
		pg := d.page(next)
		if pg == nil {
			break
		}
		next = int(binary.BigEndian.Uint32(pg))
		out = append(out, pg[4:min(d.us, 4+keep-len(out))]...)
	}
	d.scratch = out
	return out
}

// local is how much of a table leaf cell's payload of size p stands on
// its page (fileformat2.html, "Cell Payload Overflow Pages").
func (d *db) local(p int64) int {
	x := d.us - 35
	if p <= int64(x) {
		return int(p)
	}
	m := (d.us-12)*32/255 - 23
	k := m + int((p-int64(m))%int64(d.us-4))
	if k <= x {
		return k
	}
	return m
}

// Kinds of value a record holds, as far as the rows need them.
const (
	otherValue = iota
	intValue
	textValue
)

// value is one column's value of a record.
type value struct {
	kind int
	n    int64  // an integer's value
	text []byte // a text's bytes, in the database's encoding
}

// values decodes the first max columns of a record. A record cut short
// (maxRecord, a broken overflow chain) gives the columns that stand whole.
func (d *db) values(rec []byte, max int) []value {
	hs, n := varint(rec)
	if n == 0 || hs < int64(n) || hs > int64(len(rec)) {
		return nil
	}
	hdr, body := rec[n:hs], rec[hs:]
	var vs []value
	for len(hdr) > 0 && len(vs) < max {
		t, k := varint(hdr)
		if k == 0 || t < 0 {
			break
		}
		hdr = hdr[k:]
		l := serialLen(t)
		if l > int64(len(body)) {
			break
		}
		v := value{}
		switch {
		case t >= 1 && t <= 6:
			v.kind = intValue
			v.n = intOf(body[:l])
		case t == 8 || t == 9:
			v.kind, v.n = intValue, t-8
		case t >= 13 && t%2 == 1:
			v.kind, v.text = textValue, body[:l]
		}
		body = body[l:]
		vs = append(vs, v)
	}
	return vs
}

// serialLen is the length of a value of serial type t.
func serialLen(t int64) int64 {
	switch {
	case t <= 4:
		return t
	case t == 5:
		return 6
	case t == 6 || t == 7:
		return 8
	case t < 12:
		return 0
	}
	return (t - 12) / 2
}

// intOf is the big-endian two's-complement integer b.
func intOf(b []byte) int64 {
	var n int64
	if len(b) > 0 && b[0]&0x80 != 0 {
		n = -1
	}
	for _, c := range b {
		n = n<<8 | int64(c)
	}
	return n
}

// varint decodes SQLite's variable-length integer at the start of b, and
// its length (0: b is cut short).
func varint(b []byte) (int64, int) {
	var v uint64
	for i := 0; i < 9; i++ {
		if i == len(b) {
			return 0, 0
		}
		if i == 8 {
			return int64(v<<8 | uint64(b[i])), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return int64(v), i + 1
		}
	}
	return 0, 0
}

// withoutRowid reports whether a CREATE TABLE statement ends in WITHOUT
// ROWID (its rows are an index b-tree, which is not read).
func withoutRowid(sql string) bool {
	i := strings.LastIndexByte(sql, ')')
	return i >= 0 && strings.Contains(strings.ToUpper(sql[i:]), "WITHOUT")
}

// Columns returns the column names of a CREATE TABLE statement, in order:
// the first word of each definition between the outer parentheses, its
// quotes (double, single, backquotes, brackets) taken off, the table constraints (CONSTRAINT,
// PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY) left out. A statement that does
// not read so gives the names it has read.
func Columns(sql string) []string {
	i := strings.IndexByte(sql, '(')
	if i < 0 {
		return nil
	}
	var cols []string
	for _, def := range splitTop(sql[i+1:]) {
		name := firstWord(def)
		switch strings.ToUpper(name) {
		case "", "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN":
			if !quoted(def) {
				continue
			}
		}
		cols = append(cols, name)
		if len(cols) == maxColumns {
			break
		}
	}
	return cols
}

// splitTop splits s (what follows a CREATE TABLE's opening parenthesis)
// at the commas outside parentheses and quotes, up to the closing
// parenthesis.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'' || c == '`':
			q = c
		case c == '[':
			q = ']'
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				return append(out, s[start:i])
			}
			depth--
		case c == ',' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// quoted reports whether a definition starts with a quote.
func quoted(def string) bool {
	def = strings.TrimLeft(def, " \t\r\n")
	return def != "" && strings.IndexByte("\"'`[", def[0]) >= 0
}

// firstWord is a definition's first word, its quotes taken off.
func firstWord(def string) string {
	def = strings.TrimLeft(def, " \t\r\n")
	if def == "" {
		return ""
	}
	if end := map[byte]byte{'"': '"', '\'': '\'', '`': '`', '[': ']'}[def[0]]; end != 0 {
		if j := strings.IndexByte(def[1:], end); j >= 0 {
			return def[1 : 1+j]
		}
		return def[1:]
	}
	j := strings.IndexFunc(def, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == '(' || r == utf8.RuneError
	})
	if j < 0 {
		return def
	}
	return def[:j]
}
