package gittest

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
)

// Object is one object of a forged pack: the ID it is filed under, which
// need not be the hash of its content.
type Object struct {
	ID   string // 40 hex digits
	Type string // "commit", "tree", "blob" or "tag"
	Data []byte
}

// WriteForgedPack writes objs as one pack and its version 2 index into
// the objects folder dir, each object filed under the ID it claims. git
// names an object by the hash of its content, so no repository it writes
// can hold a tree that contains itself; a pack index can claim anything,
// and tests of what a reader does with a tampered object store need one.
func WriteForgedPack(dir string, objs []Object) error {
	types := map[string]byte{"commit": 1, "tree": 2, "blob": 3, "tag": 4}
	var pack bytes.Buffer
	pack.WriteString("PACK")
	binary.Write(&pack, binary.BigEndian, uint32(2))
	binary.Write(&pack, binary.BigEndian, uint32(len(objs)))
	type entry struct {
		id  []byte
		off uint32
		crc uint32
	}
	var ents []entry
	for _, o := range objs {
		id, err := hex.DecodeString(o.ID)
		if err != nil || len(id) != 20 {
			return &os.PathError{Op: "forge", Path: o.ID, Err: os.ErrInvalid}
		}
		start := pack.Len()
		size := len(o.Data)
		c := types[o.Type]<<4 | byte(size&15)
		size >>= 4
		for size > 0 {
			pack.WriteByte(c | 0x80)
			c = byte(size & 0x7f)
			size >>= 7
		}
		pack.WriteByte(c)
		zw := zlib.NewWriter(&pack)
		zw.Write(o.Data)
		zw.Close()
		ents = append(ents, entry{id, uint32(start), crc32.ChecksumIEEE(pack.Bytes()[start:])})
	}
	sum := sha1.Sum(pack.Bytes())
	pack.Write(sum[:])
	slices.SortFunc(ents, func(a, b entry) int { return bytes.Compare(a.id, b.id) })
	var idx bytes.Buffer
	idx.Write([]byte{0xff, 't', 'O', 'c', 0, 0, 0, 2})
	for i := range 256 {
		n := 0
		for _, e := range ents {
			if int(e.id[0]) <= i {
				n++
			}
		}
		binary.Write(&idx, binary.BigEndian, uint32(n))
	}
	for _, e := range ents {
		idx.Write(e.id)
	}
	for _, e := range ents {
		binary.Write(&idx, binary.BigEndian, e.crc)
	}
	for _, e := range ents {
		binary.Write(&idx, binary.BigEndian, e.off)
	}
	idx.Write(sum[:])
	isum := sha1.Sum(idx.Bytes())
	idx.Write(isum[:])
	base := filepath.Join(dir, "pack", "pack-"+hex.EncodeToString(sum[:]))
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(base+".pack", pack.Bytes(), 0o444); err != nil {
		return err
	}
	return os.WriteFile(base+".idx", idx.Bytes(), 0o444)
}
