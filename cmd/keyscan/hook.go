package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

const hookUsage = "hook install [--force] [-- STAGED-FLAGS...] | hook uninstall | hook install|uninstall --type pre-push [-- HISTORY-FLAGS...] | hook install|uninstall --type pre-receive [DIR] [-- PRE-RECEIVE-FLAGS...]"

// hookMarker identifies a hook that keyscan wrote; uninstall removes nothing else.
const hookMarker = "# keyscan-hook-version: 1"

// chainedSuffix names where install moves a hook it found (its name plus
// the suffix), so that keyscan's hook runs it first and uninstall can put
// it back.
const chainedSuffix = ".keyscan-chained"

// chainedName is where install moves a pre-commit hook it found.
const chainedName = "pre-commit" + chainedSuffix

func runHook(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || (args[0] != "install" && args[0] != "uninstall") {
		fl, _, _ := hookFlags("hook", e)
		if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
			printHelp(fl)
			return exitClean
		}
		if len(args) > 0 {
			fmt.Fprintf(e.stderr, "keyscan hook: unknown subcommand %q (want install or uninstall)\n", args[0])
		}
		fl.Usage()
		return exitError
	}
	sub := args[0]
	fl, force, typ := hookFlags("hook "+sub, e)
	if ok, code := parseFlags(fl, args[1:]); !ok {
		return code
	}
	switch *typ {
	case "pre-commit", "pre-push":
	case "pre-receive":
		return runReceiveHook(ctx, sub, fl.Args(), *force, e)
	default:
		fmt.Fprintf(e.stderr, "keyscan hook %s: --type: unknown hook %q (want pre-commit, pre-push or pre-receive)\n", sub, *typ)
		return exitError
	}
	if sub == "uninstall" {
		if fl.NArg() > 0 {
			fmt.Fprintf(e.stderr, "keyscan hook uninstall: unexpected argument %q\n", fl.Arg(0))
			return exitError
		}
		hs := commitHooks(nil)
		if *typ == "pre-push" {
			hs = []hookFile{prePushHook(nil)}
		}
		return eachWorkTree(ctx, "uninstall", e, func(wd string) (string, error) {
			dir, err := hooksDir(ctx, wd)
			if err != nil {
				return "", err
			}
			if where, err := hooksDirPlace(ctx, wd, dir); err == nil && where.link != "" {
				return "", where.linkRefusal()
			}
			return uninstallAll(hs, dir)
		})
	}
	hs, check := commitHooks(fl.Args()), checkStagedArgs
	if *typ == "pre-push" {
		hs, check = []hookFile{prePushHook(fl.Args())}, checkHistoryArgs
	}
	return eachWorkTree(ctx, "install", e, func(wd string) (string, error) {
		return installIn(ctx, wd, hs, check, *typ, fl.Args(), *force)
	})
}

// hookFlags is the flag set of keyscan hook install and uninstall (both
// take the same, so that uninstall --type finds what install --type put),
// and its help, which lists the subcommands too.
func hookFlags(name string, e *env) (fl *flag.FlagSet, force *bool, typ *string) {
	fl = newFlagSet(name, hookUsage, e)
	force = fl.Bool("force", false, "install: overwrite a hook left chained by an earlier install")
	typ = fl.String("type", "pre-commit", "`HOOK` to install: pre-commit (a work tree's commits), pre-push (what a push sends) or pre-receive (a server's repository, bare or not)")
	fl.Usage = func() {
		fmt.Fprintf(fl.Output(), "usage: keyscan %s\n\nSubcommands:\n"+
			"  install    write the hook (--type), which runs its command with the flags given after --\n"+
			"  uninstall  remove a hook keyscan wrote (--type), and put back the one install moved aside\n\nFlags:\n", hookUsage)
		fl.PrintDefaults()
	}
	return fl, force, typ
}

// installIn installs hs for the work tree at wd ("" for the working
// directory), after checking args against it, and returns what it did
// with the notes on where the hooks went.
func installIn(ctx context.Context, wd string, hs []hookFile, check func([]string, string) error, typ string, args []string, force bool) (string, error) {
	dir, err := hooksDir(ctx, wd)
	if err != nil {
		return "", err
	}
	top := ""
	cmd := exec.CommandContext(ctx, "git", "rev-parse", "--show-toplevel")
	cmd.Dir = wd
	if out, err := cmd.Output(); err == nil {
		top = strings.TrimSpace(string(out))
	}
	if err := check(args, top); err != nil {
		return "", err
	}
	where, err := hooksDirPlace(ctx, wd, dir)
	if err != nil {
		return "", err
	}
	if where.link != "" {
		return "", where.linkRefusal()
	}
	if where.tracked {
		return "", errors.New(trackedHooksRefusal(where, typ, args))
	}
	msg, err := installAll(hs, dir, force)
	if err != nil {
		return "", err
	}
	for _, note := range []string{where.note(), linkedHooksNote(ctx, cmp.Or(wd, "."))} {
		if note != "" {
			msg += "\n" + note
		}
	}
	return msg, nil
}

