package fix

import (
	"bytes"
	"strings"

	"github.com/keyscan/keyscan/scanner"
)

// YAML is fixed line by line, by indentation: a full YAML parser would lose
// the comments and the layout that the fix must keep.

// isContent reports whether line i holds YAML content (not blank, not a comment).
func (e *editor) isContent(i int) bool {
	t := strings.TrimSpace(e.text(i))
	return t != "" && !strings.HasPrefix(t, "#")
}

// itemIndent returns, for a line that starts a list item ("- ..."), the
// indentation of the dash; ok is false for other lines.
func (e *editor) itemIndent(i int) (int, bool) {
	s := e.text(i)
	d := indentOf(s)
	rest := s[d:]
	return d, rest == "-" || strings.HasPrefix(rest, "- ")
}

// contentIndent is where the content of a line starts, after any "- ".
func (e *editor) contentIndent(i int) int {
	s := e.text(i)
	p := indentOf(s)
	for strings.HasPrefix(s[p:], "- ") {
		p += 2
		for p < len(s) && s[p] == ' ' {
			p++
		}
	}
	return p
}

// listItem returns the first and last lines of the list item that line i
// belongs to as a mapping entry (line i is the item's "- " line or a key of
// the mapping at the item's content indentation).
func (e *editor) listItem(i int) (first, last int, ok bool) {
	ci := e.contentIndent(i)
	first = -1
	for j := i; j >= 0; j-- {
		if !e.isContent(j) {
			continue
		}
		if _, isItem := e.itemIndent(j); isItem && e.contentIndent(j) == ci {
			first = j
			break
		}
		if indentOf(e.text(j)) != ci {
			return 0, 0, false
		}
	}
	if first < 0 {
		return 0, 0, false
	}
	d, _ := e.itemIndent(first)
	last = first
	for j := first + 1; j < len(e.lines); j++ {
		if !e.isContent(j) {
			continue
		}
		if indentOf(e.text(j)) <= d {
			break
		}
		last = j
	}
	return first, last, true
}

// itemKeys returns the keys of the mapping that is the list item first..last,
// lowercased, with the line each is on.
func (e *editor) itemKeys(first, last int) map[string]int {
	keys := map[string]int{}
	ci := e.contentIndent(first)
	for j := first; j <= last; j++ {
		if !e.isContent(j) || (j != first && indentOf(e.text(j)) != ci) {
			continue
		}
		if a, ok := e.parseAssign(j); ok {
			keys[strings.ToLower(a.key)] = j
		}
	}
	return keys
}

