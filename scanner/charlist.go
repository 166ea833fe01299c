package scanner

import (
	"bytes"
	"slices"
)

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
// Besides a one-character literal, a code point in decimal or 0x hex and a
// chr(N) call, it reads the same with the types languages put on them
// (qa15 HIGH-7, MEDIUM-7): a literal's prefix (Rust's and Python's b'A',
// C++'s u8'A', L'A', u'A', U'A'), a number's type suffix (Rust's 65u8,
// 0x41_u8, 65 as u8; C's, C#'s and Java's 65U, 65L; Kotlin's
// 0x41.toByte()), a cast before it (Java's and C#'s (byte)65, (char) 0x41;
// PowerShell's [char]65), a conversion call around it (Go's byte(65),
// rune('A'); Swift's UInt8(65)), and the chr calls of other languages
// (VB's Chr(65) and ChrW(65), SQL's CHAR(65) and CHR(65), Ruby's 65.chr).
func listItem(d []byte, i int) (byte, int) {
	if i >= len(d) {
		return 0, 0
	}
	switch c := d[i]; {
	case c == '\'' || c == '"':
		if i+2 < len(d) && d[i+2] == c && d[i+1] >= 0x20 && d[i+1] < 0x7f && d[i+1] != '\\' {
			n := 3
			if i+3 < len(d) && (d[i+3] == '.' || d[i+3] == ' ') {
				n += typeSuffix(d, i+3) // 'A'.toByte(), b'A' as char
			}
			return d[i+1], n
		}
	case c == '0' && i+3 < len(d) && (d[i+1] == 'x' || d[i+1] == 'X'):
		v, n := hexRun(d, i+2, 2)
		e := i + 4
		e += typeSuffix(d, e)
		if n == 2 && (e >= len(d) || !isWordByte(d[e])) && v >= 0x20 && v < 0x7f {
			return byte(v), e - i
		}
	case isDigit(c):
		v, n := 0, 0
		for n < 3 && i+n < len(d) && isDigit(d[i+n]) {
			v = v*10 + int(d[i+n]-'0')
			n++
		}
		e := i + n
		e += typeSuffix(d, e)
		if (e >= len(d) || !isWordByte(d[e])) && v >= 0x20 && v < 0x7f && (n == 1 || c != '0') {
			return byte(v), e - i
		}
	case c == '(' || c == '[':
		return castItem(d, i)
	case isAlpha(c):
		return wrappedItem(d, i)
	}
	return 0, 0
}

// isAlpha reports whether c is an ASCII letter.
func isAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// typeSuffix returns the length of the type suffix at e after a code
// point or a literal, 0 for none: Rust's u8 (i8, u16, …, usize, with or
// without a _ before it) and " as u8" (or char), C's U, L, UL, Kotlin's
// .toByte() (toChar, toInt, toUByte, code), Ruby's .chr (which makes the
// item a chr call: chrItem).
func typeSuffix(d []byte, e int) int {
	if e >= len(d) {
		return 0
	}
	switch c := d[e]; c {
	case '_', 'u', 'i':
		k := e
		if c == '_' {
			k++
		}
		if n := rustType(d, k); n > 0 {
			return k - e + n
		}
		if c == 'u' && (e+1 >= len(d) || !isWordByte(d[e+1])) {
			return 1 // 65u (C)
		}
	case 'U', 'L', 'l':
		n := 1
		if e+1 < len(d) && (d[e+1]|0x20 == 'l' || d[e+1]|0x20 == 'u') && d[e+1]|0x20 != c|0x20 {
			n = 2
		}
		return n
	case '.':
		for _, f := range [...]string{".chr", ".toByte()", ".toChar()", ".toInt()", ".toUByte()", ".code"} {
			if hasAt(d, e, f) {
				return len(f)
			}
		}
	case ' ':
		if hasAt(d, e, " as ") {
			if hasAt(d, e+4, "char") && (e+8 >= len(d) || !isWordByte(d[e+8])) {
				return 8
			}
			if n := rustType(d, e+4); n > 0 {
				return 4 + n
			}
		}
	}
	return 0
}

// rustType returns the length of a Rust integer type at k (u8, i32,
// usize), 0 for none.
func rustType(d []byte, k int) int {
	if k+1 >= len(d) || d[k] != 'u' && d[k] != 'i' {
		return 0
	}
	n := 1
	if hasAt(d, k+1, "size") {
		n = 5
	} else {
		for k+n < len(d) && n < 4 && isDigit(d[k+n]) {
			n++
		}
		if n == 1 {
			return 0
		}
	}
	if k+n < len(d) && isWordByte(d[k+n]) {
		return 0
	}
	return n
}

