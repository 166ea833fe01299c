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
		{"concat range", `<row r="1"><c r="A1" t="inlineStr"><is><t>AKIA</t></is></c><c r="B1" t="inlineStr"><is><t>QX</t></is></c><c r="C1"><v>7</v></c><c r="D1"><f>CONCAT(A1:C1)</f><v/></c><c r="E1"><f>_xlfn.CONCAT("k",$A$1:B1,"v")</f><v/></c></row>`, ""},
		{"range elsewhere", `<row r="1"><c r="A1"><f>CONCATENATE(B1:C1)</f><v/></c><c r="B1"><f>B2:C2&amp;"x"</f><v/></c><c r="C1"><f>CONCAT(C9:A1)</f><v/></c><c r="D1"><f>CONCAT(A1:Z100)</f><v/></c><c r="E1"><f>CONCAT((A1:B1))</f><v/></c></row>`, ""},
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
			if tc.name == "refs" || tc.name == "cached" || tc.name == "concat range" {
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
	// CONCAT over a range joins its cells row by row (qa36 M2).
	got, _ = rows(t, 1<<20, "xl/worksheets/sheet1.xml", sheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>AKIA</t></is></c><c r="B1" t="inlineStr"><is><t>QX</t></is></c><c r="C1"><v>7</v></c></row><row r="2"><c r="A2"><f>CONCAT(A1:C1)</f><v/></c><c r="B2"><f>_xlfn.CONCAT("k",$A$1:B1,"v")</f><v/></c></row>`))
	if text := got["xl/worksheets/sheet1.xml"]; text != "2\tAKIAQX7\tkAKIAQXv\n" {
		t.Errorf("CONCAT over a range: got %q", text)
	}
	// The cells a shared formula fills read its master's join, relative
	// references moved by their offset, absolute ones kept (qa36 M2).
	got, _ = rows(t, 1<<20, "xl/worksheets/sheet1.xml", sheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>k</t></is></c></row>`+
		`<row r="2"><c r="A2"><f t="shared" ref="A2:B3" si="0">$A$1&amp;E2&amp;F2</f><v/></c><c r="E2" t="inlineStr"><is><t>AKIA</t></is></c><c r="F2" t="inlineStr"><is><t>QX7</t></is></c></row>`+
		`<row r="3"><c r="A3"><f t="shared" si="0"/></c><c r="B3"><f t="shared" si="0"/><v></v></c><c r="E3" t="inlineStr"><is><t>AKIB</t></is></c><c r="F3" t="inlineStr"><is><t>QX8</t></is></c><c r="G3" t="inlineStr"><is><t>Z</t></is></c></row>`+
		`<row r="4"><c r="A4"><f t="shared" si="9"/></c></row>`))
	if text := got["xl/worksheets/sheet1.xml"]; text != "2\tkAKIAQX7\t\n3\tkAKIBQX8\tkQX8Z\n" {
		t.Errorf("shared formula: got %q", text)
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

// TestFormulaSharedBounded: a sheet of a million cells a shared formula
// fills (qa36 M2) costs a bounded memory: the pieces the filled cells
// take are bounded (maxSharedAtoms), and the rows by the writer's limit.
func TestFormulaSharedBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<worksheet><sheetData><row r="1"><c r="A1"><f t="shared" ref="A1:A1000000" si="0">` + strings.Repeat("B1&amp;", 60) + `"x"</f></c><c r="B1" t="inlineStr"><is><t>ab</t></is></c></row>`)
	for i := 2; i <= 1000000; i++ {
		b.WriteString(`<row r="` + itoa(i) + `"><c r="A` + itoa(i) + `"><f t="shared" si="0"/></c></row>`)
	}
	b.WriteString(`</sheetData></worksheet>`)
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

// wbParts are a workbook of two sheets, Users (sheet1.xml) and 'My Data'
// (sheet2.xml, named by an absolute target), with the names given.
func wbParts(names, sheet1, sheet2 string) []string {
	return []string{
		"xl/workbook.xml", `<workbook xmlns:r="r"><sheets><sheet name="Users" sheetId="1" r:id="rId1"/><sheet name="My Data" sheetId="2" r:id="rId2"/></sheets>` + names + `</workbook>`,
		"xl/_rels/workbook.xml.rels", `<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml", `<worksheet><sheetData>` + sheet1 + `</sheetData></worksheet>`,
		"xl/worksheets/sheet2.xml", `<worksheet><sheetData>` + sheet2 + `</sheetData></worksheet>`,
	}
}

