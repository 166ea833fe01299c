package staged

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"os"
	"unsafe"
)

// entry is one index entry. It stays small: a hook reads ten thousand of
// them to look at four, so the stat data (which only --all needs) is read
// from the index bytes on demand.
type entry struct {
	path         string
	hash         hash
	mode         uint32
	stat         []byte // the entry's first 40 bytes in the index file
	stage        uint8
	intentToAdd  bool
	skipWorktree bool
}

// mtime is the modification time the index recorded: seconds, nanoseconds.
func (e *entry) mtime() (uint32, uint32) {
	return binary.BigEndian.Uint32(e.stat[8:]), binary.BigEndian.Uint32(e.stat[12:])
}

// size is the file size the index recorded (truncated to 32 bits).
func (e *entry) size() uint32 { return binary.BigEndian.Uint32(e.stat[36:]) }

func (e *entry) isGitlink() bool { return e.mode&0o170000 == 0o160000 }
func (e *entry) isDir() bool     { return e.mode&0o170000 == 0o040000 } // sparse index

// index is the part of .git/index a staged scan needs.
type index struct {
	entries []entry
	// trees holds the valid cache-tree nodes: directory path ("" for the
	// root, no trailing slash) to the tree hash the index's entries under it
	// would write, and how many entries that covers.
	trees map[string]cacheTree
	mtime [2]int64 // of the index file, for racy-git checks in --all
}

type cacheTree struct {
	count int
	hash  hash
}

// readIndex parses an index file, versions 2 to 4, with its TREE extension.
func readIndex(path string) (*index, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// The index is read once and never changed: its paths can share its
	// bytes instead of costing an allocation each.
	idx, err := parseIndex(data)
	if err != nil {
		return nil, fmt.Errorf("index %s: %v", path, err)
	}
	if fi, err := os.Stat(path); err == nil {
		t := fi.ModTime()
		idx.mtime = [2]int64{t.Unix(), int64(t.Nanosecond())}
	}
	return idx, nil
}

func parseIndex(data []byte) (*index, error) {
	if len(data) < 12+20 || !bytes.Equal(data[:4], []byte("DIRC")) {
		return nil, fmt.Errorf("not an index file")
	}
	body, sum := data[:len(data)-20], data[len(data)-20:]
	// index.skipHash writes a zero checksum; git then skips the check too.
	if !bytes.Equal(sum, make([]byte, 20)) {
		if got := sha1.Sum(body); !bytes.Equal(got[:], sum) {
			return nil, fmt.Errorf("checksum mismatch")
		}
	}
	version := binary.BigEndian.Uint32(body[4:8])
	if version < 2 || version > 4 {
		return nil, fmt.Errorf("unsupported version %d", version)
	}
	n := binary.BigEndian.Uint32(body[8:12])
	if uint64(n) > uint64(len(body))/40 {
		return nil, fmt.Errorf("entry count %d larger than the file", n)
	}
	idx := &index{entries: make([]entry, 0, n)}
	p := 12
	var prev string
	for range n {
		const fixed = 62
		if p+fixed > len(body) {
			return nil, fmt.Errorf("truncated entry")
		}
		b := body[p:]
		e := entry{mode: binary.BigEndian.Uint32(b[24:]), stat: b[:40:40]}
		copy(e.hash[:], b[40:60])
		flags := binary.BigEndian.Uint16(b[60:62])
		e.stage = uint8(flags>>12) & 3
		q := fixed
		if flags&0x4000 != 0 {
			if version < 3 || q+2 > len(b) {
				return nil, fmt.Errorf("bad extended flags")
			}
			ext := binary.BigEndian.Uint16(b[q:])
			e.skipWorktree = ext&0x4000 != 0
			e.intentToAdd = ext&0x2000 != 0
			q += 2
		}
		if version == 4 {
			strip, k, ok := offsetVarint(b[q:])
			if !ok || strip > uint64(len(prev)) {
				return nil, fmt.Errorf("bad path prefix")
			}
			q += k
			nul := bytes.IndexByte(b[q:], 0)
			if nul < 0 {
				return nil, fmt.Errorf("unterminated path")
			}
			e.path = prev[:uint64(len(prev))-strip] + string(b[q:q+nul])
			q += nul + 1
		} else {
			nul := bytes.IndexByte(b[q:], 0)
			if nul < 0 {
				return nil, fmt.Errorf("unterminated path")
			}
			e.path = unsafe.String(&b[q], nul)
			q += nul + 1
			q = (q + 7) &^ 7 // entries are padded with NULs to a multiple of 8
			if q > len(b) {
				return nil, fmt.Errorf("truncated entry")
			}
		}
		prev = e.path
		idx.entries = append(idx.entries, e)
		p += q
	}
	for p+8 <= len(body) {
		sig := string(body[p : p+4])
		size := int(binary.BigEndian.Uint32(body[p+4 : p+8]))
		p += 8
		if size < 0 || p+size > len(body) {
			return nil, fmt.Errorf("extension %q: truncated", sig)
		}
		ext := body[p : p+size]
		p += size
		switch {
		case sig == "TREE":
			trees, err := parseCacheTree(ext)
			if err != nil {
				// The cache-tree is only a shortcut: without it every tree
				// hash is computed from the entries.
				trees = nil
			}
			idx.trees = trees
		case sig == "sdir":
			// sparse index: folders outside the cone are entries of mode
			// 040000 holding a tree hash, which the comparison handles
		case sig == "link":
			return nil, fmt.Errorf("split index is not supported (run: git update-index --no-split-index)")
		case sig[0] >= 'A' && sig[0] <= 'Z':
			// optional extension: ignore
		default:
			return nil, fmt.Errorf("unsupported extension %q", sig)
		}
	}
	return idx, nil
}

