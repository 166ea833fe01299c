package analyzer_test

import (
	"go/parser"
	"go/token"
	"testing"

	"github.com/keyscan/keyscan/analyzer"
)

// TestRefersOutside: the cheap test that makes keyscan staged read a
// candidate's folder (qa31 F2): an addition of a name the file declares
// nowhere, and nothing else.
func TestRefersOutside(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{
		{`const K = idHead + "x"`, true},
		{`const K = ("x" + (idHead))`, true},
		{`func f() string { s := "a"; s += tail; return s }`, true},
		{`const idHead = "a"; const K = idHead + "x"`, false},
		{`func f(p string) string { q := "b"; return p + q + "x" }`, false},
		{`func f() string { for _, v := range []string{"a"} { return v + "x" }; return "" }`, false},
		{`const K = lib.Sep + "x"`, false}, // another package's: not a sibling's
		{`var n = len("ab") + 1`, false},
		{`const t = true; var x = iota + 1`, false},
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "a.go", "package p\n"+c.src+"\n", parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		if got := analyzer.RefersOutside(f); got != c.want {
			t.Errorf("RefersOutside(%s) = %v, want %v", c.src, got, c.want)
		}
	}
}
