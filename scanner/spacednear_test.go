package scanner_test

import (
	"strings"
	"testing"
)

// BenchmarkSpacedLines scans spaced hex whose every place the lines'
// reading once read 256 bytes around (issue 16): groups parted by two
// blanks, and pairs beside wider groups, each on one long line and on
// lines of 200 bytes (one with an xxd offset), as keyscan's commands
// scan a file (16 MiB, the default budget).
func BenchmarkSpacedLines(b *testing.B) {
	lines := func(unit string) string {
		line := strings.Repeat(unit, 200/len(unit))
		return line + "\n"
	}
	for _, c := range []struct{ name, unit string }{
		{"two-blanks-long", " 41  4b "},
		{"wide-long", " 41 414b"},
		{"two-blanks-lines", lines(" 41  4b ")},
		{"wide-lines", lines(" 41 414b")},
		// a colon line's offset on each: wide groups may be kept
		{"colon-wide-lines", "0010: " + lines(" 41 414b")},
		// dumps' lines with an I's pair, which the paths of pairs are
		// followed over: od's pairs, xxd's groups of two bytes, groups
		// of four (od -tx4's width); "AKIB", no key
		{"hot-pairs-lines", "0000020 " + strings.Repeat(" 41 4b 49 42", 4) + "\n"},
		{"hot-xxd-lines", "00000010: " + strings.Repeat("414b 4942 ", 8) + " AKIBAKIBAKIBAKIB\n"},
		{"hot-w8-lines", "0000020 " + strings.Repeat(" 414b4942", 4) + "\n"},
	} {
		b.Run(c.name, func(b *testing.B) { benchScanCLI(b, tiled([]byte(c.unit), 16<<20)) })
	}
}
