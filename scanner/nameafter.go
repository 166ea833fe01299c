package scanner

import (
	"bytes"
	"strings"
)

// A value's name usually comes before it (name = value) or, in tuples and
// pairs, after it with only value words between ('S', 'name';
// {"value": S, "name": ...}: see assigns). More layouts name the value
// after it, each with words of its own between the two (qa17 H8):
//
//	UPDATE config SET value = 'S' WHERE scope = 'prod' AND name = 'aws_secret_access_key';
//	SELECT 'S' AS aws_secret_access_key;
//	echo "S" | docker secret create aws_secret_access_key -
//	cat <<< "S" | gh secret set AWS_SECRET_ACCESS_KEY
//	<<< "S" docker secret create aws_secret_access_key -
//	echo "S" > /run/secrets/aws_secret_access_key
//	printf %s "S" | sudo tee /run/secrets/aws_secret_access_key
//	echo -n "S" | vault kv put secret/aws aws_secret_access_key=-
//	echo "S" | kubectl create secret generic aws --from-file=aws_secret_access_key=/dev/stdin
//
// namedAfter reports whether the text between the value (ending at end) and
// a keyword after it reads as one of them. Each form is read whole, so that
// only the name the statement or command gives the value counts. A SQL
// statement may go on over two more lines; a shell command is one line.
func namedAfter(d []byte, end int, kw *keyword) bool {
	between := d[end:kw.start]
	if len(between) > 160 {
		return false
	}
	if sqlNamedAfter(between, setValue(d, end)) {
		return true
	}
	if len(between) > 120 || bytes.IndexByte(between, '\n') >= 0 {
		return false
	}
	return pipedToNamingCommand(d, end, kw) || redirectedToName(d, end, kw) || hereStringFirst(d, end, kw)
}

// sqlNamedAfter reads b, from the value's closing quote to the keyword's
// opening quote, as SQL giving the value its name: a column alias (' AS ",
// ' AS ), or a row's key in the WHERE clause of a statement that sets or
// compares the value (= '…', IN ('…'), LIKE '…'), after any more assignments of the SET list and any
// conditions joined by AND (', updated = now() WHERE scope = 'x' AND name
// = ', ' AND name = '). Where the value is set (set: UPDATE … SET value =
// 'S'), conditions joined by OR name it too, and so does any item of an
// IN list: every row they select is given the value (WHERE name = 'x' OR
// name = 'aws_secret_access_key'); where it is compared, OR does not say
// the value is the key's. One statement: no ; between, at most two line
// breaks.
func sqlNamedAfter(b []byte, set bool) bool {
	if len(b) == 0 || bytes.IndexByte(b, ';') >= 0 || bytes.Count(b, []byte{'\n'}) > 2 {
		return false
	}
	closing := 1
	if b[0] == '$' {
		closing = dollarTag(b) // PostgreSQL's $$S$$, $q$S$q$ (qa19 M3)
	} else if b[0] != '\'' && b[0] != '"' {
		return false
	}
	if closing == 0 {
		return false
	}
	s := sqlText{b: b[closing:]}
	w := s.word()
	if equalLower(w, "as") {
		rest := s.blanks()
		return len(rest) == 0 || len(rest) == 1 && isQuote(rest[0])
	}
	for len(w) == 0 && s.next(',') { // SET value = 'S', updated = now()
		if !s.column() || !s.next('=') || !s.value() {
			return false
		}
		w = s.word()
	}
	if !equalLower(w, "where") && !equalLower(w, "and") {
		return false
	}
	for {
		s.next('(') // WHERE (name = '…')
		if !s.column() {
			return false
		}
		switch w := s.peekWord(); {
		case equalLower(w, "in"):
			s.word()
			if rest := s.blanks(); len(rest) > 1 && rest[0] == '(' && isKeyQuote(bytes.TrimLeft(rest[1:], " \t")) {
				return true // name IN ('aws_secret_access_key')
			}
			if set && s.listBefore() {
				return true // SET … WHERE name IN ('x', 'aws_secret_access_key')
			}
			if !s.list() || !s.joined(set) {
				return false
			}
			continue
		case equalLower(w, "like"):
			s.word()
			return isKeyQuote(s.blanks()) // name LIKE 'aws_secret_access_key'
		}
		if !s.next('=') {
			return false
		}
		if isKeyQuote(s.blanks()) {
			return true // the key column's value is the keyword
		}
		if !s.value() || !s.joined(set) {
			return false
		}
	}
}

// joined reads the word that joins two conditions: AND, or OR where the
// value is set.
func (s *sqlText) joined(set bool) bool {
	w := s.word()
	return equalLower(w, "and") || set && equalLower(w, "or")
}

