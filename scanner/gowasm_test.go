package scanner

import (
	"bytes"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// wasmModule lays out a WebAssembly module: a code section of code, then a
// data section of segs, each placed at its address (i32.const).
func wasmModule(code []byte, segs ...wasmSeg) []byte {
	section := func(out []byte, id byte, body []byte) []byte {
		return append(appendULEB(append(out, id), uint64(len(body))), body...)
	}
	var data []byte
	data = appendULEB(data, uint64(len(segs)))
	for _, s := range segs {
		data = append(appendSLEB(append(data, 0, 0x41), int64(s.addr)), 0x0b)
		data = append(appendULEB(data, uint64(len(s.bytes))), s.bytes...)
	}
	m := []byte(wasmMagic)
	m = section(m, 10, code)
	return section(m, 11, data)
}

type wasmSeg struct {
	addr  uint32
	bytes []byte
}

func appendULEB(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b, v = append(b, byte(v)|0x80), v>>7
	}
	return append(b, byte(v))
}

func appendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 && c&0x40 == 0 || v == -1 && c&0x40 != 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// TestWasmRefs: the references goRefs reads in a WebAssembly module laid
// out by hand, in the shapes Go's compiler writes (see gowasm.go): a call's
// arguments stored to the stack (SP+X, address then length), an inlined
// struct filled length first (heap: offsets 8 and 0, then 0x18 and 0x10),
// and headers in the data, one of them at a segment's end with its
// length's zeros left out. Each string is read at its bounds; a segment
// whose zeros another segment overwrites gives no header; and a length
// stored by an earlier call at the same place is not taken.
func TestWasmRefs(t *testing.T) {
	g := fakekey.New(3501)
	ids := []string{g.KeyID("AKIA"), g.KeyID("AKIA"), g.KeyID("AKIA"), g.KeyID("AKIA")}
	secrets := []string{g.Secret(), g.Secret(), g.Secret(), g.Secret()}
	// The strings, back to back at 0x10000: id0 sec0 id1 sec1 id2 sec2 id3 sec3.
	var pool []byte
	addr := map[string]uint32{}
	for i := range ids {
		addr[ids[i]] = 0x10000 + uint32(len(pool))
		pool = append(pool, ids[i]...)
		addr[secrets[i]] = 0x10000 + uint32(len(pool))
		pool = append(pool, secrets[i]...)
	}
	konst := func(b []byte, v int64) []byte { return appendSLEB(append(b, 0x42), v) }
	store := func(b []byte, off byte) []byte { return append(b, 0x37, 3, off) }
	sp := func(b []byte, x int64) []byte { return append(konst(append(b, 0x20, 1, 0xad), x), 0x7c, 0xa7) }
	var code []byte
	// A call's arguments: f(id0, sec0) at SP+0x10.. SP+0x28.
	for k, s := range []string{ids[0], secrets[0]} {
		code = store(konst(sp(code, int64(0x10+16*k)), int64(addr[s])), 0)
		code = store(konst(sp(code, int64(0x18+16*k)), int64(len(s))), 0)
	}
	// Another call at the same place, its first argument's length before
	// the second's address: f(x, sec1) where x is 20 bytes.
	code = store(konst(sp(code, 0x18), 20), 0)
	code = store(konst(sp(code, 0x10), int64(addr[secrets[1]])), 0)
	code = store(konst(sp(code, 0x18), 40), 0)
	code = store(konst(sp(code, 0x10), int64(addr[ids[1]])), 0)
	code = store(konst(sp(code, 0x18), 20), 0)
	// &P{id2, sec2} inlined: each length stored before its address.
	heap := func(b []byte) []byte { return append(b, 0x20, 2, 0xa7) }
	code = store(konst(heap(code), 20), 8)
	code = store(konst(heap(code), int64(addr[ids[2]])), 0)
	code = store(konst(heap(code), 40), 0x18)
	code = store(konst(heap(code), int64(addr[secrets[2]])), 0x10)
	code = append(code, 0x0b)
	// Headers of id3 and sec3 in the data, the last length cut to one byte.
	hdr := func(b []byte, s string) []byte {
		b = append(b, byte(addr[s]), byte(addr[s]>>8), byte(addr[s]>>16), 0, 0, 0, 0, 0)
		return append(b, byte(len(s)), 0, 0, 0, 0, 0, 0, 0)
	}
	headers := hdr(nil, ids[3])
	headers = hdr(headers, secrets[3])[:len(headers)+9]
	m := wasmModule(code, wasmSeg{0x10000, pool}, wasmSeg{0x20000, headers})
	got, gotSecrets, _ := goRefs(m)
	at := func(rs []goRef, n int) map[string]bool {
		out := map[string]bool{}
		for _, r := range rs {
			out[string(m[r.off:r.off+n])] = true
		}
		return out
	}
	for _, id := range ids {
		if !at(got, 20)[id] {
			t.Errorf("key ID %d not read", bytes.Index(pool, []byte(id))/60)
		}
	}
	for _, s := range secrets {
		if !at(gotSecrets, 40)[s] {
			t.Errorf("secret %d not read", bytes.Index(pool, []byte(s))/60)
		}
	}
	if len(got) != len(ids) || len(gotSecrets) != len(secrets) {
		t.Errorf("%d key IDs and %d secrets read, want %d each", len(got), len(gotSecrets), len(ids))
	}
	// A segment that writes the bytes the cut length leaves out: its
	// header's length is no longer 40 (whatever is there, it is read as it
	// is, not as zeros).
	m = wasmModule(code[:0], wasmSeg{0x10000, pool}, wasmSeg{0x20000, headers}, wasmSeg{0x20000 + uint32(len(headers)), []byte{1, 1, 1, 1, 1, 1, 1}})
	if _, s, _ := goRefs(m); len(s) != 0 {
		t.Errorf("a length whose bytes another segment writes read as zeros: %d secrets", len(s))
	}
}

