package fix

import (
	"strings"

	"github.com/keyscan/keyscan/scanner"
)

// Shell command lists are rewritten on the bytes, like the rest: a small
// tokenizer splits a list (a shell logical line, a Dockerfile RUN, a CI
// run: line) into simple commands and the operators between them, and the
// `aws configure set` commands that store a key are cut out with one
// operator next to them, chosen so that the commands left run as before.
// Anything the tokenizer does not follow with certainty (subshells,
// command substitution, here-documents, || and | next to the command) is
// left to a person.

// shCommand is a simple command: its words, with their spans and their
// text once quotes are removed.
type shCommand struct {
	start, end int
	words      []shWord
}

type shWord struct {
	start, end int
	text       string
}

// shList is a command list and the operators between its commands
// (ops[i] joins cmds[i] and cmds[i+1]).
type shList struct {
	start, end int
	cmds       []shCommand
	ops        []string
	trailing   string // an operator after the last command (";", "&")
}

// parseShList tokenizes data[start:end]. skipComments treats lines whose
// first non-blank is '#' as blank (comment lines inside a Dockerfile RUN).
func parseShList(data []byte, start, end int, skipComments bool) (*shList, string) {
	l := &shList{start: start, end: end}
	var cur *shCommand
	var word []byte
	ws, inWord := 0, false
	flushWord := func(at int) {
		if !inWord {
			return
		}
		if cur == nil {
			l.cmds = append(l.cmds, shCommand{start: ws})
			cur = &l.cmds[len(l.cmds)-1]
		}
		cur.words = append(cur.words, shWord{ws, at, string(word)})
		cur.end = at
		word, inWord = word[:0], false
	}
	op := func(o string) string {
		if cur == nil {
			return "an operator with no command before it"
		}
		l.ops = append(l.ops, o)
		cur = nil
		return ""
	}
	lineStart := true
	for p := start; p < end; {
		c := data[p]
		if lineStart && skipComments {
			q := p
			for q < end && (data[q] == ' ' || data[q] == '\t') {
				q++
			}
			if q < end && data[q] == '#' {
				for q < end && data[q] != '\n' {
					q++
				}
				p = min(q+1, end) // the Dockerfile syntax drops the line, '\n' included
				lineStart = true
				continue
			}
		}
		lineStart = false
		switch {
		case c == '\\' && p+1 < end && (data[p+1] == '\n' || data[p+1] == '\r' && p+2 < end && data[p+2] == '\n'):
			flushWord(p)
			p += 2
			if data[p-1] == '\r' {
				p++
			}
			lineStart = true
			continue
		case c == ' ' || c == '\t' || c == '\r':
			flushWord(p)
		case c == '\n':
			return nil, "the command goes on over lines without a backslash"
		case c == '#' && !inWord:
			flushWord(p)
			for p < end && data[p] != '\n' {
				p++
			}
			continue
		case c == '&' || c == ';' || c == '|':
			flushWord(p)
			o := string(c)
			if p+1 < end && (data[p+1] == '&' || data[p+1] == '|') && c != ';' {
				o += string(data[p+1])
			}
			if o == "|&" || o == ";;" {
				return nil, "a " + o + " operator"
			}
			if r := op(o); r != "" {
				return nil, r
			}
			p += len(o)
			continue
		case c == '(' || c == ')' || c == '`' || c == '<' && p+1 < end && data[p+1] == '<':
			return nil, "a subshell, command substitution or here-document"
		case c == '$' && p+1 < end && data[p+1] == '(':
			return nil, "a command substitution"
		case c == '\'' || c == '"':
			if !inWord {
				ws, inWord = p, true
			}
			q := p + 1
			for q < end && data[q] != c {
				if c == '"' && data[q] == '\\' && q+1 < end {
					q++
					if data[q] != '"' && data[q] != '\\' && data[q] != '$' && data[q] != '`' {
						word = append(word, '\\')
					}
				} else if c == '"' && (data[q] == '`' || data[q] == '$' && q+1 < end && data[q+1] == '(') {
					return nil, "a command substitution"
				}
				word = append(word, data[q])
				q++
			}
			if q >= end {
				return nil, "an unterminated quote"
			}
			p = q + 1
			continue
		case c == '\\' && p+1 < end:
			if !inWord {
				ws, inWord = p, true
			}
			word = append(word, data[p+1])
			p += 2
			continue
		default:
			if !inWord {
				ws, inWord = p, true
			}
			if (c == '{' || c == '}') && (p+1 >= end || data[p+1] == ' ' || data[p+1] == '\t' || data[p+1] == ';') && len(word) == 0 {
				return nil, "a command group"
			}
			word = append(word, c)
		}
		p++
	}
	flushWord(end)
	if cur == nil && len(l.ops) > 0 {
		// A trailing ";" or "&" ends the last command; anything else is an error.
		o := l.ops[len(l.ops)-1]
		if o != ";" && o != "&" {
			return nil, "a list that ends with " + o
		}
		l.ops = l.ops[:len(l.ops)-1]
		l.trailing = o
	}
	if len(l.ops) != len(l.cmds)-1 {
		return nil, "a list keyscan does not follow"
	}
	return l, ""
}

