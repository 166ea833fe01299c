package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/internal/pathname"
)

// A submodule is a repository of its own, with its own git folder
// (.git/modules/NAME) and so its own hooks: git runs none of the
// superproject's when a commit is made in the submodule, or when it is
// pushed (also by git push --recurse-submodules from the superproject). A
// developer who installed the hooks "in the repository" would commit and
// push a key in a vendored submodule with no check at all (qa15 MEDIUM-10).
// So install and uninstall act on every submodule checked out now, nested
// ones too, as on the superproject, and on the git folder a submodule not
// checked out now keeps (git submodule deinit keeps it, with the hooks an
// earlier install put there, which git runs again once it is checked out:
// install brings them up to date, uninstall removes them). A submodule
// never cloned here has no git folder yet: it gets no hook until install
// runs again after it is checked out, which install says.

// eachWorkTree runs do in the working directory's work tree ("") and then
// in each of its submodules checked out now, and in the git folder of each
// one not checked out that has one, printing what each did. A failure in
// the work tree stops it; a failure in a submodule is reported and the
// others are still done, and the exit status is then 2: the hooks do not
// cover what the user asked them to.
func eachWorkTree(ctx context.Context, sub string, e *env, do func(wd string) (string, error)) int {
	msg, err := do("")
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan hook %s: %v\n", sub, err)
		return exitError
	}
	fmt.Fprintln(e.stdout, msg)
	top, subs, kept, missing, err := submodules(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan hook %s: listing the submodules: %v: the hooks of any submodule were left as they were\n", sub, err)
		return exitError
	}
	code := exitClean
	for _, s := range append(subs, kept...) {
		name := s.path
		if rel, err := filepath.Rel(top, s.path); err == nil {
			name = rel
		}
		if s.gitDir != "" {
			name += " (not checked out; in its git folder " + s.gitDir + ")"
		}
		msg, err := do(cmp.Or(s.gitDir, s.path))
		if err != nil {
			fmt.Fprintf(e.stderr, "keyscan hook %s: submodule %s: %v\n", sub, name, err)
			code = exitError
			continue
		}
		for _, line := range strings.Split(msg, "\n") {
			fmt.Fprintf(e.stdout, "submodule %s: %s\n", name, line)
		}
	}
	if sub == "install" && len(subs)+len(kept)+len(missing) > 0 {
		n := "note: the hooks are installed in each submodule, which has hooks of its own (in its git folder, which a submodule " +
			"not checked out keeps once it has been); a submodule cloned later (git submodule update --init of one never checked out here, " +
			"git submodule add, a clone without --recurse-submodules) has none until keyscan hook install runs again here"
		if len(missing) > 0 {
			n += "; never checked out here, so without hooks until then: " + strings.Join(missing, ", ")
		}
		fmt.Fprintln(e.stdout, n)
	}
	return code
}

// submodule is a submodule the hooks are installed in: the top of its
// work tree (absolute), and for one not checked out, its git folder.
type submodule struct{ path, gitDir string }

// submodules lists the submodules of the working directory's work tree,
// nested ones included: those checked out now, those not checked out that
// keep a git folder (kept), and the paths (from the top of the work tree)
// of those that have none. It lists none outside a work tree or in one
// without submodules.
func submodules(ctx context.Context) (top string, checkedOut, kept []submodule, missing []string, err error) {
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return "", nil, nil, nil, nil // no work tree: the hooks of the repository only
	}
	top = strings.TrimSpace(string(out))
	git := func(dir string, args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil && stderr.Len() > 0 {
			err = fmt.Errorf("git %s: %s", args[0], strings.TrimSpace(stderr.String()))
		}
		return out, err
	}
	// foreach runs its command in each submodule checked out, with the
	// submodule's top as the working directory; NUL ends each path, which
	// may hold any other byte.
	out, err = git(top, "submodule", "foreach", "--quiet", "--recursive", `printf '%s\0' "$PWD"`)
	if err != nil {
		return "", nil, nil, nil, err
	}
	for _, p := range strings.Split(string(out), "\x00") {
		if p != "" {
			checkedOut = append(checkedOut, submodule{path: p})
		}
	}
	// status marks a submodule not checked out with '-': "-<id> <path>".
	out, err = git(top, "submodule", "status", "--recursive")
	if err != nil {
		return "", nil, nil, nil, err
	}
	for _, line := range strings.Split(string(out), "\n") {
		rest, ok := strings.CutPrefix(line, "-")
		if !ok {
			continue
		}
		_, path, ok := strings.Cut(rest, " ")
		if !ok {
			continue
		}
		if gd := keptGitDir(top, filepath.Join(top, filepath.FromSlash(path)), checkedOut, git); gd != "" {
			kept = append(kept, submodule{path: filepath.Join(top, filepath.FromSlash(path)), gitDir: gd})
		} else {
			missing = append(missing, path)
		}
	}
	return top, checkedOut, kept, missing, nil
}

// keptGitDir returns the git folder that the submodule at path, not
// checked out, keeps in the git folder of its superproject (the deepest of
// top and the checked-out submodules holding it): modules/NAME, NAME being
// the one its .gitmodules gives that path. "" when there is none.
func keptGitDir(top, path string, checkedOut []submodule, git func(string, ...string) ([]byte, error)) string {
	parent := top
	for _, s := range checkedOut {
		if pathname.Within(s.path, path) && s.path != path && len(s.path) > len(parent) {
			parent = s.path
		}
	}
	rel, err := filepath.Rel(parent, path)
	if err != nil {
		return ""
	}
	out, err := git(parent, "config", "-f", ".gitmodules", "--null", "--get-regexp", `^submodule\..*\.path$`)
	if err != nil {
		return ""
	}
	modules := ""
	for _, entry := range strings.Split(string(out), "\x00") {
		key, value, ok := strings.Cut(entry, "\n")
		if !ok || filepath.Clean(filepath.FromSlash(value)) != rel {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(key, "submodule."), ".path")
		if !submoduleName(name) {
			continue // git ignores it too ("ignoring suspicious submodule name")
		}
		if modules == "" {
			modules = gitPath(parent, "modules", git) // once per superproject, at its first match
		}
		dir := gitPath(parent, "modules/"+name, git)
		if modules == "" || dir == "" || !pathname.Within(modules, dir) {
			return ""
		}
		if fi, err := os.Stat(filepath.Join(dir, "HEAD")); err == nil && fi.Mode().IsRegular() {
			return dir
		}
		return ""
	}
	return ""
}

// submoduleName reports whether git would use name, a submodule's name
// from a .gitmodules the work tree holds, as a folder under modules/: not
// empty, and no ".." among its parts (git's check_submodule_name), which
// would name another repository's git folder, whose hooks install and
// uninstall would then change.
func submoduleName(name string) bool {
	if name == "" {
		return false
	}
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			return false
		}
	}
	return true
}

// gitPath returns git's path for p in the git folder of the work tree at
// dir (rev-parse --git-path), absolute; "" when git cannot say. git before
// 2.31 has no --path-format, and answers relative to dir.
func gitPath(dir, p string, git func(string, ...string) ([]byte, error)) string {
	out, err := git(dir, "rev-parse", "--path-format=absolute", "--git-path", p)
	if err != nil {
		if out, err = git(dir, "rev-parse", "--git-path", p); err != nil {
			return ""
		}
	}
	gp := strings.TrimSpace(string(out))
	if !filepath.IsAbs(gp) {
		gp = filepath.Join(dir, gp)
	}
	return filepath.Clean(gp)
}
