package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/report"
	"github.com/keyscan/keyscan/scanner/staged"
)

const stagedUsage = "staged [flags] [FILE...]"

// stagedFlags is the staged command's flag set; hook install checks the
// arguments it writes into a hook against it.
func stagedFlags(e *env) (*flag.FlagSet, *commonFlags, *contentFlags, *stagedOnly) {
	fl := newFlagSet("staged", stagedUsage, e)
	c := new(commonFlags)
	c.register(fl)
	cf := new(contentFlags)
	cf.register(fl)
	so := &stagedOnly{
		all:     fl.Bool("all", false, "also scan the work tree's unstaged changes to tracked files, as 'git commit -a' would commit them"),
		strict:  fl.Bool("strict", false, "exit 2 when a file the commit adds was left unscanned (Git LFS content not in lfs/objects), part of an archive or an encoded run was, or Go files were left to the byte scan past the commit's type-check budget (config: strict = true; a file over max_file_size, not checked whole for its check_budget or past max_findings_per_file is exit 2 always)"),
		message: fl.Bool("message", false, "scan the commit message in the one FILE named (what the commit-msg hook runs: git passes .git/COMMIT_EDITMSG) instead of what the commit adds"),
	}
	return fl, c, cf, so
}

// stagedOnly holds the flags only staged has.
type stagedOnly struct{ all, strict, message *bool }

