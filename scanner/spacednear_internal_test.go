package scanner

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// checkSpacedNear checks, at every place of d, that a place
// spacedLinesNoKey turns down is no key's by the lines' reading
// (spacedLinesAt), and that spacedHexKey answers as that reading does
// where it answers yes.
func checkSpacedNear(t *testing.T, d []byte) {
	t.Helper()
	key := make([]bool, len(d)) // the lines' reading at each place
	for at := range d {
		if !spacedPlaceAt(d, at) {
			continue
		}
		key[at] = spacedLinesAt(d, at)
		dd, aa := d, at
		if w0, w1, long := spacedNear(d, at); long {
			dd, aa = d[w0:w1], at-w0
		}
		if spacedLinesNoKey(dd, aa, lastNewline(dd, 0, aa)+1, nextNewline(dd, aa)) && key[at] {
			t.Fatalf("%q: place %d turned down near, a key's by the lines", d, at)
		}
	}
	var others []window // the other patterns' occurrences
	for _, p := range patterns {
		for i := 0; p.kind != anchorSpacedHex; {
			k := bytes.Index(d[i:], []byte(p.text))
			if k < 0 {
				break
			}
			others = append(others, window{i + k, i + k + len(p.text)})
			i += k + 1
		}
	}
	for at := range d {
		if !spacedPlaceAt(d, at) {
			continue
		}
		lo, nl := lastNewline(d, 0, at)+1, nextNewline(d, at)
		e, to := spacedLongSkip(d, at, lo, nl, true)
		if e == 0 {
			e, to = spacedChainSkip(d, at, lo, nl, true)
		}
		if e == 0 {
			continue
		}
		if e <= at || to > e {
			t.Fatalf("%q: place %d skips to %d, the prefilter to %d", d, at, e, to)
		}
		for p := at + 1; p < e; p++ {
			if key[p] {
				t.Fatalf("%q: place %d passed over from %d to %d, a key's by the lines", d, p, at, e)
			}
		}
		for _, o := range others {
			if o.lo >= at && o.lo < to { // (one before at was reported before it)
				t.Fatalf("%q: pattern %q at %d passed over from %d to %d", d, d[o.lo:o.hi], o.lo, at, to)
			}
		}
	}
	checkSpacedLinesSkip(t, d, key, others)
}

// checkSpacedLinesSkip checks, at every place of d, that the places
// spacedLinesSkip passes over are no key's by the lines' reading (key, at
// each place), and that no other pattern stands where it lets the
// prefilter pass.
func checkSpacedLinesSkip(t *testing.T, d []byte, key []bool, others []window) {
	t.Helper()
	for at := range d {
		if !spacedPlaceAt(d, at) {
			continue
		}
		e, to, fail := spacedLinesSkip(d, at, lastNewline(d, 0, at)+1, nextNewline(d, at))
		if e == 0 {
			if to != 0 || fail <= at && fail != 0 {
				t.Fatalf("%q: place %d passes over none, the prefilter to %d, asked again from %d", d, at, to, fail)
			}
			continue
		}
		if e <= at || to > e || fail != 0 && fail < e {
			t.Fatalf("%q: place %d skips to %d, the prefilter to %d (fail %d)", d, at, e, to, fail)
		}
		for p := at + 1; p < e; p++ {
			if key[p] {
				t.Fatalf("%q: place %d passed over from %d to %d by the lines, a key's by the lines' reading", d, p, at, e)
			}
		}
		for _, o := range others {
			if o.lo >= at && o.lo < to {
				t.Fatalf("%q: pattern %q at %d passed over from %d to %d by the lines", d, d[o.lo:o.hi], o.lo, at, to)
			}
		}
	}
}

// TestSpacedLongSkipPatterns: the only patterns that stand wholly in a
// stretch of pairs and gaps (hex digits, no three in a row; blanks, tabs,
// pair separators) are spaced hex's own and "73,", which spacedChainSkip
// lets the prefilter pass over only where no "73," stands.
func TestSpacedLongSkipPatterns(t *testing.T) {
	for _, p := range patterns {
		run, stretch := 0, true
		for i := 0; i < len(p.text); i++ {
			switch c := p.text[i]; {
			case isHex(c):
				run++
				stretch = stretch && run <= 2
			case spacedStretchGap(c):
				run = 0
			default:
				stretch = false
			}
		}
		if stretch && p.kind != anchorSpacedHex && p.text != "73," {
			t.Errorf("pattern %q stands in a stretch of pairs: spacedChainSkip would let the prefilter pass over it", p.text)
		}
	}
}

// spacedNearText is random text of groups of every width the lines'
// reading reads (pairs, xxd's groups, odd runs), with the gaps, offsets,
// colons, marks and line ends it reads them with.
func spacedNearText(r *rand.Rand, n int) []byte {
	groups := []string{"41", "4b", "53", "49", "41", "4b", "49", "12", "414b", "4941", "4153", "414b4941", "41534941", "4", "123",
		"4b49", "49414b49", "0010", "00000010", "0000020", "0x0010", "ab", "4B"}
	gaps := []string{" ", " ", " ", "  ", "   ", "    ", "\t", ":", ": ", ":  ", ",", ", ", "-", "- ", ",\t", "\n", " \n", "\r\n",
		"\n# ", "\n00000010: ", "\n0000020 ", "  |AK|\n", "\"", "x", " x ", "|", ")", "\nDEBUG 00000010: ", "\n\n", "\n "}
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(groups[r.IntN(len(groups))])
		b.WriteString(gaps[r.IntN(len(gaps))])
	}
	return []byte(b.String())
}

