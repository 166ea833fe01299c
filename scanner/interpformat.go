package scanner

import "bytes"

// A key split between a format call's template and its arguments: Python's
// "{}{}".format(head, tail), "%s%s" % (head, tail) and "".join([head,
// tail]), Kotlin's "%s…".format(head), Java's String.format("%s%s", head,
// tail) and Go's fmt.Sprintf outside the type checker's reach, and
// Python's named placeholders: "{head}{tail}".format(head=…, tail=…),
// "%(a)s%(b)s" % {"a": …, "b": …} or % dict(a=…, b=…), and
// string.Template("$head${tail}").substitute(head=…, tail=…) (or
// safe_substitute, or a dict); JavaScript's [head, tail].join("") and
// head.concat(tail), whose items are the pieces in order (interp37). The
// template is read whole, its placeholders filled in order with the
// values of the arguments, and the call rewritten as the one literal it
// builds (interp.go scans it as it scans an interpolation).
//
// Only a strict shape is read, so that text that merely looks like one
// never joins: a template of key characters and placeholders ({}, {0},
// %s, {name}, %(name)s) alone, arguments that are names or literals of
// key characters (a named placeholder's by its keyword or its dict key),
// each argument used, every name with a value in the file.
//
// A join call of names has no reference or + to mark it in a secret's
// window, where refsIn looks: joinsIn finds its .join( or .concat( there,
// so that a secret joined so is read as the key ID (whose head marks it)
// and as "{}{}".format(sh, st) and sh + st are (qa36 M10).

// Bounds of a format call: its arguments, and the quotes looked at before
// a name to find the template of the call it is an argument of.
const (
	maxFormatArgs   = 8
	maxFormatQuotes = 16
)

// fmtCall is a format call read at its template: data[s:e] is the call
// (from the template's opening quote), the template's pieces in order,
// and its arguments.
type fmtCall struct {
	s, e   int
	pieces []fmtPiece
	args   []fmtArg
}

// fmtPiece is key characters of the template data[s:e], or, arg >= 0, a
// placeholder data[s:e] filled with that argument, or, key set, a named
// placeholder (fill finds its argument).
type fmtPiece struct {
	s, e, arg int
	key       []byte
}

// fmtArg is an argument: a name, or key characters data[s:e] of a literal;
// key is its keyword (head=…) or its dict key ("head": …), nil when it
// is positional.
type fmtArg struct {
	s, e int
	name []byte
	key  []byte
}

