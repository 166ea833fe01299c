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
// found by its "source" key without reading the outputs around it (images
// in base64, often most of the file).

// cellBatch is how much decoded code is scanned at once: cells are read
// together, a blank line between two, so that a notebook of a million
// one-line cells is not a million sub-scans (each costs a match's setup).
const cellBatch = 64 << 10

// decodeNotebook scans the cells of a notebook as code.
func (m *match) decodeNotebook() {
	if m.depth > 0 || !notebookName(m.name) {
		return
	}
	d := m.data
	ext := notebookExt(d)
	// What the notebook's own scan found: a value whole in a cell is found
	// there and again in the cell's code, and is reported once.
	found := m.foundSoFar()
	var dec []byte
	var pos []int
	end := 0 // where the last cell read ends
	flush := func() bool {
		if len(dec) == 0 {
			return true
		}
		if m.spent() {
			m.undecoded++ // the budget is spent: counted, never silent
			return false
		}
		n := len(m.out)
		m.subScanAs(dec, "notebook-cell", "cell"+ext,
			func(x int) int { return pos[x] },
			func(x int) int {
				if x >= len(pos) {
					return end
				}
				return pos[x]
			})
		kept := m.out[:n]
		for _, f := range m.out[n:] {
			if !foundAt(found, f) {
				kept = append(kept, f)
			}
		}
		m.out = kept
		dec, pos = dec[:0], pos[:0]
		return true
	}
	for i := 0; ; {
		k := bytes.Index(d[i:], []byte(`"source"`))
		if k < 0 {
			break
		}
		i += k + len(`"source"`)
		n := len(dec)
		i, dec, pos = cellSource(d, i, dec, pos)
		if len(dec) == n {
			continue
		}
		end = i
		dec, pos = append(dec, '\n', '\n'), append(pos, i, i) // the blank line after a cell
		if len(dec) >= cellBatch && !flush() {
			return
		}
	}
	flush()
}

// cellSource decodes the value after a "source" key at i: a JSON string or
// a list of them, appended to dec (nothing when it is neither) with the offset of each decoded byte's
// first raw byte in pos. It returns where it stopped.
func cellSource(d []byte, i int, dec []byte, pos []int) (int, []byte, []int) {
	i = skipJSONSpace(d, i)
	if i >= len(d) || d[i] != ':' {
		return i, dec, pos
	}
	i = skipJSONSpace(d, i+1)
	list := i < len(d) && d[i] == '['
	if list {
		i = skipJSONSpace(d, i+1)
	}
	for i < len(d) && d[i] == '"' {
		var ok bool
		i, dec, pos, ok = jsonString(d, i+1, dec, pos)
		if !ok || !list {
			return i, dec, pos
		}
		i = skipJSONSpace(d, i)
		if i >= len(d) || d[i] != ',' {
			break
		}
		i = skipJSONSpace(d, i+1)
	}
	return i, dec, pos
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
func jsonString(d []byte, i int, dec []byte, pos []int) (int, []byte, []int, bool) {
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			return i + 1, dec, pos, true
		case c != '\\':
			dec, pos = append(dec, c), append(pos, i)
			i++
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
				return i, dec, pos, false
			}
			i += 6
			if v < utf8.RuneSelf {
				dec, pos = append(dec, byte(v)), append(pos, at)
				continue
			}
			var buf [utf8.UTFMax]byte
			r := rune(v)
			if v >= 0xd800 && v < 0xe000 {
				r = utf8.RuneError
			}
			for _, b := range buf[:utf8.EncodeRune(buf[:], r)] {
				dec, pos = append(dec, b), append(pos, at)
			}
			continue
		default:
			return i, dec, pos, false
		}
		dec, pos = append(dec, c), append(pos, at)
		i += 2
	}
	return i, dec, pos, false
}

// notebookExt names the language of a notebook's kernel as a file
// extension, from the "language" of its kernelspec or the "name" of its
// language_info: .py when neither is a language named here.
func notebookExt(d []byte) string {
	for _, key := range [...]string{`"kernelspec"`, `"language_info"`} {
		k := bytes.Index(d, []byte(key))
		if k < 0 {
			continue
		}
		rest := d[k:min(len(d), k+512)]
		for _, field := range [...]string{`"language"`, `"name"`} {
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
