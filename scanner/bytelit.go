package scanner

// Archives written as byte literals. Code generators keep files inside
// source code as the bytes of a compressed stream: go-bindata and vfsgen
// write each asset gzipped into a Go string of \x escapes
// ("\x1f\x8b\x08\x00…"), xxd -i and bin2c a C array (0x1f, 0x8b, …),
// fileb0x a Go []byte{0x1f, 0x8b, …}, pkger and mysqldump --hex-blob one run
// of hex digits (1f8b0800…, 0x1F8B…), Python's repr a b"\x1f\x8b…" literal
// and Java a byte[] of signed decimals (31, -117, 8, …). None of them is
// text, so the matcher's decoders (escapes.go, hex.go) find no key in them;
// the bytes are an archive member of the file, as an archive in base64 is
// (base64.go, embed), and the caller opens it (Counts.Embedded).
//
// A literal is looked for where the head of an archive or compressed stream
// stands in one of those notations (the prefilter's anchorByteLit patterns:
// gzip, zip, xz, bzip2, zstd, 7z, LZMA and zlib heads), and decoded from
// there to its end: a string literal through its escapes and plain
// characters, joined with the literals that follow it ("…" "…", "…" + "…",
// a \ line continuation); a list of numbers through its commas and line
// breaks; a hex run through its digits. The bytes are kept only when
// archive.Detect knows them, and charged to the input's decode budget as
// base64's are: past it, or past the number of archives one input may give,
// the literal is counted as not decoded whole, never dropped.

import (
	"bytes"
	"path"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/scanner/archive"
)

// Encodings of archives in byte literals, as they name the member
// (bindata.go!string-escape 9f1c03ab!…).
const (
	encStringEscape = "string-escape" // "\x1f\x8b…", b"PK\x03\x04…", "\037\213…"
	encByteArray    = "byte-array"    // 0x1f, 0x8b, … and 31, -117, …
	encHex          = "hex"           // 1f8b0800…
)

// decodeByteLits decodes the byte literals the prefilter pointed at
// (m.arcs: where an archive's head starts) and keeps those that decode to
// an archive.
func (m *match) decodeByteLits() {
	slices.Sort(m.arcs) // in order within a pattern, not across them
	done := -1
	for _, at := range m.arcs {
		if at < done {
			continue
		}
		dec, end, enc := decodeByteLit(m.data, at, m.scratch.decoded[:0], m.left())
		m.scratch.decoded = dec[:0]
		done = end
		if enc == "" || len(dec) < 18 || archive.Detect(dec) == archive.None {
			// Not an archive (embed would keep a text run, which is the
			// file's own text when its head stands plain: BZh91AY&SY…,
			// whose scan found the head again, a level down each time).
			continue
		}
		if int64(len(dec)) > m.left() {
			m.undecoded++ // longer than the budget holds: said, never silent
			continue
		}
		m.embed(dec, at, enc)
	}
}

// decodeByteLit decodes the byte literal whose bytes start at at, appending
// them to out, up to limit bytes and one more (so that a longer literal
// shows). It returns the bytes, where the literal's text ends, and its
// encoding ("" when at starts no literal).
func decodeByteLit(d []byte, at int, out []byte, limit int64) ([]byte, int, string) {
	switch {
	case at+2 < len(d) && d[at] == '0' && (d[at+1] == 'x' || d[at+1] == 'X'):
		out, end := numberList(d, at, out, limit, true)
		return out, end, encByteArray
	case isDigit(d[at]) && at+2 < len(d) && (d[at+1] == ',' || d[at+2] == ','):
		out, end := numberList(d, at, out, limit, false)
		return out, end, encByteArray
	case isHex(d[at]) && at+6 <= len(d) && isHex(d[at+1]) && isHex(d[at+2]) && isHex(d[at+3]):
		// One run, or one over lines of the same length (xxd -p).
		segs, e := hexLines(d, at, false, nil)
		last := segs[len(segs)-1]
		n := int(min(int64(last.char+e-last.raw)/2, limit+1))
		o := len(out)
		out = slices.Grow(out, n)[:o+n]
		if !hexDecodeLines(d, segs, e, 0, out[o:]) {
			return out[:o], e, encHex
		}
		return out, e, encHex
	}
	out, end := stringLit(d, at, out, limit)
	return out, end, encStringEscape
}

