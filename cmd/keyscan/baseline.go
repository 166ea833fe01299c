package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/baseline"
	"github.com/keyscan/keyscan/internal/outfile"
	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/staged"
)

const baselineUsage = "baseline [scan|history|staged] [flags] [ARGS]"

// runBaseline runs a scanning command and prints a baseline of what it
// found: keyscan baseline history --all . > .keyscan-baseline.json. The
// command runs with --format json, whose fingerprints the baseline keeps;
// secrets never reach the baseline.
func runBaseline(ctx context.Context, args []string, e *env) int {
	sub := ""
	var output string
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if a == "--" { // the rest are operands of the command
			rest = append(rest, args[i:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			if sub == "" && (a == "scan" || a == "history" || a == "staged") {
				sub = a // the command may come after --output
				continue
			}
			rest = append(rest, a) // an operand, or a flag's value: flags may follow operands
			continue
		}
		switch name {
		case "h", "help":
			return baselineHelp(ctx, args, e)
		case "format":
			fmt.Fprintln(e.stderr, "keyscan baseline: --format: a baseline has one format")
			return exitError
		case "test-keys":
			fmt.Fprintln(e.stderr, "keyscan baseline: --test-keys: a baseline records findings, and test keys are not reported")
			return exitError
		case "baseline":
			fmt.Fprintln(e.stderr, "keyscan baseline: --baseline: a new baseline records every current finding; write it afresh")
			return exitError
		case "show-secrets":
			// A baseline never holds a secret, not even in a path: the
			// report it is made from keeps values redacted.
			continue
		case "output":
			if !hasValue {
				if i+1 >= len(args) {
					fmt.Fprintln(e.stderr, "keyscan baseline: --output needs a file")
					return exitError
				}
				i++
				value = args[i]
			}
			output = value
			continue
		}
		rest = append(rest, a)
	}
	if sub == "" {
		sub = "scan"
	}
	var run func(context.Context, []string, *env) int
	for _, c := range commands() {
		if c.name == sub {
			run = c.run
		}
	}
	var out bytes.Buffer
	sube := *e
	sube.stdout = &out
	if code := run(ctx, append([]string{"--format=json"}, rest...), &sube); code == exitError || code == exitInterrupted {
		return code
	}
	b, err := baseline.Parse(out.Bytes())
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan baseline: reading the %s report: %v\n", sub, err)
		return exitError
	}
	if sub == "scan" {
		// scan's report shows paths as they open from here; an entry
		// names its file as the fingerprint does, from the top of the
		// work tree, so that it does not depend on where the baseline
		// was made and a rename can be told (baseline.FilterMoved).
		// history and staged name files that way already.
		if n, err := pathname.New(); err == nil {
			for i := range b.Entries {
				b.Entries[i].File = n.Key(b.Entries[i].File)
			}
		}
	}
	w := e.stdout
	var f *outfile.File
	if output != "" {
		if f, err = outfile.CreateBeneath(output, false); err != nil {
			fmt.Fprintf(e.stderr, "keyscan baseline: %v\n", err)
			return exitError
		}
		w = f
	}
	err = b.Write(w)
	if f != nil {
		if err = f.Finish(err); err != nil {
			err = fmt.Errorf("--output: %w", err)
		}
	}
	if err != nil {
		// The wording every command gives a report it could not write
		// (emit), so that a script sees one message (newuser LOW-28).
		fmt.Fprintf(e.stderr, "keyscan: writing report: %v\n", err)
		return exitError
	}
	noun := "findings"
	if len(b.Entries) == 1 {
		noun = "finding"
	}
	fmt.Fprintf(e.stderr, "keyscan baseline: %d %s recorded\n", len(b.Entries), noun)
	return exitClean
}

