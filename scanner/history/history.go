package history

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/content"
)

// ErrNotRepository is returned by Scan when the path is not a git repository.
var ErrNotRepository = errors.New("not a git repository")

// Options narrow and tune a history scan. The zero value scans every ref with
// one worker per CPU and no size limit.
type Options struct {
	// Refs, when not empty, limits the scan to the history of these
	// revisions (branch or tag names, full ref names, commit hashes) instead
	// of every ref.
	Refs []string
	// Since, when set, leaves out the commits reachable from this revision:
	// only what was committed after it is scanned.
	Since string
	// Not, when not empty, leaves out the history these revisions already
	// reach (object IDs or names): their commits are not walked and the
	// blobs in the trees of those the walk meets are not scanned. With Refs
	// set to the new tips of a push and Not to the refs the repository had
	// before it, the scan covers what the push adds, as git's own
	// `rev-list --objects NEW --not OLD` does. Unlike Since, only as much of
	// the old history is walked as it takes to tell new commits from old
	// ones, and a new commit that cannot be read (a shallow push, a missing
	// object) is an error, not a warning: what the push adds is unknown.
	Not []string
	// NotRefs adds every ref of the repository to Not (a pre-receive hook
	// runs before the refs move, so they are the refs before the push).
	NotRefs bool
	// HeadAt, when not nil, names the commits (object IDs; an annotated
	// tag is peeled) whose trees stand for HEAD when telling the paths a
	// value is at there (Finding.HeadPaths), for a baseline to tell a copy
	// from a rename: the pre-receive gate names the tips a push sets,
	// which HEAD does not hold yet. One that is not a commit leaves the
	// paths unknown.
	HeadAt []string
	// Unpushed scans what a push may carry: every local branch, tag and
	// notes ref (and a detached HEAD) joins Refs, except a ref whose object
	// Not names by its ID. Not then holds what the remote has, as the
	// remote itself says (git ls-remote; keyscan history --unpushed asks
	// it): remote-tracking branches are only what the last fetch saw, and
	// trusting one the remote has since lost would pass its commits as
	// pushed. An empty Not leaves nothing out. The names of those local
	// refs that RemoteNames lacks are scanned (a push would create them).
	Unpushed bool
	// RemoteNames, with Unpushed, are the full names of the remote's refs
	// (git ls-remote): a local branch, tag or notes ref of another name is
	// one a push may create, and its name is scanned. Empty: every one.
	RemoteNames []string
	// ObjectDirs are object directories read besides the repository's own
	// and its objects/info/alternates (and theirs): during a pre-receive
	// hook the pushed objects are in a quarantine directory.
	ObjectDirs []string
	// PathGlob, when set, limits the scan to blob paths it matches
	// (doublestar syntax, '/'-separated, relative to the repository root).
	PathGlob string
	// Exclude, when set, leaves out the blob paths for which it returns true
	// (the configuration's include and exclude globs).
	Exclude func(path string) bool
	// NewObjects, when set, is an objects folder every object of which
	// is new (a push's quarantine, GIT_QUARANTINE_PATH): its blobs that
	// no tree of the commits walked holds, and that the repository's own
	// objects folder does not hold either, are scanned too, named by
	// their IDs. A hand-made pack can carry a blob no pushed ref reaches,
	// and git moves it into the repository with the rest.
	NewObjects string
	// AllObjects also scans the objects no ref reaches: dangling commits and
	// their trees, and blobs no scanned tree holds.
	AllObjects bool
	// MaxBlobSize is the largest blob scanned, in bytes; larger blobs are
	// skipped with a warning, except archives within
	// Content.Archives.MaxArchiveSize (content.Options.OpensLarge). Zero
	// means no limit.
	MaxBlobSize int64
	// Content says what is looked into besides text: archives (opened when
	// a blob is one) and binary blobs. Its zero value opens no archive and
	// scans binary blobs.
	Content content.Options
	// Workers is the number of blobs read and scanned at once (at most
	// maxWorkersPerCPU per CPU); zero means
	// one per CPU.
	Workers int
	// Progress, when set, is called from time to time during the read and
	// scan pass, and once at its end, from one goroutine at a time.
	Progress func(Progress)
}

// Progress reports how far the read and scan pass has got.
type Progress struct {
	Objects, TotalObjects int64 // unique blobs done and to do
	Bytes, TotalBytes     int64 // their sizes (TotalBytes is known once the blobs are located; it may be an estimate)
}

// Warning is something the user should know about a scan that went on
// anyway: part of the history could not be read or was left out.
type Warning struct {
	Object  string // the object ID it concerns, when there is one
	Path    string // the path it concerns, when there is one
	Message string
}

