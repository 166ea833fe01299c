package archive

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
	"github.com/ulikunitz/xz/lzma"
)

// noiseOf returns n bytes of a seeded random source: a program's bytes.
func noiseOf(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 3))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// TestEmbeddedXzBzip2Zlib is CLOSING16's "xz, bzip2 and raw zlib inside a
// binary (not looked for, not counted)": each stream inside a program is
// a part named by where it starts, read to its own end (the program after
// it no error), and the zlib streams of every level zlib writes (78 01,
// 5e, 9c, da) are found.
func TestEmbeddedXzBzip2Zlib(t *testing.T) {
	env := []byte("[default]\naws_secret_access_key = a fake value\n")
	streams := [][]byte{archivetest.Xz(t, env), archivetest.Bzip2(t, env),
		archivetest.Zlib(t, 1, env), archivetest.Zlib(t, 4, env), archivetest.Zlib(t, 6, env), archivetest.Zlib(t, 9, env)}
	data := append([]byte("\x7fELF\x02\x01\x01\x00"), noiseOf(1, 4000)...)
	var at []int
	for i, s := range streams {
		at = append(at, len(data))
		data = append(append(data, s...), noiseOf(uint64(i+2), 3000)...)
	}
	got, warns, st := walk(t, "app", data, DefaultLimits())
	if len(warns) > 0 || st.Archives != len(streams) {
		t.Errorf("warnings %q, %d archives", warns, st.Archives)
	}
	for i, a := range at {
		if m := "app@" + strconv.Itoa(a) + "!data"; got[m] != string(env) {
			t.Errorf("stream %d: %s is %q; members %q", i, m, got[m], keys(got))
		}
	}
	if f := DetectName("app", data); f != Xz {
		t.Errorf("DetectName = %v", f)
	}

	// Headers whose streams do not decode: not parts.
	fake := append([]byte("\x7fELF\x00"), noiseOf(9, 100)...)
	for _, h := range [][]byte{{0x78, 0x9c, 0x4b}, {0x78, 0xda}, {0x78, 0x01, 0x05}, []byte("\xfd7zXZ\x00\x00\x04\x00\x00\x00\x00"), []byte("BZh91AY&SX"), []byte("BZh0")} {
		fake = append(append(fake, h...), noiseOf(uint64(len(fake)), 300)...)
	}
	if ps, _ := embeddedParts(fake); len(ps) > 0 {
		t.Errorf("chance headers taken: %v", ps)
	}

	// A zlib stream cut short by the file's end, after the first 64 bytes
	// it inflates, is taken and counted; before them, it cannot be told
	// from chance bytes.
	long := archivetest.Zlib(t, 6, noiseOf(5, 8000))
	cut := append(append([]byte("\x7fELF\x00"), noiseOf(6, 300)...), long[:len(long)/2]...)
	if _, warns, st := walk(t, "app", cut, DefaultLimits()); st.Unscanned != 1 {
		t.Errorf("a cut zlib stream: %d counted, warnings %q", st.Unscanned, warns)
	}
}

// TestEmbeddedZlibBudget: zlib candidates that each inflate far before
// they fail (a stream of zeros whose checksum is wrong) stop the search
// once the probes have inflated four times the file's bytes and 16 MiB;
// the candidates after are counted, and a stream before them is found.
func TestEmbeddedZlibBudget(t *testing.T) {
	env := []byte("aws_secret_access_key = a fake value\n")
	bad := archivetest.Zlib(t, 9, make([]byte, 900<<10))
	bad = append(bad[:len(bad)-4], 1, 2, 3, 4)
	data := append(append([]byte("\x7fELF\x00"), archivetest.Zlib(t, 6, env)...), noiseOf(1, 50)...)
	for range 200 {
		data = append(data, bad...)
	}
	ps, more := embeddedParts(data)
	if len(ps) != 1 || ps[0].f != Zlib || more != restUnsearched {
		t.Fatalf("parts %v, rest %v", ps, more)
	}
	got, warns, st := walk(t, "app", data, DefaultLimits())
	if got["app@5!data"] != string(env) || st.Unscanned != 1 {
		t.Errorf("members %q, %d counted, warnings %q", keys(got), st.Unscanned, warns)
	}
}

