package scanner

import (
	"bytes"
	"slices"
)

// Keys written one escape per character, in the notations real code and
// test suites use: \u0041 (JSON, JavaScript, Java, Python), \\u0041 (the
// same escaped twice), %u0041, \u{41} (JavaScript, Rust, Swift),
// \U00000041 (Python, C), \x41 and \x{41} (C, Python, Perl), U+0041 (the
// Unicode notation, spaced or comma-separated), CSS \41 (one to six hex
// digits and an optional blank), HTML &#65; and &#x41;, and C octal \101,
// mixed freely. A run of them is decoded and scanned in the lines around it
// (scanRewritten), so a secret still needs its AWS context as plain text
// does.
//
// Quoted-printable text (e-mail, MHTML: a credentials file pasted into a
// message) writes the = of every assignment as =3D and breaks lines longer
// than 76 characters with a soft break, an = at the end of a line; neither
// is written inside a key, whose characters QP leaves alone. Both are
// escapes here: =3D reads as '=', and a soft break between value
// characters reads as nothing, so a key cut by one is read whole.
//
// A backslash at the end of a line continues a .properties value, a shell
// string, a C or Python string: between value characters it is an escape
// that reads as nothing too, like a soft break (continuation).
//
// Runs are found from two kinds of place: the escaped 'A' that starts every
// key ID (a prefilter anchor in each notation), and the windows where the
// plain scan looked for secrets (after a keyword, around a key ID), since a
// secret need not hold an 'A'. Random hex dumps, CSS and HTML pages mostly
// hold escapes that are not text, or too few in a row: a run counts from
// four escapes and twenty characters.

// escMode says how a backslash followed by digits reads. CSS (\41 : one to
// six hex digits) and C octal (\101: one to three digits) cannot both hold: \41 is
// 'A' in CSS and '!' in octal. A run is read both ways and the reading that
// makes the longer text wins.
type escMode uint8

const (
	escLettered escMode = iota // only the notations with a letter or sign: \u \U \x %u &# U+
	escOctal
	escCSS
)

const (
	minRunEscapes = 4
	minRunChars   = 20
	// maxFewEscapesChars: a run of one to three escapes counts when it is
	// about a value long (a key ID or secret with a character or three
	// escaped, "\u0041KIA…", "cvQ&#103;…", and the name or quotes its
	// run takes in): one escape in a longer stretch of text is no key.
	maxFewEscapesChars = 64
	// maxRunBytes ends a run this far from its start; the next one goes on
	// where it ends, and both are rewritten in the same text (scanRewritten),
	// so a long escaped document reads as one. A run is decoded only when
	// the piece of data around it is scanned: memory stays bounded however
	// long the escaped stretch of a file is.
	maxRunBytes = 4 << 10
)

// escRun is a run of escaped text: escapes and the plain characters of a
// value between them.
type escRun struct {
	start, end     int
	escapes, chars int
	mode           escMode
}

// decodeEscapes finds the runs of escaped text and scans them in context.
func (m *match) decodeEscapes() {
	runs := m.escapeRunsFound()
	spans := make([]window, len(runs))
	for i, r := range runs {
		spans[i] = window{r.start, r.end}
	}
	d := m.data
	m.scanRewritten(spans, func(i int) rewrite { return decodeRun(d, runs[i]) })
}

