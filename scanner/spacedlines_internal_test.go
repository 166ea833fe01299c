package scanner

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestSpacedOtherIn: every pattern of another kind than spaced hex's,
// put in lines of groups, is found by spacedOtherIn from a place before
// it or within it, at its start or before.
func TestSpacedOtherIn(t *testing.T) {
	r := rand.New(rand.NewPCG(35, 16))
	for _, p := range patterns {
		if p.kind == anchorSpacedHex {
			continue
		}
		for range 20 {
			d := spacedLinesText(r, 200+r.IntN(300))
			q := r.IntN(len(d))
			d = slices.Concat(d[:q], []byte(p.text), d[q:])
			at := r.IntN(q + len(p.text))
			if got := spacedOtherIn(d, at, len(d)); got > q {
				t.Fatalf("%q: pattern %q at %d, from %d: first other at %d", d, p.text, q, at, got)
			}
		}
	}
}

// spacedLinesText is lines of 20 to 300 bytes of groups of every width
// (pairs, xxd's groups, odd runs), an xxd or od offset on some, parted
// by the gaps a line's reading goes on over or not (an I's pair rare in
// half of them), with a key's pairs,
// another pattern's digits, an ASCII column, a word, a CR now and then.
func spacedLinesText(r *rand.Rand, n int) []byte {
	groups := []string{"41", "414b", "414b", "41534942", "4b49", "4941", "12", "4b", "49", "53", "0a0d", "73", "4", "123", "4B"}
	if r.IntN(2) == 0 {
		groups = []string{"41", "414b", "414b", "41534b42", "4b41", "4153", "12", "4b", "53", "0a0d", "73", "4", "123", "4B"} // an I rare
	}
	gaps := []string{" ", " ", " ", " ", "  ", "   ", "\t", ":", ",", ", ", "-"}
	rare := []string{"    ", ": ", " 41 4b 49 41 ", " 414b 4941 ", " 41:53:49:41 ", "73,", "414b4941", "1f8b08", "ACCA", "x", "  |AK.IA|", "\r", " 4149 ", strings.Repeat(" ", 100+r.IntN(40))}
	heads := []string{"", "", "0010: ", "00000010: ", "0000020 ", "00000010  ", "# ", "// ", "> ", "\t", "\"", "%",
		"DEBUG 00000010: ", "app[1]: 00000010  ", "# 0010: ", "; "}
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(heads[r.IntN(len(heads))])
		line := 20 + r.IntN(280)
		for k := 0; k < line; {
			g := groups[r.IntN(len(groups))]
			p := gaps[r.IntN(len(gaps))]
			if r.IntN(60) == 0 {
				p = rare[r.IntN(len(rare))]
			}
			b.WriteString(g + p)
			k += len(g) + len(p)
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// TestSpacedLinesSkip: on short lines of groups, the places
// spacedLinesSkip passes over are no key's by the lines' reading, and no
// other pattern stands where it lets the prefilter pass
// (checkSpacedNear); and it passes over some, the prefilter too.
func TestSpacedLinesSkip(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 8))
	skipped, jumped := 0, 0
	for range 150 {
		d := spacedLinesText(r, 3000)
		checkSpacedNear(t, d)
		for at := range d {
			if spacedPlaceAt(d, at) {
				e, to, _ := spacedLinesSkip(d, at, lastNewline(d, 0, at)+1, nextNewline(d, at))
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
	t.Logf("%d places passed over, %d by the prefilter", skipped, jumped)
}

// TestSpacedLinesSkipCut: a long line's window may cut a wider group
// short, which its reading then keeps after narrower ones: a key's last
// bytes on the line below (4143 cut to 41 after 4b 49), which no reading
// of the whole lines finds, and which spacedLinesSkip does not pass over.
func TestSpacedLinesSkipCut(t *testing.T) {
	d := []byte(" 41 12\n" + strings.Repeat(" ", 130) + " 41" + strings.Repeat(" ", 116) + "\n4b 49 4143 12\n 12 12\n")
	at := 7 + 130
	if !spacedLinesAt(d, at) {
		t.Fatalf("the place %d is no key's by the lines: the window does not cut 4143", at)
	}
	checkSpacedNear(t, d)
}

// TestSpacedLinesSkipLastGroups: a line joins the line below at its
// reading's last group only, one that ends the line (after it blanks, a
// quote, an ASCII column): od's lines of "41 4b 49 42" spell no key
// across their line breaks and are passed over, while a key's AKI before
// an ASCII column goes on with the next line's first pair.
func TestSpacedLinesSkipLastGroups(t *testing.T) {
	od := []byte(strings.Repeat("0000020  41 4b 49 42 41 4b 49 42\n", 20))
	at := bytes.Index(od[100:], []byte(" 41")) + 100
	if e, _, _ := spacedLinesSkip(od, at, lastNewline(od, 0, at)+1, nextNewline(od, at)); e <= at {
		t.Errorf("od's lines of AKIB not passed over from %d", at)
	}
	checkSpacedNear(t, od)
	for _, c := range []struct{ text, key string }{
		{"12 41 4b 49  |.AKI|\n41 12 12\n", " 41 4b 49 "},
		{"\" 41 4b 49\"\n\" 41 12 12\"\n", " 41 4b 49\""},
		{"0000020  41 4b 49\n0000030  41 12\n", " 41 4b 49\n"},
	} {
		d := []byte(" 41 12\n 12 12\n" + c.text + " 12 12\n 12 12\n")
		at := bytes.Index(d, []byte(c.key))
		if !spacedLinesAt(d, at) {
			t.Fatalf("%q: the place %d is no key's by the lines", d, at)
		}
		checkSpacedNear(t, d)
	}
}

// TestSpacedLinesSkipFirstGroups: the line above joins a reading's first
// group, which is not always its line's first run: after an offset that
// is dropped (od's seven digits, wider than the pairs) or that a colon
// ends, or after a comment mark (a reading of the run of groups there).
// Each place so joined is a key's, and spacedLinesSkip does not pass
// over it.
func TestSpacedLinesSkipFirstGroups(t *testing.T) {
	for _, c := range []struct{ text, key string }{
		{"41 4b 49\n0000020 41 4b 12\n", " 41 4b 12"},
		{"41 4b 49\n0010: 41 4b 12\n", " 41 4b 12"},
		{"41 4b 49\n12 ; 41 4b\n", " 41 4b\n"},
	} {
		d := []byte(" 41 12\n 12 12\n" + c.text + " 12 12\n 12 12\n")
		at := bytes.Index(d, []byte(c.key))
		if !spacedLinesAt(d, at) {
			t.Fatalf("%q: the place %d is no key's by the lines", d, at)
		}
		checkSpacedNear(t, d)
	}
}
