package scanner

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestWindowList: a windowList reads back the windows noted in order, far
// apart or on one start, short or long, and turns down one that starts
// behind the last (its caller keeps that one in a list of windows).
func TestWindowList(t *testing.T) {
	r := rand.New(rand.NewPCG(32, 1))
	for range 200 {
		var l windowList
		var want []window
		at := 0
		for range r.IntN(2000) {
			switch r.IntN(4) {
			case 0: // the same start again
			case 1:
				at += r.IntN(1 << 20)
			default:
				at += r.IntN(8)
			}
			w := window{at, at + r.IntN(300)}
			if r.IntN(50) == 0 {
				w.hi = at + r.IntN(1<<16)
			}
			if !l.add(w.lo, w.hi) {
				t.Fatalf("add(%d, %d) after %d: turned down", w.lo, w.hi, l.last)
			}
			want = append(want, w)
		}
		var got []window
		for rd := l.reader(); rd.ok; rd.next() {
			got = append(got, rd.cur)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("read back %d windows, noted %d: first difference at %d", len(got), len(want), firstDiff(got, want))
		}
		if l.empty() != (len(want) == 0) {
			t.Fatalf("empty() = %v with %d windows", l.empty(), len(want))
		}
		if len(want) > 0 && want[len(want)-1].lo > 0 && l.add(want[len(want)-1].lo-1, want[len(want)-1].lo) {
			t.Fatalf("add behind the last start: taken")
		}
	}
}

func firstDiff(a, b []window) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