// listBefore reads a parenthesised list of values up to the keyword's
// opening quote, its next item: ('x', 'y', '.
func (s *sqlText) listBefore() bool {
	t := *s
	if !t.next('(') {
		return false
	}
	for t.value() && t.next(',') {
		if isKeyQuote(t.blanks()) {
			return true
		}
	}
	return false
}

// setValue reports whether the quoted value that ends at end is one an
// UPDATE's SET list gives (SET value = 'S', SET a = 1, value = 'S'), not
// one a condition compares: the nearest SET or WHERE before it, on its
// line or the two above, is SET.
func setValue(d []byte, end int) bool {
	if end >= len(d) || !isQuote(d[end]) {
		return false
	}
	open := bytes.LastIndexByte(d[max(0, end-64):end], d[end])
	if open < 0 {
		return false
	}
	open += max(0, end-64)
	for i := open - 1; i >= max(0, open-240); i-- {
		if d[i] == ';' {
			return false
		}
		if i > 0 && isWord(d[i-1]) {
			continue
		}
		switch w, _ := leadingWord(d[i:open]); {
		case equalLower(w, "set"):
			return true
		case equalLower(w, "where"):
			return false
		}
	}
	return false
}

// isKeyQuote reports whether rest is the keyword's opening quote alone,
// SQL Server's N before it (N'aws_secret_access_key') or PostgreSQL's
// dollar quote ($$aws_secret_access_key$$).
func isKeyQuote(rest []byte) bool {
	if len(rest) == 2 && rest[0]|0x20 == 'n' {
		rest = rest[1:]
	}
	return len(rest) == 1 && (rest[0] == '\'' || rest[0] == '"') || len(rest) > 1 && dollarTag(rest) == len(rest)
}

// dollarTag returns the length of the PostgreSQL dollar quote that b
// starts with ($$, $q$, $body$), or 0.
func dollarTag(b []byte) int {
	if len(b) < 2 || b[0] != '$' {
		return 0
	}
	for i := 1; i < len(b) && i <= 32; i++ {
		switch c := b[i]; {
		case c == '$':
			return i + 1
		case isWord(c) && !(i == 1 && isDigit(c)): // $1 is a parameter
		default:
			return 0
		}
	}
	return 0
}

// sqlText reads the words of a short piece of SQL from its start.
type sqlText struct{ b []byte }

// blanks skips blanks, line breaks and comments (-- to the line's end,
// /* … */) and returns what is left.
func (s *sqlText) blanks() []byte {
	for {
		// bytes.TrimLeft would build its set of four bytes at each call,
		// and secretContext asks this of every keyword before a value.
		i := 0
		for i < len(s.b) && (s.b[i] == ' ' || s.b[i] == '\t' || s.b[i] == '\r' || s.b[i] == '\n') {
			i++
		}
		s.b = s.b[i:]
		switch {
		case bytes.HasPrefix(s.b, []byte("--")):
			if i := bytes.IndexByte(s.b, '\n'); i >= 0 {
				s.b = s.b[i:]
				continue
			}
			s.b = nil
		case bytes.HasPrefix(s.b, []byte("/*")):
			if i := bytes.Index(s.b[2:], []byte("*/")); i >= 0 {
				s.b = s.b[i+4:]
				continue
			}
			s.b = nil
		}
		return s.b
	}
}

// word reads an identifier (empty where none stands next).
func (s *sqlText) word() []byte {
	w, rest := leadingWord(s.blanks())
	s.b = rest
	return w
}

// peekWord is word without reading it.
func (s *sqlText) peekWord() []byte {
	w, _ := leadingWord(s.blanks())
	return w
}

// next reads the byte c.
func (s *sqlText) next(c byte) bool {
	if b := s.blanks(); len(b) > 0 && b[0] == c {
		s.b = b[1:]
		return true
	}
	return false
}

// column reads a column's name, plain, qualified (t.name) or quoted
// ("name", `name`, [name]).
func (s *sqlText) column() bool {
	b := s.blanks()
	if len(b) > 0 && (b[0] == '"' || b[0] == '`' || b[0] == '[') {
		closing := b[0]
		if closing == '[' {
			closing = ']'
		}
		w, rest := leadingWord(b[1:])
		if len(w) == 0 || len(rest) == 0 || rest[0] != closing {
			return false
		}
		s.b = rest[1:]
		return true
	}
	w, rest := leadingWord(b)
	for len(w) > 0 && len(rest) > 1 && rest[0] == '.' {
		w, rest = leadingWord(rest[1:])
	}
	s.b = rest
	return len(w) > 0
}

