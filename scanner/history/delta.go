package history

import "errors"

// errInvalidDelta is a delta that does not apply to its base.
var errInvalidDelta = errors.New("invalid delta")

// maxDeltaTarget bounds the object size a delta may announce, so a corrupt
// header cannot make us allocate without limit.
const maxDeltaTarget = 1 << 40

// applyDelta applies the git delta to base and returns the result, written
// into a buffer from alloc (called once, with the exact target size). It
// checks what git's patch-delta.c checks: the source size, every copy
// within the base and the target, and that the whole delta is consumed.
// Unlike go-git's PatchDelta it writes into a buffer of the final size, so
// nothing is grown, copied twice or zeroed twice. The instructions are
// checked before anything is allocated, so a corrupt size cannot make it
// allocate more than the delta would write.
func applyDelta(base, delta []byte, alloc func(int) []byte) ([]byte, error) {
	srcSize, rest, ok := leb128(delta)
	if !ok || srcSize != uint64(len(base)) {
		return nil, errInvalidDelta
	}
	dstSize, ops, ok := leb128(rest)
	if !ok || dstSize > maxDeltaTarget || !deltaOpsValid(ops, uint64(len(base)), dstSize) {
		return nil, errInvalidDelta
	}
	dst := alloc(int(dstSize))
	pos := 0
	for pos < len(dst) {
		cmd := ops[0]
		ops = ops[1:]
		if cmd&0x80 != 0 {
			var off, n uint64
			off, n, ops = copyOp(cmd, ops)
			pos += copy(dst[pos:], base[off:off+n])
		} else {
			n := int(cmd)
			pos += copy(dst[pos:], ops[:n])
			ops = ops[n:]
		}
	}
	return dst, nil
}

// deltaOpsValid reports whether the delta instructions ops, applied to a
// base of srcSize bytes, write exactly dstSize bytes and nothing more.
func deltaOpsValid(ops []byte, srcSize, dstSize uint64) bool {
	var pos uint64
	for pos < dstSize {
		if len(ops) == 0 {
			return false
		}
		cmd := ops[0]
		ops = ops[1:]
		switch {
		case cmd&0x80 != 0: // copy from the base
			need := 0
			for i := range 7 {
				if cmd&(1<<i) != 0 {
					need++
				}
			}
			if len(ops) < need {
				return false
			}
			var off, n uint64
			off, n, ops = copyOp(cmd, ops)
			if off+n > srcSize || n > dstSize-pos {
				return false
			}
			pos += n
		case cmd != 0: // insert the next cmd bytes of the delta
			n := uint64(cmd)
			if n > uint64(len(ops)) || n > dstSize-pos {
				return false
			}
			pos += n
			ops = ops[n:]
		default:
			return false
		}
	}
	return len(ops) == 0
}

// copyOp decodes the offset and size of a copy instruction; ops holds at
// least the bytes cmd announces.
func copyOp(cmd byte, ops []byte) (off, n uint64, rest []byte) {
	for i := range 4 {
		if cmd&(1<<i) != 0 {
			off |= uint64(ops[0]) << (8 * i)
			ops = ops[1:]
		}
	}
	for i := range 3 {
		if cmd&(0x10<<i) != 0 {
			n |= uint64(ops[0]) << (8 * i)
			ops = ops[1:]
		}
	}
	if n == 0 {
		n = 0x10000
	}
	return off, n, ops
}

// bufPool is one worker's free list of blob buffers, so that reading a
// history allocates (and zeroes) about as much memory as its largest delta
// chains hold at once rather than as much as all its blobs.
type bufPool struct {
	free [][]byte
	size int // bytes held in free
}

const (
	poolMaxBytes = 24 << 20 // held per worker
	poolMaxBuf   = 4 << 20  // larger buffers are left to the garbage collector
)

// get returns a buffer of length n, reused when one is free.
func (p *bufPool) get(n int) []byte {
	best := -1
	for i, b := range p.free {
		if cap(b) >= n && (best < 0 || cap(b) < cap(p.free[best])) {
			best = i
		}
	}
	if best >= 0 {
		b := p.free[best]
		last := len(p.free) - 1
		p.free[best] = p.free[last]
		p.free[last] = nil
		p.free = p.free[:last]
		p.size -= cap(b)
		return b[:n]
	}
	c := n
	if n <= poolMaxBuf {
		c = n + n/8 + 512 // room for the next, slightly larger version
	}
	return make([]byte, n, c)
}

// put gives b back; nothing may use it afterwards.
func (p *bufPool) put(b []byte) {
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
		p.size -= cap(p.free[small])
		last := len(p.free) - 1
		p.free[small] = p.free[last]
		p.free[last] = nil
		p.free = p.free[:last]
	}
}
