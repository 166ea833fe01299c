package fix

import (
	"bytes"
	"encoding/base64"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/scanner"
)

// line is one line of the input: data[start:end] without its '\n' (a '\r'
// before it stays in the line and is kept by every edit).
type line struct{ start, end int }

// editor collects deletions over whole lines and byte spans, then applies
// them at once so that positions never shift under the analysis.
type editor struct {
	data    []byte
	syn     Syntax
	lines   []line
	del     map[int]bool // lines to delete
	spans   []span       // sub-line deletions
	parents map[int]bool // YAML: lines that lost a child
	docker  map[int]*instruction
	// silent are deleted lines that get no comment: a line inside a
	// Dockerfile instruction that goes on without it.
	silent map[int]bool
	shell  map[int]*shRemoval // command lists by start offset
	// notes are the comments that take the place of removed lines where
	// the syntax's own (commentText) would not be true, by line: a
	// Terraform backend, an rclone remote. The first of a run of deleted
	// lines that has one gets it.
	notes map[int][]string
	// endpoints memoises endpointIn by its lines: every finding of a
	// .env file asks about the whole file, and 40,000 pairs asking once
	// each made fix quadratic (qa10 MEDIUM-13).
	endpoints map[[2]int]string
	// words are lineWords' answers for each line, made on first use.
	words   []uint16
	headers []int          // iniSection's answer for each line, made on first use
	anchors map[string]int // anchorLine's answers, made on first use
	// skipBack and skipFwd hold, for a line onlyBody passed over (blank,
	// a comment, or deleted), a line further on from which to go on
	// looking: lines are only ever deleted, so what was passed over stays
	// so, and a file of many deleted pairs is crossed once, not once per
	// pair.
	skipBack, skipFwd map[int]int
	// docFirst and docLast are docRange's answers for each line, and
	// docKinds docKind's for each document by its first line, made on
	// first use.
	docFirst, docLast []int
	docKinds          map[int][2]string
	// parentOf, bundled and cfn remember parent's, bundledImage's and
	// cfnTemplate's answers (0 not asked, 1 no, 2 yes): each is asked
	// per finding and reads far back or the whole file.
	parentOf map[int]int
	bundled  map[int]string
	cfn      int8
}

type span struct {
	start, end int
	text       string
}

func newEditor(data []byte, syn Syntax) *editor {
	e := &editor{data: data, syn: syn, del: map[int]bool{}, parents: map[int]bool{}, docker: map[int]*instruction{}, silent: map[int]bool{}, shell: map[int]*shRemoval{}, notes: map[int][]string{}}
	start := 0
	if bytes.HasPrefix(data, []byte("\ufeff")) {
		// A UTF-8 byte order mark (Windows Notepad's .env) is no part of
		// the first line's setting (qa12 LOW-7); it stays before the first
		// line unless a comment takes that line's place (apply).
		start = 3
	}
	e.lines = make([]line, 0, bytes.Count(data, []byte("\n"))+1)
	for start < len(data) {
		i := bytes.IndexByte(data[start:], '\n')
		if i < 0 {
			break
		}
		e.lines = append(e.lines, line{start, start + i})
		start += i + 1
	}
	if start < len(data) {
		e.lines = append(e.lines, line{start, len(data)})
	}
	return e
}

// text is the line without its '\r'.
func (e *editor) text(i int) string {
	return strings.TrimSuffix(string(e.data[e.lines[i].start:e.lines[i].end]), "\r")
}

// lineAt returns the index of the line holding offset.
func (e *editor) lineAt(off int) int {
	i, found := slices.BinarySearchFunc(e.lines, off, func(l line, off int) int {
		switch {
		case off < l.start:
			return 1
		case off > l.end:
			return -1
		}
		return 0
	})
	if !found {
		return max(0, min(i, len(e.lines)-1))
	}
	return i
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }

// assign is a line of the form [prefix] key sep value [comment].
type assign struct {
	key              string
	valStart, valEnd int // absolute offsets of the value, quotes included
	inner            string
}

