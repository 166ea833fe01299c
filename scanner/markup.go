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

// officeText reports whether an archive member is an XML part of an office
// document, any of which may hold its text in runs: Word's body, headers,
// footers, notes, comments, charts and SmartArt (word/, at any depth),
// PowerPoint's slides, notes, comments, masters and layouts (ppt/), Excel's
// shared strings, sheets, cell comments, text boxes and charts (xl/; a
// cell formatted in part is a list of runs, <si><r><t>AKIA…</t></r><r><rPr>
// <b/></rPr><t>…</t></r></si>: qa16 HIGH-13), OpenDocument's content and
// styles (its headers and footers), an embedded object's too. Only some
// of them were read so until qa17 H6 (a key split over two runs of a cell
// comment, a text box or a slide master was missed); a part without runs
// reads as its plain scan does.
//
// OPC part names are compared in any ASCII case (ECMA-376 Part 2, part name
// equivalence): Office opens a package whose body is WORD/DOCUMENT.XML as
// it opens word/document.xml, so the names are folded too (qa18 M9).
// Visio's pages (visio/) cut a shape's text with empty tags (<cp IX="0"/>).
func officeText(name string) bool {
	if strings.IndexByte(name, '!') < 0 {
		return false // most names, told by the vectorised search
	}
	i := strings.LastIndexByte(name, '!')
	part := name[i+1:]
	if !hasSuffixFold(part, ".xml") {
		return false
	}
	if hasPrefixFold(part, "WORD/") || hasPrefixFold(part, "PPT/") || hasPrefixFold(part, "XL/") || hasPrefixFold(part, "VISIO/") {
		return true
	}
	base := part[strings.LastIndexByte(part, '/')+1:]
	return strings.EqualFold(base, "content.xml") || strings.EqualFold(base, "styles.xml")
}

// hasSuffixFold reports whether s ends in suffix, in any ASCII case.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// flatOffice reports whether a file is an office document in one XML file
// by its name: LibreOffice's flat formats (.fodt, .fods, .fodp, .fodg),
// which teams keep in git because they diff, hold what an .odt's
// content.xml and styles.xml hold (qa18 M5).
func flatOffice(name string) bool {
	n := len(name)
	if n < 5 || name[n-5] != '.' || name[n-4]|0x20 != 'f' || name[n-3]|0x20 != 'o' || name[n-2]|0x20 != 'd' {
		return false
	}
	switch name[n-1] | 0x20 {
	case 't', 's', 'p', 'g':
		return true
	}
	return false
}

// officeNamespaces are the namespaces, in part, of the XML that holds an
// office document's text: OOXML's (transitional and strict: Word's,
// PowerPoint's, Excel's and DrawingML's), OpenDocument's, Word 2003's and
// Visio's. A file or archive member that declares one is read as an office
// part whatever its name (qa18 M5, M9): Word's Flat OPC .xml
// (<pkg:package> with /word/document.xml inline), a flat OpenDocument file
// under another name, a package part named otherwise than Office names it.
var officeNamespaces = [][]byte{[]byte("schemas.openxmlformats.org/"), []byte("purl.oclc.org/ooxml/"),
	[]byte("names:tc:opendocument:xmlns:"), []byte("schemas.microsoft.com/office/word/2003/"),
	[]byte("schemas.microsoft.com/office/visio/")}

// officeContent reports whether data is XML (its first byte past a BOM and
// blanks opens a tag) that declares an office namespace.
func officeContent(d []byte) bool {
	if len(d) == 0 || d[0] != '<' && d[0] != 0xef && d[0] != ' ' && d[0] != '\t' && d[0] != '\r' && d[0] != '\n' {
		return false // most files, told by their first byte
	}
	d = bytes.TrimPrefix(d, []byte("\xef\xbb\xbf"))
	i := skipBlanks(d, 0)
	if i >= len(d) || d[i] != '<' {
		return false
	}
	for _, ns := range officeNamespaces {
		if bytes.Contains(d, ns) {
			return true
		}
	}
	return false
}

// An XML file's element text is what its program reads (qa16 HIGH-15):
// a parser joins adjacent CDATA sections (<![CDATA[AKIA…]]><![CDATA[…]]>,
// what some serializers write for long text and the one way to put ]]> in
// CDATA), drops comments and expands character and internal entity
// references (<!ENTITY p "AKIA…"> then &p;…). Markdown is shown with its
// inline HTML applied: a key with an empty comment or span inside
// (AKIA…<!-- -->…) renders whole. So both are read as HTML pages and
// office documents are, after keywords and after a key ID's head that
// markup cuts; in a plain XML file the tags are kept as they stand (no
// parser joins two elements' texts into one value, and a value is often an
// attribute's: web.config's <add key="…" value="…"/>).

// xmlExtensions are the extensions of XML documents read as parsers read
// them: configuration (Spring, .NET's web.config and app.config, Maven,
// Ant, plists, MSBuild projects), not an office part (officeText).
var xmlExtensions = []string{".xml", ".config", ".plist", ".pom", ".xsl", ".xslt", ".resx", ".csproj",
	".vbproj", ".fsproj", ".props", ".targets", ".wsdl", ".xaml", ".jelly"}

// markdownExtensions are Markdown's.
var markdownExtensions = []string{".md", ".markdown", ".mdx", ".rmd", ".qmd"} // R Markdown and Quarto too

// nameExt returns the extension of a file's (or archive member's) name
// as written, "" where its last element has none. It is asked once per
// file: no copy, no folding (extIn folds).
func nameExt(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 || strings.IndexByte(name[i:], '/') >= 0 || strings.IndexByte(name[i:], '!') >= 0 {
		return ""
	}
	return name[i:]
}

// extIn reports whether ext is one of exts, in any case.
func extIn(ext string, exts []string) bool {
	for _, e := range exts {
		if len(e) == len(ext) && strings.EqualFold(e, ext) {
			return true
		}
	}
	return false
}

// markupKind is how decodeMarkup reads a file's markup.
type markupKind uint8

const (
	noMarkup   markupKind = iota
	htmlMarkup            // an HTML page, a notebook's HTML: "html-text"
	officeXML             // an office document's text: "xml-text", tags that end a paragraph break the line
	plainXML              // an XML file: "xml-text", its tags kept
	// Markdown: its inline HTML read as a page's, and its own inline
	// markers (emphasis, code spans, strikethrough) dropped as a renderer
	// drops them: "html-text"
	markdownMarkup
)

// indexMDMarker returns where the first of Markdown's inline markers or
// a link's brackets stands in b, or -1. It reads a table built once:
// bytes.IndexAny builds its set of five bytes at every call, and a
// Markdown file of AKIA** repeated asks at every head, each answer a byte
// or two away (issue 16: a sixth of its scan).
func indexMDMarker(b []byte) int {
	for i, c := range b {
		if mdMarkerOrBracket[c] {
			return i
		}
	}
	return -1
}

// mdMarkerOrBracket holds the bytes indexMDMarker looks for.
var mdMarkerOrBracket = [256]bool{'*': true, '`': true, '~': true, '[': true, ']': true}

// xml reports whether a file of the kind is XML (CDATA sections, entities).
func (k markupKind) xml() bool { return k == officeXML || k == plainXML }

// mdMarker reports whether c may be one of Markdown's inline markers that
// a renderer drops inside a word (**AK**IA…, AKIA…`…`…, ~~…~~): no key
// character is one.
func mdMarker(c byte) bool { return c == '*' || c == '`' || c == '~' }

// maxLinkText bounds how far a link's text is read for its ']' after a
// '[' inside a value: a key's piece is at most a secret long.
const maxLinkText = 64

// mdLink returns the length of the Markdown link syntax d[i:hi] starts
// with that a renderer does not show, or 0: the '[' that opens a link's
// text (its ']' follows among value characters, then the rest of a
// link), and the "](url)" or "][label]" that closes one. A key ID or secret cut by a
// link, AKIA…[…](url), [AKIA…](url)…, …[…][1], renders as one word (qa19
// L2). A title in the parentheses is not read. Each read stops at the
// first byte that cannot stand where it reads, and the bytes that start a
// read stop the others, so a text of brackets is read about once.
func mdLink(d []byte, i, hi int) int {
	switch d[i] {
	case '[':
		for j := i + 1; j < hi && j-i <= maxLinkText; j++ {
			if d[j] == ']' {
				if mdLink(d, j, hi) > 0 {
					return 1
				}
				return 0
			}
			if !isSecretChar(d[j]) && !mdMarker(d[j]) {
				return 0
			}
		}
	case ']':
		if i+1 >= hi || d[i+1] != '(' && d[i+1] != '[' {
			return 0
		}
		end := byte(')')
		if d[i+1] == '[' {
			end = ']'
		}
		for j := i + 2; j < hi && j-i <= maxTagBytes; j++ {
			switch c := d[j]; c {
			case end:
				return j + 1 - i
			case '\n', '\r', '[', ']', '(', ')', '<', '>', '"':
				return 0
			case ' ', '\t':
				if end == ')' {
					return 0 // a URL holds no blank
				}
			}
		}
	}
	return 0
}

