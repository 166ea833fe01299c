package scanner

import (
	"bytes"
	"math"
	"strings"
)

// Small byte-level helpers shared by the matcher. They work on offsets and
// never allocate.

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlnum(c byte) bool { return isUpper(c) || isLower(c) || isDigit(c) }
func isWord(c byte) bool  { return isAlnum(c) || c == '_' }
func isBase32(c byte) bool {
	return isUpper(c) || ('2' <= c && c <= '7')
}
func isSecretChar(c byte) bool { return isAlnum(c) || c == '/' || c == '+' }

// isIdentChar is what a config key or variable name is made of, in any naming style.
func isIdentChar(c byte) bool { return isWord(c) || c == '-' || c == '.' }

func lineStart(data []byte, i int) int {
	return bytes.LastIndexByte(data[:i], '\n') + 1
}

func lineEnd(data []byte, i int) int {
	if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(data)
}

// linesBack returns the start of the line n lines above the one holding i,
// going back no further than limit bytes.
func linesBack(data []byte, i, n, limit int) int {
	lo := max(0, i-limit)
	s := lineStart(data, i)
	for ; n > 0 && s > lo; n-- {
		s = lineStart(data, s-1)
	}
	return max(s, lo)
}

// linesForward returns the end of the line n lines below the one holding i,
// going no further than limit bytes.
func linesForward(data []byte, i, n, limit int) int {
	hi := min(len(data), i+limit)
	e := lineEnd(data, min(i, len(data)))
	for ; n > 0 && e < hi; n-- {
		e = lineEnd(data, e+1)
	}
	return min(e, hi)
}

// entropy is the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	var h float64
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// commonTrigrams are frequent in English words and in the names code is
// made of. Random secrets contain one by chance about once in a hundred;
// identifiers and paths contain many.
var commonTrigrams = func() map[[3]byte]bool {
	m := map[[3]byte]bool{}
	for _, t := range strings.Fields(`the ing ion ent con get set key ret acc ess cre den ial env ron men var str
		ame fig ure ces sec aws ate and ver pro res ser tio ter per ons ist ect ore ive ble all est for com tor int
		ame use ble ala ing ain ari ice ide ile ine ise ity lin log man ner nge not ons our out ort ous pre rea
		red rin ron sio ste sto tra und val ver ath ile dat ata ire fro rom mai nfi ont oun rce urc sou era rat ato act`) {
		m[[3]byte{t[0], t[1], t[2]}] = true
	}
	return m
}()

// wordiness counts the common English trigrams in s, ignoring case.
func wordiness(s string) int {
	n := 0
	for i := 0; i+3 <= len(s); i++ {
		var t [3]byte
		ok := true
		for j := range 3 {
			c := s[i+j] | 0x20
			if !isLower(c) {
				ok = false
				break
			}
			t[j] = c
		}
		if ok && commonTrigrams[t] {
			n++
		}
	}
	return n
}

// ascending counts adjacent pairs that step up by one (abc, 123): keyboard
// placeholders are full of them, random strings are not.
func ascending(s string) int {
	n := 0
	for i := 0; i+1 < len(s); i++ {
		if s[i+1] == s[i]+1 {
			n++
		}
	}
	return n
}

func distinct(s string) int {
	var seen [256]bool
	n := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]] = true
			n++
		}
	}
	return n
}

// containsFold reports whether s contains the upper-case ASCII word w, ignoring case.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		j := 0
		for ; j < len(w); j++ {
			c := s[i+j]
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			if c != w[j] {
				break
			}
		}
		if j == len(w) {
			return true
		}
	}
	return false
}
