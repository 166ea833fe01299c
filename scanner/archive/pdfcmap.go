package archive

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/ascii85"
	"io"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// Most PDF writers today (browsers' "Save as PDF", Word, LibreOffice,
// pdfkit) embed a TrueType or OpenType font and draw text with two-byte
// glyph IDs (<00170024...> Tj), not with character codes: the bytes of a
// page say nothing until each glyph ID is mapped back to its character
// through the font's /ToUnicode CMap, a stream the writer puts in the
// file so that readers can copy the text out. pdfFonts finds those maps
// and the names pages give their fonts (/Font << /F1 12 0 R >>), so that
// pdfText reads such a page as a reader copies it.
//
// A content stream draws with the fonts of its page's or form's own
// /Resources (pdfStreamFonts): a name is the page's, and two pages may give
// it to different fonts. Only a stream that no page or form names as its
// contents falls back to a name taken across the document, where the first
// font of that name with a map is used.

// pdfCMap maps the codes of a font's strings to text.
type pdfCMap struct {
	width int               // bytes per code: 1 or 2 (codespacerange)
	to    map[uint32][]rune // code -> the characters it draws
	// work counts the codes mapped, a code mapped again included: a map
	// that gives the whole code space a thousand times over (qa15 HIGH-4:
	// 910 bytes of deflated bfranges took 32 CPU s) holds no more codes
	// than one that gives it once, so the bound is on the work.
	work int
	cut  bool // mappings past maxCMapCodes were not read
}

// maxCMapCodes bounds the codes one map maps: a bfrange of the whole code
// space is 65536 codes; a forged map cannot make more, nor map them again
// and again.
const maxCMapCodes = 1 << 17

// set maps code c to r, and reports false when the map's work is used up.
func (m *pdfCMap) set(c uint32, r []rune) bool {
	if m.work >= maxCMapCodes {
		m.cut = true
		return false
	}
	m.work++
	m.to[c] = r
	return true
}

// decode returns the text that the codes of s draw; a code the map does
// not know reads as U+FFFD, which ends a run of key characters as the
// glyph ends it for a reader.
func (m *pdfCMap) decode(s []byte) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i+m.width <= len(s); i += m.width {
		code := uint32(s[i])
		if m.width == 2 {
			code = code<<8 | uint32(s[i+1])
		}
		rs, ok := m.to[code]
		if !ok {
			out = utf8.AppendRune(out, utf8.RuneError)
			continue
		}
		for _, r := range rs {
			out = utf8.AppendRune(out, r)
		}
	}
	return out
}

// pdfIndex is where the objects of a PDF are: the offset just after each
// "N G obj" keyword by object number, the last one winning (an incremental
// update appends a new version of an object), and every keyword's offset
// in file order, which bounds an object's body.
type pdfIndex struct {
	at     map[string]int
	starts []int // offsets after each "obj" keyword, ascending
	// packed are the objects of object streams, by number: their bodies,
	// in the decoded streams.
	packed map[string][]byte
}

// addObjStm indexes the n objects of a decoded object stream, whose
// header ("num offset" pairs) ends at first. An object the file also
// holds outside streams is the file's.
func (idx *pdfIndex) addObjStm(dec []byte, n, first int) {
	if first <= 0 || first > len(dec) || n <= 0 {
		return
	}
	f := bytes.Fields(dec[:first])
	n = min(n, len(f)/2)
	type entry struct {
		num string
		off int
	}
	es := make([]entry, 0, n)
	for i := range n {
		if off := pdfInt(f[2*i+1]); pdfDigits(f[2*i]) && off >= 0 && first+off <= len(dec) {
			es = append(es, entry{string(f[2*i]), first + off})
		}
	}
	if idx.packed == nil {
		idx.packed = map[string][]byte{}
	}
	for i, e := range es {
		end := len(dec)
		if i+1 < len(es) && es[i+1].off >= e.off {
			end = es[i+1].off
		}
		if _, ok := idx.at[e.num]; !ok {
			idx.packed[e.num] = dec[e.off:end]
		}
	}
}

