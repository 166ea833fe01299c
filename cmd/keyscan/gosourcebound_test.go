package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/content"
)

// TestGoSourceBounded: staged and pre-receive type-check a candidate Go
// file alone (goSource) only up to content.MaxGoTokens; goCost gives a
// larger one content.GoTooLarge, and it is left to the byte scan and said
// (qa28 H1: the type checker's cost grows faster than a pushed file, 47
// CPU s and 1 GB for a 14 MB []byte table). The same key built by
// strings.ToUpper is found below the bound, however many bytes of
// comment, string or blanks pad it (qa29 M4).
func TestGoSourceBounded(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for seed := uint64(1); seed <= 4; seed++ {
		id := fakekey.New(seed).KeyID("AKIA")
		src := fmt.Sprintf("package p\n\nimport \"strings\"\n\nvar K = strings.ToUpper(%q)\n", strings.ToLower(id))
		if got := goSource(context.Background(), sc, "k.go", []byte(src)); len(got) == 0 {
			t.Fatalf("seed %d: the built key is not found in a small file", seed)
		}
		var b strings.Builder
		b.WriteString(src)
		b.WriteString("\nvar Table = []byte{")
		for b.Len() <= 2*content.MaxGoTokens*8 { // 2 * 8 tokens a line
			b.WriteString("1, 2, 3, 4, 5, 6, 7, 8,\n")
		}
		b.WriteString("}\n")
		if goCost([]byte(b.String())) != content.GoTooLarge {
			t.Fatalf("seed %d: goCost of a file past the bound is %d, want content.GoTooLarge", seed, goCost([]byte(b.String())))
		}
		// qa29 M4: padding that adds bytes, not tokens, does not lift a
		// file past the bound: the key is still found.
		for _, pad := range []string{"// " + strings.Repeat("x", 2<<20) + "\n", "var Pad = `" + strings.Repeat("y", 2<<20) + "`\n",
			strings.Repeat(" \n", 1<<20)} {
			padded := []byte(src + pad)
			if got := goSource(context.Background(), sc, "k.go", padded); len(got) == 0 {
				t.Fatalf("seed %d: a file padded to %d bytes (%.10q...) is not type-checked", seed, len(padded), pad)
			}
			// The budget counts tokens (qa31 F14): the padding adds at
			// most the five of a declaration.
			if c, base := goCost(padded), goCost([]byte(src)); c < base || c > base+6 {
				t.Fatalf("seed %d: goCost of a padded file is %d, want near the %d tokens of the file unpadded", seed, c, base)
			}
		}
	}
}