// applyBaseline drops the findings recorded in the baseline file and returns
// the entries that matched nothing (not for staged), for the user to delete, and those that
// matched at a new path, for the user to record again. scan and staged see
// one path per finding: an entry whose file is gone (renamed or moved, as
// gone tells) accepts its value at one new path (baseline.FilterMoved).
// history lists every path of a value and those HEAD holds it at, and
// judges each (baseline.FilterMoved).
//
// scanned, when not nil, says whether an entry's file lies in what the run
// walked: an entry elsewhere (a file beside the folder a CI job scans with
// the work tree's shared baseline) was not looked for, so it is not stale
// (qa16 MEDIUM-1), and "remove it" would un-accept a key the full scan
// still finds.
func applyBaseline(fs scanner.Findings, path, command string, gone func(*scanner.Finding, string) bool, scanned func(string) bool) (kept scanner.Findings, stale, moved []string, err error) {
	b, err := baseline.Load(path)
	if err != nil {
		return nil, nil, nil, err
	}
	kept, st, mv := b.FilterMoved(fs, gone)
	if command == "staged" {
		// staged finds the values a commit adds, not every value of the
		// tree: an entry it does not meet is not known to be stale, and
		// "remove it" would un-accept a key that scan still finds.
		st = nil
	}
	for _, e := range st {
		if scanned == nil || scanned(e.File) {
			stale = append(stale, e.String())
		}
	}
	for _, m := range mv {
		moved = append(moved, m.Entry.String()+" -> "+m.Path)
	}
	return kept, stale, moved, nil
}

// fileGoneFor is fileGone for the baseline at path. A baseline kept in a
// work tree names that work tree's files: a finding in no work tree (a
// build artifact's folder scanned with the repository's baseline) is no
// file of it moved, so no entry accepts it as one (qa16 MEDIUM-1). A
// baseline kept in no work tree names files from where it was made, which
// only the findings' folder can stand for.
func fileGoneFor(n *pathname.Namer, path string) func(f *scanner.Finding, file string) bool {
	if n.Top(filepath.Dir(n.Abs(path))) == "" {
		return fileGone
	}
	return func(f *scanner.Finding, file string) bool {
		abs, err := filepath.Abs(f.File)
		return err == nil && n.Top(filepath.Dir(abs)) != "" && fileGone(f, file)
	}
}

// scannedIn returns scan's test of whether a baseline entry's file lies in
// one of the roots walked: the entry names it from the top of its work tree
// (as fingerprints do), so it is looked for from the top of each root's
// work tree (from the working directory for a root in none, as such files
// are named), or where it says when absolute; an archive member's entry
// ("a.zip!m") lies where its archive does.
func scannedIn(n *pathname.Namer, roots []string) func(file string) bool {
	type place struct{ root, base string }
	places := make([]place, 0, len(roots))
	for _, r := range roots {
		abs := n.Abs(r)
		dir := abs
		if st, err := os.Stat(abs); err == nil && !st.IsDir() {
			dir = filepath.Dir(abs)
		}
		base := n.Top(dir)
		if base == "" {
			base = n.Abs(".")
		}
		places = append(places, place{root: abs, base: base})
	}
	return func(file string) bool {
		p := filepath.FromSlash(file)
		for _, pl := range places {
			at := p
			if !filepath.IsAbs(p) {
				at = filepath.Join(pl.base, p)
			}
			if pathname.Within(pl.root, at) {
				return true
			}
			if i := strings.IndexByte(at, '!'); i > 0 && pathname.Within(pl.root, at[:i]) {
				return true
			}
		}
		return false
	}
}

// fileGone is scan's test for FilterMoved: whether the file a baseline
// entry names (from the top of its work tree, as fingerprints name files)
// no longer exists in the work tree where f was found, the folder where f's
// shown path (File) ends in its RepoPath. A file that cannot be told gone
// (an error other than "does not exist", an archive that still exists for
// a member's entry) is not gone. A copy whose original is still on disk is
// new, whatever folders were scanned.
func fileGone(f *scanner.Finding, file string) bool {
	if f.RepoPath == "" {
		return false
	}
	abs, err := filepath.Abs(f.File)
	if err != nil {
		return false
	}
	a := filepath.ToSlash(abs)
	if !strings.HasSuffix(a, "/"+f.RepoPath) {
		return false
	}
	p := filepath.FromSlash(file)
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.FromSlash(strings.TrimSuffix(a, f.RepoPath)), p)
	}
	if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	// An archive member's entry ("a.zip!m"): gone only with its archive.
	for i := len(p) - 1; i > 0; i-- {
		if p[i] == '!' {
			if _, err := os.Lstat(p[:i]); !errors.Is(err, fs.ErrNotExist) {
				return false
			}
		}
	}
	return true
}

