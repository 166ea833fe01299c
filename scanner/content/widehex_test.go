package content

import (
	"context"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/rules"
)

// TestHexOfUTF16 is perf21's finding: the hex of UTF-16LE text (a
// PowerShell or .NET string's bytes, xxd -p of a UTF-16 file) in lower or
// upper case, after 0 to 3 other bytes, with or without a byte order mark,
// on one line or in xxd -p's lines, gives both keys; a key ID alone so
// written is found too.
func TestHexOfUTF16(t *testing.T) {
	sc := newScanner(t)
	id, _, text := pair(71)
	var wide []byte
	for _, c := range text {
		wide = append(wide, c, 0)
	}
	for lead := range 4 {
		for _, bom := range []bool{false, true} {
			for _, upper := range []bool{false, true} {
				for _, lines := range []bool{false, true} {
					b := append([]byte(nil), []byte{0x07, 0x81, 0x9c}[:lead]...)
					if bom {
						b = append(b, 0xff, 0xfe)
					}
					b = append(b, wide...)
					h := hex.EncodeToString(b)
					if upper {
						h = strings.ToUpper(h)
					}
					if lines {
						var w strings.Builder
						for i := 0; i < len(h); i += 60 {
							w.WriteString(h[i:min(i+60, len(h))] + "\n")
						}
						h = w.String()
					} else {
						h = "payload = \"" + h + "\"\n"
					}
					r := Scan(context.Background(), sc, "p.txt", []byte(h), DefaultOptions())
					kinds := kindsIn(r, "p.txt")
					if !kinds[rules.AccessKeyID] || !kinds[rules.SecretAccessKey] {
						t.Errorf("lead %d bom %v upper %v lines %v: kinds %v; findings %v", lead, bom, upper, lines, kinds, places(r.Findings))
					}
				}
			}
		}
	}
	var w []byte
	for _, c := range []byte(id) {
		w = append(w, c, 0)
	}
	r := Scan(context.Background(), sc, "id.ps1", []byte("$id = \""+hex.EncodeToString(w)+"\"\n"), DefaultOptions())
	if kinds := kindsIn(r, "id.ps1"); !kinds[rules.AccessKeyID] {
		t.Errorf("a key ID alone: %v", places(r.Findings))
	}
}
