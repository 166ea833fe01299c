package scanner

import "slices"

// Keys written as a list of characters or code points, the way client apps
// hide a key from scanners: new String(new char[]{'A', 'K', 'I', 'A', …}) in
// Java, string([]byte{'A', 'K', …}) or []rune in Go, "".join(["A", "K",
// …]) in Python, String.fromCharCode(65, 75, 73, 65, …) in JavaScript,
// bytes([65, 75, …]), a C char array, chr(65) + chr(75) + … in Python and
// PHP. A run of such items (a one-character literal, a code point in decimal
// or 0x hex, chr(N)), one separator between two (a comma, or + or . between
// chr calls) and blanks and line breaks around it, reads as the characters
// it spells. A run of at least minListItems is decoded and the lines around
// it scanned again with it replaced, as escape runs are (scanRewritten), so
// a value needs the context a plain one needs; the finding's encoding is
// char-list and it points at the list's first item.
//
// Runs are looked for where the K, I, A or S, I, A of a key prefix stands
// as decimal code points (a prefilter anchor, added late to the Teddy
// buckets) and, where the scan looked for secrets (after a keyword, around
// a key ID) in source files, at a one-character literal that a comma
// follows (a quote the byte masks mark already: markWindows); every run in
// the lines around one found is decoded with it, since a secret has no
// prefix. A list of quoted characters far from any keyword or key ID, and
// lists of hex code points or chr calls that no other list stands near,
// are not looked for: their anchors cost the matcher 0.5-1.2 % on Go source
// each (prefilter.go).

// minListItems is the shortest run decoded: a value is at least a key ID
// long (20); a few shorter runs still hold one with the quotes or the name
// around it.
const minListItems = 16

// listItem reads the item at i: its character and length, or 0 length.
func listItem(d []byte, i int) (byte, int) {
	if i >= len(d) {
		return 0, 0
	}
	switch c := d[i]; {
	case c == '\'' || c == '"':
		if i+2 < len(d) && d[i+2] == c && d[i+1] >= 0x20 && d[i+1] < 0x7f && d[i+1] != '\\' {
			return d[i+1], 3
		}
	case c == '0' && i+3 < len(d) && (d[i+1] == 'x' || d[i+1] == 'X'):
		v, n := hexRun(d, i+2, 2)
		if n == 2 && (i+4 >= len(d) || !isWordByte(d[i+4])) && v >= 0x20 && v < 0x7f {
			return byte(v), 4
		}
	case isDigit(c):
		v, n := 0, 0
		for n < 3 && i+n < len(d) && isDigit(d[i+n]) {
			v = v*10 + int(d[i+n]-'0')
			n++
		}
		if (i+n >= len(d) || !isWordByte(d[i+n])) && v >= 0x20 && v < 0x7f && (n == 1 || c != '0') {
			return byte(v), n
		}
	case c == 'c':
		if i+5 < len(d) && d[i+1] == 'h' && d[i+2] == 'r' && d[i+3] == '(' {
			if v, n := listItem(d, i+4); n > 0 && d[i+4] != '\'' && d[i+4] != '"' && i+4+n < len(d) && d[i+4+n] == ')' {
				return v, 5 + n
			}
		}
	}
	return 0, 0
}

// listSep returns the length of the separator after an item that ends at
// i, when another item follows it: one comma (or a + or . between chr
// calls), blanks and line breaks around it.
func listSep(d []byte, i int, chr bool) int {
	j, seps := i, 0
	for j < len(d) && j-i < 64 {
		switch d[j] {
		case ' ', '\t', '\n', '\r':
		case ',':
			seps++
		case '+', '.':
			if !chr {
				return 0
			}
			seps++
		default:
			if seps != 1 {
				return 0
			}
			return j - i
		}
		j++
	}
	return 0
}

// listRun reads the run of items from s: its end, item count and kind of
// item (a chr call or not: the separators they take differ).
func listRun(d []byte, s int) (end, items int) {
	chr := s < len(d) && d[s] == 'c'
	i := s
	for {
		_, n := listItem(d, i)
		if n == 0 || (d[i] == 'c') != chr {
			return end, items
		}
		items++
		end = i + n
		k := listSep(d, end, chr)
		if k == 0 || end-s > maxRunBytes {
			return end, items
		}
		i = end + k
	}
}

