package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// A submodule is a repository of its own, with its own git folder
// (.git/modules/NAME) and so its own hooks: git runs none of the
// superproject's when a commit is made in the submodule, or when it is
// pushed (also by git push --recurse-submodules from the superproject). A
// developer who installed the hooks "in the repository" would commit and
// push a key in a vendored submodule with no check at all (qa15 MEDIUM-10).
// So install and uninstall act on every submodule checked out now, nested
// ones too, as on the superproject; a submodule checked out later (git
// submodule update --init, a clone without --recurse-submodules, git
// submodule add) gets no hook until install runs again, which install says.

// eachWorkTree runs do in the working directory's work tree ("") and then
// in each of its submodules checked out now, printing what each did. A
// failure in the work tree stops it; a failure in a submodule is reported
// and the others are still done, and the exit status is then 2: the hooks
// do not cover what the user asked them to.
func eachWorkTree(ctx context.Context, sub string, e *env, do func(wd string) (string, error)) int {
	msg, err := do("")
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan hook %s: %v\n", sub, err)
		return exitError
	}
	fmt.Fprintln(e.stdout, msg)
	top, subs, missing, err := submodules(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan hook %s: listing the submodules: %v: the hooks of any submodule were left as they were\n", sub, err)
		return exitError
	}
	code := exitClean
	for _, s := range subs {
		name := s
		if rel, err := filepath.Rel(top, s); err == nil {
			name = rel
		}
		msg, err := do(s)
		if err != nil {
			fmt.Fprintf(e.stderr, "keyscan hook %s: submodule %s: %v\n", sub, name, err)
			code = exitError
			continue
		}
		for _, line := range strings.Split(msg, "\n") {
			fmt.Fprintf(e.stdout, "submodule %s: %s\n", name, line)
		}
	}
	if sub == "install" && len(subs)+len(missing) > 0 {
		n := "note: the hooks are installed in each submodule checked out now, which has hooks of its own; " +
			"a submodule checked out later (git submodule update --init, git submodule add, a clone without --recurse-submodules) " +
			"has none until keyscan hook install runs again here"
		if len(missing) > 0 {
			n += "; not checked out now, so without hooks: " + strings.Join(missing, ", ")
		}
		fmt.Fprintln(e.stdout, n)
	}
	return code
}

// submodules lists the submodules of the working directory's work tree,
// nested ones included: the top of each checked out now (absolute), and
// the paths of those that are not (from the top of the work tree). It
// lists none outside a work tree or in one without submodules.
func submodules(ctx context.Context) (top string, checkedOut, missing []string, err error) {
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return "", nil, nil, nil // no work tree: the hooks of the repository only
	}
	top = strings.TrimSpace(string(out))
	git := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = top
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
	out, err = git("submodule", "foreach", "--quiet", "--recursive", `printf '%s\0' "$PWD"`)
	if err != nil {
		return "", nil, nil, err
	}
	for _, p := range strings.Split(string(out), "\x00") {
		if p != "" {
			checkedOut = append(checkedOut, p)
		}
	}
	// status marks a submodule not checked out with '-': "-<id> <path>".
	out, err = git("submodule", "status", "--recursive")
	if err != nil {
		return "", nil, nil, err
	}
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "-"); ok {
			if _, path, ok := strings.Cut(rest, " "); ok {
				missing = append(missing, path)
			}
		}
	}
	return top, checkedOut, missing, nil
}
