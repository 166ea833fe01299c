package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestMarkdownEmphasis is qa15 HIGH-24: Markdown writes _italic_, __bold__
// and ___both___ around a pasted key as it writes stars, in sentences and
// in tables; the underscores open and close emphasis and are no part of the
// key's word. Underscores inside a word (FOO_AKIA…, KEY_AKIA…=1) or a run
// of four open no emphasis, and the key stays glued to its name.
func TestMarkdownEmphasis(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 5; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		for _, u := range []string{"_", "__", "___", "**_", "\\_"} {
			closing := u
			if u == "**_" {
				closing = "_**"
			}
			emph := func(v string) string { return u + v + closing }
			if fs := sc.Scan("incident.md", []byte("The leaked key was "+emph(id)+"; it was rotated.\n")); len(fs) != 1 || fs[0].Secret != id {
				t.Errorf("seed %d, %q: %v, want the key ID", seed, u, summarize(fs))
			}
			table := "| setting | value |\n| --- | --- |\n| aws_access_key_id | " + emph(id) + " |\n| aws_secret_access_key | " + emph(secret) + " |\n"
			if fs := sc.Scan("runbook.md", []byte(table)); len(fs) != 2 {
				t.Errorf("seed %d, %q: table: %v, want both keys", seed, u, summarize(fs))
			}
		}
		for _, glued := range []string{"export KEY_" + id + "=1\n", "FOO_" + id + "_BAR\n", "x = ____" + id + "____\n",
			"aws_access_key_id = " + id[:19] + "_" + id[19:] + "\n"} {
			if fs := sc.Scan("notes.md", []byte(glued)); len(fs) != 0 {
				t.Errorf("seed %d: %q: %v, want nothing", seed, strings.TrimSpace(glued), summarize(fs))
			}
		}
		if fs := sc.Scan("notes.md", []byte("aws_secret_access_key = "+secret+"_x\n")); len(fs) != 0 {
			t.Errorf("seed %d: a secret glued to _x: %v, want nothing", seed, summarize(fs))
		}
	}
}

// TestMarkdownLinkInKey is qa19 L2: a key ID or secret cut by a Markdown
// link, inline (AKIA…[…](url), [AKIA…](url)…) or by reference (…[…][1],
// …[…][]), renders as one word and is found, the prefix cut too; a link's
// text that is no key, or a key glued to more by a link, stays silent.
func TestMarkdownLinkInKey(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 3; seed++ {
		g := fakekey.New(seed)
		secret := g.Secret()
		for _, prefix := range []string{"AKIA", "ASIA"} {
			id := g.KeyID(prefix)
			for _, cut := range []int{1, 2, 3, 4, 10, 19} {
				a, b := id[:cut], id[cut:]
				for _, text := range []string{
					"Key: " + a + "[" + b + "](https://wiki.example/keys)\n",
					"Key: [" + a + "](https://wiki.example/keys)" + b + "\n",
					"Key: " + a + "[" + b + "][1]\n\n[1]: https://wiki.example/keys\n",
					"Key: " + a + "[" + b + "][]\n\n[" + b + "]: https://wiki.example/keys\n",
					"| id | y |\n| --- | --- |\n| [" + a + "](/a)[" + b + "](/b) | y |\n",
					"* Key: **[" + a + "](/a)**" + b + "\n",
				} {
					if fs := sc.Scan("README.md", []byte(text)); len(fs) != 1 || fs[0].Secret != id {
						t.Errorf("seed %d: %v, want %s\n%s", seed, summarize(fs), scanner.Redact(id), text)
					}
				}
			}
		}
		for _, cut := range []int{3, 20, 39} {
			text := "aws_secret_access_key: [" + secret[:cut] + "](https://x.example/s)" + secret[cut:] + "\n"
			if fs := sc.Scan("notes.md", []byte(text)); len(fs) != 1 || fs[0].Secret != secret {
				t.Errorf("seed %d: %v, want the secret\n%s", seed, summarize(fs), text)
			}
		}
		id := g.KeyID("AKIA")
		for _, text := range []string{
			"Key: " + id[:10] + "[" + id[10:] + "](https://wiki.example/keys)Q7ZZ\n",
			"See [" + id[:10] + " docs](https://wiki.example/keys)" + id[10:] + "\n",
			"[AKIA](https://example.com/a)[ASIA](https://example.com/b) prefixes\n",
		} {
			if fs := sc.Scan("README.md", []byte(text)); len(fs) != 0 {
				t.Errorf("seed %d: %v, want nothing\n%s", seed, summarize(fs), text)
			}
		}
	}
}
