package analyzer

import (
	"bytes"
	"path/filepath"
	"strings"
)

// A deployment written in a comment is a remark, not a deployment: the
// detectors of noimds.go read a file with its comments blanked. Comments
// are a property of the file's language, and several span lines: a
// Terraform or TypeScript /* … */, an XML <!-- … -->, a Python docstring
// (a string, which in source is blanked with the rest of the strings), a
// Ruby =begin … =end, a PowerShell <# … #>, a shell's `: <<'EOF'` block.
// Reading them a line at a time left the inner lines of such a block to
// the detectors (fix31), so the blanker keeps its state across lines,
// with a table of what each kind of file writes (commentSyntax). Strings
// are followed too, so that a '#' or '//' inside one is no comment; only
// the strings that may span lines (Python's and TOML's triple quotes, a
// JavaScript template or Go raw string, a C# verbatim string) carry over
// a line break, and in YAML a quote opens a string only where a scalar
// starts (don't # x: the apostrophe is text, the '#' a comment).

// commentSyntax is how a kind of file writes comments and strings.
type commentSyntax struct {
	hash       bool // '#' to the end of the line, at its start or after a blank
	slash      bool // '//' to the end of the line, '/* … */'
	xml        bool // '<!-- … -->'
	semicolon  bool // ';' or '!' opening a line (INI, .properties)
	rubyBlock  bool // '=begin' … '=end' at the starts of lines
	psBlock    bool // PowerShell's '<# … #>'
	fsBlock    bool // F#'s '(* … *)'
	heredoc    bool // a shell's no-op heredoc, ': <<EOF' … 'EOF', used as a block comment
	hclHeredoc bool // HCL's '<<EOT' / '<<-EOT' … 'EOT': a string that spans lines

	single, double bool // ' and " open strings of one line
	triple         bool // ''' and """ open strings that span lines (Python, TOML; """ in Java and Kotlin)
	template       bool // ` opens a JavaScript template literal: it spans lines, and its ${…} are code
	raw            bool // ` opens a Go raw string: it spans lines, and a backslash in it is a backslash
	regex          bool // '/' where an operand may start opens a regular expression literal (JavaScript, Groovy)
	hclTemplate    bool // a string's ${…} and %{…} are code, whose strings may hold quotes (HCL)
	psHere         bool // PowerShell's here-strings, @" … "@ and @' … '@, span lines
	cdata          bool // '<![CDATA[ … ]]>' is text (XML)
	verbatim       bool // @"…" spans lines ("" inside), C#
	yamlQuotes     bool // a quote opens a string only where a YAML scalar starts
	blankStrings   bool // strings' contents are blanked too (source: no construct is named in one)
}

// syntaxOf returns the comment syntax of a file of kind k named name.
func syntaxOf(k deployKind, name string) commentSyntax {
	n := strings.ToLower(name)
	ext := filepath.Ext(n)
	switch k {
	case kindYAML:
		return commentSyntax{hash: true, single: true, double: true, yamlQuotes: true}
	case kindJSON:
		// JSON has no comments; JSON with comments (.jsonc-like
		// settings) writes C's, which are never valid JSON elsewhere.
		return commentSyntax{slash: true, double: true}
	case kindTerraform:
		return commentSyntax{hash: true, slash: true, double: true, hclHeredoc: true, hclTemplate: true}
	case kindDockerfile:
		return commentSyntax{hash: true, single: true, double: true}
	case kindShell:
		switch {
		case ext == ".ps1":
			return commentSyntax{hash: true, psBlock: true, psHere: true, single: true, double: true}
		case ext == ".bat" || ext == ".cmd":
			return commentSyntax{}
		case ext == ".groovy" || n == "jenkinsfile":
			return commentSyntax{slash: true, regex: true, single: true, double: true, triple: true}
		case ext == ".rb" || n == "rakefile" || n == "vagrantfile":
			return commentSyntax{hash: true, rubyBlock: true, single: true, double: true}
		}
		return commentSyntax{hash: true, heredoc: true, single: true, double: true}
	case kindCode:
		switch ext {
		case ".py":
			return commentSyntax{hash: true, single: true, double: true, triple: true, blankStrings: true}
		case ".fs":
			return commentSyntax{slash: true, fsBlock: true, double: true, triple: true, blankStrings: true}
		case ".cs":
			return commentSyntax{slash: true, single: true, double: true, triple: true, verbatim: true, blankStrings: true}
		case ".java", ".kt":
			return commentSyntax{slash: true, single: true, double: true, triple: true, blankStrings: true}
		case ".go":
			return commentSyntax{slash: true, single: true, double: true, raw: true, blankStrings: true}
		}
		return commentSyntax{slash: true, regex: true, single: true, double: true, template: true, blankStrings: true} // TypeScript, JavaScript
	case kindOther:
		switch ext {
		case ".xml":
			return commentSyntax{xml: true, cdata: true}
		case ".nomad":
			return commentSyntax{hash: true, slash: true, double: true, hclHeredoc: true, hclTemplate: true}
		case ".toml":
			return commentSyntax{hash: true, single: true, double: true, triple: true}
		case ".ini", ".properties", ".cfg", ".conf":
			return commentSyntax{hash: true, semicolon: true, double: true}
		}
		return commentSyntax{hash: true, single: true, double: true}
	}
	return commentSyntax{}
}

