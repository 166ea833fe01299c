package scanner

import (
	"bytes"
	"sort"
)

// Binary files are scanned the way `strings` reads them: only their runs of
// printable characters, ASCII or UTF-16LE (Windows and .NET binaries), are
// handed to the matcher. Runs that lie a few bytes apart (a length prefix
// between two constants of a .pyc or a .class file) form one group, each run
// on its own line, so that a key ID and its secret stored as neighbouring
// constants still pair. Groups are kept apart by more blank lines than any
// context window of the matcher spans: inside binary data a secret needs its
// keyword or its key ID in its own group, never in bytes that merely happen to
// lie within a few lines.

const (
	minRun   = 6  // shortest run kept: "secret" is the shortest keyword that matters
	maxGap   = 8  // runs at most this many bytes apart join one group
	groupSep = 24 // newlines between groups: more than the pairing window of 20 lines
)

// printable marks the bytes of a run: ASCII graphic characters, space, tab
// and line breaks (text embedded in a binary keeps its lines).
var printable = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	t['\t'], t['\n'], t['\r'] = true, true, true
	return t
}()

// IsBinary reports whether content is binary the way git decides it: a NUL
// byte in the first 8000 bytes. UTF-16 and UTF-32 text with a byte order
// mark is text.
func IsBinary(data []byte) bool {
	if len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF) ||
		len(data) >= 4 && data[0] == 0 && data[1] == 0 && data[2] == 0xFE && data[3] == 0xFF {
		return false // a UTF-16 or UTF-32 byte order mark: text, see fromWide
	}
	return bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0
}

// TextWithNUL reports whether data, binary by IsBinary's rule, is still
// text to the programs that read it: under one byte in twenty is a control
// byte (a NUL, or another below space other than tab and line breaks, or
// DEL). A credentials file with a stray NUL in a comment is read whole by
// configparser and the SDKs, so `binaries = false`, which skips binary
// files, must not skip it (qa12 MEDIUM-21); compiled code, images,
// databases and compressed data are far above that share. It stops
// reading as soon as the share is reached: a binary file costs a few of
// its bytes.
func TextWithNUL(data []byte) bool {
	bad := 0
	for _, c := range data {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f {
			if bad++; bad*20 >= len(data) { // as mostlyText
				return false
			}
		}
	}
	return len(data) > 0
}

// segment maps a stretch of the text built from a binary file back to the
// file: text[text:text+n] came from the file at file, step bytes per
// character: 1 (or 0), 2 for UTF-16LE, 4 for UTF-32LE; -4 for UTF-32BE,
// whose characters' last bytes are the ones taken (a value ends after its
// last character's byte).
type segment struct {
	text, file, n, step int
}

// ScanBinary returns the credentials in the printable runs of data, a binary
// file called name. Findings carry byte offsets into data and no line or
// column (Line is 0): lines mean nothing in a binary file.
// Test keys are left out, as Scan leaves them out.
func (s *Scanner) ScanBinary(name string, data []byte) Findings {
	return s.ScanBinaryAll(name, data).reported()
}

// ScanBinaryAll is ScanBinary, with the test keys returned too (see ScanAll).
func (s *Scanner) ScanBinaryAll(name string, data []byte) Findings {
	fs, _ := s.ScanBinaryAllLimited(name, data, 0)
	return fs
}

// ScanBinaryAllLimited is ScanBinaryAll keeping at most limit findings (0:
// no limit), as ScanAllLimited does.
func (s *Scanner) ScanBinaryAllLimited(name string, data []byte, limit int) (fs Findings, unlisted int) {
	fs, c := s.ScanBinaryAllCounted(name, data, limit)
	return fs, c.Unlisted
}

// ScanBinaryAllCounted is ScanBinaryAllLimited with every count of what was
// left out (see ScanAllCounted).
func (s *Scanner) ScanBinaryAllCounted(name string, data []byte, limit int) (fs Findings, c Counts) {
	b := binText{s: s, pyc: len(data) >= 16 && data[2] == '\r' && data[3] == '\n', cells: binarySheetPart(name)}
	if text, segs, ok := pickleText(data); ok {
		// A pickle's strings are its text, a dict's items as key = value
		// lines (pickle.go): its printable runs glue each value to its
		// length and memo opcodes.
		b.text, b.segs = text, segs
	} else if ok, unread := b.pycText(data); ok {
		// A compiled Python module read whole (pyc.go).
		b.unread = unread
	} else {
		b.runs(data, false)
		b.runs(data, true)
		b.goStrings(data)
		b.goConstants(data)
		if unread != "" {
			// A .pyc whose marshalled code could not be read: its runs
			// are scanned, and it is a part not read whole.
			b.unread = unread
		}
	}
	if len(b.text) == 0 {
		return nil, Counts{Unread: b.unread}
	}
	// A binary file's text is read by no review (a diff says "Binary
	// files differ"): a keyscan:allow comment among its printable runs
	// allows nothing (qa12 MEDIUM-10; see ScanMemberCounted).
	fs, c = s.scanAllCounted(name, b.text, limit, true)
	c.Unread = b.unread
	for i := range fs {
		f := &fs[i]
		f.Offset, f.EndOffset = b.fileOffset(f.Offset, false), b.fileOffset(f.EndOffset, true)
		f.Line, f.Column, f.EndLine, f.EndColumn = 0, 0, 0, 0
	}
	fs.Sort()
	return sameBytesOnce(fs), c
}