// escapeRunsFound returns the runs of escaped text to decode: those in the
// windows of the escape anchors and marks (the seeds), and every run in
// the lines around a seed.
func (m *match) escapeRunsFound() []escRun {
	d := m.data
	slices.SortFunc(m.esc, func(a, b window) int { return a.lo - b.lo })
	// Windows that touch are merged as they are made: dense anchors (a
	// file of \x41) make a few long windows, not one per anchor.
	var ws []window
	from := 0 // the windows merged with: those of the same kind
	add := func(w window) {
		if n := len(ws); n > from && ws[n-1].lo <= w.lo && w.lo <= ws[n-1].hi {
			ws[n-1].hi = max(ws[n-1].hi, w.hi)
			return
		}
		ws = append(ws, w)
	}
	last := 0
	for _, a := range m.esc { // a run starts on the anchor's line, not far before it
		lo := min(a.lo, max(last, a.lo-512))
		lo += bytes.LastIndexByte(d[lo:a.lo], '\n') + 1
		add(window{lo, a.hi})
		last = a.hi - 1
	}
	n := len(ws)
	from = n
	for _, at := range m.escMarks { // plain value characters may lead a run
		add(window{max(0, at-64), at + 1})
	}
	if len(ws) == 0 {
		return nil
	}
	if n < len(ws) {
		slices.SortFunc(ws, func(a, b window) int { return a.lo - b.lo })
	}
	ws = m.afford(ws, escapeEscapeCost)
	memo := runMemo{off: m.runMemoOff}
	seeds := runsInWindows(d, ws, nil, &memo)
	if len(seeds) == 0 {
		return nil
	}
	// Every run around a seed is decoded with it: an escaped secret holds
	// no 'A' and may stand next to an escaped key ID.
	spans := make([]window, len(seeds))
	for i, r := range seeds {
		spans[i] = window{r.start, r.end}
	}
	memo.answer = true // the second pass reads again what the first read
	return runsInWindows(d, m.afford(m.around(spans), escapeEscapeCost), seeds[:0], &memo)
}

// runsInWindows returns the runs that start in the windows (sorted by lo).
func runsInWindows(d []byte, ws []window, out []escRun, memo *runMemo) []escRun {
	done := 0
	for _, w := range ws {
		if lo := max(w.lo, done); lo < w.hi {
			out = escapeRuns(d, lo, w.hi, out, memo)
			done = w.hi
			if n := len(out); n > 0 {
				done = max(done, out[n-1].end)
			}
		}
	}
	return out
}

// escapeStart marks the bytes an escape can start with ('+' for the U of
// U+0041), and the first bytes of invisible separators (invisible.go).
var escapeStart = func() (t [256]bool) {
	for _, c := range []byte("\\%&+=<{\x1b") {
		t[c] = true
	}
	for c, lead := range invisibleLead {
		t[c] = t[c] || lead
	}
	return t
}()

// escapeRuns appends the runs of escaped text that start in [lo,hi) (and
// may end past hi) and are long enough to hold a key.
func escapeRuns(d []byte, lo, hi int, out []escRun, memo *runMemo) []escRun {
	prev := lo // plain characters before a run's first escape belong to it, back to here
	for i := lo; i < hi; i++ {
		if !escapeStart[d[i]] {
			continue
		}
		at := i
		if d[i] == '+' {
			if i == 0 || d[i-1] != 'U' && d[i-1] != 'u' {
				continue
			}
			at = i - 1
		}
		if !mayEscape(d, at) {
			continue
		}
		s := at
		for s > prev && at-s < 64 && (isSecretChar(d[s-1]) || d[s-1] == '=') {
			s--
		}
		r := memo.bestRun(d, s)
		if r.chars >= minRunChars && (r.escapes >= minRunEscapes || r.chars <= maxFewEscapesChars) || joinedFragment(d, r) {
			out = append(out, r)
		}
		if r.end > i {
			i = r.end - 1
		}
		prev = max(prev, r.end)
	}
	return out
}

// runMemo keeps the runs the first pass of decodeEscapes read (the windows
// of anchors and marks), for its second pass (the lines around the runs
// found), which asks for them again: in escape-dense text the two passes
// cover the same bytes, and each byte of a run was decoded twice. Both
// passes ask bestRun at starts that never decrease (escapeRuns goes
// forward, and runsInWindows takes sorted windows and never goes back
// before where it has read), so the second pass reads the first's answers
// with a cursor. bestRun answers from the bytes alone, so a kept answer is
// the answer (TestRunMemoAnswersAsRead). Empty runs (an escape that does
// not decode, read in a few bytes) are not kept, and at most
// maxMemoRuns runs are: past that, the second pass reads as before, and
// memory stays bounded however long the escaped text.
type runMemo struct {
	runs   []memoRun
	k      int  // the second pass's cursor in runs
	answer bool // false while the first pass fills runs
	off    bool // tests only: every run is read
}