// pdfObjects indexes the objects of a PDF.
func pdfObjects(data []byte) pdfIndex {
	idx := pdfIndex{at: map[string]int{}}
	for at := 0; ; {
		i := bytes.Index(data[at:], []byte("obj"))
		if i < 0 {
			return idx
		}
		i += at
		at = i + 3
		if i > 0 && !pdfDelim(data[i-1]) || at < len(data) && !pdfDelim(data[at]) {
			continue // endobj, or a word holding "obj"
		}
		head := bytes.Fields(data[max(0, i-24):i])
		if n := len(head); n >= 2 && pdfDigits(head[n-2]) && pdfDigits(head[n-1]) {
			idx.at[string(head[n-2])] = at
			idx.starts = append(idx.starts, at)
		}
	}
}

// pdfObject returns the body of object num: up to its "endobj", and never
// past the next object's keyword, so that an object without "endobj" is
// not the rest of the file (each body is then read in time linear in its
// own size, and the bodies together are the file once).
func pdfObject(data []byte, idx pdfIndex, num string) []byte {
	at, ok := idx.at[num]
	if !ok {
		return idx.packed[num]
	}
	end := len(data)
	if k, _ := slices.BinarySearch(idx.starts, at+1); k < len(idx.starts) {
		end = idx.starts[k]
	}
	body := data[at:end]
	if j := bytes.Index(body, []byte("endobj")); j >= 0 {
		body = body[:j]
	}
	return body
}

// pdfRef returns the object number of the reference "N G R" that follows
// key in dict ("" when key is missing or not followed by a reference).
func pdfRef(dict []byte, key string) string {
	i := bytes.Index(dict, []byte(key))
	if i < 0 {
		return ""
	}
	rest := dict[i+len(key):]
	if len(rest) > 0 && !pdfDelim(rest[0]) {
		return "" // /ToUnicodeX
	}
	f := bytes.Fields(rest[:min(len(rest), 40)])
	if len(f) >= 3 && pdfDigits(f[0]) && pdfDigits(f[1]) && bytes.HasPrefix(f[2], []byte("R")) {
		return string(f[0])
	}
	return ""
}

// pdfFontSet are the fonts of a PDF that carry a /ToUnicode map, with the
// map read: by the names the content streams of pages and forms give them
// in their own resources (a name is a page's: Apache PDFBox names every
// page's fonts from F1, so /F1 is Helvetica on one page and an embedded
// font on the next, qa11 MEDIUM-9), and by name across the document for a
// stream no page or form names as its contents.
type pdfFontSet struct {
	all map[string]*pdfCMap            // by name: the first font of that name with a map
	of  map[string]map[string]*pdfCMap // by content stream (object number): its resources' fonts
	// pages are the content streams of pages whose /Contents is an array
	// of two or more, which are read together (walker.pdfPage): by the
	// object number of the one that stands first in the file, the array's
	// streams in its order; by each of the others, an empty list.
	pages map[string][]string
	objs  pdfIndex // the objects indexed, where the fonts were read (packed ones too)
}

// forStream returns the fonts the content stream obj draws with: its page's
// or form's, or, for a stream no page names, those of the document.
func (f pdfFontSet) forStream(obj string) map[string]*pdfCMap {
	if m, ok := f.of[obj]; ok {
		return m
	}
	return f.all
}

