package tables

import (
	"bytes"
	"strconv"
)

// token is one piece of an XML part: a tag, or the text between two.
// Names are local: a prefix (w:, table:, x:) is dropped, since writers
// choose their own (the .NET SDK writes x:c for c).
type token struct {
	text  []byte // the text, when name is nil (raw: references not decoded)
	cdata bool   // text from a CDATA section: no references in it
	name  []byte
	code  name // the name, when the readers know it
	attrs []byte
	end   bool // </name>
	empty bool // <name/>
}

// name is a tag's local name that the readers act on, told once a tag
// (a switch on the string), not by each reader's comparisons.
type name uint8

const (
	other name = iota
	nRow
	nC
	nV
	nF
	nIs
	nT
	nRPh
	nSI
	nTable // OpenDocument's table
	nTbl   // Word's and DrawingML's table
	nTableRow
	nTr
	nTableCell
	nCoveredCell
	nTc
	nGridSpan
	nAnnotation
	nP
	nS
	nTab
	nLineBreak
	nBr
)

func nameOf(b []byte) name {
	switch string(b) {
	case "row":
		return nRow
	case "c":
		return nC
	case "v":
		return nV
	case "f":
		return nF
	case "is":
		return nIs
	case "t":
		return nT
	case "rPh":
		return nRPh
	case "si":
		return nSI
	case "table":
		return nTable
	case "tbl":
		return nTbl
	case "table-row":
		return nTableRow
	case "tr":
		return nTr
	case "table-cell":
		return nTableCell
	case "covered-table-cell":
		return nCoveredCell
	case "tc":
		return nTc
	case "gridSpan":
		return nGridSpan
	case "annotation":
		return nAnnotation
	case "p":
		return nP
	case "s":
		return nS
	case "tab":
		return nTab
	case "line-break":
		return nLineBreak
	case "br":
		return nBr
	}
	return other
}

// lexer walks an XML part's tags and text in one pass. It is no
// validating parser: what does not read as a tag is skipped, and a part
// cut short ends where it stops.
type lexer struct {
	d []byte
	i int
	t token
}

var (
	commentOpen = []byte("<!--")
	commentEnd  = []byte("-->")
	cdataOpen   = []byte("<![CDATA[")
	cdataEnd    = []byte("]]>")
)

// next reads the next token into l.t, or reports false at the part's end.
func (l *lexer) next() bool {
	for l.i < len(l.d) {
		d := l.d[l.i:]
		if d[0] != '<' {
			j := bytes.IndexByte(d, '<')
			if j < 0 {
				j = len(d)
			}
			l.i += j
			l.t = token{text: d[:j]}
			return true
		}
		if len(d) > 1 && (d[1] == '?' || d[1] == '!') {
			switch {
			case bytes.HasPrefix(d, commentOpen):
				l.skipPast(commentEnd)
			case bytes.HasPrefix(d, cdataOpen):
				d = d[len(cdataOpen):]
				j := bytes.Index(d, cdataEnd)
				if j < 0 {
					j = len(d)
				}
				l.i += len(cdataOpen) + j + len(cdataEnd)
				l.t = token{text: d[:j], cdata: true}
				return true
			default:
				l.skipPast([]byte(">"))
			}
			continue
		}
		end := tagEnd(d)
		if end < 0 {
			l.i = len(l.d)
			return false
		}
		l.i += end + 1
		t := token{}
		body := d[1:end]
		if len(body) > 0 && body[0] == '/' {
			t.end, body = true, body[1:]
		}
		if n := len(body); n > 0 && body[n-1] == '/' {
			t.empty, body = true, body[:n-1]
		}
		n := 0
		for n < len(body) && !blank(body[n]) {
			n++
		}
		t.name, t.attrs = local(body[:n]), body[n:]
		t.code = nameOf(t.name)
		l.t = t
		return true
	}
	return false
}

// skipPast moves past the next end, or to the part's end.
func (l *lexer) skipPast(end []byte) {
	if j := bytes.Index(l.d[l.i+1:], end); j >= 0 {
		l.i += 1 + j + len(end)
		return
	}
	l.i = len(l.d)
}

// tagEnd returns the index of the '>' that ends the tag d starts with, a
// '>' inside an attribute's quotes not counting, or -1.
func tagEnd(d []byte) int {
	// Most tags: the first '>' after an even number of double quotes and
	// no single quote (two vectorised counts, not a loop a byte).
	if j := bytes.IndexByte(d, '>'); j > 0 && bytes.Count(d[:j], []byte{'"'})%2 == 0 && bytes.IndexByte(d[:j], '\'') < 0 {
		return j
	}
	var q byte
	for i := 1; i < len(d); i++ {
		c := d[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '>':
			return i
		}
	}
	return -1
}

func blank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// local drops a name's prefix.
func local(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// attr returns the value of the attribute whose local name is name, or nil.
func attr(attrs []byte, name string) []byte {
	for i := 0; i < len(attrs); {
		for i < len(attrs) && blank(attrs[i]) {
			i++
		}
		eq := bytes.IndexByte(attrs[i:], '=')
		if eq < 0 {
			return nil
		}
		key := bytes.TrimSpace(attrs[i : i+eq])
		i += eq + 1
		for i < len(attrs) && blank(attrs[i]) {
			i++
		}
		if i >= len(attrs) || attrs[i] != '"' && attrs[i] != '\'' {
			return nil
		}
		q := attrs[i]
		j := bytes.IndexByte(attrs[i+1:], q)
		if j < 0 {
			return nil
		}
		val := attrs[i+1 : i+1+j]
		i += j + 2
		if string(local(key)) == name {
			return val
		}
	}
	return nil
}

// count reads a count attribute (a repeat, a span): 1 when absent or not a
// positive number, at most limit.
func count(attrs []byte, name string, limit int) int {
	v := attr(attrs, name)
	if v == nil {
		return 1
	}
	n, err := strconv.Atoi(string(v))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, limit)
}