// memoRun is a kept escRun, in 16 bytes: a run is at most maxRunBytes and
// an escape long.
type memoRun struct {
	start             int
	n, escapes, chars uint16
	mode              escMode
}

const maxMemoRuns = 1 << 17

func (mm *runMemo) bestRun(d []byte, s int) escRun {
	if mm == nil || mm.off {
		return bestRun(d, s)
	}
	if !mm.answer {
		r := bestRun(d, s)
		if r.end > s && len(mm.runs) < maxMemoRuns {
			mm.runs = append(mm.runs, memoRun{s, uint16(r.end - s), uint16(r.escapes), uint16(r.chars), r.mode})
		}
		return r
	}
	for mm.k < len(mm.runs) && mm.runs[mm.k].start < s {
		mm.k++
	}
	if mm.k < len(mm.runs) && mm.runs[mm.k].start == s {
		k := mm.runs[mm.k]
		return escRun{start: s, end: s + int(k.n), escapes: int(k.escapes), chars: int(k.chars), mode: k.mode}
	}
	return bestRun(d, s)
}

// mayEscape is the cheap test for an escape at i in any mode, or for
// invisible separators that cut a value (invisible.go).
func mayEscape(d []byte, i int) bool {
	if i+2 >= len(d) {
		return false
	}
	switch d[i] {
	case '\\':
		c := d[i+1]
		if c == '\\' {
			c = d[i+2]
		}
		return c == 'u' || c == 'U' || c == 'x' || isHex(c) || (c == '\n' || c == '\r') && continuation(d, i) > 0 ||
			texFirst[c] && texLead(d, i+1) && (invisibleAt(d, i) > 0 || i > 0 && d[i-1] == '{' && invisibleAt(d, i-1) > 0)
	case '%':
		c := d[i+1]
		return c == 'u' || isHex(c) && isHex(d[i+2]) || (c == ' ' || c == '\t' || c == '\n' || c == '\r') && invisibleAt(d, i) > 0
	case '{':
		return (d[i+1] == '\\' || d[i+1] == '}') && invisibleAt(d, i) > 0
	case '&':
		c := d[i+1]
		return c == '#' || (c == 's' || c == 'z' || c == 'Z' || c == 'N') && invisibleAt(d, i) > 0
	case 'U', 'u':
		return d[i+1] == '+'
	case '=':
		return d[i+1] == '3' && d[i+2] == 'D' || softBreak(d, i) > 0
	case '<', 0x1b:
		return invisibleAt(d, i) > 0
	}
	return invisibleLead[d[i]] && invisibleAt(d, i) > 0
}

// softBreak returns the length of a quoted-printable soft line break at i
// (=, then LF or CRLF) between two value characters, or 0. Only between
// value characters: a line that ends in = before a blank or a quote is an
// assignment whose value is on the next line, not a cut value.
func softBreak(d []byte, i int) int {
	if i == 0 || i+2 >= len(d) || d[i] != '=' || !isSecretChar(d[i-1]) {
		return 0
	}
	n := 0
	switch {
	case d[i+1] == '\n':
		n = 2
	case d[i+1] == '\r' && d[i+2] == '\n':
		n = 3
	default:
		return 0
	}
	if j := i + n; j >= len(d) || !isSecretChar(d[j]) && !(j+2 < len(d) && d[j] == '=' && d[j+1] == '3' && d[j+2] == 'D') {
		return 0
	}
	return n
}

// breakAt returns the length of a break that cuts a value at i and reads
// as nothing: a quoted-printable soft break, a line continuation or
// invisible separators (invisible.go).
func breakAt(d []byte, i int) int {
	switch d[i] {
	case '=':
		return softBreak(d, i)
	case '\\':
		if n := continuation(d, i); n > 0 {
			return n
		}
	}
	return invisibleAt(d, i)
}