// value reads a value: a quoted string (N'…' too), a number, or a word with an empty
// call after it (NULL, now(), CURRENT_TIMESTAMP).
func (s *sqlText) value() bool {
	b := s.blanks()
	if len(b) > 1 && b[0]|0x20 == 'n' && b[1] == '\'' {
		b = b[1:] // N'…': SQL Server's Unicode string
	}
	if len(b) > 0 && (b[0] == '\'' || b[0] == '"') {
		k := bytes.IndexByte(b[1:], b[0])
		if k < 0 {
			return false
		}
		s.b = b[k+2:]
		return true
	}
	if t := dollarTag(b); t > 0 { // $$…$$, $q$…$q$
		k := bytes.Index(b[t:], b[:t])
		if k < 0 {
			return false
		}
		s.b = b[t+k+t:]
		return true
	}
	if s.word() == nil {
		return false
	}
	if b := s.blanks(); len(b) > 1 && b[0] == '(' && b[1] == ')' {
		s.b = b[2:]
	}
	return true
}

// list reads a parenthesised list of values (IN ('a', 'b')).
func (s *sqlText) list() bool {
	if !s.next('(') {
		return false
	}
	for {
		if !s.value() {
			return false
		}
		if s.next(')') {
			return true
		}
		if !s.next(',') {
			return false
		}
	}
}

// leadingWord splits b after its leading run of identifier characters.
func leadingWord(b []byte) (word, rest []byte) {
	i := 0
	for i < len(b) && isWord(b[i]) {
		i++
	}
	return b[:i], b[i:]
}

// pipedToNamingCommand reports whether the value, written by echo or printf
// on its shell line (or by cat from a here-string: cat <<< "S"), is piped
// into a command that takes the keyword as the name of what it reads from
// its input (docker secret create NAME -, gh secret set NAME). The keyword
// must be a whole argument of the last command of the pipe, with at least
// one command word before it, and after it nothing but options and their
// arguments, and one more bare argument at most: docker secret create NAME
// FILE reads FILE and not the pipe, but the value written beside the name
// is what the script's author meant for it, and is reported as such (the
// false alarm a finding costs is less than a secret missed). In "docker
// secret create NAME -" the "secret" of the command's words is not the
// name: two bare words follow it.
func pipedToNamingCommand(d []byte, end int, kw *keyword) bool {
	// The keyword may end a path (--name /prod/aws_secret_access_key).
	word := pathStart(d, kw.start)
	if word < end {
		word = kw.start // the path reaches back into the value
	}
	between, after := d[end:word], kw.end
	// NAME=- (vault kv put), --from-file=NAME=/dev/stdin (kubectl create
	// secret): the name given to the standard input, which the pipe fills
	// (qa18 H2)
	if n := stdinNamed(d[kw.end:]); n > 0 {
		after += n
		if t, ok := bytes.CutSuffix(between, []byte("--from-file=")); ok {
			between, word = t, word-len("--from-file=")
		}
	}
	bar := bytes.LastIndexByte(between, '|')
	if bar < 0 || bytes.ContainsAny(between, ";&<>=()$`") || bytes.Contains(between, []byte("||")) {
		return false
	}
	if c := bytes.TrimLeft(between, "\"' \t"); len(c) == 0 || c[0] != '|' {
		return false // the value's own argument ends at the first pipe
	}
	if word == 0 || d[word-1] != ' ' && d[word-1] != '\t' {
		return false
	}
	if len(bytes.Fields(between[bar+1:])) == 0 {
		return false // | NAME: a table's cell, not a command's argument
	}
	return echoedValue(d, end) && onlyOptionsAfter(d, after, 1)
}

// stdinNamed returns the length of the "=-" or "=/dev/stdin" that gives
// the name just before rest the standard input as its value, or 0.
func stdinNamed(rest []byte) int {
	for _, v := range [...]string{"=-", "=/dev/stdin"} {
		if bytes.HasPrefix(rest, []byte(v)) && (len(rest) == len(v) || rest[len(v)] == ' ' || rest[len(v)] == '\t' || rest[len(v)] == '\n' || rest[len(v)] == '\r') {
			return len(v)
		}
	}
	return 0
}

// redirectedToName reports whether the value, written by echo or printf
// (or cat from a here-string), goes to a file that the keyword names: the
// last part of the path of a redirection (> /run/secrets/NAME, >> NAME)
// or of the file tee writes (| tee -a NAME, | sudo tee NAME), as Docker's
// and Kubernetes' secrets are files named for them.
func redirectedToName(d []byte, end int, kw *keyword) bool {
	between := bytes.TrimLeft(d[end:kw.start], "\"' \t")
	if len(between) == 0 {
		return false
	}
	// The path before the keyword: empty or ending at a '/', one word.
	p := len(between)
	for p > 0 && between[p-1] != ' ' && between[p-1] != '\t' && between[p-1] != '>' {
		p--
	}
	path, head := between[p:], bytes.TrimRight(between[:p], " \t")
	if len(path) > 0 && path[len(path)-1] != '/' || bytes.ContainsAny(path, "|;&<>$`") {
		return false
	}
	switch {
	case bytes.Equal(head, []byte(">")) || bytes.Equal(head, []byte(">>")):
	case len(head) > 0 && head[0] == '|':
		f := bytes.Fields(head[1:])
		if len(f) > 0 && string(f[0]) == "sudo" {
			f = f[1:]
		}
		if len(f) == 0 || string(f[0]) != "tee" {
			return false
		}
		for _, o := range f[1:] {
			if o[0] != '-' {
				return false
			}
		}
	default:
		return false
	}
	return echoedValue(d, end) && onlyOptionsAfter(d, kw.end, 0)
}

