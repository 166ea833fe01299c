package scanner

import (
	"bytes"
	"math/rand/v2"
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
