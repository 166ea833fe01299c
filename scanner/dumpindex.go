package scanner

import "slices"

// dumpIndex answers dumpLineShared for decodeSpacedHex's blocks from an
// index of the findings by rule and value, so that a block costs its own
// findings, not all of the file's: a file of thousands of blocks of the
// same keys' spaced hex (od -An -tx1 of a credentials file, pasted again
// and again) asked every finding of every block against every finding
// before it (2.7 MB per CPU second at 16 MiB).
//
// Finding a chains finding b (oncePerDumpLine) when a.Offset <= b.Offset
// and b starts no later than the line a ends on, at lineEnd(a), the
// newline after a's last byte: b.Offset lies in a's span [a.Offset,
// lineEnd(a)]. Of a set of spans sorted by their start, two chain
// exactly when two next to each other do (one that covers a later start
// covers every start between). After oncePerDumpLine's pass no two
// findings of a rule and value chain (a chain keeps one), nor after a
// block that dumpLineShared let pass: so each value's spans lie apart,
// and a block's findings chain with another exactly when, inserted in
// the order, one of them chains with its neighbour. A finding added
// without that question (a binary member's, embed) may break the order:
// its value's spans are then asked one by one, as dumpLineShared asks.
type dumpIndex struct {
	d      []byte
	n      int // m.out[:n] is indexed
	values map[dumpValue]*dumpSpans
	// the last newline found, and from where: the findings of a block
	// share a few lines, each found once
	nlFrom, nlAt int
}

// dumpValue is a finding's rule and value, which oncePerDumpLine chains.
type dumpValue struct{ rule, secret string }

// dumpSpans are one value's spans, sorted by start; apart is whether no
// two chain.
type dumpSpans struct {
	lo, hi []int
	apart  bool
}

// lineEnd is nextNewline(d, max(0, end-1)): where the line holding a
// finding's last byte ends.
func (x *dumpIndex) lineEnd(end int) int {
	i := max(0, end-1)
	if i >= x.nlFrom && i <= x.nlAt {
		return x.nlAt
	}
	x.nlFrom, x.nlAt = i, nextNewline(x.d, i)
	return x.nlAt
}

// reset indexes the findings out anew (after oncePerDumpLine's pass).
func (x *dumpIndex) reset(d []byte, out []Finding) {
	x.d, x.n, x.nlFrom, x.nlAt = d, 0, 1, 0
	clear(x.values)
	if x.values == nil {
		x.values = map[dumpValue]*dumpSpans{}
	}
	x.skip(out)
}

// add indexes out[x.n:], the findings of a block, and reports whether
// one of them chains with a finding of its value (an indexed one or
// another of them), as dumpLineShared does. When one does, the index is
// left part built: the caller runs oncePerDumpLine and resets it.
func (x *dumpIndex) add(out []Finding) bool {
	for ; x.n < len(out); x.n++ {
		if x.insert(&out[x.n], true) {
			return true
		}
	}
	return false
}

// skip indexes out[x.n:] without the question (what was added between
// blocks, which dumpLineShared never asks of).
func (x *dumpIndex) skip(out []Finding) {
	if len(out) < x.n {
		x.reset(x.d, out) // not only added to: indexed anew
		return
	}
	for ; x.n < len(out); x.n++ {
		x.insert(&out[x.n], false)
	}
}

// insert indexes f's span and reports whether, asked, it chains with
// another of its value's.
func (x *dumpIndex) insert(f *Finding, ask bool) bool {
	k := dumpValue{f.Rule, f.Secret}
	s := x.values[k]
	if s == nil {
		s = &dumpSpans{apart: true}
		x.values[k] = s
	}
	lo, hi := f.Offset, x.lineEnd(f.EndOffset)
	shared := false
	if !s.apart && ask {
		// spans out of the order: each asked, as dumpLineShared asks
		for j := range s.lo {
			if s.lo[j] <= lo && lo <= s.hi[j] || lo <= s.lo[j] && s.lo[j] <= hi {
				shared = true
				break
			}
		}
	}
	// after the spans that start at lo or before: one that starts at lo
	// too chains with it either way round
	j, _ := slices.BinarySearch(s.lo, lo+1)
	if s.apart && (j > 0 && lo <= s.hi[j-1] || j < len(s.lo) && s.lo[j] <= hi) {
		shared, s.apart = ask, false
	}
	s.lo, s.hi = slices.Insert(s.lo, j, lo), slices.Insert(s.hi, j, hi)
	return shared
}
