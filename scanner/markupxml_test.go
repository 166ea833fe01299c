package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestMarkupInsideKeys is qa16 HIGH-15: an XML file's element text is read
// as a parser hands it to its program (CDATA sections unwrapped and joined,
// comments dropped, internal entities expanded, in elements and attributes
// alike), and a page's or Markdown's inline markup inside a key (a span, a
// <wbr>, an empty comment) is dropped as a browser drops it, for the key
// ID as for the secret. Two elements' texts, two cells, or a key in a
// comment beside another are not joined.
func TestMarkupInsideKeys(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 6; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		a, b, c, d := id[:8], id[8:], secret[:20], secret[20:]
		for _, tc := range []struct{ file, text string }{
			{"config.xml", "<config>\n  <accessKeyId><![CDATA[" + a + "]]><![CDATA[" + b + "]]></accessKeyId>\n  <secretAccessKey><![CDATA[" + c + "]]><![CDATA[" + d + "]]></secretAccessKey>\n</config>\n"},
			{"config.xml", "<config>\n  <accessKeyId>" + id[:5] + "<![CDATA[" + id[5:12] + "]]>" + id[12:] + "</accessKeyId>\n  <secretAccessKey>" + c + "<!-- rotated > 2026-01 -->" + d + "</secretAccessKey>\n</config>\n"},
			{"entity.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE c [<!ENTITY p \"" + a + "\"> <!ENTITY s '" + c + "'>]>\n<config>\n  <accessKeyId>&p;" + b + "</accessKeyId>\n  <secretAccessKey>&s;" + d + "</secretAccessKey>\n</config>\n"},
			{"Web.config", "<!DOCTYPE configuration [\n  <!ENTITY head \"" + a + "\">\n]>\n<configuration><appSettings>\n  <add key=\"AWSAccessKey\" value=\"&head;" + b + "\"/>\n  <add key=\"AWSSecretKey\" value=\"" + c + "&#x" + strings.ToUpper(hexByte(d[0])) + ";" + d[1:] + "\"/>\n</appSettings></configuration>\n"},
			{"Info.plist", "<plist><dict><key>AWS_SECRET_ACCESS_KEY</key><string>" + c + "<!-- -->" + d + "</string>\n<key>AWS_ACCESS_KEY_ID</key><string>" + a + "<!-- -->" + b + "</string></dict></plist>\n"},
			{"page.html", "<p>aws_access_key_id: " + a + "<span class=\"hl\">" + b + "</span></p>\n<p>aws_secret_access_key: " + c + "<span class=\"hl\">" + d + "</span></p>\n"},
			{"keys.html", "<p>Key: <code>" + a + "<wbr>" + b + "</code> secret <b>" + c + "</b><i>" + d + "</i></p>\n"},
			{"DEPLOY.md", "# Deploy\n\nAccess key ID: " + a + "<!-- -->" + b + "\n\nSecret access key: " + c + "<span></span>" + d + "\n"},
		} {
			fs := sc.Scan(tc.file, []byte(tc.text))
			if !hasSecret(fs, id) || !hasSecret(fs, secret) {
				t.Errorf("seed %d: %s %q: %v, want both keys", seed, tc.file, tc.text, summarize(fs))
			}
		}
		for _, tc := range []struct{ file, text string }{
			{"config.xml", "<c>\n<a>" + a + "</a><b>" + b + "</b>\n<x>" + c + "</x><y>" + d + "</y>\n</c>\n"},
			{"config.xml", "<c>\n<accessKeyId>" + a + "</accessKeyId><!-- " + b + " -->\n<secretAccessKey><![CDATA[" + c + "]]></secretAccessKey><!-- " + d + " -->\n</c>\n"},
			{"table.html", "<table><tr><td>aws_access_key_id " + a + "</td><td>" + b + "</td></tr>\n<tr><td>aws_secret_access_key " + c + "</td><td>" + d + "</td></tr></table>\n"},
			{"notes.md", "The key starts " + a + "<br>and " + b + " ends it; the secret " + c + "<p>" + d + "\n"},
			{"notes.txt", "Access key ID: " + a + "<!-- -->" + b + "\nSecret access key: " + c + "<span></span>" + d + "\n"},
		} {
			if fs := sc.Scan(tc.file, []byte(tc.text)); hasSecret(fs, id) || hasSecret(fs, secret) {
				t.Errorf("seed %d: %s %q: %v, want no key", seed, tc.file, tc.text, summarize(fs))
			}
		}
	}
}

