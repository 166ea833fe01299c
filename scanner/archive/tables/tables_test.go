package tables

import (
	"bytes"
	"strings"
	"testing"
)

// rows rebuilds the parts (path, content pairs) and returns each part's
// text.
func rows(t testing.TB, limit int, parts ...string) (map[string]string, bool) {
	t.Helper()
	var b Book
	for i := 0; i+1 < len(parts); i += 2 {
		if k := Of(parts[i], []byte(parts[i+1])); k != None {
			b.Add(parts[i], k, []byte(parts[i+1]))
		}
	}
	ts, whole := b.Rows(limit)
	got := map[string]string{}
	for _, tb := range ts {
		got[tb.Part] = string(tb.Text)
	}
	return got, whole
}

func TestSheetRows(t *testing.T) {
	sst := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>name</t></si><si><r><t>secret </t></r><r><rPr><b/></rPr><t>key</t></r><rPh sb="0" eb="1"><t>reading</t></rPh></si><si><t xml:space="preserve"> a&amp;b	"c" (d) </t></si><si><t><![CDATA[x&y]]></t></si></sst>`
	sheet := `<worksheet><sheetData><row r="1"><c r="B1" t="s"><v>0</v></c><c r="D1" t="s"><v>1</v></c></row>` +
		`<row r="3"><c r="B3" t="s"><v>2</v></c><c r="D3"><f>1+1</f><v>2</v></c></row>` +
		`<row r="4"><c t="inlineStr"><is><t>in</t><rPh><t>no</t></rPh></is></c><c t="b"><v>1</v></c><c r="E4" t="s"><v>9</v></c><c r="F4" t="s"><v>3</v></c></row>` +
		`<row r="5"><c r="B5" s="1"/></row></sheetData></worksheet>`
	got, whole := rows(t, 1<<20, "xl/sharedStrings.xml", sst, "xl/worksheets/sheet1.xml", sheet)
	want := "1\t\tname\tsecret key\t\n3\t\ta&b 'c'  d\t2\t\n4\tin\t1\t\tx&y\n"
	if !whole || got["xl/worksheets/sheet1.xml"] != want {
		t.Errorf("got %q (whole %v), want %q", got["xl/worksheets/sheet1.xml"], whole, want)
	}
	// The same sheet with the shared strings after it in the package, and
	// with the Open XML SDK's prefix.
	prefixed := strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(sheet, "</", "\x00"), "<", "<x:"), "\x00", "</x:")
	got, _ = rows(t, 1<<20, "XL/Worksheets/Sheet1.xml", prefixed, "xl/sharedStrings.xml", sst)
	if got["XL/Worksheets/Sheet1.xml"] != want {
		t.Errorf("prefixed: got %q, want %q", got["XL/Worksheets/Sheet1.xml"], want)
	}
}

func TestOpenDocumentRows(t *testing.T) {
	content := `<office:document-content><office:body><office:spreadsheet><table:table table:name="S">` +
		`<table:table-row><table:table-cell table:number-columns-repeated="2"><text:p>token</text:p></table:table-cell><table:table-cell><text:p>a<text:s text:c="2"/>b</text:p><text:p>c<text:tab/>d</text:p><office:annotation><text:p>note</text:p></office:annotation></table:table-cell><table:table-cell table:number-columns-repeated="1020"/></table:table-row>` +
		`<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>` +
		`<table:table-row table:number-rows-repeated="2"><table:covered-table-cell/><table:table-cell/><table:table-cell><text:p>v</text:p></table:table-cell></table:table-row>` +
		`<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>` +
		`</table:table></office:spreadsheet></office:body></office:document-content>`
	got, whole := rows(t, 1<<20, "content.xml", content)
	want := "1\ttoken\ttoken\ta  b c d\n5\t\t\tv\n6\t\t\tv\n"
	if !whole || got["content.xml"] != want {
		t.Errorf("got %q, want %q", got["content.xml"], want)
	}
}

func TestWordRows(t *testing.T) {
	doc := `<w:document><w:body><w:p><w:r><w:t>before</w:t></w:r></w:p><w:tbl>` +
		`<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>wide</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>secret</w:t></w:r><w:r><w:delText>gone</w:delText></w:r><w:r><w:instrText>FIELD</w:instrText></w:r></w:p></w:tc></w:tr>` +
		`<w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>inner SECRET</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>v</w:t></w:r></w:p><w:p><w:r><w:t>w</w:t></w:r></w:p></w:tc></w:tr>` +
		`</w:tbl></w:body></w:document>`
	got, _ := rows(t, 1<<20, "word/document.xml", doc)
	want := "1\tinner SECRET\n\n1\twide\tsecret\n2\ta\tv w\n"
	if got["word/document.xml"] != want {
		t.Errorf("got %q, want %q", got["word/document.xml"], want)
	}
	if k := Of("word/document.xml", []byte(`<w:p><w:r><w:t>no table</w:t></w:r></w:p>`)); k != None {
		t.Errorf("a part without a table: %v", k)
	}
}

func TestRowsLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<worksheet><sheetData>`)
	for i := 1; i < 400; i++ {
		b.WriteString(`<row><c t="inlineStr"><is><t>secret 0123</t></is></c></row>`)
	}
	b.WriteString(`</sheetData></worksheet>`)
	got, whole := rows(t, 1000, "xl/worksheets/a.xml", b.String())
	if whole || len(got["xl/worksheets/a.xml"]) > 1000 || len(got["xl/worksheets/a.xml"]) < 900 {
		t.Errorf("whole %v, %d bytes; want cut near 1000", whole, len(got["xl/worksheets/a.xml"]))
	}
}

