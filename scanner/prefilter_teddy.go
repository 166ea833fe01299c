package scanner

import "math/bits"

// The AVX2 kernel of the prefilter (scanner/prefilter_amd64.s) is a Teddy
// filter, as in Hyperscan and ripgrep. Each pattern is indexed by its pairs
// at w and w+1, so an occurrence has its three bytes text[w:w+3], the
// pattern's fingerprint, either at the even offset whose pair the scan looks
// up or one byte before it. The kernel finds the fingerprints: it cannot look
// up a table of three-byte strings, but it can look up 16-entry tables with
// VPSHUFB, one lookup per nibble. The fingerprints are spread over 16
// buckets (two groups of eight, one bit each); for each bucket the tables say
// which low and which high nibbles the first, second and third bytes of its
// fingerprints have, and a position where all six nibbles are among one
// bucket's may start one of its fingerprints. That is a superset: a bucket's
// own fingerprints always pass, and so do strings mixing nibbles of several
// of them. Which fingerprints share a bucket decides how many of those pass;
// buildTeddy groups them so that they are rare in text.
//
// Marking fingerprints rather than pairs matters because the pairs are
// common on their own ("ec", "al", "ok"): on the corpora of BenchmarkCorpus
// 1-2 % of the even offsets hold a pair the index knows, but only 0.2 % (Go
// source, service models) to 0.8 % (detector tests, where 0.7 % are real
// occurrences) are marked by the kernel.

// teddyTables are the kernel's lookup tables: for group g and byte k of a
// fingerprint, t[6g+2k] and t[6g+2k+1] map the low and the high nibble of the
// byte to the buckets (bits) whose fingerprints have it.
type teddyTables [12][16]byte

// teddyBucket is the set of three-byte strings a bucket lets through: byte k
// with a low nibble in lo[k] and a high nibble in hi[k].
type teddyBucket struct{ lo, hi [3]uint16 }

func (b teddyBucket) union(c teddyBucket) teddyBucket {
	for k := range b.lo {
		b.lo[k] |= c.lo[k]
		b.hi[k] |= c.hi[k]
	}
	return b
}

// cost estimates how often the bucket lets a string of text through: the
// product over its three bytes of the weight of the bytes it accepts there.
func (b teddyBucket) cost(w *nibbleWeights) int64 {
	c := int64(1)
	for k, lo := range b.lo {
		var s int64
		for h := b.hi[k]; h != 0; h &= h - 1 {
			r := &w[bits.TrailingZeros16(h)]
			s += r[0][lo&15] + r[1][lo>>4&15] + r[2][lo>>8&15] + r[3][lo>>12]
		}
		c *= s
	}
	return c
}

// nibbleWeights[h][q][x] is the textWeight of the bytes with high nibble h
// and a low nibble 4q+i for a bit i of x: the weight of the bytes with high
// nibble h and a low nibble in a set lo is the sum over the four quarters of
// lo (cost runs about 5,000 times in buildTeddy).
type nibbleWeights [16][4][16]int64

func newNibbleWeights() *nibbleWeights {
	w := new(nibbleWeights)
	for h := range w {
		for q := range w[h] {
			for x := 1; x < 16; x++ {
				w[h][q][x] = w[h][q][x&(x-1)] + textWeight(byte(h<<4|4*q+bits.TrailingZeros8(uint8(x))))
			}
		}
	}
	return w
}

// textWeight is a rough frequency of byte c in source code and JSON: a model
// of text for buildTeddy's costs, not of the patterns (those come from
// patterns).
func textWeight(c byte) int64 {
	switch {
	case c == ' ':
		return 160
	case 'a' <= c && c <= 'z':
		return 80
	case 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return 20
	case c == '\n' || c == '\t' || c == '"' || c == '\'' || c == '.' || c == ',' || c == '_' || c == '(' || c == ')' ||
		c == '{' || c == '}' || c == ':' || c == '=' || c == '/' || c == '-' || c == '<' || c == '>':
		return 20
	case c < 0x80:
		return 4
	}
	return 1
}

// buildTeddy spreads the fingerprints of patterns over the 16 buckets: each
// fingerprint starts as a bucket of its own, and the two buckets whose union
// costs least more than the two apart are merged until 16 are left (greedy
// agglomerative clustering of about 130 fingerprints, once per process; see
// mergeBuckets).
//
// It reports false when a fingerprint has a byte of 0x80 or more, which the
// kernel's low-nibble lookup would miss: the patterns are ASCII, and the
// prefilter scans without the kernel if one is not.
func buildTeddy(patterns []pattern) (teddyTables, bool) {
	bs, ok := teddyBuckets(patterns)
	if !ok {
		return teddyTables{}, false
	}
	return teddyTablesOf(bs), true
}

