package history

import (
	"bytes"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/keyscan/keyscan/internal/gitobj"

	"github.com/keyscan/keyscan/scanner"
)

// scan is the state of one history scan.
type scan struct {
	reportedEmpty map[string]bool // empty ref files counted (emptyRefGaps)
	repo          *repo
	sc            *scanner.Scanner
	opts          Options
	// ctx is the run's: the readers its workers call (content.Scan, the
	// Go reader under the command's watch of type checks) take it.
	ctx context.Context

	warnings []Warning
	stats    Stats
	shallow  bool

	commits []commitInfo // topological order, parents first
	blobs   []blobInfo
	blobIdx map[gitobj.ID]int32
	nodes   []node
	nodeIdx map[nodeKey]int32
	// first is the node where each tree was first walked whole, and
	// aliases the nodes that stand for a tree walked before under another
	// path: node -> that first node (see walkTree).
	first   map[firstKey]int32
	aliases map[int32]int32
	// repeats counts the trees walked again under another path when the
	// path filters forbid aliases; past maxRepeatedTrees they are not
	// walked (bombed: the trees not walked, warned about once each).
	repeats  int
	bombed   map[gitobj.ID]bool
	names    map[string]int32 // entry name -> index in nameList
	nameList []string
	paths    []string // directory paths, by ID; 0 is the root
	pathIdx  map[pathKey]int32
	pathUp   []pathKey   // by path ID: its directory and name (unused for the root)
	depth    int         // of the directory being walked
	onPath   []gitobj.ID // the trees walkTree is inside, outermost first
	scratch  []walkScratch
	memo     treeMemo // the last tree walked at each directory
	// memoLimit bounds the walk's memo and the feed's, each (memoLimit
	// in Scan; 0 turns them off).
	memoLimit int
	gitlink   map[string]bool // submodule paths already warned about

	objr    *gitobj.Reader            // commits and trees, for the walk
	feed    *treeFeed                 // trees read ahead of the walk, during walkTrees
	packs   []*gitobj.Pack            // loaded for the bulk read
	results []blobResult              // by blob index, filled by readAndScan
	planner *planner                  // plans the read of the blobs as the walk finds them
	all     map[gitobj.ID]gitobj.Type // every object (AllObjects), listed once
	quar    *pushObjects              // the push's new objects (NewObjects), listed once

	// old, with Not, finds what the commits the push builds on held
	// without walking their whole trees (see oldTree).
	old *oldTrees

	msgs messages // commit and tag messages
	// peeled is where each ref's object leads (peelTip), by its ID.
	peeled map[gitobj.ID]peeledTip
	// refNameList are the names of the refs the scan starts from, each
	// once, scanned by RefNames (see refname.go).
	refNameList []string
	refNameSeen map[string]bool
	// names IDs whose name holds a credential (see pathFindings), and the
	// paths where such a name first appears, with the commit (an index in
	// commits) that first has it.
	nameHit  map[int32]bool
	pathHits map[string]int32
	// splitSeen caches splitHit by folder and name, splitCtx
	// splitContext by folder (see splitpath.go).
	splitSeen map[pathKey]bool
	splitCtx  map[int32]bool

	classes nameClasses // the name classes blobs were met under (see names.go)

	// boundary are the commits Since excludes whose children are scanned:
	// the blobs in their trees were there before and are not scanned.
	boundary []gitobj.ID

	// goTrees are the commits' trees the type check of a Go blob reads
	// its folder and module from (gosnap.go).
	goTrees goTrees

	findings scanner.Findings
	raw      map[string][]string
	opaque   map[string]Opaque
	// opaqueMsg holds, by fingerprint, the message findings that no
	// replacement of a message's text reaches (see messageRaw).
	opaqueMsg map[string]Opaque
}

type commitInfo struct {
	hash     gitobj.ID
	tree     gitobj.ID
	author   string
	when     time.Time // author date
	commitAt time.Time // committer date, to order siblings
	parents  []gitobj.ID
	// bases are its parents the scan excludes (Not, Since): the trees a
	// push builds on, which the importers of a package it changes are
	// compared with (importers.go).
	bases    []gitobj.ID
	dangling bool  // reached by no ref (AllObjects)
	root     int32 // node of its tree, -1 when it has none
	// tip, when set, makes this no commit but a tree or a blob (hash) that
	// the ref tip names, directly or through tags; tree is the tree, zero
	// for a blob. They come after the commits, so a blob a commit also
	// holds is that commit's.
	tip string
}

