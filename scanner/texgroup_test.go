package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestTeXEmptyGroup is qa19 L4: in a LaTeX file an empty group {} typesets
// as nothing (it breaks a ligature), so a key ID or secret cut by one, or
// by two in a row, is one word on the page; ordinary LaTeX with empty
// groups holds no key.
func TestTeXEmptyGroup(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 6; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		ci, cs := 5+int(seed)%14, 2+int(seed*7)%36
		for _, cut := range []string{"{}", "{}{}", `{}\-`} {
			text := "\\begin{verbatim}\\end{verbatim}\n\\texttt{aws\\_access\\_key\\_id = " + id[:ci] + cut + id[ci:] +
				"}\\\\\n\\texttt{aws\\_secret\\_access\\_key = " + secret[:cs] + cut + secret[cs:] + "}\n"
			for _, name := range []string{"runbook.tex", "keys.sty"} {
				fs := sc.Scan(name, []byte(text))
				if !hasSecret(fs, id) || !hasSecret(fs, secret) {
					t.Errorf("seed %d %s %q: %v, want both keys\n%s", seed, name, cut, summarize(fs), text)
				}
			}
		}
	}
	clean := strings.Repeat("The secret{} key of the \\LaTeX{} manual: shelf{}ful, aws\\_secret{}\\_access{}\\_key, \\newcommand{\\x}{}\n", 50)
	if fs := sc.Scan("manual.tex", []byte(clean)); len(fs) != 0 {
		t.Errorf("ordinary LaTeX: %v, want nothing", summarize(fs))
	}
}