// teddyBuckets returns the 16 buckets of buildTeddy.
func teddyBuckets(patterns []pattern) ([]teddyBucket, bool) {
	w := newNibbleWeights()
	var (
		bs        []teddyBucket
		late      []lateFingerprint
		clustered []lateFingerprint // the others, with their buckets alone
	)
	seen := map[string]bool{}
	for _, pt := range patterns {
		f := pt.text[pt.w : pt.w+3]
		if seen[f] {
			continue
		}
		seen[f] = true
		var b teddyBucket
		for k := range b.lo {
			if f[k] >= 0x80 {
				return nil, false
			}
			b.lo[k], b.hi[k] = 1<<(f[k]&15), 1<<(f[k]>>4)
		}
		if pt.kind == anchorArchive || pt.kind == anchorArchiveHex || pt.kind == anchorByteList || pt.kind == anchorCharList || pt.kind == anchorUU || pt.kind == anchorMIME64 || pt.kind == anchorRawDeflate || pt.kind == anchorWideHex || pt.kind == anchorBase32 || pt.kind == anchorBase32Head || pt.kind == anchorBase85 || pt.kind == anchorB64Cut || pt.kind == anchorTokenB64 || pt.kind == anchorEscapedALate || pt.kind == anchorSpacedHex {
			late = append(late, lateFingerprint{f, b})
		} else {
			bs = append(bs, b)
			clustered = append(clustered, lateFingerprint{f, b})
		}
	}
	bs = mergeBuckets(bs, w)
	bs = moveClustered(bs, clustered)
	for _, b := range late {
		bs = joinLate(bs, b, w)
	}
	return bs, true
}

// The anchors of archives in base64 and hex (anchorArchive,
// anchorArchiveHex) are fingerprints that ordinary text almost never holds,
// but clustering them with the others moved the others between buckets, and
// the matcher's instructions on the corpora of BenchmarkCorpus went up or
// down by 2-5 % with each window tried (the text model of cost is rough). So
// they are added once the others are clustered, without moving any: a
// fingerprint some bucket lets through already costs nothing, and the others
// join the bucket of the fingerprint lateJoins names, the one whose union
// lets through the fewest more places of Go source, service models and
// detector tests (counted over those corpora: "DBB" joined to "ecr" marks
// 106 more places in 8.6 MB of Go source, to the bucket the model picks 835).
// Without that fingerprint, the model picks. The heads of the other archives
// (xz, bzip2, 7z, zstd, LZMA, zlib, tar, PDF in base64; xz, zstd, bzip2 in
// hex) were placed so by trying every window of each and every bucket and
// counting, on those corpora, the places the kernel marks and the pattern
// entries checked there; none of their pairs is "AA" either. Each late
// fingerprint's place was tried again against every bucket (issue 16,
// perf23): bzip2's hex head and `\nend had joined the bucket of "Z2l";
// in the buckets named below the kernel marks 9 % fewer places of Go
// source and 5 % fewer of the detector tests and of the service models,
// and no other single move then marks fewer on all three.
type lateFingerprint struct {
	text   string
	bucket teddyBucket
}