// TestEmbeddedXzChains: xz stream headers whose chunk walks run through
// the rest of the file (each inside the one before) walk at most the
// search's budget.
func TestEmbeddedXzChains(t *testing.T) {
	// A stream header (flags 0, CRC32 of them), a block header of 12
	// bytes, then uncompressed LZMA2 chunks of 12 bytes each holding the
	// next stream header: every header's walk runs to the file's end.
	unit := append([]byte{1, 0, 11}, []byte("\xfd7zXZ\x00\x00\x00\xff\x12\xd9\x41")...)
	hdr := append([]byte("\xfd7zXZ\x00\x00\x00\xff\x12\xd9\x41"), 2, 0, 0x21, 1, 0x16, 0, 0, 0, 0x77, 0x1c, 0xcf, 0x58)
	data := append([]byte("\x7fELF\x00"), hdr...)
	data = append(data, bytes.Repeat(unit, 1<<16)...)
	_, _, spent := embeddedScan(data, false)
	if spent > len(data)/3+embeddedStep+1 {
		t.Errorf("%d chunk headers walked for %d bytes", spent, len(data))
	}
}

// TestEmbeddedInCode: a stream in an ELF file's executable section is
// found as one in a data section is (bin25: executable sections were
// skipped, and a stream put in .text passed in silence).
func TestEmbeddedInCode(t *testing.T) {
	stream := archivetest.Zlib(t, 9, []byte("aws_secret_access_key = a fake value\n"))
	elf := func(flags uint64) []byte {
		h := make([]byte, 64)
		copy(h, "\x7fELF\x02\x01\x01")
		body := append(append(noiseOf(4, 100), stream...), noiseOf(5, 100)...)
		shoff := 64 + len(body)
		binary.LittleEndian.PutUint64(h[40:], uint64(shoff))
		binary.LittleEndian.PutUint16(h[58:], 64)
		binary.LittleEndian.PutUint16(h[60:], 1)
		sh := make([]byte, 64)
		binary.LittleEndian.PutUint32(sh[4:], 1) // PROGBITS
		binary.LittleEndian.PutUint64(sh[8:], flags)
		binary.LittleEndian.PutUint64(sh[24:], 64)
		binary.LittleEndian.PutUint64(sh[32:], uint64(len(body)))
		return append(append(h, body...), sh...)
	}
	for _, flags := range []uint64{2, 6} { // alloc (.rodata); alloc and execute (.text)
		if ps, more := embeddedParts(elf(flags)); len(ps) != 1 || ps[0].f != Zlib || ps[0].at != 164 || more != restNone {
			t.Errorf("section flags %d: %v, %v", flags, ps, more)
		}
	}
}

// TestEmbeddedLzma: an LZMA "alone" stream inside a program (bin25's
// leftover: missed in silence) is a part read to its own end, the program
// after it no error, whether it ends with an end marker or states its
// size; one cut short by the file's end is a part, counted; headers
// xz-utils would take whose bytes do not decode, or that state fewer than
// 64 bytes, are no part and no warning.
func TestEmbeddedLzma(t *testing.T) {
	env := []byte("[default]\naws_access_key_id = a fake id\naws_secret_access_key = a fake value\n")
	var sized bytes.Buffer
	w, err := lzma.WriterConfig{Size: int64(len(env)), SizeInHeader: true}.NewWriter(&sized)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(env); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	streams := [][]byte{archivetest.Lzma(t, env), sized.Bytes()}
	data := append([]byte("\x7fELF\x02\x01\x01\x00"), noiseOf(31, 4000)...)
	var at []int
	for i, s := range streams {
		at = append(at, len(data))
		data = append(append(data, s...), noiseOf(uint64(i+32), 3000)...)
	}
	got, warns, st := walk(t, "app", data, DefaultLimits())
	if len(warns) > 0 || st.Archives != len(streams) {
		t.Errorf("warnings %q, %d archives", warns, st.Archives)
	}
	for i, a := range at {
		if m := "app@" + strconv.Itoa(a) + "!data"; got[m] != string(env) {
			t.Errorf("stream %d: %s is %q; members %q", i, m, got[m], keys(got))
		}
	}

	// Headers that pass isLzma (a ']' then a power of two and a size)
	// over bytes that do not decode: not parts.
	fake := append([]byte("\x7fELF\x00"), noiseOf(40, 100)...)
	for _, h := range [][]byte{{0x5d, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, {0x5d, 0, 0, 0x80, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0}, {0x5d, 0, 0x10, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 0}} {
		fake = append(append(fake, h...), noiseOf(uint64(len(fake)), 300)...)
	}
	if ps, more := embeddedParts(fake); len(ps) > 0 || more != restNone {
		t.Errorf("chance headers: parts %v, rest %v", ps, more)
	}

	long := archivetest.Lzma(t, append(bytes.Repeat(env, 20), noiseOf(41, 2000)...))
	cut := append(append([]byte("\x7fELF\x00"), noiseOf(42, 300)...), long[:len(long)*2/3]...)
	if _, warns, st := walk(t, "app", cut, DefaultLimits()); st.Unscanned != 1 {
		t.Errorf("a cut lzma stream: %d counted, warnings %q", st.Unscanned, warns)
	}
}
