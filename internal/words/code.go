package words

import (
	"math"
	"math/bits"
	"strings"
	"sync"
)

// A code model says how few bits a string takes when it is written as
// business codes are (SOUTHEAST2Q3SALES, WIDGET42BLUE7XL2: words of the
// list, numbers, short tags such as Q3 and FY25, a few stray characters),
// against the 5 bits a character a random base32 string takes. The model
// is a Markov chain over tokens whose choices' probabilities sum to 1 at
// every step, so by Kraft's inequality the token sequences that spell
// strings of one length n carry at most probability 1 between them: at
// most 2^(5n-k) strings of n characters can be written in 5n-k bits or
// fewer, a fraction 2^-k of random ones, whatever the list and the
// model's numbers are. No count of cuts is needed to bound how many random
// key IDs the test takes for codes: the bound is the threshold.
type codeModel struct {
	word [MaxLen + 1]float64 // bits that choose a word of each length
	num  [maxNum + 1]float64 // bits that choose a number of each length
	raw  [maxRaw + 1]float64 // bits that choose a run of any characters
	tag  float64             // bits that choose a tag
	next [tokens][tokens]float64
	// enterMin[k]: the fewest bits of a token of kind k after any token
	enterMin [tokens]float64
	// lens[letters3(w)] has bit len(w) set for every word w of the list:
	// a place whose three letters begin no word is asked none, and a
	// place that begins some only for their lengths.
	lens [26 * 26 * 26]uint32
	// word3 and word4 hold the words of three and four letters, and pre4
	// the first four letters of the longer ones: most places of a random
	// ID that three letters let through stop there, without a map lookup
	// (a lookup a place was 40 % of the time).
	word3 [26 * 26 * 26]bool
	word4 bitset
	pre4  bitset
	// tag1, tag2, tag3: the tags of one, two and three letters
	tag1 [26]bool
	tag2 [26 * 26]bool
	tag3 [26 * 26 * 26]bool
}

// covers returns the lengths of the words of the list that s starts with
// and that go past its first head bytes (ASIAN, ASIATIC for ASIA…): none
// for AKIA, told by the tables without a lookup.
func (c *codeModel) covers(s string, head int) []int {
	var out []int
	n := min(MaxLen, len(s))
	if n < 4 || head >= n {
		return nil
	}
	at := letters3(s)
	if at < 0 {
		return nil
	}
	ls := c.lens[at] >> (head + 1) << (head + 1)
	if head >= 4 {
		if uint(s[3]-'A') >= 26 || !c.pre4.has(at*26+int(s[3]-'A')) {
			return nil
		}
	}
	m := set()
	for ; ls != 0; ls &= ls - 1 {
		l := bits.TrailingZeros32(ls)
		if l > n {
			break
		}
		if _, ok := m[s[:l]]; ok {
			out = append(out, l)
		}
	}
	return out
}

// bitset is a set of the 26^4 strings of four letters.
type bitset [(26*26*26*26 + 63) / 64]uint64

func (b *bitset) set(i int)      { b[i>>6] |= 1 << (i & 63) }
func (b *bitset) has(i int) bool { return b[i>>6]&(1<<(i&63)) != 0 }

// letters3 indexes a table of the first three bytes of s, upper-case
// letters (-1 where one is not).
func letters3(s string) int {
	a, b, c := int(s[0])-'A', int(s[1])-'A', int(s[2])-'A'
	if uint(a) >= 26 || uint(b) >= 26 || uint(c) >= 26 {
		return -1
	}
	return (a*26+b)*26 + c
}

// Token kinds, and what follows what. A number follows no number (it is a
// run of digits, written whole) and a run follows no run.
const (
	tokWord = iota
	tokNum
	tokTag
	tokRaw
	tokens
)

// follow[a][b] is the probability that token b follows a (the first token
// follows a word: the prefix before it, or nothing); each row sums to 1.
var follow = [tokens][tokens]float64{
	tokWord: {tokWord: 0.45, tokNum: 0.35, tokTag: 0.10, tokRaw: 0.10},
	tokNum:  {tokWord: 0.45, tokTag: 0.35, tokRaw: 0.20},
	tokTag:  {tokWord: 0.30, tokNum: 0.60, tokRaw: 0.10},
	tokRaw:  {tokWord: 0.50, tokNum: 0.35, tokTag: 0.15},
}

const (
	maxNum = 3
	maxRaw = 4
)

// wordLen, numLen and rawLen say how often a token of each length is
// chosen (each sums to 1); a word of a length is then one of the list's
// words of that length, a number's digits any of 2-7 (those of base32), a
// run's characters any of base32's 32.
var (
	wordLen = [MaxLen + 1]float64{3: 0.14, 4: 0.22, 5: 0.18, 6: 0.14, 7: 0.11, 8: 0.08, 9: 0.06, 10: 0.03, 11: 0.015, 12: 0.01, 13: 0.005, 14: 0.005, 15: 0.0025, 16: 0.0025}
	numLen  = [maxNum + 1]float64{1: 0.5, 2: 0.35, 3: 0.15}
	rawLen  = [maxRaw + 1]float64{1: 0.4, 2: 0.3, 3: 0.2, 4: 0.1}
)

