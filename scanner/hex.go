package scanner

import "encoding/binary"

// decodeHex decodes the hex runs the prefilter pointed at (where the hex of
// AKIA, ASIA, aws_, AWS_, ecret or ECRET stands: a key or a credentials file
// written as hex for bytes.fromhex, or in a firmware or NVRAM dump) and
// scans what they hold, reporting findings at the hex text with encoding
// "hex". A run is the stretch of hex digits around the anchor (after a 0x,
// which is no digit), or the lines of one that xxd -p wrote (hexLines),
// read from where the anchor says bytes start: a run
// of odd length loses its first digit when the anchor stands an odd number
// of digits into it. Decoded runs are half as long as their text and
// disjoint.
func (m *match) decodeHex() {
	done := -1
	d := m.data
	for _, at := range m.hex {
		if at < done || m.spent() {
			continue
		}
		s := classRunStart(d, at, &notHex)
		segs, e := hexLines(d, s, true, m.scratch.segs[:0])
		m.scratch.segs = segs
		done = e
		digits := segs[len(segs)-1].char + e - segs[len(segs)-1].raw
		off := 0
		if hexIndex(segs, at)%2 == 1 {
			off = 1 // a run of odd length: the anchor's parity says where bytes start
		}
		n := (digits - off) / 2
		if n < 8 {
			continue
		}
		if !m.spendBytes(decodeStep, 2*n, m.decodeCost()) {
			continue // the check budget is spent: counted (Counts.Unchecked)
		}
		dec := m.scratch.hexBuf(n)
		if !hexDecodeLines(d, segs, e, off, dec) {
			continue
		}
		if !mostlyText(dec) || isPDF(dec) {
			m.embed(dec, hexRaw(segs, off), "hex")
			continue
		}
		m.subScan(dec, "hex", func(i int) int { return hexRaw(segs, off+2*i) }, func(i int) int { return hexRaw(segs, off+2*i-1) + 1 })
	}
}

// hexLines returns the lines of the hex run whose digits start at s, as
// segs (each line's first digit: its index among the run's digits and its
// offset in d) appended to segs, and where the run's last digit ends. A run
// that fills its line, 16 digits or more and an even number of them, goes
// on over the lines that follow it that are as long, and one shorter last
// line, after any indentation, as xxd -p (60 digits a line) and hexdump
// write a file, as base64 runs are joined (b64Span); back also takes in
// the full lines of the same length before s.
func hexLines(d []byte, s int, back bool, segs []seg) ([]seg, int) {
	e := hexRunEnd(d, s)
	w, s, wrapped := walkOf(d, s, e) // bare lines, behind a quote, a string's escaped lines (qa18 M1)
	width := e - s
	wrapped = wrapped && width >= 16 && width%2 == 0
	for back && wrapped {
		ps, pe, ok := w.prev(d, s, &notHex)
		if !ok || pe-ps != width {
			break
		}
		s = ps
	}
	segs = append(segs, seg{0, s})
	n, le := 0, e
	if s != e-width {
		le = hexRunEnd(d, s) // the first line, found going back
	}
	// Each line's digits are read once: the next line's end is its own.
	for ls := s; ; {
		if le-ls != width || !wrapped {
			return segs, le
		}
		n += width
		ns, ok := w.next(d, le, &notHex)
		if !ok {
			return segs, le
		}
		ne := hexRunEnd(d, ns)
		if ne-ns > width || ne < len(d) && isWordByte(d[ne]) {
			return segs, le // a word that starts with hex letters, not a line of the run
		}
		segs = append(segs, seg{n, ns})
		ls, le = ns, ne
	}
}

// lineEnds reports whether a run that ends at e ends its line (blanks may
// follow), lineStarts whether one that starts at s starts its line after
// any indentation.
func lineEnds(d []byte, e int) bool {
	for e < len(d) && (d[e] == ' ' || d[e] == '\t') {
		e++
	}
	return e == len(d) || d[e] == '\n' || d[e] == '\r'
}

