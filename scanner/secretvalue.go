package scanner

import (
	"math"
	"math/bits"

	"github.com/keyscan/keyscan/internal/words"
)

// The value tests of a secret access key (check's rules.SecretAccessKey
// case) read the same forty characters five times over: charset, case,
// entropy, distinct characters, ascending pairs. Text dense with
// secret-shaped values (tests of secret scanners, near misses) asks them
// about every candidate, and secretCandidate asks twice (first with the
// strongest context, then with the one it found). So the counts are
// gathered in one pass (measureSecret) and kept for both questions, and
// the entropy is decided with integers, the float sum being computed only
// for the rare value whose entropy lies within a hair of the threshold:
// the answers are exactly check's (differential_test.go holds them alike).

// secretValue is what the value tests read of a candidate secret.
type secretValue struct {
	shape     bool // 40 characters of A-Za-z0-9/+
	mixed     bool // an upper- and a lower-case ASCII letter
	plain     bool // no digit, '+' or '/'
	distinct  int  // distinct bytes
	ascending int  // adjacent pairs that step up by one (see ascending)
	words     int  // common trigrams (see wordiness)
	logSum    int64
}

// secretClass sorts the bytes of a value for measureSecret: valueSecret
// for every character of a secret, and which kind it is.
var secretClass = func() (t [256]uint8) {
	for c := range 256 {
		switch b := byte(c); {
		case isUpper(b):
			t[c] = valueSecret | classUpper
		case isLower(b):
			t[c] = valueSecret | classLower
		case isDigit(b) || b == '+' || b == '/':
			t[c] = valueSecret | classPlainNot
		}
	}
	return t
}()

const (
	classUpper    = 1 << iota // A-Z
	classLower                // a-z
	classPlainNot             // 0-9 + /: what a weak-context value must hold
	valueSecret               // any of these
)

// letterIndex numbers the ASCII letters in either case 0-25 (as
// trigramIndex does); every other byte is notLetter.
var letterIndex = func() (t [256]uint8) {
	for c := range 256 {
		t[c] = notLetter
		if l := byte(c) | 0x20; isLower(l) {
			t[c] = l - 'a'
		}
	}
	return t
}()

const notLetter = 31

// trigramBits is commonTrigrams indexed by three letterIndex values of five
// bits each: a trigram holding notLetter is in no word.
var trigramBits = func() *[1 << 15 / 64]uint64 {
	t := new([1 << 15 / 64]uint64)
	// The set bits of commonTrigrams, renumbered (every start of the
	// program builds this: trying all 26^3 trigrams cost 0.3 M
	// instructions).
	for w, set := range commonTrigrams {
		for ; set != 0; set &= set - 1 {
			k := w*64 + bits.TrailingZeros64(set)
			a, b, c := k/(26*26), k/26%26, k%26
			i := a<<10 | b<<5 | c
			t[i/64] |= 1 << (i % 64)
		}
	}
	return t
}()

// Fixed-point n*log2(n): logScale units to the bit. A 40-byte value's
// logSum is the sum over its distinct bytes of n*log2(n) for each one's
// count n, each term rounded to a unit; its entropy is
// log2(40) - logSum/(40*logScale), up to that rounding.
const logScale = 1 << 40

// countStep[k] is what measureSecret adds when a byte's count grows to k:
// above its low 8 bits the rounded k*log2(k) less the rounded
// (k-1)*log2(k-1), so that the steps up to a count add up to its rounded
// term exactly, and in them 1 when k is 1, so that they count the distinct
// bytes. Indexes past 40 are never reached (the table is 256 long so that a
// byte indexes it).
var countStep = func() (t [256]int64) {
	var prev int64
	for k := 1; k <= secretLen; k++ {
		v := int64(math.Round(float64(k) * math.Log2(float64(k)) * logScale))
		t[k], prev = (v-prev)<<8, v
	}
	t[1] |= 1
	return t
}()

