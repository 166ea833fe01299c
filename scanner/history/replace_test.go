package history_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/history"
)

// TestReplacedHead (qa24 L1): with refs/replace/ putting commit R in the
// place of HEAD's commit (git replace HEAD R), git shows R as HEAD (its
// checkout, git grep HEAD). --ref HEAD scans R beside the commit it
// replaces, with a warning naming both, and a value in R's tree is
// present at HEAD; one in the replaced commit's tree (what a push sends)
// stays present at HEAD too.
func TestReplacedHead(t *testing.T) {
	r := newGitRepo(t)
	g := fakekey.New(2401)
	r.write("a", "hi\n")
	r.commit("init")
	r.write("old.env", "aws_access_key_id = "+g.KeyID("AKIA")+"\naws_secret_access_key = "+g.Secret()+"\n")
	head := r.commit("two")
	seen := g.KeyID("AKIA")
	blob := strings.TrimSpace(r.runInput("aws_access_key_id = "+seen+"\naws_secret_access_key = "+g.Secret()+"\n", "hash-object", "-w", "--stdin"))
	tree := strings.TrimSpace(r.runInput("100644 blob "+blob+"\tcreds\n", "mktree"))
	repl := strings.TrimSpace(r.git("commit-tree", "-p", "HEAD~1", "-m", "repl", tree))
	r.git("replace", head, repl)

	for _, opts := range []history.Options{{Refs: []string{"HEAD"}}, {}} {
		res := scanRepo(t, r.dir, opts)
		atHead := map[string]bool{}
		for _, f := range res.Findings {
			atHead[f.File] = f.PresentAtHead != nil && *f.PresentAtHead
		}
		for _, file := range []string{"creds", "old.env"} {
			if !atHead[file] {
				t.Errorf("refs %v: %s: found and present at HEAD %v, want true (%v)", opts.Refs, file, atHead[file], res.Findings)
			}
		}
		if opts.Refs != nil {
			warned := false
			for _, w := range res.Warnings {
				warned = warned || strings.Contains(w.String(), "refs/replace/"+head)
			}
			if !warned {
				t.Errorf("--ref HEAD: no warning names the replace ref: %v", res.Warnings)
			}
		}
	}
}
