package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/lfs"
	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/report"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/walk"
)

const fixUsage = "fix [--diff|--write] [flags] [PATH...]"

// runFix shows (--diff, the default) or applies (--write) the change that
// removes hardcoded keys from configuration files. Exit status: with --diff,
// 1 when there is anything to change or to do by hand; with --write, 1 when
// findings remain that need a change by hand, 0 when every one was removed.
// Either way the keys must still be rotated, which the output says.
func runFix(ctx context.Context, args []string, e *env) int {
	return runFixCached(ctx, args, e, true)
}

// runFixCached is runFix; cached false has every rule ask the file system
// itself (a nil treeCache), for the test that the cache changes nothing.
func runFixCached(ctx context.Context, args []string, e *env, cached bool) int {
	fl := newFlagSet("fix", fixUsage, e)
	var (
		showDiff, write, quiet, noColor bool
		configPath                      string
	)
	fl.BoolVar(&showDiff, "diff", false, "print the change as a unified diff (the default)")
	fl.BoolVar(&write, "write", false, "rewrite the files in place")
	fl.StringVar(&configPath, "config", "", "configuration `FILE` (default: .keyscan.toml at the top of the git work tree; outside one, the nearest at or above the path)")
	fl.BoolVar(&quiet, "quiet", false, "print only the diff or the names of the files rewritten")
	fl.BoolVar(&noColor, "no-color", false, "accepted for symmetry with the other commands; fix prints no colour")
	showSecrets := fl.Bool("show-secrets", false, "print the removed values in the diff unredacted (needed to pipe it to git apply)")
	if ok, code := parseFlags(fl, args); !ok {
		return code
	}
	if showDiff && write {
		fmt.Fprintln(e.stderr, "keyscan fix: --diff and --write exclude each other")
		return exitError
	}
	roots := fl.Args()
	if len(roots) == 0 {
		roots = []string{"."}
	}

	// The walk finds which files hold keys; each is then read again and
	// scanned alone so that the offsets belong to the bytes being rewritten.
	var (
		targets    []fixTarget
		dirTargets []fixTarget // one per folder named: where fixrefs.go looks for readers
		all        scanner.Findings
		manual     []fix.Manual
		hideIn     *scanner.Scanner // a matcher, to find values in paths
		unchecked  int64            // files not checked whole (check budget)
		lfsUnread  int64            // Git LFS pointers whose content was not read
	)
	for _, root := range roots {
		// Each root is governed by its scope's configuration, with paths
		// from the scope's base, as in scan (see configGroups).
		groups, err := configGroups(&commonFlags{configPath: configPath}, []string{root})
		if err != nil {
			fmt.Fprintf(e.stderr, "keyscan fix: %v\n", err)
			return exitError
		}
		g := groups[0]
		cfg, sc := g.cfg, g.sc
		// The walk looks where scan looks (archives, binary files), so that
		// a key fix cannot rewrite is listed for a person, never dropped.
		res, err := walk.Walk(ctx, []string{root}, sc, walk.Options{MaxFileSize: cfg.MaxFileSize, Excluded: excluder(cfg), RootPath: g.rootPath, Content: cfg.ContentOptions()})
		if ctx.Err() != nil {
			fmt.Fprintln(e.stderr, "keyscan fix: interrupted: no file rewritten")
			return exitInterrupted
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "keyscan fix: %v\n", err)
			return exitError
		}
		hideIn = sc
		unchecked += res.Stats.Unchecked
		lfsUnread += res.Stats.LFS
		hideWarning := warningLine(*showSecrets, sc, res.Findings)
		for _, w := range res.Warnings {
			fmt.Fprintf(e.stderr, "keyscan: warning: %s\n", hideWarning(w.String()))
		}
		isDir := false
		if st, err := os.Stat(root); err == nil && st.IsDir() {
			isDir = true
		}
		var cache *treeCache // one per root: its rules share what they saw of it
		if cached {
			cache = newTreeCache(root)
		}
		if isDir {
			dirTargets = append(dirTargets, fixTarget{root: root, rootIsDir: true, maxSize: cfg.MaxFileSize, cache: cache})
		}
		seen := map[string]int{} // a file's index in targets, plus one
		for _, f := range res.Findings {
			if reason := notRewritable(f, root); reason != "" {
				all = append(all, f)
				manual = append(manual, fix.Manual{Finding: f, Reason: reason})
				continue
			}
			if i := seen[f.File]; i > 0 {
				targets[i-1].found = append(targets[i-1].found, f)
				continue
			}
			disk := filepath.FromSlash(f.File) // the walk names files as they open from here
			targets = append(targets, fixTarget{name: f.File, disk: disk, root: root, rootIsDir: isDir, maxSize: cfg.MaxFileSize, sc: sc, cache: cache,
				composeFile: e.getenv("COMPOSE_FILE"), composeSep: e.getenv("COMPOSE_PATH_SEPARATOR"), found: scanner.Findings{f}})
			seen[f.File] = len(targets)
		}
	}
	sort.Slice(targets, func(i, j int) bool { return targets[i].disk < targets[j].disk })

	namer, err := pathname.New()
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan fix: %v\n", err)
		return exitError
	}
	cwdTop := namer.Top(namer.Abs("."))
	// A secret in a path is redacted wherever fix shows the path (diff
	// headers, warnings, "Change by hand") unless --show-secrets, as the
	// reports of the other commands redact it (scanner.PathHider).
	hide := warningHider(*showSecrets, hideIn, all)

	// Messages go to stderr with --diff so that stdout is a patch for git apply.
	msg := e.stderr
	if write {
		msg = e.stdout
	}
	var (
		notes   []string
		changed bool
		written int
		parts   []patchPart // --diff: each file's diff, written once all are known
	)
	// First every change, then the check that no file of the run still
	// reads what a change removes (fixrefs.go), then the output: a file's
	// change may depend on what another file reads.
	files := make([]*fixedFile, 0, len(targets))
	for i, t := range targets {
		// An interrupt stops between files: each file is replaced whole or
		// not at all, and the user learns how far keyscan got.
		if ctx.Err() != nil {
			fmt.Fprintf(e.stderr, "keyscan fix: interrupted: %d of %d files not looked at\n", len(targets)-i, len(targets))
			return exitInterrupted
		}
		// Read again as the walk read it: never blocking, never more than
		// the file's size, and a file found in a folder is opened from the
		// root following no link, so a folder or file swapped for a link
		// since the walk is not followed (internal/readfile).
		data, err := t.read(t.rel(), t.maxSize)
		if err != nil {
			fmt.Fprintf(e.stderr, "keyscan fix: %v\n", err)
			return exitError
		}
		fs := t.sc.Scan(t.name, data)
		if len(fs) == 0 {
			// The walk found keys that these bytes do not hold: never
			// report such a file clean (fix23).
			all = append(all, t.found...)
			for _, f := range t.found {
				manual = append(manual, fix.Manual{Finding: f, Reason: notFoundAgain(data)})
			}
			continue
		}
		all = append(all, fs...)
		opts := siblingOptions(t, data)
		envFileHolds(t, data, fs, &opts)
		composeHolds(t, data, fs, &opts)
		dotenvHolds(t, data, fs, &opts)
		configLayerHolds(t, data, fs, &opts)
		appConfigProjectHolds(t, data, fs, &opts)
		helmHolds(t, data, fs, &opts)
		tfOverrideHolds(t, data, fs, &opts)
		environmentHolds(t, data, fs, &opts)
		appConfigAloneHolds(t, data, fs, &opts)
		platformHolds(t, data, fs, &opts)
		deploymentHolds(t, data, fs, &opts)
		neighbourPlatformHolds(t, fs, &opts)
		gitlabIncluded(t, data, &opts)
		res, err := fix.ApplyWith(t.name, data, fs, opts)
		if err != nil {
			fmt.Fprintf(e.stderr, "keyscan fix: %v\n", err)
			for _, f := range fs {
				manual = append(manual, fix.Manual{Finding: f, Reason: "the automatic change failed; remove the key by hand"})
			}
			continue
		}
		files = append(files, &fixedFile{t: t, data: data, fs: fs, opts: opts, res: res})
	}
	files = holdDangling(files, dirTargets)
	for i, ff := range files {
		if ctx.Err() != nil {
			if write {
				fmt.Fprintf(e.stderr, "keyscan fix: interrupted: %s rewritten, %d not looked at\n", nFiles(written), len(files)-i)
			} else {
				fmt.Fprintf(e.stderr, "keyscan fix: interrupted: %d of %d files not looked at\n", len(files)-i, len(files))
			}
			return exitInterrupted
		}
		t, data, fs, res := ff.t, ff.data, ff.fs, ff.res
		manual = append(manual, res.Manual...)
		notes = append(notes, res.Notes...)
		if !res.Changed() {
			continue
		}
		changed = true
		if !write {
			name, applyIn := patchName(namer, cwdTop, t)
			if inGitFolder(name) {
				manual = append(manual, gitFolderManual(res, hide(name))...)
				continue
			}
			diff := fix.Unified(name, data, res.Content)
			if !*showSecrets {
				diff = redactDiff(diff, data, fs, hide)
			}
			parts = append(parts, patchPart{diff: diff, applyIn: applyIn, root: namer.Abs(t.root)})
			continue
		}
		if err := fix.WriteFileUnder(t.root, t.disk, res.Content); err != nil {
			var refused *fix.RefusedError
			if !errors.As(err, &refused) {
				fmt.Fprintf(e.stderr, "keyscan fix: %v\n", err)
				if written > 0 {
					fmt.Fprintf(e.stderr, "keyscan fix: %s rewritten before the error\n", nFiles(written))
				}
				return exitError
			}
			// Named as the report names it, from the working directory.
			fmt.Fprintf(e.stderr, "keyscan: warning: %s: %s\n", report.Printable(hide(t.name)), refused.Reason)
			for _, f := range res.Fixed {
				manual = append(manual, fix.Manual{Finding: f, Reason: "keyscan fix did not rewrite the file: " + refused.Reason})
			}
			continue
		}
		written++
		if len(res.Fixed) == 0 {
			fmt.Fprintf(msg, "keyscan fix: rewrote %s (%d env entries that read removed Secret keys)\n", report.Printable(hide(t.disk)), res.Readers)
			continue
		}
		fmt.Fprintf(msg, "keyscan fix: rewrote %s (%d removed)\n", report.Printable(hide(t.disk)), len(res.Fixed))
	}
	writePatch(e.stdout, e.stderr, parts, cwdTop, hide)
	if !quiet {
		writeFixTodo(msg, manual, notes, all, hide)
	}
	if lfsUnread > 0 {
		// A pointer whose content is not here may hold keys: fix neither
		// removed nor listed them, so it did not do what was asked (fix23).
		fmt.Fprintf(e.stderr, "keyscan fix: %s whose content was not read (see the warnings): a key in it is neither fixed nor listed; "+
			"fetch the content (git lfs pull) and run keyscan fix again\n", report.Count(int(lfsUnread), "Git LFS pointer", "Git LFS pointers"))
		return exitError
	}
	if unchecked > 0 {
		// Past a file's check budget, a key is neither fixed nor listed:
		// fix did not do what it was asked, whatever it did elsewhere
		// (qa13 MEDIUM-5), as staged and pre-receive fail on such a file.
		fmt.Fprintf(e.stderr, "keyscan fix: %s not checked whole (the file's check budget spent, see the warnings): a key past that point is neither fixed nor listed; "+
			"remove the keys by hand, or raise check_budget (0: no limit) and run keyscan fix again\n", report.Count(int(unchecked), "file", "files"))
		return exitError
	}
	switch {
	case len(all) == 0:
		return exitClean
	case write && len(manual) == 0:
		return exitClean
	case !write && !changed && len(manual) == 0:
		return exitClean
	}
	return exitFindings
}

