package report

import (
	"bufio"
	"bytes"
	"testing"
)

// TestArrayWriterAsEncodeJSON checks that arrays written element by element
// (the JSON report, SARIF's results) are the bytes encodeJSON writes for the
// whole array, at the top and nested: empty, one element, several, with
// strings that JSON escapes and HTML characters it must leave alone.
func TestArrayWriterAsEncodeJSON(t *testing.T) {
	type elem struct {
		A string            `json:"a"`
		B []int             `json:"b,omitempty"`
		M map[string]string `json:"m,omitempty"`
	}
	lists := [][]elem{
		{},
		{{A: "<&>"}},
		{{A: "x\n\"y\"\u2028", B: []int{1, 2}}, {A: "", M: map[string]string{"k": "v", "a": "b"}}, {A: "z"}},
	}
	for _, list := range lists {
		var want bytes.Buffer
		if err := encodeJSON(&want, map[string]any{"outer": []any{map[string]any{"list": list}}}); err != nil {
			t.Fatal(err)
		}
		// The same through arrayWriter, spliced where encodeJSON put the list.
		var mark bytes.Buffer
		if err := encodeJSON(&mark, map[string]any{"outer": []any{map[string]any{"list": resultsMark{}}}}); err != nil {
			t.Fatal(err)
		}
		before, after, _ := bytes.Cut(mark.Bytes(), []byte(resultsMarkText))
		line := before[bytes.LastIndexByte(before, '\n')+1:]
		var got bytes.Buffer
		bw := bufio.NewWriter(&got)
		bw.Write(before)
		a := newArrayWriter(bw, string(line[:len(line)-len(bytes.TrimLeft(line, " "))]))
		for _, e := range list {
			a.element(e)
		}
		a.end()
		bw.Write(after)
		bw.Flush()
		if a.err != nil || got.String() != want.String() {
			t.Errorf("%d elements: error %v; got\n%s\nwant\n%s", len(list), a.err, got.String(), want.String())
		}
	}
}
