package archive

import (
	"archive/tar"
	"errors"
	"io"
)

// tar reads the regular files of a tar stream in order. Skipping a member's
// content reads it through r, so what a compressed tar skips is charged to
// the limits too.
func (w *walker) tar(name string, r io.Reader, lv *level, depth int) {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return
		}
		if le := (*limitError)(nil); errors.As(err, &le) {
			w.limitHit(name, le)
			return
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			w.warn(name, "corrupt tar archive: %v", err)
			return
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		if !w.member(name, hdr.Name, tr, depth) || lv.stopped {
			return
		}
	}
}