// hereStringFirst reports whether the value is the here-string that opens a
// command naming it: <<< "S" docker secret create NAME -.
func hereStringFirst(d []byte, end int, kw *keyword) bool {
	ls := bytes.LastIndexByte(d[:end], '\n') + 1
	line := d[ls:end]
	if i := bytes.LastIndexAny(line, ";&("); i >= 0 {
		line = line[i+1:]
	}
	line = bytes.TrimLeft(line, " \t")
	rest, ok := bytes.CutPrefix(line, []byte("<<<"))
	if !ok {
		return false
	}
	rest = bytes.TrimLeft(rest, " \t")
	if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
		rest = rest[1:]
	}
	if bytes.ContainsAny(rest, " \t\"'") {
		return false // the value is the here-string's whole word
	}
	between := d[end:kw.start]
	if bytes.ContainsAny(between, ";&|<>=()$`") || kw.start == 0 || d[kw.start-1] != ' ' && d[kw.start-1] != '\t' {
		return false
	}
	c := bytes.TrimLeft(between, "\"'")
	if len(c) == 0 || c[0] != ' ' && c[0] != '\t' || len(bytes.Fields(c)) == 0 {
		return false // a blank after the value's word, and a command
	}
	return onlyOptionsAfter(d, kw.end, 1)
}

// echoedValue reports whether the value ending at end is the last argument
// of an echo or printf that begins its shell command (the line, or after ;,
// && or a subshell's parenthesis), or the here-string cat reads (cat <<<
// "S").
func echoedValue(d []byte, end int) bool {
	ls := bytes.LastIndexByte(d[:end], '\n') + 1
	line := d[ls:end]
	if i := bytes.LastIndexAny(line, ";&(|"); i >= 0 {
		line = line[i+1:]
	}
	cmd, rest := leadingWord(bytes.TrimLeft(line, " \t"))
	if equalLower(cmd, "cat") {
		rest = bytes.TrimLeft(rest, " \t")
		rest, ok := bytes.CutPrefix(rest, []byte("<<<"))
		rest = bytes.TrimLeft(rest, " \t")
		if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
			rest = rest[1:]
		}
		return ok && !bytes.ContainsAny(rest, " \t\"'")
	}
	return equalLower(cmd, "echo") || equalLower(cmd, "printf")
}

// onlyOptionsAfter reports whether the rest of the shell command after i
// holds only options (-, --repo) and the arguments that follow them, and
// bare more bare arguments at most.
func onlyOptionsAfter(d []byte, i, bare int) bool {
	e := i
	for e < len(d) && d[e] != '\n' && d[e] != ';' && d[e] != '&' && d[e] != '|' && d[e] != '#' {
		e++
	}
	return optionsOnly(d[i:e], bare)
}

// optionsOnly is onlyOptionsAfter on the rest of the command, rest.
func optionsOnly(rest []byte, bare int) bool {
	if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
		rest = rest[1:] // the closing quote of a quoted path
	}
	if len(rest) > 0 && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '\r' {
		return false // the keyword is part of a longer argument
	}
	afterOption := false
	for _, f := range bytes.Fields(rest) {
		switch {
		case f[0] == '>' || len(f) > 1 && f[1] == '>' && isDigit(f[0]):
			afterOption = false // >/dev/null, 2>/dev/null: the command's output
		case f[0] == '-':
			afterOption = len(f) > 1 && !bytes.ContainsRune(f, '=')
		case afterOption:
			afterOption = false
		case bare > 0:
			bare--
		default:
			return false
		}
	}
	return true
}

