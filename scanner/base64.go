package scanner

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/binary"
	"io"
	"slices"

	"github.com/keyscan/keyscan/scanner/archive"
)

// decodeBase64 decodes the base64 runs the prefilter pointed at and scans
// what they hold, reporting findings at the encoded text. Runs wrapped at a
// fixed width (base64(1) wraps at 76, PEM at 64) are joined first.
//
// The spans' line lists and the decoded bytes are made in the scratch
// memory of the match, each over the last: text full of base64 anchors
// decodes a run a line, and nothing keeps the decoded bytes once their
// sub-scan is done (findings hold copies).
func (m *match) decodeBase64() {
	done := -1
	for _, at := range m.b64 {
		if at < done || m.spent() {
			continue
		}
		sp := b64Span(m.data, at, m.scratch.segs[:0])
		m.scratch.segs = sp.segs
		done = sp.end
		if sp.n < 24 {
			continue
		}
		if !m.spendBytes(decodeStep, sp.n, m.decodeCost()) {
			continue // the check budget is spent: counted (Counts.Unchecked)
		}
		var h [18]byte
		if isGzip(sp.head(m.data, &h)) {
			m.gunzipScan(sp)
			continue
		}
		dec := sp.decode(m.data, m.scratch.decoded)
		m.scratch.decoded = dec
		if !mostlyText(dec) || isPDF(dec) {
			if text, at := utf16LEText(dec); text != nil {
				// powershell -EncodedCommand: UTF-16LE in base64. Byte i
				// of the text is code unit i, at byte at+2i of dec.
				m.subScan(text, "base64+utf-16le",
					func(i int) int { return sp.at((at + 2*i) * 4 / 3) },
					func(e int) int { return min(sp.end, sp.raw(((at+2*e)*4+2)/3-1)+1) })
			} else {
				m.embed(dec, sp.at(0), "base64")
			}
			continue
		}
		m.subScan(dec, "base64",
			func(i int) int { return sp.at(i * 4 / 3) },
			func(e int) int { return min(sp.end, sp.raw((e*4+2)/3-1)+1) })
	}
}

// embed keeps dec, decoded from the run at offset off, which is no text:
// an archive or a compressed stream (archive.Detect), which the caller
// opens, or a binary file (a SQLite database in a ConfigMap's binaryData,
// credentials between NULs), which the caller reads as it reads a binary
// file, its printable runs (qa12 HIGH-5: it was dropped). Either way it is
// a member of the input (Counts.Embedded). Its bytes are charged to the
// decode budget; past the budget or maxEmbedded, the run is counted
// undecoded, never dropped. A binary without a run of printable bytes as
// long as a key ID holds nothing to find and is left.
func (m *match) embed(dec []byte, off int, encoding string) {
	if archive.Detect(dec) == archive.None && !hasPrintableRun(dec, 20) {
		return
	}
	if len(m.embedded) >= maxEmbedded+len(m.data)/embeddedEvery || !m.charge(len(dec)) {
		m.undecoded++
		return
	}
	m.embedded = append(m.embedded, Embedded{Data: bytes.Clone(dec), Offset: off, Encoding: encoding})
}

// keepPatch keeps decoded text dec that holds a git binary patch, from the
// run at offset off, for the caller to read its hunks (Embedded.Patch),
// within the same bound as embed's archives: past it, the run is counted
// undecoded.
func (m *match) keepPatch(dec []byte, off int, encoding string) {
	if len(m.embedded) >= maxEmbedded+len(m.data)/embeddedEvery {
		m.undecoded++
		return
	}
	m.embedded = append(m.embedded, Embedded{Data: bytes.Clone(dec), Offset: off, Encoding: encoding, Patch: true})
}

// mimePatch returns where the body of the MIME part whose header
// "Content-Transfer-Encoding: base64" stands at at begins, when that body
// is a patch in base64 (qa13 MEDIUM-1: a mail client attaches a .patch so),
// else -1. The body is the base64 run after the blank line that ends the
// part's header lines; it is a patch when its first line decodes to what
// git writes first: "From <commit>" (format-patch) or "diff --git". Its
// text is then decoded and scanned as an anchored run's is, and the files
// its binary hunks carry are read (Embedded.Patch); other parts (an image,
// a signature) are not decoded for this anchor.
func mimePatch(d []byte, at int) int {
	rest := d[at:min(len(d), at+mimeHeaderSpan)]
	i := bytes.Index(rest, []byte("\n\n"))
	if j := bytes.Index(rest, []byte("\n\r\n")); j >= 0 && (i < 0 || j < i) {
		i = j + 1
	}
	if i < 0 {
		return -1
	}
	b := at + i + 2
	e := b
	for e < len(d) && e-b < 76 && isB64(d[e]) {
		e++
	}
	n := (e - b) / 4 * 4
	if n < 16 {
		return -1
	}
	head := make([]byte, base64.StdEncoding.DecodedLen(n))
	k, err := base64.StdEncoding.Decode(head, d[b:b+n])
	if err != nil {
		return -1
	}
	head = head[:k]
	if bytes.HasPrefix(head, []byte("diff --git ")) || (bytes.HasPrefix(head, []byte("From ")) && len(head) >= 45 && isHexID(head[5:45])) {
		return b
	}
	return -1
}

// mimeHeaderSpan bounds how far past its Content-Transfer-Encoding line a
// MIME part's header lines are looked through for the blank line that
// ends them.
const mimeHeaderSpan = 1 << 10

