package scanner

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPrefilterFindsEveryOccurrence compares the prefilter with the plain
// search of every pattern at every position, on random mixtures of the
// patterns and their pieces at every alignment and near both ends.
// Both paths: the AVX2 kernel's (where the CPU has one) and the pure-Go loop;
// both pattern sets: the matcher's anchors and lineSign's triggers.
func TestPrefilterFindsEveryOccurrence(t *testing.T) {
	for _, pats := range [][]pattern{patterns, signPatterns} {
		for _, simd := range []bool{false, true} {
			p := buildPrefilter(pats, simd)
			if simd && !p.simd {
				t.Log("no AVX2 kernel here (another GOARCH, the purego tag or a CPU without AVX2): the pure-Go path only")
				continue
			}
			findsEveryOccurrence(t, p)
		}
	}
}

func findsEveryOccurrence(t *testing.T, p *prefilter) {
	patterns := p.pats
	r := rand.New(rand.NewPCG(7, 8))
	type hit struct{ pat, at int }
	for range 2000 {
		var b []byte
		for n := r.IntN(120); len(b) < n; {
			switch p := patterns[r.IntN(len(patterns))].text; r.IntN(4) {
			case 0:
				b = append(b, p...)
			case 1:
				b = append(b, p[r.IntN(len(p)):]...)
			case 2:
				b = append(b, p[:r.IntN(len(p)+1)]...)
			default:
				b = append(b, "xyz \n\"=_ecokAI.oG"[r.IntN(17)])
			}
		}
		var want, got []hit
		for i, p := range patterns {
			for at := 0; at < len(b); at++ {
				if bytes.HasPrefix(b[at:], []byte(p.text)) {
					want = append(want, hit{i, at})
				}
			}
		}
		last := map[int]int{}
		p.scan(b, func(pat, at int) {
			if l, ok := last[pat]; ok && at <= l {
				t.Fatalf("%q: pattern %q reported at %d after %d", b, patterns[pat].text, at, l)
			}
			last[pat] = at
			got = append(got, hit{pat, at})
		})
		cmp := func(a, b hit) int {
			if a.pat != b.pat {
				return a.pat - b.pat
			}
			return a.at - b.at
		}
		slices.SortFunc(got, cmp)
		if !slices.Equal(got, want) {
			t.Fatalf("%q: prefilter found %v, the plain search %v", b, got, want)
		}
	}
}

// prefilterSets are the pattern sets prefilters are built of: the matcher's
// anchors and lineSign's triggers.
var prefilterSets = [][]pattern{patterns, signPatterns}

// prefilterPaths returns the pure-Go prefilter of pats and the AVX2 one, or
// skips the test where the CPU has no AVX2.
func prefilterPaths(t testing.TB, pats []pattern) (pure, simd *prefilter) {
	pure, simd = buildPrefilter(pats, false), buildPrefilter(pats, true)
	if pure.simd || !simd.simd {
		t.Skip("no AVX2 kernel here (another GOARCH, the purego tag or a CPU without AVX2): one path only")
	}
	return pure, simd
}

type prefilterHit struct{ pat, at int }

func prefilterHits(p *prefilter, data []byte) []prefilterHit {
	var hits []prefilterHit
	p.scan(data, func(pat, at int) { hits = append(hits, prefilterHit{pat, at}) })
	return hits
}

// samePrefilterHits fails the test when the two paths report different
// occurrences or the same ones in a different order.
func samePrefilterHits(t testing.TB, pure, simd *prefilter, data []byte) {
	t.Helper()
	want, got := prefilterHits(pure, data), prefilterHits(simd, data)
	if !slices.Equal(got, want) {
		t.Fatalf("%d bytes %q:\nAVX2 path %v\npure Go   %v", len(data), data, got, want)
	}
}

// prefilterPiece is a piece of a pattern: the whole text, its fingerprint
// text[w:w+3] (which the kernel looks for), a prefix or a suffix, or the
// fingerprint with one byte changed in one nibble (which a bucket may still
// let through).
func prefilterPiece(r *rand.Rand, pats []pattern) string {
	pt := pats[r.IntN(len(pats))]
	switch r.IntN(6) {
	case 0, 1:
		return pt.text
	case 2:
		return pt.text[pt.w : pt.w+3]
	case 3:
		return pt.text[:r.IntN(len(pt.text)+1)]
	case 4:
		return pt.text[r.IntN(len(pt.text)):]
	}
	f := []byte(pt.text[pt.w : pt.w+3])
	f[r.IntN(3)] ^= byte(1+r.IntN(15)) << (4 * r.IntN(2))
	return string(f)
}

