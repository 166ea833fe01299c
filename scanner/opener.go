package scanner

import (
	"bytes"
	"path"
	"strings"
)

// A multi-line literal whose opener ends the name's line puts its value on
// the next line, and the opener, not the name, is the last thing on the
// name's line (qa29 H1):
//
//	aws_secret_access_key = <<-EOT                  (HCL, shell, Ruby's <<~EOS.strip, Perl's <<"EOT";)
//	$aws_secret_access_key = <<<'EOT'               (PHP's heredoc and nowdoc)
//	AWS_SECRET_ACCESS_KEY=$(cat <<EOF               (the shell's, in a command substitution)
//	awsSecretAccessKey = strings.TrimSpace(`        (Go's raw string inside a call)
//	AWS_SECRET_ACCESS_KEY = textwrap.dedent("""\    (Python's, r""", f""")
//	const awsSecretAccessKey = String.raw`          (a tagged template, dedent(`)
//	const char *aws_secret_access_key = R"x(        (C++'s raw string; Rust's r#", Lua's [[,
//	                                                 OCaml's {|, Groovy's / and $/)
//
// The words of the wrapping call (strings.TrimSpace, textwrap.dedent, cat)
// are what kept such a value from its name: a value on the line after its
// name is taken only across value words (Name:/Value:). Here the opener
// says where the value starts, so the line is read as if the value stood
// where the opener ends: the text before the opener must start by
// assigning to the name (=, :, <-, =>, a call's next argument: a name that
// goes on as a path, cat > /etc/aws_secret_access_key/other <<END, names
// a folder) and assign nothing else (at most 100 bytes), only blanks
// may follow the opener to the line's end (a heredoc's marker may be
// followed by a method chain, a ; or a closing bracket), and only blanks
// stand before the value on the next line. A value further down the
// literal is not taken: its first line may be a comment or a header.

// literalOpensAbove reports whether between, the text from a name's end to
// a value on a later line, is the rest of the name's line ending with a
// multi-line literal's opener, then the blanks before the value.
func literalOpensAbove(between []byte) bool {
	nl := bytes.IndexByte(between, '\n')
	if nl < 0 || nl > 160 {
		return false
	}
	for _, c := range between[nl+1:] {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false // the value does not open its line
		}
	}
	head := bytes.TrimRight(between[:nl], " \t\r")
	o := openerAt(head)
	if o < 0 {
		return false
	}
	pre := head[:o]
	return len(pre) <= 100 && assignsAfterName(pre) && !otherAssignment(pre)
}

// assignsAfterName reports whether the text after a name, up to a
// literal's opener, starts by assigning to it: =, :, :=, <-, =>, or a
// call's next argument (Setenv("NAME", …), past the quote and bracket
// that close the name. A name that goes on as a path (cat >
// /etc/aws_secret_access_key/other <<END) assigns nothing.
func assignsAfterName(pre []byte) bool {
	i := 0
	if i < len(pre) && isQuote(pre[i]) {
		i++
	}
	if i < len(pre) && pre[i] == ']' {
		i++
	}
	for i < len(pre) && (pre[i] == ' ' || pre[i] == '\t') {
		i++
	}
	if i >= len(pre) {
		return false
	}
	next := byte(0)
	if i+1 < len(pre) {
		next = pre[i+1]
	}
	switch pre[i] {
	case '=':
		return next != '='
	case ':':
		return next != ':'
	case ',':
		return true
	case '<':
		return next == '-'
	}
	return false
}

// openerAt returns where the opener of a multi-line literal starts when one
// ends head, or -1.
func openerAt(head []byte) int {
	n := len(head)
	if n == 0 {
		return -1
	}
	if h := heredocOpener(head); h >= 0 {
		return h
	}
	if b := blockScalarOpener(head); b >= 0 {
		return b
	}
	switch c := head[n-1]; c {
	case '\\':
		// Python's """\ (the literal's first line break escaped).
		if n >= 4 && isQuote(head[n-2]) && head[n-3] == head[n-2] && head[n-4] == head[n-2] {
			return quoteOpener(head[:n-1])
		}
	case '"', '\'', '`':
		return quoteOpener(head)
	case '(':
		if k := quoteLikeOpener(head); k >= 0 {
			return k
		}
		return cppRawOpener(head)
	case '{':
		return quoteLikeOpener(head)
	case '[':
		// Lua's long brackets: [[, [=[, [==[.
		k := n - 1
		for k > 0 && head[k-1] == '=' {
			k--
		}
		if k > 0 && head[k-1] == '[' {
			return k - 1
		}
		return quoteLikeOpener(head)
	case '|':
		// OCaml's {| and {id|, Haskell's quasi-quote [r|.
		k := n - 1
		for k > 0 && (isLower(head[k-1]) || head[k-1] == '_') {
			k--
		}
		if k > 0 && (head[k-1] == '{' || head[k-1] == '[' && k < n-1) {
			return k - 1
		}
	case '/':
		// Groovy's slashy /… and dollar-slashy $/… strings, where an
		// operand starts.
		k := n - 1
		if k > 0 && head[k-1] == '$' {
			k--
		}
		if b := bytes.TrimRight(head[:k], " \t"); len(b) > 0 && bytes.IndexByte([]byte("=(,:"), b[len(b)-1]) >= 0 {
			return k
		}
	}
	return -1
}

