package history

import (
	"encoding/binary"
	"slices"
	"unsafe"
)

// treeMemo holds, for each directory path the walk has met, the last tree
// it parsed there: its records and each entry's result (memoEntry), so
// that the next version of the directory is walked as a comparison of
// records (see walkTree). It is bounded by limit bytes, the same budget for
// every repository: a directory that does not fit is not remembered and is
// walked entry by entry as without a memo. A zero limit turns it off.
type treeMemo struct {
	dirs  []dirMemo // by path ID
	bytes int       // held by dirs
	limit int
}

// memoLimit bounds the walk's memo, and the feed's. The last trees of every
// directory of botocore's history (1,700 directories, the most of the
// benchmark repositories) take 0.6 MB; the bound is for histories with
// vastly more directories, and holds only during the walk.
const memoLimit = 32 << 20

// dirMemo is the last tree walked at one directory.
type dirMemo = lastTree[memoEntry]

// lastTree is the last tree read at one directory, by the walk (dirMemo)
// or the feed (feedDir): its records and what each entry came to.
type lastTree[E any] struct {
	// raw is the tree as read: gitobj's readers never write into what
	// they returned, so it is kept as it is, not copied.
	raw  []byte
	ends []int32 // where each entry's record ends in raw
	ents []E
}

// keep remembers tree data, whose records end at ends and came to ents, in
// d, within a budget: *held bytes of limit are in use. A tree that does
// not fit is forgotten.
func (d *lastTree[E]) keep(held *int, limit int, data []byte, ends []int32, ents []E) {
	entSize := 4 + int(unsafe.Sizeof(*new(E))) // an end and an entry
	*held -= len(d.raw)
	if cap(d.ents) < len(ents) {
		*held -= cap(d.ents) * entSize
		d.ends, d.ents = nil, nil
		// Some room to grow: a directory gains entries over its history.
		n := len(ents) + len(ents)/8
		if *held+len(data)+n*entSize > limit {
			d.raw = nil
			return
		}
		*held += n * entSize
		d.ends, d.ents = make([]int32, 0, n), make([]E, 0, n)
	} else if *held+len(data) > limit {
		d.raw, d.ends, d.ents = nil, d.ends[:0], d.ents[:0]
		return
	}
	*held += len(data)
	d.raw = data
	d.ends = append(d.ends[:0], ends...)
	d.ents = append(d.ents[:0], ents...)
}

// memoEntry is what walking one entry of a tree came to.
type memoEntry struct {
	name int32 // in scan.nameList
	kind entryKind
	val  int32 // entryDir: the subdirectory's node; entryFile: the blob
	path int32 // entryDir: the subdirectory's path ID
}

type entryKind uint8

const (
	entrySkip entryKind = iota // a submodule, or a file the path filters leave out
	entryDir
	entryFile
)

// at returns the memo of directory dir; empty when there is none.
func (m *treeMemo) at(dir int32) dirMemo {
	if int(dir) < len(m.dirs) {
		return m.dirs[dir]
	}
	return dirMemo{}
}

// set remembers tree data, whose records end at ends and came to ents, as
// the last tree walked at directory dir.
func (m *treeMemo) set(dir int32, data []byte, ends []int32, ents []memoEntry) {
	if m.limit == 0 {
		return
	}
	if int(dir) >= len(m.dirs) {
		m.dirs = append(m.dirs, make([]dirMemo, int(dir)+1-len(m.dirs))...)
	}
	m.dirs[dir].keep(&m.bytes, m.limit, data, ends, ents)
}

// reuse appends to ends and ents the k records of d from record j on, the
// same in a new tree where they start at pos, and returns them and where
// the last of them ends there.
func (d lastTree[E]) reuse(pos, j, k int, ends []int32, ents []E) ([]int32, []E, int) {
	shift := int32(pos) - recordStart(d.ends, j)
	for _, end := range d.ends[j : j+k] {
		ends = append(ends, end+shift)
	}
	ents = append(ents, d.ents[j:j+k]...)
	return ends, ents, int(ends[len(ends)-1])
}

// recordStart returns where record j starts in a tree whose records end at
// ends.
func recordStart(ends []int32, j int) int32 {
	if j == 0 {
		return 0
	}
	return ends[j-1]
}

// sameRecords returns how many records of the old tree raw, from its
// record j on (its records end at ends), are also, byte for byte, in data
// from pos on: the run of entries that did not change.
func sameRecords(data []byte, pos int, raw []byte, ends []int32, j int) int {
	if j >= len(ends) {
		return 0
	}
	start := recordStart(ends, j)
	limit := start + int32(commonPrefix(data[pos:], raw[start:]))
	k, _ := slices.BinarySearchFunc(ends[j:], limit, func(end, limit int32) int {
		if end <= limit {
			return -1
		}
		return 1
	})
	return k
}

// commonPrefix returns the length of the longest common prefix of a and b.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+256 <= n && string(a[i:i+256]) == string(b[i:i+256]) {
		i += 256
	}
	for i+8 <= n && binary.LittleEndian.Uint64(a[i:]) == binary.LittleEndian.Uint64(b[i:]) {
		i += 8
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// treeOrder compares two entry names as git orders the entries of a tree:
// a directory's name as if it ended in '/'.
func treeOrder[A, B ~string | ~[]byte](a A, aDir bool, b B, bDir bool) int {
	n := min(len(a), len(b))
	if string(a[:n]) != string(b[:n]) {
		if string(a[:n]) < string(b[:n]) {
			return -1
		}
		return 1
	}
	var ca, cb byte
	switch {
	case len(a) > n:
		ca = a[n]
	case aDir:
		ca = '/'
	}
	switch {
	case len(b) > n:
		cb = b[n]
	case bDir:
		cb = '/'
	}
	switch {
	case ca < cb:
		return -1
	case ca > cb:
		return 1
	}
	return 0
}
