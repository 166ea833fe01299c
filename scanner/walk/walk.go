// Package walk reads the files under a set of roots in parallel and scans
// each (text, binary or archive: see scanner/content), leaving out what
// cannot or should not be scanned and saying so: files over the size limit,
// unreadable files, FIFOs, sockets and devices, symlinks, archive members
// past a limit.
//
// A scan runs unattended on trees written by strangers (a pull request in
// CI), so the walk fails closed:
//
//   - A symlink found in a tree is content, not a door (git stores it as its
//     target text): it is never followed. A link whose target stays inside
//     the root needs no following, since the target is scanned under its own
//     name, once; a link that leaves the root is named in a warning. A root
//     the user names may itself be a link: that one is followed.
//   - Nothing is opened by its path below a root: each folder is opened by
//     its name from its parent's open descriptor, and each file from its
//     folder's (openat, O_NOFOLLOW), so a folder or file swapped for a link
//     after its parent was listed (someone writing into the tree as it is
//     walked) is refused, never followed out of the root, and no path the
//     kernel is handed is longer than one name, however deep the tree. A
//     folder stays open while the walk is below it and its files are
//     queued: the descriptors held are the depth plus the queue's length.
//     Windows has no openat: there each folder is an os.Root opened from its
//     parent's, which refuses any name leading out of it, and a name is
//     looked at again after its open, so that a link is refused there too
//     (walk_other.go, internal/readfile).
//   - Only regular files are opened, and opened so that a FIFO swapped in
//     after the folder was read cannot block (O_NONBLOCK, then a check of
//     what was opened). FIFOs, sockets and devices are skipped with a
//     warning.
//   - A root that cannot be read, or a file named as a root that cannot be
//     read (a FIFO or device named on the command line included), is an
//     error, not a warning: the caller exits non-zero rather than
//     saying nothing was found. Files found while walking that cannot be read
//     are warnings, counted in Stats.
//   - Cancelling ctx stops the walk between files; Walk returns ctx's error.
package walk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/internal/lfs"
	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/internal/readfile"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/archive"
	"github.com/keyscan/keyscan/scanner/content"
)

// Options configure a walk.
type Options struct {
	// MaxFileSize is the largest file read; larger ones are skipped with a warning.
	MaxFileSize int64
	// Excluded reports whether a path, relative to its root and
	// '/'-separated, is left out. For directories dir is true.
	Excluded func(rel string, dir bool) bool
	// RootPath, when set, gives each root's '/'-separated path from the
	// folder Excluded's paths start at ("" for that folder itself): the
	// paths below the root are then asked about from there, and a file
	// named as a root by that path alone, so that a file is judged the
	// same whichever root holds it (config.Scope).
	RootPath func(root string) string
	// Workers is the number of files scanned at once; 0 means one per CPU.
	Workers int
	// OnFile, when set, is called for every file scanned with its path on
	// disk, its path as reported, and its content (valid only during the
	// call), after the matcher has run; it lets the caller collect, say, Go
	// files for type-checked scanning.
	OnFile func(path, shown string, data []byte)
	// Content says what is looked into: archives and their limits, binary
	// files. Its zero value opens no archive and scans binary files.
	Content content.Options
	// Namer gives each file the name its fingerprint is made from (see
	// internal/pathname); nil means a Namer for the working directory.
	Namer *pathname.Namer
}

// Warning is a file the walk could not scan, or scanned partly.
type Warning struct {
	Path string
	Err  error
}

func (w Warning) String() string { return w.Path + ": " + w.Err.Error() }

// Stats count what the walk did and what it left out.
type Stats struct {
	Files, Bytes int64 // scanned
	Binary       int64 // skipped: binary content (only with Content.SkipBinary)
	// BinaryScanned counts the binary files and archive members scanned
	// through their printable runs; Archives and Members the archives
	// opened (nested ones included) and the members scanned in them.
	BinaryScanned, Archives, Members int64
	// ArchiveUnscanned counts the archive warnings that left part of an
	// archive unread (archive.Stats.Unscanned).
	ArchiveUnscanned int64
	// ArchiveTooLarge counts, of those, the members over max_file_size
	// (archive.Stats.TooLarge): files over max_file_size, which the hooks
	// (staged with files named) fail on as the gate does.
	ArchiveTooLarge int64
	// Unlisted counts the candidate values past Content.MaxFindings in a file
	// (content.Result.Unlisted); a warning names each such file.
	Unlisted int64
	// Undecoded counts the encoded runs of a file not decoded whole for
	// the decode budget (content.Result.Undecoded); a warning names each
	// such file.
	Undecoded int64
	// Unchecked counts the files not checked whole for their check
	// budget (content.Result.Unchecked); a warning names each.
	Unchecked  int64
	TooLarge   int64 // skipped: over MaxFileSize
	Excluded   int64 // files and folders left out by Excluded
	Unreadable int64 // files and folders that could not be read
	Special    int64 // FIFOs, sockets, devices: never opened
	Symlinks   int64 // symlinks met in the trees (never followed)
	Outside    int64 // of those, links whose target is outside the root
	// LFS counts the files that are Git LFS pointers whose content was not
	// read (not in the repository's lfs/objects, or not what the pointer
	// names).
	LFS int64
	// Sparse counts the tracked files below a root folder that the work
	// tree's index leaves out of the work tree (a sparse checkout: see
	// sparse.go); a warning names the first.
	Sparse int64
}

// Result is what a walk found.
type Result struct {
	Findings scanner.Findings
	// TestKeys are the test keys found and not reported (see
	// scanner.Finding.TestKey), sorted as Findings are.
	TestKeys scanner.Findings
	Warnings []Warning
	Stats    Stats
}

// RootError is a root, a folder or file the user named, that could not be
// read: the scan did not do what was asked.
type RootError struct {
	Path string
	Err  error
}

func (e *RootError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *RootError) Unwrap() error { return e.Err }

// ErrBinary marks a file skipped because its content is binary.
var ErrBinary = errors.New("binary file skipped")