// breakFirst marks the bytes a break starts with (breakAt).
var breakFirst = func() (t [256]bool) {
	for _, c := range []byte("=\\<&%{\x1b") {
		t[c] = true
	}
	for c, lead := range invisibleLead {
		t[c] = t[c] || lead
	}
	return t
}()

// continuation returns the length of a backslash line continuation at i
// (\, then LF or CRLF, then the blanks that indent the next line) between
// two value characters, or 0. A .properties value, a shell word or
// double-quoted string and a C, Python or JavaScript string go on past
// one, and a secret cut by one is read whole. Only between value
// characters: a \ after a blank ends a command line, not a value.
func continuation(d []byte, i int) int {
	if i == 0 || i+2 >= len(d) || d[i] != '\\' || !isSecretChar(d[i-1]) {
		return 0
	}
	n := 1
	if d[i+n] == '\r' {
		n++
	}
	if d[i+n] != '\n' {
		return 0
	}
	n++
	for i+n < len(d) && n < 64 && (d[i+n] == ' ' || d[i+n] == '\t') {
		n++
	}
	if i+n >= len(d) || !isSecretChar(d[i+n]) {
		return 0
	}
	return n
}

// bestRun reads the run starting at s in the mode that makes it longest.
//
// The octal and CSS readings go on from where the lettered one stopped, at
// a backslash, instead of reading the run again from s: up to there the
// three take the same steps. The modes differ only at a backslash before a
// digit or a hex letter, where the lettered reading stops, and at a blank
// after a backslash escape (CSS's separator), where the lettered reading
// stops too, at the blank and not at a backslash. So a run of escapes is
// read about once, not three times, when it ends at a backslash
// (TestBestRunAnswersAsFresh).
func bestRun(d []byte, s int) escRun {
	r := walkRun(d, s, escLettered, nil)
	if r.end < len(d) && d[r.end] == '\\' { // stopped at a backslash and digits
		at := r
		for _, mode := range []escMode{escOctal, escCSS} {
			q := at
			q.mode = mode
			if q = walkOn(d, q, nil); q.chars > r.chars {
				r = q
			}
		}
	}
	return r
}

// walkRun reads the run of escapes and plain value characters starting at
// s, calling fn (when not nil) with each character, where it is written,
// and the notation of its escape ("" for a plain one).
func walkRun(d []byte, s int, mode escMode, fn func(c byte, from, to int, enc string)) escRun {
	return walkOn(d, escRun{start: s, end: s, mode: mode}, fn)
}

// walkOn goes on reading the run r from r.end, in r.mode; r holds what was
// read of it before.
func walkOn(d []byte, r escRun, fn func(c byte, from, to int, enc string)) escRun {
	s, mode := r.start, r.mode
	for i := r.end; i < len(d) && i-s < maxRunBytes; {
		b := d[i]
		if breakFirst[b] && i > s {
			if n := breakAt(d, i); n > 0 {
				r.escapes++
				i += n
				r.end = i
				continue
			}
		}
		if !escapeFirst[b] { // a plain character, or the end of the run
			if isSecretChar(b) || b == '=' {
				if fn != nil {
					fn(b, i, i+1, "")
				}
				r.chars++
				i++
				r.end = i
				continue
			}
			break
		}
		if c, n, enc := escapeByte(d, i, mode); n > 0 {
			if fn != nil {
				fn(c, i, i+n, enc)
			}
			r.escapes++
			r.chars++
			i += n
			r.end = i
			i += separator(d, i-n, i, mode)
			continue
		}
		if isSecretChar(d[i]) || d[i] == '=' {
			if fn != nil {
				fn(d[i], i, i+1, "")
			}
			r.chars++
			i++
			r.end = i
			continue
		}
		break
	}
	return r
}

