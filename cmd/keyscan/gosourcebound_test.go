package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestGoSourceBounded: staged and pre-receive type-check a candidate Go
// file alone (goSource) only up to maxGoSourceCheck; a larger one is left
// to the byte scan (qa28 H1: the type checker's cost grows faster than a
// pushed file, 47 CPU s and 1 GB for a 14 MB []byte table). The same key
// built by strings.ToUpper is found below the bound and not past it,
// where the file is never handed to go/types.
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
		for b.Len() <= maxGoSourceCheck {
			b.WriteString("1, 2, 3, 4, 5, 6, 7, 8,\n")
		}
		b.WriteString("}\n")
		if got := goSource(context.Background(), sc, "k.go", []byte(b.String())); len(got) != 0 {
			t.Fatalf("seed %d: a %d-byte file was type-checked: %v", seed, b.Len(), got)
		}
	}
}
