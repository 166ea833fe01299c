package scanner

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// Small byte-level helpers shared by the matcher. They work on offsets and
// never allocate.

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlnum(c byte) bool { return isUpper(c) || isLower(c) || isDigit(c) }
func isWord(c byte) bool  { return isAlnum(c) || c == '_' }
func isBase32(c byte) bool {
	return isUpper(c) || ('2' <= c && c <= '7')
}
func isSecretChar(c byte) bool { return isAlnum(c) || c == '/' || c == '+' }

// isIdentChar is what a config key or variable name is made of, in any naming style.
func isIdentChar(c byte) bool { return identChar[c] }

// identChar is isIdentChar's table: identifiers are read back and forth
// around every keyword, a byte at a time.
var identChar = func() (t [256]bool) {
	for c := range 256 {
		t[c] = isWord(byte(c)) || c == '-' || c == '.'
	}
	return t
}()

// lineStartWithin returns the start of the line holding i, or i-limit when
// the line starts further back: the matcher never reads a whole line to
// learn where it starts, so one long line (minified JSON, a log) costs what
// many short ones do.
func lineStartWithin(data []byte, i, limit int) int {
	lo := max(0, i-limit)
	return lo + bytes.LastIndexByte(data[lo:i], '\n') + 1
}

// linesBack returns the start of the line n lines above the one holding i,
// going back no further than limit bytes.
func (m *match) linesBack(i, n, limit int) int {
	lo := max(0, i-limit)
	var s int
	if x := m.byteMasks(); x != nil {
		s = x.backNL(i, n, lo)
	} else {
		s = m.lines.back(m.data, i, n, lo)
	}
	m.looked += i - s
	return s
}

// linesForward returns the end of the line n lines below the one holding i,
// going no further than limit bytes.
func (m *match) linesForward(i, n, limit int) int {
	i = min(i, len(m.data))
	hi := min(len(m.data), i+limit)
	var e int
	if x := m.byteMasks(); x != nil {
		e = x.forwardNL(i, n, hi)
	} else {
		e = m.lines.forward(m.data, i, n, hi)
	}
	m.looked += e - i
	return e
}

// lineIndex knows where the newlines of the input are, block by block, each
// block indexed on first use. Keyword-dense text (a keyword on every line)
// asks about the lines around every keyword, each window overlapping the
// last; searching the bytes for each window read every line many times over
// (and backwards a byte at a time). Only blocks near a question are read, so
// a file with one keyword costs a block or two, however long.
type lineIndex struct {
	blocks []lineBlock // one per 1<<lineBlockShift bytes of the input; nil until needed
	nl     []uint16    // where the newlines of the indexed blocks are in their block, each block's together
}

// lineBlock is where a block's newlines are in lineIndex.nl: nl[at:at+n].
// n is -1 until the block is indexed.
type lineBlock struct{ at, n int32 }

const lineBlockShift = 10 // 1 KiB blocks: a window (at most 4,000 bytes) spans a few

// block returns where the newlines of block b are, in order, as offsets
// from the block's start (two bytes a line, however long the input).
func (x *lineIndex) block(data []byte, b int) []uint16 {
	if x.blocks == nil {
		x.blocks = make([]lineBlock, len(data)>>lineBlockShift+1)
		for k := range x.blocks {
			x.blocks[k].n = -1
		}
		x.nl = make([]uint16, 0, 64)
	}
	bl := &x.blocks[b]
	if bl.n < 0 {
		at := len(x.nl)
		lo, hi := b<<lineBlockShift, min(len(data), (b+1)<<lineBlockShift)
		for i := lo; i < hi; {
			j := bytes.IndexByte(data[i:hi], '\n')
			if j < 0 {
				break
			}
			x.nl = append(x.nl, uint16(i+j-lo))
			i += j + 1
		}
		bl.at, bl.n = int32(at), int32(len(x.nl)-at)
	}
	return x.nl[bl.at : bl.at+bl.n]
}

