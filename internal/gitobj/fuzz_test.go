package gitobj

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"hash/crc32"
	"io"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// FuzzApplyDelta checks that ApplyDelta never panics, agrees with go-git's
// PatchDelta on whether a delta applies and on the result, and writes
// exactly the size the delta announces; DeltaHead agrees with it.
func FuzzApplyDelta(f *testing.F) {
	base := []byte("the quick brown fox jumps over the lazy dog\n")
	f.Add(base, packfile.DiffDelta(base, []byte("the quick red fox jumps over the dog\n")))
	f.Add([]byte("x"), []byte{1, 3, 0x91, 0, 9})
	f.Add([]byte{}, []byte{0, 0})
	f.Fuzz(func(t *testing.T, base, d []byte) {
		got, err := ApplyDelta(base, d, nil)
		for _, n := range []int{0, 7, 512} {
			// DeltaHead applies or refuses as ApplyDelta does, and gives
			// the start of the same object.
			head, herr := DeltaHead(base, d, n)
			if (herr == nil) != (err == nil) || err == nil && !bytes.Equal(head, got[:min(n, len(got))]) {
				t.Fatalf("DeltaHead(%d): %q, %v; ApplyDelta: %v", n, head, herr, err)
			}
		}
		if len(d) < deltaMinSize && err == nil {
			t.Fatalf("a delta of %d bytes applied; git refuses those shorter than %d", len(d), deltaMinSize)
		}
		if len(base) == 0 || len(d) < deltaMinSize {
			return // go-git refuses an empty base, git does not; git refuses short deltas, go-git does not
		}
		want, werr := packfile.PatchDelta(base, d)
		if !plainHeader(d) {
			// A size that runs off the delta's end (go-git reads it as
			// ended, git reads past the buffer) or past 63 bits (go-git
			// refuses it, git wraps): no reference to agree with.
			return
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("ApplyDelta err %v, go-git err %v", err, werr)
		}
		if err != nil {
			return
		}
		if !bytes.Equal(got, want) {
			t.Fatal("ApplyDelta and go-git differ")
		}
		if n, ok := DeltaTargetSize(d); !ok || n != int64(len(got)) {
			t.Fatalf("DeltaTargetSize %d, %v; wrote %d", n, ok, len(got))
		}
	})
}

// plainHeader reports whether both sizes of a delta's header end within it
// and within 9 bytes (63 bits).
func plainHeader(d []byte) bool {
	for range 2 {
		i := 0
		for i < len(d) && i < 9 && d[i]&0x80 != 0 {
			i++
		}
		if i >= len(d) || i == 9 {
			return false
		}
		d = d[i+1:]
	}
	return true
}