// runStaged scans what the next commit would add. It is what the pre-commit
// hooks run, so it does the least it can: no walk of the work tree, only the
// index, the trees along changed paths and the changed blobs.
func runStaged(ctx context.Context, args []string, e *env) int {
	if f := fileNamedLikeFlag(args); f != "" {
		// The pre-commit framework puts file names after the hook's flags:
		// a file named "--help" or "--config=x.toml" would be read as a
		// flag and could turn the check off.
		fmt.Fprintf(e.stderr, "keyscan staged: argument %q is both a flag and the name of a file here: refusing to guess which it is (rename the file)\n", f)
		return exitError
	}
	fl, c, cf, so := stagedFlags(e)
	if ok, code := parseFlags(fl, args); !ok {
		return code
	}
	if *so.message {
		return runStagedMessage(ctx, fl, c, cf, so, e)
	}
	if fl.NArg() > 0 && e.getenv("GIT_INDEX_FILE") == "" {
		// Files named and no commit being made: the pre-commit framework
		// run as CI runs it (pre-commit run --all-files, --files F), where
		// nothing is staged. The files are what is to be checked: scanned
		// whole, as keyscan scan FILE... scans them. During a commit (git
		// sets GIT_INDEX_FILE for its hooks) the index decides what the
		// commit adds, whatever files are named.
		// Each file is judged by its scope (config.Scope): inside a work
		// tree the top's .keyscan.toml, with paths from the top, as the
		// commit judges it, so that CI and the commit agree.
		code := runScanAs(ctx, withoutFlag(args, "all"), e, scanAs{cmd: "staged"})
		if code == exitFindings && !c.quiet && c.format == "text" {
			named := report.Count(fl.NArg(), "file", "files") + " named were"
			if fl.NArg() == 1 {
				named = "file named was"
			}
			fmt.Fprintf(e.stderr, "\nkeyscan staged: no commit is being made (GIT_INDEX_FILE is not set), so the %s scanned whole, as keyscan scan scans them: "+
				"pre-commit run --all-files or --files (CI), or pre-commit run by hand. Remove each value, or see keyscan:allow and baselines in the README; "+
				"during git commit the hook checks only what the commit adds.\n", named)
		}
		return code
	}
	if err := c.validate(); err != nil {
		fmt.Fprintf(e.stderr, "keyscan staged: %v\n", err)
		return exitError
	}
	if err := missingBaseline(c.baseline, "staged", e.getenv(hookEnv)); err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitError
	}
	// git sets GIT_INDEX_FILE for hooks: `git commit -a` and `git commit
	// PATH...` stage into a temporary index, which is what the commit will hold.
	opts := staged.Options{
		IndexFile: e.getenv("GIT_INDEX_FILE"),
		GitDir:    e.getenv("GIT_DIR"),
		WorkTree:  e.getenv("GIT_WORK_TREE"),
		All:       *so.all,
		// Where git keeps objects besides the repository's own folder.
		ObjectDir:  e.getenv("GIT_OBJECT_DIRECTORY"),
		Alternates: gitobj.SplitAlternates(e.getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES")),
		MergeHeads: gitHeads(e),
	}
	root, err := staged.TopLevel(".", opts.GitDir, opts.WorkTree)
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan staged: %v\n", err)
		return exitError
	}
	cfg, sc, err := setup(c, root)
	if err == nil {
		ctx = watchTypeChecks(ctx, cfg)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan staged: %v\n", err)
		return exitError
	}
	opts.Exclude = cfg.ExcludeFunc()
	opts.MaxFileSize = cfg.MaxFileSize
	if opts.Content, err = cf.options(fl, cfg); err != nil {
		fmt.Fprintf(e.stderr, "keyscan staged: %v\n", err)
		return exitError
	}
	opts.Content.Go = goSource // a staged Go file is read as scan reads it
	opts.Content.GoIn = goIn   // with its folder's staged Go files (staged.Scan sets GoFolder)
	opts.Content.GoCost, opts.Content.GoBudget = goCost, newGoBudget(cfg.CheckBudget)
	opts.Content.GoTails = goTails // a file adding to a constant of its module's package (staged.Scan sets GoPackage)
	// the unchanged files importing a package the commit changes
	opts.Content.GoStarts, opts.Content.GoImports = goStarts, goImports
	if e.getenv("GOGC") == "" && e.getenv("GOMEMLIMIT") == "" {
		// A hook's run is short and its heap small: collecting garbage
		// costs more than it saves. The limit brings the collector back for
		// a commit of huge files.
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(512 << 20)
	}
	res, err := staged.Scan(ctx, ".", sc, opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan staged: %v\n", err)
		return exitError
	}
	if !c.quiet {
		hide := warningLine(c.showSecrets, sc, res.Findings)
		for _, w := range res.Warnings {
			fmt.Fprintf(e.stderr, "keyscan: warning: %s\n", hide(w))
		}
		if w := nestedStaged(res.Files); w != "" {
			fmt.Fprintf(e.stderr, "keyscan: warning: %s\n", hide(w))
		}
	}
	c.tests = res.TestKeys
	c.moved = removedBy(res.Files)
	// What the run did not read is known before the report is written,
	// which says so in every format (report.Gap), as it says what makes
	// the run exit 2.
	incomplete := false
	if res.Unlisted > 0 {
		c.gaps = append(c.gaps, report.Gap{Reason: "unlisted", Count: res.Unlisted,
			Message: report.Count(res.Unlisted, "candidate value", "candidate values") + " " + strictUnlisted})
		incomplete = true
	}
	if res.Unchecked > 0 {
		// As a file that could not be read: past its check budget, whether
		// the commit adds a key there is not known.
		c.gaps = append(c.gaps, report.Gap{Reason: "unchecked", Count: res.Unchecked,
			Message: report.Count(res.Unchecked, "file", "files") + " " + strictUnchecked})
		fmt.Fprintf(e.stderr, "keyscan staged: %s the commit changes %s\n", report.Count(res.Unchecked, "file", "files"), strictUnchecked)
		incomplete = true
	}
	if c.tooLargeFail(e.stderr, "staged", res.TooLarge+res.ArchiveTooLarge, res.Warnings, warningLine(c.showSecrets, sc, res.Findings)) {
		incomplete = true
	}
	// A candidate Go file too large to type-check (qa29 M4): as a file over
	// max_file_size, whatever --strict says.
	if c.gapFail(e.stderr, "staged", "typecheck-size", res.GoTooLarge, "Go file", "Go files", hookGoTooLarge) {
		incomplete = true
	}
	// Past the commit's type-check budget too, whatever --strict says
	// (qa31 F14: padding spent the budget before the file that built a key).
	if c.gapFail(e.stderr, "staged", "typecheck", res.GoLeft, "Go file", "Go files", strictGoLeft) {
		incomplete = true
	}
	// A type check the watch abandoned (typecheck_timeout): a key the
	// file builds is not known, whatever --strict says.
	if c.stallGaps(ctx, cfg, e.stderr, "staged") {
		incomplete = true
	}
	// The rest is said in every format, and fails the hook with --strict
	// (strictGap).
	strict := *so.strict || cfg.Strict
	for _, f := range []bool{
		c.strictGap(e.stderr, "staged", "archive", res.ArchiveUnscanned, strictCount(strict, res.ArchiveUnscanned), "archive part", "archive parts", strictArchives),
		c.strictGap(e.stderr, "staged", "lfs", res.LFS, strictCount(strict, res.LFS), "Git LFS file", "Git LFS files", "not scanned (the content is not in the repository's lfs/objects)"),
		c.strictGap(e.stderr, "staged", "undecoded", res.Undecoded, strictCount(strict, res.Undecoded), "encoded run", "encoded runs", strictUndecoded),
	} {
		incomplete = incomplete || f
	}
	code := emit(ctx, res.Findings, c, "staged", e)
	if code == exitFindings && c.format == "text" && !c.quiet {
		// git sets GIT_INDEX_FILE for the hooks it runs; by hand, nothing
		// was stopped.
		stagedFooter(e.stderr, e.getenv("GIT_INDEX_FILE") != "", e.getenv(hookEnv))
	}
	if res.Unlisted > 0 && code != exitInterrupted {
		// Past the limit, whether the commit adds a value is not known:
		// the commit is not known to be clean, whatever --strict says.
		fmt.Fprintf(e.stderr, "keyscan staged: %s past max_findings_per_file in the files the commit changes were not checked (see the warnings): raise max_findings_per_file (0: no limit) to check them\n",
			report.Count(res.Unlisted, "candidate value", "candidate values"))
	}
	if incomplete && code != exitInterrupted {
		return exitError
	}
	return code
}