// formatCallAt reads the format call whose template's opening quote is
// at q.
func formatCallAt(d []byte, q int) (fmtCall, bool) {
	if q >= len(d) || d[q] != '"' && d[q] != '\'' {
		return fmtCall{}, false
	}
	c := fmtCall{s: q}
	// string.Template("$head${tail}"): its placeholders are $name and
	// ${name}, named ones, and its call .substitute(…) after the ).
	tmpl := calledBy(d, q, "Template")
	// The template: key characters and placeholders, to its closing quote.
	i, next := q+1, 0
	for ; i < len(d) && d[i] != d[q] && i-q < maxInterpSpan; i++ {
		switch {
		case tmpl:
			r, ok := interpRefAt(d, i)
			if isSecretChar(d[i]) {
				ok, r.e = true, i
				for r.e < len(d) && isSecretChar(d[r.e]) {
					r.e++
				}
				c.pieces = append(c.pieces, fmtPiece{s: i, e: r.e, arg: -1})
			} else if !ok || d[i] != '$' || r.def || d[i+1] == '(' || d[i+1] == '{' && d[i+2] == '{' {
				return fmtCall{}, false
			} else {
				c.pieces = append(c.pieces, fmtPiece{s: i, e: r.e, arg: -1, key: r.name})
			}
			i = r.e - 1
		case isSecretChar(d[i]):
			s := i
			for i+1 < len(d) && isSecretChar(d[i+1]) {
				i++
			}
			c.pieces = append(c.pieces, fmtPiece{s: s, e: i + 1, arg: -1})
		case d[i] == '%' && i+1 < len(d) && d[i+1] == 's', d[i] == '{' && i+1 < len(d) && d[i+1] == '}':
			c.pieces = append(c.pieces, fmtPiece{s: i, e: i + 2, arg: next})
			next++
			i++
		case d[i] == '{' && i+2 < len(d) && isDigit(d[i+1]) && d[i+2] == '}':
			c.pieces = append(c.pieces, fmtPiece{s: i, e: i + 3, arg: int(d[i+1] - '0')})
			i += 2
		case d[i] == '{' && namedAt(d, i+1, "}") > 0:
			e := namedAt(d, i+1, "}")
			c.pieces = append(c.pieces, fmtPiece{s: i, e: e + 1, arg: -1, key: d[i+1 : e]})
			i = e
		case d[i] == '%' && i+1 < len(d) && d[i+1] == '(' && namedAt(d, i+2, ")s") > 0:
			e := namedAt(d, i+2, ")s")
			c.pieces = append(c.pieces, fmtPiece{s: i, e: e + 2, arg: -1, key: d[i+2 : e]})
			i = e + 1
		default:
			return fmtCall{}, false
		}
		if len(c.pieces) > maxInterpParts {
			return fmtCall{}, false
		}
	}
	if i >= len(d) || d[i] != d[q] {
		return fmtCall{}, false
	}
	// The call around it.
	k := skipLineBlanks(d, i+1)
	var close byte
	join := false
	dict := false  // "%(a)s" % {"a": …}: the arguments are a dict's items
	outer := false // the arguments are a list's or a dict's in the call: a ) closes it
	switch {
	case tmpl:
		// Template("…").substitute(a=…) or .safe_substitute({"a": …}).
		if k >= len(d) || d[k] != ')' {
			return fmtCall{}, false
		}
		k = skipLineBlanks(d, k+1)
		switch {
		case hasAt(d, k, ".substitute("):
			k += len(".substitute(")
		case hasAt(d, k, ".safe_substitute("):
			k += len(".safe_substitute(")
		default:
			return fmtCall{}, false
		}
		k, close = skipFormatBlanks(d, k), ')'
		if k < len(d) && d[k] == '{' {
			k, close, dict, outer = k+1, '}', true, true
		}
	case hasAt(d, k, ".format_map("), hasAt(d, k, ".format(**"):
		// "{a}{b}".format_map({"a": h, "b": t}), .format(**{…}), and
		// either with dict(a=h, b=t): the named arguments in a mapping
		// (fp: missed).
		if hasAt(d, k, ".format_map(") {
			k += len(".format_map(")
		} else {
			k += len(".format(**")
		}
		k = skipFormatBlanks(d, k)
		switch {
		case k < len(d) && d[k] == '{':
			k, close, dict, outer = k+1, '}', true, true
		case hasAt(d, k, "dict("):
			k, close, outer = k+len("dict("), ')', true
		default:
			return fmtCall{}, false
		}
	case bytes.HasPrefix(d[k:], []byte(".format(")):
		k, close = k+len(".format("), ')'
	case hasAt(d, k, ".concat("):
		// JavaScript's "AKIA…".concat(tail): the template is the first
		// piece, the arguments follow it.
		// ''.concat(head, tail): an empty receiver, the arguments alone
		// (qa37 M4).
		if len(c.pieces) > 1 || len(c.pieces) == 1 && (c.pieces[0].arg >= 0 || c.pieces[0].key != nil) {
			return fmtCall{}, false
		}
		k, close, join = k+len(".concat("), ')', true
		if len(c.pieces) == 1 {
			c.args = append(c.args, fmtArg{s: q + 1, e: i})
		}
		c.pieces = c.pieces[:0]
	case len(c.pieces) == 0 && (bytes.HasPrefix(d[k:], []byte(".join(")) ||
		k < len(d) && d[k] == ',' && calledBy(d, q, "str.join", "join", "Join")):
		// black splits a long "".join([a, b]) first between the call's
		// parenthesis and the list's bracket (qa37 M4), so a line break
		// may come before the list; str.join("", [a, b]) is the same call,
		// and so are Terraform's join("", [a, b]) and, its items the
		// arguments, Java's String.join("", a, b) and C#'s
		// string.Join("", a, b) (fp: missed).
		if d[k] == ',' {
			k = skipFormatBlanks(d, k+1)
			if k < len(d) && d[k] != '[' && d[k] != '(' && !calledBy(d, q, "str.join") {
				close, join = ')', true
				break
			}
		} else {
			k = skipFormatBlanks(d, k+len(".join("))
		}
		if k >= len(d) || d[k] != '[' && d[k] != '(' {
			return fmtCall{}, false
		}
		close = ']'
		if d[k] == '(' {
			close = ')'
		}
		k, join, outer = k+1, true, true
	case k < len(d) && d[k] == '%':
		k = skipLineBlanks(d, k+1)
		if k < len(d) && d[k] == '(' {
			k, close = k+1, ')'
		} else if k < len(d) && d[k] == '{' {
			k, close, dict = k+1, '}', true
		} else if hasAt(d, k, "dict(") {
			k, close = k+len("dict("), ')'
		} else if a, e, ok := formatArg(d, k); ok {
			// "…%s" % head: one argument, nothing after it but the end of
			// an expression.
			if e < len(d) && (d[e] == '(' || d[e] == '[' || d[e] == '.' || d[e] == '%') {
				return fmtCall{}, false
			}
			c.args, c.e = append(c.args, a), e
			return c, c.fill(false)
		} else {
			return fmtCall{}, false
		}
	case hasAt(d, k, "-f ") || hasAt(d, k, "-f\t"):
		// PowerShell's "{0}{1}" -f $head, $tail: the arguments to the
		// expression's end (fp: missed).
		args, _, ok := positionalArgs(d, k+2, nil, 0)
		if !ok || len(args) == 0 || len(args) > maxFormatArgs {
			return fmtCall{}, false
		}
		last := args[len(args)-1]
		e := last.e
		if last.name == nil {
			e++ // a literal's closing quote
		}
		if j := skipLineBlanks(d, e); j < len(d) && d[j] != '\n' && d[j] != '\r' && d[j] != ')' && d[j] != ';' && d[j] != '|' && d[j] != '}' {
			return fmtCall{}, false
		}
		c.args, c.e = args, e
		return c, c.fill(false)
	case k < len(d) && d[k] == ',' && calledBy(d, q, "format", "Sprintf", "Format"):
		// format("…%s", head): Java's String.format, Go's fmt.Sprintf,
		// Terraform's format; C#'s String.Format("{0}{1}", head, tail).
		k, close = k+1, ')'
	default:
		return fmtCall{}, false
	}
	for len(c.args) <= maxFormatArgs {
		k = skipFormatBlanks(d, k)
		if k < len(d) && d[k] == close {
			break
		}
		key, v, ok := argKey(d, k, dict)
		if !ok {
			return fmtCall{}, false
		}
		a, e, ok := formatArg(d, v)
		if !ok {
			return fmtCall{}, false
		}
		a.key = key
		c.args = append(c.args, a)
		k = skipFormatBlanks(d, e)
		if k < len(d) && d[k] == ',' {
			k++
		} else if k >= len(d) || d[k] != close {
			return fmtCall{}, false
		}
	}
	if k >= len(d) || d[k] != close || len(c.args) == 0 || len(c.args) > maxFormatArgs {
		return fmtCall{}, false
	}
	k++
	if outer {
		k = skipFormatBlanks(d, k)
		if k >= len(d) || d[k] != ')' {
			return fmtCall{}, false
		}
		k++
	}
	c.e = k
	return c, c.fill(join)
}