// heredocNamed reports whether the value at start is the first line of a
// here-document's body that a command naming it reads, the name before
// the value but with the command's end between:
//
//	docker secret create aws_secret_access_key - <<EOF
//	cat > /run/secrets/aws_secret_access_key <<'EOF'
//
// The keyword is a whole argument (or a path's last part) of the command
// that opens the document, with at least one word before it and only
// options after it up to the <<.
func heredocNamed(d []byte, kw *keyword, start int) bool {
	between := d[kw.end:start]
	if len(between) > 120 {
		return false
	}
	nl := bytes.IndexByte(between, '\n')
	if nl < 0 || len(bytes.Trim(between[nl+1:], " \t")) > 0 {
		return false // the value opens the line after the command's
	}
	line := bytes.TrimRight(between[:nl], " \t\r")
	at := bytes.Index(line, []byte("<<"))
	if at < 0 || kw.start == 0 || d[kw.start-1] != ' ' && d[kw.start-1] != '\t' && d[kw.start-1] != '/' {
		return false
	}
	marker := bytes.TrimPrefix(line[at+2:], []byte("-"))
	if len(marker) > 0 && (marker[0] == '\'' || marker[0] == '"') && marker[len(marker)-1] == marker[0] && len(marker) > 2 {
		marker = marker[1 : len(marker)-1]
	}
	if w, rest := leadingWord(marker); len(w) == 0 || len(rest) > 0 {
		return false // <<EOF, <<-'EOF', <<"END" and nothing after
	}
	ls := bytes.LastIndexByte(d[:kw.start], '\n') + 1
	head := bytes.Fields(d[ls:kw.start])
	if len(head) == 0 || bytes.ContainsAny(d[ls:kw.start], ";&|") {
		return false
	}
	return optionsOnly(line[:at], 0)
}

// pathStart returns where the path whose last part starts at i begins:
// /prod/app/aws_secret_access_key, prod/${var.env}/aws_secret_access_key
// (an SSM parameter's or a secret's name); i itself when no '/' stands
// before i.
func pathStart(d []byte, i int) int {
	if i == 0 || d[i-1] != '/' {
		return i
	}
	lo := max(0, i-200)
	for i > lo && (identChar[d[i-1]] || d[i-1] == '/' || d[i-1] == '$' || d[i-1] == '{' || d[i-1] == '}') {
		i--
	}
	return i
}

// attributeNamedAfter reports whether the value, from start to end, and
// the keyword after it are the value and name attributes of one call,
// block or object, the value first (qa19 H1): an SSM parameter or a secret
// named by its path's last part, with sibling attributes between,
//
//	aws ssm put-parameter --value S --type SecureString --name /prod/aws_secret_access_key
//	{"Value": "S", "Type": "SecureString", "Name": "/prod/aws_secret_access_key"}
//	value = "S" / type = "SecureString" / name = "/prod/aws_secret_access_key"   (Terraform, on three lines)
//	ssm.StringParameter(this, "P", {stringValue: "S", parameterName: "/prod/aws_secret_access_key"})
//	aws.ssm.Parameter("p", value="S", type="SecureString", name="/prod/aws_secret_access_key")
//
// as namedBlockValue reads them name first. The value's own attribute must
// say value (value, stringValue, Value, --value, value_wo, secret_string);
// the keyword's must name it (blockNameAttrs: name, parameterName,
// --secret-id), and the keyword must end that name's value. Between the
// two only sibling attributes may stand: brackets closed as they open, no
// statement's or command's end (; | &&), no blank line, no line less
// indented than the value's attribute (a YAML mapping's next item), and a
// command's lines joined by a backslash.
func attributeNamedAfter(d []byte, start, end int, kw *keyword) bool {
	as, cli := nameAttribute(d, kw)
	if as < end || as-end > 400 {
		return false
	}
	// The value's attribute, read back from the value.
	j := start
	if j > 0 && isQuote(d[j-1]) {
		j--
		if end < len(d) && d[end] == d[j] {
			end++ // its closing quote
		}
	}
	vEnd, vcli := attributeBefore(d, j)
	if vEnd < 0 || vcli != cli {
		return false
	}
	vs := vEnd
	for vs > 0 && identChar[d[vs-1]] && vEnd-vs < 40 {
		vs--
	}
	if !valueAttr(normalizeKeyword(string(d[vs:vEnd]))) {
		return false
	}
	for vs > 0 && (d[vs-1] == '-' || isQuote(d[vs-1])) {
		vs-- // where the attribute's line starts its text: "Value", --value
	}
	return siblingsOnly(d, lineStartWithin(d, vs, 200), vs, end, as, cli)
}

// nameAttribute returns where the attribute whose value the keyword ends
// starts (its quote or its dashes included), when that attribute names
// what a block or call holds (blockNameAttrs: --name /prod/NAME, "Name":
// "/prod/NAME", name = "NAME"), and whether it is a command's option; -1
// otherwise. Asked of every keyword by findSecrets: the first tests are
// the cheap ones.
func nameAttribute(d []byte, kw *keyword) (int, bool) {
	if !kw.strong && !kw.ifAWS || kw.other || !endsAttributeValue(d, kw.end) || kw.start == 0 {
		// Only an AWS secret's name counts here: a weak keyword
		// (secret) is asked nothing more.
		return -1, false
	}
	switch d[kw.start-1] {
	case '/', ' ', '\t', '"', '\'', '`', '=', ':':
	default:
		return -1, false
	}
	i := pathStart(d, kw.start)
	if i > 0 && isQuote(d[i-1]) {
		i--
	}
	if j := backBlanks(d, i); j == 0 || d[j-1] != '=' && d[j-1] != ':' && !cliOptionBefore(d, j) {
		return -1, false // {"secret"}, , "secret", prose: no attribute names it
	}
	i = afterYAMLTag(d, i)
	attrEnd, cli := attributeBefore(d, i)
	if attrEnd < 0 {
		return -1, false
	}
	as := attrEnd
	for as > 0 && identChar[d[as-1]] && attrEnd-as < 40 {
		as--
	}
	if !blockNameAttrs[normalizeKeyword(string(d[as:attrEnd]))] {
		return -1, false
	}
	if cli {
		for as > 0 && d[as-1] == '-' {
			as--
		}
	} else if as > 0 && isQuote(d[as-1]) {
		as--
	}
	return as, cli
}

