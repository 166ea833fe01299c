package scanner

import (
	"bytes"
	"slices"
)

// Keys split over string concatenation in source code: "AKIA" + "…",
// 'AK' + 'IA…' (the prefix itself split), `AK` + `IA…` (JavaScript
// template literals), on one line or several, with the + at the end of a
// line (Go, Java, JavaScript) or at the start of the next (JavaScript,
// Java), comments between, Python's and C's adjacent literals
// ("AK" "IA…", inside parentheses across lines; the shell's "AK"'IA…'),
// and the other languages' operators: PHP's and Perl's ., Lua's .., SQL's
// ||, VB's & (& _ across lines). A chain of literals is joined into one
// literal and scanned in the lines around it (scanRewritten), so a split
// secret needs the context a whole one needs; a value that starts the first
// literal is reported at that literal's opening quote, where go vet reports
// a folded constant.
//
// Chains are looked for from two kinds of place: a literal that opens with
// the head of a key ID or goes on with the rest of its prefix ("AK, "A",
// "IA, ASI": prefilter anchors; see chainStart), and the windows
// where the plain scan looked for secrets (after a keyword, around a key ID).
// A chain is joined only when a run of value characters crosses one of its
// joins and is at least a key ID long: "Bearer " + "x" and the many
// concatenations of ordinary code are left alone.

// maxChainParts bounds the literals of a chain read at once: a secret
// split one character per literal is 40, and 235 with five empty literals
// between each two characters. A longer chain is read in overlapping
// stretches (see chainsAt). maxLiteralBytes bounds a literal.
const (
	maxChainParts   = 256
	maxLiteralBytes = 256
)

// piece is the body of one string literal of a chain: data[s:e].
type piece struct{ s, e int }

// decodeConcat finds the chains of literals that may hold a split key and
// scans them joined.
func (m *match) decodeConcat() {
	d := m.data
	if len(m.heads) == 0 && len(m.joinMarks) == 0 {
		return
	}
	starts := make([]int, 0, len(m.heads)+len(m.joinMarks))
	for _, h := range m.heads {
		if q, ok := chainStart(d, h); ok {
			starts = append(starts, q)
		}
	}
	starts = append(starts, m.joinMarks...)
	slices.Sort(starts)
	spans := chainsAt(d, slices.Compact(starts), nil)
	if len(spans) == 0 {
		return
	}
	// Every chain around a seed is joined with it: a split secret holds no
	// key prefix and may stand next to a split key ID.
	starts = starts[:0]
	for _, w := range m.around(spans) {
		starts = joinsIn(d, w.lo, w.hi, starts)
	}
	slices.Sort(starts)
	spans = chainsAt(d, slices.Compact(starts), spans[:0])
	// A chain is read again and joined only when the piece of data around
	// it is scanned (scanRewritten): memory stays bounded by that piece.
	var parts []piece
	m.scanRewritten(spans, func(i int) rewrite {
		var end int
		parts, end = chainAt(d, spans[i].lo, parts[:0])
		return joinChain(d, spans[i].lo, end, parts)
	})
}

// chainStart returns where the chain opens that a split-head anchor at h
// points into: the literal that opens at h ("AK…, "A"), the one whose
// body h starts (ASI", ACC"), or, for the rest of a prefix ("IA… after
// "AS" +), the literal before it.
func chainStart(d []byte, h int) (int, bool) {
	switch {
	case !isQuote(d[h]):
		return h - 1, h > 0 && isQuote(d[h-1])
	case h+2 < len(d) && d[h+1] == 'I' && d[h+2] == 'A':
		j := h
		for j > 0 && h-j < 256 && (d[j-1] == ' ' || d[j-1] == '\t' || d[j-1] == '\r' || d[j-1] == '\n') {
			j--
		}
		if j > 0 && d[j-1] == '+' {
			for j--; j > 0 && h-j < 256 && (d[j-1] == ' ' || d[j-1] == '\t' || d[j-1] == '\r' || d[j-1] == '\n'); j-- {
			}
		}
		if j == 0 || !isQuote(d[j-1]) {
			return 0, false
		}
		c := j - 1 // the closing quote of the literal before
		ls := lineStartWithin(d, c, maxLiteralBytes)
		k := bytes.LastIndexByte(d[ls:c], d[c])
		return ls + k, k >= 0
	}
	return h, true
}

// joinsIn appends where the literals open that a join follows in
// data[lo:hi] (see joinAt).
func joinsIn(d []byte, lo, hi int, out []int) []int {
	for i := lo; i < hi; i++ {
		if isQuote(d[i]) {
			if k, ok := joinAt(d, i); ok {
				out = append(out, k)
			}
		}
	}
	return out
}

