package scanner

import "encoding/hex"

// decodeHex decodes the hex runs the prefilter pointed at (where the hex of
// AKIA, ASIA, aws_, AWS_, ecret or ECRET stands: a key or a credentials file
// written as hex for bytes.fromhex, or in a firmware or NVRAM dump) and
// scans what they hold, reporting findings at the hex text with encoding
// "hex". A run is the stretch of hex digits around the anchor (after a 0x,
// which is no digit), read from where the anchor says bytes start: a run
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
		s, e := at, at
		for s > 0 && isHex(d[s-1]) {
			s--
		}
		for e < len(d) && isHex(d[e]) {
			e++
		}
		done = e
		if (at-s)%2 == 1 {
			s++ // a run of odd length: the anchor's parity says where bytes start
		}
		n := (e - s) / 2
		if n < 8 {
			continue
		}
		if !m.spendBytes(decodeStep, 2*n, m.decodeCost()) {
			continue // the check budget is spent: counted (Counts.Unchecked)
		}
		dec := m.scratch.hexBuf(n)
		if _, err := hex.Decode(dec, d[s:s+2*n]); err != nil {
			continue
		}
		if !mostlyText(dec) {
			m.embed(dec, s, "hex")
			continue
		}
		m.subScan(dec, "hex", func(i int) int { return s + 2*i }, func(i int) int { return s + 2*i })
	}
}

// hexBuf returns n bytes of the scratch memory for a decoded run.
func (sc *scratch) hexBuf(n int) []byte {
	if cap(sc.decoded) < n {
		sc.decoded = make([]byte, n)
	}
	sc.decoded = sc.decoded[:n]
	return sc.decoded
}
