package scanner

import (
	"math/bits"
	"sync"
)

// The byte masks are one bit per input byte for the classes of byte that
// the matcher's later stages look for in every window it opens: newlines
// (the lines around a candidate), the bytes an escape or a quoted literal
// starts with (markWindows), the bytes that cannot stand in the text of a
// run (runsIn), and the brackets that open a list of code points after a
// keyword (markListOpens). Keyword-dense text (secret scanners' tests,
// service models) opens windows over nearly every line, and searching the
// bytes of each window one by one, or with a search call per newline or per
// quote, cost more than the rest of the matcher. With the masks a window's
// lines are counted with popcounts, its escapes and quotes are visited bit
// by bit, and a run's last stop byte is one leading-zero count.
//
// The masks exist only where a vector kernel builds them in a fraction of
// the prefilter's time (amd64 with AVX2: masks_amd64.s); elsewhere the
// matcher reads the bytes as it did, and the tests hold the two ways to the
// same answers (masks_test.go). Blocks of maskBlock bytes are built on
// first use, so a file with one keyword pays for a block or two.
type byteMasks struct {
	nl      []uint64 // '\n'
	special []uint64 // \ % & + <, and bytes of 0x80 or more: where escapes and invisible separators start
	quote   []uint64 // " ' `: where quoted literals start
	stop    []uint64 // bytes that cannot stand in a run (not inRun)
	open    []uint64 // ( [ {: where a list of code points may open (markListOpens); nil where not asked for
	built   []bool   // per block: built yet
	esc     []bool   // per block built: it holds an ESC (markCSI)
	nlSum   []uint64 // per block: bit k set when the block's word k of nl holds a newline; see nlWords
	summed  []bool   // per block: nlSum made yet
	data    []byte
	buf     []uint64   // the memory of the masks
	pool    *sync.Pool // where they go back (release)
}

const maskBlockShift = 12 // 4 KiB blocks of input, 64 words per mask

// newByteMasks returns the masks of data, or nil where no kernel builds
// them; the brackets' mask (open) only where open asks for it, as only the
// inputs whose lists of code points are looked for read it. The masks and their memory come from pool and go back to it with
// release: the blocks are written before they are read, so the memory is
// never cleared but for the flags that say which blocks are built.
func newByteMasks(data []byte, pool *sync.Pool, open bool) *byteMasks {
	if !haveMaskKernel || len(data) == 0 {
		return nil
	}
	x, _ := pool.Get().(*byteMasks)
	if x == nil {
		x = &byteMasks{pool: pool}
	}
	w := (len(data) + 63) / 64
	k := 4
	if open {
		k = 5
	}
	if cap(x.buf) < k*w {
		x.buf = make([]uint64, k*w)
	}
	all := x.buf[:k*w]
	x.nl, x.special, x.quote, x.stop, x.open = all[:w:w], all[w:2*w:2*w], all[2*w:3*w:3*w], all[3*w:4*w:4*w], nil
	if open {
		x.open = all[4*w : 5*w : 5*w]
	}
	nb := len(data)>>maskBlockShift + 1
	if cap(x.built) < nb {
		x.built = make([]bool, nb)
	}
	x.built = x.built[:nb]
	clear(x.built)
	if cap(x.esc) < nb {
		x.esc = make([]bool, nb)
	}
	x.esc = x.esc[:nb] // written as each block is built
	if cap(x.summed) < nb {
		x.summed, x.nlSum = make([]bool, nb), make([]uint64, nb)
	}
	x.summed, x.nlSum = x.summed[:nb], x.nlSum[:nb]
	clear(x.summed)
	x.data = data
	return x
}

// release gives the masks back to their pool; x is not used after.
func (x *byteMasks) release() {
	if x != nil {
		x.data = nil
		x.pool.Put(x)
	}
}

// ensure builds the blocks holding bytes [lo,hi).
func (x *byteMasks) ensure(lo, hi int) {
	// Most questions fall in one block that is built: one test, inlined.
	if (lo^(hi-1))>>maskBlockShift != 0 || !x.built[lo>>maskBlockShift] {
		x.build(lo, hi)
	}
}

