package scanner

import "testing"

// FuzzTexBreak: the LaTeX breaks (texbreak.go) read inside the input, a
// break that cuts a value is one mayEscape takes at its first byte, and the
// byte masks' cheap test before mayEscape (escapeFirst2, escapeNext) lets
// every escape mayEscape takes through.
func FuzzTexBreak(f *testing.F) {
	for _, s := range []string{
		`AKIA12\-34`, `a\allowbreak b`, `a\allowbreak{}b`, `a\allowbreakb`, "a\\allowbreak\n  b", `a{\hskip0pt}b`,
		`a\hspace*{ 0.0mm }b`, `a\kern\z@ b`, `a\linebreak[0]b`, `a\penalty-50 b`, `a\nobreak\hspace{0pt}b`,
		`a\discretionary {-}{} {}b`, `a\mbox{}b`, "a%\nb", "a%\r\n b", "a% remark\n    b", `a%41b`, `\`, `{\`, "%",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, d []byte) {
		for i, c := range d {
			n := 0
			switch c {
			case '\\':
				n = texBreak(d, i)
			case '%':
				n = texComment(d, i)
			}
			if n < 0 || i+n > len(d) {
				t.Fatalf("break of %d bytes at %d of %d", n, i, len(d))
			}
			if m := invisibleOne(d, i); m < 0 || i+m > len(d) {
				t.Fatalf("separator of %d bytes at %d of %d", m, i, len(d))
			}
			if m := invisibleAt(d, i); m > 0 && (d[i] == '\\' || d[i] == '%' || d[i] == '{') && !mayEscape(d, i) {
				t.Fatalf("a break of %d bytes at %d that mayEscape does not take: %q", m, i, d[i:i+m])
			}
			if (c == '\\' || c == '%') && i+2 < len(d) && mayEscape(d, i) && escapeFirst2[c]&escapeNext[d[i+1]] == 0 {
				t.Fatalf("mayEscape takes %q, the masks' test does not", d[i:min(len(d), i+8)])
			}
		}
	})
}
