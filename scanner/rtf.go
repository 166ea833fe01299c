package scanner

import (
	"strings"
)

// An RTF document (what Word and WordPad save as .rtf) holds its text
// among control words: Word cuts a paragraph into groups wherever the
// editing session or the formatting changes ({\rtlch\insrsid1234567 …}),
// puts bookmarks inside it ({\*\bkmkstart key}), starts a colour mid-word
// (\cf2 ), wraps long lines with CR/LF that readers ignore, and may write
// any character as \'41 or \u65 (qa16 HIGH-5). A key shows whole on the
// page and never stands whole in the bytes. So an .rtf file's text is
// read as a reader shows it: control words dropped (\par, \line, \cell
// and \row end a line, \tab is a tab), ignorable destinations ({\*…}) and
// the tables, pictures and fields' instructions dropped, groups joined,
// CR and LF ignored, \'XX and \uN decoded (\uN's fallback characters
// skipped, as \ucN says); the text is scanned a piece at a time as plain
// text (decodedText), each finding at the file's bytes with the encoding
// rtf-text. A group left open at the end is counted as not decoded.

// rtfName reports whether a file is an RTF document by its name.
func rtfName(name string) bool {
	n := len(name)
	return n >= 4 && name[n-1]|0x20 == 'f' && strings.EqualFold(name[n-4:], ".rtf")
}

// rtfSkipped are the destinations whose text no reader shows: tables of
// fonts, colours, styles and lists, document information, pictures,
// embedded objects, a field's instructions, theme and XML data.
var rtfSkipped = map[string]bool{
	"fonttbl": true, "colortbl": true, "stylesheet": true, "info": true, "pict": true, "object": true,
	"fldinst": true, "listtable": true, "listoverridetable": true, "rsidtbl": true, "generator": true,
	"themedata": true, "colorschememapping": true, "datastore": true, "latentstyles": true,
	"xmlnstbl": true, "filetbl": true, "revtbl": true, "mmathPr": true, "pgdsctbl": true,
}

// maxRTFDepth bounds the groups an RTF reader keeps track of: deeper ones
// are read as their parent (no reader of a real document nests so far).
const maxRTFDepth = 256

// decodeRTF scans an RTF document's text as a reader shows it.
func (m *match) decodeRTF() {
	if m.wholeFile() != wholeRTF {
		return
	}
	d := m.data
	t := &decodedText{m: m, found: m.foundSoFar(), encoding: "rtf-text", as: "document.txt"}
	put := func(c byte, at int) {
		t.pos.add(len(t.dec), at)
		t.dec = append(t.dec, c)
	}
	// The state of each open group: skipped (a destination no reader
	// shows) and uc, how many fallback characters follow a \uN.
	type group struct {
		skip bool
		uc   int
	}
	stack := make([]group, 1, 16)
	stack[0].uc = 1
	fallback := 0 // fallback characters still to skip after a \uN
	depth := 0    // groups open beyond those kept on the stack
	for i := 0; i < len(d); {
		top := &stack[len(stack)-1]
		c := d[i]
		switch c {
		case '{':
			i++
			fallback = 0
			if len(stack) >= maxRTFDepth {
				depth++
				continue
			}
			g := *top
			if i+1 < len(d) && d[i] == '\\' && d[i+1] == '*' {
				g.skip = true
			} else if i < len(d) && d[i] == '\\' {
				w, _, _ := rtfWord(d, i+1)
				g.skip = g.skip || rtfSkipped[string(w)]
			}
			stack = append(stack, g)
			continue
		case '}':
			i++
			fallback = 0
			switch {
			case depth > 0:
				depth--
			case len(stack) > 1:
				stack = stack[:len(stack)-1]
			}
			continue
		case '\r', '\n':
			i++
			continue
		case '\\':
			if i+1 >= len(d) {
				i++
				continue
			}
			at := i
			n := d[i+1]
			if isLower(n) || isUpper(n) {
				w, param, e := rtfWord(d, i+1)
				i = e
				if top.skip {
					continue
				}
				switch string(w) {
				case "par", "line", "cell", "row", "sect", "page":
					put('\n', at)
					if !t.cut(i) {
						return
					}
				case "tab":
					put('\t', at)
				case "uc":
					top.uc = max(0, min(param, 8))
				case "u":
					if param < 0 {
						param += 65536
					}
					if param > 0 && param < 0x80 {
						put(byte(param), at)
					} else {
						put('?', at)
					}
					fallback = top.uc
				}
				continue
			}
			i += 2
			if n == '\'' {
				if i+1 < len(d) && isHex(d[i]) && isHex(d[i+1]) {
					b := hexVal(d[i])<<4 | hexVal(d[i+1])
					i += 2
					if fallback > 0 {
						fallback--
					} else if !top.skip {
						put(b, at)
					}
				}
				continue
			}
			if top.skip {
				continue
			}
			switch n {
			case '\\', '{', '}':
				if fallback > 0 {
					fallback--
				} else {
					put(n, at+1)
				}
			case '~':
				put(' ', at)
			case '_':
				put('-', at)
			}
			continue
		}
		if fallback > 0 {
			fallback--
		} else if !top.skip {
			put(c, i)
		}
		i++
	}
	if len(stack) > 1 || depth > 0 {
		m.undecoded++ // a group left open: the document is cut
	}
	t.end = len(d)
	t.flush()
}

// rtfWord returns the control word whose letters start at i, its numeric
// parameter (0 when none) and where it ends, past the blank that
// delimits it. The word is the document's own bytes: a control word every
// few bytes of a document is no string to allocate.
func rtfWord(d []byte, i int) ([]byte, int, int) {
	s := i
	for i < len(d) && i-s < 32 && (isLower(d[i]) || isUpper(d[i])) {
		i++
	}
	w := d[s:i]
	neg := i < len(d) && d[i] == '-'
	if neg {
		i++
	}
	p, digits := 0, 0
	for i < len(d) && isDigit(d[i]) && digits < 10 {
		p = p*10 + int(d[i]-'0')
		i++
		digits++
	}
	if neg {
		p = -p
	}
	if i < len(d) && d[i] == ' ' {
		i++
	}
	return w, p, i
}
