package main

import "testing"

// TestRawHead: a raw string literal that starts a key ID makes a Go file a
// type-check candidate, as an interpreted one does (qa33 H5: a raw head
// whose rest opened with an escape was folded by go vet, missed by scan).
func TestRawHead(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{
		{"const head = `AKIA`\n", true},
		{"const head = `ASIAQ2TZ`\n", true},
		{"const head = `AKIA-not-a-head`\n", false},
		{"const doc = `ASIAPACIFIC is a region name of twenty-plus`\n", false},
		{"const head = `AKI`\n", false},
		{"const other = `hello`\n", false},
	} {
		if got := readGoBytes([]byte("package p\n\n" + c.src)).candidate; got != c.want {
			t.Errorf("%q: candidate %v, want %v", c.src, got, c.want)
		}
	}
}
