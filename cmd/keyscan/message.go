package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/internal/readfile"
	"github.com/keyscan/keyscan/report"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/content"
	"github.com/keyscan/keyscan/scanner/staged"
)

// hookEnv is the variable the hooks keyscan writes set to their own name
// (pre-commit, commit-msg, pre-applypatch, ...), so that keyscan staged
// says what the hook that stopped git did: git itself tells a hook nothing
// of which command runs it (git am sets no GIT_INDEX_FILE).
const hookEnv = "KEYSCAN_HOOK"

// messagePath is the pseudo-path a commit message's findings are reported
// under, as history reports a committed message under "commit <id>
// message": the file git passes is its scratch copy, not a file of the
// repository.
const messagePath = "commit message"

// runStagedMessage is keyscan staged --message FILE: the commit-msg (and
// applypatch-msg) hook. A commit message is pushed and cloned with the
// history, as a file is (history, pre-push and pre-receive scan messages),
// so a key pasted into one is stopped before the commit exists, not only
// at the push, when the commit must be reworded. The whole file is read:
// comment lines too, since git commit -m keeps a line that starts with '#'
// in the message, and what follows git's scissors line as well, since git
// cuts there only with -v or --cleanup=scissors and keeps it with -m, -F
// and the default cleanup (qa12 HIGH-1); the hook cannot tell which. Below
// the scissors, a value on a line of a file's diff is left out when that
// file holds it in HEAD or in the index: git commit -v's diff, which git
// cuts, and the pre-commit hook's to judge (belowScissors).
//
// The message is read as a file is (content.Scan): an archive in base64
// pasted into it is opened, and what could not be checked (its check
// budget spent, past max_findings_per_file) fails the hook whatever
// --strict says, as for a file the commit adds (qa13 HIGH-1, HIGH-2).
func runStagedMessage(ctx context.Context, fl *flag.FlagSet, c *commonFlags, cf *contentFlags, so *stagedOnly, e *env) int {
	args := fl.Args()
	if len(args) != 1 {
		fmt.Fprintf(e.stderr, "keyscan staged: --message takes the one file holding the message (git passes .git/COMMIT_EDITMSG to the commit-msg hook); got %d arguments\n", len(args))
		return exitError
	}
	if err := c.validate(); err != nil {
		fmt.Fprintf(e.stderr, "keyscan staged: %v\n", err)
		return exitError
	}
	root, err := staged.TopLevel(".", e.getenv("GIT_DIR"), e.getenv("GIT_WORK_TREE"))
	if err != nil {
		root = "." // a message checked outside a repository: the folder's configuration
	}
	cfg, sc, err := setup(c, root)
	if err == nil {
		ctx = watchTypeChecks(ctx, cfg)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan staged: %v\n", err)
		return exitError
	}
	if err := missingBaseline(c.baseline, "staged", e.getenv(hookEnv)); err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitError
	}
	msg, err := readfile.File(args[0], false, cfg.MaxFileSize)
	if err != nil {
		// Not read is not checked: the commit must not pass unchecked.
		fmt.Fprintf(e.stderr, "keyscan staged: the commit message could not be checked: %v\n", err)
		return exitError
	}
	opts, err := cf.options(fl, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan staged: %v\n", err)
		return exitError
	}
	res := content.Scan(ctx, sc, messagePath, msg, opts)
	fs := res.Findings.Reported()
	incomplete := messageGaps(res, sc, c, *so.strict || cfg.Strict, e)
	if c.stallGaps(ctx, cfg, e.stderr, "staged") {
		incomplete = true
	}
	if cut := scissorsLine(msg, gitCommentPrefix(ctx, root)); cut > 0 {
		fs = belowScissors(ctx, root, msg, cut, fs, cfg.MaxFileSize)
	}
	for i := range fs {
		fs[i].Suggestion = messageAdvice(fs[i], fs)
		fs[i].Logical = scanner.LogicalCommitMessage
	}
	code := emit(ctx, fs, c, "staged", e)
	if code == exitFindings && c.format == "text" && !c.quiet {
		messageFooter(e.stderr, e.getenv(hookEnv), args[0])
	}
	if incomplete && code != exitInterrupted {
		return exitError
	}
	return code
}

