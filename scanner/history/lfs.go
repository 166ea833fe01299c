package history

import (
	"errors"

	"github.com/keyscan/keyscan/internal/lfs"
	"github.com/keyscan/keyscan/scanner/archive"
)

// lfsContent returns the content a pointer at path names from the
// repository's LFS store (internal/lfs). It refuses content over the blob
// size limit that is not an archive content.Options.OpensLarge reads
// (tooLarge, with whether its head is an archive's).
//
// Content the store does not hold is judged by the size its pointer
// states: over the limit, and not named as an archive that would be
// opened, it is too large whether or not it is here, so that the
// pre-receive gate, which rarely holds LFS content, refuses what the
// hooks, which hold it, refuse (qa15 MEDIUM-3).
func (s *scan) lfsContent(path string, p lfs.Pointer) (data []byte, tooLarge, isArchive bool, err error) {
	data, head, tooLarge, err := lfs.ReadWithin(s.repo.lfs, p, s.opts.MaxBlobSize, archive.HeadSize, s.opts.Content.OpensLarge)
	if tooLarge {
		return nil, true, archive.Detect(head) != archive.None, nil
	}
	if errors.Is(err, lfs.ErrAbsent) && s.opts.Content.TooLargeByName(p.Size, s.opts.MaxBlobSize, path) {
		return nil, true, false, nil
	}
	return data, false, false, err
}