// prefilterInput is n bytes of filler (text, or any byte values) with pieces
// of patterns at random offsets, at both ends and across the kernel's 32-byte
// blocks and 4 KiB rounds.
func prefilterInput(r *rand.Rand, pats []pattern, n int) []byte {
	const text = "abcdefghijklmnopqrstuvwxyz AEIKS019_\"\n=:{}&#%"
	b := make([]byte, n)
	binary := r.IntN(4) == 0
	for i := range b {
		if binary {
			b[i] = byte(r.Uint32())
		} else {
			b[i] = text[r.IntN(len(text))]
		}
	}
	put := func(at int, s string) {
		if at >= 0 {
			copy(b[min(at, n):], s)
		}
	}
	for range 1 + n/16 {
		put(r.IntN(n+1), prefilterPiece(r, pats))
	}
	for _, edge := range []int{0, 32, 64, 4096, 8192, n} {
		if r.IntN(2) == 0 {
			p := prefilterPiece(r, pats)
			put(edge-r.IntN(len(p)+1), p)
		}
	}
	return b
}

// TestPrefilterPathsAgree runs the AVX2 path and the pure-Go path on the same
// inputs and requires the same occurrences in the same order: every length up
// to 200 and longer ones, every pattern at every offset of the first blocks
// and at the end, random mixtures of pattern pieces.
func TestPrefilterPathsAgree(t *testing.T) {
	for _, pats := range prefilterSets {
		pure, simd := prefilterPaths(t, pats)
		r := rand.New(rand.NewPCG(31, 32))
		for n := 0; n <= 200; n++ {
			for range 20 {
				samePrefilterHits(t, pure, simd, prefilterInput(r, pats, n))
			}
		}
		for range 300 {
			samePrefilterHits(t, pure, simd, prefilterInput(r, pats, 200+r.IntN(10000)))
		}
		// every pattern at every offset across two blocks, in buffers that end
		// right after it or a little later
		for _, pt := range pats {
			for at := 0; at < 70; at++ {
				for _, tail := range []int{0, 1, 2, 3, 31, 33} {
					b := bytes.Repeat([]byte{'x'}, at+len(pt.text)+tail)
					copy(b[at:], pt.text)
					samePrefilterHits(t, pure, simd, b)
				}
			}
		}
	}
}

// FuzzPrefilterPaths requires the same occurrences, in the same order, from
// the AVX2 path and the pure-Go path, for both pattern sets.
func FuzzPrefilterPaths(f *testing.F) {
	var pure, simd []*prefilter
	r := rand.New(rand.NewPCG(41, 42))
	for _, pats := range prefilterSets {
		p, s := prefilterPaths(f, pats)
		pure, simd = append(pure, p), append(simd, s)
		for _, n := range []int{0, 3, 33, 34, 35, 64, 66, 100, 4097} {
			f.Add(prefilterInput(r, pats, n))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for i := range pure {
			samePrefilterHits(t, pure[i], simd[i], data)
		}
	})
}

// TestSignPatternsHoldEveryHost: lineSign recognises a foreign host only
// on the lines signPrefilter marked, so every host must be a sign pattern.
func TestSignPatternsHoldEveryHost(t *testing.T) {
	signs := map[string]bool{}
	for _, p := range signPatterns {
		if p.w < 0 || p.w+3 > len(p.text) {
			t.Errorf("sign pattern %q: window %d outside it", p.text, p.w)
		}
		signs[p.text] = true
	}
	for _, h := range foreignHosts {
		if !signs[h.host] {
			t.Errorf("foreign host %q is no sign pattern", h.host)
		}
	}
}

