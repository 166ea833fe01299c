package scanner

import (
	"strings"
	"testing"
)

// TestWholeFileGate is review15 A-4: a file with no anchor is read on only
// where it is of a format a decoder of its own reads whole. A C or JS file
// with a 0x but no run of 16 such bytes (a flag, a small table) was taken
// for a byte-array file and ran the whole pipeline; a decoded text (depth
// 1) asked the gate too, though no whole-file decoder reads it.
func TestWholeFileGate(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	list := strings.Repeat("0x5b, 0x64, 0x65, 0x66, ", 4) + "0x0a"
	for _, c := range []struct {
		name, text string
		want       wholeKind
		at         int
	}{
		{"flags.c", "#define F 0x10\nstatic const int t[] = { 0x1, 0x2, 0x3 };\n", wholeNone, -1},
		{"creds.h", "unsigned char creds[] = {\n  " + list + "\n};\n", wholeByteArray, 28},
		{"creds.go", "var creds = []byte{\n  " + list + "\n}\n", wholeNone, -1},
		{"dump.txt", "00000000: 5b64 6566 6175 6c74 5d0a  [default].\n", wholeHexdump, 0},
		{"session.cast", "{\"version\": 2}\n", wholeCast, 0},
		{"letter.rtf", "{\\rtf1\\ansi hello}\n", wholeRTF, 0},
		{"hkcu.reg", "Windows Registry Editor Version 5.00\n", wholeRegistry, 0},
		{"ls.txt", "LS(1)\n\nN\bNA\bAM\bME\bE\n       ls - list\n", wholeOverstrike, 0},
		{"ls-v.txt", "N^HNA^HAM^HME^HE\n", wholeOverstrike, 0},
		{"log.txt", "a\b b\n^H\nA\bA B\n", wholeNone, -1},
	} {
		for depth := range 2 {
			m := newMatch(s, c.name, []byte(c.text))
			m.depth = depth
			want := c.want
			if depth > 0 {
				want = wholeNone
			}
			if got := m.wholeFile(); got != want || want == wholeByteArray && m.wholeAt != c.at {
				t.Errorf("%s at depth %d: %d at %d, want %d at %d", c.name, depth, got, m.wholeAt, want, c.at)
			}
			m.release()
			m.recycle()
		}
	}
}