// listJoinAt reads JavaScript's [a, b].join("") (also ” and “: an
// empty delimiter) whose [ is at lb: its items are the pieces, in order.
func listJoinAt(d []byte, lb int) (fmtCall, bool) {
	if lb >= len(d) || d[lb] != '[' {
		return fmtCall{}, false
	}
	c := fmtCall{s: lb}
	args, k, ok := positionalArgs(d, lb+1, nil, ']')
	if !ok {
		return fmtCall{}, false
	}
	c.args = args
	if k >= len(d) || d[k] != ']' || len(c.args) > maxFormatArgs || !hasAt(d, k+1, ".join") {
		return fmtCall{}, false
	}
	if bareJoin(d, k+1) {
		// Ruby's [a, b].join: no argument, no delimiter (fp: missed).
		c.e = k + 1 + len(".join")
		return c, c.fill(true)
	}
	if !hasAt(d, k+1, ".join(") {
		return fmtCall{}, false
	}
	k += 1 + len(".join(")
	if k+2 >= len(d) || !isQuote(d[k]) || d[k+1] != d[k] || d[k+2] != ')' {
		return fmtCall{}, false
	}
	c.e = k + 3
	return c, c.fill(true)
}

// bareJoin reports whether .join at i is called without an argument
// list: Ruby's, whose delimiter is then none (JavaScript's join() puts a
// comma, and is no bare join).
func bareJoin(d []byte, i int) bool {
	e := i + len(".join")
	return hasAt(d, i, ".join") && (e == len(d) || !isWord(d[e]) && d[e] != '(' && d[e] != '.' && d[e] != '=')
}

