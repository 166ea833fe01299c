package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/internal/outfile"
	"github.com/keyscan/keyscan/internal/readfile"
	"github.com/keyscan/keyscan/report"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/history"
)

const historyUsage = "history [flags] [REPO]"

// historyMemoryLimit is the soft memory limit of a history scan, unless
// GOMEMLIMIT sets one.
const historyMemoryLimit = 200 << 20

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runHistory(ctx context.Context, args []string, e *env) int {
	fs, c, code := collectHistory(ctx, args, e)
	if c == nil { // --help, a bad flag, or a scan that could not run
		return code
	}
	out := emit(ctx, fs, c, "history", e)
	if code != exitClean && out != exitInterrupted { // --strict: the scan is incomplete
		return code
	}
	return out
}

// historyArgs are the history command's flags.
type historyArgs struct {
	common                commonFlags
	content               contentFlags
	refs                  stringList
	since, unpushed       *string
	pathGlob, replaceText *string
	prePush, allObjects   *bool
	force, strict         *bool
	typecheck             *bool
	workers               *int
}

// historyFlags returns the history command's flag set; the pre-push hook's
// install checks its arguments with it.
func historyFlags(e *env) (*flag.FlagSet, *historyArgs) {
	fl := newFlagSet("history", historyUsage, e)
	h := &historyArgs{}
	h.common.register(fl)
	h.content.register(fl)
	fl.Var(&h.refs, "ref", "scan only the history of this `REV` (branch, tag, commit); repeatable (default: every ref)")
	h.since = fl.String("since", "", "scan only the commits not reachable from `REV`")
	h.unpushed = fl.String("unpushed", "", "scan what a push to `REMOTE` (a remote's name or URL) may carry: every local branch, tag and notes ref (and each --ref), less what the remote has, asked with git ls-remote (the keyscan-history pre-push hook)")
	h.prePush = fl.Bool("pre-push", false, "with --unpushed: read git's pre-push hook input on standard input and scan exactly the refs it pushes, less what the remote has (keyscan hook install --type pre-push)")
	h.pathGlob = fl.String("path", "", "scan only blob paths matching `GLOB` (doublestar syntax, e.g. 'deploy/**/*.yaml')")
	h.allObjects = fl.Bool("all-objects", false, "also scan objects no ref reaches (dangling commits and blobs)")
	h.typecheck = fl.Bool("typecheck", false, "also type-check each Go blob whose bytes could build a key, alone, as staged and pre-receive do: finds a key a Go file builds within itself (constants folded, a builder's writes), at about twice the CPU on Go-heavy histories; Go files it could not check are a gap (exit 2)")
	h.replaceText = fl.String("replace-text", "", "write a `FILE` of expressions for `git filter-repo --replace-text` that scrubs every value found (it holds the secrets: never commit it)")
	h.force = fl.Bool("force", false, "with --replace-text: overwrite its file even when it exists and others may read it (it is made private first)")
	h.workers = fl.Int("workers", 0, "blobs read and scanned at once (default: one per CPU)")
	h.strict = fl.Bool("strict", false, "exit 2 when any object of the history could not be read or was over max_file_size, part of an archive was left unscanned, an encoded run was not decoded whole, a blob held more findings than max_findings_per_file, or a blob or message was not checked whole for its check_budget (config: strict = true)")
	return fl, h
}