// lateJoins names, per late fingerprint, the fingerprint whose bucket it
// joins (see lateFingerprint).
var lateJoins = map[string]string{
	"DBB":   "ecr", // UEsDBBQ: base64 of a zip whose first member needs version 2.0
	"oAA":   "dEp", // UEsDBAoAA: version 1.0 (a folder, a stored member)
	"eJz":   "ecr", // base64 of zlib at its default level (78 9c), by the top bits of the first deflate byte
	"eJw":   "ecr",
	"eJx":   "ecr",
	"eJy":   "ecr",
	"KLU":   "ECR", // KLUv/: base64 of zstd
	"JVB":   "c_k", // JVBERi0: base64 of a PDF
	"WFo":   "WOR", // /Td6WFoAAA: base64 of xz
	"3q8":   "swo", // N3q8ryccAA: base64 of 7z
	"XQA":   "`AK", // XQAA: base64 of LZMA "alone"
	"5a0":   "swo", // fd377a585a00: hex of xz
	"52f":   "Z2l", // 28b52ffd: hex of zstd
	"5a6":   "SIA", // 425a683: hex of bzip2
	"\nen":  "F3c", // `\nend: a uuencoded block's last lines
	"\nXe":  "WOR", // `\nXend: and in a shar, with an X in front
	"`\r\n": "`AK", // `\r\nend: with CRLF
	// qa15 HIGH-2, MEDIUM-4, qa16 HIGH-7 (prefilter.go's last anchors;
	// the others are let through already): each joins the bucket where it
	// lets through the fewest more places of Go source, in pattern order
	"H52": "FLS", // H52, H50: base64 of compress's .Z
	"H50": "FLS",
	"d90": "dEp", // 1f9d90: hex of .Z
	"eam": "oke", // DeflateStream (qa16 HIGH-7)
	"4_d": "YXd", // gzinflate(base64_decode(
	"5f0": "swo", // 6100770073005f00: hex of aws_ in UTF-16LE (perf21)
	"mhe": "oke", // fromhex( (qa15 MEDIUM-8: zlib in hex)
	// base32 of AKIA, ASIA, aws_, AWS_ and a gzip's head (qa16 MEDIUM-6),
	// each on the window and bucket that let through the fewest more
	// places, in pattern order (the other base32 forms are let through
	// already)
	"SKB": "WOR", // AUWSKB, AVGSKB: AKIA, ASIA at byte 1
	"2JI": "ecr", // CS2JI, CU2JI: at byte 2
	"BKN": "FLS", // BKNEU: ASIA at byte 4
	"MF3": "F3c", // MF3XGX: aws_ at byte 0
	"YLX": "ECR", // YLXONP: aws_ at byte 3
	"O5Z": "AKI", // BO5ZV: aws_ at byte 4
	"QKX": "ECR", // QKXKNP: AWS_ at byte 3
	"6FQ": "ECR", // D6FQQ: a gzip's head
	"i85": "oke", // ascii85. (qa15 MEDIUM-9)
	// a prefix letter in C octal after plain letters (qa18 H4), each in
	// the bucket of the escape it resembles
	"A\\1": "A\\u", // A\113I, A\123I
	"K\\1": "K\\u", // K\111A
	"S\\1": "K\\u", // S\111A
	"C0A":  "to3",  // UEsDBC0AAAAI: base64 of a zip64 (qa15 MEDIUM-8)
	// qa19 L5: any mix of notations in a prefix, each joined where the
	// placement count put it (see prefilter.go)
	"\\U0": "`AK", // A\U0000004b
	"3;A":  "to3", // S&#73;A
	// qa17 H2's pieces of base64 anchors a line break cuts (anchorB64Cut)
	// that no bucket let through, in pattern order, each joined where it
	// let through the fewest more places of Go source, botocore's models
	// and trufflehog's tests (the places it adds to each: 8.4, 40 and 6.9
	// MB of them)
	"SUE": "`AK", // [234 1464 434]
	"SUF": "`AK", // [81 407 151]
	"mV0": "c_k", // [136 185 311]
	"RVQ": "Vjc", // [192 39 73]
	"RVR": "Vjc", // [14 100 80]
	"UkV": "Vjc", // [22 1 239]
	"QBX": "WOR", // [285 433 528]
	// base64 of a session token's head (anchorTokenB64), counted the same
	// way
	"MlZ": "ECR", // [112 116 431]
	"Mmx": "F3c", // [13 5 54]
	"WjJ": "swo", // [61 51 451]
	// qa14 HIGH-12: a list of code points that opens with a key prefix
	"{65": "AKI", // [750 85 355]
	// enc26: spaced hex's " 41" (anchorSpacedHex)
	" 41": "to3", // [837 236 59]
	":41": "to3", // [3 585 103]
	"-41": "to3", // [18 1363 405]
}

// clusterMoves names, per clustered fingerprint moved after the clustering,
// the fingerprint whose bucket it joins instead of its own. A move changes
// two buckets and nothing else, where taking a fingerprint out of the
// clustering moves all of them (see lateFingerprint). "Z2l" (of a session
// token's head, IQoJb3JpZ2luX2Vj) shared a bucket whose nibbles let JSON's
// :"< and :"A through (the service models' "documentation":"<p>...): the
// kernel marked 565 k places in 64 MiB of the models, and with Z2l in
// Vjc's bucket, where none of those strings passes, 317 k; the places
// marked in Go source and the detector tests change by less than 0.3 %
// (perf23, counted as for lateJoins).
var clusterMoves = map[string]string{
	"Z2l": "Vjc",
}

