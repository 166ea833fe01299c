package scanner

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/keyscan/keyscan/rules"
)

// run is a maximal run of secret characters, with escapes decoded.
type run struct {
	start, end int // raw span
	n          int // decoded length
	value      string
	encoding   string
	plain      bool // a value without escapes, not copied yet: see text
}

// text returns the run's decoded value. A run without escapes is copied out
// of the data only when asked: most runs are turned down by their length or
// their letters before anyone needs the value.
func (r *run) text(d []byte) string {
	if r.plain {
		r.value, r.plain = string(d[r.start:r.end]), false
	}
	return r.value
}

// escapeAt decodes an escaped '/' or '+' at i (\/, \u002F, \u002B, %2F, %2B)
// and returns the byte and the escape's length, or 0.
func escapeAt(d []byte, i int) (byte, int) {
	switch d[i] {
	case '\\':
		// \/ and \u002F, or the same escaped twice (JSON inside JSON): \\\/, \\u002F
		j := i + 1
		if j+2 < len(d) && d[j] == '\\' && d[j+1] == '\\' && d[j+2] == '/' {
			return '/', 4
		}
		if j < len(d) && d[j] == '\\' {
			j++
		}
		if j < len(d) && d[j] == '/' && j == i+1 {
			return '/', 2
		}
		if j+4 < len(d) && d[j] == 'u' && d[j+1] == '0' && d[j+2] == '0' && d[j+3] == '2' {
			switch d[j+4] | 0x20 {
			case 'f':
				return '/', j + 5 - i
			case 'b':
				return '+', j + 5 - i
			}
		}
	case '%':
		if i+2 < len(d) && d[i+1] == '2' {
			switch d[i+2] | 0x20 {
			case 'f':
				return '/', 3
			case 'b':
				return '+', 3
			}
		}
	case '&':
		// HTML character references: &#43; &#47; &#x2B; &#x2F; (the x
		// and the hex letter in either case), read in place: a stretch of
		// &s is read at every byte of it.
		if i+5 > len(d) || d[i+1] != '#' {
			break
		}
		switch c := d[i+2]; {
		case c == '4' && d[i+4] == ';':
			switch d[i+3] {
			case '3':
				return '+', 5
			case '7':
				return '/', 5
			}
		case c|0x20 == 'x' && i+6 <= len(d) && d[i+3] == '2' && d[i+5] == ';':
			switch d[i+4] | 0x20 {
			case 'b':
				return '+', 6
			case 'f':
				return '/', 6
			}
		}
	}
	return 0, 0
}

// runAt reads the run of secret characters starting at i. The decoded value
// is built only for runs long enough to be a credential and no longer than
// maxValue decoded characters.
func runAt(d []byte, i, maxValue int) run {
	r := readRun(d, i, maxValue)
	r.text(d)
	return r
}

// readRun is runAt that leaves the value of a run without escapes in the
// data (see run.text), for runsIn, whose runs are mostly turned down.
func readRun(d []byte, i, maxValue int) run {
	r := run{start: i}
	n, escaped := 0, false
	for i < len(d) {
		// Eight secret characters at a time: a run is mostly those.
		for ; i+8 <= len(d); i, n = i+8, n+8 {
			b := d[i : i+8 : i+8]
			if notSecret[b[0]]|notSecret[b[1]]|notSecret[b[2]]|notSecret[b[3]]|
				notSecret[b[4]]|notSecret[b[5]]|notSecret[b[6]]|notSecret[b[7]] != 0 {
				break
			}
		}
		if i >= len(d) {
			break
		}
		c := d[i]
		if byteClass[c] == classSecret {
			n++
			i++
			continue
		}
		if byteClass[c] == classOther {
			break
		}
		if _, en := escapeAt(d, i); en > 0 {
			n++
			i += en
			escaped = true
			continue
		}
		break
	}
	r.end, r.n = i, n
	if n < 40 || n > maxValue {
		return r
	}
	if !escaped {
		r.plain = true
		return r
	}
	b := make([]byte, 0, n)
	for j := r.start; j < r.end; {
		if ec, en := escapeAt(d, j); en > 0 {
			b = append(b, ec)
			switch d[j] {
			case '%':
				r.encoding = "url"
			case '&':
				r.encoding = "html-escape"
			default:
				r.encoding = "json-escape"
			}
			j += en
			continue
		}
		b = append(b, d[j])
		j++
	}
	r.value = string(b)
	return r
}

// byteClass sorts bytes for runsIn: most bytes of a window are neither part
// of a run nor the start of an escape, and are passed over by one lookup.
var byteClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case isSecretChar(byte(c)):
			t[c] = classSecret
		case c == '\\' || c == '%' || c == '&':
			t[c] = classEscape
		}
	}
	return t
}()

// notSecret marks the bytes that are not secret characters (readRun).
var notSecret = func() (t [256]uint8) {
	for c := range 256 {
		if !isSecretChar(byte(c)) {
			t[c] = 1
		}
	}
	return t
}()

const (
	classOther  = iota // neither
	classSecret        // a character of a secret
	classEscape        // may start an escape
)

// inRun marks the bytes that may stand in the text of a run: secret
// characters and those of the escapes runAt decodes (\/, \u002F, %2F, &#47;).
var inRun = func() (t [256]bool) {
	for c := range 256 {
		t[c] = isSecretChar(byte(c)) || strings.IndexByte("\\%&#;", byte(c)) >= 0
	}
	return t
}()

// lastStop returns the last position k in [i, i+40) whose byte cannot stand
// in a run, or -1 when there is none or when a \u escape begun before k
// spans it (runsIn steps over \u and four bytes, whatever they are).
func lastStop(d []byte, i int) int {
	for k := i + 39; k >= i; k-- {
		if inRun[d[k]] {
			continue
		}
		for q := max(i, k-5); q < k; q++ {
			if d[q] == '\\' && d[q+1] == 'u' {
				return -1
			}
		}
		return k
	}
	return -1
}