// sameBytesOnce drops a finding of the same rule, bytes and value as the
// one before it in fs (sorted), keeping the one that names its pair: the
// string references of a Go binary (goConstants) give again a key ID its
// printable run gives.
func sameBytesOnce(fs Findings) Findings {
	out := fs[:0]
	for _, f := range fs {
		if n := len(out); n > 0 {
			p := &out[n-1]
			if p.Rule == f.Rule && p.Offset == f.Offset && p.EndOffset == f.EndOffset && p.Secret == f.Secret {
				if p.Pair == "" {
					*p = f
				}
				continue
			}
		}
		out = append(out, f)
	}
	clear(fs[len(out):])
	return out
}

type binText struct {
	s    *Scanner // for the value tests of the glued credentials (see gluedCuts)
	text []byte
	segs []segment
	// pyc marks a compiled Python module: its marshalled short strings are
	// written back to back, each after a type byte and a length byte that
	// are often printable ("z(" before a 40-character string), so runs are
	// cut where such a header starts a string that fills the rest of the run
	// or ends where the next header starts.
	pyc bool
	// unread says what of an executable goConstants could not read for
	// its string references (goRefs), or "".
	unread string
	// cells marks a binary workbook's part (binarySheetPart): each run is
	// a cell's or a shared string's text, a group of its own
	cells   bool
	lastEnd int
	cuts    []int  // gluedCuts' answer, reused
	run     []byte // a run being cut, reused
}

// runs appends the printable runs of data, ASCII ones or UTF-16LE ones, to
// the text. The wide pass also takes UTF-32 runs (qa16 HIGH-4: wchar_t is
// 4 bytes on Linux and macOS, so a C or C++ program's L"..." and U"..."
// strings are a character and three NULs each, little- or big-endian),
// looked for only where a printable byte meets a NUL, as UTF-16LE runs
// are.
func (b *binText) runs(data []byte, wide bool) {
	b.lastEnd = -1 << 30
	b.runsFrom(data, 0, wide)
}

// runsFrom is runs from data[from:] on, the offsets still data's.
func (b *binText) runsFrom(data []byte, from int, wide bool) {
	step := 1
	if wide {
		step = 2
	}
	for start := from; start < len(data); {
		if wide {
			// A UTF-16LE run starts at a printable byte followed by NUL, at
			// either alignment.
			i := bytes.IndexByte(data[start:], 0)
			if i < 0 {
				return
			}
			if i == 0 || !printable[data[start+i-1]] {
				start += i + 1
				continue
			}
			start += i - 1
			if start+3 < len(data) && data[start+2]|data[start+3] == 0 || start >= 2 && data[start-1]|data[start-2] == 0 {
				// Two more NULs after the character or before it: a
				// UTF-32 run may start here.
				if end, be, ok := utf32Run(data, start); ok {
					b.add(data, start, end, 4-8*be)
					start = end - 3*be // a big-endian run's last NULs are the next character's
					continue
				}
			}
		} else if p := start + minRun - 1; p >= len(data) {
			if !printable[data[start]] {
				start++
				continue
			}
		} else if !printable[data[p]] {
			// No run of minRun starts at start..p: start follows a byte
			// that ends a run (or the data's start), so runs are found
			// reading one byte in minRun where few bytes are text (issue
			// 16: the shared objects of a Lambda layer zip).
			start = p + 1
			continue
		} else {
			for p > start && printable[data[p-1]] {
				p--
			}
			start = p
		}
		end := start
		for end+step-1 < len(data) && printable[data[end]] && (!wide || data[end+1] == 0) {
			end += step
		}
		n := (end - start) / step
		if n < minRun {
			start = end
			if !wide {
				start++
			}
			continue
		}
		if b.pyc && !wide {
			b.marshalled(data, start, end)
		} else {
			b.add(data, start, end, step)
		}
		start = end
	}
}

// utf32Run returns where a UTF-32 run of at least minRun characters that
// starts at the printable byte data[start] ends (past the last character's
// four bytes): little-endian, each character followed by three NULs, or
// big-endian, each preceded by three, whichever reads more characters (a
// string's NUL terminator makes them agree); be is 1 for big-endian. ok
// is false when there is none.
func utf32Run(data []byte, start int) (end, be int, ok bool) {
	zeros := func(i int) bool {
		return i >= 0 && i+3 <= len(data) && data[i] == 0 && data[i+1] == 0 && data[i+2] == 0
	}
	run := func(before int) int {
		e := start
		for e < len(data) && printable[data[e]] && zeros(e+1-4*before) {
			e += 4
		}
		return e
	}
	end = run(0)
	if e := run(1); e > end {
		end, be = e, 1
	}
	return end, be, (end-start)/4 >= minRun
}

