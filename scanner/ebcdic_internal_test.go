package scanner

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// fromEBCDICByteAtATime is fromEBCDIC as first written, a byte at a time
// with the run's state: the reference its table and inner loop must
// answer as.
func fromEBCDICByteAtATime(data []byte) []byte {
	out := make([]byte, len(data))
	dbcs := -1
	for i, c := range data {
		a := ebcdicToASCII[c]
		if dbcs >= 0 && (i-dbcs > ebcdicDBCS || a == '\n' || a == '\r') {
			dbcs = -1
		}
		switch {
		case c == 0x0E:
			dbcs, out[i] = i, 0x1A
		case c == 0x0F:
			dbcs, out[i] = -1, 0x1A
		case dbcs >= 0 || a == 0:
			out[i] = 0x1A
		default:
			out[i] = a
		}
	}
	return out
}

// TestFromEBCDICAsByteAtATime: random records of shift-outs, shift-ins,
// line ends, letters and bytes of no character transcode as the byte at a
// time reading does (runs cut by a line end, by ebcdicDBCS, restarted by
// a shift-out inside one).
func TestFromEBCDICAsByteAtATime(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alpha := []byte{0x0E, 0x0F, 0x15, 0x25, 0x0D, 0x3D, 0xC1, 0x81, 0x40, 0xF1, 0x00, 0xFF}
	for range 5000 {
		d := make([]byte, r.IntN(2000))
		for i := range d {
			if r.IntN(3) == 0 {
				d[i] = byte(r.IntN(256))
			} else {
				d[i] = alpha[r.IntN(len(alpha))]
			}
		}
		if r.IntN(2) == 0 { // no line end: runs end at ebcdicDBCS
			for i := range d {
				if a := ebcdicToASCII[d[i]]; a == '\n' || a == '\r' {
					d[i] = 0xC1
				}
			}
		}
		if got, want := fromEBCDIC(d), fromEBCDICByteAtATime(d); !bytes.Equal(got, want) {
			t.Fatalf("fromEBCDIC(%x) = %x, want %x", d, got, want)
		}
	}
}

// TestEBCDICBelow: ebcdicBelow finds EBCDIC text at the first line that
// starts it below ASCII lines, and none in ASCII, UTF-8 or Latin-1 text,
// or past ebcdicBelowReach.
func TestEBCDICBelow(t *testing.T) {
	ebc := func(s string) []byte { // letters, digits, blanks and '=' only
		out := make([]byte, len(s))
		for i := 0; i < len(s); i++ {
			for c := 0; c < 256; c++ {
				if ebcdicToASCII[c] == s[i] {
					out[i] = byte(c)
					break
				}
			}
		}
		return out
	}
	body := ebc("KEEP THIS MEMBER PRIVATE TO OPERATIONS\nAWS REGION = EU WEST 1\n")
	for _, head := range []string{"Subject: x\r\n\r\n", "banner line\n", "# caf\xe9\nbanner\n", "# Größe\n"} {
		data := append([]byte(head), body...)
		if got := ebcdicBelow(data); got != len(head) {
			t.Errorf("%q: ebcdicBelow = %d, want %d", head, got, len(head))
		}
	}
	for _, text := range []string{"plain ascii text\nof two lines\n", "# Größe Übergröße ÄÖÜ äöü ß\nkey = value\n",
		"# 对象存储的访问密钥配置文件请勿提交到仓库中谢谢合作对象存储的访问密钥配置文件\n", "# caf\xe9 cr\xe8me br\xfbl\xe9e d\xe9j\xe0 vu na\xefve\n",
		"# Настройки доступа к хранилищу объектов, ключи сервиса\n"} {
		if got := ebcdicBelow([]byte(text + text)); got >= 0 {
			t.Errorf("%q: ebcdicBelow = %d, want -1", text, got)
		}
	}
	far := append(bytes.Repeat([]byte("ascii line of text\n"), ebcdicBelowReach/19+1), body...)
	if got := ebcdicBelow(far); got >= 0 {
		t.Errorf("past the reach: ebcdicBelow = %d, want -1", got)
	}
}

// TestFirstHighByteAsBytes: firstHighByte, which reads 32 bytes a step,
// finds the first byte of 0x80 or above as a byte-by-byte search does, at
// every place of inputs up to 200 bytes long, and in inputs with none.
func TestFirstHighByteAsBytes(t *testing.T) {
	byByte := func(b []byte) int {
		for i, c := range b {
			if c >= 0x80 {
				return i
			}
		}
		return -1
	}
	for n := range 200 {
		b := bytes.Repeat([]byte("a\n"), n)[:n]
		if got := firstHighByte(b); got != -1 {
			t.Fatalf("%d ASCII bytes: %d, want -1", n, got)
		}
		for p := range n {
			for _, c := range []byte{0x80, 0xc1, 0xff} {
				d := bytes.Clone(b)
				d[p] = c
				if p+3 < n {
					d[p+3] = 0x85 // a second one after: the first counts
				}
				if got, want := firstHighByte(d), byByte(d); got != want {
					t.Fatalf("%q: firstHighByte %d, byte by byte %d", d, got, want)
				}
			}
		}
	}
}