// exitInterrupted is the status of a fix stopped by an interrupt (SIGINT),
// 128 plus the signal's number as shells report it: whatever was rewritten
// before is whole, the rest untouched.
const exitInterrupted = 130

func nFiles(n int) string {
	if n == 1 {
		return "1 file"
	}
	return fmt.Sprintf("%d files", n)
}

type fixTarget struct {
	name      string // as reported, the scanner's file name
	disk      string // path to read and write
	root      string // the argument the file was found under
	rootIsDir bool
	maxSize   int64            // max_file_size of the root's configuration
	sc        *scanner.Scanner // the matcher made from it
	cache     *treeCache       // what the run saw of the root, shared by its targets
	// COMPOSE_FILE and COMPOSE_PATH_SEPARATOR of the environment
	// keyscan fix runs in, which docker compose reads (fixcompose.go).
	composeFile, composeSep string
	found                   scanner.Findings // what the walk found in the file
}

// notFoundAgain is the reason a key the walk found stays for a person
// when the bytes of its file, read again to be rewritten (data), do not
// hold it: a Git LFS pointer, which the walk read through to its content
// in lfs/objects, or a file that changed since the walk.
func notFoundAgain(data []byte) string {
	if _, ok := lfs.Parse(data); ok {
		return "in a file kept in Git LFS whose work tree copy is its pointer (its content, in lfs/objects, holds the key): " +
			"keyscan fix rewrites only the bytes in the work tree; check the content out (git lfs pull, or git lfs checkout) " +
			"and run keyscan fix again, or remove the key from the content by hand"
	}
	return "the file changed since keyscan read it and no longer holds this key where it was found: run keyscan fix again"
}

