package walk_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/walk"
)

// TestSparseCheckoutCounted checks qa22 M4: the tracked files a sparse
// checkout leaves out of the work tree are counted (Stats.Sparse) and
// named in a warning, so that --strict fails a scan that could not read
// them; excluded ones, those of a root below that holds none, and a
// skip-worktree file that is on disk all the same are not counted.
func TestSparseCheckoutCounted(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	dir := t.TempDir()
	src, co := filepath.Join(dir, "src"), filepath.Join(dir, "co")
	g := fakekey.New(2401)
	env := []byte("AWS_ACCESS_KEY_ID=" + g.KeyID("AKIA") + "\nAWS_SECRET_ACCESS_KEY=" + g.Secret() + "\n")
	write(t, filepath.Join(src, "app", "main.txt"), []byte("hello\n"))
	write(t, filepath.Join(src, "infra", ".env"), env)
	write(t, filepath.Join(src, "infra", "prod", "b.env"), env)
	write(t, filepath.Join(src, "vendor", "x.env"), env)
	git := func(d string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = d
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	git(src, "init", "-q")
	git(src, "add", "-A")
	git(src, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c")
	git(dir, "clone", "-q", "--no-checkout", src, co)
	git(co, "sparse-checkout", "set", "app")
	git(co, "checkout", "-q")
	sc, _ := scanner.New(scanner.Options{})
	walkOf := func(root string) walk.Result {
		t.Helper()
		res, err := walk.Walk(context.Background(), []string{root}, sc, walk.Options{
			Excluded: func(rel string, isDir bool) bool { return rel == "vendor" },
		})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := walkOf(co)
	if res.Stats.Sparse != 2 || len(res.Findings) != 0 {
		t.Errorf("sparse checkout: %d counted, findings %v; want 2 (infra's; vendor's is excluded) and none", res.Stats.Sparse, res.Findings)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].Err.Error(), "infra/.env") {
		t.Errorf("warnings %v, want one naming infra/.env", res.Warnings)
	}
	if res := walkOf(filepath.Join(co, "app")); res.Stats.Sparse != 0 {
		t.Errorf("app, which the checkout holds whole: %d counted", res.Stats.Sparse)
	}
	write(t, filepath.Join(co, "infra", ".env"), env) // on disk all the same
	if res := walkOf(co); res.Stats.Sparse != 1 || len(res.Findings) != 2 {
		t.Errorf("with infra/.env on disk: %d counted, %d findings; want 1 and the pair", res.Stats.Sparse, len(res.Findings))
	}
}

// TestSparseIndexCounted: with a sparse index (git sparse-checkout set
// --sparse-index, which Scalar turns on) a folder outside the cone is one
// index entry naming its tree, not an entry per file: its files are counted
// all the same, from the tree, the excluded ones left out. The walk counted
// none, and scan --strict of such a checkout exited 0 (qa24 M1).
func TestSparseIndexCounted(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	dir := t.TempDir()
	src, co := filepath.Join(dir, "src"), filepath.Join(dir, "co")
	g := fakekey.New(2402)
	env := []byte("AWS_ACCESS_KEY_ID=" + g.KeyID("AKIA") + "\nAWS_SECRET_ACCESS_KEY=" + g.Secret() + "\n")
	write(t, filepath.Join(src, "app", "main.txt"), []byte("hello\n"))
	write(t, filepath.Join(src, "infra", ".env"), env)
	write(t, filepath.Join(src, "infra", "prod", "b.env"), env)
	write(t, filepath.Join(src, "infra", "vendor", "x.env"), env)
	git := func(d string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = d
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	git(src, "init", "-q")
	git(src, "add", "-A")
	git(src, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c")
	git(dir, "clone", "-q", "--no-checkout", src, co)
	git(co, "sparse-checkout", "set", "--cone", "--sparse-index", "app")
	git(co, "checkout", "-q")
	if ls := git(co, "ls-files", "--sparse"); !strings.Contains(ls, "infra/\n") {
		t.Skipf("git wrote no sparse-directory entry (ls-files --sparse: %q)", ls)
	}
	sc, _ := scanner.New(scanner.Options{})
	res, err := walk.Walk(context.Background(), []string{co}, sc, walk.Options{
		Excluded: func(rel string, isDir bool) bool { return rel == "infra/vendor" },
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Sparse != 2 || len(res.Findings) != 0 {
		t.Errorf("sparse index: %d counted, findings %v; want 2 (infra's, infra/vendor is excluded) and none", res.Stats.Sparse, res.Findings)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].Err.Error(), "infra/") {
		t.Errorf("warnings %v, want one naming a file of infra/", res.Warnings)
	}
}
