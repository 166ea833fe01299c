package scanner

import "bytes"

// Terminal output saved to a file (a CI job's log, a `script` typescript, a
// coloured `env` dump, a JSON logger's record of it) keeps the control
// sequences that coloured it, moved the cursor or erased the line, and
// prints a value right after one: ESC[33m, GitLab CI's ESC[0K before every
// section line, ESC[2K of a progress redraw, ESC(B. A sequence's last byte
// is often a letter (m, K, H, B), which would glue the value to a longer
// word; it is no part of the value (qa15 HIGH-23, qa16 HIGH-3, HIGH-19). The ESC
// itself is written raw, or escaped the way the file's notation writes a
// control byte (\u001b in JSON, \x1b or \033 in source, \e in shell, ^[ as
// cat -v and less show it, &#27; in HTML, %1B in a URL: qa16 HIGH-11).
//
// Only the bytes right before a value are looked at, when the value would
// otherwise be glued: the test costs nothing on text without such bytes.

// maxTerminalParams bounds the parameter and intermediate bytes read back
// from a sequence's last byte (ESC[38;2;255;128;0m is 17).
const maxTerminalParams = 32

// afterTerminal reports whether the bytes before i end a terminal control
// sequence: ESC [ parameters final (CSI, final byte 0x40-0x7E), or ESC
// intermediates final (ESC ( B), or ESC and one final byte (ESC 7, ESC M).
func afterTerminal(d []byte, i int) bool {
	if i < 2 || d[i-1] < 0x30 || d[i-1] > 0x7e {
		return false
	}
	f := i - 1 // the final byte
	if escEndsAt(d, f) || d[f-1] == 'O' && escEndsAt(d, f-1) {
		return true // ESC 7, ESC M, ESC c; SS3: ESC O A
	}
	j := f - 1
	for ; j >= 0 && f-j <= maxTerminalParams && 0x20 <= d[j] && d[j] <= 0x3f; j-- {
	}
	if d[f] >= 0x40 {
		// CSI: ESC [ 0 K, ESC [ 1 ; 3 1 m, ESC [ ? 2 5 h, 0x9B 0 K. The
		// introducer may end in a parameter byte (\233), so it is looked
		// for at each place the parameters could start.
		for k := j + 1; k <= f; k++ {
			if csiIntroEndsAt(d, k) {
				return true
			}
		}
	}
	j = f - 1
	for ; j >= 0 && f-j <= maxTerminalParams && 0x20 <= d[j] && d[j] <= 0x2f; j-- {
	}
	for k := j + 1; k < f; k++ { // ESC ( B, ESC # 8; the ESC may end in one ($([char]27))
		if escEndsAt(d, k) {
			return true
		}
	}
	return false
}

// csiEnd returns the end of a CSI sequence that holds the byte before i
// (the index after its final byte), or -1 when there is none. A run of a
// secret's characters that starts inside a sequence (ESC[33m then the
// secret reads 33m…, ESC[?25h reads 25h…) must start after it instead.
func csiEnd(d []byte, i int) int {
	p := i - 1
	for ; p >= 0 && i-p <= maxTerminalParams && 0x20 <= d[p] && d[p] <= 0x3f; p-- {
	}
	if p < 0 || !csiIntroEndsAt(d, p+1) {
		return -1
	}
	j := p + 1
	for ; j < len(d) && j-p <= maxTerminalParams && 0x20 <= d[j] && d[j] <= 0x3f; j++ {
	}
	if j < len(d) && j >= i && 0x40 <= d[j] && d[j] <= 0x7e {
		return j + 1
	}
	return -1
}

// csiIntroEndsAt reports whether the bytes before p introduce a CSI
// sequence: ESC [ (ESC in any of escEndsAt's spellings), or the 8-bit CSI,
// U+009B, raw (0x9B, in UTF-8 C2 9B) or escaped (\u009b, \x9b, \233).
func csiIntroEndsAt(d []byte, p int) bool {
	if p < 1 {
		return false
	}
	if d[p-1] == '[' {
		return escEndsAt(d, p-1)
	}
	switch d[p-1] {
	case 0x9b:
		return true
	case 'b', 'B', '3', ';': // the last bytes of the spellings
		return spelledBefore(d, p, `\u009b`, `\x9b`, `\233`, `&#155;`, `&#x9b;`)
	}
	return false
}

