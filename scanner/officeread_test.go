package scanner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// wordNS declares WordprocessingML's namespace, as Word writes it.
const wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// wordRun is one Word run holding text.
func wordRun(text string) string { return "<w:r><w:t xml:space=\"preserve\">" + text + "</w:t></w:r>" }

// TestOfficeReadWhateverTheName is qa18 M9 and M5: an office part is read
// with its runs joined whatever the case of its name (OPC part names are
// compared in any case), a Visio page's shape text too, and so is an office
// document kept in one XML file (LibreOffice's .fodt/.fods/.fodp, Word's
// Flat OPC .xml) or a part under a name Office does not give it, told by
// the namespace it declares. An XML file without one keeps its elements
// apart, and so do two paragraphs of a flat document.
func TestOfficeReadWhateverTheName(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 4; seed++ {
		g := fakekey.New(18090 + seed)
		id := g.KeyID("AKIA")
		a, b := id[:8], id[8:]
		bare := "<w:document><w:body><w:p>" + wordRun("aws_access_key_id = "+a) + wordRun(b) + "</w:p></w:body></w:document>"
		word := `<?xml version="1.0"?><w:document ` + wordNS + `><w:body><w:p>` + wordRun("aws_access_key_id = "+a) + wordRun(b) + "</w:p></w:body></w:document>"
		odf := `<?xml version="1.0"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>aws_access_key_id = <text:span>` + a + "</text:span><text:span>" + b + "</text:span></text:p></office:text></office:body></office:document>"
		bareODF := "<office:document><office:body><office:text><text:p>aws_access_key_id = <text:span>" + a + "</text:span><text:span>" + b + "</text:span></text:p></office:text></office:body></office:document>"
		flatOPC := `<?xml version="1.0" standalone="yes"?><?mso-application progid="Word.Document"?><pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage"><pkg:part pkg:name="/word/document.xml"><pkg:xmlData>` +
			word[len(`<?xml version="1.0"?>`):] + "</pkg:xmlData></pkg:part></pkg:package>"
		for _, tc := range []struct{ file, text string }{
			{"d.docx!Word/document.xml", bare},
			{"d.docx!WORD/DOCUMENT.XML", bare},
			{"d.docx!word/document2.XML", bare},
			{"d.docx!Word/Footer1.Xml", bare},
			{"d.odt!CONTENT.XML", bareODF},
			{"d.vsdx!visio/pages/page1.xml", "<PageContents><Shapes><Shape><Text>aws_access_key_id = " + a + "<cp IX=\"0\"/>" + b + "</Text></Shape></Shapes></PageContents>"},
			{"d.docx!custom/body.dat", word},
			{"report.fodt", odf},
			{"sheet.FODS", bareODF},
			{"slides.fodp.bak", bareODF},
			{"notes.xml", odf},
			{"flat.xml", flatOPC},
			{"flat-opc", "\ufeff\n" + flatOPC},
		} {
			if fs := sc.Scan(tc.file, []byte(tc.text)); !hasSecret(fs, id) {
				t.Errorf("seed %d: %s %q: %v, want the key ID", seed, tc.file, tc.text, summarize(fs))
			}
		}
		for _, tc := range []struct{ file, text string }{
			{"config.xml", "<c><k>aws_access_key_id = " + a + "</k><k>" + b + "</k></c>\n"},
			{"d.docx!customXml/item1.xml", "<c><k>aws_access_key_id = " + a + "</k><k>" + b + "</k></c>\n"},
			{"flat.xml", `<w:document ` + wordNS + `><w:body><w:p>` + wordRun("aws_access_key_id = "+a) + "</w:p><w:p>" + wordRun(b) + "</w:p></w:body></w:document>"},
			{"report.fodt", "<office:text><text:p>aws_access_key_id = " + a + "</text:p><text:p>" + b + "</text:p></office:text>"},
			{"notes.txt", "see " + wordNS + "\naws_access_key_id = " + a + "<x>" + b + "</x>\n"},
		} {
			if fs := sc.Scan(tc.file, []byte(tc.text)); hasSecret(fs, id) {
				t.Errorf("seed %d: %s %q: %v, want no key", seed, tc.file, tc.text, summarize(fs))
			}
		}
	}
}

