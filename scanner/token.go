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
		if r.end < len(d) && (d[r.end] == '.' || d[r.end] == '-' || d[r.end] == '_') {
			return
		}
		if ok, _ := m.s.check(rules.SessionToken, r.value, level); !ok {
			return
		}
		seen[r.start] = true
		m.secrets = append(m.secrets, cand{kind: rules.SessionToken, start: r.start, end: r.end, value: r.value, encoding: r.encoding, level: level, context: why})
	}
	for _, at := range m.tokens {
		if at > 0 && (isWord(d[at-1]) || d[at-1] == '-' || d[at-1] == '.') && !m.boundaryBefore(at) {
			// add turns a run starting here down before reading it: a
			// prefix inside a longer run (the prefix repeated, a token
			// pasted twice) must not read the run to its end again.
			continue
		}
		add(tokenRunAt(d, at), ctxStrong, "starts like an STS session token")
	}
	for _, kw := range m.keywords {
		if !kw.token {
			continue
		}
		if !kw.strong {
			if k, ok := m.nearestKeyID(kw.start, 6, 1200); !ok || !strings.HasPrefix(k.value, "ASIA") {
				continue
			}
		}
		hi := m.linesForward(kw.end, 2, 400)
		runsIn(d, m.byteMasks(), kw.end, hi, 0, func(r run) {
			r = tokenRunAt(d, r.start)
			if r.start >= kw.end && len(r.value) >= 100 && assigns(d[kw.end:r.start], false) {
				add(r, ctxStrong, "assigned to "+string(d[kw.start:kw.end]))
			}
		})
	}
}
