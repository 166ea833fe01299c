package scanner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// wordDoc is a Word body part around body.
func wordDoc(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wordNS + `><w:body>` + body + `</w:body></w:document>`
}

// Word's markup for tracked changes and fields, as Word writes it.
func wordDel(text string) string {
	return `<w:del w:id="7" w:author="Ops" w:date="2026-01-05T10:00:00Z"><w:r w:rsidDel="00B2C3D4"><w:rPr><w:rFonts w:ascii="Consolas"/></w:rPr><w:delText xml:space="preserve">` + text + `</w:delText></w:r></w:del>`
}

func wordIns(text string) string {
	return `<w:ins w:id="8" w:author="Ops" w:date="2026-01-05T10:01:00Z"><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:ins>`
}

func wordInstr(text string) string {
	return `<w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:instrText xml:space="preserve">` + text + `</w:instrText></w:r>`
}

func wordField(code, result string) string {
	return `<w:r><w:fldChar w:fldCharType="begin"/></w:r>` + code + `<w:r><w:fldChar w:fldCharType="separate"/></w:r>` + wordRun(result) + `<w:r><w:fldChar w:fldCharType="end"/></w:r>`
}

// TestOfficeViewsJoinRuns is qa34 5: a Word part is read as each of its
// texts, the document with its tracked changes accepted, the document
// before them (deleted and moved-away text shown, insertions not), its
// fields' codes and its deleted text (qa36 M1: text one reviewer inserted
// and another deleted, w:ins > w:del or w:del > w:ins), so a key split over two runs of deleted text, of a field's
// code (a HYPERLINK to a presigned URL), or over a kept run and a deleted
// one, is found, with its name near or, for a key ID, without; at every
// place of the split.
func TestOfficeViewsJoinRuns(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(34050)
	id, secret := g.KeyID("AKIA"), g.Secret()
	// Each shape puts a lead (a key's name, or words that name none) and
	// a value cut at k in a paragraph; a field's code holds its lead, as
	// a link's query does.
	kept := func(cut func(v string, k int) string) func(lead, v string, k int) string {
		return func(lead, v string, k int) string { return wordRun(lead) + cut(v, k) }
	}
	shapes := map[string]func(lead, v string, k int) string{
		"two deleted runs": kept(func(v string, k int) string {
			return `<w:del w:id="3" w:author="Ops"><w:r><w:delText>` + v[:k] + `</w:delText></w:r><w:r w:rsidDel="00C1"><w:rPr><w:b/></w:rPr><w:delText>` + v[k:] + `</w:delText></w:r></w:del>`
		}),
		"two deletions":      kept(func(v string, k int) string { return wordDel(v[:k]) + wordDel(v[k:]) }),
		"kept, then deleted": kept(func(v string, k int) string { return wordRun(v[:k]) + wordDel(v[k:]) + wordIns(" rotated") }),
		"deleted, then kept": kept(func(v string, k int) string { return wordDel(v[:k]) + wordIns("see the vault ") + wordRun(v[k:]) }),
		"moved away": kept(func(v string, k int) string {
			return `<w:moveFrom w:id="4"><w:r><w:t>` + v[:k] + `</w:t></w:r><w:r><w:t>` + v[k:] + `</w:t></w:r></w:moveFrom>`
		}),
		"inserted between":   kept(func(v string, k int) string { return wordDel(v[:k]) + wordIns("xyz") + wordDel(v[k:]) }),
		"deleted run a char": kept(func(v string, k int) string { return wordRun(v[:k]) + perCharDel(v[k:]) }),
		// qa36 M1: inserted by one reviewer, deleted by another (or the
		// other way round): in neither the accepted text nor the original
		"inserted, then deleted": kept(func(v string, k int) string {
			return `<w:ins w:id="1" w:author="A"><w:del w:id="2" w:author="B"><w:r><w:rPr><w:b/></w:rPr><w:delText>` + v[:k] + `</w:delText></w:r><w:r><w:rPr><w:b/></w:rPr><w:delText>` + v[k:] + `</w:delText></w:r></w:del></w:ins>`
		}),
		"deleted, then inserted": kept(func(v string, k int) string {
			return `<w:del w:id="2" w:author="B"><w:ins w:id="1" w:author="A"><w:r><w:delText>` + v[:k] + `</w:delText></w:r><w:r w:rsidDel="00C1"><w:delText>` + v[k:] + `</w:delText></w:r></w:ins></w:del>`
		}),
		"inserted, then deleted, twice": kept(func(v string, k int) string {
			return `<w:ins w:id="1" w:author="A"><w:del w:id="2" w:author="B"><w:r><w:delText>` + v[:k] + `</w:delText></w:r></w:del></w:ins><w:ins w:id="3" w:author="A"><w:del w:id="4" w:author="B"><w:r><w:delText>` + v[k:] + `</w:delText></w:r></w:del></w:ins>`
		}),
		"deleted, whole lead": func(lead, v string, k int) string { return wordDel(lead+v[:k]) + wordDel(v[k:]) },
		"two field code runs": func(lead, v string, k int) string {
			return wordRun("Value: ") + wordField(wordInstr(` QUOTE "`+lead+v[:k])+wordInstr(v[k:]+`" `), "shown")
		},
		"deleted field code": func(lead, v string, k int) string {
			return wordField(`<w:del w:id="5"><w:r><w:delInstrText> QUOTE "`+lead+v[:k]+`</w:delInstrText></w:r><w:r><w:delInstrText>`+v[k:]+`" </w:delInstrText></w:r></w:del>`, "shown")
		},
	}
	for name, cut := range shapes {
		for k := 1; k < len(id); k++ {
			for _, lead := range []string{"aws_access_key_id = ", "Deploy user: "} {
				body := "<w:p>" + cut(lead, id, k) + "</w:p>"
				if fs := sc.Scan("d.docx!word/document.xml", []byte(wordDoc(body))); !hasSecret(fs, id) {
					t.Errorf("%s, key ID cut at %d after %q: %v, want it", name, k, lead, summarize(fs))
				}
			}
		}
		for k := 1; k < len(secret); k++ {
			body := "<w:p>" + cut("aws_secret_access_key = ", secret, k) + "</w:p>"
			if fs := sc.Scan("d.docx!word/document.xml", []byte(wordDoc(body))); !hasSecret(fs, secret) {
				t.Errorf("%s, secret cut at %d: %v, want it", name, k, summarize(fs))
			}
		}
	}
	// A presigned URL in a HYPERLINK's code, the key ID cut anywhere; and a
	// link whose query names both halves of the pair.
	for k := 1; k < len(id); k++ {
		url := `https://reports.s3.amazonaws.com/q3.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&amp;X-Amz-Credential=` + id + `%2F20260105%2Fus-east-1%2Fs3%2Faws4_request&amp;X-Amz-Date=20260105T100000Z&amp;X-Amz-Expires=604800&amp;X-Amz-SignedHeaders=host`
		at := strings.Index(url, id) + k
		body := "<w:p>" + wordRun("The report: ") + wordField(wordInstr(` HYPERLINK "`+url[:at])+wordInstr(url[at:]+`" \o "report"`), "Q3 report") + "</w:p>"
		if fs := sc.Scan("d.docx!word/document.xml", []byte(wordDoc(body))); !hasSecret(fs, id) {
			t.Errorf("presigned URL, key ID cut at %d: %v, want it", k, summarize(fs))
		}
	}
	for k := 1; k < len(secret); k++ {
		url := `https://tools.example.com/sync?aws_access_key_id=` + id + `&amp;aws_secret_access_key=` + secret
		at := strings.Index(url, secret) + k
		body := "<w:p>" + wordField(wordInstr(` HYPERLINK "`+url[:at])+wordInstr(url[at:]+`" `), "sync") + "</w:p>"
		if fs := sc.Scan("d.docx!word/document.xml", []byte(wordDoc(body))); !hasSecret(fs, secret) || !hasSecret(fs, id) {
			t.Errorf("pair in a link, secret cut at %d: %v, want both", k, summarize(fs))
		}
	}
}

