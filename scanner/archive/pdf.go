package archive

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
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
// reference or the dictionary itself). An /Encrypt inside a stream's data
// is another file's (an encrypted PDF attached as it is, qa11 MEDIUM-11),
// not this one's. The name may be written with #xx escapes (/Encr#79pt is
// /Encrypt to every reader since PDF 1.2; qa11 MEDIUM-11's other half):
// each name that holds a '#' is decoded and compared too.
func pdfEncrypted(data []byte, streams []pdfStreamAt) bool { return pdfEncryptAt(data, streams) >= 0 }

// pdfEncryptAt returns where the value of a PDF's own /Encrypt starts (see
// pdfEncrypted), or -1.
func pdfEncryptAt(data []byte, streams []pdfStreamAt) int {
	// at is the end of a name /Encrypt (written plainly or with escapes)
	// that stands outside the streams' data: true when a dictionary or a
	// reference follows it.
	follows := func(name, at int) bool {
		k, _ := slices.BinarySearchFunc(streams, name, func(s pdfStreamAt, i int) int { return cmp.Compare(s.end, i) })
		if k < len(streams) && streams[k].start <= name {
			return false // in a stream's data
		}
		rest := bytes.TrimLeft(data[at:min(len(data), at+32)], " \t\r\n\f")
		if bytes.HasPrefix(rest, []byte("<<")) {
			return true
		}
		f := bytes.Fields(rest)
		return len(f) >= 3 && pdfDigits(f[0]) && pdfDigits(f[1]) && bytes.HasPrefix(f[2], []byte("R"))
	}
	for at := 0; ; {
		i := bytes.Index(data[at:], []byte("/Encrypt"))
		if i < 0 {
			break
		}
		i += at
		at = i + len("/Encrypt")
		if at < len(data) && !pdfDelim(data[at]) {
			continue // /EncryptMetadata
		}
		if follows(i, at) {
			return at
		}
	}
	for at := 0; ; {
		i := bytes.IndexByte(data[at:], '#')
		if i < 0 {
			return -1
		}
		i += at
		at = i + 1
		// The name the '#' stands in: from its '/' (a name is short) to a
		// delimiter.
		s := bytes.LastIndexByte(data[max(0, i-24):i], '/')
		if s < 0 {
			continue
		}
		s += max(0, i-24)
		e := i
		for e < len(data) && !pdfDelim(data[e]) {
			e++
		}
		if e-s > 32 || slices.ContainsFunc(data[s+1:i], pdfDelim) {
			continue
		}
		at = max(at, e)
		if string(pdfName(data[s+1:e])) == "Encrypt" && follows(s, e) {
			return e
		}
	}
}