type job struct {
	path  string // path on disk
	shown string // path reported
	named bool   // named by the user: a root
	// dir is the open folder the file was listed in, and name the file's
	// name there: a file found in a tree is opened from it (openat), never
	// by its path. rel is its '/'-separated path below the root. All three
	// are unset for a named file.
	dir       *folder
	name, rel string
	// root is the root folder the file was found under, as given; "" for
	// a named file.
	root string
	// key is the file's name as fingerprints give it (pathname.Namer.Key),
	// when scanPath has worked it out already; "" to work it out.
	key string
	// link is the target of a symbolic link met in a tree, the text git
	// stores for it, scanned as the link's content (qa17 H4: a key
	// written as a link's target passed scan though staged, history and
	// the archive readers report it); "" for a file.
	link string
}

// folder is an open folder of a tree being walked, shared by the walker
// (which lists it and opens its subfolders) and the jobs of its files:
// it is closed when the last of them lets go. What holds it open is the
// system's: a descriptor on Unix (walk_unix.go), an os.Root elsewhere
// (walk_other.go).
type folder struct {
	handle
	refs atomic.Int32
	// pseudo is the kernel pseudo-filesystem (/proc, /sys) the folder is
	// on, shared by every folder below its mount point; nil elsewhere.
	pseudo *pseudoFS
	// partial: list gave an error, so its entries may not be all the
	// folder's (a .git among those left out).
	partial bool
}

func newFolder(h handle) *folder {
	d := &folder{handle: h}
	d.refs.Store(1)
	return d
}

func (d *folder) hold() { d.refs.Add(1) }

func (d *folder) release() {
	if d.refs.Add(-1) == 0 {
		d.close()
	}
}

// headOf reads at most 128 leading bytes of the regular file name in d,
// following no link; nil when it cannot be read.
func (d *folder) headOf(name string) []byte {
	f, size, err := d.open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, _ := readfile.HeadOpen(f, size, 128)
	return b
}

// list reads the entries of d, sorted by name.
func (d *folder) list() ([]fs.DirEntry, error) {
	entries, err := d.f.ReadDir(-1)
	d.partial = err != nil
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	return entries, err
}

// heldObject is what the scan of a file in an lfs/objects gave.
type heldObject struct {
	findings scanner.Findings
	warnings []Warning
	counts   fileCounts
}

// fileCounts is what the scan of one file adds to the walk's counts.
type fileCounts struct {
	files, bytes, binary, binaryScanned, archives, members            int64
	archiveUnscanned, archiveTooLarge, unlisted, undecoded, unchecked int64
}

// add adds c to the walk's counts.
func (w *walker) add(c fileCounts) {
	for _, f := range []struct {
		to *atomic.Int64
		n  int64
	}{{&w.files, c.files}, {&w.bytes, c.bytes}, {&w.binary, c.binary}, {&w.binaryScanned, c.binaryScanned},
		{&w.archives, c.archives}, {&w.members, c.members}, {&w.archiveUnscanned, c.archiveUnscanned},
		{&w.archiveTooLarge, c.archiveTooLarge}, {&w.unlisted, c.unlisted}, {&w.undecoded, c.undecoded}, {&w.unchecked, c.unchecked}} {
		if f.n != 0 {
			f.to.Add(f.n)
		}
	}
}

// walker is the state of one Walk.
type walker struct {
	ctx   context.Context
	sc    *scanner.Scanner
	opts  Options
	namer *pathname.Namer
	jobs  chan job

	// hook, set only by this package's tests, is called with the path
	// below its root of every folder and file found in a tree, between
	// the listing of its folder and its own open: a test swaps a folder
	// for a link there, deterministically.
	hook func(rel string)

	mu       sync.Mutex
	res      Result
	rootErrs []error
	pseudos  []*pseudoFS     // the pseudo-filesystems met, in order
	seen     map[string]bool // real paths of files queued, when roots may overlap
	// lfsRead holds the OIDs of the Git LFS content scanned through a
	// pointer, lfsHeld what the files of an lfs/objects holding the
	// object their name says gave, until the walk ends: one a pointer
	// gave is not reported twice (a folder holding clones).
	lfsRead map[string]bool
	lfsHeld map[string][]heldObject

	files, bytes, binary, large, excluded, unreadable, special, links, outside                 atomic.Int64
	binaryScanned, archives, members                                                           atomic.Int64
	archiveUnscanned, unlisted, undecoded, unchecked, lfsUnread, archiveTooLarge, sparseUnread atomic.Int64
}

// Walk scans every file under roots. A root may be a file. Findings are
// named as the file is opened from the working directory (the root joined
// with the path below it, see pathname.Shown) and fingerprinted by their
// name in the work tree (pathname.Namer.Key). The error is non-nil when ctx
// ends or a root could not be read (a *RootError, joined when several); the
// result then still holds what the other roots gave.
func Walk(ctx context.Context, roots []string, sc *scanner.Scanner, opts Options) (Result, error) {
	return walk(ctx, roots, sc, opts, nil)
}

