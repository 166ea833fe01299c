// Package png lists the compressed text chunks of a PNG image (qa15
// MEDIUM-6): zTXt, and iTXt with its compression flag set, whose text is
// zlib-compressed, so that the keys a comment or embedded source holds
// are not found among the image's bytes; and iCCP, an ICC profile whose
// descriptions are text, compressed the same way. tEXt and uncompressed
// iTXt are plain and found there already. It only says where each
// chunk's compressed text lies: the caller inflates it under its own
// limits.
package png

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// Signature opens every PNG file.
var Signature = []byte("\x89PNG\r\n\x1a\n")

// Text is one compressed text chunk.
type Text struct {
	Type    string // "zTXt", "iTXt" or "iCCP"
	Keyword string // the chunk's keyword: Comment, Description, Software...
	Offset  int    // where its zlib stream starts in the file
	Size    int    // and its length
}

// ErrCorrupt is returned for a compressed text chunk that runs past the
// file's end or whose fields do not hold: the chunks before it are given.
// Any other chunk cut short ends the walk without an error: no text
// chunk is there to read.
var ErrCorrupt = errors.New("compressed text chunk cut short or corrupt")

// Texts returns the compressed text chunks of the PNG image data, at most
// max (more: there were others). Chunks are walked by their lengths up to
// IEND or the end of data; their CRCs are not checked (a reader that
// shows the text does not check them either).
func Texts(data []byte, max int) (ts []Text, more bool, err error) {
	if !bytes.HasPrefix(data, Signature) {
		return nil, false, ErrCorrupt
	}
	for p := len(Signature); p < len(data); {
		if len(data)-p < 8 {
			return ts, false, nil
		}
		n := int64(binary.BigEndian.Uint32(data[p:]))
		typ := string(data[p+4 : p+8])
		compressed := typ == "zTXt" || typ == "iTXt" || typ == "iCCP"
		if n > int64(len(data)-p-12) {
			if compressed {
				return ts, false, ErrCorrupt
			}
			return ts, false, nil
		}
		body := data[p+8 : p+8+int(n)]
		if typ == "IEND" {
			return ts, false, nil
		}
		if compressed {
			t, ok, err := text(typ, body)
			if err != nil {
				return ts, false, err
			}
			if ok {
				if len(ts) == max {
					return ts, true, nil
				}
				t.Offset += p + 8
				ts = append(ts, t)
			}
		}
		p += 12 + int(n)
	}
	return ts, false, nil
}

// text reads a zTXt, iCCP or iTXt chunk's body: a keyword or profile
// name (1 to 79 bytes) and a NUL, then for zTXt and iCCP the method (0,
// zlib) and the text or profile; for iTXt the
// compression flag and method, a language tag and a translated keyword,
// each ending in a NUL, then the text. ok is false for a plain iTXt.
func text(typ string, b []byte) (t Text, ok bool, err error) {
	k := bytes.IndexByte(b, 0)
	if k < 1 || k > 79 {
		return t, false, ErrCorrupt
	}
	t = Text{Type: typ, Keyword: string(b[:k])}
	at := k + 1
	if typ != "iTXt" {
		if at >= len(b) || b[at] != 0 {
			return t, false, ErrCorrupt
		}
		at++
	} else {
		if at+2 > len(b) || b[at] > 1 || b[at+1] != 0 {
			return t, false, ErrCorrupt
		}
		if b[at] == 0 {
			return t, false, nil
		}
		at += 2
		for range 2 {
			i := bytes.IndexByte(b[at:], 0)
			if i < 0 {
				return t, false, ErrCorrupt
			}
			at += i + 1
		}
	}
	t.Offset, t.Size = at, len(b)-at
	return t, true, nil
}
