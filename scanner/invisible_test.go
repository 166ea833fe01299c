package scanner_test

// Tests of keys cut by invisible separators (invisible.go): <wbr>, the
// zero-width characters, the soft hyphen, as UTF-8, HTML references, \u
// escapes and URL encoding; and ordinary text holding them, which stays
// silent.

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

var invisibleForms = []struct{ name, text string }{
	{"wbr", "<wbr>"}, {"wbr-upper", "<WBR>"}, {"wbr-closed", "<wbr/>"}, {"wbr-spaced", "<wbr />"},
	{"zwsp", "\u200b"}, {"zwnj", "\u200c"}, {"zwj", "\u200d"}, {"word-joiner", "\u2060"}, {"bom", "\ufeff"},
	{"soft-hyphen", "\u00ad"},
	{"html-8203", "&#8203;"}, {"html-x200b", "&#x200B;"}, {"html-x200b-lower", "&#x200b;"}, {"html-shy", "&shy;"},
	{"html-173", "&#173;"}, {"html-xad", "&#xad;"}, {"html-zwsp-name", "&ZeroWidthSpace;"}, {"html-zwnj", "&zwnj;"},
	{"html-zwj", "&zwj;"}, {"html-nobreak", "&NoBreak;"}, {"html-feff", "&#65279;"}, {"html-2060", "&#x2060;"},
	{"json-u200b", `\u200b`}, {"json-u00ad", `\u00AD`}, {"url-zwsp", "%E2%80%8B"}, {"url-shy", "%c2%ad"},
	{"two-in-a-row", "<wbr>\u200b"},
	// LaTeX (texbreak.go, qa17 H10)
	{"tex-hyphen", `\-`}, {"tex-allowbreak", `\allowbreak `}, {"tex-allowbreak-group", `\allowbreak{}`},
	{"tex-allowbreak-run-on", `\allowbreak`}, {"tex-allowbreak-line-end", "\\allowbreak\n    "},
	{"tex-discretionary", `\discretionary{}{}{}`}, {"tex-discretionary-hyphen", `\discretionary {-}{} {}`},
	{"tex-hskip-group", `{\hskip0pt}`}, {"tex-hskip", `\hskip 0pt `}, {"tex-hspace", `\hspace{0pt}`},
	{"tex-hspace-star", `\hspace*{ 0.0mm }`}, {"tex-kern", `\kern\z@ `}, {"tex-linebreak", `\linebreak[0]`},
	{"tex-linebreak-bare", `\linebreak `}, {"tex-penalty", `\penalty-50 `}, {"tex-nobreak-hspace", `\nobreak\hspace{0pt}`},
	{"tex-hyphen-group", `{\-}`}, {"tex-mbox", `\mbox{}`}, {"tex-comment", "%\n"}, {"tex-comment-crlf", "%\r\n"},
	{"tex-comment-remark", "% wrapped for the page\n    "}, {"tex-two", `\-\allowbreak{}`},
}

// TestInvisibleSeparators: a key pair whose key ID and secret are each cut
// by an invisible separator, at every place of the value, is found at the
// cut text, decoded, paired, named invisible-separator.
func TestInvisibleSeparators(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for _, form := range invisibleForms {
		t.Run(form.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 8; seed++ {
				g := fakekey.New(seed)
				id, secret := g.KeyID("AKIA"), g.Secret()
				// The cut falls anywhere past the prefix; a secret is cut
				// once or twice.
				ci := 4 + int(seed*3)%15
				cs := 1 + int(seed*7)%38
				eid := id[:ci] + form.text + id[ci:]
				esec := secret[:cs] + form.text + secret[cs:]
				if seed%2 == 0 {
					esec = secret[:cs] + form.text + secret[cs:cs+1] + form.text + secret[cs+1:]
				}
				for _, file := range []string{"notes.md", "page.html", "settings.ini"} {
					head := "# deploy settings\naws_access_key_id = "
					mid := "\naws_secret_access_key = "
					text := head + eid + mid + esec + "\n"
					fs := sc.Scan(file, []byte(text))
					want := []struct {
						rule, value string
						start, end  int
					}{
						{rules.IDAccessKeyID, id, len(head), len(head) + len(eid)},
						{rules.IDSecretAccessKey, secret, len(head) + len(eid) + len(mid), len(head) + len(eid) + len(mid) + len(esec)},
					}
					if len(fs) != len(want) {
						t.Fatalf("seed %d %s: %d findings, want 2: %v\n%q", seed, file, len(fs), summarize(fs), text)
					}
					for i, w := range want {
						got := fs[i]
						if got.Rule != w.rule || got.Secret != w.value || got.Offset != w.start || got.EndOffset != w.end {
							t.Errorf("seed %d %s: finding %d is %s %s [%d,%d), want %s %s [%d,%d)", seed, file, i, got.Rule, scanner.Redact(got.Secret),
								got.Offset, got.EndOffset, w.rule, scanner.Redact(w.value), w.start, w.end)
						}
						if l, c := lineCol([]byte(text), w.start); got.Line != l || got.Column != c {
							t.Errorf("seed %d %s: finding %d at %d:%d, want %d:%d", seed, file, i, got.Line, got.Column, l, c)
						}
						if got.Encoding != "invisible-separator" && !(file == "page.html" && got.Encoding == "html-text") {
							t.Errorf("seed %d %s: finding %d encoding %q, want invisible-separator", seed, file, i, got.Encoding)
						}
						if got.Pair != fs[1-i].Fingerprint {
							t.Errorf("seed %d %s: finding %d is not paired with the other", seed, file, i)
						}
					}
				}
			}
		})
	}
}