// TestPrefilterTableFits: the table's entries are a list index and a
// pattern index (two bytes each) and a delta (a byte): the patterns must
// stay under 65,536 and the pairs that index them too, or an index
// would wrap and its patterns go unseen.
func TestPrefilterTableFits(t *testing.T) {
	p := buildPrefilter(patterns, false)
	if len(patterns) >= 1<<16 || len(p.lists) >= 1<<16 {
		t.Errorf("%d patterns over %d pairs: two bytes index patterns, two bytes lists", len(patterns), len(p.lists))
	}
	for _, pt := range patterns {
		if len(pt.text) >= 256 || pt.w+3 > len(pt.text) {
			t.Errorf("pattern %q: window %d does not fit its %d bytes", pt.text, pt.w, len(pt.text))
		}
	}
}

// TestMergeBucketsAsGreedy holds mergeBuckets, which keeps each row's
// cheapest merge, to the plain greedy clustering that reads every pair at
// every step: the kernel's tables must be the same, bucket for bucket, for
// the matcher's anchors and lineSign's triggers, and for random sets of
// fingerprints full of ties.
func TestMergeBucketsAsGreedy(t *testing.T) {
	w := newNibbleWeights()
	fingerprints := func(pats []pattern) []teddyBucket {
		var bs []teddyBucket
		seen := map[string]bool{}
		for _, pt := range pats {
			if f := pt.text[pt.w : pt.w+3]; !seen[f] {
				seen[f] = true
				bs = append(bs, bucketOf(f))
			}
		}
		return bs
	}
	sets := [][]teddyBucket{fingerprints(patterns), fingerprints(signPatterns)}
	r := rand.New(rand.NewPCG(3, 4))
	for k := range 300 {
		var bs []teddyBucket
		a, b, c := "aAe0_\"x4", "kKIQ3=c", "A1b \n"
		if k%2 == 0 { // few distinct bytes: many equal costs
			a, b, c = "aq", "kK", "A1"
		}
		for n := 17 + r.IntN(40); len(bs) < n; {
			bs = append(bs, bucketOf(string([]byte{a[r.IntN(len(a))], b[r.IntN(len(b))], c[r.IntN(len(c))]})))
		}
		sets = append(sets, bs)
	}
	for i, bs := range sets {
		got := mergeBuckets(slices.Clone(bs), w)
		want := greedyBuckets(slices.Clone(bs), w)
		if !slices.Equal(got, want) {
			t.Fatalf("set %d: mergeBuckets gave\n%v\nthe plain greedy\n%v", i, got, want)
		}
	}
}

func bucketOf(f string) teddyBucket {
	var b teddyBucket
	for k := range b.lo {
		b.lo[k], b.hi[k] = 1<<(f[k]&15), 1<<(f[k]>>4)
	}
	return b
}

// greedyBuckets is the clustering mergeBuckets replaced: at each step the
// first pair (i, j), i < j, of least merge cost over all pairs.
func greedyBuckets(bs []teddyBucket, w *nibbleWeights) []teddyBucket {
	n := len(bs)
	alive := make([]bool, n)
	for i := range alive {
		alive[i] = true
	}
	merge := func(i, j int) int64 { return bs[i].union(bs[j]).cost(w) - bs[i].cost(w) - bs[j].cost(w) }
	for left := n; left > 16; left-- {
		bi, bj := -1, -1
		var least int64
		for i := range n {
			for j := i + 1; alive[i] && j < n; j++ {
				if alive[j] {
					if c := merge(i, j); bi < 0 || c < least {
						bi, bj, least = i, j, c
					}
				}
			}
		}
		bs[bi] = bs[bi].union(bs[bj])
		alive[bj] = false
	}
	var out []teddyBucket
	for i, b := range bs {
		if alive[i] {
			out = append(out, b)
		}
	}
	return out
}

// TestPrefilterIndexesFit: a pair's entry names its pattern in two bytes
// (pairEntry.pat, one until qa17 H2's pieces made more than 255
// patterns), and the pair table its list in two (prefilter.idx). Past
// 65,535 patterns or lists they would wrap silently and check a
// pair against the wrong patterns: the next anchor added must widen them
// first.
func TestPrefilterIndexesFit(t *testing.T) {
	for name, pats := range map[string][]pattern{"patterns": patterns, "signPatterns": signPatterns} {
		if len(pats) > 1<<16-1 {
			t.Errorf("%s: %d patterns, more than pairEntry.pat (uint16) can name", name, len(pats))
		}
		p := buildPrefilter(pats, false)
		if len(p.lists) > 1<<16-1 {
			t.Errorf("%s: %d pair lists, more than prefilter.idx (uint16) can index", name, len(p.lists))
		}
		t.Logf("%s: %d patterns, %d pair lists (of 65,535)", name, len(pats), len(p.lists))
	}
}

