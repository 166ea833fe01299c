package scanner_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/scanner"
)

// TestRealisticTree: in the shared realistic tree (testdata/realistic, see
// internal/fixture) every file holds a finding, and every key ID and secret
// access key the tree was filled with is found.
func TestRealisticTree(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []uint64{11, 12} {
		files, err := fixture.Realistic(seed)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) < 20 {
			t.Fatalf("the realistic tree has %d files", len(files))
		}
		var found []string
		for _, f := range files {
			fs := sc.Scan(f.Path, f.Content)
			if len(fs) == 0 {
				t.Errorf("seed %d: %s: no finding", seed, f.Path)
			}
			for _, x := range fs {
				found = append(found, x.Secret)
			}
		}
		for name, v := range fakekey.New(seed).Values() {
			if !(strings.HasPrefix(name, "ID") || strings.HasPrefix(name, "SECRET")) ||
				strings.HasSuffix(name, "_HEAD") || strings.HasSuffix(name, "_TAIL") {
				continue // not a key, or a piece of one (for split examples)
			}
			used := false
			for _, f := range files {
				if strings.Contains(string(f.Content), v) {
					used = true
				}
			}
			if used && !slices.Contains(found, v) {
				t.Errorf("seed %d: {{%s}} is in the tree and not found", seed, name)
			}
		}
	}
}