// TestInvisibleSecretContext: a cut secret needs the context a plain one
// needs, and a keyscan:allow comment allows it.
func TestInvisibleSecretContext(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(31)
	id, secret := g.KeyID("AKIA"), g.Secret()
	for _, form := range invisibleForms {
		esc := secret[:20] + form.text + secret[20:]
		for _, c := range []struct {
			name, file, text string
			want             int
		}{
			{"keyword", ".env", "AWS_SECRET_ACCESS_KEY=" + esc + "\n", 1},
			{"next-to-plain-key-id", "creds.py", "KEY = '" + id + "'\nVALUE = '" + esc + "'\n", 2},
			{"no-context", "notes.txt", "value = \"" + esc + "\"\n", 0},
			{"another-system", "app.yaml", "client_secret: \"" + esc + "\"\n", 0},
			{"allowed", ".env", "AWS_SECRET_ACCESS_KEY=" + esc + " # keyscan:allow fixture of the separator tests\n", 0},
		} {
			if c.name == "allowed" && strings.Contains(form.text, "\n") {
				continue // the comment is on the line the value starts on, not here
			}
			fs := sc.Scan(c.file, []byte(c.text))
			if len(fs) != c.want {
				t.Errorf("%s/%s: %d findings, want %d: %v", form.name, c.name, len(fs), c.want, summarize(fs))
				continue
			}
			for _, f := range fs {
				if f.Rule == rules.IDSecretAccessKey && f.Secret != secret {
					t.Errorf("%s/%s: secret %s, want %s", form.name, c.name, scanner.Redact(f.Secret), scanner.Redact(secret))
				}
			}
		}
	}
}

// TestInvisibleInOrdinaryText: separators in words, long URLs, hyphenated
// prose, a byte order mark, and the AWS example key cut by one, stay
// silent.
func TestInvisibleInOrdinaryText(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	r := rand.New(rand.NewPCG(12, 13))
	words := []string{"Donau", "dampf", "schiff", "fahrts", "gesellschaft", "kapitän", "secret", "token", "access", "key",
		"configuration", "https://example.com/a/very/long/path/segment", "aws_secret_access_key", "password"}
	var b strings.Builder
	b.WriteString("\ufeff# notes\n")
	for range 4000 {
		w := words[r.IntN(len(words))]
		if r.IntN(3) == 0 {
			k := 1 + r.IntN(len(w)-1)
			w = w[:k] + invisibleForms[r.IntN(len(invisibleForms))].text + w[k:]
		}
		b.WriteString(w)
		switch r.IntN(8) {
		case 0:
			b.WriteString(" = ")
		case 1:
			b.WriteString("\n")
		default:
			b.WriteString(" ")
		}
	}
	b.WriteString("\naws_access_key_id = AKIAIOSF\u200bODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG\u00ad/bPxRfiCYEXAMPLEKEY\n")
	for _, file := range []string{"notes.md", "page.html", "notes.txt"} {
		if fs := sc.Scan(file, []byte(b.String())); len(fs) != 0 {
			t.Errorf("%s: %d findings, want none: %v", file, len(fs), summarize(fs))
		}
	}
}
