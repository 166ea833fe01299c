package history

import (
	"encoding/binary"
	"slices"
	"unsafe"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// treeMemo holds, for each directory path the walk has met, the last
// trees it parsed there (see recentTrees): their records and each entry's
// result (memoEntry), so that the next version of the directory is walked
// as a comparison of records with the closest of them (see walkTree). It
// is bounded by limit bytes, the same budget for every repository: a tree
// that does not fit is not remembered, and a directory none of whose trees
// is remembered is walked entry by entry as without a memo. A zero limit
// turns it off.
type treeMemo struct {
	dirs  []recentTrees[memoEntry] // by path ID
	bytes int                      // held by dirs
	limit int
}

// memoTrees is how many of the last trees read at a directory the memos
// (the walk's and the feed's) remember. One is not enough for a history
// of branches: the walk goes by commit date, so it takes the commits of
// two branches in turn, and each directory a branch changes has the other
// branch's version as its last tree; a new version differs from it in
// every entry where the branches differ, and each such entry costs the
// lookups the memo is there to save, in the walk and in the feed. With the
// last four, trufflehog's walk parses 26 % fewer entries and makes 33 %
// fewer calls of walkTree, half as many of them for a tree met before at
// the same directory (312,997 entries, 251,648 calls, 166,191 met before,
// with one; 231,944, 168,685 and 83,228 with four); eight save another 5 %.
const memoTrees = 4

// recentTrees are the last trees read at one directory (up to memoTrees),
// each remembered within the memo's budget (see lastTree.keep). The slots
// are made as trees come, each counted in the budget: a directory with
// one version (most, in a history of a million folders) holds one.
type recentTrees[E any] struct {
	trees []lastTree[E]
	next  uint8 // the slot the next tree goes to: a new one, or the oldest
}

// closest returns the remembered tree to compare data, the new version of
// the directory, with; empty when none is remembered. It is the latest,
// unless an older one has, where data first differs from the latest, the
// same record as data at the same place: the other branch's version, which
// the new one continues. (Comparing data with each whole tree to pick the
// closest cost the walk and the feed what it saved them.)
func (r *recentTrees[E]) closest(data []byte) lastTree[E] {
	if len(r.trees) == 0 {
		return lastTree[E]{}
	}
	last := (int(r.next) + memoTrees - 1) % memoTrees
	if last >= len(r.trees) {
		last = len(r.trees) - 1
	}
	latest := r.trees[last]
	if latest.raw == nil || len(r.trees) == 1 {
		return latest
	}
	// The record of data where it first differs from latest.
	p := int32(commonPrefix(data, latest.raw))
	j, _ := slices.BinarySearch(latest.ends, p+1) // the first record that ends past p
	start := recordStart(latest.ends, j)
	_, n, err := gitobj.NextTreeEntry(data[start:])
	if err != nil {
		return latest
	}
	rec := data[start : int(start)+n]
	for i := 1; i < len(r.trees); i++ {
		t := r.trees[(last+len(r.trees)-i)%len(r.trees)] // the newest first
		if int(start)+n <= len(t.raw) && string(t.raw[start:int(start)+n]) == string(rec) {
			return t
		}
	}
	return latest
}

// keep remembers tree data, whose records end at ends and came to ents, in
// a new slot or in place of the oldest tree remembered, within the budget:
// *held bytes of limit are in use (see lastTree.keep).
func (r *recentTrees[E]) keep(held *int, limit int, data []byte, ends []int32, ents []E) {
	if int(r.next) == len(r.trees) {
		size := int(unsafe.Sizeof(lastTree[E]{}))
		if *held+size > limit {
			if len(r.trees) == 0 {
				return
			}
			r.next = 0
		} else {
			*held += size
			r.trees = append(r.trees, lastTree[E]{})
		}
	}
	r.trees[r.next].keep(held, limit, data, ends, ents)
	r.next = (r.next + 1) % memoTrees
}

// memoLimit bounds the walk's memo, and the feed's. The last trees of every
// directory of botocore's history (1,700 directories, the most of the
// benchmark repositories) take 0.6 MB; the bound is for histories with
// vastly more directories, and holds only during the walk.
const memoLimit = 32 << 20

// dirMemo is a tree walked at one directory.
type dirMemo = lastTree[memoEntry]

// lastTree is a tree read at one directory, by the walk (dirMemo) or the
// feed (feedDir), one of recentTrees: its records and what each entry came
// to.
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

// at returns the memo of directory dir to compare its tree data with: the
// closest of those remembered; empty when there is none.
func (m *treeMemo) at(dir int32, data []byte) dirMemo {
	if int(dir) < len(m.dirs) {
		return m.dirs[dir].closest(data)
	}
	return dirMemo{}
}

// set remembers tree data, whose records end at ends and came to ents, as
// the latest tree walked at directory dir.
func (m *treeMemo) set(dir int32, data []byte, ends []int32, ents []memoEntry) {
	if m.limit == 0 {
		return
	}
	if int(dir) >= len(m.dirs) {
		m.dirs = append(m.dirs, make([]recentTrees[memoEntry], int(dir)+1-len(m.dirs))...)
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
