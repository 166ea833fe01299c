package scanner

import (
	"bytes"
	"math/rand"
	"slices"
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

// caretSpansEach is shellSpans for a batch file as it was, each seed's
// line searched for a caret again: the reference for TestCaretSpansOnce.
func caretSpansEach(d []byte, seeds []int) []window {
	var spans []window
	done := -1
	for _, s := range seeds {
		if s < done {
			continue
		}
		ls := lineStartWithin(d, s, shellLineBytes)
		le := min(len(d), s+shellLineBytes)
		if k := bytes.IndexByte(d[s:le], '\n'); k >= 0 {
			le = s + k
		}
		if hi, ok := caretLine(d, ls, le); ok && ls >= done {
			spans = append(spans, window{ls, hi})
			done = hi
		}
	}
	return spans
}

// TestCaretSpansOnce: a batch file's seeds after the first on a line with
// no caret are passed over, and the spans are those of searching each
// seed's line, on lines short and over shellLineBytes, with carets before,
// between and after the seeds, continued or not.
func TestCaretSpansOnce(t *testing.T) {
	r := rand.New(rand.NewSource(23))
	pieces := []string{"set K=", "^", "^\r\n", "^\n", "\n", "\r\n", "x", "AWS_SECRET_ACCESS_KEY", " ", strings.Repeat("y", 1500)}
	spanned := 0
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		for k := 1 + r.Intn(24); k > 0; k-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		d := []byte(b.String())
		var seeds []int
		for k := r.Intn(12); k > 0; k-- {
			seeds = append(seeds, r.Intn(len(d)))
		}
		slices.Sort(seeds)
		got, want := shellSpans(d, seeds, cmdShell), caretSpansEach(d, seeds)
		if !slices.Equal(got, want) {
			t.Fatalf("%q seeds %v: spans %v, searching each seed's line gives %v", d, seeds, got, want)
		}
		spanned += len(got)
	}
	if spanned < 100 {
		t.Fatalf("only %d spans: the test does not test", spanned)
	}
}
