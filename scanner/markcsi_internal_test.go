package scanner

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// markCSIWhole is markCSI as it was before each window was searched for
// ESC alone: the whole input was searched once for whether it holds one
// (esc, 0 until then, 1 for none, 2 for some), and a window was read only
// when it does.
func markCSIWhole(m *match, w window, esc *int) {
	if *esc == 0 {
		*esc = 1
		if bytes.IndexByte(m.data, 0x1b) >= 0 {
			*esc = 2
		}
	}
	if *esc != 2 {
		return
	}
	d := m.data
	for i := w.lo; i < w.hi; i++ {
		k := bytes.IndexByte(d[i:w.hi], 0x1b)
		if k < 0 {
			return
		}
		i += k
		if mayEscape(d, i) {
			m.escMarks = append(m.escMarks, i)
		}
	}
}

// checkMarkCSI marks the colour codes of text's windows (sorted, disjoint,
// as markWindows hands them) both ways and compares the marks.
func checkMarkCSI(t *testing.T, s *Scanner, text []byte, ws []window) {
	t.Helper()
	got, want := newMatch(s, "t.txt", text), newMatch(s, "t.txt", text)
	defer got.release()
	defer want.release()
	esc := 0
	for _, w := range ws {
		got.markCSI(w)
		markCSIWhole(want, w, &esc)
	}
	if !slices.Equal(got.escMarks, want.escMarks) {
		t.Fatalf("%q, windows %v: marks %v, before %v", text, ws, got.escMarks, want.escMarks)
	}
}

// randomWindows cuts [0, n) into sorted disjoint windows.
func randomWindows(r *rand.Rand, n int) []window {
	var ws []window
	for i := 0; i < n; {
		lo := i + r.IntN(n-i+1)
		hi := lo + r.IntN(n-lo+1)
		if lo < hi {
			ws = append(ws, window{lo, hi})
		}
		i = hi + 1
	}
	return ws
}

// TestMarkCSIByWindow: searching each window for ESC marks what the whole
// file's search and the windows' did, on text with and without colour
// codes (grep --color=always output, stray ESC bytes, none).
func TestMarkCSIByWindow(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	pieces := []string{"\x1b[01;31m", "\x1b[K", "\x1b[m", "\x1b", "[", "m", "secret = ", "AKIA", "x", "\n", "abc/+=", " "}
	r := rand.New(rand.NewPCG(29, 1))
	marked := 0
	for range 20000 {
		var b []byte
		for range r.IntN(24) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		if r.IntN(2) == 0 { // half the texts without ESC
			b = bytes.ReplaceAll(b, []byte{0x1b}, []byte("e"))
		}
		checkMarkCSI(t, s, b, randomWindows(r, len(b)))
		m := newMatch(s, "t.txt", b)
		m.markCSI(window{0, len(b)})
		marked += len(m.escMarks)
		m.release()
	}
	if marked == 0 {
		t.Fatal("no colour code marked")
	}
}

// FuzzMarkCSI: the windows' search marks as the whole file's did.
func FuzzMarkCSI(f *testing.F) {
	f.Add([]byte("secret = \x1b[01;31mAKIA\x1b[m\x1b[K rest"), uint64(1))
	f.Add([]byte("no escape here"), uint64(2))
	s, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text []byte, seed uint64) {
		checkMarkCSI(t, s, text, randomWindows(rand.New(rand.NewPCG(seed, 0)), len(text)))
	})
}
