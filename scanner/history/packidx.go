package history

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
)

// packIndex is a pack's .idx file, held as compactly as it is stored: 20
// bytes per object name plus its offset. go-git's MemoryIndex also records
// every looked-up offset in a map under a lock, which on a large history
// costs tens of megabytes and a lock per lookup.
type packIndex struct {
	fanout  [256]uint32
	names   []byte  // sorted object names, 20 bytes each
	offsets []int64 // by name index
	byOff   []int32 // name indexes in pack order
}

// readPackIndex decodes a version 1 or 2 pack index.
func readPackIndex(r io.Reader) (*packIndex, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	x := &packIndex{}
	be := binary.BigEndian
	v2 := len(data) >= 8 && bytes.Equal(data[:4], []byte{0xff, 't', 'O', 'c'})
	if v2 {
		if v := be.Uint32(data[4:8]); v != 2 {
			return nil, fmt.Errorf("unsupported index version %d", v)
		}
		data = data[8:]
	}
	if len(data) < 256*4 {
		return nil, errors.New("index too short")
	}
	for i := range 256 {
		x.fanout[i] = be.Uint32(data[i*4:])
		if i > 0 && x.fanout[i] < x.fanout[i-1] {
			return nil, errors.New("index fan-out not sorted")
		}
	}
	n := int(x.fanout[255])
	data = data[256*4:]
	x.offsets = make([]int64, n)
	if v2 {
		if len(data) < n*28 {
			return nil, errors.New("index too short")
		}
		x.names = data[: n*20 : n*20]
		off32 := data[n*24 : n*28]
		large := data[n*28:]
		for i := range n {
			o := be.Uint32(off32[i*4:])
			if o&0x80000000 == 0 {
				x.offsets[i] = int64(o)
				continue
			}
			j := int(o & 0x7fffffff)
			if len(large) < (j+1)*8 {
				return nil, errors.New("index offset out of range")
			}
			v := be.Uint64(large[j*8:])
			if v > 1<<62 {
				return nil, errors.New("index offset out of range")
			}
			x.offsets[i] = int64(v)
		}
		x.names = slices.Clone(x.names) // let the rest of the file go
	} else {
		if len(data) < n*24 {
			return nil, errors.New("index too short")
		}
		x.names = make([]byte, n*20)
		for i := range n {
			e := data[i*24:]
			x.offsets[i] = int64(be.Uint32(e))
			copy(x.names[i*20:], e[4:24])
		}
	}
	for i := 1; i < n; i++ {
		if bytes.Compare(x.names[(i-1)*20:i*20], x.names[i*20:(i+1)*20]) >= 0 {
			return nil, errors.New("index names not sorted")
		}
	}
	x.byOff = make([]int32, n)
	for i := range x.byOff {
		x.byOff[i] = int32(i)
	}
	slices.SortFunc(x.byOff, func(a, b int32) int { return int(x.offsets[a] - x.offsets[b]) })
	return x, nil
}

// count is the number of objects in the pack.
func (x *packIndex) count() int { return len(x.offsets) }

// FindOffset returns where object h starts in the pack.
func (x *packIndex) FindOffset(h plumbing.Hash) (int64, error) {
	lo := 0
	if h[0] > 0 {
		lo = int(x.fanout[h[0]-1])
	}
	hi := int(x.fanout[h[0]])
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch c := bytes.Compare(x.names[m*20:m*20+20], h[:]); {
		case c == 0:
			return x.offsets[m], nil
		case c < 0:
			lo = m + 1
		default:
			hi = m
		}
	}
	return 0, plumbing.ErrObjectNotFound
}

// sortedOffsets returns the objects' offsets in ascending order.
func (x *packIndex) sortedOffsets() []int64 {
	out := make([]int64, len(x.byOff))
	for i, j := range x.byOff {
		out[i] = x.offsets[j]
	}
	return out
}

// FindHash returns the name of the object at offset off.
func (x *packIndex) FindHash(off int64) (plumbing.Hash, error) {
	i, ok := slices.BinarySearchFunc(x.byOff, off, func(j int32, off int64) int {
		return int(x.offsets[j] - off)
	})
	if !ok {
		return plumbing.ZeroHash, plumbing.ErrObjectNotFound
	}
	var h plumbing.Hash
	copy(h[:], x.names[int(x.byOff[i])*20:])
	return h, nil
}
