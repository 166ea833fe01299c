package scanner

import (
	"bytes"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/scanner/archive"
)

// uuencode (begin 644 name, lines of 61 characters that each start with
// 'M', a line "`", end) is how mail, Usenet and shell archives carried
// files before MIME's base64: shar writes every file that is not plain
// text so, and `shar -z` gzips each file first. The prefilter finds the
// end of a block, its empty last line before "end" ("`\nend", a pair of
// lines ordinary text hardly holds: the begin line's mode varies, and its
// lines hold no fixed bytes; " \nend" as Python writes it or with a blank
// left after the "`"; "`\n> end" quoted in a reply), and decodeUU reads the block back from
// there to its begin line, decodes it, and scans the decoded bytes: text
// again (encoding "uuencode", findings at the whole block, whose
// characters stand for no one byte of it), an archive or a binary file as
// a member of the input, as base64's are (embed: shar -z's gzip). A block
// whose lines decode but whose begin line is not found, or whose lines
// stop before it in a line that is not uuencode, is counted as an encoded
// run not decoded whole: damaged, never silent.

// uuLine returns the bytes one line of a uuencoded block gives (its
// first character their number, then four characters for every three
// bytes, each character 0x20 to 0x60), and false for a line that is not
// one. A line may hold characters past what its count needs (some
// encoders add a check character), never fewer.
func uuLine(l []byte) (int, bool) {
	if len(l) == 0 || l[0] < 0x20 || l[0] > 0x60 {
		return 0, false
	}
	n := int(l[0]-0x20) & 0x3f
	if len(l)-1 < (n+2)/3*4 {
		return 0, false
	}
	for _, c := range l[1:] {
		if c < 0x20 || c > 0x60 {
			return 0, false
		}
	}
	return n, true
}

// uuBlock is a uuencoded block: the offsets of its data lines (without
// their line breaks, and without shar's X in front), from its begin line
// to the end of its "end" line.
type uuBlock struct {
	start, end int
	lines      [][2]int
	size       int // the bytes its lines decode to
}

// findUU returns the block whose last line ("`", or " " as Python's uu
// codec writes it) is at at, reading back no further than lo; ok false
// where none ends there. Every line of a block may carry the same quote
// in front, which the "end" line shows: shar's X (sed 's/^X//'), a mail
// reply's "> " (qa14 HIGH-5). Blanks a mailer or an editor left after the
// last line and "end" are read over (qa14 MEDIUM-3). damaged says that
// lines of a block were read back to a line that is no uuencode and no
// begin line.
func findUU(d []byte, at, lo int) (b uuBlock, ok, damaged bool) {
	// The last line, and the "end" line after it.
	ls := at
	for ls > 0 && d[ls-1] != '\n' {
		ls--
	}
	le := at
	for le < len(d) && d[le] != '\n' {
		le++
	}
	if le >= len(d) {
		return b, false, false
	}
	e := le + 1
	ee := e
	for ee < len(d) && d[ee] != '\n' {
		ee++
	}
	end := bytes.TrimRight(d[e:ee], " \t\r")
	q, found := bytes.CutSuffix(end, []byte("end"))
	if !found || len(q) > maxQuote {
		return b, false, false
	}
	last, found := bytes.CutPrefix(d[ls:le], q)
	last = bytes.TrimRight(last, " \t\r")
	if !found || len(last) > 1 || len(last) == 1 && last[0] != '`' {
		return b, false, false
	}
	b.end = e + len(end)
	// Back over the data lines to the begin line.
	var lines [][2]int
	for end := ls; ; {
		if end == 0 || end-1 < lo {
			return b, false, len(lines) > 0
		}
		le := end - 1 // the '\n' ending the line before
		s := le
		for s > 0 && d[s-1] != '\n' {
			s--
		}
		if s < lo {
			return b, false, len(lines) > 0
		}
		l := d[s:le]
		if n := len(l); n > 0 && l[n-1] == '\r' {
			l = l[:n-1]
		}
		l, found := bytes.CutPrefix(l, q)
		if !found {
			return b, false, len(lines) > 0
		}
		ds := s + len(q)
		if bytes.HasPrefix(l, []byte("begin ")) {
			if len(lines) == 0 {
				return b, false, false
			}
			b.start = s
			break
		}
		n, ok := uuLine(l)
		if !ok || n == 0 {
			return b, false, len(lines) > 0
		}
		lines = append(lines, [2]int{ds, ds + len(l)})
		b.size += n
		end = s
	}
	for i, j := 0, len(lines)-1; i < j; i, j = i+1, j-1 {
		lines[i], lines[j] = lines[j], lines[i]
	}
	b.lines = lines
	return b, true, false
}

