package history

import (
	"github.com/keyscan/keyscan/internal/lfs"
	"github.com/keyscan/keyscan/scanner/archive"
)

// lfsContent returns the content a pointer names from the repository's LFS
// store (internal/lfs). It refuses content over the blob size limit that is
// not an archive content.Options.OpensLarge reads (tooLarge, with whether
// its head is an archive's).
func (s *scan) lfsContent(p lfs.Pointer) (data []byte, tooLarge, isArchive bool, err error) {
	data, head, tooLarge, err := lfs.ReadWithin(s.repo.lfs, p, s.opts.MaxBlobSize, archive.HeadSize, s.opts.Content.OpensLarge)
	if tooLarge {
		return nil, true, archive.Detect(head) != archive.None, nil
	}
	return data, false, false, err
}