// TestMarkupSplitsPrefix: markup that splits a key prefix itself
// (AK<!-- -->IA…, CDATA sections of AK and IA…, A<b></b>KIA… in a page, a
// Word run of AK) hides every key ID head, and no keyword stands near: the
// letters after the markup, read as a reader reads them, make the prefix.
// Two elements, two cells, two paragraphs and a text file are not joined.
func TestMarkupSplitsPrefix(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 6; seed++ {
		g := fakekey.New(seed)
		for _, prefix := range []string{"AKIA", "ASIA"} {
			id := g.KeyID(prefix)
			rest := id[4:]
			for _, tc := range []struct{ file, text string }{
				{"a.xml", "<c>\n  <k><![CDATA[" + id[:2] + "]]><![CDATA[" + id[2:] + "]]></k>\n</c>\n"},
				{"b.config", "<v>" + id[:3] + "<![CDATA[" + id[3:] + "]]></v>\n"},
				{"c.xml", "<v>A<!--x-->" + id[1:2] + "<!-- a > b -->" + id[2:3] + "<![CDATA[" + id[3:] + "]]></v>\n"},
				{"d.html", "<p>Use " + id[:2] + "<!-- -->" + id[2:] + " here</p>\n"},
				{"e.htm", "<td>A<span class=\"x\">" + id[1:2] + "</span>" + id[2:3] + "<i>" + id[3:4] + "</i>" + rest + "</td>\n"},
				{"f.md", "Key: A<b></b>" + id[1:] + " (old)\n"},
				{"g.md", "Key: " + id[:2] + "<!---->" + id[2:] + "\n"},
				{"h.docx!word/document.xml", "<w:p><w:r><w:t>The " + id[:2] + "</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>" + id[2:] + "</w:t></w:r></w:p>"},
				// Markdown's own markers inside a word (qa18 M3)
				{"i.md", "Key: **" + id[:2] + "**" + id[2:] + "\n"},
				{"j.md", "aws_access_key_id: " + id[:2] + "*" + id[2:4] + "*" + rest + "\n"},
				{"k.markdown", "Use ***" + id[:4] + "***" + rest + " now\n"},
				{"l.md", "The key " + id[:10] + "**" + id[10:14] + "**" + id[14:] + ".\n"},
				{"m.mdx", "id: `" + id[:8] + "`" + id[8:] + "\n"},
				{"n.md", "- " + id[:6] + "~~" + id[6:12] + "~~" + id[12:] + "\n"},
			} {
				if fs := sc.Scan(tc.file, []byte(tc.text)); !hasSecret(fs, id) {
					t.Errorf("seed %d: %s %q: %v, want the key ID", seed, tc.file, tc.text, summarize(fs))
				}
			}
			for _, tc := range []struct{ file, text string }{
				{"a.xml", "<c><k>" + id[:2] + "</k><k>" + id[2:] + "</k></c>\n"},
				{"b.html", "<table><tr><td>" + id[:2] + "</td><td>" + id[2:] + "</td></tr></table>\n"},
				{"c.md", id[:2] + "<p>" + id[2:] + "\n"},
				{"d.txt", id[:2] + "<!-- -->" + id[2:] + "\n"},
				{"e.html", "<p>X" + id[:2] + "<!-- -->" + id[2:] + "</p>\n"},
				{"f.docx!word/document.xml", "<w:p><w:r><w:t>" + id[:2] + "</w:t></w:r></w:p><w:p><w:r><w:t>" + id[2:] + "</w:t></w:r></w:p>"},
				{"g.md", "**" + id[:2] + "**\n\n" + id[2:] + "\n"},
				{"h.txt", "**" + id[:2] + "**" + id[2:] + "\n"},
			} {
				if fs := sc.Scan(tc.file, []byte(tc.text)); hasSecret(fs, id) {
					t.Errorf("seed %d: %s %q: %v, want no key", seed, tc.file, tc.text, summarize(fs))
				}
			}
		}
	}
}

// TestEntityHoldsPrefix is qa18 L1: an internal entity that holds a piece
// of a key ID's prefix (<!ENTITY a "AK"> then &a;IA…), or two entities
// that hold it between them, is read where each reference stands, with a
// keyword near or none; the entity's declaration alone, never referred
// to, is no key.
func TestEntityHoldsPrefix(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(1814)
	for _, prefix := range []string{"AKIA", "ASIA"} {
		id := g.KeyID(prefix)
		for n := 1; n <= 4; n++ {
			decl := "<?xml version=\"1.0\"?>\n<!DOCTYPE c [<!ENTITY a \"" + id[:n] + "\">]>\n"
			for _, body := range []string{
				"<c><v>&a;" + id[n:] + "</v></c>\n",
				"<c><aws_access_key_id>&a;" + id[n:] + "</aws_access_key_id></c>\n",
				"<c v=\"&a;" + id[n:] + "\"/>\n",
			} {
				if fs := sc.Scan("e.xml", []byte(decl+body)); !hasSecret(fs, id) {
					t.Errorf("%q: %v, want the key ID", decl+body, summarize(fs))
				}
			}
		}
		two := "<!DOCTYPE c [<!ENTITY a \"" + id[:1] + "\"><!ENTITY b '" + id[1:3] + "'>]>\n<c>&a;&b;" + id[3:] + "</c>\n"
		if fs := sc.Scan("two.config", []byte(two)); !hasSecret(fs, id) {
			t.Errorf("%q: %v, want the key ID", two, summarize(fs))
		}
		apart := "<!DOCTYPE c [<!ENTITY a \"" + id[:2] + "\">]>\n<c><k>&a;</k><k>" + id[2:] + "</k></c>\n"
		if fs := sc.Scan("apart.xml", []byte(apart)); hasSecret(fs, id) {
			t.Errorf("%q: %v, want no key (two elements)", apart, summarize(fs))
		}
	}
}

// hexByte is the two hex digits of c.
func hexByte(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// TestXMLEntitiesBounded: entities that refer to each other are not
// expanded again (no billion laughs), and a file of many entities and
// references is read in bounded time and memory.
func TestXMLEntitiesBounded(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"AKIAlol\">\n")
	for i := 1; i < 100; i++ {
		b.WriteString(" <!ENTITY lol" + string(rune('a'+i%26)) + strings.Repeat("x", i%7) + " \"" + strings.Repeat("&lol;", 10) + "\">\n")
	}
	b.WriteString("]>\n<secretAccessKey>" + strings.Repeat("&lolb;&lol;", 20000) + "</secretAccessKey>\n")
	if fs := sc.Scan("bomb.xml", []byte(b.String())); len(fs) != 0 {
		t.Errorf("entity bomb: %v", summarize(fs))
	}
}
