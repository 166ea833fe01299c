package scanner

import (
	"math/rand/v2"
	"testing"
)

// TestNibbleTables: for every byte, the nibble tables of each class the
// kernels read say what the class's own table says.
func TestNibbleTables(t *testing.T) {
	for _, c := range []struct {
		name string
		t    *[64]byte
		in   func(byte) bool
	}{
		{"hex", &hexNibbles, func(c byte) bool { return notHex[c] == 0 }},
		{"base64", &b64Nibbles, func(c byte) bool { return notSecret[c] == 0 }},
		{"control", &controlNibbles, func(c byte) bool { return controlByte[c] != 0 }},
	} {
		for b := range 256 {
			got := b < 0x80 && c.t[b&15]&c.t[32+b>>4] != 0 && c.t[16+b&15]&c.t[48+b>>4] != 0
			if got != c.in(byte(b)) {
				t.Errorf("%s: byte %#x: tables say %v", c.name, b, got)
			}
		}
	}
}

// Byte-by-byte readers of the runs and of mostlyText's count, the
// definitions the kernels and SWAR loops must agree with.
func plainRunEnd(d []byte, i int, stop *[256]uint8) int {
	for i < len(d) && stop[d[i]] == 0 {
		i++
	}
	return i
}

func plainRunStart(d []byte, i int, stop *[256]uint8) int {
	for i > 0 && stop[d[i-1]] == 0 {
		i--
	}
	return i
}

func plainMostlyText(b []byte) bool {
	bad := 0
	for _, c := range b {
		bad += int(controlByte[c])
	}
	return len(b) > 0 && bad*20 < len(b)
}

// checkRunReaders compares hexRunEnd, b64RunEnd, b64RunStart (the run
// that ends at a start) and mostlyText with the byte-by-byte readers on d
// from every start in starts.
func checkRunReaders(t *testing.T, d []byte, starts []int) {
	t.Helper()
	for _, i := range starts {
		if i < 0 || i > len(d) {
			continue
		}
		if got, want := hexRunEnd(d, i), plainRunEnd(d, i, &notHex); got != want {
			t.Fatalf("hexRunEnd(%q, %d) = %d, want %d", d, i, got, want)
		}
		if got, want := b64RunEnd(d, i), plainRunEnd(d, i, &notSecret); got != want {
			t.Fatalf("b64RunEnd(%q, %d) = %d, want %d", d, i, got, want)
		}
		if got, want := b64RunStart(d, i), plainRunStart(d, i, &notSecret); got != want {
			t.Fatalf("b64RunStart(%q, %d) = %d, want %d", d, i, got, want)
		}
		if got, want := mostlyText(d[i:]), plainMostlyText(d[i:]); got != want {
			t.Fatalf("mostlyText(%q) = %v, want %v", d[i:], got, want)
		}
	}
}

// TestRunKernels: the run readers and mostlyText give what reading byte
// by byte gives, with and without the AVX2 kernel, on runs of hex and
// base64 of every length up to a few hundred bytes ended by every byte
// value at every offset (each side of the kernel's 32-byte blocks and of
// the words before it), and on text with control bytes around the
// threshold of one in twenty, in blocks of mostlyTextBlock.
func TestRunKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 16))
	const hexDigits = "0123456789abcdefABCDEF"
	const b64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for _, kernel := range []bool{false, true} {
		if kernel && !haveRunKernel {
			t.Log("no AVX2: the kernel is not tested")
			continue
		}
		saved := haveRunKernel
		setRunKernel(kernel)
		for _, alpha := range []string{hexDigits, b64Chars} {
			for n := 0; n < 300; n++ {
				d := make([]byte, n+40)
				for i := range d {
					d[i] = alpha[r.IntN(len(alpha))]
				}
				for range 4 {
					d[n] = byte(r.IntN(256)) // may be in the class: the run goes on
					checkRunReaders(t, d, []int{0, 1, 3, 7, 8, 9, r.IntN(len(d) + 1), n, n + 1, len(d), len(d) - 1})
				}
			}
		}
		for n := 40; n < 200; n++ { // every byte value ending the run at n
			d := make([]byte, n+70)
			for i := range d {
				d[i] = b64Chars[r.IntN(len(b64Chars))]
			}
			for c := range 256 {
				d[n] = byte(c)
				checkRunReaders(t, d, []int{0, 5, n + 1 + r.IntN(69), len(d)})
			}
		}
		for _, size := range []int{63, 64, 100, mostlyTextBlock - 1, mostlyTextBlock + 33, 3*mostlyTextBlock + 7} {
			for _, per := range []int{18, 19, 20, 21, 22} { // a control byte every per bytes, about
				d := make([]byte, size)
				for i := range d {
					d[i] = byte(0x20 + r.IntN(0x5f))
					if r.IntN(per) == 0 {
						d[i] = []byte{0, 1, 8, 0x0b, 0x1f, 0x7f}[r.IntN(6)]
					}
				}
				checkRunReaders(t, d, []int{0, 1, size / 2})
			}
		}
		setRunKernel(saved)
	}
}

