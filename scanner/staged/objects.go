package staged

import (
	"fmt"
	"strings"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// objects reads the few objects a staged scan needs through gitobj (which
// looks a pack index up on disk without loading it), plus the blobs that
// live only in the work tree (--all).
type objects struct {
	r     *gitobj.Reader
	store *gitobj.Store // for the size of a loose blob before it is read (nil: not asked)
	extra map[gitobj.ID][]byte
}

// head returns the size of blob id and its first n bytes when the store
// holds it whole, loose or packed, without inflating the rest (ok false
// otherwise: see gitobj.Store.Head).
func (o *objects) head(id gitobj.ID, n int) (size int64, head []byte, ok bool) {
	if o.store == nil {
		return 0, nil, false
	}
	if _, in := o.extra[id]; in {
		return 0, nil, false
	}
	t, size, head, ok, err := o.store.Head(id, n)
	if !ok || err != nil || t != gitobj.Blob {
		return 0, nil, false
	}
	return size, head, true
}

// read returns the type and content of object id.
func (o *objects) read(id gitobj.ID) (gitobj.Type, []byte, error) {
	if b, ok := o.extra[id]; ok {
		return gitobj.Blob, b, nil
	}
	return o.r.Read(id)
}

// blob returns the content of blob id.
func (o *objects) blob(id gitobj.ID) ([]byte, error) {
	if b, ok := o.extra[id]; ok {
		return b, nil
	}
	return o.r.ReadType(id, gitobj.Blob)
}

// tree returns the entries of tree id.
func (o *objects) tree(id gitobj.ID) ([]gitobj.TreeEntry, error) {
	data, err := o.r.ReadType(id, gitobj.Tree)
	if err != nil {
		return nil, err
	}
	ents, err := gitobj.TreeEntries(data)
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", id, err)
	}
	return ents, nil
}

// commitTree returns the tree of commit id (peeling tags).
func (o *objects) commitTree(id gitobj.ID) (gitobj.ID, error) { return o.r.CommitTree(id) }

// lookupPath returns the entry at path in tree root, if any.
func (o *objects) lookupPath(root gitobj.ID, path string) (gitobj.TreeEntry, bool, error) {
	cur := root
	for {
		name, rest, more := strings.Cut(path, "/")
		ents, err := o.tree(cur)
		if err != nil {
			return gitobj.TreeEntry{}, false, err
		}
		var found *gitobj.TreeEntry
		for i := range ents {
			if string(ents[i].Name) == name {
				found = &ents[i]
				break
			}
		}
		if found == nil {
			return gitobj.TreeEntry{}, false, nil
		}
		if !more {
			return *found, true, nil
		}
		if !found.IsDir() {
			return gitobj.TreeEntry{}, false, nil
		}
		cur, path = found.ID, rest
	}
}
