package history

import (
	"reflect"
	"testing"
)

// TestInsertWarnings puts each message's warnings where they would have come
// had the message been scanned when it was met (flushMessages).
func TestInsertWarnings(t *testing.T) {
	w := func(s string) Warning { return Warning{Message: s} }
	ws := []Warning{w("a"), w("b"), w("c")}
	cases := []struct {
		at   []int
		want string
	}{
		{nil, "abc"},
		{[]int{0}, "0abc"},
		{[]int{1, 1}, "a01bc"},
		{[]int{0, 2, 3}, "0ab1c2"},
		{[]int{3, 3}, "abc01"},
	}
	for _, c := range cases {
		var add []Warning
		for i := range c.at {
			add = append(add, w(string(rune('0'+i))))
		}
		got := ""
		for _, x := range insertWarnings(append([]Warning(nil), ws...), add, c.at) {
			got += x.Message
		}
		if got != c.want {
			t.Errorf("at %v: %q, want %q", c.at, got, c.want)
		}
	}
	if got := insertWarnings(nil, []Warning{w("x")}, []int{0}); !reflect.DeepEqual(got, []Warning{w("x")}) {
		t.Errorf("into none: %v", got)
	}
}
