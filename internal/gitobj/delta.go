package gitobj

import (
	"errors"
	"math/bits"
)

// ErrDelta is a delta that does not apply to its base.
var ErrDelta = errors.New("invalid delta")

// MaxDeltaTarget bounds the object size a delta may announce, so that a
// corrupt header cannot make a reader allocate without limit.
const MaxDeltaTarget = 1 << 40

// deltaMinSize is the shortest delta git's patch-delta.c accepts.
const deltaMinSize = 4

// ApplyDelta applies the git delta to base and returns the result, written
// into a buffer from alloc (called once, with the exact target size; nil
// means make). It checks what git's patch-delta.c checks: the source size,
// every copy within the base and the target, and that the whole delta is
// consumed. It writes into a buffer of the final size, so nothing is grown,
// copied twice or zeroed twice (go-git's PatchDelta grows a bytes.Buffer).
// The instructions are checked before anything is allocated, so a corrupt
// size cannot make it allocate more than the delta would write.
func ApplyDelta(base, delta []byte, alloc func(int) []byte) ([]byte, error) {
	return applyDelta(base, delta, -1, alloc)
}

// DeltaHead returns the first n bytes (or fewer, when the target is
// shorter) of the object the delta produces from base, checked as
// ApplyDelta checks the whole, without building the rest: a caller that
// decides by an object's first bytes whether to read it at all.
func DeltaHead(base, delta []byte, n int) ([]byte, error) {
	return applyDelta(base, delta, max(n, 0), nil)
}

// applyDelta builds the first head bytes of the target (all of it when head
// is negative) into a buffer from alloc (nil means make), after checking the
// whole delta.
func applyDelta(base, delta []byte, head int, alloc func(int) []byte) ([]byte, error) {
	if len(delta) < deltaMinSize {
		return nil, ErrDelta
	}
	srcSize, rest, ok := leb128(delta)
	if !ok || srcSize != uint64(len(base)) {
		return nil, ErrDelta
	}
	dstSize, ops, ok := leb128(rest)
	if !ok || dstSize > MaxDeltaTarget || !deltaOpsValid(ops, uint64(len(base)), dstSize) {
		return nil, ErrDelta
	}
	size := dstSize
	if head >= 0 {
		size = min(uint64(head), dstSize)
	}
	var dst []byte
	if alloc == nil {
		dst = make([]byte, size)
	} else {
		dst = alloc(int(size))
	}
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

// DeltaTargetSize returns the size of the object a delta produces, read
// from its header without applying it.
func DeltaTargetSize(delta []byte) (int64, bool) {
	_, rest, ok := leb128(delta)
	if !ok {
		return 0, false
	}
	n, _, ok := leb128(rest)
	if !ok || n > MaxDeltaTarget {
		return 0, false
	}
	return int64(n), true
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
			if len(ops) < copyOpLen(cmd) {
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
// least the bytes cmd announces (copyOpLen). Unrolled: every copy of every
// delta in a history passes here twice (the check, then the copy).
func copyOp(cmd byte, ops []byte) (off, n uint64, rest []byte) {
	i := 0
	if cmd&0x01 != 0 {
		off = uint64(ops[i])
		i++
	}
	if cmd&0x02 != 0 {
		off |= uint64(ops[i]) << 8
		i++
	}
	if cmd&0x04 != 0 {
		off |= uint64(ops[i]) << 16
		i++
	}
	if cmd&0x08 != 0 {
		off |= uint64(ops[i]) << 24
		i++
	}
	if cmd&0x10 != 0 {
		n = uint64(ops[i])
		i++
	}
	if cmd&0x20 != 0 {
		n |= uint64(ops[i]) << 8
		i++
	}
	if cmd&0x40 != 0 {
		n |= uint64(ops[i]) << 16
		i++
	}
	if n == 0 {
		n = 0x10000
	}
	return off, n, ops[i:]
}

// copyOpLen is how many bytes follow a copy instruction cmd: one per bit
// of its offset and size.
func copyOpLen(cmd byte) int { return bits.OnesCount8(cmd & 0x7f) }

// leb128 decodes the little-endian base-128 sizes of a delta header.
func leb128(b []byte) (uint64, []byte, bool) {
	var n uint64
	for i, shift := 0, uint(0); i < len(b) && shift < 64; i, shift = i+1, shift+7 {
		n |= uint64(b[i]&0x7f) << shift
		if b[i]&0x80 == 0 {
			return n, b[i+1:], true
		}
	}
	return 0, nil, false
}
