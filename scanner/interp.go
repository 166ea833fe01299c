package scanner

import (
	"bytes"
	"slices"
)

// Keys split between a variable of the file and the text that interpolates
// or concatenates it: HEAD=AKIA… then "${HEAD}…" (the shell, .env files as
// python-dotenv and docker compose read them, a Dockerfile's ARG and ENV),
// $(HEAD) (make), %HEAD% (batch), f"{head}…" (Python), `${head}…`
// (JavaScript), "#{head}…" (Ruby), "{$head}…" (PHP), "${local.head}…" and
// "${var.head}…" (Terraform), ${{ env.head }}… (GitHub Actions), and the
// variable joined to a literal by an operator (head + "…", $head . "…",
// head .. "…"), the other way round too ("AKIA${TAIL}", "AKIA" + tail), or
// glued to it through quotes as the shell joins words ("$HEAD"…, $HEAD'…'),
// the shell's ${HEAD:-word} family (HEAD's value; the word only when the
// file sets HEAD nowhere: an unset name is the shell's reason to use it).
// A join by + may cross a line break before or after the operator, as
// black writes a long expression in parentheses: (\n    head\n    + "…"\n).
// No whole key stands in the file, and concatenation (concat.go) joins
// literals only.
//
// A chain is rewritten only when what it reads is all there is: one that
// reaches a reference with no value (set outside the file, or a name past
// maxInterpNames), one its bounds cut while it goes on, or one that starts
// glued to a reference or key characters before it, is left: the rewrite
// would leave the unread part as written, and a $ or a } reads as a key's
// boundary, so two resolved neighbours made a "whole" key ID out of a
// longer join (qa36 F1).
//
// Only a file that holds a dangling key-ID head (a key prefix and fewer
// than 16 key characters, then the end of a value: keyID notes it where the
// prefilter anchored on the prefix) or, in the windows where the scan looked
// for a secret, a variable reference or a join by +, pays for it. From those places a few
// sites are read: the references to the name a head is assigned to, and the
// chain of literal key characters and references that goes on from a head
// or a reference (readChain). The names the sites refer to are looked up in
// one pass over the file's assignments of short key-alphabet values
// (NAME=value, NAME = "value", NAME := value, $name = '…', ARG, ENV,
// export, local, const, let, var before them, Terraform's locals and a
// variable block's default; and, for a name still without a value, the
// YAML key first on its line, a Kubernetes env entry's value under its
// name, a Dockerfile's ENV NAME value: read only then, since a colon is
// everywhere and these shapes are rarer). A site whose chain joins a run of key
// characters at least a key ID long across a reference has each reference
// rewritten as its value, and the lines around are scanned again
// (scanRewritten): a joined value needs the context a whole one needs, and
// is reported at the interpolating site with the encoding "interpolation".
// A reference written outside a string (head + "…") is rewritten as a
// literal, which the scan of the rewritten text joins as a concatenation.
//
// A value may itself be interpolated (interp35): A=${B}${C} then
// "${A}…", A="AKIA${C}" then "${A}…". Such a value, references and key
// characters alone in a string that interpolates (not the shell's single
// quotes, not a Python string without its f), is expanded when a site
// reads it, maxNestDepth levels deep and no longer than a piece of a key
// (a cycle ends at the depth, a value that grows at the length); its
// names are looked up by one more pass over the assignments per level. A
// site is found at it as at a plain one: the name such a value is
// assigned to is followed to its references as a head's name is, when
// the value holds a head or a reference to a head's name (valueOwner).

// The bounds of the work: heads noted a file, names of heads followed to
// their references, references looked at a name, sites kept and places
// read as sites (a file of references, kept or not: their memory too), the
// parts of a chain and the bytes it spans, names resolved and assignments
// kept a name.
const (
	maxInterpHeads   = 64
	maxHeadNames     = 16
	maxNameRefs      = 4096
	maxInterpSites   = 64
	maxInterpTries   = 4096
	maxInterpParts   = 16
	maxInterpSpan    = 512
	maxInterpNames   = 32
	maxNameAssigns   = 8
	maxInterpNameLen = 64
	// maxNestDepth bounds the levels of a value that is itself
	// interpolated, and the passes over the assignments that find them.
	maxNestDepth = 4
	// maxPieceBytes bounds a value that may be a piece of a key: shorter
	// than a whole secret.
	maxPieceBytes = 39
)

// danglingEnd marks the bytes that may end a value where a key ID's head
// stops short: a quote, the start of a reference ($, {, #{, %), a blank, a
// line's end, a statement's.
var danglingEnd = func() (t [256]bool) {
	for _, c := range []byte("\"'`${#%\n\r \t;") {
		t[c] = true
	}
	return t
}()

// noteDangling notes the head of a key ID at at that stops short at i
// (i == len(data): at the end of the input), for decodeInterpolation.
func (m *match) noteDangling(at, i int) {
	if m.depth != 0 || len(m.scratch.interpHeads) >= maxInterpHeads || i < len(m.data) && !danglingEnd[m.data[i]] || !m.boundaryBefore(at) {
		return
	}
	m.scratch.interpHeads = append(m.scratch.interpHeads, at)
}

// ipart is one part of a chain: literal key characters data[s:e], or a
// reference data[s:e] to name.
type ipart struct {
	s, e   int
	name   []byte
	quoted bool // a reference outside a string: its value is written as a literal
	glued  bool // quotes between the part before and this one are dropped: "$HEAD"…, $HEAD'…'
	// more: the chain was cut by its bounds after this part, and goes
	// on: what follows is not read, so no key may end here. less: the
	// chain's first part is glued to key characters or a reference
	// before it, which it does not read: no key may start here.
	more, less bool
	// ds, de: the default of the shell's ${NAME:-word} (also ${NAME-word},
	// ${NAME:=word}, ${NAME=word}), data[ds:de], read when the name has
	// no value in the file; def is set when the reference has one.
	ds, de int
	def    bool
}

// interpAssign is a value assigned to a name: data[vs:ve], at; nested:
// the value holds references (nestedEnd), read in an f-string (fstr)
// or not.
type interpAssign struct {
	at, vs, ve   int
	nested, fstr bool
}

