package history

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/internal/lfs"

	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/content"
)

// A blob is read and scanned once, under the first path the walk meets it
// at; but the matcher reads the file's name too (a secret split over a
// Python concatenation is joined in b.py, not in README). So that no extra
// name and no rename can lower what is found, the walk notes the name
// class (scanner.NameClass) of every path a known blob is met at, and a
// blob met under a class it was not scanned under is scanned again under
// that path (an extra scan). The values only such a scan finds are
// attributed to that path and to the commit that put the blob there.
//
// The class of a blob's first path is worked out only when the blob is met
// again, and the walk meets a known blob only where a tree's record
// changed (a rename, a copy, a revert): a history of edits asks few.

// extraScan is a blob to scan again under another path.
type extraScan struct {
	blob   int32
	path   string
	commit int32
}

// nameClasses is the walk's record of the classes blobs were met under.
type nameClasses struct {
	ids     map[string]int32   // class -> ID
	byPath  map[pathKey]int32  // a file's path (folder, name) -> its class ID
	first   map[int32]int32    // blob -> the class of its first path
	more    map[int32][]int32  // blob -> the other classes it was met under
	before  map[int32][]string // blob -> paths it was held at before the scanned history, classes not yet worked out
	extras  []extraScan
	extraOf map[int32]int32  // the blob ID of an extra scan's result -> the blob
	dirs    map[int32]int32  // folder (path ID) -> the ID of its scanner.DirClass
	dirAt   map[string]int32 // folder (its path) -> the ID of its scanner.DirClass (dirClassAt)
}

// firstKey is a tree and the DirClass of a folder it was walked at (see
// walkTree).
type firstKey struct {
	tree gitobj.ID
	dir  int32
}

// dirClass returns the ID of the DirClass of the folder dir (a path ID).
func (s *scan) dirClass(dir int32) int32 {
	n := &s.classes
	if c, ok := n.dirs[dir]; ok {
		return c
	}
	c := s.dirClassOf(s.paths[dir])
	if n.dirs == nil {
		n.dirs = map[int32]int32{}
	}
	n.dirs[dir] = c
	return c
}

// dirClassAt is dirClassOf remembered by the folder's path, for the
// folders of the blobs' first paths, which have no path ID at hand.
func (s *scan) dirClassAt(path string) int32 {
	n := &s.classes
	if c, ok := n.dirAt[path]; ok {
		return c
	}
	c := s.dirClassOf(path)
	if n.dirAt == nil {
		n.dirAt = map[string]int32{}
	}
	n.dirAt[path] = c
	return c
}

// dirClassOf returns the ID of the DirClass of the folder at path.
func (s *scan) dirClassOf(path string) int32 {
	return s.classes.class("dir:" + scanner.DirClass(path))
}

func (n *nameClasses) class(c string) int32 {
	if n.ids == nil {
		n.ids = map[string]int32{}
		n.byPath = map[pathKey]int32{}
		n.first = map[int32]int32{}
		n.more = map[int32][]int32{}
	}
	id, ok := n.ids[c]
	if !ok {
		id = int32(len(n.ids))
		n.ids[c] = id
	}
	return id
}

// metAgain notes that the known blob is held at dir/name in commit (a
// commit's index, or commitBefore for a tree before the scanned history),
// and schedules an extra scan when that path's class is new to the blob.
func (s *scan) metAgain(blob, dir, name, commit int32) {
	if commit < 0 && commit != commitBefore {
		return // HEAD's tree walked for attribution only
	}
	n := &s.classes
	k := pathKey{dir, name}
	if commit == commitBefore {
		s.metBefore(blob, join(s.paths[dir], s.nameList[name]))
		return
	}
	if p, nm := s.blobs[blob].path, s.nameList[name]; isJoin(p, s.paths[dir], nm) ||
		len(p) > len(nm) && p[len(p)-len(nm)-1] == '/' && strings.HasSuffix(p, nm) && s.dirClassAt(p[:len(p)-len(nm)-1]) == s.dirClass(dir) {
		// Where it was first met (the boundary's same entry, as every
		// unchanged file of a folder a push changes is met again), or its
		// namesake in a folder of the same DirClass (a folder renamed):
		// the same class, without working it out (qa16 MEDIUM-2: a
		// folder of 100,000 files cost two NameClass calls per file).
		return
	}
	c := s.pathClass(k)
	f, ok := n.first[blob]
	if !ok {
		f = n.class(scanner.NameClass(s.blobs[blob].path))
		n.first[blob] = f
	}
	if c == f || slices.Contains(n.more[blob], c) {
		return
	}
	// The paths the blob had before the scanned history, each class
	// worked out once, until one of this class is met.
	for len(n.before[blob]) > 0 {
		old := n.class(scanner.NameClass(n.before[blob][0]))
		n.before[blob] = n.before[blob][1:]
		if old != f && !slices.Contains(n.more[blob], old) {
			n.more[blob] = append(n.more[blob], old)
		}
		if old == c {
			return
		}
	}
	n.more[blob] = append(n.more[blob], c)
	s.classes.extras = append(s.classes.extras, extraScan{blob: blob, path: join(s.paths[dir], s.nameList[name]), commit: commit})
}