// hooksDir asks git which folder it runs hooks from: core.hooksPath when
// set, else the hooks folder of the (common) git folder.
func hooksDir(ctx context.Context, wd string) (string, error) {
	git := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = wd
		return cmd.Output()
	}
	if out, err := git("rev-parse", "--is-bare-repository"); err == nil &&
		strings.TrimSpace(string(out)) == "true" {
		return "", errors.New("this is a bare repository: nothing is committed here, so a pre-commit hook would never run")
	}
	out, err := git("rev-parse", "--path-format=absolute", "--git-path", "hooks")
	if err != nil {
		// git before 2.31 has no --path-format; its answer is relative to wd
		out, err = git("rev-parse", "--git-path", "hooks")
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) && len(ee.Stderr) > 0 {
				return "", fmt.Errorf("finding the hooks folder: %s", strings.TrimSpace(string(ee.Stderr)))
			}
			return "", fmt.Errorf("finding the hooks folder: git rev-parse: %w", err)
		}
	}
	if p := strings.TrimSpace(string(out)); wd != "" && !filepath.IsAbs(p) {
		return filepath.Abs(filepath.Join(wd, p))
	}
	return filepath.Abs(strings.TrimSpace(string(out)))
}

// hookScript is a commit hook (pre-commit, pre-merge-commit,
// pre-applypatch; with message, commit-msg and applypatch-msg, which git
// gives the message's file): run the hook it chained, if any, then keyscan
// staged. It prefers the keyscan binary that installed it, then the one on
// PATH, and fails closed when there is none, saying how to get out. It
// tells keyscan its name (hookEnv), which git does not.
func hookScript(name, skip, exe string, stagedArgs []string, message bool) []byte {
	var b strings.Builder
	what := "refuses a commit that adds an AWS credential"
	if message {
		what = "refuses a commit whose message holds an AWS credential"
	}
	fmt.Fprintf(&b, `#!/bin/sh
# keyscan %[1]s hook: %[6]s.
# Written by "keyscan hook install"; "keyscan hook uninstall" removes it and
# puts back the hook it chained, if any. Skip it once: %[2]s.
%[3]s
chained="$(dirname "$0")/%[1]s%[4]s"
if [ -x "$chained" ]; then
	"$chained" "$@" || exit $?
fi
keyscan=%[5]s
if [ ! -x "$keyscan" ]; then
	keyscan=$(command -v keyscan) || {
		echo "keyscan %[1]s hook: keyscan is not installed or not on PATH;" >&2
		echo "install it, or remove this hook with: keyscan hook uninstall (or delete $0)" >&2
		exit 1
	}
fi
%[7]s=%[1]s
export %[7]s
exec "$keyscan" staged`, name, skip, hookMarker, chainedSuffix, shellQuote(exe), what, hookEnv)
	for _, a := range stagedArgs {
		b.WriteString(" " + shellQuote(a))
	}
	if message {
		b.WriteString(` --message -- "$1"`)
	}
	b.WriteString("\n")
	return []byte(b.String())
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// checkStagedArgs parses the arguments a hook will pass to keyscan staged
// with staged's own flags, so that a typo fails at install time instead of
// blocking every commit after it. It refuses --verify: a pre-commit hook
// runs on every commit and must not send requests to AWS (README, "Why it
// is off by default").
func checkStagedArgs(args []string, top string) error {
	var msg bytes.Buffer
	fl, c, _, so := stagedFlags(hookArgsEnv(&msg))
	if why := parseHookArgs(fl, &msg, args); why != "" {
		return fmt.Errorf("keyscan staged would refuse the hook's arguments %q: %s", args, why)
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("keyscan staged takes no arguments, only flags; got %q", fl.Arg(0))
	}
	if c.verify || c.stsEndpoint != "" {
		return errors.New("--verify is refused in a hook: it would call AWS STS on every commit; run keyscan staged --verify by hand")
	}
	if so.message != nil && *so.message {
		return errors.New("--message: the commit-msg and applypatch-msg hooks pass it themselves, and the other hooks check what the commit adds")
	}
	if err := c.validate(); err != nil {
		return err
	}
	return hookBaselineExists(c.baseline, top, "keyscan baseline scan --output %s .")
}

// hookBaselineExists refuses, at install time, a --baseline the hook would
// not find: git runs commit and pre-push hooks at the top of the work tree,
// so a relative path is looked for there. Installed anyway, the hook would
// stop every commit (or push) until the file exists.
func hookBaselineExists(path, top, make string) error {
	if path == "" {
		return nil
	}
	p := path
	if !filepath.IsAbs(p) && top != "" {
		p = filepath.Join(top, p)
	}
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("--baseline %s: no such file in %s, where git runs the hook: the hook would stop everything until it exists; "+
			"make it first ("+make+"), then install", path, filepath.Dir(p), path)
	}
	return nil
}

// hookArgsEnv is the env a hook's arguments are parsed in at install time:
// no output but the flag package's complaint, written to msg.
func hookArgsEnv(msg *bytes.Buffer) *env {
	return &env{stdout: io.Discard, stderr: msg, getenv: func(string) string { return "" }}
}

