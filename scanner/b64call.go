package scanner

import "bytes"

// Python's base64.b64decode (validate=False, its default), like base64 -d
// -i, drops every byte outside the alphabet before it decodes: a literal
// of groups cut by dots, blanks or any other byte ("W2Rl.ZmF1.bHRd…"), or
// of short lines joined by \n escapes, decodes to the text whole, while
// the scan reads it as pieces too short for any anchor to stand whole in
// or any run to hold a key (qa18 M11). So in a Python file the literal a
// b64decode( call opens with is read as the call reads it when it is cut
// into such pieces: its characters gathered (the literal's escapes, \n and
// kin, and every byte outside the alphabet dropped, up to the padding),
// decoded, and the text scanned (encoding "base64", findings at the
// literal) or the bytes kept as a member of the file, as a base64 run's
// are. A literal with a piece long enough to hold a key's base64
// (maxB64Piece) is the anchors' (decodeBase64), which would report it at
// its own place.

// maxB64Piece is the longest piece of a literal read by decodeB64Calls:
// the base64 of a 20-character key ID takes 27 characters.
const maxB64Piece = 26

// minB64Gathered is the fewest characters gathered from a literal that
// decodeB64Calls decodes: less than a key ID's base64 holds no key.
const minB64Gathered = 27

// The calls of a Python file whose argument is read so (b64decode( and
// standard_, urlsafe_; decodebytes(, decodestring( before 3.9; binascii's
// a2b_base64(, which all three use) are found by pyCallSeeds.

// b64ShellSeeds appends, for each line of a shell script that runs
// base64 to decode (-d, --decode, macOS's -D), where the text it decodes
// may be given: each quoted literal of the line, a here-string or
// here-document (<<<, <<), and the words of an echo. base64 -d drops line
// breaks, and with -i (--ignore-garbage) every byte outside the alphabet,
// as b64decode does (qa18 M11's shell half): a text cut into short pieces
// so is read as the command reads it (decodeB64Calls).
func b64ShellSeeds(d []byte, seeds []int) []int {
	for i := 0; ; {
		k := bytes.Index(d[i:], []byte("base64"))
		if k < 0 {
			return seeds
		}
		at := i + k
		ls := bytes.LastIndexByte(d[:at], '\n') + 1
		le := len(d)
		if n := bytes.IndexByte(d[at:], '\n'); n >= 0 {
			le = at + n
		}
		i = le
		if at > 0 && isWordByte(d[at-1]) || !shellDecodes(d[at+6:le]) {
			continue
		}
		doc := -1
		for j := ls; j < le; j++ {
			switch c := d[j]; {
			case c == '"' || c == '\'':
				seeds = append(seeds, j)
				if q := bytes.IndexByte(d[j+1:le], c); q >= 0 {
					j += 1 + q
				}
			case c == '<' && j+2 < le && d[j+1] == '<' && d[j+2] == '<':
				seeds = append(seeds, j)
				j += 2
			case c == '<' && j+1 < le && d[j+1] == '<' && doc < 0:
				seeds, doc = append(seeds, j), j
				j++
			case c == 'e' && bytes.HasPrefix(d[j:le], []byte("echo ")) && (j == ls || !isWordByte(d[j-1])):
				seeds = append(seeds, j)
			}
		}
		// The here-document's body holds no commands: the walk goes on
		// after it, so that no body is searched twice for its end.
		if _, e, ok := shellArg(d, doc); ok && doc >= 0 {
			i = max(i, e)
		}
	}
}

// shellDecodes reports whether the words after a base64 command, up to
// the end of the command, ask it to decode.
func shellDecodes(args []byte) bool {
	if len(args) > 0 && isWordByte(args[0]) {
		return false // base64url, base64_decode: another word
	}
	for _, w := range bytes.Fields(args) {
		switch {
		case bytes.IndexByte([]byte("|;&)<>"), w[0]) >= 0:
			return false
		case string(w) == "--decode", len(w) > 1 && w[0] == '-' && w[1] != '-' && bytes.IndexAny(w[1:], "dD") >= 0:
			return true
		}
	}
	return false
}

// shellArg returns the text a shell seed (b64ShellSeeds) gives base64: a
// here-string's literal or word (<<< "…"), a here-document's body up to
// its delimiter's line (<<EOF, <<-'EOF'), or an echo's words up to the
// end of the command.
func shellArg(d []byte, i int) (int, int, bool) {
	word := func(s int) (int, int, bool) {
		e := s
		for e < len(d) && bytes.IndexByte([]byte("|;&)<>\n"), d[e]) < 0 {
			e++
		}
		return s, e, e > s
	}
	switch {
	case i < 0:
		return 0, 0, false
	case bytes.HasPrefix(d[i:], []byte("echo ")):
		if j := skipBlanks(d, i+5); j < len(d) && d[j] != '"' && d[j] != '\'' {
			return word(j) // a literal is its own seed
		}
		return 0, 0, false
	case bytes.HasPrefix(d[i:], []byte("<<<")):
		if _, _, ok := literalArg(d, i+3); ok {
			return 0, 0, false // a literal is its own seed
		}
		return word(skipBlanks(d, i+3))
	case bytes.HasPrefix(d[i:], []byte("<<")):
		j := i + 2
		if j < len(d) && d[j] == '-' {
			j++
		}
		j = skipBlanks(d, j)
		if j < len(d) && (d[j] == '\'' || d[j] == '"') {
			j++
		}
		ws := j
		for j < len(d) && isWordByte(d[j]) {
			j++
		}
		nl := bytes.IndexByte(d[j:], '\n')
		if j == ws || nl < 0 {
			return 0, 0, false
		}
		delim, s := d[ws:j], j+nl+1
		for ls := s; ls < len(d); {
			le := len(d)
			if n := bytes.IndexByte(d[ls:], '\n'); n >= 0 {
				le = ls + n
			}
			if bytes.Equal(bytes.TrimRight(bytes.TrimLeft(d[ls:le], "\t"), "\r"), delim) {
				return s, ls, true
			}
			ls = le + 1
		}
		return s, len(d), true // the script ends the document
	}
	return 0, 0, false
}