// messageGaps prints the warnings of a message's scan and records its gaps
// (commonFlags.gaps), reporting whether the hook must fail for them: a part
// not checked (check budget, max_findings_per_file) or an archive member
// over max_file_size always, as for a file the commit adds; with strict,
// also any other archive part or encoded run not read, which is a gap of
// the report without it too.
func messageGaps(res content.Result, sc *scanner.Scanner, c *commonFlags, strict bool, e *env) bool {
	if !c.quiet {
		hide := warningLine(c.showSecrets, sc, res.Findings)
		for _, w := range res.Warnings {
			fmt.Fprintf(e.stderr, "keyscan: warning: %s\n", hide(w.String()))
		}
	}
	incomplete := false
	if res.Unlisted > 0 {
		c.gaps = append(c.gaps, report.Gap{Reason: "unlisted", Count: res.Unlisted,
			Message: report.Count(res.Unlisted, "candidate value", "candidate values") + " " + strictUnlisted})
		fmt.Fprintf(e.stderr, "keyscan staged: %s in the commit message %s\n", report.Count(res.Unlisted, "candidate value", "candidate values"), strictUnlisted)
		incomplete = true
	}
	if res.Unchecked > 0 {
		c.gaps = append(c.gaps, report.Gap{Reason: "unchecked", Count: res.Unchecked,
			Message: "the commit message " + strictUnchecked})
		fmt.Fprintf(e.stderr, "keyscan staged: the commit message %s\n", strictUnchecked)
		incomplete = true
	}
	// An archive member over max_file_size in the message fails the hook
	// as one in a file the commit adds does: the gate refuses it.
	if c.tooLargeFail(e.stderr, "staged", res.Archive.TooLarge, texts(res.Warnings), warningLine(c.showSecrets, sc, res.Findings)) {
		incomplete = true
	}
	for _, f := range []bool{
		c.strictGap(e.stderr, "staged", "archive", res.Archive.Unscanned, strictCount(strict, res.Archive.Unscanned), "archive part", "archive parts", strictArchives),
		c.strictGap(e.stderr, "staged", "undecoded", res.Undecoded, strictCount(strict, res.Undecoded), "encoded run", "encoded runs", strictUndecoded),
	} {
		incomplete = incomplete || f
	}
	return incomplete
}

// messageAdvice is the advice for a value in a commit message: a
// message is no file to move to the instance role, and the commit does
// not exist yet, so removing the value from the message is the whole fix.
func messageAdvice(f scanner.Finding, all scanner.Findings) string {
	return "Remove the credential from the commit message: every clone holds a commit's message, as it holds its files. " +
		all.KeyAdvice(f)
}

// scissors is the line git puts, after its comment prefix and a space,
// above what it strips from a message whatever the cleanup mode
// (git commit -v's diff): wt-status.c's cut_line.
const scissors = "------------------------ >8 ------------------------"

// scissorsLine returns the 1-based number of the line of msg that is
// git's scissors line, 0 when there is none. prefix is the comment prefix
// (core.commentChar or core.commentString); "" stands for any one
// character (core.commentChar=auto lets git choose one per message).
func scissorsLine(msg []byte, prefix string) int {
	n := 1
	for off := 0; off < len(msg); n++ {
		line := msg[off:]
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
		}
		l := strings.TrimSuffix(string(line), "\r")
		if rest, ok := strings.CutSuffix(l, " "+scissors); ok {
			if (prefix == "" && len(rest) == 1) || (prefix != "" && rest == prefix) {
				return n
			}
		}
		off += len(line) + 1
	}
	return 0
}

