package gitobj

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// rawEntry is one entry of a pack made by hand.
type rawEntry struct {
	id      ID
	typ     Type
	data    []byte // inflated
	size    int64  // the size the header claims; -1: len(data)
	baseOff int    // OFSDelta: index of the base entry
	baseID  ID     // REFDelta
}

// buildPack writes entries as a pack and a version 2 index of it (each
// entry's CRC-32 of its bytes, as git's index-pack writes it), and returns
// them with each entry's offset. It checks nothing: that is the point.
func buildPack(entries []rawEntry) (pack, idx []byte, offs []int64) {
	var b bytes.Buffer
	b.WriteString("PACK\x00\x00\x00\x02")
	binary.Write(&b, binary.BigEndian, uint32(len(entries)))
	for _, e := range entries {
		off := int64(b.Len())
		offs = append(offs, off)
		size := e.size
		if size < 0 {
			size = int64(len(e.data))
		}
		c := byte(e.typ)<<4 | byte(size&15)
		size >>= 4
		for size > 0 {
			b.WriteByte(c | 0x80)
			c = byte(size & 0x7f)
			size >>= 7
		}
		b.WriteByte(c)
		switch e.typ {
		case OFSDelta:
			rel := off - offs[e.baseOff]
			enc := []byte{byte(rel & 0x7f)}
			for rel >>= 7; rel > 0; rel >>= 7 {
				rel--
				enc = append([]byte{0x80 | byte(rel&0x7f)}, enc...)
			}
			b.Write(enc)
		case REFDelta:
			b.Write(e.baseID[:])
		}
		zw := zlib.NewWriter(&b)
		zw.Write(e.data)
		zw.Close()
	}
	b.Write(make([]byte, 20))
	type named struct {
		id  ID
		off int64
		crc uint32
	}
	var ns []named
	for i, e := range entries {
		end := int64(b.Len()) - 20
		if i+1 < len(offs) {
			end = offs[i+1]
		}
		ns = append(ns, named{e.id, offs[i], crc32.ChecksumIEEE(b.Bytes()[offs[i]:end])})
	}
	slices.SortFunc(ns, func(a, b named) int { return bytes.Compare(a.id[:], b.id[:]) })
	var x bytes.Buffer
	x.Write(idxMagic)
	binary.Write(&x, binary.BigEndian, uint32(2))
	for i := range 256 {
		n := 0
		for _, e := range ns {
			if int(e.id[0]) <= i {
				n++
			}
		}
		binary.Write(&x, binary.BigEndian, uint32(n))
	}
	for _, e := range ns {
		x.Write(e.id[:])
	}
	for _, e := range ns {
		binary.Write(&x, binary.BigEndian, e.crc)
	}
	for _, e := range ns {
		binary.Write(&x, binary.BigEndian, uint32(e.off))
	}
	x.Write(make([]byte, 40))
	return b.Bytes(), x.Bytes(), offs
}

