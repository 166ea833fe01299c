package words

import (
	"crypto/rand"
	"math"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestCode: business codes that start like key IDs (fp36) are codes, and
// so are the words run together of qa33; random characters, and codes
// whose words are not the list's (too little of them to tell), are not.
// Written in lower case: keyscan's own tree holds no key ID.
func TestCode(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"asiasoutheast2q3sale", true},  // a region, a quarter, a word
		{"asiapacificq3fy25rev", true},  // a region, a quarter, a fiscal year
		{"asiaeast2salesq4team", true},  // short words and numbers
		{"akiawidget42blue7xl2", true},  // a product, its colour and size
		{"akiabankholdingsltd2", true},  // qa33's words run together
		{"asianmarketsindexfnd", true},  // a word covers the head
		{"akiaopsticket42story", true},  // a ticket
		{"akiaqtzknrwybefplmxc", false}, // random letters
		{"akiah5tz2k4nrwyb3e7f", false}, // random base32
		{"akiazorbquixvelt42xy", false}, // made-up words: no list holds them
	} {
		s := upper(c.s)
		if got := Code(s, 4); got != c.want {
			t.Errorf("Code(%s) = %v (%.1f bits fewer than random), want %v", s, got, 80-CodeBits(s, 4), c.want)
		}
	}
}

// TestCodeModelKraft: each token's choices sum to 1 (what follows a
// token, the lengths of a word, a number and a run), so that the bound
// Code's doc states holds: no more than 2^-CodeMargin of random strings.
func TestCodeModelKraft(t *testing.T) {
	sum := func(name string, p []float64) {
		s := 0.0
		for _, x := range p {
			s += x
		}
		if math.Abs(s-1) > 1e-9 {
			t.Errorf("%s sums to %g", name, s)
		}
	}
	for k, row := range follow {
		sum("follow["+string(rune('0'+k))+"]", row[:])
	}
	sum("wordLen", wordLen[:])
	sum("numLen", numLen[:])
	sum("rawLen", rawLen[:])
}

// TestCodeRandom: of 10^6 fakekey IDs (AKIA and ASIA, accounts encoded)
// and 10^6 IDs of uniformly random base32 bodies (crypto/rand), none is a
// code, and the most any saves is logged: the margin is CodeMargin less it.
func TestCodeRandom(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 20_000
	}
	most, at := 0.0, ""
	check := func(kind, id string) {
		if Code(id, 4) {
			t.Errorf("%s ID %s taken for a code", kind, id)
		}
		if s := 80 - CodeBits(id, 4); s > most {
			most, at = s, kind
		}
	}
	g := fakekey.New(3636)
	for i := range n {
		check("fakekey", g.KeyID([]string{"AKIA", "ASIA"}[i%2]))
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	buf := make([]byte, 16)
	id := []byte("AKIA0123456789ABCDEF")
	for i := range n {
		rand.Read(buf)
		for j, c := range buf {
			id[4+j] = alphabet[c%32]
		}
		copy(id, []string{"AKIA", "ASIA"}[i%2])
		check("random", string(id))
	}
	t.Logf("%d fakekey and %d random IDs: the most saved %.1f bits (a %s ID), Code takes %d", n, n, most, at, CodeMargin)
}

// TestMostSavedBound: mostSaved is never below what CodeBits saves, on
// fakekey IDs and on codes (a tag-and-number code without a word too), so
// that Code's shortcut turns down nothing the search would take; and it
// turns down most random IDs without the search.
func TestMostSavedBound(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 10_000
	}
	ids := []string{"asiasoutheast2q3sale", "akiawidget42blue7xl2", "asiapacificq3fy25rev", "asiaeast2salesq4team", "akiastore42sku7red22", "akiaopsticket42story", "asianmarketsindexfnd", "akiaxxl22xxl22xxl22x"}
	for i := range ids {
		ids[i] = upper(ids[i])
	}
	g := fakekey.New(3638)
	for i := range n {
		ids = append(ids, g.KeyID([]string{"AKIA", "ASIA"}[i%2]))
	}
	short := 0
	for _, id := range ids {
		saved, bound := 80-CodeBits(id, 4), mostSaved(id, 4)
		if saved > bound+1e-9 {
			t.Errorf("%s: saves %.2f bits, mostSaved %.2f", id, saved, bound)
		}
		if bound < CodeMargin {
			short++
		}
	}
	if short < len(ids)*9/10 {
		t.Errorf("mostSaved turned down %d of %d IDs, want 90%% or more", short, len(ids))
	}
	t.Logf("mostSaved turned down %d of %d IDs without the search", short, len(ids))
}
