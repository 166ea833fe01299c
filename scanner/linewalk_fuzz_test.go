package scanner

import (
	"strings"
	"testing"
)

// FuzzLineWalk reads any text as wrapped base32 and hex runs (runLines,
// hexLines, whose lines lineWalk joins bare, behind a quote or across
// escaped line breaks): lines in order inside the input, each only the
// alphabet's characters, and the run's end after its last line's start.
func FuzzLineWalk(f *testing.F) {
	line := strings.Repeat("MFRGGZDF", 8)
	for _, s := range []string{
		"{\"c\": \"" + line + "\\n" + line + "\\nMZXW6===\\n\"}",
		"# " + line + "\n# " + line + "\n# MZXW6\n",
		"> " + line + "\r\n> " + line + "\r\n",
		"s = \"" + line + "\\u000A" + line + "\\u000a41\";",
		"x = \"" + line + "\\\\r\\\\n" + line + "\\\\\"",
		"\\u000a" + strings.Repeat("4a6b", 8) + "\\n" + strings.Repeat("4a6b", 8) + "\\n41\"",
	} {
		f.Add([]byte(s), uint16(7))
	}
	f.Fuzz(func(t *testing.T, d []byte, at uint16) {
		if len(d) == 0 {
			return
		}
		i := int(at) % len(d)
		check := func(what string, stop *[256]uint8, segs []seg, end int) {
			if len(segs) == 0 || end > len(d) {
				t.Fatalf("%s: %d lines, end %d of %d", what, len(segs), end, len(d))
			}
			for j, g := range segs {
				e := segEnd(segs, j, end)
				if g.raw < 0 || e < g.raw || e > len(d) || j > 0 && (g.raw < segs[j-1].raw || g.char < segs[j-1].char) {
					t.Fatalf("%s: line %d [%d,%d) of %d: %v", what, j, g.raw, e, len(d), segs)
				}
				for k := g.raw; k < e; k++ {
					if stop[d[k]] != 0 {
						t.Fatalf("%s: line %d holds %q at %d: %v", what, j, d[k], k, segs)
					}
				}
			}
		}
		if notB32[d[i]] == 0 {
			segs, end := runLines(d, classRunStart(d, i, &notB32), &notB32, nil)
			check("base32", &notB32, segs, end)
		}
		if notHex[d[i]] == 0 {
			segs, end := hexLines(d, classRunStart(d, i, &notHex), true, nil)
			check("hex", &notHex, segs, end)
		}
	})
}