// concatCallAt reads JavaScript's head.concat(tail, …) whose receiver, a
// name, starts at s: the receiver and the arguments are the pieces, in
// order. (A literal receiver is formatCallAt's.)
func concatCallAt(d []byte, s int) (fmtCall, bool) {
	e := nameAt(d, s)
	if e == s || !hasAt(d, e, ".concat(") || s > 0 && (isWord(d[s-1]) || d[s-1] == '.' || d[s-1] == '$') {
		return fmtCall{}, false
	}
	c := fmtCall{s: s, args: []fmtArg{{s: s, e: e, name: d[s:e]}}}
	args, k, ok := positionalArgs(d, e+len(".concat("), c.args, 0)
	if !ok {
		return fmtCall{}, false
	}
	c.args = args
	if k >= len(d) || d[k] != ')' || len(c.args) > maxFormatArgs {
		return fmtCall{}, false
	}
	c.e = k + 1
	return c, c.fill(true)
}

// positionalArgs reads the comma-separated arguments that start at k,
// appended to args, until one is not followed by a comma or there are
// more than maxFormatArgs: the arguments and where the list ends (its
// closer, if it is well formed). A comma before trailing (not 0) ends
// the list there: [a, b,].
func positionalArgs(d []byte, k int, args []fmtArg, trailing byte) ([]fmtArg, int, bool) {
	for len(args) <= maxFormatArgs {
		a, e, ok := formatArg(d, skipFormatBlanks(d, k))
		if !ok {
			return nil, 0, false
		}
		args = append(args, a)
		k = skipFormatBlanks(d, e)
		if k >= len(d) || d[k] != ',' {
			break
		}
		k++
		if j := skipFormatBlanks(d, k); trailing != 0 && j < len(d) && d[j] == trailing {
			return args, j, true
		}
	}
	return args, k, true
}

// namedAt returns where a placeholder's name that starts at i ends, when
// end follows it: {head}, %(head)s; or 0.
func namedAt(d []byte, i int, end string) int {
	e := nameAt(d, i)
	if e == i || !hasAt(d, e, end) {
		return 0
	}
	return e
}