// parseAssign reads line i as an assignment. Prefixes: "export " (shell,
// .env) and "- " (YAML list items). Separators: '=' and ':' (and ':' must be
// followed by a space or the end in YAML).
func (e *editor) parseAssign(i int) (assign, bool) {
	s := e.text(i)
	base := e.lines[i].start
	p := indentOf(s)
	if e.syn == YAML && strings.HasPrefix(s[p:], "- ") {
		p += 2
		for p < len(s) && s[p] == ' ' {
			p++
		}
	}
	if e.syn == Env && strings.HasPrefix(s[p:], "export ") {
		p += len("export ")
		for p < len(s) && s[p] == ' ' {
			p++
		}
	}
	ks := p
	var key string
	if p < len(s) && (s[p] == '"' || s[p] == '\'') {
		q := s[p]
		j := strings.IndexByte(s[p+1:], q)
		if j < 0 {
			return assign{}, false
		}
		key = s[p+1 : p+1+j]
		p += j + 2
	} else {
		for p < len(s) && isKeyByte(s[p]) {
			p++
		}
		key = s[ks:p]
	}
	if key == "" {
		return assign{}, false
	}
	for p < len(s) && (s[p] == ' ' || s[p] == '\t') {
		p++
	}
	if p >= len(s) || (s[p] != '=' && s[p] != ':') {
		return assign{}, false
	}
	sep := s[p]
	p++
	if e.syn == YAML && sep == ':' && p < len(s) && s[p] != ' ' && s[p] != '\t' {
		return assign{}, false
	}
	if e.syn == HCL && sep != '=' {
		return assign{}, false
	}
	for p < len(s) && (s[p] == ' ' || s[p] == '\t') {
		p++
	}
	vs := p
	ve := valueEnd(s, p, e.syn)
	v := strings.TrimRight(s[vs:ve], " \t")
	ve = vs + len(v)
	inner := v
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		inner = v[1 : len(v)-1]
	}
	return assign{key: key, valStart: base + vs, valEnd: base + ve, inner: inner}, true
}

func isKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '/'
}

// valueEnd finds where a value ends: at a comment outside quotes.
func valueEnd(s string, p int, syn Syntax) int {
	var q byte
	for i := p; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			} else if c == '\\' && q == '"' {
				i++
			}
		case (c == '"' || c == '\'') && i == p:
			q = c
		case c == '#' && (i == p || s[i-1] == ' ' || s[i-1] == '\t') && syn != Properties:
			return i
		case c == ';' && syn == INI && (s[i-1] == ' ' || s[i-1] == '\t'):
			return i
		case c == '/' && syn == HCL && i+1 < len(s) && s[i+1] == '/' && (i == p || s[i-1] == ' '):
			return i
		}
	}
	return len(s)
}

// deletable reports why line i, an assignment, may not be deleted to remove
// f; empty means it may.
func (e *editor) deletable(a assign, f scanner.Finding) string {
	if f.Offset < a.valStart || f.EndOffset > a.valEnd {
		return "the key is not the value of a setting keyscan understands; remove it by hand. " + f.Suggestion
	}
	written := string(e.data[f.Offset:f.EndOffset])
	if a.inner == written || a.inner == f.Secret {
		return ""
	}
	if runDecoded(f.Encoding) && !decodesTo(a.inner, f.Secret) {
		// A piece of an encoded document (a credentials file in base64):
		// deleting the setting would delete the rest of the document too.
		return "the key is encoded (" + f.Encoding + ") in the value of " + a.key + " with other text; decode it, remove the key and encode it again by hand. " + f.Suggestion
	}
	if strings.ContainsAny(a.inner, " \t") {
		return "the key is part of a longer text (" + a.key + "); remove it by hand. " + f.Suggestion
	}
	if inURL(a.inner) {
		return inURLReason(a.key, f)
	}
	if credentialKey(a.key) {
		return ""
	}
	return "the key is part of the value of " + a.key + ", which also holds other things; remove it by hand. " + f.Suggestion
}

// inURL reports whether a value that holds a key and more is a URL:
// aws://ID:SECRET@/?region_name=... (an Airflow connection), s3a://,
// a presigned URL. Deleting the setting would lose the rest of the URL
// (the host, the region, the bucket), and a URL without its key is
// another connection: it is left for a person.
func inURL(v string) bool { return strings.Contains(v, "://") }

// inURLReason is the reason a key inside the URL of setting key stays.
func inURLReason(key string, f scanner.Finding) string {
	return "the key is inside a URL (" + key + "), with settings a deletion would lose; take the key out of the URL by hand. " + f.Suggestion
}

// runDecoded reports whether an encoding names a decoded run (base64 and
// those written inside it), whose text may hold more than the key.
func runDecoded(enc string) bool {
	return strings.HasPrefix(enc, "base64")
}

// decodesTo reports whether v, base64 once or a few times over (a
// Kubernetes Secret's data), is the key itself and nothing else.
func decodesTo(v, key string) bool {
	for range 5 {
		b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(strings.TrimSpace(v), "="))
		if err != nil {
			return false
		}
		if v = string(b); strings.TrimSpace(v) == key {
			return true
		}
	}
	return false
}

// assignAt parses the line of f as an assignment.
func (e *editor) assignAt(f scanner.Finding) (assign, bool) {
	return e.parseAssign(e.lineAt(f.Offset))
}

// assignLine reports whether the line of f is an assignment, commented
// out or not.
func (e *editor) assignLine(f scanner.Finding) bool {
	i := e.lineAt(f.Offset)
	if _, ok := e.parseAssign(i); ok {
		return true
	}
	_, ok := e.parseCommented(i)
	return ok
}

