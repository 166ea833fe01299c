package scanner

import "bytes"

// LaTeX's break opportunities (qa17 H10). A runbook or a thesis sets a
// key in \texttt and lets TeX break the long token where the line ends:
// the discretionary hyphen \-, \allowbreak, \discretionary{}{}{}, a skip,
// kern or space of zero width (\hspace{0pt}, {\hskip0pt}), a penalty,
// \linebreak[0] and the like. Each typesets as nothing (or a line break),
// so the key on the page, and a copy of it, is whole; and a line of the
// source cut by a comment (% to the line end) goes on without a blank on
// the next line. Between two value characters each is read as an
// invisible separator (invisible.go): texBreak and texComment give their
// lengths. User macros (\newcommand\z{}) are not expanded.

// texFirst marks the bytes after the backslash that a command texBreak
// reads starts with (mayEscape's cheap test).
var texFirst = func() (t [256]bool) {
	for _, c := range []byte("-adhklmnp") {
		t[c] = true
	}
	return t
}()

// texLead reports whether the bytes at j, after a backslash, may start a
// command texBreak reads: its first two letters, or the hyphen. Cheap, so
// that a \n or \d of code costs one look.
func texLead(d []byte, j int) bool {
	if !texFirst[d[j]] {
		return false
	}
	if d[j] == '-' {
		return true
	}
	if j+1 >= len(d) {
		return false
	}
	switch string(d[j : j+2]) {
	case "al", "di", "hs", "hb", "ke", "li", "mb", "no", "pe":
		return true
	}
	return false
}

// texBreak returns the length of the LaTeX command at i (a backslash) that
// typesets as nothing, with the blanks TeX reads as its end and an empty
// group after it, or 0.
func texBreak(d []byte, i int) int {
	if i+1 >= len(d) || !texLead(d, i+1) {
		return 0
	}
	if d[i+1] == '-' { // \-: a control symbol, a blank after it is a blank
		return 2
	}
	j := i + 1
	for j < len(d) && j-i <= 14 && isAlpha(d[j]) {
		j++
	}
	if j == i+1 || j < len(d) && isAlpha(d[j]) {
		return texRunOn(d, i)
	}
	switch string(d[i+1 : j]) {
	case "allowbreak", "nobreak":
	case "linebreak", "nolinebreak": // [0]…[4]
		if j+2 < len(d) && d[j] == '[' && isDigit(d[j+1]) && d[j+2] == ']' {
			return j + 3 - i
		}
	case "hskip", "kern": // \hskip0pt, \kern 0pt, \kern\z@
		if j = texZero(d, j); j < 0 {
			return 0
		}
		return texEnd(d, j) - i
	case "hspace": // \hspace{0pt}, \hspace*{0pt}
		if j < len(d) && d[j] == '*' {
			j++
		}
		if j = texGroup(d, j, texZero); j < 0 {
			return 0
		}
		return j - i
	case "penalty": // \penalty0, \penalty-100, \penalty 10000
		j = texBlanks(d, j)
		if j < len(d) && (d[j] == '-' || d[j] == '+') {
			j++
		}
		k := j
		for j < len(d) && j-k < 6 && isDigit(d[j]) {
			j++
		}
		if j == k {
			return 0
		}
		return texEnd(d, j) - i
	case "discretionary": // {pre}{post}{}: nothing where the line does not break
		j = texBlanks(d, j)
		for range 2 {
			if j = texGroup(d, j, texShort); j < 0 {
				return 0
			}
			j = texBlanks(d, j)
		}
		if j+1 < len(d) && d[j] == '{' && d[j+1] == '}' {
			return j + 2 - i
		}
		return 0
	case "mbox", "hbox": // an empty box
		j = texBlanks(d, j)
		if j+1 < len(d) && d[j] == '{' && d[j+1] == '}' {
			return j + 2 - i
		}
		return 0
	default:
		return texRunOn(d, i)
	}
	j = texBlanks(d, j) // TeX ends a control word at the blanks after it
	if j+1 < len(d) && d[j] == '{' && d[j+1] == '}' {
		j += 2
	}
	return j - i
}

