package staged

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/archive"
	"github.com/keyscan/keyscan/scanner/content"
	"github.com/keyscan/keyscan/scanner/gosnap"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/internal/lfs"
)

// Options tune a staged scan. The zero value scans the repository's own index.
type Options struct {
	// IndexFile is the index to read instead of the repository's (git sets
	// GIT_INDEX_FILE for hooks: `git commit -a` and `git commit PATH` stage
	// into a temporary index). Relative to the current folder.
	IndexFile string
	// GitDir and WorkTree are what GIT_DIR and GIT_WORK_TREE say, if set.
	GitDir, WorkTree string
	// ObjectDir and Alternates are what GIT_OBJECT_DIRECTORY and
	// GIT_ALTERNATE_OBJECT_DIRECTORIES say, if set: where objects are
	// besides (or instead of) the repository's objects folder.
	ObjectDir  string
	Alternates []string
	// All adds the work tree's unstaged changes to tracked files, as
	// `git commit -a` would.
	All bool
	// Exclude reports whether a path (slash-separated, relative to the work
	// tree root) is left out by configuration.
	Exclude func(path string) bool
	// MaxFileSize is the largest file scanned, in bytes, except archives
	// within Content.Archives.MaxArchiveSize (content.Options.OpensLarge);
	// 0 means no limit.
	MaxFileSize int64
	// MergeHeads are the other parents of a merge git is about to commit
	// when MERGE_HEAD does not say (git merge runs its pre-merge-commit
	// hook before writing MERGE_HEAD, and names the merged commits in the
	// hook's environment instead). MERGE_HEAD, when there is one, wins.
	MergeHeads []gitobj.ID
	// Content says what is looked into besides text: archives (a member
	// counts when the commit adds it or changes its content) and binary
	// files. Its zero value opens no archive and scans binary files.
	Content content.Options
}

// Status says what the commit does to a path.
type Status string

// The statuses of File.
const (
	Added    Status = "added"
	Modified Status = "modified"
	Renamed  Status = "renamed"
	Deleted  Status = "deleted"
)

// File is one path the commit changes.
type File struct {
	Path    string
	OldPath string // where a renamed file was
	Status  Status
	Binary  bool
	// Lines is how many lines of the new content the commit adds or changes.
	Lines int
	// Skipped says why the file was not scanned ("" when it was).
	Skipped string
}

// Result is what a staged scan found.
type Result struct {
	// Root is the work tree root; finding and file paths are relative to it.
	Root string
	// Initial is true for the first commit of a repository (no HEAD).
	Initial bool
	// Merge is true when a merge is in progress: lines count as added only
	// when no parent has them.
	Merge    bool
	Files    []File
	Findings scanner.Findings
	// TestKeys are the test keys the commit adds, not reported (see
	// scanner.Finding.TestKey).
	TestKeys scanner.Findings
	// Warnings name what could not be scanned and why.
	Warnings []string
	// ArchiveUnscanned counts the archive warnings that left part of an
	// archive the commit adds unread (archive.Stats.Unscanned): limits hit,
	// members encrypted, corrupt or over the member limit.
	ArchiveUnscanned int
	// ArchiveTooLarge counts, of those, the members over max_file_size
	// (archive.Stats.TooLarge): files over max_file_size, which the hooks
	// fail on as the gate does.
	ArchiveTooLarge int
	// TooLarge counts the files the commit adds that were not scanned for
	// being over max_file_size (not archives: see OpensLarge).
	TooLarge int
	// Unlisted counts the candidate values past Content.MaxFindings in the
	// files the commit changes (content.Result.Unlisted): whether the
	// commit adds them is not known. Warnings name the files.
	Unlisted int
	// Undecoded counts the encoded runs, in the files the commit changes,
	// not decoded whole for the decode budget (content.Result.Undecoded):
	// what they hold was not checked. Warnings name the files.
	Undecoded int
	// Unchecked counts the files the commit changes (or their members)
	// not checked whole for their check budget (content.Result.Unchecked):
	// whether the commit adds a key there is not known. Warnings name them.
	Unchecked int
	// GoLeft counts the Go files the commit changes that were left to the
	// byte scan, not type-checked, for the commit's type-check budget
	// (content.Options.GoBudget); one warning says how many.
	GoLeft int
	// GoTooLarge counts the candidate Go files it changes that were left to
	// the byte scan for their size (content.GoBudget.Over).
	GoTooLarge int
	// LFS counts the Git LFS files the commit adds whose content is not in
	// the repository's lfs/objects (or does not match the pointer): not
	// scanned. The content of the others is scanned in place of the pointer.
	LFS int
}