// maxRepeatedTrees bounds the trees walked again under another path when
// the path filters forbid standing for them by the path they were first
// walked at (see walkTree). A history that renames or copies folders walks
// a few thousand again; a git bomb of ten folders of ten entries each, all
// the same tree, would walk 10^10.
const maxRepeatedTrees = 1 << 16

// maxTreeDepth bounds how deep the walk goes into a commit's trees, behind
// its check that no tree holds itself (see walkTree).
const maxTreeDepth = gitobj.MaxTreeDepth

// commitBefore marks a blob that is in the tree of a commit Options.Since
// excludes: it was committed before and is not scanned.
const commitBefore = -2

// blobInfo is one unique blob: where it first appears.
type blobInfo struct {
	hash   gitobj.ID
	path   string // first path (the blob's ID for a dangling blob)
	commit int32  // first commit, -1 for a blob no walked commit holds
}

// node is one directory version at one path: (tree hash, path) walked once,
// or, for an alias (scan.aliases), standing for a tree walked whole under
// another path: path is its own, subdirs and files are empty, and what it
// holds is its first node's.
type node struct {
	path    string
	subdirs []int32
	files   []fileEntry
}

type fileEntry struct {
	name int32 // in scan.nameList
	blob int32
}

type nodeKey struct {
	hash gitobj.ID
	path int32 // in scan.paths
}

type pathKey struct {
	dir, name int32
}

func (s *scan) warn(object, path, msg string) {
	s.warnings = append(s.warnings, Warning{Object: object, Path: path, Message: msg})
}

// collectCommits enumerates the commits to scan and orders them.
func (s *scan) collectCommits(ctx context.Context) error {
	tips, err := s.tips(ctx)
	if err != nil {
		return err
	}
	s.stats.Refs = len(tips)
	shallow := s.shallowBoundary()
	if len(shallow) > 0 {
		s.shallow = true
		s.stats.Shallow = len(shallow)
	}
	exclude, err := s.sinceSet(ctx)
	if err != nil {
		return err
	}
	var isNew map[gitobj.ID]bool // with Not: the commits the refs in Not do not reach
	if len(s.opts.Not) > 0 || s.opts.NotRefs || s.opts.Unpushed {
		var starts []gitobj.ID
		for _, t := range tips {
			if t.typ == gitobj.Commit {
				starts = append(starts, t.hash)
			}
		}
		if isNew, err = s.newCommits(ctx, starts); err != nil {
			return err
		}
		if isNew != nil {
			s.old = &oldTrees{}
		}
	}
	excluded := func(h gitobj.ID) bool { return exclude[h] || (isNew != nil && !isNew[h]) }
	byHash := map[gitobj.ID]*commitInfo{}
	boundary := map[gitobj.ID]bool{} // excluded parents of scanned commits (Since)
	var extra []tip                  // tags naming a tree or a blob
	var queue []gitobj.ID
	for _, t := range tips {
		if t.typ == gitobj.Commit {
			queue = append(queue, t.hash)
		} else {
			extra = append(extra, t)
		}
	}
	visit := func(queue []gitobj.ID, dangling bool) error {
		f := s.startCommitFeed(ctx, queue, byHash, excluded, shallow, dangling)
		defer f.stop()
		for {
			batch, ok := f.take()
			if !ok {
				return f.err
			}
			for _, r := range batch {
				h := r.ci.hash
				if r.err != nil {
					s.warn(h.String(), "", fmt.Sprintf("cannot read commit: %v", r.err))
					s.stats.Unreadable++
					continue // dropped below
				}
				s.objectText(r.data, r.size, h, nil)
				ci, c := r.ci, &r.c
				ci.tree, ci.author, ci.when, ci.commitAt = c.Tree, s.person(c.Author), c.When, c.CommitAt
				if shallow[h] {
					continue // its parents are not in a shallow clone
				}
				for _, p := range c.Parents {
					if excluded(p) {
						boundary[p] = true
						ci.bases = append(ci.bases, p)
						continue
					}
					ci.parents = append(ci.parents, p)
				}
			}
		}
	}
	if err := visit(queue, false); err != nil {
		return err
	}
	if grafts := s.grafts(); len(grafts) > 0 {
		// Each round visits the parents grafts give the commits visited;
		// a round that adds none ends it (a parent is added once).
		for more := s.graftParents(grafts, byHash, excluded); len(more) > 0; more = s.graftParents(grafts, byHash, excluded) {
			if err := visit(more, false); err != nil {
				return err
			}
		}
	}
	if s.opts.NewObjects != "" {
		stray, err := s.strayCommits(ctx, byHash)
		if err != nil {
			return err
		}
		for _, h := range stray {
			if isNew != nil {
				isNew[h] = true // new by definition: the server lacks it
			}
		}
		if err := visit(stray, true); err != nil {
			return err
		}
	}
	if s.opts.AllObjects {
		all, err := s.allObjects(ctx)
		if err != nil {
			return err
		}
		var dangling, tags []gitobj.ID
		for h, t := range all {
			if t == gitobj.Commit && byHash[h] == nil && !excluded(h) {
				dangling = append(dangling, h)
			}
			if t == gitobj.Tag {
				tags = append(tags, h)
			}
		}
		// A deleted tag's object stays until git gc prunes it, and is
		// fetched by its ID where a server allows that: its message is
		// read as a ref's tag's is.
		sortHashes(tags)
		s.readTags(tags, "")
		if err := visit(dangling, true); err != nil {
			return err
		}
	}
	for h := range shallow {
		if byHash[h] != nil { // reached, and not left out (excluded)
			s.stats.ShallowScanned++
		}
	}
	if n := s.stats.ShallowScanned; n > 0 {
		boundary := "1 boundary commit"
		if n != 1 {
			boundary = fmt.Sprintf("%d boundary commits", n)
		}
		s.warn("", "", "shallow clone: history before "+boundary+" is not in the repository and was not scanned; run `git fetch --unshallow` and scan again")
	}
	for h, c := range byHash {
		if c.tree.IsZero() {
			delete(byHash, h) // unreadable
		}
	}
	s.commits = topoOrder(byHash)
	s.stats.Commits = len(s.commits)
	for h := range boundary {
		s.boundary = append(s.boundary, h)
	}
	sortHashes(s.boundary)
	for _, t := range extra {
		c := commitInfo{hash: t.hash, tree: t.hash, root: -1, tip: t.name}
		if t.typ != gitobj.Tree {
			c.tree = gitobj.ID{} // a blob, walked as one (see walkTrees)
		}
		s.commits = append(s.commits, c)
	}
	return nil
}

