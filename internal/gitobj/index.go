package gitobj

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"unsafe"

	"github.com/keyscan/keyscan/internal/readfile"
)

// IndexEntry is one entry of the index. It stays small: a hook reads ten
// thousand of them to look at four, so the stat data (which only a scan of
// the work tree needs) is read from the index bytes on demand.
type IndexEntry struct {
	Path         string
	ID           ID
	Mode         uint32
	Stat         []byte // the entry's first 40 bytes in the index file
	Stage        uint8
	IntentToAdd  bool
	SkipWorktree bool
}

// MTime is the modification time the index recorded: seconds, nanoseconds.
func (e *IndexEntry) MTime() (uint32, uint32) {
	return binary.BigEndian.Uint32(e.Stat[8:]), binary.BigEndian.Uint32(e.Stat[12:])
}

// Size is the file size the index recorded (truncated to 32 bits).
func (e *IndexEntry) Size() uint32 { return binary.BigEndian.Uint32(e.Stat[36:]) }

// IsGitlink reports whether the entry is a submodule's commit.
func (e *IndexEntry) IsGitlink() bool { return e.Mode&modeTypeMask == ModeSubmodule }

// IsDir reports whether the entry is a folder left out of a sparse index.
func (e *IndexEntry) IsDir() bool { return e.Mode&modeTypeMask == ModeDir }

// Index is the part of .git/index that keyscan needs.
type Index struct {
	Entries []IndexEntry
	// Trees holds the valid cache-tree nodes: directory path ("" for the
	// root, no trailing slash) to the tree name the index's entries under
	// it would write, and how many entries that covers.
	Trees   map[string]CacheTree
	ModTime [2]int64 // of the index file (seconds, nanoseconds), for racy-git checks
}

// CacheTree is one valid node of the index's cache-tree extension.
type CacheTree struct {
	Count int
	ID    ID
}

// maxIndexSize bounds the index file read: 2 GiB is some forty million
// entries, past any repository git can work with.
const maxIndexSize = 2 << 30

// ReadIndex reads an index file, versions 2 to 4, with its TREE extension.
// It is opened as the object store's files are (see openRegular): a FIFO or
// a device in its place is an error, not a wait. A split index
// (core.splitIndex, `git update-index --split-index`) is read with its
// shared index, gitDir/sharedindex.<ID> (gitDir "" means the index's own
// folder), and the two merged as git merges them (see mergeSplit).
func ReadIndex(path, gitDir string) (*Index, error) {
	data, err := readfile.File(path, false, maxIndexSize)
	if err != nil {
		return nil, err
	}
	// The index is read once and never changed: its paths can share its
	// bytes instead of costing an allocation each.
	idx, link, err := parseIndex(data)
	if err != nil {
		return nil, fmt.Errorf("index %s: %v", path, err)
	}
	if link != nil {
		if gitDir == "" {
			gitDir = filepath.Dir(path)
		}
		sp := filepath.Join(gitDir, "sharedindex."+link.shared.String())
		shared, err := readfile.File(sp, false, maxIndexSize)
		if err != nil {
			return nil, fmt.Errorf("index %s: split index: %w", path, err)
		}
		if idx, err = mergeSplit(idx, link, shared); err != nil {
			return nil, fmt.Errorf("index %s: split index: shared index %s: %v", path, sp, err)
		}
	}
	if fi, err := os.Stat(path); err == nil {
		t := fi.ModTime()
		idx.ModTime = [2]int64{t.Unix(), int64(t.Nanosecond())}
	}
	return idx, nil
}

// ParseIndex parses the bytes of an index file. Entry paths share data,
// which must not change afterwards. A split index is an error: its entries
// are only those that differ from its shared index (see ReadIndex).
func ParseIndex(data []byte) (*Index, error) {
	idx, link, err := parseIndex(data)
	if err == nil && link != nil {
		return nil, fmt.Errorf("split index: read it with its shared index (sharedindex.%s)", link.shared)
	}
	return idx, err
}