// Scan finds the credentials that the next commit from the work tree holding
// repoDir would add.
func Scan(ctx context.Context, repoDir string, sc *scanner.Scanner, opts Options) (Result, error) {
	r, err := locate(repoDir, opts.GitDir, opts.WorkTree)
	if err != nil {
		return Result{}, err
	}
	res := Result{Root: r.workTree}
	indexPath := opts.IndexFile
	if indexPath == "" {
		indexPath = filepath.Join(r.gitDir, "index")
	} else if !filepath.IsAbs(indexPath) {
		if indexPath, err = filepath.Abs(indexPath); err != nil {
			return res, err
		}
	}
	idx, err := gitobj.ReadIndex(indexPath, r.gitDir)
	if errors.Is(err, os.ErrNotExist) {
		idx, err = &gitobj.Index{}, nil // nothing staged yet in a new repository
	}
	if err != nil {
		return res, err
	}
	objDir := opts.ObjectDir
	if objDir == "" {
		objDir = filepath.Join(r.commonDir, "objects")
	}
	store, err := gitobj.Open(objDir, gitobj.Options{Alternates: opts.Alternates})
	if err != nil {
		return res, err
	}
	defer store.Close()
	objs := &objects{r: store.NewReader(0), store: store}
	for _, p := range store.OpenProblems() {
		// Objects there are not found: a staged blob among them is an
		// error below, when it is read.
		res.Warnings = append(res.Warnings, fmt.Sprintf("objects: %v", p))
	}

	headCommit, hasHead, err := r.head(ctx)
	if err != nil {
		return res, err
	}
	var headTree gitobj.ID
	if hasHead {
		if headTree, err = objs.commitTree(headCommit); err != nil {
			return res, fmt.Errorf("HEAD: %w", err)
		}
	}
	res.Initial = !hasHead

	ents := idx.Entries[:0] // filtered in place: the index is not used again
	lastUnmerged := ""
	for _, e := range idx.Entries {
		switch {
		case e.Stage != 0:
			if e.Path != lastUnmerged {
				lastUnmerged = e.Path
				res.Warnings = append(res.Warnings, fmt.Sprintf("%s: unmerged, not scanned until the conflict is resolved and the file added", e.Path))
			}
		case e.IntentToAdd && !opts.All:
			// git add -N: nothing staged yet; git commit -a commits the
			// work tree's file, which --all reads below.
		default:
			ents = append(ents, e)
		}
	}
	trees := idx.Trees
	if opts.All {
		if ents, trees, err = applyWorkTree(ctx, r.workTree, idx, ents, objs); err != nil {
			return res, err
		}
	}

	d := newDiffer(ctx, objs, ents, trees)
	if err := d.compare("", headTree, 0, len(ents)); err != nil {
		return res, err
	}
	if err := d.detectRenames(); err != nil {
		return res, err
	}

	parents, err := r.mergeHeads()
	if err != nil {
		return res, err
	}
	if len(parents) == 0 {
		parents = opts.MergeHeads
	}
	var parentTrees []gitobj.ID
	for _, p := range parents {
		t, err := objs.commitTree(p)
		if err != nil {
			return res, fmt.Errorf("MERGE_HEAD: %w", err)
		}
		parentTrees = append(parentTrees, t)
	}
	res.Merge = len(parentTrees) > 0

	// The snapshot the commit will hold: under --all the work tree's
	// versions of tracked files (applyWorkTree keeps them in objs).
	run := gosnap.NewRun(objs.blob, opts.Content.GoBudget)
	snap := run.Snapshot(gosnap.IndexLister(ents))
	opts.Content.GoFolder, opts.Content.GoPackage, opts.Content.GoPeek = snap.Folder, snap.Package, snap.Peek
	s := &stagedScan{ctx: ctx, sc: sc, objs: objs, opts: opts, headTree: headTree, parents: parentTrees, res: &res, lfs: lfs.Store(r.commonDir)}
	// The unchanged files importing a changed package (importers.go) and
	// the older versions of the changed Go files are read against the
	// snapshots of HEAD and the merge parents.
	var olds []*gosnap.Snapshot
	for _, t := range append([]gitobj.ID{headTree}, parentTrees...) {
		var sn *gosnap.Snapshot
		if !t.IsZero() {
			sn = s.treeSnapshot(run, t)
			olds = append(olds, sn)
		}
		s.oldSnaps = append(s.oldSnaps, sn)
	}
	sort.Slice(d.changes, func(i, j int) bool { return d.changes[i].path < d.changes[j].path })
	changedGo := map[string]bool{}
	for _, c := range d.changes {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if err := s.scanChange(c); err != nil {
			return res, err
		}
		for _, p := range []string{c.path, c.oldPath} {
			if strings.HasSuffix(p, ".go") || gosnap.IsModFile(p) {
				changedGo[p] = true // a renamed file's old folder lost it
			}
		}
	}
	for _, c := range d.deleted {
		res.Files = append(res.Files, File{Path: c.path, Status: Deleted})
		if strings.HasSuffix(c.path, ".go") || gosnap.IsModFile(c.path) {
			changedGo[c.path] = true
		}
	}
	if err := s.scanImporters(snap, olds, changedGo); err != nil {
		return res, err
	}
	n, _ := opts.Content.GoBudget.Left()
	over, _ := opts.Content.GoBudget.OverLeft()
	if n > 0 || over > 0 {
		res.GoLeft, res.GoTooLarge = n, over
		res.Warnings = append(res.Warnings, opts.Content.GoBudget.Warning())
	}
	sort.SliceStable(res.Files, func(i, j int) bool { return res.Files[i].Path < res.Files[j].Path })
	// A session token a path holds across folders is one finding, not one per folder.
	res.Findings = res.Findings.WithoutPathPrefixes()
	res.Findings, res.TestKeys = res.Findings.Split()
	res.Findings.Sort()
	// A Go file checked with its folder reports a sibling's key too
	// (content.Options.GoFolder): once a place, whichever file found it.
	res.Findings = slices.CompactFunc(res.Findings, func(a, b scanner.Finding) bool {
		return a.File == b.File && a.Line == b.Line && a.Column == b.Column && a.Rule == b.Rule && a.Secret == b.Secret
	})
	res.TestKeys.Sort()
	return res, nil
}