// joinAt reports whether the quote at i is followed by a join (a + or
// another literal), and returns where the literal it closes opens on its
// line. Most quotes are followed by neither, and cost one look at the next
// byte.
func joinAt(d []byte, i int) (int, bool) {
	c := d[i]
	if j := i + 1; j < len(d) && (!joinFollows[d[j]] || isQuote(d[j]) && !juxtaposed(d, i)) {
		return 0, false
	}
	if _, ok := nextLiteral(d, i+1); !ok {
		return 0, false
	}
	ls := lineStartWithin(d, i, maxLiteralBytes)
	k := bytes.LastIndexByte(d[ls:i], c)
	return ls + k, k >= 0
}

// joinFollows marks the bytes after a closing quote that may lead to a
// join (blanks, a line break, + or ., SQL's ||, VB's &, a comment, a
// quote): joinAt's first look.
var joinFollows = func() (t [256]bool) {
	for _, c := range []byte(" +.\n\r\t/#|&\"'`") {
		t[c] = true
	}
	return t
}()

// juxtaposed reports whether the literal closed by the quote at i and the
// one that opens right after it may be one string: a literal of the same
// quote (Python's and C's "a""b"), or of the other kind with a value
// character after its quote (the shell's "abc"'def', Python's 'abc' "def";
// not the rune literal '"' of Go or Java).
func juxtaposed(d []byte, i int) bool {
	c, o := d[i], d[i+1]
	return o == c || (c == '"' && o == '\'' || c == '\'' && o == '"') && i+2 < len(d) && isSecretChar(d[i+2])
}

// chainsAt returns the spans of the chains that open at the sorted starts
// and hold a split value. A chain that holds none is read once: the starts
// inside it open its suffixes, whose joins are its own with no more value
// characters before them, so they are skipped. A chain longer than
// maxChainParts is read on from the piece where the run of value characters
// that reaches its last join starts (a run that crosses the cut), but at
// least half way on, so each stretch read moves on by half of one.
func chainsAt(d []byte, starts []int, out []window) []window {
	var parts []piece
	done := -1
	for _, q := range starts {
		for q >= done {
			var end int
			parts, end = chainAt(d, q, parts[:0])
			if len(parts) >= 2 && splitValue(d, parts) {
				out = append(out, window{q, end})
				done = end
				break
			}
			done = end
			if len(parts) < maxChainParts {
				break
			}
			q = parts[runStart(d, parts)].s - 1 // the opening quote of that piece
			done = q
		}
	}
	return out
}

// runStart returns the piece where the run of value characters that
// reaches the end of a long chain starts (the last piece not made of value
// characters alone: its trailing ones start the run), at least half way
// along the chain.
func runStart(d []byte, parts []piece) int {
	k := len(parts) - 1
	for k > len(parts)/2 && allValue(d, parts[k]) {
		k--
	}
	return k
}

// allValue reports whether a piece is made of value characters only (an
// empty one too: a run goes on across it).
func allValue(d []byte, p piece) bool {
	for i := p.s; i < p.e; i++ {
		if !isSecretChar(d[i]) {
			return false
		}
	}
	return true
}

// chainAt reads the chain of literals whose first opens at q, and returns
// their bodies and the end of the last.
func chainAt(d []byte, q int, parts []piece) ([]piece, int) {
	end := q
	for len(parts) < maxChainParts {
		s, e, ok := literalAt(d, q)
		if !ok {
			break
		}
		parts = append(parts, piece{s, e})
		end = e + 1
		if q, ok = nextLiteral(d, end); !ok {
			break
		}
	}
	return parts, end
}

// literalAt reads the single-line string literal that opens at q.
func literalAt(d []byte, q int) (s, e int, ok bool) {
	if q >= len(d) || !isQuote(d[q]) {
		return 0, 0, false
	}
	quote := d[q]
	for j := q + 1; j < len(d) && j-q <= maxLiteralBytes; j++ {
		switch d[j] {
		case '\n':
			return 0, 0, false
		case '\\':
			j++
		case quote:
			if j == q+1 && j+1 < len(d) && d[j+1] == quote {
				return 0, 0, false // """: a Python block string
			}
			return q + 1, j, true
		}
	}
	return 0, 0, false
}

