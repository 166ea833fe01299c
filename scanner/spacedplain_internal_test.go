package scanner

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// spacedPlaceAt reports whether a spaced-hex fingerprint starts at at.
func spacedPlaceAt(d []byte, at int) bool {
	if at+3 > len(d) || string(d[at+1:at+3]) != "41" {
		return false
	}
	switch d[at] {
	case ' ', '\t', ':', ',', '-':
		return true
	}
	return false
}

// spacedLinesAt is the lines' reading of the place at as spacedHexKey
// asks it (on a long line's part near at).
func spacedLinesAt(d []byte, at int) bool {
	if w0, w1, long := spacedNear(d, at); long {
		d, at = d[w0:w1], at-w0
	}
	ok, _ := spacedLinesKey(d, at, nil)
	return ok
}

// checkSpacedPlain checks, at every place of d, that what spacedHexKey
// answers without the lines' reading is what that reading answers: a
// place spacedPlainNoKey or the group width turns down is no key's by the
// lines' reading, spacedHexKey answers as the reading does, and every
// place spacedPlainSkip and spacedPlainLines pass over is no key's, with
// no other pattern there.
func checkSpacedPlain(t *testing.T, d []byte) {
	t.Helper()
	key := make([]bool, len(d)) // the lines' reading at each place
	for at := range d {
		key[at] = spacedPlaceAt(d, at) && spacedLinesAt(d, at)
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
		dd, aa := d, at
		if w0, w1, long := spacedNear(d, at); long {
			dd, aa = d[w0:w1], at-w0
		}
		if spacedPair(dd, aa+1) {
			if no, _ := spacedPlainNoKey(dd, aa, nil); no && key[at] {
				t.Fatalf("%q: place %d turned down plain, a key's by the lines", d, at)
			}
		}
		if k, _ := spacedHexKey(d, at, nil); k && !key[at] {
			t.Fatalf("%q: place %d a key's, not by the lines", d, at)
		}
		skip := spacedPlainSkip(d, at, true)
		if skip == 0 {
			skip = spacedPlainLines(d, at)
		}
		if skip == 0 {
			continue
		}
		if skip <= at {
			t.Fatalf("%q: place %d skips back to %d", d, at, skip)
		}
		for p := at + 1; p < skip; p++ {
			if key[p] {
				t.Fatalf("%q: place %d passed over from %d to %d, a key's by the lines", d, p, at, skip)
			}
		}
		for _, o := range others {
			if o.lo < skip && o.hi > at {
				t.Fatalf("%q: pattern %q at %d passed over from %d to %d", d, d[o.lo:o.hi], o.lo, at, skip)
			}
		}
	}
}

// spacedText is random text of pairs (mostly 41, 4b, 53, 49) and the
// separators, line ends, offsets and columns spaced hex is read with.
func spacedText(r *rand.Rand, n int) []byte {
	pairs := []string{"41", "4b", "53", "49", "41", "4b", "49", "12", "4B", "414b", "4941", "4"}
	seps := []string{" ", " ", " ", " ", "", "\t", ",", ":", "-", ", ", "  ", "    ", "\n", " \n", "\r\n", "\n# ",
		"\n00000010: ", "\n0000020 ", "  |AK|\n", "\"", "x", ": ", "\n\n", "\n "}
	var b strings.Builder
	plain := r.IntN(3) == 0
	for b.Len() < n {
		b.WriteString(pairs[r.IntN(len(pairs))])
		if plain && r.IntN(8) != 0 {
			b.WriteString(" ")
			continue
		}
		b.WriteString(seps[r.IntN(len(seps))])
	}
	return []byte(b.String())
}

// TestSpacedPlainAsLines: on random spaced hex, plain or not, the plain
// readings answer as the lines' reading (checkSpacedPlain).
func TestSpacedPlainAsLines(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 1))
	for range 3000 {
		checkSpacedPlain(t, spacedText(r, 20+r.IntN(300)))
	}
	// long plain stretches and lines, a key now and then
	for _, s := range []string{" 41 4b", " 41 4b\n", " 41 49\n", "41 4b 49 41 ", " 41 4b\r\n", "\t41\t4b 49 12 41 53 49 12 "} {
		for _, k := range []int{0, 100, 333} {
			// a key, or a pattern of hex digits, that ends the stretch
			for _, in := range []string{" 41 4b 49 41 ", " 414b4941", " 12 6177735f", "0041"} {
				d := []byte(strings.Repeat(s, 5000/len(s)))
				if k > 0 {
					copy(d[k:], in)
				}
				checkSpacedPlain(t, d)
			}
		}
	}
}

// TestSpacedSkipPatterns: the only patterns that stand wholly in plain
// spaced hex (pairs, blanks, tabs, line ends; no three digits in a row)
// are spaced hex's own, which spacedPlainSkip and spacedPlainLines pass
// over.
func TestSpacedSkipPatterns(t *testing.T) {
	for _, p := range patterns {
		run, plain := 0, true
		for i := 0; i < len(p.text); i++ {
			switch c := p.text[i]; {
			case isHex(c):
				run++
				plain = plain && run <= 2
			case c == ' ' || c == '\t' || c == '\r' || c == '\n':
				run = 0
			default:
				plain = false
			}
		}
		if plain && p.kind != anchorSpacedHex {
			t.Errorf("pattern %q stands in plain spaced hex: spacedPlainSkip would pass over it", p.text)
		}
	}
}

// FuzzSpacedPlain: checkSpacedPlain on any text.
func FuzzSpacedPlain(f *testing.F) {
	f.Add([]byte(" 41 4b 41 4b 41 4b 41 4b 41 4b 41 4b 41 4b 41 4b 41 4b"))
	f.Add([]byte(" 41 4b\n 41 4b\n 41 4b\n 41 4b\n 41 49\n 41 4b\n"))
	f.Add([]byte("00000000  41 4b 49 41 53  |AKIAS|\n00000010  49 41\n"))
	f.Fuzz(func(t *testing.T, d []byte) {
		if len(d) > 4096 {
			return
		}
		checkSpacedPlain(t, d)
	})
}