type stagedScan struct {
	ctx      context.Context // the run's, for the readers of blobs (the Go reader's watch of type checks)
	sc       *scanner.Scanner
	objs     *objects
	opts     Options
	headTree gitobj.ID // zero in a repository's first commit
	parents  []gitobj.ID
	// heldBlobs are the blobs HEAD and the merge parents hold, read once
	// when a file over max_file_size is staged (heldBefore).
	heldBlobs map[gitobj.ID]bool
	res       *Result
	// pathValues are the values already reported in a path the commit
	// adds: a new folder named after a key is reported once, not at each
	// of its files.
	pathValues map[string]bool
	lfs        lfs.Objects // git-lfs's object store
	// oldSnaps are the Go snapshots of HEAD's tree and each merge
	// parent's, in the order of a change's older versions (nil for none):
	// an older version of a Go file is type-checked with the packages of
	// its own tree, not the commit's.
	oldSnaps []*gosnap.Snapshot
}

// heldBefore reports whether HEAD or a merge parent holds blob id under
// any path. A file over max_file_size fails the commit (a hook that let it
// pass would only move the refusal to the push), but one whose content the
// commit's parents hold byte for byte adds nothing: a git mv or a copy of
// it is not refused (qa15 MEDIUM-1), as the pre-push hook and the gate,
// which judge new blobs, do not refuse it. The trees are read once, each
// subtree once however often it is repeated.
func (s *stagedScan) heldBefore(id gitobj.ID) (bool, error) {
	if s.heldBlobs == nil {
		s.heldBlobs = map[gitobj.ID]bool{}
		seen := map[gitobj.ID]bool{}
		var walk func(gitobj.ID) error
		walk = func(t gitobj.ID) error {
			if seen[t] {
				return nil
			}
			seen[t] = true
			ents, err := s.objs.tree(t)
			if err != nil {
				return err
			}
			for _, e := range ents {
				switch {
				case e.IsDir():
					if err := walk(e.ID); err != nil {
						return err
					}
				case !isGitlink(e.Mode):
					s.heldBlobs[e.ID] = true
				}
			}
			return nil
		}
		for _, t := range append([]gitobj.ID{s.headTree}, s.parents...) {
			if t.IsZero() {
				continue
			}
			if err := walk(t); err != nil {
				return false, fmt.Errorf("the trees of HEAD and the merge parents: %w", err)
			}
		}
	}
	return s.heldBlobs[id], nil
}