// parseHookArgs parses args with fl (made on hookArgsEnv(msg)) and returns
// why the command would refuse them, or "" when it takes them.
func parseHookArgs(fl *flag.FlagSet, msg *bytes.Buffer, args []string) string {
	fl.Usage = func() {}
	if ok, _ := parseFlags(fl, args); ok {
		return ""
	}
	why, _, _ := strings.Cut(strings.TrimSpace(msg.String()), "\n")
	if why == "" {
		why = "help is not a flag a hook can pass"
	}
	return why
}

// commitHooks are the hooks git runs before it makes a commit in a work
// tree, each running keyscan staged with args: pre-commit (git commit),
// pre-merge-commit (git merge and git pull, when the merge needs no
// conflict resolution) and pre-applypatch (git am) check what the commit
// adds; commit-msg (git commit, git merge) and applypatch-msg (git am)
// check its message. git runs none of them for cherry-pick, revert and
// rebase (README, "What the commit hooks do not see").
func commitHooks(stagedArgs []string) []hookFile {
	var hs []hookFile
	for _, h := range []struct {
		name, skip string
		message    bool
	}{
		{"pre-commit", "git commit --no-verify", false},
		{"pre-merge-commit", "git merge --no-verify", false},
		{"pre-applypatch", "git -c core.hooksPath=/dev/null am (it skips every hook)", false},
		{"commit-msg", "git commit --no-verify (git merge --no-verify)", true},
		{"applypatch-msg", "git -c core.hooksPath=/dev/null am (it skips every hook)", true},
	} {
		hs = append(hs, hookFile{
			name: h.name, chained: h.name + chainedSuffix, force: "keyscan hook install --force",
			script: func(exe string) []byte { return hookScript(h.name, h.skip, exe, stagedArgs, h.message) },
		})
	}
	return hs
}

// prePushHook is the pre-push hook: git gives it the remote's name and URL
// as arguments and one "<local ref> <local sha> <remote ref> <remote sha>"
// line per pushed ref on standard input, and keyscan history --pre-push
// scans exactly what those refs send that the remote lacks (cmd/keyscan/
// prepush.go). A chained hook gets the same input first.
func prePushHook(historyArgs []string) hookFile {
	return hookFile{
		name: "pre-push", chained: "pre-push" + chainedSuffix, force: "keyscan hook install --type pre-push --force",
		script: func(exe string) []byte { return prePushScript(exe, historyArgs) },
	}
}

func prePushScript(exe string, historyArgs []string) []byte {
	args := ""
	for _, a := range historyArgs {
		args += " " + shellQuote(a)
	}
	return []byte(fmt.Sprintf(`#!/bin/sh
# keyscan pre-push hook: refuses a push that sends an AWS credential the
# remote does not have yet (branches, tags, tag messages, notes: every ref
# pushed). Written by "keyscan hook install --type pre-push"; "keyscan hook
# uninstall --type pre-push" removes it and puts back the hook it chained,
# if any. Skip it once: git push --no-verify.
%[1]s
keyscan=%[2]s
if [ ! -x "$keyscan" ]; then
	keyscan=$(command -v keyscan) || {
		echo "keyscan pre-push hook: keyscan is not installed or not on PATH;" >&2
		echo "install it, or remove this hook with: keyscan hook uninstall --type pre-push (or delete $0)" >&2
		exit 1
	}
fi
%[5]s=pre-push
export %[5]s
chained="$(dirname "$0")/pre-push%[3]s"
if [ -x "$chained" ]; then
	input=$(cat)
	printf '%%s\n' "$input" | "$chained" "$@" || exit $?
	printf '%%s\n' "$input" | "$keyscan" history --pre-push --unpushed "${2:-$1}"%[4]s
	exit $?
fi
exec "$keyscan" history --pre-push --unpushed "${2:-$1}"%[4]s
`, hookMarker, shellQuote(exe), chainedSuffix, args, hookEnv))
}

// checkHistoryArgs parses the arguments a pre-push hook will pass to
// keyscan history with history's own flags, so that a typo fails at
// install time instead of blocking every push. The hook sets what it
// scans itself, and never verifies (a hook must not call AWS).
func checkHistoryArgs(args []string, top string) error {
	var msg bytes.Buffer
	fl, h := historyFlags(hookArgsEnv(&msg))
	if why := parseHookArgs(fl, &msg, args); why != "" {
		return fmt.Errorf("keyscan history would refuse the hook's arguments %q: %s", args, why)
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("the pre-push hook scans the repository it runs in: it takes flags for keyscan history, not %q", fl.Arg(0))
	}
	var set []string
	fl.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "unpushed", "pre-push", "since", "ref", "all-objects", "replace-text":
			set = append(set, "--"+f.Name)
		}
	})
	if len(set) > 0 {
		return fmt.Errorf("%s: the pre-push hook itself says what it scans (the refs git pushes)", strings.Join(set, ", "))
	}
	if h.common.verify || h.common.stsEndpoint != "" {
		return errors.New("--verify is refused in a hook: it would call AWS STS on every push; run keyscan history --verify by hand")
	}
	if err := h.common.validate(); err != nil {
		return err
	}
	return hookBaselineExists(h.common.baseline, top, "keyscan baseline history --output %s .")
}
