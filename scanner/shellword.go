package scanner

import (
	"bytes"
	"slices"
	"strings"
)

// A shell word may be written in parts side by side: bare, '…', "…" and
// $'…' make one word, so export AWS_ACCESS_KEY_ID=AKIA…"…" sets the whole
// key ID, in a script, a dotenv file the shell sources and a Dockerfile's
// ENV alike (qa16 HIGH-8). The key ID's plain head is too short to be seen
// and the rest is in quotes; the concatenation reader joins literals, not a
// bare part beside a quoted one. cmd.exe has its own: a line that ends
// with ^ goes on at the next, and ^ before a character is dropped. So in
// such files the lines of key IDs that a quote, an escape or a caret cuts,
// of literals that open with a key prefix's piece, of escaped key prefixes
// ($'\x41'KIA…) and of keywords are read
// as the shell reads them: each word whose parts join value characters
// across a quote is rewritten as its value (encoding concatenation), and
// a batch file's line with its continuations as cmd.exe joins it
// (line-continuation). Files of other names and lines with no such seed
// cost nothing more.

// shellKind is how a file's lines are read as words.
type shellKind uint8

const (
	notShell   shellKind = iota
	posixShell           // sh, bash, zsh, dotenv, Dockerfile: quotes and escapes
	cmdShell             // cmd.exe's .bat and .cmd: the caret
)

// shellOf returns how a file (or archive member) of that name is read as
// shell words. It is asked once per file that gets this far: no copy of
// the name is made, and its extension is folded as it is compared (the
// match asks it of plainName: deploy.sh.bak is deploy.sh).
func shellOf(name string) shellKind {
	// Most names are told by their last byte and the one before their
	// extension (Dockerfile.prod, .env.production: an e or a v), looked
	// at from the end.
	if dot := strings.LastIndexByte(name, '.'); !endsIn(name, "hvcetd") && (dot <= 0 || !endsIn(name[:dot], "ev")) {
		return notShell
	}
	base := name[strings.LastIndexByte(name, '/')+1:]
	if i := strings.LastIndexByte(base, '!'); i >= 0 {
		base = base[i+1:]
	}
	if len(base) > 0 && (base[0] == '.' || base[0]|0x20 == 'd' || base[0]|0x20 == 'c') &&
		(hasPrefixFold(base, ".ENV.") || hasPrefixFold(base, "DOCKERFILE") || hasPrefixFold(base, "CONTAINERFILE")) {
		return posixShell
	}
	ext := nameExt(base)
	switch {
	case extIn(ext, shellExtensions), extIn(base, shellDotFiles):
		return posixShell
	case extIn(ext, batchExtensions):
		return cmdShell
	}
	return notShell
}

// shellExtensions, batchExtensions and shellDotFiles name the files read
// as shell words: scripts, dotenv files and Dockerfiles; cmd.exe's batch
// files; the shells' own start-up files.
var (
	shellExtensions = []string{".sh", ".bash", ".zsh", ".ksh", ".env", ".envrc", ".dockerfile"}
	batchExtensions = []string{".bat", ".cmd"}
	shellDotFiles   = []string{".bashrc", ".bash_profile", ".profile", ".zshrc", ".zshenv", ".kshrc"}
)

// shell returns how the file's lines are read as words, worked out once.
func (m *match) shell() shellKind {
	if !m.shellKnown {
		m.shellKnown, m.shellAs = true, shellOf(m.plainName())
	}
	return m.shellAs
}

// shellCut reports whether c, where a key ID's head stops, may join it to
// the rest of its word in a file read as shell words.
func (m *match) shellCut(c byte) bool {
	switch c {
	case '"', '\'', '\\', '$':
		return m.shell() == posixShell
	case '^':
		return m.shell() == cmdShell
	}
	return false
}

// The bounds of a line read as words: a longer line is read from
// shellLineBytes before its seed, and a batch file's line is followed over
// at most maxCaretLines continuations.
const (
	shellLineBytes = 4096
	maxCaretLines  = 16
)