func (w Warning) String() string {
	s := w.Message
	if w.Path != "" {
		s = w.Path + ": " + s
	}
	if w.Object != "" {
		s += " (object " + w.Object + ")"
	}
	return s
}

// Stats count the work a scan did.
type Stats struct {
	Refs    int // refs (tips) the walk started from
	Commits int // commits walked
	Trees   int // unique (tree, directory) pairs met (a tree met again under another path is not walked again: see walkTree)
	Blobs   int // unique blobs found in the walked trees (and dangling blobs with AllObjects)
	Scanned int // blobs read and scanned
	// Rescanned counts the blobs scanned again under a path of another
	// name class (scanner.NameClass) than their first.
	Rescanned int
	Bytes     int64 // bytes of blobs scanned
	Binary    int   // binary blobs and archive members scanned (or skipped with Content.SkipBinary)
	Archives  int   // archives opened, nested ones included
	Members   int   // archive members scanned
	// ArchiveUnscanned counts the archive warnings that left part of an
	// archive unread (archive.Stats.Unscanned).
	ArchiveUnscanned int
	// ArchiveTooLarge counts, of those, the members over max_file_size
	// (archive.Stats.TooLarge): files over max_file_size, which the
	// pre-push hooks fail on as the gate does.
	ArchiveTooLarge int
	// Unlisted counts the candidate values past Content.MaxFindings in a blob
	// (content.Result.Unlisted); a warning names each such blob.
	Unlisted int
	// Undecoded counts the encoded runs of a blob not decoded whole for
	// the decode budget (content.Result.Undecoded); a warning names each
	// such blob.
	Undecoded int
	// Unchecked counts the blobs (or members) not checked whole for their
	// check budget (content.Result.Unchecked); a warning names each.
	Unchecked int
	// GoLeft counts the Go files left to the byte scan, not type-checked,
	// for the run's type-check budget (content.Options.GoBudget); one
	// warning says how many.
	GoLeft int
	// GoTooLarge counts the candidate Go files left to the byte scan for
	// their size (content.GoBudget.Over): a gate fails on them, whatever
	// --strict says, as on a file over max_file_size.
	GoTooLarge int
	TooLarge   int // blobs skipped for exceeding MaxBlobSize
	LFS        int // Git LFS pointers whose content is not in the repository's lfs/objects: not scanned
	// Submodules counts the submodule paths (gitlinks) met and not read:
	// their commits live in another repository. A gap in every format
	// (qa34 6: a key only in a submodule read as "no credentials found").
	Submodules int
	LFSScanned int // Git LFS pointers whose content, found in lfs/objects, was scanned (counted in Scanned too)
	Failed     int // blobs that could not be read
	Messages   int // unique commit and annotated-tag messages scanned
	Unreadable int // commits and trees that could not be read
	// BrokenRefs counts the refs whose file (or packed-refs line) names
	// no object: ignored, as git ignores a broken ref, and a gap.
	BrokenRefs int
	// TooDeep counts, of Unreadable, the trees not walked for lying more
	// than gitobj.MaxTreeDepth folders deep: content as its author made
	// it (git itself refuses to check it out), not a damaged store.
	TooDeep int
	// Shallow counts the boundary commits of a shallow clone (its
	// shallow file): the history behind them is not in the repository,
	// not read.
	Shallow int
	// ShallowScanned counts those of them the scan reached with their
	// parents asked for: not left out by Since or by what the remote has
	// (Not, Unpushed), whose history behind is theirs too. A boundary
	// the remote has hides nothing a push carries (qa38: a depth-1 CI
	// clone's --unpushed or --since scan was incomplete, exit 2 with
	// --strict, for history it was not asked to read).
	ShallowScanned int
	Duration       time.Duration // wall time of the whole scan
	WalkTime       time.Duration // of it, enumerating commits and walking trees
	ReadTime       time.Duration // of it, reading and scanning blobs
}

