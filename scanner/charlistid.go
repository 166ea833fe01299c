package scanner

import "bytes"

// A key ID written as a list of quoted characters beside its own name
// (qa22 M2):
//
//	aws_access_key_id = ''.join(['A', 'K', 'I', 'A', …])
//	String accessKeyId = new String(new char[] {'A', 'K', 'I', 'A', …});
//
// was read only where a secret's keyword or a key ID stood near (the
// list readers' windows): a list of quoted characters is no anchor of
// its own, for what anchoring them all would cost (charlist.go). The
// first item, 'A' or "A", is an anchor already (a literal split inside a
// key prefix: anchorSplitHead); quotedIDList asks the items after it
// whether they spell a key ID (AKIA or ASIA and 16 of base32's letters
// and digits, no 21st), a few bytes read at most places, and the line
// before the list (from the line above it on) whether it names an access
// key ID (accessKeyContext).
//
// A list that spells a key ID whole and is joined into a string is read
// with no name too (interp35): var a=['A','K',…].join('') in minified
// JavaScript, ''.join(['A','K',…]) anywhere in Python. Twenty items that
// spell AKIA and 16 of base32's capitals, no more, is as strong as a key
// ID written plainly, which needs no context; what the list must show is
// that it makes one string: its brackets hold those 20 items alone, and
// a join with nothing between (''.join( before it, .join('') or Ruby's
// .join after it) or a character array's type (new char[]{, []byte{,
// []rune{) stands at them. A bare list of letters makes no string and is
// not read.

// quotedIDList reports whether the quoted 'A' or "A" at at opens a list
// of one-character literals that spells a key ID (b), under a name of an
// access key ID on its line or the line above, or whole and joined into
// a string (joinedList).
func quotedIDList(d []byte, at int) (b [20]byte, ok bool) {
	i, end := at, at
	for k := range b {
		c, n := listItem(d, i)
		if n != 3 || d[i] != d[at] { // the same quotes, no suffix
			return b, false
		}
		b[k], end = c, i+n
		switch {
		case k == 3 && string(b[:4]) != "AKIA" && string(b[:4]) != "ASIA":
			return b, false
		case k >= 4 && !(c >= 'A' && c <= 'Z' || c >= '2' && c <= '7'):
			return b, false // no key ID's base32
		}
		s := listSep(d, i+n, false)
		if s == 0 {
			if k < len(b)-1 {
				return b, false
			}
			break
		}
		i += n + s
		if k == len(b)-1 {
			if c, n := listItem(d, i); n > 0 && isAlnum(c) {
				return b, false // a 21st letter: no key ID's end
			}
		}
	}
	if joinedList(d, at, end) {
		return b, true
	}
	ls := lineStartWithin(d, at, 512)
	if ls > 0 {
		ls = lineStartWithin(d, ls-1, 512)
	}
	return b, accessKeyContext(d[ls:at])
}

// maxListGap bounds the blanks and line breaks read between a list's
// brackets and its items.
const maxListGap = 64

// joinedList reports whether the items data[at:end] are a whole list
// joined into a string: its opening bracket before at and its closing
// one after end (a last comma allowed), with a join of an empty
// delimiter or a character array's type at them.
func joinedList(d []byte, at, end int) bool {
	o := at
	for k := 0; o > 0 && k < maxListGap && isListGap(d[o-1]); k++ {
		o--
	}
	if o == 0 {
		return false
	}
	open := d[o-1]
	var close byte
	switch open {
	case '[':
		close = ']'
	case '{':
		close = '}'
	case '(':
		close = ')'
	default:
		return false
	}
	c := end
	for k := 0; c < len(d) && k < maxListGap && (isListGap(d[c]) || d[c] == ',' && k == 0); k++ {
		c++
	}
	if c >= len(d) || d[c] != close {
		return false
	}
	o-- // the opening bracket
	// ''.join([ or ''.join(( before it (Python), the brackets of a call
	// alone: join(… with a parenthesis is its own call's.
	b := o
	if open != '(' {
		for k := 0; b > 0 && k < maxInterpolationBlanks && isListGap(d[b-1]); k++ {
			b--
		}
	}
	for _, j := range [...]string{"''.join(", `"".join(`} {
		if b >= len(j) && string(d[b-len(j):b]) == j {
			return true
		}
	}
	// .join('') or .join("") after it (JavaScript, Ruby), or Ruby's .join
	// with no argument; JavaScript's .join() puts commas between.
	c++
	if hasAt(d, c, ".join") {
		a := c + len(".join")
		switch {
		case hasAt(d, a, "('')"), hasAt(d, a, `("")`):
			return true
		case a >= len(d) || d[a] != '(' && !isWord(d[a]):
			return true
		}
		return false
	}
	// A character array's type before it: new char[] {, []byte{, []rune{,
	// char key[] = {, byte[] k = {.
	lo := max(0, o-24)
	for _, w := range [...]string{"char", "byte", "rune"} {
		for p := lo; ; {
			k := bytes.Index(d[p:o], []byte(w))
			if k < 0 {
				break
			}
			p += k
			if (p == 0 || !isWord(d[p-1])) && (p+len(w) >= len(d) || !isWord(d[p+len(w)])) {
				return true
			}
			p += len(w)
		}
	}
	return false
}

// isListGap reports whether c is a blank or a line break.
func isListGap(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
