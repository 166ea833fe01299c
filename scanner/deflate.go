package scanner

import (
	"bytes"
	"compress/flate"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/keyscan/keyscan/scanner/archive"
)

// Raw deflate (no zlib or gzip header) in base64 is how PHP's gzdeflate
// (read back with gzinflate(base64_decode("…"))), .NET's and PowerShell's
// DeflateStream and Java's and Kotlin's Inflater(true) carry a blob: its run starts
// with no head an anchor could name (qa16 HIGH-7: passed in silence). The
// prefilter finds the calls that read it back, and decodeRawDeflate
// inflates the base64 runs near such a call (rawDeflateSpan on either
// side) whose bytes are no text and no known head: text is scanned
// (encoding "base64+deflate", findings at the whole run, as a gzip's
// are), another archive or a binary file with printable runs is a member
// of the input, as base64's are, and a run that does not inflate whole
// (corrupt, cut, or no deflate at all) is counted as not decoded whole:
// never silent.

// languageInflaters appends to calls where a Kotlin file (by the name before
// a backup suffix: .kt, .kts) calls Inflater(true), which Kotlin writes
// without new, so the prefilter's Java anchor does not see it: "Inflater(t"
// as a fingerprint let through 20,000 to 130,000 more places of the
// corpora, so the file's bytes are searched in Kotlin files only. The
// same for the calls of the other runtimes that inflate raw deflate (qa21
// M5), each searched in its own language's files only: Node's
// zlib.inflateRaw(Sync) and pako's inflateRaw in JavaScript and
// TypeScript, Ruby's Zlib::Inflate.new(-MAX_WBITS), Go's flate.NewReader.
// The calls are appended after the prefilter's: the caller sorts them.
func languageInflaters(name string, d []byte, calls []int) []int {
	if !endsIn(name, "tsxbo") {
		return calls
	}
	ext := nameExt(name)
	if ext == ".go" {
		// Go's flate.NewReader(, looked for only in a file whose import
		// declaration names compress/flate (klauspost's too), under the
		// name it is imported as (goImportName).
		if pkg := goImportName(d, "/flate"); pkg != nil {
			calls = appendCalls(calls, d, []byte(string(pkg)+".NewReader("))
		}
		return calls
	}
	for _, l := range rawInflaterCalls {
		if extIn(ext, l.exts) {
			calls = appendCalls(calls, d, []byte(l.call))
		}
	}
	return calls
}

// appendCalls appends to calls where d holds call.
func appendCalls(calls []int, d, call []byte) []int {
	for i := 0; ; {
		k := bytes.Index(d[i:], call)
		if k < 0 {
			return calls
		}
		calls = append(calls, i+k)
		i += k + 1
	}
}