// uuDecode appends the bytes of the block's lines to out.
func uuDecode(d []byte, b uuBlock, out []byte) []byte {
	for _, ln := range b.lines {
		l := d[ln[0]:ln[1]]
		n := int(l[0]-0x20) & 0x3f
		l = l[1:]
		for k := 0; n > 0; k += 4 {
			v := uint32(l[k]-0x20)&0x3f<<18 | uint32(l[k+1]-0x20)&0x3f<<12 | uint32(l[k+2]-0x20)&0x3f<<6 | uint32(l[k+3]-0x20)&0x3f
			for s := 16; s >= 0 && n > 0; s -= 8 {
				out = append(out, byte(v>>s))
				n--
			}
		}
	}
	return out
}

// decodeUU decodes the uuencoded blocks whose ends the prefilter found
// and scans what they hold (see the top of this file).
func (m *match) decodeUU() {
	lo := 0 // no block reads back past the end of the last one
	before := m.undecoded
	var starts []int // the blocks read, for the begin lines commentUU found
	defer func() {
		if len(m.scratch.uuBegins) > 0 {
			m.undecoded += uncountedBegins(m.scratch.uuBegins, starts, m.undecoded-before)
		}
	}()
	for _, at := range m.scratch.uu {
		if at < lo || m.spent() {
			continue
		}
		b, ok, damaged := findUU(m.data, at, lo)
		if !ok {
			if damaged {
				m.undecoded++
			}
			continue
		}
		lo = b.end
		if len(m.scratch.uuBegins) > 0 {
			starts = append(starts, b.start)
		}
		if int64(b.size) > m.left() {
			m.undecoded++ // longer than the budget holds: said, never silent
			continue
		}
		dec := uuDecode(m.data, b, m.scratch.decoded[:0])
		m.scratch.decoded = dec
		if len(dec) == 0 {
			continue
		}
		if !mostlyText(dec) || archive.Detect(dec) != archive.None {
			m.embed(dec, b.start, "uuencode")
			continue
		}
		m.subScan(dec, "uuencode", func(int) int { return b.start }, func(int) int { return b.end })
	}
}

// commentUU finds the uuencoded blocks a script carries in its comments,
// "# " before every line (sed -n 's/^# //p' "$0" | uudecode: qa14
// HIGH-5). The prefilter has no anchor for them: the fingerprints of
// "`\n# end" let through so many of Go source's bytes that they cost about
// 5 % more of the matcher's instructions there (notation23). So only
// scripts, told by their name (shellOf) or their #! line, are searched,
// once each, for begin lines ("begin 644 name" behind any quote): behind
// "# ", the block's end ("\n# end") is looked for after it and handed to
// decodeUU as the prefilter's anchors are; behind a quote no reader knows
// ("#" with no blank, "## "), the block is counted as a run not decoded
// (see uncountedBegins), never passed in silence. The other files whose
// comments start with # (Python, YAML, Ruby…: hashCommented) are searched
// for the end lines alone (hashEndsUU): the search for begin lines cost the
// scan of moto's checkout (mostly Python) 2-3 % more instructions.
func (m *match) commentUU() {
	name, d := m.plainName(), m.data
	n := len(m.scratch.uu)
	switch {
	case bytes.HasPrefix(d, []byte("#!")) || shellOf(name) == posixShell:
		m.scriptUU(d)
	case hashCommented(name):
		m.hashEndsUU(d)
		if q, ok := commentQuotes[nameExt(name)]; ok {
			m.quotedEndsUU(d, q) // .ini's ; besides its #
		}
	default:
		if len(name) == 0 || !commentQuoteLast[name[len(name)-1]] {
			return // most names (.go, .json) in one look
		}
		q, ok := commentQuotes[nameExt(name)]
		if !ok {
			return // told by name and #! line: classifying by content reads the head of every file
		}
		m.quotedEndsUU(d, q)
	}
	if n > 0 && len(m.scratch.uu) > n {
		slices.Sort(m.scratch.uu)
		m.scratch.uu = slices.Compact(m.scratch.uu)
	}
}

