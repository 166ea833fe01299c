package staged

import (
	"context"
	"crypto/sha1"
	"sort"
	"strconv"
	"strings"
)

// change is one path whose content the commit adds or removes.
type change struct {
	path    string
	oldPath string // the path in HEAD, for a rename
	oldHash hash   // zero for an added file
	newHash hash   // zero for a deleted file
	oldMode uint32
	newMode uint32
}

func (c change) status() Status {
	switch {
	case c.newHash.isZero():
		return Deleted
	case c.oldHash.isZero():
		return Added
	case c.oldPath != "" && c.oldPath != c.path:
		return Renamed
	}
	return Modified
}

// differ compares the index's entries with HEAD's tree.
type differ struct {
	ctx   context.Context
	objs  *objectStore
	ents  []entry // stage 0, not intent-to-add, sorted by path
	trees map[string]cacheTree
	memo  map[string]hash

	changes      []change  // added and modified files
	deleted      []change  // files in HEAD, not in the index
	deletedTrees []deadDir // folders in HEAD, not in the index, expanded on demand
}

type deadDir struct {
	prefix string // "a/b/"
	hash   hash
}

func newDiffer(ctx context.Context, objs *objectStore, ents []entry, trees map[string]cacheTree) *differ {
	return &differ{ctx: ctx, objs: objs, ents: ents, trees: trees, memo: map[string]hash{}}
}

// groupEnd returns the end of the run of entries from i on whose path starts
// with dir (which ends in "/"): sorted paths keep a prefix's entries together.
func (d *differ) groupEnd(i, hi int, dir string) int {
	return i + sort.Search(hi-i, func(k int) bool { return !strings.HasPrefix(d.ents[i+k].path, dir) })
}

// dirHash returns the tree hash that the entries [lo,hi) under prefix would
// write: from the cache-tree where it is valid, else computed the way git
// write-tree does, with the results of subfolders memoised.
func (d *differ) dirHash(prefix string, lo, hi int) hash {
	key := strings.TrimSuffix(prefix, "/")
	if ct, ok := d.trees[key]; ok && ct.count == hi-lo {
		return ct.hash
	}
	if h, ok := d.memo[key]; ok {
		return h
	}
	var body []byte
	for i := lo; i < hi; {
		e := &d.ents[i]
		rest := e.path[len(prefix):]
		if e.isDir() {
			body = appendTreeEntry(body, 0o40000, strings.TrimSuffix(rest, "/"), e.hash)
			i++
			continue
		}
		if slash := strings.IndexByte(rest, '/'); slash >= 0 {
			name := rest[:slash]
			j := d.groupEnd(i, hi, prefix+name+"/")
			body = appendTreeEntry(body, 0o40000, name, d.dirHash(prefix+name+"/", i, j))
			i = j
			continue
		}
		body = appendTreeEntry(body, e.mode, rest, e.hash)
		i++
	}
	h := objectHash("tree", body)
	d.memo[key] = h
	return h
}

func appendTreeEntry(b []byte, mode uint32, name string, h hash) []byte {
	b = strconv.AppendUint(b, uint64(mode), 8)
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, 0)
	return append(b, h[:]...)
}

// objectHash is git's object name for content of the given type.
func objectHash(typ string, data []byte) hash {
	s := sha1.New()
	s.Write([]byte(typ + " " + strconv.Itoa(len(data)) + "\x00"))
	s.Write(data)
	var h hash
	s.Sum(h[:0])
	return h
}