// perCharDel is a deletion of v, a run a character, as Word writes a
// value deleted after it was typed in several sessions.
func perCharDel(v string) string {
	var b strings.Builder
	b.WriteString(`<w:del w:id="9" w:author="Ops">`)
	for i, c := range v {
		fmt.Fprintf(&b, `<w:r w:rsidDel="00%06X"><w:rPr><w:sz w:val="21"/></w:rPr><w:delText>%c</w:delText></w:r>`, i, c)
	}
	b.WriteString(`</w:del>`)
	return b.String()
}

// TestOfficeViewsKeepApart: each view is one text, and no view joins what
// none shows together: the halves of a key one of which is only deleted
// and the other only inserted, two deletions with kept text between, a field's code and the text around it, a
// field's code and its result. A key ID in a field's result is still
// found.
func TestOfficeViewsKeepApart(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(34051)
	for seed := 0; seed < 3; seed++ {
		id, secret := g.KeyID("AKIA"), g.Secret()
		for _, body := range []string{
			// deleted half, inserted half: no view holds both
			"<w:p>" + wordRun("aws_access_key_id = ") + wordDel(id[:10]) + wordIns(id[10:]) + "</w:p>",
			"<w:p>" + wordRun("aws_secret_access_key = ") + wordIns(secret[:20]) + wordDel(secret[20:]) + "</w:p>",
			// deleted halves with kept text between (the deleted text's
			// view ends a line there: qa36 M1)
			"<w:p>" + wordRun("aws_access_key_id = ") + wordDel(id[:10]) + wordRun(" and ") + wordDel(id[10:]) + wordIns("x") + "</w:p>",
			"<w:p>" + wordRun("aws_secret_access_key = ") + wordDel(secret[:20]) + wordRun(" or ") + wordIns("new ") + wordDel(secret[20:]) + "</w:p>",
			// a field's code, then the text after it
			"<w:p>" + wordField(wordInstr(` QUOTE "`+id[:10]), "") + wordRun(id[10:]) + "</w:p>",
			// text, then a code
			"<w:p>" + wordRun("aws_secret_access_key = "+secret[:20]) + wordField(wordInstr(secret[20:]), "x") + "</w:p>",
		} {
			fs := sc.Scan("d.docx!word/document.xml", []byte(wordDoc(body)))
			if hasSecret(fs, id) || hasSecret(fs, secret) {
				t.Errorf("%q: %v, want no key", body, summarize(fs))
			}
		}
		body := "<w:p>" + wordRun("Deploy user ") + wordField(wordInstr(` MERGEFIELD key `), id[:8]) + "</w:p>"
		if fs := sc.Scan("d.docx!word/document.xml", []byte(wordDoc(body))); len(fs) != 0 {
			t.Errorf("a field's result of 8 characters: %v, want none", summarize(fs))
		}
	}
}

