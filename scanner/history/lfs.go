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
	if max := s.opts.MaxBlobSize; max > 0 && p.Size > max {
		head, err := lfs.Head(s.repo.lfs, p, archive.HeadSize)
		if err != nil {
			return nil, false, false, err
		}
		if !s.opts.Content.OpensLarge(p.Size, head) {
			return nil, true, archive.Detect(head) != archive.None, nil
		}
	}
	data, err = lfs.Read(s.repo.lfs, p)
	return data, false, false, err
}
