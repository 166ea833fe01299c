package history

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"path"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/scanner"
)

// group is one credential value and every blob that holds it.
type group struct {
	first     scanner.Finding // the occurrence in the earliest blob
	firstBlob int32
	commits   int
	last      int32 // last commit (topological index) holding it, -1 if none
	paths     map[string]bool
	more      bool // held under more paths than paths lists (see aliasPaths)
	// head are the paths where HEAD's tree holds the value (headPaths),
	// nil when HEAD does not hold it or is unknown; headMore says they
	// are not all listed.
	head     map[string]bool
	headMore bool
}

// attribution is the state of the attribution pass.
type attribution struct {
	s          *scan
	groups     []*group
	blobGroups map[int32][]int32 // blob -> groups it holds
	held       []uint64          // a bit per blob blobGroups holds (see groupsOf)
	memo       [][]int32         // node -> groups found below it
	done       []bool
	steps      int  // of aliasPaths, up to maxAliasSteps
	headKnown  bool // HEAD's tree was found: HeadPaths can be told
	// members holds, by blob and group, where inside the blob the value
	// is: "" for its own content or name, "!app/.env" for an archive
	// member (a Member's name after the archive's), so that each path of
	// the blob is listed as scan names the finding there.
	members map[[2]int32][]string
}

// maxPaths bounds the paths a finding lists, and maxAliasSteps the folders
// aliasPaths visits in a scan: a tree repeated under 10^10 paths (see
// walkTree) holds a value under as many.
const (
	maxPaths      = 1000
	maxAliasSteps = 1 << 20
)

// addPath adds p to the paths that hold g's value, up to maxPaths.
func (g *group) addPath(p string) {
	if len(g.paths) < maxPaths {
		g.paths[p] = true
	} else if !g.paths[p] {
		g.more = true
	}
}

// attribute merges the findings of all blobs into one finding per value and
// works out, from the tree graph, which commits and paths hold each value.
func (s *scan) attribute(ctx context.Context) error {
	a := &attribution{s: s, blobGroups: map[int32][]int32{}, members: map[[2]int32][]string{}}
	byKey := map[string]int32{}
	s.raw = map[string][]string{}
	s.opaque = map[string]Opaque{}
	for id := range s.results {
		r := &s.results[id]
		for i, f := range r.findings {
			key := valueKey(&f)
			gi, ok := byKey[key]
			if !ok {
				gi = int32(len(a.groups))
				byKey[key] = gi
				a.groups = append(a.groups, &group{first: f, firstBlob: int32(id), last: -1, paths: map[string]bool{}})
			} else if a.better(f, int32(id), a.groups[gi]) {
				a.groups[gi].first, a.groups[gi].firstBlob = f, int32(id)
			}
			held := int32(id) // the blob the trees hold: an extra scan's is its blob's
			if b, ok := s.classes.extraOf[held]; ok {
				held = b
			}
			if bg := a.blobGroups[held]; len(bg) == 0 || bg[len(bg)-1] != gi {
				a.blobGroups[held] = append(bg, gi)
			}
			k := [2]int32{held, gi}
			if m := memberSuffix(s.blobs[id].path, f.File); !slices.Contains(a.members[k], m) {
				a.members[k] = append(a.members[k], m)
			}
			switch raw := r.raw[i]; {
			case strings.HasPrefix(raw, opaqueMark):
				if _, ok := s.opaque[f.Secret]; !ok {
					s.opaque[f.Secret] = Opaque{Path: strings.TrimSuffix(f.File, memberSuffix(s.blobs[id].path, f.File)), Member: f.File, Reason: raw[len(opaqueMark):]}
				}
			case raw != "" && !slices.Contains(s.raw[f.Secret], raw):
				s.raw[f.Secret] = append(s.raw[f.Secret], raw)
			}
		}
	}
	if len(a.groups) == 0 {
		return nil
	}
	a.held = make([]uint64, (len(s.blobs)+63)/64)
	for b, bg := range a.blobGroups {
		slices.Sort(bg)
		a.blobGroups[b] = slices.Compact(bg)
		a.held[b/64] |= 1 << (b % 64)
	}
	a.memo = make([][]int32, len(s.nodes))
	a.done = make([]bool, len(s.nodes))
	for i := range s.commits {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if s.commits[i].root < 0 || s.commits[i].tip != "" {
			continue // no commit, or a tree a ref names: not a commit
		}
		for _, gi := range a.hits(s.commits[i].root) {
			g := a.groups[gi]
			g.commits++
			g.last = int32(i)
		}
	}
	for n := range s.nodes {
		if len(a.hits(int32(n))) == 0 {
			continue
		}
		if _, ok := s.aliases[int32(n)]; ok {
			a.aliasPaths(int32(n), s.nodes[n].path)
			continue
		}
		for _, f := range s.nodes[n].files {
			a.addPaths(f.blob, join(s.nodes[n].path, s.nameList[f.name]))
		}
	}
	headRoots, headKnown := a.headRoots()
	var head []int32
	for _, root := range headRoots {
		head = append(head, a.hits(root)...)
	}
	// The trees HeadPaths are told in: HEAD's, or those HeadAt names.
	roots, known := headRoots, headKnown
	if s.opts.HeadAt != nil {
		roots, known = a.headAtRoots()
	}
	if known {
		for _, r := range roots {
			a.headPaths(r)
		}
	}
	a.headKnown = known
	for gi, g := range a.groups {
		s.findings = append(s.findings, a.finding(g, headKnown && slices.Contains(head, int32(gi))))
	}
	s.findings.Sort()
	return nil
}

