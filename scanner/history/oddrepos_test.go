package history_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/scanner/history"
)

// TestOddRepositoryMessages (qa38 hist): what the user named is said
// when it cannot be read. A linked worktree's .git file that names a
// folder that is gone is that, not "not a git repository (or any parent
// up to the root)"; a --ref that steps past a shallow clone's boundary
// names the boundary, not "object ...: object not found".
func TestOddRepositoryMessages(t *testing.T) {
	r := newGitRepo(t)
	_, line := keyLine(3815)
	r.write("k.env", line)
	r.commit("one")
	r.write("b", "b\n")
	r.commit("two")

	wt := filepath.Join(t.TempDir(), "wt")
	r.git("worktree", "add", "-q", "--detach", wt)
	if err := os.WriteFile(filepath.Join(wt, ".git"), []byte("gitdir: "+filepath.Join(t.TempDir(), "gone")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := history.Scan(context.Background(), wt, fixture.Scanner(t), history.Options{})
	if err == nil || errors.Is(err, history.ErrNotRepository) || !strings.Contains(err.Error(), ".git names ") || !strings.Contains(err.Error(), "which is not a folder") {
		t.Errorf("a .git file naming a folder that is gone: %v, want it said", err)
	}

	shallow := filepath.Join(t.TempDir(), "shallow")
	r.run("", "clone", "-q", "--depth=1", "file://"+r.dir, shallow)
	for _, opts := range []history.Options{{Refs: []string{"HEAD~1"}}, {Since: "HEAD~1"}} {
		_, err := history.Scan(context.Background(), shallow, fixture.Scanner(t), opts)
		var re *history.RevisionError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), "is not in this shallow clone") || !strings.Contains(err.Error(), "git fetch --unshallow") {
			t.Errorf("refs %q since %q in a shallow clone: %v, want the boundary named", opts.Refs, opts.Since, err)
		}
	}
}

// TestSymbolicRefLoop (qa38 hist): HEAD -> refs/heads/a -> refs/heads/a
// neither hangs nor hides the other refs: the full scan reads them and
// says HEAD leads nowhere; --ref a names the loop instead of go-git's
// "max. recursion level reached".
func TestSymbolicRefLoop(t *testing.T) {
	r := newGitRepo(t)
	id, line := keyLine(3816)
	r.write("k.env", line)
	r.commit("one")
	for _, f := range []string{"HEAD", "refs/heads/a"} {
		if err := os.WriteFile(filepath.Join(r.dir, ".git", f), []byte("ref: refs/heads/a\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := scanBounded(t, r.dir, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f := findingFor(t, res, id); f.PresentAtHead != nil && *f.PresentAtHead || !hasWarning(res, "HEAD is a symbolic ref that leads to no ref") {
		t.Errorf("warnings %v: want the key found in main, not present at HEAD, and HEAD's loop said", res.Warnings)
	}
	_, err = scanBounded(t, r.dir, history.Options{Refs: []string{"a"}})
	var re *history.RevisionError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "refs/heads/a is a symbolic ref that leads to no ref") {
		t.Errorf("--ref a: %v, want the loop named", err)
	}
}

// TestShallowBoundaryAskedFor (qa38 hist): a shallow clone's boundary is a
// gap when the scan reaches it with its parents asked for (a full scan,
// or a --since REV that does not reach it), not when --since REV or what
// the remote has (--unpushed) leaves it out: the history behind it is
// not what was asked (a depth-1 CI clone's --since origin/main was
// incomplete, exit 2 with --strict). Stats.Shallow still counts every
// boundary (the gate refuses a push to a shallow repository).
func TestShallowBoundaryAskedFor(t *testing.T) {
	r := newGitRepo(t)
	r.write("a", "a\n")
	r.commit("one")
	r.write("b", "b\n")
	r.commit("two")
	clone := filepath.Join(t.TempDir(), "shallow")
	r.run("", "clone", "-q", "--depth=1", "file://"+r.dir, clone)
	boundary := r.git("rev-parse", "HEAD")
	r.run(clone, "commit", "-q", "--allow-empty", "-m", "new")
	for _, c := range []struct {
		opts history.Options
		want int
	}{
		{history.Options{}, 1},
		{history.Options{Since: "origin/main"}, 0},
		{history.Options{Since: "HEAD"}, 0},
		{history.Options{Unpushed: true, Not: []string{boundary}, RemoteNames: []string{"refs/heads/main"}}, 0},
		{history.Options{Unpushed: true, RemoteNames: []string{}}, 1},
	} {
		res := scanRepo(t, clone, c.opts)
		if res.Stats.ShallowScanned != c.want || res.Stats.Shallow != 1 || hasWarning(res, "shallow clone") != (c.want > 0) {
			t.Errorf("since %q unpushed %v not %v: ShallowScanned %d, Shallow %d, warnings %v: want %d, 1",
				c.opts.Since, c.opts.Unpushed, c.opts.Not, res.Stats.ShallowScanned, res.Stats.Shallow, res.Warnings, c.want)
		}
	}
}