// scanPath scans the path of a file the commit adds (or renames to): a
// file or folder named after a key ID, or a secret saved as a name, is
// committed with the tree (see scanner.Scanner.ScanPath). A path HEAD or a
// merge parent already has is not new, nor is a value the renamed path
// held.
func (s *stagedScan) scanPath(c change) error {
	if st := c.status(); st != Added && st != Renamed {
		return nil
	}
	fs := s.sc.ScanPath(c.path, 0)
	if len(fs) == 0 {
		return nil
	}
	for _, pt := range s.parents {
		if _, ok, err := s.objs.lookupPath(pt, c.path); err != nil {
			return fmt.Errorf("%s: merge parent: %w", c.path, err)
		} else if ok {
			return nil
		}
	}
	old := map[string]bool{}
	if c.oldPath != "" {
		for _, f := range s.sc.ScanPath(c.oldPath, 0) {
			old[f.Secret] = true
		}
	}
	if s.pathValues == nil {
		s.pathValues = map[string]bool{}
	}
	for _, f := range fs {
		if old[f.Secret] || s.pathValues[string(f.Kind)+"\x00"+f.Secret] {
			continue
		}
		s.pathValues[string(f.Kind)+"\x00"+f.Secret] = true
		s.res.Findings = append(s.res.Findings, f)
	}
	return nil
}