// numberList decodes a list of byte values from at: 0x1f, 0x8b, … (hex
// true; each 0x and one or two digits) or 31, -117, 8, … (decimal, signed
// as Java's bytes are, or unsigned), one comma between two values, any
// blanks and line breaks around it.
func numberList(d []byte, at int, out []byte, limit int64, hex bool) ([]byte, int) {
	i, end := at, at
	for int64(len(out)) <= limit {
		v, n := -1, 0
		if hex {
			j := i
			if bytes.HasPrefix(d[j:], javaCast) { // Java: (byte) 0x8b
				j += len(javaCast)
				for j < len(d) && d[j] == ' ' {
					j++
				}
			}
			if j+2 < len(d) && d[j] == '0' && (d[j+1] == 'x' || d[j+1] == 'X') && isHex(d[j+2]) {
				j += 3
				v = int(hexDigit[d[j-1]])
				if j < len(d) && isHex(d[j]) {
					v = v<<4 | int(hexDigit[d[j]])
					j++
				}
				// Kotlin: 0x8bu, 0x8b.toByte(), 0x8Bu.toByte()
				if j < len(d) && d[j]|0x20 == 'u' {
					j++
				}
				for _, s := range kotlinCasts {
					if bytes.HasPrefix(d[j:], s) {
						j += len(s)
						break
					}
				}
				n = j - i
			}
		} else {
			neg := i < len(d) && d[i] == '-'
			j := i
			if neg {
				j++
			}
			k := j
			for k < len(d) && k-j < 3 && isDigit(d[k]) {
				k++
			}
			if k > j {
				v = 0
				for _, c := range d[j:k] {
					v = v*10 + int(c-'0')
				}
				if neg {
					v = 256 - v
					if v < 128 {
						v = -1 // below -128
					}
				}
				n = k - i
			}
		}
		if v < 0 || v > 255 || i+n < len(d) && isWordByte(d[i+n]) {
			break
		}
		out = append(out, byte(v))
		end = i + n
		// A comma, and blanks and line breaks around it.
		j, commas := end, 0
		for j < len(d) && (d[j] == ' ' || d[j] == '\t' || d[j] == '\n' || d[j] == '\r' || d[j] == ',') {
			if d[j] == ',' {
				commas++
			}
			j++
		}
		if commas != 1 {
			break
		}
		i = j
	}
	return out, end
}

// stringLit decodes a string literal's bytes from at: escapes (\xHH, octal,
// \uHHHH up to 0xff, the one-letter ones), plain characters and raw bytes of
// UTF-8, to the literal's closing quote, and on through the literals joined
// to it. The quote is the one that opened the literal, found back on the
// line; a literal whose opening is not found ends at any quote.
func stringLit(d []byte, at int, out []byte, limit int64) ([]byte, int) {
	var quote byte
	for i := at - 1; i >= 0 && at-i <= 4096 && d[i] != '\n'; i-- {
		if c := d[i]; (c == '"' || c == '\'') && (i == 0 || d[i-1] != '\\') {
			quote = c
			break
		}
	}
	i := at
	for i < len(d) && int64(len(out)) <= limit {
		c := d[i]
		switch {
		case c == '"' || c == '\'':
			if quote != 0 && c != quote {
				out = append(out, c)
				i++
				continue
			}
			j := joined(d, i+1, c)
			if j < 0 {
				return out, i + 1
			}
			quote, i = c, j
		case c == '\\' && i+1 < len(d):
			v, n := byteEscape(d, i)
			switch {
			case n == 0:
				return out, i
			case v >= 0:
				out = append(out, byte(v))
			}
			i += n
		case c >= 0x20 && c != 0x7f || c == '\t' || c >= 0x80:
			out = append(out, c)
			i++
		default: // a line break or a control byte: no literal holds it
			return out, i
		}
	}
	return out, i
}

// joined returns where the literal joined to the one that closed at i goes
// on (past its opening quote q): after blanks and line breaks, a + or a \
// line continuation, a b or B prefix; -1 when no literal follows.
func joined(d []byte, i int, q byte) int {
	plus := false
	for n := 0; i < len(d) && n < 256; n++ {
		switch c := d[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\\' && i+1 < len(d) && (d[i+1] == '\n' || d[i+1] == '\r'):
			i += 2
		case c == '+' && !plus:
			plus = true
			i++
		case (c == 'b' || c == 'B') && i+1 < len(d) && d[i+1] == q:
			i++
		case c == q:
			return i + 1
		default:
			return -1
		}
	}
	return -1
}

// byteEscape reads the escape at d[i] (a backslash): its byte value, -1 for
// one that stands for nothing (a line continuation), and its length; a
// length of 0 when it is no byte escape.
func byteEscape(d []byte, i int) (int, int) {
	c := d[i+1]
	switch c {
	case 'x', 'X':
		if i+2 < len(d) && isHex(d[i+2]) {
			if i+3 < len(d) && isHex(d[i+3]) {
				return int(hexDigit[d[i+2]])<<4 | int(hexDigit[d[i+3]]), 4
			}
			return int(hexDigit[d[i+2]]), 3
		}
		return 0, 0
	case 'u':
		if i+5 < len(d) && isHex(d[i+2]) && isHex(d[i+3]) && isHex(d[i+4]) && isHex(d[i+5]) {
			v := int(hexDigit[d[i+2]])<<12 | int(hexDigit[d[i+3]])<<8 | int(hexDigit[d[i+4]])<<4 | int(hexDigit[d[i+5]])
			if v <= 0xff {
				return v, 6
			}
		}
		return 0, 0
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'a':
		return 7, 2
	case 'b':
		return 8, 2
	case 'f':
		return 12, 2
	case 'v':
		return 11, 2
	case 'e':
		return 27, 2
	case '\\', '\'', '"', '?', '/':
		return int(c), 2
	case '\n':
		return -1, 2
	case '\r':
		if i+2 < len(d) && d[i+2] == '\n' {
			return -1, 3
		}
		return -1, 2
	}
	if '0' <= c && c <= '7' {
		v, n := 0, 1
		for n <= 3 && i+n < len(d) && '0' <= d[i+n] && d[i+n] <= '7' {
			v = v<<3 | int(d[i+n]-'0')
			n++
		}
		if v > 0xff {
			return 0, 0
		}
		return v, n
	}
	return 0, 0
}

