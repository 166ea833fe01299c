package fix

import (
	"fmt"
	"strings"
)

// Python and JavaScript are fixed on tokens: a small tokenizer per language
// knows strings, comments and brackets, which is all it takes to find the
// keyword argument or the object property that holds a key, the call or
// object around it, and the commas to adjust. A full parser would bring a
// dependency per language for what the tokens already say; py_compile and
// node --check in the tests are the judges of the result.

type tokKind byte

const (
	tokName   tokKind = 'n' // identifiers, keywords, numbers
	tokString tokKind = 's' // a string literal: text is its value
	tokOp     tokKind = 'o' // operators and brackets
	tokOther  tokKind = '?' // template literals, regular expressions, f-strings
)

type tok struct {
	kind       tokKind
	start, end int
	text       string // the name, the operator, or the string's value
	match      int    // for a bracket: index of the matching one
}

type tokens []tok

func (ts tokens) is(i int, kind tokKind, text string) bool {
	return i >= 0 && i < len(ts) && ts[i].kind == kind && (text == "" || ts[i].text == text)
}

// matchBrackets fills match for every bracket, or fails on an unbalanced one.
func (ts tokens) matchBrackets() error {
	var stack []int
	pairs := map[string]string{")": "(", "]": "[", "}": "{"}
	for i := range ts {
		ts[i].match = -1
		if ts[i].kind != tokOp {
			continue
		}
		switch t := ts[i].text; t {
		case "(", "[", "{":
			stack = append(stack, i)
		case ")", "]", "}":
			if len(stack) == 0 || ts[stack[len(stack)-1]].text != pairs[t] {
				return fmt.Errorf("offset %d: unbalanced %s", ts[i].start, t)
			}
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			ts[o].match, ts[i].match = i, o
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("offset %d: unclosed %s", ts[stack[len(stack)-1]].start, ts[stack[len(stack)-1]].text)
	}
	return nil
}

// enclosing returns the index of the innermost open bracket around token i.
func (ts tokens) enclosing(i int) int {
	for j := i - 1; j >= 0; j-- {
		if ts[j].kind != tokOp {
			continue
		}
		switch ts[j].text {
		case ")", "]", "}":
			j = ts[j].match
		case "(", "[", "{":
			return j
		}
	}
	return -1
}

// items splits the tokens between the open bracket o and its match into
// comma-separated items, as token index ranges [first, last].
func (ts tokens) items(o int) [][2]int {
	var out [][2]int
	start := o + 1
	for j := o + 1; j < ts[o].match; j++ {
		switch {
		case ts[j].kind == tokOp && (ts[j].text == "(" || ts[j].text == "[" || ts[j].text == "{"):
			j = ts[j].match
		case ts[j].kind == tokOp && ts[j].text == ",":
			out = append(out, [2]int{start, j - 1})
			start = j + 1
		}
	}
	if start < ts[o].match {
		out = append(out, [2]int{start, ts[o].match - 1})
	}
	return out
}

const opChars = "=<>!+-*/%&|^~?:.@;,"

// tokenize reads data as Python (py true) or JavaScript/TypeScript.
func tokenize(data []byte, py bool) (tokens, error) {
	var ts tokens
	p := 0
	prevSignificant := func() *tok {
		if len(ts) == 0 {
			return nil
		}
		return &ts[len(ts)-1]
	}
	for p < len(data) {
		c := data[p]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\\' && py:
			p++
		case py && c == '#', !py && c == '/' && p+1 < len(data) && data[p+1] == '/', !py && c == '#' && p == 0 && len(data) > 1 && data[1] == '!':
			for p < len(data) && data[p] != '\n' {
				p++
			}
		case !py && c == '/' && p+1 < len(data) && data[p+1] == '*':
			e := strings.Index(string(data[p+2:]), "*/")
			if e < 0 {
				return nil, fmt.Errorf("offset %d: unterminated comment", p)
			}
			p += e + 4
		case c == '"' || c == '\'' || !py && c == '`':
			t, err := readString(data, p, p, py)
			if err != nil {
				return nil, err
			}
			ts = append(ts, t)
			p = t.end
		case isNameStart(c):
			s := p
			for p < len(data) && isNameByte(data[p]) {
				p++
			}
			word := string(data[s:p])
			if py && p < len(data) && (data[p] == '"' || data[p] == '\'') && len(word) <= 3 && strings.Trim(strings.ToLower(word), "rbuf") == "" {
				t, err := readString(data, s, p, py)
				if err != nil {
					return nil, err
				}
				ts = append(ts, t)
				p = t.end
				continue
			}
			ts = append(ts, tok{kind: tokName, start: s, end: p, text: word})
		case c >= '0' && c <= '9':
			s := p
			for p < len(data) && (isNameByte(data[p]) || data[p] == '.') {
				p++
			}
			ts = append(ts, tok{kind: tokName, start: s, end: p, text: string(data[s:p])})
		case strings.IndexByte("()[]{}", c) >= 0:
			ts = append(ts, tok{kind: tokOp, start: p, end: p + 1, text: string(c)})
			p++
		case !py && c == '/' && regexAllowed(prevSignificant()):
			s := p
			p++
			inClass := false
			for p < len(data) && (inClass || data[p] != '/') {
				switch data[p] {
				case '\\':
					p++
				case '[':
					inClass = true
				case ']':
					inClass = false
				case '\n':
					return nil, fmt.Errorf("offset %d: unterminated regular expression", s)
				}
				p++
			}
			if p >= len(data) {
				return nil, fmt.Errorf("offset %d: unterminated regular expression", s)
			}
			p++
			for p < len(data) && isNameByte(data[p]) {
				p++
			}
			ts = append(ts, tok{kind: tokOther, start: s, end: p})
		case strings.IndexByte(opChars, c) >= 0:
			s := p
			if c == ',' || c == ';' {
				p++
			} else {
				for p < len(data) && strings.IndexByte(opChars, data[p]) >= 0 && data[p] != ',' && data[p] != ';' {
					p++
				}
			}
			ts = append(ts, tok{kind: tokOp, start: s, end: p, text: string(data[s:p])})
		default:
			if c < 0x80 {
				return nil, fmt.Errorf("offset %d: unexpected %q", p, c)
			}
			s := p // non-ASCII identifiers
			for p < len(data) && (data[p] >= 0x80 || isNameByte(data[p])) {
				p++
			}
			ts = append(ts, tok{kind: tokName, start: s, end: p, text: string(data[s:p])})
		}
	}
	if err := ts.matchBrackets(); err != nil {
		return nil, err
	}
	return ts, nil
}

func isNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
}

func isNameByte(c byte) bool { return isNameStart(c) || c >= '0' && c <= '9' }

// regexAllowed reports whether a '/' after prev starts a regular expression.
func regexAllowed(prev *tok) bool {
	if prev == nil {
		return true
	}
	switch prev.kind {
	case tokOp:
		return prev.text != ")" && prev.text != "]" && prev.text != "}"
	case tokName:
		switch prev.text {
		case "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await":
			return true
		}
	}
	return false
}

// readString reads the string literal whose prefix starts at s and whose
// quote is at q.
func readString(data []byte, s, q int, py bool) (tok, error) {
	quote := data[q]
	prefix := strings.ToLower(string(data[s:q]))
	triple := py && q+2 < len(data) && data[q+1] == quote && data[q+2] == quote
	p := q + 1
	if triple {
		p = q + 3
	}
	var val strings.Builder
	plain := !strings.Contains(prefix, "f") && !strings.Contains(prefix, "b") && quote != '`'
	for p < len(data) {
		c := data[p]
		switch {
		case c == '\\' && p+1 < len(data):
			if strings.Contains(prefix, "r") {
				val.WriteByte(c)
				val.WriteByte(data[p+1])
			} else {
				switch data[p+1] {
				case '\\', '\'', '"', '`':
					val.WriteByte(data[p+1])
				case '\n':
				default:
					plain = false // an escape keyscan does not decode
				}
			}
			p += 2
			continue
		case !triple && c == '\n' && quote != '`':
			return tok{}, fmt.Errorf("offset %d: unterminated string", s)
		case quote == '`' && c == '$' && p+1 < len(data) && data[p+1] == '{':
			// A template with substitutions: skip to the matching brace.
			depth := 0
			for p < len(data) {
				if data[p] == '{' {
					depth++
				} else if data[p] == '}' {
					depth--
					if depth == 0 {
						break
					}
				}
				p++
			}
			p++
			continue
		case c == quote && (!triple || p+2 < len(data) && data[p+1] == quote && data[p+2] == quote):
			end := p + 1
			if triple {
				end = p + 3
			}
			t := tok{kind: tokString, start: s, end: end, text: val.String()}
			if !plain {
				t.kind = tokOther
			}
			return t, nil
		}
		val.WriteByte(c)
		p++
	}
	return tok{}, fmt.Errorf("offset %d: unterminated string", s)
}