// isHexID reports whether b is an object ID in lower-case hex.
func isHexID(b []byte) bool {
	for _, c := range b {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return len(b) > 0
}

// runHead reports whether the anchor of an archive in base64 or hex, the
// pattern text pat at at, stands where the archive's run starts, as an
// archive's head does (archive.Detect reads the decoded run from its
// start): the anchor's offset into the run back from at is the first
// character of a run of in. Where the anchor is the middle of some other
// run (a random token holding "eJw"), the run is not decoded for it. A
// tar's "ustar" is 344 characters into its run, which base64(1) wraps
// onto the fifth line, and a zip's local headers recur through it (the
// version 2.0 header of a member after a folder's 1.0 one, in hex): those
// are taken where they stand, as before.
func runHead(d []byte, pat string, at int, in func(byte) bool) bool {
	off := 0
	switch pat {
	case "FBWSZTW": // bzip2: "Qlpo" and the level, then the block magic
		off = 6
	case "c3RhcgAw", "c3RhciAg", "UEsDBBQ", "UEsDBAoAA", "UEsDBAoACA", "UEsDBC0AAAAI", "UEsDBC0ACAAI", "504B0304", "504b030414":
		return true
	}
	s := at - off
	return s >= 0 && (s == 0 || !in(d[s-1]))
}

// isPDF reports whether decoded bytes are a PDF, which is an archive of
// its streams (scanner/archive) even where its bytes are mostly text (a
// small file, its streams deflated): its text is in the streams, and the
// file's own bytes are read with them (content.Scan).
func isPDF(b []byte) bool {
	return bytes.HasPrefix(b, []byte("%PDF-")) && archive.Detect(b) == archive.Pdf
}

// hasPrintableRun reports whether b holds n printable ASCII characters in
// a row, as bytes or as UTF-16LE code units at either alignment, as the
// binary reader reads runs (binText.runs). A UTF-16 string after an odd
// number of bytes (a length byte, a one-byte header), or big-endian (which
// is little-endian one byte on), has no printable byte beside another:
// without the second count, base64 of such text was neither text nor kept,
// and its keys were passed over in silence.
//
// A run that long (15 bytes or more, or units) holds whole aligned words,
// every one of them ASCII (its printable bytes, or units with their zero
// bytes), and fewer than eight of its bytes stand before the first or
// after the last. So the words are tested first, eight bytes a step, and
// the bytes are read one by one only from eight before a word of ASCII
// to eight after it, each byte once, the count going on where two such
// stretches meet: every such run is read whole, and random binary (base64
// of a key file, of an image), with a word of ASCII in 256, is no longer
// read a byte a step (its 12 MiB were, Amplifiers/base64-one-line).
func hasPrintableRun(b []byte, n int) bool {
	if n < 15 {
		var r printableRuns
		return r.read(b, 0, len(b), n)
	}
	const reach = 8
	var r printableRuns
	done := 0 // the bytes before done are read, or need not be
	for i := 0; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			continue
		}
		s, e := max(done, i-reach), min(len(b), i+8+reach)
		if s > done {
			r = printableRuns{} // a stretch apart from the last one read
		}
		if r.read(b, s, e, n) {
			return true
		}
		done = e
	}
	return false
}

// printableRuns counts, reading b from a place on, the printable ASCII
// bytes in a row and the UTF-16LE units of them at each alignment
// (hasPrintableRun).
type printableRuns struct {
	run  int
	wide [2]int // the UTF-16LE runs whose units start at even and at odd offsets
}

// read goes on over b[s:e] (s where the last read stopped, or a fresh
// count) and reports whether a run reached n.
func (r *printableRuns) read(b []byte, s, e, n int) bool {
	for i := s; i < e; i++ {
		c := b[i]
		p := i & 1
		if c < 0x20 || c >= 0x7f {
			r.run, r.wide[p] = 0, 0
			continue
		}
		if r.run++; r.run >= n {
			return true
		}
		if i+1 < len(b) && b[i+1] == 0 {
			if r.wide[p]++; r.wide[p] >= n {
				return true
			}
		} else {
			r.wide[p] = 0
		}
	}
	return false
}

// looksUTF16 reports whether b starts as UTF-16 text: a byte order mark,
// or ASCII characters with a NUL beside each (little- or big-endian) in at
// least four of five of its first pairs.
func looksUTF16(b []byte) bool {
	if len(b) >= 2 && (b[0] == 0xff && b[1] == 0xfe || b[0] == 0xfe && b[1] == 0xff) {
		return true
	}
	n := min(len(b), 4096) &^ 1
	if n < 16 {
		return false
	}
	le, be := 0, 0
	for i := 0; i < n; i += 2 {
		switch {
		case b[i+1] == 0 && b[i] >= 0x09 && b[i] < 0x7f:
			le++
		case b[i] == 0 && b[i+1] >= 0x09 && b[i+1] < 0x7f:
			be++
		}
	}
	return max(le, be)*5 >= n/2*4
}

// maxEmbedded bounds the archives one input's encoded runs give, and one
// more for every embeddedEvery bytes of it: a bindata.go holds an asset
// for every kilobyte or two (its gzip as escapes and an accessor), and a
// thousand migrations are one file.
const (
	maxEmbedded   = 64
	embeddedEvery = 1 << 10
)

// subScan scans decoded text and adds its findings at the encoded text:
// start maps the offset of a value's first decoded byte to the data, end the
// offset just past its last.
func (m *match) subScan(dec []byte, encoding string, start, end func(int) int) {
	if !m.charge(len(dec)) {
		m.undecoded++ // the budget is spent: said, never silent (Counts.Undecoded)
		return
	}
	m.scanDecoded(dec, encoding, start, end)
}

// scanDecoded is subScan of bytes the budget was charged for already.
// The decoded text is read as if it held no keyscan:allow directive: a
// comment there is in no text a review reads (a diff shows the encoded
// run), as in an archive's member (qa12 MEDIUM-10). A directive on the
// encoded run's own line still counts (finish applies it at the run).
func (m *match) scanDecoded(dec []byte, encoding string, start, end func(int) int) {
	m.scanSub(dec, encoding, "", start, end)
}

// subScanAs is subScan of decoded text that is code of another kind than
// the input: read as a file named like as is (its kind, whether it joins
// literals), its findings still the input's.
func (m *match) subScanAs(dec []byte, encoding, as string, start, end func(int) int) {
	if !m.charge(len(dec)) {
		m.undecoded++
		return
	}
	m.scanSub(dec, encoding, as, start, end)
}