// decodeShellWords rewrites the words of the seeded lines (see above) and
// scans them in their context.
func (m *match) decodeShellWords() {
	if m.depth > 0 {
		return
	}
	kind := m.shell()
	if kind == notShell {
		return
	}
	seeds := m.shellSeeds
	if kind == posixShell {
		seeds = append(seeds, m.heads...)
		for _, w := range m.esc { // $'\x41'KIA…
			seeds = append(seeds, w.lo)
		}
	}
	for _, kw := range m.keywords {
		seeds = append(seeds, kw.start)
	}
	if len(seeds) == 0 {
		return
	}
	slices.Sort(seeds)
	d := m.data
	spans := shellSpans(d, seeds, kind)
	if kind == cmdShell {
		m.scanRewritten(spans, func(i int) rewrite { return caretText(d, spans[i]) })
		return
	}
	m.scanRewritten(spans, func(i int) rewrite { sg, _ := wordText(d, spans[i]); return sg })
}

// shellSpans returns the stretches of d to rewrite around the sorted
// seeds: the joined words of their lines (joinedWords), or in a batch file
// their lines with the continuations a caret joins to them (caretLine).
func shellSpans(d []byte, seeds []int, kind shellKind) []window {
	var spans []window
	done := -1 // the end of the last line read
	for _, s := range seeds {
		if s < done {
			continue
		}
		ls := lineStartWithin(d, s, shellLineBytes)
		le := min(len(d), s+shellLineBytes)
		if k := bytes.IndexByte(d[s:le], '\n'); k >= 0 {
			le = s + k
		}
		if kind == cmdShell {
			hi, ok := caretLine(d, ls, le)
			switch {
			case ok && ls >= done:
				spans = append(spans, window{ls, hi})
				done = hi
			case !ok && (le == len(d) || d[le] == '\n'):
				// No caret on the line to its end: the line of any
				// seed after this one on it lies inside this one's, so
				// it is not searched again.
				done = le
			}
			continue
		}
		le = continuedLine(d, le)
		spans = joinedWords(d, max(ls, done), le, spans)
		done = le
	}
	return spans
}

// continuedLine returns where the line that ends at le ends with the
// lines that a backslash at its end joins to it (at most maxCaretLines,
// each read up to shellLineBytes): the shell reads a word on, over a
// backslash and the line break after it, outside quotes and inside double
// quotes alike ("AKIA…"\ then "…" on the next line is one word).
func continuedLine(d []byte, le int) int {
	for n := 0; n < maxCaretLines && le < len(d); n++ {
		e := le
		if e > 0 && d[e-1] == '\r' {
			e--
		}
		k := 0
		for e-k > 0 && d[e-k-1] == '\\' {
			k++
		}
		if k%2 == 0 {
			break
		}
		next := le + 1
		hi := min(len(d), next+shellLineBytes)
		if j := bytes.IndexByte(d[next:hi], '\n'); j >= 0 {
			hi = next + j
		}
		le = hi
	}
	return le
}

// joinedWords appends the words of data[lo:hi] (a line with the lines a
// backslash continues it on, or its end) whose parts join value characters
// across a quote or an escape.
func joinedWords(d []byte, lo, hi int, out []window) []window {
	for i := lo; i < hi; {
		switch d[i] {
		case ' ', '\t', '\r', '\n', ';', '|', '&', '(', ')', '<', '>', '`':
			i++
			continue
		case '#':
			// a comment to the line's end
			k := bytes.IndexByte(d[i:hi], '\n')
			if k < 0 {
				return out
			}
			i += k + 1
			continue
		}
		e, ok := wordEnd(d, i, hi)
		if !ok {
			return out // a quote not closed on the line: not read
		}
		if wordJoined(d, window{i, e}) {
			out = append(out, window{i, e})
		}
		i = e
	}
	return out
}

