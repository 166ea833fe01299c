package scanner

import "bytes"

// Tables of wikis and markup name their columns as a delimited table's
// header does (tablecolumn.go), in other grammars (qa22 M3):
//
//	||User||Secret access key||        Confluence and Jira: "||" parts the
//	|ci|S|                             header's cells, "|" a row's
//
//	|===                               AsciiDoc: a header line right after
//	|User |Secret access key           the table's opening, then cells each
//	                                   opened by "|", a row's on one line
//	|ci |S                             or on many
//	|===
//
//	{| class="wikitable"               MediaWiki: "!" opens a header cell,
//	! User !! Secret access key        "|" a data cell, "!!" and "||" part
//	|-                                 the cells of a line, "|-" starts a
//	| ci || S                          row
//	|}
//
//	<tr><th>User</th><th>Secret access key</th></tr>
//	<tr><td>ci</td><td>S</td></tr>     HTML
//
// A keyword that fills a header cell of one of them names the value that
// fills the cell of the same column in a row below, up to the table's end
// (and maxTableRows). Only a keyword whose cell ends in one of these
// grammars' closers is asked (cellEndAfter: "</", "!!", "|", a line's
// end), and each grammar's test opens with the byte before the cell. A
// table ends where its grammar ends it ("|===", "|}", "</table"; a
// Confluence table at its first line that is no row).

// tableGrid is the grammar of a table whose header names a column.
type tableGrid uint8

const (
	gridDelimited  tableGrid = iota // CSV, TSV, Markdown (tablecolumn.go)
	gridConfluence                  // ||a||b|| over |x|y|
	gridAsciiDoc                    // |=== then |a |b
	gridWiki                        // {| ! a !! b |- | x || y |}
	gridHTML                        // <th>a</th> over <td>x</td>
)

// gridHeaderOf returns the header that the keyword k is in one of the
// grammars above, and how many bytes it read for the answer; after is
// cellEndAfter's answer for it.
func gridHeaderOf(d []byte, kws []keyword, k int, after byte) (h tableHeader, read int, ok bool) {
	kw := &kws[k]
	i := kw.start // the cell's text starts at i (AWS Secret Access Key)
	for i > 0 && headerByte(d[i-1]) && kw.start-i < 64 {
		i--
	}
	j := kw.end // and its padding ends at j
	for j < len(d) && cellPad(d[j]) && j-kw.end < 16 {
		j++
	}
	if i == 0 {
		return h, 0, false
	}
	h.kw = k
	// The line's start (read back up to 4 KiB) is found only where a
	// wiki's or AsciiDoc's cell asks for it: before a JSON member's quote
	// (service models: SecretAccessKey by the thousand, on long lines of
	// documentation) it cost 5 % of their instructions.
	switch d[i-1] {
	case '>':
		if after != '<' {
			return h, 0, false
		}
		return htmlHeader(d, h, i, j)
	case '!':
		if after != '!' && after != '\n' || after == '!' && (j+1 >= len(d) || d[j+1] != '!') {
			return h, 0, false
		}
		return wikiHeader(d, h, lineStartWithin(d, i, 4096), i)
	case '|':
		if after != '|' && after != '\n' {
			return h, 0, false
		}
		ls := lineStartWithin(d, i, 4096)
		line := bytes.TrimLeft(d[ls:i], " \t")
		if bytes.HasPrefix(line, []byte("||")) && i >= 2 && d[i-2] == '|' {
			// Confluence: the cells before are the "||"s before, less one
			h.grid, h.col = gridConfluence, bytes.Count(d[ls:i], []byte("||"))-1
			h.from = cellLineEnd(d, j, 4096) + 1
			if h.from > len(d) {
				return h, j - ls, false
			}
			h.to = rowsEnd(d, h.from)
			return h, j - ls + h.to - h.from, h.to > h.from // rows below
		}
		if len(line) > 0 && line[0] == '|' && ls > 0 {
			// AsciiDoc: the line above opens the table
			up := lineStartWithin(d, ls-1, 64)
			if !bytes.Equal(bytes.TrimRight(d[up:ls-1], " \t\r"), []byte("|===")) {
				return h, i - up, false
			}
			le := cellLineEnd(d, j, 4096)
			h.grid, h.col, h.cells = gridAsciiDoc, bytes.Count(d[ls:i-1], []byte("|")), bytes.Count(d[ls:le], []byte("|"))
			h.from = le + 1
			if h.from > len(d) || h.cells < 2 {
				return h, le - up, false
			}
			h = tableEnd(d, h, "\n|===")
			return h, le - up + h.to - h.from, bytes.IndexByte(d[h.from:h.to], '|') >= 0 // cells below
		}
	}
	return h, 0, false
}