// FuzzRunKernels: on any bytes, the run readers and mostlyText give what
// reading byte by byte gives, and the hex digits and base64 characters
// among them decode as a pair or a group at a time decodes them.
func FuzzRunKernels(f *testing.F) {
	f.Add([]byte("414b4941414b4941414b4941414b4941414b4941414b4941414b4941414b4941414b4941zz"), 0)
	f.Add([]byte("QUtJQUtJQUtJQUtJQUtJQUtJQUtJQUtJQUtJQUtJQUtJQUtJQUtJQUtJQUtJQUtJQUtJQUtJ\n"), 2)
	f.Fuzz(func(t *testing.T, d []byte, i int) {
		checkRunReaders(t, d, []int{0, i})
		var digits, chars []byte
		for _, c := range d {
			if notHex[c] == 0 {
				digits = append(digits, c)
			}
			if b64Value[c] != 0 || c == 'A' {
				chars = append(chars, c)
			}
		}
		got, want := make([]byte, len(digits)/2), make([]byte, len(digits)/2)
		hexPairs(got, digits)
		plainHexPairs(want, digits)
		if string(got) != string(want) {
			t.Fatalf("hexPairs(%q) = %x, want %x", digits, got, want)
		}
		dst := make([]byte, len(chars))
		if k, want := decodeB64(dst, chars), plainDecodeB64(chars); string(dst[:k]) != string(want) {
			t.Fatalf("decodeB64(%q) = %x, want %x", chars, dst[:k], want)
		}
	})
}

// plainHexPairs decodes hex digits a pair at a time.
func plainHexPairs(dst, src []byte) {
	for i := range dst {
		dst[i] = byte(hexDigit[src[2*i]])<<4 | byte(hexDigit[src[2*i+1]])
	}
}

// TestHexPairsKernel: hexPairs, with and without the kernel, decodes
// digits of both cases as a pair at a time does, for every length up to
// a few hundred bytes and at every alignment of the source.
func TestHexPairsKernel(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 17))
	const digits = "0123456789abcdefABCDEF"
	saved := haveRunKernel
	defer setRunKernel(saved)
	for _, kernel := range []bool{false, true} {
		setRunKernel(kernel)
		for n := 0; n < 300; n++ {
			for off := range 3 {
				src := make([]byte, off+2*n)
				for i := range src {
					src[i] = digits[r.IntN(len(digits))]
				}
				got, want := make([]byte, n), make([]byte, n)
				hexPairs(got, src[off:])
				plainHexPairs(want, src[off:])
				if string(got) != string(want) {
					t.Fatalf("kernel %v: hexPairs(%q) = %x, want %x", kernel, src[off:], got, want)
				}
			}
		}
	}
}

