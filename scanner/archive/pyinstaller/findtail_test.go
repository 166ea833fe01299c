package pyinstaller

import (
	"bytes"
	"encoding/binary"
	"math/rand"
	"testing"
)

// findTailBack is FindTail as it was, searching back from the end with
// bytes.LastIndex: the reference the forward search must agree with.
func findTailBack(tail []byte, base int64) (start, end int64, ok bool) {
	for e := len(tail); e > 0; {
		c := bytes.LastIndex(tail[:e], Magic)
		if c < 0 {
			return 0, 0, false
		}
		for _, n := range []int{cookieLen, oldCookieLen} {
			if s, ok := fits(tail, c, n, base); ok {
				return s, base + int64(c+n), true
			}
		}
		e = c + len(Magic) - 1
	}
	return 0, 0, false
}

// cookieTail is a tail with magics (some overlapping, some in cookies of
// either length that fit, some that do not) at random places.
func cookieTail(r *rand.Rand) []byte {
	tail := make([]byte, 64+r.Intn(4096))
	r.Read(tail)
	for k := r.Intn(6); k > 0; k-- {
		c := r.Intn(len(tail))
		if r.Intn(4) == 0 && c > 0 {
			c-- // next to an earlier one: overlapping searches
		}
		copy(tail[c:], Magic)
		if c+cookieLen > len(tail) || r.Intn(2) == 0 {
			continue
		}
		n := cookieLen
		if r.Intn(2) == 0 {
			n = oldCookieLen
		}
		pkg := uint32(n + r.Intn(c+1))
		binary.BigEndian.PutUint32(tail[c+8:], pkg)
		binary.BigEndian.PutUint32(tail[c+12:], uint32(r.Intn(int(pkg)+1)))
		binary.BigEndian.PutUint32(tail[c+16:], uint32(r.Intn(8)))
	}
	return tail
}

// TestFindTailForward: the forward search finds the cookie the backward
// one found (the last that fits), on tails with many magics and cookies.
func TestFindTailForward(t *testing.T) {
	r := rand.New(rand.NewSource(23))
	found := 0
	for i := 0; i < 20000; i++ {
		tail := cookieTail(r)
		base := int64(r.Intn(3)) * 1000
		s, e, ok := FindTail(tail, base)
		ws, we, wok := findTailBack(tail, base)
		if s != ws || e != we || ok != wok {
			t.Fatalf("tail %d: FindTail = %d, %d, %v; backward search = %d, %d, %v", i, s, e, ok, ws, we, wok)
		}
		if ok {
			found++
		}
	}
	if found < 100 {
		t.Fatalf("only %d tails held a cookie that fits: the test does not test", found)
	}
}

// FuzzFindTail compares the forward search with the backward one.
func FuzzFindTail(f *testing.F) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 8; i++ {
		f.Add(cookieTail(r))
	}
	f.Fuzz(func(t *testing.T, tail []byte) {
		s, e, ok := FindTail(tail, 0)
		ws, we, wok := findTailBack(tail, 0)
		if s != ws || e != we || ok != wok {
			t.Fatalf("FindTail = %d, %d, %v; backward search = %d, %d, %v", s, e, ok, ws, we, wok)
		}
	})
}
