package tables

import (
	"strings"
	"testing"
)

// TestFormulaJoins: a formula without a value is read as the join it is:
// string literals (with "" for a quote), numbers, references to the
// sheet's cells (one level: another join's references are not followed),
// joined by & or CONCATENATE/CONCAT, in the XML openpyxl and the Open XML
// SDK write; a formula with a value keeps its value, and any other
// formula is not read.
func TestFormulaJoins(t *testing.T) {
	sheet := func(rows string) string {
		return `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`
	}
	for _, tc := range []struct{ name, rows, want string }{
		{"concatenate", `<row r="1"><c r="A1"><f>CONCATENATE("AKIA","QX7")</f><v></v></c></row>`, "1\tAKIAQX7\n"},
		{"ampersand", `<row r="1"><c r="A1" t="str"><f>"ab"&amp;"cd"&amp;12</f><v/></c></row>`, "1\tabcd12\n"},
		{"no v", `<row r="1"><c r="A1"><f>_xlfn.CONCAT("a", ("b"), "c""d")</f></c></row>`, "1\tabc'd\n"},
		{"refs", `<row r="1"><c r="A1" t="inlineStr"><is><t>AKIA</t></is></c><c r="B1"><f>"QX"&amp;"7"</f><v></v></c><c r="C1"><f>A1&amp;$B$1&amp;A2</f><v></v></c></row>` +
			`<row r="2"><c r="A2"><v>42</v></c></row>`, "1\tAKIA\tQX7\tAKIAQX742\n2\t42\t\t\n"},
		{"chain", `<row r="1"><c r="A1"><f>"x"</f><v/></c><c r="B1"><f>A1&amp;"y"</f><v/></c><c r="C1"><f>B1&amp;"z"</f><v/></c></row>`, "1\tx\txy\tyz\n"},
		{"cached", `<row r="1"><c r="A1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>`, "1\tab\n"},
		{"other", `<row r="1"><c r="A1"><f>IF(B1="","a","b")</f><v/></c><c r="B1"><f>"a"&amp;UPPER("b")</f><v/></c><c r="C1"><f>Sheet2!A1&amp;"b"</f><v/></c><c r="D1"><f>"a"+"b"</f><v/></c><c r="E1"><f>"a</f></c><c r="F1"><f>"a"&amp;</f></c></row>`, ""},
		{"prefixed", `<x:row r="1"><x:c r="A1"><x:f>"k"&amp;"v"</x:f><x:v /></x:c></x:row>`, "1\tkv\n"},
	} {
		for _, named := range []bool{false, true} {
			rs := tc.rows
			want := tc.want
			if named {
				rs = `<row r="9"><c r="A9" t="inlineStr"><is><t>secret</t></is></c></row>` + rs
			}
			got, _ := rows(t, 1<<20, "xl/worksheets/sheet1.xml", sheet(rs))
			text := got["xl/worksheets/sheet1.xml"]
			if named {
				// the whole sheet: the label's row first, its own order
				if !strings.Contains(text, "9\tsecret") || !strings.Contains(text, strings.TrimSuffix(want, "\n")) {
					t.Errorf("%s, named: got %q, want the rows of %q", tc.name, text, want)
				}
				continue
			}
			if tc.name == "refs" || tc.name == "cached" {
				continue // formulas alone: checked below
			}
			if text != want {
				t.Errorf("%s: got %q, want %q", tc.name, text, want)
			}
		}
	}
	// Without a keyword only the joins' cells are written.
	got, _ := rows(t, 1<<20, "xl/worksheets/sheet1.xml", sheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>AKIA</t></is></c><c r="B1"><f>A1&amp;"QX7"</f><v/></c></row>`))
	if text := got["xl/worksheets/sheet1.xml"]; text != "1\tAKIAQX7\n" {
		t.Errorf("formulas alone: got %q", text)
	}
	// A sheet whose formulas all have values is not read for them.
	got, _ = rows(t, 1<<20, "xl/worksheets/sheet1.xml", sheet(`<row r="1"><c r="A1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>`))
	if len(got) != 0 {
		t.Errorf("cached formulas: got %q", got)
	}
}

// TestFormulaBounded: hostile sheets cost what their bytes do: a chain of
// a hundred thousand references, each join referring to many cells, an
// unended row, a formula longer than maxFormula, deep parentheses.
func TestFormulaBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>` + strings.Repeat("x", 4000) + `</t></is></c></row>`)
	for i := 2; i <= 20000; i++ {
		b.WriteString(`<row r="` + itoa(i) + `"><c r="A` + itoa(i) + `"><f>` + strings.Repeat("A1&amp;", 50) + `A` + itoa(i-1) + `</f><v/></c></row>`)
	}
	b.WriteString(`<row><c><f>"a"&amp;B1</f></c><row><c><f>(((((` + strings.Repeat("(", 10000) + `"a"` + `</f></c></row>`)
	b.WriteString(`<row r="30000"><c r="A30000"><f>"` + strings.Repeat("y", maxFormula+10) + `"</f></c></row></sheetData></worksheet>`)
	got, _ := rows(t, 1<<20, "xl/worksheets/sheet1.xml", b.String())
	if n := len(got["xl/worksheets/sheet1.xml"]); n > 1<<20 {
		t.Errorf("%d bytes of rows, past the limit", n)
	}
}

func itoa(i int) string {
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
