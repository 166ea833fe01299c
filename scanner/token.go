package scanner

import (
	"strings"

	"github.com/keyscan/keyscan/rules"
)

// maxTokenRun is the longest run read as a session token, in bytes.
const maxTokenRun = 16 << 10

// tokenRunAt reads a run of base64 characters (with '=' padding and the same
// escapes as secrets) starting at i.
func tokenRunAt(d []byte, i int) run {
	// A session token is a few KiB at most; a run much longer than that
	// is a blob, whatever it starts with. Reading it is bounded, so that
	// the prefixes of text made of them (/IQoJb3JpZ2luX2Vj over and over,
	// each starting a run to the end) cost linear time, not quadratic.
	if lim := i + maxTokenRun + 8; lim < len(d) { // 8: an escape cut by the bound
		if r := readRun(d[:lim], i, maxTokenRun); r.end > i+maxTokenRun {
			return run{start: i, end: r.end} // no value: too long for a token
		}
	}
	r := runAt(d, i, len(d))
	for r.end < len(d) && d[r.end] == '=' {
		r.end++
		r.value += "="
	}
	return r
}

func (m *match) findTokens() {
	d := m.data
	seen := map[int]bool{}
	add := func(r run, level ctxLevel, why string) {
		if seen[r.start] {
			return
		}
		if r.start > 0 && (isWord(d[r.start-1]) || d[r.start-1] == '-' || d[r.start-1] == '.') && !m.boundaryBefore(r.start) {
			return
		}
		if r.end < len(d) && (d[r.end] == '.' || d[r.end] == '-' || d[r.end] == '_' && !emphasisAfter(d, r.end)) {
			return
		}
		if ok, _ := m.s.check(rules.SessionToken, r.value, level); !ok {
			return
		}
		seen[r.start] = true
		if m.over(r.start, len(m.secrets)) {
			return
		}
		m.secrets = append(m.secrets, cand{kind: rules.SessionToken, start: r.start, end: r.end, value: r.value, encoding: r.encoding, level: level, context: why})
	}
	// Each run read costs the check budget by its length (tokenByteCost):
	// counting its bytes and measuring its entropy, from each prefix,
	// cost 20 ns a byte of the run (a text of a prefix and a run every 640 bytes ran
	// at 50 MB per CPU second). A token kept is not refunded, as other
	// candidates are (see refund): its cost grows with its length, and
	// ten thousand tokens of 16 KiB would cost seconds.
	token := func(at int) run {
		r := tokenRunAt(d, at)
		m.costBytes(r.end-r.start, tokenByteCost)
		return r
	}
	var memo *tokenMemo
	for _, at := range m.tokens {
		if m.spent() {
			continue // the check budget is spent: counted
		}
		if at > 0 && (isWord(d[at-1]) || d[at-1] == '-' || d[at-1] == '.') && !m.boundaryBefore(at) {
			// add turns a run starting here down before reading it: a
			// prefix inside a longer run (the prefix repeated, a token
			// pasted twice) must not read the run to its end again.
			continue
		}
		if m.past(at) {
			continue // past the limit: counted, its run not read
		}
		if !m.spend(tokenStep) {
			continue
		}
		if memo == nil {
			memo = new(tokenMemo)
		}
		read := memo.read
		may := m.tokenMemoOff || memo.mayAdd(d, at)
		m.costBytes(memo.read-read, tokenByteCost)
		if may {
			add(token(at), ctxStrong, "starts like an STS session token")
		}
	}
	for _, kw := range m.keywords {
		if !kw.token || m.spent() {
			continue
		}
		if !kw.strong {
			// A weak keyword counts beside a temporary key ID only: a file
			// without key IDs (most of a secret scanner's tests, where
			// "token" is a word of every other line) is not asked for the
			// lines around each (2.5 M of its 81 M instructions a pass).
			if len(m.keyIDs) == 0 {
				continue
			}
			if k, ok := m.nearestKeyID(kw.start, 6, 1200); !ok || !strings.HasPrefix(k.value, "ASIA") {
				continue
			}
		}
		hi := m.linesForward(kw.end, 2, 400)
		runsIn(d, m.byteMasks(), kw.end, hi, 0, func(r run) {
			if m.past(r.start) {
				return // past the limit: counted, its run not read
			}
			if !m.spend(tokenStep) {
				return
			}
			r = token(r.start)
			if r.start >= kw.end && len(r.value) >= 100 && assigns(d[kw.end:r.start], false) && !m.otherCell(kw.end, r.start) {
				add(r, ctxStrong, "assigned to "+string(d[kw.start:kw.end]))
			}
		})
	}
}

