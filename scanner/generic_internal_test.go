package scanner

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestNextKeyWordAsIndexByte: nextKeyWord finds the words "key" that
// IndexByte's search for each k finds, in texts where k's are rare, dense
// (a K every four bytes, where it reads eight bytes at a time) or both,
// words near the ends and across its stretches' bounds among them.
func TestNextKeyWordAsIndexByte(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	units := []string{"AKIA", "key", "KEY", "kEy", "Key", "ke", "k", "K", "y", "e", "x", " = ", "\n", "KKKK", "kkkk", "keY"}
	for n := range 3000 {
		var b bytes.Buffer
		size := r.IntN(64)
		if n%10 == 0 {
			size = r.IntN(3 * keyDenseBytes)
		}
		for b.Len() < size {
			u := units[r.IntN(len(units))]
			if r.IntN(4) > 0 && n%2 == 0 {
				u = "AKIA" // dense
			}
			b.WriteString(u)
		}
		d := b.Bytes()
		for _, k := range []byte{'k', 'K'} {
			var want, got []int
			for at := 0; ; {
				j := bytes.IndexByte(d[at:], k)
				if j < 0 {
					break
				}
				at += j + 1
				if y := at + 1; y < len(d) && d[at]|0x20 == 'e' && d[y]|0x20 == 'y' {
					want = append(want, at-1)
				}
			}
			for p := 0; ; p++ {
				if p = nextKeyWord(d, p, k); p < 0 {
					break
				}
				got = append(got, p)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%q in %q: nextKeyWord finds %v, IndexByte %v", k, d, got, want)
			}
		}
	}
}
