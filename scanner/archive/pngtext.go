package archive

import (
	"bytes"
	"compress/zlib"

	"github.com/keyscan/keyscan/scanner/archive/png"
)

// png opens a PNG image's compressed text chunks (qa15 MEDIUM-6): each
// zTXt, and each iTXt whose compression flag is set, is inflated through
// the meter and handed on as a member named by its type and keyword
// (shot.png!zTXt/Comment); the image's own bytes, plain tEXt chunks
// included, are scanned by the caller as a binary file's. A chunk that
// cannot be read is counted.
func (w *walker) png(name string, data []byte, lv *level, depth int) {
	ts, more, err := png.Texts(data, w.lim.entries())
	for _, t := range ts {
		member := t.Type + "/" + t.Keyword
		zr, err := zlib.NewReader(bytes.NewReader(data[t.Offset : t.Offset+t.Size]))
		if err != nil {
			w.unread(name, member, "compressed text that is no zlib stream (%v): not scanned", err)
			continue
		}
		if !w.member(name, member, w.meter(zr, lv), depth) {
			return
		}
	}
	if err != nil {
		w.warn(name, "PNG image with a %v: the text chunks after it are not scanned", err)
	}
	if more {
		w.tooMany(name)
	}
}
