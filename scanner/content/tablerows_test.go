package content

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// zipOf writes a zip of the members (name, content pairs), deflated, as
// office suites write their packages.
func zipOf(t *testing.T, members ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for i := 0; i+1 < len(members); i += 2 {
		method := zip.Deflate
		if members[i] == "mimetype" {
			method = zip.Store
		}
		w, err := z.CreateHeader(&zip.FileHeader{Name: members[i], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(members[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// xlsxOf writes a workbook of one sheet as Excel lays it out: every text
// cell a shared string, in the order first typed (t="s"), numbers as they
// stand; prefix is the SpreadsheetML prefix ("" as Excel writes it, "x:"
// as the Open XML SDK does); inline writes text cells as inline strings.
func xlsxOf(t *testing.T, rows [][]any, prefix string, inline bool) []byte {
	t.Helper()
	var sheet, sst strings.Builder
	index := map[string]int{}
	var strs []string
	for r, row := range rows {
		fmt.Fprintf(&sheet, `<%srow r="%d" spans="1:%d" x14ac:dyDescent="0.25">`, prefix, r+1, len(row))
		for c, v := range row {
			ref := fmt.Sprintf("%c%d", 'A'+c, r+1)
			switch v := v.(type) {
			case nil:
			case int:
				fmt.Fprintf(&sheet, `<%sc r="%s"><%sv>%d</%sv></%sc>`, prefix, ref, prefix, v, prefix, prefix)
			case formula:
				// as openpyxl writes one: the formula, no value
				f := strings.ReplaceAll(strings.ReplaceAll(string(v), "&", "&amp;"), "<", "&lt;")
				fmt.Fprintf(&sheet, `<%sc r="%s"><%sf>%s</%sf><%sv></%sv></%sc>`, prefix, ref, prefix, f, prefix, prefix, prefix, prefix)
			case string:
				if inline {
					fmt.Fprintf(&sheet, `<%sc r="%s" t="inlineStr"><%sis><%st>%s</%st></%sis></%sc>`, prefix, ref, prefix, prefix, v, prefix, prefix, prefix)
					continue
				}
				i, ok := index[v]
				if !ok {
					i = len(strs)
					index[v] = i
					strs = append(strs, v)
				}
				fmt.Fprintf(&sheet, `<%sc r="%s" s="1" t="s"><%sv>%d</%sv></%sc>`, prefix, ref, prefix, i, prefix, prefix)
			}
		}
		fmt.Fprintf(&sheet, `</%srow>`, prefix)
	}
	for _, s := range strs {
		if strings.HasPrefix(s, "rich:") { // a header typed in two formats: two runs
			s = s[5:]
			fmt.Fprintf(&sst, `<%ssi><%sr><%st xml:space="preserve">%s</%st></%sr><%sr><%srPr><%sb/></%srPr><%st>%s</%st></%sr></%ssi>`,
				prefix, prefix, prefix, s[:7], prefix, prefix, prefix, prefix, prefix, prefix, prefix, s[7:], prefix, prefix, prefix)
			continue
		}
		fmt.Fprintf(&sst, `<%ssi><%st>%s</%st></%ssi>`, prefix, prefix, s, prefix, prefix)
	}
	ns := `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	if prefix != "" {
		ns = `xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	}
	members := []string{
		"[Content_Types].xml", xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
		"_rels/.rels", xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml", xmlHead + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Users" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml", xmlHead + fmt.Sprintf(`<%sworksheet %s xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><%sdimension ref="A1:F%d"/><%ssheetViews><%ssheetView tabSelected="1" workbookViewId="0"/></%ssheetViews><%ssheetFormatPr defaultRowHeight="15"/><%ssheetData>%s</%ssheetData><%spageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></%sworksheet>`,
			prefix, ns, prefix, len(rows), prefix, prefix, prefix, prefix, prefix, sheet.String(), prefix, prefix, prefix),
	}
	if !inline {
		members = append(members, "xl/sharedStrings.xml", xmlHead+fmt.Sprintf(`<%ssst %s count="%d" uniqueCount="%d">%s</%ssst>`, prefix, ns, len(strs), len(strs), sst.String(), prefix))
	}
	return zipOf(t, members...)
}

// odsOf writes an OpenDocument spreadsheet as LibreOffice does: each row
// ends in an empty cell repeated to the sheet's width, and the sheet in a
// row repeated to its height; a cell of nil is an empty cell, and "~" a
// merged cell's covered part.
func odsOf(t *testing.T, rows [][]any) []byte {
	t.Helper()
	return zipOf(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", odsContent(rows, "office:document-content"),
		"META-INF/manifest.xml", xmlHead+`<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`)
}

// odsContent is an OpenDocument spreadsheet's content.xml (root
// office:document-content), or a flat .fods (root office:document).
func odsContent(rows [][]any, root string) string {
	var b strings.Builder
	b.WriteString(`<table:table-header-rows>`)
	for r, row := range rows {
		b.WriteString(`<table:table-row table:style-name="ro1">`)
		for _, v := range row {
			switch v := v.(type) {
			case nil:
				b.WriteString(`<table:table-cell/>`)
			case int:
				fmt.Fprintf(&b, `<table:table-cell office:value-type="float" office:value="%d" calcext:value-type="float"><text:p>%d</text:p></table:table-cell>`, v, v)
			case string:
				if v == "~" {
					b.WriteString(`<table:covered-table-cell/>`)
					continue
				}
				fmt.Fprintf(&b, `<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>%s</text:p></table:table-cell>`, v)
			}
		}
		b.WriteString(`<table:table-cell table:number-columns-repeated="1018"/></table:table-row>`)
		if r == 0 {
			b.WriteString(`</table:table-header-rows>`)
		}
	}
	b.WriteString(`<table:table-row table:number-rows-repeated="1048560"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>`)
	return xmlHead + `<` + root + ` xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body><office:spreadsheet><table:table table:name="Users" table:style-name="ta1"><table:table-column table:style-name="co1" table:number-columns-repeated="1024" table:default-cell-style-name="Default"/>` +
		b.String() + `</table:table></office:spreadsheet></office:body></` + root + `>`
}

// wordTable writes a .docx whose body is a paragraph and a table of the
// rows, each cell's text in a run of its own, as Word writes them.
func wordTable(t *testing.T, rows [][]any) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<w:p><w:r><w:t>Service accounts, rotated quarterly.</w:t></w:r></w:p><w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>`)
	for _, row := range rows {
		b.WriteString(`<w:tr w:rsidR="00A1B2C3">`)
		for _, v := range row {
			text := ""
			if v != nil {
				text = fmt.Sprint(v)
			}
			fmt.Fprintf(&b, `<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr><w:p w:rsidR="00A1B2C3"><w:r><w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/></w:rPr><w:t>%s</w:t></w:r></w:p></w:tc>`, text)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl><w:p/>`)
	doc := xmlHead + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + b.String() + `<w:sectPr/></w:body></w:document>`
	return zipOf(t, "[Content_Types].xml", xmlHead+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels", xmlHead+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml", doc)
}

// slideTable writes a .pptx whose slide holds a table of the rows
// (a:tbl in a graphic frame), as PowerPoint writes it.
func slideTable(t *testing.T, rows [][]any) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<a:tbl><a:tblPr firstRow="1" bandRow="1"/><a:tblGrid><a:gridCol w="2032000"/><a:gridCol w="2032000"/><a:gridCol w="2032000"/><a:gridCol w="2032000"/></a:tblGrid>`)
	for _, row := range rows {
		b.WriteString(`<a:tr h="370840">`)
		for _, v := range row {
			if v == nil {
				b.WriteString(`<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/></a:p></a:txBody><a:tcPr/></a:tc>`)
				continue
			}
			fmt.Fprintf(&b, `<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US" dirty="0"/><a:t>%v</a:t></a:r></a:p></a:txBody><a:tcPr/></a:tc>`, v)
		}
		b.WriteString(`</a:tr>`)
	}
	b.WriteString(`</a:tbl>`)
	slide := xmlHead + `<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:graphicFrame><p:xfrm><a:off x="0" y="0"/><a:ext cx="8128000" cy="1483360"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">` + b.String() + `</a:graphicData></a:graphic></p:graphicFrame></p:spTree></p:cSld></p:sld>`
	return zipOf(t, "[Content_Types].xml", xmlHead+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`,
		"ppt/slides/slide1.xml", slide)
}

// accounts returns a users' table as the AWS console's credentials
// download has it, with header the name of the secret's column, and the
// secrets of its rows; with ids, a column of key IDs before it.
func accounts(g *fakekey.Gen, header string, ids bool) ([][]any, []string) {
	head := []any{"User name", "Region", header, "Console login link", "Created (UTC)"}
	if ids {
		head = []any{"User name", "Access key ID", header, "Console login link", "Created {year}"}
	}
	rows := [][]any{head}
	var secrets []string
	for i, user := range []string{"ci-deploy", "backup", "reporting", "etl-nightly"} {
		s := g.Secret()
		secrets = append(secrets, s)
		second := any("eu-west-1")
		if ids {
			second = g.KeyID("AKIA")
		}
		rows = append(rows, []any{user, second, s, "https://signin.aws.amazon.com/console", 2021 + i})
	}
	return rows, secrets
}

// TestTableColumnHeader: a spreadsheet's or a document table's header
// cell names the values of its column in the rows below it (an .xlsx's
// shared strings keep the header and the values apart, among the other
// cells' text; the other formats put a cell's markup between them), as a
// CSV's header does; each value is reported once, where the rows have it
// unless a part gave it already.
func TestTableColumnHeader(t *testing.T) {
	sc := newScanner(t)
	for seed := uint64(1); seed <= 2; seed++ {
		g := fakekey.New(2700 + seed)
		type file struct {
			name string
			data []byte
			want []string
		}
		var files []file
		add := func(name string, make func(rows [][]any) []byte, header string, ids bool) {
			rows, secrets := accounts(g, header, ids)
			files = append(files, file{name, make(rows), secrets})
		}
		xlsx := func(prefix string, inline bool) func([][]any) []byte {
			return func(rows [][]any) []byte { return xlsxOf(t, rows, prefix, inline) }
		}
		ods := func(rows [][]any) []byte { return odsOf(t, rows) }
		add("users.xlsx", xlsx("", false), "aws_secret_access_key", false)
		add("console.xlsx", xlsx("", false), "Secret access key", false)
		add("console-ids.xlsx", xlsx("", false), "Secret access key", true)
		add("inline.xlsx", xlsx("", true), "AWS Secret Access Key", false)
		add("sdk.xlsm", xlsx("x:", false), "aws_secret_access_key", false)
		add("rich.xlsx", xlsx("", false), "rich:aws_secret_access_key", false)
		add("users.ods", ods, "aws_secret_access_key", false)
		add("users.fods", func(rows [][]any) []byte { return []byte(odsContent(rows, "office:document")) }, "Secret access key", false)
		add("console.ods", ods, "Secret access key", true)
		add("handover.docx", func(rows [][]any) []byte { return wordTable(t, rows) }, "Secret access key", false)
		add("deck.pptx", func(rows [][]any) []byte { return slideTable(t, rows) }, "aws_secret_access_key", false)
		// A merged header over an empty column, and empty cells between.
		rows, secrets := accounts(g, "aws_secret_access_key", false)
		for i := range rows {
			rows[i] = append([]any{nil}, rows[i]...)
			if i == 0 {
				rows[i] = append([]any{"Accounts", "~"}, rows[i][2:]...)
			}
		}
		files = append(files, file{"merged.ods", odsOf(t, rows), secrets})
		// A workbook in a zip of exports.
		inner := files[0]
		files = append(files, file{"exports.zip", zipOf(t, "2024/users.xlsx", string(inner.data)), inner.want})
		for _, f := range files {
			r := Scan(context.Background(), sc, f.name, f.data, DefaultOptions())
			got := map[string]int{}
			for _, fd := range r.Findings {
				got[fd.Secret]++
			}
			for _, s := range f.want {
				if got[s] != 1 {
					t.Errorf("seed %d %s: secret under its column's header found %d times, want once; findings %v", seed, f.name, got[s], r.Findings)
				}
			}
			if r.Archive.Unscanned != 0 {
				t.Errorf("seed %d %s: %d parts not scanned: %v", seed, f.name, r.Archive.Unscanned, r.Warnings)
			}
		}
	}
}

// TestTableColumnOther: a column other than the header's, and a header
// cell that names no column (a sentence), give nothing in the rows (the
// shared strings' own reading is another matter: they hold the keyword and
// the value a few items apart).
func TestTableColumnOther(t *testing.T) {
	sc := newScanner(t)
	g := fakekey.New(2790)
	rows := [][]any{{"User name", "aws_secret_access_key", "Checksum"}}
	for _, u := range []string{"ci", "backup"} {
		rows = append(rows, []any{u, "rotated, see the vault", g.Secret()})
	}
	sentence := [][]any{{"Notes"}, {"Never put the aws_secret_access_key in this sheet."}, {"Checksum"}, {g.Secret()}}
	for name, data := range map[string][]byte{
		"other.xlsx":     xlsxOf(t, rows, "", false),
		"other.ods":      odsOf(t, rows),
		"sentence.xlsx":  xlsxOf(t, sentence, "", false),
		"other.docx":     wordTable(t, rows),
		"sentence.pptx":  slideTable(t, sentence),
		"other-sdk.xlsx": xlsxOf(t, rows, "x:", true),
	} {
		r := Scan(context.Background(), sc, name, data, DefaultOptions())
		for _, f := range r.Findings {
			if strings.HasSuffix(f.File, " rows") {
				t.Errorf("%s: %s line %d: %s", name, f.File, f.Line, f.Context)
			}
		}
	}
}

// TestTableRowsBounded: a sheet whose rows would be far longer than its
// markup (a sparse diagonal of cells, each its own column: every row as
// wide as the sheet) is rebuilt up to its bound, and the rest is counted,
// not passed over.
func TestTableRowsBounded(t *testing.T) {
	sc := newScanner(t)
	var sheet strings.Builder
	sheet.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>secret</t></is></c></row>`)
	for r := 2; r <= 6000; r++ {
		fmt.Fprintf(&sheet, `<row r="%d"><c r="%s%d"><v>%d</v></c></row>`, r, colName(r), r, r)
	}
	data := zipOf(t, "xl/worksheets/sheet1.xml", xmlHead+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+sheet.String()+`</sheetData></worksheet>`)
	r := Scan(context.Background(), sc, "diagonal.xlsx", data, DefaultOptions())
	if r.Archive.Unscanned != 1 || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0].Message, "rows") {
		t.Errorf("diagonal sheet: %d unscanned, warnings %v; want its rows counted as cut", r.Archive.Unscanned, r.Warnings)
	}
}

// colName is a spreadsheet's name of the column n (1: A).
func colName(n int) string {
	s := ""
	for ; n > 0; n = (n - 1) / 26 {
		s = string(rune('A'+(n-1)%26)) + s
	}
	return s
}

// formula is a cell of xlsxOf that holds a formula and no value, as
// openpyxl writes it.
type formula string
