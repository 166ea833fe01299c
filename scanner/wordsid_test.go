package scanner_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// TestWordIDs (qa33 M4): region and fund codes written as enum constants,
// upper-case words that start like a key ID, are not reported in text, in
// a binary's strings, unless their line names an access key ID, or the
// structure around them does (Check: a credentials constructor's
// argument); fakekey IDs beside them are.
func TestWordIDs(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(3434)
	akia, asia := g.KeyID("AKIA"), g.KeyID("ASIA")
	wordIDs := []string{"AKIABANKHOLDINGSLTD2", "ASIAPACIFICTOKYOJPN2", "ASIANMARKETSINDEXFND", "ASIAEASTREGIONSTORE2"}
	src := fmt.Sprintf(`package regions

// Region and fund codes as a billing export writes them.
const (
	R3 = %q
	R4 = %q
	Deploy = %q
)

var Names = []string{%q, %q, %q}
`, wordIDs[0], wordIDs[1], akia, wordIDs[2], wordIDs[3], asia)
	ids := func(fs scanner.Findings) []string {
		var out []string
		for _, f := range fs {
			if f.Kind == rules.AccessKeyID {
				out = append(out, f.Secret)
			}
		}
		slices.Sort(out)
		return out
	}
	want := []string{akia, asia}
	slices.Sort(want)
	if got := ids(sc.ScanAll("regions.go", []byte(src))); !slices.Equal(got, want) {
		t.Errorf("text: key IDs %v, want %v", got, want)
	}
	bin := append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00"), "\x00\x00\x00"+wordIDs[0]+wordIDs[1]+"maxheaders"+wordIDs[2]+"\x00region"+wordIDs[3]+"zone\x00"+akia+"\x00\x00"...)
	if got := ids(sc.ScanBinaryAll("app", bin)); !slices.Equal(got, []string{akia}) {
		t.Errorf("binary: key IDs %v, want %v", got, []string{akia})
	}
	for _, id := range wordIDs {
		if ok, why := sc.Check(rules.AccessKeyID, id); !ok {
			t.Errorf("Check(%s): %s; a value the structure calls a key ID is one, as on a named line", id, why)
		}
		named := "[default]\naws_access_key_id = " + id + "\n"
		if got := ids(sc.ScanAll("credentials", []byte(named))); !slices.Equal(got, []string{id}) {
			t.Errorf("named as aws_access_key_id: key IDs %v, want %s", got, id)
		}
	}
}

// TestWordSecrets: 40 characters of words beside a key ID, or named as a
// secret access key, are no secret; a fakekey secret there is.
func TestWordSecrets(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(3437)
	id, secret := g.KeyID("AKIA"), g.Secret()
	for _, c := range []struct {
		text string
		want []string
	}{
		{id + ":PacificSoutheastRegionBankHoldingsStore2\n", []string{id}},
		{"aws_secret_access_key = PacificSoutheastRegionBankHoldingsStore2\n", nil},
		{"[default]\naws_access_key_id = " + id + "\naws_secret_access_key = AsiaPacificBankHoldingsStoreRegionIndex2\n", []string{id}},
		{id + ":" + secret + "\n", []string{id, secret}},
	} {
		var got []string
		for _, f := range sc.ScanAll("creds.txt", []byte(c.text)) {
			got = append(got, f.Secret)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: found %q, want %q", c.text, got, c.want)
		}
	}
}

// TestWordIDsDocumentParagraphs: in an office document or a page, most of
// them one line of markup, the paragraph is the line whose words speak of
// access keys for a word-like key ID (fp): a keyword a paragraph before
// is no reason, one in its paragraph, its table row or beside it after a
// tab is, and a secret beside it pairs with it as in text.
func TestWordIDsDocumentParagraphs(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	words := "ASIAPACIFIC" + "SOUTHEAST" // apart: no line of this file holds it beside a keyword
	secret := fakekey.New(3439).Secret()
	odf := func(body string) string {
		return `<?xml version="1.0"?>` + "\n" + `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>` + body + `</office:text></office:body></office:document-content>`
	}
	word := func(body string) string {
		return `<?xml version="1.0"?>` + "\n" + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`
	}
	for _, c := range []struct {
		name, file, text string
		want             []string
	}{
		{"odt/paragraph-before", "d.odt!content.xml", odf("<text:p>aws_access_key_id: see the vault</text:p><text:p>Region: " + words + "</text:p>"), nil},
		{"fodt/heading-before", "d.fodt", odf("<text:h>Access key ID</text:h><text:p>" + words + "</text:p>"), nil},
		{"fodt/line-after", "d.fodt", odf("<text:p>Region: " + words + "</text:p><text:p>aws_access_key_id: see the vault</text:p>"), nil},
		{"docx/paragraph-before", "d.docx!word/document.xml", word("<w:p><w:r><w:t>Access key ID: see the vault</w:t></w:r></w:p><w:p><w:r><w:t>" + words + "</w:t></w:r></w:p>"), nil},
		{"docx/break-before", "d.docx!word/document.xml", word("<w:p><w:r><w:t>Access key ID: see the vault</w:t><w:br/><w:t>" + words + "</w:t></w:r></w:p>"), nil},
		{"html/paragraph-before", "d.html", "<p>aws_access_key_id: see the vault</p><p>" + words + "</p>\n", nil},
		{"odt/same-paragraph", "d.odt!content.xml", odf("<text:p>aws_access_key_id: <text:span>" + words + "</text:span></text:p>"), []string{words}},
		{"docx/same-paragraph-tab", "d.docx!word/document.xml", word("<w:p><w:r><w:t>Access key ID</w:t><w:tab/><w:t>" + words + "</w:t></w:r></w:p>"), []string{words}},
		{"docx/table-row", "d.docx!word/document.xml", word("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Access key ID</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>" + words + "</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"), []string{words}},
		{"html/table-row", "d.html", "<table><tr><td>aws_access_key_id</td><td>" + words + "</td></tr></table>\n", []string{words}},
		{"odt/line-break-before", "d.odt!content.xml", odf("<text:p>aws_access_key_id: see the vault<text:line-break/>Region: " + words + "</text:p>"), nil},
		{"odt/table-row", "d.odt!content.xml", odf("<table:table><table:table-row><table:table-cell><text:p>Access key ID</text:p></table:table-cell> <table:table-cell office:value-type=\"string\"><text:p>" + words + "</text:p></table:table-cell></table:table-row></table:table>"), []string{words}},
		{"odt/table-rows-apart", "d.odt!content.xml", odf("<table:table><table:table-row><table:table-cell><text:p>Access key ID</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>" + words + "</text:p></table:table-cell></table:table-row></table:table>"), nil},
		{"html/table-rows-apart", "d.html", "<table><tr><td>aws_access_key_id</td></tr><tr><td>" + words + "</td></tr></table>\n", nil},
		{"odt/secret-paragraph-after", "d.odt!content.xml", odf("<text:p>aws_access_key_id: " + words + "</text:p><text:p>aws_secret_access_key: " + secret + "</text:p>"), []string{words, secret}},
		{"odt/secret-pairs", "d.odt!content.xml", odf("<text:p>Region: " + words + "</text:p><text:p>aws_secret_access_key: " + secret + "</text:p>"), []string{words, secret}},
	} {
		var got []string
		for _, f := range sc.ScanAll(c.file, []byte(c.text)) {
			got = append(got, f.Secret)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v\n%s", c.name, got, c.want, c.text)
		}
	}
}
