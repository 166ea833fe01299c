package scanner

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
)

// TestGluedKeyIDs: key IDs glued to each other (qa31 F6: Go's linker packs
// two 20-byte constants side by side) are each found, in a binary's
// printable run between lower-case neighbours and in text between word
// boundaries; a stretch that is not a whole number of key IDs, or whose
// text has no boundary, gives nothing.
func TestGluedKeyIDs(t *testing.T) {
	sc := binScanner(t)
	g := fakekey.New(3101)
	a, b, c := g.KeyID("AKIA"), g.KeyID("ASIA"), g.KeyID("AKIA")
	ids := func(fs Findings) []string {
		var out []string
		for _, f := range fs {
			if f.Kind == rules.AccessKeyID {
				out = append(out, f.Secret)
			}
		}
		slices.Sort(out)
		return out
	}
	want := func(vs ...string) []string { return slices.Sorted(slices.Values(vs)) }
	for _, tc := range []struct {
		name, text string
		binary     bool
		want       []string
	}{
		{"binary two", "\x00\x00maxheaders" + a + b + "floating point\x00", true, want(a, b)},
		{"binary three", "\x00\x00" + a + b + c + "\x00", true, want(a, b, c)},
		{"binary upper before", "\x00\x00maxheadersX" + a + b + "floating\x00", true, nil},
		{"binary half", "\x00\x00maxheaders" + a + b[:10] + "floating\x00", true, nil},
		{"text two", "ids: " + a + b + "\n", false, want(a, b)},
		{"text three quoted", `ids = "` + a + b + c + `"` + "\n", false, want(a, b, c)},
		{"text glued to a word", "ids: x" + a + b + "\n", false, nil},
		{"text upper after", "ids: " + a + b + "QQ\n", false, nil},
	} {
		var fs Findings
		if tc.binary {
			fs = sc.ScanBinaryAll("app", []byte(tc.text))
		} else {
			fs = sc.ScanAll("ids.txt", []byte(tc.text))
		}
		if got := ids(fs); !slices.Equal(got, tc.want) {
			t.Errorf("%s: key IDs %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestGluedKeyIDsRandom: two key-ID-shaped pieces (random bodies, most of
// whose accounts decode) in a stretch of base32 that holds 1 to 19 bytes
// more, before or after them, are no whole number of key IDs: no finding
// in a binary or in text.
func TestGluedKeyIDsRandom(t *testing.T) {
	sc := binScanner(t)
	r := rand.New(rand.NewPCG(31, 6))
	const b32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	piece := func() string {
		var s strings.Builder
		s.WriteString([]string{"AKIA", "ASIA"}[r.IntN(2)])
		for range 16 {
			s.WriteByte(b32[r.IntN(32)])
		}
		return s.String()
	}
	var bin, text strings.Builder
	for range 2000 {
		// one to 19 more base32 bytes before, after, or both
		run := piece() + piece()
		switch r.IntN(3) {
		case 0:
			run = strings.Repeat("Z", 1+r.IntN(19)) + run
		case 1:
			run += strings.Repeat("Q", 1+r.IntN(19))
		default:
			run = strings.Repeat("Z", 1+r.IntN(19)) + run + strings.Repeat("Q", 1+r.IntN(19))
		}
		bin.WriteString("\x00\x00abc" + run + "xyz\x00")
		text.WriteString("id: " + run + "\n")
	}
	n := 0
	for _, fs := range []Findings{sc.ScanBinaryAll("app", []byte(bin.String())), sc.ScanAll("ids.txt", []byte(text.String()))} {
		for _, f := range fs {
			if f.Kind == rules.AccessKeyID {
				n++
			}
		}
	}
	if n != 0 {
		t.Errorf("%d key IDs found in runs that are no whole number of key IDs", n)
	}
}
