package scanner

// The Teddy tables of a pattern set (buildTeddy) take ~7.5 M instructions to
// build (clustering ~130 fingerprints), a third of the start-up of every
// keyscan process before this file: the pre-commit hook (keyscan staged) of a
// one-file commit paid them as much as a scan of a large tree. They depend
// only on the patterns, lateJoins and clusterMoves (and the code of
// buildTeddy), so the tables of the pattern sets the program builds are
// saved in prefilter_saved_tables.go, keyed by a hash of those inputs.
// TestTeddySaved checks that every saved table is what buildTeddy builds now
// (run it with -update to write the file again after a change to the
// patterns or to buildTeddy); a pattern set whose key is not saved, or that
// changed since, is built at run time as before, so a stale file makes a
// start slower, never the prefilter different.

// savedTeddy is the tables buildTeddy built of a pattern set whose
// teddyKey is key.
type savedTeddy struct {
	key    uint64
	tables teddyTables
}

// teddyFor returns buildTeddy(pats), from savedTeddies when pats were saved.
func teddyFor(pats []pattern) (teddyTables, bool) {
	k := teddyKey(pats)
	for _, s := range savedTeddies {
		if s.key == k {
			return s.tables, true
		}
	}
	return buildTeddy(pats)
}

// teddyKey hashes (FNV-1a, 64 bits) what buildTeddy's result depends on
// besides its code: every pattern (text, window, kind) in order, and the
// entries of lateJoins and clusterMoves (summed, as a map has no order).
func teddyKey(pats []pattern) uint64 {
	h := fnv64(fnvOffset, "patterns")
	for _, p := range pats {
		h = fnv64(h, p.text)
		h = fnvByte(fnvByte(h, byte(p.w)), byte(p.kind))
	}
	for _, m := range []map[string]string{lateJoins, clusterMoves} {
		var sum uint64
		for k, v := range m {
			sum += fnv64(fnv64(fnvOffset, k), v)
		}
		h = fnvByte(h^sum, byte(len(m)))
	}
	return h
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnv64 adds the bytes of s and their count to the FNV-1a hash h.
func fnv64(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = fnvByte(h, s[i])
	}
	return fnvByte(h, byte(len(s)))
}

func fnvByte(h uint64, b byte) uint64 { return (h ^ uint64(b)) * fnvPrime }