// Result is what a history scan found.
type Result struct {
	// Findings hold one finding per credential value in files, positioned
	// where it was introduced, with Commit, Author, Date, PresentAtHead,
	// Commits, Paths and LastCommit set. File is the path where it was
	// introduced. A value in a commit or tag message is one more finding
	// per message, under the pseudo-path "commit <id> message" or
	// "tag <name> message" (see message.go).
	Findings scanner.Findings
	// TestKeys are the test keys found in files and not reported (see
	// scanner.Finding.TestKey), attributed as Findings are.
	TestKeys scanner.Findings
	// Allowed are the values keyscan:allow directives allow, attributed as
	// Findings are, when the scanner returns them
	// (scanner.Options.ReportAllowed; see allowed.go). In a push scan
	// (Not), those the push does not add are left out.
	Allowed  scanner.Findings
	Warnings []Warning
	Stats    Stats
	// Shallow is true when the repository is a shallow clone: history
	// before its boundary commits is not there to scan.
	Shallow bool
	// Partial is true when the repository is a partial clone (git clone
	// --filter=blob:none, a CI checkout with a filter): its historical
	// blobs stay on the promisor remote until asked for, so the scan cannot
	// read them.
	Partial bool

	// raw maps a finding's value to the encoded forms it was written in
	// (base64, escapes), which a history rewrite must scrub too.
	raw map[string][]string
	// opaque maps a value to a place where no replacement of text
	// reaches it (see Opaque); opaqueMsg does, by fingerprint, for the
	// findings in messages and header lines.
	opaque, opaqueMsg map[string]Opaque
}

// Opaque is a place where a value is held in bytes that git filter-repo's
// --replace-text does not rewrite: a binary blob (one with a NUL byte in
// its first 8 KiB, which filter-repo leaves as it is), an archive member
// or a compressed file (the value is not in the blob's bytes as written),
// a Git LFS object (not in the repository at all). For a finding in a
// commit's or tag's message or header lines (Message), it is a value
// inside an archive encoded in the message, or any value in the header
// lines, which git filter-repo --replace-message does not rewrite.
type Opaque struct {
	Path   string // the file in the commit's tree, or the message's pseudo-path
	Member string // the finding's file: Path, or Path!member...
	Reason string // where, in words, with the finding's file
	// Message is true for a message's or header's finding: the message
	// is rewritten whole (--message-callback), the header by --mailmap
	// or a callback; Path names it ("commit <id> message").
	Message bool
}

// Opaque returns, for f, a place where replacing text cannot reach its
// value, and false when every place holding it is text. A finding in a
// message is judged on its own; one in a file, by every file that holds
// the value.
func (r *Result) Opaque(f scanner.Finding) (Opaque, bool) {
	if o, ok := r.opaqueMsg[f.Fingerprint]; ok {
		return o, ok
	}
	if IsMessagePath(f.File) {
		return Opaque{}, false
	}
	o, ok := r.opaque[f.Secret]
	return o, ok
}

// Literals returns every literal text a history rewrite must replace to
// scrub the values of fs: each value and each encoded form it was written in
// (base64, JSON or URL escapes), sorted and without duplicates. A form that
// spans lines (a key split over a concatenation, base64 wrapped at 76
// columns) cannot be one filter-repo expression: its pieces are, each run
// of at least minPiece characters between the quotes, blanks and operators
// that join them (a shorter piece would replace the same few letters all
// over the repository). The findings none of whose forms could be written
// whole or in such pieces are returned as left, to be cleaned by hand.
func (r *Result) Literals(fs scanner.Findings) (lits []string, left scanner.Findings) {
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			lits = append(lits, s)
		}
	}
	for _, f := range fs {
		add(f.Secret)
		whole := true
		for _, s := range r.raw[f.Secret] {
			if !strings.ContainsAny(s, "\r\n") {
				add(s)
				continue
			}
			ps := pieces(s)
			if len(ps) == 0 {
				whole = false
			}
			for _, p := range ps {
				add(p)
			}
		}
		if !whole {
			left = append(left, f)
		}
	}
	sortStrings(lits)
	return lits, left
}

// minPiece is the shortest piece of a split value written as an expression.
const minPiece = 8

// pieces splits a value written over several lines into the runs between
// what joins them (quotes, blanks, concatenation operators, line
// continuations), keeping those of minPiece bytes or more.
func pieces(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(c rune) bool {
		return strings.ContainsRune(" \t\r\n\"'`", c)
	}) {
		if strings.Trim(f, "+.&|,()\\;") == "" {
			continue // the operator that joins two pieces
		}
		if len(f) >= minPiece {
			out = append(out, f)
		}
	}
	return out
}

// Scan finds the credentials in the history of the repository at repoPath
// (a work tree, a directory inside one, or a bare repository) with sc.
// It returns ErrNotRepository (wrapped, naming the path) when there is no
// repository there; any other problem with part of the history becomes a
// warning in the Result.
func Scan(ctx context.Context, repoPath string, sc *scanner.Scanner, opts Options) (Result, error) {
	res, _, err := scanWith(ctx, repoPath, sc, opts, memoLimit)
	return res, err
}

// maxWorkersPerCPU bounds Options.Workers.
const maxWorkersPerCPU = 16