// configureSet reports whether cmd is `aws configure set NAME VALUE`
// storing a credential, and returns the VALUE word.
func configureSet(cmd shCommand) (shWord, bool) {
	w := cmd.words
	i := 0
	if len(w) == 0 || w[0].text != "aws" {
		return shWord{}, false
	}
	i++
	for i+1 < len(w) && (w[i].text == "--profile" || w[i].text == "--region") {
		i += 2
	}
	if i+3 >= len(w) || w[i].text != "configure" || w[i+1].text != "set" {
		return shWord{}, false
	}
	name := strings.ToLower(w[i+2].text)
	if j := strings.LastIndexByte(name, '.'); j >= 0 {
		name = name[j+1:] // profile.NAME.aws_secret_access_key, default.aws_...
	}
	switch name {
	case "aws_access_key_id", "aws_secret_access_key", "aws_session_token":
	default:
		return shWord{}, false
	}
	val := w[i+3]
	rest := w[i+4:]
	for len(rest) >= 2 && rest[0].text == "--profile" {
		rest = rest[2:]
	}
	if len(rest) > 0 {
		return shWord{}, false
	}
	return val, true
}

// shRemoval is the removal of some commands of a list.
type shRemoval struct {
	list   *shList
	remove map[int]bool
	empty  func() // removes the whole list
}

// markConfigureSet records the removal of the `aws configure set` command
// of list l that holds f; it returns the reason when it cannot.
func (r *shRemoval) mark(data []byte, f scanner.Finding) string {
	for i, c := range r.list.cmds {
		if f.Offset < c.start || f.EndOffset > c.end {
			continue
		}
		val, ok := configureSet(c)
		if !ok && len(c.words) > 0 && strings.Contains(" if then else elif fi do done while until for case esac { } ! ", " "+c.words[0].text+" ") {
			return "the command is inside a compound command (if, for, while, case) on one line; remove it by hand. " + f.Suggestion
		}
		if !ok {
			return "the key is in a command other than aws configure set; remove it by hand. " + f.Suggestion
		}
		if f.Offset < val.start || f.EndOffset > val.end || (val.text != f.Secret && val.text != string(data[f.Offset:f.EndOffset])) {
			return "the key is not the value given to aws configure set; remove it by hand. " + f.Suggestion
		}
		r.remove[i] = true
		return ""
	}
	return "the key is not in a command keyscan understands; remove it by hand. " + f.Suggestion
}

// edits returns the spans that cut the marked commands out, or all=true
// when no command is left (the caller removes the whole list), or a reason
// when an operator next to a command would change what the rest does.
func (r *shRemoval) edits() (spans []span, all bool, reason string) {
	l := r.list
	n := len(l.cmds)
	if len(r.remove) == n {
		return nil, true, ""
	}
	safe := func(o string) bool { return o == "&&" || o == ";" }
	for a := 0; a < n; a++ {
		if !r.remove[a] {
			continue
		}
		b := a
		for b+1 < n && r.remove[b+1] {
			b++
		}
		var before, after string
		if a > 0 {
			before = l.ops[a-1]
		}
		if b+1 < n {
			after = l.ops[b]
		}
		for k := a; k < b; k++ {
			if !safe(l.ops[k]) {
				return nil, false, "aws configure set is joined by " + l.ops[k] + "; remove it by hand"
			}
		}
		switch {
		case before != "" && !safe(before), after != "" && !safe(after):
			return nil, false, "aws configure set is joined to the next command by " + before + after + "; remove it by hand"
		case after != "" && (before == "" || before == ";" || after == "&&"):
			// Cut the commands and the operator after them: "X && b" -> "b".
			spans = append(spans, span{start: l.cmds[a].start, end: l.cmds[b+1].start})
		default:
			// Cut the operator before them: "a && X" -> "a".
			spans = append(spans, span{start: l.cmds[a-1].end, end: l.cmds[b].end})
		}
		a = b
	}
	return spans, false, ""
}

