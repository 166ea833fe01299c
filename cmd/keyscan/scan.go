package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/config"
	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/report"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/walk"
)

const scanUsage = "scan [flags] [PATH...]"

func runScan(ctx context.Context, args []string, e *env) int {
	return runScanAs(ctx, args, e, scanAs{cmd: "scan"})
}

// scanAs is who runs a scan of files: keyscan scan, or keyscan staged
// handed file names outside a commit (the pre-commit framework in CI).
// Both judge each file by its scope (config.Scope), as the index mode
// judges a commit's: inside a work tree, the top's .keyscan.toml with
// paths from the top.
type scanAs struct {
	cmd string // the command the report names
}

func runScanAs(ctx context.Context, args []string, e *env, as scanAs) int {
	fs, c, code := collectScan(ctx, args, e, as)
	if c == nil { // --help, a bad flag, or a scan that could not run
		return code
	}
	c.moved = fileGone
	if n, err := pathname.New(); err == nil && c.baseline != "" {
		c.moved = fileGoneFor(n, c.baseline)
	}
	out := emit(ctx, fs, c, as.cmd, e)
	if code != exitClean { // an unread root or --strict: the scan is incomplete
		return code
	}
	return out
}

// collectScan parses the scan command's flags, walks the paths and returns
// the findings. When c is nil the scan did not run and code is its exit
// status; otherwise a non-zero code is the status to exit with unless
// findings are reported (a root that could not be read, --strict).
func collectScan(ctx context.Context, args []string, e *env, as scanAs) (scanner.Findings, *commonFlags, int) {
	fl := newFlagSet(as.cmd, scanUsage, e)
	var c commonFlags
	c.register(fl)
	strict := fl.Bool("strict", false, "exit 2 when any file or folder found in the tree could not be read or was over max_file_size, part of an archive was left unscanned, an encoded run was not decoded whole, a file held more findings than max_findings_per_file, or a file was not checked whole for its check_budget (config: strict = true)")
	var cf contentFlags
	cf.register(fl)
	if ok, code := parseFlags(fl, args); !ok {
		return nil, nil, code
	}
	if err := c.validate(); err != nil {
		fmt.Fprintf(e.stderr, "keyscan %s: %v\n", as.cmd, err)
		return nil, nil, exitError
	}
	if err := missingBaseline(c.baseline, as.cmd, ""); err != nil {
		fmt.Fprintln(e.stderr, err)
		return nil, nil, exitError
	}
	roots := fl.Args()
	if len(roots) == 0 {
		roots = []string{"."}
	}
	groups, err := configGroups(&c, roots)
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan %s: %v\n", as.cmd, err)
		return nil, nil, exitError
	}
	var excluded []string // named files their configuration excludes (staged's, told in one line)
	if as.cmd == "staged" {
		groups, excluded = withoutExcluded(groups)
	}
	var nested nestedConfigs
	namer, err := pathname.New()
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan %s: working directory: %v\n", as.cmd, err)
		return nil, nil, exitError
	}
	c.scanned = scannedIn(namer, roots)
	deferGC(e, scanHeapStart)
	var (
		fs, tests scanner.Findings
		warnings  []walk.Warning
		st        walk.Stats
		failed    []string   // roots named that could not be read
		strictSt  walk.Stats // the counts of the roots whose configuration (or --strict) asks for strict
		code      = exitClean
		// goUnchecked counts the Go files left out of the type check for
		// its bound (qa29 M5), the first goFirst. A key built from
		// constants there is not known, whatever --strict says: the run
		// exits 2 (qa30 M3b: many files padded to just under the key's
		// file's size pushed it out, and scan said "no credentials found"
		// with exit 0).
		goUnchecked int
		goFirst     string
		goWhy       goLeftWhy
		// stalled: a type check the watch abandoned or did not start
		// (stallGaps): a gap, exit 2.
		stalled bool
	)
	for _, g := range groups {
		ctx := watchTypeChecks(ctx, g.cfg)
		copts, err := cf.options(fl, g.cfg)
		if err != nil {
			fmt.Fprintf(e.stderr, "keyscan %s: %v\n", as.cmd, err)
			return nil, nil, exitError
		}
		goFiles := newGoCollector(namer, g.roots)
		goFiles.bound = goCheckBound(g.cfg.CheckBudget)
		base := g.scope.Base
		for _, f := range g.nested {
			nested.add(f)
		}
		res, err := walk.Walk(ctx, g.roots, g.sc, walk.Options{
			MaxFileSize: g.cfg.MaxFileSize,
			Excluded:    excluder(g.cfg),
			RootPath:    g.rootPath,
			OnFile: func(path, shown string, data []byte) {
				nested.note(base, path, shown)
				goFiles.add(path, shown, data)
			},
			Namer:   namer,
			Content: copts,
		})
		if ctx.Err() != nil {
			fmt.Fprintln(e.stderr, "keyscan: interrupted")
			return nil, nil, exitInterrupted
		}
		if err != nil {
			var re *walk.RootError
			if !errors.As(err, &re) {
				fmt.Fprintf(e.stderr, "keyscan %s: %v\n", as.cmd, err)
				return nil, nil, exitError
			}
			// Every root that could not be read is named; the others are
			// reported, and the exit status says the scan was incomplete.
			// A path named on the command line can hold a secret
			// (keys/aws_secret_access_key=…/missing): shown redacted, as
			// in every warning (qa11 LOW-1).
			hide := warningHider(c.showSecrets, g.sc)
			for _, line := range splitErrors(err) {
				fmt.Fprintf(e.stderr, "keyscan %s: cannot read %s\n", as.cmd, hide(line.Error()))
				if errors.As(line, &re) {
					failed = append(failed, hide(re.Path))
				}
			}
			code = exitError
		}
		found := goFiles.dropNotAWS(ctx, append(res.Findings, goFiles.scan(ctx, g.sc, e, c.quiet)...))
		if ctx.Err() == nil && c.stallGaps(ctx, g.cfg, e.stderr, as.cmd) {
			stalled = true
		}
		if n, first, why := goFiles.uncheckedFiles(); n > 0 {
			if goUnchecked == 0 {
				goFirst = first
			}
			goUnchecked += n
			goWhy |= why
		}
		if fs == nil {
			fs = found // one configuration, the usual case: the findings are not copied
		} else {
			fs = append(fs, found...)
		}
		if ctx.Err() != nil {
			fmt.Fprintln(e.stderr, "keyscan: interrupted")
			return nil, nil, exitInterrupted
		}
		tests = append(tests, res.TestKeys...)
		warnings = append(warnings, res.Warnings...)
		st = addStats(st, res.Stats)
		// strict = true in one root's configuration holds for what that
		// root's walk left unread.
		if *strict || g.cfg.Strict {
			strictSt = addStats(strictSt, res.Stats)
		}
	}
	st.Excluded += int64(len(excluded))
	var sc *scanner.Scanner
	if len(groups) > 0 {
		sc = groups[0].sc
	}
	hide := warningLine(c.showSecrets, sc, fs)
	if !c.quiet {
		// One line, not one per file: pre-commit run --all-files names
		// every file of the repository, fixtures included.
		switch {
		case len(excluded) == 1:
			fmt.Fprintf(e.stderr, "keyscan: warning: %s: excluded by the work tree's configuration: not scanned\n", hide(excluded[0]))
		case len(excluded) > 1:
			fmt.Fprintf(e.stderr, "keyscan: warning: %d files named (%s, ...) are excluded by the work tree's configuration: not scanned\n", len(excluded), hide(excluded[0]))
		}
		if w := nested.warning(); w != "" {
			fmt.Fprintf(e.stderr, "keyscan: warning: %s\n", hide(w))
		}
		for _, w := range warnings {
			fmt.Fprintf(e.stderr, "keyscan: warning: %s\n", hide(w.String()))
		}
		if goUnchecked > 0 {
			fmt.Fprintf(e.stderr, "keyscan: warning: %s\n", hide(goUncheckedWarning(goUnchecked, goFirst, goWhy)))
		}
		if st.BinaryScanned > 0 || st.Archives > 0 {
			fmt.Fprintf(e.stderr, "keyscan: looked into%s\n", strings.TrimPrefix(contentSummary(st.BinaryScanned, false, st.Archives, st.Members), ","))
		}
	}
	c.coverage = &report.Coverage{Files: st.Files, Bytes: st.Bytes, Excluded: st.Excluded, Binary: st.Binary,
		TooLarge: st.TooLarge, Unreadable: st.Unreadable, Special: st.Special, OutsideLinks: st.Outside,
		ArchiveLimits: st.ArchiveUnscanned, Undecoded: st.Undecoded, Unchecked: st.Unchecked, LFS: st.LFS, TypeCheckSize: int64(goUnchecked),
		Failed: failed}
	c.unlisted = int(st.Unlisted)
	// all counts what the run left unread, ss what of it lies under a
	// configuration (or --strict) that asks for strict: every format says
	// the first, the second makes the run exit 2 (strictGap).
	all, ss := st, strictSt
	if as.cmd == "staged" {
		// The pre-commit framework in CI judges the files as a commit's
		// are judged: a file not checked whole (its check budget), past
		// max_findings_per_file, or not read for its size, is not known to
		// be clean, whatever --strict says (qa13 MEDIUM-6, MEDIUM-13).
		for _, f := range []bool{
			c.gapFail(e.stderr, as.cmd, "unlisted", int(st.Unlisted), "candidate value", "candidate values", strictUnlisted),
			c.gapFail(e.stderr, as.cmd, "unchecked", int(st.Unchecked), "file", "files", strictUnchecked),
			c.tooLargeFail(e.stderr, as.cmd, int(st.TooLarge+st.ArchiveTooLarge), texts(warnings), hide),
		} {
			if f {
				code = exitError
			}
		}
		all.Unchecked, all.Unlisted, all.TooLarge = 0, 0, 0
		ss.Unchecked, ss.Unlisted, ss.TooLarge = 0, 0, 0
	}
	for _, f := range []bool{
		c.strictGap(e.stderr, as.cmd, "unreadable", int(all.Unreadable), int(ss.Unreadable), "file or folder", "files or folders", "could not be read"),
		c.strictGap(e.stderr, as.cmd, "too-large", int(all.TooLarge), int(ss.TooLarge), "file", "files", strictTooLarge),
		c.strictGap(e.stderr, as.cmd, "archive", int(all.ArchiveUnscanned), int(ss.ArchiveUnscanned), "archive part", "archive parts", strictArchives),
		c.strictGap(e.stderr, as.cmd, "unlisted", int(all.Unlisted), int(ss.Unlisted), "candidate value", "candidate values", strictUnlisted),
		c.strictGap(e.stderr, as.cmd, "undecoded", int(all.Undecoded), int(ss.Undecoded), "encoded run", "encoded runs", strictUndecoded),
		c.strictGap(e.stderr, as.cmd, "unchecked", int(all.Unchecked), int(ss.Unchecked), "file", "files", strictUnchecked),
		c.strictGap(e.stderr, as.cmd, "lfs", int(all.LFS), int(ss.LFS), "Git LFS file", "Git LFS files", strictLFS),
		c.strictGap(e.stderr, as.cmd, "sparse", int(all.Sparse), int(ss.Sparse), "tracked file", "tracked files", strictSparse),
		c.gapFail(e.stderr, as.cmd, "typecheck-size", goUnchecked, "Go file", "Go files", goWhy.gap()), // scan's and staged's alike
	} {
		if f {
			code = exitError
		}
	}
	if stalled {
		code = exitError
	}
	tests.Sort()
	c.tests = tests
	return dedupe(fs), &c, code
}

