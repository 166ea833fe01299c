package scanner

import "encoding/binary"

// The prefilter finds the few places in a file where a credential or its
// context could start, in one pass over the bytes, before any other work.
//
// Every pattern it looks for is at least three bytes long, so any occurrence
// contains a byte pair starting at an even offset: either the pattern's pair
// at w or its pair at w+1, where w is a window chosen so that both pairs are
// rare in ordinary text (for AKIA, "KI" and "IA" rather than "AK"). The loop
// therefore looks up one uint16 every two bytes in a bitset that fits in L1,
// and only a hit is checked against the patterns that own that pair.

type anchorKind uint8

const (
	anchorKeyID          anchorKind = iota + 1 // AKIA, ASIA, ABIA, ACCA
	anchorSecretWord                           // "ecret" / "ECRET": secret keywords
	anchorTokenWord                            // "oken" / "OKEN": session-token keywords
	anchorPasswordWord                         // "sswor" / "SSWOR": password fields, weak context
	anchorShortSecret                          // sec_key: secret names without "secret"
	anchorCredentialCall                       // Credentials(...): an SDK constructor's arguments
	anchorTokenPrefix                          // the base64 prefixes session tokens start with
	anchorBase64                               // base64 forms of AKIA, ASIA, aws_, AWS_, ecret, ECRET
	anchorEscapedA                             // u0041, x41: an 'A' written as an escape
)

type pattern struct {
	text string
	kind anchorKind
	w    int // window: the pairs text[w:w+2] and text[w+1:w+3] index the pattern
}

var patterns = []pattern{
	{"AKIA", anchorKeyID, 1}, {"ASIA", anchorKeyID, 1}, {"ABIA", anchorKeyID, 1}, {"ACCA", anchorKeyID, 1},
	{"ecret", anchorSecretWord, 0}, {"ECRET", anchorSecretWord, 0},
	{"oken", anchorTokenWord, 0}, {"OKEN", anchorTokenWord, 0},
	{"sswor", anchorPasswordWord, 1}, {"SSWOR", anchorPasswordWord, 1},
	{"sec_key", anchorShortSecret, 1}, {"SEC_KEY", anchorShortSecret, 1},
	{"Credential", anchorCredentialCall, 6},
	{"IQoJb3JpZ2luX2Vj", anchorTokenPrefix, 0}, {"FwoGZXIvYXdz", anchorTokenPrefix, 0},
	{"FQoGZXIvYXdz", anchorTokenPrefix, 0}, {"AQoDYXdz", anchorTokenPrefix, 0}, {"AgoJb3JpZ2luX2Vj", anchorTokenPrefix, 2},
	{"u0041", anchorEscapedA, 2}, {"x41", anchorEscapedA, 0}, {"u{41}", anchorEscapedA, 1},
	// base64 of AKIA, ASIA, aws_, AWS_, ecret and ECRET at the three alignments
	{"QUtJQ", anchorBase64, 1}, {"FLSU", anchorBase64, 1}, {"BS0lB", anchorBase64, 1},
	{"QVNJQ", anchorBase64, 1}, {"FTSU", anchorBase64, 1}, {"BU0lB", anchorBase64, 1},
	{"YXdzX", anchorBase64, 1}, {"F3c1", anchorBase64, 1}, {"hd3Nf", anchorBase64, 1},
	{"QVdTX", anchorBase64, 1}, {"FXU1", anchorBase64, 1}, {"BV1Nf", anchorBase64, 1},
	{"ZWNyZX", anchorBase64, 1}, {"VjcmV0", anchorBase64, 1}, {"lY3Jld", anchorBase64, 1},
	{"RUNSRV", anchorBase64, 1}, {"VDUkVU", anchorBase64, 1}, {"FQ1JFV", anchorBase64, 1},
}

type pairEntry struct {
	pat   uint8
	delta uint8 // the pattern starts delta bytes before the pair
}

// prefilter is immutable after newPrefilter and shared by all scans.
type prefilter struct {
	bits    [1 << 16 / 64]uint64
	entries map[uint16][]pairEntry
}

func pairKey(a, b byte) uint16 { return uint16(a) | uint16(b)<<8 }

func newPrefilter() *prefilter {
	p := &prefilter{entries: map[uint16][]pairEntry{}}
	for i, pt := range patterns {
		for d := pt.w; d <= pt.w+1; d++ {
			k := pairKey(pt.text[d], pt.text[d+1])
			p.bits[k>>6] |= 1 << (k & 63)
			p.entries[k] = append(p.entries[k], pairEntry{pat: uint8(i), delta: uint8(d)})
		}
	}
	return p
}

var defaultPrefilter = newPrefilter()

// scan calls fn for every occurrence of every pattern, in increasing order of
// position within each pattern (positions may repeat across patterns).
func (p *prefilter) scan(data []byte, fn func(pat int, at int)) {
	n := len(data)
	last, lastPat := -1, -1 // drop a duplicate report of one occurrence
	check := func(j int, k uint16) {
		for _, e := range p.entries[k] {
			at := j - int(e.delta)
			pt := patterns[e.pat]
			if at < 0 || at+len(pt.text) > n || string(data[at:at+len(pt.text)]) != pt.text {
				continue
			}
			if at == last && int(e.pat) == lastPat {
				continue
			}
			last, lastPat = at, int(e.pat)
			fn(int(e.pat), at)
		}
	}
	j := 0
	// Eight bytes at a time: four pairs from one load.
	bits := &p.bits
	for ; j+8 <= n; j += 8 {
		w := binary.LittleEndian.Uint64(data[j:])
		k0, k1, k2, k3 := uint16(w), uint16(w>>16), uint16(w>>32), uint16(w>>48)
		// One branch for the common case: no pair of the four is wanted.
		if bits[k0>>6]&(1<<(k0&63))|bits[k1>>6]&(1<<(k1&63))|bits[k2>>6]&(1<<(k2&63))|bits[k3>>6]&(1<<(k3&63)) == 0 {
			continue
		}
		for q, k := range [4]uint16{k0, k1, k2, k3} {
			if bits[k>>6]&(1<<(k&63)) != 0 {
				check(j+2*q, k)
			}
		}
	}
	for ; j+1 < n; j += 2 {
		k := pairKey(data[j], data[j+1])
		if p.bits[k>>6]&(1<<(k&63)) != 0 {
			check(j, k)
		}
	}
}