// pdfFonts returns the fonts of a PDF that carry a /ToUnicode map (see
// pdfFontSet). The maps' streams are decoded through the walk's meter like
// any stream.
func (w *walker) pdfFonts(data []byte, streams []pdfStreamAt, crypt *pdfCrypt, lv *level) pdfFontSet {
	if !bytes.Contains(data, []byte("/ToUnicode")) && !bytes.Contains(data, []byte("/ObjStm")) && !pdfContentsArray(data) {
		return pdfFontSet{}
	}
	objs := pdfObjects(data)
	// The dictionaries of fonts and pages may be in object streams (PDF
	// 1.5; qpdf --object-streams=generate, Word, LuaTeX): those are
	// decoded, their objects indexed, and read for /Font dictionaries as
	// the file's own bytes are (qa11 MEDIUM-5).
	sources := [][]byte{data}
	for _, st := range streams {
		if !bytes.Contains(st.dict, []byte("/ObjStm")) || lv.stopped || w.stopped {
			continue
		}
		dec, err := w.pdfDecode(st.dict, st.bytes(data), lv)
		if err != nil && len(dec) == 0 {
			continue // warned about when the stream itself is read
		}
		objs.addObjStm(dec, pdfParam(st.dict, "/N", 0), pdfParam(st.dict, "/First", 0))
		sources = append(sources, dec)
	}
	if lv.stopped || w.stopped {
		return pdfFontSet{}
	}
	maps := map[string]*pdfCMap{}  // by the font's object number
	byMap := map[string]*pdfCMap{} // by the map's: fonts share one
	// codes bounds the codes of all the maps together: each map is bounded
	// (maxCMapCodes), but a small file can name a hundred maps of the whole
	// code space (qa11 HIGH-6: 21 KB took 2.4 GB). Past it, a font's map
	// is not read, said and counted: its text is read as bytes.
	codes := min(max(2*len(data), maxCMapCodes), 16*maxCMapCodes)
	cmapOf := func(font string) *pdfCMap {
		if m, ok := maps[font]; ok {
			return m
		}
		maps[font] = nil
		body := pdfObject(data, objs, font)
		ref := pdfRef(body, "/ToUnicode")
		if ref == "" {
			// A Type0 font names its map itself; its descendant does not.
			return nil
		}
		if m, ok := byMap[ref]; ok {
			maps[font] = m
			return m
		}
		byMap[ref] = nil
		if codes <= 0 {
			if codes == 0 {
				w.warn(lv.name, "PDF fonts' character maps over the limit for the file's size: the text of fonts past it is read as bytes, not scanned as text")
				codes--
			}
			return nil
		}
		stream := pdfObject(data, objs, ref)
		dict, raw, ok := pdfSplitStream(stream)
		if !ok {
			return nil
		}
		if crypt != nil {
			if raw, ok = crypt.decrypt(ref, raw); !ok {
				return nil
			}
		}
		text, err := w.pdfDecode(dict, raw, lv)
		if err != nil && len(text) == 0 {
			return nil
		}
		m := parseCMap(text)
		if m.cut {
			w.warn(lv.name+"!object "+ref, "PDF font's character map maps more than %d codes: the mappings past them are not read, and text drawn with them is not scanned as text", maxCMapCodes)
		}
		codes = max(codes-m.work, 0)
		maps[font], byMap[ref] = m, m
		return m
	}
	fonts := map[string]*pdfCMap{}
	read := map[string]bool{} // resource dictionaries (by object) read
	for _, src := range sources {
		fontDicts(src, func(dict []byte, ref string) {
			if ref != "" {
				if read[ref] {
					return
				}
				read[ref] = true
				dict = pdfObject(data, objs, ref)
			}
			pdfNames(dict, func(fname, ref string) {
				if fonts[fname] == nil {
					fonts[fname] = cmapOf(ref)
				}
			})
		})
	}
	for n, m := range fonts {
		if m == nil {
			delete(fonts, n)
		}
	}
	of, arrays := pdfStreamFonts(data, objs, streams, cmapOf)
	return pdfFontSet{all: fonts, of: of, pages: pdfPages(arrays, streams), objs: objs}
}

// pdfContentsArray reports whether a PDF's own bytes give a page's
// /Contents as an array (pages packed in object streams are found when
// those are read).
func pdfContentsArray(data []byte) bool {
	for at := 0; ; {
		i := bytes.Index(data[at:], []byte("/Contents"))
		if i < 0 {
			return false
		}
		at += i + len("/Contents")
		if rest := bytes.TrimLeft(data[at:min(len(data), at+64)], " \t\r\n\f"); len(rest) > 0 && rest[0] == '[' {
			return true
		}
	}
}

// pdfPageContents is a page (its object number) and the content streams
// of its /Contents array.
type pdfPageContents struct {
	page int
	objs []string
}

