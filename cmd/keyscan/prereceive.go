package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/keyscan/keyscan/baseline"
	"github.com/keyscan/keyscan/config"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/history"
	"github.com/keyscan/keyscan/scanner/receive"
)

const preReceiveUsage = "pre-receive [flags] [REPO]"

// serverConfigName is the server configuration pre-receive reads from the
// repository's git folder when --config is not given: a file pushers cannot
// write, unlike the .keyscan.toml in what they push.
const serverConfigName = "keyscan.toml"

// preReceiveArgs are pre-receive's flags, defined in one place for the
// command and for hook install's check of the flags a hook will pass.
type preReceiveArgs struct {
	configPath, baselinePath, logPath *string
	failOpen, pushOptions, strict     *bool
	allowComments                     *bool
	workers                           *int
	cf                                contentFlags
}

func preReceiveFlags(e *env) (*flag.FlagSet, *preReceiveArgs) {
	fl := newFlagSet("pre-receive", preReceiveUsage, e)
	var a preReceiveArgs
	a.configPath = fl.String("config", "", "server configuration `FILE` (default: keyscan.toml in the repository's git folder, if any); a pushed .keyscan.toml is never read")
	a.baselinePath = fl.String("baseline", "", "let through the findings recorded in the administrator's baseline `FILE`")
	a.logPath = fl.String("log", "", "append one JSON line per refused, excepted or unchecked push to `FILE`")
	a.failOpen = fl.Bool("fail-open", false, "accept a push that could not be checked (internal error) instead of refusing it")
	a.pushOptions = fl.Bool("allow-push-options", false, "honour git push -o keyscan.allow=<fingerprint> (the server must set receive.advertisePushOptions and keep an audit log, --log)")
	a.allowComments = fl.Bool("allow-comments", true, "let a \"keyscan:allow <reason>\" comment in the pushed files through, logged as an exception; =false refuses the values the push adds that only such a comment allows (config: pre_receive.allow_comments)")
	a.strict = fl.Bool("strict", false, "also refuse a push holding a Git LFS file whose content is not in this repository's lfs/objects, or Go files left to the byte scan past the push's type-check budget (config: strict = true)")
	a.workers = fl.Int("workers", 0, "blobs read and scanned at once (default: one per CPU)")
	a.cf.register(fl)
	return fl, &a
}

