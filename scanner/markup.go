package scanner

import (
	"bytes"
	"path"
	"slices"
	"strings"
)

// Syntax-highlighted code in an HTML page (Sphinx, MkDocs and Jupyter's
// nbconvert write Pygments spans; highlight.js pages hljs spans) puts tags
// and character references between a name and its value:
// <span class="n">aws_secret_access_key</span><span class="o">=</span>
// <span class="s1">&#39;…&#39;</span>. A reader sees
// aws_secret_access_key='…', and so does the plain scan of the same
// snippet saved as .py; the bytes of the page hold no assignment. So in an
// HTML page the stretch after each keyword that holds a tag is read as the
// text a reader sees, tags dropped and references decoded, and scanned again
// in its context (scanRewritten): a value needs the context a plain one
// needs. Only HTML pages, only after keywords and credentials
// constructors' names (which a tag parts from their '('), and only where a
// tag follows within markupReach: a page with neither costs nothing more.

// markupReach is how far after a keyword its stretch is read as text: the
// markup of a name, an operator and a quoted value, or of a call's first
// argument, is a few hundred bytes.
const markupReach = 1024

// markupSpanBytes is the length past which merged stretches start a new
// span: a few pieces of scanRewritten, far below maxRegionBytes.
const markupSpanBytes = 8 << 10

// htmlName reports whether a file (or archive member) is an HTML page by
// its name.
func htmlName(name string) bool {
	// .html, .htm and .xhtml end in an l or an m, of either case, and no
	// other character lower-cases to either: a name that ends in another
	// byte (nearly every name, asked once per file with a keyword) is no
	// page, told before the search for '!' and the extension.
	if n := len(name); n == 0 || name[n-1]|0x20 != 'l' && name[n-1]|0x20 != 'm' {
		return false
	}
	if i := strings.LastIndexByte(name, '!'); i >= 0 {
		name = name[i+1:]
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		return true
	}
	return false
}

// notebookName reports whether a file (or archive member) is a Jupyter
// notebook by its name. A notebook keeps its outputs' HTML as JSON
// strings ("text/html": IPython.display.Code, %pycat, a rich repr): the
// same highlighted markup an .html page holds, with its attributes'
// quotes escaped (class=\"n\"), which are inside tags and dropped with
// them (qa12 MEDIUM-20). So a notebook is read as an HTML page is, after
// keywords where a tag follows.
func notebookName(name string) bool {
	n := len(name)
	return n >= 6 && name[n-1]|0x20 == 'b' && strings.EqualFold(name[n-6:], ".ipynb")
}

// htmlText reports whether decodeMarkup reads a file as an HTML page: an
// HTML page or a notebook.
func htmlText(name string) bool { return htmlName(name) || notebookName(name) }

// The text of an office document (docx, pptx, odt and odp are zips of XML)
// is the same kind of markup: Word starts a new run (<w:r><w:t>…</w:t></w:r>)
// wherever part of a paragraph was typed in another editing session or
// formatted otherwise, so a key can be split over runs, AKIA…<…><w:t>…
// (qa11 LOW-7). Its parts that hold a document's text are read as HTML
// pages are, after keywords and also after a key ID's head that a tag cuts
// (keyID), with "xml-text" as the encoding; a paragraph, a line break,
// a tab and a table cell end a line (breaksLine, without the namespace
// prefix: w:p, a:p, text:p).

// officeText reports whether an archive member is a part of an office
// document that holds its text: Word's body, headers, footers, notes and
// comments, PowerPoint's slides and notes, OpenDocument's content, Excel's
// shared strings and sheets (a cell formatted in part is a list of runs,
// <si><r><t>AKIA…</t></r><r><rPr><b/></rPr><t>…</t></r></si>: qa16
// HIGH-13; a sheet's inline strings are the same).
func officeText(name string) bool {
	if strings.IndexByte(name, '!') < 0 {
		return false // most names, told by the vectorised search
	}
	i := strings.LastIndexByte(name, '!')
	part := name[i+1:]
	if !strings.HasSuffix(part, ".xml") {
		return false
	}
	return part == "content.xml" || strings.HasPrefix(part, "word/") && !strings.Contains(part[len("word/"):], "/") ||
		strings.HasPrefix(part, "ppt/slides/") || strings.HasPrefix(part, "ppt/notesSlides/") ||
		part == "xl/sharedStrings.xml" || strings.HasPrefix(part, "xl/worksheets/")
}

// markupEncoding is the encoding of what decodeMarkup reads in a file of
// that name: "html-text" in an HTML page or a notebook, "xml-text" in an office
// document's text, "" in any other file.
func markupEncoding(name string) string {
	switch {
	case htmlText(name):
		return "html-text"
	case officeText(name):
		return "xml-text"
	}
	return ""
}