// endsAttributeValue reports whether what follows a keyword ending at e
// ends an attribute's value: a closing quote, then a line's end, a blank,
// a comma or a closing bracket, and no = or : after it (the keyword named
// in a key: "SecretAccessKey": {, aws_secret_access_key = …). Most
// keywords fail it at their first byte or two.
func endsAttributeValue(d []byte, e int) bool {
	if e < len(d) && isQuote(d[e]) {
		e++
	}
	for n := 0; e < len(d); n++ {
		switch d[e] {
		case ' ', '\t':
			if n == 4 {
				return false
			}
			e++
			continue
		case '\n', '\r', ',', '}', ')', ']':
			return true
		}
		return n > 0 && d[e] != '=' && d[e] != ':'
	}
	return true
}

// cliOptionBefore reports whether a command line option (--name) or a
// YAML tag (!Sub) ends at j.
func cliOptionBefore(d []byte, j int) bool {
	k := j
	for k > 0 && j-k < 40 && identChar[d[k-1]] {
		k--
	}
	return k < j && (d[k] == '-' || k > 0 && d[k-1] == '!')
}

// afterYAMLTag returns where a YAML tag before i starts (Name: !Sub
// /${Env}/aws_secret_access_key, CloudFormation's functions), or i.
func afterYAMLTag(d []byte, i int) int {
	j := i
	for j > 0 && (d[j-1] == ' ' || d[j-1] == '\t') {
		j--
	}
	k := j
	for k > 0 && isWord(d[k-1]) && j-k < 16 {
		k--
	}
	if k < j && k > 0 && d[k-1] == '!' {
		return k - 1
	}
	return i
}

// attributeBefore reads back from i over what sets an attribute to what
// follows (= or : with blanks and a quote, or a command line option's
// blank) and returns where the attribute's name ends, and whether it is a
// command's option (--value S), or -1.
func attributeBefore(d []byte, i int) (int, bool) {
	j := i
	for j > 0 && (d[j-1] == ' ' || d[j-1] == '\t') {
		j--
	}
	if j > 0 && (d[j-1] == '=' || d[j-1] == ':') {
		j--
		if j > 0 && d[j-1] == '=' { // Ruby's and PHP's =>, not ==
			return -1, false
		}
		for j > 0 && (d[j-1] == ' ' || d[j-1] == '\t') {
			j--
		}
		if j > 0 && isQuote(d[j-1]) {
			j--
		}
		if j == 0 || !identChar[d[j-1]] {
			return -1, false
		}
		k := j
		for k > 0 && identChar[d[k-1]] {
			k--
		}
		return j, d[k] == '-' // --value=S
	}
	if j == i || j == 0 || !identChar[d[j-1]] {
		return -1, false
	}
	k := j
	for k > 0 && identChar[d[k-1]] {
		k--
	}
	if d[k] != '-' || k > 0 && d[k-1] != ' ' && d[k-1] != '\t' {
		return -1, false // a command's option, after a blank
	}
	return j, true
}

// valueAttr reports whether a normalised attribute's name says that it
// holds the value: value, stringValue, secret_string, Terraform's
// write-only value_wo and secret_string_wo.
func valueAttr(n string) bool {
	n = strings.TrimSuffix(n, "wo")
	return strings.HasSuffix(n, "value") || n == "secretstring" || n == "string"
}