// TestPrefilterSkip holds both paths to scanControl.skip's promise while fn
// moves the skip at random reports (forward, by up to 9 KiB: within a block,
// to the next ones, past the kernel's 4 KiB round): every occurrence at or
// after the skip asked for before it is reported, in the order of the scan
// without a skip, and nothing else is. The scan may still report
// occurrences it was asked to pass over.
func TestPrefilterSkip(t *testing.T) {
	for _, pats := range prefilterSets {
		pure, simd := prefilterPaths(t, pats)
		r := rand.New(rand.NewPCG(53, 54))
		for range 2000 {
			data := prefilterInput(r, pats, r.IntN(12000))
			all := prefilterHits(pure, data)
			for _, p := range []*prefilter{pure, simd} {
				var ctl scanControl
				var got []prefilterHit
				seed := r.Uint64()
				rr := rand.New(rand.NewPCG(seed, 55))
				p.scanStop(data, func(pat, at int) {
					got = append(got, prefilterHit{pat, at})
					if rr.IntN(6) == 0 {
						ctl.skip = max(ctl.skip, at+rr.IntN(9000))
					}
				}, &ctl)
				// Replay the skips: an occurrence at q may be left out
				// only once a report before it asked for a skip past q
				// (its pair, after q, may be before the skip).
				k := 0
				skip := 0
				rr = rand.New(rand.NewPCG(seed, 55))
				for _, h := range got {
					for k < len(all) && all[k] != h {
						if all[k].at < h.at && all[k].at >= skip {
							t.Fatalf("simd=%v %d bytes: %v not reported (skip %d), reports %v", p.simd, len(data), all[k], skip, got)
						}
						k++
					}
					if k == len(all) {
						t.Fatalf("simd=%v: %v reported, no such occurrence after the ones before it", p.simd, h)
					}
					k++
					if rr.IntN(6) == 0 {
						skip = max(skip, h.at+rr.IntN(9000))
					}
				}
				for ; k < len(all); k++ {
					if all[k].at >= skip {
						t.Fatalf("simd=%v %d bytes: %v not reported (skip %d)", p.simd, len(data), all[k], skip)
					}
				}
			}
		}
	}
}

// TestTeddyLetsEveryFingerprintThrough: the kernel's tables let each
// pattern's fingerprint through some bucket, with the moves clusterMoves
// names and with others: moveClustered rebuilds the bucket a fingerprint
// leaves of the fingerprints it let through, and that must not drop one.
func TestTeddyLetsEveryFingerprintThrough(t *testing.T) {
	passes := func(tab *teddyTables, f string) bool {
		for g := range 2 {
			v := byte(0xff)
			for k := range 3 {
				v &= tab[6*g+2*k][f[k]&15] & tab[6*g+2*k+1][f[k]>>4]
			}
			if v != 0 {
				return true
			}
		}
		return false
	}
	var fps []string
	for _, pt := range patterns {
		fps = append(fps, pt.text[pt.w:pt.w+3])
	}
	check := func(what string) {
		tab, ok := buildTeddy(patterns)
		if !ok {
			t.Fatal("no tables")
		}
		for _, f := range fps {
			if !passes(&tab, f) {
				t.Fatalf("%s: fingerprint %q passes no bucket", what, f)
			}
		}
	}
	check("clusterMoves")
	saved := maps.Clone(clusterMoves)
	defer func() { clusterMoves = saved }()
	r := rand.New(rand.NewPCG(23, 9))
	for range 100 {
		clusterMoves = map[string]string{}
		for range 1 + r.IntN(4) {
			clusterMoves[fps[r.IntN(len(fps))]] = fps[r.IntN(len(fps))]
		}
		check(fmt.Sprint(clusterMoves))
	}
}