// interpState is what decodeInterpolation gathers: the chains read, and
// the names they refer to with the values assigned to them.
type interpState struct {
	d      []byte
	parts  []ipart
	chains []window // parts[lo:hi] of each chain
	starts posSet   // where chains and format calls were read
	tries  int      // chains read, kept or not
	names  nameList
	calls  []fmtCall // format calls (interpformat.go)
	heads  [][]byte  // the names of heads, and of values that hold one, to follow to their references
	owners int       // the names in heads of values that hold a head or refer to one
	// concats: the .concat( sites of a window, read after its .join( ones
	// (joinsIn); positions only, the memory kept.
	concats []int
}

// reuse readies st, the state of the scratch's last file, for data: its
// memory kept (interpmem.go).
func (st *interpState) reuse(d []byte) {
	st.d, st.parts, st.chains, st.tries, st.calls = d, st.parts[:0], st.chains[:0], 0, st.calls[:0]
	st.heads, st.owners = st.heads[:0], 0
	st.starts.reset()
	st.names.reset()
}

// drop lets go of the file: the state stays in the scratch, which must
// keep no input alive.
func (st *interpState) drop() {
	clear(st.parts)
	clear(st.calls)
	clear(st.heads)
	st.names.reset()
	st.d = nil
}

// decodeInterpolation finds the keys split between a variable and the
// text that interpolates or concatenates it, and scans them joined.
func (m *match) decodeInterpolation() {
	heads := m.scratch.interpHeads
	if m.depth != 0 || len(heads) == 0 && len(m.windows) == 0 {
		return
	}
	d := m.data
	st := &m.scratch.interp
	st.reuse(d)
	defer st.drop()
	followed := 0
	for _, h := range heads {
		e := h + 4
		for e < len(d) && isBase32(d[e]) {
			e++
		}
		if name, ok := headAssigned(d, h, e); ok {
			st.addHead(name, false)
		} else if name, ok := valueOwner(d, h); ok {
			st.addHead(name, true) // A="AKIA${C}"
		}
		st.chain(h, []ipart{{s: h, e: e}})
		st.formatAround(h)
		if h > 0 && isQuote(d[h-1]) && e < len(d) && d[e] == d[h-1] {
			// A literal argument: .format(head="AKIA…"), % {"a": "AKIA…"}.
			if k := skipFormatBlanks(d, e+1); k < len(d) && (d[k] == ',' || d[k] == ')' || d[k] == '}' || d[k] == ']') {
				st.formatOf(h - 1)
				st.callOf(h - 1) // ['AKIA…', tail].join(""), head.concat("AKIA…")
			}
		}
		// The names found so far, and those of the values that refer to
		// them (refsTo adds them), before the next head's: a file's first
		// heads have the sites.
		for ; followed < len(st.heads); followed++ {
			st.refsTo(st.heads[followed])
		}
	}
	for _, w := range m.windows {
		if !st.open() {
			break
		}
		st.refsIn(w.lo, w.hi)
		st.joinsIn(w.lo, w.hi)
	}
	if len(st.chains) == 0 && len(st.calls) == 0 {
		return
	}
	st.resolve()
	var segs []rewrite
	for _, c := range st.chains {
		segs = st.rewrites(st.parts[c.lo:c.hi], segs)
	}
	for _, c := range st.calls {
		segs = st.callRewrite(c, segs)
	}
	if len(segs) == 0 {
		return
	}
	slices.SortFunc(segs, func(a, b rewrite) int { return a.start - b.start })
	kept := segs[:0]
	for _, sg := range segs {
		if n := len(kept); n > 0 && sg.start < kept[n-1].end {
			continue // the same reference from two sites
		}
		kept = append(kept, sg)
	}
	spans := make([]window, len(kept))
	for i, sg := range kept {
		spans[i] = window{sg.start, sg.end}
	}
	n := len(m.out)
	m.scanRewritten(spans, func(i int) rewrite { return kept[i] })
	for i := n; i < len(m.out); i++ {
		// A reference rewritten as a literal is joined to the literal
		// beside it as a concatenation: one split, one name.
		if m.out[i].Encoding == "interpolation+concatenation" {
			m.out[i].Encoding = "interpolation"
		}
	}
}

// addHead adds the name of a head, or (owner) of a value that holds one
// or refers to one, to follow to its references, within maxHeadNames of
// each.
func (st *interpState) addHead(name []byte, owner bool) {
	if owner && st.owners >= maxHeadNames || !owner && len(st.heads)-st.owners >= maxHeadNames ||
		slices.ContainsFunc(st.heads, func(n []byte) bool { return bytes.Equal(n, name) }) {
		return
	}
	if owner {
		st.owners++
	}
	st.heads = append(st.heads, name)
	st.need(name)
}

// open reports whether more sites may be read.
func (st *interpState) open() bool {
	return len(st.chains)+len(st.calls) < maxInterpSites && st.tries < maxInterpTries
}

// need adds a name to resolve, within maxInterpNames.
func (st *interpState) need(name []byte) {
	st.names.add(name)
}

// chain reads the chain that goes on after first and keeps it when it
// holds a reference and more than one part.
func (st *interpState) chain(start int, first []ipart) {
	if len(st.chains) >= maxInterpSites || st.tries >= maxInterpTries || !st.starts.add(start) {
		return
	}
	st.tries++
	lo := len(st.parts)
	st.parts = append(st.parts, first...)
	if s := first[0].s; s > 0 && (isSecretChar(st.d[s-1]) || refEndsAt(st.d, s)) {
		st.parts[lo].less = true
	}
	var end int
	st.parts, end = readChain(st.d, first[len(first)-1].e, start+maxInterpSpan, st.parts, lo)
	ps := st.parts[lo:]
	if end < len(st.d) && (len(ps) >= maxInterpParts || end >= start+maxInterpSpan) {
		// Cut by a bound: a reference or key characters that go on
		// past it would join what the rewrite reads as the key's end.
		if _, ok := interpRefAt(st.d, end); ok || isSecretChar(st.d[end]) {
			ps[len(ps)-1].more = true
		}
	}
	refs := 0
	for _, p := range ps {
		if p.name != nil {
			refs++
			st.need(p.name)
		}
	}
	if len(ps) < 2 || refs == 0 {
		st.parts = st.parts[:lo]
		return
	}
	st.chains = append(st.chains, window{lo, len(st.parts)})
}

