package content

import (
	"context"
	"fmt"
	"strings"
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

// workbookOf is an .xlsx of two sheets as openpyxl writes one (formulas
// without values, inline strings): "Users" (sheet1.xml) whose row 1 is
// label then formula, and "My Data" (sheet2.xml) whose row 1 holds the
// cells data gives, from A1 on; names are workbook.xml's definedNames.
func workbookOf(t *testing.T, label, f string, data []string, names string) []byte {
	t.Helper()
	esc := func(s string) string {
		return strings.NewReplacer("&", "&amp;", "<", "&lt;", `"`, "&quot;").Replace(s)
	}
	cells := ""
	for i, d := range data {
		cells += fmt.Sprintf(`<c r="%c1" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+i, d)
	}
	ws := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>`
	return zipOf(t,
		"xl/workbook.xml", xmlHead+`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Users" sheetId="1" r:id="rId1"/><sheet name="My Data" sheetId="2" r:id="rId2"/></sheets>`+names+`</workbook>`,
		"xl/_rels/workbook.xml.rels", xmlHead+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml", xmlHead+fmt.Sprintf(ws, `<row r="1"><c r="A1" t="inlineStr"><is><t>`+label+`</t></is></c><c r="B1"><f>`+esc(f)+`</f><v></v></c></row>`),
		"xl/worksheets/sheet2.xml", xmlHead+fmt.Sprintf(ws, `<row r="1">`+cells+`</row>`),
	)
}

// TestXlsxFormulaWorkbook is qa36 M2's rest: a formula without a value
// that joins with TEXTJOIN("",TRUE,…), cells of another sheet (Data!A1,
// 'My Data'!A1:B1) or the workbook's defined names (a cell, a range, a
// string constant) is read as Excel computes it: the key found, a key ID
// with no name near and a secret under its label, at several cuts.
func TestXlsxFormulaWorkbook(t *testing.T) {
	sc := newScanner(t)
	g := fakekey.New(37092)
	id, secret := g.KeyID("AKIA"), g.Secret()
	q := func(s string) string { return `"` + s + `"` }
	type book struct {
		f     string
		data  []string
		names string
	}
	name := func(n, def string) string {
		return `<definedName name="` + n + `">` + strings.NewReplacer("&", "&amp;", `"`, "&quot;").Replace(def) + `</definedName>`
	}
	shapes := map[string]func(v string, k int) book{
		"textjoin": func(v string, k int) book {
			return book{f: `_xlfn.TEXTJOIN("",TRUE,` + q(v[:k]) + `,` + q(v[k:]) + `)`}
		},
		"textjoin over a range, an empty cell": func(v string, k int) book {
			return book{f: `_xlfn.TEXTJOIN("",TRUE,'My Data'!A1:C1)`, data: []string{v[:k], "", v[k:]}}
		},
		"other sheet": func(v string, k int) book {
			return book{f: `'My Data'!A1&'My Data'!$B$1`, data: []string{v[:k], v[k:]}}
		},
		"other sheet range": func(v string, k int) book {
			return book{f: `CONCAT('My Data'!A1:B1)`, data: []string{v[:k], v[k:]}}
		},
		"names of cells": func(v string, k int) book {
			return book{f: `CONCATENATE(head,tail)`, data: []string{v[:k], v[k:]},
				names: `<definedNames>` + name("head", `'My Data'!$A$1`) + name("tail", `'My Data'!$B$1`) + `</definedNames>`}
		},
		"names of strings": func(v string, k int) book {
			return book{f: `part1&part2`, names: `<definedNames>` + name("part1", q(v[:k])) + name("Part2", q(v[k:])) + `</definedNames>`}
		},
		"name of a range": func(v string, k int) book {
			return book{f: `CONCAT(parts)`, data: []string{v[:k], v[k:]}, names: `<definedNames>` + name("parts", `'My Data'!$A$1:$B$1`) + `</definedNames>`}
		},
	}
	for shape, mk := range shapes {
		for k := 1; k < len(id); k += 2 {
			b := mk(id, k)
			r := Scan(context.Background(), sc, "book.xlsx", workbookOf(t, "Deploy", b.f, b.data, b.names), DefaultOptions())
			if !found(r.Findings, id) {
				t.Errorf("%s, key ID cut at %d: %v, want it", shape, k, r.Findings)
			}
		}
		for k := 1; k < len(secret); k += 5 {
			b := mk(secret, k)
			r := Scan(context.Background(), sc, "book.xlsx", workbookOf(t, "aws_secret_access_key", b.f, b.data, b.names), DefaultOptions())
			if !found(r.Findings, secret) {
				t.Errorf("%s, secret cut at %d: %v, want it", shape, k, r.Findings)
			}
		}
	}
	// A delimiter between the pieces, a sheet the workbook does not have,
	// a name it does not define, a range outside CONCAT: no key.
	for _, b := range []book{
		{f: `TEXTJOIN("-",TRUE,` + q(id[:10]) + `,` + q(id[10:]) + `)`},
		{f: `Other!A1&Other!B1`, data: []string{id[:10], id[10:]}},
		{f: `head&tail`, names: `<definedNames>` + name("head", q(id[:10])) + `</definedNames>`},
		{f: `parts&""`, data: []string{id[:10], id[10:]}, names: `<definedNames>` + name("parts", `'My Data'!$A$1:$B$1`) + `</definedNames>`},
	} {
		r := Scan(context.Background(), sc, "book.xlsx", workbookOf(t, "Deploy", b.f, b.data, b.names), DefaultOptions())
		if found(r.Findings, id) {
			t.Errorf("%s: %v, want no key", b.f, r.Findings)
		}
	}
}

// TestODSFormulaJoins: an .ods whose cells hold formulas without values
// (table:formula="of:=…", no text: a library's file) is read as Excel's
// are: CONCATENATE over literals, & over its own and another table's
// cells, TEXTJOIN; the key ID found with no name near, the secret under
// its label, at several cuts.
func TestODSFormulaJoins(t *testing.T) {
	sc := newScanner(t)
	g := fakekey.New(37093)
	id, secret := g.KeyID("AKIA"), g.Secret()
	esc := strings.NewReplacer("&", "&amp;", `"`, "&quot;").Replace
	cell := func(text string) string {
		return `<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>` + text + `</text:p></table:table-cell>`
	}
	ods := func(label, f string, data ...string) []byte {
		var d strings.Builder
		for _, x := range data {
			d.WriteString(cell(x))
		}
		content := xmlHead + `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3"><office:body><office:spreadsheet>` +
			`<table:table table:name="Users"><table:table-row>` + cell(label) + `<table:table-cell table:formula="` + esc(f) + `" office:value-type="string"/></table:table-row></table:table>` +
			`<table:table table:name="Key parts"><table:table-row>` + d.String() + `</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`
		return zipOf(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", content)
	}
	q := func(s string) string { return `"` + s + `"` }
	shapes := map[string]func(label, v string, k int) []byte{
		"concatenate": func(label, v string, k int) []byte {
			return ods(label, `of:=CONCATENATE(`+q(v[:k])+`;`+q(v[k:])+`)`)
		},
		"other table": func(label, v string, k int) []byte {
			return ods(label, `of:=['Key parts'.A1]&[$'Key parts'.$B$1]`, v[:k], v[k:])
		},
		"textjoin": func(label, v string, k int) []byte {
			return ods(label, `of:=TEXTJOIN("";1;['Key parts'.A1:.B1])`, v[:k], v[k:])
		},
	}
	for shape, mk := range shapes {
		for k := 1; k < len(id); k += 2 {
			r := Scan(context.Background(), sc, "book.ods", mk("Deploy", id, k), DefaultOptions())
			if !found(r.Findings, id) {
				t.Errorf("%s, key ID cut at %d: %v, want it", shape, k, r.Findings)
			}
		}
		for k := 1; k < len(secret); k += 5 {
			r := Scan(context.Background(), sc, "book.ods", mk("Secret access key", secret, k), DefaultOptions())
			if !found(r.Findings, secret) {
				t.Errorf("%s, secret cut at %d: %v, want it", shape, k, r.Findings)
			}
		}
	}
}
