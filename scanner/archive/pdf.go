package archive

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
)

// A PDF keeps nearly everything it shows in streams: page text, forms,
// object streams (PDF 1.5's compressed dictionaries: metadata, form field
// values, annotations) and attached files, nearly always deflated. The
// file's own bytes, which the caller scans as a binary file's, show none of
// it. So a PDF is read as an archive whose members are its streams, one per
// object (doc.pdf!object 12), decoded through the filters the stream names.
//
// A page does not hold its text as one string either: a PDF draws it in
// pieces placed one after the other, (AKIA)-20(XQ5E...)TJ, so a stream that
// draws text is handed on as the text a reader sees, the pieces of a line
// joined (pdfText), and not as its operators.
//
// What is not read is said: an encrypted PDF's streams (Walk warns and
// counts them unscanned), and a stream whose filter keyscan does not
// decode. Image filters (DCT, JPX, CCITT, JBIG2) are not warned about:
// they hold pictures, and a picture of a key is out of keyscan's reach.
//
// The cross-reference table is not trusted or needed: every "stream" after
// a dictionary is found by reading the file through, as a PDF repairer
// does, so a damaged or appended-to file is read as far as it goes.

var (
	pdfMagic     = []byte("%PDF-")
	pdfStream    = []byte("stream")
	pdfEndStream = []byte("endstream")
)

// isPDF reports whether data is a PDF: it starts with "%PDF-" and a
// version, after blanks or a byte order mark at most. Readers also accept
// the header after other bytes in the first KiB, but a text file that
// merely names the header must stay text: an archive's own bytes are
// scanned as a binary file's.
func isPDF(data []byte) bool {
	// A byte order mark or blank lines before the header, which readers
	// skip (qa10 HIGH-4), and nothing else.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	data = bytes.TrimLeft(data[:min(len(data), 1024)], " \t\r\n\f\x00")
	return len(data) > len(pdfMagic) && bytes.HasPrefix(data, pdfMagic) && '1' <= data[5] && data[5] <= '9'
}

// pdfEncrypted reports whether a PDF is encrypted: a trailer or
// cross-reference stream names its /Encrypt dictionary (an object
// reference or the dictionary itself).
func pdfEncrypted(data []byte) bool {
	for at := 0; ; {
		i := bytes.Index(data[at:], []byte("/Encrypt"))
		if i < 0 {
			return false
		}
		at += i + len("/Encrypt")
		rest := bytes.TrimLeft(data[at:min(len(data), at+32)], " \t\r\n\f")
		if bytes.HasPrefix(rest, []byte("<<")) {
			return true
		}
		if f := bytes.Fields(rest); len(f) >= 3 && pdfDigits(f[0]) && pdfDigits(f[1]) && bytes.HasPrefix(f[2], []byte("R")) {
			return true
		}
	}
}

// pdf reads the streams of a PDF file.
func (w *walker) pdf(name string, data []byte, lv *level, depth int) {
	if pdfEncrypted(data) {
		w.warn(name, "encrypted PDF: its streams are not scanned, only the file's own bytes")
		return
	}
	fonts := w.pdfFonts(data, lv)
	if lv.stopped || w.stopped {
		return
	}
	for at := 0; ; {
		i := bytes.Index(data[at:], pdfStream)
		if i < 0 {
			return
		}
		i += at
		at = i + len(pdfStream)
		// "stream" starts a stream's data only after a dictionary's ">>"
		// and before an end of line; "endstream" and other words do not.
		if !pdfAfterDict(data[:i]) {
			continue
		}
		start := at
		switch {
		case bytes.HasPrefix(data[start:], []byte("\r\n")):
			start += 2
		case start < len(data) && (data[start] == '\n' || data[start] == '\r'):
			start++
		default:
			continue
		}
		end := len(data)
		if j := bytes.Index(data[start:], pdfEndStream); j >= 0 {
			end = start + j
			at = end + len(pdfEndStream)
		} else {
			at = len(data)
		}
		dict, obj := pdfDict(data[:i])
		member := "object " + obj
		if obj == "" {
			member = "stream at " + strconv.Itoa(start)
		}
		if !w.pdfStream(name, member, dict, data[start:end], fonts, lv, depth) || lv.stopped {
			return
		}
	}
}

// pdfAfterDict reports whether b, the bytes before a "stream" keyword, ends
// with a dictionary's ">>" and white space.
func pdfAfterDict(b []byte) bool {
	b = bytes.TrimRight(b, " \t\r\n\f\x00")
	return bytes.HasSuffix(b, []byte(">>"))
}

