package scanner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestXMLEntityLimitsCounted is qa17 H1: a reference that the XML reader
// leaves unexpanded at its bounds (an entity declared past the first 64,
// references past the expansion bound of a stretch) is a run not decoded
// whole, counted, never passed in silence; a file past the bounds whose
// references are all read, or name entities it does not declare, counts
// nothing.
func TestXMLEntityLimitsCounted(t *testing.T) {
	g := fakekey.New(17001)
	id, secret := g.KeyID("AKIA"), g.Secret()
	doc := func(decls, note string) string {
		return "<?xml version=\"1.0\"?>\n<!DOCTYPE c [\n" + decls +
			"<!ENTITY ka \"" + id[:10] + "\">\n<!ENTITY kb \"" + id[10:] + "\">\n" +
			"<!ENTITY sa \"" + secret[:20] + "\">\n<!ENTITY sb \"" + secret[20:] + "\">\n]>\n<config>\n<note>" + note +
			"</note>\n<accessKeyId>&ka;&kb;</accessKeyId>\n<secretAccessKey>&sa;&sb;</secretAccessKey>\n</config>\n"
	}
	var many strings.Builder
	for i := range 64 {
		fmt.Fprintf(&many, "<!ENTITY d%d \"v%d\">\n", i, i)
	}
	big := "<!ENTITY big \"" + strings.Repeat("x", 1000) + "\">\n"
	s, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, text string
		gap        bool
	}{
		{"control", doc("", ""), false},
		{"past 64 entities", doc(many.String(), ""), true},
		{"past the expansion bound", doc(big, strings.Repeat("&big;", 100)), true},
		// 68 entities, none referred to past the 64th (d60 to d63), and
		// references to names an external DTD declares
		{"unused", strings.Replace(doc("", "&d1; &mdash; &copy; &unknown;"), "]>\n", many.String()+"]>\n", 1), false},
	} {
		fs, n := s.ScanAllCounted("c.xml", []byte(c.text), 0)
		found := map[string]bool{}
		for _, f := range fs {
			found[f.Secret] = true
		}
		if c.gap != (n.Undecoded > 0) || !c.gap && (!found[id] || !found[secret]) {
			t.Errorf("%s: %d runs undecoded, key ID found %v, secret %v", c.name, n.Undecoded, found[id], found[secret])
		}
	}
}
