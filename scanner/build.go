package scanner

import (
	"bytes"
	"encoding/base64"
	"slices"
	"sort"
	"strings"

	"github.com/keyscan/keyscan/rules"
)

// build turns the accepted candidates into findings: pairing, fingerprints,
// positions, suggestions and inline allow directives.
func (m *match) build() {
	all := append(slices.Clone(m.keyIDs), m.secrets...)
	if len(all) == 0 {
		return
	}
	// Drop a candidate that overlaps an earlier one of the same kind
	// (a token keyword and a token prefix can find the same token).
	slices.SortStableFunc(all, func(a, b cand) int { return a.start - b.start })
	fs := make(Findings, 0, len(all))
	for _, c := range all {
		if n := len(fs); n > 0 && fs[n-1].Kind == c.kind && c.start < fs[n-1].EndOffset {
			continue
		}
		r := m.s.byKind[c.kind]
		f := Finding{
			Rule: r.ID, Kind: c.kind, Severity: r.Severity, File: m.name,
			Offset: c.start, EndOffset: c.end, Secret: c.value, Encoding: c.encoding,
			Fingerprint: Fingerprint(r.ID, m.name, c.value), Context: c.context,
			Suggestion: suggestion(m.kind, c.kind),
		}
		if c.kind == rules.AccessKeyID {
			f.AccountID, _ = AccountID(c.value)
			if strings.HasPrefix(c.value, "ASIA") {
				f.Context = "temporary key ID: works only with its secret and session token"
			}
		}
		if c.level == ctxWeak {
			f.Severity = rules.Warning
		}
		fs = append(fs, f)
	}
	m.pair(fs)
	m.positions(fs)
	for i := range fs {
		if m.allowDirective(&fs[i]) {
			continue
		}
		m.out = append(m.out, fs[i])
	}
}

// pair links each secret and token to the nearest key ID (ASIA first for
// tokens) within twenty lines, and the key ID back to its secret.
func (m *match) pair(fs Findings) {
	claimed := map[int]bool{}
	for i := range fs {
		f := &fs[i]
		if f.Kind == rules.AccessKeyID {
			continue
		}
		lo, hi := linesBack(m.data, f.Offset, 20, 4000), linesForward(m.data, f.EndOffset, 20, 4000)
		best := -1
		// fs is sorted by offset: look only at the findings inside the window.
		a := sort.Search(len(fs), func(j int) bool { return fs[j].EndOffset >= lo })
		for j := a; j < len(fs) && fs[j].Offset <= hi; j++ {
			k := &fs[j]
			if k.Kind != rules.AccessKeyID {
				continue
			}
			if f.Kind == rules.SessionToken && !strings.HasPrefix(k.Secret, "ASIA") {
				continue
			}
			if best < 0 || abs(k.Offset-f.Offset) < abs(fs[best].Offset-f.Offset) {
				best = j
			}
		}
		if best < 0 {
			continue
		}
		k := &fs[best]
		f.Pair = k.Fingerprint
		f.Severity = rules.Error
		if f.Kind == rules.SecretAccessKey && !claimed[best] {
			k.Pair = f.Fingerprint
			claimed[best] = true
		}
	}
}

// positions fills lines and columns from offsets in one pass.
func (m *match) positions(fs Findings) {
	type pos struct {
		off int
		dst *int
		col *int
	}
	ps := make([]pos, 0, 2*len(fs))
	for i := range fs {
		ps = append(ps, pos{fs[i].Offset, &fs[i].Line, &fs[i].Column}, pos{max(fs[i].EndOffset-1, fs[i].Offset), &fs[i].EndLine, &fs[i].EndColumn})
	}
	slices.SortFunc(ps, func(a, b pos) int { return a.off - b.off })
	line, ls, at := 1, 0, 0
	for _, p := range ps {
		for {
			j := bytes.IndexByte(m.data[at:p.off], '\n')
			if j < 0 {
				break
			}
			line++
			at += j + 1
			ls = at
		}
		*p.dst, *p.col = line, p.off-ls+1
	}
	for i := range fs { // end columns are exclusive: one past the last byte
		fs[i].EndColumn++
	}
}

// allowDirective reports whether the finding's line carries
// "keyscan:allow <reason>". A directive without a reason does not count and
// leaves a note on the finding.
func (m *match) allowDirective(f *Finding) bool {
	s, e := lineStart(m.data, f.Offset), lineEnd(m.data, f.Offset)
	line := m.data[s:e]
	i := bytes.Index(line, []byte("keyscan:allow"))
	if i < 0 {
		return false
	}
	reason := strings.Trim(string(line[i+len("keyscan:allow"):]), " \t\r:-=\"'`*/#>;,)}]")
	reason = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(reason, "-->"), "*/"))
	if reason == "" {
		f.Note = "keyscan:allow needs a reason (keyscan:allow <reason>); the finding stands"
		return false
	}
	return true
}

// decodeBase64 decodes the base64 runs the prefilter pointed at and scans
// what they hold, reporting findings at the encoded text.
func (m *match) decodeBase64() {
	d := m.data
	done := -1
	for _, at := range m.b64 {
		if at < done {
			continue
		}
		s, e := at, at
		for s > 0 && isB64(d[s-1]) {
			s--
		}
		for e < len(d) && isB64(d[e]) {
			e++
		}
		raw := e
		for e < len(d) && d[e] == '=' {
			e++
		}
		done = e
		if raw-s < 24 {
			continue
		}
		dec, ok := decodeB64(d[s:raw])
		if !ok || !mostlyText(dec) {
			continue
		}
		sub := &match{s: m.s, name: m.name, data: dec, depth: m.depth + 1}
		sub.run()
		for _, f := range sub.out {
			f.Offset = s + f.Offset*4/3
			f.EndOffset = min(e, s+(f.EndOffset*4+2)/3)
			if f.Encoding == "" {
				f.Encoding = "base64"
			} else {
				f.Encoding = "base64+" + f.Encoding
			}
			// The pair links stay valid: fingerprints do not depend on position.
			m.out = append(m.out, f)
		}
	}
	m.relocate()
}

// relocate recomputes line and column for findings whose offsets moved.
func (m *match) relocate() {
	var moved Findings
	idx := []int{}
	for i, f := range m.out {
		if strings.HasPrefix(f.Encoding, "base64") {
			moved = append(moved, f)
			idx = append(idx, i)
		}
	}
	if len(moved) == 0 {
		return
	}
	m.positions(moved)
	for j, i := range idx {
		f := moved[j]
		if m.allowDirective(&f) {
			f.Rule = "" // dropped below
		}
		m.out[i] = f
	}
	m.out = slices.DeleteFunc(m.out, func(f Finding) bool { return f.Rule == "" })
}

func isB64(c byte) bool { return isAlnum(c) || c == '+' || c == '/' }

func decodeB64(b []byte) ([]byte, bool) {
	n := len(b) / 4 * 4
	if rest := len(b) - n; rest >= 2 {
		dec, err := base64.RawStdEncoding.DecodeString(string(b))
		return dec, err == nil
	}
	dec, err := base64.RawStdEncoding.DecodeString(string(b[:n]))
	return dec, err == nil
}

// mostlyText reports whether decoded bytes look like text worth scanning.
func mostlyText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	bad := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f {
			bad++
		}
	}
	return bad*20 < len(b)
}

func (m *match) findings() Findings {
	m.out.Sort()
	return m.out
}