func (x *byteMasks) build(lo, hi int) {
	if hi > len(x.data) {
		hi = len(x.data)
	}
	for b := lo >> maskBlockShift; b<<maskBlockShift < hi; b++ {
		if x.built[b] {
			continue
		}
		x.built[b] = true
		s, e := b<<maskBlockShift, min(len(x.data), (b+1)<<maskBlockShift)
		n := (e - s) &^ 63
		var open, tail1 []uint64 // the open words of the block and of its tail, if asked for
		if k := (s + n) >> 6; x.open != nil {
			open, tail1 = x.open[s>>6:], x.open[k:min(k+1, len(x.open))]
		}
		esc := false
		if n > 0 {
			esc = buildMasks(x.data[s:s+n], x.nl[s>>6:], x.special[s>>6:], x.quote[s>>6:], x.stop[s>>6:], open)
		}
		if k := (s + n) >> 6; n < e-s {
			// The tail, padded with zeros, through the kernel: a byte at a
			// time cost as much as the rest of a small file. A zero is no
			// newline, special byte, quote or bracket, and its stop bits
			// are cut.
			var tail [64]byte
			copy(tail[:], x.data[s+n:e])
			esc = buildMasks(tail[:], x.nl[k:k+1], x.special[k:k+1], x.quote[k:k+1], x.stop[k:k+1], tail1) || esc
			x.stop[k] &= 1<<(e-s-n) - 1
		}
		x.esc[b] = esc
	}
}

// escIn reports whether the blocks holding bytes [lo,hi), lo < hi, built,
// hold an ESC: most windows' blocks hold none, and markCSI need not search
// them (the kernel compares the bytes with ESC as it builds the masks, for
// four instructions a 64 bytes).
func (x *byteMasks) escIn(lo, hi int) bool {
	for b := lo >> maskBlockShift; b<<maskBlockShift < hi; b++ {
		if x.esc[b] {
			return true
		}
	}
	return false
}

// specials counts the special bits (\ % & +) of bytes [lo,hi), lo < hi,
// of blocks built (see match.escapeBytes).
func (x *byteMasks) specials(lo, hi int) int {
	first, last := lo>>6, (hi-1)>>6
	sp := x.special[first : last+1]
	tail := ^uint64(0) >> (63 - (hi-1)&63)
	head := sp[0] &^ (1<<(lo&63) - 1)
	if len(sp) == 1 {
		return bits.OnesCount64(head & tail)
	}
	n := bits.OnesCount64(head) + bits.OnesCount64(sp[len(sp)-1]&tail)
	for _, b := range sp[1 : len(sp)-1] {
		n += bits.OnesCount64(b)
	}
	return n
}

// maskWords computes the masks of up to 64 bytes, one byte at a time: the
// tail of the input, and the reference the kernel is tested against. open
// may be nil.
func maskWords(d []byte, nl, special, quote, stop, open *uint64) {
	var a, b, q, c, o uint64
	for i, ch := range d {
		if ch == '\n' {
			a |= 1 << i
		}
		if isSpecial(ch) {
			b |= 1 << i
		}
		if quoteClass[ch] != 0 {
			q |= 1 << i
		}
		if !inRun[ch] {
			c |= 1 << i
		}
		if ch == '(' || ch == '[' || ch == '{' {
			o |= 1 << i
		}
	}
	*nl, *special, *quote, *stop = a, b, q, c
	if open != nil {
		*open = o
	}
}

// isSpecial reports whether an escape may start with c (markWindows; '+'
// for the U of U+0041; '<' for <wbr>, and every byte of 0x80 or more for
// the UTF-8 invisible separators, see invisible.go). The kernel takes the
// ASCII ones from its tables (specialASCII) and the others from their sign
// bit: ASCII text pays nothing for them.
func isSpecial(c byte) bool {
	return c >= 0x80 || specialASCII(c)
}

// specialASCII is isSpecial for the bytes below 0x80.
func specialASCII(c byte) bool {
	switch c {
	case '\\', '%', '&', '+', '<':
		return true
	}
	return false
}

