package scanner

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestKeyIDRunMargin: what keyIDRun's pass over a run stands on, on the
// patterns as they are: every pattern is at most keyIDRunMargin bytes
// long, so one that starts before the margin ends in the run read; and no
// pattern holds a blank before what may open a key ID (opensKeyID), so
// none that starts before the run's first key ID (after a blank) reaches
// into it.
func TestKeyIDRunMargin(t *testing.T) {
	for _, p := range patterns {
		if len(p.text) > keyIDRunMargin {
			t.Errorf("pattern %q is longer than keyIDRunMargin (%d)", p.text, keyIDRunMargin)
		}
		for i := 0; i+1 < len(p.text); i++ {
			if isListBlank(p.text[i]) && opensKeyID(p.text[i+1:]) {
				t.Errorf("pattern %q holds a blank before what may open a key ID: it may reach into a run of key IDs", p.text)
			}
		}
	}
	if keyIDRuns().off {
		t.Fatal("a pattern of base32 bytes and blanks holds a blank, or is shorter than 3 bytes, or a key ID prefix is not 4 bytes: keyIDRun reads no run")
	}
	// The table holds the key ID prefixes and the other patterns a run
	// can hold (a secret word in capitals, base64 anchors in capitals).
	var texts []string
	for _, p := range keyIDRuns().pats {
		texts = append(texts, p.text)
	}
	if len(keyIDRuns().keyID) != 4 || !slices.Contains(texts, "ECRET") || !slices.Contains(texts, "XQAA") {
		t.Fatalf("the table of patterns in runs holds %d key ID prefixes and %q", len(keyIDRuns().keyID), texts)
	}
}

// opensKeyID reports whether a key ID may open with s, or s with a key
// ID: a key ID prefix, then base32 bytes.
func opensKeyID(s string) bool {
	for _, p := range patterns {
		if p.kind != anchorKeyID {
			continue
		}
		n := min(len(s), len(p.text))
		if s[:n] != p.text[:n] {
			continue
		}
		rest := true
		for _, c := range []byte(s[n:min(len(s), 20)]) {
			rest = rest && isBase32(c)
		}
		if rest {
			return true
		}
	}
	return false
}

// keyIDText is a file of key IDs as an attacker or an export writes it,
// with what breaks a run between them: other separators, patterns inside
// or between key IDs (ECRET, base64 anchors in capitals, a prefix inside
// a key ID), IDs too short or too long, lines of other text.
func keyIDText(r *rand.Rand, g *fakekey.Gen, n int) []byte {
	var b strings.Builder
	ids := []string{g.KeyID("AKIA"), g.KeyID("ASIA"), g.KeyID("ABIA"), g.KeyID("ACCA")}
	base32 := "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	blanks := []string{" ", "\n", "\r\n", "\t", "  ", "\n\n", " \n"}
	inner := []string{"ECRET", "OKEN", "SSWOR", "XQAA", "H52", "QVNJQ", "AKIA", "ASIA", "4543524554", "FBWSZTW"}
	others := []string{",", ";", "x", "_", "=", "\"", "'", "<", "aws_secret_access_key = ", g.Secret(), "\\u0041",
		"# keyscan:allow\n", "end\n", "`\nend", "=3D", "AKIA" + strings.Repeat("7", 15), "secret: " + g.Secret() + "\n", "QUtJQUFBQUFBQUFBQUFBQUFB"}
	for b.Len() < n {
		switch k := r.IntN(40); {
		case k < 30: // a key ID, one of a few or a new one
			if r.IntN(4) == 0 {
				b.WriteString(g.KeyID([]string{"AKIA", "ASIA", "ABIA", "ACCA"}[r.IntN(4)]))
			} else {
				b.WriteString(ids[r.IntN(len(ids))])
			}
		case k < 34: // a key ID with a pattern in it
			id := []byte(ids[r.IntN(len(ids))])
			s := inner[r.IntN(len(inner))]
			at := r.IntN(len(id) - len(s) + 1)
			copy(id[at:], s)
			b.Write(id)
		case k < 36: // a run of base32 of another length
			s := []byte(ids[r.IntN(len(ids))][:4])
			for range 12 + r.IntN(10) {
				s = append(s, base32[r.IntN(len(base32))])
			}
			b.Write(s)
		default:
			b.WriteString(others[r.IntN(len(others))])
		}
		b.WriteString(blanks[r.IntN(len(blanks))])
	}
	return []byte(b.String())
}