// readChain appends the parts that follow data[i:] to the chain that
// starts at parts[lo], within lim: key characters of the literal or word,
// references, and a join operator to a literal or a reference outside a
// string; and where it stopped reading.
func readChain(d []byte, i, lim int, parts []ipart, lo int) ([]ipart, int) {
	lim = min(lim, len(d))
	glued, joined := false, false
	for len(parts)-lo < maxInterpParts && i < lim {
		if r, ok := interpRefAt(d, i); ok {
			parts = append(parts, r)
			i = r.e
			continue
		}
		if isSecretChar(d[i]) {
			j := i
			for j < lim && isSecretChar(d[j]) {
				j++
			}
			parts = append(parts, ipart{s: i, e: j})
			i = j
			continue
		}
		// A quote glued to what follows it, as the shell joins words:
		// "$HEAD"…, $HEAD'…', "AKIA"'…'. Not after a join by an operator:
		// the parts of such a chain keep their quotes.
		if j := gluedQuotes(d, i, lim); j > i && !joined {
			if r, ok := interpRefAt(d, j); ok {
				r.glued = true
				parts = append(parts, r)
				i, glued = r.e, true
				continue
			}
			if isSecretChar(d[j]) {
				k := j
				for k < lim && isSecretChar(d[k]) {
					k++
				}
				parts = append(parts, ipart{s: j, e: k, glued: true})
				i, glued = k, true
				continue
			}
		}
		if glued {
			break // quotes dropped, then a join: the rewrite would unbalance them
		}
		// A join: after a literal's closing quote, or after a reference
		// outside a string (which is then written as a literal).
		j := i
		closed := isQuote(d[j])
		if closed {
			j++
		}
		j = skipLineBlanks(d, j)
		n := interpJoin(d, j)
		if n == 0 {
			// A + that starts the next line, as black writes a long
			// expression in parentheses: (\n    head\n    + "…"\n).
			if k := skipLineBreak(d, j); k > j && k < len(d) && d[k] == '+' {
				j, n = k, interpJoin(d, k)
			}
			if n == 0 {
				break
			}
		}
		if last := &parts[len(parts)-1]; !closed {
			if last.name == nil || last.e != i {
				break // key characters then an operator: arithmetic, not a join of strings
			}
			last.quoted = true
		}
		joined = true
		k := skipLineBlanks(d, j+n)
		k = skipLineBreak(d, k) // an operator that ends its line: head +\n    "…"
		if k < len(d) && isQuote(d[k]) {
			i = k + 1
			continue
		}
		r, ok := bareRefAt(d, k)
		if !ok {
			break
		}
		r.quoted = true
		parts = append(parts, r)
		i = r.e
	}
	return parts, i
}

// refEndsAt reports whether a reference in interpRefAt's syntax with a
// closing character (${NAME}, $(NAME), %NAME%, #{NAME}) ends at s.
func refEndsAt(d []byte, s int) bool {
	if c := d[s-1]; c != '}' && c != ')' && c != '%' {
		return false
	}
	for b := s - 2; b >= 0 && s-b <= maxInterpNameLen+maxPieceBytes+8; b-- {
		if c := d[b]; c == '$' || c == '%' || c == '#' || c == '{' {
			if r, ok := interpRefAt(d, b); ok && r.e == s {
				return true
			}
		}
		if d[b] == '\n' {
			break
		}
	}
	return false
}

// skipLineBreak returns where the next line's text starts when a line
// break (and only blanks) stands at i, or i. A backslash before the break
// is a line continuation (Python's head + \, the shell's): the same join
// (qa37 M4).
func skipLineBreak(d []byte, i int) int {
	j := i
	if j < len(d) && d[j] == '\\' {
		j++
	}
	if j < len(d) && d[j] == '\r' {
		j++
	}
	if j >= len(d) || d[j] != '\n' {
		return i
	}
	return skipLineBlanks(d, j+1)
}

// skipContinuation returns where the next line's text starts when a line
// continuation (a backslash, then the line's end, LF or CRLF) stands at i,
// or i: H=\ then the value on the next line assigns it (fp), in the shell,
// Python and make.
func skipContinuation(d []byte, i int) int {
	if i < len(d) && d[i] == '\\' {
		if j := skipLineBreak(d, i); j > i {
			return j
		}
	}
	return i
}

// continuedBefore returns where a line continuation ends the line before
// position j, the start of a line (a backslash, an optional CR, the line
// feed before j), or j.
func continuedBefore(d []byte, j int) int {
	if j < 2 || d[j-1] != '\n' {
		return j
	}
	k := j - 1
	if d[k-1] == '\r' {
		k--
	}
	if k > 0 && d[k-1] == '\\' {
		return k - 1
	}
	return j
}

// gluedQuotes returns where the text after the quotes at i starts (one
// quote, or a closing and an opening one), or i: an opening quote stands
// before a reference or key characters, within lim.
func gluedQuotes(d []byte, i, lim int) int {
	j, n := i, 0
	for j < lim && n < 2 && (d[j] == '"' || d[j] == '\'') {
		j, n = j+1, n+1
		// "$HEAD"\ then "…" on the next line: the shell's continuation
		// removes the backslash and the break, so the words still touch
		// (qa37 M4), a CRLF file's too (fp).
		if n == 1 && j+2 < lim && d[j] == '\\' {
			k := j + 1
			if d[k] == '\r' {
				k++
			}
			if k+1 < lim && d[k] == '\n' && isQuote(d[k+1]) {
				j = k + 1
			}
		}
	}
	if j == i || j >= lim {
		return i
	}
	return j
}

// interpJoin returns the length of a join operator at j (+, and the others
// concatenation knows: ., .., ||, &), or 0.
func interpJoin(d []byte, j int) int {
	if j >= len(d) {
		return 0
	}
	if d[j] == '+' {
		if j+1 < len(d) && (d[j+1] == '+' || d[j+1] == '=') {
			return 0
		}
		return 1
	}
	return joinOperator(d, j)
}

// skipLineBlanks skips spaces and tabs, a few at most.
func skipLineBlanks(d []byte, i int) int {
	for j := i; j < len(d) && j-i < maxInterpolationBlanks; j++ {
		if d[j] != ' ' && d[j] != '\t' {
			return j
		}
	}
	return min(len(d), i+maxInterpolationBlanks)
}

// nameAt returns where a name that starts at i ends (a letter or _, then
// letters, digits and _), or i.
func nameAt(d []byte, i int) int {
	if i >= len(d) || !(isUpper(d[i]) || isLower(d[i]) || d[i] == '_') {
		return i
	}
	j := i + 1
	for j < len(d) && j-i < maxInterpNameLen && isWord(d[j]) {
		j++
	}
	if j < len(d) && isWord(d[j]) {
		return i // longer than a name of a variable
	}
	return j
}