// scanSub scans decoded text in a match of its own, read as the input is
// or, when as is not empty, as a file of that name is.
func (m *match) scanSub(dec []byte, encoding, as string, start, end func(int) int) {
	if m.turnedDown == nil {
		m.turnedDown = map[string]struct{}{}
	}
	m.resolve() // the budget is shared: counted with this match's masks
	memo := len(dec) <= maxMemoText
	if memo {
		for _, e := range m.subMemo[string(dec)] { // the conversion makes no string
			if e.depth == m.depth && e.joins == m.joins && e.as == as {
				m.looked += e.looked
				m.unlisted += e.unlisted
				m.undecoded += e.undecoded
				return
			}
		}
	}
	sub := m.s.pooledMatch()
	*sub = match{s: m.s, name: m.name, data: dec, depth: m.depth + 1, joins: m.joins, turnedDown: m.turnedDown,
		limit: m.limit, cut: len(dec), noDirectives: true, budget: m.budget, work: m.work, subMemo: m.subMemo}
	defer sub.recycle()
	var unchecked int
	if m.work != nil {
		unchecked = m.work.unchecked
	}
	if as != "" {
		sub.kind, sub.kindKnown = Classify(as, dec), true
		sub.joins = 1
		if concatenates(as) {
			sub.joins = 2
		}
	}
	sub.borrow()
	sub.run()
	sub.resolve()
	sub.release()
	m.looked += sub.looked
	m.unlisted += sub.unlisted
	m.undecoded += sub.undecoded
	if memo && !sub.gitPatch && len(sub.embedded) == 0 && len(sub.out) == 0 && len(m.subMemo) < maxMemoTexts &&
		(m.work == nil || m.work.unchecked == unchecked) {
		// found nothing, and was read whole: the same text again finds
		// nothing again
		if m.subMemo == nil {
			m.subMemo = map[string][]subDone{}
		}
		m.subMemo[string(dec)] = append(m.subMemo[string(dec)], subDone{as, m.depth, m.joins, sub.looked, sub.unlisted, sub.undecoded})
	}
	if sub.gitPatch {
		m.keepPatch(dec, start(0), encoding)
	}
	for _, e := range sub.embedded {
		e.Offset = start(e.Offset)
		e.Encoding = encoding + "+" + e.Encoding
		m.embedded = append(m.embedded, e)
	}
	for _, f := range sub.out {
		f.Offset, f.EndOffset = start(f.Offset), end(f.EndOffset)
		f.Encoding = joinEncodings(encoding, f.Encoding)
		// Pair links stay valid: fingerprints do not depend on position.
		m.add(f)
	}
}

// A decoded text that comes again (the same base64 token on every line
// of a log or a fixture, issue 16's near misses) is scanned once: a
// sub-scan reads nothing but its text, so with the same text, depth and
// reading (as, joins) it finds what it found before. Only the sub-scans
// that found nothing, were read whole (no check-budget gap) and decoded no
// archive or patch are remembered, with the counts they added, which the
// memo adds again. The texts are kept whole, not hashed: a collision would
// hide a key. Up to maxMemoTexts of them, each up to maxMemoText bytes.
const (
	maxMemoText  = 1 << 10
	maxMemoTexts = 256
)

// subDone is a sub-scan subMemo remembers: how its text was read (as,
// at what depth, joins) and the counts it added to its parent's.
type subDone struct {
	as                          string
	depth                       int
	joins                       uint8
	looked, unlisted, undecoded int
}

// decodeBudget is how many decoded bytes the sub-scans of an input may
// scan in all, at every level: a multiple of the input and a floor for
// short inputs. Base64 alone cannot reach it (each level is three quarters
// of the one above at most); it bounds the decoders that expand.
func decodeBudget(n int) int { return 4*n + 1<<20 }

// utf16LEText returns decoded bytes that are UTF-16LE text (an optional
// byte order mark, then nearly every second byte 0) as one byte per code
// unit, and where the first unit starts: ASCII stays, every other unit is
// '?', which no key holds, so positions stay one for one. Other bytes give
// nil, and b as it was. The text is written over b's head, in place (a
// unit's byte i is never after its bytes 2i and 2i+1): a run may be the
// whole input, and a copy of its text was memory of half its size made
// for every such run. It is made only once the units were counted (four
// at a time): enough of them zero, and the text they make mostlyText.
func utf16LEText(b []byte) ([]byte, int) {
	at := 0
	if len(b) >= 2 && b[0] == 0xff && b[1] == 0xfe {
		at = 2
	}
	n := (len(b) - at) / 2
	if n < 20 {
		return nil, 0
	}
	u := b[at : at+2*n]
	zeros, bad, i := 0, 0, 0
	for ; i+8 <= len(u); i += 8 {
		w := binary.LittleEndian.Uint64(u[i:])
		if w&0xff80ff80ff80ff80 == 0 { // four ASCII units
			zeros += 4
			bad += int(controlByte[byte(w)] + controlByte[byte(w>>16)] + controlByte[byte(w>>32)] + controlByte[byte(w>>48)])
			continue
		}
		if (zeros+n-i/2)*10 < n*9 {
			// even if every unit left were zero, too few would be:
			// binary (random bytes) is turned down without reading it
			// all (Amplifiers/base64-one-line)
			return nil, 0
		}
		for j := i; j < i+8; j += 2 {
			if u[j+1] == 0 {
				zeros++
				if u[j] < 0x80 {
					bad += int(controlByte[u[j]])
				}
			}
		}
	}
	for j := i; j < len(u); j += 2 {
		if u[j+1] == 0 {
			zeros++
			if u[j] < 0x80 {
				bad += int(controlByte[u[j]])
			}
		}
	}
	if zeros*10 < n*9 || bad*20 >= n {
		return nil, 0
	}
	for i := range n {
		lo, hi := u[2*i], u[2*i+1]
		if hi != 0 || lo >= 0x80 {
			lo = '?'
		}
		b[i] = lo
	}
	return b[:n], at
}

// isGzip reports whether b opens with a gzip header (RFC 1952: magic,
// deflate).
func isGzip(b []byte) bool { return len(b) >= 18 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8 }