// offsetVarint decodes git's offset varint (index v4 prefix lengths).
func offsetVarint(b []byte) (uint64, int, bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	c := b[0]
	v := uint64(c & 0x7f)
	i := 1
	for c&0x80 != 0 {
		if i >= len(b) || v > 1<<50 {
			return 0, 0, false
		}
		c = b[i]
		i++
		v = (v+1)<<7 | uint64(c&0x7f)
	}
	return v, i, true
}

// parseCacheTree reads the TREE extension: nodes in pre-order, each a path
// component, an entry count (-1 when invalidated), a subtree count and, when
// valid, the tree hash.
func parseCacheTree(b []byte) (map[string]cacheTree, error) {
	out := map[string]cacheTree{}
	var node func(parent string, depth int) error
	node = func(parent string, depth int) error {
		if depth > 4096 {
			return fmt.Errorf("cache-tree too deep")
		}
		nul := bytes.IndexByte(b, 0)
		if nul < 0 {
			return fmt.Errorf("cache-tree: bad node")
		}
		name := string(b[:nul])
		b = b[nul+1:]
		sp := bytes.IndexByte(b, ' ')
		nl := bytes.IndexByte(b, '\n')
		if sp < 0 || nl < sp {
			return fmt.Errorf("cache-tree: bad node")
		}
		count, err1 := atoi(b[:sp])
		subs, err2 := atoi(b[sp+1 : nl])
		if err1 != nil || err2 != nil || subs < 0 {
			return fmt.Errorf("cache-tree: bad counts")
		}
		b = b[nl+1:]
		path := name
		if parent != "" {
			path = parent + "/" + name
		}
		if count >= 0 {
			if len(b) < 20 {
				return fmt.Errorf("cache-tree: truncated")
			}
			var h hash
			copy(h[:], b[:20])
			b = b[20:]
			out[path] = cacheTree{count: count, hash: h}
		}
		for range subs {
			if err := node(path, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if len(b) == 0 {
		return out, nil
	}
	if err := node("", 0); err != nil {
		return nil, err
	}
	return out, nil
}

func atoi(b []byte) (int, error) {
	neg := false
	if len(b) > 0 && b[0] == '-' {
		neg, b = true, b[1:]
	}
	if len(b) == 0 || len(b) > 9 {
		return 0, fmt.Errorf("bad number")
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("bad number")
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}
