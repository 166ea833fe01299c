package scanner

import "encoding/base32"

// Base32 (RFC 4648: coreutils base32, Python's base64.b32encode, Go's
// base32.StdEncoding, commons-codec's Base32) hides a credentials file, or
// its gzip, as well as base64 does (qa16 MEDIUM-6: passed in silence). The
// prefilter finds the base32 of AKIA, ASIA, aws_ and AWS_ at each of the
// five byte alignments of a 40-bit group (the characters those bytes fill
// alone), and of an archive's head at a run's start; decodeBase32 reads
// the run around such an anchor, over lines of one width (coreutils wraps
// at 76, PEM-like files at 64), and scans its text (encoding "base32") or
// keeps its bytes as a member of the input (a gzip, a zip), as base64's
// are. The alphabet is upper case: an identifier in lower or mixed case
// is no run, and an upper-case word that happens to hold a fingerprint
// decodes to bytes that hold no key.

// b32Form is the base32 of a word at one byte alignment: phase is the
// index within its 8-character group of the form's first character.
type b32Form struct {
	text  string
	phase int
}

// b32Forms returns the forms of word at the five alignments.
func b32Forms(word string) []b32Form {
	forms := make([]b32Form, 0, 5)
	for k := range 5 {
		buf := make([]byte, 10+len(word))
		copy(buf[k:], word)
		enc := base32.StdEncoding.EncodeToString(buf[:len(buf)/5*5])
		lo, hi := 8*k, 8*(k+len(word))
		first := (lo + 4) / 5
		last := hi / 5 // characters [first, last) hold only the word's bits
		forms = append(forms, b32Form{enc[first:last], first % 8})
	}
	return forms
}

// b32Phase maps each base32 anchor to its phase: a run around it starts
// its groups where the anchor's phase says, whatever stands before it.
var b32Phase = func() map[string]int {
	p := map[string]int{}
	for _, w := range []string{"AKIA", "ASIA", "aws_", "AWS_"} {
		for _, f := range b32Forms(w) {
			p[f.text] = f.phase
		}
	}
	p["D6FQQ"], p["KBFQGB"] = 0, 0 // a gzip's and a zip's head open their run
	return p
}()

// notB32 marks the bytes that are not in base32's alphabet.
var notB32 = func() (t [256]uint8) {
	for c := range 256 {
		if !isB32(byte(c)) {
			t[c] = 1
		}
	}
	return t
}()

func isB32(c byte) bool { return 'A' <= c && c <= 'Z' || '2' <= c && c <= '7' }

// b32Value is each base32 character's five bits.
var b32Value = func() (t [256]byte) {
	for i, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" {
		t[c] = byte(i)
	}
	return t
}()

// minB32Run is the shortest base32 run decoded: 16 characters are 10
// bytes, half a key ID.
const minB32Run = 16

// radixAnchor keeps a base32 or base85 anchor the prefilter found at at
// for its decoder; an archive's head in base32 only where its run starts.
func (m *match) radixAnchor(pat, at int) {
	switch patterns[pat].kind {
	case anchorBase85:
		m.scratch.b85 = append(m.scratch.b85, at)
	case anchorBase32Head:
		if !runHead(m.data, patterns[pat].text, at, isB32) {
			return
		}
		fallthrough
	default:
		m.scratch.b32 = append(m.scratch.b32, at)
	}
	m.queue(queueCost)
}

// decodeBase32 decodes the base32 runs around the anchors the prefilter
// found (m.scratch.b32).
func (m *match) decodeBase32() {
	d := m.data
	done := -1
	for _, at := range m.scratch.b32 {
		if at < done || m.spent() {
			continue
		}
		s := classRunStart(d, at, &notB32)
		segs, e := runLines(d, s, &notB32, m.scratch.segs[:0])
		m.scratch.segs = segs
		done = e
		n := segs[len(segs)-1].char + e - segs[len(segs)-1].raw
		off := 0
		if ph, ok := b32Phase[string(d[at:min(len(d), at+6)])]; ok {
			off = ((hexIndex(segs, at)-ph)%8 + 8) % 8
		} else if ph, ok := b32Phase[string(d[at:min(len(d), at+5)])]; ok {
			off = ((hexIndex(segs, at)-ph)%8 + 8) % 8
		}
		if n-off < minB32Run || !m.spendBytes(decodeStep, n, m.decodeCost()) {
			continue
		}
		dec := m.scratch.hexBuf((n - off) * 5 / 8)
		b32DecodeWith(d, segs, e, off, dec, &b32Value)
		m.b32Decoded(dec, segs, off)
	}
}

// b32Decoded scans the decoded text dec of a base32 run (segs, from
// character off on), or keeps its bytes as a member of the input.
func (m *match) b32Decoded(dec []byte, segs []seg, off int) {
	if !mostlyText(dec) || isPDF(dec) {
		m.embed(dec, hexRaw(segs, off), "base32")
		return
	}
	m.subScan(dec, "base32", func(i int) int { return hexRaw(segs, off+i*8/5) }, func(i int) int { return hexRaw(segs, off+(i*8+4)/5-1) + 1 })
}