// TestOfficeViewsOrdinary: ordinary Word documents with tracked changes
// and fields (a table of contents, page numbers, hyperlinks to the AWS
// documentation, merge fields, words replaced with Track Changes on next
// to the names of keys) hold no key in any view.
func TestOfficeViewsOrdinary(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	paras := []string{
		wordRun("Rotate the aws_secret_access_key every ") + wordDel("ninety") + wordIns("thirty") + wordRun(" days."),
		wordRun("The AWS_ACCESS_KEY_ID is read from the ") + wordDel("environment") + wordIns("instance role") + wordRun("."),
		wordField(wordInstr(` TOC \o "1-3" \h \z \u `), "Contents"),
		wordField(wordInstr(` PAGEREF _Toc152637485 \h `), "4"),
		wordRun("See ") + wordField(wordInstr(` HYPERLINK "https://docs.aws.amazon.com/IAM/latest/UserGuide/`)+wordInstr(`id_credentials_access-keys.html" \l "Using_CreateAccessKey" `), "Managing access keys") + wordRun("."),
		wordRun("Dear ") + wordField(wordInstr(` MERGEFIELD FirstName \* MERGEFORMAT `), "«FirstName»") + wordRun(","),
		wordRun("Region: ") + wordDel("US-EAST-1") + wordIns("EU-WEST-1") + wordRun(", ASIA") + wordDel("PACIFIC") + wordIns("SOUTHEAST") + wordRun(" later."),
		wordRun("secret_access_key: ") + wordDel("see the vault entry") + wordIns("stored in AWS Secrets Manager under prod/app/credentials") + wordRun("."),
		wordField(wordInstr(` DATE \@ "d MMMM yyyy" `), "5 January 2026") + wordField(wordInstr(` PAGE `), "1") + wordField(wordInstr(` NUMPAGES `), "12"),
		`<w:r><w:rPr><w:del w:id="12" w:author="Ops"/></w:rPr><w:t>A deleted paragraph mark.</w:t></w:r>`,
		wordDel("ABCDEFGHIJ") + wordRun("KLMNOPQRSTUVWXYZ0123456789abcdefghijklmn") + wordIns(" inserted"),
	}
	body := "<w:p>" + strings.Join(paras, "</w:p><w:p>") + "</w:p>"
	for _, name := range []string{"d.docx!word/document.xml", "d.docx!word/footer1.xml", "flat.xml"} {
		if fs := sc.Scan(name, []byte(wordDoc(body))); len(fs) != 0 {
			t.Errorf("%s: %v, want none", name, summarize(fs))
		}
	}
}

