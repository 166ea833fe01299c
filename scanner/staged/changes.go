package staged

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// change is one path whose content the commit adds or removes.
type change struct {
	path    string
	oldPath string    // the path in HEAD, for a rename
	oldHash gitobj.ID // zero for an added file
	newHash gitobj.ID // zero for a deleted file
	oldMode uint32
	newMode uint32
}

func (c change) status() Status {
	switch {
	case c.newHash.IsZero():
		return Deleted
	case c.oldHash.IsZero():
		return Added
	case c.oldPath != "" && c.oldPath != c.path:
		return Renamed
	}
	return Modified
}

// differ compares the index's entries with HEAD's tree.
type differ struct {
	ctx   context.Context
	objs  *objects
	ents  []gitobj.IndexEntry // stage 0, not intent-to-add, sorted by path
	trees map[string]gitobj.CacheTree
	memo  map[string]gitobj.ID

	changes      []change  // added and modified files
	deleted      []change  // files in HEAD, not in the index
	deletedTrees []deadDir // folders in HEAD, not in the index, expanded on demand

	onPath []gitobj.ID // the trees treeDiff is inside, outermost first
	// diffed holds the tree pairs treeDiff compared, and repeats counts
	// those compared again under another folder (see treeDiff).
	diffed  map[[2]gitobj.ID]bool
	repeats int
}

// maxRepeatedTrees bounds the trees a comparison meets again under another
// folder (see treeDiff and expandDeleted). A repository that copied a
// folder meets a few; a git bomb (ten folders of ten entries naming the
// same tree, 10^10 paths in a few kilobytes) would meet them without end.
const maxRepeatedTrees = 1 << 12

type deadDir struct {
	prefix string // "a/b/"
	id     gitobj.ID
	up     *deadDir // the deleted folder it was found in, when expanded from one
}

// maxTreeDepth bounds how deep a comparison goes into trees, behind the
// check that a tree never holds itself (see nested).
const maxTreeDepth = gitobj.MaxTreeDepth

// nested refuses tree id at prefix when it is already one of the trees
// the walk is inside (an object store whose loose objects claim other IDs
// can hold a tree that is its own subtree, and the path x/x/x/... would
// never end) or when the walk is maxTreeDepth deep.
func nested(id gitobj.ID, prefix string, onPath func(func(gitobj.ID) bool) bool, depth int) error {
	if onPath(func(h gitobj.ID) bool { return h == id }) {
		return fmt.Errorf("tree %s at %s contains itself: the repository's objects are damaged or forged", id, strings.TrimSuffix(prefix, "/"))
	}
	if depth > maxTreeDepth {
		return fmt.Errorf("tree %s at %s: more than %d folders deep", id, strings.TrimSuffix(prefix, "/"), maxTreeDepth)
	}
	return nil
}

func newDiffer(ctx context.Context, objs *objects, ents []gitobj.IndexEntry, trees map[string]gitobj.CacheTree) *differ {
	return &differ{ctx: ctx, objs: objs, ents: ents, trees: trees, memo: map[string]gitobj.ID{}}
}

// groupEnd returns the end of the run of entries from i on whose path starts
// with dir (which ends in "/"): sorted paths keep a prefix's entries together.
func (d *differ) groupEnd(i, hi int, dir string) int {
	return i + sort.Search(hi-i, func(k int) bool { return !strings.HasPrefix(d.ents[i+k].Path, dir) })
}

// dirHash returns the tree hash that the entries [lo,hi) under prefix would
// write: from the cache-tree where it is valid, else computed the way git
// write-tree does, with the results of subfolders memoised.
func (d *differ) dirHash(prefix string, lo, hi int) gitobj.ID {
	key := strings.TrimSuffix(prefix, "/")
	if ct, ok := d.trees[key]; ok && ct.Count == hi-lo {
		return ct.ID
	}
	if h, ok := d.memo[key]; ok {
		return h
	}
	var body []byte
	for i := lo; i < hi; {
		e := &d.ents[i]
		rest := e.Path[len(prefix):]
		if e.IsDir() {
			body = gitobj.AppendTreeEntry(body, 0o40000, strings.TrimSuffix(rest, "/"), e.ID)
			i++
			continue
		}
		if slash := strings.IndexByte(rest, '/'); slash >= 0 {
			name := rest[:slash]
			j := d.groupEnd(i, hi, prefix+name+"/")
			body = gitobj.AppendTreeEntry(body, 0o40000, name, d.dirHash(prefix+name+"/", i, j))
			i = j
			continue
		}
		body = gitobj.AppendTreeEntry(body, e.Mode, rest, e.ID)
		i++
	}
	h := gitobj.HashObject(gitobj.Tree, body)
	d.memo[key] = h
	return h
}

