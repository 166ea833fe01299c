package history_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
	"github.com/keyscan/keyscan/scanner/content"
	"github.com/keyscan/keyscan/scanner/history"
)

// noise returns n random bytes: they do not compress, so an archive holding
// them is as large as they are.
func noise(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// TestArchiveOverMaxBlobSize: a fat jar over max_file_size is opened up to
// archives.max_archive_size, as keyscan scan opens it (content.Options.
// OpensLarge), loose and packed — two versions that differ a little, so
// that one is a delta of the other once repacked and the walker reads the
// head of a delta; a plain blob over max_file_size is skipped either way.
func TestArchiveOverMaxBlobSize(t *testing.T) {
	r := newGitRepo(t)
	id1, line1 := keyLine(71)
	id2, line2 := keyLine(72)
	id3, line3 := keyLine(73)
	big := noise(71, 200<<10)
	r.write("app.jar", string(archivetest.Zip(t, archivetest.F("lib/big.jar", big), archivetest.F("BOOT-INF/classes/application.properties", []byte(line1)))))
	r.write("big.txt", string(append(append([]byte{}, big...), line2...)))
	c1 := r.commit("v1")
	big[1000] ^= 0xff
	r.write("app.jar", string(archivetest.Zip(t, archivetest.F("lib/big.jar", big), archivetest.F("BOOT-INF/classes/application.properties", []byte(line3)))))
	c2 := r.commit("v2")
	for _, repack := range []bool{false, true} {
		if repack {
			r.repack()
		}
		opts := content.DefaultOptions()
		opts.Archives.MaxArchiveSize = 1 << 20
		opts.Archives.MaxMemberSize = 100 << 10
		res := scanRepo(t, r.dir, history.Options{MaxBlobSize: 100 << 10, Content: opts})
		member := "app.jar!BOOT-INF/classes/application.properties"
		check(t, res, id1, want{File: member, Line: 1, Commit: c1, LastCommit: c1, Commits: 1, Paths: []string{member}})
		check(t, res, id3, want{File: member, Line: 1, Commit: c2, LastCommit: c2, Commits: 1, Paths: []string{member}, AtHead: true})
		for _, f := range res.Findings {
			if f.Secret == id2 {
				t.Errorf("repack %v: big.txt over max_file_size was scanned", repack)
			}
		}
		if res.Stats.TooLarge != 1 || !hasWarningAt(res, "big.txt", "larger than max_file_size") {
			t.Errorf("repack %v: %d too large, want 1 (big.txt); warnings %v", repack, res.Stats.TooLarge, res.Warnings)
		}
		if res.Stats.ArchiveUnscanned != 2 {
			t.Errorf("repack %v: lib/big.jar over the member limit counted %d times, want 2", repack, res.Stats.ArchiveUnscanned)
		}

		opts.Archives.MaxArchiveSize = 100 << 10
		res = scanRepo(t, r.dir, history.Options{MaxBlobSize: 100 << 10, Content: opts})
		if len(res.Findings) != 0 || res.Stats.TooLarge != 3 {
			t.Errorf("repack %v, over max_archive_size: %d findings, %d too large; want none and 3", repack, len(res.Findings), res.Stats.TooLarge)
		}
		if !hasWarningAt(res, "app.jar", "max_archive_size") {
			t.Errorf("repack %v: the warning does not name max_archive_size: %v", repack, res.Warnings)
		}
		opts.Archives.MaxDepth = 0
		res = scanRepo(t, r.dir, history.Options{MaxBlobSize: 100 << 10, Content: opts})
		if len(res.Findings) != 0 || res.Stats.TooLarge != 3 {
			t.Errorf("repack %v, archives off: %d findings, %d too large; want none and 3", repack, len(res.Findings), res.Stats.TooLarge)
		}
	}
}

// TestCommitOverMaxBlobSize is qa13 HIGH-7's leftover: a commit (or
// annotated tag) object over max_file_size is read up to it, loose and
// packed: a key in the first part of its message is found, and the rest is
// counted as a blob over max_file_size is, with a warning, so that
// --strict, the hooks and the gate fail on it. A commit within the limit
// is read whole.
func TestCommitOverMaxBlobSize(t *testing.T) {
	r := newGitRepo(t)
	id1, line1 := keyLine(81)
	id2, line2 := keyLine(82)
	r.write("a.txt", "a\n")
	r.commit("subject\n\n" + line1 + strings.Repeat("padding of a long message\n", 400) + line2)
	r.git("tag", "-a", "-m", "tag\n\n"+strings.Repeat("padding of a long tag message\n", 400), "v1")
	for _, repack := range []bool{false, true} {
		if repack {
			r.repack()
		}
		res := scanRepo(t, r.dir, history.Options{MaxBlobSize: 4000, Content: content.DefaultOptions()})
		var found []string
		for _, f := range res.Findings {
			found = append(found, f.Secret)
		}
		if !slices.Contains(found, id1) || slices.Contains(found, id2) {
			t.Errorf("repack %v: found %v, want %s (before the limit) and not %s (past it)", repack, found, id1, id2)
		}
		var cut []string
		for _, w := range res.Warnings {
			if strings.Contains(w.Message, "larger than max_file_size (4000 bytes): its first 4000 bytes scanned") {
				cut = append(cut, w.Message[:strings.Index(w.Message, " ")])
			}
		}
		slices.Sort(cut)
		if res.Stats.TooLarge != 2 || !slices.Equal(cut, []string{"commit", "tag"}) {
			t.Errorf("repack %v: %d too large, warnings %v; want the commit and the tag", repack, res.Stats.TooLarge, res.Warnings)
		}
		res = scanRepo(t, r.dir, history.Options{MaxBlobSize: 1 << 20, Content: content.DefaultOptions()})
		if res.Stats.TooLarge != 0 || len(res.Findings) != 2 {
			t.Errorf("repack %v, within the limit: %d too large, %d findings; want 0 and both keys", repack, res.Stats.TooLarge, len(res.Findings))
		}
	}
}