// maskTables are the kernel's nibble tables (each 16 bytes, twice, for the
// two lanes of a 256-bit register): a byte's low-nibble entry ANDed with its
// high-nibble entry has a bit of 0x1f set when the byte may stand in a run
// (inRun), a bit of 0x60 set when it is special, and bit 7 set when it is a
// double or a single quote; the kernel compares for the backquote. Built
// from inRun and isSpecial, and checked against them and quoteClass for all
// 256 bytes (masks_test.go).
var maskTables = func() (t [64]byte) {
	// Each class is a union of sets {hi nibble} x {low nibbles}; every set
	// takes a bit, set in the high entry of its nibble and in the low
	// entries of its low nibbles.
	type set struct{ hi, lo []byte }
	var sets []set
	add := func(in func(byte) bool, from int) {
		for hi := range 16 {
			var los []byte
			for lo := range 16 {
				if in(byte(hi<<4 | lo)) {
					los = append(los, byte(lo))
				}
			}
			if len(los) == 0 {
				continue
			}
			// Rows with the same low nibbles share a bit.
			found := false
			for i := from; i < len(sets); i++ {
				if string(sets[i].lo) == string(los) {
					sets[i].hi = append(sets[i].hi, byte(hi))
					found = true
				}
			}
			if !found {
				sets = append(sets, set{[]byte{byte(hi)}, los})
			}
		}
	}
	add(func(c byte) bool { return inRun[c] }, 0)
	runSets := len(sets)
	add(specialASCII, runSets)
	if runSets > 5 || len(sets)-runSets > 2 {
		panic("scanner: byte classes need more nibble sets than the class byte has bits")
	}
	// The quotes the kernel does not compare: one set, bit 7.
	sets = append(sets, set{[]byte{'"' >> 4}, []byte{'"' & 15, '\'' & 15}})
	for i, s := range sets {
		bit := byte(1) << i
		switch {
		case i == len(sets)-1:
			bit = 0x80
		case i >= runSets:
			bit = 0x20 << (i - runSets)
		}
		for _, h := range s.hi {
			t[32+h] |= bit
			t[48+h] |= bit
		}
		for _, l := range s.lo {
			t[l] |= bit
			t[16+l] |= bit
		}
	}
	return t
}()

// forwardNL is lineIndex.forward on the masks: the (n+1)th newline at or
// after i if it stands before hi, else hi.
func (x *byteMasks) forwardNL(i, n, hi int) int {
	if i >= hi {
		return hi
	}
	x.ensure(i, hi)
	w := i >> 6
	word := x.nl[w] &^ (1<<(i&63) - 1)
	for {
		if c := bits.OnesCount64(word); n < c {
			for ; n > 0; n-- {
				word &= word - 1
			}
			return min(w<<6+bits.TrailingZeros64(word), hi)
		} else {
			n -= c
		}
		w++
		if w<<6 >= hi {
			return hi
		}
		if word = x.nl[w]; word == 0 {
			// A few words without a newline are passed one by one; the
			// block's summary is for the long lines. A word read past hi
			// (maybe not built) answers hi all the same, above.
			if v := w + 3; v < len(x.nl) && x.nl[w+1]|x.nl[w+2]|x.nl[v] != 0 {
				for w++; x.nl[w] == 0; w++ {
				}
			} else if w = x.nextNLWord(w, hi); w < 0 {
				return hi
			}
			word = x.nl[w]
		}
	}
}

// backNL is lineIndex.back on the masks: the start of the line n lines
// above the one holding i, or lo when that line starts before lo.
func (x *byteMasks) backNL(i, n, lo int) int {
	if i <= lo {
		return lo
	}
	x.ensure(lo, i)
	w := (i - 1) >> 6
	word := x.nl[w]
	if r := i - w<<6; r < 64 {
		word &= 1<<r - 1 // the newlines before i
	}
	for {
		if c := bits.OnesCount64(word); n < c {
			for ; n > 0; n-- {
				word &^= 1 << (63 - bits.LeadingZeros64(word))
			}
			return max(w<<6+63-bits.LeadingZeros64(word)+1, lo)
		} else {
			n -= c
		}
		if w<<6 <= lo || w == 0 {
			return lo
		}
		w--
		if word = x.nl[w]; word == 0 {
			// As in forwardNL: a few words one by one; a word read
			// before lo answers lo all the same.
			if v := w - 3; v >= 0 && x.nl[w-1]|x.nl[w-2]|x.nl[v] != 0 {
				for w--; x.nl[w] == 0; w-- {
				}
			} else if w = x.prevNLWord(w, lo); w < 0 {
				return lo
			}
			word = x.nl[w]
		}
	}
}