// separator returns the length of a separator after the escape data[at:i]
// that the run goes on past: the blank that ends a CSS escape, or the blank
// or comma between U+ code points. It counts only when the run goes on
// after it.
func separator(d []byte, at, i int, mode escMode) int {
	if i >= len(d) {
		return 0
	}
	switch {
	case d[at] == 'U' || d[at] == 'u': // U+0041 U+004B, U+0041,U+004B, U+0041, U+004B
		n := 0
		if d[i] == ',' || d[i] == ';' {
			n++
		}
		if i+n < len(d) && d[i+n] == ' ' {
			n++
		}
		if n > 0 && i+n < len(d) && mayEscape(d, i+n) {
			return n
		}
	case mode == escCSS && d[at] == '\\' && (d[i] == ' ' || d[i] == '\t'):
		if i+1 < len(d) && (mayEscape(d, i+1) || isSecretChar(d[i+1])) {
			return 1
		}
	}
	return 0
}

// decodeRun returns the text a run stands for, and where each character
// is written.
func decodeRun(d []byte, r escRun) rewrite {
	sg := rewrite{start: r.start, end: r.end,
		text: make([]byte, 0, r.chars), from: make([]int, 0, r.chars), to: make([]int, 0, r.chars)}
	walkRun(d, r.start, r.mode, func(c byte, from, to int, enc string) {
		sg.text, sg.from, sg.to = append(sg.text, c), append(sg.from, from), append(sg.to, to)
		if sg.encoding == "" {
			sg.encoding = enc
		}
	})
	if sg.encoding == "" && r.escapes > 0 { // breaks alone, which write no character
		sg.encoding = breakEncoding(d, r)
	}
	return sg
}

// escapeByte decodes the escape at i when it stands for a character of
// text (printable ASCII, tab or line break), and returns the character, the
// escape's length (0: none) and the name of its notation.
func escapeByte(d []byte, i int, mode escMode) (byte, int, string) {
	v, end, enc := 0, 0, "unicode-escape"
	switch d[i] {
	case '\\':
		j := i + 1
		if j < len(d) && d[j] == '\\' {
			j++ // escaped twice: JSON holding JSON, a string holding code
		}
		if j+1 >= len(d) {
			return 0, 0, ""
		}
		switch c := d[j]; {
		case (c == 'u' || c == 'x') && d[j+1] == '{': // \u{41}, \x{41}
			h, n := hexRun(d, j+2, 6)
			if n == 0 || j+2+n >= len(d) || d[j+2+n] != '}' {
				return 0, 0, ""
			}
			v, end = h, j+3+n
		case c == 'u' || c == 'x' || c == 'U': // \u0041, \x41, \U00000041, Java's \uu0041
			for c == 'u' && j+2 < len(d) && d[j+1] == 'u' {
				j++
			}
			want := 4
			switch c {
			case 'x':
				want = 2
			case 'U':
				want = 8
			}
			h, n := hexRun(d, j+1, want)
			if n < want {
				return 0, 0, ""
			}
			v, end = h, j+1+n
		case mode == escOctal && '0' <= c && c <= '7': // \101, \65: one to three digits
			n := 0
			for n < 3 && j+n < len(d) && '0' <= d[j+n] && d[j+n] <= '7' && v<<3|int(d[j+n]-'0') <= 0xff {
				v = v<<3 | int(d[j+n]-'0')
				n++
			}
			end, enc = j+n, "octal-escape"
		case mode == escCSS && isHex(c): // \41 (the blank after it is a separator)
			h, n := hexRun(d, j, 6)
			v, end, enc = h, j+n, "css-escape"
		}
	case '%': // %u0041, and URL-encoding %41
		if i+1 < len(d) && d[i+1] == 'u' {
			if h, n := hexRun(d, i+2, 4); n == 4 {
				v, end = h, i+6
			}
		} else if h, n := hexRun(d, i+1, 2); n == 2 {
			v, end, enc = h, i+3, "url"
		}
	case '&': // &#65; &#x41;
		if i+3 < len(d) && d[i+1] == '#' {
			j, h, n := i+2, 0, 0
			if d[j] == 'x' || d[j] == 'X' {
				j++
				h, n = hexRun(d, j, 6)
			} else {
				for n < 7 && j+n < len(d) && isDigit(d[j+n]) {
					h = h*10 + int(d[j+n]-'0')
					n++
				}
			}
			if n > 0 && j+n < len(d) && d[j+n] == ';' {
				v, end, enc = h, j+n+1, "html-escape"
			} else if n > 0 && j+n < len(d) && (d[j+n] == '&' || d[j-1] == '#') {
				v, end, enc = h, j+n, "html-escape" // &#65&#75…: the ; may be left out
			}
		}
	case 'U', 'u': // U+0041
		if i+1 < len(d) && d[i+1] == '+' {
			if h, n := hexRun(d, i+2, 6); n >= 4 {
				v, end = h, i+2+n
			}
		}
	case '=': // quoted-printable's =3D, and =20 or =09 next to one (an encoder that quotes blanks: qa33 H7)
		switch {
		case i+2 < len(d) && d[i+1] == '3' && d[i+2] == 'D':
			v, end, enc = '=', i+3, "quoted-printable"
		case i+2 < len(d) && (d[i+1] == '2' && d[i+2] == '0' || d[i+1] == '0' && d[i+2] == '9') &&
			(bytes.HasPrefix(d[i+3:], []byte("=3D")) || i >= 3 && string(d[i-3:i]) == "=3D"):
			v, end, enc = ' ', i+3, "quoted-printable"
			if d[i+1] == '0' {
				v = '\t'
			}
		}
	}
	if end == 0 || !(v == '\t' || v == '\n' || v == '\r' || 0x20 <= v && v < 0x7f) {
		return 0, 0, ""
	}
	return byte(v), end - i, enc
}

