package gitobj

// BufPool is one goroutine's free list of object buffers, so that reading a
// whole history allocates (and zeroes) about as much memory as its largest
// delta chains hold at once rather than as much as all its objects. The
// zero value is ready; a BufPool is not safe for concurrent use.
type BufPool struct {
	free [][]byte
	size int // bytes held in free
}

// A pool keeps at most poolMaxBytes free. A walk of a delta chain holds
// about two buffers at a time, the parent and the child, so a few spare
// buffers of a file's size are all the next chain asks for; more is live
// heap for nothing. And a history scan runs under a memory limit
// (keyscan history sets 200 MB), where free buffers leave the collector
// no room: with 24 MB a pool, botocore's live heap stood at 170 MB of a
// 175 MB goal and the collector ran 234 times, a fifth of the CPU; with
// 8 MB, 58 times, 20.7 -> 16.4 CPU s, peak 234 -> 222 MB.
const (
	poolMaxBytes = 8 << 20 // held per pool
	poolMaxBuf   = 4 << 20 // larger buffers are left to the garbage collector
)

// Get returns a buffer of length n, reused when one is free.
func (p *BufPool) Get(n int) []byte {
	best := -1
	for i, b := range p.free {
		if cap(b) >= n && (best < 0 || cap(b) < cap(p.free[best])) {
			best = i
		}
	}
	if best >= 0 {
		b := p.free[best]
		p.remove(best)
		return b[:n]
	}
	c := n
	if n <= poolMaxBuf {
		c = n + n/8 + 512 // room for the next, slightly larger version
	}
	return make([]byte, n, c)
}

// Put gives b back; nothing may use it afterwards.
func (p *BufPool) Put(b []byte) {
	if b == nil || cap(b) > poolMaxBuf+poolMaxBuf/8+512 {
		return
	}
	p.free = append(p.free, b)
	p.size += cap(b)
	for p.size > poolMaxBytes {
		// Drop the smallest: the large ones are the costly ones to make.
		small := 0
		for i, f := range p.free {
			if cap(f) < cap(p.free[small]) {
				small = i
			}
		}
		p.remove(small)
	}
}

// Held is how many bytes the free list holds.
func (p *BufPool) Held() int { return p.size }

func (p *BufPool) remove(i int) {
	p.size -= cap(p.free[i])
	last := len(p.free) - 1
	p.free[i] = p.free[last]
	p.free[last] = nil
	p.free = p.free[:last]
}
