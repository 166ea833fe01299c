package scanner

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The reference answers: the line searches linesBack and linesForward made
// over the bytes before the line index, one line at a time.
func refLinesBack(data []byte, i, n, limit int) int {
	lo := max(0, i-limit)
	s := lineStartWithin(data, i, i-lo)
	for ; n > 0 && s > lo; n-- {
		s = lineStartWithin(data, s-1, s-1-lo)
	}
	return s
}

func refLinesForward(data []byte, i, n, limit int) int {
	i = min(i, len(data))
	hi := min(len(data), i+limit)
	lineEnd := func(i int) int {
		if j := bytes.IndexByte(data[i:hi], '\n'); j >= 0 {
			return i + j
		}
		return hi
	}
	e := lineEnd(i)
	for ; n > 0 && e < hi; n-- {
		e = lineEnd(e + 1)
	}
	return e
}

// TestLineIndexAnswersLikeByteSearch compares the line index with the byte
// searches on inputs whose lines are short, long, empty and cut by block
// boundaries, asked in any order.
func TestLineIndexAnswersLikeByteSearch(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 300 {
		size := r.IntN(3 << maskBlockShift)
		if round%10 == 0 {
			size = r.IntN(64)
		}
		data := make([]byte, size)
		meanLine := 1 + r.IntN(1+[]int{3, 40, 300, 5000}[r.IntN(4)])
		for i := range data {
			data[i] = 'x'
			if r.IntN(meanLine) == 0 {
				data[i] = '\n'
			}
		}
		sc, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		// The byte masks answer where there is a kernel, the line index
		// everywhere: both are held to the byte search.
		m := newMatch(sc, "t", data)
		if round%2 == 1 {
			m.masksMade = true
		}
		for range 200 {
			i := r.IntN(len(data) + 2)
			n, limit := r.IntN(25), r.IntN(5000)
			if i <= len(data) {
				if got, want := m.linesBack(i, n, limit), refLinesBack(data, i, n, limit); got != want {
					t.Fatalf("size %d: linesBack(%d, %d, %d) = %d, byte search %d", size, i, n, limit, got, want)
				}
			}
			if got, want := m.linesForward(i, n, limit), refLinesForward(data, i, n, limit); got != want {
				t.Fatalf("size %d: linesForward(%d, %d, %d) = %d, byte search %d", size, i, n, limit, got, want)
			}
		}
	}
}

// refWindows is findSecrets' windows as they were made before keywords in
// a row shared their lines: every keyword's lines asked of the bytes
// (refLinesBack, refLinesForward), all windows sorted and merged.
func refWindows(m *match) []window {
	d := m.data
	var ws []window
	for _, k := range m.keyIDs {
		ws = append(ws, window{refLinesBack(d, k.start, 6, 1200), refLinesForward(d, k.end, 6, 1200)})
	}
	for _, kw := range m.keywords {
		if !kw.token {
			back := refLinesBack(d, kw.start, 1, 200)
			if as, _ := nameAttribute(d, &kw); as >= 0 {
				back = min(back, refLinesBack(d, kw.start, 11, 600))
			}
			ws = append(ws, window{kw.end, refLinesForward(d, kw.end, 8, 600)}, window{back, kw.start})
		}
	}
	for _, g := range m.generic {
		ws = append(ws, window{g, g + 1})
	}
	if m.wholeValue {
		ws = append(ws, window{0, len(d)})
	}
	slices.SortFunc(ws, func(a, b window) int { return a.lo - b.lo })
	var merged []window
	for _, w := range ws {
		if n := len(merged); n > 0 && w.lo <= merged[n-1].hi {
			merged[n-1].hi = max(merged[n-1].hi, w.hi)
		} else {
			merged = append(merged, w)
		}
	}
	return merged
}

// TestKeywordWindowsAsAsked: the windows findSecrets makes, sharing the
// lines of keywords in a row and joining windows as it makes them, are
// those of asking every keyword's lines and merging them all, on
// keyword-dense text with short, long and empty lines (with the masks and,
// under -tags purego, without).
func TestKeywordWindowsAsAsked(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(11, 12))
	words := []string{"secret", "aws_secret_access_key", "SecretAccessKey", "password", "token", "session_token",
		"client_secret", "KEY=", " = ", ": ", "\"", "\n", "\n\n", " ", "x", "AKIAIOSFODNN7EXAMPL3", "Secret key",
		"--name /p/", "Name: "} // names of a parameter, whose value may stand lines above (attributeNamedAfter)
	windows := 0
	for n := range 300 {
		var b strings.Builder
		for b.Len() < 50+r.IntN(6000) {
			if n%4 == 0 && r.IntN(20) == 0 {
				b.WriteString(strings.Repeat("y", r.IntN(900))) // lines past findSecrets' limits
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		m := newMatch(s, []string{"a.go", "b.json", "c.env", "d.txt"}[n%4], []byte(b.String()))
		m.run()
		if want := refWindows(m); !slices.Equal(m.windows, want) {
			t.Fatalf("windows of %q:\n%v\nwant %v", b.String(), m.windows, want)
		}
		windows += len(m.windows)
		m.release()
	}
	if windows == 0 {
		t.Fatal("no windows made: the test compares nothing")
	}
}
