package analyzer_test

import (
	"go/ast"
	"go/parser"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/keyscan/keyscan/analyzer"
)

// redacted pulls the redacted value out of a message.
var redacted = regexp.MustCompile(`(\S{4}\*+\S{4})`)

// TestPositions checks that every diagnostic spans exactly the key: the
// source text between Pos and End, decoded as a Go string body, is the
// value the message names; a folded key spans its whole expression.
func TestPositions(t *testing.T) {
	pkgs := []string{"literals", "folded", "comments", "sdkv2", "sdkv1", "lookalike", "split/..."}
	results := analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, pkgs...)
	n := 0
	for _, r := range results {
		fset := r.Pass.Fset
		for _, d := range r.Diagnostics {
			n++
			start, end := fset.Position(d.Pos), fset.Position(d.End)
			src, err := os.ReadFile(start.Filename)
			if err != nil {
				t.Fatal(err)
			}
			if end.Filename != start.Filename || end.Offset < start.Offset || end.Offset > len(src) {
				t.Errorf("%s: bad span to %s", start, end)
				continue
			}
			text := string(src[start.Offset:end.Offset])
			if strings.Contains(d.Message, "assembled by constant folding") {
				if _, err := parser.ParseExpr(text); err != nil || strings.TrimSpace(text) != text {
					t.Errorf("%s: folded key spans %q, not an expression", start, text)
				}
				continue
			}
			if regexp.MustCompile(`^[A-Za-z_]\w*$`).MatchString(text) && !strings.HasPrefix(text, "AKIA") && !strings.HasPrefix(text, "ASIA") {
				continue // a named constant given to the SDK
			}
			if x, err := parser.ParseExpr(text); err == nil {
				if _, lit := x.(*ast.BasicLit); !lit {
					continue // a folded expression given to the SDK
				}
			}
			value := text
			if strings.Contains(text, `\`) {
				if value, err = strconv.Unquote(`"` + text + `"`); err != nil {
					t.Errorf("%s: span %q does not decode: %v", start, text, err)
					continue
				}
			}
			m := redacted.FindStringSubmatch(d.Message)
			if m == nil {
				t.Errorf("%s: message %q names no value", start, d.Message)
				continue
			}
			if got := redact(value); got != m[1] {
				t.Errorf("%s: span %q is %s, message names %s", start, text, got, m[1])
			}
		}
	}
	if n < 30 {
		t.Errorf("only %d diagnostics checked", n)
	}
}

func redact(s string) string {
	n := min(len(s)-8, 32)
	return s[:4] + strings.Repeat("*", n) + s[len(s)-4:]
}
