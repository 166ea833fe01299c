package fix

import (
	"strings"

	"github.com/keyscan/keyscan/scanner"
)

// instruction is a Dockerfile ENV or ARG instruction, which may continue
// over several lines with a trailing backslash.
type instruction struct {
	first, last int     // lines
	legacy      bool    // ENV KEY value: one pair, the value runs to the end
	tokens      []token // KEY=VALUE pairs
	remove      map[int]bool
}

type token struct {
	start, end int // absolute offsets
	key, value string
}

// continued reports whether line i ends with a backslash.
func (e *editor) continued(i int) bool {
	return strings.HasSuffix(strings.TrimRight(e.text(i), " \t"), `\`)
}

// instructionAt returns the ENV or ARG instruction holding line i.
func (e *editor) instructionAt(i int) (*instruction, bool) {
	first := i
	for first > 0 && e.continued(first-1) {
		first--
	}
	if in, ok := e.docker[first]; ok {
		return in, true
	}
	s := e.text(first)
	p := indentOf(s)
	word := s[p:]
	if j := strings.IndexAny(word, " \t"); j >= 0 {
		word = word[:j]
	}
	kw := strings.ToUpper(word)
	if kw != "ENV" && kw != "ARG" {
		return nil, false
	}
	last := first
	for last+1 < len(e.lines) && e.continued(last) {
		last++
	}
	in := &instruction{first: first, last: last, remove: map[int]bool{}}
	// Tokens: runs of non-blanks outside quotes; a backslash at the end of a
	// line and comment lines inside the instruction are blanks.
	for l := first; l <= last; l++ {
		t := e.text(l)
		base := e.lines[l].start
		q := 0
		if l == first {
			q = p + len(word)
		}
		if l != first && strings.HasPrefix(strings.TrimSpace(t), "#") {
			continue
		}
		body := strings.TrimRight(t, " \t")
		if l < last || e.continued(l) {
			body = strings.TrimSuffix(body, `\`)
		}
		for q < len(body) {
			if body[q] == ' ' || body[q] == '\t' {
				q++
				continue
			}
			st := q
			var quote byte
			for q < len(body) && (quote != 0 || (body[q] != ' ' && body[q] != '\t')) {
				switch c := body[q]; {
				case quote != 0 && c == quote:
					quote = 0
				case quote == 0 && (c == '"' || c == '\''):
					quote = c
				case c == '\\' && quote != '\'':
					q++
				}
				q++
			}
			q = min(q, len(body))
			tok := token{start: base + st, end: base + q}
			k, v, _ := strings.Cut(body[st:q], "=")
			tok.key, tok.value = k, strings.Trim(v, `"'`)
			in.tokens = append(in.tokens, tok)
		}
	}
	if len(in.tokens) == 0 {
		return nil, false
	}
	if kw == "ENV" && !strings.Contains(e.textSpan(in.tokens[0]), "=") {
		in.legacy = true
	}
	e.docker[first] = in
	return in, true
}

func (e *editor) textSpan(t token) string { return string(e.data[t.start:t.end]) }

