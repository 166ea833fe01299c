package scanner

import "testing"

// TestPosSet: a position is new once per generation, whatever the
// positions beside it and however often the set was emptied, the
// generation's wrap included.
func TestPosSet(t *testing.T) {
	var s posSet
	s.reset()
	// Neighbours share a slot's hash; positions a table apart too.
	ps := []int{0, 1, 2, 3, 4, 7, 8, 1 << 15, 1<<15 + 1, 1 << 30, 1<<39 + 5}
	for _, p := range ps {
		if !s.add(p) {
			t.Fatalf("add(%d): already in a fresh set", p)
		}
	}
	for _, p := range ps {
		if s.add(p) {
			t.Fatalf("add(%d) again: reported new", p)
		}
	}
	s.reset()
	if !s.add(4) {
		t.Fatal("add(4) after reset: reported old")
	}
	s.gen = posGens - 1
	s.add(9)
	s.reset() // wraps: the table is cleared
	if s.gen != 1 || !s.add(9) {
		t.Fatalf("after the wrap: gen %d, 9 reported old", s.gen)
	}
	// As many positions as tries may be made, all distinct, one slot apart.
	s.reset()
	for p := 0; p < maxInterpTries; p++ {
		if !s.add(p * 4) {
			t.Fatalf("add(%d): reported old", p*4)
		}
	}
}

// TestNameListFilter: find answers as a search of the list would, and
// mayEnd lets through every place a needed name ends, and the words whose
// assignment names another (default, value).
func TestNameListFilter(t *testing.T) {
	var l nameList
	l.reset()
	for _, n := range []string{"want", "got", "AWS_KEY"} {
		l.add([]byte(n))
	}
	for _, c := range []struct {
		name string
		in   bool
	}{{"want", true}, {"got", true}, {"AWS_KEY", true}, {"wan", false}, {"hot", false}, {"AWS_KEZ", false}, {"", false}} {
		if got := l.find([]byte(c.name)) != nil; got != c.in {
			t.Errorf("find(%q) = %v, want %v", c.name, got, c.in)
		}
	}
	for _, w := range []string{"x := want", "got", "AWS_KEY", "default", "value"} {
		if !l.mayEnd([]byte(w), len(w)) {
			t.Errorf("mayEnd(%q) = false", w)
		}
	}
	if l.mayEnd([]byte("a"), 1) {
		t.Error("mayEnd of a one-byte name no list holds = true")
	}
	l.add([]byte("a"))
	if !l.mayEnd([]byte("b = a"), 5) {
		t.Error("mayEnd with a one-byte name in the list = false")
	}
	l.reset()
	if l.find([]byte("want")) != nil || len(l.list) != 0 {
		t.Error("reset kept a name")
	}
}