// pdfDict returns the dictionary that ends b (b ends with ">>" and
// blanks) and the number of the object it opens, "" when no "N G obj"
// precedes it.
func pdfDict(b []byte) (dict []byte, obj string) {
	// Only the last 64 KiB are searched, so that a file of many
	// "stream" keywords and no object costs linear time.
	from := max(0, len(b)-64<<10)
	o := bytes.LastIndex(b[from:], []byte("obj"))
	if o < 0 {
		return b[max(0, len(b)-4096):], ""
	}
	o += from
	dict = b[o+3:]
	// "12 0 obj": two numbers before the keyword.
	head := bytes.Fields(b[max(0, o-24):o])
	if n := len(head); n >= 2 && pdfDigits(head[n-2]) && pdfDigits(head[n-1]) {
		obj = string(head[n-2])
	}
	return dict, obj
}

func pdfDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// pdfFilters returns the filters a stream dictionary names, in order, with
// the abbreviations of inline images spelled out.
func pdfFilters(dict []byte) []string {
	i := bytes.Index(dict, []byte("/Filter"))
	if i < 0 {
		return nil
	}
	rest := bytes.TrimLeft(dict[i+len("/Filter"):], " \t\r\n\f")
	if len(rest) > 0 && rest[0] == '[' {
		if j := bytes.IndexByte(rest, ']'); j >= 0 {
			rest = rest[1:j]
		}
	} else if j := bytes.IndexAny(rest[min(1, len(rest)):], "/>[ \t\r\n"); j >= 0 {
		rest = rest[:j+1]
	}
	var fs []string
	for _, f := range strings.Split(string(rest), "/") {
		f = strings.TrimSpace(f)
		switch f {
		case "":
			continue
		case "Fl":
			f = "FlateDecode"
		case "AHx":
			f = "ASCIIHexDecode"
		case "A85":
			f = "ASCII85Decode"
		case "LZW":
			f = "LZWDecode"
		case "RL":
			f = "RunLengthDecode"
		case "DCT":
			f = "DCTDecode"
		case "CCF":
			f = "CCITTFaxDecode"
		}
		fs = append(fs, f)
	}
	return fs
}

// pdfPicture reports whether a filter only ever holds a picture.
func pdfPicture(f string) bool {
	return f == "DCTDecode" || f == "JPXDecode" || f == "CCITTFaxDecode" || f == "JBIG2Decode"
}

// pdfPictureOrFont reports whether a stream dictionary is a picture's
// (an image XObject) or a font program's (the /Length1 of Type 1 and
// TrueType fonts, the subtypes of compact and OpenType fonts).
func pdfPictureOrFont(dict []byte) bool {
	for _, s := range []string{"/Subtype /Image", "/Subtype/Image", "/Length1", "/Type1C", "/CIDFontType0C", "/Subtype /OpenType", "/Subtype/OpenType"} {
		if bytes.Contains(dict, []byte(s)) {
			return true
		}
	}
	return false
}

// pdfFontProgram reports whether a decoded stream is a TrueType or
// OpenType font program, by its first bytes.
func pdfFontProgram(b []byte) bool {
	for _, m := range []string{"\x00\x01\x00\x00", "true", "OTTO", "ttcf"} {
		if bytes.HasPrefix(b, []byte(m)) && len(b) > 12 {
			return true
		}
	}
	return false
}

// pdfStream decodes one stream and hands it on. It reports false when the
// walk must stop.
func (w *walker) pdfStream(name, member string, dict, raw []byte, fonts map[string]*pdfCMap, lv *level, depth int) bool {
	if len(pdfFilters(dict)) == 0 {
		// Unfiltered: its bytes are in the file, which the caller scans,
		// but a page's pieces of text are joined only here.
		if text, ok := pdfText(raw, fonts); ok {
			return w.member(name, member+" text", bytes.NewReader(text), depth)
		}
		return true
	}
	if bytes.Contains(dict, []byte("/Predictor")) || pdfPictureOrFont(dict) {
		// Pixels and glyphs: a predictor serves pictures and
		// cross-reference streams, and a font program holds outlines.
		return true
	}
	data, err := w.pdfDecode(dict, raw, lv)
	if uf := (*unknownFilter)(nil); errors.As(err, &uf) {
		if !pdfPicture(uf.name) {
			w.warn(name+"!"+member, "PDF stream with filter %s not decoded: not scanned", uf.name)
		}
		return true
	}
	if le := (*limitError)(nil); errors.As(err, &le) {
		w.limitHit(name, le)
		return false
	}
	if err != nil && len(data) == 0 {
		w.warn(name+"!"+member, "corrupt PDF stream: %v", err)
		return true
	}
	if err != nil {
		w.note(name+"!"+member, "PDF stream damaged after %d bytes: %v; what came before is scanned", len(data), err)
	}
	if pdfFontProgram(data) {
		return true // a font program that its dictionary did not name as one
	}
	if text, ok := pdfText(data, fonts); ok {
		data = text
		member += " text"
	}
	return w.member(name, member, bytes.NewReader(data), depth)
}