// markupOf returns how decodeMarkup reads a file of that name.
func markupOf(name string) markupKind {
	switch {
	case htmlText(name):
		return htmlMarkup
	case officeText(name):
		return officeXML
	case !endsIn(name, "dnxlgtmjsy"):
		return noMarkup // the last letter of none of the extensions: most names, Go's and JSON's too
	case extIn(nameExt(name), markdownExtensions):
		return markdownMarkup
	case extIn(nameExt(name), xmlExtensions):
		return plainXML
	}
	return noMarkup
}

// endsIn reports whether a name's last byte is one of the lower-case
// letters, of either case: the cheap first look of the name tests that
// are asked of every file.
func endsIn(name, letters string) bool {
	if len(name) == 0 {
		return false
	}
	c := name[len(name)-1] | 0x20
	for i := 0; i < len(letters); i++ {
		if letters[i] == c {
			return true
		}
	}
	return false
}

// markup returns how decodeMarkup reads the file, worked out once.
//
// A file its name does not make a page or Markdown is read as an office
// part when it is by its name (flatOffice) or by the namespaces it
// declares (officeContent): a file that opens with a tag, and only those,
// is searched for them.
func (m *match) markup() markupKind {
	if !m.markupKnown {
		name := m.plainName()
		k := markupOf(name)
		if k == noMarkup && flatOffice(name) || (k == noMarkup || k == plainXML) && officeContent(m.data) {
			k = officeXML
		}
		m.markupKnown, m.markupAs = true, k
	}
	return m.markupAs
}

// encoding is the encoding of what decodeMarkup reads in a file of this
// kind.
func (k markupKind) encoding() string {
	if !k.xml() {
		return "html-text"
	}
	return "xml-text"
}

// markupCuts reports whether the byte c, where a key ID's head stops, may
// be markup inside it in a file of this kind: a tag or comment (<), the end
// of a CDATA section (]]>) or a reference (&); in an XML file also the
// quote that ends an entity's value (<!ENTITY p "AKIA…">), whose
// references then seed the stretches (entityRefs).
func markupCuts(c byte, k markupKind) bool {
	switch c {
	case '<', ']', '&':
		return k != noMarkup
	case '"', '\'':
		return k == plainXML
	case '*', '`', '~', '[':
		return k == markdownMarkup
	}
	return false
}

// decodeMarkup scans the stretches of an HTML page after its keywords as
// the text a reader sees.
func (m *match) decodeMarkup() {
	if m.depth > 0 || len(m.keywords)+len(m.markupCalls) == 0 && m.headCuts.empty() && m.prefixCuts.empty() {
		return
	}
	kind := m.markup()
	if kind == noMarkup {
		return
	}
	d := m.data
	ents := m.ents // read with the seeds (entitySeeds)
	if m.entsLeft {
		m.undecoded++ // a reference the stretches read as it stands
	}
	var reach *officeReach
	if kind == officeXML {
		reach = newOfficeReach(d, finalView)
	}
	spans := m.markupSpans(kind, reach, true)
	var cut int
	r := markupReader{kind: kind, ents: ents, cut: &cut, unseen: &unseenCloses{walk: reach}, arena: &m.arena}
	m.scanRewritten(spans, func(i int) rewrite { return r.text(d, spans[i]) })
	m.undecoded += cut
	if kind != officeXML {
		return
	}
	for _, v := range officeViews(d) {
		// The other views' stretches start at the seeds that stand in
		// their text; what they leave undecoded the final view counted.
		reach := newOfficeReach(d, v)
		spans := m.markupSpans(kind, reach, false)
		r := markupReader{kind: kind, ents: ents, unseen: &unseenCloses{walk: reach, view: v}, arena: &m.arena}
		m.scanRewritten(spans, func(i int) rewrite { return r.text(d, spans[i]) })
	}
}

