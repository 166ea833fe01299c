package scanner

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestAccessKeyContextAsNormalised holds accessKeyContext, which searches
// the normalised line a stack piece at a time, to its definition: one of
// its words in normalizeKeyword of the whole line. The lines are long (up
// to several pieces) and dense in the words' parts, cut by separators,
// case and bytes the normalisation drops, so that words straddle the cuts
// between pieces at every offset.
func TestAccessKeyContextAsNormalised(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 16))
	parts := []string{"access", "Access", "ACCESS", "key", "Key", "KEY", "id", "Id", "ID", "cred", "Cred", "ential", "ENTIAL",
		"acc", "ess", "k", "e", "y", "i", "d", "c", "r", "n", "t", "a", "l", "_", "-", " ", ".", "=", "\t", "\xc3\xa9", "\x00",
		"9", "ASIA" + "PACIFIC" + "SOUTHEAST", "&#x2F;", "#;"}
	whole := func(line []byte) bool {
		n := normalizeKeyword(string(line))
		return strings.Contains(n, "accesskey") || strings.Contains(n, "keyid") || strings.Contains(n, "credential")
	}
	found := 0
	for i := range 20000 {
		var b strings.Builder
		size := r.IntN(40)
		if i%4 == 0 {
			size = r.IntN(5 * 512) // several pieces of the normalised text
		}
		for b.Len() < size {
			if r.IntN(3) == 0 {
				b.WriteString(strings.Repeat("x", r.IntN(600))) // move the words across the cuts
			}
			b.WriteString(parts[r.IntN(len(parts))])
		}
		line := []byte(b.String())
		want := whole(line)
		if got := accessKeyContext(line); got != want {
			t.Fatalf("accessKeyContext(%q) = %v, normalizeKeyword says %v", line, got, want)
		}
		if want {
			found++
		}
	}
	// Each word at every offset around the first two cuts, with a dropped
	// byte in it half of the time; then with its first letter replaced,
	// where the answer is normalizeKeyword's again.
	for _, w := range []string{"accesskey", "keyid", "credential"} {
		for pad := 490; pad < 1100; pad++ {
			word := w
			if pad%2 == 0 {
				word = w[:pad%len(w)] + "_" + w[pad%len(w):]
			}
			line := []byte(strings.Repeat("-x", pad) + word + " x")
			if !accessKeyContext(line) {
				t.Fatalf("accessKeyContext misses %q after %d normalised bytes", word, pad)
			}
			if line[len(line)-len(word)-2] = '#'; accessKeyContext(line) != whole(line) {
				t.Fatalf("accessKeyContext(%q) is not normalizeKeyword's answer", line)
			}
		}
	}
	if found < 500 || found > 19500 {
		t.Fatalf("%d of 20000 lines name an access key: the test does not reach both answers", found)
	}
}

// TestLastNL holds lastNL to bytes.LastIndexByte on texts of every short
// length, dense and sparse in newlines, with bytes either side of '\n'
// (0x09, 0x0b, 0x8a) that a bit trick could take for one.
func TestLastNL(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 17))
	alphabet := []byte{'\n', '\t', 0x0b, 0x8a, 0, 0xff, 'a', ' ', 0x0a ^ 0x80}
	for i := range 50000 {
		d := make([]byte, r.IntN(80))
		for k := range d {
			d[k] = alphabet[r.IntN(len(alphabet))]
			if i%2 == 0 && r.IntN(8) != 0 {
				d[k] = 'x' // few newlines
			}
		}
		if got, want := lastNL(d), bytes.LastIndexByte(d, '\n'); got != want {
			t.Fatalf("lastNL(%q) = %d, want %d", d, got, want)
		}
	}
}