// A long line's words hold no newline: forwardNL and backNL pass them a
// block (64 words) at a step on the block's summary, so that the search for
// the end or the start of a long line, which every secret on it asks for,
// costs a few steps however far it reaches.

// nlWords returns block b's summary: bit k is set when word k of the block
// holds a newline. The block is built.
func (x *byteMasks) nlWords(b int) uint64 {
	if !x.summed[b] {
		var sum uint64
		for k, word := range x.nl[b<<6 : min(len(x.nl), (b+1)<<6)] {
			if word != 0 {
				sum |= 1 << k
			}
		}
		x.nlSum[b], x.summed[b] = sum, true
	}
	return x.nlSum[b]
}

// nextNLWord returns the first word from w on that holds a newline, or -1
// when none starts before hi. The bytes from word w to hi are built.
func (x *byteMasks) nextNLWord(w, hi int) int {
	for {
		b := w >> 6
		if sum := x.nlWords(b) &^ (1<<(w&63) - 1); sum != 0 {
			if w = b<<6 + bits.TrailingZeros64(sum); w<<6 >= hi {
				return -1
			}
			return w
		}
		if (b+1)<<maskBlockShift >= hi {
			return -1
		}
		w = (b + 1) << 6
	}
}

// prevNLWord returns the last word up to w that holds a newline, or -1 when
// none ends at or after lo (one that ends before lo may be returned too).
// The bytes from lo to word w are built.
func (x *byteMasks) prevNLWord(w, lo int) int {
	for {
		b := w >> 6
		if sum := x.nlWords(b) & (2<<(w&63) - 1); sum != 0 {
			return b<<6 + 63 - bits.LeadingZeros64(sum)
		}
		if b<<maskBlockShift <= lo {
			return -1
		}
		w = b<<6 - 1
	}
}

// bitsAt returns the bits of mask (one of x's) for bytes [lo, hi), hi-lo
// at most 64, from bit 0 on: the word holding lo shifted down, joined to
// the one after it. The blocks holding [lo, hi) are built; bits read of a
// word past them stand for bytes at or after hi, and are cut.
func (x *byteMasks) bitsAt(mask []uint64, lo, hi int) uint64 {
	w, r := lo>>6, uint(lo&63)
	b := mask[w] >> r
	if r != 0 && w+1 < len(mask) {
		b |= mask[w+1] << (64 - r)
	}
	if n := hi - lo; n < 64 {
		b &= 1<<n - 1
	}
	return b
}

// lastStop is lastStop on the masks: the last position in [i, i+40) whose
// byte cannot stand in a run, or -1 (also when a \u escape spans it).
// Without masks (x nil) it reads the bytes.
func (x *byteMasks) lastStop(d []byte, i int) int {
	if x == nil {
		return lastStop(d, i)
	}
	x.ensure(i, i+40)
	w, r := i>>6, uint(i&63)
	word := x.stop[w] >> r
	if r > 24 && w+1 < len(x.stop) { // the 40 bits run into the next word
		word |= x.stop[w+1] << (64 - r)
	}
	word &= 1<<40 - 1
	if word == 0 {
		return -1
	}
	k := i + 63 - bits.LeadingZeros64(word)
	for q := max(i, k-5); q < k; q++ {
		if d[q] == '\\' && d[q+1] == 'u' {
			return -1
		}
	}
	return k
}