// tokenAt returns the index of the token holding data[off:end].
func (ts tokens) tokenAt(off, end int) int {
	lo, hi := 0, len(ts)
	for lo < hi {
		m := (lo + hi) / 2
		if ts[m].end <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(ts) && ts[lo].start <= off && end <= ts[lo].end {
		return lo
	}
	return -1
}

// removeItems deletes items (token ranges) marked gone from the bracketed
// list that closes at token close, with their commas, keeping the layout:
// whole lines go when an item had its lines to itself.
func (e *editor) removeTokItems(ts tokens, items [][2]int, gone []bool, close int) {
	n := len(items)
	start := func(i int) int { return ts[items[i][0]].start }
	end := func(i int) int { return ts[items[i][1]].end }
	for a := 0; a < n; a++ {
		if !gone[a] {
			continue
		}
		b := a
		for b+1 < n && gone[b+1] {
			b++
		}
		if lines := e.itemLines(ts, items, a, b, close); lines != nil {
			// Each item has its lines to itself: they go, with the comma
			// and the comment that end them, and the comment lines between
			// the items stay (qa11 LOW-6).
			e.spans = append(e.spans, lines...)
			a = b
			continue
		}
		switch {
		case b+1 < n:
			next := start(b + 1)
			if e.startsLine(start(a)) && e.startsLine(next) {
				e.spans = append(e.spans, span{start: e.lineStart(start(a)), end: e.lineStart(next)})
			} else if sp, ok := e.itemsBeforeComments(ts, items, a, b); ok {
				e.spans = append(e.spans, sp)
			} else {
				e.spans = append(e.spans, span{start: start(a), end: next})
			}
		case a > 0:
			e.spans = append(e.spans, span{start: end(a - 1), end: end(b)})
		default:
			stop := end(b)
			if k := items[b][1] + 1; k < close && ts.is(k, tokOp, ",") {
				stop = ts[k].end // the trailing comma goes too
			}
			if e.startsLine(start(a)) && e.startsLine(ts[close].start) {
				e.spans = append(e.spans, span{start: e.lineStart(start(a)), end: e.lineStart(ts[close].start)})
			} else if open := ts[close].match; stop == ts[close].start || strings.TrimSpace(string(e.data[stop:ts[close].start])) == "" {
				e.spans = append(e.spans, span{start: ts[open].end, end: ts[close].start}) // "({ a: 1 })" -> "({})"
			} else {
				e.spans = append(e.spans, span{start: start(a), end: stop})
			}
		}
		a = b
	}
}

// itemsBeforeComments returns the span of items a to b of a bracketed
// list when they end their line (after their comma, only blanks) and
// comment lines stand between them and the next item: the items go, from
// the comma before them (or their start), and the comment lines stay
// (boto3.client("s3", aws_access_key_id=…, aws_secret_access_key=…,
// then "# region must match the bucket", then region_name=…: qa22 L1).
func (e *editor) itemsBeforeComments(ts tokens, items [][2]int, a, b int) (span, bool) {
	comma := items[b][1] + 1
	if b+1 >= len(items) || !ts.is(comma, tokOp, ",") {
		return span{}, false
	}
	l := e.lineAt(ts[comma].end)
	next := ts[items[b+1][0]].start
	if e.lineAt(next) <= l || strings.TrimSpace(string(e.data[ts[comma].end:e.lines[l].end])) != "" {
		return span{}, false
	}
	if strings.TrimSpace(string(e.data[e.lines[l].end:e.lineStart(next)])) == "" {
		return span{}, false // only blank lines between: the usual cut
	}
	from := ts[items[a][0]].start
	if a > 0 && ts.is(items[a-1][1]+1, tokOp, ",") {
		from = ts[items[a-1][1]+1].end
	}
	return span{start: from, end: e.lines[l].end}, true
}

// itemLines returns the spans of the lines of items a to b of a bracketed
// list closing at token close, when each of them starts its line and ends
// it (after its comma, only blanks or a line comment): whole lines are
// deleted then, and the lines between them are not. It returns nil
// otherwise, and when a line would end inside a block comment or with a
// line continuation.
func (e *editor) itemLines(ts tokens, items [][2]int, a, b, close int) []span {
	var out []span
	for i := a; i <= b; i++ {
		first, last := items[i][0], items[i][1]
		if !e.startsLine(ts[first].start) {
			return nil
		}
		if ts.is(last+1, tokOp, ",") {
			last++
		}
		l := e.lineAt(ts[last].end)
		if next := last + 1; next > close || e.lineAt(ts[next].start) <= l {
			return nil
		}
		rest := string(e.data[ts[last].end:e.lines[l].end])
		if strings.Contains(rest, "/*") || strings.HasSuffix(strings.TrimRight(rest, " \t\r"), "\\") {
			return nil
		}
		end := e.lines[l].end
		if end < len(e.data) {
			end++ // the '\n'
		}
		out = append(out, span{start: e.lineStart(ts[first].start), end: end})
	}
	return out
}
