package scanner_test

// Long escaped stretches and long runs of concatenations are rewritten in
// bounded pieces (scanner/rewrite.go, maxRegionBytes; scanner/escapes.go,
// maxRunBytes). A key deep in such a stretch, across the cut between two
// runs or two pieces, is still found where it is written, once; the crafted
// stretches alone find nothing. Memory lives in BenchmarkLongRewrites.

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

func TestKeysDeepInLongRewrites(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	hex := notations[7] // \x41
	for seed := uint64(1); seed <= 4; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		// An escaped document whose key pair stands after filler of
		// several pieces' length, at offsets that move the key across the
		// cuts from seed to seed.
		filler := strings.Repeat("note = plain words here\n", 3000+int(seed)*37)
		doc := filler + "aws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n" + filler
		text := "data = \"" + hex.encode(doc) + "\"\n"
		fs := sc.Scan("doc.txt", []byte(text))
		if len(fs) != 2 || fs[0].Rule != rules.IDAccessKeyID || fs[0].Secret != id || fs[1].Secret != secret {
			t.Fatalf("seed %d: escaped document: %v", seed, summarize(fs))
		}
		if want := strings.Index(text, hex.encode(id)); fs[0].Offset != want {
			t.Errorf("seed %d: key ID at %d, want %d", seed, fs[0].Offset, want)
		}
		// A split key ID after thousands of other split chains.
		chains := strings.Repeat("x = \"AKIA\" + \"AKIA\";\n", 5000+int(seed)*53)
		js := chains + "const id = \"" + id[:10] + "\" +\n  \"" + id[10:] + "\";\n" + chains
		fs = sc.Scan("app.js", []byte(js))
		if len(fs) != 1 || fs[0].Secret != id || fs[0].Encoding != "concatenation" {
			t.Fatalf("seed %d: split key ID among chains: %v", seed, summarize(fs))
		}
	}
	// The crafted stretches alone hold no key.
	for name, text := range map[string]string{
		"concat.js":    "const k = " + strings.Repeat(`"AK"+`, 100000),
		"concat_nl.js": "const k = " + strings.Repeat("\"AKIA\" +\n", 50000),
		"hex.txt":      "k = \"" + strings.Repeat(`\x41`, 200000) + "\"",
		"css.txt":      "k = \"" + strings.Repeat(`\41 `, 200000) + "\"",
	} {
		if fs := sc.Scan(name, []byte(text)); len(fs) != 0 {
			t.Errorf("%s: %v", name, summarize(fs))
		}
	}
}

// TestTokenRunBounded: a session token is read from its prefix to the end
// of its run; text made of prefixes after a '/' or '+' started a run at
// every copy, each read to the end (quadratic: 8.6 s for 272 KB). A run
// longer than maxTokenRun is no token; a real one, and one at the bound's
// edge in a long file, is still found.
func TestTokenRunBounded(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tok := fakekey.New(151).SessionToken()
	for _, sep := range []string{"/", "+"} {
		text := bytes.Repeat([]byte(sep+"IQoJb3JpZ2luX2Vj"), 20000)
		if fs := sc.Scan("p.txt", text); len(fs) != 0 {
			t.Errorf("%q prefixes: %d findings", sep, len(fs))
		}
	}
	// A real token followed by a long file, and one inside a run a little
	// over the bound, which is a blob.
	text := "aws_session_token = " + tok + "\n" + strings.Repeat("x = 1\n", 5000)
	if fs := sc.Scan("t.txt", []byte(text)); len(fs) != 1 || fs[0].Kind != rules.SessionToken {
		t.Errorf("a session token before a long file: %v", fs)
	}
	blob := "aws_session_token = " + tok + strings.Repeat("A", 17<<10) + "\n"
	if fs := sc.Scan("b.txt", []byte(blob)); len(fs) != 0 {
		t.Errorf("a 17 KiB run that starts like a token: %d findings", len(fs))
	}
}
