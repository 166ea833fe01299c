package gitobj

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Entry modes of a tree that callers tell apart.
const (
	ModeDir       = 0o040000
	ModeSubmodule = 0o160000
	modeTypeMask  = 0o170000
)

// TreeEntry is one entry of a tree object.
type TreeEntry struct {
	Mode uint32
	Name []byte // points into the tree's data
	ID   ID
}

// IsDir reports whether the entry is a subtree.
func (e TreeEntry) IsDir() bool { return e.Mode&modeTypeMask == ModeDir }

// IsSubmodule reports whether the entry is a gitlink (a submodule's commit).
func (e TreeEntry) IsSubmodule() bool { return e.Mode&modeTypeMask == ModeSubmodule }

var errTree = errors.New("malformed tree entry")

// ParseTree calls fn for each entry of the tree object data, in order,
// without allocating; an entry's Name is valid as long as data is.
func ParseTree(data []byte, fn func(TreeEntry)) error {
	for len(data) > 0 {
		e, n, err := NextTreeEntry(data)
		if err != nil {
			return err
		}
		data = data[n:]
		fn(e)
	}
	return nil
}

// NextTreeEntry parses the entry at the start of the non-empty tree object
// data and returns it with the length of its record, for callers that walk
// a tree themselves (to compare its records with another version's, say).
func NextTreeEntry(data []byte) (TreeEntry, int, error) {
	sp := bytes.IndexByte(data, ' ')
	if sp <= 0 {
		return TreeEntry{}, 0, errTree
	}
	mode, ok := parseMode(data[:sp])
	if !ok {
		var err error
		mode, err = strconv.ParseUint(string(data[:sp]), 8, 32)
		if err != nil {
			return TreeEntry{}, 0, fmt.Errorf("malformed tree entry mode %q", data[:sp])
		}
	}
	rest := data[sp+1:]
	nul := bytes.IndexByte(rest, 0)
	if nul < 0 || len(rest) < nul+21 {
		return TreeEntry{}, 0, errTree
	}
	e := TreeEntry{Mode: uint32(mode), Name: rest[:nul]}
	copy(e.ID[:], rest[nul+1:nul+21])
	return e, sp + 1 + nul + 21, nil
}

// TreeEntries returns the entries of the tree object data.
func TreeEntries(data []byte) ([]TreeEntry, error) {
	var out []TreeEntry
	err := ParseTree(data, func(e TreeEntry) { out = append(out, e) })
	return out, err
}

// parseMode parses a usual octal entry mode; when ok is false,
// strconv.ParseUint decides.
func parseMode(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 11 {
		return 0, false
	}
	var m uint64
	for _, c := range b {
		if c < '0' || c > '7' {
			return 0, false
		}
		m = m<<3 | uint64(c-'0')
	}
	return m, m <= 1<<32-1
}

// AppendTreeEntry appends one entry in the tree object format: what git
// hashes to name a tree.
func AppendTreeEntry(b []byte, mode uint32, name string, id ID) []byte {
	b = strconv.AppendUint(b, uint64(mode), 8)
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, 0)
	return append(b, id[:]...)
}
