package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// The pre-push side of keyscan history (--unpushed, --pre-push) judges a
// push against what the remote has, as the remote itself says it: git
// ls-remote lists the object every ref of the remote names. The
// remote-tracking branches (refs/remotes/NAME/*) are not asked: they are
// what the last fetch saw, and a branch the team has since deleted or
// force-pushed without a key would pass that key as already pushed.

// pushPlan is what a push is judged by: the objects the remote has (the
// history they reach is left out) and, with git's pre-push input, the
// objects the push sends. A ref's name is pushed content too (the gate
// refuses a branch named after a key): names are the remote's refs, so
// that --unpushed scans the names of the local refs it lacks, and created
// the names git's pre-push input says the push creates there.
type pushPlan struct {
	has     []string // object IDs the remote's refs name
	refs    []string // with --pre-push: the local objects pushed that the remote lacks
	names   []string // the full names of the remote's refs
	created []string // with --pre-push: the remote refs the push creates
}

// maxPrePushInput bounds git's pre-push input: one line per ref pushed.
const maxPrePushInput = 64 << 20

// planPush asks remote (a name or URL, in repo) which objects it has and,
// with prePush, reads git's pre-push input from standard input. When the
// remote cannot be asked, nothing is left out (every commit the local refs
// reach is scanned) and a warning says so: slower, never a key let through.
func planPush(ctx context.Context, repo, remote string, prePush bool, e *env) (pushPlan, error) {
	var p pushPlan
	has, names, err := remoteRefs(ctx, repo, remote)
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan: warning: %v: what the remote has is unknown, so every commit the pushed refs reach, and every pushed ref's name, is scanned\n", err)
	}
	p.has, p.names = has, names
	if !prePush {
		return p, nil
	}
	if e.stdin == nil {
		return p, errors.New("--pre-push: no standard input (git gives the hook one line per pushed ref there)")
	}
	known := map[string]bool{}
	for _, h := range has {
		known[h] = true
	}
	sc := bufio.NewScanner(io.LimitReader(e.stdin, maxPrePushInput))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		// <local ref> SP <local sha> SP <remote ref> SP <remote sha>; the
		// local ref is "(delete)" for a deletion, and may be an expression
		// (HEAD~1:refs/heads/x), so the IDs are taken from the right.
		f := strings.Fields(line)
		if len(f) < 4 {
			return p, fmt.Errorf("--pre-push: standard input line %d: %q is not git's pre-push input (<local ref> <local sha> <remote ref> <remote sha>)", n, line)
		}
		local, ok1 := gitobj.ParseID(f[len(f)-3])
		remoteID, ok2 := gitobj.ParseID(f[len(f)-1])
		if !ok1 || !ok2 {
			return p, fmt.Errorf("--pre-push: standard input line %d: %q does not hold two object IDs where git puts them", n, line)
		}
		if remoteID.IsZero() && !local.IsZero() {
			// The remote has no ref of that name: the push creates
			// it, and the gate would scan its name (the remote's name
			// for it, as git sends it; the local one is not sent).
			p.created = append(p.created, f[len(f)-2])
		}
		if !remoteID.IsZero() && !known[remoteID.String()] {
			known[remoteID.String()] = true
			p.has = append(p.has, remoteID.String())
		}
		if local.IsZero() || known[local.String()] {
			continue // a deletion, or an object the remote has: nothing sent
		}
		p.refs = append(p.refs, local.String())
	}
	if err := sc.Err(); err != nil {
		return p, fmt.Errorf("--pre-push: reading standard input: %w", err)
	}
	return p, nil
}

// remoteRefs returns the object IDs that the refs of remote (a name or a
// URL) name, peeled tags included, and the refs' full names, from git
// ls-remote run in repo.
func remoteRefs(ctx context.Context, repo, remote string) (ids, names []string, err error) {
	cmd := exec.CommandContext(ctx, "git", "ls-remote", "--", remote)
	cmd.Dir = repo
	cmd.Env = withoutGitDir(os.Environ())
	cmd.Stdin = nil // the hook's input is keyscan's, and a prompt goes to the terminal
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := gitReason(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, nil, fmt.Errorf("asking %s for its refs (git ls-remote): %s", remote, msg)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		id, name, _ := strings.Cut(line, "\t")
		if h, ok := gitobj.ParseID(strings.TrimSpace(id)); ok && !seen[h.String()] {
			seen[h.String()] = true
			ids = append(ids, h.String())
		}
		if name, ok := strings.CutSuffix(strings.TrimSpace(name), "^{}"); !ok && name != "" {
			names = append(names, name)
		}
	}
	return ids, names, nil
}

// gitReason picks from what git wrote to standard error the lines a person
// needs: every line up to its last "fatal:" or "error:" line, which name the
// cause (an ssh error, then git's "'…' does not appear to be a git
// repository"), without the advice git prints after them ("Please make sure
// you have the correct access rights / and the repository exists.", which
// alone reads as nonsense); without such a line, every non-blank line. The
// lines are joined by "; ", so the warning stays one line.
func gitReason(stderr string) string {
	var lines []string
	last := -1
	for _, line := range strings.Split(stderr, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		lines = append(lines, line)
		if strings.HasPrefix(line, "fatal:") || strings.HasPrefix(line, "error:") {
			last = len(lines)
		}
	}
	if last >= 0 {
		lines = lines[:last]
	}
	return strings.Join(lines, "; ")
}