// gunzipScan inflates a gzip stream decoded from the base64 run sp and
// scans its text; findings point at the whole run (a position inside
// compressed data names no character of the run). The output is bounded
// by what is left of the input's budget and by archive.DefaultMaxRatio
// times the stream (above a floor of gzipFloor), as archives are: a bomb
// inflates that far and no further, and what it gave is scanned.
//
// Output that is not text is not scanned, so it is not charged as scanned
// text is: inflating stops as soon as enough control bytes came out that
// the whole could not be text (mostlyText), and what was inflated is
// charged at a sixteenth, for the inflating alone: a bomb of zeros takes
// at most 1/320 of its limit, so two of them no longer spend a small
// file's budget (qa10 HIGH-3), while the inflating of a file stays bounded
// by sixteen times its budget, linear in the input. A stream
// the budget has no room for, and text cut short by the budget or the
// ratio, are counted (undecoded): a key after the cut is not known. Text
// bombs can still spend the budget (text is scanned, and charged as such),
// but never silently.
//
// The stream is decoded from the run as it is inflated (spanReader): a
// bomb's run may be the whole file, and only its first kilobytes are
// read before the output reaches its bound.
func (m *match) gunzipScan(sp span) {
	left := m.left()
	limit := min(left, max(archive.DefaultMaxRatio*int64(sp.decodedLen()), gzipFloor))
	// The check budget bounds the inflating too (inflateStep): past what
	// it holds, the rest of the stream is counted unchecked.
	byWork := false
	if w := m.workLeft(); w >= 0 && int64(w/inflatedByteCost) < limit {
		limit, byWork = int64(w/inflatedByteCost), true
	}
	if m.gzBuf == nil {
		m.gzBuf = make([]byte, 32<<10+spanChunk/4*3)
	}
	gz := newSpanReader(m.data, sp, m.gzBuf[32<<10:])
	var err error
	if m.gz == nil {
		m.gz, err = gzip.NewReader(gz)
	} else {
		err = m.gz.Reset(gz)
	}
	if err != nil {
		m.undecoded++ // a gzip head that does not read: said, never silent
		return
	}
	zr := m.gz
	if limit <= 0 {
		if byWork {
			m.work.unchecked++ // the check budget is spent
		} else {
			m.undecoded++
		}
		return
	}
	m.spendBytes(inflateStep, 0, 0)
	out := inflate(zr, limit, m.gzBuf[:32<<10])
	m.costBytes(len(out), inflatedByteCost)
	text := len(out) > 0 && mostlyText(out)
	cost := len(out)
	if !text {
		cost = (len(out) + 15) / 16
	}
	m.charge(cost) // fits: out is no longer than what is left
	var one [1]byte
	if !text {
		// A tar.gz: the stream is an archive member of the input. So is
		// other data that may hold text: UTF-16 (PowerShell's and .NET's
		// strings, which a GZipStream compresses), or a binary file
		// with printable runs (a SQLite database): the archive reader
		// reads a gzip member as it reads a .gz file, as UTF-16 or for
		// its printable runs (qa15 HIGH-15). Zeros are not.
		if archive.Detect(out) != archive.None || hasPrintableRun(out, 20) || looksUTF16(out) {
			m.scratch.decoded = sp.decode(m.data, m.scratch.decoded)
			m.embed(m.scratch.decoded, sp.at(0), "base64")
		} else if n, err := zr.Read(one[:]); n > 0 || err != io.EOF {
			// The stream goes on past what was inflated (stopped as data,
			// cut by the budget or the ratio: zeros, then who knows
			// what: qa15 HIGH-22), or the run ends before it does (one
			// unjoined line of a wrapped run holds a gzip's head and a
			// few bytes: qa15 HIGH-11): said, never silent.
			if n > 0 && byWork && int64(len(out)) == limit {
				m.work.unchecked++
			} else {
				m.undecoded++
			}
		}
		return
	}
	if int64(len(out)) == limit {
		// Cut by the budget or the ratio, as an archive level is: text
		// after the cut is not scanned, and that is said.
		if n, _ := zr.Read(one[:]); n > 0 {
			if byWork {
				m.work.unchecked++ // the check budget cut it
			} else {
				m.undecoded++
			}
		}
	} else if _, err := zr.Read(one[:]); err != io.EOF {
		// The run ends before the stream does (a payload cut, lines the
		// span did not join), or the stream is corrupt: what it gave is
		// scanned, and the rest is said (qa14 HIGH-5).
		m.undecoded++
	}
	if archive.Detect(out) != archive.None {
		// Text that is also a format the archive reader opens (a PDF
		// written without compressed streams: qa15 HIGH-15) is opened
		// as well, as the same .pdf.gz file is.
		m.scratch.decoded = sp.decode(m.data, m.scratch.decoded)
		m.embed(m.scratch.decoded, sp.at(0), "base64")
	}
	m.scanDecoded(out, "base64+gzip", func(int) int { return sp.at(0) }, func(int) int { return sp.end })
}

// gzipFloor is the output a gzip stream in base64 may always inflate to,
// whatever its ratio (within the budget).
const gzipFloor = 1 << 20

// inflate reads r up to limit bytes, stopping early once the output holds
// so many control bytes that no output up to limit could be mostlyText:
// a bomb of zeros ends after a twentieth of the limit. A cut or corrupt
// stream gives what it gave. What follows the point it stopped at is not
// read: the caller counts such a stream (qa15 HIGH-22: 64 KiB of NULs hid
// the credentials after them).
func inflate(r io.Reader, limit int64, buf []byte) []byte {
	var (
		out bytes.Buffer
		bad int64
	)
	for int64(out.Len()) < limit {
		n, err := r.Read(buf[:min(int64(len(buf)), limit-int64(out.Len()))])
		for _, c := range buf[:n] {
			bad += int64(controlByte[c])
		}
		out.Write(buf[:n])
		if bad*20 >= limit || err != nil {
			break
		}
	}
	return out.Bytes()
}

// left is how many decoded bytes the budget of the input still holds.
func (m *match) left() int64 {
	if m.budget == nil {
		b := decodeBudget(len(m.data))
		m.budget = &b
	}
	return int64(*m.budget)
}

// charge takes n decoded bytes from the budget of the input (made on first
// use, from the size of the input at the top) and reports whether they fit.
func (m *match) charge(n int) bool {
	if int64(n) > m.left() {
		return false
	}
	*m.budget -= n
	return true
}

// span is a base64 text: where its characters stand in the data. A run
// on one line is one seg; a wrapped one has a seg for each line (where
// its characters start), every line but the last a multiple of four
// characters long, so that each line decodes on its own (decode): the
// lines are never joined in a copy.
type span struct {
	segs  []seg
	n     int // characters
	end   int // raw end, past any padding
	chain int // in a chain of literals: 1 + where its first literal opens; else 0
	// gathered marks a run whose segs are of any length, so that its
	// characters are gathered before they are decoded: one read through
	// JSON's \/ escapes (slashRun), or a chain of literals of a width
	// that is no multiple of four (b64Span).
	gathered bool
}