// nextLong is runsIn's leap over text that holds no run of 40 bytes. Its
// first answer, p, is the first position in [i, end) where no byte of
// [p, p+40) is a stop byte, or end where there is none: lastStop's steps
// from i go on until they reach that place (a step from j ends after the
// last stop byte of [j, j+40), and no position it passes is such a place),
// unless a \u escape makes a step stop early. Its second answer, q, is a
// \u (a backslash and a u) at or after i, the first in the words read
// (up to the one holding p+38), or -1: where there is one, runsIn takes
// the steps one by one past it. What it read of the \u is left in c.
// end is at most len(d)-39, and the caller has built the blocks holding
// [i, end+39): the stop bits after those (in the word after the last read,
// maybe not built) decide only places at or after end.
func (x *byteMasks) nextLong(d []byte, i, end int, c *uCursor) (p, q int) {
	p, q = end, -1
	stop, special := x.stop, x.special
	first := ^uint64(0) << (i & 63) // the bits at or after i in its word
	last := (end + 38) >> 6         // the last word whose \u may matter
	w := i >> 6
	for ; w <= last && w < len(special); w++ {
		for b := special[w] & first; b != 0; b &= b - 1 {
			if k := w<<6 + bits.TrailingZeros64(b); d[k] == '\\' && k+1 < len(d) && d[k+1] == 'u' {
				c.u1, c.w1 = k+1, w+1
				return p, k
			}
		}
		if w<<6 >= p {
			continue // the word after p's, for the \u that a step before p may stop at
		}
		var next uint64
		if w+1 < len(stop) {
			next = stop[w+1]
		}
		// Forty clear bits from a bit of this word hold an aligned 16 of
		// this word or the first 16 of the next: most words of text have a
		// stop byte in every 16, and no place to look at further.
		const lanes = 0x0001_0001_0001_0001
		if v := stop[w]; (v-lanes)&^v&(lanes<<15) == 0 && next&0xffff != 0 {
			first = ^uint64(0)
			continue
		}
		if l := longStarts(stop[w], next) & first; l != 0 {
			p = min(end, w<<6+bits.TrailingZeros64(l))
			last = (p + 38) >> 6
		}
		first = ^uint64(0)
	}
	c.u1, c.w1 = 0, w // no \u at or after i in the words up to w-1
	return p, q
}

// leap is nextLong's answer, asked with c carried from question to
// question (i never smaller than the last time). At a place where a run
// of 40 may start, the answer is that place unless a \u stands in the
// words up to i+38, which the cursor knows having read each word once:
// inside a stretch of backslashes runsIn asks every two bytes, and
// reading the words up to i+38 afresh each time cost a kilobyte of work
// per byte.
func (x *byteMasks) leap(d []byte, i, end int, c *uCursor) (p, q int) {
	if i < end && x.clear40(i) {
		return i, c.at(d, x.special, i, (i+38)>>6)
	}
	return x.nextLong(d, i, end, c)
}

// clear40 reports whether no byte of [i, i+40) is a stop byte: whether a
// run of 40 may start at i. The blocks holding them are built.
func (x *byteMasks) clear40(i int) bool {
	w, r := i>>6, uint(i&63)
	word := x.stop[w] >> r
	if r > 24 && w+1 < len(x.stop) {
		word |= x.stop[w+1] << (64 - r)
	}
	return word&(1<<40-1) == 0
}

// uCursor finds the \u escapes (a backslash and a u) of runsIn's data in
// order, for nextLong. Its questions come with i never smaller than the
// last one's, so each word of the special mask is read at most twice.
// The zero cursor has read nothing.
type uCursor struct {
	u1 int // one more than the first \u at or after the last question's i in the words read, or 0
	w1 int // one more than the last word read
}

// from returns what the cursor knows for a question from i: the first \u
// at or after i in the words read, or -1, and the last word read.
func (c *uCursor) from(i int) (u, w int) {
	u, w = c.u1-1, c.w1-1
	if u >= 0 && u < i || w < i>>6-1 {
		u, w = -1, i>>6-1 // read again from i's word
	}
	return u, w
}

// at returns the first \u at or after i if it stands in a word up to last,
// else -1. i is never smaller than in the question before.
func (c *uCursor) at(d []byte, special []uint64, i, last int) int {
	if u := c.u1 - 1; u >= i {
		if u>>6 <= last {
			return u
		}
		return -1
	} else if u < 0 && c.w1 > last && c.w1 >= i>>6 {
		return -1 // the words up to last are read, and hold none
	}
	return c.read(d, special, i, last)
}

// read is at when the words up to last are not all read.
func (c *uCursor) read(d []byte, special []uint64, i, last int) int {
	u, w := c.from(i)
	if u < 0 && w < last && w+1 < len(special) {
		u, w = firstU(d, special, i, w+1, min(last, len(special)-1))
	}
	c.u1, c.w1 = u+1, w+1
	if u >= 0 && u>>6 <= last {
		return u
	}
	return -1
}

