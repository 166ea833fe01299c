package scanner

import "testing"

// TestEscapeSpellingsPassLastByte: escEndsAt and csiIntroEndsAt turn a
// place down by its last byte before they compare the spellings; every
// spelling, in lower and upper case and after other text, still passes.
func TestEscapeSpellingsPassLastByte(t *testing.T) {
	esc := []string{`\u001b`, `\u{1b}`, `\u{001b}`, `\x1b`, `\x{1b}`, `\033`, `\e`, "`e", `^[`, `&#27;`, `&#x1b;`, `%1b`,
		`$([char]27)`, `$([char]0x1b)`, "\x1b"}
	csi := []string{`\u009b`, `\x9b`, `\233`, `&#155;`, `&#x9b;`, "\x9b", "\x1b[", `\e[`, `\033[`, `^[[`}
	for _, c := range []struct {
		name  string
		forms []string
		ends  func([]byte, int) bool
	}{{"escEndsAt", esc, escEndsAt}, {"csiIntroEndsAt", csi, csiIntroEndsAt}} {
		for _, f := range c.forms {
			upper := []byte(f)
			for i, b := range upper {
				if 'a' <= b && b <= 'z' {
					upper[i] = b - 0x20
				}
			}
			for _, form := range []string{f, string(upper)} {
				d := []byte("AKIA" + form)
				if !c.ends(d, len(d)) {
					t.Errorf("%s(%q) = false", c.name, d)
				}
			}
		}
		if d := []byte("AKIAAKIA"); c.ends(d, 4) {
			t.Errorf("%s(%q, 4) = true", c.name, d)
		}
	}
}
