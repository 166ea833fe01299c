package receive

import (
	"context"
	"errors"
	"fmt"
	"github.com/keyscan/keyscan/scanner/content"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/baseline"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/history"
)

// Options tune Check. The zero value checks with no exceptions.
type Options struct {
	// ObjectDirs are the object directories besides the repository's own:
	// during a pre-receive hook, the quarantine git names in
	// GIT_OBJECT_DIRECTORY, GIT_QUARANTINE_PATH and
	// GIT_ALTERNATE_OBJECT_DIRECTORIES.
	ObjectDirs []string
	// Quarantine is the objects folder of the pushed objects alone
	// (GIT_QUARANTINE_PATH): every object in it is new, so its blobs that
	// no new tip reaches are scanned too (history.Options.NewObjects).
	Quarantine string
	// ShallowPush is set when the push is shallow (git names the push's
	// shallow boundary in GIT_SHALLOW_FILE, a server with
	// receive.shallowUpdate): a commit it builds on that cannot be read is
	// then most likely a parent the pusher's shallow clone lacks too, not
	// damage on the server, and the error says so (ErrShallowPush).
	ShallowPush bool
	// Exclude leaves out blob paths (the server configuration's globs).
	Exclude func(path string) bool
	// MaxBlobSize is the largest blob scanned; zero means no limit.
	MaxBlobSize int64
	// Workers is the number of blobs read at once; zero means one per CPU.
	Workers int
	// Baseline holds findings the server's administrator accepted.
	Baseline *baseline.Baseline
	// AllowFingerprints are the fingerprints the pusher asked to let through
	// (push options); Check honours them only with AllowPushOptions.
	AllowFingerprints []string
	AllowPushOptions  bool
	// RefuseAllowComments refuses the values that only a keyscan:allow
	// comment lets through, like any other; without it they are
	// exceptions (ByAllowComment). The scanner must be made with
	// scanner.Options.ReportAllowed for Check to see them at all.
	RefuseAllowComments bool
	// Progress, when set, is called during the scan (see history.Options).
	Progress func(history.Progress)
	// Content says what is looked into besides text (archives, binary
	// blobs), as for history; its zero value leaves archives closed.
	Content content.Options
	// Strict refuses, as content the gate does not read, a Git LFS
	// pointer whose content is not in the repository's lfs/objects (pushed
	// to an LFS server elsewhere, or not pushed at all), and Go files left
	// to the byte scan for the push's type-check budget
	// (content.Options.GoBudget). Without it each is a warning.
	Strict bool
}

// How an exception was granted.
const (
	ByBaseline     = "baseline"
	ByPushOption   = "push-option"
	ByAllowComment = "allow-comment"
)

// Exception is a finding the gate let through, and why.
type Exception struct {
	Finding scanner.Finding
	By      string // ByBaseline, ByPushOption or ByAllowComment
	// Reason is the comment's reason, for ByAllowComment.
	Reason string
}

// Result is the gate's decision on one push.
type Result struct {
	Updates []Update
	// Refused are the credentials the push adds and no exception covers:
	// the push is refused when there is one.
	Refused scanner.Findings
	// Excepted are the credentials the push adds that an exception let through.
	Excepted []Exception
	// UnusedAllows are fingerprints asked for in push options that match
	// nothing the push adds (or that were not honoured).
	UnusedAllows []string
	Warnings     []history.Warning
	Stats        history.Stats

	// redactedRefs maps each created ref whose name holds a credential to
	// the name with the values redacted, as the audit log records it.
	redactedRefs map[string]string
}

// LoggedRef is ref as the audit log and messages may show it: with the
// values redacted when its name holds a credential.
func (r Result) LoggedRef(ref string) string {
	if s, ok := r.redactedRefs[ref]; ok {
		return s
	}
	return ref
}

// ErrIncomplete is wrapped by Check's error when part of what the push adds
// could not be read: the push cannot be known to be clean.
var ErrIncomplete = errors.New("part of the push could not be read")

