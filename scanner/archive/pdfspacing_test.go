package archive

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// pdfOnePage returns a one-page PDF drawing content in Courier.
func pdfOnePage(content string) []byte {
	return archivetest.PDF([]archivetest.PDFObject{
		{Dict: "/Type /Catalog /Pages 2 0 R"},
		{Dict: "/Type /Pages /Kids [3 0 R] /Count 1"},
		{Dict: "/Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R"},
		{Dict: "", Stream: []byte(content)},
		{Dict: "/Type /Font /Subtype /Type1 /BaseFont /Courier"}}, "")
}

// glyphOrder returns 0..n-1, shuffled when shuffle is set.
func glyphOrder(n int, shuffle bool) []int {
	o := make([]int, n)
	for i := range o {
		o[i] = i
	}
	if shuffle {
		rand.New(rand.NewPCG(uint64(n), 5)).Shuffle(n, func(i, j int) { o[i], o[j] = o[j], o[i] })
	}
	return o
}

// TestPDFRotatedAndSpaced is CLOSING16's "rotated text, character
// spacing": a value drawn rotated (a margin note, a vertical table
// header) one glyph at a time, each placed by its own Tm, in order or
// shuffled; letter-spaced by TJ moves between its glyphs (tracking, which
// a layout uses to fill a line); spaced by Tc or scaled by Tz with its
// glyphs placed one by one out of order. Each reads whole in a viewer and
// in pdftotext; each was cut into lines or words.
func TestPDFRotatedAndSpaced(t *testing.T) {
	value := "wJalrXUtnFEMIK7MDENGbPxRfiCYzzzzzzzzzzzz" // 40 characters, no key
	rotated := func(deg float64, shuffle bool) string {
		a, b := math.Cos(deg*math.Pi/180), math.Sin(deg*math.Pi/180)
		var s strings.Builder
		s.WriteString("BT /F1 10 Tf\n")
		for _, i := range glyphOrder(len(value), shuffle) {
			x, y := 300+a*6*float64(i), 100+b*6*float64(i)
			fmt.Fprintf(&s, "%.4f %.4f %.4f %.4f %.2f %.2f Tm (%c) Tj\n", a, b, -b, a, x, y, value[i])
		}
		return s.String() + "ET\n"
	}
	placed := func(op string, step float64, shuffle bool) string {
		var s strings.Builder
		s.WriteString("BT /F1 10 Tf " + op + "\n")
		for _, i := range glyphOrder(len(value), shuffle) {
			fmt.Fprintf(&s, "1 0 0 1 %.2f 500 Tm (%c) Tj\n", 100+step*float64(i), value[i])
		}
		return s.String() + "ET\n"
	}
	tracked := func(move int) string {
		var s strings.Builder
		s.WriteString("BT /F1 10 Tf 100 600 Td (Secret: ) Tj [")
		for i := range len(value) {
			if i > 0 {
				fmt.Fprintf(&s, " -%d ", move)
			}
			fmt.Fprintf(&s, "(%c)", value[i])
		}
		return s.String() + "] TJ ET\n"
	}
	// Rotated once by Tm, each glyph moved to by Td in the text's own
	// space; rotated by cm, each glyph in a text object of its own.
	rotatedTd := func(shuffle bool) string {
		var s strings.Builder
		s.WriteString("BT /F1 10 Tf 0 1 -1 0 300 100 Tm\n")
		x := 0
		for _, i := range glyphOrder(len(value), shuffle) {
			fmt.Fprintf(&s, "%d 0 Td (%c) Tj\n", 6*i-x, value[i])
			x = 6 * i
		}
		return s.String() + "ET\n"
	}
	rotatedCm := func(shuffle bool) string {
		var s strings.Builder
		for _, i := range glyphOrder(len(value), shuffle) {
			fmt.Fprintf(&s, "q 0 -1 1 0 200 700 cm BT /F1 10 Tf %d 0 Td (%c) Tj ET Q\n", 6*i, value[i])
		}
		return s.String()
	}
	for _, c := range []struct{ name, content string }{
		{"rotated Td shuffled", rotatedTd(true)},
		{"rotated cm shuffled", rotatedCm(true)},
		{"rotated 90", rotated(90, false)},
		{"rotated 90 shuffled", rotated(90, true)},
		{"rotated 270 shuffled", rotated(270, true)},
		{"rotated 30 shuffled", rotated(30, true)},
		{"rotated 180 shuffled", rotated(180, true)},
		{"tracked 250", tracked(250)},
		{"tracked 600", tracked(600)},
		{"Tc shuffled", placed("4 Tc", 10, true)},
		{"Tz shuffled", placed("200 Tz", 12, true)},
	} {
		data := pdfOnePage(c.content)
		got, warns, _ := walk(t, "p.pdf", data, DefaultLimits())
		all := strings.Join(values(got), "\n")
		if !strings.Contains(all, value) || len(warns) > 0 {
			t.Errorf("%s: text %q, warnings %q", c.name, all, warns)
		}
		if _, err := exec.LookPath("pdftotext"); err == nil && testing.Verbose() {
			cmd := exec.Command("pdftotext", "-", "-")
			cmd.Stdin = bytes.NewReader(data)
			out, err := cmd.Output()
			t.Logf("%s: control: pdftotext shows %q (%v)", c.name, out, err)
		}
	}
}

// TestPDFFormXObject: text a page draws through a Form XObject (/Fm1 Do:
// a stamp, a letterhead, a flattened form field) is read as the form's
// own stream's text, spaced out or not.
func TestPDFFormXObject(t *testing.T) {
	value := "wJalrXUtnFEMIK7MDENGbPxRfiCYzzzzzzzzzzzz"
	var tracked strings.Builder
	for i := range len(value) {
		fmt.Fprintf(&tracked, "(%c) -300 ", value[i])
	}
	for _, form := range []string{"BT /F1 10 Tf 0 0 Td (" + value + ") Tj ET", "BT /F1 10 Tf 0 0 Td [" + tracked.String() + "] TJ ET"} {
		data := archivetest.PDF([]archivetest.PDFObject{
			{Dict: "/Type /Catalog /Pages 2 0 R"},
			{Dict: "/Type /Pages /Kids [3 0 R] /Count 1"},
			{Dict: "/Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >> >> /Contents 4 0 R"},
			{Dict: "", Stream: []byte("BT /F1 10 Tf 100 520 Td (Key:) Tj ET q 1 0 0 1 100 500 cm /Fm1 Do Q\n")},
			{Dict: "/Type /Font /Subtype /Type1 /BaseFont /Courier"},
			{Dict: "/Type /XObject /Subtype /Form /BBox [0 0 400 20] /Resources << /Font << /F1 5 0 R >> >>", Stream: []byte(form)}}, "")
		got, warns, _ := walk(t, "p.pdf", data, DefaultLimits())
		if all := strings.Join(values(got), "\n"); !strings.Contains(all, value) || len(warns) > 0 {
			t.Errorf("text %q, warnings %q", all, warns)
		}
	}
}