// interpRefAt reads a reference in a string's or a word's syntax at i: ${NAME}
// (${local.NAME}, ${var.NAME}, blanks inside), $(NAME) ($($NAME)), $NAME, {$NAME},
// #{NAME}, {NAME}, %NAME%.
func interpRefAt(d []byte, i int) (ipart, bool) {
	if i+2 >= len(d) {
		return ipart{}, false
	}
	var close byte
	double := false // ${{ env.NAME }}: a GitHub Actions expression
	j := i + 1
	switch c := d[i]; {
	case c == '$' && d[j] == '{' && d[j+1] == '{':
		close, double = '}', true
		j += 2
	case c == '$' && d[j] == '{':
		close = '}'
		j++
	case c == '$' && d[j] == '(':
		close = ')'
		j++
		if d[j] == '$' {
			j++ // PowerShell's subexpression $($NAME) (fp)
		}
	case c == '$':
		if e := nameAt(d, j); e > j {
			return ipart{s: i, e: e, name: d[j:e]}, true
		}
		return ipart{}, false
	case c == '{' && d[j] == '$', c == '#' && d[j] == '{':
		close = '}'
		j++
	case c == '{':
		close = '}'
	case c == '%':
		close = '%'
	default:
		return ipart{}, false
	}
	if close == '}' {
		j = skipLineBlanks(d, j)
		if j >= len(d) || !(isUpper(d[j]) || isLower(d[j]) || d[j] == '_') {
			return ipart{}, false // no name, nor a scope's: a block's {, most of them
		}
		scopes := [...]string{"local.", "var."}
		if double {
			scopes = [...]string{"env.", "vars."}
		}
		scoped := false
		for _, sc := range scopes {
			if bytes.HasPrefix(d[j:], []byte(sc)) {
				j += len(sc)
				scoped = true
				break
			}
		}
		if double && !scoped {
			return ipart{}, false // ${{ secrets.NAME }}, ${{ github.… }}: not the file's
		}
	}
	e := nameAt(d, j)
	if e == j {
		return ipart{}, false
	}
	k := e
	var ds, de int
	def := false
	if close == '}' && !double && d[i] == '$' {
		// The shell's ${NAME:-word}, ${NAME-word}, ${NAME:=word},
		// ${NAME=word}: the name's value when it is set, else the word
		// (key characters, or none); ${NAME:?message} its value.
		k, ds, de, def = shellDefault(d, e)
	}
	if close == '}' {
		k = skipLineBlanks(d, k)
	}
	if k >= len(d) || d[k] != close {
		return ipart{}, false
	}
	if double {
		if k++; k >= len(d) || d[k] != '}' {
			return ipart{}, false
		}
	}
	return ipart{s: i, e: k + 1, name: d[j:e], ds: ds, de: de, def: def}, true
}

// shellDefault reads the operator and word after a name at e inside ${…}:
// where the } should stand, the default word data[ds:de] and whether
// there is one. Without an operator, or with one whose word is not key
// characters alone (${NAME:+x}, ${NAME#prefix}), k is e: the } test fails
// where it must.
func shellDefault(d []byte, e int) (k, ds, de int, def bool) {
	j := e
	if j < len(d) && d[j] == ':' {
		j++
	}
	if j >= len(d) || d[j] != '-' && d[j] != '=' && d[j] != '?' {
		return e, 0, 0, false
	}
	op := d[j]
	j++
	w := j
	for j < len(d) && j-w <= maxPieceBytes && d[j] != '}' {
		if op != '?' && !isSecretChar(d[j]) || d[j] == '\n' {
			return e, 0, 0, false
		}
		j++
	}
	if j-w > maxPieceBytes {
		return e, 0, 0, false
	}
	if op == '?' {
		return j, 0, 0, false
	}
	return j, w, j, true
}

// bareRefAt reads a variable written outside a string at i: a name, or
// $name (PHP, Perl), that no call, index or member follows.
func bareRefAt(d []byte, i int) (ipart, bool) {
	j := i
	if j < len(d) && d[j] == '$' {
		j++
	} else if hasAt(d, j, "local.") || hasAt(d, j, "var.") {
		// Terraform's local.NAME and var.NAME outside a string: format's
		// and join's arguments (fp).
		j = bytes.IndexByte(d[j:], '.') + j + 1
	}
	e := nameAt(d, j)
	if e == j || e < len(d) && (d[e] == '(' || d[e] == '[' || d[e] == '.' && e+1 < len(d) && isWord(d[e+1])) {
		return ipart{}, false
	}
	return ipart{s: i, e: e, name: d[j:e]}, true
}

// refsTo reads the sites that refer to name: each place it stands as a
// reference (interpRefAt's syntaxes, or a variable a join follows) and not where
// it is assigned.
func (st *interpState) refsTo(name []byte) {
	d := st.d
	for at, n := 0, 0; n < maxNameRefs && st.open(); n++ {
		k := bytes.Index(d[at:], name)
		if k < 0 {
			return
		}
		p := at + k
		e := p + len(name)
		at = e
		if p > 0 && isWord(d[p-1]) || e < len(d) && isWord(d[e]) {
			continue
		}
		if r, ok := refEndingAt(d, p, e); ok {
			st.chain(r.s, []ipart{r})
			if d[r.s] == '$' && psFormatArg(d, r.s, r.e) {
				st.formatOf(r.s) // "{0}{1}" -f $head, $tail (fp)
			}
			if owner, ok := valueOwner(d, r.s); ok {
				st.addHead(owner, true) // A=${B}${C}: A's references are sites too
			}
			continue
		}
		s := p
		if p > 0 && d[p-1] == '.' {
			if b := tfScopeBefore(d, p); b >= 0 {
				s = b // Terraform's local.NAME, var.NAME (fp)
			} else {
				continue // a member
			}
		}
		if s > 0 && d[s-1] == '$' {
			s--
		}
		if hasAt(d, e, ".concat(") {
			st.concatOf(e) // head.concat(tail)
			continue
		}
		if r, ok := bareRefAt(d, s); ok && r.e == e {
			r.quoted = true
			st.chain(s, []ipart{r})
			// An argument: "{}{}".format(head, tail), "%s…" % head.
			b := s
			for k := 0; b > 0 && k < maxInterpolationBlanks && (d[b-1] == ' ' || d[b-1] == '\t'); k++ {
				b--
			}
			if k := skipFormatBlanks(d, e); k < len(d) && (d[k] == ',' || d[k] == ')' || d[k] == ']' || d[k] == '}') || b > 0 && d[b-1] == '%' {
				st.formatOf(s)
				if k >= len(d) || d[k] != '}' {
					st.callOf(s) // [head, tail].join(""), s.concat(head)
				}
			}
		}
	}
}