// ErrPushContent is wrapped (with ErrIncomplete) when what was left unread
// is the push's own content: a blob over max_file_size, an archive part over
// a limit, encrypted or corrupt. The pusher can act on that; the server is
// not at fault.
var ErrPushContent = errors.New("the push holds content that was not read")

// ErrShallowPush is wrapped (with ErrIncomplete) when a shallow push
// (Options.ShallowPush) builds on objects the server cannot read: the
// parents of its oldest commits, which the pusher's shallow clone lacks
// too. The pusher can act on that (git fetch --unshallow, push again).
var ErrShallowPush = errors.New("a shallow push builds on commits the server lacks")

// ErrTreeTooDeep is wrapped (with ErrPushContent) when what was left
// unread is only trees of the push more than gitobj.MaxTreeDepth folders
// deep (history.Stats.TooDeep), which git refuses to check out too.
var ErrTreeTooDeep = errors.New("the push holds trees too deep to walk")

// Check finds the AWS credentials that the updates add to the repository at
// repo (the bare repository git runs the hook in): every blob, commit
// message and annotated tag message reachable from the new tips and not from
// a ref the repository already has, and the names of the refs the updates
// create. An error means the push could not be checked. A value a path
// holds is redacted in the paths of the result's findings (pathsHidden):
// what the gate prints and logs never holds a secret.
func Check(ctx context.Context, repo string, updates []Update, sc *scanner.Scanner, opts Options) (Result, error) {
	res, err := check(ctx, repo, updates, sc, opts)
	return res.pathsHidden(sc), err
}