// listStart goes back from the item at i over the items before it, at most
// 64, to the run's first item.
func listStart(d []byte, i int) int {
	chr := d[i] == 'c'
	for back := 0; back < 64; back++ {
		j := i
		for j > 0 && i-j < 64 && isListBlank(d[j-1]) {
			j--
		}
		if j == 0 || !(d[j-1] == ',' || chr && (d[j-1] == '+' || d[j-1] == '.')) {
			return i
		}
		j--
		for j > 0 && i-j < 128 && isListBlank(d[j-1]) {
			j--
		}
		// The item that ends at j: at most chr(0x41), ten bytes.
		p := -1
		for k := j - 1; k >= max(0, j-10); k-- {
			if _, n := listItem(d, k); n == j-k && (d[k] == 'c') == chr && (k == 0 || !isWordByte(d[k-1]) || d[k] == '\'' || d[k] == '"') {
				p = k
				break
			}
		}
		if p < 0 {
			return i
		}
		i = p
	}
	return i
}

// listSpan returns the run of at least minListItems items that the item
// at i stands in, from its first item.
func listSpan(d []byte, i int) (window, bool) {
	if _, n := listItem(d, i); n == 0 {
		return window{}, false
	}
	s := listStart(d, i)
	end, items := listRun(d, s)
	if items < minListItems {
		return window{}, false
	}
	return window{s, end}, true
}

// isListBlank reports whether c is a blank or line break that may stand
// around a list's separator.
func isListBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// codePointPrefix reports whether the decimal I at i (a prefilter anchor)
// stands after a K or S and before an A as items of one list: 75, 73, 65
// with any blanks and line breaks around its commas. It returns where the
// K or S starts.
func codePointPrefix(d []byte, i int) (int, bool) {
	j := i - 1
	for j >= 0 && i-j < 64 && isListBlank(d[j]) {
		j--
	}
	if j < 0 || d[j] != ',' {
		return 0, false
	}
	for j--; j >= 0 && i-j < 128 && isListBlank(d[j]); j-- {
	}
	if j < 1 || !(d[j-1] == '7' && d[j] == '5' || d[j-1] == '8' && d[j] == '3') || j >= 2 && isWordByte(d[j-2]) {
		return 0, false
	}
	k := i + 2
	if n := listSep(d, k, false); n > 0 {
		if c, m := listItem(d, k+n); m == 2 && c == 'A' && isDigit(d[k+n]) {
			return j - 1, true
		}
	}
	return 0, false
}

// listsIn appends the runs that start in [lo,hi).
func listsIn(d []byte, lo, hi int, out []window) []window {
	for i := lo; i < hi; i++ {
		c := d[i]
		if !(c == '\'' || c == '"' || c == 'c' || isDigit(c)) || i > 0 && isWordByte(d[i-1]) && c != '\'' && c != '"' {
			continue
		}
		if _, n := listItem(d, i); n == 0 {
			continue
		}
		end, items := listRun(d, i)
		if items >= minListItems {
			out = append(out, window{i, end})
		}
		i = max(i, end-1)
	}
	return out
}

// listAnchor notes a code-point anchor, and reads forward the run it
// stands in: a long list holds an anchor every few items, and those in the
// run are not noted again (qa14 MEDIUM-13).
func (m *match) listAnchor(at int) {
	m.lists = append(m.lists, at)
	end, _ := listRun(m.data, at)
	m.listEnd = max(end, at+1)
}

// decodeLists finds the runs of list items at the anchors and marks, and
// every run in the lines around them, and scans them in context.
func (m *match) decodeLists() {
	if len(m.lists) == 0 {
		return
	}
	d := m.data
	slices.Sort(m.lists)
	var spans []window
	done := -1
	for _, at := range slices.Compact(m.lists) {
		if at < done {
			continue
		}
		w, ok := listSpan(d, at)
		if ok && w.lo < done {
			// A run cut at maxRunBytes goes on: from this anchor, not from
			// the items before it again (qa14 MEDIUM-13: each anchor of a
			// long list read the 4 KiB after it once more).
			end, items := listRun(d, at)
			w, ok = window{at, end}, items >= minListItems
		}
		if ok {
			spans = append(spans, w)
			done = w.hi
		}
	}
	if len(spans) == 0 {
		return
	}
	var runs []window
	for _, w := range m.afford(m.around(spans), escapeEscapeCost) {
		runs = listsIn(d, w.lo, w.hi, runs)
	}
	m.scanRewritten(runs, func(i int) rewrite { return decodeList(d, runs[i]) })
}

// decodeList returns the text a run of items spells, and where each
// character is written.
func decodeList(d []byte, w window) rewrite {
	sg := rewrite{start: w.lo, end: w.hi, encoding: "char-list"}
	chr := d[w.lo] == 'c'
	for i := w.lo; i < w.hi; {
		c, n := listItem(d, i)
		if n == 0 {
			break
		}
		sg.text, sg.from, sg.to = append(sg.text, c), append(sg.from, i), append(sg.to, i+n)
		i += n
		if i >= w.hi {
			break
		}
		i += listSep(d, i, chr)
	}
	return sg
}
