package keywords

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
)

// naive is Lines by lowering each line (with Go's own case mapping) and
// looking for each word in it.
func naive(groups [][]string, data []byte) []uint16 {
	var masks []uint16
	for _, l := range bytes.Split(data, []byte("\n")) {
		low := strings.ToLower(string(l))
		var m uint16
		for g, ws := range groups {
			for _, w := range ws {
				if w != "" && strings.Contains(low, strings.ToLower(w)) {
					m |= 1 << g
				}
			}
		}
		masks = append(masks, m)
	}
	return masks
}

var testGroups = [][]string{{"endpoint", "host_b", "mc", "s3cmd"}, {"s3", "minio", "9000", "storage"}, {"type", "fs"}, {"do", "r2", "other"}}

func TestLines(t *testing.T) {
	data := []byte("a=1\nAWS_ENDPOINT_URL=x\nMinIO\nr2 do\n\nhost_bucket %s\nS\u017f3cmd\nMC\n")
	got := New(testGroups...).Lines(data)
	want := []uint16{0, 1, 2, 8, 0, 1, 3, 1, 0} // Sſ3cmd holds s3 too
	if !slicesEqual(got, want) {
		t.Errorf("Lines = %v, want %v", got, want)
	}
}

func slicesEqual(a, b []uint16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestFoldsToASCII: foldsToASCII holds every rune beyond ASCII whose case
// folding or lower case is an ASCII letter (what (?i), EqualFold and
// ToLower take for one).
func TestFoldsToASCII(t *testing.T) {
	have := map[rune]byte{}
	for _, f := range foldsToASCII {
		have[[]rune(string(f.utf8))[0]] = f.ascii
	}
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		var ascii rune = -1
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < 0x80 {
				ascii = unicode.ToLower(f)
			}
		}
		if l := unicode.ToLower(r); l < 0x80 {
			ascii = l
		}
		if got, ok := have[r]; ascii >= 0 != ok || ok && rune(got) != ascii {
			t.Errorf("rune %U folds to %q; foldsToASCII has %q (%v)", r, ascii, got, ok)
		}
	}
}

// FuzzLines: the automaton's masks are naive's, for any text (lines with
// the folding letters too: naive lowers them as Go does; a line only
// matching through ſ or the Kelvin sign is a superset hit naive's
// ToLower misses, so those are compared by (?i)-style folding below).
func FuzzLines(f *testing.F) {
	for _, s := range []string{"", "\n", "ENDPOINT\n", "s3cmd x\nminio", "endpoin\nt", "\u212aubernetes", "ho\u017ft_base", "MİNIO", "do other r2\n9000"} {
		f.Add(s)
	}
	set := New(testGroups...)
	f.Fuzz(func(t *testing.T, s string) {
		data := []byte(s)
		// Lowering the way Lines reads: the three letters as their
		// ASCII ones.
		norm := strings.NewReplacer("\u017f", "s", "\u212a", "k", "\u0130", "i").Replace(s)
		want := naive(testGroups, []byte(asciiLower(norm)))
		if got := set.Lines(data); !slicesEqual(got, want) {
			t.Fatalf("Lines(%q) = %v, want %v", s, got, want)
		}
	})
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