// firstU returns the first \u at or after i in the words [from, to] of the
// special mask, or -1, and the last word it read; from is i's word or one
// after it.
func firstU(d []byte, special []uint64, i, from, to int) (u, w int) {
	b := special[from]
	if from == i>>6 {
		b &= ^uint64(0) << (i & 63)
	}
	for w = from; ; {
		for ; b != 0; b &= b - 1 {
			if k := w<<6 + bits.TrailingZeros64(b); d[k] == '\\' && k+1 < len(d) && d[k+1] == 'u' {
				return k, w
			}
		}
		if w++; w > to {
			return -1, to
		}
		b = special[w]
	}
}

// longIn reports whether 40 bytes in a row that are no stop byte start at
// a place in [a, b): longStarts over the words, most of them passed by the
// test nextLong makes first. b+39 is at most len(d), and the blocks holding
// [a, b+39) are built: the bits of a word read after those decide only
// places at or after b.
func (x *byteMasks) longIn(a, b int) bool {
	const lanes = 0x0001_0001_0001_0001
	first, last := a>>6, (b-1)>>6
	// The words [first, last] and the one after last where there is one.
	ws := x.stop[first:min(len(x.stop), last+2)]
	for j, v := range ws[:last-first+1] {
		var next uint64
		if j+1 < len(ws) {
			next = ws[j+1]
		}
		if (v-lanes)&^v&(lanes<<15) == 0 && next&0xffff != 0 {
			continue
		}
		l := longStarts(v, next)
		if j == 0 {
			l &= ^uint64(0) << (a & 63)
		}
		if e := b - (first+j)<<6; e < 64 {
			l &= 1<<e - 1
		}
		if l != 0 {
			return true
		}
	}
	return false
}

// longStarts returns the bits b of a word of the stop mask, stop, where no
// stop bit is set in the 40 bits from b on, next being the word after it:
// the places where 40 bytes in a row may all stand in a run.
func longStarts(stop, next uint64) uint64 {
	lo, hi := ^stop, ^next
	// After the step by k, bit b says: no stop bit in [b, b+2k).
	lo, hi = lo&(lo>>1|hi<<63), hi&(hi>>1)
	lo, hi = lo&(lo>>2|hi<<62), hi&(hi>>2)
	lo, hi = lo&(lo>>4|hi<<60), hi&(hi>>4)
	lo8, hi8 := lo, hi
	lo, hi = lo&(lo>>8|hi<<56), hi&(hi>>8)
	lo &= lo>>16 | hi<<48 // [b, b+32)
	return lo & (lo8>>32 | hi8<<32)
}

// joinAt is joinAt (concat.go) with the start of the quote's line and the
// literal's opening quote found on the masks: the last newline, and the last
// quote of the same kind, in the maxLiteralBytes before i, read from the top
// bit down instead of byte by byte (TestMaskedJoinAtAsBytes). Its first
// answer means something only when its second is true.
func (x *byteMasks) joinAt(d []byte, i int) (int, bool) {
	c := d[i]
	if j := i + 1; j < len(d) && (!joinFollows[d[j]] || isQuote(d[j]) && !juxtaposed(d, i)) {
		return 0, false
	}
	if _, ok := nextLiteral(d, i+1); !ok {
		return 0, false
	}
	lo := max(0, i-maxLiteralBytes)
	if lo >= i {
		return 0, false
	}
	x.ensure(lo, i)
	ls := lo // after the last newline in [lo, i)
	for w := (i - 1) >> 6; w >= lo>>6; w-- {
		b := x.nl[w]
		if hi := i - w<<6; hi < 64 {
			b &= 1<<hi - 1
		}
		if w == lo>>6 {
			b &^= 1<<(lo&63) - 1
		}
		if b != 0 {
			ls = w<<6 + 64 - bits.LeadingZeros64(b)
			break
		}
	}
	for w := (i - 1) >> 6; w >= ls>>6 && ls < i; w-- { // the last c in [ls, i)
		b := x.quote[w]
		if hi := i - w<<6; hi < 64 {
			b &= 1<<hi - 1
		}
		if w == ls>>6 {
			b &^= 1<<(ls&63) - 1
		}
		for ; b != 0; b &^= 1 << (63 - bits.LeadingZeros64(b)) {
			if k := w<<6 + 63 - bits.LeadingZeros64(b); d[k] == c {
				return k, true
			}
		}
	}
	return 0, false
}