// psFormatArg reports whether the reference d[s:e] is an argument of
// PowerShell's -f: -f before it, or a comma after it.
func psFormatArg(d []byte, s, e int) bool {
	b := s
	for k := 0; b > 0 && k < maxInterpolationBlanks && (d[b-1] == ' ' || d[b-1] == '\t'); k++ {
		b--
	}
	if b >= 2 && d[b-2] == '-' && d[b-1] == 'f' {
		return true
	}
	k := skipLineBlanks(d, e)
	return k < len(d) && d[k] == ','
}

// tfScopeBefore returns where Terraform's local. or var. starts when it
// stands right before p, a word of its own, or -1.
func tfScopeBefore(d []byte, p int) int {
	for _, sc := range [...]string{"local.", "var."} {
		if b := p - len(sc); b >= 0 && string(d[b:p]) == sc && (b == 0 || !isWord(d[b-1]) && d[b-1] != '.') {
			return b
		}
	}
	return -1
}

// refEndingAt returns the reference in interpRefAt's syntax whose name is
// data[p:e].
func refEndingAt(d []byte, p, e int) (ipart, bool) {
	b := p
	for _, sc := range [...]string{"local.", "var.", "env.", "vars."} {
		if b >= len(sc) && string(d[b-len(sc):b]) == sc {
			b -= len(sc)
			break
		}
	}
	for k := 0; b > 0 && k < maxInterpolationBlanks && (d[b-1] == ' ' || d[b-1] == '\t'); k++ {
		b--
	}
	for _, s := range []int{b - 3, b - 2, b - 1} {
		if s < 0 {
			continue
		}
		if r, ok := interpRefAt(d, s); ok && len(r.name) == e-p && &r.name[0] == &d[p] {
			return r, true
		}
	}
	return ipart{}, false
}

// refsIn reads the sites of the references in data[lo:hi], a window where
// the scan looked for a secret.
func (st *interpState) refsIn(lo, hi int) {
	d := st.d
	for _, c := range [...]byte{'$', '{', '%', '+'} {
		for i := lo; i < hi && st.open(); i++ {
			k := bytes.IndexByte(d[i:hi], c)
			if k < 0 {
				break
			}
			i += k
			s := i
			if c == '{' && i > lo && (d[i-1] == '$' || d[i-1] == '#') {
				s = i - 1
			}
			if c == '$' && i > lo && d[i-1] == '{' {
				s = i - 1
			}
			if c == '+' {
				st.plusAt(i)
			} else if r, ok := interpRefAt(d, s); ok {
				// The literal head glued before it, if any, and the
				// reference, in an array of the frame: a slice grown for
				// them was an allocation at each reference read.
				var first [2]ipart
				n, rs := 0, litBefore(d, s)
				if rs < s {
					first[0], n = ipart{s: rs, e: s}, 1
				}
				first[n] = r
				st.chain(rs, first[:n+1])
				if c == '{' && s == i || c == '$' {
					// A named placeholder: "{a}…".format(a=s1),
					// Template("$a…").substitute(a=s1).
					st.formatAround(i)
				}
			} else if c != '$' && i+1 < hi && (d[i+1] == '}' || d[i+1] == 's' || d[i+1] == '(' || isDigit(d[i+1])) {
				st.formatAround(i) // a placeholder: "{}…".format(s1)
			}
		}
	}
}

// litBefore returns where the run of key characters that ends at s
// starts (a secret's head glued to the reference at s:
// SECRET=head${TAIL}), or s when there is none or it is longer than a
// piece: the chain read from a reference alone goes forward only, and
// would join nothing of the head before it.
func litBefore(d []byte, s int) int {
	rs := s
	for rs > 0 && s-rs <= maxPieceBytes && isSecretChar(d[rs-1]) {
		rs--
	}
	if s-rs > maxPieceBytes {
		return s
	}
	return rs
}

// plusAt reads the site of a join by the + at i, written with a blank or
// a quote beside it: a variable before it (s1 + "…"), or the key
// characters that end the literal before it ("…" + s2).
func (st *interpState) plusAt(i int) {
	d := st.d
	if i == 0 || i+1 >= len(d) || d[i+1] == '+' || d[i+1] == '=' || d[i-1] == '+' {
		return
	}
	if !(d[i-1] == ' ' || d[i-1] == '\t' || isQuote(d[i-1]) || d[i+1] == ' ' || d[i+1] == '\t' || isQuote(d[i+1])) {
		return // a + inside a value
	}
	b := i
	for k := 0; b > 0 && k < maxInterpolationBlanks && (d[b-1] == ' ' || d[b-1] == '\t'); k++ {
		b--
	}
	if b > 0 && d[b-1] == '\n' {
		// The + starts its line: what it joins ends the line above.
		b--
		if b > 0 && d[b-1] == '\r' {
			b--
		}
		if b > 0 && d[b-1] == '\\' {
			b-- // a line continuation: head \ then + "…" (qa37 M4)
		}
		for k := 0; b > 0 && k < maxInterpolationBlanks && (d[b-1] == ' ' || d[b-1] == '\t'); k++ {
			b--
		}
	}
	switch {
	case b > 0 && isWord(d[b-1]):
		s := b
		for s > 0 && b-s < maxInterpNameLen && isWord(d[s-1]) {
			s--
		}
		if s > 0 && d[s-1] == '$' {
			s--
		}
		if r, ok := bareRefAt(d, s); ok && r.e == b {
			r.quoted = true
			st.chain(s, []ipart{r})
		}
	case b > 0 && isQuote(d[b-1]):
		rs := b - 1
		for rs > 0 && b-1-rs < maxPieceBytes && isSecretChar(d[rs-1]) {
			rs--
		}
		if rs < b-1 && rs > 0 && d[rs-1] == d[b-1] || rs < b-1 && b-1-rs >= 8 {
			st.chain(rs, []ipart{{s: rs, e: b - 1}})
		}
	}
}

