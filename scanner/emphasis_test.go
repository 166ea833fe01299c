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