// compare finds the changes between HEAD's tree head (zero if there is none)
// and the entries [lo,hi) under prefix. It reads a HEAD tree only when the
// index side of that folder hashes differently.
func (d *differ) compare(prefix string, head gitobj.ID, lo, hi int) error {
	if err := d.ctx.Err(); err != nil {
		return err
	}
	if !head.IsZero() && d.dirHash(prefix, lo, hi) == head {
		return nil
	}
	var headEnts []gitobj.TreeEntry
	if !head.IsZero() {
		var err error
		if headEnts, err = d.objs.tree(head); err != nil {
			return err
		}
	}
	byName := make(map[string]gitobj.TreeEntry, len(headEnts))
	for _, he := range headEnts {
		byName[string(he.Name)] = he
	}
	seen := make(map[string]bool, len(headEnts))
	for i := lo; i < hi; {
		e := &d.ents[i]
		rest := e.Path[len(prefix):]
		slash := strings.IndexByte(rest, '/')
		switch {
		case e.IsDir():
			name := strings.TrimSuffix(rest, "/")
			he, ok := byName[name]
			seen[name] = true
			if ok && !he.IsDir() {
				d.deletedFile(prefix+name, he)
			}
			old := gitobj.ID{}
			if ok && he.IsDir() {
				old = he.ID
			}
			if err := d.treeDiff(prefix+name+"/", old, e.ID); err != nil {
				return err
			}
			i++
		case slash >= 0:
			name := rest[:slash]
			j := d.groupEnd(i, hi, prefix+name+"/")
			he, ok := byName[name]
			seen[name] = true
			old := gitobj.ID{}
			if ok && he.IsDir() {
				old = he.ID
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
			d.file(prefix+rest, he, ok, e.Mode, e.ID)
			i++
		}
	}
	for _, he := range headEnts {
		if !seen[string(he.Name)] {
			d.deletedEntry(prefix+string(he.Name), he)
		}
	}
	return nil
}

// file records the change, if any, between a HEAD entry and a new file.
func (d *differ) file(path string, he gitobj.TreeEntry, inHead bool, mode uint32, h gitobj.ID) {
	if isGitlink(mode) {
		// a submodule: its content belongs to another repository
		if inHead && he.IsDir() {
			d.deletedTrees = append(d.deletedTrees, deadDir{path + "/", he.ID, nil})
		}
		return
	}
	c := change{path: path, newHash: h, newMode: mode}
	switch {
	case !inHead || isGitlink(he.Mode):
	case he.IsDir():
		d.deletedTrees = append(d.deletedTrees, deadDir{path + "/", he.ID, nil})
	case he.ID == h:
		return // unchanged, or a mode change only
	default:
		c.oldHash, c.oldMode, c.oldPath = he.ID, he.Mode, path
	}
	d.changes = append(d.changes, c)
}

func (d *differ) deletedEntry(path string, he gitobj.TreeEntry) {
	if he.IsDir() {
		d.deletedTrees = append(d.deletedTrees, deadDir{path + "/", he.ID, nil})
	} else {
		d.deletedFile(path, he)
	}
}

func (d *differ) deletedFile(path string, he gitobj.TreeEntry) {
	if !isGitlink(he.Mode) {
		d.deleted = append(d.deleted, change{path: path, oldPath: path, oldHash: he.ID, oldMode: he.Mode})
	}
}

// treeDiff compares two trees held as objects (a sparse index keeps folders
// outside the sparse cone as tree entries).
func (d *differ) treeDiff(prefix string, old, new gitobj.ID) error {
	if old == new {
		return nil
	}
	if err := d.ctx.Err(); err != nil {
		return err
	}
	if err := nested(new, prefix, func(f func(gitobj.ID) bool) bool { return slices.ContainsFunc(d.onPath, f) }, len(d.onPath)); err != nil {
		return err
	}
	// The same pair of trees under another folder has the same changes
	// under other paths, and each path is a file of the commit. Compared
	// again up to a bound: a git bomb in the index would spell 10^10.
	if pair := [2]gitobj.ID{old, new}; d.diffed[pair] {
		if d.repeats++; d.repeats > maxRepeatedTrees {
			return fmt.Errorf("tree %s at %s: the index repeats folders under more than %d other paths (a \"git bomb\"): not compared", new, strings.TrimSuffix(prefix, "/"), maxRepeatedTrees)
		}
	} else {
		if d.diffed == nil {
			d.diffed = map[[2]gitobj.ID]bool{}
		}
		d.diffed[pair] = true
	}
	d.onPath = append(d.onPath, new)
	defer func() { d.onPath = d.onPath[:len(d.onPath)-1] }()
	newEnts, err := d.objs.tree(new)
	if err != nil {
		return err
	}
	var oldEnts []gitobj.TreeEntry
	if !old.IsZero() {
		if oldEnts, err = d.objs.tree(old); err != nil {
			return err
		}
	}
	byName := make(map[string]gitobj.TreeEntry, len(oldEnts))
	for _, oe := range oldEnts {
		byName[string(oe.Name)] = oe
	}
	for _, ne := range newEnts {
		oe, ok := byName[string(ne.Name)]
		delete(byName, string(ne.Name))
		if ne.IsDir() {
			o := gitobj.ID{}
			if ok && oe.IsDir() {
				o = oe.ID
			} else if ok {
				d.deletedFile(prefix+string(ne.Name), oe)
			}
			if err := d.treeDiff(prefix+string(ne.Name)+"/", o, ne.ID); err != nil {
				return err
			}
			continue
		}
		d.file(prefix+string(ne.Name), oe, ok, ne.Mode, ne.ID)
	}
	for _, oe := range byName {
		d.deletedEntry(prefix+string(oe.Name), oe)
	}
	return nil
}

// expandDeleted lists the files of the deleted folders, for rename
// detection. A folder whose tree was listed under another path holds the
// same files; it is listed again up to maxRepeatedTrees times, then left
// out (HEAD's tree can be a git bomb: 10^10 paths in a few kilobytes).
// That only loses rename candidates whose content is listed already, so
// nothing goes unscanned: an added file that is not found to be a rename
// is scanned whole.
func (d *differ) expandDeleted() error {
	listed := map[gitobj.ID]bool{}
	repeats := 0
	for len(d.deletedTrees) > 0 {
		dd := d.deletedTrees[len(d.deletedTrees)-1]
		d.deletedTrees = d.deletedTrees[:len(d.deletedTrees)-1]
		if listed[dd.id] {
			if repeats++; repeats > maxRepeatedTrees {
				continue
			}
		}
		listed[dd.id] = true
		depth := 0
		above := func(f func(gitobj.ID) bool) bool {
			for u := dd.up; u != nil; u = u.up {
				if f(u.id) {
					return true
				}
			}
			return false
		}
		for u := dd.up; u != nil; u = u.up {
			depth++
		}
		if err := nested(dd.id, dd.prefix, above, depth); err != nil {
			return err
		}
		ents, err := d.objs.tree(dd.id)
		if err != nil {
			return err
		}
		for _, he := range ents {
			if he.IsDir() {
				d.deletedTrees = append(d.deletedTrees, deadDir{dd.prefix + string(he.Name) + "/", he.ID, &dd})
				continue
			}
			d.deletedEntry(dd.prefix+string(he.Name), he)
		}
	}
	return nil
}

func isGitlink(mode uint32) bool { return mode&0o170000 == 0o160000 }