// headAssigned returns the name a key ID's head data[h:e] is assigned
// to, when it is the whole value of an assignment.
func headAssigned(d []byte, h, e int) ([]byte, bool) {
	j := h
	var q byte
	if j > 0 && isQuote(d[j-1]) {
		q = d[j-1]
		j--
	}
	if !valueEnds(d, e, q) {
		return nil, false
	}
	for k := 0; j > 0 && k < maxInterpolationBlanks && (d[j-1] == ' ' || d[j-1] == '\t'); k++ {
		j--
	}
	if c := continuedBefore(d, j); c < j {
		j = c // H=\ then the head on the next line (fp)
		for k := 0; j > 0 && k < maxInterpolationBlanks && (d[j-1] == ' ' || d[j-1] == '\t'); k++ {
			j--
		}
	}
	switch {
	case j == 0:
		return nil, false
	case d[j-1] == '=':
		return assignedName(d, j-1)
	case d[j-1] == ':':
		return yamlKeyName(d, j-1)
	}
	// ENV NAME value: the name, blanks, the value to the line's end.
	if j == h-min(1, int(q)) || !lineEndsAt(d, e+min(1, int(q))) {
		return nil, false
	}
	s := j
	for s > 0 && j-s < maxInterpNameLen && isWord(d[s-1]) {
		s--
	}
	b := s
	for k := 0; b > 0 && k < maxInterpolationBlanks && (d[b-1] == ' ' || d[b-1] == '\t'); k++ {
		b--
	}
	if b < 3 || b == s || string(d[b-3:b]) != "ENV" {
		return nil, false
	}
	if name, vs, ok := legacyEnv(d, b-3); ok && vs == h-min(1, int(q)) {
		return name, true
	}
	return nil, false
}

// valueEnds reports whether a value's characters end at e: at its closing
// quote q, or, unquoted, at a blank, a line's or a statement's end.
func valueEnds(d []byte, e int, q byte) bool {
	if q != 0 {
		return e < len(d) && d[e] == q
	}
	return e == len(d) || d[e] == '\n' || d[e] == '\r' || d[e] == ' ' || d[e] == '\t' || d[e] == ';'
}

// assignedName returns the name an = at eq assigns to: NAME=, NAME =,
// NAME :=, NAME ?=, $name =; a Terraform variable's name for its
// default =.
func assignedName(d []byte, eq int) ([]byte, bool) {
	if eq+1 < len(d) && (d[eq+1] == '=' || d[eq+1] == '>' || d[eq+1] == '~') {
		return nil, false // ==, =>, =~
	}
	j := assignNameEnd(d, eq)
	s := j
	for s > 0 && j-s < maxInterpNameLen && isWord(d[s-1]) {
		s--
	}
	if s == j || s > 0 && (isWord(d[s-1]) || d[s-1] == '.') || nameAt(d, s) != j {
		return nil, false
	}
	if string(d[s:j]) == "default" {
		return variableBlock(d, s)
	}
	return d[s:j], true
}

// assignNameEnd returns where the name an = at eq assigns to ends: before
// the blanks and the : of :=, ?=, ::=.
func assignNameEnd(d []byte, eq int) int {
	j := eq
	if j > 0 && (d[j-1] == ':' || d[j-1] == '?') {
		j--
		if j > 0 && d[j-1] == ':' {
			j-- // ::=
		}
	}
	for k := 0; j > 0 && k < maxInterpolationBlanks && (d[j-1] == ' ' || d[j-1] == '\t'); k++ {
		j--
	}
	return j
}

// variableBlock returns the name of the Terraform variable block whose
// default stands at s: variable "NAME" { … default.
func variableBlock(d []byte, s int) ([]byte, bool) {
	lo := max(0, s-256)
	k := bytes.LastIndex(d[lo:s], []byte("variable"))
	if k < 0 {
		return nil, false
	}
	k += lo + len("variable")
	j := skipLineBlanks(d, k)
	if j >= len(d) || d[j] != '"' {
		return nil, false
	}
	e := nameAt(d, j+1)
	if e == j+1 || e >= len(d) || d[e] != '"' {
		return nil, false
	}
	b := skipLineBlanks(d, e+1)
	if b >= s || d[b] != '{' || bytes.IndexByte(d[b:s], '}') >= 0 {
		return nil, false
	}
	return d[j+1 : e], true
}

// resolve reads the file's assignments once and keeps, for each name the
// chains refer to, the short key-alphabet values assigned to it.
func (st *interpState) resolve() {
	// A nested value needs the names it refers to: one more pass for each
	// level at which a value added names.
	for range maxNestDepth {
		n := len(st.names.list)
		st.resolvePass()
		if len(st.names.list) == n {
			return
		}
	}
}

// resolvePass reads the file's assignments of the names needed.
func (st *interpState) resolvePass() {
	d := st.d
	for at := 0; ; {
		k := bytes.IndexByte(d[at:], '=')
		if k < 0 {
			break
		}
		eq := at + k
		at = eq + 1
		if eq+1 < len(d) && (d[eq+1] == '=' || d[eq+1] == '>' || d[eq+1] == '~') {
			continue // ==, =>, =~: assignedName turns them down
		}
		// A name ends where the = assigns (!=, +=, <= are no
		// assignment of one), one of those needed or default: a
		// byte's test, then mayEnd's, before assignedName reads it.
		if j := assignNameEnd(d, eq); j == 0 || !isWord(d[j-1]) || !st.names.mayEnd(d, j) {
			continue // no name needed, nor default, ends there: most ='s of a file
		}
		if name, ok := assignedName(d, eq); ok {
			st.keep(name, eq, skipContinuation(d, skipLineBlanks(d, eq+1)), false)
		}
	}
	// YAML's NAME: value (an env: map of a workflow, a compose service's
	// environment:, a Kubernetes env entry's name and value), read for a
	// file that has a reference to a name no = assigns.
	if !st.unresolved() {
		return
	}
	for at := 0; ; {
		k := bytes.IndexByte(d[at:], ':')
		if k < 0 {
			break
		}
		c := at + k
		at = c + 1
		// A name before the colon, a blank after it (not :=, ::, a
		// URL's :), one of those needed or value: as for the ='s.
		if c == 0 || !isWord(d[c-1]) || c+1 >= len(d) || d[c+1] != ' ' && d[c+1] != '\t' || !st.names.mayEnd(d, c) {
			continue
		}
		if name, ok := yamlKeyName(d, c); ok {
			st.keep(name, c, skipLineBlanks(d, c+1), false)
		}
	}
	// A Dockerfile's ENV NAME value, the form without =.
	// Found by its V, rarer than its E in code (Errorf) and in JSON: a
	// search for "ENV" stopped at every E, and turned to a slower search
	// after many.
	for at := 2; at < len(d); {
		k := bytes.IndexByte(d[at:], 'V')
		if k < 0 {
			break
		}
		p := at + k - 2
		at = p + 3
		if d[p] != 'E' || d[p+1] != 'N' {
			continue
		}
		if name, vs, ok := legacyEnv(d, p); ok {
			st.keep(name, p, vs, true)
		}
	}
}