// sinceSet returns the commits reachable from Options.Since, which the scan
// leaves out.
func (s *scan) sinceSet(ctx context.Context) (map[gitobj.ID]bool, error) {
	if s.opts.Since == "" {
		return nil, nil
	}
	h, err := s.repo.resolve(ctx, s.objr, s.opts.Since)
	if err != nil {
		if _, ok := errors.AsType[*RevisionError](err); ok {
			return nil, fmt.Errorf("since: %w", err)
		}
		return nil, fmt.Errorf("since %q: %w", s.opts.Since, err)
	}
	seen := map[gitobj.ID]bool{}
	queue := []gitobj.ID{h}
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if seen[h] {
			continue
		}
		seen[h] = true
		c, err := s.readCommit(h)
		if err != nil {
			continue // a shallow boundary or a missing commit: nothing beyond it to exclude
		}
		queue = append(queue, c.Parents...)
	}
	return seen, nil
}

// topoOrder orders commits parents first; among commits ready at the same
// time the older (committer date, then hash) comes first, so the order is
// deterministic and close to the order the history was written in.
func topoOrder(byHash map[gitobj.ID]*commitInfo) []commitInfo {
	pending := make(map[gitobj.ID]int, len(byHash))
	children := make(map[gitobj.ID][]gitobj.ID, len(byHash))
	ready := &commitHeap{}
	for h, c := range byHash {
		n := 0
		for _, p := range c.parents {
			if byHash[p] != nil {
				n++
				children[p] = append(children[p], h)
			}
		}
		pending[h] = n
		if n == 0 {
			heap.Push(ready, c)
		}
	}
	out := make([]commitInfo, 0, len(byHash))
	var stuck []*commitInfo // the commits a cycle holds back, in the heap's order; see below
	for {
		for ready.Len() > 0 {
			c := heap.Pop(ready).(*commitInfo)
			pending[c.hash] = -1 // out
			out = append(out, *c)
			for _, ch := range children[c.hash] {
				pending[ch]--
				if pending[ch] == 0 {
					heap.Push(ready, byHash[ch])
				}
			}
		}
		if len(out) == len(byHash) {
			return out
		}
		// A cycle: commits whose parents are their own descendants, which
		// only info/grafts or replace refs can make (git log follows them
		// and shows each commit once). Each commit is scanned all the same:
		// the first of those left, in the heap's order, is taken as if its
		// parents were out, and the order goes on from it. Dropped, they
		// were no commits at all, and a repository whose grafts loop was
		// reported as holding none: exit 0.
		if stuck == nil {
			for _, c := range byHash {
				if pending[c.hash] > 0 {
					stuck = append(stuck, c)
				}
			}
			h := commitHeap(stuck)
			sort.Sort(h)
		}
		for len(stuck) > 0 && pending[stuck[0].hash] <= 0 {
			stuck = stuck[1:] // out, or ready, since
		}
		if len(stuck) == 0 {
			return out
		}
		pending[stuck[0].hash] = 0
		heap.Push(ready, stuck[0])
	}
}

