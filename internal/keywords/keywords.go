// Package keywords tells, in one pass over a text's bytes, which groups of
// words each of its lines holds. It is the prefilter of readers that run
// several regular expressions on every line of a file (fix's custom
// endpoint search): a line that holds none of the words an expression needs
// cannot match it, and one scan costs far less than the expressions do.
//
// The search is case-blind as Go's own case folding is (regexp's (?i),
// strings.ToLower, strings.EqualFold): besides ASCII's two cases, the three
// letters that fold to an ASCII one count as it (ſ as s, the Kelvin sign
// as k, İ as i), so a line an expression or a lowered comparison could take
// for a word is never passed over.
package keywords

import (
	"bytes"
	"strings"
)

// Set is a compiled list of groups of words (an Aho-Corasick automaton
// over byte classes); safe for concurrent use.
type Set struct {
	class  [256]uint8 // byte → class; 0 for bytes no word holds
	nclass int
	next   []uint16 // state*nclass+class → next state
	out    []uint16 // state → the groups of the words that end there
}

// New compiles groups of words (at most 16 groups); group g's words set bit
// 1<<g of a line's mask. Words are taken in lower case.
func New(groups ...[]string) *Set {
	s := &Set{}
	var words [][]byte
	var wgroup []int
	for g, ws := range groups[:min(len(groups), 16)] {
		for _, w := range ws {
			if w = strings.ToLower(w); w != "" {
				words = append(words, []byte(w))
				wgroup = append(wgroup, g)
			}
		}
	}
	s.nclass = 1
	for _, w := range words {
		for _, c := range w {
			if s.class[c] == 0 {
				s.class[c] = uint8(s.nclass)
				s.nclass++
			}
		}
	}
	for c := 'A'; c <= 'Z'; c++ {
		s.class[c] = s.class[c+'a'-'A']
	}
	// The trie, with -1 for no child.
	child := [][]int{make([]int, s.nclass)}
	out := []uint16{0}
	for i := range child[0] {
		child[0][i] = -1
	}
	for k, w := range words {
		st := 0
		for _, c := range w {
			cl := s.class[c]
			if child[st][cl] < 0 {
				row := make([]int, s.nclass)
				for i := range row {
					row[i] = -1
				}
				child = append(child, row)
				out = append(out, 0)
				child[st][cl] = len(child) - 1
			}
			st = child[st][cl]
		}
		out[st] |= 1 << wgroup[k]
	}
	// Breadth first: each state's failure link, its output joined with
	// the link's, and its missing moves taken from the link's.
	fail := make([]int, len(child))
	queue := []int{}
	for cl := range s.nclass {
		if c := child[0][cl]; c >= 0 {
			queue = append(queue, c)
		} else {
			child[0][cl] = 0
		}
	}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		out[st] |= out[fail[st]]
		for cl := range s.nclass {
			c := child[st][cl]
			if c < 0 {
				child[st][cl] = child[fail[st]][cl]
				continue
			}
			fail[c] = child[fail[st]][cl]
			queue = append(queue, c)
		}
	}
	s.next = make([]uint16, len(child)*s.nclass)
	for st, row := range child {
		for cl, c := range row {
			s.next[st*s.nclass+cl] = uint16(c)
		}
	}
	s.out = out
	return s
}

// Lines returns, for each line of data (split at '\n', the last one
// whether or not a '\n' ends it), the groups of the words it holds.
func (s *Set) Lines(data []byte) []uint16 {
	masks := make([]uint16, 1, 1+bytes.Count(data, []byte("\n")))
	line, st := 0, 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
			masks = append(masks, 0)
			line++
			st = 0
			continue
		case c >= 0x80:
			c = s.folded(data, &i)
		}
		st = int(s.next[st*s.nclass+int(s.class[c])])
		if m := s.out[st]; m != 0 {
			masks[line] |= m
		}
	}
	return masks
}

// folded returns the ASCII letter that the non-ASCII letter at data[*i]
// folds to (moving *i to its last byte), or c itself.
func (s *Set) folded(data []byte, i *int) byte {
	for _, f := range foldsToASCII {
		if bytes.HasPrefix(data[*i:], f.utf8) {
			*i += len(f.utf8) - 1
			return f.ascii
		}
	}
	return data[*i]
}

// foldsToASCII are the letters whose case folding (unicode.SimpleFold,
// unicode.ToLower) reaches an ASCII letter.
var foldsToASCII = []struct {
	utf8  []byte
	ascii byte
}{{[]byte("\u017f"), 's'}, {[]byte("\u212a"), 'k'}, {[]byte("\u0130"), 'i'}}