// codeTags are the letters that business codes put beside numbers (Q3, H2,
// FY25, V2, 7XL, R2D), and two-letter region and country codes. Each costs
// as much as any other: fewer tags, fewer bits for each.
const codeTags = "Q H V R P S M L T W X FY CY XL XS XXL EU US UK AP NA SA ME AU NZ JP CN IN SG HK KR TW DE FR GB ES IT NL HQ ID NO NR PO"

var model = sync.OnceValue(func() *codeModel {
	var byLen [MaxLen + 1]float64
	c := &codeModel{}
	for w := range set() {
		byLen[len(w)]++
		at := letters3(w)
		c.lens[at] |= 1 << len(w)
		switch at4 := at*26 + int(w[3%len(w)]-'A'); {
		case len(w) == 3:
			c.word3[at] = true
		case len(w) == 4:
			c.word4.set(at4)
		default:
			c.pre4.set(at4)
		}
	}
	for l := range c.word {
		c.word[l] = math.Inf(1)
		if byLen[l] > 0 && wordLen[l] > 0 {
			c.word[l] = -math.Log2(wordLen[l] / byLen[l])
		}
	}
	for l := 1; l <= maxNum; l++ {
		c.num[l] = -math.Log2(numLen[l] / math.Pow(6, float64(l)))
	}
	for l := 1; l <= maxRaw; l++ {
		c.raw[l] = -math.Log2(rawLen[l]) + 5*float64(l)
	}
	tags := strings.Fields(codeTags)
	for _, t := range tags {
		switch len(t) {
		case 1:
			c.tag1[t[0]-'A'] = true
		case 2:
			c.tag2[int(t[0]-'A')*26+int(t[1]-'A')] = true
		default:
			c.tag3[letters3(t)] = true
		}
	}
	c.tag = math.Log2(float64(len(tags)))
	c.enterMin = [tokens]float64{math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1)}
	for a := range tokens {
		for b := range tokens {
			c.next[a][b] = -math.Log2(follow[a][b])
			c.enterMin[b] = min(c.enterMin[b], c.next[a][b])
		}
	}
	return c
})

