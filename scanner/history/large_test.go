package history_test

import (
	"math/rand/v2"
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
