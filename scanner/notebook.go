package scanner

import (
	"bytes"
	"unicode/utf8"
)

// A Jupyter notebook (.ipynb) is JSON: each cell's code is a list of JSON
// strings, one a line, with its quotes escaped (\"AKIA…\"). Read as it is,
// a key split over two adjacent literals on two lines, as black and long-line
// wrapping write them, is two strings of the JSON, and a list of characters
// is not in a source file (qa14 HIGH-4). So the code of each cell is decoded
// from its JSON strings and scanned as a file of the kernel's language is
// (Python unless the notebook says otherwise): joins, lists and the rest
// read it as they read a .py file. A finding from that reading has encoding
// notebook-cell and points at the notebook's bytes.
//
// The strings are decoded here rather than by encoding/json: a finding
// needs the offset in the notebook of every decoded byte, and a cell is
// found by its "source" key (nbformat 4) or "input" key (nbformat 3, whose
// cells sit in "worksheets") without reading the outputs around it (images
// in base64, often most of the file). The offsets are kept as segments
// (cellPos), not one int a byte: a cell of 19 MB took eight times that in
// offsets (qa15 HIGH-10: a 39 KB .ipynb.gz cost 540 MB).

// cellBatch is how much decoded code is scanned at once: cells are read
// together, a blank line between two, so that a notebook of a million
// one-line cells is not a million sub-scans (each costs a match's setup).
const cellBatch = 64 << 10

// decodeNotebook scans the cells of a notebook as code.
func (m *match) decodeNotebook() {
	if m.depth > 0 || !notebookName(m.plainName()) {
		return
	}
	d := m.data
	ext := notebookExt(d)
	t := &decodedText{m: m, found: m.foundSoFar(), encoding: "notebook-cell", as: "cell" + ext}
	cut := func(at int, sofar []byte) ([]byte, bool) {
		t.dec = sofar
		ok := t.cut(at)
		return t.dec, ok
	}
	keys := [][]byte{[]byte(`"source"`)}
	if bytes.Contains(d, []byte(`"worksheets"`)) {
		keys = append(keys, []byte(`"input"`)) // nbformat 3: a code cell's code
	}
	next := make([]int, len(keys)) // where each key is next, or -1
	for k := range next {
		next[k] = bytes.Index(d, keys[k])
	}
	for i := 0; ; {
		k := -1 // the key found first
		for j, at := range next {
			if at >= 0 && (k < 0 || at < next[k]) {
				k = j
			}
		}
		if k < 0 {
			break
		}
		i = next[k] + len(keys[k])
		n := len(t.dec)
		var ok bool
		i, t.dec, ok = cellSource(d, i, t.dec, &t.pos, cut)
		if !ok {
			return
		}
		for j, at := range next {
			if at >= 0 && at < i {
				if next[j] = bytes.Index(d[i:], keys[j]); next[j] >= 0 {
					next[j] += i
				}
			}
		}
		if len(t.dec) == n {
			continue
		}
		t.end = i
		t.pos.add(len(t.dec), i)
		t.pos.add(len(t.dec)+1, i)
		t.dec = append(t.dec, '\n', '\n') // the blank line after a cell
		if len(t.dec) >= cellBatch && !t.flush() {
			return
		}
	}
	t.flush()
}

// decodedText is text decoded from a file (a notebook's cells, a terminal
// recording's output) and scanned a piece at a time, as a file of the
// name as is, each finding at the file's bytes (pos) with the encoding.
type decodedText struct {
	m            *match
	found        []findingAt // what the file's own scan and earlier pieces found: reported once
	dec          []byte
	pos          cellPos
	end          int // where in the file the last text read ends
	encoding, as string
}

// flush scans the text decoded so far and empties it; false where the
// budget is spent (counted).
func (t *decodedText) flush() bool {
	m, dec := t.m, t.dec
	if len(dec) == 0 {
		return true
	}
	if m.spent() {
		m.undecoded++ // the budget is spent: counted, never silent
		return false
	}
	m.subScanNew(t.found, dec, t.encoding, t.as,
		t.pos.at,
		func(x int) int {
			if x >= len(dec) {
				return t.end
			}
			return t.pos.at(x)
		})
	t.dec, t.pos.seg = dec[:0], t.pos.seg[:0]
	return true
}