// rel is the target's path below its root folder, '/'-separated ("" for
// a file named as the root).
func (t fixTarget) rel() string {
	if !t.rootIsDir {
		return ""
	}
	r, err := filepath.Rel(t.root, t.disk)
	if err != nil {
		return filepath.ToSlash(t.disk) // not below: refused by FileBeneath's ".." check
	}
	return filepath.ToSlash(r)
}

// shown is the path below the target's root folder rel as the run names
// files (the root joined to it), for a reason that names another file.
func (t fixTarget) shown(rel string) string {
	if !t.rootIsDir {
		return rel
	}
	return path.Join(filepath.ToSlash(t.root), rel)
}

// read reads the file at rel below the target's root folder (the root
// itself when rel is ""), of at most max bytes, as the walk read it.
func (t fixTarget) read(rel string, max int64) ([]byte, error) {
	return t.cache.read(t.root, rel, t.disk, max)
}

// writeFixTodo prints what no tool can do: the findings to change by hand,
// the notes on the change, and the keys to rotate.
func writeFixTodo(w io.Writer, manual []fix.Manual, notes []string, all scanner.Findings, hide func(string) string) {
	if len(manual) > 0 {
		fmt.Fprintln(w, "\nChange by hand:")
		for _, m := range manual {
			f := m.Finding
			name := report.Printable(hide(f.File)) // a name the tree's author chose
			at := fmt.Sprintf("%s:%d:%d", name, f.Line, f.Column)
			switch {
			case f.InPath:
				at = name + " (in the path)"
			case f.Line == 0: // a binary file's text run: no line, a byte offset
				at = fmt.Sprintf("%s (byte %d)", name, f.Offset)
			}
			fmt.Fprintf(w, "  %s: %s %s: %s\n", at, f.Rule, scanner.Redact(f.Secret), report.Printable(m.Reason))
		}
	}
	if len(notes) > 0 {
		fmt.Fprintln(w, "\nNotes:")
		for _, n := range notes {
			fmt.Fprintf(w, "  %s\n", report.Printable(n))
		}
	}
	all.Sort()
	report.WriteRotation(w, all, report.Options{Format: "text"})
}

