package pyinstaller

import (
	"encoding/binary"
	"testing"
)

// FuzzOpen checks that no file makes Find, Open or OpenPyz panic or hand
// out an entry outside the bytes they were given.
func FuzzOpen(f *testing.F) {
	toc := []byte{0, 0, 0, 32, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 4, 0, 'x', 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	pkg := append([]byte("data"), toc...)
	cookie := make([]byte, 88)
	copy(cookie, Magic)
	binary.BigEndian.PutUint32(cookie[8:], uint32(len(pkg)+88))
	binary.BigEndian.PutUint32(cookie[12:], 4)
	binary.BigEndian.PutUint32(cookie[16:], uint32(len(toc)))
	f.Add(append(append([]byte("boot\x00"), pkg...), cookie...))
	pyz := []byte("PYZ\x00\xcb\r\r\n\x00\x00\x00\x0c[\x01\x00\x00\x00)\x02\xda\x01a)\x03i\x00\x00\x00\x00i\x0c\x00\x00\x00i\x00\x00\x00\x00")
	f.Add(pyz)
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(es []Entry) {
			for _, e := range es {
				if e.Offset < 0 || e.Size < 0 || e.Offset > len(data) || e.Size > len(data)-e.Offset {
					t.Fatalf("entry %+v outside %d bytes", e, len(data))
				}
			}
		}
		if s, e, ok := Find(data); ok {
			es, _, _ := Open(data, s, e, 100)
			check(es)
		}
		es, _, _ := OpenPyz(data, 100)
		check(es)
	})
}