func (s *stagedScan) scanChange(c change) error {
	f := File{Path: c.path, Status: c.status()}
	if f.Status == Renamed {
		f.OldPath = c.oldPath
	}
	defer func() { s.res.Files = append(s.res.Files, f) }()
	if s.opts.Exclude != nil && s.opts.Exclude(c.path) {
		f.Skipped = "excluded by configuration"
		return nil
	}
	if err := s.scanPath(c); err != nil {
		return err
	}
	if max := s.opts.MaxFileSize; max > 0 {
		// Known too large by a loose blob's header or a packed one's entry,
		// before it is inflated (qa13 HIGH-7: a gigabyte of zeros is a few
		// megabytes loose, and git add writes a file over
		// core.bigFileThreshold straight into a pack); an archive is read
		// all the same, up to max_archive_size.
		if size, head, ok := s.objs.head(c.newHash, archive.HeadSize); ok && size > max &&
			(size > s.opts.Content.Archives.MaxArchiveSize || !s.opts.Content.OpensLarge(size, head)) {
			if held, err := s.heldBefore(c.newHash); err != nil {
				return err
			} else if held {
				f.Skipped = fmt.Sprintf("larger than max_file_size (%d bytes), and HEAD holds it already: nothing new", max)
				return nil
			}
			f.Skipped = fmt.Sprintf("larger than max_file_size (%d bytes)", max)
			isArchive := archive.Detect(head) != archive.None || content.ArchiveName(c.path)
			s.res.Warnings = append(s.res.Warnings, c.path+": "+s.opts.Content.TooLarge(size, isArchive, max))
			s.res.TooLarge++
			return nil
		}
	}
	data, err := s.objs.blob(c.newHash)
	if err != nil {
		return fmt.Errorf("%s: %w", c.path, err)
	}
	if p, ok := lfs.Parse(data); ok {
		// A file kept in Git LFS: git-lfs put its content in lfs/objects
		// when it was staged; that is what the commit adds. The pointer's
		// own bytes are committed too (lfs.Parse takes nothing but a
		// pointer's lines, so this finds nothing in one git-lfs wrote).
		if err := s.scanPointer(c, data); err != nil {
			return err
		}
		body, skip := s.lfsContent(c.path, p)
		if body == nil {
			f.Skipped = skip
			return nil
		}
		data = body
	}
	if s.opts.MaxFileSize > 0 && int64(len(data)) > s.opts.MaxFileSize &&
		!s.opts.Content.OpensLarge(int64(len(data)), data) {
		// An archive over max_file_size is read all the same, up to
		// archives.max_archive_size (see content.Options.OpensLarge).
		if held, err := s.heldBefore(c.newHash); err != nil {
			return err
		} else if held {
			f.Skipped = fmt.Sprintf("larger than max_file_size (%d bytes), and HEAD holds it already: nothing new", s.opts.MaxFileSize)
			return nil
		}
		f.Skipped = fmt.Sprintf("larger than max_file_size (%d bytes)", s.opts.MaxFileSize)
		s.res.Warnings = append(s.res.Warnings, c.path+": "+s.opts.Content.TooLarge(int64(len(data)), false, s.opts.MaxFileSize))
		s.res.TooLarge++
		return nil
	}
	f.Binary = isBinary(data)

	// The versions the commit's content is compared with: HEAD's (or the
	// renamed file's) and, in a merge, each other parent's.
	var olds [][]byte
	if !c.oldHash.IsZero() {
		old, err := s.objs.blob(c.oldHash)
		if err != nil {
			return fmt.Errorf("%s: HEAD version: %w", c.oldPath, err)
		}
		olds = append(olds, s.lfsOld(old))
	} else {
		olds = append(olds, nil)
	}
	for _, pt := range s.parents {
		pe, ok, err := s.objs.lookupPath(pt, c.path)
		if err != nil {
			return fmt.Errorf("%s: merge parent: %w", c.path, err)
		}
		if !ok || pe.IsDir() || isGitlink(pe.Mode) {
			olds = append(olds, nil)
			continue
		}
		if pe.ID == c.newHash {
			return nil // taken whole from the other side: nothing new
		}
		old, err := s.objs.blob(pe.ID)
		if err != nil {
			return fmt.Errorf("%s: merge parent: %w", c.path, err)
		}
		olds = append(olds, s.lfsOld(old))
	}

	if s.opts.Content.Archives.MaxDepth > 0 && archive.DetectName(c.path, data) != archive.None {
		s.scanArchive(c.path, c.oldPath, data, olds)
		return nil
	}
	if f.Binary {
		// Lines mean nothing in a binary file: keep the values that no
		// older version holds.
		flat := content.Options{SkipBinary: s.opts.Content.SkipBinary, MaxFindings: s.opts.Content.MaxFindings}
		r := content.Scan(s.ctx, s.sc, c.path, data, flat)
		found := r.Findings
		s.unlisted(c.path, r.Unlisted)
		s.undecoded(c.path, r.Undecoded)
		s.res.Unchecked += r.Unchecked // content.Scan's warnings name them
		// An archive left closed by --max-archive-depth 0 is read as a
		// binary file and said and counted as scan says it (qa14 MEDIUM-6).
		s.res.ArchiveUnscanned += r.Archive.Unscanned
		for _, w := range r.Warnings {
			if strings.Contains(w.Message, "check budget") || strings.HasPrefix(w.Message, "archive not opened") {
				s.res.Warnings = append(s.res.Warnings, w.String())
			}
		}
		for i, old := range olds {
			if old != nil {
				name := c.path
				if i == 0 && c.oldPath != "" {
					name = c.oldPath // a renamed file's old version, read under its old name
				}
				found = newValues(found, content.Scan(s.ctx, s.sc, name, old, flat).Findings)
			}
		}
		f.Lines = lineCount(data)
		s.res.Findings = append(s.res.Findings, found...)
		return nil
	}
	opts := s.goOptions(c.path, data, olds)
	found, counts := s.sc.ScanAllCounted(c.path, data, s.opts.Content.MaxFindings)
	found = opts.WithGo(s.ctx, s.sc, c.path, data, found)
	s.unlisted(c.path, counts.Unlisted)
	s.undecoded(c.path, counts.Undecoded)
	if counts.Unchecked > 0 {
		s.res.Unchecked++
		s.res.Warnings = append(s.res.Warnings, c.path+": "+content.Unchecked(counts.Unchecked))
	}
	if len(counts.Embedded) > 0 || counts.GitPatch {
		// A git binary patch's hunks carry files as archives carry members
		// (qa14 HIGH-13: the hook let one through that scan reads).
		s.scanEmbedded(c.path, c.oldPath, data, olds, opts)
	}
	var added []bool
	for _, old := range olds {
		a := addedLines(old, data)
		if added == nil {
			added = a
		} else {
			intersect(added, a)
		}
	}
	for _, on := range added {
		if on {
			f.Lines++
		}
	}
	// A value that the new version reports and no older version did
	// (HEAD's, read under its old name after a rename, nor a merge
	// parent's) is added by this commit wherever it stands: a change of
	// context alone makes a value AWS's without touching its line (the
	// MinIO endpoint_url above a secret deleted, a [gcs] section renamed,
	// a GOOG key ID removed), and so does a rename to a name of another
	// class (scanner.NameClass: b.py where notes.cfg was, and a secret split
	// over a Python concatenation is joined). The older versions are
	// scanned only when a finding stands on lines the commit left alone.
	var kept map[string]bool
	if slices.ContainsFunc(found, func(fd scanner.Finding) bool { return !touches(added, fd.Line, fd.EndLine) }) {
		kept = map[string]bool{}
		for i, old := range olds {
			if old == nil {
				continue
			}
			name := c.path
			if i == 0 && c.oldPath != "" {
				name = c.oldPath
			}
			had, _ := s.sc.ScanAllLimited(name, old, s.opts.Content.MaxFindings)
			// The older version with the packages of its own tree: read
			// with the commit's, a key the commit makes by changing an
			// imported package (cfg.S1 + cfg.S2 on a line it left alone)
			// was taken for the older version's, and dropped (fold35).
			o := opts
			if i < len(s.oldSnaps) && s.oldSnaps[i] != nil {
				sn := s.oldSnaps[i]
				o.GoFolder, o.GoPackage, o.GoPeek = sn.Folder, sn.Package, sn.Peek
			}
			had = o.WithGo(s.ctx, s.sc, name, old, had)
			for _, fd := range had {
				kept[heldKey(fd)] = true
			}
		}
	}
	for _, fd := range found {
		if touches(added, fd.Line, fd.EndLine) || !kept[heldKey(fd)] {
			s.res.Findings = append(s.res.Findings, fd)
		}
	}
	return nil
}