// cut scans the text decoded so far when it is a batch long, at a line's
// end (at: where in the file it ends), and keeps its last lines, which are
// read again with the next piece, so that a value split over lines there
// is read whole; what both pieces find is reported once (qa15 HIGH-10: a
// cell of 1.2 million lines of "AK" "IA" was read whole, 450 MB).
func (t *decodedText) cut(at int) bool {
	if len(t.dec) < cellBatch {
		return true
	}
	t.end = at
	k := tailStart(t.dec, cellOverlap)
	tail := append([]byte(nil), t.dec[k:]...)
	tailPos := t.pos.from(k)
	if !t.flush() {
		return false
	}
	t.found = t.m.foundSoFar()
	t.dec, t.pos = append(t.dec, tail...), tailPos
	return true
}

// cellPos maps a decoded byte of the cells to the offset of its first raw
// byte in the notebook. Bytes written as themselves map one to one, so
// the map is a list of segments, one where an escape or a new string
// breaks the run.
type cellPos struct{ seg []posSeg }

// posSeg says that decoded bytes from dec on map to raw bytes from raw on,
// one to one, up to the next segment.
type posSeg struct{ dec, raw int }

// add records that decoded byte x comes from raw offset r; x is one past
// the last byte added.
func (p *cellPos) add(x, r int) {
	if n := len(p.seg); n > 0 {
		if s := p.seg[n-1]; s.raw+(x-s.dec) == r {
			return
		}
	}
	p.seg = append(p.seg, posSeg{x, r})
}

// from returns the map of the decoded bytes from t on, counted from t.
func (p *cellPos) from(t int) cellPos {
	var q cellPos
	for k, s := range p.seg {
		if k+1 < len(p.seg) && p.seg[k+1].dec <= t {
			continue
		}
		if s.dec >= t {
			q.seg = append(q.seg, posSeg{s.dec - t, s.raw})
		} else {
			q.seg = append(q.seg, posSeg{0, s.raw + t - s.dec})
		}
	}
	return q
}

// cellOverlap is how much of a batch's end is read again at the start of
// the next when a cell is cut (cellSource): a few lines, a value split over
// them.
const cellOverlap = 4 << 10

// tailStart returns where the last lines of dec within the last most
// bytes start: after a line break, or len(dec) where none is.
func tailStart(dec []byte, most int) int {
	lo := max(0, len(dec)-most)
	if k := bytes.IndexByte(dec[lo:], '\n'); k >= 0 && lo > 0 {
		return lo + k + 1
	}
	if lo == 0 {
		return 0
	}
	return len(dec)
}

// at returns the raw offset of decoded byte x.
func (p *cellPos) at(x int) int {
	lo, hi := 0, len(p.seg) // the last segment whose dec <= x
	for hi-lo > 1 {
		if mid := (lo + hi) / 2; p.seg[mid].dec <= x {
			lo = mid
		} else {
			hi = mid
		}
	}
	if len(p.seg) == 0 {
		return 0
	}
	s := p.seg[lo]
	return s.raw + (x - s.dec)
}

// cellSource decodes the value after a "source" key at i: a JSON string or
// a list of them, appended to dec (nothing when it is neither) with the
// offset of each decoded byte's first raw byte in pos. After each string
// of a list that ends a line it calls cut (when not nil), which returns the
// text to go on with. It returns where it stopped, and false where cut
// said to stop.
func cellSource(d []byte, i int, dec []byte, pos *cellPos, cut func(at int, dec []byte) ([]byte, bool)) (int, []byte, bool) {
	i = skipJSONSpace(d, i)
	if i >= len(d) || d[i] != ':' {
		return i, dec, true
	}
	i = skipJSONSpace(d, i+1)
	list := i < len(d) && d[i] == '['
	if list {
		i = skipJSONSpace(d, i+1)
	}
	for i < len(d) && d[i] == '"' {
		var ok bool
		i, dec, ok = jsonString(d, i+1, dec, pos)
		if !ok || !list {
			return i, dec, true
		}
		if n := len(dec); n > 0 && dec[n-1] == '\n' && cut != nil {
			// A line ends here: the caller may scan what is decoded so
			// far, and go on with its last lines in dec and pos.
			if dec, ok = cut(i, dec); !ok {
				return i, dec, false
			}
		}
		i = skipJSONSpace(d, i)
		if i >= len(d) || d[i] != ',' {
			break
		}
		i = skipJSONSpace(d, i+1)
	}
	return i, dec, true
}