// dockerfile records the removal of the ENV/ARG pair that holds f.
func (e *editor) dockerfile(f scanner.Finding) string {
	if r, ok := e.dockerComment(f); ok {
		return r
	}
	i := e.lineAt(f.Offset)
	in, ok := e.instructionAt(i)
	if !ok {
		if r, isRun := e.dockerRun(f); isRun {
			return r
		}
		return "only ENV, ARG and RUN aws configure set are rewritten (a key elsewhere needs a change by hand). " + f.Suggestion
	}
	if in.legacy {
		key := in.tokens[0].key
		if f.Offset < in.tokens[0].end {
			return "the key is not the value of the variable; remove it by hand. " + f.Suggestion
		}
		value := strings.TrimSpace(string(e.data[in.tokens[min(1, len(in.tokens)-1)].start:in.tokens[len(in.tokens)-1].end]))
		value = strings.Trim(value, `"'`)
		if value != f.Secret && value != string(e.data[f.Offset:f.EndOffset]) && !credentialKey(key) {
			return "the key is part of the value of " + key + "; remove it by hand. " + f.Suggestion
		}
		if value != f.Secret && value != string(e.data[f.Offset:f.EndOffset]) && inURL(value) {
			return inURLReason(key, f)
		}
		for j := range in.tokens {
			in.remove[j] = true
		}
		return ""
	}
	for j, t := range in.tokens {
		if f.Offset < t.start || f.EndOffset > t.end {
			continue
		}
		vstart := t.start + len(t.key) + 1
		if !strings.Contains(e.textSpan(t), "=") || f.Offset < vstart {
			return "the key is not the value of a variable; remove it by hand. " + f.Suggestion
		}
		if t.value != f.Secret && t.value != string(e.data[f.Offset:f.EndOffset]) && !credentialKey(t.key) {
			return "the key is part of the value of " + t.key + "; remove it by hand. " + f.Suggestion
		}
		if t.value != f.Secret && t.value != string(e.data[f.Offset:f.EndOffset]) && inURL(t.value) {
			return inURLReason(t.key, f)
		}
		in.remove[j] = true
		return ""
	}
	return "the key spans several pairs of the instruction; remove it by hand. " + f.Suggestion
}

