package scanner

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// spacedGroupsAtBefore is spacedGroupsAt as it read before its loop took
// a pair, a separator and a digit in one step: every group was read
// through the general tests.
func spacedGroupsAtBefore(d []byte, lo, hi, i int, prefixed bool, groups []window) (spacedLine, []window) {
	ln := spacedLine{lo: lo, hi: hi, first: len(groups), last: len(groups) - 1}
	lead := true // nothing but the line's prefix before i
	colon := false
	base := len(groups)
	for i < hi {
		s := i
		ox := lead && i+2 < hi && d[i] == '0' && d[i+1] == 'x' && isHex(d[i+2])
		if ox {
			i += 2 // tcpdump -X's offset, 0x0010:
		}
		for i < hi && isHex(d[i]) {
			i++
		}
		w := i - s
		if w == 0 {
			break
		}
		if lead && i < hi && d[i] == ':' && (i+1 == hi || d[i+1] == ' ' || d[i+1] == '\t') {
			colon, lead = true, true
			i++
			for i < hi && (d[i] == ' ' || d[i] == '\t') {
				i++
			}
			continue
		}
		if i < hi && d[i] != ' ' && d[i] != '\t' && d[i] != '\r' && !isSpacedMark(d[i]) && d[i] != '|' && d[i] != ',' && d[i] != ')' && d[i] != ':' ||
			ox {
			break // a word that opens with hex letters, or a 0x number
		}
		groups = append(groups, window{s, i})
		lead = false
		if i+1 < hi && isPairSep(d[i]) && (isHex(d[i+1]) || d[i+1] == ' ' && i+2 < hi && isHex(d[i+2])) {
			// 41:4b:49 (openssl), 41,4b, 41-4b, 41, 4b
			i++
			if d[i] == ' ' {
				i++
			}
			continue
		}
		n := 0
		for i < hi && (d[i] == ' ' || d[i] == '\t') {
			i++
			n++
		}
		if n == 0 || n > 3 || colon && n > 1 {
			break
		}
	}
	gs := groups[base:]
	// The first token is an offset when it is longer than the next
	// (od's 7 octal digits are odd: no group).
	if len(gs) >= 2 && gs[0].hi-gs[0].lo > gs[1].hi-gs[1].lo && !colon {
		gs = gs[1:]
		lead = true
	}
	// Keep the groups of one even width, the last one shorter (xxd's last
	// line), from the first.
	n := 0
	for n < len(gs) {
		w := gs[n].hi - gs[n].lo
		if w%2 != 0 || w > 16 || !colon && w != 2 || n > 0 && w > ln.width || n > 0 && w < ln.width && n < len(gs)-1 {
			break
		}
		if n == 0 {
			ln.width = w
		}
		n++
	}
	if n == 0 {
		return ln, groups[:base]
	}
	copy(groups[base:], gs[:n])
	groups = groups[:base+n]
	ln.first, ln.last = base, base+n-1
	ln.starts = prefixed || onlyPrefixBefore(d, lo, groups[base].lo)
	ln.ends = onlySuffixAfter(d, groups[base+n-1].hi, hi)
	return ln, groups
}

// TestSpacedGroupsAsBefore: spacedGroupsAt reads the same groups and the
// same line as before its fast step, on lines of pairs, wider groups,
// offsets, separators of every kind and the bytes that stop a dump, from
// every place of the line and with a log's prefix or not.
func TestSpacedGroupsAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(61, 62))
	toks := []string{"41", "4b", "49", "0a", "ff", "4", "414b", "00000010", "0x0010", "7f45", "4b49414b", "g1", "x", "AKIA"}
	seps := []string{":", ",", "-", " ", "\t", ", ", "  ", "   ", "    ", "\t\t", "|", ")", "\r", "#", ": ", "=", ""}
	compared := 0
	for range 3000 {
		var b strings.Builder
		for n := r.IntN(40); n >= 0; n-- {
			b.WriteString(toks[r.IntN(len(toks))])
			if r.IntN(3) > 0 {
				b.WriteString(seps[r.IntN(4)]) // most lines: one separator
			} else {
				b.WriteString(seps[r.IntN(len(seps))])
			}
		}
		d := []byte(b.String())
		for i := range len(d) + 1 {
			for _, prefixed := range []bool{false, true} {
				got, gg := spacedGroupsAt(d, 0, len(d), i, prefixed, []window{{1, 2}})
				want, wg := spacedGroupsAtBefore(d, 0, len(d), i, prefixed, []window{{1, 2}})
				if got != want || !slices.Equal(gg, wg) {
					t.Fatalf("spacedGroupsAt(%q, %d, %v) = %+v %v, want %+v %v", d, i, prefixed, got, gg, want, wg)
				}
				compared += len(gg) - 1
			}
		}
	}
	if compared < 100000 {
		t.Fatalf("%d groups compared: the test compares too little", compared)
	}
}