func check(ctx context.Context, repo string, updates []Update, sc *scanner.Scanner, opts Options) (Result, error) {
	res := Result{Updates: updates}
	refFindings, redacted := scanRefNames(sc, updates)
	res.redactedRefs = redacted
	var tips []string
	for _, u := range updates {
		if !u.Deletes() && !slices.Contains(tips, u.New) {
			tips = append(tips, u.New)
		}
	}
	if len(tips) == 0 {
		return res, nil // deletions only: nothing added
	}
	// A credential in a ref name refuses the push whatever the objects
	// hold, also when they cannot be read: it is in Refused before the
	// scan, and the scan adds to it.
	res.Refused, res.Excepted, res.UnusedAllows = except(refFindings, opts)
	var nots []string
	for _, u := range updates {
		if !u.Creates() {
			nots = append(nots, u.Old)
		}
	}
	hres, err := history.Scan(ctx, repo, sc, history.Options{
		Refs: tips,
		// The tips stand for HEAD, which the push has not moved yet: a
		// value the push leaves at a path no entry names is a copy,
		// while the paths a rename within the push left behind are not
		// (baseline.FilterMoved).
		HeadAt:      tips,
		Not:         nots,
		NotRefs:     true,
		ObjectDirs:  opts.ObjectDirs,
		NewObjects:  opts.Quarantine,
		Exclude:     opts.Exclude,
		MaxBlobSize: opts.MaxBlobSize,
		Workers:     opts.Workers,
		Progress:    opts.Progress,
		Content:     opts.Content,
	})
	if err != nil {
		return res, err
	}
	res.Warnings, res.Stats = hres.Warnings, hres.Stats
	// What was read is reported whatever was not: a key found beside an
	// unreadable part refuses the push for the key, and is named.
	all := append(refFindings, hres.Findings...)
	if opts.RefuseAllowComments {
		// The pusher's comment counts for nothing: the value is judged as
		// any other, and the administrator's baseline or a push option
		// can still let it through.
		all = append(all, hres.Allowed...)
		all.Sort()
	}
	res.Refused, res.Excepted, res.UnusedAllows = except(all, opts)
	if !opts.RefuseAllowComments {
		for _, f := range hres.Allowed {
			res.Excepted = append(res.Excepted, Exception{Finding: f, By: ByAllowComment, Reason: f.Allowed})
		}
	}
	if n := hres.Stats.Failed + hres.Stats.Unreadable; n > 0 {
		switch {
		case n == hres.Stats.TooDeep:
			// The push's own trees, as their author made them: the
			// pusher's to fix, not the server's (qa24 L4).
			return res, fmt.Errorf("%w: %w: %w: %d tree(s) (%s)", ErrIncomplete, ErrPushContent, ErrTreeTooDeep, n, firstProblem(hres.Warnings))
		case opts.ShallowPush:
			return res, fmt.Errorf("%w: %w: %d object(s) unreadable (%s)", ErrIncomplete, ErrShallowPush, n, firstProblem(hres.Warnings))
		}
		return res, fmt.Errorf("%w: %d object(s) unreadable (%s)", ErrIncomplete, n, firstProblem(hres.Warnings))
	}
	// A shallow repository lacks the history behind its boundary: what a
	// push builds on there cannot be told from what it adds.
	if n := hres.Stats.Shallow; n > 0 {
		return res, fmt.Errorf("%w: this repository is shallow (its shallow file lists %d commit(s) whose parents it lacks): run git fetch --unshallow in it", ErrIncomplete, n)
	}
	// A gate fails closed: a blob over max_file_size (not an archive, which
	// is opened up to archives.max_archive_size) and an archive the push
	// adds that could not be read whole (a limit hit, an encrypted or
	// corrupt member) may hide a key.
	if n := hres.Stats.TooLarge; n > 0 {
		return res, fmt.Errorf("%w: %w: %d file(s) over max_file_size (%s)", ErrIncomplete, ErrPushContent, n, problemOf(hres.Warnings, true))
	}
	if n := hres.Stats.ArchiveUnscanned; n > 0 {
		return res, fmt.Errorf("%w: %w: %d archive part(s) not scanned (%s)", ErrIncomplete, ErrPushContent, n, problemOf(hres.Warnings, false))
	}
	if n := hres.Stats.LFS; n > 0 && opts.Strict {
		return res, fmt.Errorf("%w: %w: %w: %d file(s) (%s)", ErrIncomplete, ErrPushContent, ErrLFSAbsent, n, firstLFS(hres.Warnings))
	}
	// Go files past the push's type-check budget were read by the byte
	// scan only: a key one builds within itself is not known.
	// A candidate Go file too large to type-check (qa29 M4): as a file
	// over max_file_size, whatever --strict says.
	if n := hres.Stats.GoTooLarge; n > 0 {
		return res, fmt.Errorf("%w: %w: %w: %d Go file(s) too large to type-check or not readable whole by Go's parser (%s)", ErrIncomplete, ErrPushContent, ErrGoBudget, n, firstGoLeft(hres.Warnings))
	}
	// Past the push's type-check budget too, whatever --strict says: a
	// budget an attacker's padding can spend lets a key built behind it
	// through (qa31 F14).
	if n := hres.Stats.GoLeft; n > 0 {
		return res, fmt.Errorf("%w: %w: %w: %d Go file(s) not type-checked (%s)", ErrIncomplete, ErrPushContent, ErrGoBudget, n, firstGoLeft(hres.Warnings))
	}
	// An encoded run not decoded whole (a file's decode budget spent by
	// bombs placed before it): what it holds is not known.
	if n := hres.Stats.Undecoded; n > 0 {
		return res, fmt.Errorf("%w: %w: %d encoded run(s) not decoded whole (%s)", ErrIncomplete, ErrPushContent, n, firstUndecoded(hres.Warnings))
	}
	// A file past its check budget: what follows where it was spent is
	// not known, nor whether the push adds a key there.
	if n := hres.Stats.Unchecked; n > 0 {
		return res, fmt.Errorf("%w: %w: %d blob(s) or message(s) not checked whole (%s)", ErrIncomplete, ErrPushContent, n, firstUnchecked(hres.Warnings))
	}
	// A file with more findings than max_findings_per_file: the candidates past
	// the limit are not known, nor whether the push adds them.
	if n := hres.Stats.Unlisted; n > 0 {
		return res, fmt.Errorf("%w: %w: %d candidate value(s) past max_findings_per_file not checked or listed (see the warnings; raise max_findings_per_file, 0 for no limit)", ErrIncomplete, ErrPushContent, n)
	}
	return res, nil
}