// trackedDoc is a Word body of n paragraphs of ordinary words, a tracked
// replacement in every third, a hyperlink field in every fifth and a
// key's name in every seventh: the parts the other views are read for.
func trackedDoc(n int) []byte {
	words := strings.Fields("the access list rotate vault deploy region bucket policy role instance paper")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><w:document ` + wordNS + `><w:body>`)
	for i := range n {
		b.WriteString("<w:p>")
		var line []string
		for k := range 8 {
			line = append(line, words[(i*7+k*3)%len(words)])
		}
		b.WriteString(wordRun(strings.Join(line, " ")))
		if i%3 == 0 {
			b.WriteString(wordDel("old "+words[i%len(words)]) + wordIns("new "+words[(i+1)%len(words)]))
		}
		if i%5 == 0 {
			b.WriteString(wordField(wordInstr(fmt.Sprintf(` HYPERLINK "https://docs.example.com/p%d" `, i)), "link"))
		}
		if i%7 == 0 {
			b.WriteString(wordRun(" aws_secret_access_key is in the vault"))
		}
		b.WriteString("</w:p>")
	}
	b.WriteString("</w:body></w:document>")
	return []byte(b.String())
}

// BenchmarkOfficeViews scans a Word body dense in tracked changes, fields
// and keys' names, read as its three texts (accepted, original, fields'
// codes): the cost of reading a part three times, in MB per CPU second
// as the corpus benchmarks report it (a shared machine's wall time says
// little).
func BenchmarkOfficeViews(b *testing.B) {
	sc := newScanner(b, scanner.Options{})
	d := trackedDoc(20000)
	b.SetBytes(int64(len(d)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if fs := sc.Scan("d.docx!word/document.xml", d); len(fs) != 0 {
			b.Fatalf("%v", summarize(fs))
		}
	}
	reportCPU(b, cpu, len(d))
}

// odfNS are the namespaces of an OpenDocument part's root.
const odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"`

// odfContent is an OpenDocument text part as LibreOffice writes one with
// Track Changes on: the change log's regions first, then the body.
func odfContent(regions, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><office:document-content ` + odfNS + ` office:version="1.3"><office:body><office:text><text:tracked-changes text:track-changes="false">` + regions + `</text:tracked-changes><text:sequence-decls/>` + body + `</office:text></office:body></office:document-content>`
}

// odfDeletion is a changed region that keeps deleted paragraphs, as
// LibreOffice writes it (who and when first); odfInsertion one that marks
// an insertion, whose text stands in the body.
func odfDeletion(id string, paras ...string) string {
	var b strings.Builder
	for _, p := range paras {
		b.WriteString(`<text:p text:style-name="P1">` + p + `</text:p>`)
	}
	return `<text:changed-region xml:id="` + id + `" text:id="` + id + `"><text:deletion><office:change-info><dc:creator>Ops</dc:creator><dc:date>2026-01-05T10:00:00</dc:date><text:p>rotated</text:p></office:change-info>` + b.String() + `</text:deletion></text:changed-region>`
}

func odfInsertion(id string) string {
	return `<text:changed-region xml:id="` + id + `" text:id="` + id + `"><text:insertion><office:change-info><dc:creator>Ops</dc:creator><dc:date>2026-01-05T10:01:00</dc:date></office:change-info></text:insertion></text:changed-region>`
}

// TestODFTrackedDeletions is qa36 M9: LibreOffice keeps a tracked
// deletion in the change log (text:tracked-changes) and a mark
// (text:change) where it stood, so a key whose tail (or head, or middle)
// was deleted with tracking on is in two places of the part. The part
// read before its changes, each deletion put back at its mark and each
// insertion dropped, holds it whole: found, at every cut, in an .odt's
// content.xml and styles.xml and a flat .fodt, with a keyword before it
// or, for a key ID, none; the finding points inside the part.
func TestODFTrackedDeletions(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(37090)
	id, secret := g.KeyID("AKIA"), g.Secret()
	mark := func(n string) string { return `<text:change text:change-id="` + n + `"/>` }
	span := func(s string) string { return `<text:span text:style-name="T1">` + s + `</text:span>` }
	shapes := map[string]func(lead, v string, k int) string{
		"tail deleted": func(lead, v string, k int) string {
			return odfContent(odfDeletion("ct1", v[k:]), `<text:p text:style-name="P1">`+lead+v[:k]+mark("ct1")+`</text:p>`)
		},
		"head deleted": func(lead, v string, k int) string {
			return odfContent(odfDeletion("ct1", v[:k]), `<text:p>`+lead+mark("ct1")+span(v[k:])+`</text:p>`)
		},
		"middle deleted, an insertion after": func(lead, v string, k int) string {
			return odfContent(odfDeletion("ct1", v[k/2:k])+odfInsertion("ct2"), `<text:p>`+lead+v[:k/2]+mark("ct1")+v[k:]+`<text:change-start text:change-id="ct2"/> (rotated)<text:change-end text:change-id="ct2"/></text:p>`)
		},
		"two deletions": func(lead, v string, k int) string {
			return odfContent(odfDeletion("ct1", lead+v[:k])+odfDeletion("ct2", v[k:]), `<text:p>Keys: `+mark("ct1")+mark("ct2")+` moved to the vault</text:p>`)
		},
		"inserted between": func(lead, v string, k int) string {
			return odfContent(odfInsertion("ct2"), `<text:p>`+lead+v[:k]+`<text:change-start text:change-id="ct2"/>xyz<text:change-end text:change-id="ct2"/>`+v[k:]+`</text:p>`)
		},
		"over a paragraph's end": func(lead, v string, k int) string {
			return odfContent(odfDeletion("ct1", v[k:], "Old notes"), `<text:p>`+lead+v[:k]+mark("ct1")+` follow.</text:p>`)
		},
	}
	names := []string{"d.odt!content.xml", "d.odt!styles.xml", "d.fodt"}
	for shape, doc := range shapes {
		for k := 1; k < len(id); k++ {
			for _, lead := range []string{"aws_access_key_id = ", "Deploy user: "} {
				d := doc(lead, id, k)
				name := names[k%len(names)]
				fs := sc.Scan(name, []byte(d))
				if !hasSecret(fs, id) {
					t.Errorf("%s, %s, key ID cut at %d after %q: %v, want it", shape, name, k, lead, summarize(fs))
				}
				for _, f := range fs {
					if f.Offset < 0 || f.EndOffset > len(d) || f.Offset >= f.EndOffset || f.Line != 1 || f.Column != f.Offset+1 {
						t.Errorf("%s, cut at %d: %s at %d..%d, line %d column %d: not in the part", shape, k, f.Rule, f.Offset, f.EndOffset, f.Line, f.Column)
					}
				}
			}
		}
		for k := 1; k < len(secret); k += 3 {
			name := names[k%len(names)]
			if fs := sc.Scan(name, []byte(doc("aws_secret_access_key = ", secret, k))); !hasSecret(fs, secret) {
				t.Errorf("%s, %s, secret cut at %d: %v, want it", shape, name, k, summarize(fs))
			}
		}
	}
}

// TestODFTrackedKeepApart: the text before the changes drops an
// insertion's text, so a deleted half and an inserted one are not
// joined, which no text LibreOffice shows holds together; nor are two
// deletions with kept text between. Ordinary words replaced with tracking
// on next to a key's name hold no key.
func TestODFTrackedKeepApart(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(37091)
	mark := func(n string) string { return `<text:change text:change-id="` + n + `"/>` }
	ins := func(n, s string) string {
		return `<text:change-start text:change-id="` + n + `"/>` + s + `<text:change-end text:change-id="` + n + `"/>`
	}
	for range 3 {
		id, secret := g.KeyID("AKIA"), g.Secret()
		for _, d := range []string{
			odfContent(odfDeletion("ct1", id[:10])+odfInsertion("ct2"), `<text:p>aws_access_key_id = `+mark("ct1")+ins("ct2", id[10:])+`</text:p>`),
			odfContent(odfDeletion("ct1", secret[20:])+odfInsertion("ct2"), `<text:p>aws_secret_access_key = `+ins("ct2", secret[:20])+mark("ct1")+`</text:p>`),
			odfContent(odfDeletion("ct1", id[:10])+odfDeletion("ct2", id[10:]), `<text:p>aws_access_key_id = `+mark("ct1")+` and `+mark("ct2")+`</text:p>`),
		} {
			if fs := sc.Scan("d.odt!content.xml", []byte(d)); hasSecret(fs, id) || hasSecret(fs, secret) {
				t.Errorf("%q: %v, want no key", d, summarize(fs))
			}
		}
	}
	d := odfContent(odfDeletion("ct1", "ninety")+odfInsertion("ct2")+odfDeletion("ct3", "environment", "")+odfDeletion("ct4", "PACIFIC")+odfInsertion("ct5"),
		`<text:p>Rotate the aws_secret_access_key every `+mark("ct1")+ins("ct2", "thirty")+` days.</text:p>`+
			`<text:p>The AWS_ACCESS_KEY_ID is read from the `+mark("ct3")+`instance role.</text:p><text:p>Region: ASIA`+mark("ct4")+ins("ct5", "SOUTHEAST")+` later.</text:p>`)
	for _, name := range []string{"d.odt!content.xml", "d.fodt"} {
		if fs := sc.Scan(name, []byte(d)); len(fs) != 0 {
			t.Errorf("%s: %v, want none", name, summarize(fs))
		}
	}
}
