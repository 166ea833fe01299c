package staged

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/internal/gittest"
	"github.com/keyscan/keyscan/scanner/content"
)

// bombRepo is a repository with one commit and a git bomb (see
// gittest.Bomb: 10 folders of 10 entries, 10^10 paths) written as objects
// but in no commit; it returns the bomb's tree.
func bombRepo(t *testing.T) (dir, bomb string) {
	t.Helper()
	dir = newRepo(t)
	write(t, dir, "README", "hello\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-qm", "one")
	write(t, dir, "blob", "[default]\nregion = eu-west-1\n")
	blob := strings.TrimSpace(git(t, dir, "hash-object", "-w", "blob"))
	os.Remove(filepath.Join(dir, "blob"))
	bomb, err := gittest.Bomb(dir, blob, "credentials", 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	return dir, bomb
}

// TestHeadHoldsAGitBomb: a commit that leaves out a folder HEAD holds
// lists that folder's files for rename detection; HEAD's folder can be a
// git bomb (here a commit made with commit-tree, the index still the one
// before it). The scan ends, the new key is reported.
func TestHeadHoldsAGitBomb(t *testing.T) {
	dir, bomb := bombRepo(t)
	mk := exec.Command("git", "mktree")
	mk.Dir, mk.Env = dir, append(os.Environ(), gitEnv...)
	mk.Stdin = strings.NewReader(git(t, dir, "ls-tree", "HEAD") + "040000 tree " + bomb + "\tbomb\n")
	out, err := mk.Output()
	if err != nil {
		t.Fatal(err)
	}
	root := strings.TrimSpace(string(out))
	c := strings.TrimSpace(git(t, dir, "commit-tree", root, "-p", "HEAD", "-m", "bomb"))
	git(t, dir, "update-ref", "HEAD", c)
	g := fakekey.New(4301)
	write(t, dir, "credentials", creds(g.KeyID("AKIA"), g.Secret()))
	git(t, dir, "add", "credentials")
	res, err := scanBounded(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := where(res.Findings); len(got) != 2 || !strings.HasPrefix(got[0], "credentials:") {
		t.Errorf("findings %v, want the key ID and the secret in credentials", got)
	}
}

// TestTreeDiffGitBomb: a sparse index keeps folders outside its cone as
// trees, compared with HEAD's as trees; a git bomb there is compared up to
// a bound, then is an error naming it (git itself cannot be made to write
// such an index in a bounded time, so the comparison is called directly).
func TestTreeDiffGitBomb(t *testing.T) {
	dir, bomb := bombRepo(t)
	store, err := gitobj.Open(filepath.Join(dir, ".git", "objects"), gitobj.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	d := newDiffer(context.Background(), &objects{r: store.NewReader(0)}, nil, nil)
	id, _ := gitobj.ParseID(bomb)
	err = d.treeDiff("bomb/", gitobj.ID{}, id)
	if err == nil || !strings.Contains(err.Error(), "git bomb") {
		t.Fatalf("treeDiff of a git bomb: %v, want an error naming it", err)
	}
	if len(d.changes) > 100*maxRepeatedTrees {
		t.Errorf("%d changes listed before the bound", len(d.changes))
	}
}

// TestBigFileThresholdPack is qa13 HIGH-7's leftover: git add writes a file
// over core.bigFileThreshold straight into a pack, not loose. A staged file
// of 64 MiB of one byte (64 KiB packed) over max_file_size is skipped by its
// pack entry's header, not inflated whole first: the scan allocates far
// less than the file's size.
func TestBigFileThresholdPack(t *testing.T) {
	dir := newRepo(t)
	f, err := os.Create(filepath.Join(dir, "big.txt"))
	if err != nil {
		t.Fatal(err)
	}
	line := []byte(strings.Repeat("x", 1023) + "\n")
	for range 64 << 10 {
		if _, err := f.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "-c", "core.bigFileThreshold=1m", "add", "big.txt")
	id := strings.TrimSpace(git(t, dir, "rev-parse", ":big.txt"))
	if _, err := os.Stat(filepath.Join(dir, ".git", "objects", id[:2], id[2:])); err == nil {
		t.Fatal("git add wrote big.txt loose: the test needs it packed")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res := scan(t, dir, Options{MaxFileSize: 1 << 20, Content: content.DefaultOptions()})
	runtime.ReadMemStats(&after)
	if res.TooLarge != 1 || len(res.Files) != 1 || res.Files[0].Skipped == "" {
		t.Fatalf("big.txt over max_file_size: TooLarge %d, files %+v; want it skipped and counted", res.TooLarge, res.Files)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
		t.Errorf("skipping a packed 64 MiB blob allocated %d bytes: it was inflated", n)
	}
}

// TestLargeFileMovedNotRefused is qa15 MEDIUM-1: a file over max_file_size
// fails the commit that adds it, but a git mv or a copy of a file HEAD
// holds adds no content, and is not refused (the pre-push hook and the
// gate, which judge new blobs, let it through); a changed large file still
// is.
func TestLargeFileMovedNotRefused(t *testing.T) {
	dir := newRepo(t)
	big := strings.Repeat("a large asset line\n", 4096) // 77 KB
	if err := os.WriteFile(filepath.Join(dir, "big.txt"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "add", "big.txt")
	git(t, dir, "commit", "-q", "--no-verify", "-m", "asset")
	opts := Options{MaxFileSize: 16 << 10, Content: content.DefaultOptions()}
	git(t, dir, "mv", "big.txt", "moved.txt")
	if err := os.WriteFile(filepath.Join(dir, "copy.txt"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "add", "copy.txt")
	if res := scan(t, dir, opts); res.TooLarge != 0 {
		t.Errorf("a rename and a copy of a file HEAD holds: TooLarge %d (files %+v), want 0", res.TooLarge, res.Files)
	}
	if err := os.WriteFile(filepath.Join(dir, "copy.txt"), []byte(big+"one more line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "add", "copy.txt")
	if res := scan(t, dir, opts); res.TooLarge != 1 {
		t.Errorf("a changed large file: TooLarge %d (files %+v), want 1", res.TooLarge, res.Files)
	}
}
