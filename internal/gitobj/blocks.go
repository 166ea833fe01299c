package gitobj

import (
	"errors"
	"io"
)

// blockCache keeps the pack bytes a reader read lately, in aligned blocks,
// for the many small reads of a history scan: a tree, a commit, a small
// delta, an entry's header. Read one by one, each was a pread of a few
// hundred bytes, and trufflehog's scan made 218,000 of them (0.47 s of
// its 4 s of CPU, a fifth of the tree feed's time). Entries read close
// together in time lie close together in the pack (git writes a commit's
// new trees and blobs side by side), so 64 blocks of 16 KiB served the
// tree feed's 85,000 reads with 3,800 and the planner's 57,000 entry
// headers with 6,200 (simulated on the scan's trace). An entry larger
// than maxCachedRead is read straight into the caller's buffer, as
// before: it fills blocks for nothing.
//
// Blocks are allocated as they are first needed, so a reader that reads a
// handful of objects holds a block or two. Only a loaded pack's entries
// (Pack.Load: the history scan) go through the cache; a lookup's read (a
// commit hook's) reads what it needs. Pack files are not written while
// they are read (git writes a new pack and renames it into place), so a
// block never goes stale. Not safe for concurrent use: each Inflater, and
// each Forest, has its own.
type blockCache struct {
	slots []cacheBlock
	last  int // the slot used last: most reads follow in the same block
	tick  uint64
}

type cacheBlock struct {
	pack *Pack
	num  int64  // block number: its offset / blockSize
	data []byte // of cap blockSize, shorter at the pack's end
	used uint64 // tick of the last use, for eviction
}

const (
	blockSize     = 16 << 10
	cacheBlocks   = 64      // 1 MiB per cache
	maxCachedRead = 8 << 10 // larger reads bypass the cache
)

// readAt fills b with the bytes of p at off, through the cache when b is
// small; as io.ReaderAt, it returns io.EOF with fewer bytes at the pack's
// end.
func (c *blockCache) readAt(p *Pack, b []byte, off int64) (int, error) {
	if c == nil || len(b) > maxCachedRead || off < 0 {
		return p.r.ReadAt(b, off)
	}
	n := 0
	for n < len(b) {
		at := off + int64(n)
		blk, err := c.block(p, at/blockSize)
		if err != nil {
			return n, err
		}
		i := int(at % blockSize)
		if i >= len(blk) {
			return n, io.EOF // the pack ends in this block
		}
		n += copy(b[n:], blk[i:])
	}
	return n, nil
}

// block returns block num of p, reading it on a miss into the least
// recently used slot. A block at the end of the pack is shorter.
func (c *blockCache) block(p *Pack, num int64) ([]byte, error) {
	c.tick++
	if c.last < len(c.slots) {
		if s := &c.slots[c.last]; s.pack == p && s.num == num {
			s.used = c.tick
			return s.data, nil
		}
	}
	lru := -1
	for i := range c.slots {
		s := &c.slots[i]
		if s.pack == p && s.num == num {
			s.used = c.tick
			c.last = i
			return s.data, nil
		}
		if lru < 0 || s.used < c.slots[lru].used {
			lru = i
		}
	}
	start := num * blockSize
	size := min(blockSize, p.size-start)
	if size <= 0 {
		return nil, io.EOF
	}
	if len(c.slots) < cacheBlocks {
		c.slots = append(c.slots, cacheBlock{data: make([]byte, blockSize)})
		lru = len(c.slots) - 1
	}
	s := &c.slots[lru]
	s.pack = nil // until it holds the block
	s.data = s.data[:size:blockSize]
	k, err := p.r.ReadAt(s.data, start)
	if err != nil && !(errors.Is(err, io.EOF) && k == int(size)) {
		return nil, err
	}
	s.pack, s.num, s.used = p, num, c.tick
	c.last = lru
	return s.data, nil
}
