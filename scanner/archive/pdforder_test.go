package archive

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// TestPDFReadingOrder is qa16 HIGH-25: text drawn out of reading order (a
// value's right half first, then its left half where it belongs, then the
// labels) reads whole in every viewer and in pdftotext, but was joined in
// drawing order and missed. The page's text is given again as a reader
// places it: by Td, Tm, TJ's moves, T* and TL, and cm inside q and Q.
// pdftotext checks each page shows the value whole.
func TestPDFReadingOrder(t *testing.T) {
	value := "wJalrXUtnFEMIK7MDENGbPxRfiCYzzzzzzzzzzzz" // 40 characters, no key
	left, right := value[:20], value[20:]
	page := pdfOnePage
	at := 210 + 20*6 // where the right half starts: Courier is 6 points a glyph at 10
	for _, c := range []struct{ name, content string }{
		{"Td", fmt.Sprintf("BT /F1 10 Tf %d 680 Td (%s) Tj ET\nBT /F1 10 Tf 210 680 Td (%s) Tj ET\nBT /F1 10 Tf 100 680 Td (Secret key:) Tj ET\n", at, right, left)},
		{"Tm", fmt.Sprintf("BT /F1 10 Tf 1 0 0 1 %d 680 Tm (%s) Tj 1 0 0 1 210 680 Tm (%s) Tj ET\n", at, right, left)},
		{"TJ", fmt.Sprintf("BT /F1 10 Tf 210 680 Td [( ) -%d (%s)] TJ ET\nBT /F1 10 Tf 210 680 Td (%s) Tj ET\n", 20*600-600, right, left)},
		// Two TJ arrays, the right half first (review15 B-7: the second's text overwrote the first's).
		{"TJ twice", fmt.Sprintf("BT /F1 10 Tf %d 680 Td [(%s)] TJ -%d 0 Td [(%s)] TJ ET\n", at, right, at-210, left)},
		{"cm", fmt.Sprintf("q 1 0 0 1 %d 680 cm BT /F1 10 Tf (%s) Tj ET Q q 1 0 0 1 210 680 cm BT /F1 10 Tf (%s) Tj ET Q\n", at, right, left)},
		{"lines", fmt.Sprintf("BT /F1 10 Tf 12 TL 100 700 Td (second line) Tj T* (%s) Tj ET BT /F1 10 Tf 100 712 Td (first line) Tj ET\n", value)},
	} {
		data := page(c.content)
		got, warns, _ := walk(t, "p.pdf", data, DefaultLimits())
		all := strings.Join(values(got), "\n")
		if !strings.Contains(all, value) || len(warns) > 0 {
			t.Errorf("%s: text %q, warnings %q", c.name, all, warns)
		}
		if _, err := exec.LookPath("pdftotext"); err == nil && c.name != "lines" {
			cmd := exec.Command("pdftotext", "-layout", "-", "-")
			cmd.Stdin = bytes.NewReader(data)
			if out, err := cmd.Output(); err != nil || !bytes.Contains(out, []byte(value)) {
				t.Errorf("%s: control: pdftotext shows %q (%v)", c.name, out, err)
			}
		}
	}

	// Drawn in reading order: the text once, as before.
	data := page("BT /F1 10 Tf 100 700 Td (first) Tj 0 -12 Td (second) Tj ET\n")
	got, _, _ := walk(t, "p.pdf", data, DefaultLimits())
	if all := strings.Join(values(got), "\n"); strings.Count(all, "first") != 1 {
		t.Errorf("in order: text %q", all)
	}
}
