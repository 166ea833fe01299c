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
	} {
		b.Run(c.name, func(b *testing.B) { benchScanCLI(b, tiled([]byte(c.unit), 16<<20)) })
	}
}