// pdfPages returns pdfFontSet.pages of the pages whose /Contents is an
// array: in the order of their object numbers, each takes the streams of
// its array that are streams of the file and no page before took, and
// those are read together when two or more are left. A stream two pages
// draw (a stamp) is so read once, with the first: the whole stays linear
// in the file, however many pages share it.
func pdfPages(arrays []pdfPageContents, streams []pdfStreamAt) map[string][]string {
	if len(arrays) == 0 {
		return nil
	}
	order := map[string]int{} // a stream's place in the file
	for i, st := range streams {
		if _, ok := order[st.obj]; !ok && st.obj != "" {
			order[st.obj] = i
		}
	}
	slices.SortStableFunc(arrays, func(a, b pdfPageContents) int { return a.page - b.page })
	pages := map[string][]string{}
	for _, a := range arrays {
		var keep []string
		for _, o := range a.objs {
			if _, ok := order[o]; ok && pages[o] == nil && !slices.Contains(keep, o) {
				keep = append(keep, o) // a stream of the file no page took
			}
		}
		if len(keep) < 2 {
			continue
		}
		first := keep[0]
		for _, o := range keep {
			pages[o] = []string{}
			if order[o] < order[first] {
				first = o
			}
		}
		pages[first] = keep
	}
	return pages
}

// pdfStreamFonts returns, by the object number of each content stream of a
// page (/Contents, one or an array) or of each form XObject, the fonts of
// its own /Resources that have a map (cmapOf), by name. A page without
// /Resources inherits those of its /Pages parents. A stream named by no page
// or form is not in the map.
func pdfStreamFonts(data []byte, objs pdfIndex, streams []pdfStreamAt, cmapOf func(font string) *pdfCMap) (map[string]map[string]*pdfCMap, []pdfPageContents) {
	byDict := map[string]map[string]*pdfCMap{} // font dictionaries read, by object
	return pdfStreamResources(data, objs, streams, func(resources []byte) map[string]*pdfCMap {
		m := map[string]*pdfCMap{}
		fm, _ := pdfDictIn(data, objs, byDict, resources, "/Font", func(fd []byte) map[string]*pdfCMap {
			pdfNames(fd, func(name, font string) {
				if c := cmapOf(font); c != nil {
					m[name] = c
				}
			})
			return m
		})
		if fm != nil {
			return fm
		}
		return m
	})
}

// pdfDictIn returns what read makes of the dictionary key has in dict
// (inline or by reference), false when dict has no such key. A dictionary
// by reference is read once (cache, by key and object), however many
// dictionaries name it, so that the whole takes time linear in the file.
func pdfDictIn[T any](data []byte, objs pdfIndex, cache map[string]T, dict []byte, key string, read func(inner []byte) T) (T, bool) {
	ref := pdfRef(dict, key)
	if m, ok := cache[key+" "+ref]; ok && ref != "" {
		return m, true
	}
	inner := pdfValue(data, objs, dict, key)
	if inner == nil {
		var none T
		return none, false
	}
	m := read(inner)
	if ref != "" {
		cache[key+" "+ref] = m
	}
	return m, true
}

// pdfStreamResources returns, by the object number of each content stream
// of a page (/Contents, one or an array) or of each form XObject, what read
// makes of its own /Resources (the fonts, the forms it may draw), and the
// pages whose /Contents is an array. A page without /Resources inherits
// those of its /Pages parents. A stream named by no page or form is not in
// the map.
func pdfStreamResources[T any](data []byte, objs pdfIndex, streams []pdfStreamAt, read func(resources []byte) T) (map[string]T, []pdfPageContents) {
	of := map[string]T{}
	var arrays []pdfPageContents // the pages whose /Contents is an array
	byDict := map[string]T{}     // the resources read, by object
	// inherited are the resources of a page tree node, by object, through
	// its parents (bounded: a loop of /Parent ends there).
	type got struct {
		m  T
		ok bool
	}
	inherited := map[string]got{}
	var resourcesOf func(body []byte, depth int) (T, bool)
	resourcesOf = func(body []byte, depth int) (T, bool) {
		if m, ok := pdfDictIn(data, objs, byDict, body, "/Resources", read); ok {
			return m, true
		}
		parent := pdfRef(body, "/Parent")
		if parent == "" || depth >= 32 {
			var none T
			return none, false
		}
		if g, ok := inherited[parent]; ok {
			return g.m, g.ok
		}
		inherited[parent] = got{}
		m, ok := resourcesOf(pdfObject(data, objs, parent), depth+1)
		inherited[parent] = got{m, ok}
		return m, ok
	}
	page := func(num string, body []byte) {
		if !pdfIsPage(body) {
			return
		}
		contents := pdfRefs(body, "/Contents")
		if len(contents) == 0 {
			return
		}
		if len(contents) > 1 {
			arrays = append(arrays, pdfPageContents{pdfInt([]byte(num)), contents})
		}
		m, ok := resourcesOf(body, 0)
		if !ok {
			return
		}
		for _, c := range contents {
			of[c] = m
		}
	}
	for num := range objs.at {
		page(num, pdfObject(data, objs, num))
	}
	for num, body := range objs.packed {
		page(num, body)
	}
	for _, st := range streams {
		if st.obj == "" || !pdfNameIs(st.dict, "/Subtype", "/Form") {
			continue
		}
		if m, ok := pdfDictIn(data, objs, byDict, st.dict, "/Resources", read); ok {
			of[st.obj] = m
		}
	}
	return of, arrays
}

