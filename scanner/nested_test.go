package scanner_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyscan/keyscan/scanner"
)

// TestWithoutNested: a finding whose place lies within another's of the
// same file, rule and value is dropped, the outer kept (qa29 L1: the byte
// scan's join of fmt.Sprint's literals and the type checker's fold of the
// call were one key reported twice); the same value elsewhere, another
// value or rule in the same place, findings with no line, two at the very
// same place, and another file's (one reading) stay.
func TestWithoutNested(t *testing.T) {
	f := func(file string, line, col, endLine, endCol int, rule, secret string) scanner.Finding {
		return scanner.Finding{File: file, Line: line, Column: col, EndLine: endLine, EndColumn: endCol, Rule: rule, Secret: secret}
	}
	const id, id2, rule, other = "ID1", "ID2", "aws-access-key-id", "aws-secret-access-key"
	cases := []struct {
		name     string
		in, want scanner.Findings
	}{
		{"call and its literals", scanner.Findings{f("a.go", 5, 21, 5, 47, rule, id), f("a.go", 5, 10, 5, 48, rule, id)},
			scanner.Findings{f("a.go", 5, 10, 5, 48, rule, id)}},
		{"over lines", scanner.Findings{f("a.go", 6, 2, 7, 20, rule, id), f("a.go", 5, 10, 8, 2, rule, id)},
			scanner.Findings{f("a.go", 5, 10, 8, 2, rule, id)}},
		{"same start, shorter", scanner.Findings{f("a.go", 5, 10, 5, 30, rule, id), f("a.go", 5, 10, 5, 48, rule, id)},
			scanner.Findings{f("a.go", 5, 10, 5, 48, rule, id)}},
		{"elsewhere", scanner.Findings{f("a.go", 5, 10, 5, 48, rule, id), f("a.go", 9, 10, 9, 48, rule, id), f("b.go", 5, 21, 5, 47, rule, id)},
			scanner.Findings{f("a.go", 5, 10, 5, 48, rule, id), f("a.go", 9, 10, 9, 48, rule, id), f("b.go", 5, 21, 5, 47, rule, id)}},
		{"overlapping, not within", scanner.Findings{f("a.go", 5, 10, 5, 30, rule, id), f("a.go", 5, 20, 5, 48, rule, id)},
			scanner.Findings{f("a.go", 5, 10, 5, 30, rule, id), f("a.go", 5, 20, 5, 48, rule, id)}},
		{"other value or rule", scanner.Findings{f("a.go", 5, 10, 5, 48, rule, id), f("a.go", 5, 21, 5, 47, rule, id2), f("a.go", 5, 21, 5, 47, other, id)},
			scanner.Findings{f("a.go", 5, 10, 5, 48, rule, id), f("a.go", 5, 21, 5, 47, rule, id2), f("a.go", 5, 21, 5, 47, other, id)}},
		{"same place", scanner.Findings{f("a.go", 5, 10, 5, 48, rule, id), f("a.go", 5, 10, 5, 48, rule, id)},
			scanner.Findings{f("a.go", 5, 10, 5, 48, rule, id), f("a.go", 5, 10, 5, 48, rule, id)}},
		{"no line", scanner.Findings{{File: "b.bin", Offset: 10, EndOffset: 30, Rule: rule, Secret: id}, {File: "b.bin", Offset: 12, EndOffset: 28, Rule: rule, Secret: id}},
			scanner.Findings{{File: "b.bin", Offset: 10, EndOffset: 30, Rule: rule, Secret: id}, {File: "b.bin", Offset: 12, EndOffset: 28, Rule: rule, Secret: id}}},
		{"not Go", scanner.Findings{f("a.txt", 5, 10, 5, 48, rule, id), f("a.txt", 5, 21, 5, 47, rule, id)},
			scanner.Findings{f("a.txt", 5, 10, 5, 48, rule, id), f("a.txt", 5, 21, 5, 47, rule, id)}},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, c.in.WithoutNested()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
	// One key thousands of times in a file, each inside the next: swept
	// once, the outermost kept.
	var many scanner.Findings
	for i := range 20000 {
		many = append(many, f("big.go", 1, 1+i, 1, 100000-i, rule, id))
	}
	if got := many.WithoutNested(); len(got) != 1 || got[0].Column != 1 {
		t.Errorf("20000 nested places: kept %d, want the outermost", len(got))
	}
}
