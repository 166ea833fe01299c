package content

import (
	"context"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestSheetHeaderOwnColumn: in an .xlsx a header cell names the values of
// its own column only. The shared strings hold every cell's text in the
// order it was first typed, so a "Secret access key" header stands a few
// items before an unrelated value of another column (a build ID, a
// checksum), and an inline-string sheet puts the next row's first cell
// right after a header's row: neither is the header's value. Each layout
// is written with shared strings (as Excel saves) and inline strings (as
// the Open XML SDK and many exporters write).
func TestSheetHeaderOwnColumn(t *testing.T) {
	sc := newScanner(t)
	g := fakekey.New(2929)
	falses := map[string][][]any{
		"other-column":       {{"User name", "Secret access key", "Build ID"}, {"ci", "rotated, see the vault", g.Secret()}},
		"other-column-empty": {{"User name", "Secret access key", "Build ID"}, {"ci", nil, g.Secret()}},
		"next-column":        {{"Secret access key", "Build ID"}, {nil, g.Secret()}},
		"below-left":         {{"Notes", "Secret access key"}, {g.Secret(), "in the vault"}},
		"diagonal":           {{"Secret access key", nil}, {nil, g.Secret()}},
		"value-word-between": {{"Secret access key", "Key"}, {nil, g.Secret()}},
		"token-other-column": {{"AWS_SESSION_TOKEN", "Checksum"}, {nil, g.Secret()}},
	}
	for name, rows := range falses {
		for _, inline := range []bool{false, true} {
			r := Scan(context.Background(), sc, name+".xlsx", xlsxOf(t, rows, "", inline), DefaultOptions())
			for _, f := range r.Findings {
				t.Errorf("%s (inline %v): a value of another column reported: %s line %d: %s", name, inline, f.File, f.Line, f.Context)
			}
		}
	}
	type want struct {
		rows    [][]any
		secrets []string
	}
	trues := map[string]want{}
	add := func(name string, rows [][]any, secrets ...string) { trues[name] = want{rows, secrets} }
	s := g.Secret()
	add("above", [][]any{{"Secret access key"}, {s}}, s)
	s = g.Secret()
	add("above-among", [][]any{{"User name", "Secret access key", "Build ID"}, {"ci", s, "b-1842"}}, s)
	s = g.Secret()
	add("label-row", [][]any{{"Secret access key", s}}, s)
	s = g.Secret()
	add("name-value", [][]any{{"Name", "Value"}, {"Secret access key", s}}, s)
	s = g.Secret()
	add("pair", [][]any{{"Access key ID", "Secret access key"}, {g.KeyID("AKIA"), s}}, s)
	s = g.Secret()
	add("one-cell", [][]any{{"aws_secret_access_key = " + s}}, s)
	s = g.Secret()
	add("rich-header", [][]any{{"rich:aws_secret_access_key"}, {s}}, s)
	for name, w := range trues {
		for _, inline := range []bool{false, true} {
			if inline && name == "rich-header" {
				continue // runs are the shared strings' (xlsxOf)
			}
			r := Scan(context.Background(), sc, name+".xlsx", xlsxOf(t, w.rows, "", inline), DefaultOptions())
			got := map[string]int{}
			for _, f := range r.Findings {
				got[f.Secret]++
			}
			for _, s := range w.secrets {
				if got[s] != 1 {
					t.Errorf("%s (inline %v): secret found %d times, want once; findings %v", name, inline, got[s], r.Findings)
				}
			}
		}
	}
}