// blankComments returns a copy of b, a file of kind k named name, with
// its comments replaced by spaces (line breaks kept, so offsets and lines
// stay), and in source (kindCode) the contents of its strings too when
// blankStrings is set.
func blankComments(b []byte, k deployKind, name string, blankStrings bool) []byte {
	s := syntaxOf(k, name)
	s.blankStrings = s.blankStrings && blankStrings
	if s == (commentSyntax{}) {
		return b
	}
	out := bytes.Clone(b)
	blank := func(from, to int) {
		for j := from; j < to && j < len(out); j++ {
			if out[j] != '\n' {
				out[j] = ' '
			}
		}
	}
	// closeAt returns the end (exclusive) of what opened at i with open
	// and closes with close, or len(b).
	closeAt := func(i, open int, close string) int {
		if j := bytes.Index(b[i+open:], []byte(close)); j >= 0 {
			return i + open + j + len(close)
		}
		return len(b)
	}
	lineStart, firstOnLine := true, true // at a line's start; nothing but blanks before i on its line
	prev := byte('\n')                   // the last byte that is not a blank, on this line or '\n'
	lastRegex := -1                      // where the last regular expression literal read ends (its last byte)
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\n' {
			lineStart, firstOnLine, prev = true, true, '\n'
			continue
		}
		if c == ' ' || c == '\t' || c == '\r' {
			lineStart = false
			continue
		}
		atLineStart, first := lineStart, firstOnLine
		lineStart, firstOnLine = false, false
		end := -1 // a comment that runs to end (exclusive)
		switch {
		case s.rubyBlock && atLineStart && bytes.HasPrefix(b[i:], []byte("=begin")) && wordEnd(b, i+6):
			end = len(b)
			if j := bytes.Index(b[i:], []byte("\n=end")); j >= 0 {
				end = lineEnd(b, i+j+1)
			}
		case s.heredoc && first && c == ':':
			end = heredocComment(b, i)
		case s.xml && bytes.HasPrefix(b[i:], []byte("<!--")):
			end = closeAt(i, 4, "-->")
		case s.psBlock && bytes.HasPrefix(b[i:], []byte("<#")):
			end = closeAt(i, 2, "#>")
		case s.fsBlock && bytes.HasPrefix(b[i:], []byte("(*")) && !bytes.HasPrefix(b[i:], []byte("(*)")):
			end = closeAt(i, 2, "*)")
		case s.hash && c == '#' && (i == 0 || b[i-1] == ' ' || b[i-1] == '\t' || b[i-1] == '\n' || b[i-1] == '\r'):
			end = lineEnd(b, i)
		case s.semicolon && first && (c == ';' || c == '!'):
			end = lineEnd(b, i)
		case s.slash && c == '/' && i+1 < len(b) && b[i+1] == '/':
			end = lineEnd(b, i)
		case s.slash && c == '/' && i+1 < len(b) && b[i+1] == '*':
			end = closeAt(i, 2, "*/")
		}
		if end >= 0 {
			blank(i, end)
			i = end - 1
			continue
		}
		// Strings: [open, close) is the contents, next what follows.
		open, close, next := -1, 0, 0
		switch {
		case s.yamlQuotes && (c == '"' || c == '\'') && !first && !strings.ContainsRune("\n:-[{,?", rune(prev)):
			// a quote inside a plain scalar (don't): text
		case s.triple && (c == '"' || c == '\'' && s.single) && bytes.HasPrefix(b[i:], []byte{c, c, c}):
			open, close, next = i+3, len(b), len(b)
			if j := bytes.Index(b[open:], []byte{c, c, c}); j >= 0 {
				close, next = open+j, open+j+3
			}
		case s.hclHeredoc && c == '<' && bytes.HasPrefix(b[i:], []byte("<<")):
			// A heredoc's body is a string: a shell glob's '/*' in a
			// local-exec command opens no comment (qa28 M3).
			if o, cl, nx, ok := hclHeredocAt(b, i); ok {
				open, close, next = o, cl, nx
			}
		case s.verbatim && c == '@' && i+1 < len(b) && b[i+1] == '"':
			open = i + 2
			close = verbatimEnd(b, open)
			next = min(close+1, len(b))
		case s.psHere && c == '@' && i+1 < len(b) && (b[i+1] == '"' || b[i+1] == '\''):
			if o, cl, nx, ok := hereStringAt(b, i); ok {
				open, close, next = o, cl, nx
			}
		case s.cdata && c == '<' && bytes.HasPrefix(b[i:], []byte("<![CDATA[")):
			// Text, where "<!--" opens no comment.
			open = i + len("<![CDATA[")
			close, next = len(b), len(b)
			if j := bytes.Index(b[open:], []byte("]]>")); j >= 0 {
				close, next = open+j, open+j+3
			}
		case s.raw && c == '`':
			// A Go raw string has no escapes: `C:\` ends at its second backquote.
			open, close = i+1, len(b)
			if j := bytes.IndexByte(b[open:], '`'); j >= 0 {
				close = open + j
			}
			next = min(close+1, len(b))
		case s.template && c == '`':
			open = i + 1
			close = templateEnd(b, open, '`', false)
			next = min(close+1, len(b))
		case s.regex && c == '/' && regexMayStart(out, i, lastRegex):
			// /\/*$/ is a regular expression, not a comment's start (qa28 L1).
			if e, ok := regexEnd(b, i+1); ok {
				open, close, next = i+1, e, e+1
				for next < len(b) && (b[next] >= 'a' && b[next] <= 'z' || b[next] >= 'A' && b[next] <= 'Z') {
					next++ // its flags
				}
				lastRegex = next - 1
			}
		case s.hclTemplate && c == '"':
			// "${replace(x, "/*", "")}": the quotes inside ${…} are its
			// code's strings, and the string goes on after them.
			open = i + 1
			close, next = templateEnd(b, open, '"', true), 0
			if next = close; close < len(b) && b[close] == c {
				next = close + 1
			}
		case c == '"' && s.double, c == '\'' && s.single:
			open = i + 1
			close, next = stringEnd(b, open, c, false), 0
			if next = close; close < len(b) && b[close] == c {
				next = close + 1
			} // else the line break, read next
		}
		prev = c
		if open < 0 {
			continue
		}
		if s.blankStrings {
			blank(open, close)
		}
		i = next - 1
	}
	return out
}