// hasAt reports whether d holds s at i.
func hasAt(d []byte, i int, s string) bool {
	return i >= 0 && i+len(s) <= len(d) && string(d[i:i+len(s)]) == s
}

// foldAt reports whether d holds s at i, ASCII case folded (s is in
// lower case).
func foldAt(d []byte, i int, s string) bool {
	if i < 0 || i+len(s) > len(d) {
		return false
	}
	for k := range len(s) {
		if c := d[i+k]; c != s[k] && c|0x20 != s[k] {
			return false
		}
	}
	return true
}

// castItem reads a cast before a code point or literal at i: (byte)65,
// (char) 0x41, [char]65.
func castItem(d []byte, i int) (byte, int) {
	close := byte(')')
	names := castNames[:]
	if d[i] == '[' {
		close, names = ']', []string{"char", "byte"}
	}
	for _, name := range names {
		e := i + 1 + len(name)
		if e < len(d) && d[e] == close && foldAt(d, i+1, name) {
			k := e + 1
			if k < len(d) && d[k] == ' ' {
				k++
			}
			if k < len(d) && (isDigit(d[k]) || d[k] == '\'' || d[k] == '"') {
				if v, n := listItem(d, k); n > 0 {
					return v, k + n - i
				}
			}
			return 0, 0
		}
	}
	return 0, 0
}

// castNames are the types a cast to a character or byte names.
var castNames = [...]string{"byte", "char", "sbyte", "int", "short", "uint8_t", "int8_t", "wchar_t"}

// wrappedItem reads an item that starts with a letter: a literal's prefix
// (b'A', u8'A', L'A'), or a call (chr(65), Chr(65), CHAR(65), byte(65),
// rune('A'), UInt8(65)).
func wrappedItem(d []byte, i int) (byte, int) {
	j := i
	for j < len(d) && j-i < 6 && isWordByte(d[j]) {
		j++
	}
	if j >= len(d) || j == i {
		return 0, 0
	}
	name := d[i:j]
	switch d[j] {
	case '\'', '"':
		if len(name) == 1 && (name[0] == 'b' || name[0] == 'B' || name[0] == 'L' || name[0] == 'u' || name[0] == 'U') || string(name) == "u8" {
			if v, n := listItem(d, j); n > 0 {
				return v, j - i + n
			}
		}
	case '(':
		chr := callChr(name)
		if !chr && !callConv(name) {
			return 0, 0
		}
		k := j + 1
		if hasAt(d, k, "ascii: ") { // Swift's UInt8(ascii: "A")
			k += 7
		}
		if k >= len(d) || chr && !isDigit(d[k]) || !isDigit(d[k]) && d[k] != '\'' && d[k] != '"' {
			return 0, 0
		}
		if v, n := listItem(d, k); n > 0 && k+n < len(d) && d[k+n] == ')' {
			return v, k + n + 1 - i
		}
	}
	return 0, 0
}

// callChr reports whether a call's name is a chr function: chr, Chr, CHR,
// ChrW, CHAR (SQL).
func callChr(name []byte) bool {
	switch len(name) {
	case 3:
		return foldAt(name, 0, "chr")
	case 4:
		return foldAt(name, 0, "chrw") || foldAt(name, 0, "char")
	}
	return false
}

// callConv reports whether a call's name converts a code point to a byte or
// character: byte, rune, char (C++), uint8, UInt8, Int8, u8.
func callConv(name []byte) bool {
	switch string(name) {
	case "byte", "rune", "uint8", "UInt8", "Int8", "u8", "Byte", "Char":
		return true
	}
	return false
}

// chrItem reports whether the item of n bytes at i is a chr call, which
// takes a + . & or || between it and the next rather than a comma: chr(65),
// Chr(65) & …, CHAR(65) + …, CHR(65) || …, [char]65 + …, 65.chr + ….
func chrItem(d []byte, i, n int) bool {
	c := d[i]
	return c|0x20 == 'c' && n > 4 && d[i+n-1] == ')' || c == '[' && d[i+1]|0x20 == 'c' || n > 4 && d[i+n-4] == '.' && d[i+n-1] == 'r'
}

// chrAt is chrItem for the item at i, read.
func chrAt(d []byte, i int) bool {
	_, n := listItem(d, i)
	return n > 0 && chrItem(d, i, n)
}