type seg struct{ char, raw int } // character index, its offset in the data

// at is where a value decoded from character i is reported: at the
// character, or, for a run read from a chain of literals, at the chain's
// first literal, where go vet reports the constant folding assembles
// (qa14 HIGH-11: scan and vet report it once, at one place).
func (s span) at(i int) int {
	if s.chain > 0 {
		return s.chain - 1
	}
	return s.raw(i)
}

func (s span) raw(i int) int {
	i = min(max(i, 0), s.n-1)
	j := len(s.segs) - 1
	for j > 0 && s.segs[j].char > i {
		j--
	}
	return s.segs[j].raw + i - s.segs[j].char
}

func isB64(c byte) bool { return notSecret[c] == 0 } // A-Za-z0-9+/, as isSecretChar

// b64Span returns the base64 text around position at. A run whose lines all
// have the same length (a multiple of four, 60 or more) continues on the next
// line, after any indentation; the last line may be shorter. The span's
// segs are appended to segs.
func b64Span(d []byte, at int, segs []seg) span {
	s, e := b64RunStart(d, at), b64RunEnd(d, at)
	if us, ue, ok := urlRun(d, s, e); ok {
		sp := span{segs: append(segs, seg{0, us}), n: ue - us, end: ue}
		for sp.end < len(d) && d[sp.end] == '=' {
			sp.end++
		}
		return sp
	}
	if sp, ok := slashRun(d, s, e, segs); ok {
		return sp
	}
	s = min(escLineStart(d, s), at)
	s0 := s // the run [s0, e) is read: its line is not read again below
	width := e - s
	wrapped := width >= 60 && width%4 == 0
	q := quoteOf(d, s)
	lit := literalRun(d, s, e)
	esc := escBreakBefore(d, s) >= 0 || escBreakAfter(d, e) >= 0
	// A chain of literals of another width (a line-length limit, Python's
	// textwrap, a hand split: qa18 H1) is one run too, its characters
	// gathered before they are decoded, since a literal then ends inside
	// a group of four.
	gathered := false
	if !wrapped && lit != 0 && !esc && width >= minGatherWidth {
		_, _, before := prevLiteralRun(d, s, lit)
		_, after := nextLiteralRun(d, e, lit)
		wrapped, gathered = before || after, before || after
	} else if !wrapped && lit == 0 && width >= minNarrowWidth {
		// Lines narrower than 60, or of a width that is no multiple of
		// four (base64 -w 16, -w 50): one run too, its characters
		// gathered, so that a short first line still shows a gzip's head.
		wrapped, gathered = true, true
	}
	// Walk back over full lines (or literals) of the same width.
	for wrapped {
		ps, pe, ok := q.prev(d, s)
		switch {
		case esc:
			ps, pe, ok = prevEscRun(d, s)
		case lit != 0:
			ps, pe, ok = prevLiteralRun(d, s, lit)
		}
		if !ok || pe-ps != width {
			break
		}
		s = ps
	}
	sp := span{segs: segs}
	ls, le := s, s
	for {
		if le = e; ls != s0 {
			le = b64RunEnd(d, ls)
		}
		sp.segs = append(sp.segs, seg{sp.n, ls})
		sp.n += le - ls
		if !wrapped || le-ls != width {
			break
		}
		ns, ok := q.next(d, le)
		switch {
		case esc:
			ns = escBreakAfter(d, le)
			ok = ns >= 0 && ns < len(d) && isB64(d[ns])
		case lit != 0:
			ns, ok = nextLiteralRun(d, le, lit)
		}
		if !ok {
			break
		}
		ls = ns
	}
	sp.end = le
	for sp.end < len(d) && d[sp.end] == '=' {
		sp.end++
	}
	if lit != 0 && len(sp.segs) > 1 {
		sp.chain = 1 + chainHead(d, s-1)
	}
	sp.gathered = gathered && len(sp.segs) > 1
	return sp
}

// minGatherWidth is the narrowest literal of a chain b64Span reads as
// one run when its width is no multiple of four.
const minGatherWidth = 32

// minNarrowWidth is the narrowest line of a wrapped run b64Span joins to
// its neighbours (base64 -w 16) when it is narrower than minWrapWidth or
// of a width that is no multiple of four: each line alone may hold no
// whole key ID, and none the names around it.
const minNarrowWidth = 16

// slashRun returns the run around the run [s, e) that JSON's \/ escapes
// cut (qa16 MEDIUM-7: PHP's json_encode and Java's org.json write every /
// of a string so, and a gzip stream's base64 holds many): the runs on
// either side of each \ before a /, read as one, the / a character of the
// run after it. ok is false where no such escape touches [s, e).
func slashRun(d []byte, s, e int, segs []seg) (span, bool) {
	after := func(e int) bool { return e+2 < len(d) && d[e] == '\\' && d[e+1] == '/' }
	before := func(s int) bool { return s >= 2 && d[s] == '/' && d[s-1] == '\\' && isB64(d[s-2]) }
	if !after(e) && !before(s) {
		return span{}, false
	}
	for before(s) {
		s = b64RunStart(d, s-2)
	}
	sp := span{segs: segs, gathered: true}
	for ls := s; ; {
		le := b64RunEnd(d, ls)
		sp.segs = append(sp.segs, seg{sp.n, ls})
		sp.n += le - ls
		sp.end = le
		if !after(le) {
			break
		}
		ls = le + 1
	}
	for sp.end < len(d) && d[sp.end] == '=' {
		sp.end++
	}
	return sp, true
}

// gather appends the span's first n characters to buf, joined.
func (s span) gather(d, buf []byte, n int) []byte {
	for i, g := range s.segs {
		e := s.n
		if i+1 < len(s.segs) {
			e = s.segs[i+1].char
		}
		e = min(e, n)
		if e <= g.char {
			break
		}
		buf = append(buf, d[g.raw:g.raw+e-g.char]...)
	}
	return buf
}