// TestKeyIDRunsCountAsBefore: a differential scan. Scanner.keyIDsPlain
// (tests only) turns off keyIDRun: every key ID past the cut is reported
// by the prefilter and counted on its own. Over random files of key IDs
// (keyIDText), with limits that put the cut early or late (or none), with
// and without a check budget, both scans give the same findings and
// counts, take the same steps of the check budget (so no anchor among the
// key IDs was passed over: a secret word in capitals charges a step), and
// agree on whether the text was cut.
func TestKeyIDRunsCountAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(221, 222))
	g := fakekey.New(223)
	fast, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := New(Options{})
	before.keyIDsPlain = true
	n := 300
	if testing.Short() {
		n = 60
	}
	runs, unlisted, cut := 0, 0, 0
	for k := range n {
		d := keyIDText(r, g, 2<<10+r.IntN(48<<10))
		limit := 1 + r.IntN(40)
		if k%5 == 4 {
			limit = 0 // no cut: nothing is counted at once
		}
		allow := 1 << 62
		if k%3 == 2 {
			allow = 1 + r.IntN(8*len(d))
		}
		want, got := scanKeyIDs(before, d, limit, allow), scanKeyIDs(fast, d, limit, allow)
		runs += got.runs
		if err := got.differs(want); err != "" {
			t.Fatalf("text %d: %s", k, err)
		}
		unlisted += want.unlisted
		if want.cut {
			cut++
		}
	}
	if runs < n/2 || unlisted < 100*n || cut < n/30 {
		t.Fatalf("%d texts with a run counted at once, %d key IDs unlisted, %d texts cut: the test compares too little", runs, unlisted, cut)
	}
	t.Logf("%d texts with runs counted at once, %d key IDs unlisted, %d texts cut by the budget", runs, unlisted, cut)
}

// keyIDOutcome is what a scan of a text of key IDs found and counted, and
// the check budget's steps it took.
type keyIDOutcome struct {
	fs              Findings
	unlisted, spent int
	kept            int
	taken           [steps]int
	cut             bool
	runs            int // runs keyIDRun counted at once: 0 or 1 (not compared)
}

// scanKeyIDs scans d with s as the commands do, with limit and a check
// budget of allow units.
func scanKeyIDs(s *Scanner, d []byte, limit, allow int) keyIDOutcome {
	m := newMatch(s, "ids.txt", d)
	m.limit, m.cut = limit, len(d)
	m.workv = checkWork{allow: allow}
	m.work = &m.workv
	m.run()
	o := keyIDOutcome{fs: m.findings(), unlisted: m.unlisted, spent: m.work.spent, kept: m.work.kept,
		taken: m.work.taken, cut: m.work.unchecked > 0}
	if m.keyIDRunTo > 0 {
		o.runs = 1
	}
	m.release()
	return o
}

// differs says how o differs from want, the scan counting as before
// (runs aside), or "".
func (o keyIDOutcome) differs(want keyIDOutcome) string {
	if !reflect.DeepEqual(o.fs, want.fs) {
		return fmt.Sprintf("%d findings, counting as before %d\n%v\n%v", len(o.fs), len(want.fs), summarizeFindings(o.fs), summarizeFindings(want.fs))
	}
	o.runs, want.runs = 0, 0
	if !reflect.DeepEqual(o, want) {
		return fmt.Sprintf("unlisted %d, spent %d, kept %d, steps %v, cut %v; counting as before %d, %d, %d, %v, %v",
			o.unlisted, o.spent, o.kept, o.taken, o.cut, want.unlisted, want.spent, want.kept, want.taken, want.cut)
	}
	return ""
}