// runPreReceive is the server-side gate: git runs it as the pre-receive hook
// with "<old> <new> <ref>" lines on standard input. Exit 0 accepts the push,
// 1 refuses it, 2 refuses it because it could not be checked (0 with
// fail_open).
func runPreReceive(ctx context.Context, args []string, e *env) int {
	fl, pf := preReceiveFlags(e)
	configPath, baselinePath, logPath, failOpen, pushOptions, workers, cf := pf.configPath, pf.baselinePath, pf.logPath, pf.failOpen, pf.pushOptions, pf.workers, &pf.cf
	if ok, code := parseFlags(fl, args); !ok {
		return code
	}
	if fl.NArg() > 1 {
		fmt.Fprintf(e.stderr, "keyscan pre-receive: one repository at a time, got %d\n", fl.NArg())
		return exitError
	}
	if *workers < 0 {
		fmt.Fprintf(e.stderr, "keyscan pre-receive: --workers must be 0 (one per CPU) or more, not %d\n", *workers)
		return exitError
	}
	repo := "."
	if fl.NArg() == 1 {
		repo = fl.Arg(0)
	} else if d := e.getenv("GIT_DIR"); d != "" {
		repo = d
	}
	g := &gate{e: e, repo: repo, failOpen: *failOpen, logPath: *logPath}
	start := time.Now()

	cfg, err := serverConfig(*configPath, repo)
	if err == nil {
		ctx = watchTypeChecks(ctx, cfg)
	}
	if err != nil {
		return g.fail(err, receive.Result{})
	}
	// A flag wins over the configuration file; a setting that widens what
	// passes is on if either turns it on.
	if g.logPath == "" {
		g.logPath = cfg.PreReceive.Log
	}
	g.failOpen = g.failOpen || cfg.PreReceive.FailOpen
	if *baselinePath == "" {
		*baselinePath = cfg.PreReceive.Baseline
	}
	updates, err := receive.ParseUpdates(e.stdin)
	if err != nil {
		return g.fail(err, receive.Result{})
	}
	res := receive.Result{Updates: updates}
	// The scanner returns what keyscan:allow comments allow, so that each
	// is logged as an exception, or refused.
	sopts := cfg.ScannerOptions()
	sopts.ReportAllowed = true
	sc, err := scanner.New(sopts)
	if err != nil {
		return g.fail(err, res)
	}
	g.hide = warningLine(false, sc)
	copts, err := cf.options(fl, cfg)
	if err != nil {
		return g.fail(err, res)
	}
	copts.Go = goSource // a pushed Go blob is read as scan reads a Go file
	copts.GoCost, copts.GoBudget = goCost, newGoBudget(cfg.CheckBudget)
	// with its folder's files and its module's packages as the pushed
	// commit's tree holds them (scanner/history sets GoFolder, GoPackage)
	copts.GoIn, copts.GoTails = goIn, goTails
	// and the unchanged files importing a package a pushed commit changes
	copts.GoStarts, copts.GoImports = goStarts, goImports
	opts := receive.Options{
		Content:           copts,
		ObjectDirs:        quarantineDirs(e.getenv),
		Quarantine:        e.getenv("GIT_QUARANTINE_PATH"),
		ShallowPush:       e.getenv("GIT_SHALLOW_FILE") != "",
		Exclude:           cfg.ExcludeFunc(),
		MaxBlobSize:       cfg.MaxFileSize,
		Workers:           *workers,
		AllowFingerprints: receive.AllowedFingerprints(pushOptionsFrom(e.getenv)),
		AllowPushOptions:  *pushOptions || cfg.PreReceive.PushOptionExceptions,
		Strict:            *pf.strict || cfg.Strict,
		// Comments are honoured unless the flag or the file says not:
		// the narrower setting wins.
		RefuseAllowComments: !*pf.allowComments || cfg.PreReceive.RefuseAllowComments,
	}
	if *baselinePath != "" {
		b, err := baseline.Load(*baselinePath)
		if err != nil {
			return g.fail(err, res)
		}
		opts.Baseline = b
	}
	prog := receive.StartProgress(progressOut(e.stderr), time.Second, time.Second)
	opts.Progress = prog.Update
	res, err = receive.Check(ctx, repo, updates, sc, opts)
	prog.Stop()
	if err != nil && len(res.Refused) == 0 {
		return g.fail(err, res)
	}
	if err != nil {
		// Refused for what it was seen to add (a key in a ref name) even
		// where the rest could not be checked, fail_open or not.
		fmt.Fprintf(e.stderr, "keyscan: warning: part of the push could not be checked: %s\n", g.text(err))
	}
	// The pusher's terminal and the server's log never show a secret.
	hide := g.hide
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "keyscan: warning: %s\n", hide(fmt.Sprint(w)))
	}
	// A type check the watch abandoned (typecheck_timeout): what the push
	// builds there is not known, so it is refused, fail_open or not (an
	// input made to stall the check must not open the gate); the keys
	// found elsewhere are listed first.
	stalls := stallMessages(ctx, cfg)
	for _, s := range stalls {
		fmt.Fprintf(e.stderr, "keyscan: %s\n", hide(s.Message))
	}
	if len(stalls) > 0 && len(res.Refused) == 0 {
		fmt.Fprintln(e.stderr, "keyscan: push refused: a Go type check of it did not end (see above): "+
			"take out the Go file whose types stall the checker, or tell the server's administrator (typecheck_timeout)")
		g.log(receive.ErrorRefused, res, hide(stalls[0].Message))
		return exitError
	}
	if len(res.Refused) == 0 && len(res.Excepted) > 0 {
		if n, why := g.recordExceptions(&res); n > 0 {
			if len(res.Excepted) > 0 {
				_ = receive.WriteExceptions(e.stderr, res)
			}
			_ = receive.WriteRefusal(e.stderr, res, receive.Offers{})
			// Not logged again: the log just failed, or there is none.
			_ = receive.WriteUnrecorded(e.stderr, n, why)
			return exitFindings
		}
	}
	if len(res.Excepted) > 0 {
		_ = receive.WriteExceptions(e.stderr, res)
	}
	if len(res.Refused) > 0 {
		// Push option exceptions are offered where they can be granted:
		// only with an audit log to record them.
		_ = receive.WriteRefusal(e.stderr, res, receive.Offers{
			PushOptions:   opts.AllowPushOptions && g.logPath != "",
			AllowComments: !opts.RefuseAllowComments,
		})
		g.log(receive.Refused, res, "")
		return exitFindings
	}
	if time.Since(start) > time.Second {
		st := res.Stats
		fmt.Fprintf(e.stderr, "keyscan: push checked: %d commits, %d files, no AWS keys (%s)\n",
			st.Commits, st.Scanned, time.Since(start).Round(time.Millisecond))
	}
	return exitClean
}