// urlRun returns the base64url run (RFC 4648's URL alphabet, - and _ for
// + and /: Python's urlsafe_b64encode, Go's URLEncoding, JWTs, cookies)
// around the standard run [s, e), when the standard run is a piece of
// one: qa15 MEDIUM-4, a gzip's base64url ended at its first - or _, a few
// dozen characters in, too short to tell or count. The standard run must
// hold no + or / and be cut by a - or _ on its right, or start a multiple
// of four characters into the URL run (so that the URL run decodes the
// standard run's bytes as they were: "name_QUtJ…" decodes as before), and
// neither end of the URL run may touch a + or /: mixed alphabets are
// neither. Its characters decode as the standard ones do (b64Value
// gives - and _ the values of + and /).
func urlRun(d []byte, s, e int) (int, int, bool) {
	cutRight := e+1 < len(d) && (d[e] == '-' || d[e] == '_') && isURLB64(d[e+1])
	cutLeft := s > 1 && (d[s-1] == '-' || d[s-1] == '_') && isURLB64(d[s-2])
	if !cutRight && !cutLeft {
		return 0, 0, false
	}
	us, ue := classRunStart(d, s, &notURLB64), e
	for ue < len(d) && notURLB64[d[ue]] == 0 {
		ue++
	}
	if bytes.IndexAny(d[s:e], "+/") >= 0 || us > 0 && (d[us-1] == '+' || d[us-1] == '/') ||
		ue < len(d) && (d[ue] == '+' || d[ue] == '/') || !cutRight && (s-us)%4 != 0 {
		return 0, 0, false
	}
	return us, ue, true
}

// notURLB64 marks the bytes that are not base64url characters
// (A-Za-z0-9-_).
var notURLB64 = func() (t [256]uint8) {
	for c := range 256 {
		if !isURLB64(byte(c)) {
			t[c] = 1
		}
	}
	return t
}()