// goOptions returns the content options for the text file at path and the
// older versions it is compared with: the type check of Go files
// (Content.Go) on for all of them or for none. The commit's Go files are
// read in path order, one after another, and each charges the commit's
// type-check budget (Content.GoBudget) with its versions' cost together,
// so that a key the new version builds is never taken for one it adds
// because the budget ran out before its older version was read.
func (s *stagedScan) goOptions(path string, data []byte, olds [][]byte) content.Options {
	o := s.opts.Content
	if o.Go == nil || o.GoCost == nil || !o.GoBudget.Bounded() || !strings.HasSuffix(path, ".go") {
		return o
	}
	cost := o.Cost(path, data)
	if cost == 0 {
		return o // no candidate: WithGo asks again and calls nothing
	}
	if cost < 0 { // too large to type-check (content.GoTooLarge): said, left to the byte scan
		o.GoBudget.Over(path, 1)
		o.Go = nil
		return o
	}
	for _, old := range olds {
		if old != nil {
			cost += max(o.Cost(path, old), 0) // an older version too large is read by its bytes
		}
	}
	if !o.GoBudget.Take(path, cost, 1) {
		o.Go = nil
		return o
	}
	o.GoCost = nil // charged; the budget stays for the file's siblings (content.Options.GoFolder)
	return o
}

// heldKey names a finding's value for the comparison with older versions:
// a test key's secret (scanner.Finding.TestKey) that a real key ID now
// pairs is another finding.
func heldKey(fd scanner.Finding) string {
	return string(fd.Kind) + "\x00" + fd.Secret + "\x00" + strconv.FormatBool(fd.TestKey != "")
}

// scanPointer adds the values in the bytes of the pointer at c.path that
// its HEAD version's bytes do not hold.
func (s *stagedScan) scanPointer(c change, data []byte) error {
	found := s.sc.ScanAll(c.path, data)
	if len(found) == 0 {
		return nil
	}
	if !c.oldHash.IsZero() {
		old, err := s.objs.blob(c.oldHash)
		if err != nil {
			return fmt.Errorf("%s: HEAD version: %w", c.oldPath, err)
		}
		found = newValues(found, s.sc.ScanAll(c.oldPath, old))
	}
	s.res.Findings = append(s.res.Findings, found...)
	return nil
}

