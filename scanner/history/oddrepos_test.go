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