// shellList returns the removal record of the command list at
// data[start:end], parsing it the first time; empty removes the whole list.
func (e *editor) shellList(start, end int, skipComments bool, empty func()) (*shRemoval, string) {
	if r, ok := e.shell[start]; ok {
		return r, ""
	}
	l, reason := parseShList(e.data, start, end, skipComments)
	if reason != "" {
		return nil, "the command line holds " + reason + ", which keyscan does not rewrite"
	}
	r := &shRemoval{list: l, remove: map[int]bool{}, empty: empty}
	e.shell[start] = r
	return r, ""
}

// shellLine removes the `aws configure set` command holding f from the
// shell logical line around it (lines joined by a final backslash).
func (e *editor) shellLine(f scanner.Finding) string {
	i := e.lineAt(f.Offset)
	first, last := i, i
	for first > 0 && e.continued(first-1) {
		first--
	}
	for last+1 < len(e.lines) && e.continued(last) {
		last++
	}
	s := e.text(first)
	start := e.lines[first].start + indentOf(s)
	end := e.lines[last].start + len(e.text(last))
	r, reason := e.shellList(start, end, false, func() { e.deleteCommands(first, last, start, end) })
	if reason != "" {
		return reason + "; remove the key by hand. " + f.Suggestion
	}
	return r.mark(e.data, f)
}

// shellFinish turns the recorded command removals into edits; a list that
// cannot be cut safely leaves its findings to a person.
func (e *editor) shellFinish(res *Result) {
	for _, r := range e.shell {
		if len(r.remove) == 0 {
			continue
		}
		spans, all, reason := r.edits()
		if reason != "" {
			e.unfix(res, r.list.start, r.list.end, reason)
			continue
		}
		if all {
			r.empty()
			continue
		}
		e.spans = append(e.spans, spans...)
	}
}

// unfix moves the findings fixed within data[start:end] back to Manual.
func (e *editor) unfix(res *Result, start, end int, reason string) {
	kept := res.Fixed[:0]
	for _, f := range res.Fixed {
		if f.Offset >= start && f.EndOffset <= end {
			res.Manual = append(res.Manual, Manual{f, reason + ". " + f.Suggestion})
			continue
		}
		kept = append(kept, f)
	}
	res.Fixed = kept
}

// deleteCommands removes lines first..last, which held only removed
// commands; where they were the whole body of an if, a loop, a case branch
// or a function, which the shell does not accept empty, the commands give
// way to the no-op ':' instead.
func (e *editor) deleteCommands(first, last, start, end int) {
	if e.onlyBody(first, last) {
		e.spans = append(e.spans, span{start: start, end: end, text: ":"})
		return
	}
	for l := first; l <= last; l++ {
		e.deleteLine(l)
	}
}

// onlyBody reports whether the kept command lines nearest before first and
// after last open and close a compound command.
// live returns the first line from j on, going by step (-1 or 1), that is
// neither blank nor a comment nor deleted: -1 or len(e.lines) when there
// is none. The lines it passes over are remembered (skipBack, skipFwd).
func (e *editor) live(j, step int) int {
	skip := &e.skipBack
	if step > 0 {
		skip = &e.skipFwd
	}
	if *skip == nil {
		*skip = map[int]int{}
	}
	var passed []int
	for j >= 0 && j < len(e.lines) {
		if to, ok := (*skip)[j]; ok {
			passed = append(passed, j)
			j = to
			continue
		}
		if t := strings.TrimSpace(e.text(j)); t != "" && !strings.HasPrefix(t, "#") && !e.del[j] {
			break
		}
		passed = append(passed, j)
		j += step
	}
	for _, p := range passed {
		(*skip)[p] = j
	}
	return j
}

func (e *editor) onlyBody(first, last int) bool {
	var before, after string
	if j := e.live(first-1, -1); j >= 0 {
		before = strings.TrimSpace(e.text(j))
	}
	if j := e.live(last+1, 1); j < len(e.lines) {
		after = strings.TrimSpace(e.text(j))
	}
	opens := false
	if f := strings.Fields(strings.NewReplacer(";", " ; ").Replace(before)); len(f) > 0 {
		switch f[len(f)-1] {
		case "then", "do", "else", "{", "(", "in":
			opens = true
		}
		opens = opens || strings.HasSuffix(before, ")") && !strings.Contains(before, "(") // a case pattern
	}
	closes := false
	if f := strings.Fields(strings.NewReplacer(";", " ; ").Replace(after)); len(f) > 0 {
		switch f[0] {
		case "fi", "done", "else", "elif", "}", ")", "esac", ";":
			closes = true
		}
	}
	return opens && closes
}
