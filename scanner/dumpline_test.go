package scanner

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// dumpBlocks runs oncePerDumpLine after each block of findings, as
// decodeSpacedHex did before worst28 (always) and does now (skip: only
// where dumpLineShared finds a finding of the block sharing its lines with
// another of its value), and returns the findings kept.
func dumpBlocks(d []byte, first []Finding, blocks [][]Finding, skip bool) []Finding {
	m := &match{data: d, out: slices.Clone(first)}
	deduped := false
	for _, b := range blocks {
		before := len(m.out)
		m.out = append(m.out, b...)
		if !skip || !deduped || m.dumpLineShared(before) {
			m.oncePerDumpLine()
			deduped = true
		}
	}
	return m.out
}

// randomDumpFindings makes text of short lines and blocks of findings of
// few rules and values on it, each block after the last (as
// decodeSpacedHex's blocks are) or anywhere, of the dump's encoding or
// another.
func randomDumpFindings(r *rand.Rand) ([]byte, []Finding, [][]Finding) {
	d := make([]byte, 2+r.IntN(600))
	for i := range d {
		d[i] = 'a'
		if r.IntN(1+r.IntN(30)) == 0 {
			d[i] = '\n'
		}
	}
	// A finding holds a byte at least (a key's are 16 and more): an
	// empty one on a line's first byte would end on the line above it,
	// and the pass's order among findings at one offset (an unstable
	// sort) would decide whether it chains.
	find := func(lo int) Finding {
		off := lo + r.IntN(len(d)-lo)
		off = min(off, len(d)-1)
		enc := "hexdump"
		if r.IntN(3) == 0 {
			enc = ""
		}
		return Finding{Rule: []string{"id", "secret"}[r.IntN(2)], Secret: []string{"k1", "k2", "k3"}[r.IntN(1+r.IntN(3))],
			Offset: off, EndOffset: off + 1 + r.IntN(min(80, len(d)-off)), Encoding: enc}
	}
	var first []Finding
	for range r.IntN(6) {
		first = append(first, find(0))
	}
	var blocks [][]Finding
	lo := 0
	for range r.IntN(12) {
		var b []Finding
		for range r.IntN(5) {
			if r.IntN(4) == 0 {
				b = append(b, find(0))
			} else {
				b = append(b, find(min(lo, len(d)-1)))
			}
		}
		blocks = append(blocks, b)
		lo += r.IntN(60)
	}
	return d, first, blocks
}

// TestDumpLineSkipSame: skipping oncePerDumpLine where no finding of a
// block shares its lines with another of its value keeps the findings the
// pass after every block kept, on random texts and findings.
func TestDumpLineSkipSame(t *testing.T) {
	r := rand.New(rand.NewPCG(28, 16))
	for range 20000 {
		d, first, blocks := randomDumpFindings(r)
		want := dumpBlocks(d, first, blocks, false)
		if got := dumpBlocks(d, first, blocks, true); !reflect.DeepEqual(got, want) {
			t.Fatalf("text %q, findings %v then %v: kept %v, want %v", d, first, blocks, got, want)
		}
	}
}

// FuzzDumpLineSkip is TestDumpLineSkipSame from fuzzed seeds.
func FuzzDumpLineSkip(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(28), uint64(16))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		d, first, blocks := randomDumpFindings(rand.New(rand.NewPCG(a, b)))
		want := dumpBlocks(d, first, blocks, false)
		if got := dumpBlocks(d, first, blocks, true); !reflect.DeepEqual(got, want) {
			t.Fatalf("text %q, findings %v then %v: kept %v, want %v", d, first, blocks, got, want)
		}
	})
}