// siblingsOnly reports whether d[end:to], from the end of the value
// (whose attribute starts at vs, on the line starting at ls) to the name's
// attribute, holds only attributes of the same call or block; see
// attributeNamedAfter.
func siblingsOnly(d []byte, ls, vs, end, to int, cli bool) bool {
	col := vs - ls
	depth := 0
	var quote byte
	for i := end; i < to; i++ {
		c := d[i]
		if quote != 0 {
			switch c {
			case quote:
				quote = 0
			case '\\':
				i++
			case '\n':
				return false
			}
			continue
		}
		switch c {
		case '"', '\'', '`':
			if c == '`' && cli && i+1 < to && (d[i+1] == '\n' || d[i+1] == '\r') {
				continue // PowerShell's line continuation
			}
			quote = c
		case '{', '[', '(':
			depth++
		case '}', ']', ')':
			if depth--; depth < 0 {
				return false
			}
		case ';', '|', '&', '#':
			return false
		case '\n':
			if cli && !continued(d, end, i) {
				return false
			}
			k := i + 1
			for k < to && (d[k] == ' ' || d[k] == '\t') {
				k++
			}
			if k < to && (d[k] == '\n' || d[k] == '\r') || k-(i+1) < col && depth == 0 && k < to && d[k] != '}' && d[k] != ']' && d[k] != ')' {
				return false // a blank line, or a line less indented than the value's attribute
			}
		}
	}
	return depth == 0 && quote == 0
}

// continued reports whether the line break at i (after from) continues a
// command's line: a backslash (shells) or a backquote (PowerShell) ends
// the line, before a carriage return too.
func continued(d []byte, from, i int) bool {
	if i > from && d[i-1] == '\r' {
		i--
	}
	return i > from && (d[i-1] == '\\' || d[i-1] == '`')
}

// mongoSetNamed reports whether the value at v is what a MongoDB update
// sets in the document its filter finds by the keyword (qa19 M3):
//
//	db.settings.updateOne({name: 'aws_secret_access_key'}, {$set: {value: 'S'}})
//
// as SQL's WHERE names the value SET (sqlNamedAfter). The filter's one
// field must name (blockNameAttrs) and the set field say value.
func mongoSetNamed(d []byte, kw *keyword, v int) bool {
	if v-kw.end > 120 || v < kw.end {
		return false
	}
	// the filter: {name: '…', {"name": "…"
	b := bytes.TrimRight(d[max(0, kw.start-40):kw.start], "'\"")
	b = bytes.TrimRight(b, " \t")
	if len(b) == 0 || b[len(b)-1] != ':' {
		return false
	}
	b = bytes.TrimRight(b[:len(b)-1], " \t\"'")
	k := len(b)
	for k > 0 && isWord(b[k-1]) {
		k--
	}
	if !blockNameAttrs[normalizeKeyword(string(b[k:]))] || !bytes.HasSuffix(bytes.TrimRight(b[:k], " \t\"'"), []byte("{")) {
		return false
	}
	// the update: '}, {$set: {value: '
	t := sqlText{b: bytes.TrimLeft(d[kw.end:v], "'\"")}
	if !t.next('}') || !t.next(',') || !t.next('{') {
		return false
	}
	t.b = bytes.TrimLeft(t.blanks(), "\"'")
	if !bytes.HasPrefix(t.b, []byte("$set")) {
		return false
	}
	t.b = bytes.TrimLeft(t.b[4:], "\"'")
	if !t.next(':') || !t.next('{') {
		return false
	}
	t.b = bytes.TrimLeft(t.blanks(), "\"'")
	w := t.word()
	t.b = bytes.TrimLeft(t.b, "\"'")
	n := normalizeKeyword(string(w))
	return (valueAttr(n) || n == "val" || n == "data" || n == "secret") && t.next(':') && len(bytes.Trim(t.blanks(), "\"'")) == 0
}

// attributeNamedBefore reports whether the value at start is the value
// attribute of the call, block, object or element that the keyword names
// before it (qa21 H1, H3, M1): a name attribute anywhere in it, whatever
// sibling attributes or members stand between and whatever the layout,
//
//	aws ssm put-parameter \ / --name /prod/aws_secret_access_key \ / --type SecureString \ / --value S
//	Write-SSMParameter ` / -Name /prod/aws_secret_access_key ` / -Type SecureString ` / -Value S
//	{"Name":"AWS_SECRET_ACCESS_KEY","Type":"String","IsSensitive":false,"Value":"S"}
//	<Parameter Name="AwsSecretAccessKey" IsEncrypted="false" Value="S" />
//	{"aws_secret_access_key":{"sensitive":true,"type":"string","value":"S"}}   (the parent key)
//
// and an XML element's content named by the element's name attribute or
// by a name element before it (xmlContentNamed). It is the reading of
// attributeNamedAfter the other way round: the value's attribute must say
// value, and only siblings stand between (siblingsOnly).
func attributeNamedBefore(d []byte, kw *keyword, start int) bool {
	if start-kw.end > 400 || start < kw.end {
		return false
	}
	e := kw.end
	if e < len(d) && isQuote(d[e]) {
		e++
	}
	as, cli := nameAttribute(d, kw)
	if as < 0 {
		// "aws_secret_access_key": { …, "value": S }: the keyword is the
		// key of the object whose value member holds the value.
		o := parentObjectOpen(d, e, start)
		if o < 0 {
			return xmlContentNamed(d, kw, e, start, false)
		}
		as, e = o, o
	} else if xmlContentNamed(d, kw, e, start, true) {
		return true
	}
	j := start
	if j > 0 && isQuote(d[j-1]) {
		j--
	}
	vEnd, vcli := attributeBefore(d, j)
	if vEnd <= e || vcli != cli {
		return false
	}
	vs := vEnd
	for vs > e && identChar[d[vs-1]] && vEnd-vs < 40 {
		vs--
	}
	if !valueAttr(normalizeKeyword(string(d[vs:vEnd]))) {
		return false
	}
	for vs > e && (d[vs-1] == '-' || isQuote(d[vs-1])) {
		vs--
	}
	return siblingsOnly(d, lineStartWithin(d, as, 200), as, e, vs, cli)
}

