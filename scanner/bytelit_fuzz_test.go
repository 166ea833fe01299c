package scanner

import (
	"bytes"
	"testing"
)

// FuzzDecodeByteLit: decoding a byte literal from any place of any input
// stays inside the input, ends no earlier than it starts, gives at most one
// byte past its limit and never more bytes than the literal has characters.
func FuzzDecodeByteLit(f *testing.F) {
	for _, s := range []string{
		`x = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\x4a\x2c"`,
		`b'PK\x03\x04\n\x00' b"\x00\\'"` + "\n",
		"{0x1f, 0x8b,\n  0x08, 0x00, 0x1fff}",
		"31, -117, 8, 0, -129, 256",
		"0x1F8B0800ABCDEF",
		"new byte[] {0x1f, (byte) 0x8b, 0x08, (byte)0xff, (byte) 0x100, (byte) }",
		"byteArrayOf(0x1f, 0x8b.toByte(), 0x8Bu.toByte(), 0x08u, 0xffu.toUByte(), 0x1.toByt",
		`"\x1f\x8b" + "\x08\u00ff\377\0\` + "\n" + `x"`,
		"1f8b0800000000000203abcdef0123456789abcdef0123\n  1f8b0800000000000203abcdef0123456789abcdef0123\r\nabc\n",
		"1F8B08000000000002030A0B0C0D0E0F101112131415\n1F8B08000000000002030A0B0C0D0E0F101112131415\nadd more\n",
	} {
		f.Add([]byte(s), uint16(0), uint16(64))
	}
	f.Fuzz(func(t *testing.T, d []byte, at, limit uint16) {
		if len(d) == 0 {
			return
		}
		a := int(at) % len(d)
		out, end, _ := decodeByteLit(d, a, nil, int64(limit))
		if end < a || end > len(d) {
			t.Fatalf("end %d outside [%d, %d]", end, a, len(d))
		}
		if int64(len(out)) > int64(limit)+1 || len(out) > end-a+1 {
			t.Fatalf("%d bytes from %d characters, limit %d", len(out), end-a, limit)
		}
		for _, pat := range []string{`\x00\xff`, `\x02\x03`} {
			if s := byteLitStart(d, pat, a); s > a || s < -1 || s >= 0 && !bytes.HasPrefix(d[s:], []byte(`\x1f\x8b`)) {
				t.Fatalf("start %d for %d", s, a)
			}
		}
	})
}