// runLines returns the lines of the run of bytes not in stop that starts
// at s, as hexLines returns a hex run's: a run that fills its line, 16
// characters or more, goes on over the lines before and after it that
// are as long and one shorter last line (padding may end it). The lines
// are bare, behind the same quote, or a string's escaped lines, as
// lineWalk reads them.
func runLines(d []byte, s int, stop *[256]uint8, segs []seg) ([]seg, int) {
	e := classRunEnd(d, s, stop)
	w, s, wrapped := walkOf(d, s, e)
	width := e - s
	wrapped = wrapped && width >= minB32Run
	for wrapped {
		b, be, ok := w.prev(d, s, stop)
		if !ok || be-b != width {
			break
		}
		s = b
	}
	segs = append(segs, seg{0, s})
	n, le := 0, classRunEnd(d, s, stop)
	for ls := s; wrapped && le-ls == width; {
		n += width
		ns, ok := w.next(d, le, stop)
		if !ok {
			break
		}
		ne := classRunEnd(d, ns, stop)
		if ne-ns > width || !w.ends(d, ne) && (ne-ns == width || d[ne] != '=') {
			break
		}
		segs = append(segs, seg{n, ns})
		ls, le = ns, ne
	}
	return segs, le
}

// lineWalk is how the lines of a wrapped run are joined (runLines): bare
// lines after any indentation; lines behind the same quote, a comment's
// "# " or a mail reply's "> " (quoteOf); or the lines of one string whose
// line breaks are escapes ("…\n…", as json.dumps writes a wrapped text:
// escBreakAfter). Base64's runs are joined the same three ways
// (b64Span); base32's were only bare (qa18 M1).
type lineWalk struct {
	q   quote
	esc bool
}

// walkOf returns the walk by which the run [s, e) fills its line, and
// where its characters start (past an escaped line break's letters that
// the alphabet holds, the A of "\u000A"); ok is false when it fills none.
func walkOf(d []byte, s, e int) (w lineWalk, start int, ok bool) {
	if k, esc := escRunStart(d, s); esc || escBreakAfter(d, e) >= 0 {
		return lineWalk{esc: true}, k, k < e
	}
	if !lineEnds(d, e) {
		return lineWalk{}, s, false
	}
	if lineStarts(d, s) {
		return lineWalk{}, s, true
	}
	q := quoteOf(d, s)
	return lineWalk{q: q}, s, q != nil
}

// escRunStart returns where a run found to start at s starts its
// characters when an escaped line break stands before it, its letters
// ending at s or inside the run (escBreakAfter), and whether one does.
func escRunStart(d []byte, s int) (int, bool) {
	for j := s - 1; j >= 0 && j >= s-6; j-- {
		if d[j] == '\\' {
			if k := escBreakAfter(d, j); k >= s {
				return k, true
			}
			break
		}
	}
	return s, false
}

// prev returns the run that fills the line before the one whose run
// starts at s, as the walk joins them.
func (w lineWalk) prev(d []byte, s int, stop *[256]uint8) (int, int, bool) {
	switch {
	case w.esc:
		e := escBreakBefore(d, s)
		if e <= 0 {
			return 0, 0, false
		}
		b, _ := escRunStart(d, classRunStart(d, e, stop))
		return b, e, b < e
	case len(w.q) > 0:
		b, e, ok := w.q.prev(d, s) // a base64 run: the alphabet's must be all of it
		return b, e, ok && classRunStart(d, e, stop) == b
	}
	b, ok := prevClassLine(d, s, stop)
	return b, classRunEnd(d, b, stop), ok
}

// next returns where the run of the line after the one whose run ends at
// e starts, as the walk joins them.
func (w lineWalk) next(d []byte, e int, stop *[256]uint8) (int, bool) {
	var ns int
	switch {
	case w.esc:
		ns = escBreakAfter(d, e)
	case len(w.q) > 0:
		ns, _ = w.q.next(d, e)
	default:
		ns, _ = nextLineRun(d, e)
	}
	return ns, ns > 0 && ns < len(d) && stop[d[ns]] == 0
}

// ends reports whether a run that ends at e ends its line: a real line
// end, or in a string an escaped one or the closing quote, escaped too in
// a string inside a string.
func (w lineWalk) ends(d []byte, e int) bool {
	if w.esc {
		q := e
		for q < len(d) && q-e < 4 && d[q] == '\\' {
			q++
		}
		return q == len(d) || escBreakAfter(d, e) >= 0 || isQuote(d[q])
	}
	return lineEnds(d, e)
}

// prevClassLine returns where the line before the one that starts at s
// (after any indentation) starts its run of bytes not in stop, when that
// run fills the line.
func prevClassLine(d []byte, s int, stop *[256]uint8) (int, bool) {
	i := s
	for i > 0 && (d[i-1] == ' ' || d[i-1] == '\t') {
		i--
	}
	if i == 0 || d[i-1] != '\n' {
		return 0, false
	}
	e := i - 1
	if e > 0 && d[e-1] == '\r' {
		e--
	}
	for e > 0 && (d[e-1] == ' ' || d[e-1] == '\t') {
		e--
	}
	b := classRunStart(d, e, stop)
	return b, b < e && lineStarts(d, b)
}

// b32DecodeWith decodes into dec the base32 characters of the run's
// lines (segs, the last ending at end) from character off on, as many
// groups of five bits as dec holds, each character's bits in values.
func b32DecodeWith(d []byte, segs []seg, end, off int, dec []byte, values *[256]byte) {
	var acc uint64
	bits, k, skip := 0, 0, off
	for j, g := range segs {
		le := segEnd(segs, j, end)
		i := g.raw + min(skip, le-g.raw)
		skip -= i - g.raw
		for ; i < le && k < len(dec); i++ {
			acc = acc<<5 | uint64(values[d[i]])
			if bits += 5; bits >= 8 {
				bits -= 8
				dec[k] = byte(acc >> bits)
				k++
			}
		}
	}
}

// segEnd is where the characters of segs[j] end in the data: the run's
// next line's start says how many it holds; the last ends at end.
func segEnd(segs []seg, j, end int) int {
	if j+1 < len(segs) {
		return segs[j].raw + segs[j+1].char - segs[j].char
	}
	return end
}