// parseCommented reads line i as a commented-out assignment: "# key = v",
// "#export KEY=v", "; key=v" in INI, "! key=v" in properties.
func (e *editor) parseCommented(i int) (assign, bool) {
	s := e.text(i)
	p := indentOf(s)
	markers := "#"
	switch e.syn {
	case INI:
		markers = "#;"
	case Properties:
		markers = "#!"
	case HCL:
		return assign{}, false
	}
	if p >= len(s) || !strings.ContainsRune(markers, rune(s[p])) {
		return assign{}, false
	}
	for p < len(s) && (strings.ContainsRune(markers, rune(s[p])) || s[p] == ' ' || s[p] == '\t') {
		p++
	}
	// Parse the rest as a line of its own: a copy of the editor's view
	// whose line i starts after the marker.
	sub := *e
	sub.lines = []line{{e.lines[i].start + p, e.lines[i].end}}
	a, ok := sub.parseAssign(0)
	if !ok || a.key == "" || strings.ContainsAny(a.inner, " \t") {
		return assign{}, false
	}
	return a, true
}

// assignment removes the line that assigns f (INI, .env, HCL, properties).
func (e *editor) assignment(f scanner.Finding) string {
	i := e.lineAt(f.Offset)
	if last := e.lineAt(f.EndOffset - 1); last != i {
		if !e.valueContinued(i, last, f) {
			return "the value spans several lines; remove it by hand. " + f.Suggestion
		}
		for l := i; l <= last; l++ {
			e.deleteLine(l)
		}
		return ""
	}
	a, ok := e.parseAssign(i)
	if !ok {
		// A commented-out setting is as public as a setting.
		c, ok := e.parseCommented(i)
		if !ok {
			return "the line is not a setting keyscan understands; remove the key by hand. " + f.Suggestion
		}
		if r := e.deletable(c, f); r != "" {
			return r
		}
		e.deleteLine(i)
		return ""
	}
	if r := e.deletable(a, f); r != "" {
		return r
	}
	e.deleteLine(i)
	return ""
}