// pdfIsPage reports whether an object's body is a page's dictionary
// (/Type /Page, not /Pages).
func pdfIsPage(body []byte) bool { return pdfNameIs(body, "/Type", "/Page") }

// pdfNameIs reports whether key in dict has the name value.
func pdfNameIs(dict []byte, key, value string) bool {
	for at := 0; ; {
		i := bytes.Index(dict[at:], []byte(key))
		if i < 0 {
			return false
		}
		at += i + len(key)
		if at < len(dict) && !pdfDelim(dict[at]) {
			continue
		}
		rest := bytes.TrimLeft(dict[at:], " \t\r\n\f")
		if bytes.HasPrefix(rest, []byte(value)) && (len(rest) == len(value) || pdfDelim(rest[len(value)])) {
			return true
		}
	}
}

// pdfRefs returns the object numbers key refers to in dict: one reference,
// or an array of them.
func pdfRefs(dict []byte, key string) []string {
	if r := pdfRef(dict, key); r != "" {
		return []string{r}
	}
	arr := pdfArray(dict, key)
	if arr == nil {
		return nil
	}
	var refs []string
	f := bytes.Fields(arr)
	for k := 0; k+2 < len(f); k++ {
		if pdfDigits(f[k]) && pdfDigits(f[k+1]) && string(f[k+2]) == "R" {
			refs = append(refs, string(f[k]))
			k += 2
		}
	}
	return refs
}

// pdfValue returns what the dictionary that key has as its value in dict
// holds: the one written there (<< … >>), or the one in the object a
// reference names; nil when there is none.
func pdfValue(data []byte, objs pdfIndex, dict []byte, key string) []byte {
	for at := 0; ; {
		i := bytes.Index(dict[at:], []byte(key))
		if i < 0 {
			return nil
		}
		at += i + len(key)
		if at < len(dict) && !pdfDelim(dict[at]) {
			continue
		}
		return pdfValueAt(data, objs, dict[at:])
	}
}

// pdfValueAt returns what the dictionary that rest starts with (after
// blanks) holds, or the one in the object its reference names.
func pdfValueAt(data []byte, objs pdfIndex, rest []byte) []byte {
	rest = bytes.TrimLeft(rest, " \t\r\n\f")
	if bytes.HasPrefix(rest, []byte("<<")) {
		return pdfInner(rest)
	}
	f := bytes.Fields(rest[:min(len(rest), 40)])
	if len(f) >= 3 && pdfDigits(f[0]) && pdfDigits(f[1]) && bytes.HasPrefix(f[2], []byte("R")) {
		body := pdfObject(data, objs, string(f[0]))
		if j := bytes.Index(body, []byte("<<")); j >= 0 {
			return pdfInner(body[j:])
		}
	}
	return nil
}

// pdfInner returns what the dictionary that b starts with ("<<") holds, up
// to its ">>" (nested dictionaries, strings and hex strings skipped), or the
// rest of b when it is not closed.
func pdfInner(b []byte) []byte {
	depth := 0
	for i := 0; i < len(b); {
		switch c := b[i]; {
		case c == '<' && i+1 < len(b) && b[i+1] == '<':
			depth++
			i += 2
		case c == '>' && i+1 < len(b) && b[i+1] == '>':
			depth--
			i += 2
			if depth == 0 {
				return b[2 : i-2]
			}
		case c == '<':
			j := bytes.IndexByte(b[i:], '>')
			if j < 0 {
				return b[min(2, len(b)):]
			}
			i += j + 1
		case c == '(':
			_, n := pdfLiteral(b[i:])
			i += max(n, 1)
		default:
			i++
		}
	}
	return b[min(2, len(b)):]
}