// scriptUU is commentUU in a script: its begin lines, behind any quote.
func (m *match) scriptUU(d []byte) {
	for i := 0; ; {
		k := bytes.Index(d[i:], []byte("begin "))
		if k < 0 {
			break
		}
		at := i + k
		i = at + 1
		s, ok := uuBeginLine(d, at)
		if !ok {
			continue
		}
		m.scratch.uuBegins = append(m.scratch.uuBegins, s)
		if at-s != 2 || d[s] != '#' || d[s+1] != ' ' {
			continue // no quote, X or "> ": the prefilter found its end
		}
		// The block's last line, before its "# end", is decodeUU's anchor.
		if e := bytes.Index(d[at:], []byte("\n# end")); e > 0 {
			m.queue(queueCost)
			m.scratch.uu = append(m.scratch.uu, at+e-1)
			i = at + e
		}
	}
}

// hashEndsUU is commentUU in a file whose comments start with # but that is
// no script (a Python module, a YAML file): the end lines of blocks behind
// a quote of #s and blanks ("# end", "#end", "## end", indented too) are
// found in one pass over the #s (0.7 % of the instructions of a scan of
// moto's Python files; a search for "begin " cost 2.3 %), and each block's
// last line, the line before, is handed to decodeUU, which reads it back
// to its begin line behind the end line's quote (findUU) or counts it as
// damaged.
func (m *match) hashEndsUU(d []byte) {
	for i := 0; ; {
		k := bytes.IndexByte(d[i:], '#')
		if k < 0 {
			return
		}
		q := i + k // the quote: #s and blanks, then "end"
		j := q + 1
		for j < len(d) && j-q < maxQuote && (d[j] == '#' || d[j] == ' ' || d[j] == '\t') {
			j++
		}
		i = j
		if j+3 > len(d) || d[j] != 'e' || d[j+1] != 'n' || d[j+2] != 'd' {
			continue
		}
		e := j + 3
		for e < len(d) && (d[e] == ' ' || d[e] == '\t' || d[e] == '\r') {
			e++
		}
		ls := q // indented: the blanks before the quote are part of it
		for ls > 0 && q-ls < maxQuote && (d[ls-1] == ' ' || d[ls-1] == '\t') {
			ls--
		}
		if ls < 2 || d[ls-1] != '\n' || e < len(d) && d[e] != '\n' {
			continue // "# end of loop", "x = 1  # end": no end line
		}
		m.queue(queueCost)
		m.scratch.uu = append(m.scratch.uu, ls-2) // the last line's last byte
	}
}

// commentQuotes names, per extension, the bytes besides blanks that quote
// the lines of a uuencoded block in that language's comments other than
// #'s (qa19 L3): an INI file's "; ", SQL's and Lua's "-- ", a C-family
// block comment's " * " and its "// ", MATLAB's and TeX's "% ", and a
// Markdown or reStructuredText code block, indented (blanks alone). Not
// Go (a search of every Go file for its "end" lines would cost Go source
// more than its blocks are worth; notation23's anchors for "// end" cost
// 5 %).
var commentQuotes = map[string]string{
	".ini": ";", ".cfg": ";", ".conf": ";", ".reg": ";", ".inf": ";", ".asm": ";", ".el": ";", ".lisp": ";", ".clj": ";", ".scm": ";",
	".sql": "-", ".lua": "-", ".hs": "-", ".adb": "-", ".ads": "-",
	".c": "*/", ".h": "*/", ".cc": "*/", ".cpp": "*/", ".hpp": "*/", ".cxx": "*/", ".m": "%", ".mm": "*/", ".java": "*/", ".js": "*/", ".mjs": "*/",
	".ts": "*/", ".cs": "*/", ".php": "*/", ".css": "*/", ".scss": "*/", ".swift": "*/", ".kt": "*/", ".rs": "*/", ".scala": "*/", ".groovy": "*/",
	".tex": "%", ".sty": "%", ".cls": "%", ".erl": "%", ".bib": "%",
	".md": "", ".markdown": "", ".rst": "",
}