// runsIn calls fn for every maximal run of 40 characters or more that starts
// in [lo,hi). Values are decoded for runs of at most maxValue characters;
// one without escapes is left in the data until run.text asks for it. x,
// the masks of d or nil, answers lastStop.
func runsIn(d []byte, x *byteMasks, lo, hi, maxValue int, fn func(run)) {
	// A run of 40 characters covers 40 bytes in a row that are no stop byte
	// (its escapes' bytes are none either), from its start on; one that
	// starts before lo (found by backing up) covers [lo-40, lo) too. So
	// with no such 40 bytes from a place in [lo-40, hi) the window holds no
	// run: most windows of keyword-dense text, told on the masks in a few
	// steps a word.
	if x != nil {
		a, b := max(0, lo-40), min(hi, len(d)-39)
		if a >= b {
			return
		}
		x.ensure(a, b+39)
		if !x.longIn(a, b) {
			return
		}
	}
	// Back up to the start of a run the window cuts.
	for lo > 0 && (isSecretChar(d[lo-1]) || d[lo-1] == '%' || d[lo-1] == '\\') && hi-lo < 4096 {
		lo--
	}
	// On the masks, the steps of lastStop below are taken many at a time
	// (leap, nextLong) except near a \u escape, where they are taken one by
	// one until past it (below slow). u remembers the \u escapes leap has
	// found, so each word of the masks is read for them about once.
	slow, end := lo, min(hi, len(d)-39)
	var u uCursor
	if x == nil {
		slow = hi
	} else if lo < end {
		x.ensure(lo, end+39)
	}
	for i := lo; i < hi; {
		if i+40 > len(d) {
			break // no run of 40 characters starts this close to the end
		}
		long := false
		if i >= slow {
			p, q := x.leap(d, i, end, &u)
			if q < 0 {
				if p >= end {
					break
				}
				i, long = p, true
			} else {
				slow = q + 1
			}
		}
		// A run of 40 characters is at least 40 bytes of run text: a byte
		// that cannot be part of one within the next 40 means no run long
		// enough starts before it. Look from the far end back, and go on
		// after the last such byte (unless an escape that spans it would make
		// the byte-wise walk below step over the byte after it).
		if !long {
			if k := x.lastStop(d, i); k >= 0 {
				i = k + 1
				continue
			}
		}
		c := d[i]
		if byteClass[c] == classOther {
			i++
			continue
		}
		if c == '\\' && i+1 < len(d) && strings.IndexByte("nrt\"'\\", d[i+1]) >= 0 {
			i += 2 // \n before a value is a separator, not the value's first letter
			continue
		}
		if c == '%' && i+2 < len(d) && isHex(d[i+1]) && isHex(d[i+2]) && !(d[i+1] == '2' && (d[i+2]|0x20 == 'f' || d[i+2]|0x20 == 'b')) {
			i += 3 // %3D, %22, %20...: a separator in a URL
			continue
		}
		if c == '\\' && i+3 < len(d) && d[i+1] == 'x' && isHex(d[i+2]) && isHex(d[i+3]) {
			i += 4 // \x22: a separator in a string
			continue
		}
		if c == '\\' && i+5 < len(d) && d[i+1] == 'u' {
			if _, en := escapeAt(d, i); en == 0 {
				i += 6 // \u0022 and kin: a separator in a JSON string
				continue
			}
		}
		_, en := escapeAt(d, i)
		if !isSecretChar(c) && en == 0 {
			i++
			continue
		}
		if i > 0 && (d[i-1] == '[' || 0x3a <= d[i-1] && d[i-1] <= 0x3f || d[i-1] == 0x9b) {
			if e := csiEnd(d, i); e > 0 {
				i = e // ESC[33m then a secret: 33m is no part of it (terminal.go)
				continue
			}
		}
		r := readRun(d, i, maxValue)
		if r.n >= 40 { // shorter runs are no credential of any kind
			fn(r)
		}
		if r.end == i {
			r.end++
		}
		i = r.end
	}
}

// window is a span to search for secret values.
type window struct{ lo, hi int }