func isURLB64(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// Escaped line breaks: base64 wrapped in lines (base64(1), Python's
// encodebytes, Ruby's encode64, Java's MIME encoder) and then written into
// a JSON or YAML string, or a source literal (jq --arg, json.dumps, repr,
// %q, JSON.stringify), has its line breaks as escapes: "…\n…\n", "\r\n",
// "\u000a", or escaped twice ("\\n"). Its lines are read as the lines
// of one run, as real ones are (qa15 HIGH-8: each escape ended the run, and
// no line holds a whole key). The n of an escape is a base64 character, so
// a line's run as classRunStart finds it starts with it (escLineStart).

// escLineStart returns where the base64 of a line starts when its run,
// found from s back, opens with the letters of an escaped line break
// ("\n", "\u000a"), or s.
func escLineStart(d []byte, s int) int {
	if s == 0 || d[s-1] != '\\' {
		return s
	}
	if k := escNewline(d, s); k > s {
		return k
	}
	return s
}

// escNewline returns where the letters of an escaped line break end that
// start at i, after its backslashes ("n", "u000a" in either case), or i.
func escNewline(d []byte, i int) int {
	switch {
	case i < len(d) && d[i] == 'n':
		return i + 1
	case i+5 <= len(d) && string(d[i:i+4]) == "u000" && d[i+4]|0x20 == 'a':
		return i + 5
	}
	return i
}

// escBreakAfter returns where the escaped line break that starts at i ends
// (an optional carriage return, then one line break, each one to four
// backslashes and its letters), or -1.
func escBreakAfter(d []byte, i int) int {
	slashes := func(i int) int {
		j := i
		for j < len(d) && j-i < 4 && d[j] == '\\' {
			j++
		}
		return j
	}
	j := slashes(i)
	if j == i {
		return -1
	}
	switch {
	case j < len(d) && d[j] == 'r':
		j = slashes(j + 1)
	case j+5 <= len(d) && string(d[j:j+4]) == "u000" && d[j+4]|0x20 == 'd':
		j = slashes(j + 5)
	}
	if k := escNewline(d, j); k > j && d[j-1] == '\\' {
		return k
	}
	return -1
}

// escBreakBefore returns where the escaped line break that ends at s
// starts (escBreakAfter read back), or -1.
func escBreakBefore(d []byte, s int) int {
	if s < 2 || (d[s-1] != 'n' && d[s-1]|0x20 != 'a') {
		return -1
	}
	at := -1
	for b := s - 2; b >= 0 && b >= s-16; b-- {
		if d[b] == '\\' && (b == 0 || d[b-1] != '\\') && escBreakAfter(d, b) == s {
			at = b // the earliest: "\r\n" rather than its "\n"
		}
	}
	return at
}

// prevEscRun returns the base64 run that fills the line before the one
// starting at s, when an escaped line break stands between them.
func prevEscRun(d []byte, s int) (int, int, bool) {
	pe := escBreakBefore(d, s)
	if pe <= 0 {
		return 0, 0, false
	}
	ps := escLineStart(d, b64RunStart(d, pe))
	return ps, pe, ps < pe
}

// literalRun returns the quote of the string literal whose whole body is
// the base64 run data[s:e], or 0. Generated code and embedded assets cut a
// base64 text into literals of one width joined as the language joins
// them (qa14 HIGH-11): JavaScript's and Go's "…" + lines, Python's and C's
// adjacent literals, a JSON list of lines. Such literals are read as the
// lines of one run, as bare lines are: each full one fills its literal.
func literalRun(d []byte, s, e int) byte {
	if s == 0 || e >= len(d) || !isQuote(d[s-1]) || d[e] != d[s-1] {
		return 0
	}
	return d[e]
}

// nextLiteralRun returns where the body of the literal after the one
// whose body ends at e (before its closing quote c) starts, when it is
// joined to it (nextLiteral: a +, another literal) or follows it in a
// list (a comma), opens with the same quote and starts with base64.
func nextLiteralRun(d []byte, e int, c byte) (int, bool) {
	if e >= len(d) || d[e] != c {
		return 0, false
	}
	k, ok := nextLiteral(d, e+1)
	if !ok {
		j := skipBlanks(d, e+1)
		if j >= len(d) || d[j] != ',' {
			return 0, false
		}
		k = skipBlanks(d, j+1)
	}
	if k+1 >= len(d) || d[k] != c {
		return 0, false
	}
	return k + 1, isB64(d[k+1])
}

// prevLiteralRun returns the base64 body of the literal before the one
// whose body starts at s (after its opening quote c), when the two are
// joined or listed as nextLiteralRun reads them: a +, a comma or only
// blanks between, and a body that fills its literal.
func prevLiteralRun(d []byte, s int, c byte) (int, int, bool) {
	j := s - 1
	for k := 0; k < 2; k++ {
		for j > 0 && j > s-256 && (d[j-1] == ' ' || d[j-1] == '\t' || d[j-1] == '\r' || d[j-1] == '\n') {
			j--
		}
		if k == 0 && j > 0 && (d[j-1] == '+' || d[j-1] == ',') {
			j--
		}
	}
	if j < 2 || d[j-1] != c {
		return 0, 0, false
	}
	e := j - 1
	b := b64RunStart(d, e)
	return b, e, b < e && b > 0 && d[b-1] == c
}

// chainHead returns where the chain of literals opens whose literal
// opens at q: q, or an empty literal joined before it (Go's "" + "…" +,
// which opens the constant go vet reports).
func chainHead(d []byte, q int) int {
	for {
		j := q
		for j > 0 && q-j < 256 && (d[j-1] == ' ' || d[j-1] == '\t' || d[j-1] == '\r' || d[j-1] == '\n') {
			j--
		}
		if j > 0 && d[j-1] == '+' {
			for j--; j > 0 && q-j < 256 && (d[j-1] == ' ' || d[j-1] == '\t' || d[j-1] == '\r' || d[j-1] == '\n'); j-- {
			}
		}
		if j < 2 || !isQuote(d[j-1]) || d[j-2] != d[j-1] {
			return q
		}
		q = j - 2
	}
}

// decode decodes the span's characters in d, less a last lone character,
// into buf (grown as needed), line by line, and returns the decoded bytes.
// A run read through \/ escapes is gathered first, into buf's memory past
// the decoded bytes, so that the caller's scratch buffer serves both
// (review15 A-7: each decode allocated the run's characters).
func (s span) decode(d, buf []byte) []byte {
	n := s.n
	if n%4 == 1 {
		n--
	}
	size := s.decodedLen()
	if s.gathered {
		buf = slices.Grow(buf[:0], size+n)[:size+n]
		return buf[:decodeB64(buf[:size], s.gather(d, buf[size:size], n))]
	}
	dec := slices.Grow(buf[:0], size)[:size]
	k := 0
	for i, g := range s.segs {
		e := n
		if i+1 < len(s.segs) {
			e = s.segs[i+1].char
		}
		if e <= g.char {
			break
		}
		k += decodeB64(dec[k:], d[g.raw:g.raw+e-g.char])
	}
	return dec[:k]
}

// decodedLen is how many bytes the span decodes to.
func (s span) decodedLen() int {
	return s.n/4*3 + max(0, s.n%4-1)
}

// head decodes the span's first 24 characters (every span decoded has as
// many on its first line), enough to tell a gzip stream (isGzip), into h,
// the caller's: a local array returned moved to the heap at every span.
func (s span) head(d []byte, h *[18]byte) []byte {
	if s.n < 24 || s.segs[0].char != 0 {
		return nil
	}
	if s.gathered {
		var chars [24]byte // on the stack: no allocation a run (review15 A-7)
		decodeB64(h[:], s.gather(d, chars[:0], 24))
		return h[:]
	}
	at := s.segs[0].raw
	if len(s.segs) > 1 && s.segs[1].char < 24 {
		return nil
	}
	decodeB64(h[:], d[at:at+24])
	return h[:]
}

// prevLineRun returns the base64 run that fills the line before the one
// starting its run at s.
func prevLineRun(d []byte, s int) (int, int, bool) {
	i := s
	for i > 0 && (d[i-1] == ' ' || d[i-1] == '\t') {
		i--
	}
	if i == 0 || d[i-1] != '\n' {
		return 0, 0, false
	}
	b, e := runBefore(d, i)
	return b, e, b < e
}

// runBefore returns the base64 run that ends the line before the one that
// starts at i (after a '\n').
func runBefore(d []byte, i int) (int, int) {
	e := i - 1
	if e > 0 && d[e-1] == '\r' {
		e--
	}
	for e > 0 && (d[e-1] == ' ' || d[e-1] == '\t') {
		e-- // blanks that end the line (an editor's, a mailer's: qa14 HIGH-18)
	}
	b := b64RunStart(d, e)
	return b, e
}

// quote is what stands before the runs of a wrapped base64 text on each of
// its lines, when that is not indentation: a comment's "# " or "// " (an
// installer carrying its payload as comments, unpacked with sed 's/^# //'),
// a mail reply's "> " (qa14 HIGH-5). Each line of such a text is read
// with its neighbours as bare lines are, when they carry the same quote;
// an empty quote is indentation, any blanks, as before.
type quote []byte

// maxQuote bounds a quote: longer, what stands before a run is a line's
// own text (a key and its "= "), not one every line repeats.
const maxQuote = 16

// quoteOf returns the quote before the run starting at s: the bytes from
// the start of its line, when they are not only blanks.
func quoteOf(d []byte, s int) quote {
	i := s
	for i > 0 && d[i-1] != '\n' && s-i <= maxQuote {
		i--
	}
	if i > 0 && d[i-1] != '\n' || len(bytes.Trim(d[i:s], " \t")) == 0 || bytes.IndexByte(d[i:s], '\r') >= 0 {
		return nil
	}
	return quote(d[i:s])
}

// prev is prevLineRun for lines that carry the quote q: the run of the
// line before fills it after the same quote.
func (q quote) prev(d []byte, s int) (int, int, bool) {
	if len(q) == 0 {
		return prevLineRun(d, s)
	}
	i := s - len(q)
	if i <= 0 || d[i-1] != '\n' {
		return 0, 0, false
	}
	b, e := runBefore(d, i)
	ls := b - len(q)
	if ls < 0 || ls > 0 && d[ls-1] != '\n' || !bytes.Equal(d[ls:b], q) {
		return 0, 0, false
	}
	return b, e, b < e
}

// next is nextLineRun for lines that carry the quote q.
func (q quote) next(d []byte, e int) (int, bool) {
	if len(q) == 0 {
		return nextLineRun(d, e)
	}
	i := lineEnd(d, e)
	if i >= len(d) || d[i] != '\n' || !bytes.HasPrefix(d[i+1:], q) {
		return 0, false
	}
	i += 1 + len(q)
	return i, i < len(d) && isB64(d[i])
}

// lineEnd returns where the '\n' after a run that ends at e stands, past
// blanks that end the line (an editor's, a mailer's: qa14 HIGH-18) and a
// '\r', or where something else does.
func lineEnd(d []byte, e int) int {
	i := e
	for i < len(d) && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	if i < len(d) && d[i] == '\r' {
		i++
	}
	return i
}

// nextLineRun returns where the base64 run on the next line starts.
func nextLineRun(d []byte, e int) (int, bool) {
	i := lineEnd(d, e)
	if i >= len(d) || d[i] != '\n' {
		return 0, false
	}
	i++
	for i < len(d) && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	return i, i < len(d) && isB64(d[i])
}

// decodeB64 decodes the base64 characters b (only those: b64Span reads
// no other) into dst, which has room for them, and returns how many bytes
// it wrote. A last group of two or three characters gives one or two
// bytes; its spare bits are dropped, as encoding/base64's non-strict
// decoding drops them. A top-level run may be the whole input, so eight
// characters are decoded at a time from a table (about three times
// encoding/base64's speed: that one tests every byte for padding, line
// ends and errors, which a span cannot hold).
func decodeB64(dst, b []byte) int {
	k, i := 0, 0
	if haveRunKernel && len(b) >= 64 && len(dst) >= 32 {
		// 32 characters in about twenty instructions, where the loop
		// below takes sixty for eight. Block j writes dst[24j:24j+32].
		blocks := min(len(b)/32, (len(dst)-32)/24+1)
		decodeB64AVX2(&dst[0], &b[0], blocks)
		i, k = 32*blocks, 24*blocks
		// The groups left (a line of 76 holds 12 characters past its two
		// blocks) are the end of one more block that starts on a group
		// before them: decoded again, its groups give the same bytes.
		if g := len(b) &^ 3; g > i && (g-32)/4*3+32 <= len(dst) {
			decodeB64AVX2(&dst[(g-32)/4*3], &b[g-32], 1)
			i, k = g, g/4*3
		}
	}
	for ; i+8 <= len(b) && k+8 <= len(dst); i, k = i+8, k+6 {
		c := b[i : i+8 : i+8]
		hi := b64Shifted[0][c[0]] | b64Shifted[1][c[1]] | b64Shifted[2][c[2]] | b64Shifted[3][c[3]]
		lo := b64Shifted[0][c[4]] | b64Shifted[1][c[5]] | b64Shifted[2][c[6]] | b64Shifted[3][c[7]]
		binary.BigEndian.PutUint64(dst[k:], uint64(hi)<<40|uint64(lo)<<16)
	}
	for ; i+4 <= len(b); i, k = i+4, k+3 {
		v := uint32(b64Value[b[i]])<<18 | uint32(b64Value[b[i+1]])<<12 | uint32(b64Value[b[i+2]])<<6 | uint32(b64Value[b[i+3]])
		dst[k], dst[k+1], dst[k+2] = byte(v>>16), byte(v>>8), byte(v)
	}
	switch len(b) - i {
	case 2:
		dst[k] = b64Value[b[i]]<<2 | b64Value[b[i+1]]>>4
		k++
	case 3:
		v := uint32(b64Value[b[i]])<<12 | uint32(b64Value[b[i+1]])<<6 | uint32(b64Value[b[i+2]])
		dst[k], dst[k+1] = byte(v>>10), byte(v>>2)
		k += 2
	}
	return k
}

// b64Shifted is b64Value shifted to a character's place in its group of
// four (18, 12, 6 and 0 bits): a group's 24 bits are four table reads
// joined.
var b64Shifted = func() (t [4][256]uint32) {
	for c := range 256 {
		for k := range 4 {
			t[k][c] = uint32(b64Value[c]) << (18 - 6*k)
		}
	}
	return t
}()

// b64Value is the value of a base64 character (A-Za-z0-9+/, and the URL
// alphabet's - and _ for + and /: urlRun), 0 for others.
var b64Value = func() (t [256]byte) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range len(alphabet) {
		t[alphabet[i]] = byte(i)
	}
	t['-'], t['_'] = 62, 63
	return t
}()