// walk is Walk with the test hook (see walker.hook).
func walk(ctx context.Context, roots []string, sc *scanner.Scanner, opts Options, hook func(rel string)) (Result, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = 1 << 62
	}
	w := &walker{ctx: ctx, sc: sc, opts: opts, namer: opts.Namer, jobs: make(chan job, 256), hook: hook}
	if w.namer == nil {
		n, err := pathname.New()
		if err != nil {
			return Result{}, fmt.Errorf("working directory: %w", err)
		}
		w.namer = n
	}
	if len(roots) > 1 {
		w.seen = map[string]bool{}
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for j := range w.jobs {
				if ctx.Err() == nil {
					w.scan(sc, j, &buf)
				}
				if j.dir != nil {
					j.dir.release()
				}
			}
		}()
	}
	for _, root := range roots {
		if ctx.Err() != nil {
			break
		}
		if err := w.root(root); err != nil {
			w.rootErr(err)
		}
	}
	close(w.jobs)
	wg.Wait()
	w.releaseLFS()
	for _, p := range w.pseudos {
		if warn := p.warning(); warn != nil {
			w.res.Warnings = append(w.res.Warnings, *warn)
		}
	}
	res := w.res
	res.Stats = Stats{Files: w.files.Load(), Bytes: w.bytes.Load(), Binary: w.binary.Load(),
		TooLarge: w.large.Load(), Excluded: w.excluded.Load(), Unreadable: w.unreadable.Load(),
		Special: w.special.Load(), Symlinks: w.links.Load(), Outside: w.outside.Load(),
		BinaryScanned: w.binaryScanned.Load(), Archives: w.archives.Load(), Members: w.members.Load(),
		ArchiveUnscanned: w.archiveUnscanned.Load(), Unlisted: w.unlisted.Load(),
		Undecoded: w.undecoded.Load(), Unchecked: w.unchecked.Load(), LFS: w.lfsUnread.Load(), ArchiveTooLarge: w.archiveTooLarge.Load(),
		Sparse: w.sparseUnread.Load()}
	// Stable: the warnings of one file keep the order its scan gave them.
	sort.SliceStable(res.Warnings, func(i, j int) bool { return res.Warnings[i].Path < res.Warnings[j].Path })
	// A session token a path holds across folders is one finding, not one per folder.
	res.Findings = res.Findings.WithoutPathPrefixes()
	res.Findings, res.TestKeys = res.Findings.Split()
	res.Findings.Sort()
	res.TestKeys.Sort()
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return res, errors.Join(w.rootErrs...)
}

func (w *walker) warn(p string, err error) {
	w.mu.Lock()
	w.res.Warnings = append(w.res.Warnings, Warning{p, err})
	w.mu.Unlock()
}

func (w *walker) rootErr(err error) {
	w.mu.Lock()
	w.rootErrs = append(w.rootErrs, err)
	w.mu.Unlock()
}

// scan reads and scans one file.
func (w *walker) scan(sc *scanner.Scanner, j job, buf *[]byte) {
	if j.link != "" {
		key := j.key
		if key == "" {
			key = w.namer.Key(j.path)
		}
		w.merge(j, key, content.Scan(w.ctx, sc, key, []byte(j.link), w.opts.Content), fileCounts{}, "", "")
		return
	}
	data, isArchive, err := w.read(j, buf)
	switch {
	case errors.Is(err, errTooLarge):
		w.large.Add(1)
		var size int64
		if le := (largeError{}); errors.As(err, &le) {
			size = le.size
		}
		w.warn(j.shown, errors.New(w.opts.Content.TooLarge(size, isArchive, w.opts.MaxFileSize)))
		return
	case errors.As(err, new(notRegular)) && j.named:
		w.rootErr(&RootError{j.shown, err}) // swapped for a FIFO after the stat
		return
	case errors.As(err, new(notRegular)):
		w.special.Add(1)
		w.warnIn(j.dir, j.shown, err)
		return
	case err != nil:
		if j.named {
			w.rootErr(&RootError{j.shown, err})
			return
		}
		w.unreadable.Add(1)
		w.warnIn(j.dir, j.shown, err)
		return
	}
	pointer, object := "", "" // the OID of the LFS content read through j, or that j is
	if !isArchive {
		if p, ok := lfs.Parse(data); ok {
			if data, ok = w.lfsContent(j, p); !ok {
				return
			}
			pointer = p.OID
		}
	}
	if pointer == "" {
		object = lfsObject(j.path, data)
	}
	key := j.key
	if key == "" {
		key = w.namer.Key(j.path)
	}
	// content.Scan decides what a binary file is and whether it is read, for
	// every source alike: with binaries off an archive is still opened, and
	// only a binary file that is not one is left out.
	cr := content.Scan(w.ctx, sc, key, data, w.opts.Content)
	if cr.SkippedBinary > 0 && cr.Archive.Archives == 0 {
		if j.named {
			w.warn(j.shown, errors.New("binary file: not scanned"))
		}
		w.merge(j, key, content.Result{}, fileCounts{binary: 1}, pointer, object)
		return
	}
	if w.opts.OnFile != nil && cr.Text == 1 && cr.Archive.Archives == 0 && pointer == "" {
		w.opts.OnFile(j.path, j.shown, data)
	}
	w.merge(j, key, cr, fileCounts{files: 1, bytes: int64(len(data)), binary: int64(cr.SkippedBinary),
		binaryScanned: int64(cr.Binary), archives: int64(cr.Archive.Archives), members: int64(cr.Archive.Members),
		archiveUnscanned: int64(cr.Archive.Unscanned), archiveTooLarge: int64(cr.Archive.TooLarge),
		unlisted: int64(cr.Unlisted)}, pointer, object)
}

// merge adds what content.Scan found in job j, whose key it was given,
// to the walk's result: findings named by the job's shown path (an
// archive member keeps its "!member" suffix after it), warnings, the
// file's counts c and the parts the matcher did not decode or check;
// pointer and object are the LFS OIDs scan worked out (see lfsObject). A
// file of an lfs/objects is held, counts too, until the walk ends: the
// content a pointer of the walk gave is counted once, at the pointer.
func (w *walker) merge(j job, key string, cr content.Result, c fileCounts, pointer, object string) {
	c.undecoded += int64(cr.Undecoded)
	c.unchecked += int64(cr.Unchecked)
	fs := cr.Findings
	for i := range fs {
		fs[i].RepoPath = fs[i].File
		fs[i].File = j.shown + strings.TrimPrefix(fs[i].File, key)
	}
	var warns []Warning
	for _, aw := range cr.Warnings {
		warns = append(warns, Warning{j.shown + strings.TrimPrefix(aw.Path, key), errors.New(aw.Message)})
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case object != "":
		if w.lfsHeld == nil {
			w.lfsHeld = map[string][]heldObject{}
		}
		w.lfsHeld[object] = append(w.lfsHeld[object], heldObject{fs, warns, c})
		return
	case pointer != "":
		if w.lfsRead == nil {
			w.lfsRead = map[string]bool{}
		}
		w.lfsRead[pointer] = true
	}
	w.add(c)
	if w.res.Findings == nil {
		w.res.Findings = fs // the first file's: not copied
	} else {
		w.res.Findings = append(w.res.Findings, fs...)
	}
	w.res.Warnings = append(w.res.Warnings, warns...)
}