// goUncheckedWarning says that n Go files, the first named first, were
// left out of the type check for its bound (analyzer.CheckBound): the byte
// scan read them, but a key one builds from constants is not known.
func goUncheckedWarning(n int, first string, why goLeftWhy) string {
	them := "them"
	if n == 1 {
		them = "it"
	}
	var causes []string
	if why.has(analyzer.LeftBound) {
		causes = append(causes, fmt.Sprintf("past the bound of a package's type check (%d tokens), types too costly to type-check", analyzer.MaxCheckTokens))
	}
	if why.has(analyzer.LeftUnparsed) {
		causes = append(causes, "declarations Go's parser cannot read")
	}
	if why.has(analyzer.LeftVariants) {
		causes = append(causes, fmt.Sprintf("build variants of one package's names (head_linux.go, head_windows.go, … declaring one constant) past the %d that are checked again", analyzer.MaxVariants))
	}
	remedy := fmt.Sprintf("run go vet -vettool=keyscan on %s", them)
	if why.has(analyzer.LeftVariants) {
		remedy += " (a build variant with its GOOS or -tags)"
	}
	if why.has(analyzer.LeftBound) {
		remedy += fmt.Sprintf(", or set check_budget = 0 to type-check %s whatever the size (for the token bound only)", them)
	}
	return fmt.Sprintf("%s left to the byte scan, not type-checked (the first %s): %s; a key built from constants there is not known: %s",
		report.Count(n, "Go file", "Go files"), first, strings.Join(causes, ", or "), remedy)
}