// spanReader reads the bytes a base64 span decodes to as they are asked
// for, a chunk of spanChunk characters at a time: a gzip stream is
// inflated only as far as its output is wanted (the budget, the ratio),
// and a bomb's few kilobytes of input need not be decoded with the rest
// of its run, which may be the whole file (a file of base64 lines of one
// width is one span).
type spanReader struct {
	d    []byte
	sp   span
	n    int    // the characters decoded: the span's, less a last lone one
	char int    // the next character to decode
	j    int    // the seg it stands in
	buf  []byte // decoded, buf[at:] not yet read
	at   int
	mem  []byte // buf's memory: spanChunk/4*3 bytes and 8 to spare
}

const spanChunk = 4096 // characters, a multiple of four

func newSpanReader(d []byte, sp span, mem []byte) *spanReader {
	n := sp.n
	if n%4 == 1 {
		n-- // a last lone character decodes to nothing (decode)
	}
	if sp.gathered { // its characters joined, read as one seg
		d, sp = sp.gather(d, nil, n), span{segs: []seg{{0, 0}}, n: sp.n}
	}
	return &spanReader{d: d, sp: sp, n: n, mem: mem}
}

// fill decodes the next chunk, within one seg (every seg but the last is
// a multiple of four characters long, so every chunk is but the last).
func (r *spanReader) fill() bool {
	if r.char >= r.n {
		return false
	}
	segs := r.sp.segs
	for r.j+1 < len(segs) && segs[r.j+1].char <= r.char {
		r.j++
	}
	e := r.n
	if r.j+1 < len(segs) {
		e = min(e, segs[r.j+1].char)
	}
	e = min(e, r.char+spanChunk)
	g := segs[r.j]
	raw := g.raw + r.char - g.char
	k := decodeB64(r.mem, r.d[raw:raw+e-r.char])
	r.buf, r.at, r.char = r.mem[:k], 0, e
	return true
}

func (r *spanReader) Read(p []byte) (int, error) {
	for r.at == len(r.buf) {
		if !r.fill() {
			return 0, io.EOF
		}
	}
	n := copy(p, r.buf[r.at:])
	r.at += n
	return n, nil
}

func (r *spanReader) ReadByte() (byte, error) {
	for r.at == len(r.buf) {
		if !r.fill() {
			return 0, io.EOF
		}
	}
	c := r.buf[r.at]
	r.at++
	return c, nil
}
