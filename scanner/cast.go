package scanner

import (
	"bytes"
	"strings"
)

// An asciinema recording (.cast, asciicast v2 and v3) is JSON lines: a
// header, then one event a line, [time, "o", "text"], the text the
// terminal printed at that time. A command typed at the prompt is echoed
// a keystroke an event, so a key typed in (export AWS_SECRET_ACCESS_KEY=…)
// is cut into characters, each its own JSON string, and the file as it is
// holds no key (qa15 HIGH-23). So the output events' strings are decoded
// and joined in order, as the terminal shows them: escape sequences
// (colours, cursor moves, titles) dropped, a backspace erasing the
// character before it, a carriage return ending the line; the text is
// scanned as a shell session, a piece at a time (decodedText), each
// finding at the recording's bytes with the encoding terminal-output. An
// output string that does not decode is counted, not passed in silence.

// castName reports whether a file is an asciinema recording by its name.
func castName(name string) bool {
	n := len(name)
	return n >= 5 && name[n-1]|0x20 == 't' && strings.EqualFold(name[n-5:], ".cast")
}

// decodeCast scans the output of a terminal recording as the terminal
// shows it.
func (m *match) decodeCast() {
	if m.wholeFile() != wholeCast {
		return
	}
	d := m.data
	t := &decodedText{m: m, found: m.foundSoFar(), encoding: "terminal-output", as: "session.sh"}
	var ev []byte
	var evPos cellPos
	for i := 0; i < len(d); {
		le := len(d)
		if k := bytes.IndexByte(d[i:], '\n'); k >= 0 {
			le = i + k
		}
		if s, ok := outputString(d, i, le); ok {
			var whole bool
			ev, evPos.seg = ev[:0], evPos.seg[:0]
			if _, ev, whole = jsonString(d[:le], s+1, ev, &evPos); !whole {
				m.undecoded++ // an event cut or badly escaped: counted
			} else {
				t.terminal(ev, &evPos)
				t.end = le
				if n := len(t.dec); n > 0 && t.dec[n-1] == '\n' && !t.cut(le) {
					return
				}
			}
		}
		i = le + 1
	}
	t.flush()
}

// outputString returns where the string of an output event on the line
// [i,le) opens: the line is [time, "o", "…"].
func outputString(d []byte, i, le int) (int, bool) {
	i = skipJSONSpace(d[:le], i)
	if i >= le || d[i] != '[' {
		return 0, false
	}
	k := bytes.IndexByte(d[i:le], ',')
	if k < 0 {
		return 0, false
	}
	j := skipJSONSpace(d[:le], i+k+1)
	if j+3 > le || string(d[j:j+3]) != `"o"` {
		return 0, false
	}
	j = skipJSONSpace(d[:le], j+3)
	if j >= le || d[j] != ',' {
		return 0, false
	}
	j = skipJSONSpace(d[:le], j+1)
	return j, j < le && d[j] == '"'
}

// terminal appends the text of one output event as a terminal shows it:
// escape sequences dropped, a backspace erasing the character before it
// (on its line), a carriage return before a line feed dropped and one
// alone read as a line's end, other control characters but the tab
// dropped. ev's byte k comes from the file's byte evPos.at(k).
func (t *decodedText) terminal(ev []byte, evPos *cellPos) {
	for k := 0; k < len(ev); {
		c := ev[k]
		switch {
		case c == 0x1b:
			k += escapeSequence(ev, k)
			continue
		case c == '\b':
			if n := len(t.dec); n > 0 && t.dec[n-1] != '\n' {
				t.dec = t.dec[:n-1]
				t.pos.trim(n - 1)
			}
			k++
			continue
		case c == '\r':
			if k+1 < len(ev) && ev[k+1] == '\n' {
				k++
				continue
			}
			c = '\n'
		case c < 0x20 && c != '\n' && c != '\t', c == 0x7f:
			k++
			continue
		}
		t.pos.add(len(t.dec), evPos.at(k))
		t.dec = append(t.dec, c)
		k++
	}
}

// escapeSequence returns the length of the terminal escape sequence at k
// (an ESC): a control sequence (ESC [ parameters, intermediates, a final
// byte: colours, cursor moves, erasing), an operating system command
// (ESC ] … BEL or ESC \: a window's title), a character set (ESC ( B), or
// ESC and one byte.
func escapeSequence(ev []byte, k int) int {
	if k+1 >= len(ev) {
		return 1
	}
	switch ev[k+1] {
	case '[':
		j := k + 2
		for j < len(ev) && j-k < 64 && 0x20 <= ev[j] && ev[j] <= 0x3f {
			j++
		}
		if j < len(ev) && 0x40 <= ev[j] && ev[j] <= 0x7e {
			j++
		}
		return j - k
	case ']':
		for j := k + 2; j < len(ev) && j-k < 512; j++ {
			if ev[j] == 7 {
				return j + 1 - k
			}
			if ev[j] == 0x1b && j+1 < len(ev) && ev[j+1] == '\\' {
				return j + 2 - k
			}
		}
		return 2
	case '(', ')', '*', '+':
		return min(3, len(ev)-k)
	}
	return 2
}

// trim drops the segments of decoded bytes from x on: the text was cut
// back to x bytes (a backspace).
func (p *cellPos) trim(x int) {
	for n := len(p.seg); n > 0 && p.seg[n-1].dec >= x; n-- {
		p.seg = p.seg[:n-1]
	}
}
