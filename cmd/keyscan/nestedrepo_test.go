package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestNestedRepositoryHistoryScanned is qa16 MEDIUM-4: a key that only the
// history of a repository kept inside the scanned folder holds (removed from
// its work tree, or a bare repository with none) was skipped with a warning,
// and scan --strict said "no credentials found". With real git: a bare
// repository committed as a fixture (packed), a nested clone's .git (loose
// objects), and a clone made with --separate-git-dir, whose git folder
// lies elsewhere in the tree behind a .git file: each is read, exit 1. With
// archives left closed the objects are counted as not read: --strict exits 2.
func TestNestedRepositoryHistoryScanned(t *testing.T) {
	src := newCommittedRepo(t)
	g := fakekey.New(2216)
	writeRepoFile(t, src, "deploy/credentials", fakeCredsFile(g))
	gitOK(t, src, "add", ".")
	gitOK(t, src, "commit", "-q", "--no-verify", "-m", "creds")
	gitOK(t, src, "rm", "-q", "deploy/credentials")
	gitOK(t, src, "commit", "-q", "--no-verify", "-m", "rm")

	for _, c := range []struct {
		name  string
		clone func(proj string)
		want  string // the prefix of the path a finding must have
	}{
		{"bare fixture", func(proj string) {
			gitOK(t, proj, "clone", "-q", "--bare", "--no-local", src, "fixtures/backup.git")
			gitOK(t, filepath.Join(proj, "fixtures", "backup.git"), "repack", "-adq")
		}, "fixtures/backup.git/objects/pack/pack-"},
		{"nested clone", func(proj string) {
			gitOK(t, proj, "clone", "-q", src, "vendor/lib") // local: src's loose objects
		}, "vendor/lib/.git/objects/"},
		{"separate git folder", func(proj string) {
			writeRepoFile(t, proj, "store/README", "clones' git folders\n")
			gitOK(t, proj, "clone", "-q", "--no-local", "--separate-git-dir", filepath.Join(proj, "store", "lib.git"), src, "lib")
		}, "store/lib.git/objects/pack/pack-"},
	} {
		proj := t.TempDir()
		gitOK(t, proj, "init", "-q")
		c.clone(proj)
		r := keyscanIn(t, proj, "scan", "--strict", "--format", "json", ".")
		if r.code != exitFindings || !strings.Contains(r.stdout, `"file": "`+c.want) {
			t.Errorf("%s: scan --strict: exit %d, want %d with a finding under %s\n%s%s", c.name, r.code, exitFindings, c.want, r.stdout, r.stderr)
		}
		r = keyscanIn(t, proj, "scan", "--strict", "--max-archive-depth", "0", ".")
		if r.code != exitError || !strings.Contains(r.stderr, "archive not opened") {
			t.Errorf("%s: scan --strict --max-archive-depth 0: exit %d, want %d (its objects not read)\n%s%s", c.name, r.code, exitError, r.stdout, r.stderr)
		}
	}
}