// listSep returns the length of the separator after an item that ends at
// i, when another item follows it: one comma (or a + . & or || between chr
// calls, and VB's _ line continuation), blanks and line breaks around it.
func listSep(d []byte, i int, chr bool) int {
	// ", " and "," before an item's first byte, the separators of most
	// lists, without the loop (qa14 MEDIUM-13: a list is read a few
	// times over).
	if i+2 < len(d) && d[i] == ',' {
		if listSepNext[d[i+1]] == 0 {
			return 1
		}
		if d[i+1] == ' ' && listSepNext[d[i+2]] == 0 {
			return 2
		}
	}
	if chr && i+1 < len(d) && d[i] == '+' && listSepNext[d[i+1]] == 0 {
		return 1 // chr(65)+chr(75): the loop's answer for a + and no blank
	}
	j, seps, lim := i, 0, i+64
	for j < len(d) && j < lim {
		switch d[j] {
		case ' ', '\t', '\n', '\r':
		case '#', '/':
			// A comment between items (# in Python and Ruby, // and /* */
			// in the C family): what stands between two items, as blanks
			// do. Its bytes do not count against the blanks' bound.
			n := listComment(d, j)
			if n == 0 {
				if seps != 1 {
					return 0
				}
				return j - i
			}
			j += n
			lim += n
			continue
		case ',':
			seps++
		case '+', '.':
			if !chr {
				return 0
			}
			seps++
		case '&', '|', '_':
			switch {
			case !chr: // no separator of a list of code points: the next item's first byte, or no item
				if seps != 1 {
					return 0
				}
				return j - i
			case d[j] == '&':
				seps++
			case d[j] == '|':
				if j+1 >= len(d) || d[j+1] != '|' {
					return 0
				}
				seps++
				j++
			case seps != 1: // VB's _ continues a line after its &
				return 0
			}
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

// listComment returns the length of the comment at j, up to its line's
// end or its */, 0 for none or for one longer than maxListComment.
func listComment(d []byte, j int) int {
	var end int
	switch {
	case d[j] == '#', hasAt(d, j, "//"):
		end = bytes.IndexByte(d[j:min(len(d), j+maxListComment)], '\n')
	case hasAt(d, j, "/*"):
		if end = bytes.Index(d[j+2:min(len(d), j+maxListComment)], []byte("*/")); end >= 0 {
			end += 4
		}
	default:
		return 0
	}
	return max(end, 0)
}

// sepComment reports whether a separator holds a comment: a run with one
// is not plain, since the prefilter may not pass over a comment's text.
func sepComment(sep []byte) bool {
	for _, c := range sep {
		if c == '#' || c == '/' {
			return true
		}
	}
	return false
}

// maxListComment bounds a comment between two items of a list.
const maxListComment = 200

// listSepNext marks the bytes after which listSep's fast paths leave a
// separator to its loop: listSepByte's, and the # and / that open a
// comment between items (listComment).
var listSepNext = func() [256]uint8 {
	t := listSepByte
	t['#'], t['/'] = 1, 1
	return t
}()

// listSepByte marks the bytes listSep reads as part of a separator.
var listSepByte = func() (t [256]uint8) {
	for _, c := range " \t\n\r,+.&|_" {
		t[c] = 1
	}
	return t
}()

// listRun reads the run of items from s: its end and item count.
func listRun(d []byte, s int) (end, items int) {
	end, items, _ = listRunPlain(d, s)
	return end, items
}

// listRunPlain is listRun that also reports whether the run is plain:
// decimal code points that do not start with 0, commas and blanks and
// nothing else (the prefilter passes over such a run: see listAnchor).
func listRunPlain(d []byte, s int) (end, items int, plain bool) {
	r := listScan{d: d, i: s, chr: s < len(d) && chrAt(d, s)}
	r.plain = !r.chr
	r.upTo(s + maxRunBytes)
	return r.end, r.items, r.plain && r.items > 0
}

// listScan reads a run of items, in steps (upTo) that listRunsFrom
// resumes.
type listScan struct {
	d          []byte
	i          int  // where the next item starts
	chr        bool // a run of chr calls, which take other separators
	plain      bool // every item read is a decimal code point that does not start with 0
	end, items int  // where the last item read ends, and how many were read
}

// upTo reads items until one ends past cut (a run is cut at maxRunBytes
// from where it is read from) or the run ends, and reports whether it
// goes on past the item it stopped at.
func (r *listScan) upTo(cut int) bool {
	d := r.d
	for {
		if !r.chr {
			end, n, next, atItem := plainItems(d, r.i, cut)
			if n > 0 {
				r.end, r.items = end, r.items+n
				if !atItem {
					k := listSep(d, end, false)
					if k == 0 {
						return false
					}
					r.plain = r.plain && (k <= 2 || !sepComment(d[end:end+k]))
					r.i = end + k
					if end > cut {
						return true
					}
					continue
				}
				r.i = next
			}
		}
		i := r.i
		n := 0
		if i < len(d) && '1' <= d[i] && d[i] <= '9' && !r.chr {
			_, n = decimalItem(d, i)
			if n > 0 && i+n < len(d) && (d[i+n] == ' ' || d[i+n] == '.') {
				n = 0 // 65 as u8, 65.toByte(): listItem reads the suffix
			}
		}
		if n == 0 && r.chr && i+6 < len(d) && d[i] == 'c' && d[i+1] == 'h' && d[i+2] == 'r' && d[i+3] == '(' && '1' <= d[i+4] && d[i+4] <= '9' {
			// chr(65), the item of most runs of chr calls, read as
			// listItem reads it (wrappedItem, then the code point)
			// without its general tests: a line of chr(65)+chr(75)+…
			// spent half its scan there (issue 16)
			if _, k := decimalItem(d, i+4); k > 0 && i+4+k < len(d) && d[i+4+k] == ')' {
				n = 4 + k + 1
				r.plain = false
			}
		}
		if n == 0 {
			if _, n = listItem(d, i); n > 0 {
				r.plain = false
			}
		}
		if n == 0 || chrItem(d, i, n) != r.chr {
			return false
		}
		r.items++
		r.end = i + n
		k := listSep(d, r.end, r.chr)
		if k == 0 {
			return false
		}
		r.plain = r.plain && (k <= 2 || !sepComment(d[r.end:r.end+k]))
		r.i = r.end + k
		if r.end > cut {
			return true
		}
	}
}

// plainItems reads from i the items of the form most long lists take, a
// decimal code point of two or three digits that does not start with 0
// and ", " or "," before the next, without listItem and listSep: 12
// bytes of "75, 73, 65, " cost the matcher 120 ns when every item was
// read so (qa14 MEDIUM-13). It stops after the item that ends past cut,
// and before an item or separator not of that form; it returns the end
// of the last item read and how many it read, and next: where the next
// item starts when atItem (its separator read), else the end (the
// separator after it not read, or not one of those).
func plainItems(d []byte, i, cut int) (end, items, next int, atItem bool) {
	next, atItem = i, true
	for i+6 <= len(d) {
		w := d[i : i+6 : i+6]
		a, b, c := w[0]-'1', w[1]-'0', w[2]-'0'
		if a > 8 || b > 9 {
			break
		}
		var e int
		var s0, s1, s2 byte
		if c > 9 { // two digits: 10 to 99
			if a < 2 || a == 2 && b < 2 || itemGoesOn[w[2]] != 0 { // under 32
				break
			}
			e, s0, s1, s2 = i+2, w[2], w[3], w[4]
		} else { // three: 100 to 126
			if a > 0 || b > 2 || b == 2 && c > 6 || itemGoesOn[w[3]] != 0 {
				break
			}
			e, s0, s1, s2 = i+3, w[3], w[4], w[5]
		}
		end, items, next, atItem = e, items+1, e, false
		if e > cut || s0 != ',' {
			break
		}
		switch {
		case s1-'1' <= 8:
			i = e + 1
		case s1 == ' ' && s2-'1' <= 8:
			i = e + 2
		default:
			return end, items, next, atItem
		}
		next, atItem = i, true
	}
	return end, items, next, atItem
}

// decimalItem is listItem for a decimal code point at i that does not
// start with 0: what listItem reads there, unrolled (one digit is under
// 0x20, four are a word).
func decimalItem(d []byte, i int) (byte, int) {
	if i+1 >= len(d) {
		return 0, 0
	}
	b := d[i+1] - '0'
	if b > 9 {
		return 0, 0
	}
	v, n := int(d[i]-'0')*10+int(b), 2
	if i+2 < len(d) {
		if c := d[i+2] - '0'; c <= 9 {
			v, n = v*10+int(c), 3
		}
	}
	if i+n < len(d) && listWordByte[d[i+n]] != 0 || v < 0x20 || v >= 0x7f {
		return 0, 0
	}
	return byte(v), n
}

// listWordByte marks the bytes isWordByte reports.
var listWordByte = func() (t [256]uint8) {
	for c := range 256 {
		if isWordByte(byte(c)) {
			t[c] = 1
		}
	}
	return t
}()

// itemGoesOn marks the bytes after a decimal code point that the fast
// readers (plainItems) leave to listItem: a word byte (65u8, a longer
// word), and a blank or a dot that may start a type suffix (65 as u8,
// 65.toByte()).
var itemGoesOn = func() (t [256]uint8) {
	t = listWordByte
	t[' '], t['.'] = 1, 1
	return t
}()

// listStart goes back from the item at i over the items before it, at most
// 64, to the run's first item.
func listStart(d []byte, i int) int {
	chr := chrAt(d, i)
	for back := 0; back < 64; back++ {
		j := i
		for j > 0 && i-j < 64 && isListBlank(d[j-1]) {
			j--
		}
		if chr && j > 1 && d[j-1] == '_' && isListBlank(d[j-2]) { // VB's & _ at a line's end
			for j--; j > 0 && i-j < 64 && isListBlank(d[j-1]); j-- {
			}
		}
		if j == 0 || !(d[j-1] == ',' || chr && (d[j-1] == '+' || d[j-1] == '.' || d[j-1] == '&' || d[j-1] == '|')) {
			return i
		}
		j--
		if chr && d[j] == '|' && (j == 0 || d[j-1] != '|') {
			return i
		} else if chr && d[j] == '|' {
			j--
		}
		for j > 0 && i-j < 128 && isListBlank(d[j-1]) {
			j--
		}
		p := itemEndingAt(d, j, chr)
		if p < 0 {
			return i
		}
		i = p
	}
	return i
}

// maxItemBytes is the longest item listItem reads: UInt8(ascii: "A"), 17
// bytes, (uint8_t) 0x41, 15.
const maxItemBytes = 24

// itemEndingAt returns where the item that ends at j starts, -1 for none:
// the nearest start from which listItem reads to j, widened over a
// literal's prefix or a cast before it (b'A', (byte) 65, [char]65).
func itemEndingAt(d []byte, j int, chr bool) int {
	p := -1
	for k := j - 1; k >= max(0, j-maxItemBytes); k-- {
		if itemAt(d, k, j, chr) {
			p = k
			break
		}
	}
	if p <= 0 || d[p] == '[' {
		// An item holds a '[' past its first byte only inside a quoted
		// literal ('['), after a quote, which the widening below never
		// follows: a cast [char]65 is never widened, and a list of them
		// read 24 bytes back again for each item (issue 16).
		return p
	}
	if c := d[p-1]; c == ')' || c == ']' || isWordByte(c) || c == ' ' && p > 1 && d[p-2] == ')' {
		for k := p - 1; k >= max(0, j-maxItemBytes); k-- {
			if itemAt(d, k, j, chr) {
				return k
			}
		}
	}
	return p
}

// itemAt reports whether an item of the list's kind starts at k, not
// glued to a word before it, and ends at j. A byte no item starts with
// (listFirst) is turned down by the table, and a byte glued to a word
// before it (not a quote) before the item is read: itemEndingAt asks up
// to 24 bytes back twice, most of them inside an item or glued to one
// (the c, h, a, r of [char]65, the '[' of [char]65[char]65), and a list
// of PowerShell casts was read there at 40, then 50 MB per CPU second
// (issue 16).
func itemAt(d []byte, k, j int, chr bool) bool {
	if listFirst[d[k]] == 0 || k > 0 && isWordByte(d[k-1]) && d[k] != '\'' && d[k] != '"' {
		return false
	}
	_, n := listItem(d, k)
	return n == j-k && chrItem(d, k, n) == chr
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

// chrCallPrefix reports whether the decimal I at i (the prefilter's "73)")
// is the argument of a chr call (chr(73), CHAR(73), Chr(73), ChrW(73))
// joined to a call of K or S before it and of A after it by the operators
// listSep reads between chr calls (+ . & || and blanks). It returns where
// the K's or S's call starts.
func chrCallPrefix(d []byte, i int) (int, bool) {
	s := chrCallStart(d, i)
	if s < 0 {
		return 0, false
	}
	j := s
	for j > 0 && s-j < 64 && listSepByte[d[j-1]] != 0 {
		j--
	}
	if j == s || j < 4 || d[j-1] != ')' || !(d[j-3] == '7' && d[j-2] == '5' || d[j-3] == '8' && d[j-2] == '3') {
		return 0, false
	}
	k := chrCallStart(d, j-3)
	if k < 0 || listSep(d, k+chrCallLen(d, k), true) != s-(k+chrCallLen(d, k)) {
		return 0, false
	}
	if n := listSep(d, i+3, true); n > 0 {
		if c, m := listItem(d, i+3+n); m > 0 && c == 'A' && chrItem(d, i+3+n, m) {
			return k, true
		}
	}
	return 0, false
}

// chrCallStart returns where the chr call starts whose two-digit argument
// is at i (chr(73): the c), or -1.
func chrCallStart(d []byte, i int) int {
	if i < 4 || d[i-1] != '(' {
		return -1
	}
	s := i - 1
	for s > 0 && i-1-s < 4 && isAlpha(d[s-1]) {
		s--
	}
	if !callChr(d[s:i-1]) || s > 0 && isWordByte(d[s-1]) {
		return -1
	}
	return s
}

// chrCallLen is the length of the chr call at s whose argument is two
// digits: name, (, the digits, ).
func chrCallLen(d []byte, s int) int {
	n := 0
	for s+n < len(d) && d[s+n] != '(' {
		n++
	}
	return n + 4
}

// charCastSeeds appends to seeds where the K or S stands of each key
// prefix that PowerShell writes as casts joined by an operator,
// [char]65+[char]75+[char]73+[char]65 or [char]0x41 + [char]0x4B … (enc26,
// notation25: the "73)" and "73," anchors see no such item, and "]73" let
// through 3,000 more places of Go source): looked for in PowerShell
// files only (fileSeeds), one search of "[" over the file.
func charCastSeeds(d []byte, seeds []int) []int {
	for i := 0; ; {
		k := bytes.IndexByte(d[i:], '[')
		if k < 0 {
			return seeds
		}
		p := i + k
		i = p + 1
		if p+6 >= len(d) || !foldAt(d, p+1, "char]") {
			continue
		}
		at, want := p, "AKIA"
		var kAt int
		ok := true
		for n := 0; n < 4 && ok; n++ {
			c, w := listItem(d, at)
			ok = w > 0 && (c == want[n] || n == 1 && c == 'S') && chrItem(d, at, w)
			if n == 1 {
				kAt = at
			}
			if ok && n < 3 {
				s := listSep(d, at+w, true)
				ok = s > 0
				at += w + s
			}
		}
		if ok {
			seeds = append(seeds, kAt)
		}
	}
}

// listOpensWithPrefix returns where the I stands of a key prefix that
// opens a list of decimal code points at a (65, then 75 or 83, then 73,
// any blanks and line breaks around the commas), or -1: the prefilter's
// "[65" and "{65" anchors, for the lists whose I no comma follows right
// after (73 , 65).
func listOpensWithPrefix(d []byte, a int) int {
	if a+2 >= len(d) || d[a] != '6' || d[a+1] != '5' {
		return -1
	}
	i := a + 2
	for _, want := range [...]byte{'K', 'I'} {
		n := listSep(d, i, false)
		if n == 0 {
			return -1
		}
		i += n
		c, m := listItem(d, i)
		if m != 2 || !isDigit(d[i]) || c != want && (want != 'K' || c != 'S') {
			return -1
		}
		if want == 'I' {
			return i
		}
		i += m
	}
	return -1
}

// listsIn appends the runs that start in [lo,hi).
func listsIn(d []byte, lo, hi int, out []window) []window {
	for i := lo; i < hi; i++ {
		c := d[i]
		if listFirst[c] == 0 || i > 0 && isWordByte(d[i-1]) && c != '\'' && c != '"' {
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

// listFirst marks the bytes an item may start with (listItem).
var listFirst = func() (t [256]uint8) {
	for _, c := range "'\"0123456789([bBLuUcCrI" {
		t[c] = 1
	}
	return t
}()

// listAnchor notes a code-point anchor, and reads forward the run it
// stands in: a long list holds an anchor every few items, and those in the
// run are not noted again (qa14 MEDIUM-13). It reads, in the same pass,
// what decodeLists reads at the anchor (the run from the list's first
// item, and from the anchor), and keeps it: each item of a long list was
// read three times for this. It returns where the prefilter need report
// nothing before (0: no such place; see scanControl): the end of a plain
// run, less listSkipMargin.
func (m *match) listAnchor(at int) int {
	d := m.data
	r := listRead{at: at, lo: -1}
	if _, n := listItem(d, at); n > 0 {
		r.lo = listStart(d, at)
	}
	var plain bool
	if r.lo >= 0 {
		r.loEnd, r.loItems, r.end, r.items, plain = listRunsFrom(d, r.lo, at)
	} else {
		r.end, r.items, plain = listRunPlain(d, at)
	}
	m.lists = append(m.lists, at)
	m.scratch.listRuns = append(m.scratch.listRuns, r)
	m.listEnd = max(r.end, at+1)
	// A byte of the run read costs a unit, as a byte of a base64 run
	// decoded does (decodedByteCost): the runs of code-point anchors do
	// not overlap, so a file of them costs at most its size, which its
	// allowance holds; but one that is a list from end to end then spends
	// what it would decode in the regions around (decodeLists) on its
	// reading, and is cut there instead of decoding and scanning again
	// half of it (qa14 MEDIUM-13).
	m.queue((r.end - min(at, max(r.lo, 0))) * decodedByteCost)
	if plain {
		return r.end - listSkipMargin
	}
	return 0
}

// listRunsFrom reads the run from s and the run from k, an item of it
// after s, in one pass: listRun(d, s), and listRunPlain(d, k). The run
// from s is cut at maxRunBytes first, and the one from k goes on.
func listRunsFrom(d []byte, s, k int) (endS, itemsS, endK, itemsK int, plain bool) {
	// From s to k, an item at a time: at most 64 items (listStart).
	r := listScan{d: d, i: s, chr: chrAt(d, s)}
	for r.i < k && r.upTo(r.i) {
	}
	// A run of chr calls is read in one pass too, where k's item is one
	// (listRunPlain reads from k a run of k's kind): read on its own, each
	// anchor of a long one read its 4 KiB twice (chr(65)+chr(75)+…
	// repeated, issue 16). No such run is plain.
	if r.i == k && (!r.chr || chrAt(d, k)) && r.end-s <= maxRunBytes {
		before := r.items
		r.plain = !r.chr
		goesOn := r.upTo(s + maxRunBytes)
		endS, itemsS = r.end, r.items
		if goesOn {
			r.upTo(k + maxRunBytes)
		}
		return endS, itemsS, r.end, r.items - before, r.plain
	}
	// The run from s does not read k as an item: each on its own.
	endS, itemsS = listRun(d, s)
	endK, itemsK, plain = listRunPlain(d, k)
	return endS, itemsS, endK, itemsK, plain
}

// listSkipMargin is how far before the end of a plain run the prefilter
// reports again. A plain run holds digits, commas and blanks only, and no
// four digits in a row (an item is at most three, between bytes that are
// not digits), so the only pattern that stands wholly in it is "73,",
// whose anchors past the anchor that read the run are in it and not
// noted again; any other pattern that starts in the run is longer than
// what is left of it after its start, and every pattern is at most
// listSkipMargin bytes long (TestListSkipMargin), so a pattern whose pair
// the prefilter would look up at or after the anchor and before the end
// less the margin can only be "73,", or spaced hex's " 41", "\t41" and
// ",41" (spacedhex.go), whose A in a run of decimal code points is a
// number of the list, not a dump's pair.
const listSkipMargin = 16

// listRead is what listAnchor read at a code-point anchor at: the run
// from at, to end, of items items; and lo, the list's first item
// (listStart; -1 where at is no item), and the run from there, to loEnd,
// of loItems items.
type listRead struct{ at, end, items, lo, loEnd, loItems int }

// decodeLists finds the runs of list items at the anchors and marks, and
// every run in the lines around them, and scans them in context.
func (m *match) decodeLists() {
	if len(m.lists) == 0 {
		return
	}
	d := m.data
	slices.Sort(m.lists)
	read := m.scratch.listRuns // sorted: the prefilter reports in order
	var spans []window
	done := -1
	for _, at := range slices.Compact(m.lists) {
		if at < done {
			continue
		}
		for len(read) > 0 && read[0].at < at {
			read = read[1:]
		}
		var w window
		var ok bool
		if len(read) > 0 && read[0].at == at && !m.s.listsPlain { // listAnchor read it all
			r := read[0]
			w, ok = window{r.lo, r.loEnd}, r.lo >= 0 && r.loItems >= minListItems
			if ok && w.lo < done {
				w, ok = window{at, r.end}, r.items >= minListItems
			}
		} else if w, ok = listSpan(d, at); ok && w.lo < done {
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
		// A run found in one region may go on into the next (a list
		// ends where its items do, not at a region's end): the next is
		// read from past it. Runs that overlapped made scanRegion slice
		// backwards, a panic.
		lo := w.lo
		if n := len(runs); n > 0 {
			lo = max(lo, runs[n-1].hi)
		}
		runs = listsIn(d, lo, w.hi, runs)
	}
	firsts := make([]int, len(runs))
	for i := range runs {
		bound := 0
		if i > 0 {
			bound = runs[i-1].hi
		}
		firsts[i] = runs[i].lo
		runs[i].lo = listOpenedAt(d, runs[i].lo, bound)
	}
	m.scanRewritten(runs, func(i int) rewrite { return decodeListFrom(d, firsts[i], runs[i]) })
}

// listOpenedAt returns where the rewrite of a list whose first item is at
// first starts (not before bound): first, or where the blanks and line
// breaks between its opening bracket and first start. They are rewritten
// with the list, so that a list written one item a line, as gofmt, black,
// prettier and google-java-format wrap a long one (string([]byte{ then
// 65, on a line each), reads as a value on its bracket's line, beside its
// keyword, as the list written on one line does (qa22 M2).
//
// A list may open lines below its name, too: black writes
// "".join(\n    [\n, a tuple opens on a line of its own, and a name's
// line may end in a continuation (NAME = \ then "".join([ below) or an
// open parenthesis. The walk goes on from the bracket over what stands
// between a list and its name there: more opening brackets, a join call
// ("".join or the same with single quotes, whose parenthesis is one of them), blanks, line
// breaks and a \ before one; where it crossed a line break, the rewrite
// starts at the bracket (or name's line) before it, so the value stands
// on its name's line as the list on one line would. Without a line break
// the rewrite starts where it did before: at the list's own bracket.
func listOpenedAt(d []byte, first, bound int) int {
	k := first
	for k > bound && first-k < 64 && isListBlank(d[k-1]) {
		k--
	}
	if !(k < first && k > bound && isListOpen(d[k-1])) {
		return first
	}
	start := k
	j := k - 1 // at the list's bracket
	for range maxListOpens {
		p, broke := listGapBefore(d, j, bound)
		if p <= bound {
			break
		}
		switch {
		case isListOpen(d[p-1]):
			if broke {
				start = p
			}
			j = p - 1
			continue
		case d[j] == '(' && p == j && (hasAt(d, p-len(".join"), ".join")) && p-len(`''.join`) > bound &&
			(hasAt(d, p-len(`''.join`), `''.join`) || hasAt(d, p-len(`"".join`), `"".join`)):
			j = p - len(`''.join`)
			continue
		case broke:
			start = p
			if p < first && d[p] == ' ' {
				start = p + 1 // NAME = \: the value after its blank
			}
		}
		break
	}
	return start
}

// maxListOpens bounds listOpenedAt's walk: brackets and join calls between
// a list and its name.
const maxListOpens = 6

// isListOpen reports whether c opens a list or a call around one.
func isListOpen(c byte) bool { return c == '{' || c == '[' || c == '(' }

// listGapBefore goes back from j over blanks, line breaks and a \ that
// ends a line, at most 64 bytes and not before bound: where it stopped,
// and whether it crossed a line break.
func listGapBefore(d []byte, j, bound int) (int, bool) {
	p, broke := j, false
	for p > bound && j-p < 64 {
		c := d[p-1]
		switch {
		case c == '\n':
			broke = true
		case isListBlank(c):
		case c == '\\' && p < len(d) && (d[p] == '\n' || d[p] == '\r'):
		default:
			return p, broke
		}
		p--
	}
	return p, broke
}

// decodeList returns the text a run of items spells, and where each
// character is written.
func decodeList(d []byte, w window) rewrite {
	first := w.lo // after the blanks listOpenedAt took in
	for first < w.hi && isListBlank(d[first]) {
		first++
	}
	return decodeListFrom(d, first, w)
}

// decodeListFrom is decodeList of a run whose first item is at first,
// rewritten from w.lo (listOpenedAt).
func decodeListFrom(d []byte, first int, w window) rewrite {
	// An item and its separator are two bytes or more.
	n := (w.hi-first)/2 + 1
	sg := rewrite{start: w.lo, end: w.hi, encoding: "char-list", text: make([]byte, 0, n), from: make([]int, 0, n), to: make([]int, 0, n)}
	chr := chrAt(d, first)
	for i := first; i < w.hi; {
		if !chr {
			var sep bool
			if i, sep = sg.plainItems(d, i, w.hi); i >= w.hi {
				break
			} else if sep {
				i += listSep(d, i, chr)
				continue
			}
		}
		var c byte
		var n int
		if '1' <= d[i] && d[i] <= '9' && !chr {
			c, n = decimalItem(d, i)
			if n > 0 && i+n < len(d) && (d[i+n] == ' ' || d[i+n] == '.') {
				n = 0 // a suffix: see listScan.upTo
			}
		}
		if n == 0 {
			c, n = listItem(d, i)
		}
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

// plainItems is the package's plainItems for decodeList: it appends the
// items of that form from i on, up to hi, and returns where it stopped:
// at hi, at an item not of that form, or (sep) at the end of an item whose
// separator is not.
func (sg *rewrite) plainItems(d []byte, i, hi int) (int, bool) {
	for i+6 <= len(d) && i < hi {
		w := d[i : i+6 : i+6]
		a, b, c := w[0]-'1', w[1]-'0', w[2]-'0'
		if a > 8 || b > 9 {
			return i, false
		}
		var e int
		var v, s0, s1, s2 byte
		if c > 9 {
			if a < 2 || a == 2 && b < 2 || itemGoesOn[w[2]] != 0 { // under 32
				return i, false
			}
			e, v, s0, s1, s2 = i+2, (a+1)*10+b, w[2], w[3], w[4]
		} else {
			if a > 0 || b > 2 || b == 2 && c > 6 || itemGoesOn[w[3]] != 0 {
				return i, false
			}
			e, v, s0, s1, s2 = i+3, 100+b*10+c, w[3], w[4], w[5]
		}
		sg.text, sg.from, sg.to = append(sg.text, v), append(sg.from, i), append(sg.to, e)
		if e >= hi {
			return hi, false
		}
		switch {
		case s0 != ',':
			return e, true
		case s1-'1' <= 8:
			i = e + 1
		case s1 == ' ' && s2-'1' <= 8:
			i = e + 2
		default:
			return e, true
		}
	}
	return i, false
}