// TestDecodeB64Kernel: decodeB64, with and without the kernel, decodes
// characters of both alphabets (and both mixed) as a group at a time
// does, for every length up to a few hundred characters, into a
// destination of just the room the decoded bytes need, and writes
// nothing past that room.
func TestDecodeB64Kernel(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 18))
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	const url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	saved := haveRunKernel
	defer setRunKernel(saved)
	for _, kernel := range []bool{false, true} {
		setRunKernel(kernel)
		for _, alpha := range []string{std, url, std + "-_"} {
			for n := 0; n < 400; n++ {
				b := make([]byte, n)
				for i := range b {
					b[i] = alpha[r.IntN(len(alpha))]
				}
				want := plainDecodeB64(b)
				for _, spare := range []int{0, 8} { // some callers leave 8 to spare
					room := len(want) + spare
					dst := make([]byte, room+16)
					for i := range dst {
						dst[i] = 0xa5
					}
					k := decodeB64(dst[:room], b)
					if string(dst[:k]) != string(want) {
						t.Fatalf("kernel %v: decodeB64(%q) = %x, want %x", kernel, b, dst[:k], want)
					}
					for i := room; i < len(dst); i++ {
						if dst[i] != 0xa5 {
							t.Fatalf("kernel %v: decodeB64(%q) wrote past its room at %d", kernel, b, i)
						}
					}
				}
			}
		}
	}
}

// plainDecodeB64 decodes base64 characters a group at a time.
func plainDecodeB64(b []byte) []byte {
	var out []byte
	for i := 0; i+1 < len(b); i += 4 {
		var v uint32
		n := min(4, len(b)-i)
		for j := range 4 {
			v <<= 6
			if j < n {
				v |= uint32(b64Value[b[i+j]])
			}
		}
		out = append(out, byte(v>>16), byte(v>>8), byte(v))[:len(out)+n-1]
	}
	return out
}

// plainFirstHigh is firstHighByte byte by byte.
func plainFirstHigh(b []byte) int {
	for i, c := range b {
		if c >= 0x80 {
			return i
		}
	}
	return -1
}

// TestHighAndBackspaceKernels: firstHighByte and overstrikeFile, with and
// without the AVX2 kernels (highRun, backspaceRun), answer as reading byte
// by byte does, on text of every length up to a few hundred bytes with a
// high byte, a backspace, a "^H" (or a caret and an H apart) planted at
// every offset, each side of the kernels' 32- and 128-byte blocks and of
// the text's end.
func TestHighAndBackspaceKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 19))
	saved := haveRunKernel
	defer setRunKernel(saved)
	const text = "abcdefghij ABCDEFG_xyz\n0123456789()"
	plants := []string{"\x80", "\xff", "\b", "a\ba", "_\bx", "^H", "^", "H", "a^Ha", "a\bab\bb", "_\bx_\by", "a^Haa^Ha", "^\bH"}
	overstruck := 0
	for n := 0; n < 300; n++ {
		base := make([]byte, n)
		for i := range base {
			base[i] = text[r.IntN(len(text))]
		}
		for _, p := range plants {
			for at := 0; at+len(p) <= n; at++ {
				d := append([]byte(nil), base...)
				copy(d[at:], p)
				var answers [2]struct {
					high int
					bs   string
					ok   bool
				}
				for k, kernel := range []bool{false, true} {
					setRunKernel(kernel)
					answers[k].high = firstHighByte(d)
					answers[k].bs, answers[k].ok = overstrikeFile(d)
				}
				if want := plainFirstHigh(d); answers[0].high != want || answers[1].high != want {
					t.Fatalf("firstHighByte(%q) = %d (loop), %d (kernel), want %d", d, answers[0].high, answers[1].high, want)
				}
				if answers[0] != answers[1] {
					t.Fatalf("overstrikeFile(%q): %q %v without the kernel, %q %v with it", d, answers[0].bs, answers[0].ok, answers[1].bs, answers[1].ok)
				}
				if answers[0].ok {
					overstruck++
				}
			}
		}
	}
	if overstruck == 0 {
		t.Error("no text planted was overstruck")
	}
}