// tableEnd sets h.to where the table ends (end, searched for within
// maxTableRows of h.from) or maxTableRows below h.from.
func tableEnd(d []byte, h tableHeader, end string) tableHeader {
	h.to = min(len(d), h.from+maxTableRows)
	if h.from >= h.to {
		return h
	}
	// end opens with the line break before it: searched for from the
	// header's own line break on, so a closer right below it is found
	if k := bytes.Index(d[h.from-1:h.to], []byte(end)); k >= 0 {
		h.to = h.from - 1 + k
	}
	h.to = max(h.to, h.from)
	return h
}

// rowsEnd returns where the rows of a Confluence table from from end: at
// the first line that is no row (opens with no "|", or with a header's
// "||"), or maxTableRows below.
func rowsEnd(d []byte, from int) int {
	end := min(len(d), from+maxTableRows)
	for i := from; i < end; {
		k := i
		for k < end && (d[k] == ' ' || d[k] == '\t') {
			k++
		}
		if k == end || d[k] != '|' || k+1 < end && d[k+1] == '|' {
			return i // no row, or the next table's header
		}
		i = cellLineEnd(d, k, end-k) + 1
	}
	return end
}

// htmlHeader reads a <th> cell whose text is d[i:j]: "</th>" at j, the
// <th> tag before i, and the <tr> that opens its row; the column is the
// count of cells opened in the row before it.
func htmlHeader(d []byte, h tableHeader, i, j int) (tableHeader, int, bool) {
	if !hasPrefixFold(d[j:], "</TH>") {
		return h, 0, false
	}
	tag := bytes.LastIndexByte(d[max(0, i-256):i], '<')
	if tag < 0 {
		return h, 0, false
	}
	tag += max(0, i-256)
	if !hasPrefixFold(d[tag:], "<TH") || tag+3 >= len(d) || d[tag+3] != '>' && d[tag+3] != ' ' {
		return h, 0, false
	}
	row := lastIndexFold(d[max(0, tag-4096):tag], "<TR")
	if row < 0 {
		return h, 4096, false
	}
	row += max(0, tag-4096)
	h.grid, h.col = gridHTML, htmlCells(d[row:tag])
	h.from = j
	h = tableEnd(d, h, "</table")
	return h, tag - row + h.to - h.from, htmlCells(d[h.from:h.to]) > 0 // rows below
}

// htmlCells counts the cells opened in b: <td and <th tags.
func htmlCells(b []byte) int {
	n := 0
	for k := bytes.IndexByte(b, '<'); k >= 0; {
		if hasPrefixFold(b[k:], "<TD") || hasPrefixFold(b[k:], "<TH") {
			if k+3 < len(b) && (b[k+3] == '>' || b[k+3] == ' ') {
				n++
			}
		}
		b = b[k+1:]
		k = bytes.IndexByte(b, '<')
	}
	return n
}

// wikiHeader reads a MediaWiki header cell whose text starts at i after
// its "!": the line's cells before it ("!!"), and those of the header
// lines above it in its row, up to the row's or the table's opening.
func wikiHeader(d []byte, h tableHeader, ls, i int) (tableHeader, int, bool) {
	if line := bytes.TrimLeft(d[ls:i], " \t"); len(line) == 0 || line[0] != '!' {
		return h, 0, false
	}
	col, read, ok := wikiCellsBefore(d, ls, i, '!')
	if !ok {
		return h, read, false
	}
	h.grid, h.col = gridWiki, col
	h.from = cellLineEnd(d, i, 4096) + 1
	if h.from > len(d) {
		return h, read, false
	}
	h = tableEnd(d, h, "\n|}")
	return h, read + h.to - h.from, bytes.Contains(d[h.from-1:h.to], []byte("\n|-")) // rows below, from the header line's break
}