// yaml removes the YAML entry that holds f.
func (e *editor) yaml(f scanner.Finding) string {
	i := e.lineAt(f.Offset)
	lastLine := e.lineAt(f.EndOffset - 1)
	a, ok := e.parseAssign(i)
	if r, isShell := e.yamlShell(f, i, a, ok); isShell {
		return r
	}
	if !ok {
		if c, cok := e.parseCommented(i); cok && lastLine == i {
			// "# secret_access_key: ..." is as public as the setting.
			if r := e.deletable(c, f); r != "" {
				return r
			}
			e.deleteLine(i)
			return ""
		}
	}
	if ok && strings.EqualFold(a.key, "value") {
		// name/value pairs: Kubernetes env, ECS and CloudFormation Environment.
		if first, last, ok := e.listItem(i); ok {
			keys := e.itemKeys(first, last)
			if nl, ok := keys["name"]; ok && len(keys) == 2 {
				if na, ok := e.parseAssign(nl); ok && credentialKey(strings.Trim(na.inner, `"'`)) {
					if r := e.deletable(assign{key: na.inner, valStart: a.valStart, valEnd: a.valEnd, inner: a.inner}, f); r != "" {
						return r
					}
					for j := first; j <= last; j++ {
						e.deleteLine(j)
					}
					e.markParent(first)
					return ""
				}
			}
		}
	}
	if ok && lastLine == i {
		if r := e.deletable(a, f); r != "" {
			return r
		}
		if _, isItem := e.itemIndent(i); isItem {
			if first, last, ok := e.listItem(i); ok && last > first {
				return "the key opens a list item with other entries; remove it by hand. " + f.Suggestion
			}
		}
		e.deleteLine(i)
		e.markParent(i)
		return ""
	}
	// A value on lines of its own under its key (block or multi-line scalar).
	if !ok {
		p := e.parent(i)
		if p < 0 {
			return "the line is not a setting keyscan understands; remove the key by hand. " + f.Suggestion
		}
		pa, pok := e.parseAssign(p)
		if !pok || !credentialKey(pa.key) {
			return "the key is part of a longer text; remove it by hand. " + f.Suggestion
		}
		val := strings.TrimSpace(pa.inner)
		if val != "" && !isBlockIndicator(val) {
			return "the key is part of a longer text (" + pa.key + "); remove it by hand. " + f.Suggestion
		}
		// Every line of the value must be the key itself.
		var text strings.Builder
		for j := i; j <= lastLine; j++ {
			text.WriteString(strings.TrimSpace(e.text(j)))
		}
		got := strings.Trim(text.String(), `"'`)
		if got != string(e.data[f.Offset:f.EndOffset]) && got != f.Secret {
			return "the key is part of a longer text (" + pa.key + "); remove it by hand. " + f.Suggestion
		}
		for j := i; j <= lastLine; j++ {
			e.deleteLine(j)
		}
		if e.hasChild(p) {
			e.markParent(i) // the block holds more than the key
			return ""
		}
		// "secret: |" or ">-" with the key on the next line is one
		// setting, removed whole as a plain one is: a key left with an
		// empty value would be an empty secret that a program passes on.
		for j := p; j < i; j++ {
			e.deleteLine(j)
		}
		e.markParent(p)
		return ""
	}
	return "the value spans several lines; remove it by hand. " + f.Suggestion
}

func isBlockIndicator(v string) bool {
	return v != "" && (v[0] == '|' || v[0] == '>') && strings.Trim(v[1:], "+-0123456789") == ""
}

// parent returns the line that holds line i's node as a child: the nearest
// content line above with less indentation, or, for a list item, one with
// the same indentation that is not itself an item ("env:\n- name: ...").
func (e *editor) parent(i int) int {
	// Asked for every line of every finding's path: remembered, as the
	// text never changes (a top-level key's children reach back to it
	// over the whole file: qa17 H9).
	if p, ok := e.parentOf[i]; ok {
		return p
	}
	p := e.readParent(i)
	if e.parentOf == nil {
		e.parentOf = map[int]int{}
	}
	e.parentOf[i] = p
	return p
}

// readParent looks back from line i. A line j passed over (indented at
// least as deep as i, and no match) whose parent is known lets the look
// jump there: the lines between j and its parent are indented at least as
// deep as j and none is a non-item at j's depth when j is an item, so none
// is i's parent either.
func (e *editor) readParent(i int) int {
	d := indentOf(e.text(i))
	_, isItem := e.itemIndent(i)
	for j := i - 1; j >= 0; {
		if !e.isContent(j) {
			j--
			continue
		}
		dj := indentOf(e.text(j))
		if dj < d {
			return j
		}
		if isItem && dj == d {
			if _, jItem := e.itemIndent(j); !jItem {
				return j
			}
		}
		if p, ok := e.parentOf[j]; ok {
			j = p
		} else {
			j--
		}
	}
	return -1
}

func (e *editor) markParent(i int) {
	if p := e.parent(i); p >= 0 {
		e.parents[p] = true
	}
}