// TestSpacedNearAsLines: on random spaced hex of every shape, short and
// long lines, spacedLinesNoKey turns down no place the lines' reading
// takes (checkSpacedNear).
func TestSpacedNearAsLines(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 4))
	for range 3000 {
		checkSpacedNear(t, spacedNearText(r, 20+r.IntN(400)))
		checkSpacedNear(t, spacedText(r, 20+r.IntN(400)))
	}
	// long lines: the reading near a place of a line longer than spacedReach
	for range 300 {
		d := spacedNearText(r, 2000)
		if r.IntN(2) == 0 {
			d = spacedText(r, 2000)
		}
		for i := range d {
			if d[i] == '\n' && r.IntN(8) != 0 {
				d[i] = ' '
			}
		}
		checkSpacedNear(t, d)
	}
}

// spacedStretchText is long lines of groups and the gaps a line's
// reading goes on over or not (spacedLongSkip's stretches), a key's
// pairs, a colon, a line break and a word now and then.
func spacedStretchText(r *rand.Rand, n int) []byte {
	groups := []string{"41", "4b", "53", "49", "41", "4b", "49", "12", "73", "414b", "4941", "4153", "414b4941", "4", "123", "0010"}
	gaps := []string{" ", " ", " ", "  ", "   ", "    ", "\t", ":", ",", ", ", "-", "- ", ": ", ",\t", " , "}
	rare := []string{"\n", "x", " 41 4b 49 41 ", " 41:53:49:41 ", "0010: ", "73,"}
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(groups[r.IntN(len(groups))])
		if r.IntN(200) == 0 {
			b.WriteString(rare[r.IntN(len(rare))])
		} else {
			b.WriteString(gaps[r.IntN(len(gaps))])
		}
	}
	return []byte(b.String())
}

// TestSpacedLongSkip: on long lines of groups, the places spacedLongSkip
// passes over are no key's by the lines' reading, and no other pattern
// stands where it lets the prefilter pass (checkSpacedNear); and it
// passes over some.
func TestSpacedLongSkip(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 6))
	skipped := 0
	for range 200 {
		d := spacedStretchText(r, 3000)
		checkSpacedNear(t, d)
		for at := range d {
			if spacedPlaceAt(d, at) {
				if e, _ := spacedLongSkip(d, at, lastNewline(d, 0, at)+1, nextNewline(d, at), true); e > 0 {
					skipped++
				}
			}
		}
	}
	if skipped == 0 {
		t.Fatal("no place passed over")
	}
}

// spacedChainText is lines of pairs, 20 to 300 bytes, parted by the gaps
// a line's reading goes on over or not, a key's pairs, a colon, a wider
// group, a word and a CR now and then.
func spacedChainText(r *rand.Rand, n int) []byte {
	pairs := []string{"41", "4b", "53", "49", "41", "4b", "49", "12", "73", "4B"}
	gaps := []string{" ", " ", " ", " ", "  ", "   ", "\t", ":", ",", ", ", "-", "- "}
	rare := []string{"    ", ": ", ",\t", " 41 4b 49 41 ", " 41:53:49:41 ", "0010: ", "73,", "414b", "4", "x", "|", "\r", "00000010  "}
	var b strings.Builder
	for b.Len() < n {
		line := 20 + r.IntN(280)
		for k := 0; k < line; {
			p := pairs[r.IntN(len(pairs))]
			g := gaps[r.IntN(len(gaps))]
			if r.IntN(40) == 0 {
				g = rare[r.IntN(len(rare))]
			}
			b.WriteString(p + g)
			k += len(p) + len(g)
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// TestSpacedChainSkip: on lines of chained pairs, the places
// spacedChainSkip passes over are no key's by the lines' reading, and no
// other pattern stands where it lets the prefilter pass
// (checkSpacedNear); and it passes over some.
func TestSpacedChainSkip(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 7))
	skipped, jumped := 0, 0
	for range 150 {
		d := spacedChainText(r, 3000)
		checkSpacedNear(t, d)
		for at := range d {
			if spacedPlaceAt(d, at) {
				e, to := spacedChainSkip(d, at, lastNewline(d, 0, at)+1, nextNewline(d, at), true)
				if e > 0 {
					skipped++
				}
				if to > 0 {
					jumped++
				}
			}
		}
	}
	if skipped == 0 || jumped == 0 {
		t.Fatalf("%d places passed over, %d by the prefilter", skipped, jumped)
	}
}

// FuzzSpacedNear: checkSpacedNear on any text.
func FuzzSpacedNear(f *testing.F) {
	f.Add([]byte(" 41 414b 41 414b 41 414b 41 414b 41 414b\n 41 4b 49 41"))
	f.Add([]byte(" 41  4b  41  4b\n 41  4b  49  41\n"))
	f.Add([]byte("00000010: 414b 4941 5341\n00000020: 4b49 41"))
	f.Fuzz(func(t *testing.T, d []byte) {
		if len(d) > 4096 {
			return
		}
		checkSpacedNear(t, d)
	})
}

// TestLastNewline: lastNewline is bytes.LastIndexByte's answer on every
// stretch of texts with line breaks and bytes near one.
func TestLastNewline(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 5))
	for range 2000 {
		d := make([]byte, r.IntN(70))
		for i := range d {
			d[i] = []byte{'\n', 'a', 0x0b, 0x09, 0x8a, 0}[r.IntN(6)]
		}
		lo := r.IntN(len(d) + 1)
		hi := lo + r.IntN(len(d)-lo+1)
		if got, want := lastNewline(d, lo, hi), bytes.LastIndexByte(d[lo:hi], '\n')+lo; got != want && !(want == lo-1 && got == lo-1) {
			t.Fatalf("lastNewline(%q, %d, %d) = %d, want %d", d, lo, hi, got, want)
		}
	}
}
