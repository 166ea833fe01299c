// Command keyscan finds hardcoded AWS credentials in files, in staged changes
// and in the history of a git repository, and rewrites them to the EC2
// instance role provider. The same binary is a go vet -vettool and a go fix
// -fixtool.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Exit statuses, as the README states them; exitInterrupted (130, declared
// with fix) is what a shell reports for a command that SIGINT ended.
const (
	exitClean    = 0
	exitFindings = 1
	exitError    = 2
)

func main() {
	if isUnitchecker(os.Args[1:]) {
		runUnitchecker() // does not return
	}
	ctx, cancel := context.WithCancel(withStallExit(context.Background(), os.Stderr))
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	var stdout io.Writer = os.Stdout
	if stdoutClosedAtStart() {
		stdout = closedWriter{}
	}
	stop := startProfile(os.Getenv(profileEnv), os.Stderr)
	code := interruptible(cancel, sig, interruptGrace, os.Stderr, func() int {
		return run(ctx, os.Args[1:], os.Stdin, stdout, os.Stderr)
	})
	stop()
	os.Exit(code)
}

// profileEnv names a file to write a CPU profile of the whole run to: a
// hidden hook for measuring keyscan as it is built and run (history on a
// large repository is a whole program: the walk, the readers and the
// matcher at once), not a flag users are offered.
const profileEnv = "KEYSCAN_CPUPROFILE"

// startProfile starts a CPU profile into path (none when empty) and
// returns what stops it; a profile that cannot start is said on stderr and
// the run goes on.
func startProfile(path string, stderr io.Writer) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "keyscan: %s: %v\n", profileEnv, err)
		if f != nil {
			f.Close()
		}
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// interruptGrace is how long an interrupted command is given to stop by
// itself (workers finish the file in hand, fix says how far it got).
const interruptGrace = 2 * time.Second

// interruptible runs cmd and returns its exit status. SIGINT and SIGTERM
// (what CI runners and timeout(1) send) are the same request: the first
// cancels the context cmd runs under and gives it grace to return; if it
// has not by then (a read blocked in the kernel cannot be cancelled: a
// network file system, a pseudo-file, a pipe), or a second signal comes,
// keyscan says "interrupted" and returns exitInterrupted without waiting
// for it. The caller exits with that status; the goroutines still blocked
// end with the process.
func interruptible(cancel context.CancelFunc, sig <-chan os.Signal, grace time.Duration, stderr io.Writer, cmd func() int) int {
	done := make(chan int, 1)
	go func() { done <- cmd() }()
	select {
	case code := <-done:
		return code
	case <-sig:
	}
	cancel()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case code := <-done:
		return code // run() has said "interrupted" itself
	case <-timer.C:
	case <-sig:
	}
	fmt.Fprintln(stderr, "keyscan: interrupted")
	return exitInterrupted
}

// command is one subcommand: it parses its own flags and returns an exit status.
// subs are the words it takes first (hook install): keyscan help takes
// them after the command's name.
type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string, env *env) int
	subs  []string
}

// env is what a command may touch of the process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	environ        func() []string // every variable, "NAME=value"; nil: none
}

func commands() []command {
	return []command{
		{"scan", "scan [flags] [PATH...]      files and folders (default .)", runScan, nil},
		{"history", "history [flags] [REPO]      every blob reachable from every ref of a repository (default .)", runHistory, nil},
		{"staged", "staged [flags]              what the next commit would add: the index against HEAD (--message FILE: a commit message)", runStaged, nil},
		{"hook", "hook install|uninstall      native commit hooks (pre-commit, pre-merge-commit, pre-applypatch; commit-msg, applypatch-msg for the message) that run `keyscan staged` (--type pre-push: what a push sends; --type pre-receive: the server-side gate)", runHook, []string{"install", "uninstall"}},
		{"pre-receive", "pre-receive [flags]         a git server's pre-receive hook: refuse a push that adds an AWS key", runPreReceive, nil},
		{"fix", "fix [--diff|--write] [PATH...]  rewrite hardcoded credentials to the instance-role provider", runFix, nil},
		{"baseline", "baseline [scan|history|staged] [flags]  print a baseline of current findings", runBaseline, []string{"scan", "history", "staged"}},
		{"rules", "rules [--format text|json|markdown]  the rule set with its documentation", runRules, nil},
		{"fake", "fake [--kind K] [--seed N] [--format F]  print a freshly generated fake key set to try keyscan with", runFake, nil},
		{"version", "version                     print the version", runVersion, nil},
	}
}

