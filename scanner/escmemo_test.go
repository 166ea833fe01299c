package scanner

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
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

// escapeScanText is escapeText with what makes the matcher look for escape
// runs around it: keywords, escaped key IDs and secrets, key IDs whose
// escapes begin inside them, lines.
func escapeScanText(r *rand.Rand, g *fakekey.Gen) []byte {
	esc := func(s string) string {
		var b strings.Builder
		for i := range len(s) {
			switch r.IntN(6) {
			case 0:
				b.WriteByte(s[i])
			case 1:
				fmt.Fprintf(&b, `\x%02x`, s[i])
			case 2:
				fmt.Fprintf(&b, `&#%d;`, s[i])
			default:
				fmt.Fprintf(&b, `\u%04x`, s[i])
			}
		}
		return b.String()
	}
	pieces := []string{"Secret", "=Secret", "aws_secret_access_key = ", "secret: ", "credentials.NewStaticCredentials(", "\n", " ", `"`,
		`\u0041\u004b\u0049\u0041`, `\u0041\u004b\u0049\u0ta`, "AKIA", "&#47;", "=3D"}
	var b strings.Builder
	size := 500 + r.IntN(8000)
	for b.Len() < size {
		switch k := r.IntN(10); {
		case k < 3:
			e := escapeText(r)
			b.Write(e[:r.IntN(min(300, len(e)))])
		case k < 6:
			b.WriteString(pieces[r.IntN(len(pieces))])
		case k < 7:
			b.WriteString(esc(g.KeyID("AKIA")))
		case k < 8:
			b.WriteString(esc(g.Secret()))
		case k < 9: // a chain of escaped heads
			for range 1 + r.IntN(60) {
				b.WriteString(pieces[7+r.IntN(2)])
			}
		default:
			id := g.KeyID("AKIA")
			cut := 4 + r.IntN(16)
			b.WriteString(id[:cut] + esc(id[cut:]))
		}
	}
	return []byte(b.String())
}

// TestRunMemoAnswersAsRead: decodeEscapes' second pass, answering from
// runMemo what the first pass read, finds the runs that reading every run
// again finds, and the scan finds the same, finding for finding.
func TestRunMemoAnswersAsRead(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(41, 42))
	g := fakekey.New(43)
	runs, found := 0, 0
	n := 400
	if testing.Short() {
		n = 80
	}
	for range n {
		d := escapeScanText(r, g)
		memo, read := newMatch(s, "t.txt", d), newMatch(s, "t.txt", d)
		read.runMemoOff = true
		memo.run()
		read.run()
		if !reflect.DeepEqual(memo.out, read.out) {
			t.Fatalf("with runMemo: %d findings, reading every run: %d\n%v\n%v", len(memo.out), len(read.out), memo.out, read.out)
		}
		got, want := memo.escapeRunsFound(), read.escapeRunsFound()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("with runMemo: runs %+v\nreading every run: %+v\nin %q", got, want, d)
		}
		runs += len(want)
		found += len(read.out)
	}
	if runs < 1000 || found < 50 {
		t.Fatalf("%d runs, %d findings: the test compares too little", runs, found)
	}
	t.Logf("%d runs, %d findings", runs, found)
}
