package archive

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
)

// A cpio archive is what every Linux initramfs is (initrd.img, usually
// gzip'd or zstd'd: the gzip layer is opened as any stream, the cpio inside
// it here), what rpm packages carry, and what `find | cpio -o` writes
// (qa16 HIGH-1). Its entries follow one another, each a header, the name
// and the data; "TRAILER!!!" ends it. Three header forms exist:
//
//   - newc ("070701", and "070702" with a checksum): 13 fields of 8 hex
//     digits; name and data each padded to 4 bytes (cpio -H newc, the
//     kernel's initramfs);
//   - odc ("070707"): fields of 6 and 11 octal digits, no padding (POSIX,
//     cpio -H odc);
//   - old binary (0x71C7 in either byte order): 13 16-bit words, name and
//     data padded to 2 bytes (cpio -H bin).
//
// Regular files are members named by their path; a symlink is a member
// holding its target, as in squashfs; folders and devices hold nothing.

// cpioEntry is one entry's header: where its name and data lie in the
// archive, and its mode.
type cpioEntry struct {
	name       string
	mode       uint32
	data, size int
	next       int // where the next header starts
}

// cpioHeader parses the header at data[at:]; ok is false when none starts
// there or it does not fit.
func cpioHeader(data []byte, at int) (e cpioEntry, ok bool) {
	b := data[at:]
	hexes := func(fields []byte, n int) ([]uint64, bool) {
		var out []uint64
		for i := 0; i+8 <= len(fields) && len(out) < n; i += 8 {
			v, err := strconv.ParseUint(string(fields[i:i+8]), 16, 32)
			if err != nil {
				return nil, false
			}
			out = append(out, v)
		}
		return out, len(out) == n
	}
	var nameAt, nameLen, align int
	var size uint64
	switch {
	case len(b) >= 110 && (bytes.HasPrefix(b, []byte("070701")) || bytes.HasPrefix(b, []byte("070702"))):
		f, ok := hexes(b[6:110], 13)
		if !ok {
			return e, false
		}
		e.mode, size, nameLen, nameAt, align = uint32(f[1]), f[6], int(f[11]), 110, 4
	case len(b) >= 76 && bytes.HasPrefix(b, []byte("070707")):
		oct := func(f []byte) (uint64, bool) {
			v, err := strconv.ParseUint(string(f), 8, 64)
			return v, err == nil
		}
		mode, ok1 := oct(b[18:24])
		n, ok2 := oct(b[59:65])
		s, ok3 := oct(b[65:76])
		if !ok1 || !ok2 || !ok3 {
			return e, false
		}
		e.mode, size, nameLen, nameAt, align = uint32(mode), s, int(n), 76, 1
	case len(b) >= 26 && (b[0] == 0xc7 && b[1] == 0x71 || b[0] == 0x71 && b[1] == 0xc7):
		var bo binary.ByteOrder = binary.LittleEndian
		if b[0] == 0x71 {
			bo = binary.BigEndian
		}
		word := func(i int) uint64 { return uint64(bo.Uint16(b[2*i:])) }
		e.mode, nameLen, nameAt, align = uint32(word(3)), int(word(10)), 26, 2
		size = word(11)<<16 | word(12)
	default:
		return e, false
	}
	pad := func(n int) int { return (n + align - 1) / align * align }
	if nameLen < 2 || nameLen > len(b)-nameAt || b[nameAt+nameLen-1] != 0 {
		return e, false
	}
	e.name = string(b[nameAt : nameAt+nameLen-1])
	if bytes.IndexByte(b[nameAt:nameAt+nameLen-1], 0) >= 0 {
		return e, false
	}
	e.data = at + pad(nameAt+nameLen)
	if size > uint64(len(data)) {
		size = uint64(len(data)) + 1 // cut short: cpio says so below
	}
	e.size = int(size)
	e.next = e.data + pad(e.size)
	return e, true
}

// isCpio reports whether b starts with a cpio header whose name fits and
// ends with its NUL.
func isCpio(b []byte) bool {
	_, ok := cpioHeader(b, 0)
	return ok
}

// cpio reads the entries of the cpio archive in data one after another.
func (w *walker) cpio(name string, data []byte, lv *level, depth int) {
	for at := 0; at < len(data); {
		e, ok := cpioHeader(data, at)
		if !ok {
			if len(bytes.Trim(data[at:], "\x00")) > 0 {
				w.warn(name, "corrupt cpio header at byte %d: the rest of the archive is not scanned", at)
			}
			return
		}
		if e.name == "TRAILER!!!" {
			// Padding follows. An initramfs is often archives one after
			// another (an early uncompressed one of CPU microcode, then
			// the compressed root): the kernel reads on after NULs, and
			// so does this, a compressed one opened as a part of its own
			// (initrd.img@4096!initrd!etc/app.env).
			at = e.next
			for at < len(data) && data[at] == 0 {
				at++
			}
			if at < len(data) && !isCpio(data[at:]) {
				if f := Detect(data[at:]); f != None {
					w.open(fmt.Sprintf("%s@%d", name, at), name, data, at, f, depth, false)
				} else {
					w.warn(name, "%d bytes after the cpio archive's end that are neither a cpio archive nor a compressed one: not scanned", len(data)-at)
				}
				return
			}
			continue
		}
		if e.data > len(data) || e.size > len(data)-e.data {
			w.unread(name, e.name, "cut short (%d bytes of data declared, %d left): not scanned", e.size, len(data)-min(len(data), e.data))
			return
		}
		switch e.mode & 0o170000 {
		case 0o100000, 0o120000: // a regular file, a symlink (its target)
			if !w.member(name, e.name, w.meter(bytes.NewReader(data[e.data:e.data+e.size]), lv), depth) {
				return
			}
		}
		at = e.next
	}
}
