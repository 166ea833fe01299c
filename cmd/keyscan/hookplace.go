package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Where git runs a work tree's hooks decides whether keyscan may write
// there. A core.hooksPath inside the work tree (husky's .husky, a
// .githooks folder; a relative core.hooksPath is taken from the top of the
// work tree that runs the hook) is that worktree's alone: the other
// worktrees of the repository run their own copy of the folder. When git
// tracks that folder, the hook keyscan would write there is a tracked
// file: git stash, checkout and reset put the tracked version back and
// remove the gate without a word, and git commit -a would share this
// machine's keyscan path with everyone. So keyscan does not write into a
// tracked hooks folder: it says which line to add to the team's own hook
// (the hook manager keeps it), and installs nowhere. A core.hooksPath from
// the user's global or the system's git config applies to every
// repository: install says so.

// hooksPlace is where a hooks folder lies.
type hooksPlace struct {
	dir       string   // the hooks folder
	rel       string   // dir relative to the top of the work tree, when inside it
	tracked   bool     // git tracks files in it
	worktrees []string // the repository's other worktrees (rel set)
	scope     string   // where core.hooksPath is set: global, system, local, worktree, command; "" unset
	value     string   // core.hooksPath as written
	link      string   // a folder of the work tree on the way to dir that is a symbolic link, "" when none
	linkDest  string   // where link points
}

// hooksDirPlace finds where dir, the folder git runs hooks from for the
// work tree at wd ("" for the working directory), lies.
func hooksDirPlace(ctx context.Context, wd, dir string) (hooksPlace, error) {
	p := hooksPlace{dir: dir}
	git := func(args ...string) (string, bool) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = wd
		out, err := cmd.Output()
		return strings.TrimSpace(string(out)), err == nil
	}
	if out, ok := git("config", "--show-scope", "--get", "core.hooksPath"); ok {
		p.scope, p.value, _ = strings.Cut(out, "\t")
	}
	top, ok := git("rev-parse", "--show-toplevel")
	if !ok || top == "" {
		return p, nil
	}
	if p.value != "" && !strings.HasPrefix(p.value, "~") {
		// git answers with the links resolved: look at the folder as
		// core.hooksPath names it (a relative one from the top).
		named := filepath.FromSlash(p.value)
		if !filepath.IsAbs(named) {
			named = filepath.Join(top, named)
		}
		p.link, p.linkDest = workTreeLink(top, named)
	}
	realTop, err := filepath.EvalSymlinks(top)
	if err != nil {
		realTop = top
	}
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil { // not there yet: its parent, resolved, and its name
		realDir = dir
		if parent, err := filepath.EvalSymlinks(filepath.Dir(dir)); err == nil {
			realDir = filepath.Join(parent, filepath.Base(dir))
		}
	}
	if inside(realTop, realDir) == "" {
		return p, nil // outside the work tree: a folder of its own
	}
	for _, which := range []string{"--git-dir", "--git-common-dir"} {
		if gd, ok := git("rev-parse", "--path-format=absolute", which); ok {
			if real, err := filepath.EvalSymlinks(gd); err == nil && inside(real, realDir) != "" {
				return p, nil // in the git folder (.git/hooks)
			}
		}
	}
	rel := inside(realTop, realDir)
	p.rel = filepath.ToSlash(rel)
	cmd := exec.CommandContext(ctx, "git", "ls-files", "-z", "--", rel)
	cmd.Dir = realTop
	out, err := cmd.Output()
	if err != nil {
		return p, fmt.Errorf("asking git whether it tracks the hooks folder %s: %w", dir, err)
	}
	p.tracked = len(out) > 0
	if out, ok := git("worktree", "list", "--porcelain"); ok {
		for _, line := range strings.Split(out, "\n") {
			if w, ok := strings.CutPrefix(line, "worktree "); ok {
				if rw, err := filepath.EvalSymlinks(w); err == nil && rw != realTop {
					p.worktrees = append(p.worktrees, w)
				}
			}
		}
	}
	return p, nil
}

