package gitobj

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
)

// buildIndex writes a version 2 pack index of names (sorted here), object
// i at offset 12+i.
func buildIndex(names []ID) []byte {
	slices.SortFunc(names, func(a, b ID) int { return bytes.Compare(a[:], b[:]) })
	be := binary.BigEndian
	out := []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}
	var fan [256]uint32
	for _, n := range names {
		for b := int(n[0]); b < 256; b++ {
			fan[b]++
		}
	}
	for _, f := range fan {
		out = be.AppendUint32(out, f)
	}
	for _, n := range names {
		out = append(out, n[:]...)
	}
	for range names {
		out = be.AppendUint32(out, 0) // CRCs
	}
	for i := range names {
		out = be.AppendUint32(out, uint32(12+i))
	}
	return append(out, make([]byte, idxTrailer)...)
}

// idNames makes n names, many of which share their first eight bytes (or
// all but the last), so that Find's comparison of the first eight as a
// number has ties to break by the rest.
func idNames(n int) []ID {
	rnd := rand.New(rand.NewPCG(3, 4))
	var names []ID
	seen := map[ID]bool{}
	for len(names) < n {
		var id ID
		for i := range id {
			id[i] = byte(rnd.Uint32())
		}
		if len(names) > 0 && rnd.IntN(3) == 0 {
			prev := names[rnd.IntN(len(names))]
			k := 8 + rnd.IntN(12) // the same first k bytes
			copy(id[:k], prev[:k])
		}
		if !seen[id] {
			seen[id] = true
			names = append(names, id)
		}
	}
	return names
}

// TestPackIndexFind: every name of an index is found at its offset, by
// the in-memory index and by the one read from a file alike, and names
// next to them (one byte changed anywhere, the first eight bytes shared)
// are not. In memory, 5,000 names are looked up through sub too.
func TestPackIndexFind(t *testing.T) {
	names := idNames(5000)
	data := buildIndex(names)
	mem, err := ReadPackIndex(data)
	if err != nil {
		t.Fatal(err)
	}
	if mem.sub == nil {
		t.Fatal("no sub table for 5,000 names in memory")
	}
	file, err := OpenPackIndex(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	in := map[ID]bool{}
	for _, n := range names {
		in[n] = true
	}
	for _, x := range []*PackIndex{mem, file} {
		for i, n := range names {
			off, ok, err := x.Find(n)
			if err != nil || !ok || off != int64(12+i) {
				t.Fatalf("Find(%s) = %d, %v, %v; want %d", n, off, ok, err, 12+i)
			}
			for _, at := range []int{0, 1, 7, 8, 19} {
				for _, d := range []int{1, 255} {
					m := n
					m[at] += byte(d)
					if _, ok, err := x.Find(m); err != nil || ok != in[m] {
						t.Fatalf("Find(%s) = %v, %v; want %v", m, ok, err, in[m])
					}
				}
			}
		}
	}
}

// BenchmarkPackIndexFind looks up every name of an index of 200,000
// objects held in memory, as a history scan's walk does.
func BenchmarkPackIndexFind(b *testing.B) {
	names := idNames(200_000)
	x, err := ReadPackIndex(buildIndex(slices.Clone(names)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			if _, ok, _ := x.Find(n); !ok {
				b.Fatal("not found")
			}
		}
	}
}

// FuzzPackIndexFind: an index made of any bytes either fails to load or
// answers every lookup as reading its names one by one does, in memory and
// from a file alike, without a panic.
func FuzzPackIndexFind(f *testing.F) {
	f.Add(buildIndex(idNames(40)), []byte{})
	f.Add(buildIndex(idNames(3)), []byte{0x10, 0x20})
	f.Fuzz(func(t *testing.T, data []byte, probe []byte) {
		mem, err := ReadPackIndex(data)
		if err != nil {
			return
		}
		file, err := OpenPackIndex(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("loads in memory, not from a file: %v", err)
		}
		ids := []ID{}
		for i := range min(mem.Len(), 64) {
			id, err := mem.ID(i)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		var p ID
		copy(p[:], probe)
		ids = append(ids, p)
		for _, id := range ids {
			want := -1
			for i := range mem.Len() {
				if n, _ := mem.ID(i); n == id {
					want = i
					break
				}
			}
			for _, x := range []*PackIndex{mem, file} {
				off, ok, err := x.Find(id)
				if err != nil {
					continue // a 64-bit offset out of range
				}
				if ok != (want >= 0) {
					t.Fatalf("Find(%s) = %v, want %v", id, ok, want >= 0)
				}
				if ok {
					if wo, err := x.Offset(want); err != nil || wo != off {
						t.Fatalf("Find(%s) = %d, Offset(%d) = %d, %v", id, off, want, wo, err)
					}
				}
			}
		}
	})
}

// TestPackIndexFindSubAsFile: an index whose fan-out does not match its
// names (a bucket's bound moved, the table still sorted) answers every
// lookup in memory, through sub, as the file's bisection within the
// fan-out answers it.
func TestPackIndexFindSubAsFile(t *testing.T) {
	names := idNames(5000)
	sound := buildIndex(names)
	for _, c := range []struct{ b, delta int }{{0x40, -30}, {0x40, 30}, {0x00, 5}, {0xfe, -100}} {
		data := slices.Clone(sound)
		at := 8 + 4*c.b
		v := int(binary.BigEndian.Uint32(data[at:])) + c.delta
		lo, hi := 0, len(names)
		if c.b > 0 {
			lo = int(binary.BigEndian.Uint32(data[at-4:]))
		}
		if c.b < 255 {
			hi = int(binary.BigEndian.Uint32(data[at+4:]))
		}
		binary.BigEndian.PutUint32(data[at:], uint32(max(lo, min(hi, v))))
		mem, err := ReadPackIndex(data)
		if err != nil {
			t.Fatal(err)
		}
		file, err := OpenPackIndex(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		if mem.sub == nil {
			t.Fatal("no sub table")
		}
		for _, n := range names {
			for _, m := range []ID{n, func() ID { m := n; m[1]++; return m }()} {
				off1, ok1, err1 := mem.Find(m)
				off2, ok2, err2 := file.Find(m)
				if off1 != off2 || ok1 != ok2 || (err1 == nil) != (err2 == nil) {
					t.Fatalf("fan-out %#x%+d: Find(%s) = %d, %v, %v in memory; %d, %v, %v from the file", c.b, c.delta, m, off1, ok1, err1, off2, ok2, err2)
				}
			}
		}
	}
}
