package scanner

import "bytes"

// A value nested under its name far below it (hide32). A CloudFormation
// parameter or a YAML map named for the secret holds its value in a
// Default: or value: field, with sibling fields between, and one of them
// may be a long block scalar (a Description: >- of a dozen lines):
//
//	AwsSecretAccessKey:
//	  Type: String
//	  NoEcho: true
//	  Description: >-
//	    … a kilobyte of prose …
//	  Default: <value>
//
// The window after a keyword reads eight lines or 600 bytes, and the name
// that assigns a value is looked for 400 bytes above it (nestedValue,
// namedBlockValue), so such a value was neither a candidate nor named.
// Where a keyword is its line's key and opens a block (nothing after its
// colon), its window reaches to the block's end (the first line indented
// no more than it), up to maxNestedBlock; and a value on a Default:,
// value: or DefaultValue: line that no nearer name assigns is named by its
// parent: the line above it that is indented less, found by walking up
// over its siblings (at most maxNestedSiblings lines indented as it is,
// each a name: field or a comment) and the lines indented more than it
// (their block scalars and nested maps, which cost nothing to pass but
// their bytes), up to maxNestedBlock. Each walk reads its bytes once, and
// is charged to the input's check budget a unit a byte; blocks nested in
// blocks are walked again by each name that opens one, so the walks of an
// input read at most nestedAllowance bytes in all (four times the input
// and 64 KiB), past which no window is lengthened and no parent looked
// for: a file built of such blocks costs a few passes, not one a name.

// nestedAllowance is how many bytes the walks of nested blocks read in an
// input of n bytes.
func nestedAllowance(n int) int { return 4*n + 64<<10 }

// maxNestedBlock bounds how far below its name a nested value is read.
const maxNestedBlock = 16 << 10

// maxNestedSiblings is how many sibling fields may stand between a
// block's name and its value, as namedBlockValue lets eleven lines.
const maxNestedSiblings = 11

// opensBlock reports whether the keyword is its line's key (after the
// line's blanks and an optional quote) with nothing after its colon, and
// the line's indentation. The test of the bytes after it comes first: it
// is asked of every keyword.
func opensBlock(d []byte, kw *keyword) (indent int, ok bool) {
	e := kw.end
	if e < len(d) && (d[e] == '"' || d[e] == '\'') {
		e++
	}
	if e >= len(d) || d[e] != ':' {
		return 0, false
	}
	for e++; e < len(d) && (d[e] == ' ' || d[e] == '\t' || d[e] == '\r'); e++ {
	}
	if e < len(d) && d[e] != '\n' {
		return 0, false
	}
	ls := lineStartWithin(d, kw.start, 200)
	i := ls
	for i < kw.start && d[i] == ' ' {
		i++
	}
	indent = i - ls
	if i < kw.start && (d[i] == '"' || d[i] == '\'') {
		i++
	}
	return indent, i == kw.start
}

// blockIndent returns the count of blanks that start the line [ls, le) and
// whether the line holds anything else.
func blockIndent(d []byte, ls, le int) (int, bool) {
	i := ls
	for i < le && d[i] == ' ' {
		i++
	}
	blank := true
	for j := i; j < le; j++ {
		if c := d[j]; c != ' ' && c != '\t' && c != '\r' {
			blank = false
			break
		}
	}
	return i - ls, !blank
}

// nestedBlockEnd returns where the block that a keyword opens on the line
// before from ends: the start of the first line at or after from, not
// blank, indented indent or less; or the end of the line that crosses
// from+maxNestedBlock.
func (m *match) nestedBlockEnd(from, indent int) int {
	d := m.data
	limit := min(len(d), from+maxNestedBlock, from+nestedAllowance(len(d))-m.nestedRead)
	i := from
	for i < limit {
		le := nextNewline(d, i)
		if in, text := blockIndent(d, i, le); text && in <= indent {
			break
		}
		i = min(le+1, len(d))
	}
	m.costBytes(i-from, 1)
	m.nestedRead += i - from
	return i
}

// nestedParent returns the keyword that names the value at v as the
// block it is nested in (see above), or nil.
func (m *match) nestedParent(v int) *keyword {
	d := m.data
	ls := lineStartWithin(d, v, 200)
	c, _ := blockIndent(d, ls, v)
	field := d[ls+c : v]
	if k := bytes.IndexByte(field, ':'); k < 0 || len(bytes.Trim(field[k+1:], " \t\"'")) > 0 {
		return nil // not "Default: <value>"
	} else if key := bytes.Trim(field[:k], " \t\"'-"); !equalLower(key, "default") && !equalLower(key, "value") && !equalLower(key, "defaultvalue") {
		return nil
	}
	lo := max(0, ls-maxNestedBlock, ls-(nestedAllowance(len(d))-m.nestedRead))
	siblings := 0
	for e := ls; e > lo; {
		ps := lo + bytes.LastIndexByte(d[lo:e-1], '\n') + 1
		in, text := blockIndent(d, ps, e-1)
		m.costBytes(e-ps, 1)
		m.nestedRead += e - ps
		switch {
		case !text || in > c:
			// a blank line, or a sibling's block scalar or nested map
		case in == c:
			t := bytes.TrimSpace(d[ps : e-1])
			if name, _ := lineSetting(t); name == "" && !commentLine(t) {
				return nil // not a sibling field: a list, prose
			}
			if siblings++; siblings > maxNestedSiblings {
				return nil
			}
		default:
			// the parent's line: a keyword that is its key and opens a block
			a, b := m.keywordsNear(ps, e-1)
			for i := a; i < b; i++ {
				kw := &m.keywords[i]
				if kw.token || kw.call > 0 {
					continue
				}
				if indent, ok := opensBlock(d, kw); ok && indent == in {
					return kw
				}
			}
			return nil
		}
		e = ps
	}
	return nil
}
