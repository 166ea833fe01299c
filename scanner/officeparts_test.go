package scanner_test

import (
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestOfficePartsJoined is qa17 H6: a key split over two formatting runs is
// found in every XML part of an office document that may hold text, not
// only the body, slides and shared strings: cell comments, text boxes,
// charts, slide masters and layouts, SmartArt, an OpenDocument file's
// styles.xml (its headers and footers).
func TestOfficePartsJoined(t *testing.T) {
	g := fakekey.New(17006)
	id, secret := g.KeyID("AKIA"), g.Secret()
	run := func(a, b string) string {
		return "<a:p><a:r><a:t>" + a + "</a:t></a:r><a:r><a:rPr b=\"1\"/><a:t>" + b + "</a:t></a:r></a:p>"
	}
	part := `<?xml version="1.0" encoding="UTF-8"?><root xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><txBody>` +
		run("aws_access_key_id = "+id[:10], id[10:]) + run("aws_secret_access_key = "+secret[:20], secret[20:]) + "</txBody></root>"
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"book.xlsx!xl/comments1.xml", "book.xlsx!xl/drawings/drawing1.xml", "book.xlsx!xl/charts/chart1.xml",
		"doc.docx!word/charts/chart1.xml", "doc.docx!word/diagrams/data1.xml", "deck.pptx!ppt/comments/comment1.xml",
		"deck.pptx!ppt/slideMasters/slideMaster1.xml", "deck.pptx!ppt/slideLayouts/slideLayout1.xml", "doc.odt!styles.xml",
		"doc.odt!Object 1/content.xml"} {
		fs, _ := s.ScanAllCounted(name, []byte(part), 0)
		found := map[string]bool{}
		for _, f := range fs {
			found[f.Secret] = true
		}
		if !found[id] || !found[secret] {
			t.Errorf("%s: key ID found %v, secret %v", name, found[id], found[secret])
		}
	}
}