// lfsObject returns the OID of the Git LFS object that the file at path,
// holding data, is: a file named by its SHA-256 at git-lfs's place for it
// (lfs/objects/ab/cd/abcd…), whose bytes hash to that name; else "". Bytes
// that are not what the name says are reported as any file's.
func lfsObject(path string, data []byte) string {
	// Every file comes here: a name of another length returns at once.
	n := len(path)
	if n < len("lfs/objects/ab/cd/")+64 || !os.IsPathSeparator(path[n-65]) {
		return ""
	}
	oid, d := path[n-64:], path[:n-65]
	if strings.Trim(oid, "0123456789abcdef") != "" ||
		filepath.Base(d) != oid[2:4] || filepath.Base(filepath.Dir(d)) != oid[:2] {
		return ""
	}
	if d = filepath.Dir(filepath.Dir(d)); filepath.Base(d) != "objects" || filepath.Base(filepath.Dir(d)) != "lfs" {
		return ""
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != oid {
		return ""
	}
	return oid
}

// releaseLFS reports and counts what the files of lfs/objects gave, but
// for the objects whose content a pointer gave already, in the order of
// their OIDs.
func (w *walker) releaseLFS() {
	oids := make([]string, 0, len(w.lfsHeld))
	for oid := range w.lfsHeld {
		if !w.lfsRead[oid] {
			oids = append(oids, oid)
		}
	}
	sort.Strings(oids)
	for _, oid := range oids {
		for _, h := range w.lfsHeld[oid] {
			w.res.Findings = append(w.res.Findings, h.findings...)
			w.res.Warnings = append(w.res.Warnings, h.warnings...)
			w.add(h.counts)
		}
	}
}

// lfsContent returns the content that p, a Git LFS pointer that is the
// whole of file j, stands for: a checkout made without git-lfs's smudge
// filter (actions/checkout's default lfs: false, GIT_LFS_SKIP_SMUDGE=1, a
// clone without git-lfs) holds the pointer, and the file is its content
// (qa16 MEDIUM-5: a key in an LFS file passed scan --strict in silence).
// It is read where git-lfs keeps it, the lfs/objects of the git folder of
// the work tree holding j, checked against the pointer's size and SHA-256
// (internal/lfs), and judged by its size as history and staged judge it:
// over max_file_size, and not an archive that would be opened, it is too
// large whether or not it is there. Otherwise it is counted (Stats.LFS,
// --strict fails on it) and named in a warning; ok is false then.
func (w *walker) lfsContent(j job, p lfs.Pointer) (data []byte, ok bool) {
	store, err := w.lfsStore(j)
	var head []byte
	tooLarge := false
	if err == nil {
		data, head, tooLarge, err = lfs.ReadWithin(store, p, w.opts.MaxFileSize, archive.HeadSize, w.opts.Content.OpensLarge)
	}
	if !tooLarge && errors.Is(err, lfs.ErrAbsent) && w.opts.Content.TooLargeByName(p.Size, w.opts.MaxFileSize, j.shown) {
		tooLarge = true
	}
	switch {
	case tooLarge:
		w.large.Add(1)
		w.warn(j.shown, errors.New("Git LFS file of "+w.opts.Content.TooLarge(p.Size, archive.Detect(head) != archive.None, w.opts.MaxFileSize)))
		return nil, false
	case errors.Is(err, lfs.ErrAbsent):
		w.lfsUnread.Add(1)
		where := "in the lfs/objects of the repository holding it"
		if errors.Is(err, errNoWorkTree) {
			where = "in any repository: the file is in no git work tree"
		}
		w.warn(j.shown, fmt.Errorf("Git LFS pointer: its content (%d bytes, sha256 %s) is not %s (git lfs pull fetches it), and was not scanned", p.Size, p.OID, where))
		return nil, false
	case err != nil:
		w.lfsUnread.Add(1)
		w.warn(j.shown, fmt.Errorf("Git LFS pointer: its content (sha256 %s) was not scanned: %w", p.OID, err))
		return nil, false
	}
	return data, true
}

// errNoWorkTree is a Git LFS pointer outside any git work tree: there is
// no lfs/objects to read its content from.
var errNoWorkTree = fmt.Errorf("in no git work tree: %w", lfs.ErrAbsent)

// lfsStore returns git-lfs's object store for the file of job j: the
// lfs/objects of the (common) git folder of the work tree holding it, a
// .git folder or the folder a .git file names (a linked work tree, a
// submodule). A work tree the walk found strictly inside its root (a
// nested clone, an extracted tarball's repository) is the tree's content:
// its git folder, and the common folder it names, must lie inside the
// root, and each object is opened from the root following no link, so a
// .git file, a commondir or a link in lfs/objects that leads elsewhere
// reads nothing outside what the user named. The user's own repository
// (the root, or a folder above it) is read where it says.
func (w *walker) lfsStore(j job) (lfs.Objects, error) {
	top := w.namer.Top(filepath.Dir(w.namer.Abs(j.path)))
	if top == "" {
		return lfs.Objects{}, errNoWorkTree
	}
	root := ""
	if j.root != "" {
		if r := w.namer.Abs(j.root); r != top && pathname.Within(r, top) {
			root = r
		}
	}
	inside := func(what, dir string) error {
		if root != "" && !pathname.Within(root, dir) {
			return fmt.Errorf("the %s of the repository holding it is outside the scan root: not read", what)
		}
		return nil
	}
	// A layout file (.git, commondir) of a repository inside the root is
	// read from the root following no link, as its objects are.
	read := func(p string) ([]byte, error) {
		if root == "" {
			return readfile.File(p, false, gitobj.MaxLayoutFile)
		}
		if err := inside("layout file", p); err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return nil, err
		}
		return readfile.FileBeneath(root, filepath.ToSlash(rel), gitobj.MaxLayoutFile)
	}
	gitDir, err := workTreeGitDir(top, read, root == "")
	if err != nil {
		return lfs.Objects{}, err
	}
	if err := inside("git folder its .git file names", gitDir); err != nil {
		return lfs.Objects{}, err
	}
	common, err := gitobj.CommonDirWith(gitDir, read)
	if err != nil {
		return lfs.Objects{}, err
	}
	if err := inside("common git folder", common); err != nil {
		return lfs.Objects{}, err
	}
	store := lfs.Store(common)
	store.Root = root
	return store, nil
}