// measureSecret reads v once for the value tests. A value that is not 40
// bytes long fails the first of them and is not read.
func measureSecret(v string) secretValue {
	var st secretValue
	if len(v) != secretLen {
		return st
	}
	var counts [256]uint8
	all, seen := uint8(0xff), uint8(0)
	var sum int64
	asc, words := 0, 0
	prev := v[0]                          // v[0] is not v[0]+1: the first byte steps up from nothing
	tri := uint(notLetter<<5 | notLetter) // the last three letterIndexes
	for i := 0; i < len(v); i++ {
		c := v[i]
		k := secretClass[c]
		all &= k
		seen |= k
		n := counts[c] + 1
		counts[c] = n
		sum += countStep[n]
		if c == prev+1 {
			asc++
		}
		prev = c
		tri = (tri<<5 | uint(letterIndex[c])) & (1<<15 - 1)
		words += int(trigramBits[tri/64] >> (tri % 64) & 1)
	}
	st.shape = all&valueSecret != 0
	st.mixed = seen&(classUpper|classLower) == classUpper|classLower
	st.plain = seen&classPlainNot == 0
	st.distinct, st.ascending, st.words, st.logSum = int(sum&0xff), asc, words, sum>>8
	return st
}

// entropyBelow reports whether entropy(v) < t, v being the 40-byte value
// measured. The fixed-point sum is within 20 units of the exact one and
// entropy's float sum within a few more (80 terms of at most 0.53, each
// rounded to 2^-53): where the two could disagree about t, that is within
// entropyMargin units, the float sum decides.
func (st *secretValue) entropyBelow(v string, t float64) bool {
	d := float64(st.logSum) - (math.Log2(secretLen)-t)*secretLen*logScale
	switch {
	case d > entropyMargin:
		return true
	case d < -entropyMargin:
		return false
	}
	return entropy(v) < t
}

// entropyMargin is about 2e-8 bits of entropy: many thousand times the
// error of either sum.
const entropyMargin = 1 << 20

// failure returns why v, measured as st, is not a secret access key with
// context of the given level, or "": check's tests after the allow list and
// the placeholders, in check's order and with its reasons.
func (st *secretValue) failure(v string, level ctxLevel) string {
	if !st.shape {
		return "not 40 characters of A-Za-z0-9/+"
	}
	if !st.mixed {
		return "no mix of upper and lower case (a hash or a constant)"
	}
	minH, maxWords, maxAscending := 3.5, 3, 5
	switch level {
	case ctxWeak:
		minH, maxWords = 4.0, 2
		if st.plain || v[0] == '/' {
			return "too plain for a value with weak context"
		}
	case ctxStrong:
		// A name that says "secret access key" leaves only the
		// placeholders and identifiers to turn down, which hold many
		// words or steps: a random value holds more than 3 common
		// trigrams or 5 steps about once in 30,000 (qa17 H3: real keys
		// under aws_secret_access_key were dropped), more than 6 or 9
		// about once in 10^8 to 10^9.
		maxWords, maxAscending = 6, 9
	}
	if st.entropyBelow(v, minH) {
		return "entropy too low"
	}
	if st.distinct < 12 || st.ascending > maxAscending {
		return "a placeholder pattern"
	}
	if st.words > maxWords || wordsSecret(v) {
		return "made of words: an identifier or a path"
	}
	return ""
}

// wordsSecret reports whether v, 40 secret characters, is words run
// together in any case, and perhaps a number of one or two digits after
// them (PacificSoutheastRegionBankHoldingsStore2, a name beside a key ID):
// its letters cut into words of internal/words, as wordsID tells a key
// ID of words. Few common trigrams (wordiness) do not make such a value
// random. A random secret is letters with at most two digits after them
// about once in 3,000, and cuts into words less than once in 10^25
// (TestWordsSecretBound), so the test holds whatever names the value.
func wordsSecret(v string) bool {
	n := len(v)
	for k := 0; k < 2 && n > 0 && isDigit(v[n-1]); k++ {
		n--
	}
	var up [secretLen]byte
	if n > len(up) {
		return false
	}
	for i := range n {
		switch c := v[i]; {
		case isUpper(c):
			up[i] = c
		case isLower(c):
			up[i] = c - ('a' - 'A')
		default:
			return false // a digit, '+' or '/' amid the letters: most random secrets leave here
		}
	}
	return words.Joined(string(up[:n]), 0)
}