// hclHeredocAt reads an HCL heredoc opening at i ('<<EOT' or '<<-EOT',
// then the line's end): its body's start and end, and the end of the line
// that closes it (the name alone on a line, blanks around). An unclosed
// one runs to the end; ok is false when no heredoc opens at i.
func hclHeredocAt(b []byte, i int) (open, close, next int, ok bool) {
	j := i + 2
	if j < len(b) && b[j] == '-' {
		j++
	}
	k := j
	for k < len(b) && (b[k] == '_' || b[k] >= 'A' && b[k] <= 'Z' || b[k] >= 'a' && b[k] <= 'z' || k > j && b[k] >= '0' && b[k] <= '9') {
		k++
	}
	if k == j {
		return 0, 0, 0, false
	}
	name := b[j:k]
	e := k
	for e < len(b) && (b[e] == ' ' || b[e] == '\t' || b[e] == '\r') {
		e++
	}
	if e < len(b) && b[e] != '\n' {
		return 0, 0, 0, false
	}
	open = min(e+1, len(b))
	for l := open; l < len(b); {
		end := lineEnd(b, l)
		if bytes.Equal(bytes.TrimSpace(b[l:end]), name) {
			return open, l, end, true
		}
		l = end + 1
	}
	return open, len(b), len(b), true
}