// gate carries what pre-receive needs to end a push: report, log, exit.
type gate struct {
	e        *env
	repo     string
	failOpen bool
	logPath  string
	// hide redacts the key IDs and secrets of the paths a message names
	// (a file over max_file_size named after its key ID: qa36 M6a), as
	// every warning is; nil until the scanner is made, before which no
	// message names a pushed path.
	hide func(string) string
}

// text is err's message as the pusher's terminal and the audit log show it.
func (g *gate) text(err error) string {
	if g.hide == nil {
		return err.Error()
	}
	return g.hide(err.Error())
}

// fail ends a push that could not be checked: refused (exit 2), or accepted
// with a warning when the server fails open.
func (g *gate) fail(err error, res receive.Result) int {
	if g.failOpen {
		fmt.Fprintf(g.e.stderr, "keyscan: warning: the push was NOT checked for AWS keys and is accepted (fail_open): %s\n", g.text(err))
		g.log(receive.ErrorAccepted, res, g.text(err))
		return exitClean
	}
	fmt.Fprintf(g.e.stderr, "keyscan: push refused: it could not be checked for AWS keys: %s\n", g.text(err))
	if errors.Is(err, receive.ErrLFSAbsent) {
		fmt.Fprintln(g.e.stderr, "keyscan: the push holds Git LFS files whose content this server does not hold, so the gate cannot read them: "+
			"push the LFS objects to this server first (git lfs push origin BRANCH) and push again, or tell the server's administrator")
	} else if errors.Is(err, receive.ErrGoBudget) {
		fmt.Fprintln(g.e.stderr, "keyscan: the push holds more Go source that could build a key than the gate type-checks in one push: "+
			"push it in smaller parts, or ask the server's administrator to raise check_budget")
	} else if errors.Is(err, receive.ErrTreeTooDeep) {
		fmt.Fprintln(g.e.stderr, "keyscan: the push holds folders nested deeper than the gate walks (and git checks out): "+
			"flatten them in your commits and push again")
	} else if errors.Is(err, receive.ErrPushContent) {
		fmt.Fprintln(g.e.stderr, "keyscan: the push holds a file or archive part the gate does not read (over max_file_size or an archive limit, encrypted, corrupt, or an archive format keyscan does not open): "+
			"remove it from the commits and push again, or ask the server's administrator to raise the limit")
	} else if errors.Is(err, receive.ErrShallowPush) {
		fmt.Fprintln(g.e.stderr, "keyscan: the push is shallow (sent from a shallow clone, git clone --depth): it builds on commits this server does not have, "+
			"so the gate cannot tell what it adds: run `git fetch --unshallow` and push again")
	} else if strings.Contains(err.Error(), "shallow push") {
		fmt.Fprintln(g.e.stderr, "keyscan: if you pushed from a shallow clone, run `git fetch --unshallow` and push again; otherwise tell the server's administrator")
	} else {
		fmt.Fprintln(g.e.stderr, "keyscan: this is a problem on the server, not in your commits: tell the server's administrator")
	}
	g.log(receive.ErrorRefused, res, g.text(err))
	return exitError
}

// log appends to the audit log, when there is one. A log that cannot be
// written does not change a refusal, nor the acceptance of an unchecked
// push under fail_open (README, "Exit status"); it is reported to the
// pusher. Exceptions are recorded by recordExceptions instead.
func (g *gate) log(decision string, res receive.Result, errText string) {
	if g.logPath == "" {
		return
	}
	if err := g.append(decision, res, errText); err != nil {
		fmt.Fprintf(g.e.stderr, "keyscan: warning: %v\n", err)
	}
}

func (g *gate) append(decision string, res receive.Result, errText string) error {
	entry := receive.NewLogEntry(time.Now(), decision, pusher(g.e.getenv), repoName(g.e.getenv, g.repo), res)
	entry.Error = errText
	return receive.AppendLog(g.logPath, entry)
}

