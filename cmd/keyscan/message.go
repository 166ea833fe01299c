package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/internal/readfile"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
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
// the scissors, a value on a line git commit -v's diff shows as removed or
// unchanged is left out when HEAD's version of that diff's file holds it:
// it is committed already, and refusing the commit (one that removes a
// leaked key, say) would protect nothing (belowScissors).
func runStagedMessage(ctx context.Context, args []string, c *commonFlags, e *env) int {
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
	fs := sc.Scan(messagePath, msg)
	if cut := scissorsLine(msg, gitCommentPrefix(ctx, root)); cut > 0 {
		fs = belowScissors(ctx, root, msg, cut, fs, cfg.MaxFileSize)
	}
	for i := range fs {
		fs[i].Suggestion = messageAdvice(fs[i], fs)
	}
	code := emit(ctx, fs, c, "staged", e)
	if code == exitFindings && c.format == "text" && !c.quiet {
		messageFooter(e.stderr, e.getenv(hookEnv), args[0])
	}
	return code
}

// messageAdvice is the advice for a value in a commit message: a
// message is no file to move to the instance role, and the commit does
// not exist yet, so removing the value from the message is the whole fix.
func messageAdvice(f scanner.Finding, all scanner.Findings) string {
	var keyID string
	for _, g := range all {
		if g.Fingerprint == f.Pair && g.Kind == rules.AccessKeyID {
			keyID = g.Secret
		}
	}
	return "Remove the credential from the commit message: every clone holds a commit's message, as it holds its files. " +
		rules.Respond(rules.ExposureOf(f.Kind, f.Secret, keyID)).Brief
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
// scissors line) that git commit -v's diff shows on a removed or unchanged
// line of a file whose version in HEAD holds the value: such a value is in
// the history already, and the diff is cut from the message when git
// wrote it there. Any other value below the line is kept: a line git keeps
// (git commit -m, -F), a line the diff adds (the pre-commit hook refuses
// that commit too), a value HEAD does not hold. HEAD's file is read
// through git, no more than max bytes of it.
func belowScissors(ctx context.Context, root string, msg []byte, cut int, fs scanner.Findings, max int64) scanner.Findings {
	lines := bytes.Split(msg, []byte("\n"))
	file := make([]string, len(lines)+1) // the diff's file each line below cut belongs to
	cur := ""
	for i := cut; i < len(lines); i++ { // lines[i] is line i+1
		l := string(bytes.TrimSuffix(lines[i], []byte("\r")))
		if rest, ok := strings.CutPrefix(l, "diff --git a/"); ok {
			cur = ""
			if a, _, ok := strings.Cut(rest, " b/"); ok {
				cur = a
			}
		}
		file[i+1] = cur
	}
	heads := map[string][]byte{}
	head := func(name string) []byte {
		if b, ok := heads[name]; ok {
			return b
		}
		var b []byte
		size, err := exec.CommandContext(ctx, "git", "-C", root, "cat-file", "-s", "HEAD:"+name).Output()
		if n, perr := strconv.ParseInt(strings.TrimSpace(string(size)), 10, 64); err == nil && perr == nil && n <= max {
			b, _ = exec.CommandContext(ctx, "git", "-C", root, "cat-file", "blob", "HEAD:"+name).Output()
		}
		heads[name] = b
		return b
	}
	out := fs[:0]
	for _, f := range fs {
		if f.Line > cut && f.Line <= len(lines) && f.EndLine <= len(lines) && committedDiffLine(lines, f, file) &&
			bytes.Contains(head(file[f.Line]), []byte(f.Secret)) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// committedDiffLine reports whether every line finding f spans is a
// removed ('-') or unchanged (' ') line of one file's diff (file[n] names
// line n's).
func committedDiffLine(lines [][]byte, f scanner.Finding, file []string) bool {
	end := max(f.EndLine, f.Line)
	for n := f.Line; n <= end; n++ {
		l := lines[n-1]
		if file[n] == "" || file[n] != file[f.Line] || len(l) == 0 || (l[0] != '-' && l[0] != ' ') || bytes.HasPrefix(l, []byte("--- ")) {
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