// templateEnd returns the offset of the quote q that closes a template
// whose contents start at i: a JavaScript template literal (q '`') or,
// with hcl, an HCL string (q '"'). Its ${…} (and HCL's %{…}) are code,
// read with their braces, their comments and the strings and templates
// nested in them, so that a quote or a '/*' inside one neither closes the
// template nor opens a comment. An HCL string ends unclosed at its line's
// end, as a string of one line does; len(b) when the template is not
// closed. The templates nested are kept on a stack, not by recursion:
// any depth of nesting costs a slice, never the goroutine's stack.
func templateEnd(b []byte, i int, q byte, hcl bool) int {
	// frames: -1 for a template's text, n >= 0 for the code of a ${…}
	// inside one, with n braces of its own open.
	frames := []int{-1}
	for ; i < len(b); i++ {
		c := b[i]
		if hcl && c == '\n' {
			return i
		}
		top := &frames[len(frames)-1]
		if *top < 0 {
			switch {
			case c == '\\':
				if i+1 < len(b) && (!hcl || b[i+1] != '\n') {
					i++
				}
			case c == q:
				if frames = frames[:len(frames)-1]; len(frames) == 0 {
					return i
				}
			case hcl && (c == '$' || c == '%') && i+2 < len(b) && b[i+1] == c && b[i+2] == '{':
				i += 2 // $${ and %%{ are the characters themselves
			case (c == '$' || hcl && c == '%') && i+1 < len(b) && b[i+1] == '{':
				frames = append(frames, 0)
				i++
			}
			continue
		}
		switch {
		case c == '{':
			*top++
		case c == '}':
			if *top == 0 {
				frames = frames[:len(frames)-1]
			} else {
				*top--
			}
		case c == q:
			frames = append(frames, -1)
		case !hcl && (c == '"' || c == '\''):
			i = stringEnd(b, i+1, c, false)
		case c == '/' && i+1 < len(b) && b[i+1] == '/', hcl && c == '#':
			i = lineEnd(b, i) - 1
		case c == '/' && i+1 < len(b) && b[i+1] == '*':
			j := bytes.Index(b[i+2:], []byte("*/"))
			if j < 0 {
				return len(b)
			}
			i += 2 + j + 1
		}
	}
	return len(b)
}

// regexMayStart reports whether a '/' at i (not '//' nor '/*') may open a
// regular expression literal, as JavaScript's tokenizers tell one from a
// division: by the token before it, read back in out (the file with its
// comments blanked so far; strings keep their quotes). After an operand
// (a name, a number, a string, a template, ')' or ']', or the regular
// expression that ends at lastRegex) it divides; after an operator, a
// bracket that opens, a separator, the start of the file or a keyword
// that takes an expression (return, typeof, case…) it opens one.
func regexMayStart(out []byte, i, lastRegex int) bool {
	j := i - 1
	for j >= 0 && (out[j] == ' ' || out[j] == '\t' || out[j] == '\r' || out[j] == '\n') {
		j--
	}
	if j < 0 {
		return true
	}
	c := out[j]
	switch {
	case j == lastRegex, c == ')', c == ']', c == '"', c == '\'', c == '`':
		return false
	case isNameByte(c):
		k := j
		for k >= 0 && isNameByte(out[k]) {
			k--
		}
		return regexKeywords[string(out[k+1:j+1])]
	}
	return true
}