// workTreeLink returns the first folder between the work tree's top and
// dir, the hooks folder as core.hooksPath names it, that is a symbolic link, with
// where it points ("" when dir is not in the work tree, or is in its .git).
// A work tree's folders are what a checkout writes: a link committed as
// the core.hooksPath folder (.githooks -> ../../.ssh) would choose where
// install writes, and put the folder out of the tracked check's sight. The
// git folder is not checkout content; a .git/hooks linked to a shared
// folder is the user's own setup, and followed.
func workTreeLink(top, dir string) (link, dest string) {
	rel := inside(top, dir)
	if rel == "" || rel == "." {
		return "", ""
	}
	parts := strings.Split(rel, string(filepath.Separator))
	if parts[0] == ".git" {
		return "", ""
	}
	p := top
	for _, part := range parts {
		p = filepath.Join(p, part)
		fi, err := os.Lstat(p)
		if err != nil {
			return "", ""
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			dest, _ := os.Readlink(p)
			return p, dest
		}
	}
	return "", ""
}

// linkRefusal says why install and uninstall do not write into a hooks
// folder reached through a link in the work tree.
func (p hooksPlace) linkRefusal() error {
	return fmt.Errorf("git runs hooks from %s (core.hooksPath = %s), and %s, a folder of the work tree on the way, is a symbolic link (to %s): "+
		"keyscan will not write hooks through a link that a checkout can plant; nothing was changed. "+
		"Point core.hooksPath at the real folder, or replace the link with a folder", p.dir, p.value, p.link, p.linkDest)
}

// note is what install adds about where the hooks went, or "".
func (p hooksPlace) note() string {
	var notes []string
	switch p.scope {
	case "global", "system":
		who := "of this user"
		if p.scope == "system" {
			who = "of every user of this machine"
		}
		notes = append(notes, fmt.Sprintf("note: %s is core.hooksPath from the %s git config: these hooks now run in every repository %s "+
			"(whose own config does not set core.hooksPath), and keyscan hook uninstall in any of them removes them from all", p.dir, p.scope, who))
	}
	if p.rel != "" {
		n := fmt.Sprintf("note: %s is inside this work tree (core.hooksPath = %s): git runs it for this worktree only, and git clean -x deletes it",
			p.dir, p.value)
		if len(p.worktrees) > 0 {
			n += fmt.Sprintf("; the other worktrees of the repository (%s) run their own %s and are not covered: install there too",
				strings.Join(p.worktrees, ", "), p.rel)
		}
		notes = append(notes, n)
	}
	return strings.Join(notes, "\n")
}

// trackedHooksRefusal says why install does not write into a tracked hooks
// folder, and the line to add to the team's hooks instead.
func trackedHooksRefusal(p hooksPlace, typ string, args []string) string {
	extra := ""
	for _, a := range args {
		extra += " " + shellQuote(a)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "git runs hooks from %s (core.hooksPath = %s), a folder of the work tree that git tracks (husky and the like): "+
		"keyscan will not write its hook there (a tracked file: git stash, checkout and reset would put the tracked hook back and remove the check "+
		"without a word, and git commit -a would commit this machine's keyscan path for everyone); nothing was installed.\n", p.dir, p.value)
	if typ == "pre-push" {
		fmt.Fprintf(&b, "Add this line to %s/pre-push (git gives the hook its refs on standard input; keep them for it):\n"+
			"  keyscan history --pre-push --unpushed \"${2:-$1}\"%s", p.rel, extra)
	} else {
		fmt.Fprintf(&b, "Add this line to %s/pre-commit (and to pre-merge-commit and pre-applypatch, to check git merge and git am too):\n"+
			"  keyscan staged%s\n"+
			"and this one to %s/commit-msg (and applypatch-msg), to check the commit message:\n"+
			"  keyscan staged%s --message -- \"$1\"", p.rel, extra, p.rel, extra)
	}
	if len(p.worktrees) > 0 {
		fmt.Fprintf(&b, "\n(It then runs in every worktree that checks the folder out: %s too.)", strings.Join(p.worktrees, ", "))
	}
	return b.String()
}

// inside returns dir relative to root when dir is root or under it, else "".
func inside(root, dir string) string {
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(os.PathSeparator)) {
		return ""
	}
	return rel
}