// FuzzRows: any parts give rows within the limit, every row of a table
// as many cells as the others.
func FuzzRows(f *testing.F) {
	f.Add([]byte(`<sst><si><t>a</t></si><si><r><t>b</t></r></si></sst>`), []byte(`<worksheet><sheetData><row r="2"><c r="C2" t="s"><v>1</v></c><c t="inlineStr"><is><t>x</t></is></c></row><row><c r="A9" t="s"><v>0</v></c></row></sheetData></worksheet>`),
		[]byte(`<table:table><table:table-row table:number-rows-repeated="9"><table:table-cell table:number-columns-repeated="3"><text:p>a<text:s text:c="3"/></text:p></table:table-cell></table:table-row><table:table><table:table-row><table:table-cell>b</table:table-cell></table:table-row></table:table></table:table>`),
		[]byte(`<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/></w:tcPr><w:p><w:r><w:t>a&amp;&#x41;&#9;</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`))
	f.Add([]byte(`<si><t>&#0;&#99999999;&#x;&`), []byte(`<row r="-1"><c r="ZZZZZ1" t="s"><v>-3</v><c r="A"><v>1`), []byte(`<table:table-row><table:table-cell table:number-columns-repeated="999999999"><text:p>x`), []byte(`<a:tbl><a:tr><a:tc gridSpan="70000"><a:t>x</a:t></a:tc><!-- <a:tc> --><![CDATA[`))
	f.Fuzz(func(t *testing.T, sst, sheet, content, word []byte) {
		var b Book
		b.Add("xl/sharedStrings.xml", SharedStrings, sst)
		b.Add("xl/worksheets/sheet1.xml", Sheet, sheet)
		b.Add("content.xml", Tables, content)
		b.Add("word/document.xml", Tables, word)
		const limit = 1 << 16
		ts, _ := b.Rows(limit)
		n := 0
		for _, tb := range ts {
			n += len(tb.Text)
			for _, block := range bytes.Split(tb.Text, []byte("\n\n")) {
				lines := bytes.Split(bytes.TrimSuffix(block, []byte("\n")), []byte("\n"))
				for _, l := range lines[1:] {
					if bytes.Count(l, []byte("\t")) != bytes.Count(lines[0], []byte("\t")) && len(l) > 0 {
						t.Fatalf("%s: rows of %d and %d cells:\n%q", tb.Part, bytes.Count(lines[0], []byte("\t")), bytes.Count(l, []byte("\t")), block)
					}
				}
			}
		}
		if n > limit {
			t.Fatalf("%d bytes of rows, limit %d", n, limit)
		}
	})
}

// BenchmarkWordTable reads a Word table of 6,000 rows of 8 cells as Word
// writes them (a run's properties in every cell), one header cell naming a
// secret: the rows cost one walk of the part's tags.
func BenchmarkWordTable(b *testing.B) {
	var d strings.Builder
	d.WriteString(`<w:document><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Secret access key</w:t></w:r></w:p></w:tc></w:tr>`)
	for i := 0; i < 6000; i++ {
		d.WriteString(`<w:tr w:rsidR="00A1B2C3">`)
		for j := 0; j < 8; j++ {
			d.WriteString(`<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr><w:p w:rsidR="00A1B2C3"><w:r><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/><w:sz w:val="22"/></w:rPr><w:t>quarterly report data</w:t></w:r></w:p></w:tc>`)
		}
		d.WriteString(`</w:tr>`)
	}
	d.WriteString(`</w:tbl></w:body></w:document>`)
	data := []byte(d.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var bk Book
		bk.Add("word/document.xml", Tables, data)
		bk.Rows(1 << 30)
	}
}

// TestRowsOnlyNamed: a part or a workbook with no word a secret's header
// holds is not rebuilt.
func TestRowsOnlyNamed(t *testing.T) {
	plain := `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`
	got, _ := rows(t, 1<<20, "word/document.xml", `<w:document><w:body>`+plain+`</w:body></w:document>`)
	if len(got) != 0 {
		t.Errorf("a document without a secret's word: %q", got)
	}
	sheet := `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`
	got, _ = rows(t, 1<<20, "xl/worksheets/sheet1.xml", sheet, "xl/sharedStrings.xml", `<sst><si><t>region</t></si></sst>`)
	if len(got) != 0 {
		t.Errorf("a workbook without a secret's word: %q", got)
	}
}

func TestKeywordIn(t *testing.T) {
	for _, s := range []string{"secret", "x SECRET", "aws_secret_access_key", "SecretAccessKey", "Session Token", "AWS_SESSION_TOKEN", "token"} {
		if !keywordIn([]byte("<w:tc>" + s + " ")) {
			t.Errorf("%q: not found", s)
		}
	}
	for _, s := range []string{"", "secre", "sec ret", "toke", "Calibri tcPr w:color xml:space", "tokan secrat"} {
		if keywordIn([]byte(s)) {
			t.Errorf("%q: found", s)
		}
	}
}
