package main

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/internal/readfile"
)

// treeCache is what one run of keyscan fix has seen of one root: each
// folder's entries, each path's Lstat and each file's content, asked of
// the file system once and handed to every rule after. Many rules look
// across the run for the file that holds a key's endpoint (helm releases,
// compose mounts, Terraform backends, .env loaders, readers of a removed
// setting), each once per file with keys: without the cache, 40 files
// with keys among 3,000 walked and read the tree 40 times over (round
// 14's review). The answers are those the file system gave at first ask,
// errors included, so a rule sees what it saw before, in the same order.
//
// A nil *treeCache asks the file system every time (the differential
// test compares the two). It is not safe for concurrent use: keyscan fix
// runs its rules one file after another.
type treeCache struct {
	root   string // the root the rels are taken from
	lstats map[string]lstatResult
	dirs   map[string]*dirNode
	reads  map[readKey]readResult
	held   int64 // bytes of content in reads
	// entries counts the Lstat answers and folder entries kept, bounded
	// by maxEntries (maxCachedEntries; a test lowers it, so that a tree
	// past the bound is a few thousand files, not sixty thousand).
	entries    int
	maxEntries int
	parsed     map[parseKey]parseResult
	made       map[string]any
}

type lstatResult struct {
	info fs.FileInfo
	err  error
}

// dirNode is a folder's os.ReadDir answer, with the path of each entry as
// filepath.WalkDir names it and, for a folder inside the root, its path
// below the root ('/'-separated), so that a walk joins no path again.
type dirNode struct {
	ents        []fs.DirEntry
	err         error
	paths, rels []string
	kids        []*dirNode // each folder entry's node, once walked into
}

// readKey names a read: a file below the root (rel) or the root named as
// a file (disk, rel ""), with its size bound.
type readKey struct {
	rel, disk string
	max       int64
}

type readResult struct {
	data []byte
	err  error
}

// parseKey names what a rule made of a file's content (kind: which
// parse) so that a rule run for every file with keys parses each file of
// the run once.
type parseKey struct{ kind, rel string }

type parseResult struct {
	v  any
	ok bool
}

// maxCachedContent bounds the content the cache holds: past it, a file is
// read again when asked again, as before the cache, so that a tree of big
// files costs reads, not memory.
const maxCachedContent = 256 << 20

// maxCachedEntries bounds the Lstat answers and folder entries the cache
// keeps (a few hundred bytes each): past it, a folder or path is asked of
// the file system again when asked again, as before the cache, so that a
// tree of millions of files costs walks, not memory. Two rules walk the
// whole tree (the loaders of a .env, the other readers of a setting): a
// cache of every folder grew with the tree, 120 MB for 300,000 files
// where the run took 26 MB before it (review15 C-4).
const maxCachedEntries = 50_000

// keep reports whether n more entries fit in the cache, and counts them
// when they do.
func (c *treeCache) keep(n int) bool {
	if c.entries+n > c.maxEntries {
		return false
	}
	c.entries += n
	return true
}

func newTreeCache(root string) *treeCache {
	return &treeCache{root: root, maxEntries: maxCachedEntries, lstats: map[string]lstatResult{}, dirs: map[string]*dirNode{},
		reads: map[readKey]readResult{}, parsed: map[parseKey]parseResult{}, made: map[string]any{}}
}

// lstat is os.Lstat(p).
func (c *treeCache) lstat(p string) (fs.FileInfo, error) {
	if c == nil {
		return os.Lstat(p)
	}
	k := filepath.Clean(p)
	r, ok := c.lstats[k]
	if !ok {
		r.info, r.err = os.Lstat(p)
		if c.keep(1) {
			c.lstats[k] = r
		}
	}
	return r.info, r.err
}

// readDir is os.ReadDir(p): the entries sorted by name (those read before
// an error, with it). The slice is shared: callers do not change it.
func (c *treeCache) readDir(p string) ([]fs.DirEntry, error) {
	if c == nil {
		return os.ReadDir(p)
	}
	n, _ := c.node(p)
	return n.ents, n.err
}

// node returns p's folder node, kept in the cache when it fits
// (maxCachedEntries): a node not kept is built again at the next ask.
func (c *treeCache) node(p string) (*dirNode, bool) {
	k := filepath.Clean(p)
	if n, ok := c.dirs[k]; ok {
		return n, true
	}
	ents, err := os.ReadDir(p)
	n := &dirNode{ents: ents[:len(ents):len(ents)], err: err, paths: make([]string, len(ents)), kids: make([]*dirNode, len(ents))}
	inside := pathname.Within(c.root, k)
	rel, _ := filepath.Rel(c.root, k)
	if inside {
		n.rels = make([]string, len(ents))
	}
	for i, d := range ents {
		n.paths[i] = filepath.Join(k, d.Name())
		if inside {
			n.rels[i] = path.Join(filepath.ToSlash(rel), d.Name())
		}
	}
	if !c.keep(len(ents) + 1) {
		return n, false
	}
	c.dirs[k] = n
	return n, true
}