// pdfHex decodes ASCIIHexDecode: hex digits, blanks ignored, '>' ends.
type pdfHex struct {
	r    io.Reader
	hi   byte // the high digit waiting for its pair, when have
	have bool
	end  bool // '>' or the end of r was read: no more digits
	in   [4096]byte
}

func (h *pdfHex) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && !h.end {
		// 2k digits give at most k bytes, a waiting digit included, so
		// what is read always fits in p.
		m, err := h.r.Read(h.in[:min(len(h.in), 2*(len(p)-n))])
		for _, c := range h.in[:m] {
			v, ok := hexValue(c)
			if c == '>' {
				h.end = true
				break
			}
			if !ok {
				continue // blanks and stray bytes are skipped
			}
			if !h.have {
				h.hi, h.have = v, true
				continue
			}
			p[n] = h.hi<<4 | v
			n++
			h.have = false
		}
		if err != nil {
			h.end = true
		}
	}
	if h.end && h.have && n < len(p) {
		p[n] = h.hi << 4 // a lone last digit is followed by 0
		n++
		h.have = false
	}
	if n == 0 && h.end && !h.have {
		return 0, io.EOF
	}
	return n, nil
}

// hexValue is a hex digit's value.
func hexValue(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// pdfA85 cuts an ASCII85Decode stream at its "~>" end mark, which
// encoding/ascii85 does not know.
type pdfA85 struct {
	r    io.Reader
	tail byte // a '~' held back from the last read
	done bool
}

func (a *pdfA85) Read(p []byte) (int, error) {
	if a.done {
		return 0, io.EOF
	}
	if len(p) < 2 {
		p = make([]byte, 2)
	}
	n, err := a.r.Read(p[:len(p)-1])
	if a.tail != 0 {
		copy(p[1:n+1], p[:n])
		p[0] = a.tail
		n++
		a.tail = 0
	}
	if i := bytes.Index(p[:n], []byte("~>")); i >= 0 {
		a.done = true
		return i, nil
	}
	if n > 0 && p[n-1] == '~' && err == nil {
		a.tail = '~'
		n--
	}
	return n, err
}

// pdfText returns the text a content stream draws, a line for each line
// of the page, or false when the stream draws no text. Strings drawn by
// Tj, ', " and TJ are joined as a reader sees them: pieces of one TJ array
// with no gap between, a space where the array moves the pen by more than
// a fifth of the font size (the gap a writer puts between words), a new
// line where the text matrix moves to another line. Glyph codes are taken
// as bytes: the single-byte encodings of the standard fonts hold ASCII
// where keys live; a font with two-byte codes (CID) gives no text.
func pdfText(data []byte, fonts map[string]*pdfCMap) ([]byte, bool) {
	var (
		out     []byte
		strs    [][]byte // the operands of the next operator that are strings
		nums    []float64
		inArray int
		array   []byte // TJ's pieces, joined
		drew    bool
		lastY   float64 // the line of the last Tm
		haveY   bool
		name    []byte   // the last name operand (a font's, before Tf)
		font    *pdfCMap // the current font's map, nil: codes are bytes
	)
	str := func(s []byte) []byte {
		if font != nil {
			return font.decode(s)
		}
		return s
	}
	if !pdfContent(data) {
		return nil, false
	}
	newline := func() {
		// A layout wraps a long word after a '/' (a path, a URL, a
		// secret), and a reader who copies the text joins it again.
		if len(out) > 0 && out[len(out)-1] != '\n' && out[len(out)-1] != '/' {
			out = append(out, '\n')
		}
	}
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c == '%':
			for i < len(data) && data[i] != '\n' && data[i] != '\r' {
				i++
			}
		case c == '(':
			s, n := pdfLiteral(data[i:])
			s = str(s)
			i += n
			if inArray > 0 {
				array = append(array, s...)
			} else {
				strs = append(strs, s)
			}
		case c == '<' && i+1 < len(data) && data[i+1] == '<':
			i += 2
		case c == '<':
			j := bytes.IndexByte(data[i:], '>')
			if j < 0 {
				j = len(data) - i - 1
			}
			s, _ := io.ReadAll(&pdfHex{r: bytes.NewReader(data[i+1 : i+j+1])})
			s = str(s)
			i += j + 1
			if inArray > 0 {
				array = append(array, s...)
			} else {
				strs = append(strs, s)
			}
		case c == '[':
			inArray++
			i++
		case c == ']':
			if inArray > 0 {
				inArray--
			}
			i++
		case c == '-' || c == '+' || c == '.' || '0' <= c && c <= '9':
			j := i + 1
			for j < len(data) && (data[j] == '.' || '0' <= data[j] && data[j] <= '9') {
				j++
			}
			v, _ := strconv.ParseFloat(string(data[i:j]), 64)
			if inArray > 0 {
				// A move of more than 200 thousandths of the font size
				// is a gap between words.
				if v < -200 || v > 200 {
					array = append(array, ' ')
				}
			} else {
				nums = append(nums, v)
				if len(nums) > 8 {
					nums = nums[1:]
				}
			}
			i = j
		case c == '/' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '\'' || c == '"' || c == '*':
			j := i + 1
			for j < len(data) && !pdfDelim(data[j]) {
				j++
			}
			if c == '/' {
				name = data[i+1 : j] // a name is an operand
				i = j
				continue
			}
			switch op := string(data[i:j]); op {
			case "Tj", "'", "\"":
				if op != "Tj" {
					newline()
				}
				for _, s := range strs {
					out = append(out, s...)
				}
				drew = drew || len(strs) > 0
			case "TJ":
				out = append(out, array...)
				drew = drew || len(array) > 0
			case "T*", "ET", "BT":
				newline()
			case "Td", "TD":
				// A move along the line keeps the pieces together: a
				// writer that places each piece apart does so.
				if n := len(nums); n >= 2 && nums[n-1] != 0 {
					newline()
				}
			case "Tf":
				font = fonts[string(name)]
			case "Tm":
				if n := len(nums); n >= 6 && (!haveY || nums[n-1] != lastY) {
					newline()
					lastY, haveY = nums[n-1], true
				}
			}
			strs, nums, array = strs[:0], nums[:0], array[:0]
			i = j
		default:
			i++
		}
	}
	return out, drew
}