// yamlCleanup removes keys the fix left without children: "environment:",
// "env:", "data:" or "credentials: |" with nothing under them would become
// null, which compose and Kubernetes reject or misread.
func (e *editor) yamlCleanup() {
	for changed := true; changed; {
		changed = false
		for p := range e.parents {
			delete(e.parents, p)
			if e.credentialsItem(p) {
				changed = true
				continue
			}
			if e.del[p] || e.hasChild(p) {
				continue
			}
			if end, ok := e.anchorOnly(p); ok {
				// "x-aws: &aws" that lost every key: an empty mapping keeps
				// the anchor and the "<<: *aws" merges that use it valid.
				e.spans = append(e.spans, span{start: end, end: end, text: " {}"})
				continue
			}
			if !e.opensBlock(p) {
				continue
			}
			if v, ok := e.emptyValue(p); ok && e.wouldEmpty(p) && !e.credentialsBlock(p) {
				// Deleting the key would leave its parent (or the document)
				// empty, a null in turn: the key stays, with an empty value
				// of its kind, and nothing above it changes.
				e.spans = append(e.spans, v)
				continue
			}
			e.deleteLine(p)
			e.markParent(p)
			changed = true
		}
	}
}

// credentialsBlock reports whether line p is a mapping named for
// credentials ("credentials:"), which a program handed it empty ({})
// takes as credentials given, not as none (the JavaScript SDK rejects
// it): it goes even when its parent is left empty, and the parent is
// looked at in turn; at the top of a document it stays. A block scalar (credentials: |, a file's text) stays
// with "" as any other.
func (e *editor) credentialsBlock(p int) bool {
	a, ok := e.parseAssign(p)
	if !ok || !credentialsObject(a.key) || e.parent(p) < 0 {
		return false // the document itself stays, as JSON's root does
	}
	return !isBlockIndicator(strings.TrimSpace(string(e.data[a.valStart:a.valEnd])))
}

// emptyValue returns the edit that gives key line p an empty value of the
// kind it had: {} for a mapping, [] for a list, "" for a block scalar.
func (e *editor) emptyValue(p int) (span, bool) {
	a, ok := e.parseAssign(p)
	if !ok {
		return span{}, false
	}
	v := strings.TrimSpace(string(e.data[a.valStart:a.valEnd]))
	if isBlockIndicator(v) {
		return span{start: a.valStart, end: a.valEnd, text: `""`}, true
	}
	text := "{}"
	for j := p + 1; j < len(e.lines); j++ {
		if !e.del[j] || !e.isContent(j) {
			continue
		}
		if _, item := e.itemIndent(j); item {
			text = "[]"
		}
		break
	}
	end := e.lines[p].start + len(e.text(p))
	if a.valStart < end { // a comment follows
		return span{start: a.valStart, end: a.valStart, text: text + " "}, true
	}
	return span{start: end, end: end, text: " " + text}, true
}

// wouldEmpty reports whether deleting line p would leave its parent, or for
// a key at the top, its document, without content.
func (e *editor) wouldEmpty(p int) bool {
	e.del[p] = true
	defer delete(e.del, p)
	if pp := e.parent(p); pp >= 0 {
		if d, item := e.itemIndent(pp); item && strings.TrimSpace(e.text(pp)[d+1:]) != "" {
			return false // "- name: app": the item keeps the key on its own line
		}
		return !e.hasChild(pp)
	}
	for j := p - 1; j >= 0 && !docBreak(e.text(j)); j-- {
		if !e.del[j] && e.isContent(j) {
			return false
		}
	}
	for j := p + 1; j < len(e.lines) && !docBreak(e.text(j)); j++ {
		if !e.del[j] && e.isContent(j) {
			return false
		}
	}
	return true
}

func docBreak(s string) bool {
	return strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...")
}

// anchorOnly reports whether line p is "key: &anchor" with nothing after
// the anchor but a comment, and returns where the anchor ends.
func (e *editor) anchorOnly(p int) (int, bool) {
	a, ok := e.parseAssign(p)
	if !ok {
		return 0, false
	}
	v := e.data[a.valStart:a.valEnd]
	t := bytes.TrimSpace(v)
	if len(t) < 2 || t[0] != '&' || bytes.ContainsAny(t, " \t") {
		return 0, false
	}
	return a.valStart + bytes.Index(v, t) + len(t), true
}