func (m *match) findSecrets() {
	// Three lists of windows, each in order of position as the candidates
	// came (sorted only if they did not): around key IDs, after keywords,
	// before keywords. Merging them is what sorting them all would give, for
	// a fraction of the cost in keyword-dense text.
	// The lists are made for every keyword, the session-token ones too
	// (a tenth of them): counting the others cost a pass over them.
	n := len(m.keywords)
	if len(m.keyIDs)+len(m.generic) == 0 && !m.wholeValue && !slices.ContainsFunc(m.keywords, secretWord) {
		return
	}
	ws := reuse(m.scratch.ws, len(m.keyIDs)+n)
	for _, k := range m.keyIDs {
		ws = append(ws, window{m.linesBack(k.start, 6, 1200), m.linesForward(k.end, 6, 1200)})
	}
	ids := sortedWindows(ws)
	// Keywords in a row often stand on one line (two names in one
	// assignment, a name and its value): with no newline between two, the
	// second's lines are the first's, which are not asked again (see
	// sameLines), and a window that meets the one before it on its list is
	// joined to it as it is made, as the merging below would.
	d := m.data
	bws := reuse(m.scratch.before, n+len(m.generic))
	ps, pe := -1, 0   // the keyword before
	var fwd, back int // its answers
	for i := range m.keywords {
		kw := &m.keywords[i]
		if kw.token {
			continue
		}
		same := ps >= 0 && ps <= kw.start && pe <= kw.end && bytes.IndexByte(d[ps:kw.end], '\n') < 0
		// linesForward's answer stands when it was a line's end, not its limit.
		if same && fwd < min(len(d), pe+600) {
			m.looked += fwd - kw.end
		} else {
			fwd = m.linesForward(kw.end, 8, 600)
		}
		// linesBack's answer stands, but for its limit (sameLines).
		if same {
			back = max(back, kw.start-200)
			m.looked += kw.start - back
		} else {
			back = m.linesBack(kw.start, 1, 200)
		}
		ps, pe = kw.start, kw.end
		hi := fwd
		if indent, ok := opensBlock(d, kw); ok && kw.call == 0 {
			// a block the keyword opens may hold its value further
			// down than the window reads (nestedfar.go)
			hi = max(hi, m.nestedBlockEnd(min(len(d), nextNewline(d, kw.end)+1), indent))
		}
		if after := cellEndAfter(d, kw.end); after != 0 {
			hi = max(hi, m.headsColumn(i, after)) // its column's rows below
		}
		ws = addWindow(ws, len(ids), window{kw.end, hi})
		bw := window{back, kw.start}
		// nameAttribute's first test, here: most keywords are weak.
		if (kw.strong || kw.ifAWS) && !kw.other {
			if as, _ := nameAttribute(d, kw); as >= 0 {
				// the name of an SSM parameter's or a secret's block, whose
				// value may stand lines above it (attributeNamedAfter)
				bw.lo = min(bw.lo, m.linesBack(kw.start, 11, 600))
			}
		}
		bws = addWindow(bws, 0, bw)
	}
	after := sortedWindows(ws[len(ids):])
	for _, g := range m.generic { // values of KEY= lines (see genericRuns)
		bws = append(bws, window{g, g + 1})
	}
	if m.wholeValue { // a file named for the secret it holds (secretfile.go)
		bws = append(bws, window{0, len(d)})
	}
	m.followRefs()
	for _, r := range m.refs { // values a keyword's $NAME refers to (envref.go)
		bws = append(bws, window{r.value, r.value + 1})
	}
	before := sortedWindows(bws)
	merged := reuse(m.scratch.merged, len(ws)+len(bws))
	for len(ids)+len(after)+len(before) > 0 {
		// Take the window that starts first; join it to the last one when
		// they touch.
		next := &ids
		if len(after) > 0 && (len(*next) == 0 || after[0].lo < (*next)[0].lo) {
			next = &after
		}
		if len(before) > 0 && (len(*next) == 0 || before[0].lo < (*next)[0].lo) {
			next = &before
		}
		w := (*next)[0]
		*next = (*next)[1:]
		if last := len(merged) - 1; last >= 0 && w.lo <= merged[last].hi {
			merged[last].hi = max(merged[last].hi, w.hi)
		} else {
			merged = append(merged, w)
		}
	}
	// The windows are read by runsIn here and by the decoders after: each
	// byte of them is charged, and those the budget cannot afford are left.
	merged = m.affordLazy(merged, windowEscapeCost)
	m.windows = merged
	m.scratch.ws, m.scratch.before, m.scratch.merged = ws[:0], bws[:0], merged[:0]
	done := -1 // windows are sorted and disjoint; a run cut by two is seen once
	zl := len(m.b64)
	for _, w := range merged {
		runsIn(d, m.byteMasks(), w.lo, w.hi, 54, func(r run) {
			if r.start < done {
				return
			}
			done = r.end
			if r.n > 64 && zlibHead64(d, r.start) {
				m.b64 = append(m.b64, r.start) // decodeBase64 reads it
			}
			m.secretCandidate(r)
		})
	}
	if len(m.b64) > zl {
		slices.Sort(m.b64)
		m.b64 = slices.Compact(m.b64)
	}
}

// secretWord reports whether a keyword names a secret, not a session token.
func secretWord(kw keyword) bool { return !kw.token }

// reuse returns ws emptied when it holds n windows, else a list made for
// exactly n (append's growth would take a quarter more, on lists as long
// as the input has lines).
func reuse(ws []window, n int) []window {
	if cap(ws) >= n {
		return ws[:0]
	}
	return make([]window, 0, n)
}

// addWindow appends w to ws, or joins it to the last window of ws[from:]
// when it starts inside that window or at its end: a window so joined is
// the same union of windows, and merging finds the same spans.
func addWindow(ws []window, from int, w window) []window {
	if n := len(ws); n > from && ws[n-1].lo <= w.lo && w.lo <= ws[n-1].hi {
		ws[n-1].hi = max(ws[n-1].hi, w.hi)
		return ws
	}
	return append(ws, w)
}

// sortedWindows returns ws sorted by start; usually it already is.
func sortedWindows(ws []window) []window {
	byStart := func(a, b window) int { return a.lo - b.lo }
	if !slices.IsSortedFunc(ws, byStart) {
		slices.SortFunc(ws, byStart)
	}
	return ws
}

// secretCandidate decides whether a run is a secret access key.
func (m *match) secretCandidate(r run) {
	if m.spent() {
		return // the check budget is spent: counted, not even its value tested
	}
	d := m.data
	if r.plain {
		// The tests below that need no copy of the value, first.
		switch raw := d[r.start:r.end]; len(raw) {
		case 40:
			if !hasUpperAndLower(raw) {
				return
			}
			if _, no := m.turnedDown[string(raw)]; no {
				return // the value is raw's, and was turned down before
			}
		case 41, 54:
			if w := expansionWordStart(d, r.end); len(raw) == 41 && w == r.start+1 {
				r.start, r.n = w, 40 // ${NAME:+<secret>}
			}
		case 42:
			if slashyString(d, r.start, r.end) && groovyName(m.plainName()) {
				r.start, r.end, r.n = r.start+1, r.end-1, 40 // Groovy's /<secret>/ and $/<secret>/$
				break
			}
			fallthrough
		default:
			if w := expansionWordStart(d, r.end); len(raw) > 40 && w > r.start && r.end-w == 40 {
				r.start, r.n = w, 40 // ${NAME+<secret>}: the name is no part of it
				break
			}
			return
		}
	}
	if r.n > 54 && r.n <= 86 && !r.plain && r.value == "" {
		// Too long to be read as a value: a secret as hex (with a line
		// end, in xxd -p's lines), or base64 of a secret and a line end?
		if !m.hexSecret(r) && r.n <= 60 && r.end-r.start == r.n {
			m.paddedB64Secret(r)
		}
		return
	}
	value := r.text(d)
	if len(value) == 41 && value[0] == '+' && (r.start == 0 || d[r.start-1] == '\n') {
		r.start++ // "+<secret>" on an added line of a diff
		value = value[1:]
	}
	if len(value) != 40 {
		// A Kubernetes Secret's data: the secret base64-encoded (56 characters with "==").
		if len(value) == 54 && r.end+2 <= len(d) && d[r.end] == '=' && d[r.end+1] == '=' {
			dec, err := base64.StdEncoding.DecodeString(value + "==")
			if err != nil || len(dec) != 40 || !allSecretChars(dec) {
				return
			}
			r.end += 2
			value, r.encoding = string(dec), "base64"
		} else {
			return
		}
	} else if !m.secretBoundaries(r) {
		return
	}
	m.secretValue(r, value)
}