// siblingOptions reads, for an AWS credentials or config file found in a
// folder being fixed, the other of the pair beside it: a profile that the
// config assumes a role from (source_profile) keeps its keys, and so does
// a profile whose endpoint (endpoint_url, services = NAME) either file sets. Only files in
// the tree are read (a named file's neighbours were not named), as the walk
// reads them: regular files, no links followed.
func siblingOptions(t fixTarget, data []byte) fix.Options {
	var opts fix.Options
	if !t.rootIsDir || fix.Detect(t.name, data) != fix.INI {
		return opts
	}
	rel := t.rel()
	files := [][]byte{data}
	for _, sib := range []string{"config", "credentials"} {
		p := path.Join(path.Dir(rel), sib)
		if p == rel {
			continue
		}
		if b, err := t.read(p, 1<<20); err == nil {
			opts.SourceProfiles = append(opts.SourceProfiles, fix.SourceProfiles(b)...)
			files = append(files, b)
		}
	}
	opts.Endpoints = fix.ProfileEndpoints(files...)
	return opts
}

// redactDiff hides the values a diff removes, as every report does unless
// asked: the diff is for reading; --show-secrets makes one git apply takes,
// and --write applies the change without printing it.
//
// A value written over several lines (a \ line continuation, a
// concatenation) stands in the diff line by line, after the - of each:
// every piece of 8 characters or more is hidden whole.
func redactDiff(diff string, data []byte, fs scanner.Findings, hide func(string) string) string {
	// The file's name, in the header lines, through hide.
	if i := strings.Index(diff, "\n@@"); i >= 0 {
		diff = hide(diff[:i]) + diff[i:]
	}
	// One pass over the diff for all the values (a ReplaceAll per value
	// made a file of many pairs quadratic): whole values first, which win
	// where they start, then the pieces of values written over lines.
	var whole, pieces []string
	seen := map[string]bool{}
	for _, f := range fs {
		written := string(data[f.Offset:f.EndOffset])
		for _, v := range []string{written, f.Secret} {
			if len(v) >= 16 && !seen[v] {
				seen[v] = true
				whole = append(whole, v, scanner.Redact(v))
			}
		}
		if !strings.Contains(written, "\n") {
			continue
		}
		for _, piece := range strings.Split(written, "\n") {
			piece = strings.Trim(piece, " \t\r\\\"'`&|.,;()_") // not +, a value character
			if len(piece) >= 8 && !seen[piece] {
				seen[piece] = true
				pieces = append(pieces, piece, strings.Repeat("*", len(piece)))
			}
		}
	}
	if len(whole)+len(pieces) > 0 {
		diff = strings.NewReplacer(append(whole, pieces...)...).Replace(diff)
	}
	return diff
}

// notRewritable says why keyscan fix leaves a finding to a person: a key
// inside an archive member or in a binary file's text runs is in bytes that
// fix does not rewrite (rebuilding an archive or a binary is the build's
// job). Empty means the finding is in a text file fix can edit.
func notRewritable(f scanner.Finding, root string) string {
	if f.InPath {
		return "in the file's path: keyscan fix does not rename files; rename it (git mv) to a name without the key"
	}
	if f.Line == 0 {
		return "in a binary file: keyscan fix does not rewrite binary files; rebuild it without the key"
	}
	if st, err := os.Lstat(filepath.FromSlash(f.File)); err != nil || !st.Mode().IsRegular() {
		if strings.Contains(f.File, "!") {
			return "inside an archive: keyscan fix does not rewrite archives; rebuild it without the key"
		}
		if err == nil && st.Mode()&os.ModeSymlink != 0 && filepath.Clean(f.File) != filepath.Clean(root) {
			// A link met in the tree: the walk scanned its target's text (a
			// link named as the root was followed, and is judged below).
			return "in a symbolic link's target text: keyscan fix does not rewrite links; remove the link (git rm) or point it elsewhere"
		}
	}
	return ""
}