// unresolved reports whether a name the chains refer to has no value yet.
func (st *interpState) unresolved() bool {
	for _, n := range st.names.list {
		if len(n.as) == 0 {
			return true
		}
	}
	return false
}

// keep adds the value at vs assigned to name at at, when the name is
// needed and the value is a short run of key characters, quoted or not,
// that ends the value (wholeLine: ends the line).
func (st *interpState) keep(name []byte, at, vs int, wholeLine bool) {
	d := st.d
	n := st.names.find(name)
	if n == nil {
		return
	}
	n.set = true
	if len(n.as) >= maxNameAssigns || slices.ContainsFunc(n.as, func(a interpAssign) bool { return a.at == at }) {
		return
	}
	fstr := vs+1 < len(d) && d[vs] == 'f' && isQuote(d[vs+1]) // Python's f"…"
	if fstr {
		vs++
	}
	var q byte
	if vs < len(d) && isQuote(d[vs]) {
		q = d[vs]
		vs++
	}
	ve := vs
	for ve < len(d) && ve-vs <= maxPieceBytes && isSecretChar(d[ve]) {
		ve++
	}
	nested := false
	if ve == vs || ve-vs > maxPieceBytes || !valueEnds(d, ve, q) || fstr {
		var ok bool
		if ve, ok = nestedEnd(d, vs, q, fstr); !ok {
			return
		}
		nested = true
	}
	if wholeLine && !lineEndsAt(d, ve+min(1, int(q))) {
		return
	}
	n.as = append(n.as, interpAssign{at: at, vs: vs, ve: ve, nested: nested, fstr: fstr})
	if nested { // after the append: need may move the list n is in
		for i := vs; i < ve; {
			if r, ok := nestedRefAt(d, i, fstr); ok {
				st.need(r.name)
				i = r.e
			} else {
				i++
			}
		}
	}
}

// nestedRefAt reads a reference at i inside a value that is itself
// interpolated: interpRefAt's syntaxes, but {NAME} only in an f-string
// (a "{name}" elsewhere is a template, not a reference).
func nestedRefAt(d []byte, i int, fstr bool) (ipart, bool) {
	if !fstr && i+1 < len(d) && d[i] == '{' && d[i+1] != '$' {
		return ipart{}, false
	}
	return interpRefAt(d, i)
}

// nestedEnd reads a value at vs that is itself interpolated: references
// and key characters alone, at least one reference, within
// maxInterpParts and maxInterpSpan, up to where it ends (valueEnds) in
// its quote q; a single-quoted value interpolates nothing.
func nestedEnd(d []byte, vs int, q byte, fstr bool) (int, bool) {
	if q == '\'' {
		return vs, false
	}
	i, parts, refs := vs, 0, 0
	for i < len(d) && i-vs < maxInterpSpan && parts < maxInterpParts {
		if r, ok := nestedRefAt(d, i, fstr); ok {
			i, refs = r.e, refs+1
		} else if isSecretChar(d[i]) {
			for i < len(d) && isSecretChar(d[i]) {
				i++
			}
		} else {
			break
		}
		parts++
	}
	return i, refs > 0 && i > vs && valueEnds(d, i, q)
}

// valueOwner returns the name whose assigned value, itself interpolated,
// starts at s (the value's first byte, inside its quote).
func valueOwner(d []byte, s int) ([]byte, bool) {
	j := s
	var q byte
	if j > 0 && isQuote(d[j-1]) {
		q = d[j-1]
		j--
	}
	fstr := false
	if q != 0 && j > 0 && d[j-1] == 'f' && (j == 1 || !isWord(d[j-2])) {
		fstr = true
		j--
	}
	if _, ok := nestedEnd(d, s, q, fstr); !ok {
		return nil, false
	}
	for k := 0; j > 0 && k < maxInterpolationBlanks && (d[j-1] == ' ' || d[j-1] == '\t'); k++ {
		j--
	}
	if c := continuedBefore(d, j); c < j {
		j = c // H=\ then the head on the next line (fp)
		for k := 0; j > 0 && k < maxInterpolationBlanks && (d[j-1] == ' ' || d[j-1] == '\t'); k++ {
			j--
		}
	}
	switch {
	case j == 0:
		return nil, false
	case d[j-1] == '=':
		return assignedName(d, j-1)
	case d[j-1] == ':':
		return yamlKeyName(d, j-1)
	}
	return nil, false
}

// lineEndsAt reports whether only blanks stand from i to the line's end.
func lineEndsAt(d []byte, i int) bool {
	i = skipLineBlanks(d, i)
	return i >= len(d) || d[i] == '\n' || d[i] == '\r'
}

// lineStart reports whether only blanks stand between the line's start
// and i.
func lineStart(d []byte, i int) bool {
	for k := 0; i > 0 && k < maxInterpolationBlanks && (d[i-1] == ' ' || d[i-1] == '\t'); k++ {
		i--
	}
	return i == 0 || d[i-1] == '\n' || d[i-1] == '\r'
}