// opensBlock reports whether line p is "key:" with nothing after it but a
// block indicator or a comment, or a bare "-".
func (e *editor) opensBlock(p int) bool {
	s := strings.TrimSpace(e.text(p))
	if s == "-" {
		return true
	}
	a, ok := e.parseAssign(p)
	if !ok {
		return false
	}
	v := strings.TrimSpace(string(e.data[a.valStart:a.valEnd]))
	return v == "" || isBlockIndicator(v)
}

// hasChild reports whether a kept content line below p is its child.
func (e *editor) hasChild(p int) bool {
	dp := indentOf(e.text(p))
	_, pItem := e.itemIndent(p)
	for j := p + 1; j < len(e.lines); j++ {
		if e.del[j] || !e.isContent(j) {
			continue
		}
		dj := indentOf(e.text(j))
		if dj > dp {
			return true
		}
		if dj == dp && !pItem {
			_, jItem := e.itemIndent(j)
			return jItem
		}
		return false
	}
	return false
}

// shellKeys are the CI keys whose values are shell commands: GitHub Actions
// run:, GitLab CI script: and its before/after forms, Buildkite and Drone
// commands:, CircleCI command:, CodeBuild commands:.
var shellKeys = map[string]bool{"run": true, "script": true, "before_script": true, "after_script": true,
	"commands": true, "command": true}

// yamlShell removes an `aws configure set` command from a CI shell line:
// "run: CMD", a list item "- CMD" under script:, or a line of a "run: |"
// block. isShell is false when line i is none of these.
func (e *editor) yamlShell(f scanner.Finding, i int, a assign, ok bool) (reason string, isShell bool) {
	s := e.text(i)
	base := e.lines[i].start
	var start, end int
	var empty func()
	switch {
	case ok && shellKeys[strings.ToLower(a.key)] && f.Offset >= a.valStart:
		v := e.data[a.valStart:a.valEnd]
		if len(v) == 0 || v[0] == '"' || v[0] == '\'' || isBlockIndicator(string(v)) {
			return "", false
		}
		start, end = a.valStart, a.valEnd
		empty = func() {
			e.deleteLine(i)
			e.markParent(i)
		}
		if _, item := e.itemIndent(i); item {
			if first, last, ok := e.listItem(i); !ok || last > first {
				return "the command is the first key of a list item with other keys; remove it by hand. " + f.Suggestion, true
			}
		}
	case !ok:
		p := e.parent(i)
		if p < 0 {
			return "", false
		}
		pa, pok := e.parseAssign(p)
		if !pok || !shellKeys[strings.ToLower(pa.key)] {
			return "", false
		}
		pv := strings.TrimSpace(string(e.data[pa.valStart:pa.valEnd]))
		d, item := e.itemIndent(i)
		switch {
		case item && pv == "":
			start = base + d + 2
			for start < base+len(s) && e.data[start] == ' ' {
				start++
			}
			if start < base+len(s) && (e.data[start] == '"' || e.data[start] == '\'' || e.data[start] == '|' || e.data[start] == '>') {
				return "the command is a quoted or block YAML scalar; remove the key by hand. " + f.Suggestion, true
			}
		case isBlockIndicator(pv) && pv[0] == '|':
			start = base + indentOf(s)
		default:
			return "", false
		}
		first, last := i, i
		for !item && first-1 > p && e.continued(first-1) {
			first--
		}
		if first != i {
			start = e.lines[first].start + indentOf(e.text(first))
		}
		for !item && last+1 < len(e.lines) && e.continued(last) {
			last++
		}
		end = e.lines[last].start + len(e.text(last))
		empty = func() {
			if !item && e.onlyBody(first, last) {
				e.spans = append(e.spans, span{start: start, end: end, text: ":"})
				return
			}
			for l := first; l <= last; l++ {
				e.deleteLine(l)
			}
			e.markParent(first)
		}
	default:
		return "", false
	}
	r, reason := e.shellList(start, end, false, empty)
	if reason != "" {
		return reason + "; remove the key by hand. " + f.Suggestion, true
	}
	return r.mark(e.data, f), true
}
