package history_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/keyscan/keyscan/scanner/history"
)

// TestWorktreeHeads: a commit only another worktree's detached HEAD
// reaches (git worktree add --detach, then a commit there; qa11 LOW-5) is
// scanned, as git rev-list --all counts it: from the main worktree the
// linked one's HEAD, from the linked one the main one's.
func TestWorktreeHeads(t *testing.T) {
	r := newGitRepo(t)
	r.write("a", "a\n")
	r.commit("init")
	wt := filepath.Join(filepath.Dir(r.dir), "wt")
	r.git("worktree", "add", "-q", "--detach", wt)
	id1, line1 := keyLine(501)
	if err := os.WriteFile(filepath.Join(wt, "c2.ini"), []byte(line1), 0o644); err != nil {
		t.Fatal(err)
	}
	r.run(wt, "add", "c2.ini")
	r.run(wt, "commit", "-qm", "wt")

	r.git("checkout", "-q", "--detach")
	id2, line2 := keyLine(502)
	r.write("main.ini", line2)
	r.commit("main detached")

	for _, dir := range []string{r.dir, wt} {
		res := scanRepo(t, dir, history.Options{})
		for _, id := range []string{id1, id2} {
			found := false
			for _, f := range res.Findings {
				found = found || f.Secret == id
			}
			if !found {
				t.Errorf("history of %s: %s (a detached HEAD's commit) not found; findings %+v", dir, id, res.Findings)
			}
		}
	}
}