// yamlKeyName returns the name a YAML key at the colon c assigns to, when
// the key stands first on its line (after a list's "- ") and a blank
// follows the colon: NAME: value. A Kubernetes env entry's value: takes
// its name from the name: on the line before (- name: NAME).
func yamlKeyName(d []byte, c int) ([]byte, bool) {
	if c+1 >= len(d) || d[c+1] != ' ' && d[c+1] != '\t' {
		return nil, false
	}
	s := c
	for s > 0 && c-s < maxInterpNameLen && isWord(d[s-1]) {
		s--
	}
	if s == c || nameAt(d, s) != c {
		return nil, false
	}
	b := s
	if b >= 2 && d[b-1] == ' ' && d[b-2] == '-' {
		b -= 2
	}
	if !lineStart(d, b) {
		return nil, false
	}
	if string(d[s:c]) != "value" {
		return d[s:c], true
	}
	// - name: NAME, the line before.
	ls := b
	for ls > 0 && d[ls-1] != '\n' {
		ls--
	}
	if ls == 0 {
		return nil, false
	}
	pe := ls - 1
	if pe > 0 && d[pe-1] == '\r' {
		pe--
	}
	ps := max(0, pe-maxInterpNameLen-maxInterpolationBlanks-16)
	if k := bytes.LastIndexByte(d[ps:pe], '\n'); k >= 0 {
		ps += k + 1
	} else if ps > 0 {
		return nil, false
	}
	line := bytes.TrimLeft(d[ps:pe], " \t")
	line = bytes.TrimPrefix(line, []byte("- "))
	v, ok := bytes.CutPrefix(line, []byte("name:"))
	if !ok {
		return nil, false
	}
	v = bytes.Trim(v, " \t")
	if len(v) >= 2 && isQuote(v[0]) && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	if len(v) == 0 || nameAt(v, 0) != len(v) {
		return nil, false
	}
	return v, true
}

// legacyEnv reads a Dockerfile's ENV NAME value at p (the E of ENV, first
// on its line): the name, and where the value starts.
func legacyEnv(d []byte, p int) ([]byte, int, bool) {
	if !lineStart(d, p) || p+3 >= len(d) || d[p+3] != ' ' && d[p+3] != '\t' {
		return nil, 0, false
	}
	s := skipLineBlanks(d, p+3)
	e := nameAt(d, s)
	if e == s || e >= len(d) || d[e] != ' ' && d[e] != '\t' {
		return nil, 0, false
	}
	return d[s:e], skipLineBlanks(d, e), true
}

// value returns the value assigned to name that a reference at p reads:
// the last assignment before it, else the first after (a hoisted or
// declarative one); a value itself interpolated, expanded.
func (st *interpState) value(name []byte, p int) ([]byte, bool) {
	a, ok := st.assignment(name, p)
	if !ok {
		return nil, false
	}
	if !a.nested {
		return st.d[a.vs:a.ve], true
	}
	return st.expand(a, 0, nil)
}

// refValue returns the value a reference of a chain reads: its name's,
// or, when the file assigns the name nothing (it was looked for, not left
// past the bounds), the default the reference gives (${NAME:-word}).
func (st *interpState) refValue(p ipart) ([]byte, bool) {
	if v, ok := st.value(p.name, p.s); ok || !p.def {
		return v, ok
	}
	if n := st.names.find(p.name); n == nil || n.set {
		return nil, false
	}
	return st.d[p.ds:p.de], true
}

// assignment returns the assignment of name that a reference at p reads.
func (st *interpState) assignment(name []byte, p int) (interpAssign, bool) {
	n := st.names.find(name)
	if n == nil || len(n.as) == 0 {
		return interpAssign{}, false
	}
	as := n.as
	a := as[0]
	for _, b := range as {
		if b.at < p {
			a = b
		}
	}
	return a, true
}

// expand appends the value a assigns, its references expanded, to buf:
// maxNestDepth levels at most (a cycle ends there), no longer than a
// piece of a key.
func (st *interpState) expand(a interpAssign, depth int, buf []byte) ([]byte, bool) {
	d := st.d
	if !a.nested {
		buf = append(buf, d[a.vs:a.ve]...)
		return buf, len(buf) <= maxPieceBytes
	}
	if depth >= maxNestDepth {
		return nil, false
	}
	for i := a.vs; i < a.ve; {
		if r, ok := nestedRefAt(d, i, a.fstr); ok {
			b, ok := st.assignment(r.name, a.at)
			if !ok {
				return nil, false
			}
			if buf, ok = st.expand(b, depth+1, buf); !ok {
				return nil, false
			}
			i = r.e
			continue
		}
		if buf = append(buf, d[i]); len(buf) > maxPieceBytes {
			return nil, false
		}
		i++
	}
	return buf, true
}

// rewrites appends the rewrites of a chain's references when the chain,
// read up to its first name that has no value, joins a run of key
// characters at least a key ID long across a reference.
func (st *interpState) rewrites(ps []ipart, segs []rewrite) []rewrite {
	n, refs, end, outside := 0, 0, len(ps), false
	for i, p := range ps {
		if p.name == nil {
			n += p.e - p.s
			continue
		}
		v, ok := st.refValue(p)
		if !ok {
			end = i
			nm := st.names.find(p.name)
			outside = nm != nil && !nm.set
			break
		}
		n += len(v)
		refs++
	}
	// A reference left unresolved past the bounds of names looked up, or
	// to a name whose assignment was not kept, goes on with characters
	// the rewrite cannot know: the run before it must not read as a whole
	// key ending there (qa36 F1: two resolved heads, then a third past the
	// bound, made a 20-character key ID). So is a chain cut by its own
	// bounds. A name the file was searched for and assigns nowhere
	// (${SUFFIX} from the environment) is another matter: the rewrite
	// stops before it, and its $ is the key's boundary, as the plain
	// matcher reads <key ID>${SUFFIX} written whole (qa37 M5: ${H}<rest>
	// ${SUFFIX} was missed once the rule above held for it too).
	if end < len(ps) && !outside || end == len(ps) && ps[len(ps)-1].more || ps[0].less {
		return segs
	}
	if refs == 0 || n < 20 || end < 2 {
		return segs
	}
	for k, p := range ps[:end] {
		if p.glued {
			// The quotes before it are dropped: text that reads as nothing.
			segs = append(segs, rewrite{start: ps[k-1].e, end: p.s, encoding: "interpolation"})
		}
		if p.name == nil {
			continue
		}
		v, _ := st.refValue(p)
		sg := rewrite{start: p.s, end: p.e, encoding: "interpolation"}
		n := len(v)
		if p.quoted {
			n += 2
		}
		if n > 0 {
			// made at their length: grown byte by byte they were most of
			// the allocations of keyword-dense text
			sg.text, sg.from, sg.to = make([]byte, 0, n), make([]int, 0, n), make([]int, 0, n)
		}
		add := func(c byte) {
			sg.text, sg.from, sg.to = append(sg.text, c), append(sg.from, p.s), append(sg.to, p.e)
		}
		if p.quoted {
			add('"')
		}
		for _, c := range v {
			add(c)
		}
		if p.quoted {
			add('"')
		}
		segs = append(segs, sg)
	}
	return segs
}