// addPaths adds p, a path of blob b, to the paths of the groups b holds,
// named as scan names a finding there: p itself for a value in the blob's
// content or name, p!app/.env for one in an archive member (newuser LOW-9:
// history listed the archive alone, and its report said "also in
// bundle.zip" of the very place it named). A baseline entry made by scan
// for the member at another path of the blob (a renamed archive) then
// accepts the value.
func (a *attribution) addPaths(b int32, p string) {
	for _, gi := range a.groupsOf(b) {
		for _, m := range a.members[[2]int32{b, gi}] {
			a.groups[gi].addPath(p + m)
		}
	}
}

// memberSuffix returns what follows scanned, the path a blob was scanned
// under, in file, the file of a finding in it: "!" and the member's name
// for a value in an archive member, "" otherwise.
func memberSuffix(scanned, file string) string {
	if len(file) > len(scanned) && file[len(scanned)] == '!' && strings.HasPrefix(file, scanned) {
		return file[len(scanned):]
	}
	return ""
}

// aliasPaths adds to the groups found below node n, which stands at path
// dir, the paths of the files that hold them. n is an alias (a tree walked
// whole under another path, see walkTree), or a folder below one: its
// files are its first node's, at dir. Every such path is a path of some
// walked commit, but there can be exponentially many, so a group takes at
// most maxPaths of them and is marked as held under more.
func (a *attribution) aliasPaths(n int32, dir string) {
	s := a.s
	if t, ok := s.aliases[n]; ok {
		n = t
	}
	open := false
	for _, gi := range a.hits(n) {
		if g := a.groups[gi]; len(g.paths) < maxPaths && a.steps < maxAliasSteps {
			open = true
		} else {
			g.more = true
		}
	}
	if !open {
		return
	}
	a.steps++
	for _, f := range s.nodes[n].files {
		a.addPaths(f.blob, join(dir, s.nameList[f.name]))
	}
	for _, c := range s.nodes[n].subdirs {
		if len(a.hits(c)) > 0 {
			a.aliasPaths(c, join(dir, path.Base(s.nodes[c].path)))
		}
	}
}