// pdfNames calls yield with each name of a font dictionary and the object
// its reference names (/F1 12 0 R /F2 13 0 R …).
func pdfNames(dict []byte, yield func(name, ref string)) {
	for k := 0; k < len(dict); {
		j := bytes.IndexByte(dict[k:], '/')
		if j < 0 {
			break
		}
		k += j + 1
		e := k
		for e < len(dict) && !pdfDelim(dict[e]) {
			e++
		}
		if ref := pdfRef(dict[k-1:], "/"+string(dict[k:e])); ref != "" {
			yield(string(dict[k:e]), ref)
		}
		k = e
	}
}

// fontDicts calls yield with each /Font resource dictionary of data: the
// dictionary itself when it is inline, or the number of the object that
// holds it.
func fontDicts(data []byte, yield func(dict []byte, ref string)) {
	// close is the first ">>" at or after the current position, or -1
	// when there is none: searched again only once passed, so that many
	// unclosed "/Font <<" cost one pass over the file, not one each.
	close, lastClose := 0, -1
	// Every /Font resource dictionary, inline or by reference.
	for at := 0; ; {
		i := bytes.Index(data[at:], []byte("/Font"))
		if i < 0 {
			break
		}
		i += at
		at = i + len("/Font")
		rest := bytes.TrimLeft(data[at:], " \t\r\n\f")
		var dict []byte
		switch {
		case bytes.HasPrefix(rest, []byte("<<")):
			from := len(data) - len(rest) + 2
			if close >= 0 && close < from {
				close = -1
				if j := bytes.Index(data[from:], []byte(">>")); j >= 0 {
					close = from + j
				}
			}
			if close >= 0 && close != lastClose {
				// Once per ">>": a later "/Font <<" before the same
				// ">>" lies inside the dictionary just read.
				dict, lastClose = data[from:close], close
			}
		default:
			if ref := pdfRef(data[i:], "/Font"); ref != "" {
				yield(nil, ref)
			}
		}
		if dict != nil {
			yield(dict, "")
		}
	}
}

// pdfSplitStream returns the dictionary and the raw data of a stream
// object's body.
func pdfSplitStream(body []byte) (dict, raw []byte, ok bool) {
	i := bytes.Index(body, pdfStream)
	if i < 0 || !pdfAfterDict(body[:i]) {
		return nil, nil, false
	}
	start := i + len(pdfStream)
	switch {
	case bytes.HasPrefix(body[start:], []byte("\r\n")):
		start += 2
	case start < len(body) && (body[start] == '\n' || body[start] == '\r'):
		start++
	default:
		return nil, nil, false
	}
	end := len(body)
	if j := bytes.Index(body[start:], pdfEndStream); j >= 0 {
		end = start + j
	}
	return body[:i], body[start:end], true
}

// pdfDecode decodes a stream's data through the filters its dictionary
// names (Flate, ASCIIHex, ASCII85), charged to the meter; errUnknownFilter
// names a filter it does not decode.
func (w *walker) pdfDecode(dict, raw []byte, lv *level) ([]byte, error) {
	var r io.Reader = bytes.NewReader(raw)
	for _, f := range pdfFilters(dict) {
		switch f {
		case "FlateDecode":
			// The deflate data after its zlib header, if there is one
			// (some writers leave it out); the Adler-32 checksum after
			// the final block is not checked, as readers do not: a
			// stream inflated whole is whole, whatever its last four
			// bytes say (qa11 MEDIUM-10).
			br := bufio.NewReader(r)
			if h, err := br.Peek(2); err == nil && h[0]&0x0f == 8 && h[0]>>4 <= 7 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
				dict := h[1]&0x20 != 0
				br.Discard(2)
				if dict {
					br.Discard(4) // a preset dictionary's ID
				}
			}
			r = flate.NewReader(br)
		case "ASCIIHexDecode":
			r = &pdfHex{r: r}
		case "ASCII85Decode":
			r = ascii85.NewDecoder(&pdfA85{r: r})
		default:
			return nil, &unknownFilter{f}
		}
	}
	return io.ReadAll(io.LimitReader(w.meter(r, lv), w.lim.MaxMemberSize+1))
}

