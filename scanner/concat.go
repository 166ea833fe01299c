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
	// A join list is read as a whole: the join around it is rewritten
	// with it (joinSpan), where it overlaps no other chain.
	heads := make([]int, len(spans))
	for i, sp := range spans {
		heads[i] = sp.lo
		if !joinListAt(d, sp.lo) {
			continue
		}
		if w, ok := joinSpan(d, sp.lo, sp.hi); ok && (i == 0 || w.lo >= spans[i-1].hi) && (i+1 == len(spans) || w.hi <= spans[i+1].lo) {
			spans[i] = w
		}
	}
	// A chain is read again and joined only when the piece of data around
	// it is scanned (scanRewritten): memory stays bounded by that piece.
	var parts []piece
	m.scanRewritten(spans, func(i int) rewrite {
		var end int
		parts, end = chainAt(d, heads[i], parts[:0])
		sg := joinChain(d, heads[i], end, parts)
		sg.start, sg.end = spans[i].lo, spans[i].hi
		return sg
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
			} else if k, ok := iacJoinAt(d, i); ok {
				out = append(out, k)
			} else if j := backBlanks(d, rawPrefix(d, i)); j > 0 && (d[j-1] == '[' || d[j-1] == '(' || d[j-1] == '{' || d[j-1] == ',') && joinListAt(d, i) {
				out = append(out, i)
			}
		}
	}
	return out
}

// iacJoinAt reports whether the quote at i is where a join of an
// infrastructure language or an empty join of code shows (qa14
// MEDIUM-10), and returns where the chain opens: the empty delimiter of a
// join list ("", [ … ]) or of Python's "".join([ … ]) (its first item), the
// last item of a list a .join follows ("…"].join("")), a list's first item
// itself, or the inner opening quote of an HCL interpolation ("abc${"…":
// the literal around it).
func iacJoinAt(d []byte, i int) (int, bool) {
	empty := i > 0 && d[i-1] == d[i]
	switch {
	case i+1 < len(d) && d[i+1] == ',' && empty:
		j := skipBlanks(d, i+2)
		if j < len(d) && d[j] == '[' {
			return firstItem(d, j)
		}
	case i+1 < len(d) && d[i+1] == '.' && empty:
		if j := i + 6; j < len(d) && string(d[i+1:j]) == ".join" && d[j] == '(' {
			if k := skipBlanks(d, j+1); k < len(d) && (d[k] == '[' || d[k] == '(') {
				return firstItem(d, k)
			}
			return firstItem(d, j)
		}
	case i+6 < len(d) && d[i+1] == ']' && string(d[i+2:i+7]) == ".join":
		if k := bytes.LastIndexByte(d[max(0, i-4*maxLiteralBytes):i], '['); k >= 0 {
			return firstItem(d, max(0, i-4*maxLiteralBytes)+k)
		}
	case d[i] == '"':
		if o := interpolationOpen(d, i, 0); o >= 0 {
			ls := lineStartWithin(d, i, maxLiteralBytes)
			if k := bytes.LastIndexByte(d[ls:max(ls, o)], '"'); k >= 0 {
				return ls + k, true
			}
		}
	}
	// The first argument of a call that joins its arguments (R's
	// paste0("…", "…"), Rust's concat!): a split secret has no key
	// prefix for the chain to be found by (qa29 H2).
	if j := backBlanks(d, i); j >= 2 && d[j-1] == '(' && joinCallEnd[d[j-2]] && joinListAt(d, i) {
		return i, true
	}
	return 0, false
}