// tokenMemo lets findTokens turn down the session-token prefixes that
// stand in one run without reading the run from each. Text made of a
// prefix after a '/' (not a word byte: every copy is a prefix of its own)
// is one run; each prefix read up to 16 KiB of it and tested a value as
// long, a second per megabyte. The run is read once, from the first prefix
// in it as far as the prefixes need; a later prefix on a place that
// reading stepped on (not inside an escape) has the same end, and the
// counts of the bytes of its value are those of the prefix before less the
// bytes between. mayAdd answers false only where add(tokenRunAt(d, b))
// adds nothing (TestTokenMemoAnswersAsRead).
type tokenMemo struct {
	end      int      // how far the run from the last prefix that started one is read
	more     bool     // it may go on past end (read up to a bound)
	at       int      // a place that reading stepped on, at or before the next prefix
	pad      int      // the '=' after end
	counted  bool     // counts, n and distinct hold [at, end)'s value
	n        int      // its length
	distinct int      // how many counts are not 0
	counts   [256]int // how many of each byte it holds
	read     int      // bytes stepped over, in all (charged: see findTokens)
}

// mayAdd reports whether the session-token prefix at b may start a token:
// false where tokenRunAt(d, b) is too long to have a value, or is followed
// by a '.', '-' or '_' (but Markdown's closing emphasis), or has a value shorter than 80 or of entropy below
// 4.5 (check's tests), so that add would add nothing. Prefixes come in
// order of position.
func (t *tokenMemo) mayAdd(d []byte, b int) bool {
	if b >= t.end { // the first prefix in a run, or past what was read of it
		t.end, t.at, t.counted, t.more = b, b, false, true
	}
	// Read the run on, as far as b's question needs: while it may end
	// within maxTokenRun of b. A reading cut at a bound stops at one of
	// its steps, from where it goes on as it would have.
	for t.more && t.end <= b+maxTokenRun {
		bound := min(len(d), b+maxTokenRun+16)
		e := readRun(d[:bound], t.end, 0).end
		t.read += e - t.end
		t.end, t.more = e, bound < len(d) && e+7 > bound // stopped where an escape may not fit
		if !t.more {
			t.pad = 0
			for t.end+t.pad < len(d) && d[t.end+t.pad] == '=' {
				t.pad++
			}
		}
	}
	for t.at < b { // step as the run's reading stepped
		c, en := runStep(d, t.at)
		if en == 0 {
			return true // not a step of a run: read as ever
		}
		if t.counted {
			if t.counts[c]--; t.counts[c] == 0 {
				t.distinct--
			}
			t.n--
		}
		t.at += en
		t.read += en
	}
	if t.at > b {
		return true // inside an escape of the run: read as ever
	}
	// The run from b ends where the run read ends (t.end, or past it when
	// more is to read). tokenRunAt reads up to b+maxTokenRun+8 and finds
	// it too long when it ends past b+maxTokenRun: the last step that fits
	// ends at most 6 bytes before the bound (an escape is at most 7), past
	// b+maxTokenRun.
	if b+maxTokenRun+8 < len(d) && t.end > b+maxTokenRun {
		return false
	}
	if t.more {
		return true // not reached: the reading above went on past b+maxTokenRun
	}
	if e := t.end + t.pad; e < len(d) && (d[e] == '.' || d[e] == '-' || d[e] == '_' && !emphasisAfter(d, e)) {
		return false
	}
	if !t.counted {
		t.counts, t.n, t.distinct = [256]int{}, 0, 0
		for i := b; i < t.end; {
			c, en := runStep(d, i)
			if en == 0 {
				return true
			}
			if t.counts[c]++; t.counts[c] == 1 {
				t.distinct++
			}
			t.n++
			i += en
		}
		t.read += t.end - b
		t.counted = true
	}
	// The value: the run's characters when 40 or more (else none), and
	// the padding. Fewer than 23 distinct bytes hold under log2(23) = 4.52
	// bits each.
	if t.n < 40 || t.n+t.pad < 80 || t.distinct+min(t.pad, 1) < 23 {
		return false
	}
	t.counts['='] += t.pad
	h := countsEntropy(&t.counts, t.n+t.pad)
	t.counts['='] -= t.pad
	return h >= 4.5
}

// runStep is a step of readRun at i: a character of a secret, or an
// escape of one; the byte it stands for and its length, or 0.
func runStep(d []byte, i int) (byte, int) {
	if c := d[i]; byteClass[c] == classSecret {
		return c, 1
	}
	return escapeAt(d, i)
}