// argKey reads the keyword of an argument at k (head=…, not head==…),
// or, in a dict, its quoted key ("head": …): the key, and where the
// value starts. A positional argument has none: k itself.
func argKey(d []byte, k int, dict bool) ([]byte, int, bool) {
	if dict {
		if k >= len(d) || d[k] != '"' && d[k] != '\'' {
			return nil, k, false
		}
		e := nameAt(d, k+1)
		if e == k+1 || e >= len(d) || d[e] != d[k] {
			return nil, k, false
		}
		c := skipLineBlanks(d, e+1)
		if c >= len(d) || d[c] != ':' {
			return nil, k, false
		}
		return d[k+1 : e], skipFormatBlanks(d, c+1), true
	}
	e := nameAt(d, k)
	if e == k {
		return nil, k, true
	}
	q := skipLineBlanks(d, e)
	if q+1 < len(d) && d[q] == '=' && d[q+1] != '=' {
		return d[k:e], skipLineBlanks(d, q+1), true
	}
	return nil, k, true
}

// fill checks that the placeholders and the arguments match, one for
// one, a named placeholder to the argument of its keyword and a
// positional one to the positional arguments in order; join: the
// arguments are the pieces, in order.
func (c *fmtCall) fill(join bool) bool {
	if join {
		for i, a := range c.args {
			if a.key != nil {
				return false
			}
			c.pieces = append(c.pieces, fmtPiece{s: a.s, e: a.e, arg: i})
		}
		return true
	}
	var pos []int // the positional arguments' indices
	for i, a := range c.args {
		if a.key == nil {
			if len(pos) < i {
				return false // a positional argument after a keyword one
			}
			pos = append(pos, i)
		}
	}
	used := make([]bool, len(c.args))
	for k := range c.pieces {
		p := &c.pieces[k]
		switch {
		case p.key != nil:
			p.arg = -1
			for i, a := range c.args {
				if string(a.key) == string(p.key) {
					p.arg = i
				}
			}
			if p.arg < 0 {
				return false
			}
		case p.arg >= 0:
			if p.arg >= len(pos) {
				return false
			}
			p.arg = pos[p.arg]
		default:
			continue
		}
		used[p.arg] = true
	}
	for _, u := range used {
		if !u {
			return false
		}
	}
	return true
}

// calledBy reports whether the quote at q opens the first argument of a
// function of one of the names fs: String.format(, fmt.Sprintf(.
func calledBy(d []byte, q int, fs ...string) bool {
	b := q
	for k := 0; b > 0 && k < maxInterpolationBlanks && (d[b-1] == ' ' || d[b-1] == '\t'); k++ {
		b--
	}
	if b == 0 || d[b-1] != '(' {
		return false
	}
	b--
	for _, f := range fs {
		if b >= len(f) && string(d[b-len(f):b]) == f && (b == len(f) || !isWord(d[b-len(f)-1])) {
			return true
		}
	}
	return false
}

// goSprintf reports whether the quote at q opens the format of Go's
// fmt.Sprintf(, which gojoin.go reads when its arguments are literals.
func goSprintf(d []byte, q int) bool {
	if !calledBy(d, q, "Sprintf") {
		return false
	}
	b := q
	for k := 0; b > 0 && k < maxInterpolationBlanks && (d[b-1] == ' ' || d[b-1] == '\t'); k++ {
		b--
	}
	return b >= len("fmt.Sprintf(") && string(d[b-len("fmt.Sprintf("):b]) == "fmt.Sprintf("
}

// formatArg reads an argument at k: a name no call, index or member
// follows, or a literal of key characters.
func formatArg(d []byte, k int) (fmtArg, int, bool) {
	if k >= len(d) {
		return fmtArg{}, k, false
	}
	if q := d[k]; q == '"' || q == '\'' {
		e := k + 1
		for e < len(d) && e-k <= maxPieceBytes && isSecretChar(d[e]) {
			e++
		}
		if e == k+1 || e >= len(d) || d[e] != q {
			return fmtArg{}, k, false
		}
		return fmtArg{s: k + 1, e: e}, e + 1, true
	}
	r, ok := bareRefAt(d, k)
	if !ok {
		return fmtArg{}, k, false
	}
	return fmtArg{s: r.s, e: r.e, name: r.name}, r.e, true
}

// skipFormatBlanks skips blanks and line breaks between arguments, a few
// at most.
func skipFormatBlanks(d []byte, i int) int {
	for j := i; j < len(d) && j-i < maxInterpolationBlanks; j++ {
		if c := d[j]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return j
		}
	}
	return min(len(d), i+maxInterpolationBlanks)
}

