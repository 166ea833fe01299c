package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// ciReads writes, in a new folder, a GitLab job whose variables hold a key
// and whose script reads it n times, as a long generated CI file does.
func ciReads(t *testing.T, n int) string {
	t.Helper()
	k := fakekey.New(2290).Values()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("deploy:\n  tags: [aws]\n  variables:\n    AWS_ACCESS_KEY_ID: " + k["ID"] + "\n    AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n  script:\n")
	for i := 0; i < n; i++ {
		b.WriteString("    - echo $AWS_ACCESS_KEY_ID\n")
	}
	if err := os.WriteFile(filepath.Join(dir, ".gitlab-ci.yml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// allocated returns the bytes keyscan fix --diff allocates in dir.
func allocated(t *testing.T, dir string) (uint64, string) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	code, _, stderr := runFixIn(t, dir, "--diff", ".")
	runtime.ReadMemStats(&after)
	if code != 1 {
		t.Fatalf("keyscan fix --diff exited %d, want 1 (held):\n%s", code, stderr)
	}
	return after.TotalAlloc - before.TotalAlloc, stderr
}

// TestFixManyReadsScaleLinearly (review15 C-3): naming each read of a CI
// variable by its line split both versions of the file once per read, so
// a file with 12,000 reads took 12.7 CPU s. The work is counted in bytes
// allocated, which do not depend on the machine's load: doubling the
// reads must not come near to quadrupling them.
func TestFixManyReadsScaleLinearly(t *testing.T) {
	small, stderr := allocated(t, ciReads(t, 1500))
	if !strings.Contains(stderr, ".gitlab-ci.yml:7 ($AWS_ACCESS_KEY_ID)") {
		t.Fatalf("the read is not named by its line:\n%s", stderr)
	}
	large, _ := allocated(t, ciReads(t, 3000))
	if ratio := float64(large) / float64(small); ratio > 3 {
		t.Errorf("twice the reads allocated %.1f times the bytes (%d, %d): the work grows with the square of the reads", ratio, small, large)
	}
}

// TestFixCacheBounded (review15 C-4): the run's tree cache kept every
// folder walked, and two rules walk the whole tree, so its memory grew
// with the tree (120 MB for 300,000 files, 26 MB before the cache). A
// walk of a tree of more entries than its bound keeps at most the bound,
// and walks the same paths as the file system. The bound is lowered to a
// tenth of keyscan's (maxCachedEntries) with the tree: six folders, of
// which the fifth no longer fits, as with the real bound and sixty
// thousand files, whose writing took most of a minute of the test.
func TestFixCacheBounded(t *testing.T) {
	if got := newTreeCache(t.TempDir()).maxEntries; got != maxCachedEntries {
		t.Fatalf("a new tree cache is bounded at %d entries, want maxCachedEntries (%d)", got, maxCachedEntries)
	}
	const bound = maxCachedEntries / 10
	dir := t.TempDir()
	for d := 0; d < 6; d++ {
		sub := filepath.Join(dir, "data", string(rune('a'+d)))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < bound/5; i++ {
			if err := os.WriteFile(filepath.Join(sub, "f"+strconv.Itoa(i)+".dat"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	c := newTreeCache(dir)
	c.maxEntries = bound
	var walks [2][]string
	for w := range walks {
		err := c.walkDir(dir, func(p string, d fs.DirEntry, err error) error {
			walks[w] = append(walks[w], p)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var plain []string
	if err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		plain = append(plain, p)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for w := range walks {
		if !slices.Equal(walks[w], plain) {
			t.Fatalf("walk %d through the cache gave %d paths, the file system %d", w+1, len(walks[w]), len(plain))
		}
	}
	kept := len(c.lstats)
	for _, n := range c.dirs {
		kept += len(n.ents) + 1
	}
	if kept > bound {
		t.Errorf("the cache keeps %d entries of a tree of %d: it grows with the tree", kept, len(plain))
	}
}