// collectHistory parses the history command's flags, scans the repository
// and returns the findings. When c is nil the scan did not run and code is
// its exit status; otherwise a non-zero code is the status to exit with
// unless findings are reported (--strict).
func collectHistory(ctx context.Context, args []string, e *env) (scanner.Findings, *commonFlags, int) {
	fl, h := historyFlags(e)
	if ok, code := parseFlags(fl, args); !ok {
		return nil, nil, code
	}
	c, cf, refs := &h.common, &h.content, h.refs
	since, unpushed, prePush, pathGlob, allObjects := h.since, h.unpushed, h.prePush, h.pathGlob, h.allObjects
	replaceText, force, workers, strict := h.replaceText, h.force, h.workers, h.strict
	if err := c.validate(); err != nil {
		fmt.Fprintf(e.stderr, "keyscan history: %v\n", err)
		return nil, nil, exitError
	}
	hook := ""
	if *prePush {
		hook = e.getenv(hookEnv)
	}
	if err := missingBaseline(c.baseline, "history", hook); err != nil {
		fmt.Fprintln(e.stderr, err)
		return nil, nil, exitError
	}
	if fl.NArg() > 1 {
		fmt.Fprintf(e.stderr, "keyscan history: one repository at a time, got %d\n", fl.NArg())
		return nil, nil, exitError
	}
	if g := *pathGlob; strings.HasPrefix(g, "./") || strings.HasPrefix(g, "/") {
		// Blob paths are relative to the top of the tree, without "./":
		// such a glob matches nothing, and the scan would pass as clean.
		fixed := g
		for strings.HasPrefix(fixed, "./") || strings.HasPrefix(fixed, "/") {
			fixed = strings.TrimPrefix(strings.TrimPrefix(fixed, "./"), "/")
		}
		fmt.Fprintf(e.stderr, "keyscan history: --path %q: paths in a repository start without ./ or /: use %q\n", g, fixed)
		return nil, nil, exitError
	}
	if *workers < 0 {
		fmt.Fprintf(e.stderr, "keyscan history: --workers must be 0 (one per CPU) or more, not %d\n", *workers)
		return nil, nil, exitError
	}
	repo := "."
	if fl.NArg() == 1 {
		repo = fl.Arg(0)
	} else if d := e.getenv("GIT_DIR"); d != "" {
		// Where every git command run here reads the repository (qa9
		// LOW-2: the folder's own repository was scanned instead).
		repo = d
	}
	if _, err := os.Stat(repo); err != nil {
		fmt.Fprintf(e.stderr, "keyscan history: %v\n", err)
		return nil, nil, exitError
	}
	if *unpushed != "" && *since != "" {
		fmt.Fprintln(e.stderr, "keyscan history: --unpushed and --since exclude each other")
		return nil, nil, exitError
	}
	if *prePush && *unpushed == "" {
		fmt.Fprintln(e.stderr, "keyscan history: --pre-push needs --unpushed REMOTE (the hook's second argument, the URL pushed to)")
		return nil, nil, exitError
	}
	if strings.HasPrefix(*unpushed, "-") {
		fmt.Fprintf(e.stderr, "keyscan history: --unpushed %q: a remote's name or URL does not start with -\n", *unpushed)
		return nil, nil, exitError
	}
	var push pushPlan
	if *unpushed != "" {
		var err error
		if push, err = planPush(ctx, repo, *unpushed, *prePush, e); err != nil {
			fmt.Fprintf(e.stderr, "keyscan history: %v\n", err)
			return nil, nil, exitError
		}
	}
	cfg, err := historyConfig(ctx, c, repo, func(w string) {
		if !c.quiet {
			fmt.Fprintf(e.stderr, "keyscan: warning: %s\n", report.Printable(w))
		}
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan history: %v\n", err)
		return nil, nil, exitError
	}
	ctx = watchTypeChecks(ctx, cfg)
	sc, err := setupConfig(c, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan history: %v\n", err)
		return nil, nil, exitError
	}
	copts, err := cf.options(fl, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan history: %v\n", err)
		return nil, nil, exitError
	}
	// Without --typecheck history reads a Go blob's bytes only. Type-checking
	// each candidate blob alone (goSource, as staged and pre-receive do for
	// the files they are given) costs the byte test of every Go blob version
	// and the type check of the picked ones: trufflehog's history 5.6 -> 13.1
	// CPU s (issue 16: history at the cat-file floor). With it, a key a Go
	// file built within itself in any commit is found (qa31 F1: the
	// open-source check missed them), within the same budget as a push's.
	if *h.typecheck {
		copts.Go = goSource
		copts.GoCost, copts.GoBudget = goCost, newGoBudget(cfg.CheckBudget)
	}
	opts := history.Options{
		Content:     copts,
		Refs:        append(refs, push.refs...),
		Since:       *since,
		Not:         push.has,
		Unpushed:    *unpushed != "" && !*prePush,
		RemoteNames: push.names,
		PathGlob:    *pathGlob,
		Exclude:     cfg.ExcludeFunc(),
		AllObjects:  *allObjects,
		MaxBlobSize: cfg.MaxFileSize,
		Workers:     *workers,
	}
	// The names of the refs a push creates on the remote: what the gate
	// scans of them (qa14 MEDIUM-12).
	created, createdTests := history.RefNames(sc, push.created).Split()
	if *prePush && len(opts.Refs) == 0 {
		// Every pushed ref is a deletion or names what the remote has:
		// no object leaves this repository (and no Refs would mean every
		// ref), only the names of the refs it creates.
		switch {
		case c.quiet:
		case len(push.created) == 0:
			fmt.Fprintln(e.stderr, "keyscan: history: the push sends nothing the remote lacks: nothing to scan")
		default:
			fmt.Fprintf(e.stderr, "keyscan: history: the push sends no object the remote lacks: only the names of the %s it creates were scanned\n",
				report.Count(len(push.created), "ref", "refs"))
		}
		c.tests = createdTests
		return created, c, exitClean
	}
	var bar *progressbar.ProgressBar
	if !c.quiet && isTerminal(e.stderr) {
		bar = newHistoryBar(unguarded(e.stderr)) // its own \r and escapes, and no scanned text
		opts.Progress = func(p history.Progress) { updateHistoryBar(bar, p) }
	}
	if e.getenv("GOMEMLIMIT") == "" {
		// A history scan allocates a blob buffer after another for
		// minutes while its live heap stays near 150 MB; with the
		// default GC pacing the process grows to twice that before
		// collecting. A soft limit makes the collector run earlier
		// instead (measured on botocore: 375 MB peak without it, 217 MB
		// with it, the same CPU time). The runtime never lets the
		// collector take more than half the CPU to keep to it.
		debug.SetMemoryLimit(historyMemoryLimit)
	}
	res, err := history.Scan(ctx, repo, sc, opts)
	if bar != nil {
		_ = bar.Finish()
		_ = bar.Clear()
	}
	if err != nil {
		if errors.Is(err, history.ErrNotRepository) {
			if kind := gitFileKind(repo); kind != "" {
				// A bundle or a pack is a repository's objects in one
				// file, which scan opens as an archive (qa12 HIGH-6).
				fmt.Fprintf(e.stderr, "keyscan history: %s is %s, not a repository: `keyscan scan %s` reads every object in it "+
					"(each blob, commit and tag message), or `git clone` it and run keyscan history on the clone\n", repo, kind, repo)
			} else {
				fmt.Fprintf(e.stderr, "keyscan history: %s is not a git repository (or any parent up to the root)\n", repo)
			}
		} else {
			fmt.Fprintf(e.stderr, "keyscan history: %v\n", err)
		}
		return nil, nil, exitError
	}
	if len(created) > 0 || len(createdTests) > 0 {
		res.Findings = append(res.Findings, created...)
		res.Findings.Sort()
		res.TestKeys = append(res.TestKeys, createdTests...)
	}
	if !c.quiet {
		hide := warningLine(c.showSecrets, sc, res.Findings)
		for _, w := range res.Warnings {
			fmt.Fprintf(e.stderr, "keyscan: warning: %s\n", hide(w.String()))
		}
		st := res.Stats
		none := "" // why a narrowed scan found no commit: not that the repository has none
		switch {
		case st.Commits > 0 || st.Blobs > 0:
		case *unpushed != "":
			// A tag of a commit the remote has, a notes ref: the commits
			// are pushed already, and the tag's message was read.
			none = " the remote lacks"
		case *since != "":
			none = " after " + *since
		default:
			fmt.Fprintf(e.stderr, "keyscan: warning: %s has no commits: nothing to scan\n", repo)
		}
		if *pathGlob != "" && st.Blobs == 0 && st.Commits > 0 {
			fmt.Fprintf(e.stderr, "keyscan: warning: --path %q matched no file in the history: nothing was scanned\n", *pathGlob)
		}
		fmt.Fprintf(e.stderr, "keyscan: history: %s%s, %s, %s scanned in %s",
			report.Count(st.Commits, "commit", "commits"), none, report.Count(st.Blobs, "unique blob", "unique blobs"),
			humanBytes(st.Bytes), st.Duration.Round(time.Millisecond))
		fmt.Fprint(e.stderr, contentSummary(int64(st.Binary), copts.SkipBinary, int64(st.Archives), int64(st.Members)))
		if st.TooLarge > 0 || st.LFS > 0 || st.Failed > 0 {
			fmt.Fprintf(e.stderr, "; skipped %d over max_file_size, %d LFS pointers, %d unreadable",
				st.TooLarge, st.LFS, st.Failed)
		}
		if st.Unreadable > 0 {
			// A commit or tree that cannot be read hides what is behind
			// it: its parents' history, its files.
			it := "them"
			if st.Unreadable == 1 {
				it = "it"
			}
			fmt.Fprintf(e.stderr, "; %s could not be read: what lies behind %s was not scanned (see the warnings; --strict makes it exit 2)",
				report.Count(st.Unreadable, "commit or tree", "commits or trees"), it)
		}
		if st.BrokenRefs > 0 {
			fmt.Fprintf(e.stderr, "; %s ignored, as git ignores a broken ref (see the warnings)",
				report.Count(st.BrokenRefs, "malformed ref", "malformed refs"))
		}
		if st.ShallowScanned > 0 {
			fmt.Fprintf(e.stderr, "; a shallow clone: the history behind %s was not read (git fetch --unshallow; --strict makes it exit 2)",
				report.Count(st.ShallowScanned, "boundary commit", "boundary commits"))
		}
		if st.ArchiveUnscanned > 0 {
			fmt.Fprintf(e.stderr, "; %s not scanned (limits, unreadable members or formats not opened: see the warnings)",
				report.Count(st.ArchiveUnscanned, "archive part", "archive parts"))
		}
		if st.Undecoded > 0 {
			fmt.Fprintf(e.stderr, "; %s not decoded whole (decode budget: see the warnings)",
				report.Count(st.Undecoded, "encoded run", "encoded runs"))
		}
		if st.Unchecked > 0 {
			fmt.Fprintf(e.stderr, "; %s not checked whole (check budget: see the warnings)",
				report.Count(st.Unchecked, "blob or message", "blobs or messages"))
		}
		fmt.Fprintln(e.stderr)
	}
	if *replaceText != "" {
		lits, left := res.Literals(res.Findings)
		if err := writeReplaceText(*replaceText, lits, *force); err != nil {
			fmt.Fprintf(e.stderr, "keyscan history: --replace-text %s: %v\n", *replaceText, err)
			return nil, nil, exitError
		}
		warnReplaceText(e.stderr, &res, left, warningHider(c.showSecrets, sc, res.Findings))
		fmt.Fprintf(e.stderr, "keyscan: wrote %s: it holds the secret values UNREDACTED; do not commit it, and delete it once the history is rewritten\n", *replaceText)
		fmt.Fprintln(e.stderr, "keyscan: rewriting history does not un-leak a key: deactivate and rotate every key first")
	}
	c.tests = res.TestKeys
	// The text summary says what was not read, as scan's does: a history
	// with objects missing (a store copied without them, a corrupt pack)
	// must not end on a bare "no credentials found" on standard output,
	// with the count only in the progress line on standard error.
	if st := res.Stats; st.Failed+st.Unreadable+st.BrokenRefs+st.TooLarge+st.LFS+st.ArchiveUnscanned+st.Undecoded+st.Unchecked > 0 {
		c.coverage = &report.Coverage{TooLarge: int64(st.TooLarge), Unreadable: int64(st.Failed + st.Unreadable + st.BrokenRefs), LFS: int64(st.LFS),
			ArchiveLimits: int64(st.ArchiveUnscanned), Undecoded: int64(st.Undecoded), Unchecked: int64(st.Unchecked)}
	}
	code := exitClean
	partial := false
	if st := res.Stats; st.Failed+st.Unreadable > 0 && res.Partial {
		// A partial clone lacks its historical blobs by design: the scan
		// could not do what was asked, whatever --strict says.
		fmt.Fprintf(e.stderr, "keyscan history: %s is a partial clone: %s not fetched from its promisor remote: not read, not scanned; "+
			"scan a full clone (git clone without --filter), or fetch them first (git fetch --refetch)\n",
			repo, report.Count(st.Failed+st.Unreadable, "object", "objects"))
		code, partial = exitError, true
		// The summary must not read "no credentials found" (qa9 LOW-1).
		n := st.Failed + st.Unreadable
		c.gaps = append(c.gaps, report.Gap{Reason: "partial-clone", Count: n,
			Message: fmt.Sprintf("could not read %s of the partial clone %s (not fetched)", report.Count(n, "object", "objects"), report.Printable(repo))})
	} else if st.Blobs > 0 && st.Failed >= st.Blobs {
		fmt.Fprintf(e.stderr, "keyscan history: none of the %s could be read: nothing was scanned\n", report.Count(st.Blobs, "blob", "blobs"))
		code = exitError
		c.gaps = append(c.gaps, report.Gap{Reason: "unread-blobs", Count: st.Blobs,
			Message: fmt.Sprintf("could not read the %s of %s", report.Count(st.Blobs, "blob", "blobs"), report.Printable(repo))})
	}
	// Every format says what was not read, whatever --strict says (qa33
	// M3); --strict (or strict = true) makes it exit 2 (strictGap).
	st, fail := res.Stats, *strict || cfg.Strict
	// A check of what a push carries (the pre-push hook, the
	// keyscan-history hook of the pre-commit framework) is a gate, as
	// staged and pre-receive are: a blob or message not checked whole,
	// past max_findings_per_file, or not read for its size, is not known
	// to be clean, whatever --strict says (qa13 MEDIUM-10, MEDIUM-13).
	gate := *unpushed != "" && !fail
	gap := func(reason string, n int, one, many, what string) bool {
		return c.strictGap(e.stderr, "history", reason, n, strictCount(fail, n), one, many, what)
	}
	unread := st.Failed + st.Unreadable
	if partial {
		unread = 0 // the partial clone's gap counted them
	}
	for _, f := range []bool{
		gap("unreadable", unread, "object", "objects", "could not be read"),
		brokenRefs(c, e.stderr, st.BrokenRefs, *allObjects, fail),
		gap("shallow", st.ShallowScanned, "shallow boundary commit", "shallow boundary commits",
			"with history behind not in the repository, not read (git fetch --unshallow first)"),
		!gate && gap("too-large", st.TooLarge, "blob", "blobs", strictTooLarge),
		gap("archive", st.ArchiveUnscanned, "archive part", "archive parts", strictArchives),
		gap("lfs", st.LFS, "Git LFS file", "Git LFS files",
			"not scanned (the content is not in the repository's lfs/objects: git lfs fetch --all first)"),
		gap("submodule", st.Submodules, "submodule", "submodules",
			"not scanned (its commits live in another repository: run keyscan history on it too)"),
		!gate && gap("unlisted", st.Unlisted, "candidate value", "candidate values", strictUnlisted),
		gap("undecoded", st.Undecoded, "encoded run", "encoded runs", strictUndecoded),
		!gate && gap("unchecked", st.Unchecked, "blob or message", "blobs or messages", strictUnchecked),
		gate && c.gapFail(e.stderr, "history", "unlisted", st.Unlisted, "candidate value", "candidate values", strictUnlisted),
		gate && c.gapFail(e.stderr, "history", "unchecked", st.Unchecked, "blob or message", "blobs or messages", strictUnchecked),
		gate && c.tooLargeFail(e.stderr, "history", st.TooLarge+st.ArchiveTooLarge, texts(res.Warnings), warningLine(c.showSecrets, sc, res.Findings)),
	} {
		if f {
			code = exitError
		}
	}
	if st := res.Stats; *h.typecheck {
		// What --typecheck could not check is a gap, as in staged.
		for _, f := range []bool{
			c.gapFail(e.stderr, "history", "typecheck-size", st.GoTooLarge, "Go file", "Go files", hookGoTooLarge),
			c.gapFail(e.stderr, "history", "typecheck", st.GoLeft, "Go file", "Go files", strictGoLeft),
			c.stallGaps(ctx, cfg, e.stderr, "history"),
		} {
			if f {
				code = exitError
			}
		}
	}
	c.unlisted = res.Stats.Unlisted
	return res.Findings, c, code
}

// brokenRefs records the refs the scan could not read (a ref file or a
// packed-refs line that names no object) as an unreadable gap, and reports
// whether it fails the run. A ref is what history is asked to scan (every
// ref, by default): one that names no object is a ref asked for that could
// not be read, like a path named that cannot be read, so it is exit 2
// whatever --strict says (qa38 hist 3; it was exit 2 with --strict only).
// Its objects are mostly still in the repository (a crash cut the ref's
// file short; a line of packed-refs was damaged), unread, and unlike a ref
// whose object is missing no ID says which: only --all-objects, which reads
// every object the repository holds, reads them. With it the gap is counted
// as other unreadable parts are, exit 2 with --strict.
func brokenRefs(c *commonFlags, stderr io.Writer, n int, allObjects, strict bool) bool {
	const one, many = "malformed ref", "malformed refs"
	if allObjects {
		return c.strictGap(stderr, "history", "unreadable", n, strictCount(strict, n), one, many,
			"ignored, as git ignores a broken ref (--all-objects read every object the repository holds)")
	}
	return c.gapFail(stderr, "history", "unreadable", n, one, many,
		"could not be read (no object ID): what each was meant to name was not scanned; repair or delete each (see the warnings), or scan with --all-objects, which reads every object the repository holds")
}

// writeReplaceText writes a git filter-repo --replace-text expressions file:
// one "literal==>***REMOVED***" line per value. It holds the secrets, so it
// is created readable by its owner only (0600), and where --output writes
// (outfile.CreateSecretBeneath): a folder of the path at or below the
// current folder that is a link is refused, for one planted in the
// checkout (out -> ~/.aws) would choose where the secrets go and which
// file of the user's they replace (qa24 L2). An existing file is replaced
// only when it is already private to the user running keyscan, or with
// force (checkReplaceable): a world-readable file, another user's file, or
// a link would hand the secrets to others. It is replaced by a new file,
// never written in place: a descriptor opened while others could read it
// (another user's file in /tmp, made before keyscan ran) keeps reading the
// old file, where a change of mode would have shown it every secret (qa24 H1).
func writeReplaceText(path string, literals []string, force bool) error {
	f, err := outfile.CreateSecretBeneath(path)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		if err := checkReplaceable(path, force); err != nil {
			f.Abort()
			return err
		}
	}
	return f.Finish(history.WriteReplaceText(f, literals))
}

func newHistoryBar(w io.Writer) *progressbar.ProgressBar {
	return progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("scanning history"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowTotalBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionShowDescriptionAtLineEnd(),
	)
}

func updateHistoryBar(bar *progressbar.ProgressBar, p history.Progress) {
	if p.TotalBytes > 0 && bar.GetMax64() != p.TotalBytes {
		bar.ChangeMax64(p.TotalBytes)
	}
	bar.Describe(fmt.Sprintf("%d/%d blobs", p.Objects, p.TotalObjects))
	_ = bar.Set64(p.Bytes)
}

// gitFileKind names what the regular file at path is when it is a git
// bundle or pack ("a git bundle"), and is "" otherwise.
func gitFileKind(path string) string {
	head, err := readfile.Head(path, false, 16)
	if err != nil {
		return ""
	}
	switch {
	case gitobj.IsBundle(head):
		return "a git bundle"
	case gitobj.IsPack(head):
		return "a git pack"
	}
	return ""
}
