package archive

import (
	"bytes"
	"compress/zlib"
	"io"

	"github.com/keyscan/keyscan/scanner/archive/pyinstaller"
)

// pyinstaller opens a PyInstaller CArchive (data starts with it, its
// cookie at or near its end: behind finds one after the bootloader) or a
// PYZ (qa16 HIGH-22): each entry, zlib-compressed or stored, is read
// through the meter and handed on as a member (upload!upload, the entry
// script's marshalled code, whose strings are read as a binary file's);
// the PYZ entry is an archive of its own (upload!PYZ-00.pyz!settings).
func (w *walker) pyinstaller(name string, data []byte, f Format, lv *level, depth int) {
	var es []pyinstaller.Entry
	var more bool
	var err error
	if f == Pyz {
		es, more, err = pyinstaller.OpenPyz(data, w.lim.entries())
	} else if s, e, ok := pyinstaller.Find(data); ok {
		es, more, err = pyinstaller.Open(data, s, e, w.lim.entries())
	} else {
		err = pyinstaller.ErrCorrupt
	}
	if err != nil {
		w.warn(name, "PyInstaller archive with a %v: its entries after the %d read are not scanned, only its own bytes", err, len(es))
	}
	for _, e := range es {
		var r io.Reader = bytes.NewReader(data[e.Offset : e.Offset+e.Size])
		if e.Compressed {
			zr, err := zlib.NewReader(r)
			if err != nil {
				w.unread(name, e.Name, "entry is no zlib stream (%v; an encrypted PYZ?): not scanned", err)
				continue
			}
			r = zr
		}
		if !w.member(name, e.Name, w.meter(r, lv), depth) {
			return
		}
	}
	if more {
		w.tooMany(name)
	}
}
