// Package content scans one file's content whatever it holds: text, a binary
// file's printable runs, or an archive whose members are scanned in turn.
//
// It is the one call every source makes for a file or a blob (the file
// walker, the history scan, the staged scan), so that what counts as binary,
// which archives are opened and how their members are named are decided in
// one place and cannot drift apart between commands.
package content

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	goscanner "go/scanner"
	"go/token"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/archive"
	"github.com/keyscan/keyscan/scanner/archive/tables"
	"github.com/keyscan/keyscan/scanner/gitpatch"
)

// Options say what Scan looks into.
type Options struct {
	// Archives are the limits for opening archives; MaxDepth 0 leaves
	// archives closed (they are then scanned as binary files).
	Archives archive.Limits
	// SkipBinary leaves binary files (and binary archive members) unscanned,
	// but for text with a stray NUL (scanner.TextWithNUL), which is read.
	SkipBinary bool
	// Keep, when set, chooses the archive members scanned: the staged scan
	// keeps only the members a commit adds or changes.
	Keep func(name string, data []byte) bool
	// MaxFindings, when not 0, is the most findings kept of one file or
	// archive member (max_findings_per_file): the first ones, in the order
	// of the report. The others are counted (Result.Unlisted) and named in
	// a warning, never dropped silently; the matcher's memory is bounded by
	// it whatever the file holds (see scanner.Scanner.ScanAllLimited).
	MaxFindings int
	// Go, when set, reads a Go file (not an archive's member) as keyscan
	// scan's type-checked reading does (analyzer.ScanGoSource, which this
	// package cannot import): keyscan staged and pre-receive set
	// it, so that a key a Go file builds within itself (a builder's
	// writes, bytes.Join, constants folded) is found in a blob as in the
	// work tree. Its findings join the byte scan's, once per place.
	Go func(ctx context.Context, sc *scanner.Scanner, name string, data []byte) scanner.Findings
	// GoCost, when set with Go, is the work Go would do on a Go file's
	// data, in tokens of source type-checked (comments not counted, so
	// that padding costs nothing: qa31 F14): 0 when Go would find nothing
	// the byte scan does not (no candidate), and Go is not called; below 0
	// (GoTooLarge) for a candidate past the bound of one file's type
	// check, which Go is not called for either, and which is counted
	// (GoBudget.Over) and said, never passed over silently (qa29 M4).
	GoCost func(data []byte) int64
	// GoIn, when set with GoFolder, is used for Go instead: it reads the
	// file with the other Go files of its folder in the same snapshot at
	// hand (analyzer.ScanGoSourceWith), calling folder only when the file
	// adds to a name it does not declare, so that a key split over a
	// package's files is found as keyscan scan finds it (qa31 F2). An
	// error means the file was not checked with its folder: it is counted
	// as not type-checked (GoBudget.Over, or Left when the budget ran out
	// on a sibling), never passed silently.
	//
	// pkg, nil when GoPackage is, gives the packages of the file's module
	// it imports from the same snapshot (GoPackage).
	GoIn func(ctx context.Context, sc *scanner.Scanner, name string, data []byte, folder func(names []string) ([]GoFile, error), pkg func(importPath string) ([]GoFile, bool, error)) (scanner.Findings, error)
	// GoFolder returns the other Go files of name's folder in the
	// snapshot being read (staged: the index's versions), set by the
	// reader of that snapshot: those whose bytes hold one of names
	// (analyzer.ScanGoSourceWith), each charged to GoBudget once a run
	// (GoBudget.ChargeSibling).
	GoFolder func(name string, names []string) ([]GoFile, error)
	// GoPackage, set with GoFolder by the reader of the snapshot, returns
	// the non-test Go files of the package importPath as name's file
	// imports it, when the path is inside name's module (the snapshot's
	// go.mod nearest above name); ok false for any other path (the
	// standard library, a dependency). Each file is charged to GoBudget
	// once a run (ChargeSibling); one that cannot be read or is past a
	// bound is an error, and the file importing it a gap.
	GoPackage func(name, importPath string) (files []GoFile, ok bool, err error)
	// GoPeek is GoPackage without the charge, for GoTails' byte test.
	GoPeek func(name, importPath string) (files []GoFile, ok bool, err error)
	// GoTails, when set with GoPeek, is the cost of a Go file GoCost
	// passes over (0) that adds a literal to a constant of another
	// package (cfg.Head + "…"), when that package, read with pkg
	// (GoPeek, not charged), may start the key ID the literal completes
	// (as keyscan scan chooses the packages it type-checks); 0 otherwise.
	GoTails func(data []byte, pkg func(importPath string) ([]GoFile, bool, error)) int64
	// GoStarts, with GoImports, has the readers of a snapshot type-check
	// the unchanged Go files that import a changed package of their
	// module (gosnap.Snapshot.Importers): it reports whether a Go file's
	// constants may start a key ID a literal of another package completes,
	// or carry one on from a package it imports (its heads, pieces or
	// tails: what keyscan scan's choice of packages asks of an imported
	// one). GoImports gives a Go file's import paths.
	GoStarts  func(data []byte) bool
	GoImports func(data []byte) []string
	// GoBudget, when set, bounds the type-checking work of the whole run
	// (a push, a commit): a Go file whose GoCost is past what is left is
	// left to the byte scan and counted (GoBudget.Left). nil: no bound.
	GoBudget *GoBudget
}

