package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/pathname"
	"github.com/keyscan/keyscan/report"
)

// patchPart is one file's diff in keyscan fix's patch and the folder where
// git apply takes it ("" for the working directory).
type patchPart struct {
	diff    string
	applyIn string
	root    string // the argument the file was found under, absolute
}

// patchName is the path a diff gives the file after a/ and b/, and the
// folder where git apply takes it ("" for the working directory).
//
// It is the path from the outermost folder holding the file of these two:
// the top of the working directory's work tree (the working directory
// itself outside every work tree) and the top of the argument's work tree.
// git apply patches a file by its path, across a submodule's gitlink or
// into a nested repository, so a superproject's patch names a submodule's
// file lib/sub.env and applies whole at the top (qa15 MEDIUM-12), from any
// folder of it that holds every file it changes. git apply refuses absolute
// and "../" paths, so a file below neither is named from the argument it
// was found under, and the patch is applied there.
func patchName(n *pathname.Namer, cwdTop string, t fixTarget) (name, applyIn string) {
	abs, cwd := n.Abs(t.disk), n.Abs(".")
	argDir := n.Abs(t.root)
	if !t.rootIsDir {
		argDir = filepath.Dir(argDir)
	}
	here := cwdTop
	if here == "" {
		here = cwd
	}
	base := argDir
	for i, dir := range []string{here, n.Top(argDir)} {
		if dir != "" && pathname.Within(dir, abs) && (i == 0 || base == argDir || pathname.Within(dir, base)) {
			base = dir
		}
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil {
		return filepath.ToSlash(t.disk), ""
	}
	if base == here && pathname.Within(cwd, abs) {
		// From a sub-folder of the work tree, git apply takes a name
		// from the top and patches the files below that folder; a file
		// outside it it would miss, so that is applied from the top.
		return filepath.ToSlash(rel), ""
	}
	return filepath.ToSlash(rel), base
}

// inGitFolder reports whether a patch name passes through a folder that git
// apply refuses to write in, whatever the folder it runs in: git's own
// folder, .git in any letter case, and the names NTFS and HFS+ take for it
// that git also refuses (".git." or ".git " and "git~1"; git's
// verify_path). A hook script in .git/hooks holds keys as any script does
// (the walk reads it), but a patch naming it would make git apply refuse
// the whole patch (qa15 MEDIUM-11).
func inGitFolder(name string) bool {
	for _, c := range strings.Split(name, "/") {
		c = strings.ToLower(strings.TrimRight(c, ". "))
		if c == ".git" || c == "git~1" {
			return true
		}
	}
	return false
}

// writePatch writes to out the parts of the patch that git apply takes in
// one place, and says on msg where each other part goes: git apply takes a
// patch in one folder, and is all or nothing, so a patch mixing files that
// apply in two places would apply nowhere. The working directory's files
// come first; files that only apply elsewhere are left to a second run
// whose command is given: (cd DIR && keyscan fix --show-secrets ARG... |
// git apply).
// That command names the arguments absolute and runs in DIR, so that it
// gives the same patch, applied there, wherever it is run.
func writePatch(out, msg io.Writer, parts []patchPart, cwdTop string, hide func(string) string) {
	if len(parts) == 0 {
		return
	}
	// A file below the working directory is named from the top of its
	// work tree: when another file must be applied from that top, the
	// whole patch is.
	if cwdTop != "" && slices.ContainsFunc(parts, func(p patchPart) bool { return p.applyIn == cwdTop }) {
		for i := range parts {
			if parts[i].applyIn == "" {
				parts[i].applyIn = cwdTop
			}
		}
	}
	here := parts[0].applyIn
	for _, p := range parts {
		if p.applyIn == "" || p.applyIn == cwdTop {
			here = p.applyIn
			break
		}
	}
	var others []string
	roots := map[string][]string{}
	files := map[string]int{}
	for _, p := range parts {
		if p.applyIn == here {
			io.WriteString(out, p.diff)
			continue
		}
		if files[p.applyIn] == 0 {
			others = append(others, p.applyIn)
		}
		files[p.applyIn]++
		if !slices.Contains(roots[p.applyIn], p.root) {
			roots[p.applyIn] = append(roots[p.applyIn], p.root)
		}
	}
	if here != "" {
		fmt.Fprintf(msg, "keyscan fix: the patch names the files under %s from there: apply it with git -C %s apply\n",
			report.Printable(hide(here)), shellQuote(here))
	}
	for _, dir := range others {
		args := make([]string, len(roots[dir]))
		for i, r := range roots[dir] {
			args[i] = shellQuote(r)
		}
		fmt.Fprintf(msg, "keyscan fix: %s under %s left out of this patch (git apply takes a patch in one folder, all or nothing): "+
			"change them with (cd %s && keyscan fix --show-secrets %s | git apply)\n",
			nFiles(files[dir]), report.Printable(hide(dir)), report.Printable(hide(shellQuote(dir))), report.Printable(hide(strings.Join(args, " "))))
	}
}

// gitFolderManual lists the keys of a file in a git folder, which the
// patch leaves out, for a change by hand.
func gitFolderManual(res *fix.Result, name string) []fix.Manual {
	var m []fix.Manual
	for _, f := range res.Fixed {
		m = append(m, fix.Manual{Finding: f, Reason: "in git's own folder (" + name + "), where git apply writes nothing: " +
			"the patch leaves it out; edit the file yourself, or run keyscan fix --write"})
	}
	return m
}
