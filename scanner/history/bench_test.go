package history_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/keyscan/keyscan/internal/fixture"

	"github.com/keyscan/keyscan/scanner/history"
)

// genRepo builds, with go-git, a repository of commits that each edit a few
// of files files, a key planted in one of them along the way; then repacks
// it with the git binary so reads go through delta chains as in a real
// repository.
func genRepo(tb testing.TB, dir string, commits, files int) (keyID string) {
	tb.Helper()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		tb.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		tb.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	keyID, line := keyLine(99)
	content := make([]string, files)
	for i := range content {
		content[i] = strings.Repeat(fmt.Sprintf("line %d of file %d: some ordinary text\n", i, i), 20+rnd.IntN(200))
	}
	when := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for c := range commits {
		for range 3 {
			i := rnd.IntN(files)
			content[i] += fmt.Sprintf("edit %d in commit %d\n", rnd.IntN(1000), c)
			if c == commits/3 && i%2 == 0 {
				content[i] += line
			}
			p := filepath.Join(dir, fmt.Sprintf("pkg%d/file%d.txt", i%10, i))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				tb.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content[i]), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
		if _, err := wt.Add("."); err != nil {
			tb.Fatal(err)
		}
		sig := &object.Signature{Name: "Bench", Email: "bench@example.com", When: when.Add(time.Duration(c) * time.Minute)}
		if _, err := wt.Commit(fmt.Sprintf("commit %d", c), &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true}); err != nil {
			tb.Fatal(err)
		}
	}
	return keyID
}

// TestGoGitRepository scans a repository written by go-git, loose and packed.
func TestGoGitRepository(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gogit")
	id := genRepo(t, dir, 40, 20)
	check := func(name string) {
		res := scanRepo(t, dir, history.Options{})
		f := findingFor(t, res, id)
		if f.Commit == "" || f.Commits == 0 || !*f.PresentAtHead {
			t.Errorf("%s: %+v", name, f)
		}
		if res.Stats.Commits != 40 {
			t.Errorf("%s: %d commits, want 40", name, res.Stats.Commits)
		}
	}
	check("loose")
	r := &gitRepo{t: t, dir: dir}
	r.repack()
	check("packed")
}

// BenchmarkScan measures the whole history scan (walk, read, scan,
// attribute) on a generated, packed repository, or on the repository
// KEYSCAN_SCAN_REPO names (a benchmark repository under /work/.mirror, say,
// for a profile: go test -cpuprofile). It reports the walk's and the read
// pass's wall time apart (walk-ms, read-ms): the walk is one goroutine, the
// read uses every core.
func BenchmarkScan(b *testing.B) {
	dir := os.Getenv("KEYSCAN_SCAN_REPO")
	if dir == "" {
		dir = filepath.Join(b.TempDir(), "bench")
		genRepo(b, dir, 600, 200)
		(&gitRepo{t: b, dir: dir}).git("repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50")
	}
	sc := fixture.Scanner(b)
	res, err := history.Scan(context.Background(), dir, sc, history.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(res.Stats.Bytes)
	b.ReportAllocs()
	b.ResetTimer()
	var walk, read time.Duration
	for b.Loop() {
		res, err := history.Scan(context.Background(), dir, sc, history.Options{})
		if err != nil {
			b.Fatal(err)
		}
		walk += res.Stats.WalkTime
		read += res.Stats.ReadTime
	}
	b.ReportMetric(float64(res.Stats.Blobs), "blobs/op")
	b.ReportMetric(float64(walk.Milliseconds())/float64(b.N), "walk-ms")
	b.ReportMetric(float64(read.Milliseconds())/float64(b.N), "read-ms")
}