// GoBudget is the type-checking work one run may spend on Go files
// (Options.Go), in tokens of source (Options.GoCost), and what it left
// to the byte scan.
//
// Each file's type check is bounded (a file over 1 MiB is never handed to
// go/types: MaxGoTokens), but a gate's input is a whole
// push: hundreds of files of a megabyte each, at about 0.4 CPU s a
// megabyte, held the server's hook for minutes (fix32). The measure is
// tokens, never a clock, so the same push is checked alike on any machine
// at any load; a caller that reads files in parallel charges them in an
// order of its own that does not depend on scheduling (history: smallest
// first, then by path, after the blobs are read, so that files named to
// come first cannot spend the budget before a small one that builds a
// key; staged reads in path order).
type GoBudget struct {
	limit int64 // 0: no bound; never changed
	mu    sync.Mutex
	left  int64
	skip  int
	first string
	// over counts the candidates past the bound of one file's type
	// check (GoTooLarge), the first named overFirst: they are left to
	// the byte scan whatever the budget, and do not stop later files.
	over      int
	overFirst string
}

// MaxGoTokens bounds one Go file's type check (Options.Go): go/types'
// cost grows faster than a file (qa28 H1: a pushed 14 MB table of four
// million numbers held a gate 47 CPU s and 1 GB). It counts tokens, not
// bytes (qa29 M4: a bound of 1 MiB let a file padded with a comment or
// a long string past it hide a key it builds from staged and pre-receive);
// 1 MiB of ordinary Go is 170,000 to 260,000 tokens.
const MaxGoTokens = 1 << 18

// GoTooManyTokens reports whether the Go source src holds more than
// MaxGoTokens tokens, comments not counted. The count stops there.
func GoTooManyTokens(src []byte) bool {
	if len(src) < MaxGoTokens {
		return false // a token takes a byte at least; a semicolon Go inserts, its line end (or EOF)
	}
	return GoTokens(src, MaxGoTokens) > MaxGoTokens
}

// GoTokens counts the tokens of the Go source src, comments not counted,
// up to limit+1: its callers ask whether src is past a bound (here, and
// keyscan scan's type check of a package, analyzer.CheckBound), and the
// count stops there, so that a file of millions of tokens costs no more
// than one at the bound.
func GoTokens(src []byte, limit int) int {
	fset := token.NewFileSet()
	var s goscanner.Scanner
	s.Init(fset.AddFile("", -1, len(src)), src, func(token.Position, string) {}, 0)
	for n := 0; n <= limit; n++ {
		if _, tok, _ := s.Scan(); tok == token.EOF {
			return n
		}
	}
	return limit + 1
}

// GoTooLarge is what Options.GoCost returns for a candidate Go file past
// the bound of one file's type check.
const GoTooLarge = -1

// GoUnreadable is what Options.GoCost returns for a candidate Go file
// whose declarations Go's parser cannot all read (an expression nested
// past its limit, an unterminated block, a package clause it cannot
// mend): counted and said as one too large is, whatever the budget, since
// lifting the budget does not make it readable (qa31 F13).
const GoUnreadable = -2

// Over counts files Go files, the first called name, that are candidates
// too large to type-check (GoTooLarge): left to the byte scan and said
// in the warning. Unlike Take's refusals it turns no later file down.
func (b *GoBudget) Over(name string, files int) {
	if b == nil || files <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.over == 0 {
		b.overFirst = name
	}
	b.over += files
}

// NewGoBudget returns a budget of limit bytes of Go source; 0 means no
// bound.
func NewGoBudget(limit int64) *GoBudget {
	return &GoBudget{left: max(limit, 0), limit: max(limit, 0)}
}

// Bounded reports whether b bounds anything: not nil, nor made with no
// limit.
func (b *GoBudget) Bounded() bool { return b != nil && b.limit > 0 }