// decodeB64Calls decodes the literals the calls pyCallSeeds found
// (m.scratch.b64Calls) name, when they are cut into short pieces, and the
// texts of a shell script's base64 commands (b64ShellSeeds).
func (m *match) decodeB64Calls() {
	d := m.data
	follows := 0
	for _, arg := range m.scratch.b64Calls {
		if m.spent() {
			return
		}
		s, e, ok := literalArg(d, arg)
		if !ok {
			s, e, ok = shellArg(d, arg)
		}
		if name := shellRefName(d[s:e]); ok && name != nil {
			// "$B": the text is B's, assigned elsewhere in the script.
			// Each such search reads the file: past maxRefFollows the
			// text is counted as not decoded, never passed in silence.
			if follows++; follows > maxRefFollows {
				m.undecoded++
				continue
			}
			s, e, ok = assignedText(d, name, s)
		}
		if !ok || e-s < minB64Gathered {
			continue
		}
		chars, ok := gatherB64(d[s:e], m.scratch.hexBuf(e - s)[:0])
		if !ok || len(chars) < minB64Gathered || !m.spendBytes(decodeStep, len(chars), m.decodeCost()) {
			continue
		}
		if len(chars)%4 == 1 {
			chars = chars[:len(chars)-1] // a lone last character decodes to nothing
		}
		dec := make([]byte, len(chars)/4*3+3)
		dec = dec[:decodeB64(dec, chars)]
		if len(dec) < 8 {
			continue
		}
		if !mostlyText(dec) {
			m.embed(dec, s, "base64")
			continue
		}
		m.subScan(dec, "base64", func(int) int { return s }, func(int) int { return e })
	}
}

// gatherB64 appends to buf the base64 characters of a literal's text lit
// as b64decode reads it (escapes such as \n and every byte outside the
// alphabet dropped, up to the padding), and reports whether lit is cut
// into pieces no longer than maxB64Piece.
//
// A text cut only by line breaks (real or escaped, and indentation) into
// lines of one width, minNarrowWidth or more, is the anchors' as well:
// b64Span joins such lines, and reports the run at its own place.
func gatherB64(lit, buf []byte) ([]byte, bool) {
	piece, cut := 0, false
	width, lines, last := -1, true, false // the full lines' width; whether only line breaks cut; a shorter, last line read
	for i := 0; i < len(lit); i++ {
		c := lit[i]
		switch {
		case isB64(c):
			buf = append(buf, c)
			if piece++; piece > maxB64Piece {
				return buf, false
			}
			continue
		case c == '=':
			return buf, cut && !narrowLines(lines, width)
		case c == '\\' && i+1 < len(lit):
			lines = lines && (lit[i+1] == 'n' || lit[i+1] == 'r')
			i++ // \n, \t, \\: the literal's escape, no character of the text
		case c != '\n' && c != '\r' && c != ' ' && c != '\t':
			lines = false
		}
		if piece > 0 {
			switch {
			case width < 0:
				width = piece
			case last || piece > width:
				lines = false
			case piece < width:
				last = true // the last line may be shorter
			}
		}
		piece, cut = 0, true
	}
	return buf, cut && !narrowLines(lines, width)
}

// narrowLines reports whether a text gatherB64 read is lines that b64Span
// joins: cut only by line breaks, its full lines of one width of
// minNarrowWidth or more.
func narrowLines(lines bool, width int) bool { return lines && width >= minNarrowWidth }

// maxRefFollows bounds the references to a variable decodeB64Calls
// follows to its assignment in one file.
const maxRefFollows = 64

// shellRefName returns NAME when the text is only a reference to a shell
// variable ($NAME, ${NAME}), or nil.
func shellRefName(t []byte) []byte {
	if len(t) < 2 || t[0] != '$' {
		return nil
	}
	t = t[1:]
	if t[0] == '{' && t[len(t)-1] == '}' {
		t = t[1 : len(t)-1]
	}
	for i, c := range t {
		if !(c == '_' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || i > 0 && '0' <= c && c <= '9') {
			return nil
		}
	}
	if len(t) == 0 {
		return nil
	}
	return t
}

// assignedText returns the text the assignment of name nearest before at
// (or the first after it) gives it: a quoted literal, or a word.
func assignedText(d, name []byte, at int) (int, int, bool) {
	v := assignmentOf(d, name, at)
	if v < 0 {
		return 0, 0, false
	}
	if d[v-1] == '"' || d[v-1] == '\'' {
		return literalArg(d, v-1)
	}
	e := v
	for e < len(d) && d[e] != ' ' && d[e] != '\t' && d[e] != '\n' && d[e] != '\r' && d[e] != ';' {
		e++
	}
	return v, e, true
}
