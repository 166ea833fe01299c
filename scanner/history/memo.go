package history

import "unsafe"

// treeMemo holds, for each directory path the walk has met, the last tree
// it parsed there: its raw records and each entry's result (memoEntry), so
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
type dirMemo struct {
	raw  []byte
	ents []memoEntry
}

// memoEntry is what walking one entry of a tree came to.
type memoEntry struct {
	end  int32 // where its record ends in the tree
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

const memoEntrySize = int(unsafe.Sizeof(memoEntry{}))

// at returns the memo of directory dir; empty when there is none.
func (m *treeMemo) at(dir int32) dirMemo {
	if int(dir) < len(m.dirs) {
		return m.dirs[dir]
	}
	return dirMemo{}
}

// record returns the raw record of entry j.
func (d dirMemo) record(j int) []byte {
	var start int32
	if j > 0 {
		start = d.ents[j-1].end
	}
	return d.raw[start:d.ents[j].end]
}

// set remembers tree data, whose entries came to ents, as the last tree
// walked at directory dir.
func (m *treeMemo) set(dir int32, data []byte, ents []memoEntry) {
	if m.limit == 0 {
		return
	}
	if int(dir) >= len(m.dirs) {
		m.dirs = append(m.dirs, make([]dirMemo, int(dir)+1-len(m.dirs))...)
	}
	d := &m.dirs[dir]
	if cap(d.raw) < len(data) || cap(d.ents) < len(ents) {
		held := cap(d.raw) + cap(d.ents)*memoEntrySize
		// Some room to grow: a directory gains entries over its history.
		nraw, nents := len(data)+len(data)/8, len(ents)+len(ents)/8
		need := nraw + nents*memoEntrySize
		m.bytes -= held
		*d = dirMemo{}
		if m.bytes+need > m.limit {
			return
		}
		m.bytes += need
		d.raw = make([]byte, 0, nraw)
		d.ents = make([]memoEntry, 0, nents)
	}
	d.raw = append(d.raw[:0], data...)
	d.ents = append(d.ents[:0], ents...)
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
