package scanner

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// oldHasPrintableRun is hasPrintableRun as it stood before it tested
// words first: every byte read in turn.
func oldHasPrintableRun(b []byte, n int) bool {
	var r printableRuns
	return r.read(b, 0, len(b), n)
}

// oldUTF16LEText is utf16LEText as it stood before it turned binary down
// early: every unit counted, then the test.
func oldUTF16LEText(b []byte) ([]byte, int) {
	at := 0
	if len(b) >= 2 && b[0] == 0xff && b[1] == 0xfe {
		at = 2
	}
	n := (len(b) - at) / 2
	if n < 20 {
		return nil, 0
	}
	u := b[at : at+2*n]
	zeros, bad := 0, 0
	for j := 0; j < len(u); j += 2 {
		if u[j+1] == 0 {
			zeros++
			if u[j] < 0x80 {
				bad += int(controlByte[u[j]])
			}
		}
	}
	if zeros*10 < n*9 || bad*20 >= n {
		return nil, 0
	}
	for i := range n {
		lo, hi := u[2*i], u[2*i+1]
		if hi != 0 || lo >= 0x80 {
			lo = '?'
		}
		b[i] = lo
	}
	return b[:n], at
}

// printableTexts are decoded runs as the decoders meet them: random
// binary with printable runs and UTF-16LE runs of lengths near n at both
// alignments placed anywhere (both ends too), ASCII with control bytes
// every few bytes (every word a word of ASCII), UTF-16 text with a few
// wide characters or binary units.
func printableTexts(r *rand.Rand, count int) [][]byte {
	var texts [][]byte
	for range count {
		b := make([]byte, r.IntN(600))
		kind := r.IntN(4)
		for i := range b {
			switch kind {
			case 0:
				b[i] = byte(r.Uint32())
			case 1:
				b[i] = byte(r.IntN(0x80))
			case 2:
				b[i] = " aZ~\x01\t\x7f"[r.IntN(7)]
			default:
				if i%2 == 1 && r.IntN(30) > 0 {
					b[i] = 0
				} else {
					b[i] = byte(0x20 + r.IntN(0x60))
				}
			}
		}
		for range r.IntN(4) {
			k, wide := 14+r.IntN(9), r.IntN(2) == 0
			var run []byte
			for range k {
				c := byte(0x20 + r.IntN(0x5f))
				if wide {
					run = append(run, c, 0)
				} else {
					run = append(run, c)
				}
			}
			if r.IntN(3) == 0 { // another run, a byte of 0x80 or one byte apart
				run = append(run, []byte{0x80, 0x01, 'x'}[r.IntN(3)])
				run = append(run, run[:r.IntN(len(run))]...)
			}
			if len(b) > 0 {
				copy(b[r.IntN(len(b)):], run)
			}
		}
		if r.IntN(5) == 0 {
			b = append([]byte{0xff, 0xfe}, b...)
		}
		texts = append(texts, b)
	}
	return texts
}

// TestHasPrintableRunAsEachByte: hasPrintableRun, reading bytes one by
// one only around words of ASCII, answers as reading every byte did, for
// the lengths the callers ask (20) and others, on texts with runs just
// shorter and just longer than asked, at both alignments, near the ends.
func TestHasPrintableRunAsEachByte(t *testing.T) {
	r := rand.New(rand.NewPCG(26, 5))
	yes := 0
	for _, b := range printableTexts(r, 20000) {
		for _, n := range []int{20, 8, 15, 16, 21} {
			got, want := hasPrintableRun(b, n), oldHasPrintableRun(b, n)
			if got != want {
				t.Fatalf("%q n %d: hasPrintableRun %v, each byte %v", b, n, got, want)
			}
			if got {
				yes++
			}
		}
	}
	if yes < 5000 {
		t.Errorf("only %d texts hold a run: the texts test little", yes)
	}
}

// TestUTF16LETextAsCountingAll: utf16LEText, turning down binary as soon
// as too few zero units are left possible, answers (and rewrites the
// bytes) as counting every unit did.
func TestUTF16LETextAsCountingAll(t *testing.T) {
	r := rand.New(rand.NewPCG(26, 6))
	yes := 0
	for _, b := range printableTexts(r, 20000) {
		b1, b2 := bytes.Clone(b), bytes.Clone(b)
		got, gotAt := utf16LEText(b1)
		want, wantAt := oldUTF16LEText(b2)
		if !bytes.Equal(got, want) || (got == nil) != (want == nil) || gotAt != wantAt || !bytes.Equal(b1, b2) {
			t.Fatalf("%q: utf16LEText %q %d, counting all %q %d", b, got, gotAt, want, wantAt)
		}
		if got != nil {
			yes++
		}
	}
	if yes < 1000 {
		t.Errorf("only %d texts are UTF-16: the texts test little", yes)
	}
}

// FuzzPrintableReaders holds hasPrintableRun and utf16LEText to reading
// every byte.
func FuzzPrintableReaders(f *testing.F) {
	for _, b := range printableTexts(rand.New(rand.NewPCG(26, 7)), 30) {
		f.Add(b, uint8(20))
	}
	f.Fuzz(func(t *testing.T, b []byte, n uint8) {
		if got, want := hasPrintableRun(b, int(n)), oldHasPrintableRun(b, int(n)); got != want {
			t.Fatalf("%q n %d: hasPrintableRun %v, each byte %v", b, n, got, want)
		}
		b1, b2 := bytes.Clone(b), bytes.Clone(b)
		got, gotAt := utf16LEText(b1)
		want, wantAt := oldUTF16LEText(b2)
		if !bytes.Equal(got, want) || (got == nil) != (want == nil) || gotAt != wantAt || !bytes.Equal(b1, b2) {
			t.Fatalf("%q: utf16LEText %q %d, counting all %q %d", b, got, gotAt, want, wantAt)
		}
	})
}