// escapeFirst marks the bytes escapeByte decodes an escape from.
var escapeFirst = func() (t [256]bool) {
	for _, c := range []byte(`\%&Uu=`) {
		t[c] = true
	}
	return t
}()

// hexRun reads at most most hex digits at i.
func hexRun(d []byte, i, most int) (v, n int) {
	for n < most && i+n < len(d) {
		h := hexDigit[d[i+n]]
		if h < 0 {
			break
		}
		v = v<<4 | int(h)
		n++
	}
	return v, n
}

// hexDigit is the value of a hex digit, -1 for other bytes.
var hexDigit = func() (t [256]int8) {
	for c := range t {
		t[c] = -1
		if isHex(byte(c)) {
			t[c] = int8(hexVal(byte(c)))
		}
	}
	return t
}()

func hexVal(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c|0x20 && c|0x20 <= 'f':
		return c | 0x20 - 'a' + 10
	}
	return 0
}

// joinedFragment reports whether a run too short for a key ends a string
// literal that a concatenation goes on from ("\x41KIAH5" + "…"): decoded,
// its chain is joined and scanned as a split key (decodeConcat, in the
// rewritten text).
func joinedFragment(d []byte, r escRun) bool {
	if r.escapes == 0 || r.chars < 2 || r.end >= len(d) || !isQuote(d[r.end]) {
		return false
	}
	if _, ok := nextLiteral(d, r.end+1); ok {
		return true
	}
	// The last literal of a chain: a + or . and a closing quote before it.
	j := r.start - 1
	if j < 1 || !isQuote(d[j]) {
		return false
	}
	blank := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	k := j - 1
	for k > 0 && j-k < 64 && blank(d[k]) {
		k--
	}
	if d[k] != '+' && d[k] != '.' {
		return false
	}
	for k--; k > 0 && j-k < 128 && blank(d[k]); k-- {
	}
	return isQuote(d[k])
}

// breakEncoding names the notation of a run whose escapes are all breaks,
// after its first break.
func breakEncoding(d []byte, r escRun) string {
	for i := r.start + 1; i < r.end; i++ {
		if !breakFirst[d[i]] {
			continue
		}
		switch {
		case d[i] == '=' && softBreak(d, i) > 0:
			return "quoted-printable"
		case d[i] == '\\' && continuation(d, i) > 0:
			return "line-continuation"
		case invisibleAt(d, i) > 0:
			return "invisible-separator"
		}
	}
	return "quoted-printable"
}