// goImportName returns the name a Go file imports the package whose path
// ends in suffix ("/flate": compress/flate, github.com/klauspost/compress/flate)
// under: its alias (fl "compress/flate") or the path's last part; nil when
// the file's first import declaration does not import it. Only that
// declaration is read, found at a line's start in the file's first
// goImportHead bytes: a search of every Go file for the call, or of its
// first 4 KiB for the import path, cost the detector tests' scan 15 to 20 %
// more instructions (qafix21a), where the declaration is found a few
// hundred bytes in and is a few hundred bytes long.
func goImportName(d []byte, suffix string) []byte {
	head := d[:min(len(d), goImportHead)]
	at := 0
	for {
		k := bytes.Index(head[at:], []byte("import"))
		if k < 0 {
			return nil
		}
		at += k
		if at == 0 || head[at-1] == '\n' {
			break
		}
		at += len("import")
	}
	decl := d[at+len("import"):]
	end := bytes.IndexByte(decl, '\n')
	t := 0 // the blanks before a list's '(' (bytes.TrimLeft built a set of them each call)
	for t < len(decl) && (decl[t] == ' ' || decl[t] == '\t') {
		t++
	}
	if t < len(decl) && decl[t] == '(' {
		end = declClose(decl[:min(len(decl), goImportHead+2)]) // import ( … )
	}
	if end < 0 {
		end = len(decl)
	}
	decl = decl[:min(end, goImportHead)]
	// The path's closing quote is found by the last three bytes of suffix
	// and the quote ("ate\"", whose 'a' import paths seldom hold), and the
	// path before it asked whether it ends in suffix: a search for
	// suffix+`"` stopped at every '/' of every path, and one for every
	// quote at two a line (it cost the detector tests' scan 8 %, then 5 %,
	// of its instructions). Every place suffix+`"` stands is one of these.
	var nb [8]byte
	needle := append(append(nb[:0], suffix[max(0, len(suffix)-3):]...), '"')
	for i := 0; ; {
		k := bytes.Index(decl[i:], needle)
		if k < 0 {
			return nil
		}
		e := i + k + len(needle) - 1 // a quote; the path's closing one when suffix ends there
		i = e + 1
		if e < len(suffix) || string(decl[e-len(suffix):e]) != suffix {
			continue
		}
		s := bytes.LastIndexByte(decl[:e], '"')
		if s < 0 || bytes.IndexByte(decl[s:e], '\n') >= 0 {
			continue
		}
		ls := bytes.LastIndexAny(decl[:s], "\n(") + 1
		alias := bytes.TrimSpace(decl[ls:s])
		switch {
		case len(alias) == 0:
			return []byte(suffix[strings.LastIndexByte(suffix, '/')+1:])
		case string(alias) == "_" || string(alias) == ".":
			return nil // imported for its effects, or into the file's scope (NewReader( alone): not looked for
		}
		return alias
	}
}

// declClose returns where decl first holds "\n)", the end of an import
// declaration's parenthesised list, or -1: a search for the ')', which
// such a list holds nowhere else as a rule, not for every newline.
func declClose(decl []byte) int {
	for i := 0; ; {
		k := bytes.IndexByte(decl[i:], ')')
		if k < 0 {
			return -1
		}
		if i+k > 0 && decl[i+k-1] == '\n' {
			return i + k - 1
		}
		i += k + 1
	}
}

// goImportHead bounds where a Go file's import declaration is looked for,
// and how much of it is read.
const goImportHead = 16 << 10

// rawInflaterCalls are the calls that inflate raw deflate which the
// prefilter does not anchor, with the files they are looked for in (and
// Go's flate.NewReader: languageInflaters).
var rawInflaterCalls = []struct {
	exts []string
	call string
}{
	{[]string{".kt", ".kts"}, "Inflater(true"},
	{[]string{".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"}, "inflateRaw"},
	{[]string{".rb"}, "MAX_WBITS"},
}

// rawDeflateSpan bounds how far from a call that inflates raw deflate its
// base64 run is looked for: the call's line, or a literal a few lines
// above or below it (a constant the call reads).
const rawDeflateSpan = 1 << 10

// decodeRawDeflate inflates the base64 runs around the calls the
// prefilter found (m.scratch.inflates). The calls' windows are read as
// their union: each starts where the one before stopped, so that a byte
// near many calls (decompress( or Inflater(true) repeated: qa21 P1, 3 MB
// a CPU second when each call read its 2 KiB afresh) is read once. A run
// is the argument of the nearest call before it (callArgument).
func (m *match) decodeRawDeflate() {
	d := m.data
	calls := m.scratch.inflates
	done, k := -1, 0 // k: the last call before the run being read
	for _, at := range calls {
		lo, hi := max(done, at-rawDeflateSpan, 0), min(len(d), at+rawDeflateSpan)
		i := lo
		for i < hi && !m.spent() {
			if !isB64(d[i]) || i > 0 && isB64(d[i-1]) {
				i++
				continue
			}
			e := b64RunEnd(d, i)
			if e-i < 32 {
				i = e
				continue
			}
			if hexRunEnd(d[:e], i) == e {
				// hex is no base64 of deflate: zlib read as hex, or a
				// digest near the call (qa18 H6)
				m.zlibHex(i, e)
				i = e
				continue
			}
			sp := b64Span(d, i, m.scratch.segs[:0])
			m.scratch.segs = sp.segs
			for k+1 < len(calls) && calls[k+1] < i {
				k++
			}
			named := callArgument(d, calls[k], i) || decodedByName(d, max(0, at-rawDeflateSpan), hi, i) || decoderArgument(d, i)
			i = max(e, sp.end)
			m.inflateRaw(sp, named)
		}
		done = max(done, i)
	}
}