// goLeftWhy is the set of reasons (analyzer.LeftReason) the Go files a
// run left out of its type checks were left out for: the gap names those
// causes, not one for all (qa34: files past the bound of build variants
// were said to be "too large to type-check").
type goLeftWhy uint8

func (w goLeftWhy) add(r analyzer.LeftReason) goLeftWhy { return w | 1<<r }
func (w goLeftWhy) has(r analyzer.LeftReason) bool      { return w&(1<<r) != 0 }

// gap is the typecheck-size gap's message for these reasons.
func (w goLeftWhy) gap() string {
	var causes []string
	if w.has(analyzer.LeftBound) || w == 0 {
		causes = append(causes, "too large to type-check (over its tokens bound)")
	}
	if w.has(analyzer.LeftUnparsed) {
		causes = append(causes, "not readable whole by Go's parser")
	}
	if w.has(analyzer.LeftVariants) {
		causes = append(causes, fmt.Sprintf("build variants of one package's names past the %d that are checked again", analyzer.MaxVariants))
	}
	return "not type-checked: " + strings.Join(causes, ", or ") + " (see the warning): a key built from constants there is not known"
}

// addStats adds the counts of two walks.
func addStats(a, b walk.Stats) walk.Stats {
	a.Files += b.Files
	a.Bytes += b.Bytes
	a.Binary += b.Binary
	a.BinaryScanned += b.BinaryScanned
	a.Archives += b.Archives
	a.Members += b.Members
	a.ArchiveUnscanned += b.ArchiveUnscanned
	a.ArchiveTooLarge += b.ArchiveTooLarge
	a.Unlisted += b.Unlisted
	a.Undecoded += b.Undecoded
	a.Unchecked += b.Unchecked
	a.LFS += b.LFS
	a.Sparse += b.Sparse
	a.TooLarge += b.TooLarge
	a.Excluded += b.Excluded
	a.Unreadable += b.Unreadable
	a.Special += b.Special
	a.Symlinks += b.Symlinks
	a.Outside += b.Outside
	return a
}