// nextLiteral returns where the next literal of a chain opens after a
// literal that ends before i: after a +, or directly (adjacent literals),
// across blanks and line breaks (a backslash before one, too).
func nextLiteral(d []byte, i int) (int, bool) {
	j := skipBlanks(d, i)
	if j >= len(d) {
		return 0, false
	}
	if c := d[j]; c == '.' || c == '|' || c == '&' {
		n := joinOperator(d, j)
		if n == 0 {
			return 0, false
		}
		j = skipBlanks(d, j+n)
		if j+1 < len(d) && d[j] == '_' && (d[j+1] == '\n' || d[j+1] == '\r') {
			j = skipBlanks(d, j+1) // VB's line continuation: "…" & _
		}
		if j < len(d) && d[j] != '`' && isQuote(d[j]) {
			return j, true
		}
		return 0, false
	}
	plus := j < len(d) && d[j] == '+'
	if plus {
		if j+1 < len(d) && (d[j+1] == '+' || d[j+1] == '=') {
			return 0, false // x++ or +=: no concatenation of literals
		}
		j = skipBlanks(d, j+1)
	}
	k := j
	for k < len(d) && k-j < 2 && (d[k]|0x20 == 'b' || d[k]|0x20 == 'r' || d[k]|0x20 == 'u' || d[k]|0x20 == 'f' || d[k] == '@') {
		k++ // Python's b"", r"", u"", f"" prefixes, C#'s verbatim @""
	}
	if k < len(d) && isQuote(d[k]) && (k == j || j > i) && (d[k] != '`' || plus) {
		return k, true // template literals are joined by + only
	}
	return 0, false
}

// joinOperator returns the length of an operator at j other than + that
// joins two literals: PHP's and Perl's ., Lua's .., SQL's ||, VB's & (each
// before a blank or a quote); 0 when there is none.
func joinOperator(d []byte, j int) int {
	if j+1 >= len(d) {
		return 0
	}
	n := 0
	switch {
	case d[j] == '.' && d[j+1] == '.', d[j] == '|' && d[j+1] == '|':
		n = 2
	case d[j] == '.', d[j] == '&':
		n = 1
	default:
		return 0
	}
	if j+n < len(d) && (d[j+n] == ' ' || d[j+n] == '\t' || d[j+n] == '"' || d[j+n] == '\'') {
		return n
	}
	return 0
}

// skipBlanks skips spaces, tabs, line breaks (and a backslash that
// continues a line) and comments (// and # to the end of the line, /* */),
// at most a few lines' worth.
func skipBlanks(d []byte, i int) int {
	lim := min(i+256, len(d))
	for j := i; j < lim; j++ {
		switch d[j] {
		case ' ', '\t', '\r', '\n':
			continue
		case '\\':
			if j+1 < len(d) && (d[j+1] == '\n' || d[j+1] == '\r') {
				continue
			}
		case '#':
			if k := bytes.IndexByte(d[j:lim], '\n'); k >= 0 {
				j += k
				continue
			}
		case '/':
			if j+1 < len(d) && d[j+1] == '/' {
				if k := bytes.IndexByte(d[j:lim], '\n'); k >= 0 {
					j += k
					continue
				}
			}
			if j+1 < len(d) && d[j+1] == '*' {
				if k := bytes.Index(d[j+2:lim], []byte("*/")); k >= 0 {
					j += k + 3
					continue
				}
			}
		}
		return j
	}
	return lim
}

func isQuote(c byte) bool { return c == '"' || c == '\'' || c == '`' }

// splitValue reports whether a run of value characters at least a key ID
// long crosses a join of the chain.
func splitValue(d []byte, parts []piece) bool {
	left := 0 // value characters before the join, back through earlier parts
	for k, p := range parts {
		lead := 0
		for lead < p.e-p.s && isSecretChar(d[p.s+lead]) {
			lead++
		}
		if k > 0 && left > 0 && lead > 0 && left+lead >= 20 {
			return true
		}
		if lead == p.e-p.s {
			left += lead
			continue
		}
		left = 0
		for i := p.e; i > p.s && isSecretChar(d[i-1]); i-- {
			left++
		}
	}
	return false
}

// joinChain returns the chain as one literal: the first opening quote, the
// bodies, and a closing quote that stands for the last.
func joinChain(d []byte, q, end int, parts []piece) rewrite {
	n := 2
	for _, p := range parts {
		n += p.e - p.s
	}
	sg := rewrite{start: q, end: end, encoding: "concatenation",
		text: make([]byte, 0, n), from: make([]int, 0, n), to: make([]int, 0, n)}
	add := func(c byte, from, to int) {
		sg.text, sg.from, sg.to = append(sg.text, c), append(sg.from, from), append(sg.to, to)
	}
	add(d[q], q, q+1)
	for k, p := range parts {
		for i := p.s; i < p.e; i++ {
			from := i
			if k == 0 && i == p.s {
				from = q // a value that starts the chain is reported at its first literal
			}
			add(d[i], from, i+1)
		}
	}
	add(d[q], end-1, end)
	return sg
}
