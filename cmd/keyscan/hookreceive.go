package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// receiveChainedName is where install moves a pre-receive hook it found;
// keyscan's hook hands it the same standard input first.
const receiveChainedName = "pre-receive.keyscan-chained"

// runReceiveHook installs or removes the server-side gate in the repository
// DIR (default: the current folder), usually a bare repository.
func runReceiveHook(ctx context.Context, sub string, args []string, force bool, e *env) int {
	dir := "."
	if len(args) > 0 && args[0] != "--" && !strings.HasPrefix(args[0], "-") {
		dir, args = args[0], args[1:]
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if sub == "uninstall" && len(args) > 0 {
		fmt.Fprintf(e.stderr, "keyscan hook uninstall: unexpected argument %q\n", args[0])
		return exitError
	}
	hooks, err := receiveHooksDir(ctx, dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan hook %s: %v\n", sub, err)
		return exitError
	}
	var msg string
	if sub == "uninstall" {
		msg, err = preReceiveHook(nil).uninstall(hooks)
	} else if err = checkPreReceiveArgs(args); err == nil {
		var made []string
		if args, made, err = absPathFlags(args, "config", "baseline", "log"); err == nil {
			msg, err = preReceiveHook(args).install(hooks, force)
			for _, m := range made {
				msg += "\n" + m
			}
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan hook %s: %v\n", sub, err)
		return exitError
	}
	fmt.Fprintln(e.stdout, msg)
	if note := linkedHooksNote(ctx, dir); note != "" {
		fmt.Fprintln(e.stdout, note)
	}
	return exitClean
}

// linkedHooksNote says when the repository at dir reaches its hooks folder
// through a symbolic link (gitolite and some hosting setups link every
// repository's hooks to one folder): what was installed or removed there
// applies to every repository that uses the folder. git's absolute answer
// (receiveHooksDir) has the links resolved; its plain one does not.
func linkedHooksNote(ctx context.Context, dir string) string {
	cmd := exec.CommandContext(ctx, "git", "rev-parse", "--git-path", "hooks")
	cmd.Dir = dir
	cmd.Env = withoutGitDir(os.Environ())
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	p := strings.TrimSpace(string(out))
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return ""
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil || real == abs {
		return ""
	}
	if d, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil && filepath.Join(d, filepath.Base(abs)) == real {
		return "" // the repository itself is reached through a link, not its hooks folder
	}
	return "note: " + abs + " is a link to " + real + ": the change applies to every repository whose hooks are that folder"
}

// checkPreReceiveArgs parses the arguments the hook will pass to keyscan
// pre-receive with pre-receive's own flags, so that a flag it lacks
// (--strict, --test-keys: scan's, history's or staged's) or a typo fails at
// install time instead of refusing every push afterwards. The hook passes
// the repository through GIT_DIR: it takes no REPO argument.
func checkPreReceiveArgs(args []string) error {
	var msg bytes.Buffer
	fl, _ := preReceiveFlags(hookArgsEnv(&msg))
	if why := parseHookArgs(fl, &msg, args); why != "" {
		return fmt.Errorf("keyscan pre-receive would refuse the hook's arguments %q (and with them every push): %s", args, why)
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("the pre-receive hook takes flags only (the repository is the one it is installed in); got %q", fl.Arg(0))
	}
	return nil
}

// receiveHooksDir asks git for the hooks folder of the repository at dir.
func receiveHooksDir(ctx context.Context, dir string) (string, error) {
	if fi, err := os.Stat(dir); err != nil {
		return "", err
	} else if !fi.IsDir() {
		return "", fmt.Errorf("%s: not a folder", dir)
	}
	cmd := exec.CommandContext(ctx, "git", "rev-parse", "--path-format=absolute", "--git-path", "hooks")
	cmd.Dir = dir
	cmd.Env = withoutGitDir(os.Environ()) // the repository at dir, not one the caller's environment names
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && len(ee.Stderr) > 0 {
			return "", fmt.Errorf("%s: %s", dir, strings.TrimSpace(string(ee.Stderr)))
		}
		return "", fmt.Errorf("%s: git rev-parse: %w", dir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func withoutGitDir(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "GIT_DIR=") {
			out = append(out, kv)
		}
	}
	return out
}

// receiveHookScript is the pre-receive hook. When a chained hook is there,
// it keeps standard input (the ref updates) to hand it to that hook and then
// to keyscan; otherwise keyscan reads it directly, which spares a push the
// extra processes. When the keyscan binary is missing it refuses the push:
// a gate that vanishes with its binary is no gate.
func receiveHookScript(exe string, flags []string) []byte {
	args := ""
	for _, a := range flags {
		args += " " + shellQuote(a)
	}
	return []byte(fmt.Sprintf(`#!/bin/sh
# keyscan pre-receive hook: refuses a push that adds an AWS credential.
# Written by "keyscan hook install --type pre-receive"; "keyscan hook
# uninstall --type pre-receive" removes it and puts back the hook it chained.
%s
keyscan=%s
if [ ! -x "$keyscan" ]; then
	keyscan=$(command -v keyscan) || {
		echo "keyscan pre-receive hook: keyscan is not installed on the server; push refused (tell the server's administrator)" >&2
		exit 2
	}
fi
chained="$(dirname "$0")/%s"
if [ -x "$chained" ]; then
	input=$(cat)
	printf '%%s\n' "$input" | "$chained" "$@" || exit $?
	printf '%%s\n' "$input" | "$keyscan" pre-receive%s
	exit $?
fi
exec "$keyscan" pre-receive%s
`, hookMarker, shellQuote(exe), receiveChainedName, args, args))
}

// preReceiveHook is the server's pre-receive hook that runs keyscan
// pre-receive with flags.
func preReceiveHook(flags []string) hookFile {
	return hookFile{
		name: "pre-receive", chained: receiveChainedName, force: "keyscan hook install --type pre-receive --force",
		script: func(exe string) []byte { return receiveHookScript(exe, flags) },
	}
}

// absPathFlags returns args with the values of the named flags made
// absolute (against the current folder, where the administrator typed
// them), and a line for each value it changed. git runs a pre-receive hook
// in the repository's folder, so a relative --config or --log written into
// the hook as typed would name another file, and every push would be
// refused.
func absPathFlags(args []string, names ...string) ([]string, []string, error) {
	out := slices.Clone(args)
	var made []string
	abs := func(name, v string) (string, error) {
		if v == "" || filepath.IsAbs(v) {
			return v, nil
		}
		a, err := filepath.Abs(v)
		if err != nil {
			return "", fmt.Errorf("--%s %s: %w", name, v, err)
		}
		made = append(made, fmt.Sprintf("note: --%s %s is written into the hook as %s (git runs the hook in the repository's folder)", name, v, a))
		return a, nil
	}
	for i := 0; i < len(out); i++ {
		a := out[i]
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		flagName, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if !slices.Contains(names, flagName) {
			continue
		}
		var err error
		if hasValue {
			if value, err = abs(flagName, value); err != nil {
				return nil, nil, err
			}
			out[i] = "--" + flagName + "=" + value
		} else if i+1 < len(out) {
			if out[i+1], err = abs(flagName, out[i+1]); err != nil {
				return nil, nil, err
			}
			i++
		}
	}
	return out, made, nil
}
