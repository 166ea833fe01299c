package history

import (
	"sync"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/scanner/content"
	"github.com/keyscan/keyscan/scanner/gosnap"
)

// A Go blob the type check reads (content.Options.GoIn: pre-receive) is
// read with the other Go files of its folder and the packages of its
// module it imports as the tree of the commit that first holds it has
// them (gosnap), as keyscan staged reads them from the index and keyscan
// scan from the work tree: a key whose head one file or package declares
// and another completes is found in the push that makes it. What they
// cost is charged to the run's type-check budget as they are read.

// goTrees holds the snapshots of a scan, by tree, made when a blob of
// the commit first asks.
type goTrees struct {
	once  sync.Once
	run   *gosnap.Run
	rd    *gitobj.Reader // under the run's lock (gosnap): one reader serves all
	mu    sync.Mutex
	snaps map[gitobj.ID]*gosnap.Snapshot // by tree
}

// inTree returns o with GoFolder and GoPackage reading the tree of commit
// (an index in s.commits), when o type-checks a blob with its snapshot
// (GoIn); without them when there is no such tree (a blob no walked commit
// holds), and the blob is checked alone.
func (s *scan) inTree(o content.Options, commit int32) content.Options {
	if o.GoIn == nil || o.Go == nil {
		return o
	}
	if commit < 0 || int(commit) >= len(s.commits) || s.commits[commit].tree.IsZero() {
		o.GoFolder, o.GoPackage, o.GoPeek = nil, nil, nil
		return o
	}
	snap := func() *gosnap.Snapshot { return s.goSnapshot(commit) }
	o.GoFolder = func(name string, names []string) ([]content.GoFile, error) { return snap().Folder(name, names) }
	o.GoPackage = func(name, importPath string) ([]content.GoFile, bool, error) {
		return snap().Package(name, importPath)
	}
	o.GoPeek = func(name, importPath string) ([]content.GoFile, bool, error) {
		return snap().Peek(name, importPath)
	}
	return o
}

// goSnapshot returns the snapshot of the tree of commit.
func (s *scan) goSnapshot(commit int32) *gosnap.Snapshot {
	return s.treeSnapshot(s.commits[commit].tree)
}

// treeSnapshot returns the snapshot of the tree root (a walked commit's,
// or a parent's the importers of a changed package are compared with:
// importers.go).
func (s *scan) treeSnapshot(root gitobj.ID) *gosnap.Snapshot {
	t := &s.goTrees
	t.once.Do(func() {
		t.rd = s.repo.objs.NewReader(0)
		t.run = gosnap.NewRun(func(id gitobj.ID) ([]byte, error) { return t.rd.ReadType(id, gitobj.Blob) }, s.opts.Content.GoBudget)
		t.snaps = map[gitobj.ID]*gosnap.Snapshot{}
	})
	t.mu.Lock()
	defer t.mu.Unlock()
	if sn, ok := t.snaps[root]; ok {
		return sn
	}
	sn := t.run.Snapshot(gosnap.TreeLister(func(id gitobj.ID) ([]byte, error) { return t.rd.ReadType(id, gitobj.Tree) }, root))
	t.snaps[root] = sn
	return sn
}