// run runs the command args name and returns its exit status. A write to
// stdout that fails (a full disk, a closed stdout) makes the status 2 and is
// said on stderr, whatever the command: its output was asked for and lost.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	out := &checkedWriter{w: stdout}
	stderr = textGuard{w: stderr}
	code := runCommand(ctx, args, stdin, out, stderr)
	if out.err != nil && code != exitError && code != exitInterrupted {
		fmt.Fprintf(stderr, "keyscan: writing standard output: %v\n", out.err)
		return exitError
	}
	return code
}

func runCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, environ: os.Environ}
	if len(args) > 0 && args[0] == "help" {
		topic, ok := helpTopic(args[1:], e.stderr)
		if !ok {
			return exitError
		}
		if topic == nil {
			usage(e.stdout)
			return exitClean
		}
		args = append(topic, "--help") // keyscan help scan: scan's own flags, as git help does (qa34 10)
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			fmt.Fprintf(e.stderr, "keyscan %s: unexpected argument %q (keyscan help COMMAND prints a command's flags)\n", args[0], args[1])
			return exitError
		}
		if len(args) == 0 {
			usage(e.stderr) // no command: a usage error, said where errors go
			return exitError
		}
		usage(e.stdout)
		return exitClean
	}
	if args[0] == "--version" || args[0] == "-version" {
		return runVersion(ctx, nil, e)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			code := c.run(ctx, args[1:], e)
			if ctx.Err() != nil && code != exitInterrupted {
				// Stopped by SIGINT or SIGTERM: whatever was printed is
				// partial, and the status says so. A command that returns
				// exitInterrupted has said what it did already.
				fmt.Fprintln(e.stderr, "keyscan: interrupted")
				return exitInterrupted
			}
			return code
		}
	}
	fmt.Fprintf(e.stderr, "keyscan: unknown command %q\n", args[0])
	usage(e.stderr)
	return exitError
}

// helpTopic returns the command (and its subcommand) that keyscan help
// args asks about, nil for the commands' list (no topic, or help itself).
// A topic that is no command, or a word past it, is an error said on
// stderr (false): help that printed something else would pass for the
// answer to a typo, with exit 0.
func helpTopic(args []string, stderr io.Writer) ([]string, bool) {
	if len(args) == 0 || len(args) == 1 && args[0] == "help" {
		return nil, true
	}
	i := slices.IndexFunc(commands(), func(c command) bool { return c.name == args[0] })
	if i < 0 {
		fmt.Fprintf(stderr, "keyscan help: unknown command %q (keyscan help lists the commands)\n", args[0])
		return nil, false
	}
	c := commands()[i]
	n := 1
	if len(args) > 1 && slices.Contains(c.subs, args[1]) {
		n = 2
	}
	if len(args) > n {
		if len(c.subs) > 0 && n == 1 {
			fmt.Fprintf(stderr, "keyscan help %s: unknown subcommand %q (want %s)\n", c.name, args[1], strings.Join(c.subs, ", "))
		} else {
			fmt.Fprintf(stderr, "keyscan help: unexpected argument %q (keyscan help takes one command)\n", args[n])
		}
		return nil, false
	}
	return slices.Clone(args), true
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "keyscan finds hardcoded AWS credentials and moves code to the EC2 instance role.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands() {
		fmt.Fprintln(w, "  keyscan "+c.usage)
	}
	fmt.Fprintln(w, "  go vet -vettool=$(command -v keyscan) ./...")
	fmt.Fprintln(w, "  go fix -fixtool=$(command -v keyscan) ./...")
	fmt.Fprintln(w, "\nRun 'keyscan COMMAND --help' for a command's flags.")
	fmt.Fprintln(w, "Exit status: 0 nothing found, 1 findings, 2 the scan could not run (or not all of it), 130 interrupted.")
}