type commitHeap []*commitInfo

func (h commitHeap) Len() int { return len(h) }
func (h commitHeap) Less(i, j int) bool {
	if c := h[i].commitAt.Compare(h[j].commitAt); c != 0 {
		return c < 0
	}
	return bytes.Compare(h[i].hash[:], h[j].hash[:]) < 0 // the order of their hex names
}
func (h commitHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *commitHeap) Push(x any)   { *h = append(*h, x.(*commitInfo)) }
func (h *commitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (s *scan) initWalk() {
	if s.blobIdx == nil {
		s.blobIdx = map[gitobj.ID]int32{}
		s.nodeIdx = map[nodeKey]int32{}
		s.names = map[string]int32{}
		s.paths = []string{""}
		s.pathUp = []pathKey{{}}
		s.pathIdx = map[pathKey]int32{}
		s.gitlink = map[string]bool{}
		s.first = map[firstKey]int32{}
		s.aliases = map[int32]int32{}
	}
}

// walkTrees walks the tree of every commit, oldest first, so that the first
// commit to reach a blob is the one that introduced it.
func (s *scan) walkTrees(ctx context.Context) error {
	s.initWalk()
	s.memo = treeMemo{limit: s.memoLimit}
	defer func() { s.memo = treeMemo{} }() // the read pass needs the room
	if s.old != nil {
		// A push reads a few trees: no feed, which would read ahead the
		// boundary's whole trees.
		s.initOld()
	} else {
		s.feed = s.startFeed(ctx)
		defer func() { s.feed.stop(); s.feed = nil }()
		for _, h := range s.boundary {
			if c, err := s.readCommit(h); err == nil {
				s.walkTree(c.Tree, 0, commitBefore)
			}
		}
	}
	for i := range s.commits {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if c := s.commits[i]; c.tree.IsZero() {
			if c.tip != "" {
				s.blobID(c.hash, c.tip, int32(i)) // a ref names the blob itself
			}
			continue
		}
		s.commits[i].root = s.walkTree(s.commits[i].tree, 0, int32(i))
	}
	s.stats.Trees = len(s.nodes)
	for _, b := range s.blobs {
		if b.commit != commitBefore {
			s.stats.Blobs++
		}
	}
	return nil
}

// walkTree returns the node of tree h at directory dir (a path ID), walking
// it the first time (h, dir) is seen.
//
// Walking a tree means one result per entry: the node of a subdirectory,
// the blob of a file, nothing for a submodule or a file the path filters
// leave out. Each costs map lookups (the name, the subdirectory's path,
// its node, the blob), and a history rewrites a big directory for every
// change to one of its files. So the walk remembers the last tree it
// parsed at each directory (see dirMemo) and compares the new one with it
// record by record: an entry whose record (mode, name, ID) is the same
// bytes at the same directory has the same result, because every lookup
// it would make was made for the old record and found what was recorded
// then (the maps only grow). Only the changed entries do the lookups.
//
// The walk never loops. Git names a tree by the hash of its content, so no
// tree can hold itself; but a tampered object store can name a tree
// anything (a pack index can, and a loose object could before
// internal/gitobj checked its hash), and a tree whose subtree is itself
// would walk x/x/x/... without end. So a tree met again inside itself, on
// the path from its commit's root, is not walked: it is a warning naming
// the path, counted as unreadable. maxTreeDepth is the backstop.
//
// The walk's work is bounded by the trees and blobs of the history, not by
// the paths its trees spell. A tree met again under another path (a folder
// renamed or copied; a "git bomb", ten folders of ten entries each naming
// the same tree, spells 10^10 paths in a few kilobytes) is not walked
// again: its node is an alias of the node where it was first walked whole
// (scan.aliases). Nothing below it can differ: every blob in it was first
// seen, with its commit and path, in that walk, which came earlier in the
// walk's order; attribute lists the paths below an alias from its first
// node. Only the path filters (--path, the configured excludes) make the
// path matter: with them such a tree is walked again at its new path, up
// to maxRepeatedTrees times in a scan, beyond which it is not walked, a
// warning counted as unreadable.
func (s *scan) walkTree(h gitobj.ID, dir int32, commit int32) int32 {
	key := nodeKey{h, dir}
	if id, ok := s.nodeIdx[key]; ok {
		return id
	}
	dirPath := s.paths[dir]
	if slices.Contains(s.onPath, h) || len(s.onPath) >= maxTreeDepth {
		why := "contains itself (a tree of the same ID above it): not walked again; the repository's objects are damaged or forged"
		if len(s.onPath) >= maxTreeDepth {
			why = fmt.Sprintf("more than %d folders deep: not walked", maxTreeDepth)
			s.stats.TooDeep++
		}
		s.warn(h.String(), dirPath, "tree "+why)
		s.stats.Unreadable++
		return -1
	}
	id := int32(len(s.nodes))
	s.nodes = append(s.nodes, node{path: dirPath})
	s.nodeIdx[key] = id
	if s.old != nil && commit >= 0 && s.oldTree(h, dir) {
		return id // the same directory as before the push: nothing in it is new
	}
	filter := s.opts.PathGlob != "" || s.opts.Exclude != nil
	if s.old != nil && commit >= 0 && !filter && !s.splitContext(dir) && s.movedTree(h, dir) {
		return id // a folder of the boundary moved whole, to a folder of the same class
	}
	// Names below a folder of another DirClass may be of other name
	// classes (a folder renamed to settings/ or k8s/): the tree is walked
	// again there, so that its blobs are met under those classes (see
	// names.go). There are few DirClasses, so a bomb stays bounded.
	fk := firstKey{h, s.dirClass(dir)}
	first, seen := s.first[fk]
	if seen && !filter && (commit < 0 || !s.splitContext(dir)) {
		s.aliases[id] = first
		return id
	}
	if seen {
		if s.repeats >= maxRepeatedTrees {
			if !s.bombed[h] {
				if s.bombed == nil {
					s.bombed = map[gitobj.ID]bool{}
				}
				s.bombed[h] = true
				s.warn(h.String(), dirPath, fmt.Sprintf("tree not walked: the history holds its folders under more than %d other paths "+
					"(a \"git bomb\"), and with --path, configured excludes or a folder name that may begin a secret split into folders "+
					"each path must be walked; the files below this tree "+
					"here and wherever else it repeats were not scanned", maxRepeatedTrees))
				s.stats.Unreadable++
			}
			return id
		}
		s.repeats++
	}
	data, err := s.readTree(h)
	if err != nil {
		s.warn(h.String(), dirPath, fmt.Sprintf("cannot read tree: %v", err))
		s.stats.Unreadable++
		return id
	}
	if !seen {
		// Set when the walk below is done: a tree inside itself is on
		// onPath until then.
		defer func() { s.first[fk] = id }()
	}
	s.onPath = append(s.onPath, h)
	defer func() { s.onPath = s.onPath[:len(s.onPath)-1] }()
	// Entries are gathered in scratch space per directory depth (the walk
	// recurses while parsing) and copied out at their exact size: a history
	// holds millions of them.
	depth := s.depth
	s.depth++
	defer func() { s.depth-- }()
	for len(s.scratch) <= depth {
		s.scratch = append(s.scratch, walkScratch{})
	}
	sc := &s.scratch[depth]
	sc.subdirs, sc.files, sc.ends, sc.ents = sc.subdirs[:0], sc.files[:0], sc.ends[:0], sc.ents[:0]
	prev := s.memo.at(dir) // the deeper walks below leave dir's memo alone
	var j int              // the next entry of prev
	for pos := 0; pos < len(data); {
		if k := sameRecords(data, pos, prev.raw, prev.ends, j); k > 0 {
			sc := &s.scratch[depth]
			for _, e := range prev.ents[j : j+k] {
				switch e.kind {
				case entryDir:
					sc.subdirs = append(sc.subdirs, e.val)
				case entryFile:
					sc.files = append(sc.files, fileEntry{name: e.name, blob: e.val})
				}
			}
			sc.ends, sc.ents, pos = prev.reuse(pos, j, k, sc.ends, sc.ents)
			j += k
			continue
		}
		e, n, err := gitobj.NextTreeEntry(data[pos:])
		if err != nil {
			s.warn(h.String(), dirPath, fmt.Sprintf("cannot read tree: %v", err))
			s.stats.Unreadable++
			break
		}
		rec := data[pos : pos+n]
		pos += n
		// The old entry of the same name, if any: both trees are in tree
		// order, so it is at or after j. (A tree out of order only finds
		// fewer old entries.) Its name and path IDs are this one's, and
		// its result too when the record is the same.
		name, sub := int32(-1), int32(-1)
		for j < len(prev.ents) {
			old := prev.ents[j]
			c := treeOrder(s.nameList[old.name], old.kind == entryDir, e.Name, e.Mode == gitobj.ModeDir)
			if c > 0 {
				break
			}
			j++
			if c == 0 {
				name = old.name
				if old.kind == entryDir {
					sub = old.path
				}
				if string(prev.raw[recordStart(prev.ends, j-1):prev.ends[j-1]]) == string(rec) {
					name = -2
					s.keep(depth, old, int32(pos))
				}
				break
			}
		}
		if name == -2 {
			continue
		}
		if name < 0 {
			name = s.intern(e.Name)
		}
		if commit >= 0 && (s.nameHit[name] || s.splitHit(dir, name)) {
			s.pathHit(join(dirPath, s.nameList[name]), commit)
		}
		switch e.Mode {
		case gitobj.ModeDir:
			if sub < 0 {
				sub = s.pathID(dir, name)
			}
			node := s.walkTree(e.ID, sub, commit)
			if node < 0 {
				// Not walked (see above). Remembered as skipped, so that
				// the same record at the same directory is not warned
				// about at every commit.
				s.keep(depth, memoEntry{name: name, kind: entrySkip}, int32(pos))
				continue
			}
			s.keep(depth, memoEntry{name: name, kind: entryDir, val: node, path: sub}, int32(pos))
		case gitobj.ModeSubmodule:
			p := join(dirPath, s.nameList[name])
			if s.old != nil && s.old.links[gitlink{p, e.ID}] {
				// The commit the push builds on has the same submodule
				// commit there: warned about when it was pushed.
				s.gitlink[p] = true
			}
			if !s.gitlink[p] {
				s.gitlink[p] = true
				s.stats.Submodules++
				s.warn(e.ID.String(), p, "submodule (gitlink) skipped: its commits live in another repository; scan that repository separately")
			}
			s.keep(depth, memoEntry{name: name, kind: entrySkip}, int32(pos))
		default:
			var p string
			if filter {
				p = join(dirPath, s.nameList[name])
				if !s.wantPath(p) {
					s.keep(depth, memoEntry{name: name, kind: entrySkip}, int32(pos))
					continue
				}
			}
			blob, ok := s.blobIdx[e.ID]
			if !ok {
				if p == "" {
					p = join(dirPath, s.nameList[name])
				}
				blob = s.blobID(e.ID, p, commit)
			} else {
				s.metAgain(blob, dir, name, commit)
			}
			s.keep(depth, memoEntry{name: name, kind: entryFile, val: blob}, int32(pos))
		}
	}
	sc = &s.scratch[depth] // the recursion may have grown s.scratch
	if len(sc.subdirs) > 0 {
		s.nodes[id].subdirs = slices.Clone(sc.subdirs)
	}
	if len(sc.files) > 0 {
		s.nodes[id].files = slices.Clone(sc.files)
	}
	s.memo.set(dir, data, sc.ends, sc.ents)
	return id
}

// keep records the result of the entry of the tree at depth whose record
// ends at end.
func (s *scan) keep(depth int, e memoEntry, end int32) {
	sc := &s.scratch[depth]
	switch e.kind {
	case entryDir:
		sc.subdirs = append(sc.subdirs, e.val)
	case entryFile:
		sc.files = append(sc.files, fileEntry{name: e.name, blob: e.val})
	}
	sc.ends = append(sc.ends, end)
	sc.ents = append(sc.ents, e)
}

// walkScratch collects one directory's entries during the walk.
type walkScratch struct {
	subdirs []int32
	files   []fileEntry
	ends    []int32 // and the memo of the tree (see dirMemo)
	ents    []memoEntry
}

func (s *scan) wantPath(p string) bool {
	if s.opts.PathGlob != "" {
		if ok, _ := doublestar.Match(s.opts.PathGlob, p); !ok {
			return false
		}
	}
	return s.opts.Exclude == nil || !s.opts.Exclude(p)
}

// intern returns the ID of an entry name.
func (s *scan) intern(b []byte) int32 {
	if v, ok := s.names[string(b)]; ok {
		return v
	}
	id := int32(len(s.nameList))
	name := string(b)
	s.names[name] = id
	s.nameList = append(s.nameList, name)
	// A name is scanned once, when first met: a file or folder named
	// after a key ID, or a secret saved as a name, is pushed and cloned
	// with the tree (see pathFindings).
	if len(s.sc.ScanPath(name, 0).Reported()) > 0 {
		if s.nameHit == nil {
			s.nameHit = map[int32]bool{}
		}
		s.nameHit[id] = true
	}
	return id
}

// pathHit records the first commit whose tree holds path, a path whose
// last name holds a credential; the walk goes oldest first, so the first
// record is the commit that introduced it.
func (s *scan) pathHit(path string, commit int32) {
	if !s.wantPath(path) {
		return
	}
	if s.pathHits == nil {
		s.pathHits = map[string]int32{}
	}
	if _, ok := s.pathHits[path]; !ok {
		s.pathHits[path] = commit
	}
}

// pathID returns the ID of the path name inside directory dir.
func (s *scan) pathID(dir, name int32) int32 {
	k := pathKey{dir, name}
	if id, ok := s.pathIdx[k]; ok {
		return id
	}
	id := int32(len(s.paths))
	s.paths = append(s.paths, join(s.paths[dir], s.nameList[name]))
	s.pathUp = append(s.pathUp, k)
	s.pathIdx[k] = id
	return id
}

// readCommit reads and parses commit h.
func (s *scan) readCommit(h gitobj.ID) (gitobj.CommitHeader, error) {
	c, _, _, err := s.readCommitObject(h)
	return c, err
}

// readCommitObject reads and parses commit h and returns its text too (up
// to readText's limit) and its whole size.
func (s *scan) readCommitObject(h gitobj.ID) (gitobj.CommitHeader, []byte, int64, error) {
	t, data, size, err := s.readText(h)
	if err != nil {
		return gitobj.CommitHeader{}, nil, 0, err
	}
	if t != gitobj.Commit {
		return gitobj.CommitHeader{}, nil, 0, fmt.Errorf("object is a %s", t)
	}
	c, err := gitobj.ParseCommit(data)
	return c, data, size, err
}

// readText reads a commit or tag object up to max_file_size, and returns
// its whole size: a commit with a message of a gigabyte costs the limit,
// not the gigabyte (qa13 HIGH-7). objectText counts the rest as not
// scanned. The header lines come first, so the limit leaves them whole.
func (s *scan) readText(h gitobj.ID) (gitobj.Type, []byte, int64, error) {
	return s.objr.ReadPrefix(h, s.opts.MaxBlobSize)
}

// blobID returns the index of blob h, recording path and commit as where it
// first appears when it is new.
func (s *scan) blobID(h gitobj.ID, path string, commit int32) int32 {
	if id, ok := s.blobIdx[h]; ok {
		return id
	}
	id := int32(len(s.blobs))
	s.blobs = append(s.blobs, blobInfo{hash: h, path: path, commit: commit})
	s.blobIdx[h] = id
	if s.planner != nil {
		s.planner.add(id, h, commit == commitBefore)
	}
	return id
}

// addDanglingBlobs adds the blobs no walked tree holds (AllObjects).
func (s *scan) addDanglingBlobs(ctx context.Context) error {
	all, err := s.allObjects(ctx)
	if err != nil {
		return err
	}
	var hs []gitobj.ID
	for h, t := range all {
		if t == gitobj.Blob {
			if _, ok := s.blobIdx[h]; !ok {
				hs = append(hs, h)
			}
		}
	}
	sortHashes(hs)
	for _, h := range hs {
		s.blobID(h, h.String(), -1)
	}
	s.stats.Blobs += len(hs)
	return nil
}
