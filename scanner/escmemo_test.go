package scanner

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// escapeText is text dense in escapes of every notation and mode, the
// places where the modes part (a backslash before a digit or a hex letter,
// a blank after a backslash escape), broken escapes, soft breaks, plain
// value characters and the bytes that end a run; now and then a stretch
// long enough to reach maxRunBytes.
func escapeText(r *rand.Rand) []byte {
	pieces := []string{`\u0041`, `\u004b`, `\x41`, `\X41`, `\41`, `\41 `, `\4b `, `\101`, `\113`, `\7`, `\0`, `\9`, `\a`, `\f0 `,
		`\\u0049`, `\\x41`, `\\101`, `%41`, `%u0041`, `%2F`, `&#65;`, `&#x41;`, `&#65`, `&#x4b&`, `U+0041`, `U+0041, `, `u+004B,`,
		`U+0041;`, `\u{41}`, `\x{4b}`, `\U00000041`, `\uu0041`, `=3D`, "=\n", "=\r\n", `\u0t`, `\us`, `\`, `\\`, " ", "\t", "\n",
		`"`, "'", ",", "A", "K", "Ia9", "+", "/", "=", "AKIA", "abc", "0", "\\ ", "\\\t"}
	var b strings.Builder
	size := 200 + r.IntN(4000)
	if r.IntN(8) == 0 {
		size = maxRunBytes + r.IntN(maxRunBytes)
	}
	for b.Len() < size {
		if r.IntN(6) == 0 { // a longer run of one notation
			p := pieces[r.IntN(len(pieces))]
			for range 1 + r.IntN(40) {
				b.WriteString(p)
			}
			continue
		}
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return []byte(b.String())
}

// bestRunFresh is bestRun as it was: each mode reads the run from s.
func bestRunFresh(d []byte, s int) escRun {
	r := walkRun(d, s, escLettered, nil)
	if r.end < len(d) && d[r.end] == '\\' {
		for _, mode := range []escMode{escOctal, escCSS} {
			if q := walkRun(d, s, mode, nil); q.chars > r.chars {
				r = q
			}
		}
	}
	return r
}

// TestBestRunAnswersAsFresh holds bestRun, whose octal and CSS readings go
// on from where the lettered one stopped, to reading each mode from the
// run's start, at every byte of escape-dense text.
func TestBestRunAnswersAsFresh(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	n := 300
	if testing.Short() {
		n = 60
	}
	for range n {
		d := escapeText(r)
		for s := range d {
			if got, want := bestRun(d, s), bestRunFresh(d, s); got != want {
				t.Fatalf("bestRun at %d of %q:\n got %+v\nwant %+v", s, d[max(0, s-20):min(len(d), want.end+20)], got, want)
			}
		}
	}
}