// lfsContent returns the content of the LFS file at path that pointer p
// names, or nil and why it is not scanned (a warning is added, and counted
// in Result.LFS or, over max_file_size, in Result.TooLarge).
func (s *stagedScan) lfsContent(path string, p lfs.Pointer) ([]byte, string) {
	max := s.opts.MaxFileSize
	body, _, tooLarge, err := lfs.ReadWithin(s.lfs, p, max, archive.HeadSize, s.opts.Content.OpensLarge)
	if errors.Is(err, lfs.ErrAbsent) && s.opts.Content.TooLargeByName(p.Size, max, path) {
		// Not here, but over the limit by its pointer's size: too
		// large, as the gate, which seldom holds LFS content, judges it.
		tooLarge = true
	}
	if tooLarge {
		s.res.Warnings = append(s.res.Warnings, path+": Git LFS file of "+s.opts.Content.TooLarge(p.Size, false, max))
		s.res.TooLarge++
		return nil, fmt.Sprintf("larger than max_file_size (%d bytes)", max)
	}
	if err != nil {
		s.res.Warnings = append(s.res.Warnings, fmt.Sprintf("%s: Git LFS pointer: its content (%d bytes, sha256 %s) was not scanned: %v", path, p.Size, p.OID, err))
		s.res.LFS++
		return nil, "Git LFS content not in lfs/objects"
	}
	return body, ""
}

// lfsOld returns the content an older version that is an LFS pointer
// names, when the store has it; else the version as it is (every line of
// the new content then counts as added, which errs on the safe side).
func (s *stagedScan) lfsOld(old []byte) []byte {
	if p, ok := lfs.Parse(old); ok {
		if body, err := lfs.Read(s.lfs, p); err == nil {
			return body
		}
	}
	return old
}

// scanArchive scans the members of an archive the commit adds or changes. A
// member counts when no older version of the archive (HEAD's, a merge
// parent's) holds it with the same content; older versions are read under
// the archive's new name, so a renamed archive's members still match. A
// file renamed from a name under which it is not opened at all (blob.dat
// to app.env.br: Brotli is known by its name) held no members before:
// every member counts.
func (s *stagedScan) scanArchive(path, oldPath string, data []byte, olds [][]byte) {
	ctx := s.ctx
	// Keyed by name and content: a compressed tar's header blocks are
	// several Raw members under the archive's one name.
	type held struct {
		name string
		sum  [sha256.Size]byte
	}
	had := map[held]bool{}
	for i, old := range olds {
		if old == nil || i == 0 && oldPath != "" && archive.DetectName(oldPath, old) == archive.None {
			continue
		}
		archive.Walk(ctx, path, old, s.opts.Content.Archives, func(mb archive.Member) {
			had[held{mb.Name, sha256.Sum256(mb.Data)}] = true
		})
	}
	opts := s.opts.Content
	opts.Keep = func(name string, data []byte) bool {
		return !had[held{name, sha256.Sum256(data)}]
	}
	r := content.Scan(ctx, s.sc, path, data, opts)
	s.res.Findings = append(s.res.Findings, r.Findings...)
	s.res.ArchiveUnscanned += r.Archive.Unscanned
	s.res.ArchiveTooLarge += r.Archive.TooLarge
	s.res.Unlisted += r.Unlisted // the warnings below name the files
	s.res.Undecoded += r.Undecoded
	s.res.Unchecked += r.Unchecked
	for _, w := range r.Warnings {
		s.res.Warnings = append(s.res.Warnings, w.String())
	}
}

// scanEmbedded adds the values of the archives that encoded runs of the
// text file at path decode to (scanner.Counts.Embedded: a tar.gz in
// base64) and of the files its git binary patches carry, which lines do
// not place: those no older version's archives
// held, as for a binary file.
func (s *stagedScan) scanEmbedded(path, oldPath string, data []byte, olds [][]byte, opts content.Options) {
	ctx := s.ctx
	prefix := path + "!"
	r := content.Scan(ctx, s.sc, path, data, opts)
	var found scanner.Findings
	for _, fd := range r.Findings {
		if strings.HasPrefix(fd.File, prefix) {
			found = append(found, fd)
		}
	}
	for i, old := range olds {
		if old != nil && len(found) > 0 {
			name := path
			if i == 0 && oldPath != "" {
				name = oldPath
			}
			found = newValues(found, content.Scan(ctx, s.sc, name, old, opts).Findings)
		}
	}
	s.res.Findings = append(s.res.Findings, found...)
	s.res.ArchiveUnscanned += r.Archive.Unscanned
	s.res.ArchiveTooLarge += r.Archive.TooLarge
	for _, w := range r.Warnings {
		if strings.HasPrefix(w.Path, prefix) {
			s.res.Warnings = append(s.res.Warnings, w.String())
		}
	}
}