// compare finds the changes between HEAD's tree head (zero if there is none)
// and the entries [lo,hi) under prefix. It reads a HEAD tree only when the
// index side of that folder hashes differently.
func (d *differ) compare(prefix string, head hash, lo, hi int) error {
	if err := d.ctx.Err(); err != nil {
		return err
	}
	if !head.isZero() && d.dirHash(prefix, lo, hi) == head {
		return nil
	}
	var headEnts []treeEntry
	if !head.isZero() {
		var err error
		if headEnts, err = d.objs.tree(head); err != nil {
			return err
		}
	}
	byName := make(map[string]treeEntry, len(headEnts))
	for _, he := range headEnts {
		byName[he.name] = he
	}
	seen := make(map[string]bool, len(headEnts))
	for i := lo; i < hi; {
		e := &d.ents[i]
		rest := e.path[len(prefix):]
		slash := strings.IndexByte(rest, '/')
		switch {
		case e.isDir():
			name := strings.TrimSuffix(rest, "/")
			he, ok := byName[name]
			seen[name] = true
			if ok && !he.isTree() {
				d.deletedFile(prefix+name, he)
			}
			old := hash{}
			if ok && he.isTree() {
				old = he.hash
			}
			if err := d.treeDiff(prefix+name+"/", old, e.hash); err != nil {
				return err
			}
			i++
		case slash >= 0:
			name := rest[:slash]
			j := d.groupEnd(i, hi, prefix+name+"/")
			he, ok := byName[name]
			seen[name] = true
			old := hash{}
			if ok && he.isTree() {
				old = he.hash
			} else if ok {
				d.deletedFile(prefix+name, he)
			}
			if err := d.compare(prefix+name+"/", old, i, j); err != nil {
				return err
			}
			i = j
		default:
			he, ok := byName[rest]
			seen[rest] = true
			d.file(prefix+rest, he, ok, e.mode, e.hash)
			i++
		}
	}
	for _, he := range headEnts {
		if !seen[he.name] {
			d.deletedEntry(prefix+he.name, he)
		}
	}
	return nil
}

// file records the change, if any, between a HEAD entry and a new file.
func (d *differ) file(path string, he treeEntry, inHead bool, mode uint32, h hash) {
	if isGitlink(mode) {
		// a submodule: its content belongs to another repository
		if inHead && he.isTree() {
			d.deletedTrees = append(d.deletedTrees, deadDir{path + "/", he.hash})
		}
		return
	}
	c := change{path: path, newHash: h, newMode: mode}
	switch {
	case !inHead || isGitlink(he.mode):
	case he.isTree():
		d.deletedTrees = append(d.deletedTrees, deadDir{path + "/", he.hash})
	case he.hash == h:
		return // unchanged, or a mode change only
	default:
		c.oldHash, c.oldMode, c.oldPath = he.hash, he.mode, path
	}
	d.changes = append(d.changes, c)
}

func (d *differ) deletedEntry(path string, he treeEntry) {
	if he.isTree() {
		d.deletedTrees = append(d.deletedTrees, deadDir{path + "/", he.hash})
	} else {
		d.deletedFile(path, he)
	}
}

func (d *differ) deletedFile(path string, he treeEntry) {
	if !isGitlink(he.mode) {
		d.deleted = append(d.deleted, change{path: path, oldPath: path, oldHash: he.hash, oldMode: he.mode})
	}
}

// treeDiff compares two trees held as objects (a sparse index keeps folders
// outside the sparse cone as tree entries).
func (d *differ) treeDiff(prefix string, old, new hash) error {
	if old == new {
		return nil
	}
	if err := d.ctx.Err(); err != nil {
		return err
	}
	newEnts, err := d.objs.tree(new)
	if err != nil {
		return err
	}
	var oldEnts []treeEntry
	if !old.isZero() {
		if oldEnts, err = d.objs.tree(old); err != nil {
			return err
		}
	}
	byName := make(map[string]treeEntry, len(oldEnts))
	for _, oe := range oldEnts {
		byName[oe.name] = oe
	}
	for _, ne := range newEnts {
		oe, ok := byName[ne.name]
		delete(byName, ne.name)
		if ne.isTree() {
			o := hash{}
			if ok && oe.isTree() {
				o = oe.hash
			} else if ok {
				d.deletedFile(prefix+ne.name, oe)
			}
			if err := d.treeDiff(prefix+ne.name+"/", o, ne.hash); err != nil {
				return err
			}
			continue
		}
		d.file(prefix+ne.name, oe, ok, ne.mode, ne.hash)
	}
	for _, oe := range byName {
		d.deletedEntry(prefix+oe.name, oe)
	}
	return nil
}

// expandDeleted lists the files of the deleted folders, for rename detection.
func (d *differ) expandDeleted() error {
	for len(d.deletedTrees) > 0 {
		dd := d.deletedTrees[len(d.deletedTrees)-1]
		d.deletedTrees = d.deletedTrees[:len(d.deletedTrees)-1]
		ents, err := d.objs.tree(dd.hash)
		if err != nil {
			return err
		}
		for _, he := range ents {
			d.deletedEntry(dd.prefix+he.name, he)
		}
	}
	return nil
}

func isGitlink(mode uint32) bool { return mode&0o170000 == 0o160000 }