// paddedB64Secret takes a run of 55 to 60 secret characters, with the
// padding after it, as the base64 of a secret with what echo and editors
// put around it (echoed): decoded and trimmed of that, 40 secret
// characters are a value as the 54 characters and "==" of the bare
// secret's base64 are (qa18 H5).
func (m *match) paddedB64Secret(r run) {
	d := m.data
	end := r.end
	for end < len(d) && end-r.end < 2 && d[end] == '=' {
		end++
	}
	if (end-r.start)%4 != 0 {
		return
	}
	var buf [45]byte
	n, err := base64.StdEncoding.Decode(buf[:], d[r.start:end])
	if err != nil {
		return
	}
	dec := echoed(buf[:n])
	if len(dec) != 40 || !allSecretChars(dec) {
		return
	}
	r.end, r.encoding = end, "base64"
	m.secretValue(r, string(dec))
}

// echoed returns the secret inside what echo and editors put around it:
// a line end (echo "$S" | base64, a file that ends its line, kubectl
// create secret --from-file: "S\n", "S\r\n"), blanks, or the quotes of
// a value copied with them ("\"S\"\n").
func echoed(dec []byte) []byte {
	dec = bytes.TrimRight(dec, " \t\r\n")
	dec = bytes.TrimLeft(dec, " \t")
	if len(dec) == 42 && (dec[0] == '"' || dec[0] == '\'') && dec[41] == dec[0] {
		dec = dec[1:41]
	}
	return dec
}

// hexSecret takes a run of 80 hex digits as the hex of a secret
// (aws_secret_access_key_hex = …, bytes.fromhex("…")): decoded, it needs
// the context any secret needs. Its hex holds none of the anchors, which a
// key ID's and a credentials file's do (decodeHex). A run of 82 to 86
// digits, or a shorter one that fills its line and whose next, last line
// ends them (hexLines: xxd -p writes 60 a line, xxd -p -c 32 64), is the
// hex of a secret with what echo puts around it (echo "$S" | xxd -p:
// "…0a"; echoed), as base64's is (paddedB64Secret). It reports whether
// the run was read so.
func (m *match) hexSecret(r run) bool {
	d := m.data
	if r.n%2 != 0 || hexRunEnd(d, r.start) < r.end {
		return false
	}
	segs, e := []seg{{0, r.start}}, r.end
	if r.n < 80 {
		segs, e = hexLines(d, r.start, false, m.scratch.segs[:0])
		m.scratch.segs = segs
	}
	n := segs[len(segs)-1].char + e - segs[len(segs)-1].raw
	if n < 80 || n > 86 || n%2 != 0 || len(segs) > 2 {
		return false
	}
	var buf [43]byte
	if !hexDecodeLines(d, segs, e, 0, buf[:n/2]) {
		return false
	}
	dec := buf[:n/2]
	if n > 80 {
		dec = echoed(dec)
	}
	r.end = e
	if len(dec) != 40 || !allSecretChars(dec) || !hasUpperAndLower(dec) || !m.secretBoundaries(r) {
		return false
	}
	r.encoding = "hex"
	m.secretValue(r, string(dec))
	return true
}

// secretValue tests a value read from run r and keeps it as a candidate
// when it passes.
func (m *match) secretValue(r run, value string) {
	// A value that fails the tests with the strongest context fails them
	// with any: test it before the costlier search for its context. These
	// are check's tests (what check answers is all that is used here), the
	// counts read once for both levels and the cheapest tests first.
	if m.past(r.start) {
		return // past the limit: counted, neither its value tested nor its context read
	}
	if _, no := m.turnedDown[value]; no {
		return
	}
	st := measureSecret(value)
	if st.failure(value, ctxStrong) != "" || placeholder(value) >= 0 || m.s.allowed(value) {
		m.turnDown(value)
		return
	}
	mark := m.workMark()
	if !m.spend(secretStep) {
		return // the check budget is spent: counted (Counts.Unchecked)
	}
	level, why := m.secretContext(r)
	if level == ctxNone {
		return
	}
	if level != ctxStrong && st.failure(value, level) != "" {
		return
	}
	if m.foreign(r.start, r.end, level == ctxStrong && strongByName(why)) != "" {
		return // the secret of an S3-compatible service that is not AWS: see foreign.go
	}
	if m.over(r.start, len(m.secrets)) {
		return
	}
	m.refund(mark) // kept: bounded by the limit, not by the budget
	m.secrets = append(m.secrets, cand{kind: rules.SecretAccessKey, start: r.start, end: r.end, value: value, encoding: r.encoding, level: level, context: why})
}

// turnDown remembers a value (a key ID or a secret) that failed the value
// tests: test files and documentation repeat the same example or fake key
// hundreds of times, and those tests read nothing but the value and the
// Scanner's configuration (its allow list), the same for the whole scan
// and its sub-scans, which share the memory. Up to maxTurnedDown values
// are kept.
func (m *match) turnDown(v string) {
	if m.turnedDown == nil {
		m.turnedDown = map[string]struct{}{}
	}
	if len(m.turnedDown) < maxTurnedDown {
		m.turnedDown[v] = struct{}{}
	}
}

const maxTurnedDown = 4096

