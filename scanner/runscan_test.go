package scanner

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestDecodersReadRunsAsBytes: the word-at-a-time readers of the decoders
// (classRunEnd, b64RunEnd, hexRunEnd, classRunStart, hexPairs through hexDecodeLines, in upper
// and lower case,
// mostlyText) give what reading byte by byte gives, on runs of every
// length and lines of hex split at every parity.
func TestDecodersReadRunsAsBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const alpha = "0123456789abcdefABCDEF+/=ghxyzGZ*,-.:;@[`{ \n\t\r\x00\x01\x7f\x80\xff\xab\xaf"
	for range 3000 {
		d := make([]byte, r.IntN(300))
		for i := range d {
			if r.IntN(4) == 0 {
				d[i] = alpha[r.IntN(len(alpha))]
			} else {
				d[i] = alpha[r.IntN(16)]
			}
		}
		for _, stop := range []*[256]uint8{&notSecret, &notHex} {
			for i := 0; i <= len(d); i++ {
				e := i
				for e < len(d) && stop[d[e]] == 0 {
					e++
				}
				s := i
				for s > 0 && stop[d[s-1]] == 0 {
					s--
				}
				if got := classRunEnd(d, i, stop); got != e {
					t.Fatalf("classRunEnd(%q, %d) = %d, want %d", d, i, got, e)
				}
				if got := b64RunEnd(d, i); stop == &notSecret && got != e {
					t.Fatalf("b64RunEnd(%q, %d) = %d, want %d", d, i, got, e)
				}
				if got := hexRunEnd(d, i); stop == &notHex && got != e {
					t.Fatalf("hexRunEnd(%q, %d) = %d, want %d", d, i, got, e)
				}
				if got := classRunStart(d, i, stop); got != s {
					t.Fatalf("classRunStart(%q, %d) = %d, want %d", d, i, got, s)
				}
			}
		}
		if r.IntN(2) == 0 { // any byte, text mostly
			for i := range d {
				if d[i] = byte(r.IntN(256)); r.IntN(8) != 0 {
					d[i] |= 0x20
				}
			}
		}
		bad := 0
		for _, c := range d {
			if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f {
				bad++
			}
		}
		if want := len(d) > 0 && bad*20 < len(d); mostlyText(d) != want {
			t.Fatalf("mostlyText(%q) = %v, want %v", d, !want, want)
		}
	}
	// Hex lines of one width (xxd -p), the run read from digit off.
	for range 2000 {
		width := 2 * (16 + r.IntN(24))
		var text strings.Builder
		lines := 1 + r.IntN(6)
		for l := range lines {
			n := width
			if l == lines-1 {
				n = 1 + r.IntN(width)
			}
			for range n {
				text.WriteByte("0123456789abcdefABCDEF"[r.IntN(22)])
			}
			text.WriteString("\n" + strings.Repeat(" ", r.IntN(3)))
		}
		d := []byte(text.String())
		segs, e := hexLines(d, 0, false, nil)
		digits := bytes.Map(func(c rune) rune {
			if isHex(byte(c)) {
				return c
			}
			return -1
		}, d[:e])
		for off := range 2 {
			n := (len(digits) - off) / 2
			want := make([]byte, n)
			for i := range want {
				want[i] = byte(hexDigit[digits[off+2*i]])<<4 | byte(hexDigit[digits[off+2*i+1]])
			}
			got := make([]byte, n)
			if !hexDecodeLines(d, segs, e, off, got) || !bytes.Equal(got, want) {
				t.Fatalf("hexDecodeLines(%q, off %d) = %x, want %x", d, off, got, want)
			}
			if n > 0 && !hexDecodeLines(d, segs, e, off, got[:n-1]) {
				t.Fatalf("hexDecodeLines(%q, off %d) of fewer bytes fails", d, off)
			}
		}
	}
}

// TestDecodeB64AsEncoding: decodeB64 and a span's decoding line by line
// give what encoding/base64 gives for the span's characters joined, on
// runs of every length and lines wrapped at every width b64Span joins.
func TestDecodeB64AsEncoding(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for range 3000 {
		chars := make([]byte, 24+r.IntN(12000)) // past a spanReader's chunk
		for i := range chars {
			chars[i] = alphabet[r.IntN(64)]
		}
		joined := chars
		if len(joined)%4 == 1 {
			joined = joined[:len(joined)-1]
		}
		want, err := base64.RawStdEncoding.DecodeString(string(joined))
		if err != nil {
			t.Fatal(err)
		}
		dst := make([]byte, len(want))
		if n := decodeB64(dst, joined); n != len(want) || !bytes.Equal(dst, want) {
			t.Fatalf("decodeB64(%s) = %x, want %x", joined, dst[:n], want)
		}
		width := 4 * (15 + r.IntN(10))
		if r.IntN(3) == 0 {
			width = len(chars) // one line, read in chunks
		}
		var text bytes.Buffer
		for i := 0; i < len(chars); i += width {
			text.Write(chars[i:min(len(chars), i+width)])
			text.WriteString("\n" + strings.Repeat(" ", r.IntN(2)))
		}
		d := text.Bytes()
		sp := b64Span(d, r.IntN(min(width, len(chars))), nil) // on a full line
		if sp.n != len(chars) {
			t.Fatalf("b64Span of %q: %d characters, want %d", d, sp.n, len(chars))
		}
		if got := sp.decode(d, nil); !bytes.Equal(got, want) {
			t.Fatalf("span of %q decodes to %x, want %x", d, got, want)
		}
		if h := sp.head(d, new([18]byte)); !bytes.Equal(h, want[:18]) {
			t.Fatalf("span of %q: head %x, want %x", d, h, want[:18])
		}
		// Read as gzip reads it: bytes and chunks of every size.
		sr := newSpanReader(d, sp, make([]byte, spanChunk/4*3))
		var got []byte
		for {
			if r.IntN(2) == 0 {
				c, err := sr.ReadByte()
				if err != nil {
					break
				}
				got = append(got, c)
				continue
			}
			p := make([]byte, 1+r.IntN(100))
			n, err := sr.Read(p)
			if err != nil {
				break
			}
			got = append(got, p[:n]...)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("span of %q reads %x, want %x", d, got, want)
		}
	}
}