// markupSpans returns the stretches decodeMarkup reads as text: after
// each seed (keywords, key IDs' heads that markup cuts, key prefixes that
// it splits, constructors' names, entities' references), where markup
// follows, merged. In an office part (reach not nil) a stretch reaches as
// far as the view's text does (officeReach.end), and starts where that
// text does when the seed stands in markup the view hides. A stretch of the first view stopped at officeReachMax is
// counted as not decoded where a value may go on past it.
func (m *match) markupSpans(kind markupKind, reach *officeReach, first bool) []window {
	d := m.data
	var spans []window
	var cuts cutCursor
	// Whether a tag or a Markdown marker follows a stretch, asked of
	// each keyword's kilobyte: a row of keywords with neither (a table
	// of AWS_SECRET_ACCESS_KEY rows) read each kilobyte again for every
	// keyword in it, 60 % of the scan (issue 16).
	tags := byteCursor{index: indexTagOpener}
	marks := byteCursor{index: indexMDMarker}
	add := func(start, end int) {
		if kind == officeXML && !reach.vis.has(start) {
			// A seed in markup the view hides (a keyword or a key ID's
			// head in a deletion, a field's code): its stretch starts at
			// the view's text after it, and none starts where none of it
			// is that text. Read from the seed, tag by tag, its hidden
			// text ran on into the view's (a deleted half and an inserted
			// one joined, qa34 5): the view that shows it reads it.
			if start = reach.vis.next(start, len(d)); start >= end {
				return
			}
		}
		hi := min(len(d), end+markupReach)
		if kind == officeXML {
			var stopped bool
			if hi, stopped = reach.end(end); stopped && first && reach.cutsValue(d, end, hi) {
				m.undecoded++ // a value may go on past the stop: counted
			}
		}
		// A key ID's head cut by markup (keyID's calls) ends at the '<' or
		// Markdown marker that cuts it: the answer is that byte, asked
		// without the cursors (a Markdown file of AKIA** repeated has a
		// call every 6 bytes).
		cut := end < hi && (d[end] == '<' || kind == markdownMarkup && mdMarkerOrBracket[d[end]])
		if !cut && d[start] != '&' && !tags.in(d, end, hi) && (kind != markdownMarkup || !marks.in(d, end, hi)) {
			// no tag after it (and no entity's reference to expand, no
			// Markdown marker): the plain scan read what a reader sees
			return
		}
		if kind == officeXML {
			// A stretch there ends at the text a reader sees (reach.end):
			// the tag or reference it may end in is looked for back as
			// far as text reads one (a '<' or '&' farther back is read
			// as text), not over the whole stretch, which is tens of KiB
			// of markup a keyword (qa20 P1).
			hi = markupCut(d, max(end, hi-maxTagBytes), hi)
		} else {
			hi = cuts.cut(d, end, hi)
		}
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
	// Keywords, key IDs' heads that markup cuts, key prefixes that it
	// splits and constructors' names (and the other seeds), each list in
	// order: merged, a keyword first where two start together, then a
	// head, then a prefix.
	slices.SortFunc(m.markupCalls, func(a, b window) int { return a.lo - b.lo })
	kws, calls := m.keywords, m.markupCalls
	heads, prefixes := m.headCuts.reader(), m.prefixCuts.reader()
	for len(kws)+len(calls) > 0 || heads.ok || prefixes.ok {
		next := len(d) + 1 // where the first seed starts
		if heads.ok {
			next = heads.cur.lo
		}
		if prefixes.ok {
			next = min(next, prefixes.cur.lo)
		}
		if len(calls) > 0 {
			next = min(next, calls[0].lo)
		}
		switch {
		case len(kws) > 0 && kws[0].start <= next:
			add(kws[0].start, kws[0].end)
			kws = kws[1:]
		case heads.ok && heads.cur.lo == next:
			add(heads.cur.lo, heads.cur.hi)
			heads.next()
		case prefixes.ok && prefixes.cur.lo == next:
			add(prefixes.cur.lo, prefixes.cur.hi)
			prefixes.next()
		default:
			add(calls[0].lo, calls[0].hi)
			calls = calls[1:]
		}
	}
	return spans
}

// byteCursor answers whether one of the bytes index looks for stands in
// [x,hi), for stretches that move forward, reading each byte once: it
// keeps a stretch [lo,at) known to hold none, and whether at holds one.
type byteCursor struct {
	index  func([]byte) int // where the first byte looked for stands, or -1
	lo, at int
	found  bool // d[at] is one
	used   bool // lo and at mean something
}

// in reports whether one of c's bytes stands in d[x:hi].
func (c *byteCursor) in(d []byte, x, hi int) bool {
	if !c.used || x < c.lo || x > c.at {
		// the first question, or one behind or past the stretch known
		c.lo, c.at, c.found, c.used = x, x, false, true
	}
	if c.found || c.at >= hi {
		return c.found && c.at < hi
	}
	if i := c.index(d[c.at:hi]); i >= 0 {
		c.at += i
		c.found = true
		return true
	}
	c.at = hi
	return false
}

// indexTagOpener returns where the first '<' of b stands, or -1.
func indexTagOpener(b []byte) int { return bytes.IndexByte(b, '<') }

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

// cutCursor answers markupCut for windows whose ends move forward, as a
// page's keywords' windows do: it reads each byte once, where markupCut
// reads a window's kilobyte again for every keyword in it (qa19 H4: a
// Markdown file of "AKIA**" repeated spent 500 instructions a byte in
// LastIndexByte). It keeps, for the bytes before upto, the last place of
// each byte markupCut asks about, and the last '&' and ';' before the last
// '<', which is where the search for a reference goes on when the window
// is cut at a tag.
type cutCursor struct {
	from, upto, lt, gt, amp, semi int // bytes [from,upto) read
	ampAtLT, semiAtLT             int
	read                          bool // the zero cursor has read nothing
}

// cut returns markupCut(d, lo, hi).
func (c *cutCursor) cut(d []byte, lo, hi int) int {
	if hi == len(d) {
		return hi
	}
	switch {
	case !c.read || c.upto < lo:
		// the first window, or one past what was read with a gap: read
		// from lo (the bytes read so never overlap: at most the text)
		*c = cutCursor{from: lo, upto: lo, lt: -1, gt: -1, amp: -1, semi: -1, ampAtLT: -1, semiAtLT: -1, read: true}
	case lo < c.from || hi < c.upto:
		// a window that starts or ends behind what was read (an office
		// part's stretch ends where its text does: officeReach)
		return markupCut(d, lo, hi)
	}
	for i, b := range d[c.upto:hi] {
		switch b {
		case '<':
			c.lt, c.ampAtLT, c.semiAtLT = c.upto+i, c.amp, c.semi
		case '>':
			c.gt = c.upto + i
		case '&':
			c.amp = c.upto + i
		case ';':
			c.semi = c.upto + i
		}
	}
	c.upto = hi
	amp, semi := c.amp, c.semi
	if c.lt >= lo && c.gt < c.lt {
		hi, amp, semi = c.lt, c.ampAtLT, c.semiAtLT
	}
	if amp >= lo && semi < amp {
		hi = amp
	}
	return hi
}

// markupReader reads a stretch of markup as the text a reader sees.
type markupReader struct {
	kind markupKind
	ents map[string][]byte // an XML file's internal entities (xmlEntities)
	// cut counts the stretches whose references were read as they stand
	// past the expansion bound (text): each is a run not decoded whole
	// (qa17 H1), nil where no one counts
	cut *int
	// unseen finds the ends of an office part's unseen elements, for
	// stretches read in the data's order
	unseen *unseenCloses
	// arena, where not nil, holds the rewrites' memory (scanRewritten's
	// rewriteArena)
	arena *rewriteArena
}

// maxTagBytes bounds how far a tag's '>' is looked for: a '<' with none
// that near is text.
const maxTagBytes = 256

// maxCommentBytes bounds how far a comment's end (-->) or a CDATA
// section's (]]>) is looked for: past it, the markup is read as a tag is.
const maxCommentBytes = 4096

// text returns the text a reader sees of d[w.lo:w.hi]: tags dropped (a
// tag that breaks the line, such as <br> or </td>, reads as a line break;
// a plain XML file's tags are kept, so two elements' texts stay apart and
// attributes keep their names), comments dropped, CDATA sections unwrapped
// in XML, character references and an XML file's entities decoded.
func (r markupReader) text(d []byte, w window) rewrite {
	n := w.hi - w.lo
	guess := n / 2
	switch r.kind {
	case officeXML:
		guess = n / 8 // a few hundred bytes of a run's markup a word (qa20 P1)
	case markdownMarkup:
		// Markdown's markers are a few bytes among the text: a stretch
		// read at half its length grew again (a file of AKIA** heads,
		// 218 of its 764 MB a pass)
		guess = n
	}
	sg := rewrite{start: w.lo, end: w.hi, encoding: r.kind.encoding()}
	if r.arena != nil {
		sg.text, sg.from, sg.to = r.arena.take(guess)
	} else {
		sg.text, sg.from, sg.to = make([]byte, 0, guess), make([]int, 0, guess), make([]int, 0, guess)
	}
	put := func(c byte, from, to int) {
		sg.text, sg.from, sg.to = append(sg.text, c), append(sg.from, from), append(sg.to, to)
	}
	// brk puts the line break of a tag that ends a line. In an office
	// part the end of a paragraph, a cell and a row and the start of the
	// next are one break, as a reader sees a table's row: a value in the
	// cell after its name's stood four lines below it, where no value is
	// taken (qa21 M4: an OpenDocument row "AWS_SECRET_ACCESS_KEY | S",
	// table:table-cell and text:p each ending a line, was missed).
	brk := func(from, to int) {
		if r.kind == officeXML && len(sg.text) > 0 && sg.text[len(sg.text)-1] == '\n' {
			return
		}
		put('\n', from, to)
	}
	xml := r.kind.xml()
	md := r.kind == markdownMarkup
	cut := false // a reference read as it stands past the bound, counted
	unseen := r.unseen
	if unseen == nil {
		unseen = &unseenCloses{}
	}
	// An office part's stretch that starts in the text a reader sees is
	// read from the walk over the part (newOfficeReach): its markup is
	// passed a word of bits at a time. One that starts in markup (a
	// keyword in a deletion) is read tag by tag.
	walk := unseen.walk
	if walk != nil && (w.lo >= len(d) || !walk.vis.has(w.lo)) {
		walk = nil
	}
	for i := w.lo; i < w.hi; {
		if walk != nil && !walk.vis.has(i) {
			next := walk.vis.next(i, w.hi)
			walk.breaks(d, i, next, brk)
			i = next
			continue
		}
		if md && mdMarker(d[i]) {
			i++ // a renderer shows the text around it joined
			continue
		}
		if md && (d[i] == '[' || d[i] == ']') {
			if n := mdLink(d, i, w.hi); n > 0 {
				i += n // and around a link's brackets and URL
				continue
			}
		}
		switch d[i] {
		case '<':
			if walk != nil {
				break // text, as the walk read it
			}
			rest := d[i:min(w.hi, i+maxCommentBytes)]
			if bytes.HasPrefix(rest, []byte("<!--")) {
				if e := bytes.Index(rest[4:], []byte("-->")); e >= 0 {
					i += 4 + e + 3
					continue
				}
			}
			if xml && bytes.HasPrefix(rest, []byte("<![CDATA[")) {
				// Its text is read as it stands; the ]]> that ends it
				// is dropped below, as is the end of a section that
				// opened before the stretch.
				i += len("<![CDATA[")
				continue
			}
			if r.kind == plainXML {
				break // its tags are read as they stand, attributes and all
			}
			if e := bytes.IndexByte(d[i:min(w.hi, i+maxTagBytes)], '>'); e > 0 && isTagStart(d[i+1]) {
				if r.kind == officeXML {
					if end := unseen.end(d, i, i+e); end > 0 {
						i = end
						continue
					}
				}
				if breaksLine(d[i+1 : i+e]) {
					brk(i, i+e+1)
				}
				i += e + 1
				continue
			}
		case ']':
			if xml && i+2 < w.hi && d[i+1] == ']' && d[i+2] == '>' {
				i += 3 // no text holds ]]> but as the end of a CDATA section
				continue
			}
		case '&':
			if c, n := charRef(d[i:w.hi]); n > 0 {
				put(c, i, i+n)
				i += n
				continue
			}
			// A reference is expanded while the stretch's text stays
			// within twice its bytes and a value: past that (a file of
			// references to one long value, a linear entity bomb) the
			// references are read as they stand, and the scan of the
			// rewrite costs no more than the stretch's own.
			if v, k := r.entity(d[i:w.hi]); k > 0 {
				if len(sg.text)+len(v) <= 2*n+maxEntityValue {
					for _, c := range v {
						put(c, i, i+k)
					}
					i += k
					continue
				}
				if !cut && r.cut != nil {
					cut = true
					*r.cut++
				}
			}
		}
		// d[i] and the plain text after it, to the next byte the switch
		// above reads, are put as one piece (qa20 P1).
		j := i + 1
		for j < w.hi && !markupByte(d[j], xml, md) {
			j++
		}
		sg.text = append(sg.text, d[i:j]...)
		at := len(sg.from)
		sg.from, sg.to = slices.Grow(sg.from, j-i)[:at+j-i], slices.Grow(sg.to, j-i)[:at+j-i]
		for k := range j - i {
			sg.from[at+k], sg.to[at+k] = i+k, i+k+1
		}
		i = j
	}
	if r.arena != nil {
		return r.arena.keep(sg)
	}
	return sg
}

// markupByte reports whether markupReader.text reads c other than as
// text it keeps: a tag's or reference's start, a CDATA section's end in
// XML, a Markdown marker.
func markupByte(c byte, xml, md bool) bool {
	return c == '<' || c == '&' || xml && c == ']' || md && (mdMarker(c) || c == '[' || c == ']')
}

// entity returns the value of the internal entity whose reference b
// starts with (&name;), and the reference's length, or 0.
func (r markupReader) entity(b []byte) ([]byte, int) {
	if len(r.ents) == 0 {
		return nil, 0
	}
	end := bytes.IndexByte(b[:min(len(b), maxEntityName+2)], ';')
	if end < 2 {
		return nil, 0
	}
	v, ok := r.ents[string(b[1:end])]
	if !ok {
		return nil, 0
	}
	return v, end + 1
}

// The bounds of the internal entities read from an XML file's DOCTYPE:
// how many, the length of a name and of a value, and how many references
// to them seed a stretch. A value is not expanded again inside another
// (no entity bomb is built).
const (
	maxEntities     = 64
	maxEntityName   = 64
	maxEntityValue  = 1024
	maxEntitySeeds  = 1024
	entityDeclBytes = len("<!ENTITY")
)

// xmlEntities returns the internal general entities an XML file declares
// (<!ENTITY name "value"> or '…'), their values' character references
// decoded; nil for a file that declares none (nearly every one: a single
// search). Parameter entities (%) and external ones (SYSTEM, PUBLIC) are
// not the text of any element.
func xmlEntities(d []byte) (ents map[string][]byte, left bool) {
	i := 0
	for n := 0; ; n++ {
		k := bytes.Index(d[i:], []byte("<!ENTITY"))
		if k < 0 {
			break
		}
		if n == maxEntities {
			return ents, true // one more than is read
		}
		i += k + entityDeclBytes
		j := skipBlanks(d, i)
		s := j
		for j < len(d) && j-s <= maxEntityName && entityNameByte(d[j]) {
			j++
		}
		name := d[s:j]
		if len(name) == 0 || j-s > maxEntityName {
			left = left || j-s > maxEntityName
			continue
		}
		j = skipBlanks(d, j)
		if j >= len(d) || d[j] != '"' && d[j] != '\'' {
			continue
		}
		e := bytes.IndexByte(d[j+1:min(len(d), j+1+maxEntityValue)], d[j])
		if e < 0 {
			left = true // a value longer than is read
			continue
		}
		raw := d[j+1 : j+1+e]
		v := make([]byte, 0, len(raw))
		for x := 0; x < len(raw); {
			if raw[x] == '&' {
				if c, n := charRef(raw[x:]); n > 0 {
					v = append(v, c)
					x += n
					continue
				}
			}
			v = append(v, raw[x])
			x++
		}
		if ents == nil {
			ents = map[string][]byte{}
		}
		ents[string(name)] = v
		i = j + 1 + e
	}
	return ents, left
}

// unreadEntity reports whether the data refers to an internal entity it
// declares whose value xmlEntities did not read (a name past the first
// maxEntities, a value longer than maxEntityValue): such a reference stands
// in its text unexpanded, where a piece of a key may be (qa17 H1). Names
// not declared in the data (an external DTD's, HTML's) are not its own;
// each name is looked up once, and past maxEntities names the reference is
// counted unread without looking.
func unreadEntity(d []byte, ents map[string][]byte) bool {
	asked := map[string]bool{}
	for i := 0; ; {
		k := bytes.IndexByte(d[i:], '&')
		if k < 0 {
			return false
		}
		i += k + 1
		end := bytes.IndexByte(d[i:min(len(d), i+maxEntityName+1)], ';')
		if end <= 0 || d[i] == '#' {
			continue
		}
		name := d[i : i+end]
		if _, ok := ents[string(name)]; ok {
			continue
		}
		if c, _ := charRef(d[i-1:]); c != 0 || asked[string(name)] {
			continue
		}
		if len(asked) == maxEntities {
			return true // too many names to look up: counted, not passed
		}
		asked[string(name)] = true
		if entityDeclared(d, name) {
			return true
		}
	}
}

// entityDeclared reports whether the data declares the general entity name.
func entityDeclared(d, name []byte) bool {
	for i := 0; ; {
		k := bytes.Index(d[i:], []byte("<!ENTITY"))
		if k < 0 {
			return false
		}
		i += k + entityDeclBytes
		j := skipBlanks(d, i)
		if bytes.HasPrefix(d[j:], name) && j+len(name) < len(d) && (d[j+len(name)] == ' ' || d[j+len(name)] == '\t' || d[j+len(name)] == '\n' || d[j+len(name)] == '\r') {
			return true
		}
	}
}

// entityNameByte reports whether c may stand in an entity's name as
// xmlEntities reads it (and entityRefs looks it up).
func entityNameByte(c byte) bool { return isWord(c) || c == '-' || c == '.' || c == ':' }

// entitySeeds reads an XML file's internal entities and appends a seed
// for each reference to one: a reference to an entity that holds part of
// a key is where that part stands, as a key ID's head is, whether or not
// a keyword stands near (<!ENTITY a "AK"> then &a;IA…). A file that
// declares none (nearly every one) costs one search.
func (m *match) entitySeeds(seeds []window) []window {
	ents, left := xmlEntities(m.data)
	seeds, over := entityRefs(m.data, ents, seeds)
	m.ents, m.entsLeft = ents, over || left && unreadEntity(m.data, ents)
	return seeds
}

// entityRefs appends a seed for each reference to one of the entities
// in the data (&name;), the first maxEntitySeeds of them in the file's
// order, and reports whether a reference past those was left unseeded.
// One pass over the references, whatever the number of entities: a name
// is read where an '&' stands and looked up, not searched for file-wide
// once per declared entity.
func entityRefs(d []byte, ents map[string][]byte, out []window) ([]window, bool) {
	if len(ents) == 0 {
		return out, false
	}
	n := 0
	for i := 0; ; {
		k := bytes.IndexByte(d[i:], '&')
		if k < 0 {
			return out, false
		}
		i += k + 1
		j := i
		for j < len(d) && j-i <= maxEntityName && entityNameByte(d[j]) {
			j++
		}
		if j == i || j >= len(d) || d[j] != ';' {
			continue
		}
		if _, ok := ents[string(d[i:j])]; !ok {
			continue
		}
		if n == maxEntitySeeds {
			return out, true // one more than is seeded: counted, not passed
		}
		n++
		out = append(out, window{i - 1, j + 1})
		i = j + 1
	}
}

// isTagStart reports whether c, after a '<', starts a tag or a comment: a
// letter, '/' or '!'. "a < b" is text.
func isTagStart(c byte) bool { return isUpper(c) || isLower(c) || c == '/' || c == '!' }

// A Word part holds four texts, each of which a reader may see whole:
// the document as it stands once its tracked changes are accepted (the
// "No Markup" view, the printout: insertions shown, deletions and moved-away
// text not), the document as it stood before them (the "Original" view:
// deletions and moved-away text shown, insertions and moved-to text not),
// its fields' codes (Alt+F9: a HYPERLINK's URL, which may be a
// presigned one, a field's instructions typed over several runs), and the
// original with the text one reviewer inserted and another deleted
// (w:ins > w:del > w:r > w:delText: it stood there between their edits but
// is in neither the final text nor the original, and its runs were joined
// by no view, qa36 M1; insertions that no one deleted stay hidden, so a
// deleted half and an inserted one are still not joined). A key
// typed, then deleted with Track Changes on, stays in the file in runs of
// w:delText; a key in a field's code is in runs of w:instrText; each is
// split over runs as any text is (qa34 5: AKIA…</w:delText></w:r><w:r>
// <w:delText>… and AKIA…</w:instrText></w:r><w:r><w:instrText>… were
// missed, the first view skipping both). So an office part is read as the
// first view, and again as each other view it holds text for (officeViews):
// each view hides the elements unseenIn lists, and its stretches are those
// of the seeds that stand in its text.

// officeView is one of the texts of an office part.
type officeView uint8

const (
	finalView    officeView = iota // changes accepted: what every part shows
	originalView                   // changes rejected: a Word part with tracked changes
	fieldView                      // fields' codes only: a Word part with fields
	deletedView                    // the original and deleted insertions: a Word part with both
)

// unseenIn holds, for each view, the local names of the elements whose
// text it does not show: a tracked deletion (w:del, w:moveFrom), its
// deleted text and field code (w:delText, w:delInstrText) and a field's
// instructions (w:instrText: the field's result is what is shown) in the
// final view (qa18 M4: AKIA…<w:del>…<w:delText>Q7</w:delText>…</w:del>…
// reads whole without them); an insertion (w:ins, w:moveTo) and the field
// codes in the original; every run's text (w:t, w:delText, and DrawingML's
// a:t) in the fields' view, where only the codes and the line breaks are
// left; and in the deleted text's view, what the original hides but an
// insertion that holds deleted text (w:ins > w:del > w:r > w:delText, or
// w:del > w:ins > …: unseenCloses.end shows it). A hidden run (hiddenRun) is seen in none. The deleted text and the
// codes are still in the plain scan of the part's bytes.
var unseenIn = [...][]string{
	finalView:    {"del", "moveFrom", "delText", "delInstrText", "instrText"},
	originalView: {"ins", "moveTo", "instrText", "delInstrText"},
	fieldView:    {"t", "delText"},
	deletedView:  {"ins", "moveTo", "instrText", "delInstrText"},
}

// unseenFirst holds, for each view, the first letters of its unseen
// elements' names and of a run's (r, which may be hidden): most tags are
// turned down by their first letter.
var unseenFirst = [...]string{finalView: "dmir", originalView: "imr", fieldView: "tdr", deletedView: "imr"}

// hides reports whether the view does not show an element of this local
// name (localName).
func (v officeView) hides(local []byte) bool { return slices.Contains(unseenIn[v], string(local)) }

// officeViews returns the views other than the final one whose text may
// differ from it in the office part d: the original view where it holds
// tracked changes of text, the fields' view where it holds fields' codes,
// the deleted text's view where it holds deleted text and insertions (text
// inserted by one reviewer and deleted by another, w:ins > w:del > w:r >
// w:delText, or the other way round, is in neither the final view nor the
// original one: qa36 M1). Nearly every part holds none: a few vectorised
// searches.
func officeViews(d []byte) []officeView {
	var vs []officeView
	deleted, inserted := bytes.Contains(d, []byte("delText")), insertionIn(d)
	if deleted || bytes.Contains(d, []byte("moveFrom")) || bytes.Contains(d, []byte("moveTo")) || inserted {
		vs = append(vs, originalView)
	}
	if deleted && inserted {
		vs = append(vs, deletedView)
	}
	if bytes.Contains(d, []byte("nstrText")) { // instrText, delInstrText
		vs = append(vs, fieldView)
	}
	return vs
}

// insertionIn reports whether d holds an insertion's start tag (<w:ins>,
// <w:ins w:id=…>, with any prefix or none) that is not self-closing (an
// inserted paragraph mark, <w:ins …/> in a run's properties, holds no
// text).
func insertionIn(d []byte) bool {
	for i := 0; ; {
		k := bytes.Index(d[i:], []byte("ins"))
		if k < 0 {
			return false
		}
		i += k + len("ins")
		if k := i - len("ins") - 1; k < 0 || d[k] != ':' && d[k] != '<' || i >= len(d) || d[i] != '>' && !tagBlank(d[i]) {
			continue
		}
		if e := bytes.IndexByte(d[i:min(len(d), i+maxTagBytes)], '>'); e >= 0 && (e == 0 || d[i+e-1] != '/') {
			return true
		}
	}
}

// unseenCloses finds the end tags of a view's unseen elements (unseenIn)
// for start tags met in the data's order: where each end tag was last
// found is kept until the reading passes it, so that a part of many start
// tags with no end (or an end far on) is searched once per name, not once
// per tag.
//
// Each name's end tag is searched for to the data's end once: maxUnseenNames
// bounds the names so searched (one prefix a document, w:, in practice; a
// part of start tags each of another prefix would search the part once per
// tag), and a start tag of a name past them is read as any other tag.
type unseenCloses struct {
	at map[string][2]int // the end tag: where it was looked for from, where it was found (-1: none)
	// walk, when set, is the pass over the whole part that newOfficeReach
	// made: a tag that pass read is answered as it was there, without
	// asking its name again (qa20 P1: a keyword every few hundred words
	// made the stretches read nearly every tag of a part a second time)
	walk *officeReach
	// where "vanish" was last looked for from and found (-1: not after
	// it): a run is asked whether it is hidden only when the word stands
	// within hiddenRun's bound of it, most runs of a part without a search
	vanishFrom, vanishAt int
	view                 officeView // whose elements are unseen
}

// end returns where the element ends whose start tag is d[lt:gt+1], when
// it is one the view does not show (unseenIn) and its end tag is in the data; else 0 (a
// self-closing tag, such as the run property <w:del …/> that marks a
// deleted paragraph mark, holds no text; an element with no end tag is
// read as any other tag). A deletion's end is looked for however far it
// stands (CLOSING17: a tracked deletion longer than the stretch inside a
// key joined it); the stretch read stops there.
func (u *unseenCloses) end(d []byte, lt, gt int) int {
	if d[gt-1] == '/' || d[lt+1] == '/' {
		return 0 // self-closing, or an end tag
	}
	// The local name: after the prefix's colon, to a blank or the tag's
	// end. Most tags are turned down by its first letter before anything
	// else is asked (qa20 P1: every tag of a part comes here).
	s, e := lt+1, lt+1
	for e < gt && d[e] != ':' && !tagBlank(d[e]) {
		e++
	}
	if e < gt && d[e] == ':' {
		s, e = e+1, e+1
	}
	if s >= gt || strings.IndexByte(unseenFirst[u.view], d[s]) < 0 {
		return 0
	}
	for e < gt && !tagBlank(d[e]) {
		e++
	}
	name, local := d[lt+1:e], d[s:e]
	if u.walk != nil {
		if end, ok := u.walk.unseenAt(lt); ok {
			return end
		}
		// inside a comment or an unseen element, where the walk read no
		// tag: asked below
	}
	if !u.view.hides(local) && !(string(local) == "r" && u.vanishNear(d, gt+1) && hiddenRun(d[gt+1:], name[:len(name)-1])) {
		return 0
	}
	// Elements of one name do not nest (a deletion holds runs, a run its
	// deleted text): the first end tag of the name closes it.
	var buf [64]byte
	closer := append(append(append(buf[:0], "</"...), name...), '>')
	if u.at == nil {
		u.at = map[string][2]int{}
	}
	c, ok := u.at[string(closer)]
	if !ok && len(u.at) >= maxUnseenNames {
		return 0 // read as any other tag
	}
	if !ok || gt+1 < c[0] || c[1] >= 0 && c[1] <= gt {
		c = [2]int{gt + 1, -1}
		if e := bytes.Index(d[gt+1:], closer); e >= 0 {
			c[1] = gt + 1 + e
		}
		u.at[string(closer)] = c
	}
	if c[1] < 0 {
		return 0
	}
	if u.view == deletedView && string(local) == "ins" && bytes.Contains(d[gt+1:c[1]], []byte("delText")) {
		// An insertion another reviewer deleted: the deleted text's view
		// shows it. Insertions do not nest: each one's text is searched
		// once a walk.
		return 0
	}
	return c[1] + len(closer)
}

// vanishNear reports whether "vanish" stands in d[from:from+hiddenRunBytes],
// where hiddenRun looks for it.
func (u *unseenCloses) vanishNear(d []byte, from int) bool {
	if u.vanishFrom == 0 || from < u.vanishFrom-1 || u.vanishAt >= 0 && u.vanishAt < from {
		u.vanishFrom, u.vanishAt = from+1, -1 // +1: the zero value is unasked
		// Looked for by its h, a letter Word's markup holds once a run
		// (w:hAnsi), where a v starts every w:val.
		for i := from + len("vanis"); i < len(d); i++ {
			k := bytes.IndexByte(d[i:], 'h')
			if k < 0 {
				break
			}
			if i += k; string(d[i-len("vanis"):i]) == "vanis" {
				u.vanishAt = i - len("vanis")
				break
			}
		}
	}
	return u.vanishAt >= 0 && u.vanishAt < from+hiddenRunBytes
}

// tagBlank reports whether c ends a tag's name.
func tagBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// maxUnseenNames bounds the end tags unseenCloses searches for.
const maxUnseenNames = 32

// hiddenRunBytes bounds how far a run's properties are read.
const hiddenRunBytes = 4096

// hiddenRun reports whether the Word run whose start tag rest follows
// is hidden text: its properties (<w:rPr>, first in the run, within 4 KiB)
// hold <w:vanish/>, which Word does not show or print. A key with a
// hidden run inside it (AKIA…<w:r><w:rPr><w:vanish/></w:rPr><w:t>Q7…)
// reads whole without it, as with a deletion. prefix is the run's
// namespace prefix and its colon ("w:"), or "".
func hiddenRun(rest, prefix []byte) bool {
	rest = rest[:min(len(rest), hiddenRunBytes)]
	// named reports whether b starts with the prefix and then local.
	named := func(b []byte, local string) bool {
		return bytes.HasPrefix(b, prefix) && bytes.HasPrefix(b[len(prefix):], []byte(local))
	}
	if len(rest) == 0 || rest[0] != '<' || !named(rest[1:], "rPr>") {
		return false
	}
	// The properties' tags, one '<' at a time, to their end tag: the
	// first <w:vanish in them. (A run's start is met in every run of a
	// part: no needle is built, no tag searched for twice; qa20 P1.)
	v := -1
	for q := len(prefix) + len("<rPr>"); ; q++ {
		k := bytes.IndexByte(rest[q:], '<')
		if k < 0 {
			return false // the properties do not end within the bound
		}
		q += k
		if q+1 < len(rest) && rest[q+1] == '/' && named(rest[q+2:], "rPr>") {
			break
		}
		if v < 0 && named(rest[q+1:], "vanish") {
			v = q
		}
	}
	if v < 0 {
		return false
	}
	tag := rest[v+1+len(prefix)+len("vanish"):]
	if e := bytes.IndexByte(tag, '>'); e >= 0 {
		tag = tag[:e]
	}
	// <w:vanish/>, or a value that turns it on (w:val="true", "1", "on")
	return !bytes.Contains(tag, []byte(`val="0"`)) && !bytes.Contains(tag, []byte(`val="false"`)) && !bytes.Contains(tag, []byte(`val="off"`))
}

// In an office part the text a reader sees can stand far apart in its
// bytes: Word writes each run with its properties (a few hundred bytes a
// run, and a value typed or formatted a character at a time is a run a
// character), and a tracked deletion or a field's code inside a key holds
// all that was deleted or coded. A keyword's stretch there reaches
// markupReach bytes of that text, not of the part's bytes (CLOSING17: a
// deletion over 1 KiB inside a key, and a key cut into many runs, were
// missed), and at most officeReachMax bytes. A stretch stopped there is
// counted as not decoded when the text a reader sees before the stop ends
// in a character a key holds (a deletion that long inside a key), not
// when it ends a line, a cell or a word: a blank form's table (a keyword,
// then hundreds of KiB of empty cells) is no gap (qa20 M1).
const (
	officeReachMax = 256 << 10
	officeMarkStep = 64 // every officeMarkStep-th byte of text is marked
)

// end returns where the stretch after a keyword that ends at from ends:
// past markupReach bytes of text, or the part's end; and whether it was
// stopped at officeReachMax first.
func (r *officeReach) end(from int) (int, bool) {
	k, _ := slices.BinarySearch(r.marks, from)
	hi := r.n
	if k += markupReach / officeMarkStep; k < len(r.marks) {
		hi = max(r.marks[k]+1, min(r.n, from+markupReach)) // no less than elsewhere
	}
	if hi-from > officeReachMax {
		return from + officeReachMax, true
	}
	return hi, false
}

// cutsValue reports whether the text a reader sees of d[from:stop], a
// stretch stopped at officeReachMax, ends in a character of a key, so that
// a value may go on past the stop. The answer for a stop is kept for the
// stretches that start before it (a page of keywords over one long
// stretch of markup is read once).
func (r *officeReach) cutsValue(d []byte, from, stop int) bool {
	if from < r.checkedTo {
		return r.cuts
	}
	t := markupReader{kind: officeXML}.text(d, window{from, markupCut(d, from, stop)}).text
	r.checkedTo = stop
	r.cuts = len(t) > 0 && (isAlnum(t[len(t)-1]) || t[len(t)-1] == '+' || t[len(t)-1] == '/')
	return r.cuts
}

// breaksLine reports whether the tag (its text between < and >) ends a
// line or a cell as a reader sees the page.
func breaksLine(tag []byte) bool { return breaksLocal(localName(tag)) }

// localName returns the tag's (its text between < and >) name without
// the / of an end tag and a namespace prefix (an office document's w:p,
// a:br, text:p): its letters and digits.
func localName(tag []byte) []byte {
	tag = bytes.TrimPrefix(tag, []byte("/"))
	end := 0
	for end < len(tag) && isAlnum(tag[end]) {
		end++
	}
	if end < len(tag) && tag[end] == ':' {
		tag = tag[end+1:]
		end = 0
		for end < len(tag) && isAlnum(tag[end]) {
			end++
		}
	}
	return tag[:end]
}

// breaksLocal reports whether a tag of this local name (localName) breaks
// a line.
func breaksLocal(tag []byte) bool {
	end := len(tag)
	if end > len("table") {
		return false // longer than every name below
	}
	var low [len("table")]byte // lowered here: ToLower allocated a string a tag (qa20 P1)
	for k := 0; k < end; k++ {
		c := tag[k]
		if isUpper(c) {
			c |= 0x20
		}
		low[k] = c
	}
	switch string(low[:end]) {
	case "br", "p", "div", "li", "tr", "td", "th", "pre", "table", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
		"tc", "tab", "h", "cr", // Word's table cell, tab and carriage return; OpenDocument's heading
		"si", "is", "c", "row": // Excel's shared string, inline string, cell and row
		return true
	}
	return false
}

// paragraphReach bounds how far paragraphAround reads either way: a
// paragraph of a document is a few hundred bytes of text and its runs'
// tags.
const paragraphReach = 4096

// paragraphAround returns the bounds, within d[lo:hi], of the paragraph of
// a page or an office document that holds position i: from the tags before
// it that end a line to the tags after it that do (paragraphEdge), no
// farther than paragraphReach either way. The cells of a table's row are
// one line, as a row of a table is in text, though each cell of Word's and
// OpenDocument's tables holds paragraphs of its own.
func paragraphAround(d []byte, lo, hi, i int) (int, int) {
	s, e := max(lo, i-paragraphReach), min(hi, i+paragraphReach)
	for j := i; j > s; {
		k := bytes.LastIndexByte(d[s:j], '<')
		if k < 0 {
			break
		}
		k += s
		cs, ce, edge := paragraphEdge(d, s, e, k)
		if edge {
			s = ce
			break
		}
		j = cs
	}
	for j := i; j < e; {
		k := bytes.IndexByte(d[j:e], '<')
		if k < 0 {
			break
		}
		k += j
		cs, ce, edge := paragraphEdge(d, s, e, k)
		if edge {
			e = cs
			break
		}
		j = max(ce, k+1)
	}
	return s, e
}

// tagRole is what a tag does to the lines of a document's text.
type tagRole uint8

const (
	inlineTag tagRole = iota // a run, a span, a field: none
	breakTag                 // a paragraph, a heading, a line break: ends a line
	cellTag                  // a table's cell: its row goes on
	rowTag                   // a table's row or the table: ends a line
)

// roleOf returns the role of the tag whose text (past its <) starts tag.
func roleOf(tag []byte) tagRole {
	tag = bytes.TrimPrefix(tag, []byte("/"))
	n := 0
	for n < len(tag) && (isAlnum(tag[n]) || tag[n] == '-') {
		n++
	}
	if n < len(tag) && tag[n] == ':' {
		tag = tag[n+1:]
		n = 0
		for n < len(tag) && (isAlnum(tag[n]) || tag[n] == '-') {
			n++
		}
	}
	name := tag[:n]
	switch {
	case n > len("covered-table-cell"):
		return inlineTag
	case bytes.EqualFold(name, []byte("tc")), bytes.EqualFold(name, []byte("td")), bytes.EqualFold(name, []byte("th")),
		bytes.EqualFold(name, []byte("c")), bytes.EqualFold(name, []byte("table-cell")), bytes.EqualFold(name, []byte("covered-table-cell")):
		return cellTag
	case bytes.EqualFold(name, []byte("tr")), bytes.EqualFold(name, []byte("row")), bytes.EqualFold(name, []byte("tbl")),
		bytes.EqualFold(name, []byte("table")), bytes.EqualFold(name, []byte("table-row")):
		return rowTag
	case bytes.EqualFold(name, []byte("line-break")), bytes.EqualFold(name, []byte("tab")):
		if name[0]|0x20 == 'l' {
			return breakTag // OpenDocument's line break
		}
		return inlineTag // a tab parts no line
	case breaksLocal(name):
		return breakTag
	}
	return inlineTag
}

// maxEdgeTags bounds the tags of one run paragraphEdge reads.
const maxEdgeTags = 64

// paragraphEdge reads the run of tags, only blanks between them, that
// holds the tag at k (d[k] == '<'), within d[lo:hi]: its bounds, and
// whether it ends a line. A run that closes a row or a table does; one
// that closes a cell and opens the next (</w:p></w:tc><w:tc><w:p>) does
// not, though it closes a paragraph; one that holds a paragraph's or a
// line break's tag does.
func paragraphEdge(d []byte, lo, hi, k int) (int, int, bool) {
	g := bytes.IndexByte(d[k:hi], '>')
	if g < 0 {
		return k, hi, false
	}
	role := roleOf(d[k+1 : k+g])
	if role == inlineTag {
		return k, k + g + 1, false
	}
	cs, ce := k, k+g+1
	var seen [4]bool
	seen[role] = true
	for n := 0; n < maxEdgeTags; n++ {
		p := cs
		for p > lo && isBlankByte(d[p-1]) {
			p--
		}
		if p <= lo || d[p-1] != '>' {
			break
		}
		o := bytes.LastIndexByte(d[lo:p-1], '<')
		if o < 0 {
			break
		}
		cs = lo + o
		seen[roleOf(d[cs+1:p-1])] = true
	}
	for n := 0; n < maxEdgeTags; n++ {
		p := ce
		for p < hi && isBlankByte(d[p]) {
			p++
		}
		if p >= hi || d[p] != '<' {
			break
		}
		c := bytes.IndexByte(d[p:hi], '>')
		if c < 0 {
			break
		}
		seen[roleOf(d[p+1:p+c])] = true
		ce = p + c + 1
	}
	return cs, ce, seen[rowTag] || seen[breakTag] && !seen[cellTag]
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

// A key prefix can itself be split by markup a reader does not see:
// AK<!-- -->IA…, <![CDATA[AK]]><![CDATA[IA…]]> in XML, A<b></b>KIA… in a
// page. The bytes then hold no key ID's head at all, and no keyword need
// stand near, so markupPrefixSeeds looks at each piece of markup that
// follows one to three capitals on a word's start, and seeds a stretch
// where the letters after it, markup skipped as the reader skips it, make
// a key prefix (four letters: no other text is read).

// markupPrefixSeeds appends to seeds a window for each key prefix that
// markup of a file of this kind splits.
func markupPrefixSeeds(d []byte, kind markupKind, seeds []window) []window {
	s := seedSink{rest: seeds}
	markupPrefixSeedsTo(d, kind, &s)
	return s.rest
}

// seedSink takes the windows of markupPrefixSeedsTo: into list (where not
// nil) while they come in order, else into rest. A file of
// AK<![CDATA[IA]]> repeated has a seed every 16 bytes: a list of windows
// as long as the file, growing it 40 % of the scan (issue 16).
type seedSink struct {
	list *windowList
	rest []window
}

func (s *seedSink) put(w window) {
	if s.list == nil || !s.list.add(w.lo, w.hi) {
		s.rest = append(s.rest, w)
	}
}

// markupPrefixSeedsTo puts in seeds a window for each key prefix that
// markup of a file of this kind splits.
func markupPrefixSeedsTo(d []byte, kind markupKind, seeds *seedSink) {
	c := newMarkupCloses()
	// An office part's other views (officeViews) may join a prefix that
	// the final view's skips part (AK in one deleted run, IA… in the
	// next): each is walked with closes of its own.
	var views []markupCloses
	if kind == officeXML {
		for _, v := range officeViews(d) {
			views = append(views, newMarkupCloses())
			views[len(views)-1].unseen.view = v
		}
	}
	// The letter a head of n letters may be followed by (next[n-1]), and
	// any of them, after the end of markup: a '>' or '[', or in Markdown
	// one of its markers
	ends := ">["
	if kind == markdownMarkup {
		ends += "*`~"
	}
	reach := prefixReach(kind)
	any, anyAsked := newLetterAfterMarkup("KSBCIA", ends), -reach
	next := [3]letterAfterMarkup{newLetterAfterMarkup("KSBC", ends), newLetterAfterMarkup("IC", ends), newLetterAfterMarkup("A", ends)}
	for i := 0; i < len(d); {
		k := bytes.IndexByte(d[i:], '<')
		if k < 0 {
			break
		}
		p := i + k
		i = p + 1
		if p == 0 || !isUpper(d[p-1]) { // no head: what most '<' stand after
			continue
		}
		// A seed needs a letter after markup within reach: none stands
		// before y, so no seed before y-reach+1 has one. The question is
		// asked when its last answer is behind p only once in reach
		// bytes: where such letters are dense (a closed "A<!---->"
		// repeated) it read the bytes to the next one at every '<' and
		// found one; the head's own letters turn those down.
		end := min(len(d), p+reach)
		if any.at < p+1 && p+1-anyAsked >= reach {
			any.first(d, p+1)
			anyAsked = p + 1
		}
		if y := any.at; y >= end {
			i = max(i, y-reach+1)
			continue
		}
		// A letter the head (one to three capitals) may be followed by
		// must stand after markup (asked first: its answer is a compare
		// most of the time, and none of these questions changes another's
		// answer), and the head stand on a word's start and open a
		// prefix, as splitPrefixAt asks.
		n := 1
		for n < 3 && p-n > 0 && isUpper(d[p-n-1]) {
			n++
		}
		if l := &next[n-1]; l.at < p+1 && l.first(d, p+1) >= end || l.at >= end {
			continue
		}
		if j := p - n; j > 0 && isWord(d[j-1]) || !opensSplitPrefix(headLetters(d[j:p]), n) {
			continue
		}
		c.from(p)
		if w, ok := splitPrefixAt(d, p, kind, &c); ok {
			seeds.put(w)
			continue
		}
		for k := range views {
			views[k].from(p)
			if w, ok := splitPrefixAt(d, p, kind, &views[k]); ok {
				seeds.put(w)
				break
			}
		}
	}
	if kind == markdownMarkup {
		// **AK**IA…, AK`IA`…: a prefix Markdown's own markers cut
		marks := mdMarkers{{c: '*', at: -1}, {c: '`', at: -1}, {c: '~', at: -1}}
		prefixSeedsAt(d, kind, seeds, marks.next, func(p int) int {
			for p < len(d) && mdMarker(d[p]) {
				p++
			}
			return p
		})
		linkPrefixSeeds(d, seeds)
	}
	if !kind.xml() {
		return
	}
	prefixSeedsAt(d, kind, seeds, func(d []byte, i int) int {
		if k := bytes.Index(d[i:], cdataEnd); k >= 0 {
			return i + k
		}
		return len(d)
	}, func(p int) int { return p + len(cdataEnd) })
}

// mdMarkers finds Markdown's inline markers for questions asked in order,
// each byte by IndexByte (bytes.IndexAny reads a byte a step).
type mdMarkers [3]bytePlace

// next returns the first marker's place at or after x, or len(d).
func (m *mdMarkers) next(d []byte, x int) int {
	return min(m[0].next(d, x), m[1].next(d, x), m[2].next(d, x))
}

// linkPrefixSeeds puts in seeds a window for each key prefix that a
// Markdown link's brackets cut: [AK](url)IA…, A[KIA…](url), AK[IA][1]….
// Every link's text ends in "](" or "][", so only the ']' are looked at
// (by IndexByte): one that closes a link is where a head may stand
// before, and so is the '[' that opens its text, the last within
// maxLinkText in the bytes read since the ']' before. A text of brackets
// is read about once.
func linkPrefixSeeds(d []byte, seeds *seedSink) {
	c := newMarkupCloses()
	for from := 0; ; {
		k := bytes.IndexByte(d[from:], ']')
		if k < 0 {
			return
		}
		q := from + k
		lo := max(from, q-maxLinkText)
		open := bytes.LastIndexByte(d[lo:q], '[')
		if open >= 0 {
			open += lo
		}
		from = q + 1
		n := mdLink(d, q, min(len(d), q+maxTagBytes))
		if n == 0 {
			continue // no link's end
		}
		for _, p := range [2]int{open, q} {
			if p > 0 && isUpper(d[p-1]) && linkGoesOn(d, p, q, n) {
				c.from(p)
				if w, ok := splitPrefixAt(d, p, markdownMarkup, &c); ok {
					seeds.put(w)
				}
			}
		}
	}
}

// prefixSeedsAt puts in seeds the seeds splitPrefixAt finds at each place of d
// that next finds (the first at or after a place asked in order, or
// len(d)) after a capital, the search going on at skip(place).
func prefixSeedsAt(d []byte, kind markupKind, seeds *seedSink, next func(d []byte, i int) int, skip func(p int) int) {
	c := newMarkupCloses()
	for i := 0; i < len(d); {
		p := next(d, i)
		if p >= len(d) {
			break
		}
		i = skip(p)
		if p == 0 || !isUpper(d[p-1]) {
			continue // no head
		}
		if _, ok := splitHead(d, p); !ok {
			// turned down by its letters before the cursors move: a
			// Markdown file of AKIA** repeated has such a head at every
			// marker (issue 16)
			continue
		}
		c.from(p)
		if w, ok := splitPrefixAt(d, p, kind, &c); ok {
			seeds.put(w)
		}
	}
}

var cdataEnd = []byte("]]>")

// markupCloses holds, for one pass over a file, where the ends of
// comments and of tags stand, so that the file is searched once for each
// rather than once per seed (review16 A-3: an unclosed "A<!--" repeated
// searched a KiB for its end at every five bytes).
type markupCloses struct {
	comment, tag closeCursor
	unseen       unseenCloses // an office part's deletions and field codes
}

func newMarkupCloses() markupCloses {
	return markupCloses{comment: closeCursor{needle: []byte("-->")}, tag: closeCursor{needle: []byte(">")}}
}

// letterAfterMarkup finds, for questions asked in order, the first place
// at or after a place where a letter of a set follows a byte that ends
// markup a reader skips ('>' of a comment, a tag or a CDATA section's end;
// '[' of a CDATA section's start; a Markdown marker). The first letter a
// walk of splitPrefixAt reads after a '<' stands at such a place: a head
// whose next letter stands at none within reach is turned down without
// reading its markup (review16 A-3's text, "A<!--" repeated, and "A<b>"
// or "A<!---->" repeated, have none).
type letterAfterMarkup struct {
	in, ends [256]bool // the set, the bytes that end markup
	at       int       // the first place at or after asked, len(d) when none, or -1
	jumps    []bytePlace
	notIn    *[64]byte // the kernel's tables of the ASCII bytes not in the set (letterSkips)
}

// letterSkips are the nibble tables (nibbleTables) of the ASCII bytes
// outside each set a letterAfterMarkup looks for, built once: first
// passes a stretch without a letter of its set in the run kernel, 32
// bytes a step ("A<b>" or "A<!---->" repeated have no K, S, B or C, and
// were read byte by byte, a sixth of their time).
var letterSkips = func() map[string]*[64]byte {
	m := map[string]*[64]byte{}
	for _, set := range []string{"KSBCIA", "KSBC", "IC", "A"} {
		t := nibbleTables(func(c byte) bool { return c < 0x80 && strings.IndexByte(set, c) < 0 })
		m[set] = &t
	}
	return m
}()

func newLetterAfterMarkup(set, ends string) letterAfterMarkup {
	l := letterAfterMarkup{at: -1, notIn: letterSkips[set]}
	for _, c := range []byte(set) {
		l.in[c] = true
	}
	for _, c := range []byte(ends) {
		l.ends[c] = true
		l.jumps = append(l.jumps, bytePlace{c: c, at: -1})
	}
	return l
}

// first returns the first place y >= x (x >= 1) where d[y] is in the set
// and d[y-1] ends markup, or len(d). x is never less than the last x
// asked. It reads 64 bytes at a time, then goes to the next byte that
// ends markup (a file dense in them costs no call per byte) or, if it
// stands further, to the next byte the kernel cannot pass as outside the
// set (a file dense in ends but without the set's letters costs a call
// per 64 bytes of them, not a step per byte).
func (l *letterAfterMarkup) first(d []byte, x int) int {
	if l.at >= x {
		return l.at
	}
	for y := x; y < len(d); {
		for lim := min(len(d), y+64); y < lim; y++ {
			if l.in[d[y]] && l.ends[d[y-1]] {
				l.at = y
				return y
			}
		}
		if y < len(d) {
			z := len(d)
			for i := range l.jumps {
				z = min(z, l.jumps[i].next(d, y-1))
			}
			y = max(z+1, l.skip(d, y))
		}
	}
	l.at = len(d)
	return l.at
}

// skip returns where the bytes from y on that the kernel reads as outside
// the set end (no letter of the set stands before it), or y where the
// kernel does not run.
func (l *letterAfterMarkup) skip(d []byte, y int) int {
	if !haveRunKernel || l.notIn == nil || len(d)-y < minKernelRun {
		return y
	}
	k, _ := kernelRun(d, y, l.notIn)
	return k
}

// bytePlace finds, for questions asked in order, the first place of c at
// or after a place.
type bytePlace struct {
	c  byte
	at int // the first place of c at or after the last question, len(d) when none, or -1
}

func (b *bytePlace) next(d []byte, x int) int {
	if b.at >= x {
		return b.at
	}
	if k := bytes.IndexByte(d[x:], b.c); k >= 0 {
		b.at = x + k
	} else {
		b.at = len(d)
	}
	return b.at
}

// from tells c that no later question asks before p: what it knows of
// the file before p is dropped.
func (c *markupCloses) from(p int) {
	c.comment.from(p)
	c.tag.from(p)
}

// closeCursor knows every place needle starts in a file in [lo, hi): at,
// in order.
type closeCursor struct {
	needle []byte
	lo, hi int
	at     []int
}

func (c *closeCursor) from(p int) {
	if p > c.hi || len(c.at) > 0 && c.at[0] < p {
		c.drop(p)
		return
	}
	c.lo = max(c.lo, p)
}

// drop is from where c knows a place before p, or nothing at p.
func (c *closeCursor) drop(p int) {
	if p > c.hi {
		c.lo, c.hi, c.at = p, p, c.at[:0]
		return
	}
	i, _ := slices.BinarySearch(c.at, p)
	c.at = c.at[i:]
	c.lo = max(c.lo, p)
}

// next returns where needle first stands in d at or after q, or -1. The
// file past hi is searched only as far as the first place, once.
func (c *closeCursor) next(d []byte, q int) int {
	if c.lo <= q && q <= c.hi { // most questions: answered inline
		if len(c.at) > 0 && c.at[0] >= q {
			return c.at[0]
		}
		if len(c.at) == 0 && c.hi >= len(d) {
			return -1
		}
	}
	return c.search(d, q)
}

// search is next past the places c knows.
func (c *closeCursor) search(d []byte, q int) int {
	if q < c.lo || q > c.hi {
		c.lo, c.hi, c.at = q, q, c.at[:0]
	}
	if i, _ := slices.BinarySearch(c.at, q); i < len(c.at) {
		return c.at[i]
	}
	if c.hi >= len(d) {
		return -1
	}
	k := bytes.Index(d[c.hi:], c.needle)
	if k < 0 {
		c.hi = len(d)
		return -1
	}
	x := c.hi + k
	c.at = append(c.at, x)
	c.hi = x + 1
	return x
}

// linkGoesOn reports whether the one to three capitals before p (the '['
// that opens a link's text or q, the ']' that ends it, n bytes of link
// syntax from q on), on a word's start, and the letters after p with this
// link's syntax and the '[' of links after it passed over open a key
// prefix, as far as other markup: there splitPrefixAt's walk decides. Most brackets turn down here, before
// the walk.
func linkGoesOn(d []byte, p, q, n int) bool {
	j := p
	for j > 0 && p-j < 3 && isUpper(d[j-1]) {
		j--
	}
	if j == p || j > 0 && isWord(d[j-1]) {
		return false
	}
	k := p - j
	got := headLetters(d[j:p])
	at := p + 1
	for k < 4 && opensSplitPrefix(got, k) {
		if at == q || p == q && at == q+1 {
			at = q + n
		}
		if at >= len(d) {
			return false
		}
		if c := d[at]; c == '<' || mdMarker(c) {
			return true
		} else if c == '[' {
			if mdLink(d, at, min(len(d), at+maxTagBytes)) == 0 {
				return false
			}
			at++ // another link's text
			continue
		}
		got |= uint32(d[at]) << (8 * k)
		k++
		at++
	}
	return opensSplitPrefix(got, k)
}

// splitPrefixAt reports whether the markup at p follows the head of a key
// prefix (one to three capitals on a word's start) whose rest follows it,
// markup of the kind between, and returns the window from the head to p.
func splitPrefixAt(d []byte, p int, kind markupKind, c *markupCloses) (window, bool) {
	j, ok := splitHead(d, p)
	if !ok {
		return window{}, false
	}
	// got holds the n letters read so far, the first in its low byte.
	// They must open a key prefix: a walk that cannot end in one stops at
	// once (A<b>A<b>… walks no further than its A).
	n := p - j
	got := headLetters(d[j:p])
	end := min(len(d), p+prefixReach(kind))
	for q := p; n < 4 && q < end && opensSplitPrefix(got, n); {
		if e := skipMarkup(d, q, end, kind, c); e > 0 {
			q += e
			continue
		}
		if !isUpper(d[q]) {
			break
		}
		got |= uint32(d[q]) << (8 * n)
		n++
		q++
	}
	if n == 4 && opensSplitPrefix(got, 4) {
		return window{j, p}, true
	}
	return window{}, false
}

// splitHead returns where the head before p starts (the one to three
// capitals before it), and whether splitPrefixAt may find a prefix there:
// the head stands at a word's start and its letters open a key prefix.
// It reads the head's bytes only.
func splitHead(d []byte, p int) (int, bool) {
	j := p
	for j > 0 && p-j < 3 && isUpper(d[j-1]) {
		j--
	}
	if j == p || j > 0 && isWord(d[j-1]) {
		return j, false
	}
	return j, opensSplitPrefix(headLetters(d[j:p]), p-j)
}

// prefixReach is how far the letters of a key prefix that markup splits
// are looked for after its head: in an office part as far as a stretch
// reaches, since a tracked deletion between them holds all that was
// deleted (AK<w:del>…</w:del>IA…).
func prefixReach(kind markupKind) int {
	if kind == officeXML {
		return officeReachMax
	}
	return markupReach
}

// headLetters returns the (at most four) letters of b, the first in the
// low byte, as opensSplitPrefix reads them.
func headLetters(b []byte) uint32 {
	var got uint32
	for k, c := range b {
		got |= uint32(c) << (8 * k)
	}
	return got
}

// opensSplitPrefix reports whether the n letters of got (the first in
// its low byte) open a key prefix that markup may split: AKIA, ASIA,
// ABIA, ACCA.
func opensSplitPrefix(got uint32, n int) bool {
	const akia, asia, abia, acca = 'A' | 'K'<<8 | 'I'<<16 | 'A'<<24, 'A' | 'S'<<8 | 'I'<<16 | 'A'<<24,
		'A' | 'B'<<8 | 'I'<<16 | 'A'<<24, 'A' | 'C'<<8 | 'C'<<16 | 'A'<<24
	m := uint32(uint64(1)<<(8*n) - 1)
	return (got^akia)&m == 0 || (got^asia)&m == 0 || (got^abia)&m == 0 || (got^acca)&m == 0
}

// skipMarkup returns the length of the markup d[q:end] starts with that a
// reader of the kind does not show (a comment; in XML a CDATA section's
// start or end; in a page or an office part a tag), or 0. The comment's
// end is looked for within maxCommentBytes, the tag's within 256 bytes,
// through c.
func skipMarkup(d []byte, q, end int, kind markupKind, c *markupCloses) int {
	xml := kind.xml()
	b := d[q:end]
	if kind == markdownMarkup && len(b) > 0 && mdMarker(b[0]) {
		e := 1
		for e < len(b) && mdMarker(b[e]) {
			e++
		}
		return e
	}
	if kind == markdownMarkup && len(b) > 0 && (b[0] == '[' || b[0] == ']') {
		return mdLink(d, q, end)
	}
	if len(b) < 3 {
		return 0
	}
	switch b0, b1, b2 := d[q], d[q+1], d[q+2]; {
	case b0 == '<' && b1 == '!' && b2 == '-' && end-q >= 4 && d[q+3] == '-': // <!--
		if e := c.comment.next(d, q+4); e >= 0 && e+3 <= q+min(end-q, maxCommentBytes) {
			return e - q + 3
		}
	case xml && b0 == ']' && b1 == ']' && b2 == '>':
		return len(cdataEnd)
	case xml && b0 == '<' && b1 == '!' && b2 == '[' && bytes.HasPrefix(d[q:end], []byte("<![CDATA[")):
		return len("<![CDATA[")
	case kind != plainXML && b0 == '<' && isTagStart(b1):
		if e := c.tag.next(d, q); e >= 0 && e < q+min(end-q, 256) {
			if kind == officeXML {
				if u := c.unseen.end(d, q, e); u > 0 {
					return u - q // a deletion, a field's code: not shown
				}
			}
			return e - q + 1
		}
	}
	return 0
}