// stagedFooter tells a developer whose commit was stopped (inHook), or who
// ran keyscan staged by hand, what to do next. It is printed once, after the
// findings, on standard error so that it never mixes with a report written
// to standard output or --output. hook is the hook that runs keyscan (the
// hooks keyscan writes set hookEnv): git am runs pre-applypatch without
// GIT_INDEX_FILE, and its patch is fixed and skipped its own way.
func stagedFooter(w io.Writer, inHook bool, hook string) {
	if hook == "pre-applypatch" {
		fmt.Fprint(w, `
keyscan: this patch adds the credentials above, so git am stopped before committing it.
  To fix: remove each value from the files git am applied (the report above
    says how for each kind of file), git add them, then git am --continue.
  A false positive? Put "keyscan:allow <reason>" in a comment on its line,
    or record it in a baseline and run the hook with --baseline.
  To apply it anyway: git -c core.hooksPath=/dev/null am --continue (skips
    every hook); git am --abort gives the patch up.
`)
		return
	}
	if inHook {
		fmt.Fprint(w, "\nkeyscan: this commit adds the credentials above, so it was stopped.\n")
	} else {
		fmt.Fprint(w, "\nkeyscan: the staged changes add the credentials above; the pre-commit hook would stop their commit.\n")
	}
	fmt.Fprint(w, `  To fix: remove each value and let the code take credentials from the
    instance role (the report above says how for each kind of file), then
    git add the files again.
  A false positive? Put "keyscan:allow <reason>" in a comment on its line,
    or record it in a baseline:
      keyscan baseline staged --output .keyscan-baseline.json
    and run the hook as keyscan staged --baseline .keyscan-baseline.json.
  To commit anyway: git commit --no-verify (skips every pre-commit hook;
    for an automatic merge: git merge --no-verify).
`)
}

// gitHeads returns the commits git merge is merging, from the GITHEAD_<id>
// variables it sets for the hooks it runs. pre-merge-commit runs before git
// writes MERGE_HEAD, so these are how keyscan staged learns that the commit
// is a merge and which parents it has.
func gitHeads(e *env) []gitobj.ID {
	if e.environ == nil {
		return nil
	}
	var out []gitobj.ID
	for _, kv := range e.environ() {
		name, _, _ := strings.Cut(kv, "=")
		if hex, ok := strings.CutPrefix(name, "GITHEAD_"); ok {
			if id, ok := gitobj.ParseID(hex); ok {
				out = append(out, id)
			}
		}
	}
	return out
}

// fileNamedLikeFlag returns the first argument before "--" that starts
// with "-" and names a file in the current folder, or "".
func fileNamedLikeFlag(args []string) string {
	for _, a := range args {
		if a == "--" {
			return ""
		}
		if len(a) > 1 && a[0] == '-' {
			if _, err := os.Lstat(a); err == nil {
				return a
			}
		}
	}
	return ""
}

// withoutFlag returns args without the boolean flag name (-name, --name,
// -name=v, --name=v) before "--".
func withoutFlag(args []string, name string) []string {
	var out []string
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		f := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if a != f && (f == name || strings.HasPrefix(f, name+"=")) {
			continue
		}
		out = append(out, a)
	}
	return out
}