// forward returns the (n+1)th newline at or after i if it stands before hi,
// else hi: the end of the line n lines below the one holding i, bounded by hi.
func (x *lineIndex) forward(data []byte, i, n, hi int) int {
	for b := i >> lineBlockShift; b<<lineBlockShift < hi; b++ {
		nl, base := x.block(data, b), b<<lineBlockShift
		k := 0
		if b == i>>lineBlockShift {
			k, _ = slices.BinarySearch(nl, uint16(i-base))
		}
		if n < len(nl)-k {
			return min(base+int(nl[k+n]), hi)
		}
		n -= len(nl) - k
	}
	return hi
}

// back returns the start of the line n lines above the one holding i, or lo
// when that line starts before lo.
func (x *lineIndex) back(data []byte, i, n, lo int) int {
	if i <= lo {
		return lo
	}
	for b := (i - 1) >> lineBlockShift; b >= 0 && (b+1)<<lineBlockShift > lo; b-- {
		nl, base := x.block(data, b), b<<lineBlockShift
		k := len(nl) // the newlines of the block before i
		if b == (i-1)>>lineBlockShift {
			k, _ = slices.BinarySearch(nl, uint16(i-base))
		}
		if n < k {
			return max(base+int(nl[k-1-n])+1, lo)
		}
		n -= k
	}
	return lo
}

// lineInfo is the line the matcher last read in full, with what it learnt
// of it. Callers ask in increasing order of position (key IDs as the
// prefilter finds them, findings by offset), so each line is read once
// however many candidates it holds.
type lineInfo struct {
	start, end int // the line is data[start:end]; end is its '\n' or the end of data
	valid      bool

	keyContext int8 // accessKeyContext of the line: 0 not computed, 1 no, 2 yes

	keyRead bool   // key and keySep are known
	key     string // the name the line assigns to, "" for none
	keySep  int    // where its ':' or '=' is
}

// line returns the line holding position i (a '\n' at i ends that line).
func (m *match) line(i int) *lineInfo {
	l := &m.lastLine
	if l.valid && l.start <= i && i <= l.end {
		return l
	}
	i = min(i, len(m.data))
	s := lastNL(m.data[:i]) + 1
	e := len(m.data)
	if j := bytes.IndexByte(m.data[i:], '\n'); j >= 0 {
		e = i + j
	}
	m.looked += e - s
	*l = lineInfo{start: s, end: e, valid: true}
	return l
}

// lastNL is bytes.LastIndexByte(d, '\n'), eight bytes a step: that one
// reads a byte at a time on amd64, and line reads back to the start of
// every line a key ID or a finding stands on (900-byte lines of word-like
// key IDs spent 6 % of their time there).
func lastNL(d []byte) int {
	const ones, low7 = 0x0101010101010101, 0x7f7f7f7f7f7f7f7f
	i := len(d)
	for ; i >= 8; i -= 8 {
		w := binary.LittleEndian.Uint64(d[i-8:i:i]) ^ '\n'*ones
		// The high bit of each zero byte of w, exactly (no borrow crosses
		// bytes): the last newline is the highest.
		if z := ^((w&low7 + low7) | w | low7); z != 0 {
			return i - 8 + (63-bits.LeadingZeros64(z))>>3
		}
	}
	return bytes.LastIndexByte(d[:i], '\n')
}

// entropy is the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	if len(s) == secretLen {
		return entropy40(s)
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	return countsEntropy(&counts, len(s))
}

// countsEntropy is the entropy of a string of n bytes that holds counts[c]
// of each byte c: what entropy returns for it, to the last bit (the
// session-token prefixes keep the counts of a run's suffixes, token.go).
func countsEntropy(counts *[256]int, n int) float64 {
	var h float64
	fn := float64(n)
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / fn
			h -= p * math.Log2(p)
		}
	}
	return h
}

// secretLen is the length of a secret access key, the value entropy is
// asked about most often.
const secretLen = 40