// decodeMarkup scans the stretches of an HTML page after its keywords as
// the text a reader sees.
func (m *match) decodeMarkup() {
	if m.depth > 0 || len(m.keywords)+len(m.markupCalls) == 0 {
		return
	}
	enc := markupEncoding(m.name)
	if enc == "" {
		return
	}
	d := m.data
	var spans []window
	add := func(start, end int) {
		hi := min(len(d), end+markupReach)
		if bytes.IndexByte(d[end:hi], '<') < 0 {
			return // no tag after it: the plain scan read what a reader sees
		}
		hi = markupCut(d, end, hi)
		if n := len(spans); n > 0 && start <= spans[n-1].hi {
			if hi <= spans[n-1].hi {
				return
			}
			if spans[n-1].hi-spans[n-1].lo < markupSpanBytes {
				spans[n-1].hi = hi
				return
			}
			// A page of keywords in a row (qa12 HIGH-7) would make one
			// span as long as the page, read as one rewrite (17 bytes
			// of memory per byte): the next span goes on where this one
			// stops, at a byte outside a tag, so the spans tile the
			// stretch, and scanRewritten reads them a piece at a time.
			spans = append(spans, window{spans[n-1].hi, hi})
			return
		}
		spans = append(spans, window{start, hi})
	}
	// Keywords and constructors' names (and in an office document, key
	// IDs a tag cuts), each list in order: merged.
	slices.SortFunc(m.markupCalls, func(a, b window) int { return a.lo - b.lo })
	kws, calls := m.keywords, m.markupCalls
	for len(kws)+len(calls) > 0 {
		if len(calls) == 0 || len(kws) > 0 && kws[0].start <= calls[0].lo {
			add(kws[0].start, kws[0].end)
			kws = kws[1:]
		} else {
			add(calls[0].lo, calls[0].hi)
			calls = calls[1:]
		}
	}
	m.scanRewritten(spans, func(i int) rewrite { return markupText(d, spans[i], enc) })
}

// markupCut moves hi back so that the stretch [lo,hi) does not end inside
// a tag or a character reference.
func markupCut(d []byte, lo, hi int) int {
	if hi == len(d) {
		return hi
	}
	if k := bytes.LastIndexByte(d[lo:hi], '<'); k >= 0 && bytes.IndexByte(d[lo+k:hi], '>') < 0 {
		hi = lo + k
	}
	if k := bytes.LastIndexByte(d[lo:hi], '&'); k >= 0 && bytes.IndexByte(d[lo+k:hi], ';') < 0 {
		hi = lo + k
	}
	return hi
}

// markupText returns the text a reader sees of d[w.lo:w.hi]: tags dropped
// (a tag that breaks the line, such as <br> or </td>, reads as a line
// break), character references decoded.
func markupText(d []byte, w window, encoding string) rewrite {
	n := w.hi - w.lo
	sg := rewrite{start: w.lo, end: w.hi, encoding: encoding, text: make([]byte, 0, n/2),
		from: make([]int, 0, n/2), to: make([]int, 0, n/2)}
	put := func(c byte, from, to int) {
		sg.text, sg.from, sg.to = append(sg.text, c), append(sg.from, from), append(sg.to, to)
	}
	for i := w.lo; i < w.hi; {
		switch d[i] {
		case '<':
			if e := bytes.IndexByte(d[i:min(w.hi, i+256)], '>'); e > 0 && isTagStart(d[i+1]) {
				if breaksLine(d[i+1 : i+e]) {
					put('\n', i, i+e+1)
				}
				i += e + 1
				continue
			}
		case '&':
			if c, n := charRef(d[i:w.hi]); n > 0 {
				put(c, i, i+n)
				i += n
				continue
			}
		}
		put(d[i], i, i+1)
		i++
	}
	return sg
}

// isTagStart reports whether c, after a '<', starts a tag or a comment: a
// letter, '/' or '!'. "a < b" is text.
func isTagStart(c byte) bool { return isUpper(c) || isLower(c) || c == '/' || c == '!' }

// breaksLine reports whether the tag (its text between < and >) ends a
// line or a cell as a reader sees the page.
func breaksLine(tag []byte) bool {
	tag = bytes.TrimPrefix(tag, []byte("/"))
	end := 0
	for end < len(tag) && isAlnum(tag[end]) {
		end++
	}
	if end < len(tag) && tag[end] == ':' {
		// A namespace prefix (an office document's w:p, a:br, text:p)
		tag = tag[end+1:]
		end = 0
		for end < len(tag) && isAlnum(tag[end]) {
			end++
		}
	}
	switch strings.ToLower(string(tag[:end])) {
	case "br", "p", "div", "li", "tr", "td", "th", "pre", "table", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
		"tc", "tab", "h", "cr", // Word's table cell, tab and carriage return; OpenDocument's heading
		"si", "is", "c", "row": // Excel's shared string, inline string, cell and row
		return true
	}
	return false
}

// charRef decodes the character reference b starts with (&quot;, &#39;,
// &#x2F;...) to an ASCII byte, and returns its length, or 0.
func charRef(b []byte) (byte, int) {
	end := bytes.IndexByte(b[:min(len(b), 10)], ';')
	if end < 2 {
		return 0, 0
	}
	name := string(b[1:end])
	switch name {
	case "quot":
		return '"', end + 1
	case "apos":
		return '\'', end + 1
	case "amp":
		return '&', end + 1
	case "lt":
		return '<', end + 1
	case "gt":
		return '>', end + 1
	case "nbsp":
		return ' ', end + 1
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0
	}
	v, base, digits := 0, 10, name[1:]
	if digits[0] == 'x' || digits[0] == 'X' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 {
		return 0, 0
	}
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		var x int
		switch {
		case isDigit(c):
			x = int(c - '0')
		case base == 16 && isHex(c):
			x = int(c|0x20-'a') + 10
		default:
			return 0, 0
		}
		v = v*base + x
	}
	if v == 0 || v >= 0x80 {
		return 0, 0
	}
	return byte(v), end + 1
}