// escEndsAt reports whether the bytes before p are an ESC byte, raw or
// written as an escape: \u001b, \u{1b}, \x1b, \x{1b}, \033, \e, ^[, &#27;,
// &#x1b;, %1B (hex digits in either case), PowerShell's `e and $([char]27).
func escEndsAt(d []byte, p int) bool {
	if p < 1 {
		return false
	}
	switch d[p-1] {
	case 0x1b:
		return true
	case 'b', 'B', '}', '3', 'e', 'E', '[', ';', ')': // the last bytes of the spellings
		// A key's letters glued to each other (AKIAAKIA… repeated) ask
		// here at every key head: the last byte turns them down.
		return escSpelledBefore(d, p) > 0
	}
	return false
}

// escSpellings are the ways an ESC byte is written escaped (escEndsAt);
// the first seven start with a backslash (escSpelledAt).
var escSpellings = [...]string{`\u001b`, `\u{1b}`, `\u{001b}`, `\x1b`, `\x{1b}`, `\033`, `\e`, "`e", `^[`, `&#27;`, `&#x1b;`, `%1b`,
	`$([char]27)`, `$([char]0x1b)`}

// escSpelledBefore returns the length of the escaped ESC (escSpellings)
// that ends at p, or 0.
func escSpelledBefore(d []byte, p int) int {
	for _, form := range escSpellings {
		if n := len(form); p >= n && equalFoldASCII(d[p-n:p], form) {
			return n
		}
	}
	return 0
}

// withoutCSI returns b without the CSI sequences in it (ESC [ parameters
// final, the ESC raw or escaped), or b itself when it holds none: the
// colour codes a highlighter writes between a name and its value
// (aws_secret_access_key ESC[38;5;241m= ESC[39m ESC[38;5;124m' ESC[39m S,
// an IPython traceback, bat, rich: qa21 M7) are no part of what assigns
// reads. A copy is made only where a sequence is found; text without a
// [ costs one byte search.
func withoutCSI(b []byte) []byte {
	i := bytes.IndexByte(b, '[')
	if i < 0 {
		return b
	}
	var out []byte
	done := 0 // b[:done] is in out
	for ; i >= 0 && i < len(b); i = nextIndexByte(b, i+1, '[') {
		n := 0
		if i > 0 && b[i-1] == 0x1b {
			n = 1
		} else {
			n = escSpelledBefore(b, i)
		}
		j := i + 1
		for j < len(b) && j-i <= maxTerminalParams && 0x20 <= b[j] && b[j] <= 0x3f {
			j++
		}
		if n == 0 || i-n < done || j >= len(b) || b[j] < 0x40 || b[j] > 0x7e {
			continue
		}
		out = append(out, b[done:i-n]...)
		done = j + 1
	}
	if out == nil && done == 0 {
		return b
	}
	return append(out, b[done:]...)
}

// escSpelledAt returns the length of an ESC written as a backslash escape
// at i (\u001b, \u{1b}, \x1b, \x{1b}, \033, \e, any case), or 0.
func escSpelledAt(d []byte, i int) int {
	for _, form := range escSpellings[:7] {
		if n := len(form); i+n <= len(d) && equalFoldASCII(d[i:i+n], form) {
			return n
		}
	}
	return 0
}

// nextIndexByte returns the index of the first c in b at or after from, or -1.
func nextIndexByte(b []byte, from int, c byte) int {
	if from >= len(b) {
		return -1
	}
	if k := bytes.IndexByte(b[from:], c); k >= 0 {
		return from + k
	}
	return -1
}

// spelledBefore reports whether the bytes before p are one of the escaped
// spellings forms of a control byte, given in lower case and compared
// ignoring case (\u001B and \E match too).
func spelledBefore(d []byte, p int, forms ...string) bool {
	for _, form := range forms {
		n := len(form)
		if p >= n && equalFoldASCII(d[p-n:p], form) {
			return true
		}
	}
	return false
}

func equalFoldASCII(b []byte, lower string) bool {
	for k := range b {
		c := b[k]
		if 'A' <= c && c <= 'Z' {
			c |= 0x20
		}
		if c != lower[k] {
			return false
		}
	}
	return true
}