// better reports whether f, found in blob id, was committed before g's
// current first occurrence (earlier commit, then path, then position).
func (a *attribution) better(f scanner.Finding, id int32, g *group) bool {
	rank := func(id int32) int32 {
		if c := a.s.blobs[id].commit; c >= 0 {
			return c
		}
		return math.MaxInt32
	}
	return cmp.Or(
		cmp.Compare(rank(id), rank(g.firstBlob)),
		cmp.Compare(f.File, g.first.File),
		cmp.Compare(f.Line, g.first.Line),
		cmp.Compare(f.Column, g.first.Column),
	) < 0
}

// groupsOf returns the groups blob b holds. Most blobs hold none, and the
// bit set says so without a lookup in the map: the attribution asks for
// every file of every directory version the walk met (trufflehog's
// history: 1.6 % of the scan's instructions went to those lookups). A
// blob met after the read (attribute walking HEAD's tree) holds none.
func (a *attribution) groupsOf(b int32) []int32 {
	if i := int(b / 64); i >= len(a.held) || a.held[i]&(1<<(b%64)) == 0 {
		return nil
	}
	return a.blobGroups[b]
}

// hits returns the groups held in node n's tree, sorted.
func (a *attribution) hits(n int32) []int32 {
	if a.done[n] {
		return a.memo[n]
	}
	a.done[n] = true
	if t, ok := a.s.aliases[n]; ok {
		a.memo[n] = a.hits(t)
		return a.memo[n]
	}
	var set []int32
	for _, f := range a.s.nodes[n].files {
		set = append(set, a.groupsOf(f.blob)...)
	}
	for _, c := range a.s.nodes[n].subdirs {
		set = append(set, a.hits(c)...)
	}
	if len(set) > 1 {
		slices.Sort(set)
		set = slices.Compact(set)
	}
	a.memo[n] = set
	return set
}

// headRoots returns the node of HEAD's tree; false when there is no HEAD
// commit. When refs/replace/ replaces HEAD's commit (git replace), the
// replacement's tree, which git shows as HEAD's (its checkout, git grep
// HEAD), is HEAD's too, beside the tree of the commit a push sends
// (qa24 L1).
func (a *attribution) headRoots() ([]int32, bool) {
	h, ok := a.s.headCommit()
	if !ok {
		return nil, false
	}
	root, ok := a.rootOf(h)
	if !ok {
		return nil, false
	}
	roots := []int32{root}
	if r, ok := a.s.replacement(h); ok {
		if rr, ok := a.rootOf(r); ok {
			roots = append(roots, rr)
		}
	}
	return roots, true
}

// headAtRoots returns the nodes of the trees of the commits Options.HeadAt
// names; false when one is not a commit that can be read.
func (a *attribution) headAtRoots() ([]int32, bool) {
	var roots []int32
	for _, rev := range a.s.opts.HeadAt {
		id, ok := gitobj.ParseID(rev)
		if !ok {
			return nil, false
		}
		c, t, _, err := a.s.objr.Peel(id)
		if err != nil || t != gitobj.Commit {
			return nil, false
		}
		r, ok := a.rootOf(c)
		if !ok {
			return nil, false
		}
		roots = append(roots, r)
	}
	return roots, true
}

// rootOf returns the node of commit h's tree. h may lie outside the
// scanned commits (HEAD with Refs or Since): its tree is then walked too,
// reusing the directories already seen.
func (a *attribution) rootOf(h gitobj.ID) (int32, bool) {
	s := a.s
	for i := len(s.commits) - 1; i >= 0; i-- {
		if s.commits[i].hash == h && s.commits[i].root >= 0 {
			return s.commits[i].root, true
		}
	}
	c, err := s.readCommit(h)
	if err != nil {
		return 0, false
	}
	before := len(s.warnings)
	root := s.walkTree(c.Tree, 0, -1)
	s.warnings = s.warnings[:before] // already reported, or outside what was asked for
	for len(a.memo) < len(s.nodes) {
		a.memo = append(a.memo, nil)
		a.done = append(a.done, false)
	}
	return root, true
}