// isWordByte reports whether c goes on a number (a digit, a letter, _):
// 0x1fff or 0x8bL is no byte.
func isWordByte(c byte) bool {
	return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'z' || c == '_'
}

// byteLitStart is where the bytes of the archive whose head the pattern pat
// shows at at start, -1 for none. A gzip stream in lower-case string escapes
// is anchored by the end of its header, XFL and OS 255 (\x00\xff, the
// header Go's compress/gzip and Python's gzip write: go-bindata, vfsgen)
// or XFL 2 and OS 3 (\x02\x03: zlib's, which Python 3.11's
// gzip.compress(data, mtime=0) writes for reproducible output) or XFL 0
// and OS 3 (\x00\x03: GNU gzip's at its default level, tar czf), whose
// fingerprint the kernel lets through far less often than the
// magic's (prefilter.go); the magic is looked for just before it. A bzip2
// stream whose head is plain
// ("BZh91AY&SY", as Python's repr and Go's %q write it) is anchored by its
// block magic, after "BZh" and the level.
func byteLitStart(d []byte, pat string, at int) int {
	if pat == "1AY&SY" {
		if at >= 4 && string(d[at-4:at-1]) == "BZh" && '1' <= d[at-1] && d[at-1] <= '9' {
			return at - 4
		}
		return -1
	}
	if len(pat) == 8 && (pat[4:] == `\xff` || pat[4:] == `\x03`) {
		lo := max(0, at-48)
		i := bytes.LastIndex(d[lo:at], []byte(`\x1f\x8b`))
		if i < 0 || !bytes.HasPrefix(d[lo+i+8:], []byte(`\x08`)) && !bytes.HasPrefix(d[lo+i+8:], []byte(`\b`)) {
			return -1 // the method is deflate: \x08, or \b as Go's %q writes it
		}
		return lo + i
	}
	return at
}

// byteListHeads adds to m.arcs the heads of gzip streams written as lists
// of 0x bytes (xxd -i, bin2c, a C#, Rust or JavaScript array) in the
// source files of the languages that write them so, and as hex in SQL
// dumps (mysqldump --hex-blob: 0x1F8B…). The prefilter does not look for
// those: their fingerprints are common in Go source, whose 0x tables the
// kernel would let through ten thousand times in 8 MB (Go's own
// composite literals are the type checker's: analyzer/archives.go). Here
// they cost a search of the file for each head, in those files only.
func (m *match) byteListHeads() {
	var heads []string
	switch strings.ToLower(path.Ext(m.plainName())) {
	case ".c", ".h", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx", ".inc", ".ino", ".m", ".mm",
		".rs", ".cs", ".swift", ".js", ".mjs", ".ts", ".py", ".zig", ".d":
		heads = listHeads
	case ".java":
		heads = javaHeads
	case ".kt", ".kts":
		heads = kotlinHeads
	case ".sql":
		heads = sqlHeads
	default:
		return
	}
	// Every head starts with 0x1: the text is searched once for that, not
	// once a head (four to ten passes over every source file).
	d := m.data
	for i := 0; i < len(d); {
		j := bytes.Index(d[i:], headStart)
		if j < 0 {
			break
		}
		at := i + j
		for _, h := range heads {
			if bytes.HasPrefix(d[at:], []byte(h)) {
				if len(h) == 8 {
					m.arcs = append(m.arcs, at+2) // a hex run: its digits, after 0x
				} else {
					m.arcs = append(m.arcs, at)
				}
			}
		}
		i = at + 1
	}
}

var (
	javaCast    = []byte("(byte)")
	kotlinCasts = [][]byte{[]byte(".toByte()"), []byte(".toUByte()")}
)

// headStart begins every one of the heads below.
var headStart = []byte("0x1")

var (
	listHeads = []string{"0x1f, 0x8b", "0x1F, 0x8B", "0x1f,0x8b", "0x1F,0x8B"}
	// Java needs a cast above 0x7f; Kotlin a conversion or an unsigned
	// literal (0x1F, 0x8Bu.toByte() is one of listHeads)
	javaHeads   = append([]string{"0x1f, (byte) 0x8b", "0x1F, (byte) 0x8B", "0x1f, (byte)0x8b", "0x1F, (byte)0x8B"}, listHeads...)
	kotlinHeads = append([]string{"0x1fu, 0x8bu", "0x1Fu, 0x8Bu", "0x1f.toByte(), 0x8b", "0x1F.toByte(), 0x8B", "0x1fu.toByte(), 0x8b", "0x1Fu.toByte(), 0x8B"}, listHeads...)
	sqlHeads    = []string{"0x1F8B08", "0x1f8b08"}
)