// metBefore notes that the known blob was held at path before the scanned
// history: not new there. Its class is worked out only when a scanned
// commit meets the blob under another path (metAgain): the boundary of a
// push can hold one blob (an empty file) under a million names.
func (s *scan) metBefore(blob int32, path string) {
	n := &s.classes
	if n.before == nil {
		n.before = map[int32][]string{}
	}
	n.before[blob] = append(n.before[blob], path)
}

// pathClass returns the ID of the name class of the path (folder, name).
func (s *scan) pathClass(k pathKey) int32 {
	n := &s.classes
	c, ok := n.byPath[k]
	if !ok {
		c = n.class(scanner.NameClass(join(s.paths[k.dir], s.nameList[k.name])))
		n.byPath[k] = c
	}
	return c
}

// scanExtras reads the blobs of the extra scans and scans them under their
// other paths, in parallel. Each becomes a blob entry of its own (in
// s.blobs and s.results, past the unique blobs) holding the values that
// the blob's earlier scans did not find.
func (s *scan) scanExtras(ctx context.Context) error {
	ex := s.classes.extras
	if len(ex) == 0 {
		return nil
	}
	base := len(s.results)
	res := make([]blobResult, len(ex))
	var wg sync.WaitGroup
	jobs := make(chan int)
	for range min(s.opts.Workers, len(ex)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := s.repo.objs.NewReader(0)
			for i := range jobs {
				s.scanExtra(r, ex[i], &res[i], s.firstPass)
			}
		}()
	}
	for i := range ex {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	s.goPass(ctx, res, func(i int) string { return ex[i].path }, func(i int) gitobj.ID { return s.blobs[ex[i].blob].hash },
		func(rd *gitobj.Reader, i int) {
			res[i] = blobResult{}
			s.scanExtra(rd, ex[i], &res[i], s.goOn)
		})
	if err := ctx.Err(); err != nil {
		return err
	}
	// A value found under an earlier extra path of the same blob is not
	// found again (the first, in walk order, is the earliest commit).
	found := map[int32]map[string]bool{}
	s.classes.extraOf = map[int32]int32{}
	for i, e := range ex {
		r := &res[i]
		seen := found[e.blob]
		if seen == nil {
			seen = map[string]bool{}
			for _, f := range s.results[e.blob].findings {
				seen[valueKey(&f)] = true
			}
			found[e.blob] = seen
		}
		keep := 0
		for j, f := range r.findings {
			k := valueKey(&f)
			if seen[k] {
				continue
			}
			seen[k] = true
			r.findings[keep], r.raw[keep] = f, r.raw[j]
			keep++
		}
		r.findings, r.raw = r.findings[:keep], r.raw[:keep]
		if r.status == blobFailed {
			s.warn(s.blobs[e.blob].hash.String(), e.path, r.err)
		}
		s.stats.Rescanned++
		id := int32(base + i)
		s.classes.extraOf[id] = e.blob
		s.blobs = append(s.blobs, blobInfo{hash: s.blobs[e.blob].hash, path: e.path, commit: e.commit})
		s.results = append(s.results, *r)
	}
	return nil
}

// scanExtra reads a blob again and scans it under an extra path. A blob
// committed before the scanned history (a pre-receive hook's old blob,
// renamed by the push) is scanned under its old path too: what that scan
// finds was there before, and is left out.
func (s *scan) scanExtra(rd *gitobj.Reader, e extraScan, r *blobResult, o blobOptions) {
	before := s.results[e.blob].status == blobBefore
	if st := s.results[e.blob].status; st != blobScanned && st != blobLFS && !before {
		return // too large or unreadable: warned about already
	}
	t, data, err := rd.Read(s.blobs[e.blob].hash)
	if err == nil && t != gitobj.Blob {
		err = fmt.Errorf("object is a %s", t)
	}
	if err != nil {
		r.fail(fmt.Sprintf("cannot read blob: %v", err))
		return
	}
	if s.tooLarge(data) {
		return // as the blob's own scan would have left it
	}
	r.status = blobScanned
	_, r.findings, r.raw = s.scanData(e.path, data, false, o(r, e.path, e.commit))
	if ptr, ok := lfs.Parse(data); ok && s.results[e.blob].lfs {
		// A pointer whose content the blob's own scan read: that content
		// under this path too.
		if body, _, _, err := s.lfsContent(e.path, ptr); err == nil && body != nil {
			_, f, raw := s.scanData(e.path, body, true, o(r, e.path, e.commit))
			r.findings, r.raw = append(r.findings, f...), append(r.raw, raw...)
		}
	}
	if before && len(r.findings) > 0 {
		old := map[string]bool{}
		for _, f := range content.Scan(s.ctx, s.sc, s.blobs[e.blob].path, data, o(r, s.blobs[e.blob].path, s.blobs[e.blob].commit)).Findings {
			old[valueKey(&f)] = true
		}
		keep := 0
		for i, f := range r.findings {
			if !old[valueKey(&f)] {
				r.findings[keep], r.raw[keep] = f, r.raw[i]
				keep++
			}
		}
		r.findings, r.raw = r.findings[:keep], r.raw[:keep]
	}
}