// regexKeywords are the keywords after which a '/' opens a regular
// expression literal in JavaScript.
var regexKeywords = map[string]bool{"return": true, "typeof": true, "instanceof": true, "in": true, "of": true, "new": true,
	"delete": true, "void": true, "throw": true, "case": true, "do": true, "else": true, "yield": true, "await": true}

func isNameByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// regexEnd returns the offset of the '/' that closes a regular expression
// literal whose body starts at i: escapes and classes ([/]) are read;
// ok is false when the line ends first (then the '/' was a division).
func regexEnd(b []byte, i int) (int, bool) {
	class := false
	for ; i < len(b); i++ {
		switch b[i] {
		case '\\':
			if i+1 < len(b) && b[i+1] != '\n' {
				i++
			}
		case '\n':
			return 0, false
		case '[':
			class = true
		case ']':
			class = false
		case '/':
			if !class {
				return i, true
			}
		}
	}
	return 0, false
}

// hereStringAt reads a PowerShell here-string opening at i (@" or @' at
// its line's end): its body's start and end, and the end of the quote and
// '@' that close it at the start of a line. An unclosed one runs to the
// end; ok is false when none opens at i.
func hereStringAt(b []byte, i int) (open, close, next int, ok bool) {
	q := b[i+1]
	e := i + 2
	for e < len(b) && (b[e] == ' ' || b[e] == '\t' || b[e] == '\r') {
		e++
	}
	if e < len(b) && b[e] != '\n' {
		return 0, 0, 0, false
	}
	open = min(e+1, len(b))
	for l := open; l < len(b); l = lineEnd(b, l) + 1 {
		if l+1 < len(b) && b[l] == q && b[l+1] == '@' {
			return open, l, l + 2, true
		}
	}
	return open, len(b), len(b), true
}

// stringEnd returns the offset of the quote q that closes a string whose
// contents start at i, following backslash escapes; a string of one
// line (lines false) ends at the line's end, unclosed. len(b) when it is
// not closed at all.
func stringEnd(b []byte, i int, q byte, lines bool) int {
	for ; i < len(b); i++ {
		switch b[i] {
		case '\\':
			if i+1 < len(b) && (lines || b[i+1] != '\n') {
				i++
			}
		case '\n':
			if !lines {
				return i
			}
		case q:
			return i
		}
	}
	return len(b)
}

// verbatimEnd returns the offset of the '"' that closes a C# verbatim
// string whose contents start at i ("" is a quote inside it).
func verbatimEnd(b []byte, i int) int {
	for ; i < len(b); i++ {
		if b[i] == '"' {
			if i+1 < len(b) && b[i+1] == '"' {
				i++
				continue
			}
			return i
		}
	}
	return len(b)
}

// wordEnd reports whether offset i of b ends a word: a blank, a line
// break or the end.
func wordEnd(b []byte, i int) bool {
	return i >= len(b) || b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r'
}

// heredocComment returns the end (exclusive) of a shell's no-op heredoc
// that starts at i (": <<'END'", ": <<-END"), a block comment by
// convention: the end of its closing line; -1 when none starts there.
func heredocComment(b []byte, i int) int {
	rest, ok := bytes.CutPrefix(b[i:lineEnd(b, i)], []byte(":"))
	if !ok {
		return -1
	}
	if rest, ok = bytes.CutPrefix(bytes.TrimLeft(rest, " \t"), []byte("<<")); !ok {
		return -1
	}
	rest, dash := bytes.CutPrefix(rest, []byte("-"))
	f := bytes.Fields(rest)
	if len(f) == 0 {
		return -1
	}
	w := bytes.Trim(f[0], `'"\`)
	if len(w) == 0 {
		return -1
	}
	for at := lineEnd(b, i); at < len(b); {
		start := at + 1
		end := lineEnd(b, start)
		line := bytes.TrimRight(b[start:end], "\r")
		if dash {
			line = bytes.TrimLeft(line, "\t")
		}
		if bytes.Equal(line, w) {
			return end
		}
		at = end
	}
	return len(b)
}

func lineEnd(b []byte, i int) int {
	if j := bytes.IndexByte(b[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(b)
}
