package content

import (
	"context"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestXlsxFormulaJoins is qa34 5: a workbook written by a library holds a
// formula without the value Excel would compute, so a key typed as a join,
// CONCATENATE("AKIA…","…"), "AKIA…"&"…", or A1&B1 over two cells, is whole
// in no byte of it. The join is read, at every place of the cut, with
// shared and inline strings around it, a key ID with no name near and a
// secret named by its row's label or in its own text.
func TestXlsxFormulaJoins(t *testing.T) {
	sc := newScanner(t)
	g := fakekey.New(34052)
	id, secret := g.KeyID("AKIA"), g.Secret()
	q := func(s string) string { return `"` + s + `"` }
	shapes := map[string]func(v string, k int) []any{
		"concatenate": func(v string, k int) []any {
			return []any{"Deploy", formula("CONCATENATE(" + q(v[:k]) + "," + q(v[k:]) + ")")}
		},
		"ampersand":    func(v string, k int) []any { return []any{"Deploy", formula(q(v[:k]) + "&" + q(v[k:]))} },
		"cells":        func(v string, k int) []any { return []any{"Deploy", formula("C1&$D$1"), v[:k], v[k:]} },
		"concat range": func(v string, k int) []any { return []any{"Deploy", formula("CONCAT(C1:D1)"), v[:k], v[k:]} }, // qa36 M2
		"concat refs": func(v string, k int) []any {
			return []any{"Deploy", formula("_xlfn.CONCAT(C1," + q(v[k:]) + ")"), v[:k]}
		},
	}
	for name, shape := range shapes {
		for _, inline := range []bool{false, true} {
			for k := 1; k < len(id); k++ {
				rows := [][]any{shape(id, k)}
				r := Scan(context.Background(), sc, "book.xlsx", xlsxOf(t, rows, "", inline), DefaultOptions())
				if !found(r.Findings, id) {
					t.Errorf("%s (inline %v), key ID cut at %d: %v, want it", name, inline, k, r.Findings)
				}
			}
			for k := 1; k < len(secret); k++ {
				row := shape(secret, k)
				row[0] = "aws_secret_access_key"
				r := Scan(context.Background(), sc, "book.xlsx", xlsxOf(t, [][]any{row}, "", inline), DefaultOptions())
				if !found(r.Findings, secret) {
					t.Errorf("%s (inline %v), secret cut at %d: %v, want it", name, inline, k, r.Findings)
				}
			}
		}
	}
	// The name in the join's own text, as qa34's generator writes it.
	r := Scan(context.Background(), sc, "book.xlsx", xlsxOf(t, [][]any{{formula(`"aws_secret_access_key="&"` + secret[:20] + `"&"` + secret[20:] + `"`)}}, "", false), DefaultOptions())
	if !found(r.Findings, secret) {
		t.Errorf("named in the join: %v, want the secret", r.Findings)
	}
}

// TestXlsxFormulaOrdinary: ordinary workbooks' formulas without values
// (sums, lookups, names joined with blanks, dates, a region's words
// joined) make no finding, and neither does a join that is not a key.
func TestXlsxFormulaOrdinary(t *testing.T) {
	sc := newScanner(t)
	rows := [][]any{
		{"Name", "First", "Last", "Full", "Secret access key", "Region"},
		{1, "Ada", "Lovelace", formula(`CONCATENATE(B2," ",C2)`), "in the vault", formula(`"ASIA"&"PACIFIC"`)},
		{2, "Alan", "Turing", formula(`B3&" "&C3`), formula(`"see "&"https://console.aws.amazon.com/iam/"`), formula(`"US-EAST-"&1`)},
		{3, "Total", nil, formula(`SUM(A2:A3)`), formula(`IF(A2>1,"rotated","active")`), formula(`VLOOKUP(A2,Sheet2!A:B,2,FALSE)`)},
		{4, "Key", formula(`"AKIA"&"IOSFODNN7EXAMPLE"`), formula(`REPT("A",40)`), formula(`"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"`), formula(`TEXT(TODAY(),"yyyy-mm-dd")`)},
	}
	for _, inline := range []bool{false, true} {
		r := Scan(context.Background(), sc, "ordinary.xlsx", xlsxOf(t, rows, "", inline), DefaultOptions())
		for _, f := range r.Findings {
			t.Errorf("inline %v: %s line %d: %s", inline, f.File, f.Line, f.Context)
		}
	}
}

// found reports whether one of the findings is of the value s.
func found(fs scanner.Findings, s string) bool {
	for _, f := range fs {
		if f.Secret == s {
			return true
		}
	}
	return false
}
