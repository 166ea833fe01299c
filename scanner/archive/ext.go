package archive

import (
	"bytes"
	"errors"

	"github.com/keyscan/keyscan/scanner/archive/extfs"
)

// extDepth bounds how deep an ext image's folders are walked, as
// squashfs's are.
const extDepth = 256

// ext opens an ext2, ext3 or ext4 file-system image (read by package
// extfs): every regular file is a member named by its path
// (rootfs.ext4!etc/app.env), a symlink a member holding its target. A
// file or folder that cannot be read, inline or encrypted data, and a
// file over max_file_size are counted.
func (w *walker) ext(name string, data []byte, lv *level, depth int) {
	fs, err := extfs.Open(data)
	if err != nil {
		w.warn(name, "ext2/ext3/ext4 image whose superblock or group descriptors cannot be read: not opened, only its own bytes scanned")
		return
	}
	fs.Walk(extDepth, func(f extfs.File) bool {
		if w.stopped || w.ctx.Err() != nil {
			return false
		}
		b, err := fs.Read(f, w.lim.MaxMemberSize)
		switch {
		case errors.Is(err, extfs.ErrTooLarge):
			w.stats.TooLarge++
			w.unread(name, f.Path, "member larger than %d bytes (max_file_size): not scanned", w.lim.MaxMemberSize)
			return true
		case err != nil:
			w.unread(name, f.Path, "file whose blocks cannot be read (%v): not scanned", err)
			return true
		}
		return w.member(name, f.Path, w.meter(bytes.NewReader(b), lv), depth)
	}, func(p string, err error) {
		w.warn(name+"!"+p, "folder that cannot be read (%v), or nested more than %d deep: what it holds is not scanned", err, extDepth)
	})
}