// TestOfficeTrackedChanges is qa18 M4: Word keeps a tracked deletion in
// place (w:del holding runs of w:delText, w:moveFrom the runs moved away)
// and a field's instructions (w:instrText) between runs; none is text a
// reader sees, so a key that they cut is read whole without them, and an
// insertion (w:ins) is read as text. A deleted paragraph mark (<w:del/> in
// a run's properties) holds no text, and the deleted text is still scanned
// as it stands.
func TestOfficeTrackedChanges(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 4; seed++ {
		g := fakekey.New(18040 + seed)
		id, secret, other := g.KeyID("AKIA"), g.Secret(), g.KeyID("AKIA")
		a, b := id[:8], id[8:]
		c, d := secret[:20], secret[20:]
		del := func(text string) string {
			return `<w:del w:id="1" w:author="x" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>` + text + "</w:delText></w:r></w:del>"
		}
		doc := func(body string) string {
			return `<?xml version="1.0"?><w:document ` + wordNS + `><w:body>` + body + "</w:body></w:document>"
		}
		for _, body := range []string{
			"<w:p>" + wordRun("aws_access_key_id = "+a) + del("Q7") + wordRun(b) + "</w:p><w:p>" + wordRun("aws_secret_access_key = "+c) + del("zz/9") + wordRun(d) + "</w:p>",
			"<w:p>" + wordRun("aws_access_key_id = "+a) + `<w:moveFrom w:id="2"><w:r><w:t>XY</w:t></w:r></w:moveFrom>` + wordRun(b) + "</w:p><w:p>" + wordRun("aws_secret_access_key = "+c) + "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>" + wordRun(d) + "</w:p>",
			"<w:p>" + wordRun("aws_access_key_id = "+a[:6]) + `<w:ins w:id="3"><w:r><w:t>` + a[6:] + "</w:t></w:r></w:ins>" + wordRun(b) + "</w:p><w:p>" + wordRun("aws_secret_access_key = "+c) + "<w:r><w:rPr><w:del w:id=\"4\"/></w:rPr><w:t>" + d + "</w:t></w:r></w:p>",
			"<w:p>" + wordRun("aws_access_key_id = "+a) + `<x:del><x:r><x:delText>` + other[8:] + "</x:delText></x:r></x:del>" + wordRun(b) + "</w:p><w:p>" + wordRun("aws_secret_access_key = "+c) + del(d[:3]) + wordRun(d) + "</w:p>",
		} {
			fs := sc.Scan("d.docx!word/document.xml", []byte(doc(body)))
			if !hasSecret(fs, id) || !hasSecret(fs, secret) {
				t.Errorf("seed %d: %q: %v, want both keys", seed, body, summarize(fs))
			}
		}
		// The deleted text alone is still the plain scan's.
		fs := sc.Scan("d.docx!word/document.xml", []byte(doc("<w:p>"+wordRun("aws_access_key_id = ")+del(id)+"</w:p>")))
		if !hasSecret(fs, id) {
			t.Errorf("seed %d: a key ID deleted whole: %v, want it", seed, summarize(fs))
		}
	}
}