// callArgument reports whether the run at i is the argument of the call
// at at, itself or through the calls that read it (gzinflate(base64_decode("…,
// zlib.decompress(base64.b64decode(\n "…, DeflateStream(new
// MemoryStream(Convert.FromBase64String("…, PowerShell's
// [Convert]::FromBase64String('…): only names, dots, brackets, opening
// parentheses, quotes and blanks between the two, within maxArgReach.
// Such a run is named as deflate by the code; any other run within reach
// of a call (a digest, an icon, a test vector beside a decompress( call:
// qa18 H6) is tried as deflate, but one that does not inflate is no
// gap, as a word that decodes to nothing is none.
func callArgument(d []byte, at, i int) bool {
	if i <= at || i-at > maxArgReach {
		return false
	}
	open := false
	for _, c := range d[at:i] {
		if !isWord(c) && strings.IndexByte(argGlue, c) < 0 {
			return false
		}
		open = open || c == '('
	}
	// The run stands inside the call's parentheses: a name followed by
	// a run on the next line (a class file's constant pool in a jar:
	// DeflateInputStream$DeflateStream, then Lorg/apache/…: qa19 H3)
	// is no call.
	return open
}

// decodedByName reports whether the run at i is a constant's value (NAME
// = "…", NAME =\n "…", NAME: "…") whose name a base64 decoder reads
// within d[lo:hi] (decode(NAME, b64decode(NAME, FromBase64String(NAME,
// DecodeString(NAME: base64Decoders):
// the blob a Java, Kotlin or C# program keeps apart from its inflate
// call and names there.
func decodedByName(d []byte, lo, hi, i int) bool {
	j := i
	for j > 0 && j > i-64 && strings.IndexByte(" \t\r\n\"'@$", d[j-1]) >= 0 {
		j--
	}
	if j == 0 || d[j-1] != '=' && d[j-1] != ':' {
		return false
	}
	j--
	for j > 0 && (d[j-1] == ' ' || d[j-1] == '\t') {
		j--
	}
	e := j
	for j > 0 && e-j < 64 && isWord(d[j-1]) {
		j--
	}
	if j == e {
		return false
	}
	name := d[j:e]
	for _, call := range base64Decoders {
		for k := lo; k < hi; {
			x := bytes.Index(d[k:hi], call)
			if x < 0 {
				break
			}
			k += x + len(call)
			if bytes.HasPrefix(d[k:hi], name) && (k+len(name) >= hi || !isWord(d[k+len(name)])) {
				return true
			}
		}
	}
	return false
}

// base64Decoders are the calls that decode base64 (Python's b64decode(,
// Java's decode(, C#'s FromBase64String(, Go's DecodeString(, Ruby's
// decode64() whose argument, a constant's name, decodedByName reads.
var base64Decoders = [][]byte{[]byte("decode("), []byte("Base64String("), []byte("DecodeString("), []byte("decode64(")}

// decoderArgument reports whether the run at i is the literal argument of
// Go's base64 DecodeString("…: near flate.NewReader the code names it as
// the stream (qa21 M5), as callArgument's and decodedByName's runs are. The
// other languages' decoders are not taken so: a Python file's b64decode
// of an icon near zlib.decompress( would be counted as a stream not
// decoded.
func decoderArgument(d []byte, i int) bool {
	j := i
	for j > 0 && i-j < 16 && strings.IndexByte(" \t\r\n\"`", d[j-1]) >= 0 {
		j--
	}
	return bytes.HasSuffix(d[:j], []byte("DecodeString("))
}

// argGlue are the bytes besides names that stand between a call and its
// argument's run.
const argGlue = ". \t\r\n\"'()[]:$@\\"

// maxArgReach bounds how far after a call its argument's run is looked
// for by callArgument.
const maxArgReach = 160