// CodeBits returns the fewest bits the code model takes to write s
// (upper-case letters and the digits 2-7) after its first head bytes: the
// head stands for itself at one bit (as a word would), or a word of the
// list that starts with it covers it and goes on (ASIAN), at one bit and
// the bits that choose among those words.
func CodeBits(s string, head int) float64 {
	n := len(s)
	if n == 0 || n > maxJoined || head >= n {
		return math.Inf(1)
	}
	c, m := model(), set()
	var best [maxJoined + 1][tokens]float64 // best[i][k]: s[head:i] in the fewest bits, its last token of kind k
	for i := range best[:n+1] {
		for k := range best[i] {
			best[i][k] = math.Inf(1)
		}
	}
	best[head][tokWord] = 0
	if head > 0 {
		best[head][tokWord] = 1
		for _, l := range c.covers(s, head) {
			best[l][tokWord] = min(best[l][tokWord], 1+math.Log2(float64(headWords(s[:head]))))
		}
	}
	for i := head; i < n; i++ {
		// enter[k]: the fewest bits to s[head:i] and a token of kind k next
		var enter [tokens]float64
		reached := false
		for k := range enter {
			enter[k] = math.Inf(1)
		}
		for k, b := range best[i] {
			if math.IsInf(b, 1) {
				continue
			}
			reached = true
			for kind := range tokens {
				enter[kind] = min(enter[kind], b+c.next[k][kind])
			}
		}
		if !reached {
			continue
		}
		put := func(l, kind int, cost float64) {
			best[i+l][kind] = min(best[i+l][kind], enter[kind]+cost)
		}
		for l := 1; l <= maxRaw && i+l <= n; l++ {
			put(l, tokRaw, c.raw[l])
		}
		if isDigit(s[i]) {
			for l := 1; l <= maxNum && i+l <= n && isDigit(s[i+l-1]); l++ {
				put(l, tokNum, c.num[l])
			}
			continue
		}
		a := int(s[i]) - 'A'
		if uint(a) >= 26 {
			continue
		}
		if c.tag1[a] {
			put(1, tokTag, c.tag)
		}
		if i+2 > n {
			continue
		}
		if b := int(s[i+1]) - 'A'; uint(b) < 26 && c.tag2[a*26+b] {
			put(2, tokTag, c.tag)
		}
		if i+3 > n {
			continue
		}
		at := letters3(s[i:])
		if at < 0 {
			continue
		}
		if c.tag3[at] {
			put(3, tokTag, c.tag)
		}
		// the lengths of the words that start with these three letters,
		// none at most places of a random ID
		ls := c.lens[at]
		if ls == 0 {
			continue
		}
		if c.word3[at] {
			put(3, tokWord, c.word[3])
		}
		if i+4 > n || uint(s[i+3]-'A') >= 26 {
			continue
		}
		at4 := at*26 + int(s[i+3]-'A')
		if c.word4.has(at4) {
			put(4, tokWord, c.word[4])
		}
		if !c.pre4.has(at4) {
			continue
		}
		for ls &^= 1<<3 | 1<<4; ls != 0; ls &= ls - 1 {
			l := bits.TrailingZeros32(ls)
			if i+l > n {
				break
			}
			if _, ok := m[s[i:i+l]]; ok {
				put(l, tokWord, c.word[l])
			}
		}
	}
	return min(best[n][0], best[n][1], best[n][2], best[n][3])
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// headWords counts the words of the list that start with head and go on.
var headWords = func() func(string) int {
	var mu sync.Mutex
	counts := map[string]int{}
	return func(head string) int {
		mu.Lock()
		defer mu.Unlock()
		if k, ok := counts[head]; ok {
			return k
		}
		k := 0
		for w := range set() {
			if len(w) > len(head) && strings.HasPrefix(w, head) {
				k++
			}
		}
		counts[head] = k
		return k
	}
}()

// CodeMargin is how many bits fewer than random (5 a character of base32)
// the code model must write a string in for Code to take it: at most
// 2^-20, about one in a million, of random strings are taken, and in
// fact far fewer. Of 2·10^7 random key IDs (crypto/rand) the most any
// saved was 14.5 bits, and the share that saves k bits or more halves
// with each bit from 10 on (9.5·10^-7 at 10, 4·10^-7 at 12, 5·10^-8 at
// 14): about 10^-9 at 20, by that slope. Business codes with a long word
// or a few short ones save 20 to 50 bits (ASIASOUTHEAST2Q3SALE 34,
// AKIAWIDGET42BLUE7XL2 27, ASIAPACIFICQ3FY25REV 25); shorter ones, all
// tags and numbers, are as near random as their bits say, and no test of
// shape can tell them from a key ID.
const CodeMargin = 20

// Code reports whether s, upper-case letters and the digits 2-7, reads as
// a business code after its first head bytes (see CodeBits): written in
// at least CodeMargin bits fewer than the 5 a character a random base32
// string takes.
func Code(s string, head int) bool {
	if len(s) <= head || len(s) > maxJoined || mostSaved(s, head) < CodeMargin {
		return false
	}
	return CodeBits(s, head) <= 5*float64(len(s)-head)-CodeMargin
}

// mostSaved bounds from above the bits the code model saves on s[head:]
// against random base32, without CodeBits' search: every way to write s
// puts its tokens at distinct places, so the sum over places of the most
// a token starting there could save (0 if none saves) bounds them all. A
// word longer than four letters is assumed wherever its first four
// letters begin one. Most random key IDs hold no more than a few numbers,
// a tag or a three-letter word, and are turned down here at a fraction of
// the search's cost.
func mostSaved(s string, head int) float64 {
	c := model()
	n, total := len(s), 0.0
	if head > 0 && head < n {
		// a word that covers the head and goes on (ASIAN…): exact
		for _, l := range c.covers(s, head) {
			total = max(total, 5*float64(l-head)-1-math.Log2(float64(headWords(s[:head]))))
		}
	}
	for i := head; i < n; i++ {
		best := 0.0
		if isDigit(s[i]) {
			for l := 1; l <= maxNum && i+l <= n && isDigit(s[i+l-1]); l++ {
				best = max(best, 5*float64(l)-c.enterMin[tokNum]-c.num[l])
			}
			total += best
			continue
		}
		a := int(s[i]) - 'A'
		if uint(a) >= 26 || i+2 > n {
			continue
		}
		tag := c.tag1[a]
		if b := int(s[i+1]) - 'A'; uint(b) < 26 && c.tag2[a*26+b] {
			best = max(best, 10-c.enterMin[tokTag]-c.tag)
		}
		if i+3 <= n {
			if at := letters3(s[i:]); at >= 0 {
				if c.tag3[at] {
					best = max(best, 15-c.enterMin[tokTag]-c.tag)
				}
				if c.word3[at] {
					best = max(best, 15-c.enterMin[tokWord]-c.word[3])
				}
				if i+4 <= n && uint(s[i+3]-'A') < 26 {
					at4 := at*26 + int(s[i+3]-'A')
					if c.word4.has(at4) {
						best = max(best, 20-c.enterMin[tokWord]-c.word[4])
					}
					if c.pre4.has(at4) {
						for ls := c.lens[at] &^ (1<<3 | 1<<4); ls != 0; ls &= ls - 1 {
							if l := bits.TrailingZeros32(ls); i+l <= n {
								best = max(best, 5*float64(l)-c.enterMin[tokWord]-c.word[l])
							}
						}
					}
				}
			}
		}
		if tag {
			best = max(best, 5-c.enterMin[tokTag]-c.tag)
		}
		total += best
	}
	return total
}
