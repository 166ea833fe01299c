//go:build !unix

package fix

import (
	"fmt"
	"os"
	"path/filepath"
)

// replaceIn replaces the file at rel below root by its path: outside Unix
// there is no openat to hold the folder by, no owner or link count to keep,
// and the mode bits are all that is checked. WriteFileUnder's check of
// where the file lies was made just before.
func replaceIn(root, rel string, data []byte) error {
	name := filepath.Join(root, filepath.FromSlash(rel))
	st, err := os.Lstat(name)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return &RefusedError{name, "not a regular file; not rewritten"}
	}
	if st.Mode().Perm()&0o222 == 0 {
		return &RefusedError{name, reasonReadOnly}
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".keyscan-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