// belowScissors drops from fs the findings below line cut of msg (git's
// scissors line) that stand on a line of a file's diff (an added, removed
// or unchanged line) whose value that file already holds, in HEAD or in
// the index: git commit -v writes the staged diff there and cuts it from
// the message, and what it shows is the pre-commit hook's to judge, with
// the path's configuration (an excluded fixture, a baselined test key;
// qa12 MEDIUM-13), or is in the history already (a commit that removes a
// leaked key). A message written with -m that copies such lines only
// repeats what the index holds. Any other value below the line is kept: a
// line git keeps (git commit -m, -F; qa12 HIGH-1), a value neither HEAD nor
// the index holds. The diff's paths are read from its header and its
// ---/+++ lines, with and without a one-letter prefix (a/, b/, i/, w/, c/:
// diff.noprefix and diff.mnemonicPrefix change them). In git commit -vv's
// second diff (the changes not staged, "i/P w/P"), a value the work tree's
// file holds is left out too: git cuts it, and it is not staged. Files are
// read through git (the work tree's through os.Root), no more than max
// bytes each.
func belowScissors(ctx context.Context, root string, msg []byte, cut int, fs scanner.Findings, max int64) scanner.Findings {
	lines := bytes.Split(msg, []byte("\n"))
	section := make([]int, len(lines)+1) // line n's diff section (1-based), 0 outside one
	var paths [][]string                 // each section's candidate paths
	var worktree []string                // each section's path in the work tree, for git commit -vv's second diff
	for i := cut; i < len(lines); i++ {  // lines[i] is line i+1
		l := string(bytes.TrimSuffix(lines[i], []byte("\r")))
		if rest, ok := strings.CutPrefix(l, "diff --git "); ok {
			paths = append(paths, headerPaths(rest))
			worktree = append(worktree, unstagedPath(rest))
		} else if len(paths) > 0 {
			for _, p := range []string{"--- ", "+++ "} {
				if rest, ok := strings.CutPrefix(l, p); ok && rest != "/dev/null" {
					paths[len(paths)-1] = append(paths[len(paths)-1], withoutPrefix(rest)...)
				}
			}
		}
		section[i+1] = len(paths)
	}
	blobs := map[string][]byte{}
	blob := func(rev string) []byte {
		if b, ok := blobs[rev]; ok {
			return b
		}
		var b []byte
		size, err := exec.CommandContext(ctx, "git", "-C", root, "cat-file", "-s", rev).Output()
		if n, perr := strconv.ParseInt(strings.TrimSpace(string(size)), 10, 64); err == nil && perr == nil && n <= max {
			b, _ = exec.CommandContext(ctx, "git", "-C", root, "cat-file", "blob", rev).Output()
		}
		blobs[rev] = b
		return b
	}
	held := func(f scanner.Finding) bool {
		for _, p := range paths[section[f.Line]-1] {
			if p == "" || strings.HasPrefix(p, "-") {
				continue
			}
			for _, rev := range []string{"HEAD:" + p, ":" + p} {
				if bytes.Contains(blob(rev), []byte(f.Secret)) {
					return true
				}
			}
		}
		if p := worktree[section[f.Line]-1]; p != "" && bytes.Contains(worktreeFile(root, p, max), []byte(f.Secret)) {
			return true
		}
		return false
	}
	out := fs[:0]
	for _, f := range fs {
		if f.File == messagePath && f.Line > cut && f.Line <= len(lines) && f.EndLine <= len(lines) && diffLines(lines, f, section) && held(f) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// unstagedPath returns the path of the diff whose header is rest when it is
// git commit -vv's second diff, of the changes not staged (git writes its
// header "i/P w/P" whatever the diff prefix settings: wt-status.c), else
// "". A value on its lines that the work tree's file holds is neither
// committed nor in the message: git cuts it with the rest below the
// scissors line, and the file is the pre-commit hook's to judge when it
// is staged.
func unstagedPath(rest string) string {
	rest = strings.TrimRight(rest, "\r")
	if n := len(rest); n%2 == 1 && rest[n/2] == ' ' {
		a, b := rest[:n/2], rest[n/2+1:]
		if strings.HasPrefix(a, "i/") && strings.HasPrefix(b, "w/") && a[2:] == b[2:] {
			return a[2:]
		}
	}
	return ""
}

// worktreeFile returns the work tree's file p under root, up to max bytes,
// or nil: read through os.Root, so a path out of the work tree (.., a
// link that leads out) is not followed.
func worktreeFile(root, p string, max int64) []byte {
	if !filepath.IsLocal(filepath.FromSlash(p)) {
		return nil
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil
	}
	defer r.Close()
	f, err := r.Open(filepath.FromSlash(p))
	if err != nil {
		return nil
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() || st.Size() > max {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(f, max))
	return b
}

// headerPaths returns the paths a diff header names ("a/x b/x", or "x x"
// without prefixes), each with and without a one-letter prefix.
func headerPaths(rest string) []string {
	rest = strings.TrimRight(rest, "\r")
	var out []string
	// Two names of equal length, or an a/ and a b/ name: split there.
	if n := len(rest); n%2 == 1 && rest[n/2] == ' ' {
		out = append(out, withoutPrefix(rest[:n/2])...)
		out = append(out, withoutPrefix(rest[n/2+1:])...)
	}
	if i := strings.Index(rest, " b/"); i >= 0 {
		out = append(out, withoutPrefix(rest[:i])...)
		out = append(out, withoutPrefix(rest[i+1:])...)
	}
	return out
}

// withoutPrefix returns p, and p without its first folder when that is one
// letter (the a/, b/, i/, w/, c/ of a diff).
func withoutPrefix(p string) []string {
	p = strings.TrimRight(p, "\r\t")
	if len(p) > 2 && p[1] == '/' {
		return []string{p, p[2:]}
	}
	return []string{p}
}

// diffLines reports whether every line finding f spans is an added ('+'),
// removed ('-') or unchanged (' ') line of one diff section (section[n]
// is line n's), not a ---/+++ header.
func diffLines(lines [][]byte, f scanner.Finding, section []int) bool {
	end := max(f.EndLine, f.Line)
	for n := f.Line; n <= end; n++ {
		l := lines[n-1]
		if section[n] == 0 || section[n] != section[f.Line] || len(l) == 0 || (l[0] != '-' && l[0] != ' ' && l[0] != '+') ||
			bytes.HasPrefix(l, []byte("--- ")) || bytes.HasPrefix(l, []byte("+++ ")) {
			return false
		}
	}
	return true
}

// gitCommentPrefix asks git for the comment prefix of the repository at
// root: core.commentString (git 2.45), else core.commentChar, else "#";
// "" for auto.
func gitCommentPrefix(ctx context.Context, root string) string {
	for _, key := range []string{"core.commentString", "core.commentChar"} {
		out, err := exec.CommandContext(ctx, "git", "-C", root, "config", "--get", key).Output()
		if err != nil {
			continue
		}
		v := strings.TrimRight(string(out), "\r\n")
		if v == "auto" {
			return ""
		}
		if v != "" {
			return v
		}
	}
	return "#"
}

// messageFooter tells a developer whose commit message was refused what to
// do: git keeps the message in file, so nothing typed is lost.
func messageFooter(w io.Writer, hook, file string) {
	switch hook {
	case "applypatch-msg":
		fmt.Fprintf(w, `
keyscan: this patch's message holds the credentials above, so git am stopped before committing it.
  To fix: git am --abort, remove each value from the patch's message, and
    git am the patch again.
  A false positive? Put "keyscan:allow <reason>" on its line of the message.
  To apply it anyway: git -c core.hooksPath=/dev/null am (skips every hook).
`)
	case "commit-msg":
		fmt.Fprintf(w, `
keyscan: this commit's message holds the credentials above, so the commit was stopped.
  To fix: remove each value from the message and commit again; git kept the
    message in %[1]s: git commit -e -F %[1]s opens it again.
  A false positive? Put "keyscan:allow <reason>" on its line of the message.
  To commit anyway: git commit --no-verify (skips every commit hook; for a
    merge: git merge --no-verify).
`, file)
	default:
		fmt.Fprintf(w, `
keyscan: the message in %s holds the credentials above; the commit-msg hook would stop its commit.
  Remove each value from the message, or put "keyscan:allow <reason>" on its line.
`, file)
	}
}
