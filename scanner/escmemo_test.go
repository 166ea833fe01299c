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
		`"`, "'", ",", "A", "K", "Ia9", "+", "/", "=", "AKIA", "abc", "0", "\\ ", "\\\t",
		`\-`, `\allowbreak `, `{\hskip0pt}`, `\discretionary{-}{}{}`, "%\n", "% x\n"}
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

// escapeByteBefore, hexRunBefore and walkOnBefore are the decoder's steps
// as they were before the table lookups and the guards before the calls
// (TestWalkAnswersAsBefore).
func escapeByteBefore(d []byte, i int, mode escMode) (byte, int, string) {
	v, end, enc := 0, 0, "unicode-escape"
	switch d[i] {
	case '\\':
		j := i + 1
		if j < len(d) && d[j] == '\\' {
			j++ // escaped twice: JSON holding JSON, a string holding code
		}
		if j+1 >= len(d) {
			return 0, 0, ""
		}
		switch c := d[j]; {
		case (c == 'u' || c == 'x') && d[j+1] == '{': // \u{41}, \x{41}
			h, n := hexRunBefore(d, j+2, 6)
			if n == 0 || j+2+n >= len(d) || d[j+2+n] != '}' {
				return 0, 0, ""
			}
			v, end = h, j+3+n
		case c == 'u' || c == 'x' || c == 'U': // \u0041, \x41, \U00000041, Java's \uu0041
			for c == 'u' && j+2 < len(d) && d[j+1] == 'u' {
				j++
			}
			want := 4
			switch c {
			case 'x':
				want = 2
			case 'U':
				want = 8
			}
			h, n := hexRunBefore(d, j+1, want)
			if n < want {
				return 0, 0, ""
			}
			v, end = h, j+1+n
		case mode == escOctal && '0' <= c && c <= '7': // \101, \65: one to three digits
			n := 0
			for n < 3 && j+n < len(d) && '0' <= d[j+n] && d[j+n] <= '7' && v<<3|int(d[j+n]-'0') <= 0xff {
				v = v<<3 | int(d[j+n]-'0')
				n++
			}
			end, enc = j+n, "octal-escape"
		case mode == escCSS && isHex(c): // \41 (the blank after it is a separator)
			h, n := hexRunBefore(d, j, 6)
			v, end, enc = h, j+n, "css-escape"
		}
	case '%': // %u0041, and URL-encoding %41
		if i+1 < len(d) && d[i+1] == 'u' {
			if h, n := hexRunBefore(d, i+2, 4); n == 4 {
				v, end = h, i+6
			}
		} else if h, n := hexRunBefore(d, i+1, 2); n == 2 {
			v, end, enc = h, i+3, "url"
		}
	case '&': // &#65; &#x41;
		if i+3 < len(d) && d[i+1] == '#' {
			j, h, n := i+2, 0, 0
			if d[j] == 'x' || d[j] == 'X' {
				j++
				h, n = hexRunBefore(d, j, 6)
			} else {
				for n < 7 && j+n < len(d) && isDigit(d[j+n]) {
					h = h*10 + int(d[j+n]-'0')
					n++
				}
			}
			if n > 0 && j+n < len(d) && d[j+n] == ';' {
				v, end, enc = h, j+n+1, "html-escape"
			} else if n > 0 && j+n < len(d) && (d[j+n] == '&' || d[j-1] == '#') {
				v, end, enc = h, j+n, "html-escape" // &#65&#75…: the ; may be left out
			}
		}
	case 'U', 'u': // U+0041
		if i+1 < len(d) && d[i+1] == '+' {
			if h, n := hexRunBefore(d, i+2, 6); n >= 4 {
				v, end = h, i+2+n
			}
		}
	case '=': // quoted-printable's =3D; nothing else QP writes is in a key
		if i+2 < len(d) && d[i+1] == '3' && d[i+2] == 'D' {
			v, end, enc = '=', i+3, "quoted-printable"
		}
	}
	if end == 0 || !(v == '\t' || v == '\n' || v == '\r' || 0x20 <= v && v < 0x7f) {
		return 0, 0, ""
	}
	return byte(v), end - i, enc
}

func hexRunBefore(d []byte, i, most int) (v, n int) {
	for n < most && i+n < len(d) && isHex(d[i+n]) {
		v = v<<4 | int(hexVal(d[i+n]))
		n++
	}
	return v, n
}