// Take charges cost to the budget for files Go files, the first called
// name, and reports whether they may be type-checked; past the budget
// they are counted instead, and so is whatever comes after them: once
// Take turns files down it turns down every later one, so the files
// type-checked are the first ones in the caller's order.
func (b *GoBudget) Take(name string, cost int64, files int) bool {
	if !b.Bounded() {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.skip == 0 && cost <= b.left {
		b.left -= cost
		return true
	}
	if b.skip == 0 {
		b.first = name
	}
	b.skip += files
	return false
}

// Left returns how many Go files were left to the byte scan for the
// budget, and the first of them.
func (b *GoBudget) Left() (int, string) {
	if b == nil {
		return 0, ""
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.skip, b.first
}

// OverLeft returns how many candidate Go files were left to the byte scan
// for their size (Over), and the first of them.
func (b *GoBudget) OverLeft() (int, string) {
	if b == nil {
		return 0, ""
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.over, b.overFirst
}

// Warning says that n Go files, the first named first, were left to the
// byte scan for the budget: the warning staged and pre-receive print.
func (b *GoBudget) Warning() string {
	if b == nil {
		return ""
	}
	b.mu.Lock()
	n, first, over, overFirst := b.skip, b.first, b.over, b.overFirst
	b.mu.Unlock()
	var parts []string
	if over > 0 {
		parts = append(parts, fmt.Sprintf("%d Go %s left to the byte scan, not type-checked (the first %s): too large for one file's "+
			"type check (over %d tokens), with types too costly to check, or with declarations Go's parser cannot read; a key such a file builds within itself (a builder's writes, constants folded) is not found "+
			"there: run go vet -vettool=keyscan or keyscan scan on %s", over, plural(over, "file", "files"), overFirst, MaxGoTokens,
			plural(over, "it", "them")))
	}
	if n > 0 {
		parts = append(parts, b.budgetWarning(n, first))
	}
	return strings.Join(parts, "; ")
}

// budgetWarning says that n Go files, from first on, were left to the byte
// scan for the budget.
func (b *GoBudget) budgetWarning(n int, first string) string {
	return fmt.Sprintf("%d Go %s left to the byte scan, not type-checked (from %s on, in the order charged: "+
		"a push's smallest first, a commit's by path): the type-check budget (%d tokens of Go source, scaled by check_budget) was spent; a key such a file builds within itself (a builder's writes, "+
		"constants folded) is not found there: run go vet -vettool=keyscan or keyscan scan on them, or raise check_budget (0: no limit)",
		n, plural(n, "file", "files"), first, b.limit)
}

// DefaultOptions open archives with the default limits and scan binaries;
// the archives of every file scanned with them share one run's budget
// (archive.Budget).
func DefaultOptions() Options {
	lim := archive.DefaultLimits()
	lim.Run = archive.NewBudget(archive.RunBudget)
	return Options{Archives: lim}
}

// OpensLarge reports whether a file or blob of size bytes, over the caller's
// size limit (max_file_size), is read all the same: an archive, known by
// head (its first archive.HeadSize bytes, or more, or all of it), of at
// most Archives.MaxArchiveSize bytes, when archives are opened. A fat jar or
// a Lambda zip is routinely larger than any text file while each member is
// small, and each member is still held to the member limit. scan, history,
// staged and pre-receive all ask this, so that one archive is read or
// skipped alike by every command. An archive behind a stub (an executable
// jar's launch script, a self-extractor) is known from head only when head
// is the whole content, or by OpensLargeAt.
func (o Options) OpensLarge(size int64, head []byte) bool {
	return o.Archives.MaxDepth > 0 && size <= o.Archives.MaxArchiveSize &&
		(archive.Detect(head) != archive.None || archive.Behind(head) != archive.None)
}

// TooLargeByName reports whether content that is not at hand, known by
// its size and name only (a Git LFS file whose content the repository does
// not hold: its pointer states the size), is over maxFileSize (0: no
// limit) and not an archive OpensLarge would read all the same, an
// archive's name standing for its head. The staged scan and the history
// walk (the hooks and the gate) judge such a file alike, as the hooks,
// which hold the content, judge it (qa15 MEDIUM-3).
func (o Options) TooLargeByName(size, maxFileSize int64, name string) bool {
	return maxFileSize > 0 && size > maxFileSize &&
		!(o.Archives.MaxDepth > 0 && size <= o.Archives.MaxArchiveSize && ArchiveName(name))
}

// OpensLargeAt is OpensLarge for a file that can be read at any offset: an
// archive behind a stub is looked for too (archive.BehindAt reads the
// file's first bytes and its tail, where a zip's end record is), so that a
// Spring Boot executable jar over max_file_size is opened as a plain one
// is.
func (o Options) OpensLargeAt(r io.ReaderAt, size int64, head []byte) bool {
	return o.Archives.MaxDepth > 0 && size <= o.Archives.MaxArchiveSize &&
		(archive.Detect(head) != archive.None || archive.BehindAt(r, size) != archive.None)
}

// TooLarge says why a file or blob of size bytes over a size limit was
// not scanned, and how to have it read: an archive over max_file_size is
// opened up to archives.max_archive_size (OpensLarge), so that is the one
// to raise; anything else is read up to max_file_size. Every command gives
// the same advice through it, and the hooks, which fail on such a file as
// the server's gate does (qa13 MEDIUM-13), find its warnings by
// IsTooLarge.
func (o Options) TooLarge(size int64, isArchive bool, maxFileSize int64) string {
	what, setting, limit := "larger than", "max_file_size", maxFileSize
	if isArchive && o.Archives.MaxDepth > 0 {
		what, setting, limit = "an archive larger than", "archives.max_archive_size", o.Archives.MaxArchiveSize
	}
	return fmt.Sprintf("%d bytes, %s %s (%d bytes)%s raise %s in the configuration to scan it, or exclude the path there",
		size, what, setting, limit, tooLargeMark, setting)
}

// tooLargeMark joins TooLarge's reason to its advice.
const tooLargeMark = ": not scanned;"

// IsTooLarge reports whether a warning is TooLarge's.
func IsTooLarge(warning string) bool { return strings.Contains(warning, tooLargeMark) }

// ArchiveName reports whether a file's name is that of an archive format
// keyscan opens, for a file too large to have its head read.
func ArchiveName(name string) bool {
	n := strings.ToLower(name)
	for _, ext := range []string{".zip", ".jar", ".war", ".ear", ".aar", ".apk", ".whl", ".nupkg", ".tar", ".tgz", ".tar.gz", ".gz", ".tbz2", ".bz2", ".xz", ".txz", ".7z", ".deb", ".lzma", ".lz", ".tlz", ".z", ".taz", ".br", ".pack", ".bundle", ".squashfs", ".sqfs", ".snap", ".cpio", ".asar"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}

// WithGo adds to the byte findings fs of the text file name (not an
// archive's member) what o.Go finds in it when it is a Go file, but those
// at a place (line, column and rule) fs has already: the two readings
// report a join of literals alike, at its first quote. The staged scan,
// which reads a text file's lines itself, calls it as Scan does.
func (o Options) WithGo(ctx context.Context, sc *scanner.Scanner, name string, data []byte, fs scanner.Findings) scanner.Findings {
	if o.Go == nil || !strings.HasSuffix(name, ".go") {
		return fs
	}
	if o.GoCost != nil {
		cost := o.Cost(name, data)
		if cost == GoUnreadable || cost < 0 && o.GoBudget.Bounded() {
			o.GoBudget.Over(name, 1)
			return fs
		}
		if cost < 0 {
			cost = int64(len(data)) // no bound asked (check_budget = 0): type-checked whatever its size
		}
		if cost == 0 || !o.GoBudget.Take(name, cost, 1) {
			return fs
		}
	}
	var gs scanner.Findings
	if o.GoIn != nil && o.GoFolder != nil {
		var err error
		gs, err = o.GoIn(ctx, sc, name, data, func(names []string) ([]GoFile, error) { return o.GoFolder(name, names) }, o.pkgOf(name))
		if err != nil && !errors.Is(err, ErrGoBudget) {
			o.GoBudget.Over(name, 1)
		}
	} else {
		gs = o.Go(ctx, sc, name, data)
	}
	for _, g := range gs {
		if !slices.ContainsFunc(fs, func(f scanner.Finding) bool {
			return f.Line == g.Line && f.Column == g.Column && f.Rule == g.Rule
		}) {
			fs = append(fs, g)
		}
	}
	if len(gs) > 0 {
		fs = fs.WithoutNested() // sorted too: a literal join inside a folded call is one key at one place (qa29 L1)
	}
	return fs
}

// Cost is what the type check of the Go file name costs (GoCost), or, for
// a file GoCost passes over, what it costs for the constant of another
// package of its module it completes (GoTails); 0 for neither.
func (o Options) Cost(name string, data []byte) int64 {
	cost := o.GoCost(data)
	if cost == 0 && o.GoTails != nil && o.GoPeek != nil && o.GoPackage != nil && o.GoIn != nil && o.GoFolder != nil {
		cost = o.GoTails(data, func(p string) ([]GoFile, bool, error) { return o.GoPeek(name, p) })
	}
	return cost
}

// pkgOf is GoPackage for the file name; nil when there is none.
func (o Options) pkgOf(name string) func(string) ([]GoFile, bool, error) {
	if o.GoPackage == nil {
		return nil
	}
	return func(p string) ([]GoFile, bool, error) { return o.GoPackage(name, p) }
}

// Unlisted says that n candidate values past the limit of max findings
// per file were left out of the report, counted without their context check: the warning every command prints for a file
// that had more.
func Unlisted(n, max int) string {
	return fmt.Sprintf("more than %d findings (max_findings_per_file): the first %d are reported, %d more candidate values past the limit are not checked or listed; "+
		"treat every key in the file as exposed, or raise max_findings_per_file (0: no limit) to list them", max, max, n)
}

// Undecoded says that n encoded runs of a file were not decoded, or not
// whole, for the decode budget or because they were cut short: the warning
// every command prints for it.
func Undecoded(n int) string {
	return fmt.Sprintf("%d encoded %s (base64, hex or gzip in base64) not decoded whole: the file's decode budget "+
		"(four times its size and 1 MiB) was spent, a gzip stream expands more than 100 times (a bomb?), or a run ends "+
		"before what it encodes does (cut short or damaged): "+
		"what they hold is not scanned", n, plural(n, "run", "runs"))
}

// Unchecked says that a file was not checked whole for its check budget,
// at least n anchors and candidates past it left unchecked (the matcher
// stops reading soon after the budget is spent, so the count is of those
// it met): the warning every command prints for it.
func Unchecked(n int) string {
	return fmt.Sprintf("not checked whole: the file's check budget (check_budget) was spent, and at least %d %s past that point %s not checked; "+
		"a file this dense in keys, keywords or near misses is generated or hostile: treat it as holding keys, "+
		"or raise check_budget (0: no limit) to check it whole", n, plural(n, "keyword, key ID or value", "keywords, key IDs or values"), plural(n, "was", "were"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Result is what Scan found in one file.
type Result struct {
	// Findings include the test keys (Finding.TestKey set): the callers
	// carry them along and separate them with Findings.Split at the end.
	Findings scanner.Findings
	// Warnings are the archive members or limits that kept part of the
	// content from being read.
	Warnings []archive.Warning
	// Binary counts the binary files scanned (the file itself, or members);
	// SkippedBinary those left out by SkipBinary.
	Binary, SkippedBinary int
	// Text counts the text files scanned (the file itself, or members).
	Text int
	// Archive holds what opening archives did; zero when data is not one.
	Archive archive.Stats
	// Unlisted counts the candidate values past Options.MaxFindings, in the
	// file or its members; Warnings name each file that had them.
	Unlisted int
	// Undecoded counts the encoded runs of the file or its members not
	// decoded whole (scanner.Counts.Undecoded); Warnings name each file.
	Undecoded int
	// Unchecked counts the files (the file itself, members) not checked
	// whole for their check budget (scanner.Counts.Unchecked); Warnings
	// name each.
	Unchecked int
}

// add adds what the scan of a member read apart (an archive decoded from
// an encoded run) found and counted.
func (r *Result) add(o Result) {
	r.Findings = append(r.Findings, o.Findings...)
	r.Warnings = append(r.Warnings, o.Warnings...)
	r.Binary += o.Binary
	r.SkippedBinary += o.SkippedBinary
	r.Text += o.Text
	r.Unlisted += o.Unlisted
	r.Undecoded += o.Undecoded
	r.Unchecked += o.Unchecked
	r.Archive.Archives += o.Archive.Archives
	r.Archive.Members += o.Archive.Members
	r.Archive.Bytes += o.Archive.Bytes
	r.Archive.Unscanned += o.Archive.Unscanned
	r.Archive.TooLarge += o.Archive.TooLarge
}

// Scan scans data, the content of the file called name.
func Scan(ctx context.Context, sc *scanner.Scanner, name string, data []byte, opts Options) Result {
	// The state the steps below share is one value on the heap: as
	// closures, which an archive's callback keeps, each step and the
	// result were allocated apart for every blob and message a history
	// scan reads (six allocations, and a copy of opts in each closure).
	st := &scanState{ctx: ctx, sc: sc, opts: opts}
	// The archives a file's encoded runs decode to (base64, string
	// escapes, byte lists) together inflate to no more than an archive of
	// the file's size may: max_bytes, and past a quarter of it max_ratio
	// times the file's size (qa13 MEDIUM-12: a 25 MB Go file of 256 gzip
	// literals of zeros, each within the limits alone, inflated to 6 GB).
	st.embeds = embedBudget(opts.Archives, len(data))
	if opts.Archives.MaxDepth > 0 && archive.DetectName(name, data) != archive.None {
		// An archive's own bytes can hold a key outside every member: a zip
		// comment, bytes appended after the archive, a tar header. They are
		// scanned as a binary file's text runs, as they would be with
		// archives closed. A key that a member also holds (a stored,
		// uncompressed member shows in the raw bytes too) is reported once,
		// in the member, where its line and advice are right.
		var raw scanner.Findings
		if !opts.SkipBinary {
			var unlisted scanner.Counts
			raw, unlisted = sc.ScanBinaryAllCounted(name, data, opts.MaxFindings)
			st.noteUnlisted(name, unlisted)
		}
		covered := make([]bool, len(raw))
		pathSeen := map[string]bool{}
		// What the members' own scans count (archives in their encoded
		// runs, binary patch hunks not read) is added to st.r.Archive as they
		// run, and the walk's own counts after it: not assigned over them.
		warnings, stats := archive.Walk(ctx, name, data, opts.Archives, func(m archive.Member) {
			if m.Raw {
				// A nested level's own bytes, read as the outermost's are.
				if !opts.SkipBinary && (opts.Keep == nil || opts.Keep(m.Name, m.Data)) {
					fs, n := sc.ScanBinaryAllCounted(m.Name, m.Data, opts.MaxFindings)
					st.noteUnlisted(m.Name, n)
					for i := range fs {
						fs[i].Offset += int(m.Offset)
						fs[i].EndOffset += int(m.Offset)
					}
					raw = append(raw, fs...)
					covered = append(covered, make([]bool, len(fs))...)
				}
				return
			}
			for i, f := range raw {
				if !covered[i] && f.Secret != "" && (bytes.Contains(m.Data, []byte(f.Secret)) || strings.Contains(m.Name, f.Secret)) {
					covered[i] = true
				}
			}
			if opts.Keep == nil || opts.Keep(m.Name, m.Data) {
				// The member's path is scanned too, as a file's name is
				// (a member named after a key ID), whether or not its data
				// could be read (m.Unread: encrypted, an unknown method);
				// a key it shares with the archive's own bytes is
				// reported here, once. Archives list files, not folders:
				// a folder's name is reported at its first file only.
				for _, f := range sc.ScanPath(m.Name, strings.LastIndexByte(m.Name, '!')+1) {
					if at := m.Name[:f.EndOffset]; !pathSeen[at] {
						pathSeen[at] = true
						st.r.Findings = append(st.r.Findings, f)
					}
				}
				switch {
				case m.Rebuilt:
					n := len(st.r.Findings)
					st.leaf(m.Name, m.Data, true)
					st.r.Findings = append(st.r.Findings[:n], notFoundIn(st.r.Findings[:n], st.r.Findings[n:])...)
				case !m.Unread:
					st.leaf(m.Name, m.Data, true)
				}
			}
		})
		st.r.Warnings = append(warnings, st.r.Warnings...)
		st.r.Archive.Archives += stats.Archives
		st.r.Archive.Members += stats.Members
		st.r.Archive.Bytes += stats.Bytes
		st.r.Archive.Unscanned += stats.Unscanned
		st.r.Archive.TooLarge += stats.TooLarge
		for i, f := range raw {
			if !covered[i] {
				st.r.Findings = append(st.r.Findings, f)
			}
		}
		st.r.Warnings = append(append(st.r.Warnings, st.unlistedIn...), st.embedded...)
		return st.r
	}
	if opts.Archives.MaxDepth <= 0 && !opts.SkipBinary && archive.DetectName(name, data) != archive.None {
		// --max-archive-depth 0: the archive is read as a binary file, its
		// members are not. Said and counted as a nested archive past the
		// depth is, never silent (--strict and pre-receive fail on it).
		msg := "archive not opened (--max-archive-depth 0): its members are not scanned, only its own bytes"
		if n := opts.Archives.Outer; n > 0 {
			msg = fmt.Sprintf("archive not opened: nested %d deep, the limit of --max-archive-depth (an encoded run or a patch's hunk counting as a level): its members are not scanned, only its own bytes", n)
		}
		st.r.Warnings = append(st.r.Warnings, archive.Warning{Path: name, Message: msg})
		st.r.Archive.Unscanned++
	}
	st.leaf(name, data, false)
	if tables.Flat(name, data) {
		// A flat office document's tables, as an archive's (see
		// archive.Member.Rebuilt): each row a line, read as a TSV's.
		var b tables.Book
		b.Add(name, tables.Tables, data)
		limit := min(opts.Archives.MaxMemberSize, max(1<<20, 4*int64(len(data))))
		if limit <= 0 {
			limit = max(1<<20, 4*int64(len(data)))
		}
		ts, whole := b.Rows(int(limit))
		for _, t := range ts {
			n := len(st.r.Findings)
			st.leaf(name+" rows", t.Text, true)
			st.r.Findings = append(st.r.Findings[:n], notFoundIn(st.r.Findings[:n], st.r.Findings[n:])...)
		}
		if !whole {
			st.r.Warnings = append(st.r.Warnings, archive.Warning{Path: name, Message: fmt.Sprintf("the rows of its tables, rebuilt to read each column under its header, come to more than %d bytes: the rows after are not read so", limit)})
			st.r.Archive.Unscanned++
		}
	}
	st.r.Warnings = append(append(st.r.Warnings, st.unlistedIn...), st.embedded...)
	return st.r
}

// scanState is one Scan's: what its steps (noteUnlisted, carried, leaf)
// share.
type scanState struct {
	ctx  context.Context
	sc   *scanner.Scanner
	opts Options
	r    Result
	// unlistedIn are the files past MaxFindings or the decode budget,
	// embedded the archives in encoded runs not opened: warnings after
	// the archive's own.
	unlistedIn, embedded []archive.Warning
	embeds               EmbedBudget
}

// noteUnlisted counts and warns about what the scan of name left out (c).
func (st *scanState) noteUnlisted(name string, c scanner.Counts) {
	if n := c.Unlisted; n > 0 {
		st.r.Unlisted += n
		st.unlistedIn = append(st.unlistedIn, archive.Warning{Path: name, Message: Unlisted(n, st.opts.MaxFindings)})
	}
	if n := c.Undecoded; n > 0 {
		st.r.Undecoded += n
		st.unlistedIn = append(st.unlistedIn, archive.Warning{Path: name, Message: Undecoded(n)})
	}
	if n := c.Unchecked; n > 0 {
		st.r.Unchecked++
		st.unlistedIn = append(st.unlistedIn, archive.Warning{Path: name, Message: Unchecked(n)})
	}
	if c.Unread != "" {
		// An executable cut short or malformed, read for its printable
		// runs only: a part not scanned whole, as an archive's member
		// that could not be read is.
		st.r.Archive.Unscanned++
		st.unlistedIn = append(st.unlistedIn, archive.Warning{Path: name, Message: c.Unread})
	}
}

// carried opens the files a text file carries in an encoding of its
// own: the hunks of a git binary patch (scanner/gitpatch), named by
// the path git writes each to (x.patch!b/creds.bin), one archive
// level down. A hunk that does not decode is a part not scanned.
func (st *scanState) carried(name string, data []byte) {
	lim := withDefaults(st.opts.Archives)
	limit, maxBytes, ratio, maxMembers := lim.MaxMemberSize, lim.MaxBytes, lim.MaxRatio, lim.MaxMembers
	// The hunks of a patch together are held to an archive's limits
	// (qa13 HIGH-5): members, bytes, and past a quarter of the bytes
	// the ratio to the patch's size; a hunk past them is not inflated
	// and is a part not scanned.
	allowed := EmbeddedBytes(lim, len(data))
	var taken int64
	hunks := 0
	take := func(size int64) bool {
		hunks++
		if st.opts.Archives.MaxDepth <= 0 || hunks > maxMembers || taken+size > allowed {
			return false
		}
		taken += size
		return true
	}
	// Each hunk not read is counted; the first maxHunkWarnings are
	// named, the rest said in one line: a patch of a million empty
	// hunks must not hold a million warnings (qa13 HIGH-5 (b)).
	warned, unsaid := 0, 0
	notRead := func(path, msg string) {
		st.r.Archive.Unscanned++
		if warned < maxHunkWarnings {
			warned++
			st.embedded = append(st.embedded, archive.Warning{Path: path, Message: msg})
			return
		}
		unsaid++
	}
	defer func() {
		if unsaid > 0 {
			st.embedded = append(st.embedded, archive.Warning{Path: name,
				Message: fmt.Sprintf("%d more binary patch hunks not read (limits, or not decodable): the files they write are not scanned", unsaid)})
		}
	}()
	for h := range gitpatch.All(data, limit, take) {
		sub := h.Path
		if sub == "" {
			sum := sha256.Sum256(data[h.Offset:min(len(data), h.Offset+256)])
			sub = fmt.Sprintf("git binary patch %x", sum[:4])
		}
		if h.Delta {
			sub += " (delta)"
		}
		sub = name + "!" + sub
		switch {
		case errors.Is(h.Err, gitpatch.ErrNotTaken) && st.opts.Archives.MaxDepth <= 0:
			notRead(sub, "binary patch hunk not opened (--max-archive-depth 0): the file it writes is not scanned")
		case errors.Is(h.Err, gitpatch.ErrNotTaken):
			notRead(sub, fmt.Sprintf("binary patch hunk not read: the patch's hunks together are past the archive limits (max_bytes %d, max_ratio %d, max_members %d): the file it writes is not scanned", maxBytes, ratio, maxMembers))
		case h.Err != nil:
			notRead(sub, "binary patch hunk not read: "+h.Err.Error())
		default:
			o := st.opts
			o.Archives.MaxDepth--
			o.Archives.Outer++
			st.r.Archive.Members++
			st.r.add(Scan(st.ctx, st.sc, sub, h.Data, o))
		}
	}
}

// leaf scans one file or member. A member's keyscan:allow comments
// allow nothing: no review of the archive's diff shows them (qa12
// MEDIUM-10; scanner.Scanner.ScanMemberCounted).
func (st *scanState) leaf(name string, data []byte, member bool) {
	var (
		fs       scanner.Findings
		unlisted scanner.Counts
	)
	binary := scanner.IsBinary(data)
	switch {
	case !binary && member:
		st.r.Text++
		fs, unlisted = st.sc.ScanMemberCounted(name, data, st.opts.MaxFindings)
	case !binary:
		st.r.Text++
		fs, unlisted = st.sc.ScanAllCounted(name, data, st.opts.MaxFindings)
		fs = st.opts.WithGo(st.ctx, st.sc, name, data, fs)
	case st.opts.SkipBinary && !scanner.TextWithNUL(data):
		// A text file with a stray NUL (a comment of a credentials
		// file) is read as binary files are read when they are on:
		// skipping it would hide its keys (qa12 MEDIUM-21).
		st.r.SkippedBinary++
		return
	default:
		st.r.Binary++
		fs, unlisted = st.sc.ScanBinaryAllCounted(name, data, st.opts.MaxFindings)
	}
	st.noteUnlisted(name, unlisted)
	if st.r.Findings == nil {
		st.r.Findings = fs // the one file, or the first member: not copied
	} else {
		st.r.Findings = append(st.r.Findings, fs...)
	}
	// Archives that encoded runs decode to (a tar.gz in base64 in an
	// install script, a zip in a Kubernetes Secret's data) are
	// members of the file, one archive level down, named by the
	// encoding and the first bytes of their SHA-256:
	// app.yml!base64 9f1c03ab!.aws/credentials.
	if !binary && unlisted.GitPatch {
		st.carried(name, data)
	}
	for _, e := range unlisted.Embedded {
		// Named by what it holds, not by where it stands: a line
		// added above it must not make its findings new ones to a
		// baseline (qa11 LOW-11).
		sub := EmbeddedName(name, e.Encoding, e.Data)
		if e.Patch {
			// A patch in base64 (qa13 MEDIUM-1): its text was
			// scanned with the file's; the files its hunks carry
			// are read as a patch's are, named under the run.
			st.carried(sub, e.Data)
			continue
		}
		if st.opts.Archives.MaxDepth <= 1 {
			st.r.Archive.Unscanned++
			st.embedded = append(st.embedded, archive.Warning{Path: sub,
				Message: "archive in an encoded run not opened (--max-archive-depth): its members are not scanned"})
			continue
		}
		left, ok := st.embeds.Left()
		if !ok {
			st.r.Archive.Unscanned++
			st.embedded = append(st.embedded, archive.Warning{Path: sub,
				Message: fmt.Sprintf("archive in an encoded run not opened: the archives of this file's encoded runs together inflated to the limit (%d bytes: max_bytes, or max_ratio times the file's size): its members are not scanned", st.embeds.Allowed())})
			continue
		}
		o := st.opts
		o.Archives.MaxDepth--
		o.Archives.Outer++
		o.Archives.MaxBytes = left
		er := Scan(st.ctx, st.sc, sub, e.Data, o)
		st.embeds.Spend(max(er.Archive.Bytes, int64(len(e.Data))))
		st.r.add(er)
	}
}

// notFoundIn returns the findings of fs whose value none of before has:
// a spreadsheet's rows rebuilt from its parts (archive.Member.Rebuilt) name
// a value its shared strings also hold, which is reported once, where the
// part has it.
func notFoundIn(before, fs scanner.Findings) scanner.Findings {
	if len(fs) == 0 {
		return nil
	}
	seen := map[string]bool{}
	for _, f := range before {
		seen[f.Secret] = true
	}
	var out scanner.Findings
	for _, f := range fs {
		if !seen[f.Secret] {
			out = append(out, f)
		}
	}
	return out
}

// maxHunkWarnings is how many hunks not read one patch names in warnings;
// the rest are counted in one more.
const maxHunkWarnings = 100

// EmbeddedBytes is how many bytes the archives that a file of size bytes
// holds in encoded runs (or the hunks of a binary patch) may inflate to
// together, under the limits lim: as much as one archive of the file's
// size may (see Scan). go vet's analyzer holds a file's to it too.
func EmbeddedBytes(lim archive.Limits, size int) int64 {
	lim = withDefaults(lim)
	return min(lim.MaxBytes, max(lim.MaxBytes/4, lim.MaxRatio*int64(size)))
}

// EmbedBudget is what the archives of one file's encoded runs may still
// inflate to together (EmbeddedBytes), shared by keyscan scan (Scan) and
// go vet's analyzer, so that both stop at the same point.
type EmbedBudget struct{ allowed, left int64 }

// NewEmbedBudget is the budget of a file of size bytes under lim.
func NewEmbedBudget(lim archive.Limits, size int) *EmbedBudget {
	b := embedBudget(lim, size)
	return &b
}

// embedBudget is NewEmbedBudget's budget as a value, which Scan keeps in
// its state rather than as one allocation more per call.
func embedBudget(lim archive.Limits, size int) EmbedBudget {
	n := EmbeddedBytes(lim, size)
	return EmbedBudget{allowed: n, left: n}
}

// Left is how many bytes the next archive may inflate to; ok is false once
// the budget is spent. Each archive may take a quarter of what is left
// before its ratio applies (archive.Limits), so the budget counts as spent
// once a sixteenth is left, a dozen bombs in.
func (b *EmbedBudget) Left() (n int64, ok bool) { return b.left, b.left > b.allowed/16 }

// Spend takes n bytes an archive inflated to from the budget.
func (b *EmbedBudget) Spend(n int64) { b.left -= n }

// Allowed is the whole budget, in bytes.
func (b *EmbedBudget) Allowed() int64 { return b.allowed }

// withDefaults is lim with archive's default for each limit not set (0):
// what a patch's hunks and a file's encoded runs are held to together.
func withDefaults(lim archive.Limits) archive.Limits {
	d := archive.DefaultLimits()
	if lim.MaxMemberSize <= 0 {
		lim.MaxMemberSize = d.MaxMemberSize
	}
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = d.MaxBytes
	}
	if lim.MaxRatio <= 0 {
		lim.MaxRatio = d.MaxRatio
	}
	if lim.MaxMembers <= 0 {
		lim.MaxMembers = d.MaxMembers
	}
	return lim
}

// EmbeddedName names the archive data that an encoded run of the file name
// decodes to, as a member of the file: by its encoding and the first bytes
// of its SHA-256 (app.yml!base64 9f1c03ab), which lines added around it do
// not change. go vet's analyzer names the archives it finds in Go constants
// so too.
func EmbeddedName(name, encoding string, data []byte) string {
	sum := sha256.Sum256(data)
	return fmt.Sprintf("%s!%s %x", name, encoding, sum[:4])
}

// GoFile is a Go file of a snapshot (Options.GoFolder): its name as
// findings name it, and its bytes.
type GoFile struct {
	Name string
	Src  []byte
}

// ErrGoBudget is GoFolder's error when the run's budget has no room for
// a sibling: GoBudget.Take has counted the candidate as left to the byte
// scan.
var ErrGoBudget = errors.New("type-check budget spent")

// ChargeImported charges a file of a package the candidate name imports
// (GoPackage) to b, its tokens counted up to four times MaxGoTokens:
// unlike a sibling it is not bounded alone, since only its constants and
// types are type-checked, and the package's files together are bounded
// by the type check that reads them (analyzer.MaxCheckTokens), as keyscan
// scan bounds an imported folder.
func (b *GoBudget) ChargeImported(name string, f GoFile) error {
	n := GoTokens(f.Src, 4*MaxGoTokens)
	if !b.Take(name, int64(max(n, 1)), 1) {
		return ErrGoBudget
	}
	return nil
}

// ChargeSibling charges a sibling of the candidate name (GoFolder) to b
// as a candidate is charged (its tokens, comments not counted) and bounds
// it as one is (MaxGoTokens): a sibling past either bound makes the
// candidate a gap. The reader of the snapshot calls it once a blob per
// run, however many candidates of its folder ask.
func (b *GoBudget) ChargeSibling(name string, sib GoFile) error {
	n := GoTokens(sib.Src, MaxGoTokens)
	if n > MaxGoTokens && b.Bounded() {
		return fmt.Errorf("%s: past the bound of one file's type check", sib.Name)
	}
	if !b.Take(name, int64(max(n, 1)), 1) {
		return ErrGoBudget
	}
	return nil
}