// plogp40[c] is p*log2(p) for p = c/40, computed as entropy computes it, so
// that entropy40 returns exactly what the general loop returns.
var plogp40 = func() (t [secretLen + 1]float64) {
	for c := 1; c <= secretLen; c++ {
		p := float64(c) / float64(secretLen)
		t[c] = p * math.Log2(p)
	}
	return t
}()

// entropy40 is entropy for a 40-byte value: the same sum in the same order
// (by byte value), with the logarithms looked up, over the byte values
// between the least and the greatest the value holds.
func entropy40(s string) float64 {
	var counts [256]uint8
	lo, hi := byte(255), byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		counts[c]++
		lo, hi = min(lo, c), max(hi, c)
	}
	var h float64
	for _, c := range counts[lo : int(hi)+1] {
		if c > 0 {
			h -= plogp40[c]
		}
	}
	return h
}

// commonTrigrams are frequent in English words and in the names code is
// made of. Random secrets contain one by chance about once in a hundred;
// identifiers and paths contain many.
// They are kept as a bitset indexed by the three lower-case letters, which
// wordiness looks up for every position of a value.
var commonTrigrams = func() *[26*26*26/64 + 1]uint64 {
	m := new([26*26*26/64 + 1]uint64)
	for _, t := range strings.Fields(`the ing ion ent con get set key ret acc ess cre den ial env ron men var str
		ame fig ure ces sec aws ate and ver pro res ser tio ter per ons ist ect ore ive ble all est for com tor int
		ame use ble ala ing ain ari ice ide ile ine ise ity lin log man ner nge not ons our out ort ous pre rea
		red rin ron sio ste sto tra und val ver ath ile dat ata ire fro rom mai nfi ont oun rce urc sou era rat ato act`) {
		k := trigramIndex(t[0], t[1], t[2])
		m[k/64] |= 1 << (k % 64)
	}
	return m
}()

// trigramIndex numbers a trigram of lower-case letters.
func trigramIndex(a, b, c byte) int {
	return (int(a-'a')*26+int(b-'a'))*26 + int(c-'a')
}

// wordiness counts the common English trigrams in s, ignoring case.
func wordiness(s string) int {
	n := 0
	for i := 0; i+3 <= len(s); i++ {
		a, b, c := s[i]|0x20, s[i+1]|0x20, s[i+2]|0x20
		if !isLower(a) || !isLower(b) || !isLower(c) {
			continue
		}
		if k := trigramIndex(a, b, c); commonTrigrams[k/64]&(1<<(k%64)) != 0 {
			n++
		}
	}
	return n
}

// ascending counts adjacent pairs that step up by one (abc, 123): keyboard
// placeholders are full of them, random strings are not.
func ascending(s string) int {
	n := 0
	for i := 0; i+1 < len(s); i++ {
		if s[i+1] == s[i]+1 {
			n++
		}
	}
	return n
}

func distinct[T string | []byte](s T) int {
	var seen [256]bool
	n := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]] = true
			n++
		}
	}
	return n
}

// containsFold reports whether s contains the upper-case ASCII word w, ignoring case.
// A word that ends in a byte that is not a letter (lineSign's "NAME:") is
// looked for at each of that byte, found with bytes.IndexByte: lineSign
// asks about every window of a long line dense with signs, and a compare
// at every byte cost more than the rest of lineSign.
func containsFold(s []byte, w string) bool {
	if last := w[len(w)-1]; !isUpper(last) && !isLower(last) {
		for i := len(w) - 1; i < len(s); i++ {
			k := bytes.IndexByte(s[i:], last)
			if k < 0 {
				return false
			}
			i += k
			if equalFoldUpper(s[i+1-len(w):i], w[:len(w)-1]) {
				return true
			}
		}
		return false
	}
	for i := 0; i+len(w) <= len(s); i++ {
		if equalFoldUpper(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// equalFoldUpper reports whether b is the upper-case ASCII word w, ignoring case.
func equalFoldUpper(b []byte, w string) bool {
	for j := range len(w) {
		c := b[j]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != w[j] {
			return false
		}
	}
	return true
}