// zlibHead64 reports whether the base64 run at s opens with the base64 of
// a zlib head at level 1 or 9 (78 01: eAE to eAH; 78 da: eNo to eNr), which
// no anchor names: as fingerprints they let through thousands more places
// of every corpus (qa15 MEDIUM-8). A run the scan for secrets reads
// anyway, in its windows, longer than any credential, is tested for it
// (three bytes a run), and decodeBase64 reads it as a run an anchor names:
// zlib in a YAML value or JSON string near a keyword (a Kubernetes
// Secret's data:, a credentials setting), with no Python call near it.
func zlibHead64(d []byte, s int) bool {
	if s+3 > len(d) || d[s] != 'e' {
		return false
	}
	c := d[s+2]
	return d[s+1] == 'N' && 'o' <= c && c <= 'r' || d[s+1] == 'A' && 'E' <= c && c <= 'H'
}

// inflateRaw inflates the raw deflate stream a base64 span decodes to,
// within the budget and ratio a gzip stream in base64 has (gunzipScan),
// and scans what it gives. A span whose bytes are text or start with a
// head the other decoders know is left to them. named says the code names
// the span as deflate (callArgument): only then is a stream that does not
// inflate whole counted as not decoded, whether or not it gave text first.
func (m *match) inflateRaw(sp span, named bool) {
	if sp.n < 32 || !m.spendBytes(decodeStep, sp.n, m.decodeCost()) {
		return
	}
	dec := sp.decode(m.data, m.scratch.decoded)
	m.scratch.decoded = dec
	if k := archive.Detect(dec); k == archive.Zlib && dec[1] != 0x9c {
		m.embed(dec, sp.at(0), "base64") // a level no anchor names (78 01, 78 da: qa15 MEDIUM-8)
		return
	} else if mostlyText(dec) && utf8.Valid(dec) || k != archive.None || looksUTF16(dec) {
		// Text is left to the base64 reader. Not a stream that only
		// looks like text by its count of control bytes: a short text's
		// stream in fixed Huffman codes holds few, but its high bytes
		// are no UTF-8 (a credentials line read back by Go's
		// flate.NewReader: qa21 M5).
		return
	}
	if m.gzBuf == nil {
		m.gzBuf = make([]byte, 32<<10+spanChunk/4*3)
	}
	limit := min(m.left(), max(archive.DefaultMaxRatio*int64(len(dec)), gzipFloor))
	if limit <= 0 {
		m.undecoded++
		return
	}
	zr := flate.NewReader(bytes.NewReader(dec))
	out := inflate(zr, limit, m.gzBuf[:32<<10])
	var one [1]byte
	n, err := zr.Read(one[:])
	whole := n == 0 && err == io.EOF
	text := len(out) > 0 && mostlyText(out)
	switch {
	case text:
		if !m.charge(len(out)) {
			m.undecoded++
			return
		}
		if !whole && named {
			// cut by the bound, or corrupt past what it gave. A run the
			// code does not name as the stream is chance bytes that
			// began as a deflate block would (a class path beside a
			// DeflateStream in a jar: qa19 H3): what it gave is
			// scanned, its failure is no gap.
			m.undecoded++
		}
		m.scanDecoded(out, "base64+deflate", func(int) int { return sp.at(0) }, func(int) int { return sp.end })
	case whole && (archive.Detect(out) != archive.None || hasPrintableRun(out, 20)):
		m.embed(out, sp.at(0), "base64")
	case !whole && named:
		m.undecoded++ // no deflate, or a stream that does not inflate whole
	}
}

// zlibHex reads the hex run d[s:e] near a call that reads hex (Python's
// bytes.fromhex: zlib.decompress(bytes.fromhex("78…"))) as hex, when it is
// a zlib stream at any level (no hex of zlib's head is anchored: qa15
// MEDIUM-8): the stream is a member of the input, as an anchored one in
// base64 is.
func (m *match) zlibHex(s, e int) {
	d := m.data
	if (e-s)%2 != 0 || d[s] != '7' || d[s+1] != '8' || !m.spendBytes(decodeStep, e-s, m.decodeCost()) {
		return
	}
	dec := m.scratch.hexBuf((e - s) / 2)
	hexPairs(dec, d[s:e])
	if archive.Detect(dec) == archive.Zlib {
		m.embed(dec, s, "hex")
	}
}