// commentQuoteLast marks the last bytes of commentQuotes' extensions.
var commentQuoteLast = func() (t [256]bool) {
	for e := range commentQuotes {
		t[e[len(e)-1]] = true
	}
	return t
}()

// quotedEndsUU is hashEndsUU for the other quotes (commentQuotes): each
// "end" line behind a quote of blanks and those bytes hands the line
// before it, the block's last, to decodeUU, which reads it back to its
// begin line behind the same quote (findUU) or counts it as damaged. A
// bare "end" line is the prefilter's.
func (m *match) quotedEndsUU(d []byte, quotes string) {
	for i := 0; ; {
		k := bytes.Index(d[i:], []byte("end"))
		if k < 0 {
			return
		}
		at := i + k
		i = at + 3
		e := at + 3
		for e < len(d) && (d[e] == ' ' || d[e] == '\t' || d[e] == '\r') {
			e++
		}
		if e < len(d) && d[e] != '\n' {
			continue
		}
		ls := at
		for ls > 0 && at-ls < maxQuote && (d[ls-1] == ' ' || d[ls-1] == '\t' || strings.IndexByte(quotes, d[ls-1]) >= 0) {
			ls--
		}
		if ls == at || ls < 2 || d[ls-1] != '\n' {
			continue
		}
		m.queue(queueCost)
		m.scratch.uu = append(m.scratch.uu, ls-2) // the last line's last byte
	}
}

// hashCommentExtensions are the extensions of the languages and settings
// files whose comments start with # that commentUU searches when they are
// no scripts (hashEndsUU).
var hashCommentExtensions = []string{".py", ".pyw", ".pyi", ".yml", ".yaml", ".rb", ".pl", ".pm", ".toml", ".r", ".tf", ".conf", ".cfg", ".ini", ".ps1"}

// hashCommented reports whether a file of that name is one of those. It
// is asked of every file: most names are turned down by their last byte
// (hashCommentLast), in one look.
func hashCommented(name string) bool {
	return len(name) > 0 && hashCommentLast[name[len(name)-1]] && extIn(nameExt(name), hashCommentExtensions)
}

// hashCommentLast marks the last bytes of hashCommentExtensions, in either
// case.
var hashCommentLast = func() (t [256]bool) {
	for _, e := range hashCommentExtensions {
		c := e[len(e)-1]
		t[c] = true
		if 'a' <= c && c <= 'z' {
			t[c-'a'+'A'] = true
		}
	}
	return t
}()

// uuBeginLine reports whether the "begin " at at opens a uuencoded block
// (begin, a mode of three or four octal digits, a name) behind a quote of
// no letters or digits but shar's X, and returns where its line starts.
func uuBeginLine(d []byte, at int) (int, bool) {
	s := at
	for s > 0 && d[s-1] != '\n' && at-s <= maxQuote {
		s--
	}
	if s > 0 && d[s-1] != '\n' {
		return 0, false
	}
	for _, c := range d[s:at] {
		if isAlnum(c) && c != 'X' {
			return 0, false // echo "begin 644 …", a sentence
		}
	}
	i, digits := at+len("begin "), 0
	for i < len(d) && '0' <= d[i] && d[i] <= '7' {
		i++
		digits++
	}
	return s, (digits == 3 || digits == 4) && i+1 < len(d) && d[i] == ' ' && d[i+1] > ' '
}

// uncountedBegins returns how many begin lines commentUU found open no
// block decodeUU read (starts, in order), less the damaged blocks it
// counted already (notDecoded): a block counts once.
func uncountedBegins(begins, starts []int, notDecoded int) int {
	n := 0
	for _, s := range begins {
		if _, found := slices.BinarySearch(starts, s); !found {
			n++
		}
	}
	return max(0, n-notDecoded)
}
