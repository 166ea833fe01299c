package scanner

import (
	"encoding/base64"
	"strings"
	"testing"
)

// TestB64CutEveryForm: for each word a base64 anchor encodes (in UTF-8
// and in UTF-16LE), at every shift against lines of 76 and 64 characters,
// where a line break cuts the word's encoding the prefilter reports a
// piece (anchorB64Cut) from which b64Cut finds the anchor the break cuts;
// but for aws_ and AWS_ in UTF-8 one byte past a group, which a break
// cuts in the middle.
func TestB64CutEveryForm(t *testing.T) {
	words := []string{"AKIA", "ASIA", "aws_", "AWS_", "ecret", "ECRET"}
	for _, w := range words[:4] {
		var b strings.Builder
		for _, c := range []byte(w) {
			b.WriteByte(c)
			b.WriteByte(0)
		}
		words = append(words, b.String())
	}
	cut := 0
	for _, w := range words {
		for _, width := range []int{64, 76} {
			for shift := range width * 3 / 4 * 3 {
				// the byte before the word varies (it decides a character
				// of some forms), and so does the one after
				before, after := " =:'\"\nz7"[shift%8:shift%8+1], "_A2a= \n"[shift%7:shift%7+1]
				raw := strings.Repeat("z", shift) + before + w + after + "BCDEFGHIJKLMNOP"
				if len(w) == 8 {
					raw = strings.Repeat("z\x00", shift) + before + "\x00" + w + after + "\x00E\x00Y\x00"
				}
				enc := base64.StdEncoding.EncodeToString([]byte(raw))
				i := strings.Index(raw, w)
				lo, hi := (i*8+5)/6, (i+len(w))*8/6 // the characters w alone decides
				if lo/width == (hi-1)/width {
					continue // on one line
				}
				if (w == "aws_" || w == "AWS_") && i%3 == 1 {
					// F3|c1 and FX|U1: left out (prefilter.go), their
					// pieces' fingerprints cost Go source 3 % more
					continue
				}
				cut++
				var lines strings.Builder
				for len(enc) > width {
					lines.WriteString(enc[:width] + "\n")
					enc = enc[width:]
				}
				lines.WriteString(enc + "\n")
				d := []byte(lines.String())
				found := false
				defaultPrefilter().scan(d, func(pat, at int) {
					if patterns[pat].kind == anchorB64Cut && b64Cut(d, at) >= 0 {
						found = true
					}
				})
				if !found {
					t.Errorf("%q, width %d, shift %d: no cut anchor found", w, width, shift)
				}
			}
		}
	}
	t.Logf("%d cut forms", cut)
	if cut < 100 {
		t.Errorf("only %d cut forms tried", cut)
	}
}
