package main

import (
	"strings"
	"testing"
)

// TestXMLEntityFanOut (review15 A2-1, A2-2): references to one long
// internal entity, many to a stretch, made the rewrite of an XML file
// hundreds of times longer than the file. The scan of that rewrite left
// its lazily charged windows to the outer scan, which read them against
// its own shorter bytes and panicked; and the expansion took memory and
// work far past the check budget. A stretch now expands references while
// its text stays within twice its bytes and a value, and the sub-scan
// settles its own charges: the scan ends, exit 0.
func TestXMLEntityFanOut(t *testing.T) {
	requireKeyscanOnPath(t)
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("<!DOCTYPE r [<!ENTITY b \"" + strings.Repeat("Ab1/", 255) + "\">]>\n<r>\n")
	for range 100 {
		b.WriteString("<aws_secret_access_key>" + strings.Repeat("&b;", 340) + "</aws_secret_access_key>\n")
	}
	b.WriteString("</r>\n")
	writeRepoFile(t, dir, "bomb.xml", b.String())
	r := runCmd(t, dir, nil, "keyscan", "scan", "bomb.xml")
	if r.code != exitClean || strings.Contains(r.stderr, "panic") {
		t.Errorf("scan of an XML file of entity references: exit %d, want %d\n%s%s", r.code, exitClean, r.stdout, r.stderr)
	}
}