// workTreeGitDir returns the git folder of the work tree at top: its .git
// folder, or the folder its .git file names (a linked work tree, a
// submodule), that file read with read. A .git that is a symbolic link is
// taken only when links says so (the user's own repository, not one found
// inside the root).
func workTreeGitDir(top string, read func(string) ([]byte, error), links bool) (string, error) {
	gitDir := filepath.Join(top, ".git")
	fi, err := os.Lstat(gitDir)
	switch {
	case err != nil:
		return "", err
	case fi.Mode()&fs.ModeSymlink != 0 && !links:
		return "", errors.New("the .git of the repository holding it is a symbolic link: not followed")
	case !fi.IsDir():
		return gitobj.ReadGitFileWith(gitDir, read)
	}
	return gitDir, nil
}

// queue hands a file to the workers, once per real file when roots may
// overlap; it returns ctx's error when the walk is cancelled. The job holds
// its folder open until a worker is done with it. real is the real path of
// the file's tree, j.rel below it (of the file itself for a root named as
// one): the file's own is made only when it is looked up, with more than
// one root.
func (w *walker) queue(j job, real string) error {
	if w.seen != nil {
		if j.rel != "" {
			real = under(real, j.rel)
		}
		w.mu.Lock()
		dup := w.seen[real]
		w.seen[real] = true
		w.mu.Unlock()
		if dup {
			return nil
		}
	}
	if j.dir != nil {
		j.dir.hold()
	}
	select {
	case w.jobs <- j:
		return nil
	case <-w.ctx.Done():
		if j.dir != nil {
			j.dir.release()
		}
		return w.ctx.Err()
	}
}

// under returns the path rel (slash-separated names read from folders:
// no empty, "." or ".." element) below the clean path dir, as
// filepath.Join(dir, filepath.FromSlash(rel)) would, by concatenation
// where that is the same: Join cleans the whole path again, byte by byte,
// and the walk joins two or three paths a file (4 % of keyscan scan's
// instructions on moto's checkout).
func under(dir, rel string) string {
	if filepath.Separator != '/' || dir == "" || dir == "." || dir[len(dir)-1] == '/' {
		return filepath.Join(dir, filepath.FromSlash(rel))
	}
	return dir + "/" + rel
}

// shownUnder is pathname.Shown(shown, rel) for a clean shown path, made
// as under makes a path.
func shownUnder(shown, rel string) string {
	if filepath.Separator != '/' {
		return pathname.Shown(shown, rel) // slash-separated, not Join's
	}
	return under(shown, rel)
}

// excludedPath reports whether the configuration leaves out the path rel
// below the root of t.
func (w *walker) excludedPath(t tree, rel string, dir bool) bool {
	if w.opts.Excluded == nil {
		return false
	}
	if t.base != "" {
		rel = t.base + "/" + rel
	}
	return w.opts.Excluded(rel, dir)
}

// root walks one root: a folder, or a file the user named.
func (w *walker) root(root string) error {
	shown := pathname.Shown(root, "")
	fi, err := os.Stat(root) // a root the user names may be a link
	if err != nil {
		return &RootError{shown, readfile.UnwrapPath(err)}
	}
	if !fi.IsDir() && !fi.Mode().IsRegular() {
		// Named explicitly: the user asked for this file, and it cannot be
		// read as one (never opened: it could block). Told before its
		// links are resolved: /dev/stdin on a pipe leads to "pipe:[N]",
		// which names no file.
		var err error = notRegular{Mode: fi.Mode()}
		if fi.Mode()&fs.ModeNamedPipe != 0 {
			// /dev/stdin, <(…): a pipe is read by no command, its writer
			// could keep a scan waiting; a file holds what it would.
			err = fmt.Errorf("%w (keyscan reads files, not pipes or standard input: write the input to a file and scan that)", err)
		}
		return &RootError{shown, err}
	}
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return &RootError{shown, readfile.UnwrapPath(err)}
	}
	real, _ = filepath.Abs(real)
	base := ""
	if w.opts.RootPath != nil {
		base = w.opts.RootPath(root)
	}
	if !fi.IsDir() {
		excluded := false
		if base != "" {
			excluded = w.excludedPath(tree{}, base, false)
		} else {
			excluded = w.excludedPath(tree{}, filepath.ToSlash(filepath.Base(root)), false) && w.excludedPath(tree{}, shown, false)
		}
		if excluded {
			w.excluded.Add(1)
			w.warn(shown, errors.New("excluded by the configuration: not scanned"))
			return nil
		}
		return w.queue(job{path: root, shown: shown, named: true}, real)
	}
	h, err := openRoot(root)
	if err != nil {
		return &RootError{shown, err}
	}
	d := newFolder(h)
	defer d.release()
	w.mounted(d, nil, shown)
	entries, err := d.list()
	if err != nil {
		return &RootError{shown, readfile.UnwrapPath(err)}
	}
	if gitFolder(d, entries) {
		// The user named a repository's git folder itself (backup.git,
		// .git): its files are packs of history, which scan would read as
		// opaque binaries and pass, a key in a packed commit unseen. The
		// config is scanned, as a nested git folder's is, and the root is
		// one that could not be read: exit 2, whatever --strict says,
		// with the command that reads it.
		if err := w.gitConfig(tree{root: root, shown: shown, real: real, base: base}, d, root, "", entries); err != nil {
			return err
		}
		return &RootError{shown, fmt.Errorf("a repository's git folder, whose files are packed history: not read as files (run keyscan history %s)", shown)}
	}
	t := tree{root: root, shown: shown, real: real, base: base}
	w.sparse(t, w.namer.Abs(root))
	// The folder's path is cleaned once here: below it each path is the
	// folder's and a name joined (under), not cleaned again.
	return w.dir(t, d, filepath.Clean(root), "", entries)
}

