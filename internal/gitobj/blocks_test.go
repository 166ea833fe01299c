package gitobj

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

// countingReaderAt is a pack file in memory that counts the reads made of
// it.
type countingReaderAt struct {
	r     *bytes.Reader
	reads int
}

func (c *countingReaderAt) ReadAt(b []byte, off int64) (int, error) {
	c.reads++
	return c.r.ReadAt(b, off)
}

// TestBlockCache: reads through the cache give the pack's bytes, whatever
// their offset and length, across blocks, past its end (io.EOF with what
// there is) and with two packs taking turns; small reads close together
// cost one read of the file per block, and a large one goes straight to
// the file.
func TestBlockCache(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	files := make([][]byte, 2)
	packs := make([]*Pack, 2)
	counts := make([]*countingReaderAt, 2)
	for i := range files {
		// More blocks than the cache holds, and a short last block.
		files[i] = make([]byte, (cacheBlocks+7)*blockSize+1234+i)
		for j := range files[i] {
			files[i][j] = byte(rng.Uint32())
		}
		counts[i] = &countingReaderAt{r: bytes.NewReader(files[i])}
		p, err := NewPack("p", nil, counts[i], int64(len(files[i])))
		if err != nil {
			t.Fatal(err)
		}
		packs[i] = p
	}
	var c blockCache
	for range 20000 {
		i := rng.IntN(2)
		size := int64(len(files[i]))
		off := rng.Int64N(size)
		if rng.IntN(10) == 0 {
			off = size - rng.Int64N(200) - 1 // near the end
		}
		n := rng.IntN(maxCachedRead + 200)
		b := make([]byte, n)
		got, err := c.readAt(packs[i], b, off)
		want := min(int64(n), size-off)
		if int64(got) != want || !bytes.Equal(b[:got], files[i][off:off+want]) {
			t.Fatalf("pack %d: %d bytes at %d: read %d, %v; want %d bytes of the file", i, n, off, got, err, want)
		}
		if want < int64(n) && !errors.Is(err, io.EOF) {
			t.Fatalf("pack %d: %d bytes at %d, past the end: err %v, want io.EOF", i, n, off, err)
		}
		if want == int64(n) && err != nil {
			t.Fatalf("pack %d: %d bytes at %d: %v", i, n, off, err)
		}
	}
	if len(c.slots) != cacheBlocks {
		t.Errorf("cache holds %d blocks, want at most and by now %d", len(c.slots), cacheBlocks)
	}

	// Reads close together: one read of the file for each block they
	// touch.
	c = blockCache{}
	counts[0].reads = 0
	b := make([]byte, 100)
	for off := int64(0); off < 4*blockSize; off += 150 {
		if _, err := c.readAt(packs[0], b, off); err != nil {
			t.Fatal(err)
		}
	}
	if counts[0].reads != 4 {
		t.Errorf("%d reads of the file for reads across 4 blocks, want 4", counts[0].reads)
	}
	// A large read is not cached.
	counts[0].reads = 0
	big := make([]byte, maxCachedRead+1)
	for range 2 {
		if _, err := c.readAt(packs[0], big, 10); err != nil {
			t.Fatal(err)
		}
	}
	if counts[0].reads != 2 {
		t.Errorf("%d reads of the file for 2 large reads, want 2", counts[0].reads)
	}
	// A nil cache reads the file.
	var none *blockCache
	if n, err := none.readAt(packs[1], b, 5); n != len(b) || err != nil || !bytes.Equal(b, files[1][5:5+len(b)]) {
		t.Errorf("nil cache: %d, %v", n, err)
	}
}