// headPaths records, for each group HEAD's tree (node root) holds, the
// paths where it holds it: a baseline tells by them a copy of an accepted
// value (its file still at HEAD) from a rename (its file gone). Only the
// folders holding a value are visited, at most maxAliasSteps of them, and
// a group keeps at most maxPaths: a group past either bound is marked,
// and its paths at HEAD count as unknown.
func (a *attribution) headPaths(root int32) {
	for _, gi := range a.hits(root) {
		if a.groups[gi].head == nil {
			a.groups[gi].head = map[string]bool{}
		}
	}
	steps := 0
	var walk func(n int32, dir string) bool
	walk = func(n int32, dir string) bool {
		s := a.s
		if t, ok := s.aliases[n]; ok {
			n = t
		}
		if steps++; steps > maxAliasSteps {
			return false
		}
		for _, f := range s.nodes[n].files {
			for _, gi := range a.groupsOf(f.blob) {
				g := a.groups[gi]
				for _, m := range a.members[[2]int32{f.blob, gi}] {
					if len(g.head) < maxPaths {
						g.head[join(dir, s.nameList[f.name])+m] = true
					} else {
						g.headMore = true
					}
				}
			}
		}
		for _, c := range s.nodes[n].subdirs {
			if len(a.hits(c)) > 0 && !walk(c, join(dir, path.Base(s.nodes[c].path))) {
				return false
			}
		}
		return true
	}
	if !walk(root, "") {
		for _, gi := range a.hits(root) {
			a.groups[gi].headMore = true
		}
	}
}

// finding builds the reported finding of group g.
func (a *attribution) finding(g *group, atHead bool) scanner.Finding {
	s := a.s
	f := g.first
	b := s.blobs[g.firstBlob]
	if b.commit >= 0 && s.commits[b.commit].tip != "" {
		// No commit holds it: a ref names its tree or the blob itself.
		c := s.commits[b.commit]
		what := "tree " + c.hash.String()
		if c.tree.IsZero() {
			what = "blob " + c.hash.String()
		}
		if c.tip != c.hash.String() {
			what += ", which " + c.tip + " names"
		}
		f.Note = joinNote(f.Note, "in no scanned commit: in "+what)
	} else if b.commit >= 0 {
		c := s.commits[b.commit]
		f.Commit = c.hash.String()
		f.Author = c.author
		f.Date = c.when
		if c.dangling {
			f.Note = joinNote(f.Note, "introduced in "+s.unreached())
		}
	} else {
		f.Note = joinNote(f.Note, "in a dangling blob that no commit reaches (object "+b.hash.String()+")")
	}
	if g.last >= 0 {
		f.LastCommit = s.commits[g.last].hash.String()
	}
	f.Commits = g.commits
	f.Paths = make([]string, 0, len(g.paths))
	for p := range g.paths {
		f.Paths = append(f.Paths, p)
	}
	slices.Sort(f.Paths)
	if g.more {
		f.Note = joinNote(f.Note, fmt.Sprintf("held under more paths than the %d listed: the history repeats a folder that holds it", len(f.Paths)))
	}
	f.PresentAtHead = &atHead
	if a.headKnown && !g.headMore && !g.more {
		f.HeadPaths = make([]string, 0, len(g.head))
		for p := range g.head {
			f.HeadPaths = append(f.HeadPaths, p)
		}
		slices.Sort(f.HeadPaths)
	}
	return f
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// isJoin reports whether p is join(dir, name), without building it.
func isJoin(p, dir, name string) bool {
	if dir == "" {
		return p == name
	}
	return len(p) == len(dir)+1+len(name) && p[len(dir)] == '/' && strings.HasPrefix(p, dir) && strings.HasSuffix(p, name)
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
