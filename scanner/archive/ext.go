package archive

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"

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

// extPartition returns where the first ext file system that a disk
// image's partition table names starts (a VM or SD-card image: an MBR, or
// a GPT behind its protective MBR, then the partitions), or 0: such an
// image was neither opened nor counted.
func extPartition(data []byte) int {
	if at := extPartitions(data); len(at) > 0 {
		return at[0]
	}
	return 0
}

// extPartitions returns where each ext file system that a disk image's
// partition table names starts, in the file's order (review15 B-10: only
// the first was opened, the others not counted). The partitions are
// known by the table's start sectors (512 bytes), an ext one by its
// superblock there.
func extPartitions(data []byte) []int {
	if len(data) < 1024 || data[510] != 0x55 || data[511] != 0xaa {
		return nil
	}
	le := binary.LittleEndian
	var starts []uint64
	if string(data[512:520]) == "EFI PART" {
		table, n, size := le.Uint64(data[512+72:]), uint64(le.Uint32(data[512+80:])), uint64(le.Uint32(data[512+84:]))
		for i := uint64(0); size >= 128 && i < min(n, 128) && table < uint64(len(data))/512; i++ {
			at := table*512 + i*size
			if at+48 > uint64(len(data)) {
				break
			}
			if first := le.Uint64(data[at+32:]); first > 0 {
				starts = append(starts, first)
			}
		}
	}
	for i := range 4 {
		if e := data[446+16*i:]; e[4] != 0 && e[4] != 0xee {
			starts = append(starts, uint64(le.Uint32(e[8:])))
		}
	}
	var at []int
	for _, s := range starts {
		if s > 0 && s < uint64(len(data))/512 && isExt(data[s*512:]) {
			at = append(at, int(s*512))
		}
	}
	slices.Sort(at)
	return slices.Compact(at)
}
