package gitobj

import (
	"fmt"
	"testing"
)

// TestLRU: the cache evicts the least recently used entries first (a get
// makes an entry the most recent), keeps its bytes within max, and keeps
// no entry larger than a quarter of max; the list and the map agree.
func TestLRU(t *testing.T) {
	p := &Pack{}
	key := func(i int) cacheKey { return cacheKey{p, int64(i)} }
	c := newLRU(400)
	for i := range 4 {
		c.put(key(i), Blob, make([]byte, 100))
	}
	if _, ok := c.get(key(0)); !ok { // 0 is now the most recent
		t.Fatal("0 not cached")
	}
	c.put(key(4), Blob, make([]byte, 100)) // evicts 1, the least recent
	c.put(key(5), Blob, make([]byte, 101)) // over max/4: not kept
	c.put(key(4), Tree, nil)               // already there: unchanged
	want := map[int]bool{0: true, 1: false, 2: true, 3: true, 4: true, 5: false}
	for i, in := range want {
		if _, ok := c.get(key(i)); ok != in {
			t.Errorf("entry %d cached: %v, want %v", i, ok, in)
		}
	}
	if e, _ := c.get(key(4)); e == nil || e.typ != Blob {
		t.Errorf("entry 4 replaced: %+v", e)
	}
	if c.size != 400 || len(c.m) != 4 {
		t.Errorf("size %d, %d entries; want 400, 4", c.size, len(c.m))
	}
	// The list from the most recent: 4, then the order of the gets above
	// (map order), each entry once, and back again the same.
	var fwd, back []string
	for e := c.root.next; e != &c.root; e = e.next {
		fwd = append(fwd, fmt.Sprint(e.key.off))
	}
	for e := c.root.prev; e != &c.root; e = e.prev {
		back = append([]string{fmt.Sprint(e.key.off)}, back...)
	}
	if fmt.Sprint(fwd) != fmt.Sprint(back) || len(fwd) != 4 || fwd[0] != "4" {
		t.Errorf("list %v, backwards %v", fwd, back)
	}
	for i := 6; i < 20; i++ {
		c.put(key(i), Blob, make([]byte, 50+i))
		if c.size > c.max {
			t.Fatalf("size %d over %d", c.size, c.max)
		}
	}
	n := 0
	for e := c.root.next; e != &c.root; e = e.next {
		n++
		if c.m[e.key] != e {
			t.Fatalf("entry %d in the list, not the map", e.key.off)
		}
	}
	if n != len(c.m) {
		t.Errorf("%d entries listed, %d mapped", n, len(c.m))
	}
}
