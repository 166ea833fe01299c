package archive

import (
	"archive/zip"
	"bytes"
	"errors"
)

// zip reads the members of a zip archive (and of jar, apk, whl, docx and the
// other formats that are zip files under another name) through its central
// directory. archive/zip bounds the directory by the input's size.
func (w *walker) zip(name string, data []byte, lv *level, depth int) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		w.warn(name, "corrupt zip archive: %v", err)
		return
	}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		if f.Flags&0x1 != 0 {
			w.warn(name+"!"+f.Name, "encrypted member: not scanned")
			continue
		}
		rc, err := f.Open()
		if err != nil {
			w.warn(name+"!"+f.Name, "unreadable member: %v", err)
			continue
		}
		ok := w.member(name, f.Name, w.meter(rc, lv), depth)
		rc.Close()
		if !ok || lv.stopped {
			return
		}
	}
}
