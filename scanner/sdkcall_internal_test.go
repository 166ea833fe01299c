package scanner

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// botoSessionCallsBySearch is what botoSessionCalls did before it read the
// opening parentheses: a search of the whole input for each name.
func (m *match) botoSessionCallsBySearch() {
	d := m.data
	for _, name := range [...]string{".client(", ".resource("} {
		for k := 0; ; {
			i := bytes.Index(d[k:], []byte(name))
			if i < 0 {
				break
			}
			at := k + i + 1
			k = at
			open := at + len(name) - 2
			s, e := identAround(d, at, open)
			if e != open || botoCall(string(d[s:e])) != 0 || !eightArguments(d, open) {
				continue
			}
			m.addKeyword(keyword{start: s, end: e, strong: true, call: open, arg: 8})
		}
	}
}

// TestBotoSessionCallsAsSearches holds botoSessionCalls to the searches it
// replaced: the same keywords in the same order.
func TestBotoSessionCallsAsSearches(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	pieces := []string{".client(", ".resource(", "session", "boto3", "s3", ".client", ".resource", "client(", "resource(",
		"(", ")", ", ", "a, b, c, d, e, f, g, h", "'s3', None, None, None, None, None, KEY, SECRET", ".", " ", "\n", "x", "[", "]", ";"}
	r := rand.New(rand.NewPCG(26, 7))
	for round := range 20000 {
		var b []byte
		for range r.IntN(16) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		got, want := newMatch(s, "t.py", b), newMatch(s, "t.py", b)
		got.botoSessionCalls()
		want.botoSessionCallsBySearch()
		if !slices.Equal(got.keywords, want.keywords) || got.unsorted != want.unsorted {
			t.Fatalf("round %d, %q:\n got %+v\nwant %+v", round, b, got.keywords, want.keywords)
		}
		got.release()
		want.release()
	}
}