// wordEnd returns where the shell word that starts at i ends, before hi,
// or false if one of its quotes is not closed there.
func wordEnd(d []byte, i, hi int) (int, bool) {
	for i < hi {
		switch c := d[i]; c {
		case ' ', '\t', '\r', '\n', ';', '|', '&', '(', ')', '<', '>', '`':
			return i, true
		case '\'':
			k := bytes.IndexByte(d[i+1:hi], '\'')
			if k < 0 {
				return 0, false
			}
			i += k + 2
		case '"':
			k := quotedEnd(d, i+1, hi, '"')
			if k < 0 {
				return 0, false
			}
			i = k + 1
		case '\\':
			i += max(2, lineBreakAfter(d, i, hi))
		case '$':
			if i+1 < hi && d[i+1] == '\'' {
				k := quotedEnd(d, i+2, hi, '\'')
				if k < 0 {
					return 0, false
				}
				i = k + 1
				continue
			}
			i++
		default:
			i++
		}
	}
	return min(i, hi), true
}

// quotedEnd returns where the quote q that closes a part opened before i
// stands, a backslash escaping the byte after it, or -1 before hi.
func quotedEnd(d []byte, i, hi int, q byte) int {
	for ; i < hi; i++ {
		switch d[i] {
		case '\\':
			i++
		case q:
			return i
		}
	}
	return -1
}

// wordText returns the value of the shell word at w (its parts' quotes
// removed, escapes decoded: a backslash outside quotes, \$ \` \" \\ in
// double quotes, and $'…'s \xHH, \NNN, \n and the like) and whether a
// value character on one side of a removed quote or escape meets one on
// the other: a word that holds a value written in parts.
func wordText(d []byte, w window) (rewrite, bool) {
	n := w.hi - w.lo
	sg := rewrite{start: w.lo, end: w.hi, encoding: "concatenation", text: make([]byte, 0, n),
		from: make([]int, 0, n), to: make([]int, 0, n)}
	joined := wordValue(d, w, &sg)
	return sg, joined
}

// wordJoined is wordText's second answer alone, which joinedWords asks of
// every word of a seeded line: it builds no rewrite (three slices, 17
// bytes a byte of the word) and stops at the first join, so a word is
// rewritten once, when it is scanned (a 1 MB script of keyword lines cost
// 2.2 times its scan as text).
func wordJoined(d []byte, w window) bool { return wordValue(d, w, nil) }

// wordValue reads the shell word at w as wordText says, appending its value
// to sg when sg is not nil, and reports whether it joins value characters
// across a removed quote or escape; without sg it stops at the first join.
func wordValue(d []byte, w window, sg *rewrite) bool {
	joined := false
	k, last := 0, byte(0) // the value's length so far and its last byte
	cut := -1             // k where a quote or an escape was removed last
	put := func(c byte, from, to int) {
		if k == cut && k > 0 && isSecretChar(last) && isSecretChar(c) {
			joined = true
		}
		k, last = k+1, c
		if sg != nil {
			sg.text, sg.from, sg.to = append(sg.text, c), append(sg.from, from), append(sg.to, to)
		}
	}
	for i := w.lo; i < w.hi && (sg != nil || !joined); {
		switch c := d[i]; {
		case c == '\'':
			cut = k
			for i++; i < w.hi && d[i] != '\''; i++ {
				put(d[i], i, i+1)
			}
			i++
			cut = k
		case c == '"':
			cut = k
			for i++; i < w.hi && d[i] != '"'; i++ {
				if n := lineBreakAfter(d, i, w.hi); n > 0 {
					i += n - 1 // a backslash and a line break: dropped
					cut = k
					continue
				}
				if d[i] == '\\' && i+1 < w.hi && strings.IndexByte("$`\"\\", d[i+1]) >= 0 {
					put(d[i+1], i, i+2)
					i++
					continue
				}
				put(d[i], i, i+1)
			}
			i++
			cut = k
		case c == '$' && i+1 < w.hi && d[i+1] == '\'':
			cut = k
			for i += 2; i < w.hi && d[i] != '\''; {
				if d[i] == '\\' && i+1 < w.hi {
					b, n := ansiEscape(d[i:w.hi])
					put(b, i, i+n)
					i += n
					continue
				}
				put(d[i], i, i+1)
				i++
			}
			i++
			cut = k
		case lineBreakAfter(d, i, w.hi) > 0:
			i += lineBreakAfter(d, i, w.hi) // a backslash and a line break: dropped
			cut = k
		case c == '\\' && i+1 < w.hi:
			cut = k
			put(d[i+1], i, i+2)
			i += 2
			cut = k
		default:
			put(c, i, i+1)
			i++
			if sg == nil {
				// The bare bytes after it up to a quote or an escape meet
				// no cut: only their count and the last one matter.
				for i < w.hi && !wordBreak[d[i]] {
					k, last = k+1, d[i]
					i++
				}
			}
		}
	}
	return joined
}