// valueContinued reports whether lines first..last are one setting of a
// .properties, .env or shell file whose value, f, goes on past a
// backslash at the end of each line but the last: a setting named for a
// credential whose value, without the breaks, is the key.
func (e *editor) valueContinued(first, last int, f scanner.Finding) bool {
	if e.syn != Properties && e.syn != Env {
		return false
	}
	a, ok := e.parseAssign(first)
	if !ok || f.Offset < a.valStart || !credentialKey(a.key) {
		return false
	}
	var v strings.Builder
	v.WriteString(string(e.data[a.valStart : e.lines[first].start+len(e.text(first))]))
	for l := first; l <= last; l++ {
		t := e.text(l)
		if l > first {
			t = strings.TrimLeft(t, " \t")
			v.WriteString(t)
		}
		cont := len(t) - len(strings.TrimRight(t, `\`))
		if (l < last) != (cont%2 == 1) {
			return false // each line but the last ends in one continuing backslash
		}
	}
	joined := strings.ReplaceAll(v.String(), "\\", "")
	return strings.Trim(joined, `"'`) == f.Secret
}

func (e *editor) deleteLine(i int) {
	e.del[i] = true
}

// deletedRun returns the last line of the run of deleted lines from i.
func (e *editor) deletedRun(i int) int {
	for i+1 < len(e.lines) && e.del[i+1] {
		i++
	}
	return i
}

// commentText is the line that replaces removed keys, per syntax; empty
// where the syntax has no comments or a comment could change meaning.
func (e *editor) commentText() string {
	const msg = "keyscan: AWS keys removed; credentials come from the EC2 instance role (instance profile)"
	switch e.syn {
	case INI:
		return "# " + msg
	case Env, Dockerfile, Properties:
		return "# " + msg
	case HCL:
		return "# keyscan: AWS keys removed; the provider uses the instance profile of the machine that runs Terraform"
	}
	return ""
}

// hclAttr matches a Terraform attribute on one line: its indentation,
// name, the blanks before the '=', and its value.
var hclAttr = lazyre.New(`^([ \t]*)([A-Za-z_][A-Za-z0-9_-]*)([ \t]*)=([^=].*|)$`)

// hclAttrAt reads line i as a one-line attribute: its indentation, the
// end of its name and the offset of its '=' in the line; false for
// anything else (a block, a comment, a value that goes on to other lines).
func (e *editor) hclAttrAt(i int) (indent string, nameEnd, eq int, ok bool) {
	s := e.text(i)
	m := hclAttr.FindStringSubmatchIndex(s)
	if m == nil {
		return "", 0, 0, false
	}
	v := s[m[8]:]
	if strings.Contains(v, "<<") || strings.Count(v, "{")+strings.Count(v, "[")+strings.Count(v, "(") != strings.Count(v, "}")+strings.Count(v, "]")+strings.Count(v, ")") {
		return "", 0, 0, false // a heredoc or a value on several lines
	}
	return s[:m[3]], m[5], m[7], true
}

// hclAlign aligns the '=' of the attributes around deleted lines as
// terraform fmt does (qa11 LOW-3: terraform fmt -check failed after a
// fix): a group is a run of one-line attributes at one indentation, and
// a comment, a blank line or a block ends it. Removing access_key and
// secret_key can shorten a group's longest name, and the comment that
// takes their place splits a group in two.
func (e *editor) hclAlign(comment string) {
	type attr struct {
		line        int
		indent      string
		nameEnd, eq int
	}
	group := func(from, step int) []attr {
		var g []attr
		for j := from; j >= 0 && j < len(e.lines) && !e.del[j]; j += step {
			in, nameEnd, eq, ok := e.hclAttrAt(j)
			if !ok || len(g) > 0 && in != g[0].indent {
				break
			}
			g = append(g, attr{j, in, nameEnd, eq})
		}
		return g
	}
	align := func(g []attr) {
		width := 0
		for _, a := range g {
			width = max(width, a.nameEnd-len(a.indent))
		}
		for _, a := range g {
			pad := strings.Repeat(" ", width-(a.nameEnd-len(a.indent))+1)
			if e.text(a.line)[a.nameEnd:a.eq] != pad {
				e.spans = append(e.spans, span{start: e.lines[a.line].start + a.nameEnd, end: e.lines[a.line].start + a.eq, text: pad})
			}
		}
	}
	for i := 0; i < len(e.lines); i++ {
		if !e.del[i] {
			continue
		}
		run := e.deletedRun(i)
		before, after := group(i-1, -1), group(run+1, 1)
		// With no comment in the lines' place, the attributes around them
		// are one group if they stand at one indentation.
		if (comment == "" || e.silent[i]) && len(before) > 0 && len(after) > 0 && before[0].indent == after[0].indent {
			align(append(before, after...))
		} else {
			align(before)
			align(after)
		}
		i = run
	}
}

// apply builds the new content.
func (e *editor) apply() []byte {
	comment := e.commentText()
	if e.syn == HCL && len(e.del) > 0 {
		e.hclAlign(comment)
	}
	var out bytes.Buffer
	out.Grow(len(e.data))
	spans := slices.Clone(e.spans)
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	pos := 0
	emit := func(to int) { // copy data[pos:to], applying spans
		for len(spans) > 0 && spans[0].start < to {
			s := spans[0]
			spans = spans[1:]
			if s.start < pos { // inside a deleted line or overlapping an earlier span
				pos = max(pos, s.end)
				continue
			}
			out.Write(e.data[pos:s.start])
			out.WriteString(s.text)
			pos = max(pos, s.end)
		}
		if pos < to {
			out.Write(e.data[pos:to])
			pos = to
		}
	}
	if len(e.lines) > 0 && e.lines[0].start == 3 && e.del[0] && comment != "" && !e.silent[0] {
		// A byte order mark before the first line, which goes: the
		// comment in its place would follow the mark, and a shell reads
		// "\ufeff#" as a command word, not a comment (qa12 LOW-7), so
		// the mark goes with the line that followed it.
		pos = 3
	}
	for i, l := range e.lines {
		if !e.del[i] {
			continue
		}
		emit(l.start)
		end := l.end
		if end < len(e.data) {
			end++ // the '\n'
		}
		if comment != "" && !e.silent[i] && (i == 0 || !e.del[i-1] || e.silent[i-1]) {
			s := e.text(i)
			texts := []string{comment}
			run := e.deletedRun(i)
			for j := i; j <= run; j++ {
				if n, ok := e.notes[j]; ok {
					texts = n
					break
				}
			}
			ending := e.data[l.start+len(s) : end] // the line's own ending
			for k, t := range texts {
				out.WriteString(s[:indentOf(s)])
				if e.syn == Env && e.onlyBody(i, run) {
					// The whole body of an if, a loop or a function: the
					// shell accepts no body of comments only.
					out.WriteString(": ")
				}
				out.WriteString(t)
				if k < len(texts)-1 && len(ending) == 0 {
					out.WriteByte('\n')
				} else {
					out.Write(ending)
				}
			}
		}
		pos = end
	}
	emit(len(e.data))
	b := out.Bytes()
	// Deleting the last lines of a file that does not end in a newline
	// would leave the newline of the line before as the new end.
	if len(e.data) > 0 && e.data[len(e.data)-1] != '\n' && bytes.HasSuffix(b, []byte("\n")) {
		b = bytes.TrimSuffix(b[:len(b)-1], []byte("\r"))
	}
	return b
}