// add appends the run data[start:end] (step 2 for UTF-16LE, 4 for UTF-32LE,
// -4 for UTF-32BE: a character every 4 bytes all the same) to the text,
// cut where gluedCuts finds a credential glued to its neighbours: each piece
// on its own line of the run's group.
func (b *binText) add(data []byte, start, end, step int) {
	kind := step
	step = max(step, -step)
	if len(b.text) > 0 {
		sep := groupSep
		if start-b.lastEnd <= maxGap*step && !b.cells {
			sep = 1
		}
		for range sep {
			b.text = append(b.text, '\n')
		}
	}
	t0 := len(b.text)
	for i := start; i < end; i += step {
		b.text = append(b.text, data[i])
	}
	b.lastEnd = end
	cuts := b.s.gluedCuts(b.text[t0:], b.cuts[:0])
	b.cuts = cuts
	if len(cuts) == 0 {
		b.segs = append(b.segs, segment{text: t0, file: start, n: (end - start) / step, step: kind})
		return
	}
	// Rebuild the run with a line break at each cut.
	run := append(b.run[:0], b.text[t0:]...)
	b.run = run
	b.text = b.text[:t0]
	from := 0
	for _, c := range append(cuts, len(run)) {
		if c <= from {
			continue
		}
		if from > 0 {
			b.text = append(b.text, '\n')
		}
		b.segs = append(b.segs, segment{text: len(b.text), file: start + from*step, n: c - from, step: kind})
		b.text = append(b.text, run[from:c]...)
		from = c
	}
}

// goStrings appends the string variables of a Go binary that goStrings
// (gostrings.go) finds, as one group of "name" and "value" lines; the name
// maps to the value's bytes, as it has none of its own in the file.
func (b *binText) goStrings(data []byte) {
	vars := goStrings(data)
	for i, v := range vars {
		sep := 1
		if i == 0 {
			sep = groupSep
		}
		if len(b.text) > 0 {
			for range sep {
				b.text = append(b.text, '\n')
			}
		}
		b.segs = append(b.segs, segment{text: len(b.text), file: v.off, n: 1})
		b.text = append(b.text, v.name...)
		b.text = append(b.text, '\n')
		b.segs = append(b.segs, segment{text: len(b.text), file: v.off, n: v.len})
		b.text = append(b.text, data[v.off:v.off+v.len]...)
	}
}

// marshalled adds a run of a .pyc cut at the marshalled short strings it
// holds: each 'z' or 'Z' header (a type byte, the FLAG_REF bit set or not,
// and a length byte) whose string fills the run or ends where another
// marshal type code follows is a piece of its own. The header may lie just
// before the run (its type byte 0xda or 0xfa, its length 20 not
// printable). A string's end is cut before any type code, not only
// another string's: a settings module's constants end "…<key ID>N)" (None,
// then the tuple's end) or "…T" (True), and glued so the key ID was a
// longer upper-case token, missed (qa34 1).
func (b *binText) marshalled(data []byte, start, end int) {
	from := start
	for i := max(start-2, 0); i+1 < end; i++ {
		if c := data[i] & 0x7f; c != 'z' && c != 'Z' {
			continue
		}
		s0 := i + 2
		j := s0 + int(data[i+1])
		if data[i+1] == 0 || s0 < start || j > end || j < end && !marshalCode[data[j]&0x7f] {
			continue
		}
		if i-from >= minRun {
			b.add(data, from, i, 1)
		}
		if j-s0 >= minRun {
			b.add(data, s0, j, 1)
		}
		from = j
		i = j - 1
	}
	if end-from >= minRun {
		b.add(data, from, end, 1)
	}
}

// marshalCode holds the type codes of Python's marshal format (its
// FLAG_REF bit cleared): what may follow a marshalled object.
var marshalCode = func() (set [128]bool) {
	for _, c := range "0NFTS.iIfgxylstuaAzZ()[{<>cr" {
		set[c] = true
	}
	return set
}()

// fileOffset maps an offset in the text back to the file. An end offset
// (exclusive) maps to one past the last byte of its character.
func (b *binText) fileOffset(t int, end bool) int {
	if end {
		t--
	}
	i := sort.Search(len(b.segs), func(i int) bool { return b.segs[i].text > t }) - 1
	if i < 0 {
		return 0
	}
	sg := b.segs[i]
	d := min(t-sg.text, sg.n-1)
	w := max(1, sg.step, -sg.step)
	off := sg.file + d*w
	if end && sg.step < 0 {
		off++
	} else if end {
		off += w
	}
	return off
}