// walkDir is filepath.WalkDir(root, fn) on the cached answers: fn is
// called with the same paths, entries and errors in the same order, and
// what fn returns (fs.SkipDir, fs.SkipAll) has the same effect.
func (c *treeCache) walkDir(root string, fn fs.WalkDirFunc) error {
	if c == nil {
		return filepath.WalkDir(root, fn)
	}
	return c.walkFrom(root, "", func(p, _ string, d fs.DirEntry, err error) error { return fn(p, d, err) })
}

// walkRel is walkDir whose fn also gets each path below root
// ('/'-separated, "." for root itself, "" where filepath.Rel fails), as
// filepath.Rel would give it, without computing it per entry when root
// is the cache's root.
func (c *treeCache) walkRel(root string, fn func(p, rel string, d fs.DirEntry, err error) error) error {
	relOf := func(p string) string {
		r, err := filepath.Rel(root, p)
		if err != nil {
			return ""
		}
		return filepath.ToSlash(r)
	}
	if c == nil || filepath.Clean(root) != filepath.Clean(c.root) {
		return c.walkDir(root, func(p string, d fs.DirEntry, err error) error {
			return fn(p, relOf(p), d, err)
		})
	}
	return c.walkFrom(root, relOf(root), fn)
}

// walkFrom is filepath.WalkDir over the cache, root's rel given.
func (c *treeCache) walkFrom(root, rel string, fn func(p, rel string, d fs.DirEntry, err error) error) error {
	info, err := c.lstat(root)
	if err != nil {
		err = fn(root, rel, nil, err)
	} else {
		err = c.walk(root, rel, fs.FileInfoToDirEntry(info), nil, fn)
	}
	if err == fs.SkipDir || err == fs.SkipAll {
		return nil
	}
	return err
}

// walk is filepath's walkDir, the recursion of WalkDir; *n is p's node,
// found and kept there on the first walk into p when the cache keeps it
// (n nil: not kept).
func (c *treeCache) walk(p, rel string, d fs.DirEntry, n **dirNode, fn func(p, rel string, d fs.DirEntry, err error) error) error {
	if err := fn(p, rel, d, nil); err != nil || !d.IsDir() {
		if err == fs.SkipDir && d.IsDir() {
			err = nil
		}
		return err
	}
	node := (*dirNode)(nil)
	if n != nil {
		node = *n
	}
	if node == nil {
		var kept bool
		node, kept = c.node(p)
		if kept && n != nil {
			*n = node
		}
	}
	if node.err != nil {
		if err := fn(p, rel, d, node.err); err != nil {
			if err == fs.SkipDir {
				err = nil
			}
			return err
		}
	}
	for i, d1 := range node.ents {
		r := ""
		if node.rels != nil {
			r = node.rels[i]
		}
		if err := c.walk(node.paths[i], r, d1, &node.kids[i], fn); err != nil {
			if err == fs.SkipDir {
				break
			}
			return err
		}
	}
	return nil
}

// parsed returns what make made of the file at rel below the target's
// root (kind names the parse), made once per run and root; ok is false,
// and make not called, when the file cannot be read.
func (t fixTarget) parsed(kind, rel string, make func([]byte) any) (v any, ok bool) {
	k := parseKey{kind, rel}
	if t.cache != nil {
		if r, seen := t.cache.parsed[k]; seen {
			return r.v, r.ok
		}
	}
	b, err := t.read(rel, t.maxSize)
	if err == nil {
		v = make(b)
	}
	if t.cache != nil {
		t.cache.parsed[k] = parseResult{v, err == nil}
	}
	return v, err == nil
}

// once returns what make makes of the target's root (kind names it: a
// rule's list of the files of the run it looks at), made once per run.
func (t fixTarget) once(kind string, make func() any) any {
	if t.cache == nil {
		return make()
	}
	v, ok := t.cache.made[kind]
	if !ok {
		v = make()
		t.cache.made[kind] = v
	}
	return v
}

// read reads the file at rel below root, or the file disk when rel is ""
// (a file named as the root), of at most max bytes, as the walk read it:
// never blocking, no link followed (internal/readfile). The content is
// shared, and capped so that an append copies it: callers do not change
// it in place.
func (c *treeCache) read(root, rel, disk string, max int64) ([]byte, error) {
	load := func() ([]byte, error) {
		if rel == "" {
			return readfile.File(disk, false, max)
		}
		return readfile.FileBeneath(root, rel, max)
	}
	if c == nil {
		return load()
	}
	k := readKey{rel: rel, max: max}
	if rel == "" {
		k.disk = disk
	}
	if r, ok := c.reads[k]; ok {
		return r.data, r.err
	}
	b, err := load()
	b = b[:len(b):len(b)]
	if c.held+int64(len(b)) <= maxCachedContent {
		c.held += int64(len(b))
		c.reads[k] = readResult{b, err}
	}
	return b, err
}
