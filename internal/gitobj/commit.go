package gitobj

import (
	"bytes"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"time"
)

// CommitHeader is what keyscan needs of a commit: its tree, its parents,
// who wrote it and when.
type CommitHeader struct {
	Tree     ID
	Parents  []ID
	Author   string // "Name <email>"
	When     time.Time
	CommitAt time.Time // the committer's time
}

// ParseCommit reads the header lines of a commit object.
func ParseCommit(data []byte) (CommitHeader, error) {
	var c CommitHeader
	var haveTree bool
	for key, val := range headers(data) {
		switch string(key) {
		case "tree":
			id, ok := ParseID(string(val))
			if !ok {
				return c, errors.New("malformed tree line")
			}
			c.Tree, haveTree = id, true
		case "parent":
			id, ok := ParseID(string(val))
			if !ok {
				return c, errors.New("malformed parent line")
			}
			c.Parents = append(c.Parents, id)
		case "author":
			c.Author, c.When = parseSignature(val)
		case "committer":
			_, c.CommitAt = parseSignature(val)
		}
	}
	if !haveTree {
		return c, errors.New("commit has no tree")
	}
	return c, nil
}

// headers yields the key and value of each header line of a commit or tag
// object, up to the blank line that ends them.
func headers(data []byte) iter.Seq2[[]byte, []byte] {
	return func(yield func(key, val []byte) bool) {
		for rest := data; len(rest) > 0; {
			var line []byte
			line, rest, _ = bytes.Cut(rest, []byte{'\n'})
			if len(line) == 0 {
				return // end of headers
			}
			key, val, _ := bytes.Cut(line, []byte{' '})
			if !yield(key, val) {
				return
			}
		}
	}
}

// parseSignature splits "Name <email> 1700000000 +0100".
func parseSignature(b []byte) (string, time.Time) {
	end := bytes.LastIndexByte(b, '>')
	if end < 0 {
		return string(b), time.Time{}
	}
	who := string(b[:end+1])
	var when time.Time
	rest := bytes.Fields(b[end+1:])
	if len(rest) >= 1 {
		if sec, err := strconv.ParseInt(string(rest[0]), 10, 64); err == nil {
			when = time.Unix(sec, 0)
			if len(rest) >= 2 && len(rest[1]) == 5 {
				tz := string(rest[1])
				hh, e1 := strconv.Atoi(tz[1:3])
				mm, e2 := strconv.Atoi(tz[3:5])
				if e1 == nil && e2 == nil {
					offset := (hh*60 + mm) * 60
					if tz[0] == '-' {
						offset = -offset
					}
					when = when.In(time.FixedZone("", offset))
				}
			}
		}
	}
	return who, when
}

// TagTarget returns the object an annotated tag names.
func TagTarget(data []byte) (ID, bool) {
	for key, val := range headers(data) {
		if string(key) == "object" {
			return ParseID(string(val))
		}
	}
	return ID{}, false
}

// MaxTagChain bounds how many annotated tags Peel (and any other walk down a
// chain of tags) follows.
const MaxTagChain = 16

// MaxTreeDepth bounds how deep a walk goes into a commit's trees, as git's
// own core.maxTreeDepth (default 4096) does: the backstop behind the walks'
// checks that no tree holds itself, which a forged tree could try.
const MaxTreeDepth = 4096

// Peel follows annotated tags from id to the object they name, and returns
// that object's name, type and content.
func (r *Reader) Peel(id ID) (ID, Type, []byte, error) {
	for range MaxTagChain {
		t, data, err := r.Read(id)
		if err != nil {
			return id, 0, nil, err
		}
		if t != Tag {
			return id, t, data, nil
		}
		target, ok := TagTarget(data)
		if !ok {
			return id, 0, nil, fmt.Errorf("tag %s: no object line", id)
		}
		id = target
	}
	return id, 0, nil, fmt.Errorf("object %s: tag chain too long", id)
}

// CommitTree returns the tree of commit id, peeling tags.
func (r *Reader) CommitTree(id ID) (ID, error) {
	cid, t, data, err := r.Peel(id)
	if err != nil {
		return ID{}, err
	}
	if t != Commit {
		return ID{}, fmt.Errorf("object %s: is a %s, want a commit", cid, t)
	}
	c, err := ParseCommit(data)
	if err != nil {
		return ID{}, fmt.Errorf("commit %s: %w", cid, err)
	}
	return c.Tree, nil
}

// Message returns the message of a commit or an annotated tag: what follows
// the blank line that ends the header lines (with a tag's signature, when it
// has one, which is text too). It is empty when the object has no message.
func Message(data []byte) []byte {
	if bytes.HasPrefix(data, []byte{'\n'}) {
		return data[1:]
	}
	if _, msg, ok := bytes.Cut(data, []byte("\n\n")); ok {
		return msg
	}
	return nil
}

// TagHeader is what keyscan needs of an annotated tag: the object it names,
// its own name, and who made it when.
type TagHeader struct {
	Object ID
	Name   string
	Tagger string // "Name <email>", empty for a tag without a tagger line
	When   time.Time
}

// ParseTag reads the header lines of an annotated tag object.
func ParseTag(data []byte) (TagHeader, error) {
	var t TagHeader
	var haveObject bool
	for key, val := range headers(data) {
		switch string(key) {
		case "object":
			id, ok := ParseID(string(val))
			if !ok {
				return t, errors.New("malformed object line")
			}
			t.Object, haveObject = id, true
		case "tag":
			t.Name = string(val)
		case "tagger":
			t.Tagger, t.When = parseSignature(val)
		}
	}
	if !haveObject {
		return t, errors.New("tag has no object line")
	}
	return t, nil
}