// tree is a root folder being walked: its path as given, as shown, and
// its real path (symlinks resolved).
type tree struct {
	root, shown, real string
	// git is the path below the root of the nested git folder being
	// walked, "" outside one: its symbolic HEAD is no link to judge.
	git string
	// base is the root's path from the folder the configuration's paths
	// start at (Options.RootPath), "" for the root itself.
	base string
}

// dir walks the entries of the open folder d, at path dir, rel below the
// root. Every subfolder and file is opened from d by its name, following
// no link: what was listed as a folder or file and has been swapped for a
// link since is not followed (ELOOP), whatever the link points to.
func (w *walker) dir(t tree, d *folder, dir, rel string, entries []fs.DirEntry) error {
	// Whether the folder is a work tree's top, from its listing.
	in := w.namer.InListed(dir, d.partial || slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return e.Name() == ".git" }))
	for _, e := range entries {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		name := e.Name()
		p := under(dir, name)
		r := name
		if rel != "" {
			r = rel + "/" + name
		}
		shown := shownUnder(t.shown, r)
		typ := e.Type()
		excluded := w.excludedPath(t, r, typ.IsDir())
		key := ""
		if !excluded {
			key = w.scanPath(in.Key(name), name, shown)
		}
		switch {
		case typ&fs.ModeSymlink != 0:
			if t.git != "" && r == t.git+"/HEAD" {
				continue // a symbolic HEAD (see gitFolder), to a ref not yet made or packed
			}
			w.links.Add(1)
			if !excluded {
				if err := w.queueLink(t, d, p, r, shown, key); err != nil {
					return err
				}
			}
			w.symlink(t, d, p, r, shown)
		case typ.IsDir():
			if excluded {
				w.excluded.Add(1)
				continue
			}
			sd, sub, err := w.openDir(d, name, p, r)
			if sd != nil {
				w.mounted(sd, d, shown)
			}
			if gitFolder(sd, sub) {
				// A repository's git folder holds its history. The .git at
				// the top of a root belongs to the work tree being scanned,
				// whose history is keyscan history's to read: only what no
				// history holds is read there (gitConfig). Any other (a
				// nested clone, a vendored repository, a bare repository
				// such as backup.git or mirror.git, whatever its name: git
				// knows one by its content) ships with the folder (it can
				// be committed, unlike a .git) and is read whole, as any
				// folder: its packs are opened as archives (scanner/gitobj
				// reads a pack in order, every blob and message) and its
				// loose objects as the zlib streams they are, bounded by
				// the archives' limits, and what they leave unread is
				// counted (qa16 MEDIUM-4: a key in backup.git's pack passed
				// scan --strict). A folder called .git that is not a git
				// folder (a tarball's app/.git/prod.env) is scanned like
				// any other.
				if name != ".git" || rel != "" {
					gt := t
					gt.git = r
					err = w.dir(gt, sd, p, r, sub)
					sd.release()
					if err != nil {
						return err
					}
					continue
				}
				// Its config is no history: a remote URL with a key in
				// it (https://AKIA…:…@host), a credential setting. It
				// ships with the folder (a tarball, COPY . . into an
				// image), so it is scanned as any file.
				err := w.gitConfig(t, sd, p, r, sub)
				sd.release()
				if err != nil {
					return err
				}
				continue
			}
			if err != nil {
				w.unreadable.Add(1)
				w.warnIn(d, shown, fmt.Errorf("folder not read: %w", readfile.UnwrapPath(err)))
				if len(sub) == 0 {
					if sd != nil {
						sd.release()
					}
					continue
				}
			}
			err = w.dir(t, sd, p, r, sub)
			sd.release()
			if err != nil {
				return err
			}
		case typ.IsRegular():
			if excluded {
				w.excluded.Add(1)
				continue
			}
			if err := w.queue(job{path: p, shown: shown, dir: d, name: name, rel: r, root: t.root, key: key}, t.real); err != nil {
				return err
			}
		default:
			w.special.Add(1)
			w.warnIn(d, shown, notRegular{Mode: typ})
		}
	}
	return nil
}

// scanPath scans the name of an entry of a folder (called name, shown as
// shown) for credentials: a file named after a key ID, or a secret saved
// as a name, leaks it as content would. The path is read from the top of
// its work tree (as fingerprints name files), and only what reaches into
// the entry's own name is kept: a folder's name is scanned once, as its
// own entry. key is the entry's (pathname.Namer.Key), which it returns for
// the file's job to keep.
func (w *walker) scanPath(key, name, shown string) string {
	fs := w.sc.ScanPath(key, len(key)-len(name))
	if len(fs) == 0 {
		return key
	}
	for i := range fs {
		fs[i].RepoPath = key
		fs[i].File = shown
	}
	w.mu.Lock()
	w.res.Findings = append(w.res.Findings, fs...)
	w.mu.Unlock()
	return key
}