// TestOfficeLongMarkupInKey: the markup a reader does not see inside a key
// can be long in an office part: a tracked deletion or a moved-away text
// of many runs, a field's code, each character a run of its own with its
// properties, empty runs, a hidden run (<w:vanish/>, which Word does not
// show) (CLOSING17: a deletion over 1 KiB inside a key
// was missed, the stretch after a keyword reaching 1 KiB of bytes). A key
// ID with no keyword near, and one whose prefix the deletion cuts, are
// read whole too. Text that stands only inside a deletion is not joined
// to the key, and a deletion past the reach leaves the key counted as not
// decoded.
func TestOfficeLongMarkupInKey(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(25040)
	id, secret := g.KeyID("AKIA"), g.Secret()
	doc := func(body string) string {
		return `<?xml version="1.0"?><w:document ` + wordNS + `><w:body>` + body + "</w:body></w:document>"
	}
	runs := func(n int, open, close string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `%s<w:r w:rsidDel="00A1B2C3"><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/><w:sz w:val="22"/></w:rPr><w:delText xml:space="preserve">old words %d </w:delText></w:r>%s`, open, i, close)
		}
		return b.String()
	}
	del := func(n int) string {
		return `<w:del w:id="1" w:author="x" w:date="2026-01-01T00:00:00Z">` + runs(n, "", "") + "</w:del>"
	}
	perChar := func(v string) string {
		var b strings.Builder
		for _, c := range v {
			fmt.Fprintf(&b, `<w:r w:rsidR="00C4D5E6"><w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas" w:cs="Consolas"/><w:color w:val="1F2328"/><w:sz w:val="21"/><w:shd w:val="clear" w:color="auto" w:fill="FFFFFF"/></w:rPr><w:t>%c</w:t></w:r>`, c)
		}
		return b.String()
	}
	pair := func(cut func(v string, k int) string) string {
		return "<w:p>" + wordRun("aws_access_key_id = ") + cut(id, 10) + "</w:p><w:p>" + wordRun("aws_secret_access_key = ") + cut(secret, 20) + "</w:p>"
	}
	with := func(mid string) func(v string, k int) string {
		return func(v string, k int) string { return wordRun(v[:k]) + mid + wordRun(v[k:]) }
	}
	for name, body := range map[string]string{
		"deletion of 3 KiB":  pair(with(del(30))),
		"deletion of 40 KiB": pair(with(del(400))),
		"moved away":         pair(with(strings.ReplaceAll(del(30), "w:del", "w:moveFrom"))),
		"field code":         pair(with(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ` + strings.Repeat("QUOTE ", 300) + `</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`)),
		"empty runs":         pair(with(strings.Repeat(`<w:r><w:rPr><w:rFonts w:ascii="Calibri"/><w:color w:val="000000"/><w:sz w:val="22"/><w:lang w:val="en-US"/></w:rPr><w:t></w:t></w:r>`, 20))),
		"a run a character":  pair(func(v string, _ int) string { return perChar(v) }),
		"no keyword":         "<w:p>" + wordRun("Deploy user: ") + with(del(30))(id, 12) + "</w:p><w:p>" + wordRun("aws_secret_access_key = ") + with(del(30))(secret, 20) + "</w:p>",
		"hidden run":         pair(with(`<w:r><w:rPr><w:rFonts w:ascii="Calibri"/><w:vanish/></w:rPr><w:t>Q7zz</w:t></w:r>`)),
		"hidden, unhidden": pair(func(v string, k int) string {
			return wordRun(v[:k]) + `<w:r><w:rPr><w:vanish/></w:rPr><w:t>Q7</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>` + v[k:] + "</w:t></w:r>"
		}),
		"prefix cut": "<w:p>" + wordRun("Deploy user: ") + with(del(30))(id, 2) + "</w:p><w:p>" + wordRun("aws_secret_access_key = ") + wordRun(secret) + "</w:p>",
	} {
		fs, c := sc.ScanAllCounted("d.docx!word/document.xml", []byte(doc(body)), 0)
		if !hasSecret(fs, id) || !hasSecret(fs, secret) || c.Undecoded != 0 {
			t.Errorf("%s: %v, %d undecoded; want both keys", name, summarize(fs), c.Undecoded)
		}
	}
	// The rest of the key ID only in the deletion: a reader sees no key.
	body := "<w:p>" + wordRun("aws_access_key_id = "+id[:10]) + `<w:del w:id="1"><w:r><w:delText>` + id[10:] + "</w:delText></w:r>" + runs(30, "", "") + "</w:del>" + wordRun(" is gone") + "</w:p>"
	if fs := sc.Scan("d.docx!word/document.xml", []byte(doc(body))); hasSecret(fs, id) {
		t.Errorf("the rest only deleted: %v, want no key", summarize(fs))
	}
	// A deletion past the reach: counted.
	fs, c := sc.ScanAllCounted("d.docx!word/document.xml", []byte(doc(pair(with(del(3000))))), 0)
	if hasSecret(fs, secret) || c.Undecoded == 0 {
		t.Errorf("a deletion of 300 KiB: %v, %d undecoded; want the key counted as not decoded", summarize(fs), c.Undecoded)
	}
}

// TestOfficeTableRowNamesValue is qa21 M4: an OpenDocument table's row
// "AWS_SECRET_ACCESS_KEY | S" (.ods, a table in .odt; cells with their
// value-type attributes) names the secret in the next cell, as a Word or
// Excel row does: a cell's and a paragraph's end and the next one's start
// are one line break, not four.
func TestOfficeTableRowNamesValue(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	const ns = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"`
	for seed := uint64(1); seed <= 3; seed++ {
		s := fakekey.New(21040 + seed).Secret()
		cell := func(x string) string {
			return `<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>` + x + `</text:p></table:table-cell>`
		}
		table := `<table:table table:name="Sheet1"><table:table-row>` + cell("Name") + cell("Value") + `</table:table-row><table:table-row>` +
			cell("AWS_SECRET_ACCESS_KEY") + cell(s) + `</table:table-row></table:table>`
		for _, tc := range []struct{ file, text string }{
			{"creds.ods!content.xml", `<office:document-content ` + ns + `><office:body><office:spreadsheet>` + table + `</office:spreadsheet></office:body></office:document-content>`},
			{"creds.odt!content.xml", `<office:document-content ` + ns + `><office:body><office:text>` + table + `</office:text></office:body></office:document-content>`},
			{"creds.fods", `<office:document ` + ns + `><office:body><office:spreadsheet>` + table + `</office:spreadsheet></office:body></office:document>`},
		} {
			if fs := sc.Scan(tc.file, []byte(tc.text)); !hasSecret(fs, s) {
				t.Errorf("seed %d: %s: %v, want the secret", seed, tc.file, summarize(fs))
			}
		}
	}
}