// parentObjectOpen returns where the object that a key ending at e opens
// starts its members ("key": {, key = {, key: {), on the key's line, or -1.
func parentObjectOpen(d []byte, e, limit int) int {
	t := sqlText{b: d[e:limit]}
	if !t.next(':') && !t.next('=') {
		return -1
	}
	if b := t.blanks(); len(b) == 0 || b[0] != '{' || bytes.IndexByte(d[e:limit-len(b)], '\n') >= 0 {
		return -1
	}
	return limit - len(t.b) + 1
}

// xmlContentNamed reports whether the value at v is the content of the XML
// element whose name attribute the keyword's value is, or of the value
// element after a name element holding the keyword (qa21 H3):
//
//	<string name="aws_secret_access_key" translatable="false">S</string>
//	<data name="AwsSecretAccessKey" xml:space="preserve"><value>S</value></data>
//	<name>AWS_SECRET_ACCESS_KEY</name><masked>true</masked><value>S</value>
//
// From the keyword's end (after its quote) at e: the start tag's other
// attributes and its > (attr: the keyword is a name attribute's value),
// or the name element's end tag; then any elements that close before the
// value, and the value element's start tag.
func xmlContentNamed(d []byte, kw *keyword, e, v int, attr bool) bool {
	i := e
	if tag := xmlTagBefore(d, kw.start); tag != nil {
		if !blockNameAttrs[normalizeKeyword(string(tag))] || !bytes.HasPrefix(d[i:v], []byte("</")) || !bytes.HasPrefix(d[i+2:v], tag) {
			return false
		}
		i += 2 + len(tag)
	} else if !attr || e == kw.end {
		return false // an attribute's value is quoted
	} else {
		// the rest of the start tag: quoted attributes up to its >
		for ; i < v && d[i] != '>'; i++ {
			switch d[i] {
			case '<', '\n':
				return false
			case '"', '\'':
				k := bytes.IndexByte(d[i+1:v], d[i])
				if k < 0 {
					return false
				}
				i += k + 1
			}
		}
		if i >= v || d[i-1] == '/' {
			return false
		}
	}
	if i >= v || d[i] != '>' {
		return false
	}
	i++
	for n := 0; n < 8; n++ {
		i = skipXMLBlanks(d, i, v)
		if i == v {
			return n > 0 || !bytes.HasPrefix(d[e:], []byte("</")) // <name>K</name>S is no value element
		}
		if d[i] != '<' || i+1 >= v || d[i+1] == '/' {
			return false // text, or an end tag: the element closes before the value
		}
		w, rest := leadingWord(d[i+1 : v])
		gt := bytes.IndexByte(rest, '>')
		if len(w) == 0 || gt < 0 || bytes.IndexByte(rest[:gt], '<') >= 0 {
			return false
		}
		i = v - len(rest) + gt + 1
		if gt > 0 && rest[gt-1] == '/' {
			continue // <masked/>
		}
		if n := normalizeKeyword(string(w)); valueAttr(n) || n == "secret" || n == "data" {
			return skipXMLBlanks(d, i, v) == v // <value>S
		}
		// a sibling element with text only: <masked>true</masked>
		lt := bytes.IndexByte(d[i:v], '<')
		if lt < 0 || !bytes.HasPrefix(d[i+lt:v], []byte("</")) || !bytes.HasPrefix(d[i+lt+2:v], w) {
			return false
		}
		i += lt + 2 + len(w)
		if i >= v || d[i] != '>' {
			return false
		}
		i++
	}
	return false
}

// xmlTagBefore returns the name of the XML start tag that ends just
// before i (<name>), or nil.
func xmlTagBefore(d []byte, i int) []byte {
	if i == 0 || d[i-1] != '>' {
		return nil
	}
	k := i - 1
	for k > 0 && i-k < 40 && isWord(d[k-1]) {
		k--
	}
	if k == i-1 || k == 0 || d[k-1] != '<' {
		return nil
	}
	return d[k : i-1]
}

// skipXMLBlanks skips blanks and line breaks from i, up to v.
func skipXMLBlanks(d []byte, i, v int) int {
	for i < v && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n') {
		i++
	}
	return i
}
