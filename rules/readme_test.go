package rules_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/rules"
)

var update = flag.Bool("update", false, "rewrite the README's rule table")

// TestReadmeTable keeps the README's rule table generated from the rules.
func TestReadmeTable(t *testing.T) {
	const begin, end = "<!-- rules:begin -->\n", "<!-- rules:end -->"
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Skip("no README.md beside the module:", err)
	}
	readme := string(data)
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q ... %q markers", begin, end)
	}
	set, err := rules.NewSet(rules.AWS())
	if err != nil {
		t.Fatal(err)
	}
	want := rules.Markdown(set)
	if got := readme[i+len(begin) : j]; got != want {
		if *update {
			if err := os.WriteFile("../README.md", []byte(readme[:i+len(begin)]+want+readme[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README.md's rule table is stale; run go test ./rules -update\n got: %s\nwant: %s", got, want)
	}
}