// pdfName decodes the #xx escapes of a name's characters (after its '/').
func pdfName(b []byte) []byte {
	if bytes.IndexByte(b, '#') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			hi, ok1 := hexValue(b[i+1])
			lo, ok2 := hexValue(b[i+2])
			if ok1 && ok2 {
				out = append(out, hi<<4|lo)
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return out
}

// pdf reads the streams of a PDF file.
func (w *walker) pdf(name string, data []byte, lv *level, depth int) {
	streams := pdfStreams(data)
	var crypt *pdfCrypt
	if at := pdfEncryptAt(data, streams); at >= 0 {
		// Opened with the empty user password where it is that (pdfcrypt.go).
		crypt = pdfEmptyPassword(pdfValueAt(data, pdfObjects(data), data[at:]), pdfID(data, streams))
		if crypt == nil {
			w.warn(name, "encrypted PDF: its streams are not scanned, only the file's own bytes")
			return
		}
		raw := streams
		streams = make([]pdfStreamAt, 0, len(raw))
		for _, st := range raw {
			if st.obj == "" || pdfNameIs(st.dict, "/Type", "/XRef") || crypt.plainMeta && pdfNameIs(st.dict, "/Type", "/Metadata") {
				streams = append(streams, st) // not encrypted, or no key for it
				continue
			}
			dec, ok := crypt.decrypt(st.obj, data[st.start:st.end])
			if !ok {
				w.warn(name+"!object "+st.obj, "encrypted PDF stream not decrypted: not scanned")
				continue
			}
			st.plain = dec
			streams = append(streams, st)
		}
	}
	fonts := w.pdfFonts(data, streams, crypt, lv)
	if lv.stopped || w.stopped {
		return
	}
	// Strings of the file's own dictionaries written as UTF-16 (document
	// information, annotations, form values, attachment names), which
	// its bytes show with a NUL between the characters.
	if u := pdfUTF16(data); len(u) > 0 {
		if !w.member(name, "strings", bytes.NewReader(u), depth) || lv.stopped {
			return
		}
	}
	// The streams of a page's /Contents array are read together, once
	// (pdfFontSet.pages), where the first of them stands.
	byObj := map[string]pdfStreamAt{}
	for _, st := range streams {
		if st.obj != "" {
			byObj[st.obj] = st
		}
	}
	// Forms a page draws are read in its text (pdfform.go), and alone
	// after the pages only where none drew them.
	forms := newPDFForms(data, streams, byObj, fonts)
	var alone []pdfStreamAt
	for _, st := range streams {
		member := "object " + st.obj
		if st.obj == "" {
			member = "stream at " + strconv.Itoa(st.start)
		}
		if forms.isForm(st.obj) {
			alone = append(alone, st)
			continue
		}
		if objs, ok := fonts.pages[st.obj]; ok {
			if len(objs) == 0 {
				continue // read with its page's first stream
			}
			group := make([]pdfStreamAt, 0, len(objs))
			for _, o := range objs {
				if g, ok := byObj[o]; ok {
					group = append(group, g)
				}
			}
			if !w.pdfPage(name, data, group, fonts.forStream(st.obj), forms, lv, depth) || lv.stopped {
				return
			}
			continue
		}
		if !w.pdfStream(name, member, st, data, fonts.forStream(st.obj), forms, lv, depth) || lv.stopped {
			return
		}
	}
	for _, st := range alone {
		if !forms.placed[st.obj] && (!w.pdfStream(name, "object "+st.obj, st, data, fonts.forStream(st.obj), forms, lv, depth) || lv.stopped) {
			return
		}
	}
	if crypt == nil && w.ctx.Err() == nil {
		// A form's fields, each as "name = value" (pdffields.go): after
		// the streams, so that a value an object stream gave is reported
		// once (Rebuilt).
		f, cut := pdfFields(data, fonts.objs, func(obj string) []byte {
			st, ok := byObj[obj]
			if !ok || lv.stopped {
				return nil
			}
			d := st.bytes(data)
			if len(pdfFilters(st.dict)) > 0 {
				var err error
				if d, err = w.pdfDecode(st.dict, d, lv); err != nil {
					return nil // said when the stream itself was read
				}
			}
			text, _ := pdfText(d, fonts.forStream(obj))
			return text
		})
		if len(f) > 0 {
			w.yield(Member{Name: name + "!fields", Data: f, Rebuilt: true})
		}
		if cut {
			w.warn(name+"!fields", "PDF form's fields named more than twice the file's bytes (their parents' names repeated): the fields after are not read as name = value")
		}
	}
}

// pdfStreamAt is a stream of a PDF: its dictionary, the object it is,
// and where its data stands.
type pdfStreamAt struct {
	dict       []byte
	obj        string
	start, end int
	plain      []byte // the data decrypted, in an encrypted PDF
}

// bytes returns the stream's data (decrypted, in an encrypted PDF).
func (st pdfStreamAt) bytes(data []byte) []byte {
	if st.plain != nil {
		return st.plain
	}
	return data[st.start:st.end]
}

// pdfStreams finds the streams of a PDF, in file order.
func pdfStreams(data []byte) []pdfStreamAt {
	var out []pdfStreamAt
	var idx *pdfIndex // built when a stream's /Length is a reference
	prevEnd := 0      // where the last stream's data ended
	for at := 0; ; {
		i := bytes.Index(data[at:], pdfStream)
		if i < 0 {
			return out
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
		dict, obj := pdfDict(data[:i], prevEnd)
		if pdfHasRefs(dict) {
			if idx == nil {
				x := pdfObjects(data)
				idx = &x
			}
			dict = pdfResolve(data, *idx, dict)
		}
		end := -1
		// The data is /Length bytes long when that lands on "endstream":
		// deflated data may hold the bytes "endstream" itself.
		if n, ref := pdfLength(dict); n >= 0 || ref != "" {
			if ref != "" {
				if idx == nil {
					x := pdfObjects(data)
					idx = &x
				}
				n = pdfInt(pdfObject(data, *idx, ref))
			}
			if n >= 0 && n <= len(data)-start && bytes.HasPrefix(bytes.TrimLeft(data[start+n:], " \t\r\n\f\x00"), pdfEndStream) {
				end = start + n
				at = end
			}
		}
		if end < 0 {
			end = len(data)
			if j := bytes.Index(data[start:], pdfEndStream); j >= 0 {
				end = start + j
				at = end + len(pdfEndStream)
			} else {
				at = len(data)
			}
		}
		prevEnd = end
		out = append(out, pdfStreamAt{dict: dict, obj: obj, start: start, end: end})
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
// precedes it. The keyword is searched for backwards from the end of b
// to from (the end of the stream before, and at most 64 KiB), as a token
// after two numbers: a name such as /myobj in the dictionary is no
// keyword. Bounded so, many streams without objects cost linear time.
func pdfDict(b []byte, from int) (dict []byte, obj string) {
	from = max(from, len(b)-64<<10, 0)
	for end := len(b); end > from; {
		o := bytes.LastIndex(b[from:end], []byte("obj"))
		if o < 0 {
			break
		}
		o += from
		end = o
		if o > 0 && !pdfDelim(b[o-1]) || o+3 < len(b) && !pdfDelim(b[o+3]) {
			continue
		}
		head := bytes.Fields(b[max(0, o-24):o])
		if n := len(head); n >= 2 && pdfDigits(head[n-2]) && pdfDigits(head[n-1]) {
			return b[o+3:], string(head[n-2])
		}
	}
	return b[max(from, len(b)-4096):], ""
}

// pdfResolved are the keys of a stream dictionary whose values decide how
// the stream is read, and which a writer may give by reference (the
// SHAttered PDFs give every one so).
var pdfResolved = []string{"/Filter", "/DecodeParms", "/Type", "/Subtype", "/Width"}

// pdfHasRefs reports whether one of pdfResolved's keys has a value by
// reference in dict.
func pdfHasRefs(dict []byte) bool {
	for _, k := range pdfResolved {
		if pdfRef(dict, k) != "" {
			return true
		}
	}
	return false
}

// pdfResolve returns dict with the values of pdfResolved's keys that are
// references replaced by the objects they name (appended, so that the
// first match of the key is the resolved one).
func pdfResolve(data []byte, idx pdfIndex, dict []byte) []byte {
	var out []byte
	for _, k := range pdfResolved {
		if ref := pdfRef(dict, k); ref != "" {
			body := bytes.TrimSpace(pdfObject(data, idx, ref))
			out = append(append(append(out, k...), ' '), body[:min(len(body), 4096)]...)
			out = append(out, ' ')
		}
	}
	return append(out, dict...)
}

// pdfLength returns a stream dictionary's /Length: the number, or the
// object number of an indirect one ("5 0 R"); -1 and "" when it has none.
func pdfLength(dict []byte) (n int, ref string) {
	for at := 0; ; {
		i := bytes.Index(dict[at:], []byte("/Length"))
		if i < 0 {
			return -1, ""
		}
		at += i + len("/Length")
		if at < len(dict) && !pdfDelim(dict[at]) {
			continue // /Length1, /Length2, /Length3 of a font program
		}
		f := bytes.Fields(dict[at:min(len(dict), at+48)])
		if len(f) >= 3 && pdfDigits(f[0]) && pdfDigits(f[1]) && bytes.HasPrefix(f[2], []byte("R")) {
			return -1, string(f[0])
		}
		if len(f) > 0 {
			return pdfInt(f[0]), ""
		}
		return -1, ""
	}
}

// pdfInt reads the unsigned integer that b starts with (after blanks, up
// to a delimiter); -1 when there is none or it is out of range.
func pdfInt(b []byte) int {
	b = bytes.TrimLeft(b, " \t\r\n\f\x00")
	n, k := 0, 0
	for ; k < len(b) && '0' <= b[k] && b[k] <= '9'; k++ {
		if int64(n) > 1<<40 || n > (math.MaxInt-9)/10 { // the second bound for 32-bit ints
			return -1
		}
		n = n*10 + int(b[k]-'0')
	}
	if k == 0 || k < len(b) && !pdfDelim(b[k]) {
		return -1
	}
	return n
}

// pdfParam returns the integer value of key in a stream dictionary (its
// /DecodeParms included), or def when it has none.
func pdfParam(dict []byte, key string, def int) int {
	for at := 0; ; {
		i := bytes.Index(dict[at:], []byte(key))
		if i < 0 {
			return def
		}
		at += i + len(key)
		if at < len(dict) && !pdfDelim(dict[at]) {
			// Another name that starts so: /V in "/CFM /V2" before a
			// V4 handler's /V 4 (qa13 LOW-2).
			continue
		}
		if n := pdfInt(dict[at:]); n >= 0 {
			return n
		}
		return def
	}
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

// pdfPictureDict reports whether a stream dictionary is an image XObject's
// (the /Width an image must have, besides its subtype), or a
// cross-reference stream's: pixels and object offsets, never text.
func pdfPictureDict(dict []byte) bool {
	if bytes.Contains(dict, []byte("/Type /XRef")) || bytes.Contains(dict, []byte("/Type/XRef")) {
		return true
	}
	return (bytes.Contains(dict, []byte("/Subtype /Image")) || bytes.Contains(dict, []byte("/Subtype/Image"))) &&
		bytes.Contains(dict, []byte("/Width"))
}

// pdfStream decodes one stream and hands it on. It reports false when the
// walk must stop. A font program is read as any stream is (its
// dictionary says nothing a writer cannot put on an attached file, and a
// font's glyph tables make no key): only the image and cross-reference
// streams, which the dictionary marks and whose bytes are pixels and
// offsets, are left out.
func (w *walker) pdfStream(name, member string, st pdfStreamAt, pdf []byte, fonts map[string]*pdfCMap, forms *pdfForms, lv *level, depth int) bool {
	dict, raw := st.dict, st.bytes(pdf)
	data, read, next := w.pdfStreamData(name, member, dict, raw, lv)
	if !read {
		return next
	}
	if len(pdfFilters(dict)) == 0 {
		// Unfiltered: its bytes are in the file, which the caller scans,
		// but a page's pieces of text are joined only here, and an
		// attached archive is opened only as a member (pdfattach stores
		// the file as it is).
		if text, ok := pdfText(w.pdfPlace(name, forms, st.obj, raw, fonts, lv)); ok && !pdfFileDict(dict) {
			return w.member(name, member+" text", bytes.NewReader(text), depth)
		}
		if Detect(raw) != None {
			return w.member(name, member, bytes.NewReader(raw), depth)
		}
		return true
	}
	// An attached file or metadata is a file, never a page's drawing,
	// whatever its bytes look like: read as it is.
	if text, ok := pdfText(w.pdfPlace(name, forms, st.obj, data, fonts, lv)); ok && !pdfFileDict(dict) {
		data = text
		member += " text"
	} else if u := pdfUTF16(data); len(u) > 0 {
		// An object stream's dictionaries: form values, annotations.
		if !w.member(name, member+" strings", bytes.NewReader(u), depth) {
			return false
		}
	}
	return w.member(name, member, bytes.NewReader(data), depth)
}

// pdfStreamData returns the data of a stream, decoded: read is false
// where there is nothing to read (a picture, a filter or predictor not
// decoded, a corrupt stream: each said as a warning, but pictures), and
// next false where the walk must stop (a limit). An unfiltered stream's
// data are its bytes.
func (w *walker) pdfStreamData(name, member string, dict, raw []byte, lv *level) (data []byte, read, next bool) {
	if len(pdfFilters(dict)) == 0 {
		return raw, true, true
	}
	if pdfPictureDict(dict) {
		return nil, false, true
	}
	data, err := w.pdfDecode(dict, raw, lv)
	if uf := (*unknownFilter)(nil); errors.As(err, &uf) {
		if !pdfPicture(uf.name) {
			w.warn(name+"!"+member, "PDF stream with filter %s not decoded: not scanned", uf.name)
		}
		return nil, false, true
	}
	if le := (*limitError)(nil); errors.As(err, &le) {
		w.limitHit(name, le)
		return nil, false, false
	}
	if err != nil && len(data) == 0 {
		w.warn(name+"!"+member, "corrupt PDF stream: %v", err)
		return nil, false, true
	}
	if err != nil {
		w.warn(name+"!"+member, "PDF stream damaged after %d bytes: %v; what came before is scanned, the rest is not", len(data), err)
	}
	if p := pdfParam(dict, "/Predictor", 1); p > 1 {
		var ok bool
		if data, ok = pdfUnpredict(data, p, dict); !ok {
			w.warn(name+"!"+member, "PDF stream with predictor %d not decoded: not scanned", p)
			return nil, false, true
		}
	}
	return data, true, true
}

// pdfPage reads the content streams of a page whose /Contents is an array
// of them (group, in the array's order) as the one drawing PDF makes of
// them (PDF 32000-1 7.8.2: the division may fall at any token, so a line
// of text may start in one stream and end in the next; stamping tools,
// incremental editors and drivers that flush their output in pieces write
// such pages: qa12 MEDIUM-2): decoded, joined with a line break between,
// and read as one content stream, the member named after the first
// ("object 4 text"). Where the whole is no drawing, each stream is read
// on its own, as any stream is.
func (w *walker) pdfPage(name string, data []byte, group []pdfStreamAt, fonts map[string]*pdfCMap, forms *pdfForms, lv *level, depth int) bool {
	var joined []byte
	for _, st := range group {
		if pdfFileDict(st.dict) {
			joined = nil
			break
		}
		d, read, next := w.pdfStreamData(name, "object "+st.obj, st.dict, st.bytes(data), lv)
		if !next {
			return false
		}
		if read {
			joined = append(append(joined, d...), '\n')
		}
	}
	if text, ok := pdfText(w.pdfPlace(name, forms, group[0].obj, joined, fonts, lv)); ok {
		return w.member(name, "object "+group[0].obj+" text", bytes.NewReader(text), depth)
	}
	for _, st := range group {
		if !w.pdfStream(name, "object "+st.obj, st, data, fonts, forms, lv, depth) || lv.stopped {
			return false
		}
	}
	return true
}

// pdfFileDict reports whether a stream dictionary is an attached file's
// or metadata's (/Type /EmbeddedFile, /Type /Metadata).
func pdfFileDict(dict []byte) bool {
	for _, t := range []string{"/Type /EmbeddedFile", "/Type/EmbeddedFile", "/Type /Metadata", "/Type/Metadata"} {
		if bytes.Contains(dict, []byte(t)) {
			return true
		}
	}
	return false
}

// pdfUnpredict undoes the predictor of a decoded stream: the PNG filters
// (10-15: each row starts with its filter type) and TIFF predictor 2 for
// 8-bit components. It reports false for a predictor it does not undo.
func pdfUnpredict(data []byte, pred int, dict []byte) ([]byte, bool) {
	colors := max(pdfParam(dict, "/Colors", 1), 1)
	bpc := max(pdfParam(dict, "/BitsPerComponent", 8), 1)
	cols := max(pdfParam(dict, "/Columns", 1), 1)
	if colors > 64 || bpc > 16 || cols > 1<<24 {
		return nil, false
	}
	bpp := max((colors*bpc+7)/8, 1) // bytes per pixel, as PNG counts them
	row := (colors*bpc*cols + 7) / 8
	switch {
	case pred == 2 && bpc == 8:
		out := slices.Clone(data)
		for r := 0; r < len(out); r += row {
			line := out[r:min(len(out), r+row)]
			for k := colors; k < len(line); k++ {
				line[k] += line[k-colors]
			}
		}
		return out, true
	case pred >= 10 && pred <= 15:
		out := make([]byte, 0, len(data))
		// A row longer than the data is only as long as the data: the
		// dictionary may declare rows of 2 GiB over a stream of a few
		// bytes (qa14 HIGH-9).
		prev := make([]byte, min(row, len(data)))
		for r := 0; r < len(data); r += row + 1 {
			typ := data[r]
			line := slices.Clone(data[r+1 : min(len(data), r+1+row)])
			for k := range line {
				var a, b, c byte
				if k >= bpp {
					a = line[k-bpp]
					c = prev[k-bpp]
				}
				b = prev[k]
				switch typ {
				case 1:
					line[k] += a
				case 2:
					line[k] += b
				case 3:
					line[k] += byte((int(a) + int(b)) / 2)
				case 4:
					line[k] += paeth(a, b, c)
				}
			}
			out = append(out, line...)
			copy(prev, line)
		}
		return out, true
	}
	return nil, false
}

// paeth is the PNG Paeth predictor.
func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// pdfUTF16 returns the text of the UTF-16 strings in data, one per line:
// hex strings <FEFF...> and literal strings whose bytes start with the
// byte order mark FE FF (written raw or as \376\377). A PDF writes any
// text string that is not plain PDFDocEncoding so, and the characters
// then stand apart in its bytes, a NUL between each two.
func pdfUTF16(data []byte) []byte {
	var out []byte
	emit := func(b []byte) {
		if len(b) < 4 || b[0] != 0xfe || b[1] != 0xff {
			return
		}
		u := make([]uint16, 0, len(b)/2)
		for k := 2; k+1 < len(b); k += 2 {
			u = append(u, uint16(b[k])<<8|uint16(b[k+1]))
		}
		for _, r := range utf16.Decode(u) {
			out = utf8.AppendRune(out, r)
		}
		out = append(out, '\n')
	}
	for at := 0; at < len(data); {
		i := bytes.IndexByte(data[at:], '<')
		if i < 0 {
			break
		}
		i += at
		at = i + 1
		if len(data)-i < 5 || !bytes.EqualFold(data[i+1:i+5], []byte("feff")) || i > 0 && data[i-1] == '<' {
			continue // not a UTF-16 hex string, or a dictionary's <<
		}
		j := bytes.IndexByte(data[i:], '>')
		if j < 0 {
			j = len(data) - i
		}
		at = i + j
		b, _ := io.ReadAll(&pdfHex{r: bytes.NewReader(data[i+1 : i+j])})
		emit(b)
	}
	for _, mark := range []string{"(\xfe\xff", "(\\376\\377"} {
		for at := 0; ; {
			i := bytes.Index(data[at:], []byte(mark))
			if i < 0 {
				break
			}
			i += at
			b, n := pdfLiteral(data[i:])
			at = i + max(n, 1)
			emit(b)
		}
	}
	return out
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
// line where the text matrix moves to another line (a run drawn on the
// same line, in the same text object or another, joins the line). Glyph codes are taken
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
		y       float64  // the current line's vertical position (BT resets it)
		lastY   float64  // the line of the last text drawn
		moved   bool     // T*, ', " or cm since the last text drawn: a new line
		name    []byte   // the last name operand (a font's, before Tf)
		font    *pdfCMap // the current font's map, nil: codes are bytes
		places  pdfPlaces
		glyphs  int     // TJ's glyphs so far
		shift   float64 // TJ's adjustments so far
		seg     int     // where TJ's current run starts in array
		ran     int     // the runs placed when the last text was drawn
		moves   []pdfMove
	)
	str := func(s []byte) []byte {
		if font != nil {
			return font.decode(s)
		}
		return s
	}
	// codes is how many glyphs s draws: a two-byte font's codes are two
	// bytes each (a run's width is estimated from its glyphs)
	codes := func(s []byte) int {
		if font != nil && font.width == 2 {
			return len(s) / 2
		}
		return len(s)
	}
	if !pdfContent(data) {
		return nil, false
	}
	places.ctm = pdfIdentity
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
			glyphs += codes(s)
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
			glyphs += codes(s)
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
					// A run of its own from here: a writer may move the
					// pen back over what it drew.
					places.draw(array[seg:], glyphs, shift)
					places.advance(v)
					moves = append(moves, pdfMove{at: len(array), v: v})
					glyphs, shift = 0, 0
					array = append(array, ' ')
					seg = len(array)
				} else {
					shift += v
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
			case "Tj", "'", "\"", "TJ":
				pieces := array
				if op != "TJ" {
					pieces = nil
					for _, s := range strs {
						pieces = append(pieces, s...)
					}
				}
				if op == "'" || op == "\"" {
					moved = true
					places.nextLine()
				}
				if n := len(nums); op == "\"" && n >= 2 {
					places.spacing = nums[n-1] // aw ac (string) ": ac is Tc
				}
				if op == "TJ" {
					places.draw(pieces[seg:], glyphs, shift)
					pieces = pdfUntrack(pieces, moves)
				} else {
					places.draw(pieces, glyphs, shift)
				}
				if len(pieces) > 0 {
					// Runs drawn on one line are one line of text, whether
					// or not the writer closed the text object between
					// them (a highlighter draws each token in its own),
					// or moved the page's axes to the next one's place.
					if drew && (moved || y != lastY) && !places.continues(ran) {
						newline()
					}
					out = append(out, pieces...)
					drew, moved, lastY = true, false, y
				}
				ran = len(places.runs)
			case "BT":
				y = 0 // the text matrix starts again at the origin
				places.begin()
			case "T*", "cm":
				moved = true
				if n := len(nums); op == "cm" && n >= 6 {
					places.transform(pdfMatrix(nums[n-6:]))
				} else if op == "T*" {
					places.nextLine()
				}
			case "q":
				places.save()
			case "Q":
				places.restore()
			case "Td", "TD":
				if n := len(nums); n >= 2 {
					y += nums[n-1]
					places.move(nums[n-2], nums[n-1])
					if op == "TD" {
						places.leading = -nums[n-1]
					}
				}
			case "TL":
				if n := len(nums); n >= 1 {
					places.leading = nums[n-1]
				}
			case "Tf":
				font = fonts[string(name)]
				if n := len(nums); n >= 1 {
					places.size = nums[n-1]
				}
			case "Tm":
				if n := len(nums); n >= 6 {
					y = pdfLineY(pdfMatrix(nums[n-6:]))
					places.matrix(pdfMatrix(nums[n-6:]))
				}
			case "Tc":
				if n := len(nums); n >= 1 {
					places.spacing = nums[n-1]
				}
			case "Tz":
				if n := len(nums); n >= 1 {
					places.scale = nums[n-1]
				}
			}
			strs, nums, array, glyphs, shift, seg, moves = strs[:0], nums[:0], array[:0], 0, 0, 0, moves[:0]
			i = j
		default:
			i++
		}
	}
	if drew && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	// Drawn out of reading order: the text again, as a reader places it;
	// in its place where both would be longer than the stream (the text
	// is never longer: a member is held to its stream's size).
	switch re := places.reordered(); {
	case re == nil:
	case len(out)+len(re) <= len(data):
		out = append(out, re...)
	case len(re) <= len(data):
		out = re
	}
	return out, drew
}

// pdfMove is a move inside a TJ array wide enough to be a gap between
// words: where pdfText put its space in the array, and the move.
type pdfMove struct {
	at int
	v  float64
}

// pdfUntrack returns the pieces of a TJ array without the spaces put for
// its moves that are letter spacing (pdfTracked): a value spaced out one
// glyph at a time reads as one word.
func pdfUntrack(pieces []byte, moves []pdfMove) []byte {
	if len(moves) < pdfTrackRun {
		return pieces
	}
	gaps := make([]float64, len(moves))
	single := make([]bool, len(moves)+1)
	from := 0
	for i, m := range moves {
		gaps[i], single[i] = -m.v, utf8.RuneCount(pieces[from:m.at]) == 1
		from = m.at + 1
	}
	single[len(moves)] = utf8.RuneCount(pieces[from:]) == 1
	tracked := pdfTracked(gaps, single)
	out := make([]byte, 0, len(pieces))
	from = 0
	for i, m := range moves {
		if tracked[i] {
			out = append(out, pieces[from:m.at]...)
			from = m.at + 1
		}
	}
	return append(out, pieces[from:]...)
}

// pdfContent reports whether data looks like a content stream: text
// operators (BT) in printable text. A font program or a picture that
// happens to hold the bytes "Tj" is handed on as it is.
func pdfContent(data []byte) bool {
	head := data[:min(len(data), 4096)]
	// The operators that open and close a text object, as tokens: a
	// script's BTRFS or a word's DEBT is none (qa11 HIGH-7).
	if !pdfToken(data, "BT") || !pdfToken(data, "ET") {
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

// pdfToken reports whether tok stands in data as a token: between
// delimiters (blanks and PDF's punctuation), or at either end.
func pdfToken(data []byte, tok string) bool {
	for at := 0; ; {
		i := bytes.Index(data[at:], []byte(tok))
		if i < 0 {
			return false
		}
		i += at
		at = i + len(tok)
		if (i == 0 || pdfDelim(data[i-1])) && (at == len(data) || pdfDelim(data[at])) {
			return true
		}
	}
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