// wikiCellsBefore counts the cells of a MediaWiki row before the cell
// whose text starts at c, after its opener ('!' or '|', mark), on the
// line from ls: the openers doubled before c on its line, and the cells of the lines above
// it up to the line that opens the row ("|-") or the table ("{|"), which
// it must reach within 64 lines.
func wikiCellsBefore(d []byte, ls, c int, mark byte) (int, int, bool) {
	n := bytes.Count(d[ls:c], []byte{mark, mark})
	lo := ls
	for k := 0; k < 64 && lo > 0; k++ {
		up := lineStartWithin(d, lo-1, 4096)
		line := bytes.TrimSpace(d[up : lo-1])
		lo = up
		switch {
		case bytes.HasPrefix(line, []byte("|-")), bytes.HasPrefix(line, []byte("{|")):
			return n, ls - lo, true
		case bytes.HasPrefix(line, []byte("|}")), bytes.HasPrefix(line, []byte("|+")):
			return 0, ls - lo, false
		case len(line) > 0 && line[0] == '!':
			n += 1 + bytes.Count(line, []byte("!!"))
		case len(line) > 0 && line[0] == '|':
			n += 1 + bytes.Count(line, []byte("||"))
		}
	}
	return 0, ls - lo, false
}

// gridNames reports whether the value r fills the cell of h's column in
// a row below h, in h's grammar.
func gridNames(d []byte, h *tableHeader, r run) bool {
	a, b := r.start, r.end // the cell's text with its padding
	for a > h.from && cellPad(d[a-1]) {
		a--
	}
	for b < h.to && (cellPad(d[b]) || d[b] == '\r') {
		b++
	}
	if a <= h.from {
		return false
	}
	ls := lineStartWithin(d, a, 4096)
	switch h.grid {
	case gridHTML:
		if d[a-1] != '>' || !hasPrefixFold(d[b:], "</TD>") {
			return false
		}
		tag := bytes.LastIndexByte(d[max(ls, a-256):a], '<')
		if tag < 0 {
			return false
		}
		tag += max(ls, a-256)
		row := lastIndexFold(d[max(h.from, tag-4096):tag], "<TR")
		return hasPrefixFold(d[tag:], "<TD") && row >= 0 && htmlCells(d[max(h.from, tag-4096)+row:tag]) == h.col
	case gridConfluence:
		line := bytes.TrimLeft(d[ls:a], " \t")
		return d[a-1] == '|' && (b == len(d) || d[b] == '|' || d[b] == '\n') && len(line) > 1 && line[1] != '|' &&
			bytes.Count(d[ls:a-1], []byte("|")) == h.col
	case gridAsciiDoc:
		return d[a-1] == '|' && (b == len(d) || d[b] == '|' || d[b] == '\n') &&
			bytes.Count(d[h.from:a-1], []byte("|"))%h.cells == h.col
	case gridWiki:
		if d[a-1] != '|' || b < len(d) && d[b] != '\n' && !bytes.HasPrefix(d[b:], []byte("||")) {
			return false
		}
		if line := bytes.TrimLeft(d[ls:a], " \t"); len(line) == 0 || line[0] != '|' || len(line) > 1 && (line[1] == '-' || line[1] == '}' || line[1] == '+') {
			return false
		}
		col, _, ok := wikiCellsBefore(d, ls, a, '|')
		return ok && col == h.col
	}
	return false
}

// lastIndexFold is bytes.LastIndex for s, its capitals in either case
// (hasPrefixFold).
func lastIndexFold(b []byte, s string) int {
	for k := len(b) - len(s); k >= 0; k-- {
		if b[k]|0x20 == s[0]|0x20 && hasPrefixFold(b[k:], s) {
			return k
		}
	}
	return -1
}