// formatAround reads the format call whose template holds the key
// characters at h (a key ID's head in "AKIA{}".format(tail)): its opening
// quote is the first before h past key characters and placeholders.
func (st *interpState) formatAround(h int) {
	d := st.d
	q := h
	for q > 0 && h-q < maxInterpSpan && (isSecretChar(d[q-1]) || d[q-1] == '{' || d[q-1] == '}' || d[q-1] == '%' || d[q-1] == '(' || d[q-1] == ')' || d[q-1] == '$' || isDigit(d[q-1])) {
		q--
	}
	if q > 0 {
		st.format(q - 1)
	}
}

// formatOf reads the format call that the name at p is an argument of:
// the templates tried are the last quotes before it (the arguments may
// stand a line each).
func (st *interpState) formatOf(p int) {
	d := st.d
	ls := max(0, p-maxInterpSpan)
	for i, n := p, 0; i > ls && n < maxFormatQuotes; i-- {
		if c := d[i-1]; c == '"' || c == '\'' {
			n++
			if st.format(i - 1) {
				return
			}
		}
	}
}

// format reads the format call at the quote q and keeps it, with the
// names its arguments need; it reports whether it kept one.
func (st *interpState) format(q int) bool { return st.readCall(q, q, formatCallAt) }

// readCall reads the call at at with read and keeps it, once for each
// key (a byte of the call no other site starts at).
func (st *interpState) readCall(key, at int, read func([]byte, int) (fmtCall, bool)) bool {
	if !st.open() || !st.starts.add(key) {
		return false
	}
	st.tries++
	c, ok := read(st.d, at)
	if !ok {
		return false
	}
	for _, a := range c.args {
		if a.name != nil {
			st.need(a.name)
		}
	}
	st.calls = append(st.calls, c)
	return true
}

// callRewrite appends the rewrite of a format call as the literal it
// builds, when it has a name among its arguments, every name has a value
// and the literal holds a run of key characters at least a key ID long.
func (st *interpState) callRewrite(c fmtCall, segs []rewrite) []rewrite {
	d := st.d
	vals := make([][]byte, len(c.args))
	names := 0
	for i, a := range c.args {
		if a.key != nil {
			names++ // a named placeholder: no concatenation reads it
		}
		if a.name == nil {
			vals[i] = d[a.s:a.e]
			continue
		}
		names++
		v, ok := st.value(a.name, a.s)
		if !ok {
			return segs
		}
		vals[i] = v
	}
	if names == 0 && goSprintf(d, c.s) {
		// Positional literals alone in Go's fmt.Sprintf("%s%s", "AKIA…",
		// "…"): gojoin.go joins it as a concatenation. Python's, Kotlin's
		// and Java's calls of literals alone have no other reader.
		return segs
	}
	sg := rewrite{start: c.s, end: c.e, encoding: "interpolation"}
	add := func(ch byte, s, e int) {
		sg.text, sg.from, sg.to = append(sg.text, ch), append(sg.from, s), append(sg.to, e)
	}
	add('"', c.s, c.s+1)
	for _, p := range c.pieces {
		if p.arg < 0 {
			for i := p.s; i < p.e; i++ {
				add(d[i], i, i+1)
			}
			continue
		}
		for _, ch := range vals[p.arg] {
			add(ch, p.s, p.e)
		}
	}
	if len(sg.text)-1 < 20 {
		return segs
	}
	add('"', c.e-1, c.e)
	return append(segs, sg)
}

// callOf reads the JavaScript call that the argument at p is an item or
// an argument of: [a, b].join(""), head.concat(tail). The call's opening
// is found back over the arguments before p.
func (st *interpState) callOf(p int) {
	d := st.d
	b := p
	for b > 0 && p-b < maxInterpSpan {
		c := d[b-1]
		if !isWord(c) && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ',' && c != '"' && c != '\'' && c != '$' {
			break
		}
		b--
	}
	switch {
	case b > 0 && d[b-1] == '[':
		st.readCall(b-1, b-1, listJoinAt)
	case b > 0 && d[b-1] == '(' && hasAt(d, b-len(".concat("), ".concat("):
		st.concatOf(b - len(".concat("))
	}
}

