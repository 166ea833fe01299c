package history

import (
	"fmt"
	"path"
	"strings"
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

// goTrees holds the snapshots of a scan, by commit, made when a blob of
// the commit first asks.
type goTrees struct {
	once  sync.Once
	run   *gosnap.Run
	rd    *gitobj.Reader // under the run's lock (gosnap): one reader serves all
	mu    sync.Mutex
	snaps map[int32]*gosnap.Snapshot
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
	t := &s.goTrees
	t.once.Do(func() {
		t.rd = s.repo.objs.NewReader(0)
		t.run = gosnap.NewRun(func(id gitobj.ID) ([]byte, error) { return t.rd.ReadType(id, gitobj.Blob) }, s.opts.Content.GoBudget)
		t.snaps = map[int32]*gosnap.Snapshot{}
	})
	t.mu.Lock()
	defer t.mu.Unlock()
	if sn, ok := t.snaps[commit]; ok {
		return sn
	}
	sn := t.run.Snapshot(treeLister(t.rd, s.commits[commit].tree))
	t.snaps[commit] = sn
	return sn
}

// treeLister lists the folders of the tree root, reading the trees on the
// way down each time (gosnap keeps what it listed).
func treeLister(rd *gitobj.Reader, root gitobj.ID) gosnap.Lister {
	return func(dir string) ([]gosnap.Entry, error) {
		tree := root
		if dir != "." {
			parts := strings.Split(dir, "/")
			if len(parts) > gitobj.MaxTreeDepth {
				return nil, fmt.Errorf("more than %d folders deep", gitobj.MaxTreeDepth)
			}
			for _, name := range parts {
				data, err := rd.ReadType(tree, gitobj.Tree)
				if err != nil {
					return nil, err
				}
				found := false
				if err := gitobj.ParseTree(data, func(e gitobj.TreeEntry) {
					if !found && e.IsDir() && string(e.Name) == name {
						tree, found = e.ID, true
					}
				}); err != nil {
					return nil, err
				}
				if !found {
					return nil, nil // absent: no files
				}
			}
		}
		data, err := rd.ReadType(tree, gitobj.Tree)
		if err != nil {
			return nil, err
		}
		var out []gosnap.Entry
		err = gitobj.ParseTree(data, func(e gitobj.TreeEntry) {
			if e.Mode&0o170000 == 0o100000 {
				out = append(out, gosnap.Entry{Path: path.Join(dir, string(e.Name)), ID: e.ID})
			}
		})
		return out, err
	}
}