// TestFormulaWorkbook: TEXTJOIN joins its items with its delimiter,
// leaving out empty ones where its second argument says so; a reference
// to another sheet is to that sheet's cell as it holds it (its own joins
// without their references); a defined name is its definition (a cell, a
// range in CONCAT or TEXTJOIN, a string, another name; a name local to a
// sheet first). What Excel would not read as a string join, or a sheet
// or name the workbook lacks, is not read.
func TestFormulaWorkbook(t *testing.T) {
	data := `<row r="1"><c r="A1" t="inlineStr"><is><t>ab</t></is></c><c r="C1"><v>7</v></c><c r="D1"><f>"x"&amp;A1</f></c></row>`
	names := `<definedNames><definedName name="cell">'My Data'!$A$1</definedName><definedName name="Range">'My Data'!$A$1:$C$1</definedName>` +
		`<definedName name="word">"w&quot;&quot;"</definedName><definedName name="both">cell&amp;word</definedName><definedName name="two">'My Data'!A1&amp;'My Data'!C1</definedName><definedName name="word" localSheetId="0">"local"</definedName>` +
		`<definedName name="deep1">deep2</definedName><definedName name="deep2">deep3</definedName><definedName name="deep3">deep4</definedName><definedName name="deep4">"z"</definedName></definedNames>`
	for _, tc := range []struct{ f, want string }{
		{`TEXTJOIN("",TRUE,"a","","b")`, "ab"},
		{`_xlfn.TEXTJOIN("-",FALSE,"a","","b")`, "a--b"},
		{`TEXTJOIN("-",1,'My Data'!A1:D1)`, "ab-7-x"},
		{`TEXTJOIN("/",0,'My Data'!A1:C1)&"!"`, "ab//7!"},
		{`'My Data'!A1&'My Data'!$C$1&Users!B1`, "ab7q"},
		{`CONCAT('My Data'!A1:C1)`, "ab7"},
		{`cell&word`, "ablocal"},
		{`CONCAT(range)`, "ab7"},
		{`both`, "ablocal"},
		{`two&"x"&two`, "ab7xab7"},
		{`deep1`, ""},
		{`range&"x"`, ""},
		{`Other!A1`, ""},
		{`nope&"x"`, ""},
		{`TEXTJOIN(A1,TRUE,"a")`, ""},
		{`TEXTJOIN("",MAYBE,"a")`, ""},
		{`TEXTJOIN("",TRUE)`, ""},
		{`TEXTJOIN("",TRUE,"a"&"b")`, ""},
		{`'My Data'A1`, ""},
		{`'My Data!A1`, ""},
	} {
		sheet1 := `<row r="1"><c r="A1"><f>` + strings.NewReplacer("&", "&amp;", `"`, "&quot;").Replace(tc.f) + `</f></c><c r="B1" t="inlineStr"><is><t>q</t></is></c></row>`
		got, _ := rows(t, 1<<20, wbParts(names, sheet1, data)...)
		want := ""
		if tc.want != "" {
			want = "1\t" + tc.want + "\n"
		}
		if text := got["xl/worksheets/sheet1.xml"]; text != want {
			t.Errorf("%s: got %q, want %q", tc.f, text, want)
		}
	}
	// The word "word" is local to Users: 'My Data' reads the workbook's.
	got, _ := rows(t, 1<<20, wbParts(names, "", `<row r="1"><c r="A1"><f>word&amp;"."</f></c></row>`)...)
	if text := got["xl/worksheets/sheet2.xml"]; text != "1\tw'.\n" {
		t.Errorf("a global name on another sheet: got %q", text)
	}
}

// FuzzWorkbookFormula: a formula, a workbook's names and another sheet's
// cells of any bytes make no panic and rows within the limit.
func FuzzWorkbookFormula(f *testing.F) {
	f.Add(`TEXTJOIN("",TRUE,'My Data'!A1:B1,n)`, `<definedNames><definedName name="n">'My Data'!$A$1</definedName></definedNames>`, `<row r="1"><c r="A1" t="inlineStr"><is><t>ab</t></is></c></row>`)
	f.Add(`CONCAT(r)&amp;n`, `<definedNames><definedName name="r">r</definedName><definedName name="n" localSheetId="9">"x</definedName></definedNames>`, `<row><c><f>'My Data'!A1</f></c></row>`)
	f.Fuzz(func(t *testing.T, formula, names, data string) {
		const limit = 1 << 16
		got, _ := rows(t, limit, wbParts(names, `<row r="1"><c r="A1"><f>`+formula+`</f></c></row>`, data)...)
		n := 0
		for _, v := range got {
			n += len(v)
		}
		if n > limit {
			t.Fatalf("%d bytes of rows, limit %d", n, limit)
		}
	})
}

