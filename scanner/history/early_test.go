package history

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
)

// TestEarlyReadsSameScan: reading the delta trees the walk has met whole
// while it goes on (see planner) changes nothing a scan builds or finds:
// the same blobs with the same first commit and path, the same findings,
// warnings and counts as a scan that reads every blob after the walk. The
// history has files that stop changing early (their trees are read during
// the walk), files that change to the end, a file over MaxBlobSize, keys
// in files of several name classes, and a blob at two paths.
func TestEarlyReadsSameScan(t *testing.T) {
	g := newMemoGit(t)
	keys := fakekey.New(31)
	key := func() string {
		return "aws_access_key_id = " + keys.KeyID("AKIA") + "\naws_secret_access_key = " + keys.Secret() + "\n"
	}
	body := func(i, c int) string {
		return strings.Repeat(fmt.Sprintf("line of file %d, an ordinary text that deltas well\n", i), 40) +
			fmt.Sprintf("version %d\n", c)
	}
	for c := range 30 {
		for i := range 12 {
			switch {
			case i < 6 && c < 8: // stops changing early
			case i >= 6 && c%3 == i%3: // changes to the end
			default:
				continue
			}
			name := fmt.Sprintf("d%d/file%d.txt", i%3, i)
			if i%4 == 1 {
				name = fmt.Sprintf("d%d/.env%d", i%3, i)
			}
			text := body(i, c)
			if c == 5 && i%2 == 0 || c == 20 && i == 7 {
				text += key()
			}
			g.write(name, text)
		}
		if c == 4 {
			g.write("big/blob.txt", strings.Repeat("x", 4000)+key())
			g.write("copy/same.txt", body(3, 2))
		}
		g.commit(fmt.Sprintf("commit %d", c))
	}
	g.git("repack", "-adf", "-q", "--depth=50", "--window=50")
	for name, opts := range map[string]Options{
		"default":       {},
		"one worker":    {Workers: 1},
		"max blob size": {MaxBlobSize: 3000},
		"path":          {PathGlob: "d1/**"},
	} {
		scan := func(early bool) (walked, int64) {
			res, s, err := scanEarly(context.Background(), g.dir, fixture.Scanner(t), opts, memoLimit, early)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			res.Stats.Duration, res.Stats.WalkTime, res.Stats.ReadTime = 0, 0, 0
			return walked{Res: res, Blobs: s.blobs, Nodes: s.nodes, Paths: s.paths, Names: s.nameList, Commits: s.commits, Warnings: s.warnings}, s.early
		}
		want, none := scan(false)
		got, early := scan(true)
		if none != 0 || early == 0 && opts.PathGlob == "" {
			// (With --path, the blobs left out keep the trees they are
			// in from being complete: here, every tree.)
			t.Errorf("%s: %d blobs read early without, %d with: want 0 and some", name, none, early)
		}
		if len(want.Res.Findings) == 0 {
			t.Errorf("%s: no findings", name)
		}
		if d := cmp.Diff(want, got, cmp.AllowUnexported(Result{}, blobInfo{}, node{}, fileEntry{}, commitInfo{})); d != "" {
			t.Errorf("%s: the scan differs from the scan that reads after the walk (-after +early):\n%s", name, d)
		}
	}
}