// TestKeyIDRunEnds: a run of key IDs that ends before a pattern that
// opens with blanks (" \nend", the end of a uuencoded block, which
// charges the budget), or glued to a word, at every offset in the
// prefilter's 64-byte blocks: the pattern is read as before (the prefilter
// reports again keyIDRunMargin bytes before the run's end).
func TestKeyIDRunEnds(t *testing.T) {
	g := fakekey.New(227)
	fast, _ := New(Options{})
	before, _ := New(Options{})
	before.keyIDsPlain = true
	var ids strings.Builder
	for range 200 {
		ids.WriteString(g.KeyID("AKIA") + " ")
	}
	runs := 0
	for pad := range 128 {
		for _, tail := range []string{"\nend\n", "`\nend\n", "ECRET = " + g.Secret() + "\n", "QUtJQUFBQUFBQUFBQUFBQUFB\n"} {
			d := []byte(strings.Repeat("x", pad) + "\n" + ids.String() + tail + ids.String())
			want, got := scanKeyIDs(before, d, 5, 1<<62), scanKeyIDs(fast, d, 5, 1<<62)
			if err := got.differs(want); err != "" {
				t.Fatalf("pad %d, tail %q: %s", pad, tail, err)
			}
			runs += got.runs
		}
	}
	if runs == 0 {
		t.Fatal("no run counted at once: the test compares nothing")
	}
}