// recordExceptions records in the audit log a push that only exceptions
// let through. An exception is granted only once it is recorded: when the
// log cannot be written, every exception is taken back; when the server
// keeps no log, those the pusher asked for by push option are (the
// administrator's baseline is its own record, and a keyscan:allow comment
// is in the commits). It returns how many were taken back, and why; res
// then refuses the push.
func (g *gate) recordExceptions(res *receive.Result) (int, string) {
	before := len(res.Excepted)
	if g.logPath == "" {
		if !res.HasException(receive.ByPushOption) {
			return 0, ""
		}
		*res = res.Revoke(receive.ByPushOption)
		return before - len(res.Excepted), "this server keeps no audit log (--log or pre_receive.log)"
	}
	err := g.append(receive.Excepted, *res, "")
	if err == nil {
		return 0, ""
	}
	*res = res.Revoke(receive.ByBaseline, receive.ByPushOption, receive.ByAllowComment)
	return before, "it could not be written: " + err.Error()
}

// serverConfig loads --config, or keyscan.toml in the repository's git
// folder when there is one: the git folder, also when repo names a
// non-bare repository by the top of its work tree, whose files a push
// writes (receive.denyCurrentBranch = updateInstead), never a keyscan.toml
// lying there (qa24 M3).
func serverConfig(path, repo string) (*config.Config, error) {
	if path != "" {
		return config.Load(path)
	}
	gitDir, err := history.GitFolder(repo)
	if err != nil {
		return nil, err
	}
	p := filepath.Join(gitDir, serverConfigName)
	if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
		return config.Load(p)
	}
	return config.Default(), nil
}

// quarantineDirs returns the object directories git names for a hook: the
// quarantine of the pushed objects and the alternates. Relative paths are
// relative to the hook's working directory, as git means them.
func quarantineDirs(getenv func(string) string) []string {
	var out []string
	for _, k := range []string{"GIT_QUARANTINE_PATH", "GIT_OBJECT_DIRECTORY"} {
		if v := getenv(k); v != "" {
			out = append(out, v)
		}
	}
	out = append(out, splitPathList(getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES"))...)
	return out
}

// splitPathList splits a GIT_ALTERNATE_OBJECT_DIRECTORIES value: entries
// separated by ':', one that holds a ':' written in double quotes with
// backslash escapes, as git writes it.
func splitPathList(s string) []string {
	var out []string
	for s != "" {
		if s[0] == '"' {
			if q, err := strconv.QuotedPrefix(s); err == nil {
				if v, err := strconv.Unquote(q); err == nil {
					out = append(out, v)
				}
				s = strings.TrimPrefix(s[len(q):], ":")
				continue
			}
		}
		v, rest, _ := strings.Cut(s, ":")
		if v != "" {
			out = append(out, v)
		}
		s = rest
	}
	return out
}

// pushOptionsFrom returns the push options git hands the hook
// (GIT_PUSH_OPTION_COUNT and GIT_PUSH_OPTION_0...).
func pushOptionsFrom(getenv func(string) string) []string {
	n, err := strconv.Atoi(getenv("GIT_PUSH_OPTION_COUNT"))
	if err != nil || n <= 0 {
		return nil
	}
	var out []string
	for i := range min(n, 1000) {
		out = append(out, getenv("GIT_PUSH_OPTION_"+strconv.Itoa(i)))
	}
	return out
}

// pusher names who pushed, from what the hosting software puts in the
// hook's environment: GitLab, GitHub Enterprise Server, Gitea/Forgejo, then
// the account of a plain ssh server.
func pusher(getenv func(string) string) string {
	for _, k := range []string{"GL_USERNAME", "GITHUB_USER_LOGIN", "GITEA_PUSHER_NAME", "USER"} {
		if v := getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// repoName names the repository for the audit log: the hosting software's
// name for it when it gives one, else its absolute path.
func repoName(getenv func(string) string, repo string) string {
	if v := getenv("GL_PROJECT_PATH"); v != "" {
		return v
	}
	if v := getenv("GITHUB_REPO_NAME"); v != "" {
		return v
	}
	if o, n := getenv("GITEA_REPO_USER_NAME"), getenv("GITEA_REPO_NAME"); n != "" {
		if o != "" {
			return o + "/" + n
		}
		return n
	}
	if abs, err := filepath.Abs(repo); err == nil {
		return abs
	}
	return repo
}
