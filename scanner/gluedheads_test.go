package scanner

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// gluedText makes text of key heads glued to each other and to base32
// bytes, broken now and then by what may stand among them or make a
// boundary before a head: patterns of base32 bytes (a secret word in
// capitals, base64 anchors in capitals, other key ID prefixes), escapes
// and terminal sequences written out, underscores, blanks, markup, key
// pairs after their names.
func gluedText(r *rand.Rand, g *fakekey.Gen, n int) []byte {
	const b32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	pieces := []string{"ECRET", "SECRET", "XQAA", "QUtJQ", "ASIA", "ABIA", "ACCA", "AIDA", "\\x1b[31m", "\x1b[0m", "\\033[1;32m", "\\e7", "%41",
		"\\u0041", "\\x41", "_", "__", " ", "\n", "=3D", "<b>", "**", "\\n", "&#27;", "$([char]27)", "`e", "^[", "\\u009b2J", "\\x9b"}
	var b strings.Builder
	for b.Len() < n {
		switch k := r.IntN(12); {
		case k < 5:
			b.WriteString(strings.Repeat("AKIA", 1+r.IntN(64)))
		case k < 7:
			for range 1 + r.IntN(80) {
				b.WriteByte(b32[r.IntN(len(b32))])
			}
		case k == 7:
			b.WriteString(g.KeyID("AKIA"))
		case k == 8:
			b.WriteString("\naws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n")
		default:
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
	}
	return []byte(b.String())
}

// TestGluedHeadsAsBefore: a differential scan. Scanner.gluedPlain (tests
// only) turns off gluedHeads: every glued key head is reported by the
// prefilter and turned down on its own. Over random texts of glued heads
// (gluedText), with limits and check budgets or none, both scans give the
// same findings and counts and take the same steps of the budget (so no
// anchor the prefilter passed over was of use).
func TestGluedHeadsAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(291, 292))
	g := fakekey.New(293)
	fast, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := New(Options{})
	before.gluedPlain = true
	n := 400
	if testing.Short() {
		n = 80
	}
	for k := range n {
		d := gluedText(r, g, 1<<10+r.IntN(32<<10))
		limit := 0
		if k%3 == 1 {
			limit = 1 + r.IntN(10)
		}
		allow := 1 << 62
		if k%4 == 3 {
			allow = 1 + r.IntN(4*len(d))
		}
		want, got := scanKeyIDs(before, d, limit, allow), scanKeyIDs(fast, d, limit, allow)
		if err := got.differs(want); err != "" {
			t.Fatalf("text %d: %s\n%q", k, err, d)
		}
	}
}

// FuzzGluedHeads is TestGluedHeadsAsBefore on fuzzed texts, and on
// glued heads around them.
func FuzzGluedHeads(f *testing.F) {
	f.Add([]byte("AKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIAAKIA"))
	f.Add([]byte("AKIAAKIAAKIA\\x1b[31mAKIAAKIAAKIAECRETAKIAAKIA"))
	fast, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	before, _ := New(Options{})
	before.gluedPlain = true
	heads := strings.Repeat("AKIA", 40)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, d := range [][]byte{b, []byte(heads + string(b) + heads)} {
			want, got := scanKeyIDs(before, d, 0, 1<<62), scanKeyIDs(fast, d, 0, 1<<62)
			if err := got.differs(want); err != "" {
				t.Fatalf("%s\n%q", err, d)
			}
		}
	})
}
