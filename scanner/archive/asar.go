package archive

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strconv"
)

// An Electron app.asar is the application's whole source tree in one file
// (qa16 HIGH-1): a Chromium pickle holding the size of a JSON directory,
// the directory ({"files": {"name": {"size": N, "offset": "M"}, "dir":
// {"files": {...}}}}), then the files back to back, uncompressed, at their
// offsets from the directory's end. A file marked "unpacked" lies in the
// app.asar.unpacked folder beside it, scanned as any file is.

// asarHeader returns where an asar archive's files start and its JSON
// directory, or false when b starts none. The file opens with a pickle
// holding the header's size (4, then the size), then the header pickle:
// its payload's size (the size less 4), the string's length, the JSON,
// which must open with {"files"; the files start after the header. A
// writer that leaves out the payload's size (the string's length right
// after the header's size) is read too: the JSON's place tells them apart.
func asarHeader(b []byte) (int, []byte, bool) {
	if len(b) < 16 || binary.LittleEndian.Uint32(b) != 4 {
		return 0, nil, false
	}
	size := uint64(binary.LittleEndian.Uint32(b[4:]))
	at, str := 16, uint64(binary.LittleEndian.Uint32(b[12:]))
	if uint64(binary.LittleEndian.Uint32(b[8:])) != size-4 || !bytes.HasPrefix(b[16:], []byte(`{"files"`)) {
		at, str = 12, uint64(binary.LittleEndian.Uint32(b[8:]))
		if !bytes.HasPrefix(b[12:], []byte(`{"files"`)) {
			return 0, nil, false
		}
	}
	if uint64(at)+str > 8+size || 8+size > uint64(len(b)) {
		return 0, nil, false
	}
	return int(8 + size), b[at : uint64(at)+str], true
}

// isAsar reports whether b starts an asar archive (its first bytes are
// enough: the directory need not be whole to be known).
func isAsar(b []byte) bool {
	return len(b) >= 20 && binary.LittleEndian.Uint32(b) == 4 &&
		(bytes.HasPrefix(b[16:], []byte(`{"files"`)) || bytes.HasPrefix(b[12:], []byte(`{"files"`)))
}

// asarNode is one entry of the directory: a folder (Files) or a file.
type asarNode struct {
	Files    map[string]*asarNode `json:"files"`
	Size     json.Number          `json:"size"`
	Offset   string               `json:"offset"`
	Unpacked bool                 `json:"unpacked"`
	Link     string               `json:"link"`
}

// asarDepth bounds how deep folders nest, as squashfs's do; asarDirMax
// bounds the JSON directory, whose decoded tree costs some 30 times its
// size (large applications' directories are 1 to 3 MB).
const (
	asarDepth  = 256
	asarDirMax = 8 << 20
)

// asar reads the files of the asar archive in data.
func (w *walker) asar(name string, data []byte, lv *level, depth int) {
	base, dir, ok := asarHeader(data)
	if !ok {
		w.warn(name, "asar archive whose directory is cut short: not scanned, only its own bytes")
		return
	}
	if len(dir) > asarDirMax {
		w.warn(name, "asar archive with a directory of %d bytes, over %d: not opened, only its own bytes scanned", len(dir), asarDirMax)
		return
	}
	var root asarNode
	if err := json.Unmarshal(dir, &root); err != nil {
		w.warn(name, "asar archive with a corrupt directory (%v): not scanned, only its own bytes", err)
		return
	}
	var walk func(n *asarNode, p string, d int) bool
	walk = func(n *asarNode, p string, d int) bool {
		if d > asarDepth {
			w.warn(name+"!"+p, "folders nested more than %d deep: not read", asarDepth)
			return true
		}
		names := make([]string, 0, len(n.Files))
		for k := range n.Files {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			c, q := n.Files[k], k
			if p != "" {
				q = p + "/" + k
			}
			switch {
			case c == nil:
			case c.Files != nil:
				if !walk(c, q, d+1) {
					return false
				}
			case c.Link != "":
				if !w.member(name, q, w.meter(bytes.NewReader([]byte(c.Link)), lv), depth) {
					return false
				}
			case c.Unpacked:
				// In app.asar.unpacked beside the archive: a file of
				// its own.
			default:
				size, err1 := strconv.ParseInt(string(c.Size), 10, 64)
				off, err2 := strconv.ParseInt(c.Offset, 10, 64)
				if err1 != nil || err2 != nil || size < 0 || off < 0 || off > int64(len(data)-base) || size > int64(len(data)-base)-off {
					w.unread(name, q, "its size %q or offset %q does not lie within the archive: not scanned", string(c.Size), c.Offset)
					continue
				}
				at := base + int(off)
				if !w.member(name, q, w.meter(bytes.NewReader(data[at:at+int(size)]), lv), depth) {
					return false
				}
			}
		}
		return true
	}
	walk(&root, "", 0)
}