func skipJSONSpace(d []byte, i int) int {
	for i < len(d) && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r') {
		i++
	}
	return i
}

// jsonString decodes the JSON string whose first byte is at i, up to its
// closing quote. A \u escape of a character outside ASCII is written as
// UTF-8 (a surrogate pair as U+FFFD: no key holds one).
func jsonString(d []byte, i int, dec []byte, pos *cellPos) (int, []byte, bool) {
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			return i + 1, dec, true
		case c != '\\':
			// A run of bytes written as themselves is one segment.
			e := i + 1
			for e < len(d) && d[e] != '"' && d[e] != '\\' {
				e++
			}
			pos.add(len(dec), i)
			dec = append(dec, d[i:e]...)
			i = e
			continue
		}
		if i+1 >= len(d) {
			break
		}
		at := i
		switch e := d[i+1]; e {
		case 'n':
			c = '\n'
		case 't':
			c = '\t'
		case 'r':
			c = '\r'
		case 'b':
			c = '\b'
		case 'f':
			c = '\f'
		case '"', '\\', '/':
			c = e
		case 'u':
			v, n := hexRun(d, i+2, 4)
			if n != 4 {
				return i, dec, false
			}
			i += 6
			if v < utf8.RuneSelf {
				pos.add(len(dec), at)
				dec = append(dec, byte(v))
				continue
			}
			var buf [utf8.UTFMax]byte
			r := rune(v)
			if v >= 0xd800 && v < 0xe000 {
				r = utf8.RuneError
			}
			for _, b := range buf[:utf8.EncodeRune(buf[:], r)] {
				pos.add(len(dec), at)
				dec = append(dec, b)
			}
			continue
		default:
			return i, dec, false
		}
		pos.add(len(dec), at)
		dec = append(dec, c)
		i += 2
	}
	return i, dec, false
}

// notebookExt names the language of a notebook's kernel as a file
// extension, from the "language" of its kernelspec or the "name" of its
// language_info, or in nbformat 3 the "language" of the first cell: .py
// when none is a language named here.
func notebookExt(d []byte) string {
	// nbformat 3 names no kernel: each cell names its "language", and the
	// first one stands for the notebook.
	for _, key := range [...]string{`"kernelspec"`, `"language_info"`, `"worksheets"`} {
		k := bytes.Index(d, []byte(key))
		if k < 0 {
			continue
		}
		rest := d[k:min(len(d), k+512)]
		fields := [...]string{`"language"`, `"name"`}
		if key == `"worksheets"` {
			rest, fields = d[k:min(len(d), k+64<<10)], [...]string{`"language"`, `"language"`}
		}
		for _, field := range fields {
			f := bytes.Index(rest, []byte(field))
			if f < 0 {
				continue
			}
			i := skipJSONSpace(rest, f+len(field))
			if i >= len(rest) || rest[i] != ':' {
				continue
			}
			i = skipJSONSpace(rest, i+1)
			if i >= len(rest) || rest[i] != '"' {
				continue
			}
			e := bytes.IndexByte(rest[i+1:], '"')
			if e < 0 {
				continue
			}
			if ext, ok := kernelExts[string(bytes.ToLower(rest[i+1:i+1+e]))]; ok {
				return ext
			}
		}
	}
	return ".py"
}

// kernelExts are the extensions of the languages of common Jupyter kernels.
var kernelExts = map[string]string{
	"python": ".py", "python3": ".py", "r": ".r", "julia": ".jl", "scala": ".scala",
	"javascript": ".js", "typescript": ".ts", "go": ".go", "java": ".java", "kotlin": ".kt",
	"c++": ".cpp", "c++17": ".cpp", "c#": ".cs", "csharp": ".cs", "bash": ".sh", "ruby": ".rb",
	"rust": ".rs", "sql": ".sql", "powershell": ".ps1",
}
