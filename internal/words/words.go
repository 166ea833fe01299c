// Package words tells upper-case English words run together
// (PACIFICTOKYO, BANKHOLDINGSLTD) from random characters of the same
// alphabet. An access key ID is a prefix and 16 random base32 characters;
// an enum constant or a fund code that happens to start with ASIA or AKIA
// (ASIAPACIFICTOKYOJPN2) is words. Whether a string can be cut into words
// of a list is a test that words pass and random strings almost never do,
// and how seldom can be computed from the list (Bound): the cuts into
// words of lengths n1..nk are at most the product of how many words the
// list has of each length, out of 32^16 strings.
//
// The list (words.txt, made by gen.go) is curated.txt (short English
// words; the abbreviations, places, business and cloud words such
// constants are made of) and the words of four letters or more that the
// comments of at least five files of the Go source use. Words of one or two
// letters are left out: with them random strings would cut into words
// often.
//
// Business codes mix words with numbers and tags (SOUTHEAST2Q3SALE,
// WIDGET42BLUE7XL2): they are told by how few bits a model of codes
// writes them in (code.go, Code), which bounds the share of random
// strings taken by its margin alone.
package words

import (
	_ "embed"
	"math"
	"strings"
	"sync"
)

//go:embed words.txt
var list string

// MinLen and MaxLen bound the words of the list.
const (
	MinLen = 3
	MaxLen = 16
)

// set is the list, upper-case, made the first time it is asked.
var set = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 9000)
	for _, l := range strings.Split(list, "\n") {
		if l != "" && l[0] != '#' {
			m[strings.ToUpper(l)] = struct{}{}
		}
	}
	return m
})

// Is reports whether w, upper-case, is a word of the list.
func Is(w string) bool {
	if len(w) < MinLen || len(w) > MaxLen {
		return false
	}
	_, ok := set()[w]
	return ok
}

// Joined reports whether s, upper-case letters, is words of the list run
// together, where its first head bytes (a key ID's prefix, which is no
// word: AKIA) may stand for a word too; a word may also cover the head and
// go past it (ASIAN). A string of more than maxJoined bytes is not words.
func Joined(s string, head int) bool {
	if len(s) == 0 || len(s) > maxJoined {
		return false
	}
	var reach [maxJoined + 1]bool // reach[i]: s[:i] is words
	reach[0] = true
	if head > 0 && head <= len(s) {
		reach[head] = true
	}
	m := set()
	for i := range len(s) {
		if !reach[i] {
			continue
		}
		for n := MinLen; n <= MaxLen && i+n <= len(s); n++ {
			if reach[i+n] {
				continue
			}
			if _, ok := m[s[i:i+n]]; ok {
				reach[i+n] = true
			}
		}
	}
	return reach[len(s)]
}

// maxJoined bounds the strings Joined reads: a key ID or a secret is 20 or 40.
const maxJoined = 64

// Bound returns an upper bound on the fraction of strings of n random
// characters of an alphabet of size alphabet that Joined(s, head) takes
// for words, for every s whose first head bytes are fixed to prefix: the
// number of ways to cut n characters into words of the list (a word that
// begins with prefix may cover it and go on into them), each way
// matching one string, over alphabet^n.
func Bound(prefix string, n, alphabet int) float64 {
	var byLen [MaxLen + 1]float64
	var past [MaxLen + 1]float64 // words that start with prefix, by the letters they hold past it
	for w := range set() {
		byLen[len(w)]++
		if len(w) > len(prefix) && strings.HasPrefix(w, prefix) {
			past[len(w)-len(prefix)]++
		}
	}
	cuts := make([]float64, n+1) // cuts[i]: ways to cut i characters into words
	cuts[0] = 1
	for i := 1; i <= n; i++ {
		for l := MinLen; l <= min(i, MaxLen); l++ {
			cuts[i] += byLen[l] * cuts[i-l]
		}
	}
	total := cuts[n]
	for l := 1; l <= min(n, MaxLen); l++ {
		total += past[l] * cuts[n-l]
	}
	return total / math.Pow(float64(alphabet), float64(n))
}

// JoinedMarked reports whether s, upper-case letters, is words run
// together as Joined reads them, where the words may also be marks (of
// any length from two letters), and at least one of them is a mark, with
// at most strays characters between them that are no word (a key ID
// spelled FAKE, KEY, ID, FOR, TEST says what it is; DUMMY KEY ID DUMMY X
// too). A random string passes it less often than Joined with marks added
// to the list and strays one-letter words of any letter, and only when a
// mark stands in it.
func JoinedMarked(s string, head, strays int, marks map[string]bool) bool {
	if len(s) == 0 || len(s) > maxJoined || strays > 7 {
		return false
	}
	// reach[i] has bit 2k+m set when s[:i] is words with k strays, and a
	// mark among them if m is 1.
	var reach [maxJoined + 1]uint16
	reach[0] = 1
	if head > 0 && head <= len(s) {
		if marks[s[:head]] {
			reach[head] |= 2
		} else {
			reach[head] |= 1
		}
	}
	m := set()
	for i := range len(s) {
		r := reach[i]
		if r == 0 {
			continue
		}
		// A stray: k+1 strays, the mark bit kept.
		reach[i+1] |= r << 2 & (1<<(2*strays+2) - 1)
		for n := 2; n <= MaxLen && i+n <= len(s); n++ {
			w := s[i : i+n]
			if marks[w] {
				reach[i+n] |= (r | r<<1) & 0xaaaa // each count, now with a mark
				continue
			}
			if n < MinLen {
				continue
			}
			if _, ok := m[w]; ok {
				reach[i+n] |= r
			}
		}
	}
	return reach[len(s)]&0xaaaa != 0
}