func walkOnBefore(d []byte, r escRun, fn func(c byte, from, to int, enc string)) escRun {
	s, mode := r.start, r.mode
	for i := r.end; i < len(d) && i-s < maxRunBytes; {
		if n := softBreak(d, i) + continuation(d, i) + invisibleAt(d, i); n > 0 && i > s {
			r.escapes++
			i += n
			r.end = i
			continue
		}
		if c, n, enc := escapeByteBefore(d, i, mode); n > 0 {
			if fn != nil {
				fn(c, i, i+n, enc)
			}
			r.escapes++
			r.chars++
			i += n
			r.end = i
			i += separator(d, i-n, i, mode)
			continue
		}
		if isSecretChar(d[i]) || d[i] == '=' {
			if fn != nil {
				fn(d[i], i, i+1, "")
			}
			r.chars++
			i++
			r.end = i
			continue
		}
		break
	}
	return r
}

// TestWalkAnswersAsBefore holds escapeByte to escapeByteBefore at every
// byte of escape-dense text in every mode, and walkRun to walkOnBefore: the
// same runs, and the same characters reported where they stand.
func TestWalkAnswersAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(51, 52))
	type step struct {
		c        byte
		from, to int
		enc      string
	}
	n := 300
	if testing.Short() {
		n = 60
	}
	for range n {
		d := escapeText(r)
		if r.IntN(3) == 0 { // bytes of every value, among the escapes
			for range 1 + r.IntN(40) {
				d[r.IntN(len(d))] = byte(r.IntN(256))
			}
		}
		for s := range d {
			for _, mode := range []escMode{escLettered, escOctal, escCSS} {
				c, k, enc := escapeByte(d, s, mode)
				wc, wk, wenc := escapeByteBefore(d, s, mode)
				if c != wc || k != wk || enc != wenc {
					t.Fatalf("escapeByte(%q, mode %d) = %q %d %s, before %q %d %s", d[s:min(len(d), s+12)], mode, c, k, enc, wc, wk, wenc)
				}
				var got, want []step
				gr := walkRun(d, s, mode, func(c byte, from, to int, enc string) { got = append(got, step{c, from, to, enc}) })
				wr := walkOnBefore(d, escRun{start: s, end: s, mode: mode}, func(c byte, from, to int, enc string) { want = append(want, step{c, from, to, enc}) })
				if gr != wr || !reflect.DeepEqual(got, want) {
					t.Fatalf("walkRun at %d of %q, mode %d:\n got %+v %v\nwant %+v %v", s, d[s:min(len(d), s+60)], mode, gr, got, wr, want)
				}
			}
		}
	}
}

// escapeAtBefore is escapeAt as it was, comparing each HTML reference as a
// string folded by strings.EqualFold.
func escapeAtBefore(d []byte, i int) (byte, int) {
	if d[i] != '&' {
		return escapeAt(d, i)
	}
	for _, ref := range [...]struct {
		text string
		c    byte
	}{{"&#43;", '+'}, {"&#47;", '/'}, {"&#x2b;", '+'}, {"&#x2f;", '/'}} {
		if i+len(ref.text) <= len(d) && strings.EqualFold(string(d[i:i+len(ref.text)]), ref.text) {
			return ref.c, len(ref.text)
		}
	}
	return 0, 0
}

// TestEscapeAtAnswersAsBefore holds escapeAt's HTML references, read in
// place, to comparing them folded as strings, at every byte of text dense
// in references, their pieces, their case variants and non-ASCII bytes.
func TestEscapeAtAnswersAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(61, 62))
	pieces := []string{"&#43;", "&#47;", "&#x2b;", "&#X2B;", "&#x2F;", "&#X2f;", "&#x2B", "&#x2", "&#4", "&#43", "&#", "&", "#", ";",
		"x", "X", "2", "4", "3", "7", "b", "B", "f", "F", "&#x2c;", "&#x3b;", "&#x1f;", "&#xab;", "&#44;", "&#37;", "\u212a", "\u017f", "\xff", "&#\u212a2b;", `\/`, `\u002F`, "%2b"}
	for range 2000 {
		var b strings.Builder
		for range 1 + r.IntN(40) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		d := []byte(b.String())
		for i := range d {
			c, n := escapeAt(d, i)
			wc, wn := escapeAtBefore(d, i)
			if c != wc || n != wn {
				t.Fatalf("escapeAt(%q) = %q %d, before %q %d", d[i:], c, n, wc, wn)
			}
		}
	}
}