// strongByName reports whether secretContext's reason names the value by
// a name that says AWS secret key on its own (strongSecretWords), or by its
// place in an AWS call: such a value is AWS's whatever else its block holds,
// unless its own credential's key ID is Google's (see foreign).
func strongByName(why string) bool {
	if strings.HasPrefix(why, "second argument of ") || strings.HasPrefix(why, "eighth argument of ") {
		return true
	}
	name, ok := strings.CutPrefix(why, "assigned to ")
	return ok && NamesAWSSecret(name)
}

// hasUpperAndLower reports whether s holds both an upper- and a lower-case
// ASCII letter, as check requires of a secret.
func hasUpperAndLower[T string | []byte](s T) bool {
	var up, low bool
	for i := 0; i < len(s) && !(up && low); i++ {
		up = up || isUpper(s[i])
		low = low || isLower(s[i])
	}
	return up && low
}

func allSecretString(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isSecretChar(s[i]) {
			return false
		}
	}
	return true
}

func allSecretChars(b []byte) bool {
	for _, c := range b {
		if !isSecretChar(c) {
			return false
		}
	}
	return true
}

// secretBoundaries rejects runs glued to a longer token: identifier
// characters, base64 padding, dotted segments (JWTs, host names).
func (m *match) secretBoundaries(r run) bool {
	d := m.data
	if r.start > 0 {
		switch d[r.start-1] {
		case '-':
			if (r.start < 2 || d[r.start-2] != ':') && expansionWordStart(d, r.end) != r.start { // ${VAR:-default}, ${VAR-default} is a value
				return false
			}
		case '_':
			if !emphasisBefore(d, r.start) {
				return false
			}
		case '.':
			if r.start >= 2 && isSecretChar(d[r.start-2]) {
				return false
			}
		}
	}
	if r.end < len(d) {
		switch d[r.end] {
		case '_':
			if !emphasisAfter(d, r.end) {
				return false
			}
		case '-', '=':
			return false
		case '.':
			if r.end+1 < len(d) && isAlnum(d[r.end+1]) {
				return false
			}
		}
	}
	return true
}

// expansionWordStart returns where the word of a shell parameter
// expansion starts when that word ends at end: ${NAME-word}, ${NAME:-word},
// ${NAME+word}, ${NAME:+word} (and = ?), as Compose and POSIX shells read
// them, or -1. The word is the value the expansion gives (qa19 M7).
func expansionWordStart(d []byte, end int) int {
	if end >= len(d) || d[end] != '}' {
		return -1
	}
	lo := max(0, end-200)
	o := bytes.LastIndex(d[lo:end], []byte("${"))
	if o < 0 {
		return -1
	}
	i := lo + o + 2
	n := i
	for i < end && (isWord(d[i])) {
		i++
	}
	if i == n || isDigit(d[n]) {
		return -1
	}
	if i < end && d[i] == ':' {
		i++
	}
	if i >= end || d[i] != '-' && d[i] != '+' && d[i] != '=' && d[i] != '?' {
		return -1
	}
	return i + 1
}

