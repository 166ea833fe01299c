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
	mode := dumpAlways
	if skip {
		mode = dumpAsked
	}
	return dumpBlocksBy(d, first, blocks, nil, mode)
}

// The ways dumpBlocksBy decides to run oncePerDumpLine after a block.
const (
	dumpAlways  = iota // after every block (before worst28)
	dumpAsked          // where dumpLineShared says a finding chains (worst28)
	dumpIndexed        // where dumpIndex says so (worst29)
)

// dumpBlocksBy is dumpBlocks deciding by mode, with findings added
// before each block that are not asked of (between[i] before blocks[i],
// as a binary member's are, embed). It returns the findings kept and
// the blocks after which the pass ran.
func dumpBlocksBy(d []byte, first []Finding, blocks, between [][]Finding, mode int) []Finding {
	m := &match{data: d, out: slices.Clone(first)}
	deduped := false
	var index dumpIndex
	for i, b := range blocks {
		if i < len(between) {
			m.out = append(m.out, between[i]...)
		}
		before := len(m.out)
		if deduped {
			index.skip(m.out)
		}
		m.out = append(m.out, b...)
		var shared bool
		switch mode {
		case dumpAlways:
			shared = true
		case dumpAsked:
			shared = deduped && m.dumpLineShared(before)
		case dumpIndexed:
			shared = deduped && index.add(m.out)
		}
		if !deduped || shared {
			m.oncePerDumpLine()
			deduped = true
			index.reset(d, m.out)
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

// TestDumpIndexSame: dumpIndex's answer after each block is
// dumpLineShared's, so the findings kept are the same, on random texts
// and findings, with findings added between blocks that are not asked of
// (which may chain with those before).
func TestDumpIndexSame(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 16))
	for range 20000 {
		checkDumpIndex(t, r)
	}
}

// checkDumpIndex compares dumpIndex's decisions with dumpLineShared's on
// one random text.
func checkDumpIndex(t *testing.T, r *rand.Rand) {
	d, first, blocks := randomDumpFindings(r)
	var between [][]Finding
	if r.IntN(2) == 0 {
		_, _, between = randomDumpFindings(r)
		for i, b := range between {
			for j := range b { // on d
				b[j].Offset, b[j].EndOffset = min(b[j].Offset, len(d)-1), min(b[j].EndOffset, len(d))
			}
			between[i] = b[:r.IntN(len(b)+1)]
		}
	}
	want := dumpBlocksBy(d, first, blocks, between, dumpAsked)
	if got := dumpBlocksBy(d, first, blocks, between, dumpIndexed); !reflect.DeepEqual(got, want) {
		t.Fatalf("text %q, findings %v then %v, between %v: kept %v, want %v", d, first, blocks, between, got, want)
	}
	if len(between) == 0 && r.IntN(8) == 0 {
		if got := dumpBlocksBy(d, first, blocks, nil, dumpAlways); !reflect.DeepEqual(got, want) {
			t.Fatalf("text %q, findings %v then %v: kept %v, after every block %v", d, first, blocks, want, got)
		}
	}
}

// FuzzDumpIndex is TestDumpIndexSame from fuzzed seeds.
func FuzzDumpIndex(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(29), uint64(16))
	f.Fuzz(func(t *testing.T, a, b uint64) { checkDumpIndex(t, rand.New(rand.NewPCG(a, b))) })
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

// dumpLineShared reports whether a finding from m.out[n:] shares its
// lines with another of its rule and value, as oncePerDumpLine chains
// them (either way round): what decodeSpacedHex asked after each block
// from worst28 to worst29, every finding of the block against every
// finding before it; now dumpIndex answers it, and is tested against it.
func (m *match) dumpLineShared(n int) bool {
	out, d := m.out, m.data
	// a before b in the pass's order (by offset; equal offsets asked
	// both ways)
	chains := func(a, b *Finding) bool {
		return a.Offset <= b.Offset && !lineAfter(d, b.Offset, nextNewline(d, max(0, a.EndOffset-1)), 1<<16)
	}
	for i := n; i < len(out); i++ {
		f := &out[i]
		for j := range out {
			g := &out[j]
			if j != i && g.Rule == f.Rule && g.Secret == f.Secret && (chains(f, g) || chains(g, f)) {
				return true
			}
		}
	}
	return false
}
