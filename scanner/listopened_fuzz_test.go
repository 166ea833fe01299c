package scanner

import (
	"strings"
	"testing"
)

// FuzzListOpenedAt: where a list's rewrite starts is never before bound
// nor after its first item, and what it takes in is only what may stand
// between a list and its name: blanks, line breaks, a \ before one,
// opening brackets and "".join calls.
func FuzzListOpenedAt(f *testing.F) {
	f.Add([]byte("AWS_SECRET_ACCESS_KEY = ''.join(\n    [\n        'a',"), 0)
	f.Add([]byte("KEY = \\\n    \"\".join([\n 'a',"), 3)
	f.Add([]byte("X = (\n    ''.join(\n        (\n 'a', # c\n 'b',"), 0)
	f.Add([]byte("const k =\n  [\n    'a', /* c */ 'b',"), 2)
	f.Fuzz(func(t *testing.T, d []byte, bound int) {
		first := strings.LastIndexByte(string(d), '\'')
		if first < 0 || bound < 0 || bound > first {
			return
		}
		r := listOpenedAt(d, first, bound)
		if r < bound || r > first {
			t.Fatalf("listOpenedAt(%q, %d, %d) = %d", d, first, bound, r)
		}
		rest := strings.NewReplacer(`''.join`, "", `"".join`, "").Replace(string(d[r:first]))
		if strings.Trim(rest, " \t\r\n\\([{") != "" {
			t.Fatalf("listOpenedAt(%q, %d, %d) took in %q", d, first, bound, d[r:first])
		}
		for i := range d {
			if n := listSep(d, i, i%2 == 0); n < 0 || i+n > len(d) {
				t.Fatalf("listSep(%q, %d) = %d", d, i, n)
			}
		}
	})
}