// TestODSFormulas: an OpenDocument table's cell whose formula has no
// value (table:formula="of:=…" and no text, what a library writes) is
// read as the join it is, OpenFormula's references ([.A1], [.$A$1],
// [Data.A1], ['My Data'.A1], [.A1:.B1] in CONCAT) to its own table's
// cells or another table's of the part, before it or after; a cell with
// text keeps its text, and other formulas are not read.
func TestODSFormulas(t *testing.T) {
	cell := func(text string) string {
		return `<table:table-cell office:value-type="string"><text:p>` + text + `</text:p></table:table-cell>`
	}
	fcell := func(f string) string {
		return `<table:table-cell table:formula="` + strings.NewReplacer("&", "&amp;", `"`, "&quot;").Replace(f) + `" office:value-type="string" office:string-value=""/>`
	}
	table := func(name string, rows ...string) string {
		return `<table:table table:name="` + name + `"><table:table-column table:number-columns-repeated="3"/><table:table-row>` + strings.Join(rows, `</table:table-row><table:table-row>`) + `</table:table-row></table:table>`
	}
	content := func(tables ...string) string {
		return `<office:document-content><office:body><office:spreadsheet>` + strings.Join(tables, "") + `</office:spreadsheet></office:body></office:document-content>`
	}
	data := table("My Data", cell("ab")+cell("cd")+`<table:table-cell office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell>`)
	for _, tc := range []struct{ f, want string }{
		{`of:=CONCATENATE([.B1];[.$C$1])`, "secret\tq\tr\tqr"},
		{`of:=[.B1]&"-"&['My Data'.A1]`, "secret\tq\tr\tq-ab"},
		{`of:=CONCAT(['My Data'.A1:.C1])`, "secret\tq\tr\tabcd7"},
		{`of:=TEXTJOIN("";1;[$'My Data'.A1];"x")`, "secret\tq\tr\tabx"},
		{`of:=SUM([.B1:.C1])`, "secret\tq\tr"},
		{`of:=[Nowhere.A1]&"z"`, "secret\tq\tr\tz"},
	} {
		sheet := table("Users", cell("secret")+cell("q")+cell("r")+fcell(tc.f))
		for _, order := range [][]string{{sheet, data}, {data, sheet}} {
			got, _ := rows(t, 1<<20, "content.xml", content(order...))
			if text := got["content.xml"]; !strings.Contains(text, "1\t"+tc.want+"\n") {
				t.Errorf("%s: got %q, want the row %q", tc.f, text, tc.want)
			}
		}
	}
}

// TestODSFormulasOnly: a part without a keyword is read for its formulas
// without values alone (their cells written, no other); one whose
// formulas all have values, as LibreOffice writes them, is not read.
func TestODSFormulasOnly(t *testing.T) {
	c := `<office:document-content><office:body><office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell><text:p>ab</text:p></table:table-cell><table:table-cell><text:p>cd</text:p></table:table-cell>` +
		`<table:table-cell table:formula="of:=[.A1]&amp;[.B1]" office:value-type="string"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`
	got, _ := rows(t, 1<<20, "content.xml", c)
	if text := got["content.xml"]; text != "1\tabcd\n" {
		t.Errorf("formulas alone: got %q", text)
	}
	for _, cached := range []string{
		`<table:table-cell table:formula="of:=SUM([.A1:.A2])" office:value-type="float" office:value="3" calcext:value-type="float"><text:p>3</text:p></table:table-cell>`,
		`<table:table-cell table:formula="of:=[.A1]&amp;&quot;x&quot;" office:value-type="string" calcext:value-type="string"><text:p>ax</text:p></table:table-cell>`,
		`<table:table-cell table:formula="of:=['My S'.A1]" office:value-type="string" office:string-value="a"></table:table-cell>`,
	} {
		if odfUncached([]byte(`<table:table-row>` + cached + `</table:table-row>`)) {
			t.Errorf("%s: read as a formula without a value", cached)
		}
	}
}