// openBuilt opens a hand-made pack in a store of its own.
func openBuilt(t testing.TB, pack, idx []byte, load bool) (*Store, *Pack) {
	t.Helper()
	x, err := OpenPackIndex(bytes.NewReader(idx), int64(len(idx)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPack("test.pack", x, bytes.NewReader(pack), int64(len(pack)))
	if err != nil {
		t.Fatal(err)
	}
	if load {
		if err := p.Load(); err != nil {
			t.Fatal(err)
		}
	}
	ps := &packSlot{p: p}
	ps.once.Do(func() {}) // already open
	return &Store{packs: []*packSlot{ps}, max: 1 << 20}, p
}

func delta(base, target []byte) []byte { return packfile.DiffDelta(base, target) }

// TestHostilePacks reads packs that lie: every read must fail with an
// error, none may panic, hang or allocate what the header claims.
func TestHostilePacks(t *testing.T) {
	base := []byte(strings.Repeat("the base object of a chain\n", 20))
	next := append(bytes.Clone(base), "and one more line\n"...)
	a, b, c := ID{0x10}, ID{0x20}, ID{0x30}
	cases := []struct {
		name    string
		entries []rawEntry
		read    ID
		mangle  func(pack []byte, offs []int64) []byte
	}{
		{"huge declared size", []rawEntry{{id: a, typ: Blob, data: base, size: 1 << 40}}, a, nil},
		{"size over the store's limit", []rawEntry{{id: a, typ: Blob, data: base, size: 2 << 20}}, a, nil},
		{"size larger than the data", []rawEntry{{id: a, typ: Blob, data: base, size: int64(len(base)) + 5}}, a, nil},
		// A size that stops short of the data would hide what follows (a
		// key after the claimed end) behind a clean read.
		{"size smaller than the data", []rawEntry{{id: a, typ: Blob, data: base, size: int64(len(base)) - 5}}, a, nil},
		{"size smaller than the data, delta", []rawEntry{
			{id: a, typ: Blob, data: base, size: -1},
			{id: b, typ: OFSDelta, data: delta(base, next), size: int64(len(delta(base, next))) - 1, baseOff: 0},
		}, b, nil},
		{"REF delta loop", []rawEntry{
			{id: a, typ: REFDelta, data: delta(base, next), size: -1, baseID: b},
			{id: b, typ: REFDelta, data: delta(next, base), size: -1, baseID: a},
		}, a, nil},
		{"REF delta on itself", []rawEntry{{id: a, typ: REFDelta, data: delta(base, next), size: -1, baseID: a}}, a, nil},
		{"REF delta on a missing base", []rawEntry{{id: a, typ: REFDelta, data: delta(base, next), size: -1, baseID: c}}, a, nil},
		{"delta on the wrong base", []rawEntry{
			{id: a, typ: Blob, data: next, size: -1},
			{id: b, typ: OFSDelta, data: delta(base, next), size: -1, baseOff: 0},
		}, b, nil},
		{"delta announcing a huge target", []rawEntry{
			{id: a, typ: Blob, data: base, size: -1},
			{id: b, typ: OFSDelta, data: append([]byte{byte(len(base)&0x7f | 0x80), byte(len(base) >> 7), 0xff, 0xff, 0xff, 0xff, 0x7f}, 0x90, 1), size: -1, baseOff: 0},
		}, b, nil},
		{"OFS base before the pack", []rawEntry{{id: a, typ: Blob, data: base, size: -1}, {id: b, typ: OFSDelta, data: delta(base, next), size: -1, baseOff: 0}}, b,
			func(p []byte, offs []int64) []byte { p[offs[1]+2] = 0x7f; return p }},
		{"OFS base inside an entry", []rawEntry{{id: a, typ: Blob, data: base, size: -1}, {id: b, typ: OFSDelta, data: delta(base, next), size: -1, baseOff: 0}}, b,
			func(p []byte, offs []int64) []byte { p[offs[1]+2]--; return p }},
		{"unknown type", []rawEntry{{id: a, typ: 5, data: base, size: -1}}, a, nil},
		{"truncated pack", []rawEntry{{id: a, typ: Blob, data: base, size: -1}, {id: b, typ: Blob, data: next, size: -1}}, b,
			func(p []byte, offs []int64) []byte { return p[:offs[1]+6] }},
		{"corrupt zlib", []rawEntry{{id: a, typ: Blob, data: base, size: -1}}, a,
			func(p []byte, offs []int64) []byte { p[offs[0]+4] ^= 0xff; p[offs[0]+5] ^= 0xff; return p }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pack, idx, offs := buildPack(tc.entries)
			if tc.mangle != nil {
				pack = tc.mangle(pack, offs)
			}
			for _, load := range []bool{false, true} {
				s, p := openBuilt(t, pack, idx, false)
				if load && p.Load() != nil {
					continue // refused whole: fine
				}
				typ, data, err := s.NewReader(1 << 20).Read(tc.read)
				if err == nil {
					t.Errorf("load %v: read a %s of %d bytes, want an error", load, typ, len(data))
				}
				memo := map[int64]Type{}
				for _, off := range offs {
					p.ResolvedType(off, memo) // must return, whatever it says
				}
			}
		})
	}
	// The well-formed version of the chain reads back.
	pack, idx, _ := buildPack([]rawEntry{{id: a, typ: Blob, data: base, size: -1}, {id: b, typ: OFSDelta, data: delta(base, next), size: -1}, {id: c, typ: REFDelta, data: delta(next, base), size: -1, baseID: b}})
	for _, load := range []bool{false, true} {
		s, _ := openBuilt(t, pack, idx, load)
		r := s.NewReader(0)
		for id, want := range map[ID][]byte{a: base, b: next, c: base} {
			if typ, got, err := r.Read(id); err != nil || typ != Blob || !bytes.Equal(got, want) {
				t.Errorf("load %v: %s: %s, %v", load, id, typ, err)
			}
		}
	}
}

// TestHostileLoose reads loose objects whose header lies.
func TestHostileLoose(t *testing.T) {
	z := func(s string) []byte {
		var b bytes.Buffer
		zw := zlib.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	for _, raw := range []string{"blob 99999999999\x00x", "blob 5\x00abc", "blob -1\x00", "thing 1\x00x", "blob", "blob 1x\x00x"} {
		data := z(raw)
		if _, _, err := ReadLoose(bytes.NewReader(data), int64(len(data)), 1<<20); err == nil {
			t.Errorf("%q: no error", raw)
		}
	}
	data := z("blob 3\x00abc")
	if typ, got, err := ReadLoose(bytes.NewReader(data), int64(len(data)), 0); err != nil || typ != Blob || string(got) != "abc" {
		t.Errorf("good loose object: %s %q %v", typ, got, err)
	}
	if _, _, err := ReadLoose(bytes.NewReader(data[:len(data)/2]), int64(len(data)), 0); err == nil {
		t.Error("truncated loose object: no error")
	}
}

// TestApplyDelta checks ApplyDelta against go-git's PatchDelta on deltas
// go-git makes, and on every truncation and many corruptions of them: both
// must fail together, and agree on the output when they succeed.
func TestApplyDelta(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	text := func(n int) []byte {
		var b bytes.Buffer
		for b.Len() < n {
			b.WriteString([]string{"alpha ", "beta ", "gamma\n", "delta ", "0123456789"}[rnd.IntN(5)])
		}
		return b.Bytes()[:n]
	}
	for i := range 60 {
		base := text(1 + rnd.IntN(200000))
		target := append([]byte(nil), base...)
		for range 1 + rnd.IntN(20) { // edit: cut, insert, or both
			at := rnd.IntN(len(target) + 1)
			cut := min(rnd.IntN(300), len(target)-at)
			target = append(target[:at], append(text(rnd.IntN(300)), target[at+cut:]...)...)
		}
		if i%10 == 0 {
			target = text(rnd.IntN(1000)) // unrelated, or empty
		}
		d := packfile.DiffDelta(base, target)
		got, err := ApplyDelta(base, d, nil)
		if err != nil || !bytes.Equal(got, target) {
			t.Fatalf("case %d: ApplyDelta: err %v, equal %v", i, err, bytes.Equal(got, target))
		}
		if n, ok := DeltaTargetSize(d); !ok || n != int64(len(target)) {
			t.Fatalf("case %d: DeltaTargetSize = %d, %v", i, n, ok)
		}
		var pool BufPool
		bad := [][]byte{d[:0], d[:len(d)/2], d[:len(d)-1], append(bytes.Clone(d), 1, 'x')}
		for range 20 {
			c := bytes.Clone(d)
			c[rnd.IntN(len(c))] ^= byte(1 + rnd.IntN(255))
			bad = append(bad, c)
		}
		for j, c := range bad {
			want, werr := packfile.PatchDelta(base, c)
			got, gerr := ApplyDelta(base, c, pool.Get)
			if (werr == nil) != (gerr == nil) || (gerr == nil && !bytes.Equal(got, want)) {
				t.Fatalf("case %d, variant %d: go-git err %v, ApplyDelta err %v", i, j, werr, gerr)
			}
			pool.Put(got)
		}
	}
	for _, d := range [][]byte{nil, {5, 5}, {1, 3, 0x91, 0, 9}, {0, 2, 0}} {
		if _, err := ApplyDelta([]byte("x"), d, nil); !errors.Is(err, ErrDelta) {
			t.Errorf("ApplyDelta(%v): %v, want ErrDelta", d, err)
		}
	}
}

func TestBufPool(t *testing.T) {
	var p BufPool
	a := p.Get(1000)
	if len(a) != 1000 {
		t.Fatalf("len %d", len(a))
	}
	p.Put(a)
	if b := p.Get(900); &b[0] != &a[0] {
		t.Errorf("a free buffer large enough was not reused")
	}
	for range 100 {
		p.Put(make([]byte, 1<<20))
	}
	if p.Held() > poolMaxBytes {
		t.Errorf("pool holds %d bytes, more than %d", p.Held(), poolMaxBytes)
	}
	p.Put(make([]byte, 2*poolMaxBuf)) // not kept
	if p.Held() > poolMaxBytes {
		t.Errorf("pool holds %d bytes, more than %d", p.Held(), poolMaxBytes)
	}
}

func TestCorruptIndexAndTree(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("DIRC"), append([]byte("DIRC\x00\x00\x00\x02\xff\xff\xff\xff"), make([]byte, 20)...)} {
		if _, err := ParseIndex(b); err == nil {
			t.Errorf("ParseIndex(%q): no error", b)
		}
	}
	for _, b := range []string{"100644 name", "100644", " x\x00", "99999999999 x\x00" + strings.Repeat("a", 20), "100644 x\x00short"} {
		if err := ParseTree([]byte(b), func(TreeEntry) {}); err == nil {
			t.Errorf("ParseTree(%q): no error", b)
		}
	}
	for _, b := range []string{"", "parent x\n", "tree 123\n", "author A <a> 1 +0000\n"} {
		if _, err := ParseCommit([]byte(b)); err == nil {
			t.Errorf("ParseCommit(%q): no error", b)
		}
	}
}