// ErrGoBudget is wrapped (with ErrPushContent) when what was left unread
// is the type check of Go files past the push's budget (Options.Strict).
var ErrGoBudget = errors.New("the push holds more Go source than the gate type-checks")

// ErrLFSAbsent is wrapped (with ErrPushContent) when what was left unread
// is Git LFS content the server does not hold (Options.Strict).
var ErrLFSAbsent = errors.New("content kept in Git LFS is not on the server")

// firstUnchecked names the first warning about a file not checked whole.
func firstUnchecked(ws []history.Warning) string {
	for _, w := range ws {
		if strings.Contains(w.Message, "check budget") {
			return w.String()
		}
	}
	return "see the warnings"
}

// firstGoLeft is the warning about Go files left to the byte scan.
func firstGoLeft(ws []history.Warning) string {
	for _, w := range ws {
		if strings.Contains(w.Message, "left to the byte scan") {
			return w.String()
		}
	}
	return "see the warnings"
}

// firstUndecoded names the first warning about an encoded run not decoded.
func firstUndecoded(ws []history.Warning) string {
	for _, w := range ws {
		if strings.Contains(w.Message, "not decoded whole") {
			return w.String()
		}
	}
	return "see the warnings"
}

// firstLFS names the first warning about an LFS pointer.
func firstLFS(ws []history.Warning) string {
	for _, w := range ws {
		if strings.HasPrefix(w.Message, "Git LFS pointer") {
			return w.String()
		}
	}
	return firstProblem(ws)
}

// firstProblem names the first warning about an object that could not be read.
// problemOf is firstProblem among the warnings of a file over max_file_size
// (tooLarge) or among the others: the error names a file of the kind it
// counts, not the first warning whatever its kind (qa36 M6a: "1 file(s)
// over max_file_size (backup.zip: corrupt zip archive)").
func problemOf(ws []history.Warning, tooLarge bool) string {
	for _, w := range ws {
		if content.IsTooLarge(w.Message) == tooLarge {
			return w.String()
		}
	}
	return firstProblem(ws)
}

func firstProblem(ws []history.Warning) string {
	for _, w := range ws {
		if w.Object != "" {
			return w.String()
		}
	}
	if len(ws) > 0 {
		return ws[0].String()
	}
	return "no detail"
}

// except splits findings into refused and excepted ones.
func except(fs scanner.Findings, opts Options) (refused scanner.Findings, excepted []Exception, unused []string) {
	kept := fs
	if opts.Baseline != nil {
		kept, _ = opts.Baseline.Filter(fs)
		for _, f := range fs {
			if !slices.ContainsFunc(kept, func(k scanner.Finding) bool { return k.Fingerprint == f.Fingerprint }) {
				excepted = append(excepted, Exception{Finding: f, By: ByBaseline})
			}
		}
	}
	used := map[string]bool{}
	for _, f := range kept {
		if opts.AllowPushOptions && slices.Contains(opts.AllowFingerprints, f.Fingerprint) {
			used[f.Fingerprint] = true
			excepted = append(excepted, Exception{Finding: f, By: ByPushOption})
			continue
		}
		refused = append(refused, f)
	}
	for _, fp := range opts.AllowFingerprints {
		if !used[fp] && !slices.Contains(unused, fp) {
			unused = append(unused, fp)
		}
	}
	return refused, excepted, unused
}

// Revoke returns res with the exceptions granted by one of the ways in by
// taken back: their findings refuse the push again. The gate revokes an
// exception it cannot record in the audit log (README, "Audit log").
func (res Result) Revoke(by ...string) Result {
	var kept []Exception
	refused := slices.Clone(res.Refused)
	for _, x := range res.Excepted {
		if slices.Contains(by, x.By) {
			refused = append(refused, x.Finding)
			continue
		}
		kept = append(kept, x)
	}
	refused.Sort()
	res.Refused, res.Excepted = refused, kept
	return res
}

// HasException reports whether an exception granted by way of by lets
// part of the push through.
func (res Result) HasException(by string) bool {
	return slices.ContainsFunc(res.Excepted, func(x Exception) bool { return x.By == by })
}