// TestWasmMalformed: a module cut anywhere, or with lengths and counts
// that run past its end, negative or huge addresses and LEB128 numbers of
// more than 64 bits, reads nothing beyond its bytes and never panics.
func TestWasmMalformed(t *testing.T) {
	g := fakekey.New(3502)
	id := g.KeyID("AKIA")
	m := wasmModule([]byte{0x42, 0x80, 0x80, 0x04, 0x37, 3, 0, 0x42, 20, 0x37, 3, 8, 0x0b}, wasmSeg{0x10000, []byte(id)})
	if ids, _, _ := goRefs(m); len(ids) != 1 {
		t.Fatalf("the whole module: %d key IDs, want 1", len(ids))
	}
	for n := range len(m) {
		goRefs(m[:n])
	}
	bad := [][]byte{
		[]byte(wasmMagic + "\x0b\xff\xff\xff\xff\x0f"),
		[]byte(wasmMagic + "\x0b\x06\xff\xff\xff\xff\x0f\x00"),
		[]byte(wasmMagic + "\x0b\x08\x01\x00\x41\x7f\x0b\x02AB"),                       // address -1
		[]byte(wasmMagic + "\x0b\x0a\x01\x02\x00\x42\xff\xff\xff\x0f\x0b\x00"),         // memory 0, i64 address
		[]byte(wasmMagic + "\x0a\x0c\x42\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"), // 70-bit LEB128
		append([]byte(wasmMagic+"\x0b\x85\x80\x80\x80\x00\x85\x80\x80\x80\x00"), bytes.Repeat([]byte{0x42}, 64)...),
	}
	for _, b := range bad {
		if ids, secrets, _ := goRefs(b); len(ids)+len(secrets) != 0 {
			t.Errorf("%q: read %d strings", b, len(ids)+len(secrets))
		}
	}
}