// scanWith is Scan with the walk's memos bounded by memo bytes each (0:
// none); it returns the scan's state too, for the tests that compare walks.
func scanWith(ctx context.Context, repoPath string, sc *scanner.Scanner, opts Options, memo int) (Result, *scan, error) {
	start := time.Now()
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	// More readers than this only wait on one another (and each holds its
	// buffers): a million asked for took 15 s on a three-blob repository.
	opts.Workers = min(opts.Workers, maxWorkersPerCPU*runtime.GOMAXPROCS(0))
	if opts.PathGlob != "" && !doublestar.ValidatePattern(opts.PathGlob) {
		return Result{}, nil, fmt.Errorf("path glob %q: invalid pattern", opts.PathGlob)
	}
	r, err := openRepo(repoPath, opts)
	if err != nil {
		return Result{}, nil, err
	}
	defer r.close()

	s := &scan{repo: r, sc: sc, opts: opts, ctx: ctx, memoLimit: memo}
	if err := s.run(ctx); err != nil {
		return Result{}, nil, err
	}
	res := Result{
		Warnings:  s.warnings,
		Stats:     s.stats,
		Shallow:   s.shallow,
		Partial:   r.partialClone(),
		raw:       s.raw,
		opaque:    s.opaque,
		opaqueMsg: s.opaqueMsg,
	}
	for i := range s.findings {
		// Each path's own fingerprint, for a baseline made from the
		// report (baseline.FilterMoved), taken before a report hides a
		// secret a path holds.
		f := &s.findings[i]
		if len(f.Paths) > 0 && f.Secret != "" {
			f.PathFingerprints = make([]string, len(f.Paths))
			for j, p := range f.Paths {
				f.PathFingerprints[j] = scanner.Fingerprint(f.Rule, p, f.Secret)
			}
		}
	}
	// A session token a path holds across folders is one finding, not one per folder.
	s.findings = s.findings.WithoutPathPrefixes()
	res.Findings, res.TestKeys = s.findings.Split()
	res.Findings, res.Allowed = splitAllowed(res.Findings)
	res.Stats.Duration = time.Since(start)
	return res, s, nil
}

// run does the three passes.
func (s *scan) run(ctx context.Context) error {
	t0 := time.Now()
	s.loadPacks() // before the walk: lookups in memory, entry ends known
	s.objr = s.repo.objs.NewReader(32 << 20)
	s.startPlanner(ctx)
	defer s.stopPlanner() // on the way out early
	s.startMessages(ctx)
	defer s.stopMessages()
	if err := s.collectCommits(ctx); err != nil {
		return err
	}
	s.flushMessages()
	if err := s.walkTrees(ctx); err != nil {
		return err
	}
	if s.opts.AllObjects {
		if err := s.addDanglingBlobs(ctx); err != nil {
			return err
		}
	}
	if s.opts.NewObjects != "" {
		if err := s.addQuarantineBlobs(ctx); err != nil {
			return err
		}
	}
	if s.stats.Unreadable > s.stats.TooDeep && len(s.blobs) == 0 {
		// Not a history without files but one whose commits or trees
		// could not be read: "no credentials found" would pass a scan
		// that read nothing as clean. (Trees too deep to walk were read:
		// they are warnings counted as unreadable, the push's content to
		// the gate, as they are beside files.)
		var why []string
		for _, w := range s.warnings[:min(len(s.warnings), 3)] {
			why = append(why, w.String())
		}
		return fmt.Errorf("nothing could be read: %d commits, trees or refs could not be (%s)", s.stats.Unreadable, strings.Join(why, "; "))
	}
	t1 := time.Now()
	s.stats.WalkTime = t1.Sub(t0)
	// The walk's tree cache goes before the blobs are read.
	s.objr = s.repo.objs.NewReader(16 << 20)
	if err := s.readAndScan(ctx); err != nil {
		return err
	}
	if err := s.scanExtras(ctx); err != nil {
		return err
	}
	s.stats.ReadTime = time.Since(t1)
	if err := s.attribute(ctx); err != nil {
		return err
	}
	if err := s.scanImporters(ctx); err != nil {
		return err
	}
	s.findings.Sort()
	s.dropHeldAllowed(ctx)
	n, _ := s.opts.Content.GoBudget.Left()
	over, _ := s.opts.Content.GoBudget.OverLeft()
	if n > 0 || over > 0 {
		s.stats.GoLeft, s.stats.GoTooLarge = n, over
		s.warn("", "", s.opts.Content.GoBudget.Warning())
	}
	s.stats.Messages = s.msgs.n
	s.messageFindings()
	s.pathFindings()
	if len(s.refNameList) > 0 {
		s.findings = append(s.findings, RefNames(s.sc, s.refNameList)...)
		s.findings.Sort()
	}
	return nil
}