// secretContext finds the strongest reason to believe the run is a secret.
func (m *match) secretContext(r run) (ctxLevel, string) {
	d := m.data
	if len(m.refs) > 0 {
		if kw, name := m.referredBy(r.start); kw != nil && m.isStrong(kw) {
			return ctxStrong, "assigned to " + string(d[kw.start:kw.end]) + " as $" + name
		}
	}
	if name := m.fileNamesSecret(r); name != "" {
		return ctxStrong, "named by its file " + name
	}
	if name := m.genericName(r.start); name != "" {
		m.cost(nearStep) // its block is read
		return m.genericContext(r, name)
	}
	best, why := ctxNone, ""
	lo, hi := m.keywordsNear(r.start-400, r.end+200)
	near := m.keywords[lo:hi]
	m.costBytes(len(near), nearKeywordCost) // each may be tested below
	// The name that assigns the value is the nearest keyword before it (or,
	// in value-first layouts, after it); that one decides.
	var assigner *keyword
	for i := len(near) - 1; i >= 0 && assigner == nil; i-- {
		kw := &near[i]
		if kw.call > 0 && kw.arg == argPlaced {
			if kw.call == r.start {
				return ctxStrong, placedWhy(d, kw)
			}
			continue
		}
		if kw.call > 0 {
			if ok, why := m.sdkArgument(kw, r.start); ok {
				if otherKeyIDArgument(d[kw.call+1 : r.start]) {
					// NewStaticCredentialsProvider("Q3AM3UQ867SPQQA43P2F", ...):
					// the key pair of another service, as go vet judges it.
					return ctxNone, ""
				}
				if kw.arg == 8 && sixthArgumentEndpoint(d[kw.call+1:r.start]) {
					// boto3.client("s3", region, None, True, None,
					// "http://minio:9000", id, secret): MinIO's keys.
					return ctxNone, ""
				}
				return ctxStrong, why
			}
			continue
		}
		if !kw.token && kw.end <= r.start && r.start-kw.end <= 400 && (assigns(withoutCSI(d[kw.end:r.start]), false) || heredocNamed(d, kw, r.start) ||
			namedBlockValue(d, kw.start, kw.end, r.start) || sqlColumnValue(d, kw.start, kw.end, r.start) || mongoSetNamed(d, kw, r.start) ||
			attributeNamedBefore(d, kw, r.start) || headingNamesBlock(d, kw, r.start, r.end)) && !m.otherCell(kw.end, r.start) {
			assigner = kw
		}
	}
	for i := 0; i < len(near) && assigner == nil; i++ {
		kw := &near[i]
		if !kw.token && kw.call == 0 && r.end <= kw.start && kw.start-r.end <= 200 &&
			(assigns(withoutCSI(d[r.end:kw.start]), true) || namedAfter(d, r.end, kw) || attributeNamedAfter(d, r.start, r.end, kw)) && !m.otherCell(r.end, kw.start) {
			assigner = kw
		}
	}
	if assigner == nil {
		assigner = m.farBlockName(r.start)
	}
	if assigner == nil {
		assigner = m.nestedParent(r.start) // nestedfar.go
	}
	if assigner == nil && len(m.tableHeads) > 0 {
		assigner = m.headerNames(r)
	}
	// A bare name (secret, secret_key) is the secret of what its parents
	// name (keywordParent): stripe: { secret_key: } is Stripe's, however
	// many AWS words stand near; ses: { secret_key: } is AWS's, however far
	// up mail: or aws: is. A real key ID beside it still pairs it.
	parent := pathContainers
	if kw := assigner; kw != nil && kw.bare && !kw.other && !kw.otherOfAWS {
		parent = m.keywordParent(kw.start, !kw.login)
		switch {
		case parent == pathOther:
			return m.realKeyIDBeside(r)
		case parent == pathAWS && kw.ifAWS:
			kw.strong, kw.ifAWS = true, false
		}
	}
	// The name decides most values (work.go, MEDIUM-11): what follows
	// reads the lines around the value, and costs nearStep.
	if kw := assigner; kw != nil && kw.other {
		if kw.end > r.start || !bytes.ContainsRune(d[kw.end:r.start], '\n') {
			return ctxNone, "" // SESSION_SECRET=..., client_secret: ...: another system's secret
		}
	}
	if kw := assigner; kw != nil && !kw.other && !kw.ifAWS && kw.strong {
		return ctxStrong, "assigned to " + string(d[kw.start:kw.end])
	}
	m.cost(nearStep)
	if kw := assigner; kw != nil {
		switch {
		case kw.other, kw.otherOfAWS:
		case m.isStrong(kw):
			return ctxStrong, "assigned to " + string(d[kw.start:kw.end])
		case kw.login && m.airflowAWSConnPassword(r):
			if lo, hi, _ := m.airflowAWSRecord(r); connHostIn(m.data[lo:hi]) {
				return ctxNone, "" // its host, the endpoint, is another service's
			}
			return ctxStrong, "assigned to " + string(d[kw.start:kw.end]) + " of an Airflow AWS connection"
		case kw.login:
			// {"username": ..., "password": ..., "host": ...}: a login to
			// another system (a database), unless a real AWS key ID stands
			// in the record, on a line beside it (see realKeyIDBeside).
			// Alone, a password is no AWS secret key whatever AWS words
			// stand near: AWS keys have no password, and the AWS words
			// around one are mostly the store that keeps it (aws ssm
			// put-parameter --name /prod/db/password, a Secrets Manager
			// secret's {"password": ...}, qa27 L2). A key ID beside it
			// still pairs it (below).
			if login, lo, hi := m.loginBeside(r); login != "" {
				return m.realKeyIDIn(r, lo, hi)
			}
		case secretsManagerValue(d[kw.start:kw.end]):
			// secret_string, SecretString: the value field of every Secrets
			// Manager secret, most of them database passwords and API
			// tokens; the resource type and the ARN are AWS words in every
			// such file (qa26 L1). It is an AWS key when the secret is
			// named after one (prod/aws_secret_access_key) or a key ID
			// stands beside it (below).
			if m.secretNamedAfterKey(kw, r) {
				best, why = ctxWeak, "assigned to "+string(d[kw.start:kw.end])+" of a secret named after an AWS key"
			}
		case parent == pathAWS:
			best, why = ctxWeak, "assigned to "+string(d[kw.start:kw.end])+" under a parent named for AWS"
		case m.nearAWS(r.start, r.end):
			best, why = ctxWeak, "assigned to "+string(d[kw.start:kw.end])+" near AWS words"
		}
	}
	if k, ok := m.nearestKeyID(r.start, 6, 1200); ok && m.sameSection(k.start, r.start) {
		name := directName(d, r.start)
		if name != "" && otherService(normalizeKeyword(name)) {
			return ctxNone, "" // ADMIN_PASSWORD=..., x-api-key: ... next to AWS keys: another system's
		}
		if (assigner != nil && assigner.otherOfAWS || name != "" && awsOther(normalizeKeyword(name))) && m.keyIDHasSecret(k, assigner) {
			// AWS_COGNITO_CLIENT_SECRET=... beside a key ID whose secret is
			// set on its own line: that one is the pair, this another credential.
			return ctxNone, ""
		}
		return ctxPaired, "next to key ID " + Redact(k.value)
	}
	return best, why
}

// keyIDHasSecret reports whether a name for the key pair's secret
// (aws_secret_access_key, secret_key near AWS words: a strong keyword other
// than not) stands within the lines around key ID k that pair a secret
// with it, in its section, whatever its value (a variable's lookup too):
// the key's secret is set there, and a value beside k under another
// credential's name is not it.
func (m *match) keyIDHasSecret(k cand, not *keyword) bool {
	lo, hi := m.linesBack(k.start, 6, 1200), m.linesForward(k.end, 6, 1200)
	a, b := m.keywordsNear(lo, hi)
	for i := a; i < b; i++ {
		kw := &m.keywords[i]
		if kw == not || kw.token || kw.other || kw.otherOfAWS || kw.login || kw.call > 0 {
			continue
		}
		if m.isStrong(kw) && m.sameSection(k.start, kw.start) {
			return true
		}
	}
	return false
}

// farBlockName returns the keyword that names the value at v from further
// up than the 400 bytes other names reach, up to the 600 bytes the window
// after a keyword reads (qa18 M7): a block's name attribute with long
// sibling attributes between it and its value attribute (a description),
// a SQL column list over a long row or more rows (namedBlockValue,
// sqlColumnValue); nil when none does.
func (m *match) farBlockName(v int) *keyword {
	lo, hi := m.keywordsNear(v-600, v-400)
	far := m.keywords[lo:hi]
	m.costBytes(len(far), nearKeywordCost)
	for i := len(far) - 1; i >= 0; i-- {
		kw := &far[i]
		if !kw.token && kw.call == 0 && kw.end <= v && (namedBlockValue(m.data, kw.start, kw.end, v) || sqlColumnValue(m.data, kw.start, kw.end, v)) && !m.otherCell(kw.end, v) {
			return kw
		}
	}
	return nil
}