// unlisted records n candidate values past Content.MaxFindings in the file at path.
func (s *stagedScan) unlisted(path string, n int) {
	if n > 0 {
		s.res.Unlisted += n
		s.res.Warnings = append(s.res.Warnings, path+": "+content.Unlisted(n, s.opts.Content.MaxFindings))
	}
}

// undecoded records n encoded runs of the file at path not decoded whole.
func (s *stagedScan) undecoded(path string, n int) {
	if n > 0 {
		s.res.Undecoded += n
		s.res.Warnings = append(s.res.Warnings, path+": "+content.Undecoded(n))
	}
}

// newValues keeps the findings whose value old does not hold.
func newValues(fs, old scanner.Findings) scanner.Findings {
	had := map[string]bool{}
	for _, o := range old {
		had[string(o.Kind)+"\x00"+o.Secret] = true
	}
	var out scanner.Findings
	for _, f := range fs {
		if !had[string(f.Kind)+"\x00"+f.Secret] {
			out = append(out, f)
		}
	}
	return out
}

// maxRenamePairs bounds the inexact rename comparisons, each a line diff.
const maxRenamePairs = 100

// detectRenames pairs added files with deleted ones, so that moving a file
// does not count as adding its content: exact matches by hash, then, as git
// does, files that share at least half their lines (every pair when there
// are few, else only pairs with the same base name).
func (d *differ) detectRenames() error {
	var added []int
	for i, c := range d.changes {
		if c.oldHash.IsZero() {
			added = append(added, i)
		}
	}
	if len(added) == 0 || (len(d.deleted) == 0 && len(d.deletedTrees) == 0) {
		return nil
	}
	if err := d.expandDeleted(); err != nil {
		return err
	}
	used := make([]bool, len(d.deleted))
	byHash := map[gitobj.ID][]int{}
	for i, del := range d.deleted {
		byHash[del.oldHash] = append(byHash[del.oldHash], i)
	}
	pair := func(ai, di int) {
		c := &d.changes[ai]
		del := d.deleted[di]
		c.oldHash, c.oldMode, c.oldPath = del.oldHash, del.oldMode, del.path
		used[di] = true
	}
	var rest []int
	for _, ai := range added {
		matched := false
		for _, di := range byHash[d.changes[ai].newHash] {
			if !used[di] {
				pair(ai, di)
				matched = true
				break
			}
		}
		if !matched {
			rest = append(rest, ai)
		}
	}
	var left []int
	for di := range d.deleted {
		if !used[di] {
			left = append(left, di)
		}
	}
	if len(rest) == 0 || len(left) == 0 {
		return nil
	}
	all := len(rest)*len(left) <= maxRenamePairs
	blobs := map[gitobj.ID][]byte{}
	text := func(h gitobj.ID) []byte {
		if b, ok := blobs[h]; ok {
			return b
		}
		typ, b, err := d.objs.read(h)
		if err != nil || typ != gitobj.Blob || isBinary(b) || len(b) > 1<<20 {
			b = nil
		}
		blobs[h] = b
		return b
	}
	for _, ai := range rest {
		c := d.changes[ai]
		best, bestScore := -1, 0.5
		for _, di := range left {
			del := d.deleted[di]
			if used[di] || (!all && path.Base(del.path) != path.Base(c.path)) {
				continue
			}
			a, b := text(del.oldHash), text(c.newHash)
			if a == nil || b == nil {
				continue
			}
			if score := similarity(a, b); score >= bestScore {
				best, bestScore = di, score
			}
		}
		if best >= 0 {
			pair(ai, best)
		}
	}
	// A deleted file that became a rename is no longer a deletion.
	kept := d.deleted[:0]
	for di, del := range d.deleted {
		if !used[di] {
			kept = append(kept, del)
		}
	}
	d.deleted = kept
	return nil
}