// dockerFinish turns the recorded removals into edits.
func (e *editor) dockerFinish() {
	for _, in := range e.docker {
		if len(in.remove) == len(in.tokens) {
			for l := in.first; l <= in.last; l++ {
				e.deleteLine(l)
			}
			continue
		}
		for j, t := range in.tokens {
			if !in.remove[j] {
				continue
			}
			l := e.lineAt(t.start)
			alone := l != in.first && strings.TrimSuffix(strings.TrimSpace(e.text(l)), `\`) != "" &&
				strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(e.text(l)), `\`)) == e.textSpan(t)
			switch {
			case alone:
				e.deleteLine(l)
				e.silent[l] = true
				if l == in.last || !e.continued(l) {
					e.dropContinuation(in, l)
				}
			case j > 0 && e.lineAt(in.tokens[j-1].end) == l:
				// a pair before it on the line: take the blanks before it
				s := t.start
				for s > e.lines[l].start && (e.data[s-1] == ' ' || e.data[s-1] == '\t') {
					s--
				}
				e.spans = append(e.spans, span{start: s, end: t.end})
			default:
				end := t.end
				for end < e.lines[l].end && (e.data[end] == ' ' || e.data[end] == '\t') {
					end++
				}
				e.spans = append(e.spans, span{start: t.start, end: end})
			}
		}
	}
}

// dropContinuation removes the trailing backslash of the last kept line of
// the instruction before line l, which no longer continues.
func (e *editor) dropContinuation(in *instruction, l int) {
	for k := l - 1; k >= in.first; k-- {
		if e.del[k] || strings.HasPrefix(strings.TrimSpace(e.text(k)), "#") {
			continue
		}
		t := e.text(k)
		trimmed := strings.TrimRight(t, " \t")
		if !strings.HasSuffix(trimmed, `\`) {
			return
		}
		body := strings.TrimRight(strings.TrimSuffix(trimmed, `\`), " \t")
		base := e.lines[k].start
		e.spans = append(e.spans, span{start: base + len(body), end: base + len(t)})
		return
	}
}

// dockerRun removes the `aws configure set` command holding f from its RUN
// instruction (shell form); isRun is false when f is not in a RUN.
func (e *editor) dockerRun(f scanner.Finding) (reason string, isRun bool) {
	i := e.lineAt(f.Offset)
	first := i
	for first > 0 && (e.continued(first-1) || e.commentInInstruction(first-1)) {
		first--
	}
	for first < i && strings.HasPrefix(strings.TrimSpace(e.text(first)), "#") {
		first++
	}
	s := e.text(first)
	p := indentOf(s)
	if len(s) < p+4 || !strings.EqualFold(s[p:p+3], "RUN") || (s[p+3] != ' ' && s[p+3] != '\t') {
		return "", false
	}
	last := first
	for last+1 < len(e.lines) && (e.continued(last) || e.commentInInstruction(last)) {
		last++
	}
	if last < i {
		return "", false
	}
	p += 3
	for {
		for p < len(s) && (s[p] == ' ' || s[p] == '\t') {
			p++
		}
		if !strings.HasPrefix(s[p:], "--") { // RUN --mount=... and other flags
			break
		}
		for p < len(s) && s[p] != ' ' && s[p] != '\t' {
			p++
		}
	}
	if strings.HasPrefix(s[p:], "[") {
		return "the key is in a RUN of exec form; remove it by hand. " + f.Suggestion, true
	}
	r, reason := e.shellList(e.lines[first].start+p, e.lines[last].end, true, func() {
		for l := first; l <= last; l++ {
			e.deleteLine(l)
		}
	})
	if reason != "" {
		return reason + "; remove the key by hand. " + f.Suggestion, true
	}
	return r.mark(e.data, f), true
}

// commentInInstruction reports whether line i is a comment line inside a
// continued instruction (the line before ends with a backslash), which the
// Dockerfile syntax drops.
func (e *editor) commentInInstruction(i int) bool {
	if !strings.HasPrefix(strings.TrimSpace(e.text(i)), "#") || i == 0 {
		return false
	}
	return e.continued(i-1) || e.commentInInstruction(i-1)
}

// dockerComment removes the comment line that holds f when it is a
// commented-out ENV or ARG (`# ENV KEY=value`, `# KEY=value`, `#ARG KEY=v`,
// `# ENV KEY value`, also a commented line of a continued ENV): a comment
// in git is as public as an instruction. ok is false when the line of f is
// not a comment. Every pair of the line must be a setting whose name says
// it holds a credential (AWS_..., ...KEY, ...SECRET), or the pair of f;
// a comment that holds anything else is left for a person.
func (e *editor) dockerComment(f scanner.Finding) (reason string, ok bool) {
	i := e.lineAt(f.Offset)
	t := strings.TrimLeft(e.text(i), " \t")
	if !strings.HasPrefix(t, "#") {
		return "", false
	}
	manual := "the key is in a comment that is not a commented-out ENV or ARG setting; remove it by hand. " + f.Suggestion
	if e.lineAt(f.EndOffset-1) != i {
		return manual, true
	}
	body := strings.TrimRight(strings.TrimLeft(t, "# \t"), " \t")
	body = strings.TrimRight(strings.TrimSuffix(body, `\`), " \t")
	fields := strings.Fields(body)
	legacy := false
	if len(fields) > 0 && (strings.EqualFold(fields[0], "ENV") || strings.EqualFold(fields[0], "ARG")) {
		legacy = strings.EqualFold(fields[0], "ENV") && len(fields) == 3 && !strings.Contains(fields[1], "=")
		fields = fields[1:]
	}
	if len(fields) == 0 {
		return manual, true
	}
	written := string(e.data[f.Offset:f.EndOffset])
	found := false
	if legacy {
		v := strings.Trim(fields[1], `"'`)
		if (!credentialKey(fields[0]) || inURL(v)) && v != written && v != f.Secret {
			return manual, true
		}
		found = v == written || v == f.Secret || credentialKey(fields[0])
	} else {
		for _, fd := range fields {
			k, v, isPair := strings.Cut(fd, "=")
			if !isPair || k == "" {
				return manual, true
			}
			v = strings.Trim(v, `"'`)
			mine := v == written || v == f.Secret
			if !mine && (!credentialKey(k) || inURL(v)) {
				return manual, true
			}
			found = found || mine
		}
	}
	if !found {
		return manual, true
	}
	e.deleteLine(i)
	if e.commentInInstruction(i) {
		e.silent[i] = true // a comment inside a continued instruction: no comment in its place
	}
	return "", true
}