// directName returns the name that a value at i is assigned to on its own
// line ("name = value", "name: value", "-H 'name: value'"), or "".
func directName(d []byte, i int) string {
	j := i
	for j > 0 && (d[j-1] == ' ' || d[j-1] == '\t' || d[j-1] == '"' || d[j-1] == '\'') {
		j--
	}
	if j == 0 || d[j-1] != '=' && d[j-1] != ':' {
		return ""
	}
	j--
	for j > 0 && (d[j-1] == ' ' || d[j-1] == '\t' || d[j-1] == '"' || d[j-1] == '\'') {
		j--
	}
	k := j
	for k > 0 && isIdentChar(d[k-1]) {
		k--
	}
	name := string(d[k:j])
	if strings.EqualFold(name, "value") {
		// {"key": "apiKey", "value": ...}, - name: X / value: ...: the name is
		// given beside the value, on its line or on the line above it (a
		// Kubernetes or ECS env entry, a CloudFormation Name/Value pair).
		ls := lineStartWithin(d, k, nameWindow)
		if m := pairedNameRE.FindAllSubmatch(d[ls:k], -1); len(m) > 0 {
			return string(m[len(m)-1][1])
		}
		if ls > 0 && len(bytes.Trim(d[ls:k], " \t\"'-")) == 0 {
			above := d[lineStartWithin(d, ls-1, nameWindow) : ls-1]
			if m := nameAboveRE.FindSubmatch(above); m != nil {
				return string(m[1])
			}
		}
	}
	return name
}

// nameAboveRE matches a line that gives the name of the value on the next
// line: "- name: DB_PASSWORD", `"name": "DB_PASSWORD",`, "Name: X".
var nameAboveRE = regexp.MustCompile(`(?i)^[ \t]*(?:- )?[ \t]*["']?(?:key|name)["']?[ \t]*[:=][ \t]*["']?([A-Za-z0-9_.\-]+)["']?[ \t]*,?[ \t]*\r?$`)

// nameWindow bounds how far before a value directName looks for the name
// given beside it: the look-around of one candidate must not grow with its line.
const nameWindow = 1024

var pairedNameRE = regexp.MustCompile(`(?i)"?(?:key|name)"?\s*[:=]\s*"([A-Za-z0-9_.\-]+)"`)

// nearestKeyID returns the key ID closest to position i within lines lines.
func (m *match) nearestKeyID(i, lines, limit int) (cand, bool) {
	lo, hi := m.linesBack(i, lines, limit), m.linesForward(i, lines, limit)
	var best cand
	found := false
	a := sort.Search(len(m.keyIDs), func(j int) bool { return m.keyIDs[j].end >= lo })
	for _, k := range m.keyIDs[a:] {
		if k.start > hi {
			break
		}
		if !found || abs(k.start-i) < abs(best.start-i) {
			best, found = k, true
		}
	}
	return best, found
}