// texRunOn returns the length of \allowbreak or \nobreak at i written
// against the letters after it (TeX would stop at an undefined command,
// but whoever reads the source sees the break and the key), or 0.
func texRunOn(d []byte, i int) int {
	for _, w := range [...]string{`\allowbreak`, `\nobreak`} {
		if len(d)-i > len(w) && string(d[i:i+len(w)]) == w {
			return len(w)
		}
	}
	return 0
}

// texBlanks returns where the blanks at j end that TeX skips after a
// control word: spaces and tabs, and one line end with the next line's
// indentation (two would end the paragraph).
func texBlanks(d []byte, j int) int {
	for j < len(d) && (d[j] == ' ' || d[j] == '\t') {
		j++
	}
	k := j
	if k < len(d) && d[k] == '\r' {
		k++
	}
	if k < len(d) && d[k] == '\n' {
		k++
		for k < len(d) && (d[k] == ' ' || d[k] == '\t') {
			k++
		}
		if k < len(d) && d[k] != '\n' && d[k] != '\r' {
			return k
		}
	}
	return j
}

// texEnd returns where a number or a dimension at j ends: after one blank.
func texEnd(d []byte, j int) int {
	if j < len(d) && d[j] == ' ' {
		j++
	}
	return j
}

// texZero returns where a dimension of zero at j ends (0pt, 0.0em, -0mm,
// \z@), after the blanks before it, or -1.
func texZero(d []byte, j int) int {
	j = texBlanks(d, j)
	if j+2 < len(d) && d[j] == '\\' && d[j+1] == 'z' && d[j+2] == '@' {
		return j + 3
	}
	if j < len(d) && (d[j] == '-' || d[j] == '+') {
		j++
	}
	k := j
	for j < len(d) && j-k < 8 && (d[j] == '0' || d[j] == '.') {
		j++
	}
	if j == k {
		return -1
	}
	for j < len(d) && d[j] == ' ' {
		j++
	}
	if j+1 < len(d) && 'a' <= d[j] && d[j] <= 'z' && 'a' <= d[j+1] && d[j+1] <= 'z' {
		return j + 2
	}
	return -1
}

// texShort returns where a short argument at j ends (a discretionary's
// hyphen, at most 8 bytes, no group or command), or -1.
func texShort(d []byte, j int) int {
	k := j
	for j < len(d) && j-k < 8 && d[j] != '}' && d[j] != '{' && d[j] != '\\' && d[j] != '\n' {
		j++
	}
	return j
}

// texGroup returns where the group {…} at j ends, whose content inner
// reads (with blanks around it), or -1.
func texGroup(d []byte, j int, inner func([]byte, int) int) int {
	if j >= len(d) || d[j] != '{' {
		return -1
	}
	if j = inner(d, j+1); j < 0 {
		return -1
	}
	for j < len(d) && d[j] == ' ' {
		j++
	}
	if j >= len(d) || d[j] != '}' {
		return -1
	}
	return j + 1
}

// texComment returns the length of a LaTeX comment at i that cuts a line
// (%, then LF or CRLF, or a blank and a remark to the line end), with the
// next line's indentation TeX skips, or 0. Not %XX: URL-encoding's escapes
// are read as such (escapes.go).
func texComment(d []byte, i int) int {
	j := i + 1
	if j < len(d) && (d[j] == ' ' || d[j] == '\t') {
		k := bytes.IndexByte(d[j:min(len(d), i+128)], '\n')
		if k < 0 {
			return 0
		}
		j += k
		if d[j-1] == '\r' {
			j--
		}
	}
	if j < len(d) && d[j] == '\r' {
		j++
	}
	if j >= len(d) || d[j] != '\n' {
		return 0
	}
	j++
	for j < len(d) && (d[j] == ' ' || d[j] == '\t') {
		j++
	}
	return j - i
}