// unknownFilter is a stream filter pdfDecode does not decode.
type unknownFilter struct{ name string }

func (e *unknownFilter) Error() string { return "filter " + e.name + " not decoded" }

// parseCMap reads the codespace and the bfchar and bfrange sections of a
// ToUnicode CMap.
func parseCMap(text []byte) *pdfCMap {
	m := &pdfCMap{width: 2, to: map[uint32][]rune{}}
	if i := bytes.Index(text, []byte("begincodespacerange")); i >= 0 {
		if lo, _, ok := nextHex(text[i:]); ok && len(lo) == 1 {
			m.width = 1
		}
	}
	for _, sec := range []string{"bfchar", "bfrange"} {
		for at := 0; ; {
			i := bytes.Index(text[at:], []byte("begin"+sec))
			if i < 0 {
				break
			}
			start := at + i + len("begin"+sec)
			end := bytes.Index(text[start:], []byte("end"+sec))
			if end < 0 {
				end = len(text) - start
			}
			body := text[start : start+end]
			at = start + end
			if sec == "bfchar" {
				m.bfchar(body)
			} else {
				m.bfrange(body)
			}
		}
	}
	return m
}

func (m *pdfCMap) bfchar(b []byte) {
	for !m.cut {
		src, n, ok := nextHex(b)
		if !ok {
			return
		}
		b = b[n:]
		dst, n, ok := nextHex(b)
		if !ok {
			return
		}
		b = b[n:]
		m.set(codeOf(src), dest(units(dst)))
	}
}

func (m *pdfCMap) bfrange(b []byte) {
	for !m.cut {
		lo, n, ok := nextHex(b)
		if !ok {
			return
		}
		b = b[n:]
		hi, n, ok := nextHex(b)
		if !ok {
			return
		}
		b = b[n:]
		b = bytes.TrimLeft(b, " \t\r\n\f")
		first, last := codeOf(lo), codeOf(hi)
		if last < first || last-first > maxCMapCodes {
			return
		}
		if len(b) > 0 && b[0] == '[' {
			// One destination per code.
			end := bytes.IndexByte(b, ']')
			if end < 0 {
				return
			}
			arr := b[1:end]
			b = b[end+1:]
			for c := first; c <= last; c++ {
				dst, n, ok := nextHex(arr)
				if !ok {
					break
				}
				arr = arr[n:]
				if !m.set(c, dest(units(dst))) {
					break
				}
			}
			continue
		}
		dst, n, ok := nextHex(b)
		if !ok {
			return
		}
		b = b[n:]
		// The last UTF-16 unit counts up through the range.
		u := units(dst)
		if len(u) == 0 {
			continue
		}
		for c := first; c <= last; c++ {
			v := append([]uint16(nil), u...)
			v[len(v)-1] += uint16(c - first)
			if !m.set(c, dest(v)) {
				break
			}
		}
	}
}

// maxDest bounds the characters one code draws (a ligature draws two or
// three), so that a page's text stays within a small multiple of its
// codes.
const maxDest = 8

func dest(u []uint16) []rune {
	r := utf16.Decode(u)
	return r[:min(len(r), maxDest)]
}

// nextHex returns the bytes of the next <hex> string in b and how far it
// reached.
func nextHex(b []byte) ([]byte, int, bool) {
	i := bytes.IndexByte(b, '<')
	if i < 0 {
		return nil, 0, false
	}
	j := bytes.IndexByte(b[i:], '>')
	if j < 0 {
		return nil, 0, false
	}
	out, _ := io.ReadAll(&pdfHex{r: bytes.NewReader(b[i+1 : i+j])})
	return out, i + j + 1, true
}

func codeOf(b []byte) uint32 {
	var c uint32
	for _, x := range b[:min(len(b), 4)] {
		c = c<<8 | uint32(x)
	}
	return c
}

// units reads UTF-16BE code units.
func units(b []byte) []uint16 {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return u
}
