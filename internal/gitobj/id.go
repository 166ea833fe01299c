package gitobj

import (
	"crypto/sha1"
	"encoding/hex"
	"strconv"
)

// ID is a SHA-1 object name. It has the layout of go-git's plumbing.Hash,
// so callers that take refs from go-git convert with ID(h), at no cost.
type ID [20]byte

// ParseID parses 40 lowercase or uppercase hexadecimal digits.
func ParseID(s string) (ID, bool) {
	var id ID
	if len(s) != 40 {
		return id, false
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return ID{}, false
	}
	return id, true
}

func (id ID) String() string { return hex.EncodeToString(id[:]) }

// IsZero reports whether id is the all-zero name git uses for "none".
func (id ID) IsZero() bool { return id == ID{} }

// Type is an object type, numbered as pack entries number it.
type Type int8

// The object types, and the two delta kinds that only pack entries have.
const (
	Commit   Type = 1
	Tree     Type = 2
	Blob     Type = 3
	Tag      Type = 4
	OFSDelta Type = 6
	REFDelta Type = 7
)

func (t Type) String() string {
	switch t {
	case Commit:
		return "commit"
	case Tree:
		return "tree"
	case Blob:
		return "blob"
	case Tag:
		return "tag"
	case OFSDelta:
		return "ofs-delta"
	case REFDelta:
		return "ref-delta"
	}
	return "object of type " + strconv.Itoa(int(t))
}

// typeByName is the type named in a loose object's header.
func typeByName(s string) Type {
	switch s {
	case "commit":
		return Commit
	case "tree":
		return Tree
	case "blob":
		return Blob
	case "tag":
		return Tag
	}
	return 0
}

// HashObject returns git's name for content of type t: the SHA-1 of
// "TYPE SIZE\x00" and the content.
func HashObject(t Type, data []byte) ID {
	s := sha1.New()
	s.Write([]byte(t.String()))
	s.Write([]byte{' '})
	s.Write(strconv.AppendInt(nil, int64(len(data)), 10))
	s.Write([]byte{0})
	s.Write(data)
	var id ID
	s.Sum(id[:0])
	return id
}
