package scanner

import (
	"math/rand"
	"strings"
	"testing"
)

// TestWordJoinedAsWordText: wordJoined, which joinedWords asks of every
// word, answers as wordText, on seeded lines of quoted, escaped and bare
// parts.
func TestWordJoinedAsWordText(t *testing.T) {
	r := rand.New(rand.NewSource(23))
	parts := []string{"AK", "IA", "x", "=", "-", " ", `"`, `'`, `\`, `$'`, `\x41`, `\101`, `\n`, `"a\"b"`, `'q'`, "$", "#", ";", "9", "é"}
	joined := 0
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		for k := r.Intn(16); k >= 0; k-- {
			b.WriteString(parts[r.Intn(len(parts))])
		}
		d := []byte(b.String())
		checkWordJoined(t, d)
		joined += len(joinedWords(d, 0, len(d), nil))
	}
	if joined < 100 {
		t.Fatalf("only %d joined words: the test does not test", joined)
	}
}
