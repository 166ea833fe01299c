package scanner

import "bytes"

// headingNamesBlock reports whether the value, from start to end, is all
// of the first line of a code block that a heading or label naming the
// secret stands over, blank lines between (qa21 L3), as a YAML key names
// the block scalar under it:
//
//	### Secret access key          Secret access key        **AWS secret access key:**
//	                               -----------------
//	```                                                         <value>    (indented code)
//	<value>                        ~~~text
//	```                            <value>
//
// The keyword's line holds no value of its own: no '=', no ':' but at its
// end, at most 80 bytes either side of the keyword. Then a Setext
// underline may follow, at most three blank lines, and a fence (``` or
// ~~~ with an info string of one word) whose next line is the value, or an
// indented code line (four blanks or a tab) that is the value.
func headingNamesBlock(d []byte, kw *keyword, start, end int) bool {
	between := d[kw.end:start]
	nl := bytes.IndexByte(between, '\n')
	if nl < 0 || nl > 80 || len(between) > 300 || kw.start-lineStartWithin(d, kw.start, 81) > 80 {
		return false
	}
	// The value alone on its line, first: the cheapest test, and the one
	// most values fail (name: value), asked of every keyword before one.
	if ll := bytes.LastIndexByte(between, '\n'); skipSpaceTab(between, ll+1, len(between)) < len(between) {
		return false
	}
	if !labelText(d[lineStartWithin(d, kw.start, 81):kw.start]) || !labelText(labelEnd(between[:nl])) {
		return false
	}
	lines := bytes.Split(between[nl+1:], []byte{'\n'})
	last := lines[len(lines)-1] // the value's line, up to the value
	lines = lines[:len(lines)-1]
	if len(bytes.TrimLeft(last, " \t")) > 0 || len(bytes.TrimRight(d[end:nextNewline(d, end)], " \t\r")) > 0 {
		return false // the value is not alone on its line
	}
	if len(lines) > 0 && setextRule(lines[0]) {
		lines = lines[1:]
	}
	blank := 0
	for len(lines) > 0 && len(bytes.TrimSpace(lines[0])) == 0 {
		blank++
		lines = lines[1:]
	}
	switch {
	case blank > 3:
		return false
	case len(lines) == 0:
		// Indented code: a blank line before it, four blanks or a tab.
		return blank > 0 && (bytes.HasPrefix(last, []byte("    ")) || bytes.HasPrefix(last, []byte("\t")))
	case len(lines) == 1:
		return codeFence(bytes.TrimSpace(lines[0]))
	}
	return false
}

// labelText reports whether the text beside a keyword on its line may be
// a heading's or a label's: no assignment ('=', or ':' before the line's
// end), at most 80 bytes.
func labelText(b []byte) bool {
	return len(b) <= 80 && bytes.IndexByte(b, '=') < 0 && bytes.IndexByte(b, ':') < 0
}

// labelEnd returns the rest of a label's line with the colon that ends it
// and the emphasis or tags that close it dropped (key:**, key:</strong>).
func labelEnd(b []byte) []byte {
	i := bytes.IndexByte(b, ':')
	if i < 0 {
		return b
	}
	after := bytes.Trim(b[i+1:], " \t\r*_")
	for _, tag := range []string{"</strong>", "</b>", "</em>"} {
		after = bytes.TrimPrefix(after, []byte(tag))
	}
	if len(bytes.Trim(after, " \t\r*_")) > 0 {
		return b // text after the colon: an assignment, which labelText turns down
	}
	return b[:i]
}

// setextRule reports whether a line underlines a Setext heading (=== or
// ---, at most three blanks before it).
func setextRule(line []byte) bool {
	t := bytes.TrimRight(line, " \t\r")
	if len(t)-len(bytes.TrimLeft(t, " ")) > 3 {
		return false
	}
	t = bytes.TrimLeft(t, " ")
	return len(t) >= 2 && (len(bytes.Trim(t, "=")) == 0 || len(bytes.Trim(t, "-")) == 0)
}

// codeFence reports whether a trimmed line opens a fenced code block:
// three or more backticks or tildes, then at most one word (the info
// string: text, bash, ini).
func codeFence(t []byte) bool {
	if len(t) < 3 || t[0] != '`' && t[0] != '~' {
		return false
	}
	f := t[0]
	i := 0
	for i < len(t) && t[i] == f {
		i++
	}
	info := bytes.TrimSpace(t[i:])
	return i >= 3 && len(info) <= 32 && bytes.IndexAny(info, "` \t") < 0
}