// TestKeyIDAtPatterns: keyIDAt turns down a key ID that holds a pattern
// of the table (another key ID prefix, a secret word, a base64 anchor in
// capitals) at any place after its first byte, and one that holds any
// other byte than base32 at any place.
func TestKeyIDAtPatterns(t *testing.T) {
	plain := "AKIA" + strings.Repeat("Z", 16) // no pattern of the table holds "ZZ"
	if !keyIDRuns().keyIDAt([]byte(plain+" "), 0, -1) {
		t.Fatalf("keyIDAt(%q) is false", plain)
	}
	var texts []string
	for _, p := range patterns {
		if strings.Trim(p.text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == "" {
			texts = append(texts, p.text)
		}
	}
	for _, p := range texts {
		for at := 1; at+len(p) <= 20; at++ {
			id := []byte(plain)
			copy(id[at:], p)
			d := append(id, ' ')
			if keyIDRuns().keyIDAt(d, 0, -1) {
				t.Errorf("keyIDAt(%q) is true: %q at %d", d, p, at)
			}
		}
	}
	for at := 4; at < 20; at++ {
		for c := range 256 {
			id := []byte(plain)
			id[at] = byte(c)
			d := append(id, ' ')
			if got := keyIDRuns().keyIDAt(d, 0, -1); got != isBase32(byte(c)) {
				t.Errorf("keyIDAt(%q) = %v", d, got)
			}
		}
	}
}

// TestKeyIDRunRead: keyIDRun on texts made to stop it at each kind of
// byte: it counts the key IDs up to the first that is no key ID of a
// run, and nothing when the key ID asked about is not one.
func TestKeyIDRunRead(t *testing.T) {
	g := fakekey.New(224)
	id := func() string { return g.KeyID("AKIA") }
	for _, c := range []struct {
		text string
		n    int // key IDs counted after the first
	}{
		{id() + " " + id() + "\n" + id(), 2},
		{id() + " " + id() + " " + id()[:19], 1},
		{id() + " " + id() + "x " + id(), 0},
		{id() + "\r\n" + id() + "\t" + id()[:10] + "ECRET" + id()[15:] + " " + id(), 1},
		{id() + " " + id() + " AKIAAKIA" + id()[8:], 1},
		{"x" + id() + " " + id() + " " + id(), 0}, // the first is not after a blank
		{id()[:6] + "XQAA" + id()[10:] + " " + id() + " " + id(), 0},
		{id() + " " + id() + " " + id() + "7", 1},
	} {
		d := []byte(c.text)
		start := 0
		if d[0] == 'x' {
			start = 1
		}
		m := newMatch(plainScanner(t), "t.txt", d)
		m.limit, m.cut = 1, 0
		m.unlisted = 0
		skip := m.keyIDRun(start)
		if m.unlisted != c.n || (skip > 0) != (c.n > 0) {
			t.Errorf("%q: %d counted, skip %d; want %d", c.text, m.unlisted, skip, c.n)
		}
		m.release()
	}
}

// plainScanner is a Scanner with the default options, for tests of one match.
func plainScanner(t *testing.T) *Scanner {
	t.Helper()
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBase32Word: base32Word answers as isBase32 of each byte, for words
// of base32 bytes with one byte of any value put in at any place.
func TestBase32Word(t *testing.T) {
	r := rand.New(rand.NewPCG(225, 226))
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	for range 2000 {
		var b [8]byte
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		for k := range 8 {
			for c := range 256 {
				w := b
				w[k] = byte(c)
				want := true
				for _, x := range w {
					want = want && isBase32(x)
				}
				if got := base32Word(binary.LittleEndian.Uint64(w[:])); got != want {
					t.Fatalf("base32Word(%q) = %v", w, got)
				}
			}
		}
	}
}

// keyIDAtEveryPlace is keyIDAt as its doc comment says it, without the
// pair and three-byte tables: the patterns are read at every place of the
// key ID.
func keyIDAtEveryPlace(t *keyIDRunTable, d []byte, i int) bool {
	end := i + 20
	if end > len(d) || end < len(d) && !isListBlank(d[end]) {
		return false
	}
	for _, c := range d[i+4 : end] {
		if !isBase32(c) {
			return false
		}
	}
	if keyID, other := t.at(d, i); !keyID || other {
		return false
	}
	for q := i + 1; q < end; q++ {
		if keyID, other := t.at(d, q); keyID || other {
			return false
		}
	}
	return true
}

// TestKeyIDAtSameAsEveryPlace: keyIDAt gives keyIDAtEveryPlace's answer
// on key IDs that hold a pattern of the table, its first two or three
// bytes, or a byte of another class, at every place, before a blank, a
// word byte or the end.
func TestKeyIDAtSameAsEveryPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(24, 1))
	tb := keyIDRuns()
	var pieces []string
	for _, p := range tb.pats {
		pieces = append(pieces, p.text, p.text[:2], p.text[:3])
	}
	for _, k := range tb.keyID {
		w := binary.LittleEndian.AppendUint32(nil, k)
		pieces = append(pieces, string(w), string(w[:3]))
	}
	const b32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	prefixes := []string{"AKIA", "ASIA", "ABIA", "ACCA", "AKIB", "AUWS", "QBLA"}
	yes := 0
	for n := range 200000 {
		id := []byte(prefixes[r.IntN(len(prefixes))])
		for len(id) < 20 {
			id = append(id, b32[r.IntN(len(b32))])
		}
		for range r.IntN(3) {
			p := pieces[r.IntN(len(pieces))]
			copy(id[1+r.IntN(19):], p)
		}
		if n%50 == 0 {
			id[r.IntN(20)] = byte(r.IntN(256))
		}
		id = id[:20]
		d := append([]byte(" "), id...)
		switch n % 4 {
		case 1:
			d = append(d, '\n')
		case 2:
			d = append(d, " AKIA"...)
		case 3:
			d = append(d, b32[r.IntN(len(b32))])
		}
		got, want := tb.keyIDAt(d, 1, -1), keyIDAtEveryPlace(tb, d, 1)
		if got != want {
			t.Fatalf("keyIDAt(%q) = %v, every place %v", d, got, want)
		}
		if got {
			yes++
		}
	}
	if yes < 10000 {
		t.Fatalf("only %d key IDs of a run: the test compares little", yes)
	}
}

// FuzzKeyIDAt: keyIDAt gives keyIDAtEveryPlace's answer at every offset
// of any bytes.
func FuzzKeyIDAt(f *testing.F) {
	f.Add([]byte("AKIAZZZZZZZZZZZZZZZZ AKIAZZZZZZECRETZZZZZ"))
	// upper-cased at run time: no key ID's shape stands in the file
	// (keyscan scan . and history . of the repository stay clean)
	f.Add(bytes.ToUpper([]byte("asiaqblzzzzzzzzzzzsu\nakiazzzzzzzzzzzzzsue")))
	f.Fuzz(func(t *testing.T, d []byte) {
		for i := range d {
			if got, want := keyIDRuns().keyIDAt(d, i, -1), keyIDAtEveryPlace(keyIDRuns(), d, i); got != want {
				t.Fatalf("keyIDAt(%q, %d) = %v, every place %v", d, i, got, want)
			}
		}
	})
}