// wordBreak marks the bytes that may open a quoted part or an escape in a
// shell word.
var wordBreak = [256]bool{'\'': true, '"': true, '$': true, '\\': true}

// lineBreakAfter returns the length of a backslash at i and the line
// break after it (\ LF or \ CR LF) before hi, or 0.
func lineBreakAfter(d []byte, i, hi int) int {
	switch {
	case d[i] != '\\' || i+1 >= hi:
		return 0
	case d[i+1] == '\n':
		return 2
	case d[i+1] == '\r' && i+2 < hi && d[i+2] == '\n':
		return 3
	}
	return 0
}

// ansiEscape decodes the escape that b (a backslash and more) starts
// with inside $'…', and returns its byte and length.
func ansiEscape(b []byte) (byte, int) {
	switch c := b[1]; c {
	case 'n':
		return '\n', 2
	case 't':
		return '\t', 2
	case 'r':
		return '\r', 2
	case 'x':
		v, k := 0, 2
		for ; k < min(len(b), 4) && isHex(b[k]); k++ {
			v = v*16 + int(hexVal(b[k]))
		}
		if k == 2 {
			return c, 2
		}
		return byte(v), k
	}
	if c := b[1]; c >= '0' && c <= '7' {
		v, k := 0, 1
		for ; k < min(len(b), 4) && b[k] >= '0' && b[k] <= '7'; k++ {
			v = v*8 + int(b[k]-'0')
		}
		return byte(v), k
	}
	return b[1], 2
}

// caretLine returns where the batch file's line that starts at ls ends,
// with the lines that a ^ at its end joins to it, and whether it holds a
// caret at all; le is where its first line ends.
func caretLine(d []byte, ls, le int) (int, bool) {
	hi := le
	for n := 0; n < maxCaretLines; n++ {
		e := hi
		if e > ls && d[e-1] == '\r' {
			e--
		}
		if e == ls || d[e-1] != '^' || hi >= len(d) {
			break
		}
		next := hi + 1
		k := bytes.IndexByte(d[next:min(len(d), next+shellLineBytes)], '\n')
		if k < 0 {
			hi = min(len(d), next+shellLineBytes)
			break
		}
		hi = next + k
	}
	return hi, bytes.IndexByte(d[ls:hi], '^') >= 0
}

// caretText returns a batch file's line at w as cmd.exe reads it: a ^ and
// the line break after it dropped, a ^ before another byte dropped.
func caretText(d []byte, w window) rewrite {
	n := w.hi - w.lo
	sg := rewrite{start: w.lo, end: w.hi, encoding: "line-continuation", text: make([]byte, 0, n),
		from: make([]int, 0, n), to: make([]int, 0, n)}
	for i := w.lo; i < w.hi; {
		if d[i] != '^' {
			sg.text, sg.from, sg.to = append(sg.text, d[i]), append(sg.from, i), append(sg.to, i+1)
			i++
			continue
		}
		switch {
		case i+2 < w.hi && d[i+1] == '\r' && d[i+2] == '\n':
			i += 3
		case i+1 < w.hi && (d[i+1] == '\n' || d[i+1] == '\r'):
			i += 2
		case i+1 < w.hi:
			sg.text, sg.from, sg.to = append(sg.text, d[i+1]), append(sg.from, i), append(sg.to, i+2)
			i += 2
		default:
			i++
		}
	}
	return sg
}
