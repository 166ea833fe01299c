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
// tables, the index b-trees of WITHOUT ROWID tables (whose records are
// whole rows, the PRIMARY KEY's columns first: Stored names them in that
// order), and the overflow pages of a record too long for its page. The
// indexes of tables, whose values the tables hold, and free pages are left
// to the byte scan of the file, which the caller does anyway. The reading is
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

// Tables returns the rows of the database's tables, in the order the
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
		name  string
		root  int
		index bool // a WITHOUT ROWID table: an index b-tree
		cols  []string
	}
	var schema []entry
	d.walk(1, false, func(rec []byte) {
		vs := d.values(rec, 5)
		if len(vs) < 5 || d.text(vs[0].text) != "table" || vs[3].kind != intValue {
			return
		}
		sql := d.text(vs[4].text)
		schema = append(schema, entry{name: d.text(vs[1].text), root: int(vs[3].n), index: withoutRowid(sql), cols: Stored(sql)})
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
		d.walk(e.root, e.index, func(rec []byte) {
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

// Page types: a table b-tree holds a rowid table's rows, an index b-tree
// an index's keys or a WITHOUT ROWID table's rows.
const (
	interiorIndex = 0x02
	interiorTable = 0x05
	leafIndex     = 0x0a
	leafTable     = 0x0d
)

// step is what walk has left to do: read a page, or (cell not nil) hand
// on the record of an interior index cell, after its left child's.
type step struct {
	page int
	cell []byte
}

// walk calls rec with the record of each cell of the b-tree rooted at page
// root (a table b-tree, or an index b-tree when index is set), in key
// order, each page read once. A page that is not of the tree's kind ends
// the walk of its subtree.
//
// An index b-tree is a B-tree, not a B+tree: an interior page's cells hold
// records of their own (a WITHOUT ROWID table's rows among them), each
// between its left child's and the next child's, which the stack keeps in
// that order by pointing at the cell in the file rather than copying it.
// The stack holds at most one step a cell of the pages read.
func (d *db) walk(root int, index bool, rec func([]byte)) {
	interior, leaf := byte(interiorTable), byte(leafTable)
	if index {
		interior, leaf = interiorIndex, leafIndex
	}
	stack := []step{{page: root}}
	for len(stack) > 0 && !d.full {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.cell != nil {
			if r := d.record(s.cell, true); r != nil {
				rec(r)
			}
			continue
		}
		n := s.page
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
		if kind == interior {
			head = h + 12
		} else if kind != leaf {
			continue
		}
		if head+2*cells > d.us {
			continue
		}
		var kids []step
		for i := range cells {
			at := int(binary.BigEndian.Uint16(p[head+2*i:]))
			if at < head+2*cells || at >= d.us {
				continue
			}
			c := p[at:d.us]
			switch {
			case kind == leaf:
				if r := d.record(c, index); r != nil {
					rec(r)
				}
			case len(c) < 4:
			case index:
				kids = append(kids, step{page: int(binary.BigEndian.Uint32(c))}, step{cell: c[4:]})
			default:
				kids = append(kids, step{page: int(binary.BigEndian.Uint32(c))})
			}
		}
		if kind == interior {
			kids = append(kids, step{page: int(binary.BigEndian.Uint32(p[h+8:]))})
			// Pushed last first, so that the leftmost is read first.
			for i := len(kids) - 1; i >= 0; i-- {
				stack = append(stack, kids[i])
			}
		}
	}
}

// record returns the payload of a cell c (the bytes from the cell's
// payload size to the page's usable end: a table leaf cell, or an index
// cell past its left child pointer when index is set), its overflow pages
// followed; nil when the cell is malformed or its payload over maxRecord.
// The payload may be held in d.scratch until the next call.
func (d *db) record(c []byte, index bool) []byte {
	size, n := varint(c)
	if n == 0 || size < 0 {
		return nil
	}
	c = c[n:]
	if !index { // the rowid
		if _, n = varint(c); n == 0 {
			return nil
		}
		c = c[n:]
	}
	p, local := int(size), d.local(size, index)
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

// local is how much of a cell's payload of size p stands on its page
// (fileformat2.html, "Cell Payload Overflow Pages"): an index cell keeps
// less than a table leaf cell, so that a page holds at least four.
func (d *db) local(p int64, index bool) int {
	x := d.us - 35
	if index {
		x = (d.us-12)*64/255 - 23
	}
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
// ROWID: its rows are an index b-tree.
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
	cols, _ := definitions(sql)
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return names
}

// Stored returns the column names of a CREATE TABLE statement in the
// order a row's record holds their values (fileformat2.html, 2.3 and 2.4):
// a VIRTUAL generated column, computed when read, is not stored, and a
// WITHOUT ROWID table's record is the PRIMARY KEY's columns, in the key's
// order, then the others in the statement's. A key that names no column
// read is left out of that order, the others kept.
func Stored(sql string) []string {
	cols, key := definitions(sql)
	var names []string
	if withoutRowid(sql) {
		for _, k := range key {
			for i, c := range cols {
				if !c.key && strings.EqualFold(c.name, k) {
					cols[i].key = true
					names = append(names, c.name)
					break
				}
			}
		}
	}
	for _, c := range cols {
		if !c.virtual && !c.key {
			names = append(names, c.name)
		}
	}
	return names
}

// column is one column definition of a CREATE TABLE statement.
type column struct {
	name    string
	key     bool // the PRIMARY KEY, or (after Stored's pass) one of its columns
	virtual bool // a VIRTUAL generated column: not in the record
}

// definitions reads a CREATE TABLE statement's column definitions and
// the columns of its PRIMARY KEY, in the key's order: a column's own
// PRIMARY KEY clause, or the table constraint's list (each item's first
// word, COLLATE, ASC and DESC after it left).
func definitions(sql string) (cols []column, key []string) {
	i := strings.IndexByte(sql, '(')
	if i < 0 {
		return nil, nil
	}
	for _, def := range splitTop(sql[i+1:]) {
		ts := tokens(def)
		name := firstWord(def)
		switch strings.ToUpper(name) {
		case "", "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN":
			if !quoted(def) {
				if len(ts) > 2 && strings.EqualFold(ts[0], "CONSTRAINT") {
					ts = ts[2:]
				}
				if len(ts) > 2 && strings.EqualFold(ts[0], "PRIMARY") && strings.EqualFold(ts[1], "KEY") && ts[2][0] == '(' {
					for _, item := range splitTop(ts[2][1:]) {
						key = append(key, firstWord(item))
					}
				}
				continue
			}
		}
		c := column{name: name}
		stored := false
		for k := 1; k < len(ts); k++ {
			switch w := strings.ToUpper(ts[k]); {
			case w == "PRIMARY" && k+1 < len(ts) && strings.EqualFold(ts[k+1], "KEY"):
				c.key = true
			case w == "AS" && k+1 < len(ts) && ts[k+1][0] == '(':
				c.virtual = true
			case w == "STORED":
				stored = true
			}
		}
		c.virtual = c.virtual && !stored
		if c.key {
			key = []string{c.name}
			c.key = false
		}
		cols = append(cols, c)
		if len(cols) == maxColumns {
			break
		}
	}
	return cols, key
}

// tokens splits a definition into its words, its quoted names and
// strings, and its parenthesised groups (each one token, its parentheses
// kept); the rest of its punctuation is a token a byte.
func tokens(def string) []string {
	var out []string
	for i := 0; i < len(def); {
		c := def[i]
		j := i + 1
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
			continue
		case c == '(':
			j = groupEnd(def, i)
		case c == '"' || c == '\'' || c == '`' || c == '[':
			end := c
			if c == '[' {
				end = ']'
			}
			if k := strings.IndexByte(def[i+1:], end); k >= 0 {
				j = i + 2 + k
			} else {
				j = len(def)
			}
		case isWord(c):
			for j < len(def) && isWord(def[j]) {
				j++
			}
		}
		out = append(out, def[i:j])
		i = j
	}
	return out
}

// isWord reports whether c is part of a bare word.
func isWord(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= 0x80
}

// outsideQuotes calls at for each byte of s from i that stands outside
// quotes ("…", '…', `…`, […]), until at returns false, and returns where
// it stopped (len(s) when it did not).
func outsideQuotes(s string, i int, at func(i int, c byte) bool) int {
	var q byte
	for ; i < len(s); i++ {
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
		default:
			if !at(i, c) {
				return i
			}
		}
	}
	return len(s)
}

// groupEnd is the index past the parenthesis that closes the one at s[i],
// quotes inside skipped; len(s) when none does.
func groupEnd(s string, i int) int {
	depth := 0
	j := outsideQuotes(s, i, func(_ int, c byte) bool {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			return depth != 0
		}
		return true
	})
	return min(j+1, len(s))
}

// splitTop splits s (what follows a CREATE TABLE's opening parenthesis)
// at the commas outside parentheses and quotes, up to the closing
// parenthesis.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	end := outsideQuotes(s, 0, func(i int, c byte) bool {
		switch {
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				return false
			}
			depth--
		case c == ',' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
		return true
	})
	return append(out, s[start:end])
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