// firstItem returns the literal after the bracket at j when it opens a
// list joined with an empty delimiter (joinListAt).
func firstItem(d []byte, j int) (int, bool) {
	k := skipBlanks(d, j+1)
	return k, k < len(d) && isQuote(d[k]) && joinListAt(d, k)
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
	for _, c := range []byte(" +.\n\r\t/#|&~\"'`") {
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
	done, spanned := -1, -1
	for _, q := range starts {
		// A join list's first item reads its chain otherwise than the
		// literals around it (joinListAt): a chain read from before it
		// that held no split value does not stand for it.
		list := q < done && q >= spanned && joinListAt(d, q)
		for q >= done || list {
			list = false
			var end int
			parts, end = chainAt(d, q, parts[:0])
			if len(parts) >= 2 && splitValue(d, parts) {
				out = append(out, window{q, end})
				done, spanned = end, end
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
// their bodies and the end of the last. A literal that is the first item
// of a list joined with an empty delimiter (joinListAt) starts a chain
// whose literals are the list's items, one comma between two.
func chainAt(d []byte, q int, parts []piece) ([]piece, int) {
	end := q
	list := joinListAt(d, q)
	for len(parts) < maxChainParts {
		s, e, ok := literalAt(d, q)
		if !ok {
			break
		}
		parts, e = interpolated(d, s, e, parts)
		end = e + 1
		if list {
			q, ok = nextListItem(d, end)
		} else {
			q, ok = nextLiteral(d, end)
		}
		if !ok {
			break
		}
	}
	return parts, end
}

// interpolated appends the body data[s:e] of a literal to parts and
// returns where the literal closes. In HCL a literal inside an
// interpolation goes on with the one around it ("abc${"def"}ghi" is
// "abcdefghi": qa14 MEDIUM-10): a body that the scan for its closing quote
// ended at ${" is the literal's first piece, the inner literal the next,
// and the outer literal's rest after the } the one after.
func interpolated(d []byte, s, e int, parts []piece) ([]piece, int) {
	for len(parts) < maxChainParts-2 && d[e] == '"' {
		o := interpolationOpen(d, e, s)
		if o < 0 {
			break
		}
		is, ie, ok := literalAt(d, e)
		if !ok {
			break
		}
		c := ie + 1 // the interpolation's }, after blanks
		for c < len(d) && c-ie <= maxInterpolationBlanks && (d[c] == ' ' || d[c] == '\t') {
			c++
		}
		if c >= len(d) || d[c] != '}' {
			break
		}
		rs, re, ok := bodyAt(d, c+1, '"', c+1)
		if !ok {
			break
		}
		parts = append(parts, piece{s, o}, piece{is, ie})
		s, e = rs, re
	}
	return append(parts, piece{s, e}), e
}

// maxInterpolationBlanks bounds the blanks read between ${ and a literal
// inside it, and between the literal and its }.
const maxInterpolationBlanks = 16

// interpolationOpen returns where the ${ stands that the quote at q opens a
// literal inside ("abc${"…", or ${ "…" with blanks between, as HCL allows),
// at s or after; -1 when no ${ stands just before q.
func interpolationOpen(d []byte, q, s int) int {
	b := q
	for b > s && q-b < maxInterpolationBlanks && (d[b-1] == ' ' || d[b-1] == '\t') {
		b--
	}
	if b-s >= 2 && d[b-1] == '{' && d[b-2] == '$' {
		return b - 2
	}
	return -1
}

// literalAt reads the single-line string literal that opens at q.
func literalAt(d []byte, q int) (s, e int, ok bool) {
	if q >= len(d) || !isQuote(d[q]) {
		return 0, 0, false
	}
	quote := d[q]
	if q+2 < len(d) && d[q+1] == quote && d[q+2] == quote {
		return 0, 0, false // """: a Python block string
	}
	return bodyAt(d, q+1, quote, q)
}

// bodyAt reads the body of a single-line literal quoted by quote from
// data[s:] to its closing quote, within maxLiteralBytes of q.
func bodyAt(d []byte, s int, quote byte, q int) (int, int, bool) {
	for j := s; j < len(d) && j-q <= maxLiteralBytes; j++ {
		switch d[j] {
		case '\n':
			return 0, 0, false
		case '\\':
			j++
		case quote:
			return s, j, true
		}
	}
	return 0, 0, false
}

// joinListAt reports whether the literal that opens at q is the first item
// of a list that a join with an empty delimiter makes one string of
// (qa14 MEDIUM-10): Terraform's join("", ["…", "…"]), CloudFormation's
// !Join ["", [ … ]] in YAML and {"Fn::Join": ["", [ … ]]} in JSON,
// Python's "".join([…]), JavaScript's [ … ].join(""), Ruby's [ … ].join.
// A join with any other delimiter puts it between the items, so they are
// not read as one value.
func joinListAt(d []byte, q int) bool {
	if q+3 < len(d) && d[q+2] == d[q] {
		if j := skipBlanks(d, q+3); j < len(d) && d[j] == ',' {
			return false // 'A', 'K', …: a list of characters (charlist.go)
		}
	}
	if _, _, ok := joinBefore(d, q); ok {
		return true
	}
	j := backBlanks(d, q)
	return j > 0 && d[j-1] == '[' && listJoinedAfter(d, q) > 0
}

// joinBefore returns where a join written before its list opens, when
// the literal that opens at q is that list's first item, and the brackets
// that close the join after the list's last item, in order: join("", [
// ("])"), !Join ["", [ ("]]"), {"Fn::Join": ["", [ ("]]}"), "".join([
// ("])") or "".join(( ("))").
func joinBefore(d []byte, q int) (int, string, bool) {
	j := backBlanks(d, rawPrefix(d, q))
	if j == 0 {
		return 0, "", false
	}
	switch d[j-1] {
	case '{':
		return goJoinBefore(d, q, j-1)
	case ',':
		return goFormatBefore(d, q, j-1)
	case '(':
		if lo, closers, ok := goFormatBefore(d, q, j-1); ok {
			return lo, closers, true
		}
	case '[':
	default:
		return 0, "", false
	}
	open := j - 1
	// "".join([ … ]) and "".join(( … ))
	paren, closers := open, ")"
	if k := backBlanks(d, open); d[open] == '[' && k > 0 && d[k-1] == '(' {
		paren, closers = k-1, "])"
	}
	if k := paren; d[paren] == '(' && k >= 7 && string(d[k-5:k]) == ".join" && isQuote(d[k-6]) && d[k-7] == d[k-6] {
		return k - 7, closers, true
	}
	if lo, closers, ok := pasteBefore(d, q, open); ok {
		return lo, closers, true
	}
	if d[open] != '[' {
		return 0, "", false
	}
	// join("", [, !Join ["", [, "Fn::Join": ["", [
	k := backBlanks(d, open)
	if k == 0 || d[k-1] != ',' {
		return 0, "", false
	}
	k = backBlanks(d, k-1)
	if k < 2 || !isQuote(d[k-1]) || d[k-2] != d[k-1] {
		return 0, "", false
	}
	k = backBlanks(d, k-2)
	if k == 0 || d[k-1] != '(' && d[k-1] != '[' {
		return 0, "", false
	}
	outer := k - 1
	closers = "])"
	if d[outer] == '[' {
		closers = "]]"
	}
	for k = outer; k > 0 && outer-k < 64 && (d[k-1] == ' ' || d[k-1] == '\t' || d[k-1] == ':' || d[k-1] == '"' || d[k-1] == '\''); k-- {
	}
	if k < 4 || !equalFoldASCII(d[k-4:k], "join") {
		return 0, "", false
	}
	lo := k - 4
	for lo > 0 && outer-lo < 64 && (isWord(d[lo-1]) || d[lo-1] == ':' || d[lo-1] == '!' || d[lo-1] == '.') {
		lo--
	}
	if lo > 1 && isQuote(d[lo-1]) {
		// {"Fn::Join": …}: the object that holds the join is its value
		if b := backBlanks(d, lo-1); b > 0 && d[b-1] == '{' {
			return b - 1, closers + "}", true
		}
	}
	return lo, closers, true
}

// pasteBefore reports R's joins of its arguments with nothing between
// them (qa16 HIGH-18): paste0("…", "…"), stringr's str_c("…", "…"),
// glue's glue("…", "…") and paste("…", "…", sep = ""), and of a vector's
// items (collapseBefore),
// when the literal that opens at q is the first argument of the call
// whose bracket is at open; it returns where the call starts and what
// closes it after the last literal (sepEmpty, then the bracket). A paste
// with its default separator (a blank) or any other is not one value.
func pasteBefore(d []byte, q, open int) (int, string, bool) {
	if d[open] != '(' {
		return 0, "", false
	}
	if open >= 1 && d[open-1] == 'c' && (open == 1 || !isWord(d[open-2]) && d[open-2] != '.') {
		return collapseBefore(d, q, open-1)
	}
	var lo int
	closers, check := ")", false
	switch {
	case open >= 6 && string(d[open-6:open]) == "paste0":
		lo = open - 6
	case open >= 5 && string(d[open-5:open]) == "str_c": // stringr's, whose default is no separator
		lo = open - 5
	case open >= 4 && string(d[open-4:open]) == "glue": // glue's .sep is empty unless given
		lo, check = open-4, true
	case open >= 5 && string(d[open-5:open]) == "paste":
		lo, closers, check = open-5, sepEmpty+")", true
	case open >= 7 && string(d[open-7:open]) == "concat!": // Rust's macro, which joins its literals
		lo = open - 7
	default:
		return 0, "", false
	}
	if !rCallName(d, lo) {
		return 0, "", false
	}
	if check {
		end := listItemsEnd(d, q)
		if end < 0 || closeList(d, end, closers) < 0 {
			return 0, "", false
		}
	}
	return lo, closers, true
}

// rCallName reports whether an R function's name starts at lo: no other
// function whose name ends so (my_paste0, x.paste0).
func rCallName(d []byte, lo int) bool {
	return lo == 0 || !isWord(d[lo-1]) && d[lo-1] != '.'
}

// collapseBefore reports R's joins of a vector's items with nothing
// between them: paste(c("…", "…"), collapse = ""), paste0's and str_c's
// the same, and stringr's str_flatten(c("…", "…")) (whose collapse is
// empty unless given), when the literal at q is the first item of the
// c( at c; it returns where the call starts and what closes it.
func collapseBefore(d []byte, q, c int) (int, string, bool) {
	k := backBlanks(d, c)
	if k == 0 || d[k-1] != '(' {
		return 0, "", false
	}
	open := k - 1
	var lo int
	variants := []string{")" + collapseEmpty + ")"}
	switch {
	case open >= 6 && string(d[open-6:open]) == "paste0":
		lo = open - 6
	case open >= 5 && (string(d[open-5:open]) == "paste" || string(d[open-5:open]) == "str_c"):
		lo = open - 5
	case open >= 11 && string(d[open-11:open]) == "str_flatten":
		lo, variants = open-11, append(variants, "))", `),"")`)
	default:
		return 0, "", false
	}
	if !rCallName(d, lo) {
		return 0, "", false
	}
	end := listItemsEnd(d, q)
	if end < 0 {
		return 0, "", false
	}
	for _, closers := range variants {
		if closeList(d, end, closers) >= 0 {
			return lo, closers, true
		}
	}
	return 0, "", false
}

// sepEmpty and collapseEmpty are R's empty separator arguments as
// closeList matches them: blanks may stand between their bytes, and their
// quotes are either kind.
const (
	sepEmpty      = `sep=""`
	collapseEmpty = `,collapse=""`
)

// listItemsEnd returns where the last of the literals that a list holds
// ends (after its quote), the first opening at q, or -1 if one does not
// close.
func listItemsEnd(d []byte, q int) int {
	end := q
	for n := 0; n < maxChainParts; n++ {
		_, e, ok := literalAt(d, q)
		if !ok {
			return -1
		}
		end = e + 1
		if q, ok = nextListItem(d, end); !ok {
			break
		}
	}
	return end
}

// listJoinedAfter returns where the join ends after the list of literals
// whose first opens at q (after its [), when it is closed and then joined
// with nothing between the items: .join("") or .join(”) (JavaScript,
// Python), .join with no argument (Ruby, whose default delimiter is
// empty); else 0.
func listJoinedAfter(d []byte, q int) int {
	end := listItemsEnd(d, q)
	if end < 0 {
		return 0
	}
	j := closeList(d, end, "]")
	if j < 0 || j+5 > len(d) || string(d[j:j+5]) != ".join" {
		return 0
	}
	j += 5
	if j == len(d) || d[j] != '(' && !isWord(d[j]) {
		return j // Ruby's .join
	}
	if j+3 < len(d) && d[j] == '(' && isQuote(d[j+1]) && d[j+2] == d[j+1] && d[j+3] == ')' {
		return j + 4
	}
	return 0
}

// closeList returns where the brackets closers end after the last item
// of a list, which ends at i (blanks, line breaks and a trailing comma
// between), or -1 where another byte stands.
func closeList(d []byte, i int, closers string) int {
	j := skipBlanks(d, i)
	if j < len(d) && d[j] == ',' {
		j = skipBlanks(d, j+1) // a trailing comma
	}
	for k := 0; k < len(closers); k++ {
		if k > 0 {
			j = skipBlanks(d, j)
		}
		if j >= len(d) || d[j] != closers[k] && (closers[k] != '"' || !isQuote(d[j])) {
			return -1
		}
		j++
	}
	return j
}

// joinSpan returns the whole join around the chain of a join list that
// opens at q and ends at end (its last item's closing quote and one), so
// that the chain's one literal is read in its place as a value the name
// before the join assigns ("AWS_SECRET_ACCESS_KEY": "…"), however the
// join is laid out (json.dumps writes it over seven lines).
func joinSpan(d []byte, q, end int) (window, bool) {
	if lo, closers, ok := joinBefore(d, q); ok {
		if hi := closeList(d, end, closers); hi > 0 {
			return window{lo, hi}, true
		}
		return window{}, false
	}
	j := backBlanks(d, q)
	if j == 0 || d[j-1] != '[' {
		return window{}, false
	}
	if hi := listJoinedAfter(d, q); hi > 0 {
		return window{j - 1, hi}, true
	}
	return window{}, false
}

// nextListItem returns where the next item of a list opens after the
// literal item that ends before i: a comma, then a literal, blanks and
// line breaks around both.
func nextListItem(d []byte, i int) (int, bool) {
	j := skipBlanks(d, i)
	if j >= len(d) || d[j] != ',' {
		return 0, false
	}
	k := skipBlanks(d, j+1)
	if k+1 < len(d) && d[k] == 'r' && d[k+1] == '"' {
		k++ // Rust's and Python's raw literal r"…"
	}
	return k, k < len(d) && isQuote(d[k])
}

// rawPrefix returns where the literal whose quote is at q starts: before
// the r of a raw literal (r"…": Rust, Python), else at q.
func rawPrefix(d []byte, q int) int {
	if q > 0 && d[q-1] == 'r' && d[q] == '"' && (q == 1 || !isWord(d[q-2])) {
		return q - 1
	}
	return q
}

// backBlanks returns where the blanks and line breaks that end data[:i]
// start, looking back at most 256 bytes.
func backBlanks(d []byte, i int) int {
	j := i
	for j > 0 && i-j < 256 && (d[j-1] == ' ' || d[j-1] == '\t' || d[j-1] == '\r' || d[j-1] == '\n') {
		j--
	}
	return j
}

// nextLiteral returns where the next literal of a chain opens after a
// literal that ends before i: after a +, or directly (adjacent literals),
// across blanks and line breaks (a backslash before one, too).
func nextLiteral(d []byte, i int) (int, bool) {
	j := skipBlanks(d, i)
	if j >= len(d) {
		return 0, false
	}
	if c := d[j]; c == '.' || c == '|' || c == '&' || c == '~' || c == '<' || c == '*' || c == '^' || c == '+' && j+1 < len(d) && d[j+1] == '+' {
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
// joins two literals: PHP's and Perl's ., Lua's .., SQL's ||, VB's &,
// Jinja's ~ (Ansible's "{{ 'a' ~ 'b' }}"), Elixir's <> (ExAws's config),
// Haskell's ++, Julia's *, OCaml's ^ (qa16 HIGH-18); each before a blank
// or a quote; 0 when there is none.
func joinOperator(d []byte, j int) int {
	if j+1 >= len(d) {
		return 0
	}
	n := 0
	switch {
	case d[j] == '.' && d[j+1] == '.', d[j] == '|' && d[j+1] == '|', d[j] == '<' && d[j+1] == '>', d[j] == '+' && d[j+1] == '+':
		n = 2
	case d[j] == '.', d[j] == '&', d[j] == '~', d[j] == '*', d[j] == '^':
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
// continues a line, or PowerShell's backtick after a blank) and comments (// and # to the end of the line, /* */),
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
		case '`':
			// PowerShell's line continuation, after a blank ("…" + `)
			if j > i && (d[j-1] == ' ' || d[j-1] == '\t') && j+1 < len(d) && (d[j+1] == '\n' || d[j+1] == '\r') {
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