// parseIndex parses an index file, and its link extension when it is a
// split index that names a shared index (nil otherwise).
func parseIndex(data []byte) (*Index, *splitLink, error) {
	if len(data) < 12+20 || !bytes.Equal(data[:4], []byte("DIRC")) {
		return nil, nil, fmt.Errorf("not an index file")
	}
	body, sum := data[:len(data)-20], data[len(data)-20:]
	// index.skipHash writes a zero checksum; git then skips the check too.
	if !bytes.Equal(sum, make([]byte, 20)) {
		if got := sha1.Sum(body); !bytes.Equal(got[:], sum) {
			return nil, nil, fmt.Errorf("checksum mismatch")
		}
	}
	version := binary.BigEndian.Uint32(body[4:8])
	if version < 2 || version > 4 {
		return nil, nil, fmt.Errorf("unsupported version %d", version)
	}
	n := binary.BigEndian.Uint32(body[8:12])
	if uint64(n) > uint64(len(body))/40 {
		return nil, nil, fmt.Errorf("entry count %d larger than the file", n)
	}
	idx := &Index{Entries: make([]IndexEntry, 0, n)}
	var link *splitLink
	p := 12
	var prev string
	for range n {
		const fixed = 62
		if p+fixed > len(body) {
			return nil, nil, fmt.Errorf("truncated entry")
		}
		b := body[p:]
		e := IndexEntry{Mode: binary.BigEndian.Uint32(b[24:]), Stat: b[:40:40]}
		copy(e.ID[:], b[40:60])
		flags := binary.BigEndian.Uint16(b[60:62])
		e.Stage = uint8(flags>>12) & 3
		q := fixed
		if flags&0x4000 != 0 {
			if version < 3 || q+2 > len(b) {
				return nil, nil, fmt.Errorf("bad extended flags")
			}
			ext := binary.BigEndian.Uint16(b[q:])
			e.SkipWorktree = ext&0x4000 != 0
			e.IntentToAdd = ext&0x2000 != 0
			q += 2
		}
		if version == 4 {
			strip, k, ok := offsetVarint(b[q:])
			if !ok || strip > uint64(len(prev)) {
				return nil, nil, fmt.Errorf("bad path prefix")
			}
			q += k
			nul := bytes.IndexByte(b[q:], 0)
			if nul < 0 {
				return nil, nil, fmt.Errorf("unterminated path")
			}
			e.Path = prev[:uint64(len(prev))-strip] + string(b[q:q+nul])
			q += nul + 1
		} else {
			nul := bytes.IndexByte(b[q:], 0)
			if nul < 0 {
				return nil, nil, fmt.Errorf("unterminated path")
			}
			e.Path = unsafe.String(&b[q], nul)
			q += nul + 1
			q = (q + 7) &^ 7 // entries are padded with NULs to a multiple of 8
			if q > len(b) {
				return nil, nil, fmt.Errorf("truncated entry")
			}
		}
		prev = e.Path
		idx.Entries = append(idx.Entries, e)
		p += q
	}
	for p+8 <= len(body) {
		sig := string(body[p : p+4])
		size := int(binary.BigEndian.Uint32(body[p+4 : p+8]))
		p += 8
		if size < 0 || p+size > len(body) {
			return nil, nil, fmt.Errorf("extension %q: truncated", sig)
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
			idx.Trees = trees
		case sig == "sdir":
			// sparse index: folders outside the cone are entries of mode
			// 040000 holding a tree hash, which the comparison handles
		case sig == "link":
			l, err := parseLink(ext)
			if err != nil {
				return nil, nil, fmt.Errorf("split index: link extension: %v", err)
			}
			if !l.shared.IsZero() { // zero: "the index does not require a shared index file"
				link = l
			}
		case sig[0] >= 'A' && sig[0] <= 'Z':
			// optional extension: ignore
		default:
			return nil, nil, fmt.Errorf("unsupported extension %q", sig)
		}
	}
	return idx, link, nil
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
func parseCacheTree(b []byte) (map[string]CacheTree, error) {
	out := map[string]CacheTree{}
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
			var id ID
			copy(id[:], b[:20])
			b = b[20:]
			out[path] = CacheTree{Count: count, ID: id}
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