// FuzzPackEntry reads the entries of a pack whose bytes are the input,
// after a valid blob and before a delta on it: the header, the inflation
// and the delta chain must fail cleanly or give an object no larger than
// the store's limit.
func FuzzPackEntry(f *testing.F) {
	base := []byte("a base object that the fuzzed entry may build on\n")
	a, b := ID{1}, ID{2}
	seed, _, offs := buildPack([]rawEntry{
		{id: a, typ: Blob, data: base, size: -1},
		{id: b, typ: OFSDelta, data: packfile.DiffDelta(base, []byte("a changed object\n")), size: -1},
	})
	f.Add(seed[offs[1] : len(seed)-20])
	f.Add([]byte{0x3f})
	f.Add([]byte{0xbf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	f.Fuzz(func(t *testing.T, entry []byte) {
		prefix := seed[:offs[1]]
		pack := append(append(bytes.Clone(prefix), entry...), make([]byte, 20)...)
		_, idx, _ := buildPack([]rawEntry{{id: a}, {id: b}}) // names only
		// Point the index's offsets at the real entries.
		x := bytes.Clone(idx)
		fix := func(i int, off int64) {
			at := idxV2Header + 24*2 + 4*i
			x[at], x[at+1], x[at+2], x[at+3] = byte(off>>24), byte(off>>16), byte(off>>8), byte(off)
		}
		fix(0, offs[0])
		fix(1, offs[1])
		// And its CRC-32s at the entries' bytes, as index-pack writes
		// them: the reads below check them before inflating.
		for i, span := range [][2]int64{{offs[0], offs[1]}, {offs[1], int64(len(pack)) - 20}} {
			binary.BigEndian.PutUint32(x[idxV2Header+20*2+4*i:], crc32.ChecksumIEEE(pack[span[0]:span[1]]))
		}
		for _, load := range []bool{false, true} {
			s, p := openBuilt(t, pack, x, false)
			if load && p.Load() != nil {
				return
			}
			_, data, err := s.NewReader(0).Read(b)
			if err == nil && int64(len(data)) > s.max {
				t.Fatalf("read %d bytes, over the limit %d", len(data), s.max)
			}
			p.ResolvedType(offs[1], map[int64]Type{})
			if !load {
				continue
			}
			// One read for header and data (ReadEntry) says what two say.
			var z1, z2 Inflater
			e1, d1, err1 := z1.ReadEntry(p, offs[1], s.max)
			e2, errEntry := p.Entry(offs[1])
			err2 := errEntry
			var d2 []byte
			if err2 == nil {
				d2, err2 = z2.Inflate(p, offs[1], e2, nil, s.max)
			}
			if (err1 == nil) != (err2 == nil) || (err1 == nil && (e1 != e2 || !bytes.Equal(d1, d2))) {
				t.Fatalf("ReadEntry: %+v, %d bytes, %v; Entry and Inflate: %+v, %d bytes, %v", e1, len(d1), err1, e2, len(d2), err2)
			}
			// The first bytes of it in one read (ReadEntryPrefix) are
			// what Entry and InflateHead, or Inflate, give.
			for _, prefix := range []int64{8, 1 << 16} {
				var z3, z4 Inflater
				e3, d3, err3 := z3.ReadEntryPrefix(p, offs[1], s.max, prefix)
				var d4 []byte
				err4 := errEntry
				if errEntry == nil {
					if e2.Size > prefix && e2.Type != OFSDelta && e2.Type != REFDelta {
						d4, err4 = z4.InflateHead(p, offs[1], e2, int(prefix))
					} else {
						d4, err4 = z4.Inflate(p, offs[1], e2, nil, s.max)
					}
				}
				if (err3 == nil) != (err4 == nil) || (err3 == nil && (e3 != e2 || !bytes.Equal(d3, d4))) {
					t.Fatalf("ReadEntryPrefix %d: %+v, %d bytes, %v; Entry and InflateHead: %+v, %d bytes, %v", prefix, e3, len(d3), err3, e2, len(d4), err4)
				}
			}
			// The bulk path: a forest of both entries, walked.
			f := NewForest()
			f.Add(p, offs[0], 0)
			f.Add(p, offs[1], 1)
			f.Sort()
			w := &Walker{r: s.NewReader(0)}
			for i := range f.Len() {
				w.Walk(context.Background(), f, i, &Visitor{
					Limit: 1 << 16,
					Visit: func(tag int32, data []byte) {
						if tag == 0 && !bytes.Equal(data, base) {
							t.Fatal("the base read back wrong")
						}
					},
					Fail: func(int32, error) {},
				})
			}
		}
	})
}

// FuzzReadLoose: whatever the bytes of a loose object's file (a pushed
// object is a stranger's), ReadLoose never panics, keeps to its limit, and
// reads what compress/zlib reads of them: its inflate is klauspost's.
func FuzzReadLoose(f *testing.F) {
	for _, obj := range []string{"blob 5\x00hello", "tree 0\x00", "blob 3\x00abcdef", "blob 9\x00abc", "commit x\x00"} {
		var b bytes.Buffer
		zw := zlib.NewWriter(&b)
		zw.Write([]byte(obj))
		zw.Close()
		f.Add(b.Bytes())
		f.Add(b.Bytes()[:b.Len()/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		typ, got, err := ReadLoose(bytes.NewReader(data), int64(len(data)), 1<<16)
		if err != nil {
			return
		}
		if len(got) > 1<<16 {
			t.Fatalf("%d bytes read over the limit", len(got))
		}
		zr, zerr := zlib.NewReader(bytes.NewReader(data))
		if zerr != nil {
			t.Fatalf("read %v %q where compress/zlib refuses the stream: %v", typ, got, zerr)
		}
		want, _ := io.ReadAll(io.LimitReader(zr, int64(len(got))+64))
		if i := bytes.IndexByte(want, 0); i < 0 || !bytes.Equal(want[i+1:min(len(want), i+1+len(got))], got) {
			t.Fatalf("read %q, compress/zlib reads %q", got, want)
		}
	})
}