// quoteOpener returns where the run of quotes that ends head starts when it
// opens a literal (three double or single quotes, a backtick, a quote the
// line has not closed), or -1: the quotes before it, past a first one that
// closes the name ("AWS_SECRET_ACCESS_KEY": """), come in pairs. Prefixes
// (r""", @", String.raw`) stand before it and are read as the text that
// assigns.
func quoteOpener(head []byte) int {
	n := len(head)
	q := head[n-1]
	k := n - 1
	for k > 0 && head[k-1] == q && n-k < 3 {
		k--
	}
	delim := head[k:]
	if len(delim) == 2 && q != '\'' {
		return -1 // "" and ``: an empty literal (only Nix's '' opens one)
	}
	pre := head[:k]
	if len(pre) > 0 && isQuote(pre[0]) {
		pre = pre[1:] // the quote that closes the name's own literal
	}
	count := 0
	for i := 0; i+len(delim) <= len(pre); {
		switch {
		case pre[i] == '\\':
			i += 2
		case bytes.HasPrefix(pre[i:], delim):
			count++
			i += len(delim)
		default:
			i++
		}
	}
	if count%2 != 0 {
		return -1 // it closes a literal the line opened
	}
	return k
}

// blockScalarOpener returns where the indicator of a YAML block scalar
// that ends head stands (key: |, key: >-, key: |2+), or -1.
func blockScalarOpener(head []byte) int {
	k := len(head)
	for k > 0 && len(head)-k < 2 && (head[k-1] == '-' || head[k-1] == '+' || isDigit(head[k-1])) {
		k--
	}
	if k < 3 || head[k-1] != '|' && head[k-1] != '>' || head[k-2] != ' ' && head[k-2] != '\t' {
		return -1
	}
	if b := bytes.TrimRight(head[:k-1], " \t"); len(b) == 0 || b[len(b)-1] != ':' {
		return -1
	}
	return k - 1
}

// quoteLikeOpener returns where the quote-like operator whose bracket ends
// head starts, or -1: Perl's q{, qq(, Ruby's %q{, %Q(, %(, %[.
func quoteLikeOpener(head []byte) int {
	k := len(head) - 1
	switch {
	case k >= 1 && head[k-1] == '%':
		k--
	case k >= 2 && head[k-2] == '%' && (head[k-1] == 'q' || head[k-1] == 'Q'):
		k -= 2
	case k >= 2 && head[k-2] == 'q' && head[k-1] == 'q':
		k -= 2
	case k >= 1 && head[k-1] == 'q':
		k--
	default:
		return -1
	}
	if k > 0 && (isWord(head[k-1]) || head[k-1] == '.' || head[k-1] == '$' || head[k-1] == '@') {
		return -1 // a name that ends so (seq(, x.q{), or a variable's (%$h{)
	}
	return k
}

// cppRawOpener returns where C++'s raw string R"delim( that ends head
// starts (its delimiter up to 16 characters, no blank, parenthesis or
// backslash), or -1.
func cppRawOpener(head []byte) int {
	n := len(head)
	for k := n - 2; k >= 1 && n-2-k <= 16; k-- {
		switch c := head[k]; {
		case c == '"':
			if head[k-1] == 'R' {
				return k - 1
			}
			return -1
		case c == ' ' || c == '\t' || c == '(' || c == ')' || c == '\\':
			return -1
		}
	}
	return -1
}

// heredocOpener returns where the heredoc marker that ends head starts, or
// -1: << (<<< in PHP), then - or ~, blanks, the delimiter word bare,
// quoted or after a \, then what may follow it on its line: a method chain
// (Ruby's <<~EOS.strip), Perl's ;, a call's closing bracket or a comma.
func heredocOpener(head []byte) int {
	at := bytes.LastIndex(head, []byte("<<"))
	if at < 0 || len(head)-at > 64 {
		return -1
	}
	i := at + 2
	if i < len(head) && head[i] == '<' {
		i++ // PHP's <<<
	}
	if i < len(head) && (head[i] == '-' || head[i] == '~') {
		i++
	}
	for i < len(head) && (head[i] == ' ' || head[i] == '\t') {
		i++
	}
	if i < len(head) && head[i] == '\\' {
		i++
	}
	var q byte
	if i < len(head) && (head[i] == '"' || head[i] == '\'') {
		q = head[i]
		i++
	}
	w := i
	for i < len(head) && isWord(head[i]) {
		i++
	}
	if i == w || isDigit(head[w]) {
		return -1
	}
	if q != 0 {
		if i >= len(head) || head[i] != q {
			return -1
		}
		i++
	}
	for _, c := range head[i:] {
		if !isWord(c) && c != '.' && c != '(' && c != ')' && c != ';' && c != ',' && c != '!' && c != '?' && c != ' ' && c != '\t' {
			return -1
		}
	}
	return at
}

// slashyString reports whether the run of secret characters d[s:e] is a
// Groovy slashy string's slashes and body (/…/, or $/…/$), standing where
// an operand starts: the slashes are secret characters too, so the run
// holds them.
func slashyString(d []byte, s, e int) bool {
	if d[s] != '/' || d[e-1] != '/' || s == 0 {
		return false
	}
	b := s
	if d[b-1] == '$' {
		if e >= len(d) || d[e] != '$' {
			return false
		}
		b--
	}
	for b > 0 && (d[b-1] == ' ' || d[b-1] == '\t') {
		b--
	}
	return b > 0 && bytes.IndexByte([]byte("=(,:"), d[b-1]) >= 0
}

// groovyName reports whether a file is Groovy by its name (Gradle's build
// scripts and Jenkinsfiles too).
func groovyName(name string) bool {
	base := path.Base(name)
	return strings.HasSuffix(base, ".groovy") || strings.HasSuffix(base, ".gradle") || strings.HasSuffix(base, ".gvy") ||
		strings.HasPrefix(base, "Jenkinsfile")
}