// gitConfig queues the files of the git folder d (at path dir, rel below
// the root of t; "" for the root itself), listed as entries, that are no
// history and ship with the folder (a tarball, COPY . . into an image):
// its config (a remote URL with a key in it, a credential setting), the
// messages git keeps while they are written (gitMessageFile), and what is
// under hooks/ and info/ (a deploy hook that exports a key; qa12
// MEDIUM-7), which no history holds. The rest (objects, refs, logs, the
// index) is keyscan history's, or says what the history says.
func (w *walker) gitConfig(t tree, d *folder, dir, rel string, entries []fs.DirEntry) error {
	join := func(name string) string {
		if rel == "" {
			return name
		}
		return rel + "/" + name
	}
	for _, e := range entries {
		name := e.Name()
		r := join(name)
		switch {
		case (name == "config" || name == "config.worktree" || gitMessageFile(name)) && e.Type().IsRegular() && !w.excludedPath(t, r, false):
			if err := w.queue(job{path: filepath.Join(dir, name), shown: pathname.Shown(t.shown, r), dir: d, name: name, rel: r, root: t.root}, t.real); err != nil {
				return err
			}
		case (name == "hooks" || name == "info") && e.Type().IsDir() && !w.excludedPath(t, r, true):
			p := filepath.Join(dir, name)
			sd, sub, err := w.openDir(d, name, p, r)
			if err != nil {
				w.unreadable.Add(1)
				w.warnIn(d, pathname.Shown(t.shown, r), fmt.Errorf("folder not read: %w", readfile.UnwrapPath(err)))
			}
			if sd == nil {
				continue
			}
			err = w.dir(t, sd, p, r, sub)
			sd.release()
			if err != nil {
				return err
			}
		case (name == "modules" || name == "worktrees") && e.Type().IsDir() && !w.excludedPath(t, r, true):
			if err := w.gitInner(t, d, dir, rel, name, name == "worktrees", 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// gitMessageFile reports whether name is a file where git keeps a message
// being written: the last commit message (COMMIT_EDITMSG, also one the
// commit-msg hook refused), a merge's or squash's (MERGE_MSG, SQUASH_MSG),
// an annotated tag's (TAG_EDITMSG). No history holds them until committed,
// and they ship with the folder as its config does (qa16 MEDIUM-9).
func gitMessageFile(name string) bool {
	switch name {
	case "COMMIT_EDITMSG", "MERGE_MSG", "SQUASH_MSG", "TAG_EDITMSG":
		return true
	}
	return false
}

// gitInner reads the git folders kept inside a git folder as its own files
// are (gitConfig): a submodule's whole git folder under modules/<name>/
// (its name may hold slashes: modules/libs/a/), with its own config (its
// remote URL) and hooks, and a linked work tree's folder under
// worktrees/<id>/, with its config.worktree. They ship with the folder as
// its config does (qa13 MEDIUM-8); their objects, refs and logs are
// history, as the top folder's are. In worktrees/ each folder is one;
// in modules/ a folder that is no git folder is a step of a name.
func (w *walker) gitInner(t tree, d *folder, dir, rel, name string, each bool, depth int) error {
	if depth > 64 {
		return nil // deeper than any submodule name: a made-up tree
	}
	p, r := filepath.Join(dir, name), name
	if rel != "" {
		r = rel + "/" + name
	}
	sd, sub, err := w.openDir(d, name, p, r)
	if err != nil {
		w.unreadable.Add(1)
		w.warnIn(d, pathname.Shown(t.shown, r), fmt.Errorf("folder not read: %w", readfile.UnwrapPath(err)))
	}
	if sd == nil {
		return nil
	}
	defer sd.release()
	for _, e := range sub {
		if !e.Type().IsDir() {
			continue
		}
		er := r + "/" + e.Name()
		if w.excludedPath(t, er, true) {
			continue
		}
		ep := filepath.Join(p, e.Name())
		ed, entries, err := w.openDir(sd, e.Name(), ep, er)
		if err != nil {
			w.unreadable.Add(1)
			w.warnIn(sd, pathname.Shown(t.shown, er), fmt.Errorf("folder not read: %w", readfile.UnwrapPath(err)))
		}
		if ed == nil {
			continue
		}
		if !each && !gitFolder(ed, entries) {
			ed.release()
			if err := w.gitInner(t, sd, p, r, e.Name(), false, depth+1); err != nil {
				return err
			}
			continue
		}
		err = w.gitConfig(t, ed, ep, er, entries)
		ed.release()
		if err != nil {
			return err
		}
	}
	return nil
}

// gitFolder reports whether a folder is a git folder by git's own test
// (is_git_directory in git's setup.c): an objects/ folder, a refs/ folder,
// and a HEAD file that holds "ref: refs/…" or an object ID. The name does
// not matter (a bare repository is any NAME.git, or none); the HEAD check
// keeps a source folder that merely has HEAD, objects and refs entries
// scanned.
func gitFolder(d *folder, entries []fs.DirEntry) bool {
	var head, headLink, objects, refs bool
	for _, e := range entries {
		switch e.Name() {
		case "HEAD":
			head = e.Type().IsRegular()
			headLink = e.Type()&fs.ModeSymlink != 0
		case "objects":
			objects = e.Type().IsDir()
		case "refs":
			refs = e.Type().IsDir()
		}
	}
	if !head && !headLink || !objects || !refs || d == nil {
		return false
	}
	if headLink {
		// A HEAD that is a symbolic link into refs/, as git once wrote it
		// (core.preferSymlinkRefs), which git still accepts (qa11
		// MEDIUM-6). The link is read, never followed.
		return strings.HasPrefix(d.linkOf("HEAD"), "refs/")
	}
	return validHead(d.headOf("HEAD"))
}

// validHead reports whether b, the start of a HEAD file, is one git
// accepts: a symbolic ref into refs/, or a hex object ID (SHA-1 or
// SHA-256) alone on its line.
func validHead(b []byte) bool {
	if bytes.HasPrefix(b, []byte("ref:")) {
		return bytes.HasPrefix(bytes.TrimLeft(b[4:], " \t"), []byte("refs/"))
	}
	n := 0
	for n < len(b) && (b[n] >= '0' && b[n] <= '9' || b[n] >= 'a' && b[n] <= 'f') {
		n++
	}
	return (n == 40 || n == 64) && (n == len(b) || b[n] == '\n' || b[n] == '\r')
}

// openDir opens the folder name of the open folder d (at path p, rel below
// the root) and lists it, sorted by name. The folder is opened from d,
// following no link (readfile.OpenDirAt), so no path handed to the kernel
// is longer than one name, however deep the tree, and a folder swapped for
// a link after d was listed is not entered. The returned folder, nil when
// it could not be opened, is the caller's to release; entries may be
// partial with an error.
func (w *walker) openDir(d *folder, name, p, rel string) (*folder, []fs.DirEntry, error) {
	if w.hook != nil {
		w.hook(rel)
	}
	h, err := d.openDir(name, p)
	if err != nil {
		return nil, nil, err
	}
	sd := newFolder(h)
	entries, err := sd.list()
	return sd, entries, err
}

// queueLink queues the target text of the link at rel to be scanned as
// its content, as git stores a link; it never follows the link. A target
// that cannot be read is counted unreadable.
func (w *walker) queueLink(t tree, d *folder, p, rel, shown, key string) error {
	text, err := d.linkText(path.Base(rel))
	if errors.Is(err, syscall.ENAMETOOLONG) {
		text, err = readfile.ReadlinkBeneath(t.root, rel)
	}
	if err != nil {
		w.unreadable.Add(1)
		w.warnIn(d, shown, fmt.Errorf("symlink's target not read: %w", readfile.UnwrapPath(err)))
		return nil
	}
	if text == "" {
		return nil
	}
	return w.queue(job{path: p, shown: shown, rel: rel, root: t.root, key: key, link: text}, t.real)
}

// symlink checks a link met in a tree. It is not followed either way: a
// target inside the root is scanned under its own name, once; a target
// outside is not the tree the user asked for.
func (w *walker) symlink(t tree, d *folder, p, rel, shown string) {
	realRoot := t.real
	target, err := filepath.EvalSymlinks(p)
	if errors.Is(err, syscall.ENAMETOOLONG) {
		w.deepSymlink(t, rel, shown)
		return
	}
	if err != nil {
		if strings.Contains(err.Error(), "too many links") {
			w.warnIn(d, shown, errors.New("symlink loop: not followed"))
		} else {
			w.warnIn(d, shown, fmt.Errorf("broken symlink: %w", readfile.UnwrapPath(err)))
		}
		return
	}
	if target, err = filepath.Abs(target); err == nil && pathname.Within(realRoot, target) {
		return
	}
	w.outside.Add(1)
	w.warnIn(d, shown, fmt.Errorf("symlink to %s, outside the scan root: not followed (name the target on the command line to scan it)", target))
}

// deepSymlink checks a link whose path is too long for the kernel to
// resolve: its target is read (readlinkat from its folder, opened one
// folder at a time) and judged by its text, joined to the link's folder.
// Nothing is followed either way; a target that the text keeps inside the
// root is scanned under its own name, and a link it passes through is
// judged where it stands.
func (w *walker) deepSymlink(t tree, rel, shown string) {
	target, err := readfile.ReadlinkBeneath(t.root, rel)
	if err != nil {
		w.warn(shown, fmt.Errorf("symlink not read: %w", readfile.UnwrapPath(err)))
		return
	}
	abs := target
	if !filepath.IsAbs(target) {
		abs = filepath.Join(t.real, filepath.FromSlash(path.Dir(rel)), target)
	}
	if pathname.Within(t.real, filepath.Clean(abs)) {
		return
	}
	w.outside.Add(1)
	w.warn(shown, fmt.Errorf("symlink to %s, outside the scan root: not followed (name the target on the command line to scan it)", target))
}

// notRegular is the reason a FIFO, socket or device is skipped.
type notRegular = readfile.NotRegularError

var errTooLarge = readfile.ErrTooLarge

// largeError is errTooLarge with the file's size, which its warning
// names.
type largeError struct{ size int64 }

func (e largeError) Error() string { return errTooLarge.Error() }
func (e largeError) Unwrap() error { return errTooLarge }

// errSwapped is an entry listed as a folder or file and found to be a
// symbolic link when opened.
var errSwapped = errors.New("replaced by a symbolic link while the scan ran: not followed")

// read opens and reads the file of job j (see internal/readfile: never
// more than its size, a FIFO put where a file was cannot block, a procfs
// file reading as size 0 is not read). A file found in a tree is opened
// from its folder, following no link (folder.read), into the worker's
// buffer buf; a file the user named is opened by its path, a link there
// followed. A file over MaxFileSize is errTooLarge, unless it is an
// archive within the archives' MaxArchiveSize: a fat jar's members are
// small, and each is still held to MaxFileSize. The archive gets its own
// buffer, not the pooled one, so a rare large read does not keep a
// worker's buffer large.
func (w *walker) read(j job, buf *[]byte) (data []byte, isArchive bool, err error) {
	var f *os.File
	var size int64
	defer func() {
		if errors.Is(err, errTooLarge) {
			err = largeError{size}
		}
	}()
	if j.dir == nil {
		f, size, err = readfile.Open(j.path, false)
	} else {
		if w.hook != nil {
			w.hook(j.rel)
		}
		if data, f, size, err = j.dir.read(*buf, j.name, w.opts.MaxFileSize); err == nil && f == nil {
			*buf = data[:0]
			return data, false, nil
		}
	}
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	pooled := bytes.NewBuffer((*buf)[:0])
	err = readfile.ReadOpen(pooled, f, size, w.opts.MaxFileSize)
	if err == nil {
		*buf = pooled.Bytes()[:0]
		return pooled.Bytes(), false, nil
	}
	lim := w.opts.Content.Archives
	if !errors.Is(err, errTooLarge) || lim.MaxDepth <= 0 {
		return nil, false, err
	}
	// Nothing was read of a file over the limit, except of a procfs file
	// (whose size says 0): each read starts again from the start.
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, false, readfile.UnwrapPath(err)
	}
	head, err := readfile.HeadOpen(f, size, archive.HeadSize)
	if err != nil {
		return nil, false, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, false, readfile.UnwrapPath(err)
	}
	if lim.MaxArchiveSize <= w.opts.MaxFileSize || !w.opts.Content.OpensLargeAt(f, size, head) {
		// An archive (behind a stub too) over max_archive_size: the
		// warning names that limit.
		return nil, archive.Detect(head) != archive.None || archive.BehindAt(f, size) != archive.None, errTooLarge
	}
	isArchive = true
	var b bytes.Buffer
	if err := readfile.ReadOpen(&b, f, size, lim.MaxArchiveSize); err != nil {
		return nil, isArchive, err
	}
	return b.Bytes(), isArchive, nil
}