func lineStarts(d []byte, s int) bool {
	for s > 0 && (d[s-1] == ' ' || d[s-1] == '\t') {
		s--
	}
	return s == 0 || d[s-1] == '\n'
}

// hexIndex is the index among the run's digits of the one at offset at.
func hexIndex(segs []seg, at int) int {
	j := len(segs) - 1
	for j > 0 && segs[j].raw > at {
		j--
	}
	return segs[j].char + at - segs[j].raw
}

// hexRaw is the offset of the run's digit i (hexIndex's inverse).
func hexRaw(segs []seg, i int) int {
	i = max(i, 0)
	j := len(segs) - 1
	for j > 0 && segs[j].char > i {
		j--
	}
	return segs[j].raw + i - segs[j].char
}

// hexDecodeLines decodes into dec the digits of the run's lines (segs,
// the last ending at end) from digit off on, as many as dec holds. A run
// may be the whole input (a file of hex lines of one width), so each
// line's pairs are decoded by hexPairs, and only a pair split over two
// lines (off odd) digit by digit.
func hexDecodeLines(d []byte, segs []seg, end, off int, dec []byte) bool {
	k, hi, skip := 0, -1, off
	for j, g := range segs {
		le := segEnd(segs, j, end)
		i := g.raw + min(skip, le-g.raw)
		skip -= i - g.raw
		if hi >= 0 && i < le && k < len(dec) {
			v := int(hexDigit[d[i]])
			if v < 0 {
				return false
			}
			dec[k] = byte(hi<<4 | v)
			k, hi, i = k+1, -1, i+1
		}
		n := min((le-i)/2, len(dec)-k)
		hexPairs(dec[k:k+n], d[i:i+2*n])
		k, i = k+n, i+2*n
		if i < le && k < len(dec) {
			if hi = int(hexDigit[d[i]]); hi < 0 {
				return false
			}
		}
	}
	return k == len(dec)
}

// hexPairs decodes the 2*len(dst) hex digits of src (only digits:
// hexLines reads no other) into dst, eight bytes at a time: each digit's
// value is its low four bits, plus nine for a letter (bit 6 set), and the
// values are paired and packed in the word.
func hexPairs(dst, src []byte) {
	i := 0
	if haveRunKernel && len(dst) >= 32 {
		// 32 bytes in about twenty instructions, where the loop below
		// takes seventy for eight: a run of hex may be the whole input.
		_ = src[2*len(dst)-1]
		i = len(dst) &^ 31
		hexPairsAVX2(&dst[0], &src[0], i)
	}
	for ; i+8 <= len(dst); i += 8 {
		s := src[2*i : 2*i+16 : 2*i+16]
		lo := hexWord(binary.LittleEndian.Uint64(s))
		hi := hexWord(binary.LittleEndian.Uint64(s[8:]))
		binary.LittleEndian.PutUint64(dst[i:], uint64(lo)|uint64(hi)<<32)
	}
	for ; i < len(dst); i++ {
		dst[i] = byte(hexDigit[src[2*i]])<<4 | byte(hexDigit[src[2*i+1]])
	}
}

// hexWord decodes eight hex digits, the first in the low byte of w, to
// four bytes, the first in the low byte of the result.
func hexWord(w uint64) uint32 {
	v := w&0x0f0f0f0f0f0f0f0f + (w>>6)&0x0101010101010101*9 // each byte a digit's value
	t := (v<<4 | v>>8) & 0x00ff00ff00ff00ff                 // byte 2k: digit 2k's value, then 2k+1's
	t = (t | t>>8) & 0x0000ffff0000ffff
	return uint32(t | t>>16)
}

// hexBuf returns n bytes of the scratch memory for a decoded run.
func (sc *scratch) hexBuf(n int) []byte {
	if cap(sc.decoded) < n {
		sc.decoded = make([]byte, n)
	}
	sc.decoded = sc.decoded[:n]
	return sc.decoded
}
