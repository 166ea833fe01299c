package scanner

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// pyCallSeedsBySearch is what fileSeeds did before pyCallSeeds: a search
// of the whole file for each name.
func pyCallSeedsBySearch(d []byte) pyCalls {
	var c pyCalls
	for _, call := range []string{"b64decode(", "decodebytes(", "decodestring(", "a2b_base64("} {
		for i := 0; ; {
			k := bytes.Index(d[i:], []byte(call))
			if k < 0 {
				break
			}
			i += k + len(call)
			c.b64 = append(c.b64, i)
		}
	}
	for i := 0; ; {
		k := bytes.Index(d[i:], []byte("32"))
		if k < 0 {
			break
		}
		at := i + k
		i = at + 2
		if at == 0 || d[at-1] != 'b' {
			continue
		}
		switch t := d[at+2:]; {
		case bytes.HasPrefix(t, []byte("decode(")):
			c.b32 = append(c.b32, (at+9)<<1|int(b32Std))
		case bytes.HasPrefix(t, []byte("hexdecode(")):
			c.b32 = append(c.b32, (at+12)<<1|int(b32Hex))
		}
	}
	for i := 0; ; {
		k := bytes.Index(d[i:], []byte("85decode("))
		if k < 0 {
			break
		}
		if at := i + k - 1; at >= 0 && (d[at] == 'a' || d[at] == 'b') {
			c.b85 = append(c.b85, at)
		}
		i += k + 9
	}
	for i := 0; ; {
		k := bytes.Index(d[i:], []byte("decompress("))
		if k < 0 {
			break
		}
		c.inflates = append(c.inflates, i+k)
		i += k + 11
	}
	return c
}

// TestPyCallSeedsAsSearches: the one pass finds the calls the searches
// found, in the same order, over texts made of the names, pieces of them
// and parentheses, at every place (the file's start included).
func TestPyCallSeedsAsSearches(t *testing.T) {
	pieces := []string{"b64decode(", "urlsafe_b64decode(", "decodebytes(", "decodestring(", "a2b_base64(", "a85decode(", "b85decode(",
		"85decode(", "c85decode(", "b32decode(", "b32hexdecode(", "32decode(", "x32hexdecode(", "decompress(", "zlib.decompress(",
		"(", "((", "decode", "b64", "32", "85", "s(", "g(", "e(", "4(", " ", "\n", "x", "b", "a"}
	r := rand.New(rand.NewPCG(19, 6))
	for round := range 20000 {
		var b []byte
		for range r.IntN(12) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		var got pyCalls
		pyCallSeeds(b, &got)
		want := pyCallSeedsBySearch(b)
		if !slices.Equal(got.b64, want.b64) || !slices.Equal(got.b85, want.b85) || !slices.Equal(got.b32, want.b32) || !slices.Equal(got.inflates, want.inflates) {
			t.Fatalf("round %d, %q:\n got %+v\nwant %+v", round, b, got, want)
		}
	}
}