// concatOf reads the .concat( call whose . is at i: its receiver is a
// literal (formatCallAt's) or a name.
func (st *interpState) concatOf(i int) {
	d := st.d
	switch {
	case i > 0 && isQuote(d[i-1]):
		q := i - 1
		for q > 0 && i-q <= maxInterpSpan && isSecretChar(d[q-1]) {
			q--
		}
		if q > 0 && d[q-1] == d[i-1] {
			st.format(q - 1)
		}
	case i > 0 && isWord(d[i-1]):
		s := i
		for s > 0 && i-s < maxInterpNameLen && isWord(d[s-1]) {
			s--
		}
		st.readCall(i, s, concatCallAt)
	}
}

// joinsIn reads the calls that join without a reference or a + to mark
// them, in data[lo:hi], a window where the scan looked for a secret:
// Python's "".join([a, b]) (or over a tuple, of names or literals),
// JavaScript's [a, b].join("") and a.concat(b).
//
// One search for the dots finds both calls: the .join( sites are read as
// they come, the .concat( ones after them, in the order two searches
// (one for each call) read them. A search for each call went over every
// dot of the window twice, and code has a dot every few words: in a
// secret scanner's tests the two searches cost 7 % of the scan.
func (st *interpState) joinsIn(lo, hi int) {
	d := st.d
	concats := st.concats[:0]
	for i := lo; i < hi && st.open(); {
		k := bytes.IndexByte(d[i:hi], '.')
		if k < 0 {
			break
		}
		i += k
		switch {
		case hi-i >= len(".join(") && (string(d[i:i+len(".join(")]) == ".join(" || string(d[i:i+len(".Join(")]) == ".Join("),
			i > 0 && d[i-1] == ']' && bareJoin(d[:hi], i):
			st.joinAt(lo, i)
			i += len(".join")
		case hi-i >= len(".concat(") && string(d[i:i+len(".concat(")]) == ".concat(":
			concats = append(concats, i)
			i += len(".concat(")
		default:
			i++
		}
	}
	// open only closes: once it has, no .concat( site is read, and none
	// was left out above that would have been.
	for _, i := range concats {
		if !st.open() {
			break
		}
		st.concatOf(i)
	}
	st.concats = concats[:0]
	// Terraform's join("", [a, b]): a function, no receiver before it.
	for i := lo; i < hi && st.open(); {
		k := bytes.Index(d[i:hi], []byte("join("))
		if k < 0 {
			break
		}
		i += k
		if i == 0 || !isWord(d[i-1]) && d[i-1] != '.' {
			if q := skipLineBlanks(d, i+len("join(")); q < len(d) && isQuote(d[q]) {
				st.format(q)
			}
		}
		i += len("join(")
	}
}

// joinAt reads the call whose .join( stands at i, in a window from lo.
func (st *interpState) joinAt(lo, i int) {
	d := st.d
	switch {
	case i >= 2 && isQuote(d[i-1]) && d[i-2] == d[i-1]:
		st.format(i - 2)
	case i >= 3 && string(d[i-3:i]) == "str", i >= 6 && (string(d[i-6:i]) == "String" || string(d[i-6:i]) == "string"):
		// str.join("", [a, b]); Java's String.join("", a, b), C#'s
		// string.Join("", a, b).
		if q := skipLineBlanks(d, i+len(".join(")); q < len(d) && isQuote(d[q]) {
			st.format(q)
		}
	case i > 0 && d[i-1] == ']':
		if lb := bytes.LastIndexByte(d[max(lo, i-maxInterpSpan):i], '['); lb >= 0 {
			lb += max(lo, i-maxInterpSpan)
			st.readCall(lb, lb, listJoinAt)
		}
	}
}