// splitErrors lists the errors errors.Join put together.
func splitErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// excluder adapts the configuration's globs to the walker.
func excluder(cfg *config.Config) func(rel string, dir bool) bool {
	return func(rel string, dir bool) bool {
		if dir {
			return cfg.ExcludedDir(rel)
		}
		return cfg.Excluded(rel)
	}
}

// dedupe drops findings reported twice for the same value at the same place
// (by the byte scan and by the type-checked Go scan): at the same line and
// column, or within the place of another of the same value (a literal
// join inside a folded call; scanner.Findings.WithoutNested). A finding
// with no line (a binary file's, a path's) is placed by its byte offset:
// two secrets of one binary file (a pickled list of two credential dicts)
// are two findings. Two values at one place are two findings: the key
// ID one build of a package folds and the one another build folds at the
// same expression (head_linux.go and head_windows.go beside k.go's
// head + tail; qa34). Comparing places alone kept whichever sorted first.
func dedupe(fs scanner.Findings) scanner.Findings {
	fs = fs.WithoutNested()
	type place struct {
		file, rule, secret string
		line, column, off  int
	}
	seen := make(map[place]bool, len(fs))
	out := fs[:0]
	for _, f := range fs {
		k := place{f.File, f.Rule, f.Secret, f.Line, f.Column, 0}
		if f.Line == 0 {
			k.off = f.Offset
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
