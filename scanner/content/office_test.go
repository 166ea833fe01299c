package content

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// officeDoc writes a docx or pptx of one part with python3's zipfile, as
// Word and PowerPoint lay them out (content types, relationships, the part),
// and returns its bytes.
func officeDoc(t *testing.T, name, part, xml string) []byte {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed")
	}
	out := filepath.Join(t.TempDir(), name)
	cmd := exec.Command("python3", "-c", `import sys, zipfile
out, part = sys.argv[1], sys.argv[2]
xml = sys.stdin.read()
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/' + part + '" ContentType="application/vnd.openxmlformats-officedocument.main+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="' + part + '"/></Relationships>')
    z.writestr(part, xml)`, out, part)
	cmd.Stdin = strings.NewReader(xml)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("python3: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestOfficeRuns is qa11 LOW-7: Word starts a new run wherever part of a
// paragraph was typed in another session or formatted otherwise, so a key
// ID or a secret can be split over runs (<w:r w:rsidR="…"><w:t>). The text
// of a paragraph is read as a reader sees it ("xml-text"), in Word's body
// and PowerPoint's slides; table cells are not joined into one key.
func TestOfficeRuns(t *testing.T) {
	sc := newScanner(t)
	g := fakekey.New(333)
	id, secret := g.KeyID("AKIA"), g.Secret()
	run := func(s, rsid string) string {
		return `<w:r w:rsidR="` + rsid + `"><w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/></w:rPr><w:t xml:space="preserve">` + s + `</w:t></w:r>`
	}
	para := func(runs ...string) string { return `<w:p w:rsidR="00A1B2C3">` + strings.Join(runs, "") + `</w:p>` }
	doc := func(body string) string {
		return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`
	}
	split := doc(para(run("aws_access_key_id = ", "00A1B2C3"), run(id[:10], "00D4E5F6"), `<w:proofErr w:type="spellStart"/>`, run(id[10:], "00A1B2C3")) +
		para(run("aws_secret_access_key = ", "00A1B2C3"), run(secret[:17], "00D4E5F6"), run(secret[17:], "00A1B2C3")))
	r := Scan(context.Background(), sc, "handover.docx", officeDoc(t, "handover.docx", "word/document.xml", split), DefaultOptions())
	got := map[string]string{}
	for _, f := range r.Findings {
		got[f.Secret] = f.File + " " + f.Encoding
	}
	want := "handover.docx!word/document.xml xml-text"
	if got[id] != want || got[secret] != want {
		t.Errorf("key split over runs: found %q, want both in %s", got, want)
	}
	// A key ID alone, with no name for it, split by a format change.
	alone := doc(para(run("Use ", "00A1B2C3"), run(id[:6], "00A1B2C3"), `<w:r><w:rPr><w:b/></w:rPr><w:t>`+id[6:]+`</w:t></w:r>`, run(" for the backups.", "00A1B2C3")))
	r = Scan(context.Background(), sc, "alone.docx", officeDoc(t, "alone.docx", "word/document.xml", alone), DefaultOptions())
	if len(r.Findings) != 1 || r.Findings[0].Secret != id {
		t.Errorf("key ID alone split over runs: %v", r.Findings)
	}
	// PowerPoint: <a:r><a:t> in a slide's paragraph <a:p>.
	slide := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:rPr lang="en-US"/><a:t>aws_access_key_id = ` + id[:8] + `</a:t></a:r><a:r><a:rPr lang="en-US" b="1"/><a:t>` + id[8:] + `</a:t></a:r></a:p><a:p><a:r><a:t>aws_secret_access_key = ` + secret[:20] + `</a:t></a:r><a:r><a:rPr lang="en-US" i="1"/><a:t>` + secret[20:] + `</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`
	r = Scan(context.Background(), sc, "deck.pptx", officeDoc(t, "deck.pptx", "ppt/slides/slide1.xml", slide), DefaultOptions())
	got = map[string]string{}
	for _, f := range r.Findings {
		got[f.Secret] = f.File + " " + f.Encoding
	}
	if want := "deck.pptx!ppt/slides/slide1.xml xml-text"; got[id] != want || got[secret] != want {
		t.Errorf("pptx: found %q, want both in %s", got, want)
	}
	// Excel (qa16 HIGH-13): a shared string formatted in part is a list
	// of runs; the AWS console's key table kept as a workbook. Two shared
	// strings (two cells) are not joined.
	ss := func(items ...string) string {
		return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + strings.Join(items, "") + `</sst>`
	}
	rich := func(a, b string) string {
		return `<si><r><t>` + a + `</t></r><r><rPr><b/><sz val="11"/></rPr><t>` + b + `</t></r></si>`
	}
	book := ss(`<si><t>Access key ID</t></si><si><t>Secret access key</t></si>`, rich(id[:8], id[8:]), rich(secret[:20], secret[20:]))
	r = Scan(context.Background(), sc, "keys.xlsx", officeDoc(t, "keys.xlsx", "xl/sharedStrings.xml", book), DefaultOptions())
	got = map[string]string{}
	for _, f := range r.Findings {
		got[f.Secret] = f.File + " " + f.Encoding
	}
	if want := "keys.xlsx!xl/sharedStrings.xml xml-text"; got[id] != want || got[secret] != want {
		t.Errorf("xlsx: found %q, want both in %s", got, want)
	}
	apart := ss(`<si><t>aws_access_key_id</t></si><si><t>` + id[:10] + `</t></si><si><t>` + id[10:] + `</t></si>`)
	r = Scan(context.Background(), sc, "apart.xlsx", officeDoc(t, "apart.xlsx", "xl/sharedStrings.xml", apart), DefaultOptions())
	if len(r.Findings) != 0 {
		t.Errorf("halves of a key ID in two shared strings joined: %v", r.Findings)
	}
	// Two halves of a key ID in two cells of a table are no key.
	cells := doc(`<w:tbl><w:tr><w:tc>` + para(run("aws_access_key_id", "00A1B2C3")) + `</w:tc><w:tc>` + para(run(id[:10], "00A1B2C3")) +
		`</w:tc><w:tc>` + para(run(id[10:], "00A1B2C3")) + `</w:tc></w:tr></w:tbl>`)
	r = Scan(context.Background(), sc, "cells.docx", officeDoc(t, "cells.docx", "word/document.xml", cells), DefaultOptions())
	if len(r.Findings) != 0 {
		t.Errorf("halves of a key ID in two cells joined: %v", r.Findings)
	}
}