// keywordsNear returns the index range of keywords starting in [lo, hi).
func (m *match) keywordsNear(lo, hi int) (int, int) {
	a := sort.Search(len(m.keywords), func(j int) bool { return m.keywords[j].start >= lo })
	b := sort.Search(len(m.keywords), func(j int) bool { return m.keywords[j].start >= hi })
	return a, b
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// placeholderWords, in any case, mark a value as a placeholder or a
// documented example, where wordCounts says the word is one and not
// letters of a random value: a 40-character random secret holds one of
// the short words (XXXX, YOUR...) in some case about once in 14,000, so a
// short word counts only in one case style and when the rest of the value
// is not random or the word ends the value ("...Random" in aws-sdk-go-v2's
// v4a tests), and never inside a key ID whose account decodes; the words
// of seven letters or more (about once in 10^9 by chance) count anywhere.
var placeholderWords = []string{"EXAMPLE", "XXXX", "PLACEHOLDER", "REPLACE", "CHANGEME", "YOUR", "REDACTED", "DUMMY", "SAMPLE",
	"ACCESSKEY", "NOTAREAL", "KEYID", "SECRETKEY", "QWERTY", "ASDFGH",
	"RANDOM"} // aws-sdk-go-v2's v4a tests: "...RPa4rlRandom" beside "AKISORANDOMAASORANDOM"

// docPrefixes start AWS's documented example keys; edited copies of them
// ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz") are still documentation.
// The last two are the whole secrets of the Amazon S3 Developer Guide's
// older examples (Signing and Authenticating REST Requests, browser-based
// POST uploads), whose key IDs (0PN5J17HBGZHT7JJ3X82, 44CF9590006BF252F707)
// predate the AKIA form and say EXAMPLE nowhere; SDK and S3 client test
// suites copy them (botocore's tests/unit/auth/test_signers.py). They are
// kept in pieces, joined here, so that no file of this repository holds
// them whole for an older keyscan to report (docSecretPieces).
var docPrefixes = append([]string{"wJalrXUtnFEMI/K7MDENG", "je7MtGbClwBF/2Zp9Utk", "AKIAIOSFODNN7", "AKIAI44QH8DHB", "ASIAIOSFODNN7"},
	docSecrets()...)

// docSecretPieces are the S3 Developer Guide's example secrets in pieces of
// ten characters.
var docSecretPieces = [][]string{
	{"uV3F3YluFJ", "ax1cknvbcG", "wgjvx4QpvB", "+leU8dUj2o"},
	{"OtxrzxIsfp", "FjA7SwPzIL", "wy8Bw21TLh", "quhboDYROV"},
}

func docSecrets() []string {
	var out []string
	for _, p := range docSecretPieces {
		out = append(out, strings.Join(p, ""))
	}
	return out
}

// placeholderStarts holds, by the two bytes a placeholder word starts with
// (either letter in either case; the first plus the second times 256), the
// indexes of the words in list order plus one, as an index into
// placeholderLists: placeholder looks up each pair of the value once, and
// compares words only where a pair starts one.
var placeholderStarts, placeholderLists = func() (*[1 << 16]uint8, [][]uint8) {
	t := new([1 << 16]uint8)
	lists := [][]uint8{nil}
	for i, w := range placeholderWords {
		for _, a := range []byte{w[0], w[0] | 0x20} {
			for _, b := range []byte{w[1], w[1] | 0x20} {
				k := uint16(a) | uint16(b)<<8
				if t[k] == 0 {
					t[k] = uint8(len(lists))
					lists = append(lists, nil)
				}
				lists[t[k]] = append(lists[t[k]], uint8(i))
			}
		}
	}
	return t, lists
}()

// placeholderReasons are check's reasons for each placeholder word, and
// last for the documentation prefixes: made once, not per rejected value.
var placeholderReasons = func() []string {
	var r []string
	for _, w := range placeholderWords {
		r = append(r, "a documented example or placeholder ("+strings.ToLower(w)+")")
	}
	return append(r, "a documented example or placeholder (AWS documentation)")
}()

// placeholder returns the index in placeholderReasons of why v is a
// placeholder or a documented example, or -1.
func placeholder(v string) int {
	// The first placeholder word in list order that v holds.
	found := -1
	for i := 0; i+1 < len(v); i++ {
		l := placeholderStarts[uint16(v[i])|uint16(v[i+1])<<8]
		if l == 0 {
			continue
		}
		for _, k := range placeholderLists[l] {
			if found >= 0 && int(k) >= found {
				break
			}
			if w := placeholderWords[k]; len(v)-i >= len(w) && hasFoldAt(v, i, w) && wordCounts(v, i, w) {
				found = int(k)
				break
			}
		}
	}
	if found >= 0 {
		return found
	}
	for _, p := range docPrefixes {
		if strings.HasPrefix(v, p) {
			return len(placeholderWords)
		}
	}
	return -1
}

// wordCounts reports whether the placeholder word w, found at v[i:] in
// some case, makes v a placeholder (see placeholderWords).
func wordCounts(v string, i int, w string) bool {
	if len(w) >= 7 {
		return true
	}
	if decodableKeyID(v) {
		return false // random base32 of a real key ID's shape: no word in it is meant
	}
	sub := v[i : i+len(w)]
	lower := strings.ToLower(w)
	if sub != w && sub != lower && sub != w[:1]+lower[1:] {
		return false // yOuR: random letters, not a word
	}
	if i+len(w) == len(v) && sub != lower {
		return true // ...Random, ...XXXX: the word ends the value
	}
	rest := v[:i] + v[i+len(w):]
	return len(rest) < 12 || distinct(rest) < 10 || entropy(rest) < 3.0 || wordiness(rest) >= 3
}

// decodableKeyID reports whether v is a key ID whose account decodes
// (AccountID): random base32 of a real key's shape.
func decodableKeyID(v string) bool {
	if len(v) != 20 || !strings.HasPrefix(v, "AKIA") && !strings.HasPrefix(v, "ASIA") {
		return false
	}
	_, ok := AccountID(v)
	return ok
}

// hasFoldAt reports whether v holds the upper-case ASCII word w at i, ignoring case.
func hasFoldAt(v string, i int, w string) bool {
	for j := 0; j < len(w); j++ {
		c := v[i+j]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != w[j] {
			return false
		}
	}
	return true
}

// check applies the value tests for a credential of kind k whose context has
// the given strength.
func (s *Scanner) check(k rules.Kind, v string, level ctxLevel) (bool, string) {
	if s.allowed(v) {
		return false, "allowed by the configuration"
	}
	if p := placeholder(v); p >= 0 {
		return false, placeholderReasons[p]
	}
	switch k {
	case rules.AccessKeyID:
		if len(v) != 20 || !strings.HasPrefix(v, "AKIA") && !strings.HasPrefix(v, "ASIA") && !strings.HasPrefix(v, "ABIA") && !strings.HasPrefix(v, "ACCA") {
			return false, "not AKIA/ASIA/ABIA/ACCA and 16 characters"
		}
		for i := 4; i < 20; i++ {
			if !isBase32(v[i]) {
				return false, "characters outside the base32 alphabet"
			}
		}
		if !plausibleKeyID(v) {
			return false, "a placeholder"
		}
		if wordLike(v) && level < ctxStrong {
			return false, "upper-case words, not a random key ID"
		}
	case rules.SecretAccessKey:
		st := measureSecret(v)
		if why := st.failure(v, level); why != "" {
			return false, why
		}
	case rules.SessionToken:
		if len(v) < 80 {
			return false, "too short for a session token"
		}
		if strings.HasPrefix(v, "eyJ") {
			return false, "a JWT"
		}
		if entropy(v) < 4.5 {
			return false, "entropy too low"
		}
	}
	return true, ""
}

// secretsManagerValue reports whether name is the field that holds a
// Secrets Manager secret's value (Terraform's secret_string and its
// write-only secret_string_wo, the API's and CloudFormation's SecretString):
// the word secret in it names the service, not what the value is.
func secretsManagerValue(name []byte) bool {
	if len(name) < len("SecretString") || len(name) > len("secret-string-wo")+2 {
		return false // most names: no copy made
	}
	n := strings.TrimSuffix(normalizeKeyword(string(name)), "wo")
	return n == "secretstring"
}

// keyNameFolder drops the separators of a name (secret_access_key,
// secret-key) so that secretNamedAfterKey compares its words.
var keyNameFolder = strings.NewReplacer("_", "", "-", "")

// secretNamedAfterKey reports whether the lines around a Secrets Manager
// value (five each way, as nearAWS reads) name the secret after an AWS key:
// a secret_id, --name or Name holding secret_access_key, secretAccessKey,
// aws_secret_key or secret_key, outside the stretch from the value's field
// name kw to the value r.
func (m *match) secretNamedAfterKey(kw *keyword, r run) bool {
	lo := m.linesBack(r.start, 5, 800)
	hi := m.linesForward(r.end, 5, 800)
	a, b := max(lo, min(kw.start, r.start)), min(hi, max(kw.end, r.end))
	for _, part := range [][]byte{m.data[lo:a], m.data[b:hi]} {
		n := keyNameFolder.Replace(strings.ToLower(string(part)))
		if strings.Contains(n, "secretkey") || strings.Contains(n, "secretaccesskey") {
			return true
		}
	}
	return false
}
