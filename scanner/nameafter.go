package scanner

import "bytes"

// A value's name usually comes before it (name = value) or, in tuples and
// pairs, after it with only value words between ('S', 'name';
// {"value": S, "name": ...}: see assigns). Three more layouts name the value
// after it on the same line, each with words of its own between the two
// (qa17 H8):
//
//	UPDATE config SET value = 'S' WHERE name = 'aws_secret_access_key';
//	SELECT 'S' AS aws_secret_access_key;
//	echo "S" | docker secret create aws_secret_access_key -
//
// namedAfter reports whether the text between the value (ending at end) and
// a keyword after it reads as one of them. Each form is read whole, so that
// only the name the statement or command gives the value counts.
func namedAfter(d []byte, end int, kw *keyword) bool {
	between := d[end:kw.start]
	if len(between) > 120 || bytes.IndexByte(between, '\n') >= 0 {
		return false
	}
	return sqlNamedAfter(between) || pipedToNamingCommand(d, end, kw)
}

// sqlNamedAfter reads between, from the value's closing quote to the
// keyword's opening quote, as SQL giving the value its name: a row's key in
// the WHERE clause of an UPDATE that sets it (' WHERE name = ') or a column
// alias (' AS ", ' AS ).
func sqlNamedAfter(b []byte) bool {
	if len(b) == 0 || b[0] != '\'' && b[0] != '"' {
		return false
	}
	w, rest := leadingWord(bytes.TrimLeft(b[1:], " \t"))
	rest = bytes.TrimLeft(rest, " \t")
	switch {
	case equalLower(w, "as"):
		return len(rest) == 0 || len(rest) == 1 && isQuote(rest[0])
	case !equalLower(w, "where"):
		return false
	}
	// The key column, plain or quoted ("name", `name`), then = and the
	// keyword's opening quote.
	if len(rest) > 0 && isQuote(rest[0]) {
		rest = rest[1:]
	}
	col, rest := leadingWord(rest)
	if len(col) == 0 {
		return false
	}
	if len(rest) > 0 && isQuote(rest[0]) {
		rest = rest[1:]
	}
	rest = bytes.TrimLeft(rest, " \t")
	if len(rest) == 0 || rest[0] != '=' {
		return false
	}
	rest = bytes.TrimLeft(rest[1:], " \t")
	return len(rest) == 1 && (rest[0] == '\'' || rest[0] == '"')
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
// on its shell line, is piped into a command that takes the keyword as the
// name of what it reads from its input (docker secret create NAME -, gh
// secret set NAME). The keyword must be a whole argument of the last command
// of the pipe, with at least one command word before it, and no bare word
// after it but options and their arguments: in "docker secret create NAME -"
// the "secret" of the command's words is not the name.
func pipedToNamingCommand(d []byte, end int, kw *keyword) bool {
	between := d[end:kw.start]
	bar := bytes.LastIndexByte(between, '|')
	if bar < 0 || bytes.ContainsAny(between, ";&<>=()$`") || bytes.Contains(between, []byte("||")) {
		return false
	}
	if c := bytes.TrimLeft(between, "\"' \t"); len(c) == 0 || c[0] != '|' {
		return false // the value's own argument ends at the first pipe
	}
	if kw.start == 0 || d[kw.start-1] != ' ' && d[kw.start-1] != '\t' {
		return false
	}
	if len(bytes.Fields(between[bar+1:])) == 0 {
		return false // | NAME: a table's cell, not a command's argument
	}
	return echoedValue(d, end) && onlyOptionsAfter(d, kw.end)
}

// echoedValue reports whether the value ending at end is the last argument
// of an echo or printf that begins its shell command (the line, or after ;,
// && or a subshell's parenthesis).
func echoedValue(d []byte, end int) bool {
	ls := bytes.LastIndexByte(d[:end], '\n') + 1
	line := d[ls:end]
	if i := bytes.LastIndexAny(line, ";&(|"); i >= 0 {
		line = line[i+1:]
	}
	cmd, _ := leadingWord(bytes.TrimLeft(line, " \t"))
	return equalLower(cmd, "echo") || equalLower(cmd, "printf")
}

// onlyOptionsAfter reports whether the rest of the shell command after i
// holds only options (-, --repo) and the arguments that follow them.
func onlyOptionsAfter(d []byte, i int) bool {
	e := i
	for e < len(d) && d[e] != '\n' && d[e] != ';' && d[e] != '&' && d[e] != '|' && d[e] != '#' {
		e++
	}
	rest := d[i:e]
	if len(rest) > 0 && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '\r' {
		return false // the keyword is part of a longer argument
	}
	afterOption := false
	for _, f := range bytes.Fields(rest) {
		switch {
		case f[0] == '-':
			afterOption = len(f) > 1 && !bytes.ContainsRune(f, '=')
		case afterOption:
			afterOption = false
		default:
			return false
		}
	}
	return true
}