// removedBy is staged's test for FilterMoved: whether the commit deletes
// or renames away the file an entry names. staged reads only what the
// commit changes, so "not found" means nothing there; a file the commit
// removes is gone, and the values the commit adds elsewhere may be its
// keys moved. A copy of an accepted key made while its file stays is new.
func removedBy(files []staged.File) func(*scanner.Finding, string) bool {
	removed := map[string]bool{}
	for _, f := range files {
		switch f.Status {
		case staged.Deleted:
			removed[f.Path] = true
		case staged.Renamed:
			removed[f.OldPath] = true
		}
	}
	return func(_ *scanner.Finding, file string) bool { return removed[file] }
}

// missingBaseline returns why the --baseline file cannot serve (it does
// not exist) and what to do, or nil: said before any scanning, so that a
// hook installed before its baseline was made names the file, the folder
// it was looked for in, and the two ways out, instead of a bare "no such
// file" on every commit (a run without its baseline would report every
// accepted key, so none goes on). hook is the hook running keyscan (the
// value of hookEnv), "" by hand; sub is the command ("staged", "history").
func missingBaseline(path, sub, hook string) error {
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil // another error (a folder, no permission) is baseline.Load's to say
	}
	where, _ := filepath.Abs(filepath.Dir(path))
	msg := fmt.Sprintf("keyscan %s: --baseline %s: no such file (looked for in %s), so nothing was checked", sub, path, where)
	switch {
	case hook == "pre-push":
		msg += ", and the push is stopped. The pre-push hook passes this --baseline, and the file is not there (never made, or deleted): " +
			"make it (keyscan baseline history --output " + path + " .), or install the hook again without it (keyscan hook install --type pre-push), which rewrites it"
	case hook != "":
		msg += ", and the " + hook + " hook stops git. keyscan's commit hooks pass this --baseline, and the file is not there (never made, or deleted): " +
			"make it (keyscan baseline scan --output " + path + " .: the findings the work tree holds today), " +
			"or install the hooks again without it (keyscan hook install), which rewrites them"
	default:
		msg += ": make it first (keyscan baseline " + baselineMaker(sub) + " --output " + path + " .), or name another file"
	}
	return errors.New(msg)
}

// baselineMaker is the baseline command that makes a baseline for sub.
func baselineMaker(sub string) string {
	if sub == "history" {
		return "history"
	}
	return "scan"
}

// baselineHelp prints baseline's help: its commands, its own flag, and
// the flags of the command it runs (args name it; scan by default), which
// it takes but the three it refuses, on stdout: help asked for (qa36 D1).
func baselineHelp(ctx context.Context, args []string, e *env) int {
	sub := "scan"
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "scan" || a == "history" || a == "staged" {
			sub = a
			break
		}
	}
	fmt.Fprintf(e.stdout, "usage: keyscan %s\n\nRuns the command with its flags and prints a baseline of its findings "+
		"(fingerprints, rules and files; never secrets).\n\nSubcommands:\n"+
		"  scan       files and folders (the default)\n  history    every blob of a repository's history\n"+
		"  staged     what the next commit would add\n\nFlags:\n  -output FILE\n    \twrite the baseline to FILE (default: standard output)\n\n"+
		"and the flags of keyscan %s but --format, --baseline and --test-keys (--show-secrets is ignored):\n\n", baselineUsage, sub)
	var help bytes.Buffer
	for _, c := range commands() {
		if c.name == sub {
			c.run(ctx, []string{"--help"}, &env{stdin: e.stdin, stdout: &help, stderr: &help, getenv: e.getenv, environ: e.environ})
		}
	}
	// The command's own list, but the flags baseline refuses, and its
	// --output, which is baseline's: each is a
	// line "  -NAME ..." and the lines of its text, indented further.
	skip := false
	for _, l := range strings.SplitAfter(help.String(), "\n") {
		if name, ok := strings.CutPrefix(l, "  -"); ok {
			name, _, _ = strings.Cut(strings.TrimSpace(name), " ")
			skip = name == "format" || name == "baseline" || name == "test-keys" || name == "output"
		} else if !strings.HasPrefix(l, "    ") {
			skip = false
		}
		if !skip {
			io.WriteString(e.stdout, l)
		}
	}
	return exitClean
}