// pdfContent reports whether data looks like a content stream: text
// operators (BT) in printable text. A font program or a picture that
// happens to hold the bytes "Tj" is handed on as it is.
func pdfContent(data []byte) bool {
	head := data[:min(len(data), 4096)]
	if !bytes.Contains(data, []byte("BT")) {
		return false
	}
	odd := 0
	for _, c := range head {
		if c < ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f' || c >= 0x7f {
			odd++
		}
	}
	return odd*20 <= len(head)
}

// pdfDelim reports whether c ends a PDF token.
func pdfDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', 0, '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// pdfLiteral decodes the literal string that starts data ("(...)", with
// nested balanced parentheses and backslash escapes) and returns it with
// the number of bytes it took.
func pdfLiteral(data []byte) ([]byte, int) {
	var s []byte
	depth := 0
	i := 0
	for i < len(data) {
		c := data[i]
		i++
		switch c {
		case '(':
			if depth > 0 {
				s = append(s, c)
			}
			depth++
		case ')':
			depth--
			if depth == 0 {
				return s, i
			}
			s = append(s, c)
		case '\\':
			if i >= len(data) {
				return s, i
			}
			e := data[i]
			i++
			switch e {
			case 'n':
				s = append(s, '\n')
			case 'r':
				s = append(s, '\r')
			case 't':
				s = append(s, '\t')
			case 'b':
				s = append(s, '\b')
			case 'f':
				s = append(s, '\f')
			case '\r':
				if i < len(data) && data[i] == '\n' {
					i++
				}
			case '\n':
			default:
				if '0' <= e && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && i < len(data) && '0' <= data[i] && data[i] <= '7'; k++ {
						v = v*8 + int(data[i]-'0')
						i++
					}
					s = append(s, byte(v))
				} else {
					s = append(s, e)
				}
			}
		default:
			s = append(s, c)
		}
	}
	return s, i
}