// moveClustered moves the fingerprints clusterMoves names: each leaves its
// bucket, which is made again of the clustered fingerprints it lets
// through but that one (a bucket that lets through less, and still every
// fingerprint it let through but the one moved), and joins the bucket of
// the fingerprint named.
func moveClustered(bs []teddyBucket, fs []lateFingerprint) []teddyBucket {
	for _, f := range fs {
		to, ok := clusterMoves[f.text]
		if !ok {
			continue
		}
		ti := -1
		for i, b := range bs {
			if b.has(to) && to != f.text {
				ti = i
				break
			}
		}
		if ti < 0 {
			continue
		}
		for i, b := range bs {
			if i == ti || !b.has(f.text) {
				continue
			}
			var nb teddyBucket
			for _, g := range fs {
				if g.text != f.text && b.has(g.text) {
					nb = nb.union(g.bucket)
				}
			}
			bs[i] = nb
		}
		bs[ti] = bs[ti].union(f.bucket)
	}
	return bs
}

// has reports whether b lets the three bytes of s through.
func (b teddyBucket) has(s string) bool {
	for k := range b.lo {
		if b.lo[k]>>(s[k]&15)&1 == 0 || b.hi[k]>>(s[k]>>4)&1 == 0 {
			return false
		}
	}
	return true
}

// joinLate adds the late fingerprint f to the buckets bs (see
// lateFingerprint) and returns them.
func joinLate(bs []teddyBucket, f lateFingerprint, w *nibbleWeights) []teddyBucket {
	for _, b := range bs {
		if b.has(f.text) {
			return bs
		}
	}
	bi := -1
	if p, ok := lateJoins[f.text]; ok {
		for i, b := range bs {
			if b.has(p) {
				bi = i
				break
			}
		}
	}
	if bi < 0 {
		var least int64 = -1
		for i, c := range bs {
			if d := c.union(f.bucket).cost(w) - c.cost(w); least < 0 || d < least {
				bi, least = i, d
			}
		}
	}
	bs[bi] = bs[bi].union(f.bucket)
	return bs
}

// mergeBuckets merges the buckets bs, greedily, down to 16 and returns them.
// Each step merges the two whose union costs least more than the two apart,
// the first such pair in the order (i, j), i < j (the tables must not
// depend on more than the patterns). Each row i keeps its cheapest merge
// (best[i], j > i), so a step reads one entry per row and recomputes only
// the rows the merge changed: about 130 fingerprints took 16 M instructions
// at every start of the program when each step read every pair.
func mergeBuckets(bs []teddyBucket, w *nibbleWeights) []teddyBucket {
	n := len(bs)
	cost := make([]int64, n)
	for i, b := range bs {
		cost[i] = b.cost(w)
	}
	// merge[i*n+j], i < j: what merging buckets i and j adds to the cost.
	merge := make([]int64, n*n)
	alive := make([]bool, n)
	best := make([]int, n) // per row i, the first j > i of least merge, or -1
	update := func(i int) {
		for j := range n {
			if j != i && alive[j] {
				merge[min(i, j)*n+max(i, j)] = bs[i].union(bs[j]).cost(w) - cost[i] - cost[j]
			}
		}
	}
	rowBest := func(i int) {
		best[i] = -1
		for j := i + 1; j < n; j++ {
			if alive[j] && (best[i] < 0 || merge[i*n+j] < merge[i*n+best[i]]) {
				best[i] = j
			}
		}
	}
	for i := range n {
		alive[i] = true
		update(i)
	}
	for i := range n {
		rowBest(i)
	}
	for left := n; left > 16; left-- {
		bi, bj := -1, -1
		for i := range n {
			if alive[i] && best[i] >= 0 && (bi < 0 || merge[i*n+best[i]] < merge[bi*n+bj]) {
				bi, bj = i, best[i]
			}
		}
		bs[bi] = bs[bi].union(bs[bj])
		cost[bi] = bs[bi].cost(w)
		alive[bj] = false
		update(bi)
		for i := range n {
			switch {
			case !alive[i]:
			case i == bi || best[i] == bi || best[i] == bj:
				rowBest(i) // the row's least entry changed or died
			case i < bi && (merge[i*n+bi] < merge[i*n+best[i]] || merge[i*n+bi] == merge[i*n+best[i]] && bi < best[i]):
				best[i] = bi // only the entry at bi changed, and it is now the least
			}
		}
	}
	var left []teddyBucket
	for i, b := range bs {
		if alive[i] {
			left = append(left, b)
		}
	}
	return left
}

// teddyTablesOf numbers the buckets 0-15 (group q/8, bit q%8) and returns
// the kernel's tables of them.
func teddyTablesOf(bs []teddyBucket) teddyTables {
	var t teddyTables
	for q, b := range bs {
		g, bit := q/8, byte(1)<<(q%8)
		for k := range b.lo {
			for x := range 16 {
				if b.lo[k]>>x&1 != 0 {
					t[6*g+2*k][x] |= bit
				}
				if b.hi[k]>>x&1 != 0 {
					t[6*g+2*k+1][x] |= bit
				}
			}
		}
	}
	return t
}
