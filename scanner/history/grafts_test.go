package history_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/history"
)

// TestGraftedParents (qa38 hist): a commit info/grafts makes a parent of
// a scanned commit is history as git shows it (git log --all, git
// rev-list --all count it) and is scanned, with a warning; it was not
// (exit 0) while git log --all listed the key's commit. A bad graft line
// is said and ignored.
func TestGraftedParents(t *testing.T) {
	r := newGitRepo(t)
	id, line := keyLine(3814)
	r.write("k.env", line)
	key := r.commit("key")
	r.git("checkout", "-q", "--orphan", "clean")
	r.git("rm", "-q", "-f", "k.env")
	r.write("README", "clean\n")
	clean := r.commit("clean")
	r.git("branch", "-q", "-D", "main")
	r.git("reflog", "expire", "--expire=now", "--all")
	res := scanRepo(t, r.dir, history.Options{})
	if len(res.Findings) != 0 {
		t.Fatalf("before the graft: %d findings, want none (the key's commit is unreachable)", len(res.Findings))
	}
	grafts := filepath.Join(r.dir, ".git", "info", "grafts")
	if err := os.MkdirAll(filepath.Dir(grafts), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(grafts, []byte("# comment\nnot ids\n"+clean+" "+key+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if n := r.git("-c", "advice.graftFileDeprecated=false", "rev-list", "--all", "--count"); !strings.HasSuffix(n, "\n2") {
		t.Fatalf("git rev-list --all --count = %s with the graft, want 2", n)
	}
	res = scanRepo(t, r.dir, history.Options{})
	f := findingFor(t, res, id)
	if f.Commit != key || !hasWarning(res, "info/grafts makes commit "+key+" a parent of "+clean) || !hasWarning(res, "line 2: not a commit's ID") {
		t.Errorf("with the graft: finding in %s, warnings %v: want the key's commit %s scanned and both lines said", f.Commit, res.Warnings, key)
	}
	res = scanRepo(t, r.dir, history.Options{Refs: []string{"clean"}})
	findingFor(t, res, id)
}

// TestGraftCycle: info/grafts that makes a commit's descendant its parent
// closes a cycle, which git log --all follows, showing each commit once.
// The walk's order dropped every commit of the cycle: a repository whose
// grafts loop held no commits, no finding, exit 0. Each is scanned, and
// the key is still its own commit's.
func TestGraftCycle(t *testing.T) {
	r := newGitRepo(t)
	r.write("README", "root\n")
	root := r.commit("root")
	id, line := keyLine(3815)
	r.write("k.env", line)
	key := r.commit("key")
	r.git("rm", "-q", "k.env")
	head := r.commit("removed")
	grafts := filepath.Join(r.dir, ".git", "info", "grafts")
	if err := os.MkdirAll(filepath.Dir(grafts), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(grafts, []byte(root+" "+head+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []history.Options{{}, {Refs: []string{"main"}}} {
		res := scanRepo(t, r.dir, opts)
		if f := findingFor(t, res, id); f.Commit != key {
			t.Errorf("%+v: the key is found in %s, want its commit %s", opts, f.Commit, key)
		}
		if res.Stats.Commits != 3 {
			t.Errorf("%+v: %d commits scanned, want the 3 of the cycle", opts, res.Stats.Commits)
		}
	}
}
